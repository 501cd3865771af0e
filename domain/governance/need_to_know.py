"""Who may read which record's personal data, and why: one table and one decision (DOMAIN.md §1.1).

Roles say what a person may *record*; reading personal data needs a reason tied to the record
(UK GDPR Art. 5(1)(c) and (f)). The reasons are relations a record's own events create:

- a review's team: each route's appointment and release events (`team_relations`), so a person
  reads the review only while they hold their part on it;
- the committee's officer and chair for the route, while they hold that role;
- the COG: the bases of decisions and the reports presented to it, on the routes that report to it;
- an IG officer: the records in the scope of a request they are handling, while it is open
  (`request_scope`: the request file's own events decide who handles it, `domain.governance.ig_handling`,
  what is in its scope and whether it is open; a subject access request's scope takes in the register
  entries of the people its collated items identify); after it closes, the copy they sent, as sent;
- an inspector: every review, read-only, for the purpose "inspection".

Anyone else reads the record with its personal values withheld. `decide` answers "may this person
read this record's personal data at this moment, for this purpose?" from those relations alone;
as every relation is a dated event, the same call answers "could they read it then?".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

import msgspec

from domain.governance.access import ReadPurpose
from domain.governance.foi.file import FOI_STREAM_PREFIX
from domain.governance.foi.request import FoiRequest
from domain.governance.sar.request import SAR_STREAM_PREFIX, SubjectAccessRequest
from domain.governance.subjects import subject_stream
from domain.kernel.errors import InvalidInput, NotAuthorised, ReviewledgerError
from domain.kernel.event import DomainEvent, type_name
from domain.kernel.roles import Role
from domain.routes.mini.events import RequestFormSubmitted, ReviewTeamAppointed, ReviewTeamChanged
from domain.routes.national.events import TeamMemberAppointed, TeamMemberReleased
from domain.routes.panel.events import TeamMemberAppointed as PanelTeamMemberAppointed
from domain.routes.panel.events import TeamMemberReleased as PanelTeamMemberReleased
from domain.routes.single_agency.events import DecisionToProceedRecorded, LeadReviewerChanged


class Part(StrEnum):
    """The relation that gives a person a reason to read a record's personal data."""

    TEAM = "team"  # appointed to the review's team
    COMMITTEE = "committee"  # the committee's officer or chair for the review's route
    COG = "cog"  # the Chief Officers Group
    IG_REQUEST = "ig-request"  # an IG officer handling a request with the record in its scope
    IG_SENT_COPY = "ig-sent-copy"  # an IG officer handling a request, reading the copy sent
    INSPECTION = "inspection"  # an inspector
    NONE = "none"  # no relation: the record with its personal values withheld


