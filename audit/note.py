"""Signed notes (c2sp.org/signed-note) and checkpoints (c2sp.org/tlog-checkpoint), Ed25519.

Verifiers raise VerificationError with a specific message; signers raise ValueError when
asked to produce something the specifications forbid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from audit.errors import VerificationError
from audit.merkle import HASH_SIZE

# c2sp.org/signed-note, "Signature types": 0x01 is Ed25519.
ED25519_ALGORITHM = b"\x01"
# c2sp.org/signed-note, "Ed25519 signatures": the public key is 32 bytes (RFC 8032).
ED25519_PUBLIC_KEY_SIZE = 32
# RFC 8032 §5.1.6: an Ed25519 signature is 64 bytes.
ED25519_SIGNATURE_SIZE = 64
# c2sp.org/signed-note, "Format": signatures start with a 4-byte big-endian key ID.
KEY_ID_SIZE = 4
# c2sp.org/signed-note, "Format": a signature line starts with em dash (U+2014) and a space.
SIGNATURE_LINE_PREFIX = "\u2014 "
# c2sp.org/signed-note, "Format": verifiers SHOULD limit the number of signatures, and
# MUST accept at least 16.
MAX_SIGNATURES = 100
# c2sp.org/tlog-checkpoint, "Note text": the tree size has no leading zeroes, except "0".
_TREE_SIZE = re.compile(r"0|[1-9][0-9]*")
_HEX_KEY_ID = re.compile(r"[0-9a-fA-F]{8}")
# A tree size is a uint64 in every checkpoint implementation.
_MAX_TREE_SIZE = 2**64 - 1


@dataclass(frozen=True)
class Verifier:
    """A trusted note verifier key: name, 4-byte key ID and 32-byte Ed25519 public key."""

    name: str
    key_id: bytes
    public_key: bytes

    def __post_init__(self) -> None:
        if self.key_id != key_id(self.name, self.public_key):
            raise ValueError("verifier key ID does not match its name and public key")


def _name_problem(name: str) -> str | None:
    """c2sp.org/signed-note, "Format": key names are non-empty, no Unicode spaces, no '+'.

    Returns the problem rather than raising it: signers raise it as a ValueError, verifiers
    as a VerificationError with where in the note it is.
    """
    if not name:
        return "key name is empty"
    if "+" in name:
        return f"key name {name!r} contains '+'"
    if any(ch.isspace() for ch in name):
        return f"key name {name!r} contains whitespace"
    if _has_control_character(name):
        return f"key name {name!r} contains a control character"
    return None


# c2sp.org/signed-note, "Format": the ASCII control characters (below U+0020) other than newline.
_CONTROL_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f]")


def _has_control_character(text: str) -> bool:
    """c2sp.org/signed-note, "Format": no ASCII control characters other than newline."""
    return _CONTROL_CHARACTER.search(text) is not None


def _b64decode(text: str) -> bytes:
    """Strict standard base64 (RFC 4648 §4): valid alphabet, padding, canonical form."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise ValueError("not valid base64") from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError("not canonical base64")
    return raw


def key_id(name: str, public_key: bytes) -> bytes:
    """Return the Ed25519 key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4].

    c2sp.org/signed-note, "Ed25519 signatures". Checks that the key is 32 bytes and the
    name is a valid key name; raises ValueError otherwise.
    """
    problem = _name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    if len(public_key) != ED25519_PUBLIC_KEY_SIZE:
        raise ValueError(f"Ed25519 public key must be {ED25519_PUBLIC_KEY_SIZE} bytes, got {len(public_key)}")
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519_ALGORITHM + public_key)
    return digest.digest()[:KEY_ID_SIZE]


def verifier_key(name: str, public_key: bytes) -> str:
    """Return the verifier key text name+hex8(key ID)+base64(0x01 || public key).

    Checks the name and key as key_id does; raises ValueError otherwise.
    """
    kid = key_id(name, public_key)
    encoded = base64.b64encode(ED25519_ALGORITHM + public_key).decode("ascii")
    return f"{name}+{kid.hex()}+{encoded}"


