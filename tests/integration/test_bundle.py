"""Evidence bundles, from the export to an inspector's offline check.

A partnership keeps its records in a reviewledger log on a SQLite file. An inspector is
given the log's public key through a separate channel, and a checkpoint early on. Later
they ask for one data subject's record, and for the whole log. The log exports a bundle;
the inspector runs their own verifier (the `reviewledger-verify` package, installed once on
their machine, never taken from a bundle) with nothing but the key. Every changed byte, every forged signature, every key used when it
should not have been, makes the check fail with a message saying what, and where.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import reviewledger_verify
from reviewledger_verify import canonical as verifier_zip
from reviewledger_verify import envelope as verifier_envelope
from reviewledger_verify import merkle as verifier_merkle
from reviewledger_verify import notes as verifier_notes
from reviewledger_verify.failure import Failure as VerifierFailure

from adapters.app.application import Application
from adapters.cli import main
from adapters.governance.bundle import BundleEntry, BundleExportError, assemble_bundle, export_bundle
from adapters.store.mapper import decode_state
from adapters.store.verification import verify_ledger
from audit import bundle_format
from audit.envelope import NO_PREVIOUS, Envelope, entry_bytes, sha256
from audit.errors import VerificationError
from audit.merkle import LeafListSource, inclusion_proof, leaf_hash
from audit.note import Checkpoint, sign_checkpoint
from audit.signing import KeyPair
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import RecordNotFound
from domain.kernel.registry import REGISTRY_STREAM
from domain.kernel.roles import Role

ORIGIN = "reviewledger.test/orkney"
OTHER_ORIGIN = "reviewledger.test/elsewhere"
REVIEW = subject_stream("S-1")
# After everything in the story: when the dishonest operator signs the events they add.
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SUBJECT_NAMES = ("Jamie Example", "Robin Example", "Alex Example", "Sam Example")
VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"
# Every way a damaged zip can be refused before its contents are even looked at.
ZIP_REFUSALS = (
    r"^bundle (is not a readable zip archive: .+|is not in canonical form: .+"
    r"|member '.+' is (compressed|encrypted)\b.*|zip has two members named '.+')$"
)


class SteppingClock:
    """One second later at every reading, so every event has its own time."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def open_log(folder: Path, origin: str) -> Application:
    folder.mkdir(parents=True, exist_ok=True)
    clock = SteppingClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    app = Application(f"sqlite:///{folder}/store.db", folder / "kek", create_kek=True, clock=clock)
    app.initialise(origin)
    # The administrator also keeps the records here, and so authorises disposals.
    app.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR, Role.RECORDS_MANAGER))
    return app


def register_subject(app: Application, subject_id: str, name: str) -> None:
    app.execute(
        DataSubject,
        subject_stream(subject_id),
        "officer",
        RegisterSubject(
            subject_id=subject_id, category=SubjectCategory.CHILD, name=name, date_of_birth=date(2015, 4, 1)
        ),
    )


@dataclass(frozen=True)
class BundleStory:
    """What the module's story leaves behind: its logs, the checkpoints handed over and the bundles exported."""

    app: Application
    log_key: str
    officer_first_key: str
    early_checkpoint: Path
    other_step_checkpoint: Path
    latest_checkpoint: Path
    early_bundle: bytes
    review_bundle: bytes
    whole_bundle: bytes
    other_log_key: str
    other_checkpoint: Path


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BundleStory]:
    """People are registered, subjects recorded, a key rotated, a record disposed of; bundles exported."""
    folder = tmp_path_factory.mktemp("bundle-story")
    app = open_log(folder / "log", ORIGIN)
    other = open_log(folder / "other", OTHER_ORIGIN)
    try:
        app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
        app.register_person("admin", "reviewer", "Isla Flett", (Role.REVIEWER,))
        officer_first_key = app.ledger.registry().active_key("officer") or ""
        register_subject(app, "S-1", SUBJECT_NAMES[0])
        # The inspector is handed the checkpoint of this moment, signed as the record was
        # opened, and an early bundle.
        early_checkpoint = folder / "early.checkpoint"
        early_checkpoint.write_text(app.ledger.tree.latest_checkpoint() or "", encoding="utf-8")
        export_bundle(app.ledger, folder / "early.zip", review=REVIEW)
        # Later they are handed another, signed after a step of another record.
        register_subject(app, "S-2", SUBJECT_NAMES[1])
        other_step_checkpoint = folder / "other-step.checkpoint"
        other_step_checkpoint.write_text(app.ledger.tree.latest_checkpoint() or "", encoding="utf-8")
        # The officer's key is rotated; the log goes on.
        app.rotate_key("admin", "officer")
        register_subject(app, "S-3", SUBJECT_NAMES[2])
        app.dispose(REVIEW, "retention schedule 4.2", "admin")
        register_subject(app, "S-4", SUBJECT_NAMES[3])
        export_bundle(app.ledger, folder / "review.zip", review=REVIEW)
        export_bundle(app.ledger, folder / "whole.zip")
        # The checkpoint both bundles are under (the log marked its registry's head for them).
        latest_checkpoint = folder / "latest.checkpoint"
        latest_checkpoint.write_text(app.ledger.tree.latest_checkpoint() or "", encoding="utf-8")
        other_checkpoint = folder / "other.checkpoint"
        other_checkpoint.write_text(other.ledger.tree.latest_checkpoint() or "", encoding="utf-8")
        yield BundleStory(
            app=app,
            log_key=app.ledger.log_verifier_key(),
            officer_first_key=officer_first_key,
            early_checkpoint=early_checkpoint,
            other_step_checkpoint=other_step_checkpoint,
            latest_checkpoint=latest_checkpoint,
            early_bundle=(folder / "early.zip").read_bytes(),
            review_bundle=(folder / "review.zip").read_bytes(),
            whole_bundle=(folder / "whole.zip").read_bytes(),
            other_log_key=other.ledger.log_verifier_key(),
            other_checkpoint=other_checkpoint,
        )
    finally:
        app.close()
        other.close()


# -- the inspector's side: their own verifier, run on the bundle ---------------------------

VERIFIER_PACKAGE = Path(__file__).resolve().parents[2] / "verifier"


