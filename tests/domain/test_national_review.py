"""The National Learning Review, told as the national guidance tells it (seeds 001 and 002).

Three stories: a child's review that proceeds, is paused and delayed, amends its terms of
reference and is published once the prosecutor has been consulted; an adult's review that
the Chief Officers Group decides not to publish; and a notification the committee decides
not to take forward. Every person and detail is invented.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec
import pytest

from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.errors import InvalidInput
from domain.kernel.event import (
    DomainEvent,
    ItemKind,
    Nature,
    Personal,
    event_type,
    event_types,
    from_builtins,
    to_builtins,
    type_name,
)
from domain.kernel.roles import Acting, Role
from domain.kernel.timescales import TimescaleStatus
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
    CareInspectorateNotified,
    ChronologiesMerged,
    ChronologiesMergedInOrder,
    DelayReported,
    DelayReportedToBodies,
    FamilyContactRecorded,
    NotificationReceived,
    ReviewPaused,
    ReviewPausedWithNotice,
    TeamMemberReleased,
)
from domain.routes.national.events_reporting import (
    ActionExceptionReported,
    ActionOwnerAssigned,
    ActionPlanAgreed,
    ReportVersionDrafted,
    ReportVersionDraftedV2,
)
from domain.routes.national.forms import (
    ActionInput,
    Body,
    ChronologyEntry,
    ChronologyEntryInput,
    ClearStrategy,
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
from domain.routes.national.review import NationalReview, Stage, Status
from domain.routes.shared.actions import AssignActionOwner, ReportActionException, SignOffAction
from tests.domain.national_story import Story

OFFICER = Acting(actor="cpc-officer", roles=frozenset({Role.CPC_OFFICER}))
COMMITTEE = Acting(actor="cpc-chair", roles=frozenset({Role.CPC}))
COG = Acting(actor="cog-chair", roles=frozenset({Role.COG}))
REVIEWER = Acting(actor="reviewer", roles=frozenset({Role.REVIEWER}))
AGENCY = Acting(actor="nhs-contact", roles=frozenset({Role.AGENCY_CONTACT}))
BOTH = (Body.COMMITTEE, Body.COG)

CHILD, MOTHER, SISTER = "S-NLR1-CHILD", "S-NLR1-MOTHER", "S-NLR1-SISTER"
GRANDMOTHER = "S-NLR1-GRAN"
CPC_LEAD, NHS_LEAD = "S-NLR1-CPCLEAD", "S-NLR1-NHSLEAD"  # the owners of the action plan's actions
NOTIFIER, HEALTH_VISITOR = "S-NLR1-NOTIFIER", "S-NLR1-HV"
CHAIR, MEMBER, REVIEWER_ID, ADMIN = "S-NLR1-CHAIR", "S-NLR1-MEMBER", "S-NLR1-REVIEWER", "S-NLR1-ADMIN"


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def child_notification(**changes: object) -> ReceiveNotification:
    notification = ReceiveNotification(
        subject_group="child",
        received_on=d(1, 5),
        subject=PersonDetails(
            subject_id=CHILD,
            name="Ellie Rendall",
            date_of_birth=date(2022, 4, 2),
            gender="female",
            address="4 Harbour Row, Stromness",
            school="Stromness nursery",
            legal_status="on the Child Protection Register",
            record_number="SW-100234",
            disability="global developmental delay",
            ethnicity="White Scottish",
            religion="none recorded",
            protection_history="registered under neglect, March 2025",
        ),
        notifier=PractitionerDetails(
            subject_id=NOTIFIER,
            name="Karen Spence",
            agency="Orkney Islands Council social work",
            job_title="Team manager",
            contact="karen.spence@example.org",
        ),
        reasons="Ellie was admitted to hospital with injuries after a period of neglect.",
        family=(
            FamilyMemberDetails(
                subject_id=MOTHER, relationship="mother, lives with Ellie", name="Dawn Rendall"
            ),
            FamilyMemberDetails(subject_id=SISTER, relationship="older sister", name="Skye Rendall"),
        ),
        agencies_involved=("Police Scotland", "NHS Orkney health visiting", "Education"),
        agency_contacts=(
            PractitionerDetails(
                subject_id=HEALTH_VISITOR, name="Moira Firth", agency="NHS Orkney health visiting"
            ),
        ),
    )
    return msgspec.structs.replace(notification, **changes)


def member(subject_id: str, name: str) -> PractitionerDetails:
    return PractitionerDetails(subject_id=subject_id, name=name, agency="Orkney public protection")


def appoint(subject_id: str, name: str, team_role: TeamRole, **changes: object) -> AppointTeamMember:
    command = AppointTeamMember(
        member=member(subject_id, name),
        team_role=team_role,
        appointed_on=d(2, 16),
        direct_involvement=False,
        declaration="I have had no involvement with the family.",
    )
    return msgspec.structs.replace(command, **changes)


REPORT_SECTIONS = (
    SectionInput(
        heading=SectionKind.CONDUCT, text="Chronologies, two practitioner events and a family meeting."
    ),
    SectionInput(heading=SectionKind.CIRCUMSTANCES, text="Ellie was admitted to hospital in December 2025."),
    SectionInput(
        heading=SectionKind.LEARNING,
        text="The health visitor considered the home conditions were deteriorating.",
        nature=Nature.OPINION,
        by=HEALTH_VISITOR,
    ),
    SectionInput(heading=SectionKind.EFFECTIVE_PRACTICE, text="The school nurse shared concerns at once."),
    SectionInput(heading=SectionKind.STRATEGIES, text="One strategy, set out as CLEAR."),
    SectionInput(heading=SectionKind.TERMS_OF_REFERENCE, text="The terms of reference as finally agreed."),
)
STRATEGY = StrategyInput(
    case_for_change="Neglect was seen by each agency but never added up.",
    learning="Share concerns about home conditions at each core group.",
    evidence="Three agencies recorded the same concern within a month.",
    responsible="Child Protection Committee",
    review="Audit of core group minutes in six months.",
)


def proceed_to_decision(story: Story, notification: ReceiveNotification) -> None:
    """Steps 1-4 up to the committee's decision to proceed, as the process map sets them out."""
    # 1. The notification form is received and passed to the nominated person or sub-group.
    story.on(d(1, 5), OFFICER, notification)
    story.on(d(1, 6), OFFICER, PassToNominatedPerson(passed_on=d(1, 6), nominee="Learning Review sub-group"))
    # 2. A 'Request for Information' goes to the agencies; each gives a brief account and initial reflection.
    story.on(
        d(1, 7), OFFICER, RequestInformation(agencies=("Police Scotland", "NHS Orkney"), requested_on=d(1, 7))
    )
    # NHS Orkney's named contact answers for it; the officer records the return the police sent in.
    story.on(
        d(1, 7),
        OFFICER,
        NameAgencyContact(
            agency="NHS Orkney",
            contact=PractitionerDetails(subject_id=HEALTH_VISITOR, name="Moira Firth", agency="NHS Orkney"),
            actor_id="nhs-contact",
            named_on=d(1, 7),
        ),
    )
    for agency, by in (("Police Scotland", OFFICER), ("NHS Orkney", AGENCY)):
        story.on(
            d(1, 20),
            by,
            RecordAgencyReturn(
                agency=agency,
                received_on=d(1, 19),
                author=HEALTH_VISITOR,
                involvement="Contact with the family since 2024.",
                initial_reflection="Concerns were not shared early enough.",
            ),
        )
    # 3. The sub-group considers the information and recommends proceeding, with proposed terms of reference.
    story.on(
        d(1, 28),
        OFFICER,
        MakeRecommendation(
            recommendation="proceed",
            made_on=d(1, 28),
            reasons="The criteria for a Learning Review are met.",
            proposed_terms_of_reference="How agencies responded to neglect from 2023 to 2025.",
        ),
    )
    # 4. The committee meets and decides to proceed, within six weeks of the notification.
    story.on(
        d(2, 10),
        COMMITTEE,
        DecideToProceed(decided_on=d(2, 10), basis="Significant harm; systemic learning."),
    )


