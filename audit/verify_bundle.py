#!/usr/bin/env python3
"""Check a reviewledger evidence bundle offline, trusting nothing but the log's public key.

    python verify_bundle.py BUNDLE.zip --log-key KEY [--since CHECKPOINT_FILE] [--json]

KEY is the log's verifier key as the log publishes it (c2sp.org/signed-note form
`name+hexkeyid+base64(0x01 || Ed25519 public key)`), obtained from the log's operator
through a channel other than the bundle: a key inside the bundle proves nothing on its own.
CHECKPOINT_FILE is a checkpoint this inspector received earlier from the same log.

This file is self-contained on purpose: it needs only the Python standard library (3.11 or
later) and the `cryptography` package, so an inspector can read every line of it. Exit
status 0 means everything below verified; 1 means at least one check failed, and each
failure is printed with the position in the log it concerns where there is one.

What is checked, in order:
 1. the zip opens and is byte for byte the canonical zip of its own members (sorted names,
    stored, fixed dates and attributes, no extra fields or comments);
 2. the manifest is canonical JSON of the expected shape, and every other member's
    SHA-256 is the one it lists;
 3. the checkpoint is a signed note (c2sp.org/signed-note) that verifies under KEY, and its
    origin is the key's name (c2sp.org/tlog-checkpoint);
 4. every entry's envelope parses strictly, names the stream and version the manifest
    says, covers its payload file's SHA-256, and is included at its position in the
    checkpoint's tree (RFC 9162 §2.1.3.2) as leaf SHA-256(0x00 || envelope || signature);
 5. the registry of people and keys is replayed in log order from its first event, which
    must name KEY; each event is signed by a key valid for its actor at its position
    (registry events by the log or by an administrator); keys marked compromised are not
    trusted for anything timed at or after the moment they were compromised;
 6. every stream starts at version 1, has no gaps, and chains each envelope to the SHA-256
    of the one before it;
 7. with --since, the earlier checkpoint verifies under KEY and the bundle's consistency
    proof from it to the bundle's checkpoint holds (RFC 9162 §2.1.4.2). A bundle of one
    record carries proofs from the checkpoints signed as that record's steps were logged,
    and from the checkpoint named when it was exported (`bundle export --since`); for any
    other checkpoint, ask for a bundle exported with --since it.

What it cannot show: that nothing was appended to a stream after the last version in the
bundle (a Merkle tree proves inclusion, not absence). A whole-log bundle must hold every
position of its tree, so there the question does not arise.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import io
import json
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - only on an inspector's machine without the package
    sys.exit("verify_bundle.py needs the 'cryptography' package: pip install cryptography")

# -- the bundle ----------------------------------------------------------------------------

BUNDLE_FORMAT = "reviewledger-bundle/v1"
MANIFEST_MEMBER = "manifest.json"
CHECKPOINT_MEMBER = "checkpoint.txt"
VERIFIER_MEMBER = "verify_bundle.py"
REGISTRY_STREAM = "registry"
LOG_ACTOR = "log"
ADMINISTRATOR_ROLE = "administrator"

# -- RFC 6962 / RFC 9162 Merkle trees --------------------------------------------------------

# RFC 6962 §2.1: leaf hash = SHA-256(0x00 || leaf input).
LEAF_PREFIX = b"\x00"
# RFC 6962 §2.1: interior node hash = SHA-256(0x01 || left || right).
NODE_PREFIX = b"\x01"
# RFC 6962 §2.1: SHA-256 output size.
HASH_SIZE = 32

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

# -- reviewledger envelopes and key ids (mirroring audit/envelope.py and audit/signing.py) --

ENVELOPE_FORMAT_LINE = "reviewledger/event/v1"
ENVELOPE_FIELDS = (
    "origin",
    "stream",
    "version",
    "previous",
    "type",
    "time",
    "actor",
    "key",
    "payload",
    "sealed",
    "commitment",
)
ENVELOPE_ABSENT = "-"
NO_PREVIOUS = bytes(HASH_SIZE)
KEY_ID_CONTEXT = b"reviewledger/key-id/v1\n"
KEY_ID_BYTES = 8
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TOKEN = re.compile(r"[\x21-\x7e]{1,200}")
_ENVELOPE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_ENVELOPE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

# -- canonical zip (PKWARE APPNOTE.TXT 6.3.10) ------------------------------------------------

ZIP_LOCAL_HEADER_SIGNATURE = 0x04034B50  # §4.3.7
ZIP_CENTRAL_HEADER_SIGNATURE = 0x02014B50  # §4.3.12
ZIP64_END_RECORD_SIGNATURE = 0x06064B50  # §4.3.14
ZIP64_END_LOCATOR_SIGNATURE = 0x07064B50  # §4.3.15
ZIP_END_RECORD_SIGNATURE = 0x06054B50  # §4.3.16
ZIP_VERSION_NEEDED = 20  # §4.4.3.2: 2.0, enough for stored files in folders
ZIP64_VERSION_NEEDED = 45  # §4.4.3.2: 4.5, ZIP64 format extensions
ZIP_VERSION_MADE_BY = (3 << 8) | ZIP_VERSION_NEEDED  # §4.4.2: upper byte 3 = UNIX
ZIP_STORED = 0  # §4.4.5: compression method 0, stored
ZIP_NO_FLAGS = 0  # §4.4.4: no encryption, no data descriptor, names in IBM 437 (ASCII here)
ZIP_DOS_TIME = 0  # §4.4.6: 00:00:00
ZIP_DOS_DATE = (0 << 9) | (1 << 5) | 1  # §4.4.6: 1980-01-01, the MS-DOS epoch
ZIP_EXTERNAL_ATTRIBUTES = 0o100644 << 16  # §4.4.15: UNIX mode of a regular file, rw-r--r--
ZIP_MAX_16 = 0xFFFF  # §4.4.1.4: a larger count goes in the ZIP64 end record
ZIP_MAX_32 = 0xFFFFFFFF  # this writer does not write ZIP64 sizes or offsets
_MEMBER_NAME = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


class Failure(Exception):
    """One specific reason the bundle does not verify, with the log position it concerns."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message if self.position is None else f"position {self.position}: {self.message}"


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def strict_b64decode(text: str, what: str, position: int | None = None) -> bytes:
    """Standard base64 (RFC 4648 §4) in canonical form only; Failure otherwise."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise Failure(f"{what} is not valid base64", position) from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise Failure(f"{what} is not canonical base64", position)
    return raw


# ================================================================== canonical zip and manifest


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


def canonical_zip(members: Mapping[str, bytes]) -> bytes:
    """The one zip encoding of these members; ValueError if a name or size cannot be encoded."""
    return _zip_layout(members)[0]


def _zip_layout(members: Mapping[str, bytes]) -> tuple[bytes, list[tuple[int, str]]]:
    """The canonical zip, and where each of its regions starts (for reporting differences)."""
    archive = bytearray()
    directory = bytearray()
    regions: list[tuple[int, str]] = []
    for name in sorted(members):
        if not _MEMBER_NAME.fullmatch(name):
            raise ValueError(f"member name {name!r} is not a plain relative ASCII path")
        raw_name, data = name.encode("ascii"), members[name]
        if len(raw_name) > ZIP_MAX_16:
            raise ValueError("a member name is longer than a zip header can hold")
        offset, crc = len(archive), zlib.crc32(data)
        if len(data) > ZIP_MAX_32 or offset > ZIP_MAX_32:
            raise ValueError("a bundle larger than 4 GiB cannot be written")
        regions.append((offset, f"the local header of {name}"))
        # §4.3.7 local file header: stored, no flags, fixed date, no extra field.
        archive += struct.pack(
            "<IHHHHHIIIHH",
            ZIP_LOCAL_HEADER_SIGNATURE,
            ZIP_VERSION_NEEDED,
            ZIP_NO_FLAGS,
            ZIP_STORED,
            ZIP_DOS_TIME,
            ZIP_DOS_DATE,
            crc,
            len(data),
            len(data),
            len(raw_name),
            0,
        )
        archive += raw_name
        regions.append((len(archive), f"the data of {name}"))
        archive += data
        # §4.3.12 central directory header: no extra field, no comment, disk 0.
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            ZIP_CENTRAL_HEADER_SIGNATURE,
            ZIP_VERSION_MADE_BY,
            ZIP_VERSION_NEEDED,
            ZIP_NO_FLAGS,
            ZIP_STORED,
            ZIP_DOS_TIME,
            ZIP_DOS_DATE,
            crc,
            len(data),
            len(data),
            len(raw_name),
            0,
            0,
            0,
            0,
            ZIP_EXTERNAL_ATTRIBUTES,
            offset,
        )
        directory += raw_name
    directory_offset, count = len(archive), len(members)
    if directory_offset + len(directory) > ZIP_MAX_32:
        raise ValueError("a bundle larger than 4 GiB cannot be written")
    regions.append((directory_offset, "the central directory"))
    archive += directory
    if count > ZIP_MAX_16:
        end64 = len(archive)
        regions.append((end64, "the ZIP64 end of central directory record"))
        # §4.3.14: the record's size field counts the bytes after itself (44).
        archive += struct.pack(
            "<IQHHIIQQQQ",
            ZIP64_END_RECORD_SIGNATURE,
            44,
            ZIP_VERSION_MADE_BY,
            ZIP64_VERSION_NEEDED,
            0,
            0,
            count,
            count,
            len(directory),
            directory_offset,
        )
        # §4.3.15: the locator points at the ZIP64 record; one disk in total.
        archive += struct.pack("<IIQI", ZIP64_END_LOCATOR_SIGNATURE, 0, end64, 1)
        count = ZIP_MAX_16
    regions.append((len(archive), "the end of central directory record"))
    # §4.3.16: one disk, no comment.
    archive += struct.pack(
        "<IHHHHIIH", ZIP_END_RECORD_SIGNATURE, 0, 0, count, count, len(directory), directory_offset, 0
    )
    return bytes(archive), regions


def encode_manifest(manifest: Mapping[str, object]) -> bytes:
    """The one JSON encoding of a manifest: sorted keys, one-space indent, ASCII, final newline."""
    text = json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=True, allow_nan=False)
    return text.encode("ascii") + b"\n"


def read_members(data: bytes) -> dict[str, bytes]:
    """Open the zip and return its members by name; Failure when it cannot be read as stored files."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            members: dict[str, bytes] = {}
            for info in infos:
                if info.filename in members:
                    raise Failure(f"bundle zip has two members named {info.filename!r}")
                if info.compress_type != zipfile.ZIP_STORED:
                    raise Failure(f"bundle member {info.filename!r} is compressed; bundle members are stored")
                if info.flag_bits & 0x1:
                    raise Failure(f"bundle member {info.filename!r} is encrypted")
                members[info.filename] = archive.read(info)
    except Failure:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise Failure(f"bundle is not a readable zip archive: {error}") from None
    except (
        OSError,
        EOFError,
        ValueError,
        KeyError,
        NotImplementedError,
        RuntimeError,
        struct.error,
    ) as error:
        raise Failure(f"bundle is not a readable zip archive: {type(error).__name__}: {error}") from None
    return members