def run_verifier(bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real process, from the inspector's folder, with the verifier package and nothing of the log's code."""
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": str(VERIFIER_PACKAGE)}
    return subprocess.run(
        [sys.executable, "-m", "reviewledger_verify", str(bundle), *args],
        cwd=bundle.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def inspector() -> ModuleType:
    """The verifier package in this process, for checks that run it hundreds of times."""
    return reviewledger_verify


def check(
    module: ModuleType, bundle: bytes, folder: Path, log_key: str, *args: str
) -> tuple[int, dict[str, Any]]:
    """Run the extracted verifier's main() on these bytes; return its exit status and JSON report."""
    path = folder / "bundle-under-test.zip"
    path.write_bytes(bundle)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = module.main([str(path), "--log-key", log_key, "--json", *args])
    report = json.loads(output.getvalue())
    assert isinstance(code, int)
    assert isinstance(report, dict)
    return code, report


def messages(report: dict[str, Any]) -> list[str]:
    return [
        f"position {f['position']}: {f['message']}" if f["position"] else f["message"]
        for f in report["failures"]
    ]


def refused(report: dict[str, Any], pattern: str) -> bool:
    return any(re.search(pattern, message) for message in messages(report))


# -- taking bundles apart and putting them back together, as a forger would ----------------


def parts_of(bundle: bytes) -> dict[str, Any]:
    """The arguments of assemble_bundle that made this bundle."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        entries = [
            BundleEntry(
                position=e["position"],
                stream=e["stream"],
                version=e["version"],
                notification_id=e["notification_id"],
                envelope=archive.read(e["envelope"]),
                signature=archive.read(e["signature"]),
                payload=archive.read(e["payload"]),
                inclusion_proof=tuple(base64.b64decode(h) for h in e["inclusion_proof"]),
            )
            for e in manifest["entries"]
        ]
        consistency = {
            size: [base64.b64decode(line) for line in archive.read(f"consistency/{size}.proof").splitlines()]
            for size in manifest["consistency_from"]
        }
        checkpoints = {
            size: archive.read(f"checkpoints/{size}.txt").decode("utf-8")
            for size in manifest["consistency_from"]
        }
        return {
            "origin": manifest["origin"],
            "review": manifest["review"],
            "checkpoint_note": archive.read("checkpoint.txt").decode("utf-8"),
            "tree_size": manifest["tree_size"],
            "entries": entries,
            "consistency": consistency,
            "checkpoints": checkpoints,
        }


def entry_of(parts: dict[str, Any], stream: str, version: int) -> BundleEntry:
    found = [e for e in parts["entries"] if (e.stream, e.version) == (stream, version)]
    assert len(found) == 1
    entry: BundleEntry = found[0]
    return entry


def with_entry(parts: dict[str, Any], old: BundleEntry, new: BundleEntry | None) -> dict[str, Any]:
    entries = [e for e in parts["entries"] if e is not old] + ([new] if new is not None else [])
    return {**parts, "entries": sorted(entries, key=lambda e: e.position)}


@dataclass(frozen=True)
class Record:
    stream: str
    version: int
    envelope: bytes
    signature: bytes
    payload: bytes


def log_records(app: Application) -> list[Record]:
    """Every stored event of the log, in its global order."""
    records = []
    for n in app.ledger.iter_notifications(0):
        stored = decode_state(str(n.originator_id), n.originator_version, n.topic, n.state)
        records.append(
            Record(
                str(n.originator_id), n.originator_version, stored.envelope, stored.signature, stored.payload
            )
        )
    return records


def signed_event(
    records: list[Record],
    *,
    stream: str,
    kind: str,
    actor: str,
    pair: KeyPair,
    data: dict[str, Any],
    at: datetime,
) -> Record:
    """A new event at the end of `stream`, chained and signed exactly as the ledger would."""
    prior = [r for r in records if r.stream == stream]
    payload = json.dumps({**data, "type": kind}, sort_keys=True).encode("utf-8")
    envelope = Envelope(
        origin=ORIGIN,
        stream=stream,
        version=len(prior) + 1,
        previous=sha256(prior[-1].envelope) if prior else NO_PREVIOUS,
        type=kind,
        time=at,
        actor=actor,
        key=pair.key_id,
        payload=sha256(payload),
        sealed=None,
        commitment=None,
    ).to_bytes()
    return Record(stream, len(prior) + 1, envelope, pair.sign(envelope), payload)


def forge_bundle(app: Application, records: list[Record], review: str | None) -> bytes:
    """A dishonest operator holding every key: a fresh tree over `records`, signed by the log's own key."""
    leaves = [leaf_hash(entry_bytes(r.envelope, r.signature)) for r in records]
    source, size = LeafListSource(leaves), len(leaves)
    checkpoint = Checkpoint(origin=ORIGIN, size=size, root=source.subtree_hash(0, size))
    entries = [
        BundleEntry(
            position=position,
            stream=r.stream,
            version=r.version,
            notification_id=position,
            envelope=r.envelope,
            signature=r.signature,
            payload=r.payload,
            inclusion_proof=tuple(inclusion_proof(position - 1, size, source)),
        )
        for position, r in enumerate(records, start=1)
        if review is None or r.stream in (review, REGISTRY_STREAM)
    ]
    return assemble_bundle(
        origin=ORIGIN,
        review=review,
        checkpoint_note=sign_checkpoint(checkpoint, ORIGIN, app.ledger.log_key.private_key),
        tree_size=size,
        entries=entries,
        consistency={},
        checkpoints={},
    )


def position_of(records: list[Record], stream: str, version: int) -> int:
    return next(i for i, r in enumerate(records, start=1) if (r.stream, r.version) == (stream, version))


# ==================================================================== an honest bundle


def test_the_inspector_verifies_one_record_with_nothing_but_the_log_key(
    story: BundleStory, tmp_path: Path
) -> None:
    """The verifier runs as its own process, from the inspector's folder, with only the key given."""
    bundle = tmp_path / "review.zip"
    bundle.write_bytes(story.review_bundle)

    result = run_verifier(bundle, "--log-key", story.log_key)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"VERIFIED: {bundle}")
    assert f"review {REVIEW} and the registry" in result.stdout
    assert result.stderr == ""

    as_json = run_verifier(bundle, "--log-key", story.log_key, "--json")
    report = json.loads(as_json.stdout)
    registry_events = story.app.ledger.registry().version
    assert (as_json.returncode, report["verified"], report["failures"]) == (0, True, [])
    assert report["entries"] == 2 + registry_events  # S-1 registered, S-1 disposed of, and the registry
    assert report["tree_size"] == story.app.ledger.tree.head().size