def communicate_decision(story: Story, day: date) -> None:
    """Step 5: the COG is informed, the notifier answered and the Care Inspectorate notified."""
    story.on(day, OFFICER, InformCog(informed_on=day))
    story.on(day, OFFICER, SendNotificationResponse(sent_on=day))
    story.on(day, OFFICER, NotifyCareInspectorate(notified_on=day))


def set_up_team(story: Story) -> None:
    """Step 7: the Review Team: a Chair, a member, a Reviewer and an Administrator."""
    story.on(d(2, 16), OFFICER, appoint(CHAIR, "Alan Scott", TeamRole.CHAIR))
    story.on(d(2, 16), OFFICER, appoint(MEMBER, "Jean Miller", TeamRole.MEMBER))
    story.on(d(2, 16), OFFICER, appoint(REVIEWER_ID, "Ailsa Tulloch", TeamRole.REVIEWER, actor_id="reviewer"))
    # The committee's officer is the team's Administrator, and so records its meetings.
    story.on(
        d(2, 16), OFFICER, appoint(ADMIN, "Rona Linklater", TeamRole.ADMINISTRATOR, actor_id="cpc-officer")
    )


def a_childs_review() -> Story:
    """Seed 001 section 4, end to end, for a child."""
    story = Story("LR-2026-001")
    review = story.review
    proceed_to_decision(story, child_notification())
    assert story.stage() is Stage.UNDER_WAY
    assert review.committee == "Child Protection Committee"
    decision_clock = review.timescales()[0]
    assert decision_clock.due == d(2, 16)
    assert decision_clock.status() is TimescaleStatus.MET
    assert review.terms_in_force == 1

    # 5. Recording and communicating the decision; the media approach is agreed.
    assert [o.code for o in review.obligations()][:3] == [
        "inform-cog",
        "notification-response",
        "notify-care-inspectorate",
    ]
    communicate_decision(story, d(2, 11))
    story.on(d(2, 11), OFFICER, RecordMediaApproach(agreed_on=d(2, 11), approach="Reactive statement only."))

    # 7. The Review Team is set up; the Chair checks for parallel processes and the police are still investigating.
    set_up_team(story)
    story.on(
        d(2, 17),
        OFFICER,
        CheckParallelProcess(
            proceeding=Proceeding.CRIMINAL, state=ProceedingState.ONGOING, checked_on=d(2, 17)
        ),
    )
    story.on(
        d(2, 17),
        OFFICER,
        RecordProceedingsLiaison(
            body=LiaisonBody.COPFS,
            purpose="parallel processes",
            liaised_on=d(2, 17),
            outcome="The review may proceed; no practitioner interviews about the night of the injury.",
        ),
    )
    # Seed 002: liaison with Police Scotland, so that the review does not prejudice the criminal proceedings.
    story.on(
        d(2, 17),
        OFFICER,
        RecordPoliceLiaison(
            liaised_on=d(2, 17),
            outcome="The investigating officer agreed the order of practitioner interviews.",
        ),
    )
    assert review.police_liaison == [d(2, 17)]
    assert review.parallel_processes[Proceeding.CRIMINAL].checked_on == d(2, 17)
    # The Family Liaison Strategy is agreed, and the family are met as it says.
    story.on(
        d(2, 18),
        OFFICER,
        AgreeFamilyLiaisonStrategy(
            agreed_on=d(2, 18), family_group=(MOTHER, SISTER), strategy="Meet Dawn at home."
        ),
    )
    # Who counts as the family group: Ellie's grandmother joins it; Skye is not to be involved, with reasons.
    story.on(
        d(2, 18),
        OFFICER,
        RecordFamilyGroupMember(
            subject_id=GRANDMOTHER,
            relation="grandmother, cared for Ellie at weekends",
            involved=True,
            decided_on=d(2, 18),
        ),
    )
    story.on(
        d(2, 18),
        OFFICER,
        RecordFamilyGroupMember(
            subject_id=SISTER,
            relation="older sister",
            involved=False,
            decided_on=d(2, 18),
            reasons_not_involved="Skye is eight; her school counsellor advised against it.",
        ),
    )
    assert review.family_members == {GRANDMOTHER: True, SISTER: False}
    # The family are told as soon as possible that a review is under way, and why.
    story.on(
        d(2, 19),
        REVIEWER,
        RecordFamilyInformed(
            informed_on=d(2, 19),
            family_members=(MOTHER, GRANDMOTHER),
            how="The social worker explained the purpose of the review at home.",
        ),
    )
    assert review.family_informed_on == d(2, 19)

    # 9. Single-agency chronologies, two years before the incident, are requested, received and merged.
    for agency in ("Police Scotland", "NHS Orkney"):
        story.on(
            d(2, 20),
            OFFICER,
            RequestChronology(
                agency=agency, requested_on=d(2, 20), period_from=d(12, 1, 2023), period_to=d(12, 31, 2025)
            ),
        )
    story.on(
        d(3, 10),
        OFFICER,
        ReceiveChronology(
            agency="NHS Orkney",
            received_on=d(3, 10),
            entries=(
                ChronologyEntryInput(on=d(5, 2, 2024), what_happened="Health visitor home visit; home cold."),
                ChronologyEntryInput(on=d(11, 20, 2025), what_happened="Missed development review."),
            ),
        ),
    )
    story.on(
        d(3, 10),
        OFFICER,
        ReceiveChronology(
            agency="Police Scotland",
            received_on=d(3, 10),
            entries=(
                ChronologyEntryInput(on=d(9, 14, 2025), what_happened="Concern call from a neighbour."),
            ),
        ),
    )
    story.on(d(3, 12), REVIEWER, MergeChronologies(merged_on=d(3, 12)))
    merged = story.last(ChronologiesMergedInOrder)
    assert [e.on for e in merged.entries] == [d(5, 2, 2024), d(9, 14, 2025), d(11, 20, 2025)]
    # The merged chronology points at the entries as received: their words are read (or disposed of) there.
    assert [(e.agency, e.entry) for e in merged.entries] == [
        ("NHS Orkney", 0),
        ("Police Scotland", 0),
        ("NHS Orkney", 1),
    ]
    assert b'"personal"' not in msgspec.json.encode(merged)

    # The Review Team meets; the family is met before the practitioner events.
    story.on(
        d(3, 13),
        OFFICER,
        RecordTeamMeeting(
            held_on=d(3, 13),
            attendees=(CHAIR, MEMBER, REVIEWER_ID, ADMIN),
            minutes="Gaps in health records identified.",
        ),
    )
    story.on(
        d(3, 20),
        REVIEWER,
        RecordFamilyContact(
            contacted_on=d(3, 20),
            family_members=(MOTHER,),
            met_by=(REVIEWER_ID, CHAIR),
            views="Nobody listened to me.",
            views_of=MOTHER,
        ),
    )
    # Met before any practitioner event, as seed 001 finds helpful: no warning.
    assert story.last(FamilyContactRecorded).warning is None

    # 8. The terms of reference are a living document: an amendment is in force once the committee agrees it.
    story.on(
        d(3, 25),
        REVIEWER,
        ProposeTorAmendment(
            proposed_on=d(3, 25),
            changes="Add the response after the admission.",
            text="How agencies responded to neglect from 2023, and after the admission.",
        ),
    )
    assert review.terms_in_force == 1
    assert review.pending_terms is not None
    story.on(d(4, 1), COMMITTEE, AgreeTorAmendment(version=2, agreed_on=d(4, 1)))
    assert review.terms_in_force == 2

    # Practitioner and manager events; the learning emerging from them.
    story.on(
        d(4, 15),
        REVIEWER,
        RecordPractitionerEvent(
            audience="practitioners and first-line managers",
            held_on=d(4, 15),
            agencies=("NHS Orkney", "Police Scotland"),
            notes="Workload pressures in health visiting.",
        ),
    )
    story.on(
        d(4, 22),
        REVIEWER,
        RecordPractitionerEvent(
            audience="strategic managers",
            held_on=d(4, 22),
            agencies=("NHS Orkney",),
            notes="Thresholds for neglect differ by agency.",
        ),
    )
    story.on(
        d(4, 23),
        REVIEWER,
        RecordEmergingLearning(
            identified_on=d(4, 23), learning="Cumulative neglect is not visible to any one agency."
        ),
    )

    # An emerging issue pauses the review; the delay is reported to the CPC and COG with a revised timescale.
    story.on(
        d(5, 1),
        OFFICER,
        PauseReview(
            paused_on=d(5, 1), reason="New information from the police.", notice_to=BOTH, notice_on=d(5, 1)
        ),
    )
    assert story.last(ReviewPausedWithNotice).notice_to == BOTH
    assert story.status() is Status.PAUSED
    assert review.timescales()[1].status() is TimescaleStatus.PAUSED
    story.on(d(5, 29), OFFICER, ResumeReview(resumed_on=d(5, 29)))
    target, limit = review.timescales()[1:]
    assert target.due == d(9, 7)
    assert limit.due == d(12, 8)
    story.on(
        d(6, 1),
        OFFICER,
        ReportDelay(
            reported_on=d(6, 1),
            reason="The pause and the police information.",
            revised_completion=d(10, 30),
            recipients=BOTH,
        ),
    )
    delay = story.last(DelayReportedToBodies)
    assert (delay.recipients, delay.reported_by) == (BOTH, CHAIR)
    # The Chair's next delay report is owed if the review runs over its revised timescale.
    owed = {o.code: o.due for o in review.obligations()}
    assert owed["delay-report"] == d(10, 30)
    target, limit = review.timescales()[1:]
    assert target.due == d(10, 30)
    assert target.revised
    assert limit.due == d(12, 8)

    # 11. The Reviewer drafts the report with the team; opinions are recorded as opinions.
    story.on(d(8, 3), REVIEWER, DraftReportVersion(drafted_on=d(8, 3), sections=REPORT_SECTIONS))
    assert story.stage() is Stage.REPORT_DRAFTING
    story.on(
        d(9, 1),
        REVIEWER,
        DraftReportVersion(drafted_on=d(9, 1), sections=REPORT_SECTIONS, strategies=(STRATEGY,)),
    )
    report = story.last(ReportVersionDraftedV2)
    assert report.terms_of_reference_version == 2
    # Every text of a CLEAR strategy is sealed, the discipline it assigns responsibility to included.
    (strategy,) = report.strategies
    assert strategy.responsible.value == STRATEGY.responsible
    assert strategy.responsible.about == (CHILD,)
    opinion = report.sections[2].text
    assert opinion.nature is Nature.OPINION
    assert opinion.by == HEALTH_VISITOR

    # 12. The Reviewer presents the report to the CPC and the COG; both sign it off; an action plan accompanies it.
    story.on(d(9, 14), REVIEWER, PresentReport(version=2, presented_to=Body.COMMITTEE, presented_on=d(9, 14)))
    story.on(d(9, 14), REVIEWER, PresentReport(version=2, presented_to=Body.COG, presented_on=d(9, 14)))
    story.on(d(9, 15), COMMITTEE, SignOffReportForCommittee(version=2, signed_off_on=d(9, 15)))
    story.on(
        d(9, 15),
        COMMITTEE,
        AgreeActionPlan(
            agreed_on=d(9, 15),
            actions=(
                ActionInput(
                    action_id="A1",
                    description="7-minute briefing on cumulative neglect",
                    responsible="CPC",
                    due_on=d(10, 31),
                    implements_strategy=1,
                ),
                ActionInput(
                    action_id="A2",
                    description="Neglect toolkit training, using what the health visitor saw",
                    responsible="NHS Orkney",
                    due_on=d(11, 30),
                    about=(CHILD, HEALTH_VISITOR),
                    implements_strategy=1,
                ),
            ),
        ),
    )
    plan = story.last(ActionPlanAgreed)
    assert [a.description.about for a in plan.actions] == [(CHILD,), (CHILD, HEALTH_VISITOR)]
    # Each action implements the report's (only) CLEAR strategy; the officer names each action's owner.
    assert [a.implements_strategy for a in plan.actions] == [1, 1]
    for action_id, owner, name in (
        ("A1", CPC_LEAD, "the CPC's lead officer"),
        ("A2", NHS_LEAD, "NHS lead nurse"),
    ):
        story.on(
            d(9, 16),
            OFFICER,
            AssignActionOwner(
                action_id=action_id,
                owner_subject=owner,
                owner_name=name,
                due_on=review.actions[action_id].due_on or d(12, 31),
                assigned_on=d(9, 16),
            ),
        )
    assert story.last(ActionOwnerAssigned).owner_name.about == (NHS_LEAD,)
    assert review.actions["A2"].owner == NHS_LEAD
    story.on(d(9, 22), COG, SignOffReportForCog(version=2, signed_off_on=d(9, 22)))
    assert story.stage() is Stage.SIGNED_OFF
    assert review.timescales()[1].status() is TimescaleStatus.MET
    # The report goes to the Care Inspectorate with an anonymised copy.
    story.on(
        d(9, 23), OFFICER, SendReportToCareInspectorate(version=2, sent_on=d(9, 23), anonymised_copy=True)
    )

    # 13. The CPC recommends publication; the family are consulted; the COG decides to publish.
    story.on(
        d(9, 15),
        COMMITTEE,
        RecommendPublication(
            recommendation=PublicationChoice.PUBLISH,
            recommended_on=d(9, 15),
            reasons="Learning of national interest.",
        ),
    )
    story.on(
        d(9, 24),
        REVIEWER,
        RecordFamilyViewsOnPublication(
            consulted_on=d(9, 24),
            family_members=(MOTHER,),
            views="Publish, so it does not happen again.",
            views_of=MOTHER,
        ),
    )
    story.on(
        d(9, 29),
        COG,
        DecidePublication(
            decision=PublicationChoice.PUBLISH, decided_on=d(9, 29), basis="Recommended; the family agree."
        ),
    )
    # Criminal proceedings are ongoing: publication is deferred until it is discussed with COPFS.
    assert story.status() is Status.PUBLICATION_DEFERRED
    story.on(
        d(10, 2),
        OFFICER,
        RecordProceedingsLiaison(
            body=LiaisonBody.COPFS,
            purpose="publication",
            liaised_on=d(10, 2),
            outcome="No objection to publication of the anonymised report.",
        ),
    )
    story.on(
        d(10, 6),
        OFFICER,
        PublishReport(
            version=2, published_on=d(10, 6), where="Orkney Public Protection website", anonymised=True
        ),
    )
    assert review.published_on == d(10, 6)

    # 14. Feedback to the family on the conclusion, and their view of the process, as two steps.
    story.on(
        d(10, 9),
        REVIEWER,
        RecordFamilyFeedbackOnConclusion(
            given_on=d(10, 9),
            family_members=(MOTHER,),
            response="Glad to be heard.",
            response_of=MOTHER,
        ),
    )
    assert "family-feedback-on-process" in [o.code for o in review.obligations()]
    story.on(
        d(10, 9),
        REVIEWER,
        RecordFamilyFeedbackOnProcess(
            given_on=d(10, 9), family_members=(MOTHER,), feedback="The process was long.", feedback_of=MOTHER
        ),
    )
    # Dissemination: each activity with its audience, date and feedback; the learning's themes tagged.
    story.on(
        d(10, 13),
        OFFICER,
        RecordDisseminationActivity(
            activity=DisseminationKind.SEVEN_MINUTE_BRIEFING,
            held_on=d(10, 13),
            audience="all health visitors",
            description="7-minute briefing on cumulative neglect.",
        ),
    )
    story.on(
        d(10, 20),
        OFFICER,
        RecordDisseminationFeedback(
            activity_number=1, received_on=d(10, 20), feedback="Useful; asked for more."
        ),
    )
    story.on(
        d(10, 20), OFFICER, TagLearningThemes(tagged_on=d(10, 20), themes=("Neglect", "information sharing"))
    )
    assert review.themes == ("information sharing", "neglect")
    assert [o.code for o in review.obligations()] == ["action-A1", "action-A2"]
    # A1 runs past its due date: its clock is overdue, and the officer reports it to the COG by exception.
    story.on(
        d(11, 1),
        OFFICER,
        ReportActionException(
            reported_on=d(11, 1), actions=("A1",), summary="The briefing was postponed by a week."
        ),
    )
    assert story.last(ActionExceptionReported).actions == ("A1",)
    story.on(
        d(11, 2),
        OFFICER,
        RecordActionProgress(
            action_id="A1",
            progress_on=d(11, 2),
            completed=True,
            note="Briefing delivered.",
            evidence=("DOC-BRIEFING-ATTENDANCE",),
        ),
    )
    a1_clock = next(c for c in review.timescales() if c.name.startswith("action A1"))
    assert a1_clock.status() is TimescaleStatus.MISSED
    # Complete is not yet done: the committee, which monitors the plan, signs A1 off on its evidence.
    assert "sign-off-action-A1" in [o.code for o in review.obligations()]
    story.on(d(11, 10), COMMITTEE, SignOffAction(action_id="A1", signed_off_on=d(11, 10)))
    assert review.actions["A1"].signed_off_on == d(11, 10)
    # A2 is not complete at closure: the committee carries it over to a named owner.
    story.on(
        d(11, 16),
        COMMITTEE,
        CarryOverAction(
            action_id="A2",
            carried_over_on=d(11, 16),
            owner="NHS Orkney's lead nurse for child protection",
            reason="Training runs into next year.",
        ),
    )
    assert review.obligations() == []

    # The committee closes the review.
    story.on(d(11, 20), COMMITTEE, CloseReview(closed_on=d(11, 20)))
    assert story.stage() is Stage.CLOSED
    assert story.status() is Status.CLOSED
    assert len(story.events) == review.version
    return story


