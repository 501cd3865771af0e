"""Need to know, told as DOMAIN.md §1.1 has it: who reads which review's personal data, when, and why.

The relations come from the records' own events: each demonstration review is replayed as
its people recorded it, further steps are taken on it (appointments, releases), and the table
is asked about each reader at moments before, during and after their part.
"""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import msgspec
import pytest

from adapters.demo import SCRIPTS, START
from adapters.demo.cast import CAST
from domain.governance.access import ReadPurpose
from domain.governance.ig_handling import AssignOfficers
from domain.governance.need_to_know import (
    COG_ROUTES,
    COMMITTEES,
    TABLE,
    NeedToKnowRefused,
    Part,
    Reach,
    Reader,
    Recorded,
    RecordRelations,
    RequestNotInProgress,
    RequestScope,
    decide,
    markdown_table,
    request_scope,
    team_relations,
)
from domain.governance.sar.request import SubjectAccessRequest, sar_stream
from domain.governance.sar.steps import (
    Capacity,
    CloseOutcome,
    CloseSubjectAccessRequest,
    CollatedItem,
    CollateItems,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
)
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput
from domain.kernel.roles import Acting, Role
from domain.routes.mini.commands import ChangeReviewTeam, TeamMemberAnswers
from domain.routes.mini.commands import TeamRole as MiniTeamRole
from domain.routes.national.commands import ReleaseTeamMember
from domain.routes.national.events import TeamMemberAppointed
from domain.routes.panel.commands import AppointTeamMember, PanelTeamRole
from domain.routes.panel.commands import ReleaseTeamMember as ReleasePanelMember
from domain.routes.registry import ROUTES
from domain.routes.single_agency.commands import ChangeLeadReviewer

ROLES = {m.actor_id: frozenset(m.roles) for m in CAST}
LATER = datetime(2027, 6, 1, tzinfo=UTC)
REVIEWS = {
    "national": "LR-2026-001",
    "mini": "MLR-2026-001",
    "panel": "LIP-2026-001",
    "single": "SALR-2026-001",
}


@cache
def histories() -> dict[str, tuple[Recorded, ...]]:
    """Every demonstration review, step by step as its people recorded it."""
    records: dict[str, Aggregate] = {}
    found: dict[str, list[Recorded]] = {}
    for name in SCRIPTS:
        for step in importlib.import_module(name).steps(START):
            if step.refused:
                continue
            record = records.setdefault(step.reference, step.record_type(step.reference))
            record.execute(step.command, Acting(actor=step.actor, roles=ROLES[step.actor]), step.at)
            found.setdefault(step.reference, []).extend(
                Recorded(event=e, actor=step.actor, at=step.at) for e in record.collect_events()
            )
    return {reference: tuple(events) for reference, events in found.items()}


def then(
    history: tuple[Recorded, ...], reference: str, actor: str, command: Command, at: datetime
) -> tuple[Recorded, ...]:
    """The history with one more step, taken on the record as it stands after `history`."""
    kind = next(k for k in ROUTES.values() if k.commands().get(_name(command)) is type(command))
    record = kind(reference)
    for r in history:
        record.apply(r.event)
    record.execute(command, Acting(actor=actor, roles=ROLES.get(actor, frozenset())), at)
    return (*history, *(Recorded(event=e, actor=actor, at=at) for e in record.collect_events()))


def until(history: tuple[Recorded, ...], event_name: str) -> tuple[Recorded, ...]:
    """The history up to and including the first event of this type (the record still open then)."""
    index = next(i for i, r in enumerate(history) if type(r.event).__name__ == event_name)
    return history[: index + 1]


def _name(command: Command) -> str:
    return str(type(command).__struct_config__.tag)


def reader(actor: str, *roles: Role) -> Reader:
    return Reader(actor=actor, roles=frozenset(roles) if roles else ROLES[actor])


def part(
    who: Reader, of: RecordRelations, at: datetime = LATER, purpose: ReadPurpose = ReadPurpose.REVIEW
) -> Part:
    try:
        return decide(who, of, purpose, at).part
    except NeedToKnowRefused:
        return Part.NONE


# -- the team: appointed, then released ------------------------------------------------------------