def test_the_whole_log_verifies_and_holds_every_position(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    code, report = check(inspector, story.whole_bundle, tmp_path, story.log_key)
    assert (code, report["failures"]) == (0, [])
    assert report["entries"] == report["tree_size"] == story.app.ledger.tree.head().size
    assert report["review"] is None


def test_a_bundle_holds_the_record_and_the_registry_and_no_personal_data(story: BundleStory) -> None:
    """Envelopes, signatures and public payloads only: the sealed personal data never leaves the log."""
    with zipfile.ZipFile(io.BytesIO(story.review_bundle)) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    streams = [(e["stream"], e["version"]) for e in manifest["entries"]]
    registry_events = story.app.ledger.registry().version
    size = story.app.ledger.tree.head().size
    assert [s for s in streams if s[0] == REVIEW] == [(REVIEW, 1), (REVIEW, 2)]
    assert [s for s in streams if s[0] == REGISTRY_STREAM] == [
        (REGISTRY_STREAM, v) for v in range(1, registry_events + 1)
    ]
    assert {
        "format": manifest["format"],
        "origin": manifest["origin"],
        "review": manifest["review"],
        "tree_size": manifest["tree_size"],
    } == {"format": "reviewledger-bundle/v3", "origin": ORIGIN, "review": REVIEW, "tree_size": size}
    positions = [e["position"] for e in manifest["entries"]]
    expected = {"manifest.json", "checkpoint.txt"}
    expected |= {f"entries/{p}.{suffix}" for p in positions for suffix in ("envelope", "sig", "payload")}
    steps = [e["position"] for e in manifest["entries"] if e["stream"] == REVIEW]
    # One proof per step of the record: from the checkpoint signed as each was logged, which it carries.
    expected |= {f"consistency/{n}.proof" for n in steps} | {f"checkpoints/{n}.txt" for n in steps}
    assert names == sorted(expected)
    assert not [name for name in names if name.endswith(".py")]  # no code travels in a bundle
    for bundle in (story.review_bundle, story.whole_bundle):
        for name in (*SUBJECT_NAMES, "Callum Drever", "Isla Flett", "Morven Sinclair", "2015-04-01"):
            assert name.encode() not in bundle


def test_the_zip_is_canonical_and_the_same_log_gives_the_same_bytes(
    story: BundleStory, tmp_path: Path
) -> None:
    with zipfile.ZipFile(io.BytesIO(story.review_bundle)) as archive:
        assert archive.comment == b""
        for info in archive.infolist():
            assert (info.compress_type, info.date_time, info.extra) == (
                zipfile.ZIP_STORED,
                (1980, 1, 1, 0, 0, 0),
                b"",
            )
            assert info.external_attr == 0o100644 << 16
    again = export_bundle(story.app.ledger, tmp_path / "again.zip", review=REVIEW)
    assert (tmp_path / "again.zip").read_bytes() == story.review_bundle
    assert (again.entries, again.tree_size, again.review) == (
        2 + story.app.ledger.registry().version,
        story.app.ledger.tree.head().size,
        REVIEW,
    )
    assert again.describe().startswith(f"{tmp_path / 'again.zip'}: {again.entries} entries (review {REVIEW}")


def test_a_record_that_does_not_exist_cannot_be_exported(story: BundleStory, tmp_path: Path) -> None:
    with pytest.raises(RecordNotFound, match="no record with reference 'subject-S-404'"):
        export_bundle(story.app.ledger, tmp_path / "none.zip", review=subject_stream("S-404"))
    assert not (tmp_path / "none.zip").exists()


def test_events_not_yet_in_the_tree_are_logged_before_a_bundle_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle holds only what its signed tree holds: events committed but not yet logged are
    logged first (as the log catches up), then the registry's head is marked after them."""
    app = open_log(tmp_path / "log", ORIGIN)
    try:
        app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
        register_subject(app, "S-1", SUBJECT_NAMES[0])
        logged = app.ledger.tree.head().size
        with monkeypatch.context() as patch:
            # The commits' logging is held back: neither their own transaction nor a catch-up logs them.
            patch.setattr(app.ledger.tree, "extend_within", lambda *_: False)
            patch.setattr(app.ledger.tree, "catch_up", lambda: app.ledger.tree.head())
            app.dispose(REVIEW, "retention schedule 4.2", "admin")
            register_subject(app, "S-2", SUBJECT_NAMES[1])
        assert app.ledger.tree.head().size == logged
        summary = export_bundle(app.ledger, tmp_path / "whole.zip")
        # The disposal, S-2, and the registry's head marked after them.
        assert (summary.tree_size, summary.entries) == (logged + 3, logged + 3)
        review = export_bundle(app.ledger, tmp_path / "review.zip", review=subject_stream("S-2"))
        assert review.tree_size == summary.tree_size
        result = run_verifier(tmp_path / "review.zip", "--log-key", app.ledger.log_verifier_key())
        assert result.returncode == 0, result.stdout
    finally:
        app.close()


# ==================================================================== the wrong key, the wrong log


def test_another_logs_key_proves_nothing(story: BundleStory, tmp_path: Path) -> None:
    bundle = tmp_path / "review.zip"
    bundle.write_bytes(story.review_bundle)
    result = run_verifier(bundle, "--log-key", story.other_log_key)
    assert result.returncode == 1
    assert result.stdout.startswith(f"NOT VERIFIED: {bundle}: 1 problem")
    assert f"checkpoint.txt: note has no signature by the --log-key {OTHER_ORIGIN}+" in result.stdout


@pytest.mark.parametrize(
    ("log_key", "problem"),
    [
        ("not a key", r"--log-key is not of the form name\+keyid\+base64key"),
        (f"{ORIGIN}+00000000+AQ==", r"--log-key is not an Ed25519 key"),
        (f"{ORIGIN}+zz+AQ==", r"--log-key key ID 'zz' is not 8 hexadecimal digits"),
    ],
)
def test_a_malformed_log_key_is_refused(
    story: BundleStory, inspector: ModuleType, tmp_path: Path, log_key: str, problem: str
) -> None:
    code, report = check(inspector, story.review_bundle, tmp_path, log_key)
    assert code == 1
    assert refused(report, problem), messages(report)


def test_a_key_with_the_logs_name_but_another_id_is_refused(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    name, key_id, material = story.log_key.split("+", 2)  # base64 may hold "+"
    wrong_id = f"{int(key_id, 16) ^ 1:08x}"
    code, report = check(inspector, story.review_bundle, tmp_path, f"{name}+{wrong_id}+{material}")
    assert code == 1
    assert refused(report, rf"--log-key key ID {wrong_id} does not match"), messages(report)


def test_the_verifier_reports_files_it_cannot_read(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = inspector.main([str(tmp_path / "missing.zip"), "--log-key", story.log_key])
    assert code == 1
    assert "cannot read" in output.getvalue()
    assert "missing.zip" in output.getvalue()
    code, report = check(inspector, b"PK\x03\x04 not really a zip", tmp_path, story.log_key)
    assert code == 1
    assert refused(report, r"bundle is not a readable zip archive: File is not a zip file")


# ==================================================================== every changed byte


def flip_positions(data: bytes) -> list[int]:
    """Every byte of a small zip; of a larger one, every header byte, and a spread sample of the contents."""
    size = len(data)
    if size < 20_000:
        return list(range(size))
    positions = set(range(0, size, size // 360))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    for info in infos:
        # The whole local header and name, then the first, middle and last byte of the contents.
        body = info.header_offset + 30 + len(info.filename)
        positions |= set(range(info.header_offset, body))
        positions |= {body, body + info.file_size // 2, body + info.file_size - 1}
    directory = struct.unpack_from("<I", data, size - 6)[0]  # end record: central directory offset
    positions |= set(range(directory, size))  # the central directory and the end record, entire
    return sorted(positions)


def test_every_changed_byte_is_caught_with_a_specific_reason(
    story: BundleStory, inspector: ModuleType
) -> None:
    """Each byte is flipped whole (xor 0xFF) and by its lowest bit; the extracted verifier refuses every one.

    This calls the verifier's verify_bundle() (what its main() runs) directly: thousands of runs.
    """
    bundle = story.review_bundle
    positions = flip_positions(bundle)
    assert len(positions) >= 300
    corrupt_contents = non_canonical_headers = 0
    for offset in positions:
        for mask in (0x01, 0xFF):
            damaged = bytearray(bundle)
            damaged[offset] ^= mask
            report = inspector.verify_bundle(bytes(damaged), story.log_key)
            assert not report.verified, f"byte {offset} ^ {mask:#x} went unnoticed"
            assert len(report.failures) == 1, (offset, [str(f) for f in report.failures])
            message = str(report.failures[0])
            assert re.search(ZIP_REFUSALS, message), (offset, message)
            corrupt_contents += "Bad CRC-32 for file" in message
            non_canonical_headers += "not in canonical form" in message
    # Both kinds of damage occur: contents that fail their CRC-32, headers that are not canonical.
    assert corrupt_contents > 0
    assert non_canonical_headers > 0


def test_a_changed_byte_fails_in_a_real_process_too(story: BundleStory, tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(story.review_bundle)) as archive:
        info = archive.getinfo("entries/1.envelope")
    damaged = bytearray(story.review_bundle)
    damaged[info.header_offset + 30 + len(info.filename) + 40] ^= 0x01
    bundle = tmp_path / "damaged.zip"
    bundle.write_bytes(bytes(damaged))
    result = run_verifier(bundle, "--log-key", story.log_key)
    assert result.returncode == 1
    assert "bundle is not a readable zip archive: Bad CRC-32 for file 'entries/1.envelope'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# ==================================================================== a forger who re-packs the zip


Parts = dict[str, Any]


def _altered(parts: Parts, which: tuple[str, int], **changes: Any) -> Parts:
    old = entry_of(parts, *which)
    return with_entry(parts, old, replace(old, **changes))


def _position(parts: dict[str, Any], stream: str, version: int) -> int:
    return entry_of(parts, stream, version).position


# A forger's change: (review bundle parts, whole-log parts, another log's checkpoint) -> (parts, refusal).
Tamper = Callable[[Parts, Parts, str], tuple[Parts, str]]


def _envelope_altered(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    old = entry_of(review, REVIEW, 1)
    new = replace(old, envelope=old.envelope.replace(b"actor officer", b"actor reviewer"))
    return with_entry(
        review, old, new
    ), rf"position {old.position}: inclusion proof does not lead to the checkpoint"


def _payload_swapped(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    donor = entry_of(whole, subject_stream("S-2"), 1)
    parts = _altered(review, (REVIEW, 1), payload=donor.payload)
    return (
        parts,
        rf"position {_position(review, REVIEW, 1)}: payload file's SHA-256 is not the payload digest",
    )


def _signature_swapped(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    donor = entry_of(whole, subject_stream("S-2"), 1)
    parts = _altered(review, (REVIEW, 1), signature=donor.signature)
    return parts, rf"position {_position(review, REVIEW, 1)}: inclusion proof does not lead"


def _signature_truncated(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    old = entry_of(review, REVIEW, 2)
    parts = _altered(review, (REVIEW, 2), signature=old.signature[:63])
    return parts, rf"position {old.position}: signature is 63 bytes, not 64"


def _first_version_left_out(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    old = entry_of(review, REVIEW, 1)
    parts = with_entry(review, old, None)
    return parts, rf"position {_position(review, REVIEW, 2)}: stream {REVIEW} starts at version 2, not 1"


def _registry_event_left_out(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    old = entry_of(review, REGISTRY_STREAM, 3)  # the administrator's key
    parts = with_entry(review, old, None)
    later = _position(review, REGISTRY_STREAM, 4)
    return (
        parts,
        rf"position {later}: stream registry version 4 follows version 2; versions must be consecutive",
    )


def _rotation_left_out(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    # Left off the end of the registry, a rotation cannot be missed by the chain; the new key then
    # signs nothing the verifier knows of. Here the whole log is the bundle, so positions are missing too.
    rotation = next(e for e in whole["entries"] if e.envelope.find(b"type registry.key-rotated\n") > 0)
    parts = with_entry(whole, rotation, None)
    s3 = _position(whole, subject_stream("S-3"), 1)
    return parts, rf"position {s3}: key [0-9a-f]{{16}} is not registered at this position"


def _whole_log_position_left_out(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    old = entry_of(whole, subject_stream("S-4"), 1)
    parts = with_entry(whole, old, None)
    return parts, rf"position {old.position}: a whole-log bundle must hold every position of its tree"


def _other_record_slipped_in(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    extra = entry_of(whole, subject_stream("S-2"), 1)
    parts = {**review, "entries": sorted([*review["entries"], extra], key=lambda e: e.position)}
    return parts, rf"position {extra.position}: entry belongs to subject-S-2, which is neither the review"


def _manifest_misnames_version(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    parts = _altered(review, (REVIEW, 2), version=3)
    return parts, rf"envelope is {REVIEW} version 2, the manifest says {REVIEW} version 3"


def _checkpoint_of_another_log(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    return {**review, "checkpoint_note": other}, "checkpoint.txt: note has no signature by the --log-key"


def _proof_shortened(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    old = entry_of(review, REVIEW, 2)
    parts = _altered(review, (REVIEW, 2), inclusion_proof=old.inclusion_proof[:-1])
    return parts, rf"position {old.position}: inclusion proof has too few hashes"


def _proof_lengthened(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    old = entry_of(review, REVIEW, 2)
    parts = _altered(review, (REVIEW, 2), inclusion_proof=(*old.inclusion_proof, bytes(32)))
    return parts, rf"position {old.position}: inclusion proof has more hashes than a tree of size"


def _tree_size_overstated(review: Parts, whole: Parts, other: str) -> tuple[Parts, str]:
    return {**review, "tree_size": review["tree_size"] + 1}, "manifest origin and tree size are not those"


@pytest.mark.parametrize(
    "tamper",
    [
        _envelope_altered,
        _payload_swapped,
        _signature_swapped,
        _signature_truncated,
        _first_version_left_out,
        _registry_event_left_out,
        _rotation_left_out,
        _whole_log_position_left_out,
        _other_record_slipped_in,
        _manifest_misnames_version,
        _checkpoint_of_another_log,
        _proof_shortened,
        _proof_lengthened,
        _tree_size_overstated,
    ],
)
def test_a_re_packed_bundle_with_a_consistent_manifest_is_still_caught(
    story: BundleStory, inspector: ModuleType, tmp_path: Path, tamper: Tamper
) -> None:
    """The forger rebuilds a canonical zip with a matching manifest: the proofs and signatures still refuse it."""
    other = story.other_checkpoint.read_text(encoding="utf-8")
    parts, problem = tamper(parts_of(story.review_bundle), parts_of(story.whole_bundle), other)
    code, report = check(inspector, assemble_bundle(**parts), tmp_path, story.log_key)
    assert code == 1
    assert refused(report, problem), messages(report)


def test_re_packing_the_untouched_parts_gives_back_the_same_bundle(story: BundleStory) -> None:
    """The forger's tools are honest tools: without a change they reproduce the bundle byte for byte."""
    assert assemble_bundle(**parts_of(story.review_bundle)) == story.review_bundle
    assert assemble_bundle(**parts_of(story.whole_bundle)) == story.whole_bundle


def test_a_member_changed_without_its_manifest_digest_is_named(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    with zipfile.ZipFile(io.BytesIO(story.review_bundle)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    position = entry_of(parts_of(story.review_bundle), REVIEW, 2).position
    members[f"entries/{position}.payload"] += b" "
    code, report = check(inspector, verifier_zip.canonical_zip(members), tmp_path, story.log_key)
    assert code == 1
    assert messages(report) == [
        f"position {position}: member entries/{position}.payload does not have the SHA-256 the manifest lists"
    ]
    members["extra.txt"] = b"hello"
    code, report = check(inspector, verifier_zip.canonical_zip(members), tmp_path, story.log_key)
    assert code == 1
    assert messages(report) == ["bundle has a member 'extra.txt' that the manifest does not list"]


# ==================================================================== a forger holding every key


def test_a_bundle_forged_from_the_genuine_events_verifies(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    """The forging tool itself is sound: over the genuine events it makes a bundle that verifies."""
    records = log_records(story.app)
    code, report = check(inspector, forge_bundle(story.app, records, None), tmp_path, story.log_key)
    assert (code, report["failures"]) == (0, [])


FORGERIES = (
    "rotated-away key",
    "registry signed by a non-administrator",
    "unregistered key",
    "someone else's key",
    "log key on a record",
    "compromised key",
    "second log establishment",
    "log established under another key",
)


def forgery(story: BundleStory, scenario: str) -> tuple[list[Record], str]:
    """The genuine events plus one the operator signs with a key they hold; and the refusal it must meet."""
    ledger, records = story.app.ledger, log_records(story.app)
    old_officer = ledger.keys.load(story.officer_first_key)
    officer = ledger.keys.load(ledger.registry().active_key("officer") or "")
    admin = ledger.keys.load(ledger.registry().active_key("admin") or "")
    impostor = KeyPair.generate()
    s2 = subject_stream("S-2")
    s2_time = Envelope.parse(records[position_of(records, s2, 1) - 1].envelope).time
    noon = NOON.isoformat().replace("+00:00", "Z")
    disposal = (
        "record.personal-data-disposed",
        {"at": noon, "authorised_by": "admin", "reason": "", "rule": "r"},
    )
    grant = ("registry.role-granted", {"actor_id": "officer", "at": noon, "role": "administrator"})
    compromise = (
        "registry.key-compromised",
        {
            "actor_id": "officer",
            "at": noon,
            "key_id": old_officer.key_id,
            "compromised_from": (s2_time - timedelta(seconds=1)).isoformat(),
            "reason": "laptop lost",
        },
    )

    def establishment(pair: KeyPair) -> tuple[str, dict[str, Any]]:
        data = {
            "at": noon,
            "log_key_id": pair.key_id,
            "origin": ORIGIN,
            "log_public_key": pair.public_key_b64,
        }
        return "registry.log-established", data

    cases: dict[str, tuple[str, str, KeyPair, tuple[str, dict[str, Any]], str]] = {
        "rotated-away key": (
            s2,
            "officer",
            old_officer,
            disposal,
            rf"key {old_officer.key_id} of officer was rotated away at position \d+ and signs nothing after",
        ),
        "registry signed by a non-administrator": (
            REGISTRY_STREAM,
            "officer",
            officer,
            grant,
            "registry events are signed by the log or an administrator; officer is not one here",
        ),
        "unregistered key": (
            s2,
            "officer",
            impostor,
            disposal,
            r"key [0-9a-f]{16} is not registered at this position",
        ),
        "someone else's key": (
            s2,
            "officer",
            admin,
            disposal,
            rf"key {admin.key_id} belongs to admin, not to officer",
        ),
        "log key on a record": (
            s2,
            "log",
            ledger.log_key,
            disposal,
            "the log's key signs only registry events",
        ),
        "compromised key": (
            REGISTRY_STREAM,
            "admin",
            admin,
            compromise,
            rf"position {position_of(records, s2, 1)}: signed by key {old_officer.key_id} of officer at "
            r".*marked compromised",
        ),
        "second log establishment": (
            REGISTRY_STREAM,
            "log",
            ledger.log_key,
            establishment(ledger.log_key),
            "the log is established a second time",
        ),
        "log established under another key": (
            REGISTRY_STREAM,
            "log",
            impostor,
            establishment(impostor),
            "position 1: the log-established event names a log key other than --log-key",
        ),
    }
    stream, actor, pair, (kind, data), problem = cases[scenario]
    if scenario == "log established under another key":
        # Not added but swapped in: the log's very first event names the impostor's key.
        event = signed_event([], stream=stream, kind=kind, actor=actor, pair=pair, data=data, at=NOON)
        return [event, *records[1:]], problem
    event = signed_event(records, stream=stream, kind=kind, actor=actor, pair=pair, data=data, at=NOON)
    return [*records, event], problem


@pytest.mark.parametrize("scenario", FORGERIES)
def test_keys_are_trusted_only_where_the_registry_says(
    story: BundleStory, inspector: ModuleType, tmp_path: Path, scenario: str
) -> None:
    """Even the operator, holding every private key and the log's own, cannot sign outside the registry."""
    records, problem = forgery(story, scenario)
    code, report = check(inspector, forge_bundle(story.app, records, None), tmp_path, story.log_key)
    assert code == 1
    assert refused(report, problem), messages(report)


def test_a_key_marked_compromised_in_the_real_log_fails_what_it_signed_after_the_compromise(
    tmp_path: Path, inspector: ModuleType
) -> None:
    """Marked compromised from a time before S-1 was recorded: S-1 is no longer trusted, the rest is."""
    app = open_log(tmp_path / "log", ORIGIN)
    try:
        app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
        register_subject(app, "S-1", SUBJECT_NAMES[0])
        key = app.ledger.registry().active_key("officer") or ""
        since = app.clock.now() - timedelta(seconds=30)
        app.mark_compromised("admin", "officer", key, since, "laptop stolen")
        export_bundle(app.ledger, tmp_path / "review.zip", review=REVIEW)
        bundle = (tmp_path / "review.zip").read_bytes()
        position = entry_of(parts_of(bundle), REVIEW, 1).position
        code, report = check(inspector, bundle, tmp_path, app.ledger.log_verifier_key())
        assert code == 1
        assert [f["position"] for f in report["failures"]] == [position]
        assert report["failures"][0]["message"].startswith(f"signed by key {key} of officer at ")
        assert f"marked compromised (position {report['tree_size']})" in report["failures"][0]["message"]
    finally:
        app.close()


# ==================================================================== checkpoints the inspector holds


def test_an_earlier_checkpoint_the_inspector_holds_is_proved_consistent(
    story: BundleStory, tmp_path: Path
) -> None:
    bundle = tmp_path / "review.zip"
    bundle.write_bytes(story.review_bundle)
    result = run_verifier(bundle, "--log-key", story.log_key, "--since", str(story.early_checkpoint))
    assert result.returncode == 0, result.stdout
    early_size = int(story.early_checkpoint.read_text().split("\n")[1])
    assert f"consistent with your checkpoint of tree size {early_size}" in result.stdout


def test_the_latest_checkpoint_itself_needs_no_proof(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    code, report = check(
        inspector, story.review_bundle, tmp_path, story.log_key, "--since", str(story.latest_checkpoint)
    )
    assert (code, report["failures"]) == (0, [])


def test_a_checkpoint_of_another_log_is_refused(story: BundleStory, tmp_path: Path) -> None:
    bundle = tmp_path / "review.zip"
    bundle.write_bytes(story.review_bundle)
    result = run_verifier(bundle, "--log-key", story.log_key, "--since", str(story.other_checkpoint))
    assert result.returncode == 1
    assert "--since checkpoint: note has no signature by the --log-key" in result.stdout


def test_an_older_bundle_is_not_taken_for_the_log_as_it_is_now(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    """The inspector already holds a later checkpoint: a bundle from before it cannot pass as current."""
    code, report = check(
        inspector, story.early_bundle, tmp_path, story.log_key, "--since", str(story.latest_checkpoint)
    )
    assert code == 1
    assert refused(
        report,
        rf"--since checkpoint has tree size {story.app.ledger.tree.head().size}, larger than the bundle's \d+",
    )


def test_a_bundle_without_a_proof_from_the_held_checkpoint_says_so(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    parts = {**parts_of(story.review_bundle), "consistency": {}, "checkpoints": {}}
    code, report = check(
        inspector, assemble_bundle(**parts), tmp_path, story.log_key, "--since", str(story.early_checkpoint)
    )
    early_size = int(story.early_checkpoint.read_text().split("\n")[1])
    assert code == 1
    assert messages(report) == [
        f"bundle has no consistency proof from tree size {early_size} (consistency/{early_size}.proof); "
        "ask for a bundle exported with --since this checkpoint"
    ]


def test_a_forked_proof_from_the_held_checkpoint_is_refused(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    early_size = int(story.early_checkpoint.read_text().split("\n")[1])
    parts = parts_of(story.review_bundle)
    proof = list(parts["consistency"][early_size])
    proof[-1] = bytes(32)
    parts["consistency"] = {**parts["consistency"], early_size: proof}
    code, report = check(
        inspector, assemble_bundle(**parts), tmp_path, story.log_key, "--since", str(story.early_checkpoint)
    )
    assert code == 1
    assert refused(report, "consistency proof does not lead to"), messages(report)


# ==================================================================== a bundle proves it is complete


def test_each_consistency_proof_travels_with_the_checkpoint_it_starts_from(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    """Without --since too: every carried checkpoint verifies, and its proof to the bundle's holds."""
    parts = parts_of(story.review_bundle)
    assert parts["checkpoints"].keys() == parts["consistency"].keys() != set()
    for size, note in parts["checkpoints"].items():
        assert note == story.app.ledger.tree.checkpoint_at(size)
    code, report = check(inspector, story.review_bundle, tmp_path, story.log_key)
    assert (code, report["failures"]) == (0, [])


def test_a_checkpoint_left_out_is_named(story: BundleStory, inspector: ModuleType, tmp_path: Path) -> None:
    parts = parts_of(story.review_bundle)
    size = min(parts["checkpoints"])
    parts["checkpoints"] = {n: note for n, note in parts["checkpoints"].items() if n != size}
    code, report = check(inspector, assemble_bundle(**parts), tmp_path, story.log_key)
    assert code == 1
    assert messages(report) == [
        f"bundle has no signed checkpoint of tree size {size} (checkpoints/{size}.txt), which its "
        "consistency proof from that size starts from"
    ]


def test_a_consistency_proof_left_out_is_named(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    parts = parts_of(story.review_bundle)
    size = max(parts["consistency"])
    parts["consistency"] = {n: proof for n, proof in parts["consistency"].items() if n != size}
    code, report = check(inspector, assemble_bundle(**parts), tmp_path, story.log_key)
    assert code == 1
    assert messages(report) == [
        f"bundle has no consistency proof from its checkpoint of tree size {size} (consistency/{size}.proof)"
    ]


def test_a_carried_checkpoint_of_another_tree_is_refused(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    """A checkpoint the log signed of a tree the bundle's is not an extension of: the log forked."""
    parts = parts_of(story.review_bundle)
    size = min(parts["checkpoints"])
    forked = Checkpoint(origin=ORIGIN, size=size, root=bytes(32))
    parts["checkpoints"] = {
        **parts["checkpoints"],
        size: sign_checkpoint(forked, ORIGIN, story.app.ledger.log_key.private_key),
    }
    code, report = check(inspector, assemble_bundle(**parts), tmp_path, story.log_key)
    assert code == 1
    [message] = messages(report)
    assert message.startswith(f"checkpoint of tree size {size}: consistency proof does not lead to the ")


def test_the_registry_tail_left_out_is_refused(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    """The registry's last events dropped and the bundle re-packed: its registry no longer reaches
    the tree's last position, which its inclusion proof showed it did."""
    parts = parts_of(story.review_bundle)
    registry = [e for e in parts["entries"] if e.stream == REGISTRY_STREAM]
    assert registry[-1].position == parts["tree_size"]  # an honest bundle: the registry's is the last event
    for dropped in (1, 2):
        cut = parts
        for entry in registry[-dropped:]:
            cut = with_entry(cut, entry, None)
        kept = registry[-dropped - 1]
        code, report = check(inspector, assemble_bundle(**cut), tmp_path, story.log_key)
        assert code == 1
        assert messages(report) == [
            f"registry events are missing: the bundle's registry ends at version {kept.version} "
            f"(position {kept.position}), not at the tree's last position, {parts['tree_size']}, "
            "where a bundle's registry must end"
        ]


def test_a_bundle_is_exported_under_a_checkpoint_that_ends_with_the_registry(
    inspector: ModuleType, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The log marks its registry's head when its last event is not the registry's; not otherwise."""
    app = open_log(tmp_path / "log", ORIGIN)
    request.addfinalizer(app.close)
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    register_subject(app, "S-1", SUBJECT_NAMES[0])
    version = app.ledger.registry().version
    first, second = tmp_path / "one.zip", tmp_path / "two.zip"
    export_bundle(app.ledger, first, review=REVIEW)
    assert app.ledger.registry().version == version + 1  # marked: the log had moved on past it
    export_bundle(app.ledger, second, review=REVIEW)
    assert app.ledger.registry().version == version + 1  # not again: nothing was logged since
    assert first.read_bytes() == second.read_bytes()
    parts = parts_of(first.read_bytes())
    [last] = [e for e in parts["entries"] if e.position == parts["tree_size"]]
    assert (last.stream, json.loads(last.payload)["type"]) == (REGISTRY_STREAM, "registry.head-marked")
    log_key = app.ledger.log_verifier_key()
    assert check(inspector, first.read_bytes(), tmp_path, log_key)[0] == 0
    assert verify_ledger(app.ledger).intact

    # A log holding its own key could sign a tree whose last event is another record's: refused.
    records = log_records(app)[:-1]
    code, report = check(inspector, forge_bundle(app, records, REVIEW), tmp_path, log_key)
    registry = [(p, r) for p, r in enumerate(records, start=1) if r.stream == REGISTRY_STREAM]
    assert code == 1
    assert messages(report) == [
        f"registry events are missing: the bundle's registry ends at version {registry[-1][1].version} "
        f"(position {registry[-1][0]}), not at the tree's last position, {len(records)}, "
        "where a bundle's registry must end"
    ]


def test_a_bundle_of_the_earlier_format_is_refused(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    with zipfile.ZipFile(io.BytesIO(story.review_bundle)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["format"] = "reviewledger-bundle/v2"
    members["manifest.json"] = verifier_zip.encode_manifest(manifest)
    code, report = check(inspector, verifier_zip.canonical_zip(members), tmp_path, story.log_key)
    assert code == 1
    assert messages(report) == [
        "manifest format is 'reviewledger-bundle/v2'; this verifier reads 'reviewledger-bundle/v3'"
    ]


def test_a_review_bundle_proves_consistency_from_its_own_steps_checkpoints_and_no_others(
    story: BundleStory,
) -> None:
    """Not one proof per checkpoint of the log: one per checkpoint signed as this record's steps were logged."""
    size = story.app.ledger.tree.head().size
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(story.review_bundle)).read("manifest.json"))
    steps = [e["position"] for e in manifest["entries"] if e["stream"] == REVIEW]
    early_size = int(story.early_checkpoint.read_text().split("\n")[1])
    other_size = int(story.other_step_checkpoint.read_text().split("\n")[1])
    assert manifest["consistency_from"] == steps
    assert early_size in steps
    assert other_size not in steps
    assert len(steps) < size - 1
    # Every checkpoint signed covers a step of the whole log: its bundle proves from each.
    whole = json.loads(zipfile.ZipFile(io.BytesIO(story.whole_bundle)).read("manifest.json"))
    # (the first checkpoint is of size 2: the log and its ML-DSA-44 key are named in one append)
    assert whole["consistency_from"] == list(range(2, size))


def test_export_proves_consistency_from_the_inspectors_checkpoint_and_refuses_a_stranger(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    """A checkpoint signed after another record's step: named at export, it is proved too."""
    held = str(story.other_step_checkpoint)
    other_size = int(story.other_step_checkpoint.read_text().split("\n")[1])
    code, report = check(inspector, story.review_bundle, tmp_path, story.log_key, "--since", held)
    assert code == 1
    assert messages(report) == [
        f"bundle has no consistency proof from tree size {other_size} (consistency/{other_size}.proof); "
        "ask for a bundle exported with --since this checkpoint"
    ]
    since = story.other_step_checkpoint.read_text(encoding="utf-8")
    export_bundle(story.app.ledger, tmp_path / "since.zip", review=REVIEW, since_checkpoint=since)
    code, report = check(
        inspector, (tmp_path / "since.zip").read_bytes(), tmp_path, story.log_key, "--since", held
    )
    assert (code, report["failures"]) == (0, [])
    assert other_size in parts_of((tmp_path / "since.zip").read_bytes())["consistency"]
    with pytest.raises(BundleExportError, match="the --since checkpoint is not a checkpoint of this log"):
        export_bundle(
            story.app.ledger,
            tmp_path / "stranger.zip",
            review=REVIEW,
            since_checkpoint=story.other_checkpoint.read_text(encoding="utf-8"),
        )


def test_the_command_line_exports_a_bundle_since_the_checkpoint_the_inspector_holds(
    story: BundleStory, inspector: ModuleType, tmp_path: Path
) -> None:
    held = str(story.other_step_checkpoint)
    out = tmp_path / "since.zip"
    base = ["--db", story.app.db.url.describe(), "--kek-file", str(story.app.kek_file)]
    assert (
        main([*base, "bundle", "export", "--out", str(out), "--review", REVIEW, "--since", held, "--quiet"])
        == 0
    )
    code, report = check(inspector, out.read_bytes(), tmp_path, story.log_key, "--since", held)
    assert (code, report["failures"]) == (0, [])


# ==================================================================== the verifier's own parts


def _vector_files(kind: str) -> list[Any]:
    folder = VECTORS / "rfc6962" / kind
    files = sorted(folder.rglob("*.json")) if folder.is_dir() else []
    return [pytest.param(p, id=p.relative_to(folder).as_posix()) for p in files] or [
        pytest.param(None, id=f"{kind}-vectors-missing")
    ]


def _require(path: Path | None) -> Path:
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the RFC 6962 vectors are missing from {VECTORS}; CI=true requires them")
        pytest.skip(f"RFC 6962 vectors not found at {VECTORS}")
    return path


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


@pytest.mark.parametrize("path", _vector_files("inclusion"))
def test_the_verifiers_inclusion_check_answers_every_published_vector(path: Path | None) -> None:
    case = json.loads(_require(path).read_text(encoding="utf-8"))
    proof = [_b64(h) for h in case["proof"] or []]

    def run() -> None:
        verifier_merkle.verify_inclusion(
            case["leafIdx"], case["treeSize"], _b64(case["leafHash"]), proof, _b64(case["root"])
        )

    if case["wantErr"]:
        with pytest.raises(VerifierFailure, match=r"inclusion proof"):
            run()
    else:
        run()


@pytest.mark.parametrize("path", _vector_files("consistency"))
def test_the_verifiers_consistency_check_answers_every_published_vector(path: Path | None) -> None:
    """Files expecting success with 12-byte placeholder roots end in a hash-size refusal, as in audit/merkle."""
    case = json.loads(_require(path).read_text(encoding="utf-8"))
    proof = [_b64(h) for h in case["proof"] or []]
    roots = (_b64(case["root1"]), _b64(case["root2"]))

    def run() -> None:
        verifier_merkle.verify_consistency(case["size1"], case["size2"], proof, *roots)

    if case["wantErr"]:
        with pytest.raises(VerifierFailure, match=r"consistency proof|checkpoints of size|forked"):
            run()
    elif all(len(h) == 32 for h in (*roots, *proof)):
        run()
    else:
        with pytest.raises(VerifierFailure, match="not 32 bytes"):
            run()


def test_the_verifiers_note_check_opens_the_signed_note_example_and_nothing_else() -> None:
    example_file = VECTORS / "signed-note" / "example.json"
    example = json.loads(
        _require(example_file if example_file.is_file() else None).read_text(encoding="utf-8")
    )
    key = verifier_notes.parse_log_key(example["verifier_key"])
    assert verifier_notes.verify_note(example["note"], key, "example") == "This is an example message.\n"
    altered = example["note"].replace("example message", "exemple message")
    with pytest.raises(VerifierFailure, match=r"signature by example\.com/foo does not verify"):
        verifier_notes.verify_note(altered, key, "example")


def test_the_verifier_reads_envelopes_by_exactly_the_rules_the_log_writes_them(story: BundleStory) -> None:
    """A differential check: every one-character change to real envelopes is accepted or refused by both parsers alike."""
    with zipfile.ZipFile(io.BytesIO(story.review_bundle)) as archive:
        envelopes = [archive.read(name) for name in archive.namelist() if name.endswith(".envelope")]
    for original in envelopes[:4]:
        for offset in range(len(original)):
            for replacement in (b"X", b"0", b" ", b"\n", b"-", b"\xc3"):
                mutated = original[:offset] + replacement + original[offset + 1 :]
                try:
                    Envelope.parse(mutated)
                    log_accepts = True
                except VerificationError:
                    log_accepts = False
                try:
                    verifier_envelope.parse_envelope(mutated, 1)
                    verifier_accepts = True
                except VerifierFailure:
                    verifier_accepts = False
                assert log_accepts == verifier_accepts, mutated


def test_a_bundle_of_more_than_65535_members_is_written_with_a_zip64_end_record() -> None:
    """The log's writer and the inspector's verifier, each with code of its own, make the same bytes."""
    members = {f"entries/{n}.payload": b"{}" for n in range(70_000)}
    data = bundle_format.canonical_zip(members)
    assert struct.pack("<I", verifier_zip.ZIP64_END_RECORD_SIGNATURE) in data[-120:]
    read_back = verifier_zip.read_members(data)
    assert len(read_back) == 70_000
    verifier_zip.check_canonical(data, read_back)
    assert verifier_zip.canonical_zip(members) == data


def test_the_log_and_the_verifier_encode_a_manifest_alike(story: BundleStory) -> None:
    with zipfile.ZipFile(io.BytesIO(story.review_bundle)) as archive:
        raw = archive.read("manifest.json")
    manifest = json.loads(raw)
    assert bundle_format.encode_manifest(manifest) == verifier_zip.encode_manifest(manifest) == raw
