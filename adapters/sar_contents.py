"""What a subject access response contains (UK GDPR Art. 15; DPA 2018; DOMAIN.md §4).

The pack holds every collated item of the subject's personal data, each opened from the sealed
store (every record opened is written to the access log, naming the request), the Article 15
information, a cover letter saying what was searched, and a redaction log: every decision to
withhold or release, its ground and who took it.

It is written for the requester: other people appear in its items and its redaction log only as
"another person" or "a practitioner", never by name or register id. An item that identifies
someone else whose data is withheld by default (DPA 2018 Sch. 2 Pt. 3 para 16: everyone but
practitioners acting in role, and anyone not on the register) is withheld in whole unless the
file records its release for every such person; a serious-harm passage is withheld once a second
officer confirms it (and, in a draft, while one has still to decide). A withheld value never
enters the pack: the item carries a marker naming the ground instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum

import msgspec

from adapters.application import Application
from adapters.ig_access import RequestReader
from adapters.ledger import Recorded
from domain.event import Personal
from domain.sar_request import SubjectAccessRequest
from domain.sar_steps import (
    Capacity,
    ItemsCollated,
    RecordsSearched,
    RedactionGround,
    RedactionProposed,
    ReleaseBasis,
    ResponseContent,
    SarReceived,
    SeriousHarmConfirmed,
    SeriousHarmDeclined,
    ThirdPartyDataReleased,
)
from domain.subjects import THIRD_PARTY_BY_DEFAULT, DataSubject, SubjectCategory, subject_stream
from projections.fold import describe_type
from projections.subjects import item_at

FORMAT = "reviewledger/sar-pack/v1"

_ITEM_ID = re.compile(r"(?P<stream>[^@]+)@(?P<version>[0-9]+)/(?P<field>.+)")
_REGISTER = re.compile(r"subject-(S-[A-Za-z0-9-]+)")

#: Each ground of withholding in the requester's words, and the law it rests on.
GROUNDS: dict[RedactionGround, tuple[str, str]] = {
    RedactionGround.THIRD_PARTY: ("information about another person", "DPA 2018 Sch. 2 Pt. 3 para 16"),
    RedactionGround.SERIOUS_HARM: (
        "likely to cause serious harm to the physical or mental health of a person",
        "DPA 2018 Sch. 3 Pt. 3 (social work data)",
    ),
    RedactionGround.LEGAL_PROFESSIONAL_PRIVILEGE: (
        "legal professional privilege",
        "DPA 2018 Sch. 2 Pt. 4 para 19",
    ),
    RedactionGround.CRIME: ("the prevention or detection of crime", "DPA 2018 Sch. 2 Pt. 1 para 2"),
}

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


# -- who is a third party ---------------------------------------------------------------------------


class Categories:
    """The register's category of each person asked about (None when they are not on the register)."""

    def __init__(self, app: Application) -> None:
        self._app = app
        self._known: dict[str, SubjectCategory | None] = {}

    def of(self, subject_id: str) -> SubjectCategory | None:
        if subject_id not in self._known:
            record = self._app.load(DataSubject, subject_stream(subject_id), must_exist=False)
            self._known[subject_id] = record.category
        return self._known[subject_id]

    def withheld_by_default(self, subject_id: str) -> bool:
        category = self.of(subject_id)
        return category is None or category in THIRD_PARTY_BY_DEFAULT


def third_parties(
    app: Application,
    people: Iterable[str],
    excluded: Iterable[str],
    categories: Categories | None = None,
) -> tuple[str, ...]:
    """The people among `people` whose data is withheld from someone else's response by default."""
    known = categories or Categories(app)
    leave_out = set(excluded)
    return tuple(p for p in dict.fromkeys(people) if p not in leave_out and known.withheld_by_default(p))


# -- the pack -------------------------------------------------------------------------------------


class ItemStatus(StrEnum):
    DISCLOSED = "disclosed"
    WITHHELD = "withheld"
    DISPOSED = "disposed of"
    NOT_FOUND = "not found"


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


class LogEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One decision to withhold or release part of the pack."""

    number: int
    item_id: str
    ground: str
    law: str
    outcome: str
    decided_by: tuple[str, ...]
    decided_on: date | None = None
    basis: str | None = None  # for a release: consent, or why it is reasonable to disclose
    reasons: str | None = None  # for a release: the reasons recorded


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


class _FileEvents:
    """The request file's own events, opened: who collated, released and decided what."""

    def __init__(self, events: list[Recorded]) -> None:
        self.received: SarReceived | None = None
        self.searches: list[RecordsSearched] = []
        self.collated: dict[str, tuple[str, date]] = {}
        self.releases: dict[tuple[str, str], ThirdPartyDataReleased] = {}
        self.proposals: dict[int, tuple[Recorded, RedactionProposed]] = {}
        self.second_officer: dict[int, Recorded] = {}
        for recorded in events:
            match recorded.event:
                case SarReceived() as e:
                    self.received = e
                case RecordsSearched() as e:
                    self.searches.append(e)
                case ItemsCollated() as e:
                    self.collated.update({item.item_id: (e.actor, e.collated_on) for item in e.items})
                case ThirdPartyDataReleased() as e:
                    self.releases[(e.item_id, e.third_party)] = e
                case RedactionProposed() as e:
                    self.proposals[e.redaction] = (recorded, e)
                case SeriousHarmConfirmed() | SeriousHarmDeclined() as e:
                    self.second_officer[e.redaction] = recorded


def assemble(
    app: Application, sar: SubjectAccessRequest, actor: str, *, prepared_on: date, draft: bool
) -> Pack:
    """The pack for `sar` as its file stands, opened for `actor` (an IG officer)."""
    reference = sar.reference.removeprefix("sar-")
    reader = RequestReader(app, actor=actor, request=reference)
    file = _FileEvents(reader.events(sar.reference))
    subject, requester = sar.subject_id, sar.requester_id
    categories = Categories(app)
    log: list[LogEntry] = []
    items: list[PackItem] = []
    for collated in sar.items.values():
        found = _open_item(reader, collated.item_id)
        about: tuple[str, ...] = found[1].about if found else ()
        by = found[1].by if found else None
        people = (*collated.third_parties, *about, *((by,) if by else ()))
        entries = _third_party_entries(
            collated.item_id,
            third_parties(app, people, (s for s in (subject, requester) if s), categories),
            file,
            start=len(log) + 1,
        )
        entries += _proposal_entries(collated.item_id, sar, file, start=len(log) + len(entries) + 1)
        log.extend(entries)
        withheld = [e for e in entries if e.outcome.startswith("withheld")]
        items.append(_pack_item(collated.item_id, found, withheld, subject, requester, categories))
    letter = _cover_letter(reference, sar, file, items)
    own = {s for s in (subject, requester) if s}
    items = [
        msgspec.structs.replace(
            i, item_id=_hide_register(i.item_id, own), record=_hide_register(i.record, own)
        )
        for i in items
    ]
    log = [msgspec.structs.replace(e, item_id=_hide_register(e.item_id, own)) for e in log]
    searched = tuple(
        msgspec.structs.replace(e, record=_hide_register(e.record, own)) for e in letter.searched
    )
    paragraphs = tuple(_hide_register(p, own) for p in letter.paragraphs)
    letter = msgspec.structs.replace(letter, searched=searched, paragraphs=paragraphs)
    return Pack(
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


def _hide_register(text: str, own: set[str]) -> str:
    """Another person's register entry, named without their register id."""
    return _REGISTER.sub(lambda m: m[0] if m[1] in own else "another person's register entry", text)


def _open_item(reader: RequestReader, item_id: str) -> tuple[Recorded, Personal] | None:
    match = _ITEM_ID.fullmatch(item_id)
    if match is None:
        return None
    version = int(match["version"])
    for recorded in reader.events(match["stream"]):
        if recorded.version == version:
            item = item_at(recorded.event, match["field"])
            return None if item is None else (recorded, item)
    return None


def _third_party_entries(
    item_id: str, people: tuple[str, ...], file: _FileEvents, *, start: int
) -> list[LogEntry]:
    words, law = GROUNDS[RedactionGround.THIRD_PARTY]
    entries: list[LogEntry] = []
    for person in people:
        number = start + len(entries)
        event = file.releases.get((item_id, person))
        if event is None:
            actor, on = file.collated.get(item_id, ("the default rule", None))
            entries.append(
                LogEntry(
                    number=number,
                    item_id=item_id,
                    ground=words,
                    law=law,
                    outcome="withheld (by default)",
                    decided_by=(actor,),
                    decided_on=on,
                )
            )
            continue
        basis = (
            f"consent given on {event.consent_given_on}"
            if event.basis is ReleaseBasis.CONSENT
            else "reasonable to disclose without consent"
        )
        entries.append(
            LogEntry(
                number=number,
                item_id=item_id,
                ground=words,
                law=law,
                outcome="released",
                decided_by=(event.actor,),
                decided_on=event.at.date(),
                basis=basis,
                reasons=event.reasons.value,
            )
        )
    return entries


def _proposal_entries(
    item_id: str, sar: SubjectAccessRequest, file: _FileEvents, *, start: int
) -> list[LogEntry]:
    entries: list[LogEntry] = []
    for number, redaction in sorted(sar.redactions.items()):
        if redaction.item_id != item_id:
            continue
        _, proposal = file.proposals[number]
        words, law = GROUNDS[redaction.ground]
        decided_by: tuple[str, ...] = (proposal.actor,)
        decided_on = proposal.at.date()
        second = file.second_officer.get(number)
        if second is not None:
            decided_by += (second.actor,)
            decided_on = second.time.date()
        if redaction.ground is not RedactionGround.SERIOUS_HARM:
            outcome = "withheld"
        elif second is None:
            outcome = "withheld until a second officer decides"
        elif isinstance(second.event, SeriousHarmConfirmed):
            outcome = "withheld: confirmed by a second officer"
        else:
            outcome = "not withheld: a second officer declined it"
        entries.append(
            LogEntry(
                number=start + len(entries),
                item_id=item_id,
                ground=words,
                law=law,
                outcome=outcome,
                decided_by=decided_by,
                decided_on=decided_on,
            )
        )
    return entries


def _pack_item(
    item_id: str,
    found: tuple[Recorded, Personal] | None,
    withheld: list[LogEntry],
    subject: str | None,
    requester: str | None,
    categories: Categories,
) -> PackItem:
    match = _ITEM_ID.fullmatch(item_id)
    record = match["stream"] if match else ""
    field = match["field"] if match else ""
    if found is None:
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
    recorded, personal = found
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
        status=ItemStatus.DISCLOSED,
        redactions=tuple(e.number for e in withheld),
    )
    if personal.value is None:
        disposed = recorded.disposed
        note = (
            f"disposed of on {disposed.at.date().isoformat()} under {disposed.rule}"
            if disposed is not None
            else "this item is no longer held"
        )
        return msgspec.structs.replace(item, status=ItemStatus.DISPOSED, note=note)
    if withheld:
        return msgspec.structs.replace(item, status=ItemStatus.WITHHELD, note=marker(withheld))
    return msgspec.structs.replace(item, value=personal.value)


