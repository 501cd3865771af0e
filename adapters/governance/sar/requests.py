"""Subject access requests end to end: the file's steps, collation, the response pack, sending it.

The file (`domain.governance.sar.request`, stream `sar-<REF>`) records every step; this module is the
application around it:

- `collate_from_index` takes every item of the subject's personal data in the records searched
  from the subject index (items about them, and statements they made), naming in each the other
  people it identifies whose data is withheld by default: everyone but practitioners acting in
  role, and anyone not on the register (DPA 2018 Sch. 2 Pt. 3 para 16; `THIRD_PARTY_BY_DEFAULT`),
  whether its annotations name them or their registered identifiers are in its words;
- `build_pack` (the contents in `adapters.governance.sar.contents`) opens each collated item, withholds what
  `domain.governance.sar.withholding` decides, and adds the Article 15 information, the cover letter and the
  redaction log;
- `render_pack` and `send_pack` render it, and check the rendered bytes last (`adapters.governance.sar.check`):
  no identifier of anyone but the requester, the subject and practitioners, outside the items
  released with a reason; `send_pack` keeps the exact bytes and records their digest.

Every read of personal data goes through the access log, naming the request.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

import msgspec

from adapters.app import views
from adapters.app.application import Application
from adapters.governance import pack_pdf, sent_documents
from adapters.governance.disclosure import register_detector
from adapters.governance.ig_access import RequestReader, check_officers, check_reference
from adapters.governance.ig_records import FOI_STREAM_PREFIX, SAR_STREAM_PREFIX, SarRecord, sar_stream
from adapters.governance.request_list import receipt_page
from adapters.governance.sar import documents as sar_documents
from adapters.governance.sar.check import check_copy, check_rendered
from adapters.governance.sar.contents import Assembled, Pack, assemble, item_id_of
from adapters.governance.sar.items import Categories, ItemOpener
from adapters.governance.sar.render import MEDIA_TYPES, html_document, render
from adapters.governance.sent_documents import SentDocument
from domain.governance.sar.request import SubjectAccessRequest
from domain.governance.sar.steps import (
    CollatedItem,
    CollateItems,
    Delivery,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RedactionStatus,
    ReleaseBasis,
    ReleaseThirdPartyData,
    SarReceived,
    SendResponse,
)
from domain.governance.sar.withholding import Counts, Decision, decide, third_parties
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, RecordNotFound, RuleViolation
from domain.kernel.event import type_name
from projections import queries
from projections.model import ObligationView, TimescaleView, with_days
from projections.route_facts import obligation_view, timescale_views
from projections.subjects import SubjectItem

RULE_COPY = "UK GDPR Art. 15(3): a copy of all the personal data"
PURPOSE = "sar-response"
IG_FILE_PREFIXES = (SAR_STREAM_PREFIX, FOI_STREAM_PREFIX)


# -- the file's steps ---------------------------------------------------------------------------


def open_request(
    app: Application, reference: str, actor: str, command: ReceiveSubjectAccessRequest
) -> SubjectAccessRequest:
    """Record a new request (its receipt)."""
    return app.execute(SarRecord, sar_stream(check_reference(reference)), actor, command)


#: The steps recorded only by sending: each keeps the exact bytes sent (`send`), never a typed digest.
SENT_BY_SENDING: dict[type[Command], str] = {
    SendResponse: "send-response is recorded by sending the pack (`reviewledger sar send`, or the request's "
    "page), which keeps the exact bytes sent",
}


def step(app: Application, reference: str, actor: str, command: Command) -> SubjectAccessRequest:
    """Record one step of an existing request (not a step recorded by sending: `send` keeps its bytes)."""
    if type(command) in SENT_BY_SENDING:
        raise InvalidInput("step", SENT_BY_SENDING[type(command)])
    load(app, reference)
    check_officers(app, command)
    return app.execute(SarRecord, sar_stream(reference), actor, command)


def load(app: Application, reference: str) -> SubjectAccessRequest:
    stream = sar_stream(check_reference(reference))
    sar = app.load(SarRecord, stream, must_exist=False)
    if sar.version == 0:
        raise RecordNotFound(SarRecord.kind, reference)
    return sar


# -- collation from the subject index -------------------------------------------------------------


def index_items(app: Application, sar: SubjectAccessRequest) -> list[SubjectItem]:
    """Every item of personal data about the subject, or stated by them, in the records searched."""
    assert sar.subject_id is not None
    views.refresh(app)
    found: dict[str, SubjectItem] = {}
    with app.db.reader.connect() as conn:
        for relation in ("about", "by"):
            for item in queries.subject_items(conn, sar.subject_id, relation=relation):
                if item.stream in sar.searched:
                    found.setdefault(item_id_of(item.stream, item.version, item.field), item)
    return sorted(found.values(), key=lambda i: (i.position, i.field))


def not_collated(app: Application, sar: SubjectAccessRequest) -> list[str]:
    """Items of the subject's data in the records searched that are not yet in the pack."""
    return [
        item_id_of(i.stream, i.version, i.field)
        for i in index_items(app, sar)
        if item_id_of(i.stream, i.version, i.field) not in sar.items
    ]