def test_a_reviewer_reads_the_national_review_they_are_appointed_to_and_no_other() -> None:
    child = team_relations("LR-2026-001", histories()["LR-2026-001"])
    assert child.route == "national"
    appointed = next(a for a in child.appointments if a.actor == "reviewer")
    assert appointed.part == "reviewer" and appointed.end is None
    assert part(reader("reviewer"), child) is Part.TEAM
    assert part(reader("reviewer"), child, at=appointed.start - timedelta(seconds=1)) is Part.NONE
    # Holding the role `reviewer` gives nothing on a review one is not appointed to.
    assert part(reader("another-reviewer", Role.REVIEWER), child) is Part.NONE
    with pytest.raises(
        NeedToKnowRefused,
        match=r"^LR-2026-001: personal data for the purpose review is refused to another-reviewer: they are not "
        r"appointed to the review's team, nor its route's committee officer or chair$",
    ) as refused:
        decide(reader("another-reviewer", Role.REVIEWER), child, ReadPurpose.REVIEW, LATER)
    assert refused.value.rule.startswith(
        "DOMAIN.md §1.1, need to know: the people appointed to the review's team"
    )


def test_a_national_team_member_released_could_read_before_and_cannot_after() -> None:
    history = until(histories()["LR-2026-001"], "TeamMemberAppointed")
    history = histories()["LR-2026-001"][: len(history) + 3]  # the chair, a member and the reviewer
    member = next(r.event for r in history if isinstance(r.event, TeamMemberAppointed) and r.event.actor_id)
    released_at = (history[-1].at + timedelta(days=5)).replace(hour=9)
    release = ReleaseTeamMember(
        member_id=member.member.subject_id, released_on=released_at.date(), reason="Moved."
    )
    after = team_relations("LR-2026-001", then(history, "LR-2026-001", "cpc-officer", release, released_at))
    assert part(reader("reviewer"), after, at=released_at - timedelta(seconds=1)) is Part.TEAM
    assert part(reader("reviewer"), after, at=released_at) is Part.NONE
    with pytest.raises(
        NeedToKnowRefused,
        match=r"^LR-2026-001: personal data for the purpose review is refused to reviewer: their part on the "
        rf"review's team ended on {released_at.date().isoformat()}$",
    ):
        decide(reader("reviewer"), after, ReadPurpose.REVIEW, LATER)
    # Asked about now (no moment), the record as it stands after its last event answers the same.
    with pytest.raises(NeedToKnowRefused, match=r"their part on the review's team ended on"):
        decide(reader("reviewer"), after, ReadPurpose.REVIEW)
    assert (
        decide(reader("reviewer"), team_relations("LR-2026-001", history), ReadPurpose.REVIEW).part
        is Part.TEAM
    )


def test_the_partnership_lead_and_a_mini_team_member_named_by_actor_id_while_on_the_team() -> None:
    history = histories()["MLR-2026-001"]
    assert part(reader("partnership-lead"), team_relations("MLR-2026-001", history)) is Part.TEAM
    # The change is taken on the review as it stood once its team was appointed.
    open_history = until(history, "ReviewTeamAppointed")
    joined = open_history[-1].at + timedelta(days=2)
    left = joined + timedelta(days=10)
    joining = ChangeReviewTeam(
        changed_on=joined.date(),
        joining=(
            TeamMemberAnswers(
                subject_id="S-NEW-MEMBER",
                name="Jo Member",
                service="Health",
                team_role=MiniTeamRole.MEMBER,
                has_conflict=False,
                declaration="None.",
                actor_id="health-member",
            ),
        ),
        reason="A health perspective.",
    )
    leaving = ChangeReviewTeam(changed_on=left.date(), leaving=("S-NEW-MEMBER",), reason="Moved post.")
    steps = then(open_history, "MLR-2026-001", "partnership-lead", joining, joined)
    steps = then(steps, "MLR-2026-001", "partnership-lead", leaving, left)
    mini = team_relations("MLR-2026-001", steps)
    member = reader("health-member", Role.PARTNERSHIP_MEMBER)
    assert part(member, mini, at=joined - timedelta(seconds=1)) is Part.NONE
    assert part(member, mini, at=joined) is Part.TEAM
    assert part(member, mini, at=left) is Part.NONE


def test_a_panel_team_member_is_appointed_and_released_by_the_head_of_safeguarding() -> None:
    history = histories()["LIP-2026-001"][:-1]  # before the case closed
    on, off = datetime(2026, 3, 10, 9, tzinfo=UTC), datetime(2026, 4, 10, 9, tzinfo=UTC)
    steps = then(
        history,
        "LIP-2026-001",
        "head-safeguarding",
        AppointTeamMember(actor_id="malr-chair", team_role=PanelTeamRole.CHAIR, appointed_on=on.date()),
        on,
    )
    steps = then(
        steps,
        "LIP-2026-001",
        "head-safeguarding",
        ReleasePanelMember(actor_id="malr-chair", released_on=off.date()),
        off,
    )
    panel = team_relations("LIP-2026-001", steps)
    chair = reader("malr-chair", Role.AGENCY_CONTACT)
    assert [part(chair, panel, at=t) for t in (on - timedelta(seconds=1), on, off)] == [
        Part.NONE,
        Part.TEAM,
        Part.NONE,
    ]