def marker(withheld: list[LogEntry]) -> str:
    """The visible marker of a withheld item: each ground, its law, and the log entries."""
    grounds = ", ".join(dict.fromkeys(f"{e.ground} ({e.law})" for e in withheld))
    numbers = ", ".join(str(e.number) for e in withheld)
    return f"[withheld: {grounds}; redaction log {numbers}]"


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
    reference: str, sar: SubjectAccessRequest, file: _FileEvents, items: list[PackItem]
) -> CoverLetter:
    received = file.received
    searched = tuple(
        SearchedEntry(record=r.record, what=r.what.value, searched_on=search.searched_on)
        for search in file.searches
        for r in search.records
    )
    terms = tuple(dict.fromkeys(t.value for s in file.searches for t in s.terms if t.value))
    count = {status: sum(i.status is status for i in items) for status in ItemStatus}
    paragraphs = [
        f"This is our response to your subject access request of {sar.received_on}, our reference {reference}.",
    ]
    if received is not None and received.capacity is not Capacity.DATA_SUBJECT:
        paragraphs.append(
            f"You asked as {_CAPACITY[received.capacity]} for the personal data of the person you act for; "
            "this pack holds that person's data."
        )
    records = ", ".join(dict.fromkeys(s.record for s in searched)) or "none"
    paragraphs += [
        f"We searched these records for every item of personal data about the data subject, including "
        f"opinions about them and statements they made: {records}. What we searched in each is listed below.",
        f"This pack holds {len(items)} items: {count[ItemStatus.DISCLOSED]} given in full, "
        f"{count[ItemStatus.WITHHELD]} withheld, and {count[ItemStatus.DISPOSED]} disposed of under our "
        "retention schedule before your request."
        + (
            f" {count[ItemStatus.NOT_FOUND]} could not be found in the record."
            if count[ItemStatus.NOT_FOUND]
            else ""
        ),
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
        items=len(items),
        disclosed=count[ItemStatus.DISCLOSED],
        withheld=count[ItemStatus.WITHHELD],
        disposed=count[ItemStatus.DISPOSED],
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
