"""Benchmarks of the read models: rebuilding them all, and finding everything about one person.

    replay          rebuilding every read model from a 10^5-event store, against the plain
                    `eventsourcing` replay (its default JSON mapper) of as many events of the
                    same shape, stored a hundred to a transaction as the benchmark store is
    subject search  p50/p95 of "everything about one subject" in the 10^6-event store's read
                    models, against the 200 ms the target allows: every item about them and
                    every item they stated, for subjects drawn at random from all the index
                    holds (children, notifiers, practitioners)
    rebuild memory  peak RSS of rebuilding every read model of the 10^6-event store against
                    the 10^5-event store's, each in a fresh process (bench/rebuild_child.py)

All work on a copy of the cached store, so the store itself stays as it was generated.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.app.application import Application
from bench.data import BenchStore, bench_store
from projections import queries, schema

if TYPE_CHECKING:
    from bench.__main__ import Results

SEARCHES = 1000
SEARCH_BOUND_MS = 200.0
ROOT = Path(__file__).resolve().parent.parent


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
                chosen = random.Random(2026).sample(subjects, k=min(SEARCHES, len(subjects)))
                times, found = [], []
                for subject in chosen:
                    started = time.perf_counter()
                    about = queries.subject_items(conn, subject)
                    stated = queries.subject_items(conn, subject, relation="by")
                    times.append((time.perf_counter() - started) * 1000)
                    found.append(len(about) + len(stated))
        finally:
            app.close()
    times.sort()
    p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
    results.note(
        f"{len(chosen)} subjects drawn at random from the {len(subjects):,} in {events:,} events: items "
        f"about them or stated by them, {statistics.mean(found):,.1f} on average, at most {max(found):,}; "
        f"p50 {p50:.2f} ms, p95 {p95:.2f} ms"
    )
    results.add(
        f"subject search p50, {events:,} events",
        p50,
        "ms",
        SEARCH_BOUND_MS,
        1.0,
        lower_is_better=True,
    )
    results.add(
        f"subject search p95, {events:,} events",
        p95,
        "ms",
        SEARCH_BOUND_MS,
        1.0,
        lower_is_better=True,
    )


def _rebuild_in_fresh_process(store: BenchStore, into: Path) -> dict[str, Any]:
    """Rebuild every read model of a copy of `store` in a new process; its time and peak RSS."""
    copy = _copy(store.database, into)
    try:
        output = subprocess.run(  # noqa: S603 (this interpreter, our own module, our own paths)
            [sys.executable, "-m", "bench.rebuild_child", str(copy), str(store.kek)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        copy.unlink(missing_ok=True)
    found: dict[str, Any] = json.loads(output.splitlines()[-1])
    return found


def bench_rebuild_memory(results: Results, small_events: int, large_events: int) -> None:
    small, large = bench_store(small_events), bench_store(large_events)
    with tempfile.TemporaryDirectory(dir=large.directory.parent) as tmp:
        at_small = _rebuild_in_fresh_process(small, Path(tmp))
        at_large = _rebuild_in_fresh_process(large, Path(tmp))
    results.add(
        f"rebuild peak RSS, {at_large['events']:,} vs {at_small['events']:,} events",
        at_large["peak_rss_mib"] + at_large["children_peak_rss_mib"],
        "MiB",
        at_small["peak_rss_mib"] + at_small["children_peak_rss_mib"],
        1.2,
        lower_is_better=True,
    )
    for found in (at_small, at_large):
        marks = list(found["rss_mib_at"].values())
        results.note(
            f"{found['events']:,} events rebuilt in {found['seconds']:.1f} s "
            f"({found['events'] / found['seconds']:,.0f}/s); RSS {found['opened_rss_mib']:.0f} MiB once the "
            f"store is open, peak {found['peak_rss_mib']:.0f} MiB, between {min(marks):.1f} and "
            f"{max(marks):.1f} MiB at each tenth of the way; child processes' peak "
            f"{found['children_peak_rss_mib']:.0f} MiB"
        )
