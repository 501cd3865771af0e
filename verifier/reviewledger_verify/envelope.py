"""reviewledger's signed envelopes, parsed strictly (the rules of the log's own envelope format)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from reviewledger_verify.failure import Failure, sha256
from reviewledger_verify.merkle import HASH_SIZE

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
HEX64 = re.compile(r"[0-9a-f]{64}")
_TOKEN = re.compile(r"[\x21-\x7e]{1,200}")
_ENVELOPE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_ENVELOPE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


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
        if not HEX64.fullmatch(values[name]):
            raise fail(f"{name} is not a lowercase hex SHA-256 digest")
    for name in ("sealed", "commitment"):
        if values[name] != ENVELOPE_ABSENT and not HEX64.fullmatch(values[name]):
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
