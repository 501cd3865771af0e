"""A writer stopped dead at any moment leaves a store that verifies and catches up by itself.

First the recovery paths one at a time (a disposal whose shredding never ran), then the
real thing: a writer process killed with SIGKILL at random moments, again and again, on a
SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any

import pytest

from adapters.app.application import Application
from adapters.store.verification import verify_ledger
from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.roles import Role
from projections.queries import table_rows
from tests.integration import writer_process
from tests.integration.review_steps import open_review, record_return, request_information

REVIEW = "NLR-2026-101"


@pytest.fixture
def officer(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER, Role.RECORDS_MANAGER))
    return app


def _reopen(app: Application, db_url: str, tmp_path: Path) -> Application:
    """What every command-line run does first: open, catch the tree up, finish disposals."""
    app.close()
    reopened = Application(db_url, tmp_path / "kek")
    reopened.initialise("reviewledger.test/log")
    return reopened


def _values(app: Application) -> list[str | None]:
    """The first sealed value of each event of the review that has one, as read back."""
    found: list[str | None] = []
    for recorded in app.ledger.read(REVIEW, unseal=True):
        if recorded.sealed:
            found.append("disposed" if recorded.disposed else "held")
    return found


def test_data_recorded_after_a_disposal_survives_reopening_the_store(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    open_review(officer, REVIEW, "officer")
    officer.dispose(REVIEW, "retention: test", "officer")
    request_information(officer, REVIEW, "officer", "NHS Orkney")
    record_return(officer, REVIEW, "officer", "NHS Orkney")
    assert _values(officer) == ["disposed", "held"]

    reopened = _reopen(officer, db_url, tmp_path)
    try:
        # Completing disposals on open shreds what came before the disposal, never what came after.
        assert _values(reopened) == ["disposed", "held"]
        assert verify_ledger(reopened.ledger).intact
    finally:
        reopened.close()


def _record_disposal_without_shredding(app: Application) -> None:
    """The disposal event is stored and the process stops before the data keys are destroyed."""
    at = app.clock.now()
    app.ledger.append(
        REVIEW,
        app.ledger.stream_version(REVIEW),
        [PersonalDataDisposed(rule="retention: test", authorised_by="admin", at=at)],
        "admin",
        at,
    )


def test_an_interrupted_disposal_is_completed_when_the_store_is_next_opened(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    open_review(officer, REVIEW, "officer")
    _record_disposal_without_shredding(officer)
    assert _values(officer) == ["held"]

    reopened = _reopen(officer, db_url, tmp_path)
    try:
        assert _values(reopened) == ["disposed"]
        assert verify_ledger(reopened.ledger).intact
    finally:
        reopened.close()


def test_the_next_step_after_an_interrupted_disposal_finishes_it_before_sealing_anything(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    open_review(officer, REVIEW, "officer")
    _record_disposal_without_shredding(officer)
    # Another process carries on with the review before anyone reopens the store.
    request_information(officer, REVIEW, "officer", "NHS Orkney")
    record_return(officer, REVIEW, "officer", "NHS Orkney")
    assert _values(officer) == ["disposed", "held"]

    reopened = _reopen(officer, db_url, tmp_path)
    try:
        assert _values(reopened) == ["disposed", "held"]
        assert verify_ledger(reopened.ledger).intact
    finally:
        reopened.close()


def test_a_record_disposed_of_twice_verifies_and_each_item_names_the_disposal_that_took_it(
    officer: Application,
) -> None:
    open_review(officer, REVIEW, "officer")
    officer.dispose(REVIEW, "retention: first", "officer")
    request_information(officer, REVIEW, "officer", "NHS Orkney")
    record_return(officer, REVIEW, "officer", "NHS Orkney")
    officer.dispose(REVIEW, "retention: second", "officer")
    rules = [r.disposed.rule for r in officer.ledger.read(REVIEW, unseal=True) if r.disposed]
    assert rules == ["retention: first", "retention: second"]
    assert verify_ledger(officer.ledger).intact


class _Stopped(BaseException):
    """The process stopping dead at this point."""


def test_a_log_whose_setting_up_stopped_before_its_first_event_is_finished_on_the_next_start(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Application(db_url, tmp_path / "kek", create_kek=True)

    def stop(*_: object) -> list[int]:
        raise _Stopped

    with monkeypatch.context() as patch:
        patch.setattr(first.ledger, "append", stop)
        with pytest.raises(_Stopped):
            first.initialise("reviewledger.test/log")
    first.close()

    second = Application(db_url, tmp_path / "kek")
    try:
        # Setting up again records the log's first events (the log and its ML-DSA-44 key), under
        # the Ed25519 key stored the first time.
        assert second.initialise("reviewledger.test/log") is True
        assert second.initialise("reviewledger.test/log") is False
        second.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR,))
        report = verify_ledger(second.ledger)
        assert report.intact, report.failures
        assert report.events == 4
    finally:
        second.close()


# -- a writer killed at random moments -----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "reviewledger.test/log"
KILLS = 10
# Set REVIEWLEDGER_CRASH_SEED to replay a failing run: every kill moment comes from it.
SEED = int(os.environ.get("REVIEWLEDGER_CRASH_SEED", "20260302"))


class Store:
    """The store under test, the writer's results file, and what the kills have left behind."""

    def __init__(self, db_url: str, tmp_path: Path) -> None:
        self.db_url = db_url
        self.kek = tmp_path / "kek"
        self.results = tmp_path / "results.jsonl"
        self.errors = tmp_path / "writer.err"
        self.kills = 0
        self.found_behind: Counter[str] = Counter()
        app = Application(db_url, self.kek, create_kek=True)
        try:
            app.initialise(ORIGIN)
            app.register_person(
                "log",
                "admin",
                "Morven Sinclair",
                (Role.ADMINISTRATOR, Role.CPC_OFFICER, Role.RECORDS_MANAGER),
            )
            app.register_person("admin", writer_process.officer(1), "Callum Drever", (Role.CPC_OFFICER,))
            open_review(app, writer_process.own_review(1), writer_process.officer(1))
            self.before = self._stored(app)
        finally:
            app.close()

    @staticmethod
    def _stored(app: Application) -> set[tuple[str, int]]:
        return {(str(n.originator_id), n.originator_version) for n in app.ledger.iter_notifications(0)}

    def run_writer_and_kill_it(self, after: float) -> None:
        with self.errors.open("a") as errors:
            self._run_and_kill(after, errors)
        self.kills += 1

    def _run_and_kill(self, after: float, errors: IO[str]) -> None:
        writer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.writer_process",
                "--db",
                self.db_url,
                "--kek-file",
                str(self.kek),
                "--writer",
                "1",
                "--results",
                str(self.results),
                "--plan",
                "crash",
                "--run",
                str(self.kills),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        with writer:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready", self.errors.read_text()
            time.sleep(after)
            os.kill(writer.pid, signal.SIGKILL)
            writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL, self.errors.read_text()

    def recorded(self) -> list[dict[str, Any]]:
        lines = []
        for text in self.results.read_text().splitlines():
            line = json.loads(text)
            if line["outcome"] == "recorded":
                lines.append(line)
        return lines

    def reopen_and_check(self) -> None:
        """Open the store as every command does, then check everything the kill could have broken."""
        app = Application(self.db_url, self.kek)
        try:
            stored = self._stored(app)
            if app.ledger.tree.head().size < len(stored):
                self.found_behind["tree"] += 1
            if app.projections.position() < app.projections.source.last_position():
                self.found_behind["read models"] += 1

            # Opening catches the tree and its checkpoints up and finishes an interrupted disposal;
            # the read models catch up on their own too.
            app.initialise(ORIGIN)
            app.projections.catch_up()

            report = verify_ledger(app.ledger)
            assert report.intact, report.failures
            assert app.ledger.tree.head().size == report.events == len(stored)
            latest = app.ledger.tree.latest_checkpoint()
            assert latest is not None and int(latest.splitlines()[1]) == len(stored)

            # Every step the writer saw go through is stored; at most one step per kill went
            # through unseen (it was stored, and the writer died before it could say so).
            recorded = {
                (str(line["stream"]), int(version))
                for line in self.recorded()
                for version in line["versions"]
            }
            assert recorded <= stored
            assert len(stored - self.before - recorded) <= self.kills * writer_process.BATCH

            # A command's events are stored all together or not at all.
            review = writer_process.own_review(1)
            batches = Counter(
                agency.rsplit("-", 1)[0]
                for r in app.ledger.read(review)
                for agency in getattr(r.event, "agencies", ())
                if f"of{writer_process.BATCH}" in agency
            )
            assert set(batches.values()) <= {writer_process.BATCH}, batches

            # The read models caught up step by step are exactly what a rebuild makes.
            with app.db.reader.connect() as conn:
                caught_up = table_rows(conn)
            app.projections.rebuild()
            with app.db.reader.connect() as conn:
                assert table_rows(conn) == caught_up
        finally:
            app.close()


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_leaves_a_store_that_verifies_and_catches_up(
    db_url: str, tmp_path: Path
) -> None:
    backend = db_url.split(":", 1)[0]
    moments = random.Random(f"{SEED}-{backend}")
    store = Store(db_url, tmp_path)
    for kill in range(KILLS):
        after = moments.uniform(0.05, 0.8)
        store.run_writer_and_kill_it(after)
        try:
            store.reopen_and_check()
        except AssertionError as error:
            raise AssertionError(
                f"after kill {kill + 1} ({after:.3f} s into the run; REVIEWLEDGER_CRASH_SEED={SEED}): {error}"
            ) from error
    # The writer got on with its work between kills, and it was stopped with work in hand.
    assert len(store.recorded()) >= KILLS
    print(f"{backend}: {KILLS} kills; found behind after a kill: {dict(store.found_behind)}")
