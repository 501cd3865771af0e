"""Several processes writing to one store at once: nothing lost, nothing doubled, the log intact.

Real writer processes (tests/integration/writer_process.py) work on one SQLite file and on
one PostgreSQL database at the same time, on the same review and on reviews of their own,
retrying every step that someone else's step overtook.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.application import Application, retrying
from adapters.verification import verify_ledger
from domain.errors import ConcurrentChange
from domain.roles import Role
from tests.integration.review_steps import open_review
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


def _start_writers(db_url: str, kek: Path, tmp_path: Path) -> list[subprocess.Popen[str]]:
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.writer_process",
                "--db",
                db_url,
                "--kek-file",
                str(kek),
                "--writer",
                str(w),
                "--results",
                str(tmp_path / f"writer-{w}.jsonl"),
                "--plan",
                "concurrent",
                "--rounds",
                str(ROUNDS),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for w in range(1, WRITERS + 1)
    ]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    for writer in writers:  # all at once
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    return writers


@pytest.mark.slow
def test_writers_in_several_processes_lose_nothing_double_nothing_and_leave_the_log_intact(
    db_url: str, tmp_path: Path
) -> None:
    kek = tmp_path / "kek"
    before = _set_up(db_url, kek)

    # Three officers, each in a process of their own, record steps at the same moment: on the
    # shared review, on a review of their own, and each races the others to register the same subjects.
    writers = _start_writers(db_url, kek, tmp_path)
    for writer in writers:
        writer.communicate(timeout=240)
        assert writer.returncode == 0
    lines = [
        json.loads(line)
        for w in range(1, WRITERS + 1)
        for line in (tmp_path / f"writer-{w}.jsonl").read_text().splitlines()
    ]
    assert len(lines) == WRITERS * ROUNDS * 5

    app = Application(db_url, kek)
    try:
        stored = _stored(app)
        recorded = [(line["stream"], line["version"]) for line in lines if line["outcome"] == "recorded"]
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
