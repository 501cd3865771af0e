"""What a subject access response contains (UK GDPR Art. 15; DPA 2018; DOMAIN.md §4).

The pack holds every collated item of the subject's personal data, each opened from the sealed
store (every record opened is written to the access log, naming the request), the Article 15
information, a cover letter saying what was searched, and a redaction log: every decision to
withhold or release, its ground and who took it (`adapters.governance.sar.redaction_log`).

It is written for the requester: other people appear in its items and its redaction log only as
"another person" or "a practitioner", never by name or register id. What is withheld is decided
by `domain.governance.sar.withholding` from the file and what opening the items showed
(`adapters.governance.sar.items`): an item that identifies someone else whose data is withheld by default,
by its annotations or by their identifiers in its words, is withheld in whole unless the file
records its release for every such person, or given in part with their identifiers replaced by
`[third party]` when the officer released it so; a serious-harm passage is withheld once a
second officer confirms it (and, in a draft, while one has still to decide). A withheld value
never enters the pack: the item carries a marker naming the ground instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

import msgspec

from adapters.app.application import Application
from adapters.governance.disclosure import register_detector
from adapters.governance.ig_access import RequestReader
from adapters.governance.sar.documents import PackDocument
from adapters.governance.sar.documents import about as documents_about
from adapters.governance.sar.items import Categories, ItemOpener, Opened, split_item_id
from adapters.governance.sar.redaction_log import (
    FileEvents,
    LogEntry,
    document_entries,
    marker,
    proposal_entries,
    third_party_entries,
)
from domain.governance.documents import EXTENSIONS
from domain.governance.identifiers import Detector, replace_matches
from domain.governance.sar.request import SubjectAccessRequest
from domain.governance.sar.steps import (
    Capacity,
    ResponseContent,
)
from domain.governance.sar.withholding import THIRD_PARTY_MARKER, Decision, ItemDecision, Outcome, decide
from domain.governance.subjects import SubjectCategory
from projections.fold import describe_type

FORMAT = "reviewledger/sar-pack/v1"

_REGISTER = re.compile(r"subject-(S-[A-Za-z0-9-]+)")


_CAPACITY: dict[Capacity, str] = {
    Capacity.DATA_SUBJECT: "the data subject",
    Capacity.PARENT_OR_CARER: "a parent or carer",
    Capacity.LEGAL_REPRESENTATIVE: "a legal representative",
    Capacity.ATTORNEY_OR_GUARDIAN: "an attorney or guardian",
    Capacity.OTHER_AUTHORISED: "a person with written authority",
}


def item_id_of(stream: str, version: int, field: str) -> str:
    """An item's id in a pack: the record, the event's version and the field, e.g. `LR-2026-001@26/views`."""
    return f"{stream}@{version}/{field}"


# -- the pack -------------------------------------------------------------------------------------


#: What became of an item in the pack (decided by `domain.governance.sar.withholding`).
ItemStatus = Outcome


class DocumentGiven(msgspec.Struct, frozen=True, kw_only=True):
    """A document as an item of the pack: which, how it is given, and the file that goes with the pack."""

    document_id: str
    media_type: str
    pages: int
    given: str  # "whole", "redacted", "withheld", "awaiting a decision", or why it is not held
    file_name: str = ""  # the file given with the pack (bundled in the PDF pack); "" when none


class PackItem(msgspec.Struct, frozen=True, kw_only=True):
    """One item of the subject's personal data: its value, or why it is not given."""

    item_id: str
    record: str
    step: str  # the step it was recorded in, e.g. "family contact recorded"
    recorded_on: date | None
    field: str
    kind: str
    nature: str  # fact or opinion
    about_subject: bool
    stated_by: str  # "the data subject", "a practitioner", "another person", or "" when nobody
    special_category: bool
    status: ItemStatus
    value: str | None = None
    note: str | None = None  # the marker of a withheld item; when and why a disposed one went
    redactions: tuple[int, ...] = ()  # the numbers of its entries in the redaction log
    document: DocumentGiven | None = None  # when the item is a document attached to a step


class SearchedEntry(msgspec.Struct, frozen=True, kw_only=True):
    record: str
    what: str | None
    searched_on: date


