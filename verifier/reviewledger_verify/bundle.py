"""The whole bundle: every check, in order, collected into one report.

What is checked, in order:
 1. the zip opens and is byte for byte the canonical zip of its own members;
 2. the manifest is canonical JSON of the expected shape; every consistency proof comes with
    the signed checkpoint it starts from; every other member's SHA-256 is the one the manifest
    lists;
 3. the checkpoint is a signed note that verifies under the log's key, named as the key;
 4. every entry's envelope parses strictly, names the stream and version the manifest says,
    covers its payload file's SHA-256, and is included at its position in the checkpoint's
    tree (RFC 9162 §2.1.3.2) as leaf SHA-256(0x00 || envelope || signature);
 5. the registry is replayed in log order from its first event, which must name the log's key;
    each event is signed by a key valid for its actor at its position; keys marked compromised
    are not trusted for anything timed at or after the moment they were compromised;
 6. the registry is complete, by proof: its last event in the bundle is included at the
    tree's last position (so no registry event follows it), and with step 7 its versions run
    from 1 without a gap (so none before it is left out);
 7. every stream starts at version 1, has no gaps, and chains each envelope to the one before;
 8. every checkpoint the bundle carries verifies under the log's key, and the consistency
    proof from it to the bundle's checkpoint holds (RFC 9162 §2.1.4.2);
 9. with --since, the inspector's earlier checkpoint is a prefix of the bundle's tree;
10. with --policy, the checkpoint and every checkpoint it carries (but the --since one, the
    inspector's own) are signed by every log key the policy lists for the log (Ed25519 and,
    where listed, ML-DSA-44) and cosigned by the policy's quorum of witnesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from reviewledger_verify.canonical import check_canonical, read_members
from reviewledger_verify.envelope import NO_PREVIOUS, Envelope, parse_envelope
from reviewledger_verify.failure import Failure, sha256
from reviewledger_verify.manifest import (
    CHECKPOINT_MEMBER,
    MANIFEST_MEMBER,
    Manifest,
    ManifestEntry,
    check_members,
    check_proofs_complete,
    checkpoint_member_name,
    consistency_member_name,
    parse_manifest,
)
from reviewledger_verify.merkle import leaf_hash, parse_proof_lines, verify_consistency, verify_inclusion
from reviewledger_verify.notes import (
    ED25519_SIGNATURE_SIZE,
    Checkpoint,
    LogKey,
    parse_log_key,
    verify_checkpoint,
)
from reviewledger_verify.registry import REGISTRY_STREAM, KeyRegistry
from reviewledger_verify.witnesses import Policy, check_policy, parse_policy

#: A review's documents are held in a file of their own, `documents-<review>` (domain/documents.py).
DOCUMENTS_PREFIX = "documents-"


@dataclass
class Report:
    """What was verified, and every failure found (none means the bundle verifies)."""

    failures: list[Failure] = field(default_factory=list)
    origin: str | None = None
    review: str | None = None
    entries: int = 0
    tree_size: int = 0
    root: bytes = b""
    since_size: int | None = None
    carried_checkpoints: int = 0
    policy_met: str | None = None

    @property
    def verified(self) -> bool:
        return not self.failures


def verify_bundle(
    data: bytes, log_key_text: str, since_note: str | None = None, policy_text: str | None = None
) -> Report:
    """Run every check on the bundle bytes; the report lists each failure found.

    With `policy_text` (a c2sp.org/tlog-policy file), the bundle's checkpoint must also meet it.
    """
    report = Report()
    try:
        key = parse_log_key(log_key_text.strip())
        policy = None if policy_text is None else parse_policy(policy_text)
        members = read_members(data)
        check_canonical(data, members)
        if MANIFEST_MEMBER not in members:
            raise Failure("bundle has no manifest.json")
        manifest = parse_manifest(members[MANIFEST_MEMBER])
        report.origin, report.review = manifest.origin, manifest.review
        report.entries, report.tree_size = len(manifest.entries), manifest.tree_size
        check_proofs_complete(manifest, members)
        check_members(manifest, members)
        checkpoint = verify_checkpoint(
            utf8(members[CHECKPOINT_MEMBER], CHECKPOINT_MEMBER), key, CHECKPOINT_MEMBER
        )
        if manifest.origin != checkpoint.origin or manifest.tree_size != checkpoint.size:
            raise Failure("manifest origin and tree size are not those of the signed checkpoint")
        report.root = checkpoint.root
        if policy is not None:
            note = utf8(members[CHECKPOINT_MEMBER], CHECKPOINT_MEMBER)
            check_policy(policy, key.name, key.public_key, note, checkpoint)
            report.policy_met = policy.quorum
    except Failure as failure:
        report.failures.append(failure)
        return report
    report.failures.extend(_check_entries(manifest, members, key, checkpoint))
    report.failures.extend(_check_registry_complete(manifest, checkpoint))
    held = _size_of(since_note, key)
    report.failures.extend(_check_carried_checkpoints(manifest, members, key, checkpoint, policy, held))
    report.carried_checkpoints = len(manifest.consistency_from)
    if since_note is not None:
        try:
            report.since_size = _check_since(since_note, key, checkpoint, manifest, members)
        except Failure as failure:
            report.failures.append(failure)
    return report


def utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Failure(f"{what} is not UTF-8 text") from None


def _check_entries(
    manifest: Manifest, members: Mapping[str, bytes], key: LogKey, checkpoint: Checkpoint
) -> list[Failure]:
    failures: list[Failure] = []
    registry = KeyRegistry(log_key=key, origin=checkpoint.origin)
    # stream -> (last version, SHA-256 of its envelope, or None when that entry already failed)
    chains: dict[str, tuple[int, bytes | None]] = {}
    signed: list[tuple[int, str, datetime]] = []  # (position, person's key id, envelope time)
    for entry in manifest.entries:
        position = entry.position
        raw, signature, payload = members[entry.envelope], members[entry.signature], members[entry.payload]
        try:
            envelope = parse_envelope(raw, position)
            _check_entry(entry, envelope, raw, signature, payload, checkpoint)
            _check_chain(chains, envelope, raw, position)
            if envelope.stream == REGISTRY_STREAM and envelope.version == 1:
                registry.establish(position, envelope, signature, raw, payload)
                continue
            key_id = registry.check_signer(position, envelope, signature, raw)
            if key_id is not None:
                signed.append((position, key_id, envelope.time))
            if envelope.stream == REGISTRY_STREAM:
                registry.apply(position, envelope, payload)
        except Failure as failure:
            failures.append(failure)
            # Report each break once: the next version is held to this one's number, not its hash.
            chains[entry.stream] = (entry.version, None)
    for position, key_id, moment in signed:
        signer = registry.keys[key_id]
        if signer.compromised_from is not None and moment >= signer.compromised_from:
            failures.append(
                Failure(
                    f"signed by key {key_id} of {signer.actor} at {moment.isoformat()}, on or after "
                    f"{signer.compromised_from.isoformat()}, from when the key is marked compromised "
                    f"(position {signer.compromised_at})",
                    position,
                )
            )
    failures.extend(_check_coverage(manifest))
    return sorted(failures, key=lambda f: (f.position is not None, f.position or 0))


def _check_entry(
    entry: ManifestEntry,
    envelope: Envelope,
    raw: bytes,
    signature: bytes,
    payload: bytes,
    checkpoint: Checkpoint,
) -> None:
    position = entry.position
    if envelope.origin != checkpoint.origin:
        raise Failure(f"envelope origin {envelope.origin!r} is not the checkpoint's", position)
    if (envelope.stream, envelope.version) != (entry.stream, entry.version):
        raise Failure(
            f"envelope is {envelope.stream} version {envelope.version}, the manifest says "
            f"{entry.stream} version {entry.version}",
            position,
        )
    if len(signature) != ED25519_SIGNATURE_SIZE:
        raise Failure(f"signature is {len(signature)} bytes, not {ED25519_SIGNATURE_SIZE}", position)
    if sha256(payload) != envelope.payload:
        raise Failure("payload file's SHA-256 is not the payload digest in the signed envelope", position)
    verify_inclusion(
        position - 1, checkpoint.size, leaf_hash(raw + signature), entry.inclusion_proof, checkpoint.root
    )


def _check_chain(
    chains: dict[str, tuple[int, bytes | None]], envelope: Envelope, raw: bytes, position: int
) -> None:
    last_version, last_hash = chains.get(envelope.stream, (0, NO_PREVIOUS))
    if envelope.version != last_version + 1:
        if last_version == 0:
            raise Failure(f"stream {envelope.stream} starts at version {envelope.version}, not 1", position)
        raise Failure(
            f"stream {envelope.stream} version {envelope.version} follows version {last_version}; "
            "versions must be consecutive",
            position,
        )
    if last_hash is not None and envelope.previous != last_hash:
        raise Failure(
            f"stream {envelope.stream} version {envelope.version}: previous is not the SHA-256 of "
            + ("32 zero bytes" if last_version == 0 else f"version {last_version}'s envelope"),
            position,
        )
    chains[envelope.stream] = (envelope.version, sha256(raw))


def _check_coverage(manifest: Manifest) -> list[Failure]:
    """Which entries a bundle must hold: its review's events (with the file of its documents, whose
    events name each document's digest and hold none of its content) and the registry, or every position."""
    streams = {entry.stream for entry in manifest.entries}
    if REGISTRY_STREAM not in streams:
        return [Failure("bundle holds no registry events, so no key can be checked")]
    if manifest.review is None:
        missing = sorted(set(range(1, manifest.tree_size + 1)) - {e.position for e in manifest.entries})
        return [Failure("a whole-log bundle must hold every position of its tree", p) for p in missing[:20]]
    documents = DOCUMENTS_PREFIX + manifest.review
    failures = [
        Failure(
            f"entry belongs to {entry.stream}, which is neither the review, its documents nor the registry",
            entry.position,
        )
        for entry in manifest.entries
        if entry.stream not in (REGISTRY_STREAM, manifest.review, documents)
    ]
    if manifest.review not in streams:
        failures.append(Failure(f"bundle holds no event of the review {manifest.review}"))
    return failures


