"""Reads check what they read: a value altered in the store is shown as "altered — failed verification".

A national review is recorded up to the committee's decision to proceed; then, behind the
application's back, the decision's date is changed in the stored payload (or its sealed basis
in the vault). Every view that would show it (the API's trail, state and history, the command
line's trail and state, the trail page) shows the marker and never the altered value, on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from adapters import cli
from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.app.views import RecordFailedVerification
from adapters.demo import SCRIPTS, START
from adapters.governance.publication import render_publication
from adapters.store.mapper import decode_state, encode_state
from audit.envelope import Envelope
from domain.governance.subjects import DataSubject, subject_stream
from domain.routes.national.commands import DecideToProceed
from projections.model import ALTERED
from tests.http.api_support import Api, ThreadSafeClock, serving, set_up_store
from tests.web.support import Browser

REVIEW = "LR-2026-001"
ALTERED_DATE = "2025-12-25"


def _recorded(settings: Settings, clock: ThreadSafeClock) -> None:
    """The demonstration's national review up to the decision to proceed."""
    set_up_store(settings.db_url, settings.kek_file, clock)
    app = Application(settings.db_url, settings.kek_file, clock=clock)
    try:
        national = importlib.import_module(SCRIPTS[0])
        for subject in national.SUBJECTS:
            app.execute(DataSubject, subject_stream(subject.subject_id), "cpc-officer", subject)
        for step in national.steps(START):
            if step.reference != REVIEW or step.refused:
                continue
            clock.set(step.at)
            app.execute(step.record_type, step.reference, step.actor, step.command)
            if isinstance(step.command, DecideToProceed):
                break
    finally:
        app.close()


def _decision_row(app: Application) -> Any:
    col = app.db.notification_column()
    with app.db.engine.connect() as conn:
        return conn.execute(
            sa.text(
                f"SELECT {col} AS nid, originator_id, originator_version, topic, state FROM stored_events "
                "WHERE originator_id = :s AND topic = :t"
            ),
            {"s": REVIEW, "t": "national.decision-to-proceed-recorded"},
        ).one()


def _alter_the_date(settings: Settings, clock: ThreadSafeClock) -> str:
    """Change the decision's date in its stored payload; return the date it was signed with."""
    app = Application(settings.db_url, settings.kek_file, clock=clock)
    try:
        row = _decision_row(app)
        record = decode_state(row.originator_id, row.originator_version, row.topic, bytes(row.state))
        start = record.payload.index(b'"decided_on":"') + len(b'"decided_on":"')
        signed = record.payload[start : start + 10].decode()
        payload = record.payload[:start] + ALTERED_DATE.encode() + record.payload[start + 10 :]
        altered = encode_state(record.__class__(**{**_fields(record), "payload": payload}))
        with app.db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"UPDATE stored_events SET state = :state WHERE {app.db.notification_column()} = :nid"
                ),
                {"state": altered, "nid": row.nid},
            )
        return signed
    finally:
        app.close()


def _fields(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__struct_fields__}


def _alter_the_sealed_basis(settings: Settings, clock: ThreadSafeClock) -> None:
    """Flip one byte of the sealed ciphertext of the decision's basis, in the vault."""
    app = Application(settings.db_url, settings.kek_file, clock=clock)
    try:
        row = _decision_row(app)
        record = decode_state(row.originator_id, row.originator_version, row.topic, bytes(row.state))
        digest = Envelope.parse(record.envelope).sealed
        assert digest is not None
        with app.db.engine.begin() as conn:
            [stored] = conn.execute(
                sa.text("SELECT ciphertext FROM rl_sealed WHERE digest = :d"), {"d": digest}
            ).one()
            ciphertext = bytearray(bytes(stored))
            ciphertext[-1] ^= 0x01
            conn.execute(
                sa.text("UPDATE rl_sealed SET ciphertext = :c WHERE digest = :d"),
                {"c": bytes(ciphertext), "d": digest},
            )
    finally:
        app.close()


@pytest.fixture
def tampered(db_url: str, tmp_path: Path) -> Iterator[tuple[Api, str]]:
    with serving(db_url, tmp_path, prepare=_recorded) as api:
        signed = _alter_the_date(api.settings, api.clock)
        yield api, signed


def _json(api: Api, path: str, **params: str) -> tuple[str, Any]:
    response = api.as_("cpc-officer").get(path, params=params)
    assert response.status_code == 200, response.text
    return response.text, response.json()