class CoverLetter(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    requester_name: str | None
    requester_address: str | None
    received_on: date | None
    due_on: date | None
    searched: tuple[SearchedEntry, ...]
    search_terms: tuple[str, ...]
    items: int
    disclosed: int
    withheld: int
    disposed: int
    paragraphs: tuple[str, ...]
    in_part: int = 0  # given with other people's identifiers replaced
    not_found: int = 0


class Information(msgspec.Struct, frozen=True, kw_only=True):
    """One part of the information that goes with the copy (UK GDPR Art. 15(1)-(2))."""

    article: str
    heading: str
    text: str


class Pack(msgspec.Struct, frozen=True, kw_only=True):
    format: str
    reference: str
    prepared_on: date
    draft: bool
    cover_letter: CoverLetter
    items: tuple[PackItem, ...]
    information: tuple[Information, ...]
    redaction_log: tuple[LogEntry, ...]
    contents: tuple[ResponseContent, ...]


# -- building it ----------------------------------------------------------------------------------


def assemble(
    app: Application, sar: SubjectAccessRequest, actor: str, *, prepared_on: date, draft: bool
) -> Assembled:
    """The pack for `sar` as its file stands, opened for `actor` (an IG officer), and the decision
    on what it withholds."""
    reference = sar.reference.removeprefix("sar-")
    reader = RequestReader(app, actor=actor, request=reference)
    file = FileEvents(reader.events(sar.reference))
    subject, requester = sar.subject_id, sar.requester_id
    own = tuple(s for s in (subject, requester) if s)
    detector = register_detector(app)
    opener = ItemOpener(reader, detector, own)
    categories = Categories(app)
    opened = {item_id: opener.open(item_id) for item_id in sar.items}
    found = {item_id: opener.found(o) for item_id, o in opened.items()}
    everyone = {p for f in found.values() for p in (*f.named, *f.detected)}
    documents = documents_about(app, reference, sar.records_in_scope, own)
    decision = decide(sar, categories.of_all(everyone), found, [d.found() for d in documents])
    by_item = {d.item_id: d for d in documents}
    log: list[LogEntry] = []
    items: list[PackItem] = []
    for item in decision.items:
        if item.item_id in by_item:
            document = by_item[item.item_id]
            entries = document_entries(document, start=len(log) + 1)
            log.extend(entries)
            items.append(_document_item(item, document, entries, subject))
            continue
        entries = third_party_entries(item, file, start=len(log) + 1)
        entries += proposal_entries(item.item_id, sar, file, start=len(log) + len(entries) + 1)
        log.extend(entries)
        items.append(_pack_item(item, opened[item.item_id], opener, entries, subject, requester, categories))
    letter = _cover_letter(reference, sar, file, decision)
    mine = set(own)
    items = [
        msgspec.structs.replace(
            i, item_id=_hide_register(i.item_id, mine), record=_hide_register(i.record, mine)
        )
        for i in items
    ]
    log = [msgspec.structs.replace(e, item_id=_hide_register(e.item_id, mine)) for e in log]
    searched = tuple(
        msgspec.structs.replace(e, record=_hide_register(e.record, mine)) for e in letter.searched
    )
    paragraphs = tuple(_hide_register(p, mine) for p in letter.paragraphs)
    letter = msgspec.structs.replace(letter, searched=searched, paragraphs=paragraphs)
    pack = Pack(
        format=FORMAT,
        reference=reference,
        prepared_on=prepared_on,
        draft=draft,
        cover_letter=letter,
        items=tuple(items),
        information=information(items),
        redaction_log=tuple(log),
        contents=tuple(ResponseContent),
    )
    released = frozenset(
        i.item_id for i, d in zip(items, decision.items, strict=True) if any(p.released for p in d.people)
    )
    return Assembled(
        pack=pack,
        decision=decision,
        detector=detector,
        own=own,
        released_items=released,
        opened=opened,
        opener=opener,
        categories=categories,
        documents=tuple(documents),
    )


class Assembled(NamedTuple):
    """A pack, the decision it rests on, and what its final check needs."""

    pack: Pack
    decision: Decision
    detector: Detector  # over the register as it held when the pack was built
    own: tuple[str, ...]  # the subject and the requester
    released_items: frozenset[str]  # items (as the pack names them) given with someone's data released
    opened: Mapping[str, Opened | None]  # each item as opened, by its id in the file (for the workbench)
    opener: ItemOpener  # what found the identifiers in each item's words
    categories: Categories  # the register's category of each person the items name
    documents: tuple[PackDocument, ...] = ()  # the documents about the subject, items after the collated ones


def _hide_register(text: str, own: set[str]) -> str:
    """Another person's register entry, named without their register id."""
    return _REGISTER.sub(lambda m: m[0] if m[1] in own else "another person's register entry", text)


# -- documents as items -----------------------------------------------------------------------------


def _document_item(
    decided: ItemDecision, document: PackDocument, entries: list[LogEntry], subject: str | None
) -> PackItem:
    attached = document.document
    numbers = ", ".join(str(e.number) for e in entries)
    kind = f"document ({attached.media_type.name})"
    item = PackItem(
        item_id=document.item_id,
        record=document.review,
        step=describe_type(attached.step),
        recorded_on=attached.at.date(),
        field="document",
        kind="document",
        nature="",
        about_subject=subject in attached.about,
        stated_by="",
        special_category=False,
        status=decided.outcome,
        redactions=tuple(e.number for e in entries),
    )
    given = DocumentGiven(
        document_id=attached.document_id,
        media_type=attached.media_type.value,
        pages=attached.pages,
        given=decided.outcome.value,
    )
    match decided.outcome:
        case Outcome.DISCLOSED:
            name = f"{attached.document_id}.{EXTENSIONS[attached.media_type]}"
            return msgspec.structs.replace(
                item,
                value=f"{kind}, {attached.pages} page(s), given whole as the file {name}, which goes with this pack",
                note=f"released whole (redaction log {numbers})",
                document=msgspec.structs.replace(given, given="whole", file_name=name),
            )
        case Outcome.IN_PART:
            assert document.decision is not None
            name = f"{attached.document_id}-redacted.pdf"
            return msgspec.structs.replace(
                item,
                value=f"{kind}, given redacted as the file {name} ({document.decision.redacted_pages} page(s) "
                "rebuilt as images without what was removed), which goes with this pack",
                note=f"redacted: each removal is marked with its ground (redaction log {numbers})",
                document=msgspec.structs.replace(given, given="redacted", file_name=name),
            )
        case Outcome.WITHHELD:
            waiting = document.decision is None
            return msgspec.structs.replace(
                item,
                note=marker(entries),
                document=msgspec.structs.replace(
                    given, given="awaiting a decision" if waiting else "withheld"
                ),
            )
        case Outcome.DISPOSED:
            assert document.disposal is not None
            note = document.disposal.describe().replace("disposed on", "disposed of on")
            return msgspec.structs.replace(item, note=f"{kind}: {note}", document=given)
        case _:
            return msgspec.structs.replace(item, note=f"{kind}: its content is not held", document=given)


def _pack_item(
    decided: ItemDecision,
    opened: Opened | None,
    opener: ItemOpener,
    entries: list[LogEntry],
    subject: str | None,
    requester: str | None,
    categories: Categories,
) -> PackItem:
    item_id = decided.item_id
    parts = split_item_id(item_id)
    record, field = (parts[0], parts[2]) if parts else ("", "")
    if opened is None:
        return PackItem(
            item_id=item_id,
            record=record,
            step="",
            recorded_on=None,
            field=field,
            kind="",
            nature="",
            about_subject=False,
            stated_by="",
            special_category=False,
            status=ItemStatus.NOT_FOUND,
            note="this item could not be found in the record",
        )
    recorded, personal = opened.recorded, opened.item
    withheld = [e for e in entries if e.outcome.startswith("withheld")]
    marked = [e for e in entries if e.outcome.startswith(("withheld", "released in part"))]
    item = PackItem(
        item_id=item_id,
        record=record,
        step=describe_type(recorded.type),
        recorded_on=recorded.time.date(),
        field=field,
        kind=personal.kind.value.replace("_", " "),
        nature=personal.nature.value,
        about_subject=subject in personal.about,
        stated_by=_stated_by(personal.by, subject, requester, categories),
        special_category=personal.special_category,
        status=decided.outcome,
        redactions=tuple(e.number for e in marked),
    )
    match decided.outcome:
        case Outcome.DISPOSED:
            assert opened.disposal is not None  # only a disposal event makes an item disposed of
            note = opened.disposal.describe().replace("disposed on", "disposed of on")
            return msgspec.structs.replace(item, note=note)
        case Outcome.NOT_FOUND:
            return msgspec.structs.replace(item, note="the words of this item are not held in the record")
        case Outcome.WITHHELD:
            return msgspec.structs.replace(item, note=marker(withheld))
        case Outcome.IN_PART:
            assert opened.words is not None
            hidden = set(decided.withheld_people)
            matches = [m for m in opener.matches(opened) if hidden.intersection(m.subjects)]
            numbers = ", ".join(str(e.number) for e in entries if e.outcome.startswith("released in part"))
            return msgspec.structs.replace(
                item,
                value=replace_matches(opened.words, matches, THIRD_PARTY_MARKER),
                note=f"given in part: other people's identifiers are replaced by {THIRD_PARTY_MARKER} "
                f"(redaction log {numbers})",
            )
        case _:
            return msgspec.structs.replace(item, value=opened.words)


def _stated_by(by: str | None, subject: str | None, requester: str | None, categories: Categories) -> str:
    if by is None:
        return ""
    if by == subject:
        return "the data subject"
    if by == requester:
        return "the requester"
    if categories.of(by) is SubjectCategory.PRACTITIONER:
        return "a practitioner"
    return "another person"


def _cover_letter(
    reference: str, sar: SubjectAccessRequest, file: FileEvents, decision: Decision
) -> CoverLetter:
    received = file.received
    searched = tuple(
        SearchedEntry(record=r.record, what=r.what.value, searched_on=search.searched_on)
        for search in file.searches
        for r in search.records
    )
    terms = tuple(dict.fromkeys(t.value for s in file.searches for t in s.terms if t.value))
    count = decision.counts()
    paragraphs = [
        f"This is our response to your subject access request of {sar.received_on}, our reference {reference}.",
    ]
    if received is not None and received.capacity is not Capacity.DATA_SUBJECT:
        paragraphs.append(
            f"You asked as {_CAPACITY[received.capacity]} for the personal data of the person you act for; "
            "this pack holds that person's data."
        )
    records = ", ".join(dict.fromkeys(s.record for s in searched)) or "none"
    held = [f"{count.disclosed} given in full"]
    if count.in_part:
        held.append(f"{count.in_part} given in part (other people's identifiers replaced)")
    held.append(f"{count.withheld} withheld")
    if count.disposed:
        held.append(f"{count.disposed} disposed of under our retention schedule before your request")
    paragraphs += [
        f"We searched these records for every item of personal data about the data subject, including "
        f"opinions about them and statements they made: {records}. What we searched in each is listed below.",
        f"This pack holds {count.items} items: {', '.join(held[:-1])} and {held[-1]}."
        + (f" {count.not_found} could not be found in the record." if count.not_found else ""),
        "Each withheld item is marked with the ground for withholding it, and the redaction log at the end "
        "lists every decision to withhold or release information, its ground and who took it.",
        "The information that goes with your data under Article 15 of the UK GDPR follows the items.",
    ]
    return CoverLetter(
        reference=reference,
        requester_name=received.requester_name.value if received else None,
        requester_address=(
            received.requester_address.value if received and received.requester_address else None
        ),
        received_on=sar.received_on,
        due_on=sar.due_on(),
        searched=searched,
        search_terms=terms,
        items=count.items,
        disclosed=count.disclosed,
        withheld=count.withheld,
        disposed=count.disposed,
        in_part=count.in_part,
        not_found=count.not_found,
        paragraphs=tuple(paragraphs),
    )


def information(items: Iterable[PackItem]) -> tuple[Information, ...]:
    """UK GDPR Art. 15(1)(a)-(h) and 15(2), for data held in learning review and related records."""
    kinds = sorted({i.kind for i in items if i.kind})
    return (
        Information(
            article="Art. 15(1)(a)",
            heading="Why we hold your data",
            text="To identify and share learning from reviews of how agencies protected a child or an adult "
            "at risk, under the national guidance for Learning Reviews, as a task carried out in the public "
            "interest (UK GDPR Art. 6(1)(e)); special category data under Art. 9(2)(g) and DPA 2018 Sch. 1.",
        ),
        Information(
            article="Art. 15(1)(b)",
            heading="The kinds of data",
            text="The items in this pack are of these kinds: " + (", ".join(kinds) or "none") + ".",
        ),
        Information(
            article="Art. 15(1)(c)",
            heading="Who receives it",
            text="The review team, the Child or Adult Protection Committee and the Chief Officers Group; "
            "the Care Inspectorate receives the report and an anonymised copy; a published report is "
            "anonymised. The data is not sent outside the United Kingdom (Art. 15(2)).",
        ),
        Information(
            article="Art. 15(1)(d)",
            heading="How long we keep it",
            text="Learning Review information is kept permanently, as the national guidance requires. Other "
            "records (notifications that did not proceed, mini and single-agency reviews, request files) are "
            "kept for the periods in our retention schedule, then destroyed or anonymised.",
        ),
        Information(
            article="Art. 15(1)(e)",
            heading="Your rights",
            text="You may ask us to correct inaccurate data (rectification), to erase it, to restrict how we "
            "use it, and you may object to our using it.",
        ),
        Information(
            article="Art. 15(1)(f)",
            heading="Your right to complain",
            text="You may complain to the Information Commissioner's Office: ico.org.uk, telephone 0303 123 "
            "1113, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF.",
        ),
        Information(
            article="Art. 15(1)(g)",
            heading="Where it came from",
            text="Each item names the record and the step in which it was recorded, and who stated it when it "
            "is a statement or an opinion; items not from you came from the agencies and practitioners "
            "taking part in the review.",
        ),
        Information(
            article="Art. 15(1)(h)",
            heading="Automated decisions",
            text="None of this data is used for automated decision-making, including profiling.",
        ),
    )
