"""The tamper matrix: each kind of change made directly to the database with SQL is detected and located.

Every case runs on a real SQLite file and on a real PostgreSQL database. After tampering,
`verify` reports the exact position (1-based place in the global order), and nothing that
was not tampered with is reported lost.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa

from adapters.app.application import Application
from adapters.store.mapper import decode_state, encode_state
from adapters.store.verification import verify_ledger
from audit.envelope import Envelope
from audit.signing import KeyPair
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.roles import Role


def _subject(app: Application, subject_id: str, name: str) -> None:
    app.execute(
        DataSubject,
        subject_stream(subject_id),
        "officer",
        RegisterSubject(
            subject_id=subject_id, category=SubjectCategory.CHILD, name=name, date_of_birth=date(2015, 4, 1)
        ),
    )


@pytest.fixture
def history(app: Application, tmp_path: Path) -> dict[str, Any]:
    """A small history: people with keys, a rotation, subject records, a disposal; a checkpoint saved outside."""
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.register_person("admin", "second", "Isla Flett", (Role.CPC_OFFICER, Role.RECORDS_MANAGER))
    _subject(app, "S-1", "Jamie Example")
    _subject(app, "S-2", "Robin Example")
    app.rotate_key("admin", "officer")
    saved = tmp_path / "held-outside.checkpoint"
    saved.write_text(app.ledger.tree.latest_checkpoint() or "")
    _subject(app, "S-3", "Alex Example")
    app.dispose(subject_stream("S-2"), "retention test rule", "second")
    _subject(app, "S-4", "Sam Example")
    report = verify_ledger(app.ledger)
    assert report.intact, report.as_json()
    return {"saved": saved, "events": report.events}


def _column(app: Application) -> str:
    return app.db.notification_column()


def _rows(app: Application) -> list[Any]:
    col = _column(app)
    with app.db.engine.connect() as conn:
        return list(
            conn.execute(
                sa.text(
                    f"SELECT {col} AS nid, originator_id, originator_version, topic, state FROM stored_events ORDER BY {col}"
                )
            )
        )


def _row(app: Application, stream: str, version: int) -> Any:
    return next(r for r in _rows(app) if r.originator_id == stream and r.originator_version == version)


def _position(app: Application, stream: str, version: int) -> int:
    return next(
        i
        for i, r in enumerate(_rows(app), start=1)
        if r.originator_id == stream and r.originator_version == version
    )


def _sql(app: Application, statement: str, **params: Any) -> None:
    with app.db.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def _set_state(app: Application, nid: int, state: bytes) -> None:
    _sql(app, f"UPDATE stored_events SET state = :state WHERE {_column(app)} = :nid", state=state, nid=nid)


def _failures(app: Application, against: list[Path] | None = None) -> list[dict[str, Any]]:
    report = verify_ledger(app.ledger, against=against or [])
    assert not report.intact
    failures: list[dict[str, Any]] = report.as_json()["failures"]
    return failures


def _flip_inside(state: bytes, part: bytes, offset: int) -> bytes:
    start = state.index(part) + offset
    return state[:start] + bytes([state[start] ^ 0x01]) + state[start + 1 :]


def test_one_payload_byte_changed(app: Application, history: dict[str, Any]) -> None:
    row = _row(app, subject_stream("S-1"), 1)
    record = decode_state(row.originator_id, row.originator_version, row.topic, bytes(row.state))
    _set_state(app, row.nid, _flip_inside(bytes(row.state), record.payload, record.payload.index(b"child")))
    failures = _failures(app)
    assert failures[0]["position"] == _position(app, subject_stream("S-1"), 1)
    assert failures[0]["problem"] == "payload does not match its signed digest"
    assert (failures[0]["stream"], failures[0]["version"]) == (subject_stream("S-1"), 1)


def test_one_envelope_field_changed(app: Application, history: dict[str, Any]) -> None:
    row = _row(app, subject_stream("S-3"), 1)
    record = decode_state(row.originator_id, row.originator_version, row.topic, bytes(row.state))
    # Change the recorded time by one second: still a well-formed envelope, but not the signed one.
    offset = record.envelope.index(b"\ntime ") + len(b"\ntime 2026-03-02T09:00:0")
    _set_state(app, row.nid, _flip_inside(bytes(row.state), record.envelope, offset))
    failures = _failures(app)
    assert failures[0]["position"] == _position(app, subject_stream("S-3"), 1)
    assert failures[0]["problem"] == "signature does not verify"


def test_an_event_deleted_in_the_middle(app: Application, history: dict[str, Any]) -> None:
    stream = subject_stream("S-2")
    position = _position(app, stream, 1)
    _sql(app, f"DELETE FROM stored_events WHERE {_column(app)} = :nid", nid=_row(app, stream, 1).nid)
    failures = _failures(app)
    assert failures[0] == {
        "position": position,
        "stream": stream,
        "version": 1,
        "problem": "event logged at this position is missing from the store",
    }
    assert any(f["problem"] == "version 2 follows version 0: a version is missing" for f in failures)


def test_the_last_event_deleted(app: Application, history: dict[str, Any]) -> None:
    last = _rows(app)[-1]
    _sql(app, f"DELETE FROM stored_events WHERE {_column(app)} = :nid", nid=last.nid)
    failures = _failures(app)
    assert failures == [
        {
            "position": history["events"],
            "stream": last.originator_id,
            "version": last.originator_version,
            "problem": "event logged at this position is missing from the store",
        }
    ]


def test_two_events_contents_swapped(app: Application, history: dict[str, Any]) -> None:
    a, b = _row(app, subject_stream("S-1"), 1), _row(app, subject_stream("S-3"), 1)
    for target, source in ((a, b), (b, a)):
        _sql(
            app,
            f"UPDATE stored_events SET state = :state, topic = :topic WHERE {_column(app)} = :nid",
            state=bytes(source.state),
            topic=source.topic,
            nid=target.nid,
        )
    failures = _failures(app)
    positions = {f["position"] for f in failures}
    assert positions == {_position(app, subject_stream("S-1"), 1), _position(app, subject_stream("S-3"), 1)}
    assert all(f["problem"].startswith("envelope names subject-S-") for f in failures)


def _forge(app: Application, actor: str, key: KeyPair, stream: str) -> None:
    """Insert a well-formed, signed event behind the application's back."""
    template = _row(app, subject_stream("S-4"), 1)
    record = decode_state(
        template.originator_id, template.originator_version, template.topic, bytes(template.state)
    )
    original = Envelope.parse(record.envelope)
    envelope = Envelope(
        **{**original.__dict__, "stream": stream, "version": 1, "actor": actor, "key": key.key_id}
    ).to_bytes()
    forged = msgspec.structs.replace(
        record, originator_id=stream, envelope=envelope, signature=key.sign(envelope)
    )
    _sql(
        app,
        "INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (:s, 1, :t, :state)",
        s=stream,
        t=template.topic,
        state=encode_state(forged),
    )


