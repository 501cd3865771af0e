"""No sequence of steps, by anyone, brings a National Learning Review into a forbidden state.

A state machine drives one review with random commands from random people, mixed with
the next step of an ordinary review so that runs reach sign-off, publication and closure.
After every step it checks the whole history against the procedure's invariants, and
that a refused step left the record exactly as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.kernel.command import Command
from domain.kernel.errors import ReviewledgerError
from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting, Role
from domain.routes.national.commands import (
    AgreeActionPlan,
    AgreeFamilyLiaisonStrategy,
    AgreeTorAmendment,
    AppointTeamMember,
    CarryOverAction,
    CheckParallelProcess,
    CloseReview,
    CompleteChildDeathDataset,
    DecideNotToInvolveFamily,
    DecideNotToProceed,
    DecidePublication,
    DecideToProceed,
    DeclineTorAmendment,
    DraftReportVersion,
    InformCog,
    LinkReview,
    MakeRecommendation,
    MergeChronologies,
    NameAgencyContact,
    NotifyCareInspectorate,
    PassToNominatedPerson,
    PauseReview,
    PresentReport,
    ProposeTorAmendment,
    PublishLearningSeparately,
    PublishReport,
    ReceiveChronology,
    ReceiveNotification,
    RecommendPublication,
    RecordActionProgress,
    RecordAgencyNonReturn,
    RecordAgencyReturn,
    RecordAlternativeApproach,
    RecordDissemination,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    RecordEmergingLearning,
    RecordFamilyContact,
    RecordFamilyFeedback,
    RecordFamilyFeedbackOnConclusion,
    RecordFamilyFeedbackOnProcess,
    RecordFamilyGroupMember,
    RecordFamilyInformed,
    RecordFamilyViewsOnPublication,
    RecordMediaApproach,
    RecordNoPractitionerEvent,
    RecordPoliceLiaison,
    RecordPractitionerEvent,
    RecordProceedingsLiaison,
    RecordTeamMeeting,
    ReleaseTeamMember,
    ReportDelay,
    RequestChronology,
    RequestInformation,
    ResumeReview,
    SendNotificationResponse,
    SendReportToCareInspectorate,
    SignOffReportForCog,
    SignOffReportForCommittee,
    TagLearningThemes,
)
from domain.routes.national.events import (
    ActionCarriedOver,
    DecisionNotToProceedRecorded,
    DecisionToProceedRecorded,
    ParallelProcessChecked,
    PoliceLiaisonRecorded,
    ProceedingsLiaisonRecorded,
    ReportPresented,
    TeamMemberAppointed,
    TorAmendmentAgreed,
    TorAmendmentDeclined,
    TorAmendmentProposed,
)
from domain.routes.national.events_reporting import (
    ActionExceptionReported,
    ActionSignedOff,
    PublicationDecided,
    ReportPublished,
    ReportSignedOffByCog,
    ReportSignedOffByCommittee,
    ReportVersionDrafted,
    ReportVersionDraftedV2,
    ReviewClosed,
)
from domain.routes.national.forms import (
    LIAISON_FOR,
    REPORT_CONTENTS,
    ActionInput,
    Body,
    ChronologyEntryInput,
    DisseminationKind,
    FamilyMemberDetails,
    LiaisonBody,
    PersonDetails,
    PractitionerDetails,
    Proceeding,
    ProceedingState,
    PublicationChoice,
    SectionInput,
    SectionKind,
    StrategyInput,
    TeamRole,
)
from domain.routes.national.review import NationalReview
from domain.routes.shared.actions import AssignActionOwner, ReportActionException, SignOffAction

ACTORS = (
    Acting(actor="cpc-officer", roles=frozenset({Role.CPC_OFFICER})),
    Acting(actor="cpc-chair", roles=frozenset({Role.CPC})),
    Acting(actor="cog-chair", roles=frozenset({Role.COG})),
    Acting(actor="reviewer", roles=frozenset({Role.REVIEWER})),
    Acting(actor="inspector", roles=frozenset({Role.INSPECTOR})),
    Acting(actor="agency-contact", roles=frozenset({Role.AGENCY_CONTACT})),
    Acting(
        actor="everyone",
        roles=frozenset({Role.CPC_OFFICER, Role.CPC, Role.COG, Role.REVIEWER, Role.AGENCY_CONTACT}),
    ),
)
OFFICER, COMMITTEE, COG, REVIEWER = ACTORS[:4]
EVERYONE = ACTORS[-1]
CHILD, PARENT = "S-P-CHILD", "S-P-PARENT"
MEMBERS = ("S-P-A", "S-P-B", "S-P-C", "S-P-D")
AGENCIES = ("Police Scotland", "NHS", "Education")
CHOICES = tuple(PublicationChoice)
SECTIONS = (SectionInput(heading=SectionKind.LEARNING, text="What was learned."),)
FULL_REPORT = tuple(SectionInput(heading=kind, text="It says.") for kind in REPORT_CONTENTS)
AUDIENCES = ("practitioners and first-line managers", "strategic managers")
#: The actors the plans appoint to the team: the Reviewer and the Administrator record their own steps.
ACTOR_OF = {"S-P-B": "reviewer", "S-P-C": "cpc-officer", "S-P-A": "everyone"}
STRATEGY = StrategyInput(case_for_change="c", learning="l", evidence="e", responsible="CPC", review="r")

Draw = Callable[[st.SearchStrategy[Any]], Any]
Factory = Callable[[Draw, date], Command]


def _notification(draw: Draw, on: date) -> Command:
    return ReceiveNotification(
        subject_group=draw(st.sampled_from(("child", "adult"))),
        received_on=on,
        subject=PersonDetails(subject_id=CHILD, name="Fictional Child"),
        notifier=PractitionerDetails(subject_id="S-P-NOTIFIER", name="Notifier", agency="Police Scotland"),
        reasons="Reasons.",
        escalated_from=draw(st.sampled_from((None, "MLR-2026-001"))),
    )


def _recommendation(draw: Draw, on: date) -> Command:
    return MakeRecommendation(
        recommendation=draw(st.sampled_from(("proceed", "not proceed"))),
        made_on=on,
        reasons="Reasons.",
        proposed_terms_of_reference=draw(st.sampled_from((None, "Terms."))),
        alternative_approach=draw(st.sampled_from((None, "Audit."))),
    )


def _appoint(draw: Draw, on: date) -> Command:
    return AppointTeamMember(
        member=PractitionerDetails(
            subject_id=draw(st.sampled_from(MEMBERS)), name="Member", agency="Council"
        ),
        team_role=draw(st.sampled_from(tuple(TeamRole))),
        appointed_on=on,
        direct_involvement=draw(st.booleans()),
        declaration="Declared.",
        change_reason=draw(st.sampled_from((None, "Needed."))),
        actor_id=draw(st.sampled_from((None, "reviewer", "cpc-officer", "everyone"))),
    )


def _decide_publication(draw: Draw, on: date) -> Command:
    exceptional = draw(st.booleans())
    return DecidePublication(
        decision=draw(st.sampled_from(CHOICES)),
        decided_on=on,
        basis="Basis.",
        exceptional_circumstances="Small community." if exceptional else None,
        cog_minute=draw(st.sampled_from((None, "COG minute 4"))) if exceptional else None,
    )


def _version(draw: Draw) -> int:
    return int(draw(st.integers(min_value=0, max_value=3)))


FACTORIES: dict[str, Factory] = {
    "notification": _notification,
    "pass": lambda draw, on: PassToNominatedPerson(passed_on=on, nominee="sub-group"),
    "request": lambda draw, on: RequestInformation(
        agencies=(draw(st.sampled_from(AGENCIES)),), requested_on=on
    ),
    "return": lambda draw, on: RecordAgencyReturn(
        agency=draw(st.sampled_from(AGENCIES)),
        received_on=on,
        author="S-P-NOTIFIER",
        involvement="i",
        initial_reflection="r",
    ),
    "recommend": _recommendation,
    "proceed": lambda draw, on: DecideToProceed(
        decided_on=on, basis="b", terms_of_reference=draw(st.sampled_from((None, "Terms.")))
    ),
    "not-proceed": lambda draw, on: DecideNotToProceed(decided_on=on, basis="b"),
    "inform-cog": lambda draw, on: InformCog(informed_on=on),
    "response": lambda draw, on: SendNotificationResponse(sent_on=on),
    "care-inspectorate": lambda draw, on: NotifyCareInspectorate(notified_on=on),
    "media": lambda draw, on: RecordMediaApproach(agreed_on=on, approach="Reactive."),
    "alternative": lambda draw, on: RecordAlternativeApproach(
        agreed_on=on, approach="Audit.", lead_agency="NHS"
    ),
    "link": lambda draw, on: LinkReview(
        linked_reference=draw(st.sampled_from(("LR-2025-1", "LR-2025-2"))), relationship="related"
    ),
    "appoint": _appoint,
    "release": lambda draw, on: ReleaseTeamMember(
        member_id=draw(st.sampled_from(MEMBERS)), released_on=on, reason="Moved."
    ),
    "strategy": lambda draw, on: AgreeFamilyLiaisonStrategy(
        agreed_on=on, family_group=(PARENT,), strategy="s"
    ),
    "contact": lambda draw, on: RecordFamilyContact(
        contacted_on=on,
        family_members=(PARENT,),
        met_by=(draw(st.sampled_from(MEMBERS)),),
        views="v",
        views_of=PARENT,
    ),
    "check": lambda draw, on: CheckParallelProcess(
        proceeding=draw(st.sampled_from(tuple(Proceeding))),
        state=draw(st.sampled_from(tuple(ProceedingState))),
        checked_on=on,
    ),
    "liaison": lambda draw, on: RecordProceedingsLiaison(
        body=draw(st.sampled_from(tuple(LiaisonBody))),
        purpose=draw(st.sampled_from(("parallel processes", "publication"))),
        liaised_on=on,
        outcome="o",
    ),
    "police-liaison": lambda draw, on: RecordPoliceLiaison(liaised_on=on, outcome="o"),
    "propose-terms": lambda draw, on: ProposeTorAmendment(proposed_on=on, changes="c", text="t"),
    "agree-terms": lambda draw, on: AgreeTorAmendment(version=_version(draw) + 1, agreed_on=on),
    "decline-terms": lambda draw, on: DeclineTorAmendment(
        version=_version(draw) + 1, declined_on=on, reason="r"
    ),
    "request-chronology": lambda draw, on: RequestChronology(
        agency=draw(st.sampled_from(AGENCIES)),
        requested_on=on,
        period_from=date(2024, 1, 1),
        period_to=date(2025, 12, 31),
    ),
    "receive-chronology": lambda draw, on: ReceiveChronology(
        agency=draw(st.sampled_from(AGENCIES)),
        received_on=on,
        entries=(ChronologyEntryInput(on=date(2025, 3, 1), what_happened="w"),),
    ),
    "merge": lambda draw, on: MergeChronologies(merged_on=on),
    "meeting": lambda draw, on: RecordTeamMeeting(
        held_on=on, attendees=(draw(st.sampled_from(MEMBERS)),), minutes="m"
    ),
    "practitioner-event": lambda draw, on: RecordPractitionerEvent(
        audience="strategic managers", held_on=on, agencies=("NHS",), notes="n"
    ),
    "emerging-learning": lambda draw, on: RecordEmergingLearning(identified_on=on, learning="l"),
    "dataset": lambda draw, on: CompleteChildDeathDataset(completed_on=on),
    "pause": lambda draw, on: PauseReview(
        paused_on=on,
        reason="r",
        notice_to=draw(st.sampled_from(((), (Body.COG,), (Body.COMMITTEE, Body.COG)))),
        notice_on=draw(st.sampled_from((None, on))),
    ),
    "resume": lambda draw, on: ResumeReview(resumed_on=on),
    "delay": lambda draw, on: ReportDelay(
        reported_on=on,
        reason="r",
        revised_completion=on + timedelta(days=draw(st.integers(1, 400))),
        recipients=draw(st.sampled_from(((Body.COMMITTEE,), (Body.COMMITTEE, Body.COG)))),
    ),
    "draft": lambda draw, on: DraftReportVersion(drafted_on=on, sections=SECTIONS, strategies=(STRATEGY,)),
    "committee-sign-off": lambda draw, on: SignOffReportForCommittee(
        version=_version(draw), signed_off_on=on
    ),
    "cog-sign-off": lambda draw, on: SignOffReportForCog(version=_version(draw), signed_off_on=on),
    "send-report": lambda draw, on: SendReportToCareInspectorate(
        version=_version(draw), sent_on=on, anonymised_copy=draw(st.booleans())
    ),
    "action-plan": lambda draw, on: AgreeActionPlan(
        agreed_on=on,
        actions=(
            ActionInput(
                action_id="A1",
                description="d",
                responsible="CPC",
                due_on=on + timedelta(days=60),
                implements_strategy=1,
            ),
        ),
    ),
    "action-progress": lambda draw, on: RecordActionProgress(
        action_id=draw(st.sampled_from(("A1", "A2"))),
        progress_on=on,
        completed=draw(st.booleans()),
        note="n",
        evidence=draw(st.sampled_from(((), ("DOC-1",)))),
    ),
    "action-owner": lambda draw, on: AssignActionOwner(
        action_id=draw(st.sampled_from(("A1", "A2"))),
        owner_subject="S-P-OWNER",
        owner_name="o",
        due_on=on + timedelta(days=draw(st.integers(-1, 30))),
        assigned_on=on,
    ),
    "sign-off-action": lambda draw, on: SignOffAction(
        action_id=draw(st.sampled_from(("A1", "A2"))), signed_off_on=on
    ),
    "action-exception": lambda draw, on: ReportActionException(
        reported_on=on, actions=(draw(st.sampled_from(("A1", "A2"))),), summary="s"
    ),
    "recommend-publication": lambda draw, on: RecommendPublication(
        recommendation=draw(st.sampled_from(CHOICES)), recommended_on=on, reasons="r"
    ),
    "family-views": lambda draw, on: RecordFamilyViewsOnPublication(
        consulted_on=on, family_members=(PARENT,), views="v", views_of=PARENT
    ),
    "decide-publication": _decide_publication,
    "publish": lambda draw, on: PublishReport(
        version=_version(draw), published_on=on, where="web", anonymised=draw(st.booleans())
    ),
    "learning-separately": lambda draw, on: PublishLearningSeparately(
        published_on=on, where="web", summary="s"
    ),
    "disseminate": lambda draw, on: RecordDissemination(
        method="briefing", held_on=on, audience="staff", description="d"
    ),
    "feedback": lambda draw, on: RecordFamilyFeedback(
        given_on=on, family_members=(PARENT,), feedback="f", feedback_of=PARENT
    ),
    "close": lambda draw, on: CloseReview(closed_on=on),
    "name-contact": lambda draw, on: NameAgencyContact(
        agency=draw(st.sampled_from(AGENCIES)),
        contact=PractitionerDetails(subject_id="S-P-CONTACT", name="Contact", agency="NHS"),
        actor_id=draw(st.sampled_from(("agency-contact", "everyone"))),
        named_on=on,
    ),
    "non-return": lambda draw, on: RecordAgencyNonReturn(
        agency=draw(st.sampled_from(AGENCIES)), recorded_on=on, reason="r"
    ),
    "not-involve-family": lambda draw, on: DecideNotToInvolveFamily(decided_on=on, reasons="r"),
    "no-event": lambda draw, on: RecordNoPractitionerEvent(
        audience=draw(st.sampled_from(AUDIENCES)), recorded_on=on, reason="r"
    ),
    "present": lambda draw, on: PresentReport(
        version=_version(draw), presented_to=draw(st.sampled_from(tuple(Body))), presented_on=on
    ),
    "draft-full": lambda draw, on: DraftReportVersion(drafted_on=on, sections=FULL_REPORT),
    "carry-over": lambda draw, on: CarryOverAction(
        action_id=draw(st.sampled_from(("A1", "A2"))), carried_over_on=on, owner="o", reason="r"
    ),
    "family-member": lambda draw, on: RecordFamilyGroupMember(
        subject_id=draw(st.sampled_from((PARENT, "S-P-AUNT"))),
        relation="r",
        involved=draw(st.booleans()),
        decided_on=on,
        reasons_not_involved=draw(st.sampled_from((None, "r"))),
    ),
    "family-informed": lambda draw, on: RecordFamilyInformed(
        informed_on=on, family_members=(draw(st.sampled_from((PARENT, "S-P-AUNT"))),), how="h"
    ),
    "feedback-conclusion": lambda draw, on: RecordFamilyFeedbackOnConclusion(
        given_on=on, family_members=(PARENT,), response="r", response_of=PARENT
    ),
    "feedback-process": lambda draw, on: RecordFamilyFeedbackOnProcess(
        given_on=on, family_members=(PARENT,), feedback="f", feedback_of=PARENT
    ),
    "dissemination-activity": lambda draw, on: RecordDisseminationActivity(
        activity=draw(st.sampled_from(tuple(DisseminationKind))),
        held_on=on,
        audience="staff",
        description="d",
    ),
    "dissemination-feedback": lambda draw, on: RecordDisseminationFeedback(
        activity_number=draw(st.integers(0, 3)), received_on=on, feedback="f"
    ),
    "themes": lambda draw, on: TagLearningThemes(
        tagged_on=on, themes=(draw(st.sampled_from(("neglect", "Neglect", "", "x" * 50))),)
    ),
}

Plan = list[tuple[Acting, Callable[[date], Command]]]


def _opening(group: str) -> Plan:
    """Notification, the nominated person, information asked for and returned (one by the agency itself)."""
    return [
        (
            OFFICER,
            lambda on: ReceiveNotification(
                subject_group="adult" if group == "adult" else "child",
                received_on=on,
                subject=PersonDetails(subject_id=CHILD, name="Child"),
                notifier=PractitionerDetails(subject_id="S-P-NOTIFIER", name="N", agency="NHS"),
                reasons="r",
                family=(FamilyMemberDetails(subject_id=PARENT, relationship="parent", name="P"),),
            ),
        ),
        (OFFICER, lambda on: PassToNominatedPerson(passed_on=on, nominee="sub-group")),
        (OFFICER, lambda on: RequestInformation(agencies=("NHS", "Education"), requested_on=on)),
        (
            OFFICER,
            lambda on: NameAgencyContact(
                agency="NHS",
                contact=PractitionerDetails(subject_id="S-P-CONTACT", name="C", agency="NHS"),
                actor_id="agency-contact",
                named_on=on,
            ),
        ),
        (
            ACTORS[5],
            lambda on: RecordAgencyReturn(
                agency="NHS", received_on=on, author="S-P-CONTACT", involvement="i", initial_reflection="r"
            ),
        ),
    ]


DECIDING: Plan = [
    (
        OFFICER,
        lambda on: MakeRecommendation(
            recommendation="proceed", made_on=on, reasons="r", proposed_terms_of_reference="t"
        ),
    ),
    (COMMITTEE, lambda on: DecideToProceed(decided_on=on, basis="b")),
    (OFFICER, lambda on: InformCog(informed_on=on)),
    (OFFICER, lambda on: SendNotificationResponse(sent_on=on)),
    (OFFICER, lambda on: NotifyCareInspectorate(notified_on=on)),
]


def _appointment(member: str, team_role: TeamRole) -> Callable[[date], Command]:
    def build(on: date) -> Command:
        return AppointTeamMember(
            member=PractitionerDetails(subject_id=member, name="M", agency="Council"),
            team_role=team_role,
            appointed_on=on,
            direct_involvement=False,
            declaration="d",
            change_reason="Needed.",
            actor_id=ACTOR_OF.get(member),
        )

    return build


TEAM: Plan = [
    (OFFICER, _appointment(m, r))
    for m, r in zip(
        MEMBERS, (TeamRole.CHAIR, TeamRole.REVIEWER, TeamRole.ADMINISTRATOR, TeamRole.MEMBER), strict=True
    )
]
# What seed 001 section 4 asks before the report is presented.
CONDUCT: Plan = [
    (OFFICER, lambda on: RecordAgencyNonReturn(agency="Education", recorded_on=on, reason="No reply.")),
    (
        OFFICER,
        lambda on: CheckParallelProcess(
            proceeding=Proceeding.CRIMINAL, state=ProceedingState.ONGOING, checked_on=on
        ),
    ),
    (OFFICER, lambda on: AgreeFamilyLiaisonStrategy(agreed_on=on, family_group=(PARENT,), strategy="s")),
    (
        OFFICER,
        lambda on: RequestChronology(
            agency="NHS", requested_on=on, period_from=date(2024, 1, 1), period_to=date(2025, 12, 31)
        ),
    ),
    (
        OFFICER,
        lambda on: ReceiveChronology(
            agency="NHS",
            received_on=on,
            entries=(ChronologyEntryInput(on=date(2025, 3, 1), what_happened="w"),),
        ),
    ),
    (REVIEWER, lambda on: MergeChronologies(merged_on=on)),
    (
        REVIEWER,
        lambda on: RecordPractitionerEvent(
            audience="practitioners and first-line managers", held_on=on, agencies=("NHS",), notes="n"
        ),
    ),
    (
        REVIEWER,
        lambda on: RecordNoPractitionerEvent(audience="strategic managers", recorded_on=on, reason="r"),
    ),
]
TERMS: Plan = [
    (REVIEWER, lambda on: ProposeTorAmendment(proposed_on=on, changes="c", text="t")),
    (COMMITTEE, lambda on: AgreeTorAmendment(version=2, agreed_on=on)),
]
REPORTING: Plan = [
    (REVIEWER, lambda on: DraftReportVersion(drafted_on=on, sections=FULL_REPORT)),
    (REVIEWER, lambda on: PresentReport(version=1, presented_to=Body.COMMITTEE, presented_on=on)),
    (REVIEWER, lambda on: PresentReport(version=1, presented_to=Body.COG, presented_on=on)),
    (COMMITTEE, lambda on: SignOffReportForCommittee(version=1, signed_off_on=on)),
    (COG, lambda on: SignOffReportForCog(version=1, signed_off_on=on)),
    (OFFICER, lambda on: SendReportToCareInspectorate(version=1, sent_on=on, anonymised_copy=True)),
    (
        COMMITTEE,
        lambda on: AgreeActionPlan(
            agreed_on=on,
            actions=(
                ActionInput(action_id="A1", description="d", responsible="CPC", due_on=on),
                ActionInput(action_id="A2", description="d", responsible="NHS", due_on=on),
            ),
        ),
    ),
    (
        OFFICER,
        lambda on: AssignActionOwner(
            action_id="A1", owner_subject="S-P-OWNER", owner_name="o", due_on=on, assigned_on=on
        ),
    ),
    (
        OFFICER,
        lambda on: RecordActionProgress(
            action_id="A1", progress_on=on, completed=True, note="n", evidence=("DOC-1",)
        ),
    ),
    (COMMITTEE, lambda on: SignOffAction(action_id="A1", signed_off_on=on)),
    (COMMITTEE, lambda on: CarryOverAction(action_id="A2", carried_over_on=on, owner="o", reason="r")),
    (
        COMMITTEE,
        lambda on: RecommendPublication(
            recommendation=PublicationChoice.PUBLISH, recommended_on=on, reasons="r"
        ),
    ),
    (
        REVIEWER,
        lambda on: RecordFamilyViewsOnPublication(
            consulted_on=on, family_members=(PARENT,), views="v", views_of=PARENT
        ),
    ),
]
ENDING: Plan = [
    (
        OFFICER,
        lambda on: RecordDisseminationActivity(
            activity=DisseminationKind.TRAINING, held_on=on, audience="staff", description="d"
        ),
    ),
    (
        REVIEWER,
        lambda on: RecordFamilyFeedbackOnConclusion(
            given_on=on, family_members=(PARENT,), response="r", response_of=PARENT
        ),
    ),
    (
        REVIEWER,
        lambda on: RecordFamilyFeedbackOnProcess(
            given_on=on, family_members=(PARENT,), feedback="f", feedback_of=PARENT
        ),
    ),
    (COMMITTEE, lambda on: CloseReview(closed_on=on)),
]

# An ordinary review, step by step, so that random runs also reach the end of the procedure.
ORDINARY: Plan = [
    *_opening("child"),
    *DECIDING,
    *TEAM,
    *CONDUCT,
    *TERMS,
    *REPORTING,
    (COG, lambda on: DecidePublication(decision=PublicationChoice.PUBLISH, decided_on=on, basis="b")),
    (OFFICER, lambda on: PublishReport(version=1, published_on=on, where="web", anonymised=True)),
    (
        OFFICER,
        lambda on: RecordProceedingsLiaison(
            body=LiaisonBody.COPFS, purpose="publication", liaised_on=on, outcome="o"
        ),
    ),
    (OFFICER, lambda on: PublishReport(version=1, published_on=on, where="web", anonymised=True)),
    *ENDING,
]

# An adult's review the COG decides not to publish, paused and delayed on the way.
NOT_PUBLISHED: Plan = [
    *_opening("adult"),
    *DECIDING,
    *TEAM,
    *CONDUCT,
    (
        OFFICER,
        lambda on: PauseReview(paused_on=on, reason="r", notice_to=(Body.COMMITTEE, Body.COG), notice_on=on),
    ),
    (
        OFFICER,
        lambda on: ReportDelay(
            reported_on=on,
            reason="r",
            revised_completion=on + timedelta(days=300),
            recipients=(Body.COMMITTEE, Body.COG),
        ),
    ),
    (OFFICER, lambda on: ResumeReview(resumed_on=on)),
    (REVIEWER, lambda on: ProposeTorAmendment(proposed_on=on, changes="c", text="t")),
    (COMMITTEE, lambda on: DeclineTorAmendment(version=2, declined_on=on, reason="r")),
    *REPORTING,
    (
        COG,
        lambda on: DecidePublication(
            decision=PublicationChoice.NOT_PUBLISH,
            decided_on=on,
            basis="b",
            exceptional_circumstances="e",
            cog_minute="COG minute 4",
        ),
    ),
    (OFFICER, lambda on: PublishLearningSeparately(published_on=on, where="web", summary="s")),
    *ENDING,
]

NOT_PROCEEDING: Plan = [
    *_opening("child")[:2],
    (
        OFFICER,
        lambda on: MakeRecommendation(
            recommendation="not proceed", made_on=on, reasons="r", alternative_approach="a"
        ),
    ),
    (COMMITTEE, lambda on: DecideNotToProceed(decided_on=on, basis="b")),
    *DECIDING[2:],
    (OFFICER, lambda on: RecordAlternativeApproach(agreed_on=on, approach="a", lead_agency="NHS")),
    (COMMITTEE, lambda on: CloseReview(closed_on=on)),
]


class NationalReviewMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.review = NationalReview("LR-2026-001")
        self.today = date(2026, 1, 5)
        self.plan: Plan = ORDINARY
        self.next_step = 0
        self.closed_seen = False

    def _execute(self, by: Acting, command: Command) -> None:
        before = copy.deepcopy(vars(self.review))
        try:
            self.review.execute(command, by, datetime.combine(self.today, time(10), tzinfo=UTC))
        except ReviewledgerError:
            # A refused step changes nothing: not the version, not the pending events, not the state.
            assert vars(self.review) == before
        else:
            assert self.review.version == before["version"] + 1, "each step records exactly one event"

    @initialize(plan=st.sampled_from((ORDINARY, NOT_PUBLISHED, NOT_PROCEEDING)))
    def follow(self, plan: Plan) -> None:
        self.plan = plan

    @rule(
        name=st.sampled_from(sorted(FACTORIES)),
        by=st.sampled_from(ACTORS),
        days=st.integers(0, 40),
        data=st.data(),
    )
    def anyone_tries_anything(self, name: str, by: Acting, days: int, data: st.DataObject) -> None:
        self.today += timedelta(days=days)
        self._execute(by, FACTORIES[name](data.draw, self.today))

    @rule(name=st.sampled_from(sorted(FACTORIES)), days=st.integers(0, 40), data=st.data())
    def someone_with_every_role_tries_anything(self, name: str, days: int, data: st.DataObject) -> None:
        # Authority never stands in the way here, so only the order of the procedure can refuse.
        self.today += timedelta(days=days)
        self._execute(EVERYONE, FACTORIES[name](data.draw, self.today))

    @rule(days=st.integers(0, 20), left_out=st.lists(st.integers(0, 9), min_size=1, max_size=4))
    def the_next_steps_of_the_plan(self, days: int, left_out: list[int]) -> None:
        for chance in left_out:
            if self.next_step >= len(self.plan):
                return
            by, build = self.plan[self.next_step]
            self.next_step += 1
            if chance == 0:
                # Now and then a step is left out, so the later ones are tried out of order
                # (a publication decision without the COG's sign-off, and so on).
                continue
            self.today += timedelta(days=days)
            self._execute(by, build(self.today))

    # -- the invariants, checked on the whole history after every step --------------------

    @property
    def events(self) -> list[DomainEvent]:
        return list(self.review._pending)

    @invariant()
    def the_state_is_what_the_events_say(self) -> None:
        replayed = NationalReview.replay(self.review.reference, self.events)
        mine = {k: v for k, v in vars(self.review).items() if k != "_pending"}
        assert {k: v for k, v in vars(replayed).items() if k != "_pending"} == mine

    @invariant()
    def nothing_after_closure(self) -> None:
        closures = [i for i, e in enumerate(self.events) if isinstance(e, ReviewClosed)]
        assert closures in ([], [len(self.events) - 1])

    @invariant()
    def one_decision_and_the_team_only_after_a_decision_to_proceed(self) -> None:
        decisions = [
            e for e in self.events if isinstance(e, DecisionToProceedRecorded | DecisionNotToProceedRecorded)
        ]
        assert len(decisions) <= 1
        proceeded = False
        for event in self.events:
            proceeded = proceeded or isinstance(event, DecisionToProceedRecorded)
            if isinstance(event, TeamMemberAppointed | PoliceLiaisonRecorded):
                assert proceeded

    @invariant()
    def terms_of_reference_are_in_force_only_with_committee_agreement(self) -> None:
        proposed: set[int] = set()
        agreed = {1}
        for event in self.events:
            if isinstance(event, TorAmendmentProposed):
                proposed.add(event.version)
            elif isinstance(event, TorAmendmentAgreed | TorAmendmentDeclined):
                assert event.version in proposed
                assert event.role is Role.CPC
                proposed.discard(event.version)
                if isinstance(event, TorAmendmentAgreed):
                    agreed.add(event.version)
        if self.review.decision == "proceed":
            assert self.review.terms_in_force in agreed

    @invariant()
    def publication_follows_sign_off_liaison_and_exceptional_circumstances(self) -> None:
        latest, signed = 0, {"committee": 0, "COG": 0}
        proceedings: dict[Proceeding, ProceedingState] = {}
        consulted: set[LiaisonBody] = set()
        for event in self.events:
            match event:
                case ReportVersionDrafted() | ReportVersionDraftedV2():
                    latest = event.version
                case ReportSignedOffByCommittee():
                    signed["committee"] = event.version
                case ReportSignedOffByCog():
                    signed["COG"] = event.version
                case ParallelProcessChecked():
                    proceedings[event.proceeding] = event.state
                case ProceedingsLiaisonRecorded() if event.purpose == "publication":
                    consulted.add(event.body)
                case PublicationDecided():
                    assert event.role is Role.COG
                    assert latest > 0 and signed == {"committee": latest, "COG": latest}
                    if event.decision is PublicationChoice.NOT_PUBLISH:
                        assert event.exceptional_circumstances is not None and event.cog_minute
                case ReportPublished():
                    for proceeding, state in proceedings.items():
                        if state is ProceedingState.ONGOING:
                            assert LIAISON_FOR[proceeding] in consulted

    @invariant()
    def the_report_is_presented_and_signed_off_only_when_seed_001_allows(self) -> None:
        for i, event in enumerate(self.events):
            if isinstance(event, ReportPresented | ReportSignedOffByCommittee | ReportSignedOffByCog):
                before = NationalReview.replay(self.review.reference, self.events[:i])
                assert before.presentation_missing() == [] or not isinstance(event, ReportPresented)
                if not isinstance(event, ReportPresented):
                    if isinstance(event, ReportSignedOffByCommittee):
                        assert before.presented.get("committee") == event.version
                    else:
                        assert before.presented.get("COG") == event.version
                    assert before.contents_missing(event.version) == []
            if isinstance(event, ActionCarriedOver):
                assert event.role is Role.CPC
            if isinstance(event, ActionSignedOff):
                # The committee signs off only an action recorded complete, on its evidence, once.
                action = NationalReview.replay(self.review.reference, self.events[:i]).actions[
                    event.action_id
                ]
                assert event.role is Role.CPC
                assert action.completed_on is not None and action.evidence and action.signed_off_on is None
            if isinstance(event, ActionExceptionReported):
                before = NationalReview.replay(self.review.reference, self.events[:i])
                for action_id in event.actions:
                    due = before.actions[action_id].due_on
                    assert due is not None and due < event.reported_on

    @invariant()
    def closure_leaves_nothing_owed(self) -> None:
        if self.review.closed_on is not None and not self.closed_seen:
            self.closed_seen = True
            before = NationalReview.replay(self.review.reference, self.events[:-1])
            assert before.obligations() == []


NationalReviewMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestNationalReviewMachine = NationalReviewMachine.TestCase
