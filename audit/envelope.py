"""The signed envelope of one stored event: exact bytes, strictly parsed.

An envelope is plain UTF-8, one `name value` line per field in a fixed order, each
ending in LF. Its first line names the format and version, so a signature made for
an envelope can never be taken for a signature over anything else (domain
separation). The actor's Ed25519 key signs these exact bytes; they are stored as
signed and never re-serialised for verification.

It holds no personal data: the payload and the sealed personal data appear only as
SHA-256 digests, and the sealed part also as a salted commitment.

    reviewledger/event/v1
    origin <log origin>
    stream <stream id>
    version <1-based version within the stream>
    previous <hex SHA-256 of the previous envelope of the stream, or 64 zeros>
    type <stable event type name>
    time <RFC 3339 UTC, microseconds, Z>
    actor <actor id>
    key <key id>
    payload <hex SHA-256 of the payload bytes>
    sealed <hex SHA-256 of the sealed ciphertext, or ->
    commitment <hex salted commitment to the sealed plaintext, or ->
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from audit.errors import VerificationError

FORMAT_LINE = "reviewledger/event/v1"
FIELDS = (
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
NO_PREVIOUS = bytes(32)
ABSENT = "-"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TOKEN = re.compile(r"[\x21-\x7e]{1,200}")  # printable ASCII, no spaces
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
# Each field's rule as _read_lines and _check_values apply them one by one, here all in one pattern.
_RULES = {
    "version": r"[1-9][0-9]{0,199}",
    "previous": _HEX64.pattern,
    "payload": _HEX64.pattern,
    "sealed": f"{_HEX64.pattern}|{ABSENT}",
    "commitment": f"{_HEX64.pattern}|{ABSENT}",
    "time": _TIME.pattern,
}
_ENVELOPE = re.compile(
    re.escape(FORMAT_LINE)
    + "\n"
    + "".join(rf"{name} (?P<{name}>{_RULES.get(name, _TOKEN.pattern)})\n" for name in FIELDS)
)
_TEMPLATE = FORMAT_LINE + "\n" + "".join(f"{name} {{}}\n" for name in FIELDS)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with microseconds and a Z, the one form an envelope accepts."""
    if moment.tzinfo is None:
        raise ValueError("envelope times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Envelope:
    """The fields of one envelope; `to_bytes` gives the one canonical encoding."""

    origin: str
    stream: str
    version: int
    previous: bytes
    type: str
    time: datetime
    actor: str
    key: str
    payload: bytes
    sealed: bytes | None
    commitment: bytes | None

    def to_bytes(self) -> bytes:
        values = self._values()
        for name, value in zip(FIELDS, values, strict=True):
            if not _TOKEN.fullmatch(value):
                raise ValueError(f"envelope field {name} must be printable ASCII without spaces")
        return _encode(values)

    def _values(self) -> tuple[str, ...]:
        return (
            self.origin,
            self.stream,
            str(self.version),
            self.previous.hex(),
            self.type,
            format_time(self.time),
            self.actor,
            self.key,
            self.payload.hex(),
            self.sealed.hex() if self.sealed is not None else ABSENT,
            self.commitment.hex() if self.commitment is not None else ABSENT,
        )

    @classmethod
    def parse(cls, data: bytes, *, position: int | None = None) -> Envelope:
        """Parse envelope bytes strictly; raise VerificationError naming the first problem."""

        def fail(problem: str) -> VerificationError:
            return VerificationError(f"envelope: {problem}", position=position)

        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            raise fail("not ASCII text") from None
        # A well-formed envelope is read in one pass; otherwise line by line and field by field,
        # which names the first problem. Both apply the same rules.
        match = _ENVELOPE.fullmatch(text)
        if match is not None:
            values = match.groupdict()
        else:
            values = _read_lines(text, fail)
            _check_values(values, fail)
        if (values["sealed"] == ABSENT) != (values["commitment"] == ABSENT):
            raise fail("sealed and commitment must both be present or both absent")
        try:
            # The form is fixed by _TIME above; fromisoformat only has to read it (a tenth of strptime's cost).
            moment = datetime.fromisoformat(values["time"])
        except ValueError:
            raise fail("time is not a real date and time") from None
        # Every other field is read verbatim and checked above, so encoding it again gives the same
        # text; only the time becomes a value, and it must give back exactly the text it came from
        # (the inspector's verifier, reviewledger_verify/envelope.py, applies the same rule).
        if format_time(moment) != values["time"]:
            raise fail("is not in canonical form")
        return cls(
            origin=values["origin"],
            stream=values["stream"],
            version=int(values["version"]),
            previous=bytes.fromhex(values["previous"]),
            type=values["type"],
            time=moment,
            actor=values["actor"],
            key=values["key"],
            payload=bytes.fromhex(values["payload"]),
            sealed=None if values["sealed"] == ABSENT else bytes.fromhex(values["sealed"]),
            commitment=None if values["commitment"] == ABSENT else bytes.fromhex(values["commitment"]),
        )


def _read_lines(text: str, fail: Callable[[str], VerificationError]) -> dict[str, str]:
    if not text.endswith("\n"):
        raise fail("does not end with a newline")
    lines = text[:-1].split("\n")
    if lines[0] != FORMAT_LINE:
        raise fail(f"first line is not {FORMAT_LINE!r}")
    if len(lines) != len(FIELDS) + 1:
        raise fail(f"has {len(lines) - 1} fields, expected {len(FIELDS)}")
    values: dict[str, str] = {}
    for expected, line in zip(FIELDS, lines[1:], strict=True):
        name, sep, value = line.partition(" ")
        if name != expected or not sep:
            raise fail(f"expected field {expected!r}, found {name!r}")
        if not _TOKEN.fullmatch(value):
            raise fail(f"field {expected} is not printable ASCII without spaces")
        values[name] = value
    return values


def _check_values(values: dict[str, str], fail: Callable[[str], VerificationError]) -> None:
    if not values["version"].isdigit() or values["version"].startswith("0"):
        raise fail("version is not a positive decimal number")
    for name in ("previous", "payload"):
        if not _HEX64.fullmatch(values[name]):
            raise fail(f"{name} is not a lowercase hex SHA-256 digest")
    for name in ("sealed", "commitment"):
        if values[name] != ABSENT and not _HEX64.fullmatch(values[name]):
            raise fail(f"{name} is neither a lowercase hex SHA-256 digest nor '-'")
    if (values["sealed"] == ABSENT) != (values["commitment"] == ABSENT):
        raise fail("sealed and commitment must both be present or both absent")
    if not _TIME.fullmatch(values["time"]):
        raise fail("time is not RFC 3339 UTC with microseconds")


def _encode(values: tuple[str, ...]) -> bytes:
    return _TEMPLATE.format(*values).encode("ascii")


def entry_bytes(envelope: bytes, signature: bytes) -> bytes:
    """The Merkle leaf input of one event: the exact envelope bytes, then the 64-byte signature."""
    return envelope + signature


class Summary(NamedTuple):
    """The fields a reader shows: who signed which event of which stream, when."""

    stream: str
    version: int
    type: str
    time: datetime
    actor: str
    key: str
    sealed: bool
    payload: bytes = b""  # the signed SHA-256 of the payload


def summary(data: bytes) -> Summary:
    """Read an envelope's fields for display and for the read models, without `parse`'s checks.

    Never a substitute for `Envelope.parse`: verification always parses strictly. The read
    models are rebuilt from the log, and `verify` checks every envelope they were built from.
    """
    values = [line.partition(" ")[2] for line in data.decode("ascii").split("\n")[1:-1]]
    if len(values) != len(FIELDS):
        raise VerificationError(f"envelope: has {len(values)} fields, expected {len(FIELDS)}")
    return Summary(
        stream=values[1],
        version=int(values[2]),
        type=values[4],
        time=datetime.fromisoformat(values[5]),
        actor=values[6],
        key=values[7],
        sealed=values[9] != ABSENT,
        payload=bytes.fromhex(values[8]) if _HEX64.fullmatch(values[8]) else b"",
    )
