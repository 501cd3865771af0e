"""A document as an item of a subject access or FOI response: released whole, withheld, or redacted.

Only an information-governance officer, for a request in progress whose scope holds the review,
decides; reading the document to redact it is logged as a read for that request. A redaction
removes every identifier of another person the detector finds in the document's text (for a
subject access request, everyone's but the requester's and the data subject's; for an FOI
request, everyone's), plus the phrases and areas the officer adds, each with its ground; the
redacted copy is rebuilt without what was removed (`redaction`), kept sealed under the review's
data key, and the signed `document.disclosure-decided` event names its digest and carries the
redaction log (pages, grounds, sources; never the words).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import msgspec

from adapters.app.application import Application
from adapters.app.authority import Purpose
from adapters.app.need_to_know import check_read
from adapters.governance import documents
from adapters.governance.document_kinds import pdf_pages
from adapters.governance.ig_access import check_reference
from adapters.governance.redaction import Area, Phrase, Redacted, check_ground, redact
from adapters.store import documents as document_store
from domain.governance.access import ReadPurpose
from domain.governance.documents import (
    DecideDocumentDisclosure,
    DisclosureOutcome,
    DocumentAttached,
    DocumentDisclosureDecided,
    MediaType,
    Redaction,
)
from domain.governance.exemptions import EXEMPTIONS, Section
from domain.governance.identifiers import Detector
from domain.governance.sar.request import SubjectAccessRequest, sar_stream
from domain.kernel.errors import RecordNotFound

# The ground a detected identifier of another person is removed on: in a subject access response
# (DPA 2018 Sch. 2 para. 16, third-party data), and in an FOI response (FOISA s.38(1)(b)).
THIRD_PARTY = "s.16 third party"
FOI_PERSONAL_DATA = "s.38(1)(b) personal data"


class Disclosed(msgspec.Struct, frozen=True, kw_only=True):
    decision: DocumentDisclosureDecided
    transcript: str = ""  # what remains of the text, each removed phrase replaced by its ground
    not_machine_readable_pages: tuple[int, ...] = ()


def requesters(app: Application, request: str) -> tuple[str, ...]:
    """Whose own data a request asks for: a SAR's requester and data subject; nobody for FOI."""
    events = [r.event for r in app.ledger.read(sar_stream(request))]
    if not events:
        return ()
    sar = SubjectAccessRequest.replay(sar_stream(request), events)
    return tuple(s for s in (sar.requester_id, sar.subject_id) if s)


def exemption_ground(section: Section) -> str:
    """The ground an FOI redaction or withholding rests on, by its FOISA section."""
    return f"FOISA {EXEMPTIONS[section].section}"


def request_documents(app: Application, kind: str, reference: str) -> list[tuple[str, DocumentAttached]]:
    """The documents of the records a request searched (`kind` "sar") or identified ("foi"), by review."""
    from adapters.governance.foi import (
        requests as foi,  # the request files' services, which themselves use this module's pack
    )
    from adapters.governance.sar import requests as sar

    records = (sar.load(app, reference) if kind == "sar" else foi.load(app, reference)).records_in_scope
    found: list[tuple[str, DocumentAttached]] = []
    for review in records:
        try:
            found.extend((review, d) for d in documents.listed(app, review))
        except (documents.InvalidInput, RecordNotFound):
            continue  # a register entry or another kind of record: it has no documents
    return found


def review_of(app: Application, kind: str, reference: str, document_id: str) -> str:
    """The review holding `document_id`, among the records of the request."""
    review = next(
        (r for r, d in request_documents(app, kind, reference) if d.document_id == document_id), None
    )
    if review is None:
        raise RecordNotFound("document of the records searched", document_id)
    return review


def _check_officer(app: Application, review: str, request: str, actor: str) -> None:
    documents.review_type(app, review)  # a review, or RecordNotFound
    # An IG officer handling this request, open, with the review in its scope (domain/governance/need_to_know.py).
    check_read(app, actor, review, ReadPurpose.IG_REQUEST, request, view=documents.DOCUMENT_VIEW)


