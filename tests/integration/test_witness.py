"""Witnesses an inspector runs: they cosign the log's checkpoints, and refuse a rollback or a fork.

Two witnesses, each with an Ed25519 and an ML-DSA-44 key, watch the log. The log pushes its
latest checkpoint to both and keeps their cosignatures; a review's bundle carries them, and the
inspector's verifier, given a policy requiring both witnesses, accepts it. Then the operator
shows one witness a forked log (the same size, another root): the witness refuses it with 409,
and the forked bundle, cosigned by nobody, is refused by the verifier.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import reviewledger_verify
from reviewledger_verify import witnesses as verifier_witnesses
from reviewledger_verify.notes import Checkpoint as VerifierCheckpoint

from adapters.app.application import Application
from adapters.cli import main
from adapters.governance.bundle import BundleEntry, assemble_bundle, export_bundle
from adapters.store.mapper import decode_state
from adapters.transparency.witness import (
    MAX_PROOF_LINES,
    SIZE_CONTENT_TYPE,
    Witness,
    create_keys,
    load_keys,
    make_server,
)
from adapters.transparency.witnessing import (
    WitnessPusher,
    WitnessTarget,
    http_post,
    push_latest,
    watch,
    witness_targets,
)
from audit import cosignature
from audit.envelope import entry_bytes
from audit.errors import VerificationError
from audit.merkle import LeafListSource, consistency_proof, inclusion_proof, leaf_hash
from audit.note import Checkpoint, parse_verifier_key, sign_checkpoint, verify_checkpoint
from audit.signing import KeyPair
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.registry import REGISTRY_STREAM
from domain.kernel.roles import Role

REVIEW = subject_stream("S-1")
NOW = 1_780_000_000


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


def _checkpoint(app: Application) -> tuple[str, Checkpoint]:
    note = app.ledger.tree.latest_checkpoint() or ""
    return note, Checkpoint.parse(note[: note.rfind("\n\n") + 1])


# ==================================================================== cosignatures


@pytest.mark.parametrize("kind", [cosignature.ED25519_COSIGNATURE, cosignature.MLDSA44_COSIGNATURE])
def test_a_cosignature_verifies_in_the_log_and_in_the_inspectors_verifier_and_nowhere_else(kind: int) -> None:
    checkpoint = Checkpoint(origin="example.test/log", size=5, root=bytes(range(32)))
    secret = cosignature.generate("witness.test/w1", kind)
    line = secret.cosign(checkpoint, NOW)
    assert line.startswith("\u2014 witness.test/w1 ") and line.endswith("\n")
    assert cosignature.verify_cosignature(secret.public, checkpoint, line) == NOW
    assert cosignature.parse_cosigner_key(secret.public.vkey()) == secret.public

    note = checkpoint.to_text() + "\n" + line
    key = verifier_witnesses.parse_vkey(secret.public.vkey(), {4: 32, 6: 1312}, "test")
    seen = VerifierCheckpoint(origin=checkpoint.origin, size=checkpoint.size, root=checkpoint.root)
    assert verifier_witnesses.valid_cosigners({"w1": key}, note, seen) == {"w1"}

    other = Checkpoint(origin="example.test/log", size=5, root=bytes(32))
    with pytest.raises(
        VerificationError, match=r"^cosignature by witness\.test/w1 does not verify for this checkpoint$"
    ):
        cosignature.verify_cosignature(secret.public, other, line)
    moved = VerifierCheckpoint(origin=other.origin, size=other.size, root=other.root)
    assert verifier_witnesses.valid_cosigners({"w1": key}, other.to_text() + "\n" + line, moved) == set()
    stranger = cosignature.generate("witness.test/w1", kind).public
    with pytest.raises(VerificationError, match=r"is not a cosignature by witness\.test/w1$"):
        cosignature.verify_cosignature(stranger, checkpoint, line)


def test_the_ed25519_cosignature_signs_the_header_the_time_and_the_checkpoint_text() -> None:
    """c2sp.org/tlog-cosignature: the message is 'cosignature/v1', 'time <t>', then the note text."""
    checkpoint = Checkpoint(origin="example.test/log", size=5, root=bytes(range(32)))
    secret = cosignature.generate("w", cosignature.ED25519_COSIGNATURE)
    message = cosignature.signed_message(secret.public, checkpoint, NOW)
    assert message == f"cosignature/v1\ntime {NOW}\n".encode() + checkpoint.to_text().encode()
    mldsa = cosignature.generate("w", cosignature.MLDSA44_COSIGNATURE).public
    assert cosignature.signed_message(mldsa, checkpoint, NOW) == (
        b"subtree/v1\n\x00"
        + b"\x01w"
        + NOW.to_bytes(8, "big")
        + b"\x10example.test/log"
        + (0).to_bytes(8, "big")
        + (5).to_bytes(8, "big")
        + checkpoint.root
    )


# ==================================================================== one witness's rules


@dataclass
class Scene:
    app: Application
    witness: Witness
    folder: Path


@pytest.fixture
def scene(app: Application, tmp_path: Path) -> Scene:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    create_keys(tmp_path / "w1.keys", "witness.test/w1")
    witness = Witness(
        load_keys(tmp_path / "w1.keys"), [app.ledger.log_verifier_key()], tmp_path / "w1.state", lambda: NOW
    )
    return Scene(app, witness, tmp_path)


def _request(old: int, proof: list[bytes], note: str) -> bytes:
    return (
        f"old {old}\n" + "".join(f"{base64.b64encode(h).decode()}\n" for h in proof) + "\n" + note
    ).encode()


def test_the_witness_cosigns_a_first_checkpoint_and_then_only_consistent_ones(scene: Scene) -> None:
    note, first = _checkpoint(scene.app)
    answer = scene.witness.add_checkpoint(_request(0, [], note))
    assert answer.status == 200
    keys = [secret.public for secret in load_keys(scene.folder / "w1.keys")]
    lines = answer.body.decode().splitlines()
    assert len(lines) == 2
    for key, line in zip(keys, lines, strict=True):
        assert cosignature.verify_cosignature(key, first, line) == NOW
    assert scene.witness.latest() == {
        first.origin: {"size": first.size, "root": base64.b64encode(first.root).decode()}
    }

    _subject(scene.app, "S-1")
    later_note, later = _checkpoint(scene.app)
    proof = consistency_proof(first.size, later.size, scene.app.ledger.tree.source())
    assert scene.witness.add_checkpoint(_request(first.size, proof, later_note)).status == 200

    # A rollback: the old size is not the one it holds. 409, and it says which size it holds.
    rollback = scene.witness.add_checkpoint(_request(first.size, [], note))
    assert (rollback.status, rollback.content_type, rollback.body) == (
        409,
        SIZE_CONTENT_TYPE,
        f"{later.size}\n".encode(),
    )


def test_the_witness_refuses_with_the_specifications_status_codes(scene: Scene) -> None:
    app, witness = scene.app, scene.witness
    note, first = _checkpoint(app)
    assert witness.add_checkpoint(_request(0, [], note)).status == 200
    _subject(app, "S-1")
    later_note, later = _checkpoint(app)
    proof = consistency_proof(first.size, later.size, app.ledger.tree.source())
    key = app.ledger.log_key.private_key

    # 404: a log it does not watch.
    stranger = sign_checkpoint(Checkpoint("other.test/log", later.size, later.root), "other.test/log", key)
    assert witness.add_checkpoint(_request(first.size, proof, stranger)).status == 404
    # 403: the log's name, another key.
    forged = sign_checkpoint(later, later.origin, KeyPair.generate().private_key)
    assert witness.add_checkpoint(_request(first.size, proof, forged)).status == 403
    # 400: malformed, an old size beyond the new one, too many proof lines.
    assert witness.add_checkpoint(b"old x\n\n" + later_note.encode()).status == 400
    assert witness.add_checkpoint(_request(later.size + 1, [], later_note)).status == 400
    assert (
        witness.add_checkpoint(_request(first.size, [bytes(32)] * (MAX_PROOF_LINES + 1), later_note)).status
        == 400
    )
    # 422: a proof that does not lead from the checkpoint it holds.
    bad = witness.add_checkpoint(_request(first.size, [bytes(32)] * len(proof), later_note))
    assert bad.status == 422
    # 409: a fork, the same size with another root.
    fork = sign_checkpoint(Checkpoint(first.origin, first.size, bytes(32)), first.origin, key)
    refused = witness.add_checkpoint(_request(first.size, [], fork))
    assert (refused.status, refused.body) == (409, f"{first.size}\n".encode())
    # None of these moved it.
    assert witness.latest()[first.origin]["size"] == first.size
    assert witness.add_checkpoint(_request(first.size, proof, later_note)).status == 200


# ==================================================================== two witnesses, end to end


@dataclass
class Running:
    url: str
    keys: list[cosignature.CosignerKey]
    witness: Witness


@pytest.fixture
def witnesses(app: Application, tmp_path: Path) -> Iterator[list[Running]]:
    running: list[Running] = []
    servers = []
    for name in ("w1", "w2"):
        keys = create_keys(tmp_path / f"{name}.keys", f"witness.test/{name}")
        witness = Witness(
            load_keys(tmp_path / f"{name}.keys"),
            [app.ledger.log_verifier_key()],
            tmp_path / f"{name}.state",
            lambda: NOW,
        )
        server = make_server(witness, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        running.append(Running(f"http://127.0.0.1:{server.server_address[1]}", keys, witness))
    try:
        yield running
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _policy(app: Application, running: list[Running], folder: Path) -> Path:
    """The inspector's policy: this log; both witnesses, each by both keys; all four must cosign."""
    lines = [f"log {app.ledger.log_verifier_key()}"]
    names = []
    for n, witness in enumerate(running, start=1):
        for key in witness.keys:
            name = f"W{n}-{'ed25519' if key.kind == cosignature.ED25519_COSIGNATURE else 'mldsa44'}"
            lines.append(f"witness {name} {key.vkey()} {witness.url}")
            names.append(name)
    lines.append(f"group everyone all {' '.join(names)}")
    lines.append("quorum everyone")
    path = folder / "witness.policy"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _forked_bundle(app: Application, size: int) -> tuple[str, bytes]:
    """The same events in another order up to `size`, signed with the log's key: a second history
    (the two events before the last swapped; the last, the registry's, stays where a bundle's
    registry must end)."""
    records = []
    for n in app.ledger.iter_notifications(0):
        stored = decode_state(str(n.originator_id), n.originator_version, n.topic, n.state)
        records.append((str(n.originator_id), n.originator_version, stored))
    records = records[:size]
    records[-3:-1] = [records[-2], records[-3]]
    source = LeafListSource([leaf_hash(entry_bytes(r.envelope, r.signature)) for _, _, r in records])
    key, origin = app.ledger.log_key.private_key, app.ledger.origin
    note = sign_checkpoint(Checkpoint(origin, size, source.subtree_hash(0, size)), origin, key)
    entries = [
        BundleEntry(
            p, s, v, p, r.envelope, r.signature, r.payload, tuple(inclusion_proof(p - 1, size, source))
        )
        for p, (s, v, r) in enumerate(records, start=1)
        if s in (REVIEW, REGISTRY_STREAM)
    ]
    data = assemble_bundle(
        origin=origin,
        review=REVIEW,
        checkpoint_note=note,
        tree_size=size,
        entries=entries,
        consistency={},
        checkpoints={},
    )
    return note, data


