"""Benchmarks of the read models: rebuilding them all, and finding everything about one person.

    replay          rebuilding every read model from a 10^5-event store, against the plain
                    `eventsourcing` replay (its default JSON mapper) of as many events of the
                    same shape, stored a hundred to a transaction as the benchmark store is
    subject search  p50/p95 of "everything about one subject" in the 10^6-event store's read
                    models, against the 200 ms the target allows

Both work on a copy of the cached store, so the store itself stays as it was generated.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.application import Application
from bench.data import bench_store
from projections import queries, schema

if TYPE_CHECKING:
    from bench.__main__ import Results

SEARCHES = 200
SEARCH_BOUND_MS = 200.0


def _copy(database: Path, into: Path) -> Path:
    copy = into / "store.db"
    shutil.copyfile(database, copy)
    return copy


def bench_replay(results: Results, events: int) -> None:
    store = bench_store(events)
    with tempfile.TemporaryDirectory(dir=store.directory.parent) as tmp:
        copy = _copy(store.database, Path(tmp))
        app = Application(f"sqlite:///{copy}", store.kek)
        try:
            started = time.perf_counter()
            count = app.projections.rebuild()
            rebuilt = count / (time.perf_counter() - started)
        finally:
            app.close()
        baseline = _plain_replay(Path(tmp) / "plain.db", count)
    results.add(f"replay: rebuild every read model, {count:,} events", rebuilt, "events/s", baseline, 1.0)
    results.note(
        "the rebuild decodes each signed record, folds it into its review's views, indexes its "
        "personal items and writes the rows; the baseline only decodes events with the library's mapper"
    )


def _plain_replay(path: Path, count: int) -> float:
    from eventsourcing.application import Application as PlainApplication
    from eventsourcing.domain import Aggregate, event

    class Review(Aggregate):
        @event("Notified")
        def __init__(self, reference: str, received_on: str) -> None:
            self.reference = reference
            self.requested: list[str] = []

        @event("InformationRequested")
        def request(self, agency: str, requested_on: str, reasons: str) -> None:
            self.requested.append(agency)

    plain = PlainApplication[Any](
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    )
    try:
        written = 0
        while written < count:
            review = Review(reference=f"LR-{written}", received_on="2026-01-05")
            for agency in range(min(99, count - written - 1)):
                review.request(agency=f"agency {agency}", requested_on="2026-01-06", reasons="reasons")
            plain.save(review)  # a hundred events in one transaction, as the benchmark store
            written += 1 + len(review.requested)
        recorder, mapper = plain.recorder, plain.mapper
        started, position, read = time.perf_counter(), 0, 0
        while True:
            page = recorder.select_notifications(start=position, limit=1000, inclusive_of_start=False)
            if not page:
                break
            for notification in page:
                mapper.to_domain_event(notification)
            read += len(page)
            position = page[-1].id
        return read / (time.perf_counter() - started)
    finally:
        plain.close()


def bench_subject_search(results: Results, events: int) -> None:
    store = bench_store(events)
    with tempfile.TemporaryDirectory(dir=store.directory.parent) as tmp:
        copy = _copy(store.database, Path(tmp))
        app = Application(f"sqlite:///{copy}", store.kek)
        try:
            app.projections.rebuild()
            with app.db.reader.connect() as conn:
                subjects = [
                    row[0] for row in conn.execute(sa.select(schema.subject_items.c.subject).distinct())
                ]
                chosen = random.Random(2026).choices(subjects, k=SEARCHES)
                times, found = [], 0
                for subject in chosen:
                    started = time.perf_counter()
                    found += len(queries.subject_items(conn, subject))
                    times.append((time.perf_counter() - started) * 1000)
        finally:
            app.close()
    times.sort()
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
    results.note(
        f"{SEARCHES} searches over {len(subjects):,} subjects in {events:,} events: p50 {p50:.1f} ms, "
        f"{found / SEARCHES:,.0f} items found on average"
    )
    results.add(
        f"subject search p95, {events:,} events",
        p95,
        "ms",
        SEARCH_BOUND_MS,
        1.0,
        lower_is_better=True,
    )
