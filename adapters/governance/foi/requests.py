"""FOI requests (FOISA 2002) end to end: the file's steps, the information identified, the response
with its notice, and the review decision.

The file (`domain.governance.foi.request`, stream `foi-<REF>`) records every step and counts twenty working
days, without Scottish bank holidays, from receipt or clarification (`adapters.governance.ig_records`). Here:

- `identify_parts` records a review's report and/or decision trail as the information held;
- `build_response` renders the notice (s.16 refusal in whole or in part, s.17 not held, s.18
  neither confirm nor deny, or a release; each with the s.19 rights) and the redacted documents
  (`adapters.governance.foi.contents`); a redaction needs its exemption applied to the item in the file;
- `respond` and `decide_review` keep the exact bytes sent and record their digest.

Every response, draft or sent, every review decision and every copy kept passes `checked_bytes`
last: the rendered bytes may hold no registered identifier of any data subject
(`adapters.governance.disclosure`); if they do, nothing is written, kept or recorded, and the error names
the kinds and the items that hold them, never a value.

Only the FOI file's own reasons are opened (to quote them in the notice), and that read is
written to the access log; the review's personal data is never opened.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

import msgspec

from adapters.app.application import Application
from adapters.app.need_to_know import check_read
from adapters.governance import pack_pdf, sent_documents
from adapters.governance.disclosure import check_output, register_detector
from adapters.governance.foi.contents import (
    PARTS,
    FoiResponse,
    Part,
    RedactionRow,
    ReviewDecisionNotice,
    cited,
    part_item_id,
    part_of,
    split_item_id,
)
from adapters.governance.foi.render import MEDIA_TYPES, render, response_html
from adapters.governance.ig_access import RequestReader, check_officers, check_reference
from adapters.governance.ig_records import FoiRecord, foi_stream
from adapters.governance.request_list import receipt_page
from adapters.governance.sent_documents import SentDocument
from domain.governance.access import ReadPurpose
from domain.governance.exemptions import EXEMPTIONS, Section, exemption
from domain.governance.foi.file import RULE_EXEMPTION
from domain.governance.foi.request import FoiRequest
from domain.governance.foi.steps import (
    DecideReview,
    ExemptionApplied,
    Extent,
    FoiReceived,
    IdentifyInformation,
    ItemAnswers,
    ReceiveFoiRequest,
    RespondToFoiRequest,
    ResponseType,
    ReviewOutcome,
)
from domain.governance.ig_notices import (
    NoticeGround,
    disclosure_notice,
    neither_confirm_nor_deny_notice,
    not_held_notice,
    refusal_notice,
    review_decision_notice,
)
from domain.governance.ig_timescales import working_days_after
from domain.governance.sar.steps import PackFormat
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, RecordNotFound, RuleViolation
from domain.kernel.event import type_name
from projections.model import ObligationView, TimescaleView, with_days
from projections.route_facts import obligation_view, timescale_views

RESPONSE, REVIEW_DECISION = "foi-response", "foi-review-decision"


# -- the file's steps ---------------------------------------------------------------------------


def open_request(app: Application, reference: str, actor: str, command: ReceiveFoiRequest) -> FoiRequest:
    return app.execute(FoiRecord, foi_stream(check_reference(reference)), actor, command)


#: The steps recorded only with the document sent: each keeps the exact bytes (`respond`, `decide_review`).
SENT_BY_SENDING: dict[type[Command], str] = {
    RespondToFoiRequest: "respond-to-foi-request is recorded by responding (`reviewledger foi respond`, or the "
    "request's Respond page), which keeps the exact bytes sent",
    DecideReview: "decide-review is recorded with its notice (`reviewledger foi review-decision`, or the "
    "request's Decide the review page), which keeps the exact bytes sent",
}


def step(app: Application, reference: str, actor: str, command: Command) -> FoiRequest:
    """Record one step of an existing request (not a step recorded with the document it sends)."""
    if type(command) in SENT_BY_SENDING:
        raise InvalidInput("step", SENT_BY_SENDING[type(command)])
    load(app, reference)
    check_officers(app, command)
    return app.execute(FoiRecord, foi_stream(reference), actor, command)


def check_handling(app: Application, reference: str, actor: str) -> None:
    """Refuse anyone but an IG officer handling the request while it is open (the need-to-know table's
    `ig-request` row for the request file); a refusal is written to the access log, and nothing is read."""
    check_read(app, actor, foi_stream(check_reference(reference)), ReadPurpose.IG_REQUEST, reference)


def load(app: Application, reference: str) -> FoiRequest:
    foi = app.load(FoiRecord, foi_stream(check_reference(reference)), must_exist=False)
    if foi.version == 0:
        raise RecordNotFound(FoiRecord.kind, reference)
    return foi


def identify_parts(
    app: Application, reference: str, actor: str, record: str, parts: Sequence[str], on: date | None = None
) -> FoiRequest:
    """Record a review's report and/or decision trail as the information held for the request."""
    foi = load(app, reference)
    if not parts:
        raise InvalidInput("part", f"name at least one of {', '.join(PARTS)}")
    items = []
    for part in dict.fromkeys(parts):
        if part not in PARTS:
            raise InvalidInput("part", f"must be one of {', '.join(PARTS)}")
        content, people = part_of(app, record, part, foi.requester_id)
        items.append(
            ItemAnswers(
                item_id=part_item_id(record, part),
                record=record,
                description=content.title,
                subjects=tuple(sorted(people)),
            )
        )
    command = IdentifyInformation(identified_on=on or app.clock.now().date(), items=tuple(items))
    return app.execute(FoiRecord, foi.reference, actor, command)


