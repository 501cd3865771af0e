"""Attaching files to a review's steps, listing them, and reading them by those entitled.

Attaching: the file's kind is recognised from its content and checked (`document_kinds`) before
anything is stored; the attachment is checked by the document file (`domain/governance/documents.py`);
then the bytes are sealed under the review's data key (`document_store`) and the signed
`document.attached` event names their digest. A refused step leaves nothing behind.

Reading: only those who may read the review's personal data for a purpose (its team for the
review, an IG officer for a named request in progress, an inspector), and every opening,
granted or refused, is written to the access log first, as a read of the document's items.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from adapters.app.application import Application
from adapters.app.authority import TEAMS, Purpose
from adapters.app.config import document_max_bytes
from adapters.app.need_to_know import check_read
from adapters.app.records import record_type_for
from adapters.app.register import read_register
from adapters.governance.access_log import record_access
from adapters.governance.document_kinds import Extracted, extract
from adapters.store import documents as document_store
from domain.governance.access import ReadPurpose
from domain.governance.documents import (
    EXTENSIONS,
    AttachDocument,
    DocumentAttached,
    DocumentFile,
    documents_stream,
)
from domain.governance.identifiers import Detector, Identifiers
from domain.governance.need_to_know import NeedToKnowRefused, Reach
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, NotAuthorised, RecordNotFound, ReviewledgerError
from domain.kernel.event import DomainEvent, Personal
from domain.routes.registry import ROUTES

__all__ = ["EXTENSIONS", "InvalidInput", "extract"]

DOCUMENT_VIEW = "document"
_PLACEHOLDER_DIGEST = "0" * 64


def max_bytes() -> int:
    """The largest file a step may carry (adapters/app/config.py)."""
    return document_max_bytes()


class Attached(msgspec.Struct, frozen=True, kw_only=True):
    """What an attachment recorded, and the data subjects the detector proposed that were not confirmed."""

    document: DocumentAttached
    version: int
    not_confirmed: tuple[str, ...] = ()


def review_type(app: Application, review: str) -> type[Aggregate]:
    record_type = record_type_for(app, review, None)
    if record_type not in ROUTES.values():
        raise InvalidInput(
            "reference", f"{review} is not a review; documents are attached to a review's steps"
        )
    return record_type


def load(app: Application, review: str) -> DocumentFile:
    stream = documents_stream(review)
    return DocumentFile.replay(stream, [r.event for r in app.ledger.read(stream)])


def attach(
    app: Application,
    *,
    review: str,
    step_version: int,
    path: Path,
    about: tuple[str, ...],
    actor: str,
    limit: int | None = None,
) -> Attached:
    """Attach the file at `path` to step `step_version` of `review`, as `actor` (one of its team)."""
    record_type = review_type(app, review)
    acting = app.acting(actor)
    if not TEAMS[record_type] & acting.roles:
        needs = " or ".join(sorted(r.value for r in TEAMS[record_type]))
        raise NotAuthorised(actor, f"a person holding {needs}", "attach-document", review)
    steps = app.ledger.read(review)
    if not path.is_file():
        raise InvalidInput("--file", "must name a readable file")
    extracted = extract(path, max_bytes=limit if limit is not None else max_bytes())
    step = steps[step_version - 1].type if 1 <= step_version <= len(steps) else ""

    def command(sealed: str) -> AttachDocument:
        return _command(review, len(steps), step_version, step, about, extracted, sealed)

    load(app, review).execute(command(_PLACEHOLDER_DIGEST), acting, app.clock.now())  # refuse before storing
    sealed = document_store.store(app, record=review, record_version=len(steps), path=path)
    try:
        event = record(app, review, actor, command(sealed))
    except BaseException:
        document_store.discard(app, sealed)
        raise
    assert isinstance(event, DocumentAttached)
    detected = detected_subjects(app, extracted.text)
    return Attached(
        document=event,
        version=app.ledger.stream_version(documents_stream(review)),
        not_confirmed=tuple(sorted(detected - set(event.about))),
    )


def record(app: Application, review: str, actor: str, command: Command) -> DomainEvent:
    """Run one command on the review's document file as `actor`, and sign and store its event."""
    at = app.clock.now()
    file = load(app, review)
    file.execute(command, app.acting(actor), at)
    base = file.base_version
    [event] = file.collect_events()
    app.ledger.append(file.reference, base, [event], actor, at)
    return event


