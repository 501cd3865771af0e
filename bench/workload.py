"""Stores shaped like use: reviews written one command at a time, interleaved, as officers work.

Each command goes through `Application.execute` (or `Application.dispose`), exactly as the
command line and the API run it: authority, replaying the record, the rules, one append in
one transaction with its own signed checkpoint, then the read models. One writer process per
core keeps ACTIVE reviews open at once and takes the next step of each in turn, so the steps
of different reviews interleave in the log. A review's script:

    notification received (sealed: the child's and the notifier's names and dates), passed on;
    information requested from agency after agency, each agency's return recorded (sealed free
    text); then the nominated person's recommendation and the committee's decision to proceed
    (signed decisions): about ROUNDS_EVENTS events.

Every SUBJECT_EVERY-th review also registers a data subject of its own on the subject's stream
and the records manager disposes of that entry (a signed disposal, its data crypto-shredded),
and every SAR_EVERY-th review's child makes a subject access request (a SAR file: received,
searched). `use_store(n)` writes a store of (at least) n events once under var/bench/ and reuses
it while complete; `complete.json` records WORKLOAD, and a store written by another version is
written again.

The log is what the commands write, byte for byte in shape: each step is checked against the
authority table, run by the review's own rules, its narrative texts widened to the people they
name, and stored by one `Ledger.append` in its own transaction with its own signed checkpoint.
To write 10^6 events in minutes rather than hours, a writer keeps each open review in memory
between its steps instead of replaying it from the store before each, and the read models are
brought up to date once, at the end, rather than after every step (catching up in one batch
writes the same rows; tests/integration/test_bench_workload.py compares the two). Disposals and
subject access requests run as whole commands. What a whole command costs, replay and read
models included, is the command-append benchmark's to measure (bench/use.py).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from adapters.app.application import Application
from adapters.app.logging import configure_logging
from adapters.app.progress import Progress
from bench.data import VAR_BENCH, BenchStore, child, notifier, person_name, review_reference
from domain.governance.sar.steps import (
    Capacity,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
)
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.command import Command
from domain.kernel.roles import Role
from domain.routes.national.commands import (
    DecideToProceed,
    MakeRecommendation,
    PassToNominatedPerson,
    ReceiveNotification,
    RecordAgencyReturn,
    RequestInformation,
)
from domain.routes.national.review import NationalReview

ORIGIN = "bench.reviewledger/log"
WORKLOAD = 2  # what the stores hold and how: a store marked with another version is written again
ACTIVE = 20  # reviews each writer has open at once
ROUNDS_EVENTS = 40  # events of a review's script (about)
SUBJECT_EVERY = 10
SAR_EVERY = 25
ON = date(2026, 1, 5)
OFFICERS = 4


@dataclass(frozen=True)
class NationalStep:
    """One command of a review's script: run whole by `app.execute`, or on the review a writer holds."""

    actor: str
    reference: str
    command: Command

    def __call__(self, app: Application) -> object:
        return app.execute(NationalReview, self.reference, self.actor, self.command)


Step = tuple[str, Callable[[Application], object]]


def use_store(events: int, *, directory: Path = VAR_BENCH, quiet: bool = False) -> BenchStore:
    """The use-shaped store of (at least) `events` events: reused when complete, else written."""
    store = BenchStore(events, directory / f"use-{events}")
    if _complete(store):
        return store
    shutil.rmtree(store.directory, ignore_errors=True)
    store.directory.mkdir(parents=True)
    app = Application(store.url, store.kek, create_kek=True, clock=_Clock(0))
    try:
        _people(app)
        written = int(app.db.recorder.max_notification_id() or 0)
    finally:
        app.close()
    writers = os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=write_commands, args=(store.url, str(store.kek), w, writers, events))
        for w in range(writers)
    ]
    for process in processes:
        process.start()
    progress = Progress(f"writing {events:,} events one command at a time", events, enabled=not quiet)
    with progress:
        progress.advance(written)
        while any(process.is_alive() for process in processes):
            time.sleep(1)
            progress.advance(_stored(store) - progress.done)
    if any(process.exitcode != 0 for process in processes):
        raise RuntimeError("a writer process failed while writing the benchmark store")
    app = store.open()
    try:
        app.projections.catch_up()
    finally:
        app.close()
    marker = {"workload": WORKLOAD, "events": _stored(store), "reviews": _reviews(store)}
    store.marker.write_text(json.dumps(marker) + "\n")
    return store


def _complete(store: BenchStore) -> bool:
    if not (store.marker.exists() and store.database.exists()):
        return False
    try:
        marker = json.loads(store.marker.read_text())
    except ValueError:
        return False
    return isinstance(marker, dict) and marker.get("workload") == WORKLOAD


def _stored(store: BenchStore) -> int:
    app = store.open()
    try:
        return int(app.db.recorder.max_notification_id() or 0)
    finally:
        app.close()


def _reviews(store: BenchStore) -> int:
    from projections.queries import list_reviews

    app = store.open()
    try:
        with app.db.reader.connect() as conn:
            return len(list_reviews(conn))
    finally:
        app.close()


