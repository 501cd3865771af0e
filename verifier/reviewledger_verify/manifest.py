"""The bundle's manifest: exact fields, canonical JSON, every member listed with its SHA-256."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from reviewledger_verify.canonical import encode_manifest
from reviewledger_verify.envelope import HEX64
from reviewledger_verify.failure import Failure, sha256, strict_b64decode

# -- the bundle ----------------------------------------------------------------------------

# v2: no code travels in a bundle; it carries the checkpoints its consistency proofs start
# from. v3: the registry's last event is the tree's last, proven by its inclusion proof (no
# longer stated in a note the log signs), and carried checkpoints carry their cosignatures.
BUNDLE_FORMAT = "reviewledger-bundle/v3"
MANIFEST_MEMBER = "manifest.json"
CHECKPOINT_MEMBER = "checkpoint.txt"
_CONSISTENCY_MEMBER = re.compile(r"consistency/([1-9][0-9]*)\.proof")
_CHECKPOINT_MEMBER = re.compile(r"checkpoints/([1-9][0-9]*)\.txt")


def entry_member_names(position: int) -> tuple[str, str, str]:
    """The envelope, signature and payload member names of the entry at `position`."""
    return (
        f"entries/{position}.envelope",
        f"entries/{position}.sig",
        f"entries/{position}.payload",
    )


def consistency_member_name(size: int) -> str:
    """The member holding the consistency proof from tree size `size` to the bundle's."""
    return f"consistency/{size}.proof"


def checkpoint_member_name(size: int) -> str:
    """The member holding the log's signed checkpoint of tree size `size`."""
    return f"checkpoints/{size}.txt"


@dataclass(frozen=True)
class ManifestEntry:
    position: int
    stream: str
    version: int
    notification_id: int
    envelope: str
    signature: str
    payload: str
    inclusion_proof: tuple[bytes, ...]


@dataclass(frozen=True)
class Manifest:
    origin: str
    review: str | None
    tree_size: int
    entries: tuple[ManifestEntry, ...]
    consistency_from: tuple[int, ...]
    members: dict[str, str]


_MANIFEST_FIELDS = {"format", "origin", "review", "tree_size", "entries", "consistency_from", "members"}
_ENTRY_FIELDS = {
    "position",
    "stream",
    "version",
    "notification_id",
    "envelope",
    "signature",
    "payload",
    "inclusion_proof",
}


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise Failure(f"manifest.json repeats the key {key!r}")
        found[key] = value
    return found


def _refuse_constant(name: str) -> object:
    raise Failure(f"manifest.json holds the non-JSON number {name}")