class Reach(StrEnum):
    """How much of the record's personal data a part reads."""

    EVERYTHING = "every personal value"
    BASES_AND_REPORTS = "the bases of decisions and the reports presented to the COG"
    SENT_COPY = "the copy sent to the requester, as it was sent"
    NOTHING = "no personal value"


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the table: who, what they read, while when, for which purpose."""

    part: Part
    who: str
    reads: Reach
    when: str
    purposes: tuple[ReadPurpose, ...]


#: The need-to-know table (DOMAIN.md §1.1), as `decide` applies it.
TABLE: tuple[Rule, ...] = (
    Rule(
        part=Part.TEAM,
        who="the people appointed to the review's team (chair, members, reviewers, administrator, "
        "lead reviewer, partnership lead)",
        reads=Reach.EVERYTHING,
        when="from their appointment until their release",
        purposes=(ReadPurpose.REVIEW, ReadPurpose.PUBLICATION),
    ),
    Rule(
        part=Part.COMMITTEE,
        who="the committee's officer and chair for the review's route",
        reads=Reach.EVERYTHING,
        when="while they hold that role",
        purposes=(ReadPurpose.REVIEW, ReadPurpose.PUBLICATION),
    ),
    Rule(
        part=Part.COG,
        who="the Chief Officers Group, for the routes that report to it",
        reads=Reach.BASES_AND_REPORTS,
        when="while they hold that role",
        purposes=(ReadPurpose.REVIEW,),
    ),
    Rule(
        part=Part.IG_REQUEST,
        who="an IG officer handling a subject access or FOI request (the officer who opened it, or "
        "the officers last assigned to it) with the record in its scope (the request file, the records "
        "searched or collated for it, and the register entries of the people it identifies: from its receipt "
        "the data subject and the requester, and each third party a collated item names)",
        reads=Reach.EVERYTHING,
        when="while the request is open",
        purposes=(ReadPurpose.IG_REQUEST,),
    ),
    Rule(
        part=Part.IG_SENT_COPY,
        who="an IG officer handling a subject access or FOI request, for the documents sent in answer",
        reads=Reach.SENT_COPY,
        when="open or closed, while the copy is kept: it reads what the requester was given, nothing more",
        purposes=(ReadPurpose.IG_REQUEST,),
    ),
    Rule(
        part=Part.INSPECTION,
        who="an inspector, read-only, every review",
        reads=Reach.EVERYTHING,
        when="while they hold that role",
        purposes=(ReadPurpose.INSPECTION,),
    ),
    Rule(
        part=Part.NONE,
        who="anyone else",
        reads=Reach.NOTHING,
        when="always: the record with its personal values withheld",
        purposes=(),
    ),
)

#: Each route's committee: its officer and chair (DOMAIN.md §1.1; seeds 000-004).
COMMITTEES: dict[str, frozenset[Role]] = {
    "national": frozenset({Role.CPC_OFFICER, Role.CPC}),
    "mini": frozenset({Role.DELIVERY_GROUP, Role.LEAD_OFFICER}),
    "panel": frozenset({Role.HEAD_OF_SAFEGUARDING}),
    "single": frozenset({Role.SERVICE_MANAGER, Role.CFCIG}),
}

#: The routes whose reviews report to the COG: national (seed 001: COG informed, signs off, decides
#: publication) and mini (seed 000 §4: feedback to the COG). Panel and single-agency do not.
COG_ROUTES: frozenset[str] = frozenset({"national", "mini"})


def rule_text(part: Part) -> str:
    """The row of the table for `part`, in one line: who reads what, when."""
    row = next(r for r in TABLE if r.part is part)
    return f"DOMAIN.md §1.1, need to know: {row.who} read {row.reads}, {row.when}"


# -- relations, from the record's events --------------------------------------------------------


class Recorded(msgspec.Struct, frozen=True, kw_only=True):
    """One stored event as the relations need it: what, who signed it, when."""

    event: DomainEvent
    actor: str
    at: datetime


class Appointment(msgspec.Struct, frozen=True, kw_only=True):
    """A person's part on a review's team, from the event that appointed them to the one that released them."""

    actor: str
    part: str  # e.g. "chair", "reviewer", "lead reviewer", "partnership lead"
    start: datetime
    end: datetime | None = None

    def holds_at(self, at: datetime | None) -> bool:
        """Whether the part is held at `at`; None: as the record stands now, after its last event."""
        if at is None:
            return self.end is None
        return self.start <= at and (self.end is None or at < self.end)


class RecordRelations(msgspec.Struct, frozen=True, kw_only=True):
    """What a review's events say about who is related to it."""

    record: str
    route: str | None  # national, mini, panel, single; None for a record that is not a review
    appointments: tuple[Appointment, ...] = ()


def route_of(events: Sequence[Recorded]) -> str | None:
    """The review's route, from its first event's stable name (e.g. `national.notification-received`)."""
    if not events:
        return None
    prefix = type_name(type(events[0].event)).partition(".")[0]
    return prefix if prefix in COMMITTEES else None


def team_relations(record: str, events: Sequence[Recorded]) -> RecordRelations:
    """Every appointment to the review's team, each closed by its release, read from the events."""
    open_: dict[str, Appointment] = {}  # key: the member's subject id, or the actor id
    closed: list[Appointment] = []

    def start(key: str, actor: str | None, part: str, at: datetime) -> None:
        if actor:
            end(key, at)
            open_[key] = Appointment(actor=actor, part=part, start=at)

    def end(key: str, at: datetime) -> None:
        found = open_.pop(key, None)
        if found is not None:
            closed.append(msgspec.structs.replace(found, end=at))

    for r in events:
        e = r.event
        match e:
            case TeamMemberAppointed():  # national
                start(e.member.subject_id, e.actor_id, str(e.team_role), r.at)
            case TeamMemberReleased():
                end(e.member_id, r.at)
            case RequestFormSubmitted():  # mini: the Partnership Lead submits the request form
                start("partnership-lead", r.actor, "partnership lead", r.at)
            case ReviewTeamAppointed():
                for m in e.members:
                    start(m.subject_id, m.actor_id, str(m.team_role), r.at)
            case ReviewTeamChanged():
                for subject in e.leaving:
                    end(subject, r.at)
                for m in e.joining:
                    start(m.subject_id, m.actor_id, str(m.team_role), r.at)
            case PanelTeamMemberAppointed():
                start(e.actor_id, e.actor_id, str(e.team_role), r.at)
            case PanelTeamMemberReleased():
                end(e.actor_id, r.at)
            case DecisionToProceedRecorded():  # single-agency: the CFCIG identifies the lead reviewer
                start("lead-reviewer", e.lead_reviewer, "lead reviewer", r.at)
            case LeadReviewerChanged():
                start("lead-reviewer", e.lead_reviewer, "lead reviewer", r.at)
            case _:
                pass
    return RecordRelations(record=record, route=route_of(events), appointments=(*closed, *open_.values()))