def decide(
    app: Application,
    *,
    review: str,
    document_id: str,
    request: str,
    actor: str,
    outcome: DisclosureOutcome,
    ground: str = "",
    phrases: Sequence[Phrase] = (),
    areas: Sequence[Area] = (),
    out: Path | None = None,
) -> Disclosed:
    """Record the decision on one document for `request`; for a redaction, make and keep the copy
    (and write it to `out`)."""
    check_reference(request)
    if outcome is DisclosureOutcome.WITHHELD:
        ground = check_ground(ground)
    if outcome is not DisclosureOutcome.REDACTED and (phrases or areas):
        raise documents.InvalidInput("--phrase", f"a document {outcome.value} has no redactions")
    _check_officer(app, review, request, actor)
    documents.find(app, review, document_id)
    if outcome is not DisclosureOutcome.REDACTED:
        decision = documents.record(
            app,
            review,
            actor,
            DecideDocumentDisclosure(
                document_id=document_id, request=request, outcome=outcome, ground=ground
            ),
        )
        assert isinstance(decision, DocumentDisclosureDecided)
        return Disclosed(decision=decision)
    with tempfile.TemporaryDirectory(prefix="reviewledger-redaction-") as work_dir:
        work = Path(work_dir)
        document, chunks = documents.open_for(
            app,
            review=review,
            document_id=document_id,
            actor=actor,
            purpose=Purpose.IG_REQUEST,
            ig_request=request,
        )
        original = work / f"original.{documents.EXTENSIONS[document.media_type]}"
        documents.write_to(chunks, original)
        found = _detected(app, original, document.media_type, request)
        redacted_path = work / "redacted.pdf"
        result = redact(
            original, document.media_type, redacted_path, phrases=[*found, *phrases], areas=areas, work=work
        )
        if not result.log:
            raise documents.InvalidInput(
                "--phrase", "nothing was found to redact: release the document whole, or mark what to remove"
            )
        version = len(app.ledger.read(review))
        sealed = document_store.store(app, record=review, record_version=version, path=redacted_path)
        try:
            decision = documents.record(
                app,
                review,
                actor,
                DecideDocumentDisclosure(
                    document_id=document_id,
                    request=request,
                    outcome=outcome,
                    redactions=_log(result),
                    redacted_sha256=sealed,
                    redacted_pages=result.pages,
                ),
            )
        except BaseException:
            document_store.discard(app, sealed)
            raise
        if out is not None:
            documents.write_to(iter([redacted_path.read_bytes()]), out)
    assert isinstance(decision, DocumentDisclosureDecided)
    return Disclosed(
        decision=decision,
        transcript=result.transcript,
        not_machine_readable_pages=result.not_machine_readable_pages,
    )


def _detected(app: Application, path: Path, media_type: MediaType, request: str) -> list[Phrase]:
    """Another person's identifiers the detector finds in the document, as phrases to remove."""
    if media_type is MediaType.PDF:
        pages = pdf_pages(path)
    elif media_type in (MediaType.PNG, MediaType.JPEG):
        return []
    else:
        pages = documents.extract(path, max_bytes=path.stat().st_size + 1).pages
    detector = Detector(documents.people(app))
    exclude = requesters(app, request)
    written = {m.text for page in pages for m in detector.find(page, exclude=exclude)}
    is_sar = bool(app.ledger.stream_version(sar_stream(request)))
    ground = THIRD_PARTY if is_sar else FOI_PERSONAL_DATA
    return [Phrase(text=text, ground=ground, source="detector") for text in sorted(written)]


def _log(result: Redacted) -> tuple[Redaction, ...]:
    return tuple(
        Redaction(page=e.page, ground=e.ground, source=e.source, occurrences=e.occurrences)
        for e in result.log
    )


def redacted_copy(app: Application, *, review: str, document_id: str, request: str, actor: str) -> bytes:
    """The redacted copy kept for `request`, for the officer answering it (the read is logged)."""
    _check_officer(app, review, request, actor)
    decision = documents.load(app, review).disclosures.get((request, document_id))
    if decision is None or decision.outcome is not DisclosureOutcome.REDACTED:
        raise documents.InvalidInput("document", f"{document_id} has no redacted copy for {request}")
    documents.log_read(
        app, review=review, actor=actor, request=request, document=documents.find(app, review, document_id)
    )
    return b"".join(document_store.read(app, record=review, sealed_sha256=decision.redacted_sha256))
