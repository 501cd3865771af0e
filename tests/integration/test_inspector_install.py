"""An inspector installs the verifier of their own and checks what the log hands them.

The inspector builds (or downloads) the verifier's wheel and compares its SHA-256 with the one
published in README.md; installs it into a clean virtual environment holding nothing but
`cryptography` (pinned with hashes); runs two witnesses, to which the log pushes its
checkpoints; and runs `reviewledger-verify` on a review's bundle with the log's key, the
checkpoint they already hold and their witness policy. Then the log misbehaves, once each way:
it shows a forked history, a truncated one, a bundle with the registry's last event left out,
and one with a checkpoint left out. Each is refused with its own words.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.app.application import Application
from adapters.governance.bundle import BundleEntry, assemble_bundle, export_bundle
from adapters.store.mapper import decode_state
from adapters.transparency.witnessing import WitnessPusher, witness_targets
from audit.envelope import entry_bytes
from audit.merkle import LeafListSource, inclusion_proof, leaf_hash
from audit.note import Checkpoint, sign_checkpoint
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.registry import REGISTRY_STREAM
from domain.kernel.roles import Role
from tests.integration.witness_processes import WitnessProcess, start_witnesses, write_policy

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "reviewledger.test/inspected"
REVIEW = subject_stream("S-1")

pytestmark = pytest.mark.slow


def _requirements_for_cryptography() -> str:
    """cryptography and what it needs, each pinned with its hashes, as requirements.lock has them."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.findall(
        r"^((?:cryptography|cffi|pycparser)==\S+ \\\n(?:    .*\n)+)", text, flags=re.MULTILINE
    )
    assert len(blocks) == 3, "requirements.lock no longer pins cryptography, cffi and pycparser"
    return "".join(blocks)