class RequestScope(msgspec.Struct, frozen=True, kw_only=True):
    """A subject access or FOI request as it stood at a moment: open or not, its scope, who handles it."""

    request: str
    open: bool
    records: frozenset[
        str
    ]  # the request file, the records searched or collated, the people's register entries
    handlers: frozenset[str]  # the officer who opened it, or the officers last assigned to it
    file: str = ""  # the request file's stream, where the documents sent in answer are kept


def request_scope(request: str, stream: str, events: Sequence[Recorded], at: datetime | None) -> RequestScope:
    """The request file `stream` as it stood at `at`, or now (None): its own events decide."""
    until = [r.event for r in events if at is None or r.at <= at]
    file: SubjectAccessRequest | FoiRequest
    if stream.startswith(SAR_STREAM_PREFIX):
        file = SubjectAccessRequest.replay(stream, until)
        scope = {*file.records_in_scope, *(item.record for item in file.items.values())}
        scope |= {subject_stream(person) for person in identified_by_request(file)}
    else:
        file = FoiRequest.replay(stream, until)
        scope = set(file.records_in_scope)
    return RequestScope(
        request=request,
        open=file.is_open,
        records=frozenset({stream, *scope}),
        handlers=frozenset(file.officers),
        file=stream,
    )


def identified_by_request(file: SubjectAccessRequest) -> frozenset[str]:
    """The people the request identifies, whose register entries are in its scope: from its receipt
    the data subject (the officer searches the records for them) and the requester (whose identity,
    and authority to act for the subject, the officer checks); once items are collated, each third
    party an item names, so the officer decides about releasing their data knowing who they are
    (DPA 2018 Sch. 2 Pt. 3 para 16). A person no item names stays outside it."""
    people = {person for item in file.items.values() for person in item.third_parties}
    people |= {person for person in (file.subject_id, file.requester_id) if person is not None}
    return frozenset(people)


def request_streams(request: str) -> tuple[str, str]:
    """The two files a request reference may name: a subject access request's, an FOI request's."""
    return SAR_STREAM_PREFIX + request, FOI_STREAM_PREFIX + request


# -- the decision ---------------------------------------------------------------------------------


class Reader(msgspec.Struct, frozen=True, kw_only=True):
    """The person asking, with the roles they held at the moment asked about."""

    actor: str
    roles: frozenset[Role] = frozenset()


class Granted(msgspec.Struct, frozen=True, kw_only=True):
    """A read allowed: by which part, how much of the record, for which purpose."""

    part: Part
    reach: Reach
    purpose: ReadPurpose
    rule: str


class NeedToKnowRefused(NotAuthorised):
    """No relation gives this person a reason to read this record's personal data for this purpose."""

    def __init__(self, reader: str, record: str, purpose: ReadPurpose, part: Part, why: str) -> None:
        ReviewledgerError.__init__(
            self, f"{record}: personal data for the purpose {purpose} is refused to {reader}: {why}"
        )
        self.actor = reader
        self.needs = part.value
        self.action = f"personal data for the purpose {purpose}"
        self.record = record
        self.rule = rule_text(part)
        self.part = part
        self.why = why  # the relation that is missing, in words


class RequestNotInProgress(NeedToKnowRefused):
    """The named request is not one in progress with this record in its scope."""

    def __init__(self, reader: str, request: str, record: str, why: str = "") -> None:
        NeedToKnowRefused.__init__(self, reader, record, ReadPurpose.IG_REQUEST, Part.IG_REQUEST, "")
        ReviewledgerError.__init__(
            self,
            f"{record}: personal data is read for an information-governance request only while the request "
            f"is in progress and has this record in its scope; {why or f'{request} is not such a request'}",
        )
        self.why = why or f"{request} is not such a request"