def collate_from_index(
    app: Application, reference: str, actor: str, on: date | None = None
) -> SubjectAccessRequest:
    """Collate every item of the subject's data in the records searched that is not yet in the pack,
    each naming the other people it identifies: by its annotations, or by their identifiers in its
    words (each item is opened for it, the read logged under the request)."""
    sar = load(app, reference)
    if not sar.searched:
        raise InvalidInput("records", "record a search first: nothing has been searched for this request")
    fresh = [i for i in index_items(app, sar) if item_id_of(i.stream, i.version, i.field) not in sar.items]
    if not fresh:
        raise InvalidInput("items", "every item of the subject's data in the records searched is in the pack")
    own = tuple(s for s in (sar.subject_id, sar.requester_id) if s is not None)
    reader = RequestReader(app, actor=actor, request=reference)
    opener = ItemOpener(reader, register_detector(app), own)
    categories = Categories(app)
    items: list[CollatedItem] = []
    for i in fresh:
        item_id = item_id_of(i.stream, i.version, i.field)
        found = opener.found(opener.open(item_id))
        people = (*i.about, *((i.by,) if i.by else ()), *found.detected)
        named = third_parties(people, own, categories.of_all(people))
        items.append(CollatedItem(item_id=item_id, record=i.stream, third_parties=named))
    command = CollateItems(collated_on=on or app.clock.now().date(), items=tuple(items))
    return app.execute(SarRecord, sar_stream(reference), actor, command)


def withholding(app: Application, sar: SubjectAccessRequest, actor: str | None) -> Decision:
    """What the pack withholds: from its items as opened for `actor`, or from the file alone (as
    once the request is closed: its records are no longer read for it)."""
    if actor is None or not sar.is_open:
        own = tuple(s for s in (sar.subject_id, sar.requester_id) if s)
        request = sar.reference.removeprefix(SAR_STREAM_PREFIX)
        found = sar_documents.about(app, request, sar.records_in_scope, own)
        return decide(sar, documents=[d.found() for d in found])
    return assemble(app, sar, actor, prepared_on=app.clock.now().date(), draft=True).decision


def release_person(
    app: Application,
    reference: str,
    actor: str,
    *,
    third_party: str,
    item_ids: Sequence[str],
    basis: ReleaseBasis,
    reasons: str,
    consent_given_on: date | None = None,
    expected_version: int | None = None,
) -> SubjectAccessRequest:
    """Release one person's data in each of `item_ids` under one basis and one reason.

    Each release is its own signed `sar.third-party-data-released` (the redaction log, the pack
    and the response's record of what was withheld read them item by item, as before), and they
    are stored in one append: all of them, or none when the file refuses any."""
    load(app, reference)
    if not item_ids:
        raise InvalidInput("items", "choose at least one item to release")
    if len(set(item_ids)) != len(item_ids):
        raise InvalidInput("items", "name each item once")
    commands = [
        ReleaseThirdPartyData(
            item_id=item_id,
            third_party=third_party,
            basis=basis,
            reasons=reasons,
            consent_given_on=consent_given_on,
        )
        for item_id in item_ids
    ]
    return app.record_steps(
        SarRecord, sar_stream(reference), actor, commands, expected_version=expected_version
    ).record


# -- the pack ---------------------------------------------------------------------------------------


def build_pack(
    app: Application, reference: str, actor: str, *, prepared_on: date | None = None, draft: bool = True
) -> Pack:
    """The response pack as the file stands: every collated item opened (each read access-logged),
    other people's data withheld unless released, serious-harm passages withheld once confirmed,
    with the Article 15 information, the cover letter and the redaction log."""
    sar = load(app, reference)
    return assemble(app, sar, actor, prepared_on=prepared_on or app.clock.now().date(), draft=draft).pack


# -- sending ------------------------------------------------------------------------------------------


