"""Several processes writing to one store at once: nothing lost, nothing doubled, the log intact.

Real writer processes (tests/integration/writer_process.py) work on one SQLite file and on
one PostgreSQL database at the same time, on the same review and on reviews of their own,
retrying every step that someone else's step overtook.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
import structlog

from adapters.app.application import Application, retrying
from adapters.store.database import Database, DatabaseUrl, StoreBusy
from adapters.store.keystore import default_log_kek_file, load_kek
from adapters.store.ledger import Ledger
from adapters.store.verification import verify_ledger
from domain.governance.subjects import SubjectCategory, SubjectRegistered, subject_stream
from domain.kernel.errors import ConcurrentChange
from domain.kernel.event import ItemKind, personal
from domain.kernel.roles import Role
from domain.routes.national.events import InformationRequested
from tests.integration.review_steps import ON, open_review, request_information
from tests.integration.writer_process import SHARED_REVIEW, officer, own_review

ROOT = Path(__file__).resolve().parents[2]


def test_a_step_overtaken_by_someone_else_is_run_again_until_it_goes_through() -> None:
    attempts: list[int] = []

    def step() -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 3:
            raise ConcurrentChange("NLR-2026-001")
        return "recorded"

    assert retrying(step) == "recorded"
    assert attempts == [1, 2, 3]


def test_a_step_that_keeps_conflicting_gives_up_with_the_conflict() -> None:
    def step() -> str:
        raise ConcurrentChange("NLR-2026-001")

    with pytest.raises(ConcurrentChange, match="changed by someone else"):
        retrying(step, attempts=3)


# -- a writer kept waiting ---------------------------------------------------------------------

REVIEW = "NLR-2026-301"


@contextmanager
def _held(db_url: str, lock: str) -> Iterator[None]:
    """Another writer holding a lock: SQLite's one write lock, or a PostgreSQL table or row lock."""
    url = DatabaseUrl.parse(db_url)
    if url.kind == "sqlite":
        sqlite_conn = sqlite3.connect(url.path, isolation_level=None)
        sqlite_conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            sqlite_conn.rollback()
            sqlite_conn.close()
        return
    with psycopg.connect(db_url) as pg_conn:
        pg_conn.execute(lock)
        try:
            yield
        finally:
            pg_conn.rollback()


def _impatient_ledger(db_url: str, tmp_path: Path) -> Ledger:
    """A second writer on the same store that gives up waiting for a lock after one second."""
    kek, _ = load_kek(tmp_path / "kek", create=False)
    log_kek, _ = load_kek(default_log_kek_file(tmp_path / "kek"), create=False)
    return Ledger(Database(db_url, lock_timeout=1), kek, log_kek)


def _register(ledger: Ledger, subject_id: str) -> list[int]:
    at = datetime.now(UTC)
    name = personal("Ellie Rendall", subject_id, kind=ItemKind.NAME)
    event = SubjectRegistered(subject_id=subject_id, category=SubjectCategory.CHILD, name=name, at=at)
    return ledger.append(subject_stream(subject_id), 0, [event], "officer", at)


def _request(ledger: Ledger, agency: str) -> list[int]:
    at = datetime.now(UTC)
    event = InformationRequested(at=at, role=Role.CPC_OFFICER, agencies=(agency,), requested_on=ON)
    return ledger.append(REVIEW, ledger.stream_version(REVIEW), [event], "officer", at)


@pytest.fixture
def review(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    open_review(app, REVIEW, "officer")
    return app


def test_a_store_kept_locked_by_another_writer_gives_a_retryable_error_and_writes_nothing(
    review: Application, db_url: str, tmp_path: Path
) -> None:
    ledger = _impatient_ledger(db_url, tmp_path)
    try:
        with (
            _held(db_url, "LOCK TABLE rl_data_keys IN EXCLUSIVE MODE"),
            pytest.raises(StoreBusy, match=r"stayed locked by other writers.*nothing was written"),
        ):
            _register(ledger, "S-1")
        assert ledger.stream_version(subject_stream("S-1")) == 0
        # It is a ConcurrentChange like any other: retried once the lock is gone, it goes through.
        retrying(lambda: _register(ledger, "S-1"))
        assert ledger.stream_version(subject_stream("S-1")) == 1
        assert verify_ledger(ledger).intact
    finally:
        ledger.db.close()


@pytest.fixture
def logging_to_the_real_stderr() -> Iterator[None]:
    # An earlier command-line test may have pointed the logs at a captured stream that is closed now.
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()


@pytest.mark.usefixtures("logging_to_the_real_stderr")
def test_a_step_stored_while_the_tree_is_locked_went_through_and_is_logged_by_the_next(
    review: Application, db_url: str, tmp_path: Path
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one write lock for the whole file: the tree cannot be locked apart")
    ledger = _impatient_ledger(db_url, tmp_path)
    try:
        size = ledger.tree.head().size
        with _held(db_url, "SELECT * FROM rl_tree_head WHERE id = 1 FOR UPDATE"):
            # The event is stored; logging it has to wait, so the step reports success, not a conflict.
            [stored] = _request(ledger, "NHS Orkney")
        assert ledger.tree.head().size == size
        assert ledger.tree.position_of(stored) is None
        _request(ledger, "Police Scotland")
        assert ledger.tree.head().size == size + 2
        assert verify_ledger(ledger).intact
    finally:
        ledger.db.close()


@pytest.mark.usefixtures("logging_to_the_real_stderr")
def test_a_step_recorded_while_the_read_models_are_locked_went_through_and_they_catch_up_later(
    review: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_: object, **__: object) -> int:
        raise sa.exc.OperationalError(
            "UPDATE rl_projection_tracking", {}, sqlite3.OperationalError("database is locked")
        )

    before = review.ledger.stream_version(REVIEW)
    with monkeypatch.context() as patch:
        patch.setattr(review.projections, "catch_up", locked)
        request_information(review, REVIEW, "officer", "NHS Orkney")  # no error: the step is recorded
    assert review.ledger.stream_version(REVIEW) == before + 1
    assert review.projections.catch_up() >= 1


# -- real processes ------------------------------------------------------------------------

WRITERS = 3
ROUNDS = 6


def _set_up(db_url: str, kek: Path) -> set[tuple[str, int]]:
    """A log with an administrator, one officer per writer, the shared review and one review each."""
    app = Application(db_url, kek, create_kek=True)
    try:
        app.initialise("reviewledger.test/log")
        app.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR, Role.CPC_OFFICER))
        for w in range(1, WRITERS + 1):
            app.register_person("admin", officer(w), f"Officer {w}", (Role.CPC_OFFICER,))
        open_review(app, SHARED_REVIEW, "admin")
        for w in range(1, WRITERS + 1):
            open_review(app, own_review(w), officer(w))
        return _stored(app)
    finally:
        app.close()