# -- the response ---------------------------------------------------------------------------------


def build_response(
    app: Application,
    reference: str,
    actor: str,
    *,
    on: date | None = None,
    draft: bool = True,
    not_held: str | None = None,
    ncnd_sections: Sequence[Section] = (),
) -> FoiResponse:
    """The notice and the documents released, as the file stands; nothing is recorded."""
    foi = load(app, reference)
    responded_on = on or app.clock.now().date()
    if not_held is not None and ncnd_sections:
        raise InvalidInput(
            "--not-held", "a response either says the information is not held, or neither confirms nor denies"
        )
    if not_held is not None:
        return _notice_only(reference, responded_on, draft, ResponseType.NOT_HELD, not_held_notice(not_held))
    if ncnd_sections:
        notice = neither_confirm_nor_deny_notice(ncnd_sections)
        return _notice_only(reference, responded_on, draft, ResponseType.NEITHER_CONFIRM_NOR_DENY, notice)
    if not foi.items:
        raise InvalidInput(
            "items", "record the information held first (foi identify), or respond that it is not held"
        )
    parts: list[Part] = []
    withheld: list[str] = []
    for item_id in foi.items:
        applied = foi.exemptions.get(item_id, {})
        if Extent.WHOLE in applied.values():
            withheld.append(item_id)
            continue
        record, part = split_item_id(item_id)
        content, _ = part_of(app, record, part, foi.requester_id)
        needed = {s for entry in content.entries for s in entry.sections}
        missing = sorted(needed - set(applied))
        if missing:
            raise RuleViolation(
                f"{item_id} holds personal data redacted under {', '.join(cited(s) for s in missing)}: "
                "apply the exemption to it first",
                rule=RULE_EXEMPTION,
                record=foi.reference,
            )
        parts.append(content)
    sections = [s for applied in foi.exemptions.values() for s in applied]
    if not sections:
        kind, notice = ResponseType.DISCLOSE, disclosure_notice()
    else:
        kind = ResponseType.REFUSE if not parts else ResponseType.PARTIAL
        grounds = _grounds(app, foi, actor, reference)
        notice = refusal_notice(grounds, partial=kind is ResponseType.PARTIAL)
    log = tuple(
        RedactionRow(item_id=p.item_id, label=e.label, section=cited(s), title=exemption(s).title)
        for p in parts
        for e in p.entries
        for s in e.sections
    )
    return FoiResponse(
        format=FoiResponse.FORMAT,
        reference=reference,
        responded_on=responded_on,
        draft=draft,
        response=kind,
        notice=notice,
        parts=tuple(parts),
        withheld_in_whole=tuple(withheld),
        redaction_log=log,
    )