def an_adult_review_not_published() -> Story:
    # Seed 002: the same route for Adult Support and Protection; the Adult Protection Committee decides.
    story = Story("ASP-2026-001")
    review = story.review
    adult = child_notification(
        subject_group="adult",
        subject=PersonDetails(subject_id="S-ASP1-ADULT", name="Robert Flett", date_of_birth=date(1958, 6, 1)),
        family=(
            FamilyMemberDetails(subject_id="S-ASP1-SON", relationship="son and carer", name="Neil Flett"),
        ),
        escalated_from="MLR-2025-004",
    )
    proceed_to_decision(story, adult)
    assert review.committee == "Adult Protection Committee"
    assert [(r.reference, r.relationship) for r in review.linked_reviews] == [
        ("MLR-2025-004", "escalated from")
    ]
    communicate_decision(story, d(2, 12))
    set_up_team(story)
    story.on(
        d(2, 18),
        OFFICER,
        CheckParallelProcess(proceeding=Proceeding.FAI, state=ProceedingState.NONE, checked_on=d(2, 18)),
    )
    story.on(
        d(2, 18),
        OFFICER,
        AgreeFamilyLiaisonStrategy(
            agreed_on=d(2, 18), family_group=("S-ASP1-SON",), strategy="The Reviewer meets Neil at home."
        ),
    )
    story.on(
        d(2, 20),
        OFFICER,
        RequestChronology(
            agency="NHS Orkney", requested_on=d(2, 20), period_from=d(3, 1, 2024), period_to=d(2, 28)
        ),
    )
    story.on(
        d(3, 2),
        OFFICER,
        ReceiveChronology(
            agency="NHS Orkney",
            received_on=d(3, 2),
            entries=(ChronologyEntryInput(on=d(6, 1, 2025), what_happened="GP review; carer strain noted."),),
        ),
    )
    story.on(d(3, 3), REVIEWER, MergeChronologies(merged_on=d(3, 3)))
    # No events were held: the reason for each is recorded instead.
    for audience in ("practitioners and first-line managers", "strategic managers"):
        story.on(
            d(3, 4),
            REVIEWER,
            RecordNoPractitionerEvent(
                audience=audience,
                recorded_on=d(3, 4),
                reason="The two practitioners involved were interviewed individually instead.",
            ),
        )
    story.on(d(4, 1), REVIEWER, DraftReportVersion(drafted_on=d(4, 1), sections=REPORT_SECTIONS))
    story.on(d(4, 13), REVIEWER, PresentReport(version=1, presented_to=Body.COMMITTEE, presented_on=d(4, 13)))
    story.on(d(4, 13), REVIEWER, PresentReport(version=1, presented_to=Body.COG, presented_on=d(4, 13)))
    story.on(d(4, 14), COMMITTEE, SignOffReportForCommittee(version=1, signed_off_on=d(4, 14)))
    story.on(d(4, 21), COG, SignOffReportForCog(version=1, signed_off_on=d(4, 21)))
    story.on(
        d(4, 22), OFFICER, SendReportToCareInspectorate(version=1, sent_on=d(4, 22), anonymised_copy=True)
    )
    story.on(
        d(4, 22),
        COMMITTEE,
        AgreeActionPlan(
            agreed_on=d(4, 22),
            actions=(
                ActionInput(
                    action_id="A1", description="Carer assessment audit", responsible="HSCP", due_on=d(6, 30)
                ),
            ),
        ),
    )
    story.on(
        d(4, 22),
        COMMITTEE,
        RecommendPublication(
            recommendation=PublicationChoice.NOT_PUBLISH,
            recommended_on=d(4, 22),
            reasons="Mr Flett would be identified in a small island community.",
        ),
    )
    story.on(
        d(4, 28),
        OFFICER,
        RecordFamilyViewsOnPublication(
            consulted_on=d(4, 28),
            family_members=("S-ASP1-SON",),
            views="Please do not publish.",
            views_of="S-ASP1-SON",
        ),
    )
    # The COG decides not to publish; the exceptional circumstances are noted in its minutes.
    story.on(
        d(5, 5),
        COG,
        DecidePublication(
            decision=PublicationChoice.NOT_PUBLISH,
            decided_on=d(5, 5),
            basis="Identification risk outweighs the benefit of publishing the full report.",
            exceptional_circumstances="A community of under 600 people; the family's wishes.",
            cog_minute="COG 5 May 2026, item 4",
        ),
    )
    # If a report is not published, the learning is extracted and published separately.
    assert "publish-learning-separately" in [o.code for o in review.obligations()]
    story.on(
        d(5, 19),
        OFFICER,
        PublishLearningSeparately(
            published_on=d(5, 19),
            where="7-minute briefing on the APC website",
            summary="Carers' own needs must be assessed.",
        ),
    )
    story.on(
        d(5, 20),
        OFFICER,
        RecordDissemination(
            method="training",
            held_on=d(5, 20),
            audience="adult social work",
            description="Carer assessment training.",
        ),
    )
    story.on(
        d(5, 21),
        OFFICER,
        RecordFamilyFeedback(
            given_on=d(5, 21), family_members=("S-ASP1-SON",), feedback="Thank you.", feedback_of="S-ASP1-SON"
        ),
    )
    story.on(
        d(6, 1),
        OFFICER,
        RecordActionProgress(
            action_id="A1", progress_on=d(6, 1), completed=True, note="Audit done.", evidence=("DOC-AUDIT",)
        ),
    )
    # The review closes only once the committee has signed the completed action off.
    assert [o.code for o in review.obligations()] == ["sign-off-action-A1"]
    story.on(d(6, 2), COMMITTEE, SignOffAction(action_id="A1", signed_off_on=d(6, 2)))
    story.on(d(6, 2), COMMITTEE, CloseReview(closed_on=d(6, 2)))
    assert story.stage() is Stage.CLOSED
    assert review.published_on is None
    assert review.learning_published_separately_on == d(5, 19)
    return story