def check_canonical(data: bytes, members: Mapping[str, bytes]) -> None:
    """The bundle must be exactly the canonical zip of its members; Failure naming the first difference."""
    try:
        canonical, regions = _zip_layout(members)
    except ValueError as error:
        raise Failure(f"bundle is not in canonical form: {error}") from None
    if canonical == data:
        return
    offset = _first_difference(canonical, data)
    region = "bytes beyond the end of the canonical archive"
    if offset < len(canonical):
        region = [label for start, label in regions if start <= offset][-1]
    raise Failure(f"bundle is not in canonical form: first difference at byte {offset}, in {region}")


def _first_difference(a: bytes, b: bytes) -> int:
    """The first offset at which a and b differ (the shorter length if one is a prefix of the other)."""
    low, high = 0, min(len(a), len(b))  # a[:low] == b[:low], and any difference is at or before high
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


# ================================================================== keys and signed notes


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


# ================================================================== Merkle proofs (RFC 9162)


def leaf_hash(leaf_input: bytes) -> bytes:
    """RFC 6962 §2.1: MTH({d}) = SHA-256(0x00 || d)."""
    return sha256(LEAF_PREFIX + leaf_input)


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 §2.1: SHA-256(0x01 || left || right)."""
    return sha256(NODE_PREFIX + left + right)


def verify_inclusion(index: int, size: int, hash_: bytes, path: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2, step by step; Failure (position index + 1) when the proof does not hold."""
    position = index + 1
    if any(len(h) != HASH_SIZE for h in (hash_, root, *path)):
        raise Failure(f"inclusion proof holds a hash that is not {HASH_SIZE} bytes", position)
    # Step 1.
    if not 0 <= index < size:
        raise Failure(f"inclusion proof: leaf index {index} is outside a tree of size {size}", position)
    # Steps 2 and 3.
    fn, sn, r = index, size - 1, hash_
    # Step 4.
    for p in path:
        if sn == 0:
            raise Failure(f"inclusion proof has more hashes than a tree of size {size} needs", position)
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    # Step 5.
    if sn != 0:
        raise Failure(f"inclusion proof has too few hashes for a tree of size {size}", position)
    if r != root:
        raise Failure("inclusion proof does not lead to the checkpoint's root hash", position)