def _notice_only(reference: str, on: date, draft: bool, kind: ResponseType, notice: str) -> FoiResponse:
    return FoiResponse(
        format=FoiResponse.FORMAT,
        reference=reference,
        responded_on=on,
        draft=draft,
        response=kind,
        notice=notice,
        parts=(),
        withheld_in_whole=(),
        redaction_log=(),
    )


def _grounds(app: Application, foi: FoiRequest, actor: str, reference: str) -> list[NoticeGround]:
    """Each exemption applied, with the reasons recorded for each item (opened for the notice)."""
    reasons: dict[Section, list[str]] = {}
    interest: dict[Section, list[str]] = {}
    reader = RequestReader(app, actor=actor, request=reference)
    for recorded in reader.events(foi.reference):
        event = recorded.event
        if not isinstance(event, ExemptionApplied):
            continue
        reasons.setdefault(event.section, []).append(f"{event.item_id}: {event.reasons.value or ''}".strip())
        test = event.public_interest
        if test is not None:
            interest.setdefault(event.section, []).append(
                f"{event.item_id}: for disclosure, {test.for_disclosure.value}; for withholding, "
                f"{test.for_withholding.value}; our conclusion: {test.conclusion.value}"
            )
    return [
        NoticeGround(
            section=section,
            reasons=" ".join(texts),
            public_interest=" ".join(interest[section]) if section in interest else None,
        )
        for section, texts in reasons.items()
    ]