def _stored(app: Application) -> set[tuple[str, int]]:
    return {(str(n.originator_id), n.originator_version) for n in app.ledger.iter_notifications(0)}


def _run_writers(db_url: str, kek: Path, tmp_path: Path, plan: str) -> None:
    """Start one writer process per officer, let them all go at once, and wait for them to finish."""
    with ExitStack() as stack:
        writers = []
        for w in range(1, WRITERS + 1):
            errors = stack.enter_context((tmp_path / f"writer-{w}.err").open("w"))
            command = [sys.executable, "-m", "tests.integration.writer_process", "--db", db_url]
            command += ["--kek-file", str(kek), "--writer", str(w), "--plan", plan, "--rounds", str(ROUNDS)]
            command += ["--results", str(tmp_path / f"writer-{w}.jsonl")]
            writer = subprocess.Popen(
                command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True
            )
            writers.append(stack.enter_context(writer))
        for w, writer in enumerate(writers, start=1):
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready", (tmp_path / f"writer-{w}.err").read_text()
        for writer in writers:  # all at once
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for w, writer in enumerate(writers, start=1):
            writer.communicate(timeout=240)
            assert writer.returncode == 0, (tmp_path / f"writer-{w}.err").read_text()


@pytest.mark.slow
def test_processes_opening_one_new_store_at_the_same_moment_all_open_it(db_url: str, tmp_path: Path) -> None:
    kek = tmp_path / "kek"
    load_kek(kek, create=True)
    # Each process creates or checks the tables as it opens the store, all at once.
    _run_writers(db_url, kek, tmp_path, plan="open")


@pytest.mark.slow
def test_writers_in_several_processes_lose_nothing_double_nothing_and_leave_the_log_intact(
    db_url: str, tmp_path: Path
) -> None:
    kek = tmp_path / "kek"
    before = _set_up(db_url, kek)

    # Three officers, each in a process of their own, record steps at the same moment: on the
    # shared review, on a review of their own, and each races the others to register the same subjects.
    _run_writers(db_url, kek, tmp_path, plan="concurrent")
    lines = [
        json.loads(line)
        for w in range(1, WRITERS + 1)
        for line in (tmp_path / f"writer-{w}.jsonl").read_text().splitlines()
    ]
    assert len(lines) == WRITERS * ROUNDS * 5

    app = Application(db_url, kek)
    try:
        stored = _stored(app)
        recorded = [
            (line["stream"], version)
            for line in lines
            if line["outcome"] == "recorded"
            for version in line["versions"]
        ]
        # No two steps were stored at the same place, and the store holds exactly the steps that
        # went through: nothing lost, nothing doubled.
        assert len(set(recorded)) == len(recorded)
        assert stored - before == set(recorded)
        for stream in {s for s, _ in stored}:
            versions = sorted(v for s, v in stored if s == stream)
            assert versions == list(range(1, len(versions) + 1)), stream
        # Every step on the shared review went through in the end; each raced subject has one winner.
        assert all(line["outcome"] == "recorded" for line in lines if not line["step"].startswith("subject"))
        for i in range(ROUNDS):
            outcomes = sorted(line["outcome"] for line in lines if line["step"] == f"subject S-RACE-{i}")
            assert outcomes == ["recorded"] + ["refused"] * (WRITERS - 1)
        # The writers themselves left the tree and its checkpoints covering every event.
        assert app.ledger.tree.head().size == len(stored)
        latest = app.ledger.tree.latest_checkpoint()
        assert latest is not None and int(latest.splitlines()[1]) == len(stored)
        report = verify_ledger(app.ledger)
        assert report.intact, report.failures
        assert report.events == report.tree_size == len(stored)
    finally:
        app.close()
