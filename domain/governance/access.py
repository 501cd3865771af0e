"""Reads of personal data, kept as signed events: who read what, about whom, and why.

Stream: `access-<actor>`, one per reader, each event signed by the reader; its events are named
`access.*`. Every time sealed personal values are opened for a person (a review's personal
view, a subject access or FOI pack, an anonymised publication), one event per record read says
which items were read (`fields`, as `<version>:<path>`, or none for every item of the record),
whose data they are (`subjects`, opaque ids) and the purpose: the review's own work, a named
information-governance request, an inspection, preparing a publication, or keeping the register
of data subjects. The event holds no personal value itself, so the access log can be shown to an
inspector or a data subject.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent

ACCESS_PREFIX = "access-"


class ReadPurpose(StrEnum):
    """Why personal data was read (the HTTP API's purposes, and preparing a publication)."""

    REVIEW = "review"  # the review's own work, by its team
    IG_REQUEST = "ig-request"  # answering a subject access or FOI request, named
    INSPECTION = "inspection"  # an inspector examining the review
    PUBLICATION = "publication"  # anonymising a report for publication and checking the result
    REGISTER = "register"  # keeping the register of data subjects: reading a subject's identifiers


class PersonalDataRead(DomainEvent, frozen=True, kw_only=True, tag="access.personal-data-read"):
    """`reader` opened the personal data of `record` for `purpose`."""

    reader: str
    record: str
    fields: tuple[str, ...]  # "<version>:<path>" of each item read; empty: every item of the record
    subjects: tuple[str, ...]  # whose personal data was read
    purpose: ReadPurpose
    view: str  # which view or task read it, e.g. "personal", "publication"
    ig_request: str | None = None  # the subject access or FOI request the read answers
    at: datetime


def access_stream(actor: str) -> str:
    """The stream of one reader's reads."""
    if not actor.strip():
        raise InvalidInput("actor", "must not be empty")
    return ACCESS_PREFIX + actor


def personal_data_read(
    *,
    reader: str,
    record: str,
    purpose: ReadPurpose,
    view: str,
    at: datetime,
    fields: Iterable[str] = (),
    subjects: Iterable[str] = (),
    ig_request: str | None = None,
) -> PersonalDataRead:
    """The event for one read, refusing a read that does not say what it was for."""
    if not record.strip():
        raise InvalidInput("record", "name the record that was read")
    if not view.strip():
        raise InvalidInput("view", "name the view or task that read it")
    request = (ig_request or "").strip() or None
    if purpose is ReadPurpose.IG_REQUEST and request is None:
        raise InvalidInput("ig_request", "a read for an information-governance request names the request")
    if purpose is not ReadPurpose.IG_REQUEST and request is not None:
        raise InvalidInput("ig_request", f"only the purpose {ReadPurpose.IG_REQUEST} names a request")
    return PersonalDataRead(
        reader=reader,
        record=record,
        fields=tuple(dict.fromkeys(fields)),
        subjects=tuple(sorted(set(subjects))),
        purpose=purpose,
        view=view,
        ig_request=request,
        at=at,
    )