def test_a_lead_reviewer_replaced_by_the_cfcig_reads_no_more() -> None:
    history = histories()["SALR-2026-001"]
    single = team_relations("SALR-2026-001", history)
    assert part(reader("lead-reviewer"), single) is Part.TEAM
    proceeding = next(
        i for i, r in enumerate(history) if type(r.event).__name__ == "DecisionToProceedRecorded"
    )
    changed = history[proceeding].at + timedelta(days=3)
    steps = then(
        history[: proceeding + 1],
        "SALR-2026-001",
        "cfcig-chair",
        ChangeLeadReviewer(lead_reviewer="second-lead", changed_on=changed.date()),
        changed,
    )
    after = team_relations("SALR-2026-001", steps)
    assert part(reader("lead-reviewer"), after, at=changed - timedelta(seconds=1)) is Part.TEAM
    assert part(reader("lead-reviewer"), after, at=changed) is Part.NONE
    assert part(reader("second-lead", Role.LEAD_REVIEWER), after, at=changed) is Part.TEAM


# -- the committee, the COG, inspectors, IG officers -------------------------------------------------


@pytest.mark.parametrize("route", sorted(REVIEWS))
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_alone_reads_what_the_table_gives_it_on_each_route(role: Role, route: str) -> None:
    """A person appointed to nothing, holding one role: the committee reads, the COG reads the bases, no one else."""
    of = team_relations(REVIEWS[route], histories()[REVIEWS[route]])
    who = reader("unappointed", role)
    expected = (
        Part.COMMITTEE
        if role in COMMITTEES[route]
        else Part.COG
        if role is Role.COG and route in COG_ROUTES
        else Part.NONE
    )
    assert part(who, of) is expected
    assert part(who, of, purpose=ReadPurpose.INSPECTION) is (
        Part.INSPECTION if role is Role.INSPECTOR else Part.NONE
    )
    if expected is Part.COG:
        assert decide(who, of, ReadPurpose.REVIEW, LATER).reach is Reach.BASES_AND_REPORTS
        assert part(who, of, purpose=ReadPurpose.PUBLICATION) is Part.NONE


def _sar_file(steps: list[tuple[str, Command]]) -> list[Recorded]:
    """A subject access request file (SAR-1) as its officers recorded it, a day a step."""
    sar = SubjectAccessRequest(sar_stream("SAR-1"))
    found: list[Recorded] = []
    for day, (actor, command) in enumerate(steps):
        at = datetime(2026, 11, 2 + day, 10, tzinfo=UTC)
        sar.execute(command, Acting(actor=actor, roles=frozenset({Role.IG_OFFICER})), at)
        found += [Recorded(event=e, actor=actor, at=at) for e in sar.collect_events()]
    return found


RECEIVED = ReceiveSubjectAccessRequest(
    received_on=date(2026, 11, 2),
    channel=RequestChannel.EMAIL,
    requester_id="S-MOTHER",
    subject_id="S-MOTHER",
    capacity=Capacity.DATA_SUBJECT,
    requester_name="A mother",
    request="Everything you hold about me.",
)
SEARCHED = RecordSearch(
    searched_on=date(2026, 11, 3), records=(SearchAnswers(record="LR-2026-001", what="every item about her"),)
)
COLLATED = CollateItems(
    collated_on=date(2026, 11, 4),
    items=(CollatedItem(item_id="LR-2026-001@3/concern", record="LR-2026-001"),),
)
ASSIGNED = AssignOfficers(officers=("ig-officer-2",), reason="Passed on while the first officer is away.")
CLOSED = CloseSubjectAccessRequest(closed_on=date(2026, 11, 6), outcome=CloseOutcome.WITHDRAWN)
SAR_FILE = _sar_file(
    [
        ("ig-officer", RECEIVED),
        ("ig-officer", SEARCHED),
        ("ig-officer", COLLATED),
        ("ig-officer", ASSIGNED),
        ("ig-officer-2", CLOSED),
    ]
)


