"""Benchmark stores of N signed events, generated once under var/bench/ and reused while complete.

Each review is a National Learning Review taken through the real domain: a notification is
received and passed on, then information is requested from agency after agency and every
tenth agency's return is recorded (sealed personal data). All the events of one review are
signed, sealed, stored and logged by ONE `Ledger.append`, the fastest honest path: the same
signing, sealing, storing and Merkle logging as a command, but one transaction and one
checkpoint per review (a hundred events) instead of one per command. One writer process per
core shares the reviews out, as several officers' processes would.

Each review is about its own people, as real reviews are: review i's child is S-{i}-CHILD and
its notifier S-{i}-NOTIFIER, with names and dates of birth varied by i, while the practitioner
who writes an agency's return (S-P-{i // PRACTITIONER_SHARE}-{agency}) writes it for
PRACTITIONER_SHARE neighbouring reviews. A store of N events thus holds about N / 40 data
subjects, a few dozen index items each, and a subject search finds one person's items rather
than everybody's.

`complete.json` records the GENERATOR version; a store written by another version (or left
half-written) is generated again.
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

from adapters.app.application import Application
from adapters.app.logging import configure_logging
from adapters.app.progress import Progress
from domain.kernel.roles import Acting, Role
from domain.routes.national.commands import (
    PassToNominatedPerson,
    ReceiveNotification,
    RecordAgencyReturn,
    RequestInformation,
)
from domain.routes.national.forms import PersonDetails, PractitionerDetails
from domain.routes.national.review import NationalReview

VAR_BENCH = Path(__file__).resolve().parent.parent / "var" / "bench"
ORIGIN = "bench.reviewledger/log"
REVIEW_EVENTS = 100
RETURN_EVERY = 10  # one request in ten is followed by the agency's (sealed) return
OFFICERS = 4
ON = date(2026, 1, 5)
PRACTITIONER_SHARE = 4  # neighbouring reviews whose agency returns the same practitioner writes
# What the stores hold and how: a store marked with another version is generated again.
GENERATOR = 2
FIRST_NAMES = (
    "Ellie", "Jamie", "Callum", "Isla", "Robin", "Morven", "Ewan", "Freya", "Lewis", "Skye",
    "Finlay", "Orla", "Rory", "Ailsa", "Magnus", "Kirsty", "Struan", "Eilidh", "Fraser", "Catriona",
)  # fmt: skip
SURNAMES = (
    "Rendall", "Flett", "Drever", "Sinclair", "Spence", "Linklater", "Harcus", "Rousay", "Tulloch",
    "Muir", "Isbister", "Corrigall", "Scollay", "Hourston", "Firth", "Clouston", "Wishart",
)  # fmt: skip
AGENCIES = ("Social work", "Health visiting", "Police Scotland", "Education", "GP practice", "SCRA")


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

    def complete(self) -> bool:
        """Whether a store of this generator's version was written here to the end."""
        if not (self.marker.exists() and self.database.exists()):
            return False
        try:
            marker = json.loads(self.marker.read_text())
        except ValueError:
            return False
        return isinstance(marker, dict) and marker.get("generator") == GENERATOR

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
    if store.complete():
        return store
    shutil.rmtree(store.directory, ignore_errors=True)
    store.directory.mkdir(parents=True)
    app = Application(store.url, store.kek, create_kek=True, clock=_Clock())
    try:
        reviews = _generate(app, events, Progress(f"generating {events:,} events", events, enabled=not quiet))
        stored = int(app.db.recorder.max_notification_id() or 0)
    finally:
        app.close()
    marker = {"generator": GENERATOR, "events": stored, "reviews": reviews}
    store.marker.write_text(json.dumps(marker) + "\n")
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
            review = _review(index, acting[officer], REVIEW_EVENTS, app.clock.now())
            app.ledger.append(review.reference, 0, review.collect_events(), officer, app.clock.now())
    finally:
        app.close()


def person_name(index: int) -> str:
    """A name for person `index`, varied enough that names do not line up with reviews."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    return f"{first} {SURNAMES[(index * 7 + index // len(FIRST_NAMES)) % len(SURNAMES)]}"


def child(index: int) -> PersonDetails:
    return PersonDetails(
        subject_id=f"S-{index}-CHILD",
        name=person_name(2 * index),
        date_of_birth=date(2008, 1, 1) + timedelta(days=(index * 37) % 5800),
    )


def notifier(index: int) -> PractitionerDetails:
    return PractitionerDetails(
        subject_id=f"S-{index}-NOTIFIER",
        name=person_name(2 * index + 1),
        agency=AGENCIES[index % len(AGENCIES)],
    )


def return_author(index: int, agency: int) -> str:
    """The practitioner who writes `agency`'s return for review `index` (shared by a few reviews)."""
    return f"S-P-{index // PRACTITIONER_SHARE}-{agency}"


def _review(index: int, acting: Acting, count: int, at: datetime) -> NationalReview:
    """Review `index`, of `count` events (at least 2), recorded by the domain's own rules."""
    review = NationalReview(review_reference(index))
    review.execute(
        ReceiveNotification(
            subject_group="child",
            received_on=ON,
            subject=child(index),
            notifier=notifier(index),
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
                    author=return_author(index, agency),
                    involvement=f"{name} saw the family weekly.",
                    initial_reflection=f"{name} could have shared its concerns sooner.",
                ),
                acting,
                at,
            )
    return review