def decide(
    reader: Reader,
    relations: RecordRelations,
    purpose: ReadPurpose | None,
    at: datetime | None = None,
    *,
    ig_request: str | None = None,
    scopes: Iterable[RequestScope] = (),
    sent_copy: bool = False,
) -> Granted:
    """May `reader` read the personal data of `relations.record` at `at` (None: now), for `purpose`? Raises if not.

    `scopes` are the request files the named `ig_request` may be (as at `at`). `reader.roles` are
    the roles held at that moment. `sent_copy`: the read is of a document sent in answer to the
    request, kept with the request file `relations.record`.
    """
    if purpose is None:
        raise InvalidInput(
            "purpose", f"reading personal data needs a purpose: one of {', '.join(ReadPurpose)}"
        )
    if purpose is ReadPurpose.IG_REQUEST and not ig_request:
        raise InvalidInput("request", "an information-governance read must name the request it answers")
    if purpose is not ReadPurpose.IG_REQUEST and ig_request:
        raise InvalidInput("request", f"only the purpose {ReadPurpose.IG_REQUEST} names a request")
    record = relations.record
    if purpose is ReadPurpose.INSPECTION:
        if Role.INSPECTOR not in reader.roles:
            raise NeedToKnowRefused(
                reader.actor, record, purpose, Part.INSPECTION, "they are not an inspector"
            )
        return _granted(Part.INSPECTION, purpose)
    if purpose is ReadPurpose.IG_REQUEST:
        assert ig_request is not None
        return _for_the_request(reader, record, ig_request, list(scopes), sent_copy=sent_copy)
    return _for_the_review(reader, relations, purpose, at)


def _for_the_request(
    reader: Reader, record: str, request: str, scopes: list[RequestScope], *, sent_copy: bool
) -> Granted:
    """The IG rows: an officer handling the request; the record in its scope; the request open,
    but for the documents sent in answer, which the officers handling it read open or closed."""
    purpose = ReadPurpose.IG_REQUEST
    if Role.IG_OFFICER not in reader.roles:
        why = "they are not an information-governance officer"
        raise NeedToKnowRefused(reader.actor, record, purpose, Part.IG_REQUEST, why)
    if not scopes:
        raise RequestNotInProgress(reader.actor, request, record, f"there is no request {request}")
    handling = [s for s in scopes if reader.actor in s.handlers]
    if not handling:
        part = Part.IG_SENT_COPY if sent_copy else Part.IG_REQUEST
        raise NeedToKnowRefused(reader.actor, record, purpose, part, f"they are not handling {request}")
    if sent_copy:
        # What was sent is already the requester's: reading it again opens nothing else.
        if not any(record == s.file for s in handling):
            why = f"{record} is not the file of {request}"
            raise NeedToKnowRefused(reader.actor, record, purpose, Part.IG_SENT_COPY, why)
        return _granted(Part.IG_SENT_COPY, purpose)
    in_scope = [s for s in handling if record in s.records]
    if not in_scope:
        why = f"{record} is not in the scope of {request}"
        raise RequestNotInProgress(reader.actor, request, record, why)
    if not any(s.open for s in in_scope):
        raise RequestNotInProgress(reader.actor, request, record, f"{request} is closed")
    return _granted(Part.IG_REQUEST, purpose)


def _for_the_review(
    reader: Reader, relations: RecordRelations, purpose: ReadPurpose, at: datetime | None
) -> Granted:
    mine = [a for a in relations.appointments if a.actor == reader.actor]
    if any(a.holds_at(at) for a in mine):
        return _granted(Part.TEAM, purpose)
    route = relations.route
    if route is not None and COMMITTEES[route] & reader.roles:
        return _granted(Part.COMMITTEE, purpose)
    if route in COG_ROUTES and Role.COG in reader.roles and purpose is ReadPurpose.REVIEW:
        return _granted(Part.COG, purpose)
    ended = [a.end for a in mine if a.end is not None and (at is None or a.end <= at)]
    if ended:
        why = f"their part on the review's team ended on {max(ended).date().isoformat()}"
    elif at is not None and any(a.start > at for a in mine):
        why = "they were not yet appointed to the review's team"
    else:
        why = "they are not appointed to the review's team, nor its route's committee officer or chair"
    raise NeedToKnowRefused(reader.actor, relations.record, purpose, Part.TEAM, why)


def _granted(part: Part, purpose: ReadPurpose) -> Granted:
    row = next(r for r in TABLE if r.part is part)
    return Granted(part=part, reach=row.reads, purpose=purpose, rule=rule_text(part))


def markdown_table() -> str:
    """The table as ARCHITECTURE.md shows it."""
    lines = ["| part | who | reads | when | purposes |", "|---|---|---|---|---|"]
    for row in TABLE:
        purposes = ", ".join(f"`{p}`" for p in row.purposes) or "—"
        lines.append(f"| {row.part} | {row.who} | {row.reads} | {row.when} | {purposes} |")
    committees = ", ".join(
        f"{route}: {' and '.join(sorted(r.value for r in roles))}" for route, roles in COMMITTEES.items()
    )
    lines.append("")
    lines.append(f"Committees by route: {committees}. The COG's routes: {', '.join(sorted(COG_ROUTES))}.")
    return "\n".join(lines) + "\n"