def verify_consistency(
    first: int, second: int, path: Sequence[bytes], first_hash: bytes, second_hash: bytes
) -> None:
    """RFC 9162 §2.1.4.2, step by step; a proof from the empty tree is refused unless both are empty."""
    if any(len(h) != HASH_SIZE for h in (first_hash, second_hash, *path)):
        raise Failure(f"consistency proof holds a hash that is not {HASH_SIZE} bytes")
    if not 0 <= first <= second:
        raise Failure(f"consistency proof: size {first} is not between 0 and {second}")
    if first == second:
        if path:
            raise Failure("consistency proof between equal sizes must be empty")
        if first_hash != second_hash:
            raise Failure(f"the two checkpoints of size {first} have different root hashes: the log forked")
        return
    if first == 0:
        raise Failure("a consistency proof from the empty tree (size 0) proves nothing and is refused")
    # Step 1.
    if not path:
        raise Failure(f"consistency proof from size {first} to {second} is empty")
    # Step 2.
    if first & (first - 1) == 0:
        path = [first_hash, *path]
    # Steps 3 and 4.
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Step 5.
    fr = sr = path[0]
    # Step 6.
    for c in path[1:]:
        if sn == 0:
            raise Failure(f"consistency proof has more hashes than sizes {first} to {second} need")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    # Step 7.
    if sn != 0:
        raise Failure(f"consistency proof has too few hashes for sizes {first} to {second}")
    if fr != first_hash:
        raise Failure(f"consistency proof does not lead to the root hash of the checkpoint at size {first}")
    if sr != second_hash:
        raise Failure(f"consistency proof does not lead to the bundle checkpoint's root hash (size {second})")


