"""Sealed documents: a file sealed in segments, so a large file never sits whole in memory.

The construction is STREAM (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption
and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015) over AES-256-GCM, as Tink's streaming AEAD
uses it: each file gets its own key, derived with HKDF-SHA256 (RFC 5869) from the record's data
key and a random salt, and each segment is sealed under the nonce

    nonce prefix (7 random bytes) || segment number (4 bytes, big-endian) || last flag (1 byte)

so segments cannot be reordered, dropped, repeated or cut short without the opening failing. The
associated data binds every segment to the record and the upload it was sealed for.

Sealed stream = header (32-byte salt || 7-byte nonce prefix) followed by the sealed segments;
its SHA-256 is the document's content address, which the signed attachment event names.
Destroying the record's data key destroys the document with the rest of the record's data.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from audit.errors import AuditError

SEGMENT_SIZE = 1024 * 1024  # plaintext bytes per segment
TAG_SIZE = 16  # NIST SP 800-38D: a 128-bit authentication tag
SALT_SIZE = 32
PREFIX_SIZE = 7  # STREAM: nonce = prefix || 32-bit counter || last-segment flag
HEADER_SIZE = SALT_SIZE + PREFIX_SIZE
MAX_SEGMENTS = 2**32  # the counter's range
_KEY_INFO = b"reviewledger/document-key/v1\n"
_SEGMENT_AAD = b"reviewledger/document/v1\n"


class DocumentUnsealError(AuditError):
    """A sealed document does not open: wrong key, or a segment altered, moved, dropped or added."""


def _document_key(data_key: bytes, salt: bytes, record: str, upload: str) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=_KEY_INFO + f"{record}\n{upload}\n".encode()
    ).derive(data_key)
    return AESGCM(derived)


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    if number >= MAX_SEGMENTS:
        raise ValueError("a document has more segments than the nonce can number")
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _aad(record: str, upload: str) -> bytes:
    return _SEGMENT_AAD + f"{record}\n{upload}\n".encode()


def _with_last(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each chunk with whether it is the last; an empty input is one empty last chunk."""
    held: bytes | None = None
    for chunk in chunks:
        if held is not None:
            yield held, False
        held = chunk
    yield (held if held is not None else b""), True


def seal_stream(data_key: bytes, chunks: Iterable[bytes], *, record: str, upload: str) -> Iterator[bytes]:
    """Seal a file given as chunks of at most SEGMENT_SIZE bytes; yield the header, then each sealed
    segment in order. The concatenation is the sealed stream."""
    salt = os.urandom(SALT_SIZE)
    prefix = os.urandom(PREFIX_SIZE)
    key = _document_key(data_key, salt, record, upload)
    aad = _aad(record, upload)
    yield salt + prefix
    for number, (chunk, last) in enumerate(_with_last(chunks)):
        if len(chunk) > SEGMENT_SIZE:
            raise ValueError(f"a segment holds at most {SEGMENT_SIZE} bytes")
        yield key.encrypt(_nonce(prefix, number, last), chunk, aad)


def open_stream(
    data_key: bytes, header: bytes, segments: Iterable[bytes], *, record: str, upload: str
) -> Iterator[bytes]:
    """Open a sealed stream given its header and its sealed segments in order; yield the plaintext
    of each segment. Raises DocumentUnsealError at the first segment that does not open, and when
    the stream ends before its last segment."""
    if len(header) != HEADER_SIZE:
        raise DocumentUnsealError(f"the sealed document of {record} has a damaged header")
    key = _document_key(data_key, header[:SALT_SIZE], record, upload)
    prefix = header[SALT_SIZE:]
    aad = _aad(record, upload)
    ended = False
    for number, sealed in enumerate(segments):
        if ended:
            raise DocumentUnsealError(f"the sealed document of {record} goes on after its last segment")
        try:
            yield key.decrypt(_nonce(prefix, number, False), sealed, aad)
            continue
        except InvalidTag:
            pass
        try:
            yield key.decrypt(_nonce(prefix, number, True), sealed, aad)
        except InvalidTag:
            raise DocumentUnsealError(
                f"segment {number} of the sealed document of {record} does not open"
            ) from None
        ended = True
    if not ended:
        raise DocumentUnsealError(f"the sealed document of {record} ends before its last segment")


def stream_digest() -> hashlib._Hash:
    """The running SHA-256 of a sealed stream: its content address."""
    return hashlib.sha256()
