"""Whether each document a signed event names is still held, and is the one that was signed.

`document.attached` names the SHA-256 of the document's sealed stream (its content address), and
`document.disclosure-decided` the digest of a redacted copy; both digests are covered by the
envelope through the payload digest. The verifier gathers them as it checks each event, then reads
each sealed stream back from the store, segment by segment, and hashes it: a stream that is gone
is reported unless the review's personal data was disposed of after the event that names it (a
disposal destroys the documents held before it with the rest), and a stream that hashes to anything
else is reported whatever the disposals. Both are reported at the event that names the document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

ATTACHED_TYPE = "document.attached"
DECIDED_TYPE = "document.disclosure-decided"
DOCUMENTS_PREFIX = "documents-"
_HEX_DIGEST = 64  # SHA-256 (FIPS 180-4) in hex


@dataclass(frozen=True)
class NamedContent:
    """A document's sealed stream as a signed event names it, and where that event sits."""

    position: int
    stream: str
    version: int
    document_id: str
    review: str
    digest: str  # hex SHA-256 of the sealed stream
    what: str  # "document" or "redacted copy"


class ContentSource(Protocol):
    def document_segments(self, digest: bytes) -> Iterable[bytes] | None: ...  # None: no such stream held


def named_content(
    event_type: str, stream: str, version: int, position: int, payload: bytes
) -> NamedContent | None:
    """The sealed stream a verified document event names, if it is one that names one."""
    if event_type not in (ATTACHED_TYPE, DECIDED_TYPE) or not stream.startswith(DOCUMENTS_PREFIX):
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    field, what = (
        ("sealed_sha256", "document") if event_type == ATTACHED_TYPE else ("redacted_sha256", "redacted copy")
    )
    digest, document_id = data.get(field), data.get("document_id")
    if not isinstance(digest, str) or len(digest) != _HEX_DIGEST or not isinstance(document_id, str):
        return None  # a decision that kept no copy (released whole, withheld) names none
    try:
        bytes.fromhex(digest)
    except ValueError:
        return None
    return NamedContent(
        position=position,
        stream=stream,
        version=version,
        document_id=document_id,
        review=stream.removeprefix(DOCUMENTS_PREFIX),
        digest=digest,
        what=what,
    )


def problems(
    named: Iterable[NamedContent], source: ContentSource, disposals: Mapping[str, int]
) -> Iterator[tuple[NamedContent, str]]:
    """Each named stream that is missing without a later disposal, or does not hash to its signed digest.
    `disposals`: each record's latest disposal, by its position in the log."""
    for content in named:
        segments = source.document_segments(bytes.fromhex(content.digest))
        if segments is None:
            disposed_at = disposals.get(content.review)
            if disposed_at is None or disposed_at < content.position:
                yield (
                    content,
                    (
                        f"{content.what} {content.document_id}: its sealed content is missing "
                        "and no disposal of the review is recorded"
                    ),
                )
            continue
        digest = hashlib.sha256()
        for segment in segments:
            digest.update(segment)
        if digest.hexdigest() != content.digest:
            yield (
                content,
                (
                    f"{content.what} {content.document_id}: its sealed content does not match "
                    "the SHA-256 its signed event names"
                ),
            )