def a_notification_not_taken_forward() -> Story:
    story = Story("LR-2026-009")
    review = story.review
    story.on(d(1, 5), OFFICER, child_notification())
    story.on(d(1, 6), OFFICER, PassToNominatedPerson(passed_on=d(1, 6), nominee="cpc-officer"))
    assert story.stage() is Stage.UNDER_CONSIDERATION
    # 3A. A recommendation not to proceed, with a suggested alternative approach for learning.
    story.on(
        d(1, 26),
        OFFICER,
        MakeRecommendation(
            recommendation="not proceed",
            made_on=d(1, 26),
            reasons="Single-agency learning only.",
            alternative_approach="A single-agency review by health.",
        ),
    )
    assert story.stage() is Stage.RECOMMENDED
    # 4A. The committee decides not to proceed, and the decision is communicated: the Care Inspectorate too.
    story.on(
        d(2, 2), COMMITTEE, DecideNotToProceed(decided_on=d(2, 2), basis="The learning is for one agency.")
    )
    assert story.stage() is Stage.NOT_PROCEEDING
    communicate_decision(story, d(2, 3))
    assert story.last(CareInspectorateNotified).decision == "not proceed"
    # 5A. The alternative approach for learning is recorded; then the record closes.
    assert [o.code for o in review.obligations()] == ["alternative-approach"]
    story.on(
        d(2, 4),
        OFFICER,
        RecordAlternativeApproach(
            agreed_on=d(2, 4), approach="Single-agency review by NHS Orkney.", lead_agency="NHS Orkney"
        ),
    )
    story.on(d(2, 5), COMMITTEE, CloseReview(closed_on=d(2, 5)))
    assert story.stage() is Stage.CLOSED
    assert len(review.timescales()) == 1
    return story