def sample_review(store: BenchStore) -> str:
    """A review from the middle of the log whose script ran to its end, so that every store
    offers a review of the same length (the reviews still open when a store was full are shorter)."""
    from projections.queries import list_reviews

    app = store.open()
    try:
        with app.db.reader.connect() as conn:
            reviews = list_reviews(conn)
    finally:
        app.close()
    longest = max(r.version for r in reviews)
    complete = [r.reference for r in reviews if r.version == longest]
    return complete[len(complete) // 2]


class _Clock:
    """Each writer's own time, a millisecond on at every reading, all within the same days."""

    def __init__(self, writer: int) -> None:
        self.moment = datetime(2026, 1, 6, tzinfo=UTC) + timedelta(microseconds=writer)

    def now(self) -> datetime:
        self.moment += timedelta(milliseconds=1)
        return self.moment


def _people(app: Application) -> None:
    app.initialise(ORIGIN)
    app.register_person("log", "admin", "Bench Administrator", (Role.ADMINISTRATOR,))
    for n in range(1, OFFICERS + 1):
        app.register_person("admin", f"officer-{n}", f"Bench Officer {n}", (Role.CPC_OFFICER,))
    app.register_person("admin", "chair", "Bench Committee Chair", (Role.CPC,))
    app.register_person("admin", "records", "Bench Records Manager", (Role.RECORDS_MANAGER, Role.IG_OFFICER))


def write_commands(url: str, kek: str, writer: int, writers: int, events: int) -> None:
    """Take the next step of each open review in turn until the store holds `events` events."""
    configure_logging()
    app = Application(url, Path(kek), clock=_Clock(writer))
    held = _HeldReviews(app)
    try:
        scripts: list[Iterator[Step]] = []
        index = writer
        commands = 0
        while True:
            while len(scripts) < ACTIVE:
                scripts.append(review_script(index))
                index += writers
            for script in list(scripts):
                step = next(script, None)
                if step is None:
                    scripts.remove(script)
                    continue
                action = step[1]
                if isinstance(action, NationalStep):
                    held.run(action)
                else:
                    action(app)
                commands += 1
            if commands % 50 < len(scripts) and int(app.db.recorder.max_notification_id() or 0) >= events:
                return
    finally:
        app.close()


class _HeldReviews:
    """The open reviews of one writer, kept between their steps: each step runs as
    `Application.record_steps` runs it, on the review in memory, leaving the read models to catch up."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.reviews: dict[str, NationalReview] = {}

    def run(self, step: NationalStep) -> None:
        from adapters.app.authority import require_command

        app = self.app
        moment = app.clock.now()
        acting = app.acting(step.actor)
        require_command(NationalReview, step.command, acting, step.reference)
        review = self.reviews.get(step.reference) or NationalReview.replay(step.reference, [])
        self.reviews[step.reference] = app.record_on(review, acting, (step.command,), moment).record


def review_script(index: int) -> Iterator[Step]:
    """The commands of review `index`, in order, each as (who, what it runs)."""
    reference = review_reference(index)
    officer = f"officer-{index % OFFICERS + 1}"

    def national(actor: str, command: Command) -> Step:
        return actor, NationalStep(actor, reference, command)

    yield national(
        officer,
        ReceiveNotification(
            subject_group="child",
            received_on=ON,
            subject=child(index),
            notifier=notifier(index),
            reasons="Admitted to hospital after a long period of neglect at home.",
        ),
    )
    yield national(officer, PassToNominatedPerson(passed_on=ON, nominee=officer))
    for round_ in range(1, (ROUNDS_EVENTS - 4) // 2 + 1):
        agency = f"Agency {round_}"
        yield national(officer, RequestInformation(agencies=(agency,), requested_on=ON))
        yield national(
            officer,
            RecordAgencyReturn(
                agency=agency,
                received_on=ON,
                author=f"S-{index}-NOTIFIER",
                involvement=f"{agency} saw the family weekly; {person_name(2 * index)} was often absent.",
                initial_reflection=f"{agency} could have shared its concerns sooner.",
            ),
        )
    yield national(
        officer,
        MakeRecommendation(
            recommendation="proceed",
            made_on=ON,
            reasons="Significant harm; several agencies involved.",
            proposed_terms_of_reference="How agencies recognised and responded to neglect.",
        ),
    )
    yield national("chair", DecideToProceed(decided_on=ON, basis="The criteria are met."))
    if index % SUBJECT_EVERY == 0:
        yield from _subject_disposed(index)
    if index % SAR_EVERY == 0:
        yield from _subject_access_request(index)


def _subject_disposed(index: int) -> Iterator[Step]:
    subject = f"S-{index}-ENTRY"
    stream = subject_stream(subject)
    register = RegisterSubject(
        subject_id=subject, category=SubjectCategory.OTHER, name=person_name(3 * index + 1)
    )
    yield "records", lambda app: app.execute(DataSubject, stream, "records", register)
    yield "records", lambda app: app.dispose(stream, "retention: bench", "records")


def _subject_access_request(index: int) -> Iterator[Step]:
    from adapters.governance.sar import requests as sar

    reference = f"SAR-{index:07d}"
    requester = child(index)
    receive = ReceiveSubjectAccessRequest(
        received_on=ON,
        channel=RequestChannel.EMAIL,
        requester_id=requester.subject_id,
        subject_id=requester.subject_id,
        capacity=Capacity.DATA_SUBJECT,
        requester_name=person_name(2 * index),
        request="Everything the council holds about me.",
    )
    search = RecordSearch(
        searched_on=ON,
        records=(SearchAnswers(record=review_reference(index), what="every item about the requester"),),
    )
    yield "records", lambda app: sar.open_request(app, reference, "records", receive)
    yield "records", lambda app: sar.step(app, reference, "records", search)