def test_a_request_is_handled_by_who_opened_it_until_officers_are_assigned_and_its_scope_is_what_it_searched_and_collated() -> (
    None
):
    def scope(day: int) -> RequestScope:
        return request_scope("SAR-1", "sar-SAR-1", SAR_FILE, datetime(2026, 11, day, 12, tzinfo=UTC))

    assert scope(2) == RequestScope(
        request="SAR-1",
        open=True,
        records=frozenset({"sar-SAR-1", "subject-S-MOTHER"}),  # the data subject, who is the requester
        handlers=frozenset({"ig-officer"}),
        file="sar-SAR-1",
    )
    assert scope(3).records == {"sar-SAR-1", "subject-S-MOTHER", "LR-2026-001"}
    # An item is collated only from a record searched; it names no one else here.
    assert scope(4).records == scope(3).records
    assert scope(5).handlers == {"ig-officer-2"} and scope(5).open
    assert not scope(6).open
    assert request_scope("SAR-1", "sar-SAR-1", SAR_FILE, None) == scope(6)


def test_an_ig_officer_reads_records_in_scope_of_an_open_request_they_are_handling() -> None:
    def ig(day: int, who: str, record: str, *, sent_copy: bool = False) -> Part:
        at = datetime(2026, 11, day, 12, tzinfo=UTC)
        scopes = [request_scope("SAR-1", "sar-SAR-1", SAR_FILE, at)]
        relations = RecordRelations(record=record, route=None)
        granted = decide(
            reader(who),
            relations,
            ReadPurpose.IG_REQUEST,
            at,
            ig_request="SAR-1",
            scopes=scopes,
            sent_copy=sent_copy,
        )
        return granted.part

    # Who opened it reads its file and, once searched, the record searched; not a record outside its scope.
    assert ig(2, "ig-officer", "sar-SAR-1") is Part.IG_REQUEST
    with pytest.raises(RequestNotInProgress, match=r"; LR-2026-001 is not in the scope of SAR-1$"):
        ig(2, "ig-officer", "LR-2026-001")
    assert ig(3, "ig-officer", "LR-2026-001") is Part.IG_REQUEST
    with pytest.raises(RequestNotInProgress, match=r"; MLR-2026-001 is not in the scope of SAR-1$"):
        ig(4, "ig-officer", "MLR-2026-001")
    # Another officer does not, until the request is assigned to them; then the first no longer does.
    with pytest.raises(NeedToKnowRefused, match=r"refused to ig-officer-2: they are not handling SAR-1$"):
        ig(4, "ig-officer-2", "LR-2026-001")
    assert ig(5, "ig-officer-2", "LR-2026-001") is Part.IG_REQUEST
    with pytest.raises(NeedToKnowRefused, match=r"refused to ig-officer: they are not handling SAR-1$"):
        ig(5, "ig-officer", "LR-2026-001")
    # Closed: nothing in its scope is read for it, but what was sent stays readable by who handles it.
    with pytest.raises(
        RequestNotInProgress,
        match=r"^LR-2026-001: personal data is read for an information-governance.*; SAR-1 is closed$",
    ):
        ig(6, "ig-officer-2", "LR-2026-001")
    assert ig(6, "ig-officer-2", "sar-SAR-1", sent_copy=True) is Part.IG_SENT_COPY
    with pytest.raises(NeedToKnowRefused, match=r"LR-2026-001 is not the file of SAR-1$"):
        ig(6, "ig-officer-2", "LR-2026-001", sent_copy=True)  # a copy sent is kept with the file alone
    with pytest.raises(
        NeedToKnowRefused, match=r"refused to ig-officer: they are not handling SAR-1$"
    ) as refused:
        ig(6, "ig-officer", "sar-SAR-1", sent_copy=True)
    assert refused.value.part is Part.IG_SENT_COPY
    with pytest.raises(RequestNotInProgress, match=r"; there is no request SAR-1$"):
        decide(
            reader("ig-officer"),
            RecordRelations(record="LR-2026-001", route=None),
            ReadPurpose.IG_REQUEST,
            ig_request="SAR-1",
        )
    with pytest.raises(
        NeedToKnowRefused, match=r"refused to cpc-officer: they are not an information-governance"
    ):
        ig(3, "cpc-officer", "LR-2026-001")