def parse_proof_lines(data: bytes, what: str) -> list[bytes]:
    """A proof file: one base64 SHA-256 hash per line, each line ending in a newline."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise Failure(f"{what} is not ASCII text") from None
    if text and not text.endswith("\n"):
        raise Failure(f"{what} does not end with a newline")
    hashes = [strict_b64decode(line, f"{what} line {n}") for n, line in enumerate(text.splitlines(), 1)]
    if any(len(h) != HASH_SIZE for h in hashes):
        raise Failure(f"{what} holds a hash that is not {HASH_SIZE} bytes")
    return hashes


# ================================================================== envelopes


@dataclass(frozen=True)
class Envelope:
    origin: str
    stream: str
    version: int
    previous: bytes
    type: str
    time: datetime
    actor: str
    key: str
    payload: bytes


def parse_envelope(data: bytes, position: int) -> Envelope:
    """Parse envelope bytes with the rules of audit/envelope.py; Failure naming the first problem."""

    def fail(problem: str) -> Failure:
        return Failure(f"envelope: {problem}", position)

    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise fail("not ASCII text") from None
    if not text.endswith("\n"):
        raise fail("does not end with a newline")
    lines = text[:-1].split("\n")
    if lines[0] != ENVELOPE_FORMAT_LINE:
        raise fail(f"first line is not {ENVELOPE_FORMAT_LINE!r}")
    if len(lines) != len(ENVELOPE_FIELDS) + 1:
        raise fail(f"has {len(lines) - 1} fields, expected {len(ENVELOPE_FIELDS)}")
    values: dict[str, str] = {}
    for expected, line in zip(ENVELOPE_FIELDS, lines[1:], strict=True):
        name, sep, value = line.partition(" ")
        if name != expected or not sep:
            raise fail(f"expected field {expected!r}, found {name!r}")
        if not _TOKEN.fullmatch(value):
            raise fail(f"field {expected} is not printable ASCII without spaces")
        values[name] = value
    if not values["version"].isdigit() or values["version"].startswith("0"):
        raise fail("version is not a positive decimal number")
    for name in ("previous", "payload"):
        if not _HEX64.fullmatch(values[name]):
            raise fail(f"{name} is not a lowercase hex SHA-256 digest")
    for name in ("sealed", "commitment"):
        if values[name] != ENVELOPE_ABSENT and not _HEX64.fullmatch(values[name]):
            raise fail(f"{name} is neither a lowercase hex SHA-256 digest nor '-'")
    if (values["sealed"] == ENVELOPE_ABSENT) != (values["commitment"] == ENVELOPE_ABSENT):
        raise fail("sealed and commitment must both be present or both absent")
    if not _ENVELOPE_TIME.fullmatch(values["time"]):
        raise fail("time is not RFC 3339 UTC with microseconds")
    try:
        moment = datetime.strptime(values["time"], _ENVELOPE_TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise fail("time is not a real date and time") from None
    if moment.strftime(_ENVELOPE_TIME_FORMAT) != values["time"]:
        raise fail("is not in canonical form")
    return Envelope(
        origin=values["origin"],
        stream=values["stream"],
        version=int(values["version"]),
        previous=bytes.fromhex(values["previous"]),
        type=values["type"],
        time=moment,
        actor=values["actor"],
        key=values["key"],
        payload=bytes.fromhex(values["payload"]),
    )


def reviewledger_key_id(public_key: bytes) -> str:
    """A key's id in envelopes and the registry (audit/signing.py): SHA-256(context || key)[:8], hex."""
    return sha256(KEY_ID_CONTEXT + public_key)[:KEY_ID_BYTES].hex()