def people(app: Application) -> list[Identifiers]:
    """Every registered subject's identifiers as they hold now (disposed entries left out)."""
    found = []
    for subject in read_register(app.ledger):
        if subject.disposed:
            continue
        ids = subject.identifiers

        def values(items: Sequence[Personal]) -> tuple[str, ...]:
            return tuple(i.value for i in items if i.value)

        found.append(
            Identifiers(
                subject=ids.subject_id,
                category=ids.category,
                names=values((ids.name,)),
                other_names=values(ids.other_names),
                dates_of_birth=values(ids.dates_of_birth),
                addresses=values(ids.addresses),
                schools=values(ids.schools),
                record_numbers=values(ids.record_numbers),
            )
        )
    return found


def detected_subjects(app: Application, text: str) -> set[str]:
    """The registered subjects whose identifiers the detector finds in `text`: proposed, for the
    recorder to confirm with `--about`."""
    return Detector(people(app)).subjects_in(text) if text.strip() else set()


def _command(
    review: str,
    review_version: int,
    step_version: int,
    step: str,
    about: tuple[str, ...],
    extracted: Extracted,
    sealed: str,
) -> AttachDocument:
    return AttachDocument(
        review=review,
        review_version=review_version,
        step_version=step_version,
        step=step,
        about=about,
        media_type=extracted.media_type,
        size_bytes=extracted.size_bytes,
        pages=len(extracted.pages),
        machine_readable=extracted.machine_readable,
        sealed_sha256=sealed,
    )


def listed(app: Application, review: str) -> list[DocumentAttached]:
    """The review's documents, oldest first (no content, no personal value)."""
    review_type(app, review)
    return list(load(app, review).documents.values())


def find(app: Application, review: str, document_id: str) -> DocumentAttached:
    found = load(app, review).documents.get(document_id)
    if found is None:
        raise RecordNotFound("document", document_id)
    return found


def download_name(document: DocumentAttached) -> str:
    """The file name a download carries: the document's id, never anything from the file."""
    return f"{document.document_id}.{EXTENSIONS[document.media_type]}"


def open_for(
    app: Application,
    *,
    review: str,
    document_id: str,
    actor: str,
    purpose: str | None = Purpose.REVIEW,
    ig_request: str | None = None,
    request_id: str | None = None,
) -> tuple[DocumentAttached, Iterator[bytes]]:
    """Open a document for `actor`: the read is checked and written to the access log (granted or
    refused) before any byte is read. Returns the document and its bytes, segment by segment."""
    review_type(app, review)  # a review, or RecordNotFound
    document = find(app, review, document_id)
    read_id = request_id or uuid.uuid4().hex
    # The need-to-know table decides (domain/governance/need_to_know.py); a refusal is logged there.
    granted = check_read(
        app, actor, review, _purpose(purpose), ig_request, view=DOCUMENT_VIEW, request_id=read_id
    )
    if granted.reach is not Reach.EVERYTHING:
        # The COG reads the bases of decisions and the reports presented to it, not the files.
        record_access(
            app,
            actor=actor,
            record=review,
            view=DOCUMENT_VIEW,
            granted=False,
            request_id=read_id,
            purpose=granted.purpose,
            ig_request=ig_request,
        )
        raise NeedToKnowRefused(
            actor,
            review,
            granted.purpose,
            granted.part,
            f"their part reads {granted.reach.value} only, not documents",
        )
    chosen = Purpose(granted.purpose.value)
    log_read(
        app,
        review=review,
        actor=actor,
        request=ig_request,
        document=document,
        purpose=chosen,
        read_id=read_id,
    )
    return document, document_store.read(app, record=review, sealed_sha256=document.sealed_sha256)


def log_read(
    app: Application,
    *,
    review: str,
    actor: str,
    request: str | None,
    document: DocumentAttached,
    purpose: Purpose = Purpose.IG_REQUEST,
    read_id: str | None = None,
) -> None:
    """Write a granted read of a document (its one item, whose data it is) to the access log."""
    record_access(
        app,
        actor=actor,
        record=review,
        view=DOCUMENT_VIEW,
        granted=True,
        request_id=read_id or uuid.uuid4().hex,
        purpose=purpose.value,
        ig_request=request,
        fields=(f"{document.step_version}:document/{document.document_id}",),
        subjects=document.about,
    )


def _purpose(value: str | None) -> ReadPurpose | None:
    if value is None:
        return None
    try:
        return ReadPurpose(Purpose(value).value)
    except ValueError:
        raise InvalidInput("--purpose", f"must be one of {', '.join(Purpose)}") from None


def write_to(chunks: Iterator[bytes], out: Path) -> int:
    """Write a document to `out` segment by segment; nothing is left at `out` if reading fails."""
    partial = out.with_name(out.name + ".partial")
    written = 0
    try:
        with partial.open("wb") as file:
            for chunk in chunks:
                file.write(chunk)
                written += len(chunk)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(out)
    except (ReviewledgerError, OSError):
        partial.unlink(missing_ok=True)
        raise
    return written