def _fields(value: object, expected: set[str], what: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise Failure(f"{what} is not a JSON object")
    if set(value) != expected:
        raise Failure(f"{what} has fields {sorted(value)}, expected exactly {sorted(expected)}")
    return value


def _integer(value: object, what: str, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise Failure(f"{what} is not an integer of at least {minimum}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise Failure(f"{what} is not a non-empty string")
    return value


def parse_manifest(raw: bytes) -> Manifest:
    """Parse manifest.json: canonical encoding, exact fields, consistent member names."""
    try:
        data = json.loads(
            raw.decode("ascii"), object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse_constant
        )
    except UnicodeDecodeError:
        raise Failure("manifest.json is not ASCII") from None
    except (ValueError, RecursionError) as error:
        raise Failure(f"manifest.json is not valid JSON: {error}") from None
    top = _fields(data, _MANIFEST_FIELDS, "manifest.json")
    if top["format"] != BUNDLE_FORMAT:
        raise Failure(f"manifest format is {top['format']!r}; this verifier reads {BUNDLE_FORMAT!r}")
    if encode_manifest(top) != raw:
        raise Failure("manifest.json is not in canonical form (sorted keys, one-space indent, ASCII)")
    tree_size = _integer(top["tree_size"], "manifest tree_size", 0)
    review = None if top["review"] is None else _text(top["review"], "manifest review")
    entries: list[ManifestEntry] = []
    items = top["entries"]
    if not isinstance(items, list):
        raise Failure("manifest entries is not a list")
    for number, item in enumerate(items, start=1):
        fields = _fields(item, _ENTRY_FIELDS, f"manifest entry {number}")
        position = _integer(fields["position"], f"manifest entry {number} position", 1)
        if position > tree_size:
            raise Failure(f"manifest entry is beyond the tree size {tree_size}", position)
        if entries and position <= entries[-1].position:
            raise Failure("manifest entries are not in strictly increasing position order", position)
        names = entry_member_names(position)
        given = (fields["envelope"], fields["signature"], fields["payload"])
        if given != names:
            raise Failure(f"manifest entry names members {list(given)}, expected {list(names)}", position)
        proof = fields["inclusion_proof"]
        if not isinstance(proof, list) or not all(isinstance(p, str) for p in proof):
            raise Failure("manifest inclusion_proof is not a list of base64 strings", position)
        entries.append(
            ManifestEntry(
                position=position,
                stream=_text(fields["stream"], f"manifest entry {number} stream"),
                version=_integer(fields["version"], f"manifest entry {number} version", 1),
                notification_id=_integer(
                    fields["notification_id"], f"manifest entry {number} notification_id", 1
                ),
                envelope=names[0],
                signature=names[1],
                payload=names[2],
                inclusion_proof=tuple(strict_b64decode(p, "inclusion proof hash", position) for p in proof),
            )
        )
    sizes = top["consistency_from"]
    if not isinstance(sizes, list):
        raise Failure("manifest consistency_from is not a list")
    consistency = [_integer(n, "manifest consistency_from size", 1) for n in sizes]
    if consistency != sorted(set(consistency)) or any(n >= tree_size for n in consistency):
        raise Failure(f"manifest consistency_from must be increasing sizes below the tree size {tree_size}")
    members = top["members"]
    if not isinstance(members, dict) or not all(
        isinstance(v, str) and HEX64.fullmatch(v) for v in members.values()
    ):
        raise Failure("manifest members is not a map of names to lowercase hex SHA-256 digests")
    return Manifest(
        origin=_text(top["origin"], "manifest origin"),
        review=review,
        tree_size=tree_size,
        entries=tuple(entries),
        consistency_from=tuple(consistency),
        members={str(k): str(v) for k, v in members.items()},
    )


def check_members(manifest: Manifest, members: Mapping[str, bytes]) -> None:
    """The zip holds exactly the manifest and the members it lists, each with its listed SHA-256."""
    expected = {CHECKPOINT_MEMBER}
    expected.update(name for entry in manifest.entries for name in entry_member_names(entry.position))
    expected.update(consistency_member_name(n) for n in manifest.consistency_from)
    expected.update(checkpoint_member_name(n) for n in manifest.consistency_from)
    listed, present = set(manifest.members), set(members) - {MANIFEST_MEMBER}
    problems = (
        (listed - expected, "manifest lists a member {!r} that this bundle should not have"),
        (expected - listed, "manifest gives no SHA-256 for the member {!r}"),
        (expected - present, "bundle has no member {!r}"),
        (present - expected, "bundle has a member {!r} that the manifest does not list"),
    )
    for names, message in problems:
        if names:
            raise Failure(message.format(min(names)))
    positions = {entry_member_names(e.position)[i]: e.position for e in manifest.entries for i in range(3)}
    for name in sorted(expected):
        if sha256(members[name]).hex() != manifest.members[name]:
            raise Failure(f"member {name} does not have the SHA-256 the manifest lists", positions.get(name))


def check_proofs_complete(manifest: Manifest, members: Mapping[str, bytes]) -> None:
    """Each consistency proof travels with the signed checkpoint it starts from, and each such
    checkpoint with its proof. Failure naming what is missing."""
    proofs = set(manifest.consistency_from) | _sizes(members, _CONSISTENCY_MEMBER)
    checkpoints = _sizes(members, _CHECKPOINT_MEMBER)
    for size in sorted(proofs | checkpoints):
        proof, checkpoint = consistency_member_name(size), checkpoint_member_name(size)
        if size not in checkpoints:
            raise Failure(
                f"bundle has no signed checkpoint of tree size {size} ({checkpoint}), which its "
                "consistency proof from that size starts from"
            )
        if proof not in members or size not in manifest.consistency_from:
            raise Failure(
                f"bundle has no consistency proof from its checkpoint of tree size {size} ({proof})"
            )


def _sizes(members: Mapping[str, bytes], pattern: re.Pattern[str]) -> set[int]:
    return {int(m.group(1)) for name in members if (m := pattern.fullmatch(name))}
