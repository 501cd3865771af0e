"""Internal record names in words: what a page, a message or a pack says instead of a stream's name.

The log keeps each record in a stream named by its kind and reference (`subject-S-0001`,
`sar-SAR-2026-020`, `foi-FOI-2026-101`, `access-cpc-officer`, `documents-LR-2026-001`). Those names
are the store's own: people read "the register entry of S-0001", "subject access request
SAR-2026-020". A review's reference is its stream's name and is shown as it is.
"""

from __future__ import annotations

import re

from domain.governance.access import ACCESS_PREFIX
from domain.governance.documents import DOCUMENTS_PREFIX
from domain.governance.foi.file import FOI_STREAM_PREFIX
from domain.governance.retention import RETENTION_STREAM
from domain.governance.sar.request import SAR_STREAM_PREFIX
from domain.governance.subjects import SUBJECT_PREFIX
from domain.kernel.registry import REGISTRY_STREAM

_KINDS: tuple[tuple[str, str], ...] = (
    (SUBJECT_PREFIX, "the register entry of {}"),
    (SAR_STREAM_PREFIX, "subject access request {}"),
    (FOI_STREAM_PREFIX, "FOI request {}"),
    (ACCESS_PREFIX, "the access log of {}"),
    (DOCUMENTS_PREFIX, "the documents of {}"),
)
_WHOLE: dict[str, str] = {
    REGISTRY_STREAM: "the register of people and keys",
    RETENTION_STREAM: "the retention schedule",
}

#: A stream name written inside a text: a prefix followed by a reference in capitals
#: (`subject-S-…`, `sar-SAR-…`, `foi-FOI-…`, `documents-LR-…`).
STREAM_IN_TEXT = re.compile(r"\b(?:subject|sar|foi|documents)-[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b")


def record_name(stream: str) -> str:
    """The record `stream` in words; a review's reference (or anything else) as it is."""
    if stream in _WHOLE:
        return _WHOLE[stream]
    for prefix, words in _KINDS:
        if stream.startswith(prefix) and len(stream) > len(prefix):
            return words.format(stream[len(prefix) :])
    return stream


def in_words(text: str) -> str:
    """`text` with every stream name written in it given in words."""
    return STREAM_IN_TEXT.sub(lambda m: record_name(m[0]), text)


def streams_named(reference: str) -> tuple[str, ...]:
    """Every record a person may mean by `reference`: itself, and each kind of record under that reference."""
    return (reference, *(prefix + reference for prefix, _ in _KINDS))


def reference_of(stream: str) -> str:
    """The reference a person knows a record by: the stream's name without its kind's prefix."""
    for prefix, _ in _KINDS:
        if stream.startswith(prefix) and len(stream) > len(prefix):
            return stream[len(prefix) :]
    return stream