def _check_registry_complete(manifest: Manifest, checkpoint: Checkpoint) -> list[Failure]:
    """The bundle's registry reaches the tree's last position: nothing of the registry follows.

    A Merkle tree proves that an event is in the log, never that no later one is: a bundle with
    the registry's last events left out (a key marked compromised, say) would replay to keys
    that look sound. So the log exports a bundle under a checkpoint whose last event is the
    registry's (marking the registry's head there if need be), and the inclusion proof of that
    event at the last position shows that no registry event comes after it; step 7 holds its
    versions to 1, 2, ... with no gap, so none before it is missing either.
    """
    registry = [entry for entry in manifest.entries if entry.stream == REGISTRY_STREAM]
    if not registry:
        return []  # told once, by the coverage check: "bundle holds no registry events"
    last = registry[-1]
    if last.position == checkpoint.size:
        return []
    return [
        Failure(
            f"registry events are missing: the bundle's registry ends at version {last.version} "
            f"(position {last.position}), not at the tree's last position, {checkpoint.size}, "
            "where a bundle's registry must end"
        )
    ]


def _size_of(note: str | None, key: LogKey) -> int | None:
    """The tree size of the inspector's --since checkpoint, when it is one (else checked later)."""
    if note is None:
        return None
    try:
        return verify_checkpoint(note, key, "--since checkpoint").size
    except Failure:
        return None