def parse_verifier_key(text: str) -> Verifier:
    """Parse a verifier key name+hex8+base64(0x01 || public key) into a Verifier.

    Checks the name (non-empty, no '+' or whitespace), that the key ID is 8 hex digits,
    that the key is strict base64 of the Ed25519 algorithm byte and a 32-byte key, and
    that the key ID matches the name and key. Raises VerificationError otherwise.
    """
    name, sep, rest = text.partition("+")
    if not sep:
        raise VerificationError("verifier key has no '+' after the key name")
    problem = _name_problem(name)
    if problem is not None:
        raise VerificationError(f"verifier key: {problem}")
    hex_id, sep, encoded = rest.partition("+")
    if not sep:
        raise VerificationError("verifier key has no '+' after the key ID")
    if not _HEX_KEY_ID.fullmatch(hex_id):
        raise VerificationError(f"verifier key ID {hex_id!r} is not 8 hexadecimal digits")
    try:
        raw = _b64decode(encoded)
    except ValueError as exc:
        raise VerificationError(f"verifier key material is {exc}") from None
    if raw[:1] != ED25519_ALGORITHM:
        raise VerificationError(
            f"verifier key algorithm byte is {raw[:1].hex() or 'missing'}, only 01 (Ed25519) is supported"
        )
    public_key = raw[1:]
    if len(public_key) != ED25519_PUBLIC_KEY_SIZE:
        raise VerificationError(
            f"verifier key Ed25519 public key must be {ED25519_PUBLIC_KEY_SIZE} bytes, got {len(public_key)}"
        )
    expected = key_id(name, public_key)
    if bytes.fromhex(hex_id) != expected:
        raise VerificationError(
            f"verifier key ID {hex_id} does not match the name and key ({expected.hex()})"
        )
    return Verifier(name=name, key_id=expected, public_key=public_key)