def test_a_childs_learning_review_from_notification_to_closure() -> None:
    a_childs_review()


def test_an_adult_review_the_cog_decides_not_to_publish() -> None:
    an_adult_review_not_published()


def test_a_notification_the_committee_decides_not_to_take_forward() -> None:
    a_notification_not_taken_forward()


def test_the_notification_form_keeps_every_personal_item_annotated() -> None:
    story = Story("LR-2026-001")
    story.on(d(1, 5), OFFICER, child_notification())
    event = story.events[0]
    assert isinstance(event, NotificationReceived)
    child = event.subject
    assert child.name.about == (CHILD,)
    assert child.name.kind is ItemKind.NAME
    assert child.date_of_birth is not None
    assert child.date_of_birth.value == "2022-04-02"
    assert child.disability is not None
    assert child.disability.special_category
    assert child.ethnicity is not None
    assert child.ethnicity.special_category
    assert child.religion is not None
    assert child.religion.special_category
    assert child.gender is not None
    assert not child.gender.special_category
    assert child.school is not None
    assert child.school.kind is ItemKind.SCHOOL
    assert event.family[0].relationship.about == (MOTHER, CHILD)
    assert event.notifier.name.about == (NOTIFIER,)
    assert event.notifier.agency == "Orkney Islands Council social work"
    assert event.reasons.by == NOTIFIER
    assert event.reasons.about == (CHILD,)
    assert event.agency_contacts[0].name.about == (HEALTH_VISITOR,)