def _check_carried_checkpoints(
    manifest: Manifest,
    members: Mapping[str, bytes],
    key: LogKey,
    checkpoint: Checkpoint,
    policy: Policy | None = None,
    held: int | None = None,
) -> list[Failure]:
    """Each carried checkpoint is signed by the log, and its tree is a prefix of the bundle's;
    with a policy, each (but the one of size `held`, the inspector's own) meets it too."""
    failures: list[Failure] = []
    for size in manifest.consistency_from:
        name, proof_name = checkpoint_member_name(size), consistency_member_name(size)
        try:
            note = utf8(members[name], name)
            earlier = verify_checkpoint(note, key, name)
            if earlier.size != size:
                raise Failure(f"{name}: holds the checkpoint of tree size {earlier.size}, not {size}")
            proof = parse_proof_lines(members[proof_name], proof_name)
            verify_consistency(size, checkpoint.size, proof, earlier.root, checkpoint.root)
            if policy is not None and size != held:
                check_policy(policy, key.name, key.public_key, note, earlier, name)
        except Failure as failure:
            failures.append(Failure(f"checkpoint of tree size {size}: {failure.message}"))
    return failures


def _check_since(
    note: str, key: LogKey, checkpoint: Checkpoint, manifest: Manifest, members: Mapping[str, bytes]
) -> int:
    """The inspector's earlier checkpoint is a prefix of the bundle's tree; returns its size."""
    earlier = verify_checkpoint(note, key, "--since checkpoint")
    if earlier.size > checkpoint.size:
        raise Failure(
            f"--since checkpoint has tree size {earlier.size}, larger than the bundle's {checkpoint.size}: "
            "the log has been truncated, or this bundle is older"
        )
    proof: list[bytes] = []
    if 0 < earlier.size < checkpoint.size:
        name = consistency_member_name(earlier.size)
        if earlier.size not in manifest.consistency_from:
            raise Failure(
                f"bundle has no consistency proof from tree size {earlier.size} ({name}); ask for a "
                "bundle exported with --since this checkpoint"
            )
        proof = parse_proof_lines(members[name], name)
    verify_consistency(earlier.size, checkpoint.size, proof, earlier.root, checkpoint.root)
    return earlier.size
