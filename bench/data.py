"""Benchmark stores of N signed events, generated once under var/bench/ and reused while complete.

Each review is a National Learning Review taken through the real domain: a notification is
received and passed on, then information is requested from agency after agency and every
tenth agency's return is recorded (sealed personal data). All the events of one review are
signed, sealed, stored and logged by ONE `Ledger.append`, the fastest honest path: the same
signing, sealing, storing and Merkle logging as a command, but one transaction and one
checkpoint per review (a hundred events) instead of one per command. One writer process per
core shares the reviews out, as several officers' processes would.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from adapters.application import Application
from adapters.logging import configure_logging
from adapters.progress import Progress
from domain.national_commands import (
    PassToNominatedPerson,
    ReceiveNotification,
    RecordAgencyReturn,
    RequestInformation,
)
from domain.national_forms import PersonDetails, PractitionerDetails
from domain.national_review import NationalReview
from domain.roles import Acting, Role

VAR_BENCH = Path(__file__).resolve().parent.parent / "var" / "bench"
ORIGIN = "bench.reviewledger/log"
REVIEW_EVENTS = 100
RETURN_EVERY = 10  # one request in ten is followed by the agency's (sealed) return
OFFICERS = 4
ON = date(2026, 1, 5)


@dataclass(frozen=True)
class BenchStore:
    events: int
    directory: Path

    @property
    def database(self) -> Path:
        return self.directory / "store.db"

    @property
    def kek(self) -> Path:
        return self.directory / "kek"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.database}"

    @property
    def marker(self) -> Path:
        return self.directory / "complete.json"

    def sample_review(self) -> str:
        """A review from the middle of the log."""
        return review_reference(json.loads(self.marker.read_text())["reviews"] // 2)

    def open(self) -> Application:
        return Application(self.url, self.kek)


def review_reference(index: int) -> str:
    return f"NLR-{index:07d}"


class _Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 1, 6, tzinfo=UTC)

    def now(self) -> datetime:
        self.moment += timedelta(milliseconds=1)
        return self.moment


def bench_store(events: int, *, directory: Path = VAR_BENCH, quiet: bool = False) -> BenchStore:
    """The store of (at least) `events` events: reused when a complete one exists, else generated."""
    store = BenchStore(events, directory / f"store-{events}")
    if store.marker.exists() and store.database.exists():
        return store
    shutil.rmtree(store.directory, ignore_errors=True)
    store.directory.mkdir(parents=True)
    app = Application(store.url, store.kek, create_kek=True, clock=_Clock())
    try:
        reviews = _generate(app, events, Progress(f"generating {events:,} events", events, enabled=not quiet))
        stored = int(app.db.recorder.max_notification_id() or 0)
    finally:
        app.close()
    store.marker.write_text(json.dumps({"events": stored, "reviews": reviews}) + "\n")
    return store


def _generate(app: Application, events: int, progress: Progress) -> int:
    app.initialise(ORIGIN)
    app.register_person("log", "admin", "Bench Administrator", (Role.ADMINISTRATOR, Role.CPC_OFFICER))
    for n in range(1, OFFICERS + 1):
        app.register_person("admin", f"officer-{n}", f"Bench Officer {n}", (Role.CPC_OFFICER,))
    written = int(app.db.recorder.max_notification_id() or 0)
    reviews = math.ceil((events - written) / REVIEW_EVENTS)
    writers = os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(
            target=write_reviews, args=(app.db.url.describe(), str(app.kek_file), w, writers, reviews)
        )
        for w in range(writers)
    ]
    for process in processes:
        process.start()
    with progress:
        progress.advance(written)
        while any(process.is_alive() for process in processes):
            time.sleep(1)
            progress.advance(int(app.db.recorder.max_notification_id() or 0) - progress.done)
    if any(process.exitcode != 0 for process in processes):
        raise RuntimeError("a writer process failed while generating benchmark data")
    return reviews


def write_reviews(url: str, kek: str, writer: int, writers: int, reviews: int) -> None:
    """Write reviews writer, writer + writers, ... below `reviews`, one append each."""
    configure_logging()
    app = Application(url, Path(kek), clock=_Clock())
    try:
        officers = [f"officer-{n}" for n in range(1, OFFICERS + 1)]
        acting = {officer: app.acting(officer) for officer in officers}
        for index in range(writer, reviews, writers):
            officer = officers[index % OFFICERS]
            review = _review(review_reference(index), acting[officer], REVIEW_EVENTS, app.clock.now())
            app.ledger.append(review.reference, 0, review.collect_events(), officer, app.clock.now())
    finally:
        app.close()


def _review(reference: str, acting: Acting, count: int, at: datetime) -> NationalReview:
    """A review of `count` events (at least 2), recorded by the domain's own rules."""
    review = NationalReview(reference)
    review.execute(
        ReceiveNotification(
            subject_group="child",
            received_on=ON,
            subject=PersonDetails(subject_id="S-CHILD", name="Ellie Rendall", date_of_birth=date(2022, 4, 2)),
            notifier=PractitionerDetails(subject_id="S-NOTIFIER", name="Karen Spence", agency="Social work"),
            reasons="Admitted to hospital after a long period of neglect at home.",
        ),
        acting,
        at,
    )
    review.execute(PassToNominatedPerson(passed_on=ON, nominee=acting.actor), acting, at)
    agency = 0
    while review.version < count:
        agency += 1
        name = f"Agency {agency}"
        review.execute(RequestInformation(agencies=(name,), requested_on=ON), acting, at)
        if agency % RETURN_EVERY == 0 and review.version < count:
            review.execute(
                RecordAgencyReturn(
                    agency=name,
                    received_on=ON,
                    author="S-NOTIFIER",
                    involvement=f"{name} saw the family weekly.",
                    initial_reflection=f"{name} could have shared its concerns sooner.",
                ),
                acting,
                at,
            )
    return review