class Sent(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    version: int
    document: SentDocument


def render_pack(
    app: Application, reference: str, actor: str, fmt: PackFormat, *, on: date | None = None
) -> tuple[Pack, bytes]:
    """A draft of the pack as it stands, rendered; nothing is recorded."""
    check_format(fmt)
    sar = load(app, reference)
    built = assemble(app, sar, actor, prepared_on=on or app.clock.now().date(), draft=True)
    data = _rendered(app, built, fmt, sar, actor)
    check_rendered(built, fmt, data, record=sar.reference)
    return built.pack, data


def _rendered(
    app: Application, built: Assembled, fmt: PackFormat, sar: SubjectAccessRequest, actor: str
) -> bytes:
    """The pack's bytes; as a PDF, with the documents it gives (whole or redacted) bundled in."""
    if fmt is PackFormat.PDF:
        request = sar.reference.removeprefix(SAR_STREAM_PREFIX)
        decisions = [(d.review, d.decision) for d in built.documents if d.held and d.decision is not None]
        return pack_pdf.bundle(
            pack_pdf.html_to_pdf(html_document(built.pack)), pack_pdf.given_by(app, request, decisions, actor)
        )
    return render(built.pack, fmt)


def send_pack(
    app: Application,
    reference: str,
    actor: str,
    fmt: PackFormat,
    delivery: Delivery,
    *,
    on: date | None = None,
) -> tuple[Sent, bytes]:
    """Build and render the final pack, keep its exact bytes, and record the response with their digest."""
    check_format(fmt)
    sar = load(app, reference)
    missing = not_collated(app, sar)
    if missing:
        raise RuleViolation(
            f"{len(missing)} items of the subject's data in the records searched are not in the pack "
            f"(first {missing[0]}): collate them first",
            rule=RULE_COPY,
            record=sar.reference,
        )
    sent_on = on or app.clock.now().date()
    built = assemble(app, sar, actor, prepared_on=sent_on, draft=False)
    pack = built.pack
    data = _rendered(app, built, fmt, sar, actor)
    check_rendered(built, fmt, data, record=sar.reference)
    command = SendResponse(
        sent_on=sent_on,
        sha256=sent_documents.digest(data),
        size_bytes=len(data),
        pack_format=fmt,
        delivery=delivery,
        contents=pack.contents,
    )
    # The file must accept the response before a copy is kept: try it on a copy of the file first.
    trial = copy.deepcopy(sar)
    trial.execute(command, app.acting(actor), app.clock.now())
    document = sent_documents.keep(
        app, record=sar.reference, purpose=PURPOSE, media_type=MEDIA_TYPES[fmt], data=data, actor=actor
    )
    try:
        recorded = app.execute(SarRecord, sar.reference, actor, command)
    except BaseException:
        sent_documents.discard(app, document)
        raise
    return Sent(reference=reference, version=recorded.version, document=document), data


def read_copy(app: Application, reference: str, actor: str, sha256_hex: str) -> bytes:
    """The exact copy kept of a pack sent, read as `actor` (logged), its bytes checked again: no
    identifier of another person whose data the file does not release.

    The need-to-know table gives the copy sent to the officers handling the request, open or
    closed (`Part.IG_SENT_COPY`): it opens no record in the request's scope, only what was sent.
    """
    sar = load(app, reference)
    data = sent_documents.read_copy(
        app, record=sar.reference, request=reference, actor=actor, sha256_hex=sha256_hex
    )
    if data is None:
        raise InvalidInput("--sha256", "that copy was disposed of with the request file's personal data")
    check_copy(sar, register_detector(app), data)
    return data


def letter_counts(pack: Pack) -> str:
    """The pack's size as its cover letter gives it, said the one way (`Counts.summary`)."""
    letter = pack.cover_letter
    return Counts(
        items=letter.items,
        disclosed=letter.disclosed,
        in_part=letter.in_part,
        withheld=letter.withheld,
        disposed=letter.disposed,
        not_found=letter.not_found,
    ).summary()


def check_format(fmt: PackFormat) -> None:
    if fmt not in MEDIA_TYPES:
        raise InvalidInput("--format", f"must be one of {', '.join(MEDIA_TYPES)}")


# -- what an officer sees --------------------------------------------------------------------------


class RedactionView(msgspec.Struct, frozen=True, kw_only=True):
    number: int
    item_id: str
    ground: str
    status: str
    proposed_by: str
    third_party: str | None = None


class SarStatus(msgspec.Struct, frozen=True, kw_only=True):
    """One request as an IG officer follows it: the clock, the search, the pack, what is owed."""

    reference: str
    stage: str
    status: str
    subject: str | None
    requester: str | None
    capacity: str | None
    received_on: date | None
    clock_starts_on: date | None
    due_on: date | None
    extended: bool
    extension_last_day: date | None  # the last day the requester can be told of an extension
    clocks: tuple[TimescaleView, ...]
    searched: tuple[str, ...]
    not_searched: tuple[str, ...]  # records holding the subject's data that no search covered
    items: int
    not_collated: tuple[str, ...]
    withheld: int  # items withheld in whole, never redaction-log rows
    redactions: tuple[RedactionView, ...]
    reviewed: bool
    sent_on: date | None
    documents: tuple[SentDocument, ...]
    obligations: tuple[ObligationView, ...]
    counts: str = ""  # "N items, M withheld", and what else is true, as the pack and the pages say it


def show(
    app: Application, reference: str, actor: str | None = None, *, decision: Decision | None = None
) -> SarStatus:
    """The request as it stands; its counts from `decision`, or from the items opened for `actor`
    (each read access-logged), or else from the file alone."""
    sar = load(app, reference)
    today = app.clock.now().date()
    not_searched: list[str] = []
    missing: list[str] = []
    if sar.subject_id is not None:
        views.refresh(app)
        with app.db.reader.connect() as conn:
            streams = {
                i.stream
                for relation in ("about", "by")
                for i in queries.subject_items(conn, sar.subject_id, relation=relation)
            }
        # Request files (this one and any other) hold the subject's data too, but are not searched for it.
        not_searched = sorted(s for s in streams - set(sar.searched) if not s.startswith(IG_FILE_PREFIXES))
        missing = not_collated(app, sar) if sar.searched else []
    received = app.ledger.read(sar.reference, lte=1)[0].event
    assert isinstance(received, SarReceived)
    counts = (decision or withholding(app, sar, actor)).counts()
    return SarStatus(
        reference=reference,
        stage=sar.stage,
        status=sar.status,
        subject=sar.subject_id,
        requester=sar.requester_id,
        capacity=received.capacity.value,
        received_on=sar.received_on,
        clock_starts_on=sar.timescale_starts_on,
        due_on=sar.due_on(),
        extended=sar.extended,
        extension_last_day=None if sar.extended or sar.sent_on else sar.first_month_ends_on(today),
        clocks=tuple(with_days(c, today) for c in timescale_views(reference, sar.timescales())),
        searched=tuple(sar.searched),
        not_searched=tuple(not_searched),
        items=counts.items,
        not_collated=tuple(missing),
        withheld=counts.withheld,
        counts=counts.summary(),
        redactions=tuple(
            RedactionView(
                number=r.number,
                item_id=r.item_id,
                ground=r.ground.value,
                status=r.status.value,
                proposed_by=r.proposed_by,
                third_party=r.third_party,
            )
            for r in sar.redactions.values()
        ),
        reviewed=sar.reviewed,
        sent_on=sar.sent_on,
        documents=tuple(sent_documents.kept(app, sar.reference)),
        obligations=tuple(obligation_view(o) for o in sar.obligations()),
    )


class SarSummary(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    stage: str
    status: str
    received_on: date | None
    due_on: date | None
    awaiting_second_officer: int


def _summary(app: Application, stream: str) -> SarSummary:
    sar = app.load(SarRecord, stream)
    waiting = sum(r.status is RedactionStatus.AWAITING_SECOND_OFFICER for r in sar.redactions.values())
    return SarSummary(
        reference=stream.removeprefix(sar_stream("")),
        stage=sar.stage,
        status=sar.status,
        received_on=sar.received_on,
        due_on=sar.due_on(),
        awaiting_second_officer=waiting,
    )


def list_requests(app: Application) -> list[SarSummary]:
    """Every subject access request, oldest first."""
    received = type_name(SarReceived)
    return [_summary(app, str(n.originator_id)) for n in app.ledger.iter_notifications(0, topics=(received,))]


class SarPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the requests in the order received: each with its place in that order."""

    rows: tuple[tuple[int, SarSummary], ...]
    total: int
    earlier: bool
    later: bool


def page_requests(
    app: Application, *, descending: bool, after: int | None, before: int | None, size: int
) -> SarPage:
    """One page of the subject access requests, oldest (or newest) first, read by keyset."""
    found = receipt_page(
        app, type_name(SarReceived), descending=descending, after=after, before=before, size=size
    )
    return SarPage(
        rows=tuple((place, _summary(app, stream)) for place, stream in found.streams),
        total=found.total,
        earlier=found.earlier,
        later=found.later,
    )


__all__ = [
    "RULE_COPY",
    "Pack",
    "SarPage",
    "SarStatus",
    "SarSummary",
    "Sent",
    "build_pack",
    "collate_from_index",
    "letter_counts",
    "list_requests",
    "load",
    "open_request",
    "page_requests",
    "read_copy",
    "release_person",
    "render_pack",
    "send_pack",
    "show",
    "step",
    "withholding",
]