# ================================================================== the manifest


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
        isinstance(v, str) and _HEX64.fullmatch(v) for v in members.values()
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
    expected = {CHECKPOINT_MEMBER, VERIFIER_MEMBER}
    expected.update(name for entry in manifest.entries for name in entry_member_names(entry.position))
    expected.update(consistency_member_name(n) for n in manifest.consistency_from)
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


# ================================================================== the key registry


@dataclass
class _Key:
    actor: str
    public_key: bytes
    issued_at: int
    ended: str | None = None  # how and at which position it stopped signing
    compromised_from: datetime | None = None
    compromised_at: int | None = None


@dataclass
class KeyRegistry:
    """People, keys and roles, replayed from the registry events in log order (domain/registry.py)."""

    log_key: LogKey
    origin: str
    log_key_id: str | None = None
    keys: dict[str, _Key] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)
    active: dict[str, str | None] = field(default_factory=dict)

    def establish(
        self, position: int, envelope: Envelope, signature: bytes, raw: bytes, payload: bytes
    ) -> None:
        """The log's first registry event must name --log-key and be signed by it."""
        event = _registry_payload(payload, envelope, position)
        if envelope.type != "registry.log-established":
            raise Failure(
                f"the registry's first event is {envelope.type}, not registry.log-established", position
            )
        if _string(event, "origin", position) != self.origin:
            raise Failure("the log-established event names another origin than the checkpoint", position)
        named = strict_b64decode(_string(event, "log_public_key", position), "log_public_key", position)
        if named != self.log_key.public_key:
            raise Failure("the log-established event names a log key other than --log-key", position)
        key_id = _string(event, "log_key_id", position)
        if key_id != reviewledger_key_id(named):
            raise Failure(f"the log-established event's key id {key_id} is not the id of its key", position)
        if envelope.actor != LOG_ACTOR or envelope.key != key_id:
            raise Failure("the log-established event is not signed by the log's own key", position)
        if not verify_ed25519(named, signature, raw):
            raise Failure("signature of the log-established event does not verify under --log-key", position)
        self.log_key_id = key_id

    def check_signer(self, position: int, envelope: Envelope, signature: bytes, raw: bytes) -> str | None:
        """Check the event's signer may sign it here; return the person's key id (None for the log key)."""
        if self.log_key_id is None:
            raise Failure(
                "no key is known here: the log-established event comes later, is missing or did not verify",
                position,
            )
        if envelope.actor == LOG_ACTOR:
            if envelope.stream != REGISTRY_STREAM:
                raise Failure("the log's key signs only registry events", position)
            if envelope.key != self.log_key_id:
                raise Failure(f"key {envelope.key} is not the log's key", position)
            if not verify_ed25519(self.log_key.public_key, signature, raw):
                raise Failure("signature does not verify under the log's key", position)
            return None
        key = self.keys.get(envelope.key)
        if key is None:
            raise Failure(f"key {envelope.key} is not registered at this position", position)
        if key.actor != envelope.actor:
            raise Failure(f"key {envelope.key} belongs to {key.actor}, not to {envelope.actor}", position)
        if key.ended is not None:
            raise Failure(
                f"key {envelope.key} of {key.actor} was {key.ended} and signs nothing after", position
            )
        if envelope.stream == REGISTRY_STREAM and ADMINISTRATOR_ROLE not in self.roles.get(
            envelope.actor, set()
        ):
            raise Failure(
                f"registry events are signed by the log or an administrator; {envelope.actor} is not one here",
                position,
            )
        if not verify_ed25519(key.public_key, signature, raw):
            raise Failure(f"signature does not verify under key {envelope.key} of {envelope.actor}", position)
        return envelope.key

    def apply(self, position: int, envelope: Envelope, payload: bytes) -> None:
        """Change the registry by one verified registry event."""
        event = _registry_payload(payload, envelope, position)
        kind = envelope.type
        if kind == "registry.log-established":
            raise Failure("the log is established a second time", position)
        actor = _string(event, "actor_id", position)
        if kind == "registry.actor-registered":
            roles = event.get("roles")
            if actor in self.roles or actor == LOG_ACTOR:
                raise Failure(f"actor {actor} is registered a second time", position)
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                raise Failure("actor-registered event has no list of roles", position)
            self.roles[actor], self.active[actor] = set(roles), None
            return
        if actor not in self.roles:
            raise Failure(f"{kind} names {actor}, who is not registered", position)
        if kind == "registry.role-granted":
            self.roles[actor].add(_string(event, "role", position))
        elif kind == "registry.role-withdrawn":
            self.roles[actor].discard(_string(event, "role", position))
        elif kind == "registry.key-issued":
            if self.active[actor] is not None:
                raise Failure(f"a key is issued to {actor}, who already has an active key", position)
            self._add_key(position, actor, event)
        elif kind == "registry.key-rotated":
            old = _string(event, "old_key_id", position)
            if self.active[actor] != old:
                raise Failure(f"key {old} rotated away is not the active key of {actor}", position)
            self._end(old, f"rotated away at position {position}")
            self._add_key(position, actor, event)
        elif kind == "registry.key-retired":
            key_id = _string(event, "key_id", position)
            if self.active[actor] != key_id:
                raise Failure(f"key {key_id} retired is not the active key of {actor}", position)
            self._end(key_id, f"retired at position {position}")
            self.active[actor] = None
        elif kind == "registry.key-compromised":
            key_id = _string(event, "key_id", position)
            key = self.keys.get(key_id)
            if key is None or key.actor != actor:
                raise Failure(f"key {key_id} marked compromised is not a key of {actor}", position)
            key.compromised_from = _timestamp(_string(event, "compromised_from", position), position)
            key.compromised_at = position
            self._end(key_id, f"marked compromised at position {position}")
            if self.active[actor] == key_id:
                self.active[actor] = None
        else:
            raise Failure(f"registry event type {kind} is not known to this verifier", position)

    def _add_key(self, position: int, actor: str, event: dict[str, object]) -> None:
        key_id = _string(event, "key_id", position)
        public_key = strict_b64decode(
            _string(event, "public_key", position), "registered public key", position
        )
        if len(public_key) != ED25519_PUBLIC_KEY_SIZE:
            raise Failure(f"registered public key is {len(public_key)} bytes, not 32", position)
        if key_id != reviewledger_key_id(public_key):
            raise Failure(f"registered key id {key_id} is not the id of its public key", position)
        if key_id in self.keys or key_id == self.log_key_id:
            raise Failure(f"key {key_id} is registered a second time", position)
        self.keys[key_id] = _Key(actor=actor, public_key=public_key, issued_at=position)
        self.active[actor] = key_id

    def _end(self, key_id: str, how: str) -> None:
        key = self.keys[key_id]
        if key.ended is None:
            key.ended = how


