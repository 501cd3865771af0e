"""One append is one transaction: its ciphertexts, data key, events, Merkle leaves and checkpoint.

On both backends: an append is logged and checkpointed by its own commit; a failure at its
last statement leaves nothing of it anywhere; a data key destroyed by another process after
it was read is caught inside the transaction, nothing is written, and the retry seals under
a new key that opens.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters.app.application import Application
from adapters.store.database import Database
from adapters.store.keystore import default_log_kek_file, load_kek
from adapters.store.ledger import Ledger
from adapters.store.tables import checkpoints, data_keys, merkle_leaves, sealed, tree_head
from adapters.store.verification import verify_ledger
from domain.governance.subjects import SubjectCategory, SubjectRegistered, subject_stream
from domain.kernel.errors import ConcurrentChange
from domain.kernel.event import ItemKind, personal
from domain.kernel.roles import Role


def _registration(subject_id: str, name: str) -> SubjectRegistered:
    return SubjectRegistered(
        subject_id=subject_id,
        category=SubjectCategory.CHILD,
        name=personal(name, subject_id, kind=ItemKind.NAME),
        at=datetime.now(UTC),
    )


def _counts(app: Application) -> dict[str, int]:
    with app.db.reader.connect() as conn:
        return {
            table.name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            for table in (data_keys, sealed, merkle_leaves, checkpoints)
        } | {"events": int(app.db.recorder.max_notification_id() or 0)}


@pytest.fixture
def officer_app(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    return app


def test_an_append_logs_its_events_and_signs_a_checkpoint_in_its_own_commit(
    officer_app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = officer_app.ledger

    def no_catch_up() -> None:
        raise AssertionError("an append that logged its own events needs no catch-up")

    monkeypatch.setattr(ledger.tree, "catch_up", no_catch_up)
    [first] = ledger.append(
        subject_stream("S-1"), 0, [_registration("S-1", "Ellie Rendall")], "officer", datetime.now(UTC)
    )
    head = ledger.tree.head()
    assert (head.size, head.last_notification_id) == (first, first)
    assert ledger.tree.position_of(first) == first
    assert ledger.tree.checkpoint_at(first) == ledger.tree.latest_checkpoint()
    monkeypatch.undo()
    assert verify_ledger(ledger).intact


def test_a_failure_at_the_last_statement_of_an_append_leaves_nothing_of_it(
    officer_app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = officer_app.ledger
    before = _counts(officer_app)
    head = ledger.tree.head()

    def fail(*_: object) -> bool:
        raise RuntimeError("the process stopped while logging")

    monkeypatch.setattr(ledger.tree, "extend_within", fail)
    with pytest.raises(RuntimeError, match="stopped while logging"):
        ledger.append(
            subject_stream("S-1"), 0, [_registration("S-1", "Ellie Rendall")], "officer", datetime.now(UTC)
        )
    monkeypatch.undo()
    # No event, no ciphertext, no data key, no leaf, no checkpoint: the transaction was undone whole.
    assert _counts(officer_app) == before
    assert ledger.stream_version(subject_stream("S-1")) == 0
    assert ledger.tree.head() == head
    ledger.append(
        subject_stream("S-1"), 0, [_registration("S-1", "Ellie Rendall")], "officer", datetime.now(UTC)
    )
    [recorded] = ledger.read(subject_stream("S-1"), unseal=True)
    assert isinstance(recorded.event, SubjectRegistered)
    assert recorded.event.name.value == "Ellie Rendall"
    assert verify_ledger(ledger).intact


def test_a_data_key_destroyed_by_another_process_since_this_one_used_it_stops_the_append(
    officer_app: Application, db_url: str, tmp_path: Path
) -> None:
    ledger = officer_app.ledger
    stream = subject_stream("S-1")
    ledger.append(stream, 0, [_registration("S-1", "Ellie Rendall")], "officer", datetime.now(UTC))
    # Another process disposes of the record's data and records a new registration, under a new
    # data key; this process still holds the destroyed key from its own append.
    kek, _ = load_kek(tmp_path / "kek", create=False)
    log_kek, _ = load_kek(default_log_kek_file(tmp_path / "kek"), create=False)
    other = Ledger(Database(db_url), kek, log_kek)
    try:
        other.dispose(stream, "retention schedule 4.2", "officer", datetime.now(UTC))
        other.append(stream, 2, [_registration("S-1", "Ellie Gray")], "officer", datetime.now(UTC))
    finally:
        other.db.close()
    before = _counts(officer_app)
    with pytest.raises(ConcurrentChange, match=stream):
        ledger.append(stream, 3, [_registration("S-1", "Ellie Rendall-Gray")], "officer", datetime.now(UTC))
    assert _counts(officer_app) == before
    assert ledger.stream_version(stream) == 3
    # Tried again, it seals under the record's live data key, which opens.
    ledger.append(stream, 3, [_registration("S-1", "Ellie Rendall-Gray")], "officer", datetime.now(UTC))
    with officer_app.db.reader.connect() as conn:
        generations = conn.execute(
            sa.select(data_keys.c.generation, data_keys.c.wrapped.is_not(None)).where(
                data_keys.c.record == stream
            )
        ).all()
        logged = conn.execute(sa.select(tree_head.c.size)).scalar_one()
    assert sorted((g, bool(live)) for g, live in generations) == [(1, False), (2, True)]
    first, _, third, fourth = ledger.read(stream, unseal=True)
    assert isinstance(first.event, SubjectRegistered) and first.disposed is not None
    assert isinstance(third.event, SubjectRegistered) and third.event.name.value == "Ellie Gray"
    assert isinstance(fourth.event, SubjectRegistered) and fourth.event.name.value == "Ellie Rendall-Gray"
    assert logged == officer_app.db.recorder.max_notification_id()
    assert verify_ledger(ledger).intact


def test_a_record_whose_data_key_was_kept_before_its_first_event_seals_under_that_key(
    officer_app: Application,
) -> None:
    ledger = officer_app.ledger
    stream = subject_stream("S-1")
    generation, _ = ledger.vault.data_key_for_writing(stream)  # e.g. a document kept for the record
    ledger.append(stream, 0, [_registration("S-1", "Ellie Rendall")], "officer", datetime.now(UTC))
    with officer_app.db.reader.connect() as conn:
        kept = conn.execute(sa.select(sealed.c.generation).where(sealed.c.record == stream)).scalars().all()
    assert (generation, kept) == (1, [1])
    [recorded] = ledger.read(stream, unseal=True)
    assert isinstance(recorded.event, SubjectRegistered)
    assert recorded.event.name.value == "Ellie Rendall"
    assert verify_ledger(ledger).intact