def test_the_people_a_collated_item_names_are_read_by_name_while_the_request_is_open() -> None:
    """The officer deciding whether to release a third party's data sees who they are (DPA 2018
    Sch. 2 Pt. 3 para 16): the register entries of the people the collated items identify are in
    the request's scope while it is open; anyone else's entry, and everything after it closes, is not."""
    named = CollateItems(
        collated_on=date(2026, 11, 4),
        items=(
            CollatedItem(item_id="LR-2026-001@3/concern", record="LR-2026-001", third_parties=("S-CHILD",)),
        ),
    )
    file = _sar_file(
        [
            ("ig-officer", RECEIVED),
            ("ig-officer", SEARCHED),
            ("ig-officer", named),
            ("ig-officer", msgspec.structs.replace(CLOSED, closed_on=date(2026, 11, 5))),
        ]
    )

    def ig(day: int, record: str) -> Part:
        at = datetime(2026, 11, day, 12, tzinfo=UTC)
        scopes = [request_scope("SAR-1", "sar-SAR-1", file, at)]
        relations = RecordRelations(record=record, route=None)
        return decide(
            reader("ig-officer"), relations, ReadPurpose.IG_REQUEST, at, ig_request="SAR-1", scopes=scopes
        ).part

    # From its receipt the request identifies its data subject (here also the requester); a third
    # party is in its scope only once a collated item names them.
    assert ig(3, "subject-S-MOTHER") is Part.IG_REQUEST
    with pytest.raises(RequestNotInProgress, match=r"; subject-S-CHILD is not in the scope of SAR-1$"):
        ig(3, "subject-S-CHILD")
    # Collated: the third party the item names and the data subject are read for the request.
    assert ig(4, "subject-S-CHILD") is Part.IG_REQUEST
    assert ig(4, "subject-S-MOTHER") is Part.IG_REQUEST
    # A person no collated item names stays outside it.
    with pytest.raises(RequestNotInProgress, match=r"; subject-S-NEIGHBOUR is not in the scope of SAR-1$"):
        ig(4, "subject-S-NEIGHBOUR")
    # Closed: the third party's entry is refused like every record in the scope.
    with pytest.raises(RequestNotInProgress, match=r"; SAR-1 is closed$"):
        ig(5, "subject-S-CHILD")


def test_an_assignment_names_at_least_one_officer_each_once_and_says_why() -> None:
    opened = _sar_file([("ig-officer", RECEIVED)])
    assert len(opened) == 1
    with pytest.raises(InvalidInput, match=r"^officers: name at least one IG officer"):
        _sar_file([("ig-officer", RECEIVED), ("ig-officer", AssignOfficers(officers=(), reason="Away."))])
    with pytest.raises(InvalidInput, match=r"^officers: name each officer once$"):
        _sar_file(
            [("ig-officer", RECEIVED), ("ig-officer", AssignOfficers(officers=("a", "a"), reason="Away."))]
        )
    with pytest.raises(InvalidInput, match=r"^reason: must not be empty$"):
        _sar_file([("ig-officer", RECEIVED), ("ig-officer", AssignOfficers(officers=("a",), reason=" "))])


def test_a_read_needs_a_purpose_and_only_an_ig_read_names_a_request() -> None:
    of = team_relations("LR-2026-001", histories()["LR-2026-001"])
    with pytest.raises(InvalidInput, match=r"^purpose: reading personal data needs a purpose"):
        decide(reader("cpc-officer"), of, None, LATER)
    with pytest.raises(InvalidInput, match=r"^request: an information-governance read must name the request"):
        decide(reader("ig-officer"), of, ReadPurpose.IG_REQUEST, LATER)
    with pytest.raises(InvalidInput, match=r"^request: only the purpose ig-request names a request"):
        decide(reader("inspector"), of, ReadPurpose.INSPECTION, LATER, ig_request="SAR-1")


def test_the_table_is_written_down_as_the_code_has_it() -> None:
    assert [row.part for row in TABLE] == list(Part)
    written = markdown_table()
    assert all(row.who in written for row in TABLE)
    assert "national: cpc and cpc_officer" in written
    architecture = (Path(__file__).resolve().parents[2] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert written in architecture


def test_a_requester_acting_for_the_subject_is_identified_by_the_request_from_its_receipt() -> None:
    """A parent asking for their child's data: the officer checks who they are and their authority to
    act, so both register entries are in the scope from the receipt; no one else's is."""
    for_child = msgspec.structs.replace(
        RECEIVED,
        requester_id="S-MOTHER",
        subject_id="S-CHILD",
        capacity=Capacity.PARENT_OR_CARER,
        authority_to_act="Birth certificate naming her as the mother.",
    )
    file = _sar_file([("ig-officer", for_child)])
    scope = request_scope("SAR-1", "sar-SAR-1", file, None)
    assert scope.records == {"sar-SAR-1", "subject-S-MOTHER", "subject-S-CHILD"}
    relations = RecordRelations(record="subject-S-NEIGHBOUR", route=None)
    with pytest.raises(RequestNotInProgress, match=r"; subject-S-NEIGHBOUR is not in the scope of SAR-1$"):
        decide(reader("ig-officer"), relations, ReadPurpose.IG_REQUEST, ig_request="SAR-1", scopes=[scope])