@dataclass(frozen=True)
class Inspector:
    """A clean virtual environment with the verifier installed from its wheel, and a folder of their own."""

    command: Path
    python: Path
    folder: Path

    def verify(self, bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.command), str(bundle), *args],
            cwd=self.folder,
            env={"PATH": "/usr/bin:/bin", "HOME": str(self.folder)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


@pytest.fixture(scope="module")
def inspector(tmp_path_factory: pytest.TempPathFactory) -> Inspector:
    folder = tmp_path_factory.mktemp("inspector")
    built = subprocess.run(
        [sys.executable, str(ROOT / "verifier" / "build_wheel.py"), str(folder / "dist")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    [wheel] = (folder / "dist").glob("reviewledger_verify-*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert built.stdout.splitlines()[-1] == f"SHA-256 {digest}"
    # The README publishes the SHA-256 of the release's wheel: the one this source builds.
    assert f"`{wheel.name}` SHA-256 `{digest}`" in (ROOT / "README.md").read_text(encoding="utf-8")

    environment = folder / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(environment)
    python = environment / "bin" / "python"
    requirements = folder / "requirements.txt"
    requirements.write_text(_requirements_for_cryptography(), encoding="utf-8")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "--require-hashes", "--only-binary", ":all:", "-r", str(requirements)],
        check=True,
        timeout=600,
    )
    subprocess.run([*pip, "--no-deps", "--no-index", str(wheel)], check=True, timeout=300)
    installed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = sorted(line.split("==")[0].lower() for line in installed.splitlines())
    assert [n for n in names if n not in ("pip", "setuptools")] == [
        "cffi",
        "cryptography",
        "pycparser",
        "reviewledger-verify",
    ]
    return Inspector(command=environment / "bin" / "reviewledger-verify", python=python, folder=folder)


class SteppingClock:
    """One second later at every reading."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


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


@dataclass(frozen=True)
class Record:
    stream: str
    version: int
    envelope: bytes
    signature: bytes
    payload: bytes


def _records(app: Application) -> list[Record]:
    found = []
    for n in app.ledger.iter_notifications(0):
        stored = decode_state(str(n.originator_id), n.originator_version, n.topic, n.state)
        found.append(
            Record(
                str(n.originator_id), n.originator_version, stored.envelope, stored.signature, stored.payload
            )
        )
    return found


def _history(app: Application, records: list[Record]) -> bytes:
    """A review's bundle over `records` as the whole log, signed with the log's own key: what a log
    that keeps a second history, or a shortened one, hands out."""
    source = LeafListSource([leaf_hash(entry_bytes(r.envelope, r.signature)) for r in records])
    size, key = len(records), app.ledger.log_key.private_key
    note = sign_checkpoint(
        Checkpoint(origin=ORIGIN, size=size, root=source.subtree_hash(0, size)), ORIGIN, key
    )
    return assemble_bundle(
        origin=ORIGIN,
        review=REVIEW,
        checkpoint_note=note,
        tree_size=size,
        entries=[
            BundleEntry(
                position=p,
                stream=r.stream,
                version=r.version,
                notification_id=p,
                envelope=r.envelope,
                signature=r.signature,
                payload=r.payload,
                inclusion_proof=tuple(inclusion_proof(p - 1, size, source)),
            )
            for p, r in enumerate(records, start=1)
            if r.stream in (REVIEW, REGISTRY_STREAM)
        ],
        consistency={},
        checkpoints={},
    )


def _parts(bundle: Path) -> dict[str, Any]:
    """The arguments of assemble_bundle that made this bundle."""
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        sizes = manifest["consistency_from"]
        return {
            "origin": manifest["origin"],
            "review": manifest["review"],
            "checkpoint_note": archive.read("checkpoint.txt").decode(),
            "tree_size": manifest["tree_size"],
            "entries": [
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
            ],
            "consistency": {
                n: [base64.b64decode(h) for h in archive.read(f"consistency/{n}.proof").split()]
                for n in sizes
            },
            "checkpoints": {n: archive.read(f"checkpoints/{n}.txt").decode() for n in sizes},
        }


def _write(folder: Path, name: str, data: bytes) -> Path:
    (folder / name).write_bytes(data)
    return folder / name


def test_the_inspector_verifies_with_their_own_verifier_and_refuses_each_misbehaviour(
    inspector: Inspector, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("log")
    app = Application(f"sqlite:///{folder}/store.db", folder / "kek", create_kek=True, clock=SteppingClock())
    witnesses: list[WitnessProcess] = []
    try:
        app.initialise(ORIGIN)
        # The inspectorate runs two witnesses; the log sends them each checkpoint as it is signed.
        witnesses = start_witnesses(app.ledger.log_verifier_key(), inspector.folder)
        log_keys = [app.ledger.log_verifier_key(), app.ledger.log_mldsa_verifier_key() or ""]
        policy = write_policy(inspector.folder, log_keys, witnesses)
        app.ledger.after_append = WitnessPusher(app.ledger, witness_targets(policy), 5)
        app.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR,))
        app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
        _subject(app, "S-1")
        _subject(app, "S-2")
        key = app.ledger.log_verifier_key()  # handed over apart from any bundle
        held = inspector.folder / "held.checkpoint"
        held.write_text(app.ledger.tree.latest_checkpoint() or "", encoding="utf-8")
        held_size = app.ledger.tree.head().size

        # The review's bundle verifies, and the log is consistent with the checkpoint held.
        export_bundle(
            app.ledger, inspector.folder / "review.zip", review=REVIEW, since_checkpoint=held.read_text()
        )
        result = inspector.verify(
            inspector.folder / "review.zip", "--log-key", key, "--since", str(held), "--policy", str(policy)
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith(f"VERIFIED: {inspector.folder / 'review.zip'}")
        assert f"consistent with your checkpoint of tree size {held_size}" in result.stdout

        # A carried checkpoint stripped of its cosignatures: the policy's quorum fails on it.
        parts = _parts(inspector.folder / "review.zip")
        size = min(parts["checkpoints"])
        note = parts["checkpoints"][size]
        parts["checkpoints"][size] = "".join(
            line for line in note.splitlines(keepends=True) if "witness.inspectorate.test/" not in line
        )
        bundle = _write(inspector.folder, "unwitnessed.zip", assemble_bundle(**parts))
        result = inspector.verify(bundle, "--log-key", key, "--policy", str(policy))
        assert result.returncode == 1
        assert (
            f"checkpoint of tree size {size}: checkpoints/{size}.txt: the witness policy's quorum every is "
            "not met: valid cosignatures from no witness"
        ) in result.stdout

        # A forked log: the same events in another order, as many as the inspector's checkpoint covers.
        records = _records(app)[:held_size]  # (the log has since marked its registry's head)
        forked = [*records[:-2], records[-1], records[-2]]
        bundle = _write(inspector.folder, "forked.zip", _history(app, forked))
        result = inspector.verify(bundle, "--log-key", key, "--since", str(held))
        assert result.returncode == 1
        assert (
            f"the two checkpoints of size {held_size} have different root hashes: the log forked"
            in result.stdout
        )

        # A truncated log: the inspector's checkpoint's last event gone, the rest signed again.
        bundle = _write(inspector.folder, "truncated.zip", _history(app, records[: held_size - 1]))
        result = inspector.verify(bundle, "--log-key", key, "--since", str(held))
        assert result.returncode == 1
        assert (
            f"--since checkpoint has tree size {held_size}, larger than the bundle's {held_size - 1}: "
            "the log has been truncated, or this bundle is older"
        ) in result.stdout

        # The officer's key is marked compromised from before S-1 was recorded: the bundle says so ...
        officer_key = app.ledger.registry().active_key("officer") or ""
        app.mark_compromised(
            "admin", "officer", officer_key, datetime(2026, 3, 2, 9, 0, 1, tzinfo=UTC), "lost"
        )
        export_bundle(app.ledger, inspector.folder / "compromised.zip", review=REVIEW)
        result = inspector.verify(inspector.folder / "compromised.zip", "--log-key", key)
        assert result.returncode == 1
        assert f"signed by key {officer_key} of officer" in result.stdout
        # ... and with the compromise left off the registry's end, the bundle is still refused.
        parts = _parts(inspector.folder / "compromised.zip")
        registry = [e for e in parts["entries"] if e.stream == REGISTRY_STREAM]
        parts["entries"] = [e for e in parts["entries"] if e is not registry[-1]]
        bundle = _write(inspector.folder, "tail.zip", assemble_bundle(**parts))
        result = inspector.verify(bundle, "--log-key", key)
        assert result.returncode == 1
        assert (
            f"registry events are missing: the bundle's registry ends at version {registry[-2].version} "
            f"(position {registry[-2].position}), not at the tree's last position, {parts['tree_size']}"
        ) in result.stdout

        # A checkpoint left out, its proof kept.
        parts = _parts(inspector.folder / "review.zip")
        size = min(parts["checkpoints"])
        parts["checkpoints"] = {n: c for n, c in parts["checkpoints"].items() if n != size}
        bundle = _write(inspector.folder, "no-checkpoint.zip", assemble_bundle(**parts))
        result = inspector.verify(bundle, "--log-key", key)
        assert result.returncode == 1
        assert (
            f"bundle has no signed checkpoint of tree size {size} (checkpoints/{size}.txt)" in result.stdout
        )
        assert "Traceback" not in result.stdout + result.stderr
    finally:
        for witness in witnesses:
            witness.stop()
        app.close()
