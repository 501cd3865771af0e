"""The log's key, signed notes (c2sp.org/signed-note) and checkpoints (c2sp.org/tlog-checkpoint)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from reviewledger_verify.failure import Failure, sha256, strict_b64decode
from reviewledger_verify.merkle import HASH_SIZE

# -- Ed25519 and signed notes ----------------------------------------------------------------

# RFC 8032 §5.1.5: an Ed25519 public key is 32 bytes.
ED25519_PUBLIC_KEY_SIZE = 32
# RFC 8032 §5.1.6: an Ed25519 signature is 64 bytes.
ED25519_SIGNATURE_SIZE = 64
# c2sp.org/signed-note, "Signature types": algorithm byte 0x01 is Ed25519.
NOTE_ED25519_ALGORITHM = b"\x01"
# c2sp.org/signed-note, "Format": a signature starts with a 4-byte key ID.
NOTE_KEY_ID_SIZE = 4
# c2sp.org/signed-note, "Format": a signature line starts with an em dash and a space.
NOTE_SIGNATURE_PREFIX = "\u2014 "
# c2sp.org/signed-note, "Format": verifiers limit the signatures they read (at least 16).
NOTE_MAX_SIGNATURES = 100
# c2sp.org/tlog-checkpoint, "Note text": decimal tree size without leading zeroes.
CHECKPOINT_SIZE = re.compile(r"0|[1-9][0-9]*")
# c2sp.org/tlog-checkpoint, "Note text": the tree size is a uint64.
CHECKPOINT_MAX_SIZE = 2**64 - 1


@dataclass(frozen=True)
class LogKey:
    """The trusted log key: its note name, 4-byte note key ID and Ed25519 public key."""

    name: str
    note_key_id: bytes
    public_key: bytes


def _name_problem(name: str) -> str | None:
    """c2sp.org/signed-note, "Format": key names are non-empty, without '+', spaces or controls."""
    if not name:
        return "key name is empty"
    if "+" in name or any(ch.isspace() for ch in name) or _has_control(name):
        return f"key name {name!r} contains '+', whitespace or a control character"
    return None


def _has_control(text: str) -> bool:
    """c2sp.org/signed-note, "Format": no ASCII control characters other than newline."""
    return any(ch < " " and ch != "\n" for ch in text)


def note_key_id(name: str, public_key: bytes) -> bytes:
    """c2sp.org/signed-note, "Ed25519 signatures": SHA-256(name || 0x0A || 0x01 || key)[:4]."""
    return sha256(name.encode("utf-8") + b"\n" + NOTE_ED25519_ALGORITHM + public_key)[:NOTE_KEY_ID_SIZE]


def parse_log_key(text: str) -> LogKey:
    """Parse a verifier key `name+hex8+base64(0x01 || key)` and check its key ID."""
    name, _, rest = text.partition("+")
    hex_id, sep, encoded = rest.partition("+")
    if not sep:
        raise Failure("--log-key is not of the form name+keyid+base64key")
    problem = _name_problem(name)
    if problem is not None:
        raise Failure(f"--log-key: {problem}")
    if not re.fullmatch(r"[0-9a-fA-F]{8}", hex_id):
        raise Failure(f"--log-key key ID {hex_id!r} is not 8 hexadecimal digits")
    raw = strict_b64decode(encoded, "--log-key key material")
    if raw[:1] != NOTE_ED25519_ALGORITHM or len(raw) != 1 + ED25519_PUBLIC_KEY_SIZE:
        raise Failure("--log-key is not an Ed25519 key (algorithm byte 01 and 32 bytes)")
    public_key = raw[1:]
    if bytes.fromhex(hex_id) != note_key_id(name, public_key):
        raise Failure(f"--log-key key ID {hex_id} does not match its name and public key")
    return LogKey(name=name, note_key_id=bytes.fromhex(hex_id), public_key=public_key)


def verify_ed25519(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True when `signature` is a valid Ed25519 signature (RFC 8032 §5.1.7) of `message`."""
    if len(public_key) != ED25519_PUBLIC_KEY_SIZE or len(signature) != ED25519_SIGNATURE_SIZE:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_note(note: str, key: LogKey, what: str) -> str:
    """c2sp.org/signed-note: return the text of `note` once a signature by `key` verifies over it."""
    if _has_control(note):
        raise Failure(f"{what}: note contains a control character other than newline")
    if not note.endswith("\n"):
        raise Failure(f"{what}: note does not end with a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise Failure(f"{what}: note has no blank line before its signatures")
    text, lines = note[: split + 1], note[split + 2 : -1].split("\n")
    if len(lines) > NOTE_MAX_SIGNATURES:
        raise Failure(f"{what}: note has more than {NOTE_MAX_SIGNATURES} signatures")
    verified = False
    for line in lines:
        if not line.startswith(NOTE_SIGNATURE_PREFIX):
            raise Failure(f"{what}: signature line does not start with an em dash and a space")
        name, sep, encoded = line[len(NOTE_SIGNATURE_PREFIX) :].partition(" ")
        problem = _name_problem(name)
        if not sep or problem is not None:
            raise Failure(f"{what}: signature line has no valid key name ({problem or 'no space'})")
        raw = strict_b64decode(encoded, f"{what}: signature by {name}")
        if len(raw) <= NOTE_KEY_ID_SIZE:
            raise Failure(f"{what}: signature by {name} is too short for a key ID and a signature")
        if name != key.name or raw[:NOTE_KEY_ID_SIZE] != key.note_key_id:
            continue  # another witness's signature: not ours to judge
        if not verify_ed25519(key.public_key, raw[NOTE_KEY_ID_SIZE:], text.encode("utf-8")):
            raise Failure(f"{what}: signature by {name} does not verify under --log-key")
        verified = True
    if not verified:
        raise Failure(f"{what}: note has no signature by the --log-key {key.name}+{key.note_key_id.hex()}")
    return text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes


def verify_checkpoint(note: str, key: LogKey, what: str) -> Checkpoint:
    """c2sp.org/tlog-checkpoint: origin, size and root of a note signed by `key`, named as the key."""
    text = verify_note(note, key, what)
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise Failure(f"{what}: checkpoint has {len(lines)} lines, needs origin, size and root hash")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if any(not line for line in lines[3:]):
        raise Failure(f"{what}: checkpoint has an empty extension line")
    if not CHECKPOINT_SIZE.fullmatch(size_text) or int(size_text) > CHECKPOINT_MAX_SIZE:
        raise Failure(f"{what}: checkpoint tree size {size_text!r} is not a decimal uint64")
    root = strict_b64decode(root_text, f"{what}: checkpoint root hash")
    if len(root) != HASH_SIZE:
        raise Failure(f"{what}: checkpoint root hash is {len(root)} bytes, not {HASH_SIZE}")
    if origin != key.name:
        raise Failure(f"{what}: checkpoint origin {origin!r} is not the --log-key name {key.name!r}")
    return Checkpoint(origin=origin, size=int(size_text), root=root)
