"""Witness policies (c2sp.org/tlog-policy) and the cosignatures they count (c2sp.org/tlog-cosignature).

A policy names the logs it accepts, the witnesses by their keys, groups with a threshold, and
one quorum. A checkpoint meets the policy when its cosignatures satisfy the quorum; a witness
listed with two keys (Ed25519 and ML-DSA-44) is two policy witnesses, so a policy can require
both kinds. A log listed with an ML-DSA-44 key (type 0x06) must also have signed the checkpoint
with that key, as a cosignature under its own name (c2sp.org/tlog-checkpoint, "Signatures").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PublicKey

from reviewledger_verify.failure import Failure
from reviewledger_verify.notes import (
    NOTE_ED25519_ALGORITHM,
    NOTE_KEY_ID_SIZE,
    NOTE_SIGNATURE_PREFIX,
    Checkpoint,
)

# c2sp.org/tlog-cosignature, "Format": the key ID's signature type bytes.
ED25519_COSIGNATURE = 0x04
MLDSA44_COSIGNATURE = 0x06
# RFC 8032 §5.1.5-6 and FIPS 204 Table 2: public key and signature sizes.
SIZES = {ED25519_COSIGNATURE: (32, 64), MLDSA44_COSIGNATURE: (1312, 2420)}
LOG_KEY_SIZES = {NOTE_ED25519_ALGORITHM[0]: 32, MLDSA44_COSIGNATURE: 1312}
# c2sp.org/tlog-cosignature, "Ed25519 signed message" and "ML-DSA-44 signed message".
ED25519_HEADER = b"cosignature/v1\n"
MLDSA44_LABEL = b"subtree/v1\n\x00"
TIMESTAMP_SIZE = 8
# c2sp.org/tlog-policy, "Implementation limits": at least 32 of each; this reader takes 64.
MAX_ENTRIES = 64
_WHITESPACE = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class Vkey:
    """A signed-note verifier key: name, type byte and public key."""

    name: str
    kind: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        material = self.name.encode("utf-8") + b"\n" + bytes([self.kind]) + self.public_key
        return hashlib.sha256(material).digest()[:NOTE_KEY_ID_SIZE]


def parse_vkey(text: str, sizes: dict[int, int], what: str) -> Vkey:
    name, _, rest = text.partition("+")
    hex_id, sep, encoded = rest.partition("+")
    if not name or not sep:
        raise Failure(f"{what}: {text!r} is not a key of the form name+keyid+base64key")
    try:
        raw = base64.b64decode(encoded.encode("ascii"), validate=True)
        stated = bytes.fromhex(hex_id)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise Failure(f"{what}: the key of {name} has an invalid key ID or key material") from None
    if not raw or raw[0] not in sizes or len(raw) != 1 + sizes[raw[0]]:
        kinds = ", ".join(f"{k:02x}" for k in sizes)
        raise Failure(f"{what}: the key of {name} is not of a type this verifier reads here ({kinds})")
    key = Vkey(name=name, kind=raw[0], public_key=raw[1:])
    if key.key_id != stated:
        raise Failure(f"{what}: the key ID of {name} does not match its name and key")
    return key


@dataclass
class Policy:
    logs: list[Vkey] = field(default_factory=list)
    witnesses: dict[str, Vkey] = field(default_factory=dict)
    groups: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    quorum: str | None = None

    def met(self, name: str, cosigned: set[str]) -> bool:
        """Whether the witness or group `name` has witnessed, given the witnesses that cosigned."""
        if name == "none":
            return True
        if name in self.witnesses:
            return name in cosigned
        threshold, members = self.groups[name]
        return sum(self.met(member, cosigned) for member in members) >= threshold


def parse_policy(text: str) -> Policy:
    """A tlog-policy file; Failure naming the line and the rule it breaks."""
    policy = Policy()
    seen_keys: set[bytes] = set()
    for number, raw in enumerate(text.split("\n"), start=1):
        if any(ch < " " and ch != "\t" for ch in raw) or "\x7f" in raw:
            raise Failure(f"--policy line {number}: a control character other than tab")
        line = raw.strip(" \t")
        if not line or line.startswith("#"):
            continue
        words = _WHITESPACE.split(line)
        where = f"--policy line {number}"
        if words[0] == "log" and len(words) in (2, 3):
            policy.logs.append(parse_vkey(words[1], LOG_KEY_SIZES, where))
        elif words[0] == "witness" and len(words) in (3, 4):
            name = words[1]
            if name == "none" or name in policy.witnesses or name in policy.groups:
                raise Failure(f"{where}: the name {name} is reserved or defined already")
            key = parse_vkey(words[2], {k: v[0] for k, v in SIZES.items()}, where)
            if key.public_key in seen_keys:
                raise Failure(f"{where}: the key of witness {name} is listed already")
            seen_keys.add(key.public_key)
            policy.witnesses[name] = key
        elif words[0] == "group" and len(words) >= 4:
            policy.groups[words[1]] = _group(policy, words, where)
        elif words[0] == "quorum" and len(words) == 2:
            if policy.quorum is not None:
                raise Failure(f"{where}: a policy has exactly one quorum line")
            if words[1] != "none" and words[1] not in policy.witnesses and words[1] not in policy.groups:
                raise Failure(f"{where}: the quorum names {words[1]}, defined on no line before it")
            policy.quorum = words[1]
        else:
            raise Failure(f"{where}: not a log, witness, group or quorum line of the expected form")
        if len(policy.logs) + len(policy.witnesses) + len(policy.groups) > 3 * MAX_ENTRIES:
            raise Failure(f"{where}: the policy is larger than this verifier reads")
    if policy.quorum is None:
        raise Failure("--policy has no quorum line")
    return policy


def _group(policy: Policy, words: list[str], where: str) -> tuple[int, tuple[str, ...]]:
    name, rule, members = words[1], words[2], tuple(words[3:])
    if name == "none" or name in policy.witnesses or name in policy.groups:
        raise Failure(f"{where}: the name {name} is reserved or defined already")
    if len(set(members)) != len(members):
        raise Failure(f"{where}: group {name} lists a member twice")
    for member in members:
        if member not in policy.witnesses and member not in policy.groups:
            raise Failure(f"{where}: group {name} names {member}, defined on no line before it")
    if rule == "all":
        return len(members), members
    if rule == "any":
        return 1, members
    if not rule.isdigit() or not 1 <= int(rule) <= len(members):
        raise Failure(f"{where}: group {name}'s threshold is not all, any or 1 to {len(members)}")
    return int(rule), members


def cosigned_message(key: Vkey, checkpoint: Checkpoint, text: str, timestamp: int) -> bytes:
    """What a cosigner of this key's type signed for this checkpoint at this time."""
    if key.kind == ED25519_COSIGNATURE:
        return ED25519_HEADER + f"time {timestamp}\n".encode("ascii") + text.encode("utf-8")
    name, origin = key.name.encode("utf-8"), checkpoint.origin.encode("utf-8")
    return (
        MLDSA44_LABEL
        + bytes([len(name)])
        + name
        + struct.pack(">Q", timestamp)
        + bytes([len(origin)])
        + origin
        + struct.pack(">QQ", 0, checkpoint.size)
        + checkpoint.root
    )