@pytest.mark.slow
def test_an_altered_date_is_shown_as_altered_through_the_api_the_command_line_and_a_page(
    tampered: tuple[Api, str], capsys: pytest.CaptureFixture[str]
) -> None:
    api, signed = tampered
    assert signed != ALTERED_DATE
    # The API: the trail marks the decision and withholds what it says; the state stops before it.
    text, trail = _json(api, f"/reviews/{REVIEW}/trail")
    [decision] = [d for d in trail if d["what"] == "decision whether to proceed"]
    assert decision["signature"].startswith("invalid: ")
    assert decision["outcome"] == ALTERED and decision["decided_on"] is None
    assert all(b["text"] == ALTERED for b in decision["basis"])
    assert ALTERED_DATE not in text
    text, state = _json(api, f"/reviews/{REVIEW}/state")
    assert state["verification"].startswith(f"{ALTERED}: version {decision['version']} ")
    assert state["version"] == decision["version"] - 1
    assert ALTERED_DATE not in text
    text, history = _json(api, f"/reviews/{REVIEW}/history")
    [event] = [e for e in history["events"] if e["version"] == decision["version"]]
    assert event["verification"] == f"{ALTERED}: the payload differs from its signed digest"
    assert event["event"]["decided_on"] == ALTERED
    assert ALTERED_DATE not in text
    text, _ = _json(api, f"/reviews/{REVIEW}/timeline")
    assert ALTERED_DATE not in text
    text, _ = _json(api, f"/reviews/{REVIEW}/diff", **{"from": "2026-01-01"})
    assert ALTERED_DATE not in text
    text, _ = _json(api, f"/reviews/{REVIEW}/terms")
    assert ALTERED_DATE not in text

    # The command line.
    base = ["--db", api.settings.db_url, "--kek-file", str(api.settings.kek_file)]
    capsys.readouterr()
    assert cli.main([*base, "trail", REVIEW]) == 0
    out = capsys.readouterr().out
    assert f"{ALTERED}  decision whether to proceed: {ALTERED}" in out and ALTERED_DATE not in out
    assert cli.main([*base, "review", "show", REVIEW]) == 0
    out = capsys.readouterr().out
    assert f"verification: {ALTERED}: version {decision['version']}" in out and ALTERED_DATE not in out

    # Nothing is published from it.
    app = api.application()
    try:
        with pytest.raises(
            RecordFailedVerification, match=rf"^{REVIEW}: {ALTERED} at version {decision['version']}; nothing"
        ):
            render_publication(app, REVIEW, "cpc-officer", out=api.settings.kek_file.parent / "report.html")
    finally:
        app.close()
    assert not (api.settings.kek_file.parent / "report.html").exists()

    # A page.
    browser = Browser(api.url)
    try:
        assert browser.sign_in("cog-chair").status_code == 303
        page = browser.get(f"/pages/reviews/{REVIEW}/trail")
        assert page.status_code == 200
        assert ALTERED in page.text and ALTERED_DATE not in page.text
        page = browser.get(f"/pages/reviews/{REVIEW}")
        assert page.status_code == 200
        assert ALTERED in page.text and ALTERED_DATE not in page.text
    finally:
        browser.close()


@pytest.mark.slow
def test_an_altered_sealed_value_is_never_opened_for_a_reader(db_url: str, tmp_path: Path) -> None:
    with serving(db_url, tmp_path, prepare=_recorded) as api:
        _, before = _json(api, f"/reviews/{REVIEW}/history", personal="true", purpose="review")
        [decided] = [e for e in before["events"] if e["type"] == "national.decision-to-proceed-recorded"]
        basis = decided["event"]["basis"]["value"]
        assert basis and decided["verification"] is None
        _alter_the_sealed_basis(api.settings, api.clock)
        text, after = _json(api, f"/reviews/{REVIEW}/history", personal="true", purpose="review")
        [decided] = [e for e in after["events"] if e["type"] == "national.decision-to-proceed-recorded"]
        assert decided["verification"] == f"{ALTERED}: the sealed data differs from its signed digest"
        assert decided["event"]["basis"]["value"] is None
        assert basis not in text


@pytest.mark.slow
def test_after_a_rebuild_from_an_altered_store_the_list_and_the_clocks_show_it_as_altered(
    tampered: tuple[Api, str],
) -> None:
    api, _ = tampered
    app = api.application()
    try:
        app.projections.rebuild()  # the read models are built again from the store as it now is
    finally:
        app.close()
    text, listed = _json(api, "/reviews")
    [row] = [r for r in listed if r["reference"] == REVIEW]
    assert row["verification"].startswith(f"{ALTERED}: version ")
    assert row["verification"].endswith(
        "(the payload differs from its signed digest); shown as it stood before it"
    )
    assert ALTERED_DATE not in text
    text, clocks = _json(api, "/clocks")
    mine = [c for c in clocks if c["reference"] == REVIEW]
    assert mine and all(c["verification"] == ALTERED for c in mine)
    assert ALTERED_DATE not in text
    _, state = _json(api, f"/reviews/{REVIEW}/state")
    assert (
        state["version"] == row["version"]
    )  # the list stands where the state does: before the altered event
    browser = Browser(api.url)
    try:
        assert browser.sign_in("cpc-officer").status_code == 303
        for path in ("/pages/reviews", f"/pages/reviews/{REVIEW}"):
            page = browser.get(path)
            assert page.status_code == 200, path
            assert ALTERED in page.text and ALTERED_DATE not in page.text, path
    finally:
        browser.close()
