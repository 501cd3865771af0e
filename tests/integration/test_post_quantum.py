"""Post-quantum checkpoints: once the log has an ML-DSA-44 key, it signs each checkpoint with both.

Learning review files are kept in perpetuity, longer than Ed25519 will stand. `init` (and the
demo) make the log's ML-DSA-44 key with its Ed25519 key and name both in the registry's first
append, so every checkpoint from the first carries both; a store set up before that (the
`older_app` fixture) names one later with `log-key --add-ml-dsa`. Every checkpoint signed from then on carries
an ML-DSA-44 cosignature line by the log (c2sp.org/tlog-checkpoint, "Signatures") after its
Ed25519 line, whose bytes stay exactly as before, so tools that read only Ed25519 notes (Go's
note verifier among them: an unknown key ID is ignored) still accept it. The inspector's
verifier requires both where the policy lists both keys.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import reviewledger_verify
import sqlalchemy as sa
from reviewledger_verify.canonical import canonical_zip, encode_manifest

from adapters.app.application import Application
from adapters.cli import main
from adapters.governance.bundle import export_bundle
from adapters.store.tables import checkpoints
from adapters.store.verification import verify_ledger
from audit import cosignature
from audit.note import Checkpoint, parse_verifier_key, sign_checkpoint, verify_checkpoint
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import RuleViolation
from domain.kernel.roles import Role
from tests.conftest import SteppingClock

AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
REVIEW = subject_stream("S-1")


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


def _lines(note: str) -> list[str]:
    return note[note.rfind("\n\n") + 2 :].splitlines()


def test_a_new_log_signs_its_first_checkpoint_and_every_later_one_with_both_keys(
    db_url: str, tmp_path: Path, clock: SteppingClock
) -> None:
    app = Application(db_url, tmp_path / "kek", create_kek=True, clock=clock)
    try:
        app.initialise("reviewledger.test/log")
        public = cosignature.parse_cosigner_key(app.ledger.log_mldsa_verifier_key() or "")
        verifier = parse_verifier_key(app.ledger.log_verifier_key())
        first = app.ledger.tree.latest_checkpoint() or ""
        # The log and its ML-DSA-44 key are named in one append: the first checkpoint covers both.
        assert app.ledger.tree.head().size == 2
        app.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR,))
        app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
        _subject(app, "S-1")
        sizes = [2, app.ledger.tree.head().size]
        for size, note in zip(sizes, (first, app.ledger.tree.latest_checkpoint() or ""), strict=True):
            checkpoint = verify_checkpoint(note, verifier, origin=app.ledger.origin)
            assert checkpoint.size == size
            [_, mldsa_line] = _lines(note)
            assert cosignature.verify_cosignature(public, checkpoint, mldsa_line) == 0
        assert verify_ledger(app.ledger).intact
        with pytest.raises(RuleViolation, match="the log already has an ML-DSA-44 key"):
            app.ledger.add_log_mldsa_key(AT)
    finally:
        app.close()


def test_checkpoints_are_signed_with_both_keys_once_the_log_has_an_mldsa_key(older_app: Application) -> None:
    older_app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    assert len(_lines(older_app.ledger.tree.latest_checkpoint() or "")) == 1
    assert older_app.ledger.log_mldsa_verifier_key() is None

    public = older_app.ledger.add_log_mldsa_key(AT)
    assert older_app.ledger.log_mldsa_verifier_key() == public.vkey()
    with pytest.raises(RuleViolation, match="the log already has an ML-DSA-44 key"):
        older_app.ledger.add_log_mldsa_key(AT)
    _subject(older_app, "S-1")

    note = older_app.ledger.tree.latest_checkpoint() or ""
    ed25519_line, mldsa_line = _lines(note)
    verifier = parse_verifier_key(older_app.ledger.log_verifier_key())
    checkpoint = verify_checkpoint(note, verifier, origin=older_app.ledger.origin)
    # The Ed25519 signed note is exactly what it was: the ML-DSA-44 line is an addition.
    assert note.startswith(
        sign_checkpoint(checkpoint, older_app.ledger.origin, older_app.ledger.log_key.private_key)
    )
    assert f"\u2014 {older_app.ledger.origin} " in ed25519_line
    # An Ed25519-only reader skips the second line: its key ID is not the Ed25519 key's.
    assert public.key_id != verifier.key_id
    assert cosignature.verify_cosignature(public, checkpoint, mldsa_line) == 0
    assert verify_ledger(older_app.ledger).intact


def test_the_stores_verifier_requires_the_mldsa_line_after_the_key_is_named(older_app: Application) -> None:
    older_app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    older_app.ledger.add_log_mldsa_key(AT)
    named = older_app.ledger.tree.head().size  # the key's own event is the last one logged
    _subject(older_app, "S-1")
    _subject(older_app, "S-2")
    assert verify_ledger(older_app.ledger).intact
    latest = older_app.ledger.tree.head().size
    notes = {n: older_app.ledger.tree.checkpoint_at(n) or "" for n in (latest - 1, latest)}

    # The latest checkpoint without its ML-DSA-44 line; the one before with the latest's line.
    stripped = notes[latest][: notes[latest].rstrip("\n").rfind("\n") + 1]
    swapped = (
        notes[latest - 1][: notes[latest - 1].rstrip("\n").rfind("\n") + 1] + _lines(notes[latest])[1] + "\n"
    )
    with older_app.db.engine.begin() as conn:
        for size, note in ((latest, stripped), (latest - 1, swapped)):
            conn.execute(sa.update(checkpoints).where(checkpoints.c.tree_size == size).values(note=note))
    failures = {(f["position"], f["problem"]) for f in verify_ledger(older_app.ledger).as_json()["failures"]}
    assert failures == {
        (
            latest,
            "stored checkpoint has no ML-DSA-44 signature by the log, whose key the registry names from "
            f"position {named}",
        ),
        (
            latest - 1,
            f"stored checkpoint: the log's ML-DSA-44 signature: cosignature by {older_app.ledger.origin} does not "
            "verify for this checkpoint",
        ),
    }


def test_another_process_signs_with_both_keys_too(
    older_app: Application, db_url: str, tmp_path: Path
) -> None:
    older_app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    public = older_app.ledger.add_log_mldsa_key(AT)
    other = Application(db_url, tmp_path / "kek", clock=older_app.clock)
    try:
        _subject(other, "S-2")
        note = other.ledger.tree.latest_checkpoint() or ""
        checkpoint = Checkpoint.parse(note[: note.rfind("\n\n") + 1])
        assert cosignature.verify_cosignature(public, checkpoint, _lines(note)[1]) == 0
    finally:
        other.close()


def test_the_inspector_requires_both_signatures_where_the_policy_lists_both(
    older_app: Application, tmp_path: Path
) -> None:
    older_app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    older_app.ledger.add_log_mldsa_key(AT)
    _subject(older_app, "S-1")
    export_bundle(older_app.ledger, tmp_path / "review.zip", review=REVIEW)
    bundle = (tmp_path / "review.zip").read_bytes()
    key = older_app.ledger.log_verifier_key()
    both = f"log {key}\nlog {older_app.ledger.log_mldsa_verifier_key()}\nquorum none\n"
    report = reviewledger_verify.verify_bundle(bundle, key, None, both)
    assert report.failures == []

    # The same bundle with the checkpoint's ML-DSA-44 line taken off, re-packed canonically.
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    note = members["checkpoint.txt"].decode()
    members["checkpoint.txt"] = note[: note.rstrip("\n").rfind("\n") + 1].encode()
    stripped = _repacked(members)
    report = reviewledger_verify.verify_bundle(stripped, key, None, both)
    assert [f.message for f in report.failures] == [
        f"checkpoint.txt: no valid signature by the log {older_app.ledger.origin} (ML-DSA-44) key the policy lists"
    ]
    # A policy that lists only the Ed25519 key accepts it; so does a verifier given no policy.
    assert reviewledger_verify.verify_bundle(stripped, key, None, f"log {key}\nquorum none\n").failures == []
    assert reviewledger_verify.verify_bundle(stripped, key).failures == []


def _repacked(members: dict[str, bytes]) -> bytes:
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["checkpoint.txt"] = hashlib.sha256(members["checkpoint.txt"]).hexdigest()
    members["manifest.json"] = encode_manifest(manifest)
    return canonical_zip(members)


def test_the_command_line_adds_and_prints_the_mldsa_key(
    older_app: Application, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", older_app.db.url.describe(), "--kek-file", str(older_app.kek_file)]
    assert main([*base, "log-key", "--ml-dsa"]) == 2
    assert "the log has no ML-DSA-44 key: add one with --add-ml-dsa" in capsys.readouterr().err
    assert main([*base, "log-key", "--add-ml-dsa"]) == 0
    added = capsys.readouterr().out.strip()
    key = cosignature.parse_cosigner_key(added)
    assert (key.name, key.kind, len(key.public_key)) == (older_app.ledger.origin, 6, 1312)
    assert main([*base, "log-key", "--ml-dsa"]) == 0
    assert capsys.readouterr().out.strip() == added
    assert main([*base, "log-key", "--add-ml-dsa"]) == 2
    assert "it is added once" in capsys.readouterr().err
    assert main([*base, "log-key"]) == 0
    assert capsys.readouterr().out.strip() == older_app.ledger.log_verifier_key()


def test_init_from_the_command_line_makes_both_log_keys(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek")]
    assert main([*base, "init", "--origin", "council.example/reviews"]) == 0
    assert "the log signs each checkpoint with its ML-DSA-44 key too" in capsys.readouterr().out
    assert main([*base, "log-key", "--ml-dsa"]) == 0
    key = cosignature.parse_cosigner_key(capsys.readouterr().out.strip())
    assert (key.name, key.kind) == ("council.example/reviews", cosignature.MLDSA44_COSIGNATURE)
    assert main([*base, "log-key", "--add-ml-dsa"]) == 2
    assert "it is added once" in capsys.readouterr().err