def valid_cosigners(keys: dict[str, Vkey], note: str, checkpoint: Checkpoint) -> set[str]:
    """The names (in `keys`) whose cosignature on the note verifies; a bad one counts for nothing."""
    split = note.rfind("\n\n")
    text, lines = note[: split + 1], note[split + 2 : -1].split("\n")
    found: set[str] = set()
    for line in lines:
        signer, _, encoded = line.removeprefix(NOTE_SIGNATURE_PREFIX).partition(" ")
        try:
            raw = base64.b64decode(encoded.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error):
            continue
        for label, key in keys.items():
            if key.name != signer or raw[:NOTE_KEY_ID_SIZE] != key.key_id:
                continue
            if len(raw) != NOTE_KEY_ID_SIZE + TIMESTAMP_SIZE + SIZES[key.kind][1]:
                continue
            timestamp = int.from_bytes(raw[NOTE_KEY_ID_SIZE : NOTE_KEY_ID_SIZE + TIMESTAMP_SIZE], "big")
            signature = raw[NOTE_KEY_ID_SIZE + TIMESTAMP_SIZE :]
            message = cosigned_message(key, checkpoint, text, timestamp)
            try:
                if key.kind == ED25519_COSIGNATURE:
                    Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, message)
                else:
                    MLDSA44PublicKey.from_public_bytes(key.public_key).verify(signature, message)
            except (InvalidSignature, ValueError):
                continue
            found.add(label)
    return found


def check_policy(
    policy: Policy,
    log_name: str,
    log_public_key: bytes,
    note: str,
    checkpoint: Checkpoint,
    what: str = "checkpoint.txt",
) -> None:
    """The checkpoint (the member `what`) meets the policy: its log is listed, signed with every
    listed log key, and cosigned by the quorum. Failure naming who cosigned and what was required."""
    ours = [k for k in policy.logs if k.name == log_name]
    if policy.logs and not any(
        k.kind == NOTE_ED25519_ALGORITHM[0] and k.public_key == log_public_key for k in ours
    ):
        raise Failure(f"--policy does not list the log {log_name} under the --log-key given")
    post_quantum = {
        f"log {k.name} (ML-DSA-44)": Vkey(k.name, MLDSA44_COSIGNATURE, k.public_key)
        for k in ours
        if k.kind == MLDSA44_COSIGNATURE
    }
    missing = sorted(set(post_quantum) - valid_cosigners(post_quantum, note, checkpoint))
    if missing:
        raise Failure(f"{what}: no valid signature by the {', '.join(missing)} key the policy lists")
    cosigned = valid_cosigners(policy.witnesses, note, checkpoint)
    assert policy.quorum is not None
    if not policy.met(policy.quorum, cosigned):
        named = ", ".join(sorted(cosigned)) or "no witness"
        raise Failure(
            f"{what}: the witness policy's quorum {policy.quorum} is not met: valid cosignatures from {named}"
        )