def _registry_payload(payload: bytes, envelope: Envelope, position: int) -> dict[str, object]:
    try:
        event = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Failure("registry event payload is not JSON", position) from None
    if not isinstance(event, dict):
        raise Failure("registry event payload is not a JSON object", position)
    if event.get("type") != envelope.type:
        raise Failure(f"registry event payload type is not the envelope's {envelope.type}", position)
    return event


def _string(event: dict[str, object], name: str, position: int) -> str:
    value = event.get(name)
    if not isinstance(value, str) or not value:
        raise Failure(f"registry event field {name} is missing or not a string", position)
    return value


def _timestamp(text: str, position: int) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Failure(f"registry time {text!r} is not an RFC 3339 time", position) from None
    if moment.tzinfo is None:
        raise Failure(f"registry time {text!r} has no time zone", position)
    return moment


# ================================================================== the whole bundle


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

    @property
    def verified(self) -> bool:
        return not self.failures


def verify_bundle(data: bytes, log_key_text: str, since_note: str | None = None) -> Report:
    """Run every check on the bundle bytes; the report lists each failure found."""
    report = Report()
    try:
        key = parse_log_key(log_key_text.strip())
        members = read_members(data)
        check_canonical(data, members)
        if MANIFEST_MEMBER not in members:
            raise Failure("bundle has no manifest.json")
        manifest = parse_manifest(members[MANIFEST_MEMBER])
        report.origin, report.review = manifest.origin, manifest.review
        report.entries, report.tree_size = len(manifest.entries), manifest.tree_size
        check_members(manifest, members)
        checkpoint = verify_checkpoint(
            _utf8(members[CHECKPOINT_MEMBER], CHECKPOINT_MEMBER), key, CHECKPOINT_MEMBER
        )
        if manifest.origin != checkpoint.origin or manifest.tree_size != checkpoint.size:
            raise Failure("manifest origin and tree size are not those of the signed checkpoint")
        report.root = checkpoint.root
        for size in manifest.consistency_from:
            parse_proof_lines(members[consistency_member_name(size)], consistency_member_name(size))
    except Failure as failure:
        report.failures.append(failure)
        return report
    report.failures.extend(_check_entries(manifest, members, key, checkpoint))
    if since_note is not None:
        try:
            report.since_size = _check_since(since_note, key, checkpoint, manifest, members)
        except Failure as failure:
            report.failures.append(failure)
    return report