def test_two_witnesses_cosign_the_log_and_refuse_its_fork_which_the_verifier_catches(
    app: Application, witnesses: list[Running], tmp_path: Path
) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    _subject(app, "S-1")
    _subject(app, "S-2")
    policy = _policy(app, witnesses, tmp_path)
    targets = witness_targets(policy)
    assert [t.url for t in targets] == [w.url for w in witnesses]
    # From here on the log also pushes each new checkpoint as it is signed (the bundle's own too).
    app.ledger.after_append = WitnessPusher(app.ledger, targets, 5)

    # The log pushes its latest checkpoint to both; each cosigns with both its keys.
    outcomes = {url: str(o) for url, o in push_latest(app.ledger, targets, http_post).items()}
    size = app.ledger.tree.head().size
    assert outcomes == {w.url: f"2 cosignature(s) of tree size {size}" for w in witnesses}
    export_bundle(app.ledger, tmp_path / "review.zip", review=REVIEW)
    key, policy_text = app.ledger.log_verifier_key(), policy.read_text()
    report = reviewledger_verify.verify_bundle((tmp_path / "review.zip").read_bytes(), key, None, policy_text)
    assert report.failures == []
    assert report.policy_met == "everyone"

    # The log moves on; the next push proves consistency from what each witness holds.
    _subject(app, "S-3")
    assert {url: str(o) for url, o in push_latest(app.ledger, targets, http_post).items()} == {
        w.url: f"2 cosignature(s) of tree size {app.ledger.tree.head().size}" for w in witnesses
    }

    # The operator shows the first witness a fork at the size both cosigned before (the bundle's,
    # which ends with the registry's head marked for it): refused.
    bundled = report.tree_size
    forked_note, forked = _forked_bundle(app, bundled)
    assert verify_checkpoint(forked_note, parse_verifier_key(key)).size == bundled
    status, _ = http_post(f"{witnesses[0].url}/add-checkpoint", _request(bundled, [], forked_note))
    assert status == 409
    # The forked bundle has no cosignature: the verifier refuses it under the policy, and without
    # the policy, it would have passed.
    report = reviewledger_verify.verify_bundle(forked, key, None, policy_text)
    assert [f.message for f in report.failures] == [
        "checkpoint.txt: the witness policy's quorum everyone is not met: valid cosignatures from no witness"
    ]
    assert reviewledger_verify.verify_bundle(forked, key).failures == []