def test_a_forged_event_signed_by_an_unregistered_key(app: Application, history: dict[str, Any]) -> None:
    _forge(app, "officer", KeyPair.generate(), subject_stream("S-99"))
    failures = _failures(app)
    assert len(failures) == 1
    assert failures[0]["position"] == history["events"] + 1
    assert failures[0]["stream"] == subject_stream("S-99")
    assert failures[0]["problem"].startswith("signed by key ") and failures[0]["problem"].endswith(
        "which is not registered"
    )


def test_a_forged_event_signed_by_another_actors_key(app: Application, history: dict[str, Any]) -> None:
    registry = app.ledger.registry()
    second_key = app.ledger.keys.load(registry.active_key("second") or "")
    _forge(app, "officer", second_key, subject_stream("S-98"))
    failures = _failures(app)
    assert len(failures) == 1
    assert failures[0]["position"] == history["events"] + 1
    assert (
        failures[0]["problem"]
        == f"signed with key {second_key.key_id}, which belongs to second, not to officer"
    )


def test_the_tail_truncated_is_caught_against_a_checkpoint_held_outside(
    app: Application, history: dict[str, Any]
) -> None:
    # A thorough attacker removes the last events and every trace of them in the tree and checkpoints.
    from audit.note import Checkpoint

    held_size = Checkpoint.parse(history["saved"].read_text().split("\n\n")[0] + "\n").size
    keep = held_size - 2
    rows = _rows(app)
    for row in rows[keep:]:
        _sql(app, f"DELETE FROM stored_events WHERE {_column(app)} = :nid", nid=row.nid)
    _sql(app, "DELETE FROM rl_merkle_leaves")
    _sql(app, "DELETE FROM rl_merkle_nodes")
    _sql(app, "DELETE FROM rl_checkpoints")
    _sql(app, "DELETE FROM rl_tree_head")
    app.ledger.tree.catch_up()
    failures = _failures(app, against=[history["saved"]])
    assert failures == [
        {
            "position": keep + 1,
            "stream": "checkpoint",
            "version": held_size,
            "problem": f"the log ends at {keep} events but the checkpoint held outside covers {held_size}: "
            f"events {keep + 1} to {held_size} are missing",
        }
    ]


def test_the_stored_checkpoint_replaced_by_one_for_a_different_tree(
    app: Application, history: dict[str, Any], tmp_path: Path, clock: Any
) -> None:
    from audit.note import Checkpoint, sign_checkpoint

    size = history["events"]
    other = Checkpoint(origin=app.ledger.origin, size=size, root=bytes(32))
    forged_note = sign_checkpoint(other, app.ledger.origin, KeyPair.generate().private_key)
    _sql(app, "UPDATE rl_checkpoints SET note = :n WHERE tree_size = :s", n=forged_note, s=size)
    failures = _failures(app)
    assert [f["position"] for f in failures] == [size]
    assert failures[0]["stream"] == "checkpoint"
    assert failures[0]["problem"].startswith("stored checkpoint: ")


def test_a_key_registry_event_altered(app: Application, history: dict[str, Any]) -> None:
    rows = [r for r in _rows(app) if r.originator_id == "registry" and r.topic == "registry.key-issued"]
    target = rows[1]
    record = decode_state(target.originator_id, target.originator_version, target.topic, bytes(target.state))
    key_at = record.payload.index(b'"public_key":"') + len(b'"public_key":"') + 3
    _set_state(app, target.nid, _flip_inside(bytes(target.state), record.payload, key_at))
    failures = _failures(app)
    assert failures[0]["position"] == _position(app, "registry", target.originator_version)
    assert failures[0]["problem"] == "payload does not match its signed digest"


def test_disposal_leaves_the_log_intact_and_the_data_readable_as_disposed(
    app: Application, history: dict[str, Any]
) -> None:
    assert verify_ledger(app.ledger).intact
    events = app.ledger.read(subject_stream("S-2"), unseal=True)
    registered = events[0]
    assert registered.disposed is not None
    assert (
        registered.disposed.describe()
        == f"disposed on {registered.disposed.at.date().isoformat()} under retention test rule"
    )
    assert registered.event.name.value is None  # type: ignore[attr-defined]
    with app.db.engine.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM rl_sealed WHERE record = :r"), {"r": subject_stream("S-2")}
        ).scalar()
    assert left == 0