def every_event() -> list[DomainEvent]:
    """At least one event of every type the route records, from the stories above and a few more steps."""
    events = [
        e
        for story in (a_childs_review(), an_adult_review_not_published(), a_notification_not_taken_forward())
        for e in story.events
    ]
    story = Story("LR-2026-010")
    proceed_to_decision(
        story,
        child_notification(
            subject=PersonDetails(subject_id=CHILD, name="Ellie Rendall", date_of_death=d(1, 2))
        ),
    )
    set_up_team(story)
    story.on(d(2, 17), OFFICER, LinkReview(linked_reference="LR-2026-001", relationship="related"))
    story.on(d(2, 17), OFFICER, CompleteChildDeathDataset(completed_on=d(2, 17)))
    story.on(
        d(2, 18), OFFICER, ReleaseTeamMember(member_id=MEMBER, released_on=d(2, 18), reason="Moved post.")
    )
    story.on(
        d(2, 19),
        OFFICER,
        ProposeTorAmendment(proposed_on=d(2, 19), changes="Widen the period.", text="From 2020."),
    )
    story.on(
        d(2, 20), COMMITTEE, DeclineTorAmendment(version=2, declined_on=d(2, 20), reason="Not proportionate.")
    )
    # A decision not to involve the family, with its reasons.
    story.on(
        d(2, 21),
        OFFICER,
        DecideNotToInvolveFamily(decided_on=d(2, 21), reasons="The family asked not to take part."),
    )
    # Stores written by earlier versions hold pauses and delays without their notice and recipients.
    legacy = [
        ReviewPaused(
            at=datetime(2026, 3, 1, 10, tzinfo=UTC),
            role=Role.CPC_OFFICER,
            paused_on=d(3, 1),
            reason=Personal(value=None, about=(CHILD,)),
        ),
        DelayReported(
            at=datetime(2026, 3, 2, 10, tzinfo=UTC),
            role=Role.CPC_OFFICER,
            reported_on=d(3, 2),
            reason=Personal(value=None, about=(CHILD,)),
            revised_completion=d(12, 1),
        ),
    ]
    # Stores written by earlier versions hold the merged chronology as copies without their words.
    earlier = ChronologiesMerged(
        at=datetime(2026, 3, 12, 10, tzinfo=UTC),
        role=Role.REVIEWER,
        merged_on=d(3, 12),
        agencies=("NHS Orkney",),
        entries=(
            ChronologyEntry(
                on=d(5, 2, 2024), agency="NHS Orkney", what_happened=Personal(value=None, about=(CHILD,))
            ),
        ),
    )
    # A report version as the first form of the event kept it (responsible in plain text): still read.
    drafted = next(e for e in events if isinstance(e, ReportVersionDraftedV2) and e.strategies)
    first_form = ReportVersionDrafted(
        at=drafted.at,
        role=drafted.role,
        version=drafted.version,
        drafted_on=drafted.drafted_on,
        terms_of_reference_version=drafted.terms_of_reference_version,
        sections=drafted.sections,
        strategies=tuple(
            ClearStrategy(
                case_for_change=s.case_for_change,
                learning=s.learning,
                evidence=s.evidence,
                responsible="Child Protection Committee",
                review=s.review,
            )
            for s in drafted.strategies
        ),
    )
    # An agency asked for information that never returned it: its non-return is recorded, with why.
    unanswered = Story("LR-2026-012")
    unanswered.on(d(1, 5), OFFICER, child_notification())
    unanswered.on(d(1, 6), OFFICER, PassToNominatedPerson(passed_on=d(1, 6), nominee="sub-group"))
    unanswered.on(d(1, 7), OFFICER, RequestInformation(agencies=("Education",), requested_on=d(1, 7)))
    unanswered.on(
        d(2, 9),
        OFFICER,
        RecordAgencyNonReturn(
            agency="Education", recorded_on=d(2, 9), reason="Not returned after two reminders."
        ),
    )
    return [*events, *story.events, *unanswered.events, first_form, earlier, *legacy]