class Sent(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    version: int
    response: str
    document: SentDocument


def respond(
    app: Application,
    reference: str,
    actor: str,
    fmt: PackFormat,
    *,
    on: date | None = None,
    not_held: str | None = None,
    ncnd_sections: Sequence[Section] = (),
    ncnd_public_interest: str = "",
) -> tuple[Sent, bytes]:
    """Render the response, keep its exact bytes, and record it with their digest."""
    check_format(fmt)
    response = build_response(
        app, reference, actor, on=on, draft=False, not_held=not_held, ncnd_sections=ncnd_sections
    )
    if fmt is PackFormat.PDF:  # the response laid out, with the documents it gives bundled in
        records = load(app, reference).records_in_scope
        data = pack_pdf.pdf_pack(
            app, response_html(response), request=reference, records=records, actor=actor
        )
        check_sent_bytes(app, reference, data, document="FOI response", items=_texts(response))
    else:
        data = checked_bytes(app, response, fmt)
    command = RespondToFoiRequest(
        responded_on=response.responded_on,
        response=response.response,
        notice_sha256=sent_documents.digest(data),
        ncnd_sections=tuple(ncnd_sections),
        ncnd_public_interest=ncnd_public_interest,
    )
    sent = _record_sent(app, reference, actor, command, RESPONSE, fmt, data)
    return msgspec.structs.replace(sent, response=response.response.value), data


def decide_review(
    app: Application,
    reference: str,
    actor: str,
    outcome: ReviewOutcome,
    reasons: str,
    fmt: PackFormat,
    *,
    on: date | None = None,
) -> tuple[Sent, bytes]:
    """Render the review decision with the rights that follow it, keep it, and record it."""
    check_format(fmt)
    decided_on = on or app.clock.now().date()
    if not reasons.strip():
        raise InvalidInput("reasons", "state the reasons for the review's outcome")
    words = outcome.value.replace("_", " ")
    decision = (
        f"We have reviewed our response to your request {reference}. Outcome: {words}.\n{reasons.strip()}"
    )
    notice = ReviewDecisionNotice(
        format=ReviewDecisionNotice.FORMAT,
        reference=reference,
        decided_on=decided_on,
        outcome=outcome,
        notice=review_decision_notice(decision),
    )
    data = checked_bytes(app, notice, fmt)
    command = DecideReview(
        decided_on=decided_on, outcome=outcome, reasons=reasons, notice_sha256=sent_documents.digest(data)
    )
    return _record_sent(app, reference, actor, command, REVIEW_DECISION, fmt, data), data


def checked_bytes(app: Application, document: FoiResponse | ReviewDecisionNotice, fmt: PackFormat) -> bytes:
    """The document's bytes in `fmt`, only if they hold no registered identifier of anyone (the last step
    before they are written, kept or returned; IdentifiersInOutput otherwise)."""
    data = render(document, fmt)
    if isinstance(document, FoiResponse) and fmt is PackFormat.HTML:
        # The documents the response gives, and how, listed in it: the files themselves go with it.
        data = _with_documents(app, document).encode("utf-8")
    what = "FOI response" if isinstance(document, FoiResponse) else "FOI review decision"
    check_sent_bytes(app, document.reference, data, document=what, items=_texts(document))
    return data


def _with_documents(app: Application, response: FoiResponse) -> str:
    records = load(app, response.reference).records_in_scope
    decisions = pack_pdf.decisions_for(app, response.reference, records)
    return pack_pdf.with_documents_section(response_html(response), decisions)


def draft_pdf(app: Application, reference: str, actor: str) -> bytes:
    """The response as it stands, laid out as a PDF bundling the documents it gives; nothing is recorded."""
    response = build_response(app, reference, actor)
    records = load(app, reference).records_in_scope
    data = pack_pdf.pdf_pack(app, response_html(response), request=reference, records=records, actor=actor)
    check_sent_bytes(app, reference, data, document="FOI response", items=_texts(response))
    return data


def check_sent_bytes(
    app: Application,
    reference: str,
    data: bytes,
    *,
    document: str = "copy of an FOI document",
    items: Sequence[tuple[str, str]] = (),
) -> None:
    """Refuse bytes of an FOI document that hold a registered identifier of anyone."""
    check_output(register_detector(app), data, document=document, record=reference, items=items)


def _texts(document: FoiResponse | ReviewDecisionNotice) -> list[tuple[str, str]]:
    """What each part of the document says, named by where it is (never by what it says)."""
    found = [("the notice", document.notice)]
    if isinstance(document, FoiResponse):
        for part in document.parts:
            found.append((f"{part.item_id}: the title", part.title))
            found += [(f"{part.item_id}: {e.label}", e.text or "") for e in part.entries]
        found += [
            (f"the redaction log: {row.item_id}: {row.label}", row.label) for row in document.redaction_log
        ]
    return found


def _record_sent(
    app: Application, reference: str, actor: str, command: Command, purpose: str, fmt: PackFormat, data: bytes
) -> Sent:
    foi = load(app, reference)
    trial = copy.deepcopy(foi)  # the file must accept the step before a copy is kept
    trial.execute(command, app.acting(actor), app.clock.now())
    document = sent_documents.keep(
        app, record=foi.reference, purpose=purpose, media_type=MEDIA_TYPES[fmt], data=data, actor=actor
    )
    try:
        recorded = app.execute(FoiRecord, foi.reference, actor, command)
    except BaseException:
        sent_documents.discard(app, document)
        raise
    return Sent(reference=reference, version=recorded.version, response="", document=document)


def check_format(fmt: PackFormat) -> None:
    if fmt not in MEDIA_TYPES:
        raise InvalidInput("--format", f"must be one of {', '.join(MEDIA_TYPES)}")


# -- what an officer sees --------------------------------------------------------------------------


class ExemptionView(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    section: str
    extent: str


class FoiStatus(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    stage: str
    status: str
    requester: str | None
    received_on: date | None
    clock_started_on: date | None
    due_on: date | None
    working_days_left: int | None  # negative when overdue; None once answered
    clocks: tuple[TimescaleView, ...]
    items: tuple[str, ...]
    exemptions: tuple[ExemptionView, ...]
    response: str | None
    responded_on: date | None
    review_requirement_last_day: date | None
    review_due_on: date | None
    documents: tuple[SentDocument, ...]
    obligations: tuple[ObligationView, ...]


def show(app: Application, reference: str) -> FoiStatus:
    foi = load(app, reference)
    today = app.clock.now().date()
    left = None
    if foi.responded is None and foi.due_on is not None and not foi.awaiting_clarification:
        calendar = FoiRecord.calendar
        assert calendar is not None
        ahead = working_days_after(today, foi.due_on, calendar)
        left = ahead if foi.due_on >= today else -working_days_after(foi.due_on, today, calendar)
    return FoiStatus(
        reference=reference,
        stage=foi.stage,
        status=foi.status,
        requester=foi.requester_id,
        received_on=foi.received_on,
        clock_started_on=foi.timescale_started_on,
        due_on=foi.due_on,
        working_days_left=left,
        clocks=tuple(with_days(c, today) for c in timescale_views(reference, foi.timescales())),
        items=tuple(foi.items),
        exemptions=tuple(
            ExemptionView(item_id=item, section=cited(section), extent=extent.value)
            for item, applied in foi.exemptions.items()
            for section, extent in applied.items()
        ),
        response=foi.responded.response.value if foi.responded else None,
        responded_on=foi.responded.responded_on if foi.responded else None,
        review_requirement_last_day=foi.responded.review_requirement_due_on if foi.responded else None,
        review_due_on=foi.review.due_on if foi.review else None,
        documents=tuple(sent_documents.kept(app, foi.reference)),
        obligations=tuple(obligation_view(o) for o in foi.obligations()),
    )


class FoiSummary(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    stage: str
    status: str
    received_on: date | None
    due_on: date | None


def _summary(app: Application, stream: str) -> FoiSummary:
    foi = app.load(FoiRecord, stream)
    return FoiSummary(
        reference=stream.removeprefix(foi_stream("")),
        stage=foi.stage,
        status=foi.status,
        received_on=foi.received_on,
        due_on=foi.due_on,
    )


def list_requests(app: Application) -> list[FoiSummary]:
    return [
        _summary(app, str(n.originator_id))
        for n in app.ledger.iter_notifications(0, topics=(type_name(FoiReceived),))
    ]


class FoiPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the requests in the order received: each with its place in that order."""

    rows: tuple[tuple[int, FoiSummary], ...]
    total: int
    earlier: bool
    later: bool


def page_requests(
    app: Application, *, descending: bool, after: int | None, before: int | None, size: int
) -> FoiPage:
    """One page of the FOI requests, oldest (or newest) first, read by keyset."""
    found = receipt_page(
        app, type_name(FoiReceived), descending=descending, after=after, before=before, size=size
    )
    return FoiPage(
        rows=tuple((place, _summary(app, stream)) for place, stream in found.streams),
        total=found.total,
        earlier=found.earlier,
        later=found.later,
    )


class ExemptionEntry(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    section: str
    title: str
    kind: str
    neither_confirm_nor_deny: bool


def exemption_library() -> list[ExemptionEntry]:
    """The exemptions an officer may apply, by their codes."""
    return [
        ExemptionEntry(
            code=code.value,
            section=e.section,
            title=e.title,
            kind=e.kind.value,
            neither_confirm_nor_deny=e.neither_confirm_nor_deny,
        )
        for code, e in EXEMPTIONS.items()
    ]
