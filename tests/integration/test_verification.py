"""Verification spread over worker processes finds exactly what one process finds, at the same places.

The pool is normally used only for large logs; here it is forced onto a small one, with tiny
batches so that several are in flight at once, and its report is compared with the report of
one process reading in the usual batches, on an intact log and on a log tampered with in
several ways at once.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from adapters.app.application import Application
from adapters.app.progress import Progress
from adapters.cli import main
from adapters.store.mapper import decode_state
from adapters.store.verification import verify_ledger
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.roles import Role


def _subject(app: Application, subject_id: str) -> None:
    app.execute(
        DataSubject,
        subject_stream(subject_id),
        "officer",
        RegisterSubject(
            subject_id=subject_id,
            category=SubjectCategory.CHILD,
            name="Jamie Example",
            date_of_birth=date(2015, 4, 1),
        ),
    )


@pytest.fixture
def history(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.register_person("admin", "records", "Isla Flett", (Role.RECORDS_MANAGER,))
    for n in range(1, 9):
        _subject(app, f"S-{n}")
        if n == 4:
            app.rotate_key("admin", "officer")
    app.dispose(subject_stream("S-2"), "retention test rule", "records")
    return app


def _both_ways(app: Application) -> dict[str, Any]:
    alone = verify_ledger(app.ledger, workers=0).as_json()
    pooled = verify_ledger(app.ledger, workers=2, batch=3).as_json()
    assert pooled == alone
    return alone


def _sql(app: Application, statement: str, **params: Any) -> None:
    with app.db.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def _row(app: Application, stream: str, version: int) -> Any:
    column = app.db.notification_column()
    with app.db.engine.connect() as conn:
        return conn.execute(
            sa.text(
                f"SELECT {column} AS nid, state, topic FROM stored_events "
                "WHERE originator_id = :s AND originator_version = :v"
            ),
            {"s": stream, "v": version},
        ).one()


def test_an_intact_log_is_intact_both_ways(history: Application) -> None:
    report = _both_ways(history)
    assert report["intact"] and report["events"] == report["tree_size"] > 15


def test_a_log_tampered_with_in_several_ways_gives_the_same_report_both_ways(history: Application) -> None:
    app, column = history, history.db.notification_column()
    # A payload byte changed.
    row = _row(app, subject_stream("S-1"), 1)
    state = bytearray(row.state)
    record = decode_state(subject_stream("S-1"), 1, row.topic, bytes(row.state))
    state[bytes(state).index(record.payload) + 5] ^= 1
    _sql(app, f"UPDATE stored_events SET state = :st WHERE {column} = :n", st=bytes(state), n=row.nid)
    # A signature changed, after the key was rotated.
    row = _row(app, subject_stream("S-6"), 1)
    record = decode_state(subject_stream("S-6"), 1, row.topic, bytes(row.state))
    state = bytearray(row.state)
    state[bytes(state).index(record.signature) + 7] ^= 1
    _sql(app, f"UPDATE stored_events SET state = :st WHERE {column} = :n", st=bytes(state), n=row.nid)
    # An event deleted, a sealed ciphertext altered, a checkpoint garbled.
    _sql(app, f"DELETE FROM stored_events WHERE {column} = :n", n=_row(app, subject_stream("S-3"), 1).nid)
    _sql(app, "UPDATE rl_sealed SET ciphertext = :c WHERE record = :r", c=b"garbled", r=subject_stream("S-7"))
    _sql(app, "UPDATE rl_checkpoints SET note = :n WHERE tree_size = 5", n="not a note\n")

    report = _both_ways(app)
    problems = {f["problem"] for f in report["failures"]}
    assert {
        "payload does not match its signed digest",
        "signature does not verify",
        "event logged at this position is missing from the store",
        "a sealed ciphertext does not match its digest",
        "sealed personal data is missing and no disposal is recorded",
    } <= problems
    assert any(p.startswith("stored checkpoint: ") for p in problems)


def test_verifying_reports_its_progress(history: Application) -> None:
    log = io.StringIO()
    report = verify_ledger(history.ledger, progress=Progress("verify", stream=log, line_every=0))
    assert log.getvalue().splitlines()[-1].startswith(f"verify: {report.events}/{report.events} (100%)")


def test_the_command_line_shows_progress_on_stderr_unless_asked_to_be_quiet(
    history: Application, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek")]
    assert main([*base, "verify"]) == 0
    assert "verify: " in capsys.readouterr().err
    assert main([*base, "verify", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    out = str(tmp_path / "bundle.zip")
    assert main([*base, "bundle", "export", "--out", out, "--review", subject_stream("S-1")]) == 0
    assert "bundle export: " in capsys.readouterr().err