def _utf8(data: bytes, what: str) -> str:
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
    """Which entries a bundle must hold: its review's events and the registry, or every position."""
    streams = {entry.stream for entry in manifest.entries}
    if REGISTRY_STREAM not in streams:
        return [Failure("bundle holds no registry events, so no key can be checked")]
    if manifest.review is None:
        missing = sorted(set(range(1, manifest.tree_size + 1)) - {e.position for e in manifest.entries})
        return [Failure("a whole-log bundle must hold every position of its tree", p) for p in missing[:20]]
    failures = [
        Failure(
            f"entry belongs to {entry.stream}, which is neither the review nor the registry", entry.position
        )
        for entry in manifest.entries
        if entry.stream not in (REGISTRY_STREAM, manifest.review)
    ]
    if manifest.review not in streams:
        failures.append(Failure(f"bundle holds no event of the review {manifest.review}"))
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


# ================================================================== command line


def _summary(report: Report, bundle: str) -> str:
    scope = f"review {report.review} and the registry" if report.review else "the whole log"
    if report.verified:
        lines = [
            f"VERIFIED: {bundle}",
            f"  {report.entries} entries ({scope}) from {report.origin},",
            f"  included in its signed checkpoint of tree size {report.tree_size}, root "
            f"{base64.b64encode(report.root).decode('ascii')}",
            "  signatures, keys, registry and per-stream chains all check out",
        ]
        if report.since_size is not None:
            lines.append(f"  and the log is consistent with your checkpoint of tree size {report.since_size}")
        return "\n".join(lines)
    count = len(report.failures)
    lines = [f"NOT VERIFIED: {bundle}: {count} problem{'s' if count != 1 else ''}"]
    lines.extend(f"  - {failure}" for failure in report.failures)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point: 0 when the bundle verifies, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="verify_bundle.py", description="Verify a reviewledger evidence bundle offline."
    )
    parser.add_argument("bundle", help="the bundle .zip file")
    parser.add_argument("--log-key", required=True, help="the log's verifier key, name+keyid+base64")
    parser.add_argument(
        "--since", metavar="CHECKPOINT_FILE", help="a checkpoint of this log you hold already"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    report = Report()
    since: str | None = None
    try:
        data = Path(args.bundle).read_bytes()
        if args.since is not None:
            since = _utf8(Path(args.since).read_bytes(), "--since checkpoint file")
    except OSError as error:
        report.failures.append(Failure(f"cannot read {error.filename}: {error.strerror}"))
    except Failure as failure:
        report.failures.append(failure)
    else:
        try:
            report = verify_bundle(data, args.log_key, since)
        except Exception as error:  # fail closed, with a message rather than a traceback
            report.failures.append(Failure(f"verifier could not finish: {type(error).__name__}: {error}"))
    if args.json:
        result = {
            "verified": report.verified,
            "entries": report.entries,
            "tree_size": report.tree_size,
            "origin": report.origin,
            "review": report.review,
            "failures": [{"position": f.position, "message": f.message} for f in report.failures],
        }
        print(json.dumps(result, indent=2))
    else:
        print(_summary(report, args.bundle))
    return 0 if report.verified else 1


if __name__ == "__main__":
    sys.exit(main())
