"""The documents attached to a review's steps: which file, from which step, about whom.

Stream: `documents-<review>`, one per review, its events named `document.*`. A file itself is
personal data: its bytes are sealed under the review's own data key and kept outside the event
table (`adapters/store/documents.py`), so disposing of the review's personal data destroys them.
The events hold no personal value and no name of a file (a file's name can name a person): only
the document's id, the step it belongs to, the data subjects it is about (opaque ids), what kind
of file it is and the SHA-256 of its sealed bytes, which the signed envelope covers through the
payload digest.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec

from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting

DOCUMENTS_PREFIX = "documents-"


class MediaType(StrEnum):
    """The kinds of file a step can carry, recognised from their content (never their name)."""

    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ODT = "application/vnd.oasis.opendocument.text"
    TEXT = "text/plain"
    PNG = "image/png"
    JPEG = "image/jpeg"


EXTENSIONS: dict[MediaType, str] = {
    MediaType.PDF: "pdf",
    MediaType.DOCX: "docx",
    MediaType.ODT: "odt",
    MediaType.TEXT: "txt",
    MediaType.PNG: "png",
    MediaType.JPEG: "jpg",
}


def documents_stream(review: str) -> str:
    """The stream of the documents attached to one review."""
    if not review.strip():
        raise InvalidInput("reference", "must not be empty")
    return DOCUMENTS_PREFIX + review


class DocumentAttached(DomainEvent, frozen=True, kw_only=True, tag="document.attached"):
    """A file was attached to step `step_version` of `review` by `attached_by`."""

    document_id: str  # e.g. "LR-2026-001-D1"
    review: str
    step_version: int  # the version of the review's step that produced or received the file
    step: str  # that step's stable event type name
    about: tuple[str, ...]  # the data subjects the file is about, as the recorder confirmed them
    media_type: MediaType
    size_bytes: int
    pages: int  # pages of a PDF, 1 for any other file
    machine_readable: bool  # False: an image or a page without a text layer, to be reviewed by eye
    sealed_sha256: str  # hex SHA-256 of the sealed stream: its content address
    attached_by: str
    at: datetime


class AttachDocument(Command, frozen=True, kw_only=True, tag="attach-document"):
    review: str
    review_version: int  # how many steps the review has now
    step_version: int
    step: str
    about: tuple[str, ...]
    media_type: MediaType
    size_bytes: int
    pages: int
    machine_readable: bool
    sealed_sha256: str


class DisclosureOutcome(StrEnum):
    """What a subject access or FOI response does with one document (an item of the pack)."""

    RELEASED = "released"  # given whole
    WITHHELD = "withheld"  # not given, on a ground
    REDACTED = "redacted"  # given as a redacted copy, rebuilt without what was removed


class Redaction(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a document's redaction log: where, why and how often, never the words removed."""

    page: int
    ground: str  # e.g. "s.16 third party", "FOISA s.38(1)(b)"
    source: str  # "detector" (another person's identifier), "officer" (a phrase) or "area"
    occurrences: int = 1


class DocumentDisclosureDecided(DomainEvent, frozen=True, kw_only=True, tag="document.disclosure-decided"):
    """For `request`, document `document_id` is released whole, withheld or given redacted."""

    document_id: str
    request: str  # the subject access or FOI request's reference
    outcome: DisclosureOutcome
    ground: str = ""  # why it is withheld
    redactions: tuple[Redaction, ...] = ()
    redacted_sha256: str = ""  # hex SHA-256 of the sealed redacted copy, as kept
    redacted_pages: int = 0
    decided_by: str
    at: datetime


class DecideDocumentDisclosure(Command, frozen=True, kw_only=True, tag="decide-document-disclosure"):
    document_id: str
    request: str
    outcome: DisclosureOutcome
    ground: str = ""
    redactions: tuple[Redaction, ...] = ()
    redacted_sha256: str = ""
    redacted_pages: int = 0


class DocumentFile(Aggregate):
    """The documents attached to one review, in the order they were attached."""

    kind = "document file"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.documents: dict[str, DocumentAttached] = {}
        # The latest decision for each (request, document).
        self.disclosures: dict[tuple[str, str], DocumentDisclosureDecided] = {}

    @handles(AttachDocument)
    def attach(self, command: AttachDocument, by: Acting, at: datetime) -> None:
        if documents_stream(command.review) != self.reference:
            raise InvalidInput("reference", f"the documents of {command.review} are kept in their own file")
        if not 1 <= command.step_version <= command.review_version:
            raise InvalidInput(
                "--version",
                f"must name a step of {command.review}: 1 to {command.review_version}",
            )
        if not command.about:
            raise RuleViolation(
                f"{command.review}: a document is personal data and must say whom it is about",
                rule="DOMAIN.md §3: every item of personal data names its data subjects",
                record=command.review,
            )
        if any(not subject.startswith("S-") for subject in command.about):
            raise InvalidInput("--about", "must be data-subject ids (S-...), separated by commas")
        self._record(
            DocumentAttached(
                document_id=f"{command.review}-D{len(self.documents) + 1}",
                review=command.review,
                step_version=command.step_version,
                step=command.step,
                about=tuple(dict.fromkeys(command.about)),
                media_type=command.media_type,
                size_bytes=command.size_bytes,
                pages=command.pages,
                machine_readable=command.machine_readable,
                sealed_sha256=command.sealed_sha256,
                attached_by=by.actor,
                at=at,
            )
        )

    @handles(DecideDocumentDisclosure)
    def decide_disclosure(self, command: DecideDocumentDisclosure, by: Acting, at: datetime) -> None:
        if command.document_id not in self.documents:
            raise InvalidInput("document", f"{command.document_id} is not a document of this review")
        outcome = command.outcome
        if outcome is DisclosureOutcome.WITHHELD and not command.ground.strip():
            raise InvalidInput("ground", "a withheld document must give the ground it is withheld on")
        if outcome is DisclosureOutcome.REDACTED and not (command.redactions and command.redacted_sha256):
            raise InvalidInput("redactions", "a redacted document needs at least one redaction and its copy")
        if outcome is not DisclosureOutcome.REDACTED and (command.redactions or command.redacted_sha256):
            raise InvalidInput("redactions", f"a document {outcome.value} has no redactions")
        self._record(
            DocumentDisclosureDecided(
                document_id=command.document_id,
                request=command.request,
                outcome=outcome,
                ground=command.ground.strip(),
                redactions=command.redactions,
                redacted_sha256=command.redacted_sha256,
                redacted_pages=command.redacted_pages,
                decided_by=by.actor,
                at=at,
            )
        )

    def when(self, event: DomainEvent) -> None:
        match event:
            case DocumentAttached():
                self.documents[event.document_id] = event
            case DocumentDisclosureDecided():
                self.disclosures[(event.request, event.document_id)] = event
            case _:
                raise TypeError(f"a document file has no event {type(event).__name__}")