def _text_problem(text: str) -> str | None:
    """c2sp.org/signed-note, "Format": what a note's text must be before it is signed.

    Returns the problem, as _name_problem does, so sign_note raises the first of the two as a ValueError.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "note text is not valid UTF-8"
    if not text.endswith("\n"):
        return "note text does not end with a newline"
    if _has_control_character(text):
        return "note text contains a control character other than newline"
    return None


def sign_note(text: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """Sign `text` with an Ed25519 key and return the signed note.

    The result is text, a blank line, and "— name base64(key ID || signature)". Checks
    that text is non-empty, valid UTF-8, ends with a newline and has no control
    characters, and that name is a valid key name; raises ValueError otherwise.
    """
    problem = _text_problem(text) or _name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    public_key = private_key.public_key().public_bytes_raw()
    signature = private_key.sign(text.encode("utf-8"))
    encoded = base64.b64encode(key_id(name, public_key) + signature).decode("ascii")
    return f"{text}\n{SIGNATURE_LINE_PREFIX}{name} {encoded}\n"


def verify_note(note: str, verifier: Verifier) -> str:
    """Verify a signed note against one trusted key and return its text.

    Checks that the note is valid UTF-8 without control characters other than newline,
    ends with a newline, has a blank line before the signature block, that every
    signature line is "— name base64" with a valid name and strict base64 of at least a
    key ID and one byte, and that there are at most MAX_SIGNATURES. Signatures whose name
    and key ID are not both the verifier's are ignored; every one that is must be a valid
    Ed25519 signature over the text, and there must be at least one. Raises
    VerificationError (position = 1-based line of the note, where one is at fault).
    """
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise VerificationError("note is not valid UTF-8") from None
    if _has_control_character(note):
        raise VerificationError("note contains a control character other than newline")
    if not note.endswith("\n"):
        raise VerificationError("note does not end with a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise VerificationError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise VerificationError("note has no signature lines after its last blank line")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise VerificationError(f"note has more than {MAX_SIGNATURES} signatures")

    first_line = text.count("\n") + 2
    public_key = Ed25519PublicKey.from_public_bytes(verifier.public_key)
    verified = 0
    for line_number, line in enumerate(lines, start=first_line):
        name, raw = _parse_signature_line(line, line_number)
        if name != verifier.name or raw[:KEY_ID_SIZE] != verifier.key_id:
            continue
        signature = raw[KEY_ID_SIZE:]
        if len(signature) != ED25519_SIGNATURE_SIZE:
            raise VerificationError(
                f"signature by {name} is {len(signature)} bytes, "
                f"Ed25519 signatures are {ED25519_SIGNATURE_SIZE}",
                position=line_number,
            )
        try:
            public_key.verify(signature, text.encode("utf-8"))
        except InvalidSignature:
            raise VerificationError(
                f"signature by {name} is not valid for this note text", position=line_number
            ) from None
        verified += 1
    if verified == 0:
        raise VerificationError(f"note has no signature by {verifier.name}+{verifier.key_id.hex()}")
    return text


def checkpoint_shape(note: str) -> Checkpoint:
    """The checkpoint a signed checkpoint note carries, checking only its form, not its signatures.

    Checks the note as verify_note does up to the signatures (UTF-8, no control characters,
    a final newline, a blank line, well-formed signature lines) and the text as
    Checkpoint.parse does. Tells a file that is not a checkpoint at all from one whose
    signature fails, which only verify_checkpoint can say. Raises VerificationError.
    """
    if _has_control_character(note):
        raise VerificationError("note contains a control character other than newline")
    if not note.endswith("\n"):
        raise VerificationError("note does not end with a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise VerificationError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise VerificationError("note has no signature lines after its last blank line")
    first_line = text.count("\n") + 2
    for line_number, line in enumerate(block[:-1].split("\n")[:MAX_SIGNATURES], start=first_line):
        _parse_signature_line(line, line_number)
    return Checkpoint.parse(text)


def _parse_signature_line(line: str, line_number: int) -> tuple[str, bytes]:
    if not line.startswith(SIGNATURE_LINE_PREFIX):
        raise VerificationError(
            "signature line does not start with an em dash and a space", position=line_number
        )
    name, sep, encoded = line[len(SIGNATURE_LINE_PREFIX) :].partition(" ")
    if not sep:
        raise VerificationError(
            "signature line has no space between key name and signature", position=line_number
        )
    problem = _name_problem(name)
    if problem is not None:
        raise VerificationError(f"signature line: {problem}", position=line_number)
    try:
        raw = _b64decode(encoded)
    except ValueError as exc:
        raise VerificationError(f"signature is {exc}", position=line_number) from None
    if len(raw) <= KEY_ID_SIZE:
        raise VerificationError(
            f"signature is {len(raw)} bytes, too short for a key ID and a signature",
            position=line_number,
        )
    return name, raw


def _checkpoint_problem(
    origin: str, size: int, root: bytes, extensions: tuple[str, ...]
) -> tuple[str, int] | None:
    """The first rule of c2sp.org/tlog-checkpoint the fields break, with its 1-based line."""
    if not origin:
        return "checkpoint origin is empty", 1
    if "\n" in origin or _has_control_character(origin):
        return "checkpoint origin contains a newline or control character", 1
    if not 0 <= size <= _MAX_TREE_SIZE:
        return f"checkpoint tree size {size} is outside 0..2^64-1", 2
    if len(root) != HASH_SIZE:
        return f"checkpoint root hash must be {HASH_SIZE} bytes, got {len(root)}", 3
    for line_number, extension in enumerate(extensions, start=4):
        if not extension:
            return "checkpoint extension line is empty", line_number
        if "\n" in extension or _has_control_character(extension):
            problem = "checkpoint extension line contains a newline or control character"
            return problem, line_number
    return None


@dataclass(frozen=True)
class Checkpoint:
    """A transparency log checkpoint (c2sp.org/tlog-checkpoint).

    Construction checks every field against the specification; raises ValueError.
    """

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problem = _checkpoint_problem(self.origin, self.size, self.root, self.extensions)
        if problem is not None:
            raise ValueError(problem[0])

    def to_text(self) -> str:
        """Return the note text: origin, decimal size, base64 root, extensions, each + "\\n"."""
        root = base64.b64encode(self.root).decode("ascii")
        lines = [self.origin, str(self.size), root, *self.extensions]
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse checkpoint note text strictly.

        Checks that the text ends with a newline, has at least three lines, a non-empty
        origin, a decimal size without leading zeroes (except "0") within uint64, a strict
        base64 root of 32 bytes, and non-empty extension lines, with no control characters.
        Raises VerificationError (position = 1-based line) otherwise.
        """
        if not text.endswith("\n"):
            raise VerificationError("checkpoint text does not end with a newline")
        if _has_control_character(text):
            raise VerificationError("checkpoint text contains a control character")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise VerificationError(f"checkpoint has {len(lines)} lines, needs origin, size and root hash")
        origin, size_text, root_text, *extensions = lines
        if not _TREE_SIZE.fullmatch(size_text):
            raise VerificationError(
                f"checkpoint tree size {size_text!r} is not a decimal number without leading zeroes",
                position=2,
            )
        try:
            root = _b64decode(root_text)
        except ValueError as exc:
            raise VerificationError(f"checkpoint root hash is {exc}", position=3) from None
        size = int(size_text)
        problem = _checkpoint_problem(origin, size, root, tuple(extensions))
        if problem is not None:
            raise VerificationError(problem[0], position=problem[1])
        return cls(origin=origin, size=size, root=root, extensions=tuple(extensions))


def sign_checkpoint(cp: Checkpoint, name: str, private_key: Ed25519PrivateKey) -> str:
    """Return the checkpoint as a note signed by `name` (checks as sign_note does)."""
    return sign_note(cp.to_text(), name, private_key)


def verify_checkpoint(note: str, verifier: Verifier, *, origin: str | None = None) -> Checkpoint:
    """Verify a signed checkpoint note and return the checkpoint.

    Checks the note signature as verify_note does, the text as Checkpoint.parse does, and,
    when `origin` is given, that the checkpoint's origin is exactly that. Raises
    VerificationError.
    """
    checkpoint = Checkpoint.parse(verify_note(note, verifier))
    if origin is not None and checkpoint.origin != origin:
        raise VerificationError(
            f"checkpoint origin {checkpoint.origin!r} is not the expected {origin!r}", position=1
        )
    return checkpoint