def test_every_event_of_the_route_round_trips_through_encode_and_typed_decode() -> None:
    events = every_event()
    route_types = {name for name in event_types() if name.startswith("national.")}
    assert {type_name(type(e)) for e in events} == route_types
    for event in events:
        name = type_name(type(event))
        decoded = msgspec.json.decode(msgspec.json.encode(event), type=event_type(name))
        assert decoded == event, name


def _without_personal_values(node: Any) -> Any:
    """The plain form of an event as a reader sees it after disposal: every personal value gone."""
    if isinstance(node, dict):
        if node.get("type") == "personal":
            return {**node, "value": None}
        return {key: _without_personal_values(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_without_personal_values(item) for item in node]
    return node


def test_the_record_replays_to_the_same_state_after_its_personal_data_is_disposed_of() -> None:
    story = a_childs_review()
    disposed = PersonalDataDisposed(rule="test", authorised_by="admin", at=datetime(2027, 1, 1, tzinfo=UTC))
    story.review.apply(disposed)
    shredded = [
        from_builtins(type_name(type(e)), _without_personal_values(to_builtins(e))) for e in story.events
    ]
    replayed = NationalReview.replay("LR-2026-001", [*shredded, disposed])
    assert replayed.stage is Stage.CLOSED
    mine = {k: v for k, v in vars(story.review).items() if k != "_pending"}
    assert {k: v for k, v in vars(replayed).items() if k != "_pending"} == mine


def test_every_narrative_field_can_say_whom_else_it_names() -> None:
    # A family contact's views that name the sister, the release of a member that names the child,
    # a declined amendment, a CLEAR strategy about the mother: `about` is taken everywhere, and a
    # text already someone's (the mother's views) stays about them too.
    story = Story("LR-2026-011")
    proceed_to_decision(story, child_notification(about=(MOTHER,)))
    notified = story.events[0]
    assert isinstance(notified, NotificationReceived)
    assert notified.reasons.about == (CHILD, MOTHER)
    set_up_team(story)
    story.on(
        d(2, 18),
        OFFICER,
        AgreeFamilyLiaisonStrategy(
            agreed_on=d(2, 18), family_group=(MOTHER,), strategy="Meet Dawn, not Skye.", about=(SISTER,)
        ),
    )
    story.on(
        d(2, 19),
        REVIEWER,
        RecordFamilyContact(
            contacted_on=d(2, 19),
            family_members=(MOTHER,),
            met_by=(REVIEWER_ID,),
            views="Skye was left to look after Ellie.",
            views_of=MOTHER,
            about=(SISTER, CHILD),
        ),
    )
    contact = story.events[-1]
    assert isinstance(contact, FamilyContactRecorded)
    assert contact.views.about == (MOTHER, SISTER, CHILD) and contact.views.by == MOTHER
    story.on(
        d(2, 20),
        OFFICER,
        ReleaseTeamMember(
            member_id=MEMBER, released_on=d(2, 20), reason="Knew Ellie's family.", about=(CHILD,)
        ),
    )
    released = story.events[-1]
    assert isinstance(released, TeamMemberReleased)
    assert released.reason.about == (MEMBER, CHILD)
    with pytest.raises(InvalidInput, match="about: must look like S-xxxx"):
        story.on(
            d(2, 21),
            REVIEWER,
            RecordFamilyContact(
                contacted_on=d(2, 21),
                family_members=(MOTHER,),
                met_by=(REVIEWER_ID,),
                views="Fine.",
                views_of=MOTHER,
                about=("Skye",),
            ),
        )


def test_pauses_and_delays_stored_by_earlier_versions_replay_to_the_same_clocks() -> None:
    # Stores written before pauses and delays carried their notice hold national.review-paused and
    # national.delay-reported: a review replays from them to the state and clocks the new events give.
    story = Story("LR-2026-013")
    proceed_to_decision(story, child_notification())
    set_up_team(story)
    story.on(
        d(3, 2),
        OFFICER,
        PauseReview(paused_on=d(3, 2), reason="Police enquiry.", notice_to=BOTH, notice_on=d(3, 2)),
    )
    story.on(d(3, 30), OFFICER, ResumeReview(resumed_on=d(3, 30)))
    story.on(
        d(4, 1),
        OFFICER,
        ReportDelay(reported_on=d(4, 1), reason="The pause.", revised_completion=d(11, 30), recipients=BOTH),
    )
    earlier: list[DomainEvent] = []
    for event in story.events:
        if isinstance(event, ReviewPausedWithNotice):
            earlier.append(
                ReviewPaused(at=event.at, role=event.role, paused_on=event.paused_on, reason=event.reason)
            )
        elif isinstance(event, DelayReportedToBodies):
            earlier.append(
                DelayReported(
                    at=event.at,
                    role=event.role,
                    reported_on=event.reported_on,
                    reason=event.reason,
                    revised_completion=event.revised_completion,
                )
            )
        else:
            earlier.append(event)
    assert [type(e) for e in earlier] != [type(e) for e in story.events]
    replayed = NationalReview.replay("LR-2026-013", earlier)
    assert (replayed.pauses, replayed.delays) == (story.review.pauses, story.review.delays)
    assert replayed.timescales() == story.review.timescales()
    assert replayed.timescales()[1].due == d(11, 30)