def test_the_command_line_makes_keys_and_pushes(
    app: Application, witnesses: list[Running], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = str(tmp_path / "w9.keys")
    assert main(["witness", "keygen", "--name", "witness.test/w9", "--key-file", keys]) == 0
    printed = capsys.readouterr().out.splitlines()
    parsed = [cosignature.parse_cosigner_key(line) for line in printed]
    assert [(k.name, k.kind) for k in parsed] == [("witness.test/w9", 4), ("witness.test/w9", 6)]
    assert main(["witness", "keygen", "--name", "x", "--key-file", keys]) == 2
    assert "exists already; a witness's keys are made once" in capsys.readouterr().err

    policy = _policy(app, witnesses, tmp_path)
    base = ["--db", app.db.url.describe(), "--kek-file", str(app.kek_file)]
    assert main([*base, "witness", "push", "--policy", str(policy)]) == 0
    size = app.ledger.tree.head().size
    assert capsys.readouterr().out.splitlines() == [
        f"{w.url}: 2 cosignature(s) of tree size {size}" for w in witnesses
    ]
    # A witness that does not watch this log refuses; the push says so and exits 1.
    witnesses[1].witness.logs.clear()
    _subject_by(app)
    assert main([*base, "witness", "push", "--policy", str(policy)]) == 1
    assert f"{witnesses[1].url}: refused with status 404" in capsys.readouterr().out

    # A witness whose keys the policy does not list: its answer counts for nothing.
    strangers = [
        WitnessTarget(w.url, (cosignature.generate("witness.test/w1", 4).public,)) for w in witnesses[:1]
    ]
    [outcome] = push_latest(app.ledger, strangers, http_post).values()
    assert (outcome.cosigned, str(outcome)) == (
        False,
        "answered, but no line verifies under the policy's keys for it",
    )
    [outcome] = push_latest(app.ledger, [WitnessTarget("http://127.0.0.1:9", ())], http_post).values()
    assert (outcome.cosigned, str(outcome)) == (False, "could not be reached")


def _subject_by(app: Application) -> None:
    app.register_person("admin", "clerk", "Clerk Example", (Role.CPC_OFFICER,))


def test_watching_pushes_each_new_checkpoint_once(
    app: Application, witnesses: list[Running], tmp_path: Path
) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    targets = witness_targets(_policy(app, witnesses, tmp_path))
    sizes: list[int] = []

    def grow(_: float) -> None:  # between looks, the log moves on once
        if len(sizes) == 1:
            _subject(app, "S-9")

    for outcomes in watch(app.ledger, targets, 5.0, rounds=3, sleep=grow):
        assert all(o.cosigned and "2 cosignature(s)" in str(o) for o in outcomes.values()), outcomes
        sizes.append(app.ledger.tree.head().size)
    assert len(sizes) == 2
    assert sizes[1] > sizes[0]
    assert [w.witness.latest()[app.ledger.origin]["size"] for w in witnesses] == [sizes[1], sizes[1]]


def test_recording_pushes_after_each_append_and_rests_a_witness_that_cannot_be_reached(
    app: Application, witnesses: list[Running], tmp_path: Path
) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    targets = [*witness_targets(_policy(app, witnesses, tmp_path)), WitnessTarget("http://127.0.0.1:9", ())]
    asked: list[str] = []
    moment = [0.0]

    def post(url: str, body: bytes) -> tuple[int, bytes]:
        asked.append(url.removesuffix("/add-checkpoint"))
        return http_post(url, body, timeout=2)

    pusher = WitnessPusher(app.ledger, targets, 2, rest=60, clock=lambda: moment[0])
    pusher._post = post  # the same requests, counted
    app.ledger.after_append = pusher
    _subject(app, "S-1")
    size = app.ledger.tree.head().size
    assert sorted(asked) == sorted([w.url for w in witnesses] + ["http://127.0.0.1:9"])
    assert [w.witness.latest()[app.ledger.origin]["size"] for w in witnesses] == [size, size]

    # The witness that could not be reached is left alone for a minute, then asked again.
    asked.clear()
    moment[0] = 59.0
    _subject(app, "S-2")
    assert sorted(asked) == sorted(w.url for w in witnesses)
    asked.clear()
    moment[0] = 61.0
    _subject(app, "S-3")
    assert "http://127.0.0.1:9" in asked

    # A push that fails outright (here: the log's checkpoint cannot be read) never fails the step.
    def broken() -> str | None:
        raise OSError("disk gone")

    app.ledger.tree.latest_checkpoint = broken  # type: ignore[method-assign]
    _subject(app, "S-4")
    assert app.ledger.stream_version(subject_stream("S-4")) == 1
