"""The signed store, told as what happens to a record: one suite, run on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from adapters.app.application import Application
from adapters.store.keystore import KeyStoreError
from adapters.store.verification import verify_ledger
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import ConcurrentChange, NotAuthorised, RecordNotFound, RuleViolation
from domain.kernel.roles import Role

NAME = "Jamie Quarrelwood"


def _register(app: Application, subject_id: str, actor: str = "officer", name: str = NAME) -> None:
    app.execute(
        DataSubject,
        subject_stream(subject_id),
        actor,
        RegisterSubject(
            subject_id=subject_id, category=SubjectCategory.CHILD, name=name, date_of_birth=date(2014, 7, 19)
        ),
    )


@pytest.fixture
def officer(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    return app


def test_a_step_is_signed_by_the_person_who_took_it_and_reads_back(officer: Application) -> None:
    _register(officer, "S-1")
    [recorded] = officer.ledger.read(subject_stream("S-1"), unseal=True)
    assert recorded.actor == "officer"
    assert recorded.key == officer.ledger.registry().active_key("officer")
    assert recorded.event.name.value == NAME  # type: ignore[attr-defined]
    assert recorded.sealed
    # Read without unsealing, the personal value is not there at all.
    [plain] = officer.ledger.read(subject_stream("S-1"))
    assert plain.event.name.value is None  # type: ignore[attr-defined]


def test_no_table_holds_personal_data_in_clear(officer: Application) -> None:
    _register(officer, "S-1")
    with officer.db.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                blob = b"".join(v if isinstance(v, bytes) else str(v).encode() for v in row if v is not None)
                assert NAME.encode() not in blob, table
                assert b"2014-07-19" not in blob, table


def test_a_person_without_a_registered_key_cannot_write(officer: Application) -> None:
    before = officer.ledger.tree.head().size
    # Someone not registered at all is told so, not that they lack a role.
    with pytest.raises(RecordNotFound, match="no registered person with reference 'stranger'"):
        _register(officer, "S-1", actor="stranger")
    assert officer.ledger.tree.head().size == before
    assert officer.ledger.read(subject_stream("S-1")) == []


def test_two_people_writing_the_same_record_at_once_conflict_and_nothing_is_lost(
    officer: Application,
) -> None:
    _register(officer, "S-1")
    stale = officer.load(DataSubject, subject_stream("S-1"))
    from domain.governance.disposal import PersonalDataDisposed

    officer.ledger.dispose(subject_stream("S-1"), "rule", "admin", officer.clock.now())
    with pytest.raises(ConcurrentChange, match="changed by someone else"):
        officer.ledger.append(
            subject_stream("S-1"),
            stale.version,
            [PersonalDataDisposed(rule="again", authorised_by="admin", at=officer.clock.now())],
            "admin",
            officer.clock.now(),
        )
    assert [r.version for r in officer.ledger.read(subject_stream("S-1"))] == [1, 2]
    assert verify_ledger(officer.ledger).intact


def test_a_rotated_key_signs_from_then_on_and_old_signatures_stay_valid(officer: Application) -> None:
    _register(officer, "S-1")
    old_key = officer.ledger.registry().active_key("officer")
    new_key = officer.rotate_key("admin", "officer")
    _register(officer, "S-2")
    assert officer.ledger.read(subject_stream("S-1"))[0].key == old_key
    assert officer.ledger.read(subject_stream("S-2"))[0].key == new_key
    assert verify_ledger(officer.ledger).intact


def test_a_retired_key_signs_nothing_more(officer: Application) -> None:
    officer.retire_key("admin", "officer", "left the service")
    with pytest.raises(NotAuthorised, match="an active registered key"):
        _register(officer, "S-1")
    assert verify_ledger(officer.ledger).intact


def test_a_compromised_key_is_not_trusted_for_events_after_the_compromise(officer: Application) -> None:
    _register(officer, "S-1")
    key = officer.ledger.registry().active_key("officer") or ""
    since = officer.clock.now() - timedelta(seconds=30)  # before S-1 was recorded
    officer.mark_compromised("admin", "officer", key, since, "laptop stolen")
    report = verify_ledger(officer.ledger).as_json()
    assert [f["stream"] for f in report["failures"]] == [subject_stream("S-1")]
    assert report["failures"][0]["problem"] == f"key {key} is compromised from {since.isoformat()}"


def test_registry_rules_refuse_and_record_nothing(officer: Application) -> None:
    version = officer.ledger.registry().version
    with pytest.raises(RuleViolation, match="actor officer is already registered"):
        officer.register_person("admin", "officer", "Someone Else", (Role.CPC,))
    with pytest.raises(NotAuthorised, match="only be recorded by an administrator; officer does not hold"):
        officer.grant_role("officer", "officer", Role.COG)
    assert officer.ledger.registry().version == version


def test_private_keys_are_encrypted_at_rest_and_need_the_key_encryption_key(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    key_id = officer.ledger.registry().active_key("officer") or ""
    pair = officer.ledger.keys.load(key_id)
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    raw = pair.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    with officer.db.engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT encrypted FROM rl_private_keys WHERE key_id = :k"), {"k": key_id}
        ).scalar()
    assert isinstance(stored, bytes | memoryview) and raw not in bytes(stored)
    other = Application(db_url, tmp_path / "another.kek", create_kek=True)
    try:
        with pytest.raises(KeyStoreError, match=f"private key {key_id} cannot be opened"):
            other.ledger.keys.load(key_id)
    finally:
        other.close()


def test_the_tree_catches_up_by_itself_after_an_interrupted_checkpoint(officer: Application) -> None:
    _register(officer, "S-1")
    size = officer.ledger.tree.head().size
    with officer.db.engine.begin() as conn:  # as if the writer died after its commit, before the checkpoint
        conn.execute(sa.text("DELETE FROM rl_checkpoints WHERE tree_size = :s"), {"s": size})
        conn.execute(sa.text("DELETE FROM rl_merkle_leaves WHERE position = :s"), {"s": size})
        conn.execute(
            sa.text("UPDATE rl_tree_head SET size = 0, last_notification_id = 0, frontier = :f"), {"f": b""}
        )
        conn.execute(sa.text("DELETE FROM rl_merkle_leaves"))
        conn.execute(sa.text("DELETE FROM rl_merkle_nodes"))
        conn.execute(sa.text("DELETE FROM rl_checkpoints"))
    assert not verify_ledger(officer.ledger).intact
    officer.initialise("reviewledger.test/log")  # what every command does on opening
    report = verify_ledger(officer.ledger)
    assert report.intact, report.as_json()
    assert report.tree_size == size


def test_inclusion_and_consistency_proofs_from_the_stored_tree_verify(officer: Application) -> None:
    from audit import merkle
    from audit.note import Checkpoint

    _register(officer, "S-1")
    first = Checkpoint.parse((officer.ledger.tree.latest_checkpoint() or "").split("\n\n")[0] + "\n")
    _register(officer, "S-2")
    _register(officer, "S-3")
    latest = Checkpoint.parse((officer.ledger.tree.latest_checkpoint() or "").split("\n\n")[0] + "\n")
    source = officer.ledger.tree.source()
    leaves: list[Any] = [source.subtree_hash(i, i + 1) for i in range(latest.size)]
    for index in range(latest.size):
        merkle.verify_inclusion(
            index, latest.size, leaves[index], merkle.inclusion_proof(index, latest.size, source), latest.root
        )
    proof = merkle.consistency_proof(first.size, latest.size, source)
    merkle.verify_consistency(first.size, latest.size, proof, first.root, latest.root)
    assert merkle.root_of(leaves) == latest.root


def test_a_page_view_reads_a_record_once_and_a_step_taken_meanwhile_is_read_afresh(
    officer: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(officer, "S-1")
    stream = subject_stream("S-1")
    selected: list[str] = []
    select = officer.db.recorder.select_events

    def counted(originator_id: Any, *args: Any, **kwargs: Any) -> Any:
        selected.append(str(originator_id))
        return select(originator_id, *args, **kwargs)

    monkeypatch.setattr(officer.db.recorder, "select_events", counted)
    with officer.ledger.reading_once():
        first = officer.ledger.read(stream)
        assert officer.ledger.read(stream) == first
        assert selected.count(stream) == 1
        # Personal values are never kept: an unsealed read goes to the store each time.
        officer.ledger.read(stream, unseal=True)
        officer.ledger.read(stream, unseal=True)
        assert selected.count(stream) == 3
        officer.ledger.dispose(stream, "retention: test", "admin", officer.clock.now())
        after = officer.ledger.read(stream)
        assert [r.type for r in after] == [r.type for r in first] + ["record.personal-data-disposed"]
    # Outside a page view every read goes to the store.
    count = selected.count(stream)
    officer.ledger.read(stream)
    officer.ledger.read(stream)
    assert selected.count(stream) == count + 2


def test_work_a_page_view_needs_once_is_done_once_and_again_after_a_step(officer: Application) -> None:
    assert officer.ledger.first_in_view("read models")  # outside a page view: every time
    assert officer.ledger.first_in_view("read models")
    with officer.ledger.reading_once():
        assert officer.ledger.first_in_view("read models")
        assert not officer.ledger.first_in_view("read models")
        _register(officer, "S-2")
        assert officer.ledger.first_in_view("read models")
        assert not officer.ledger.first_in_view("read models")
