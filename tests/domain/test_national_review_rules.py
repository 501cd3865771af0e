"""Each rule of the National Learning Review refuses the step it forbids, says why, and records nothing.

Every refusal is checked for its exact message and rule citation, and for leaving the
record exactly as it was: version, pending events and every piece of state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import msgspec
import pytest

from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.event import Nature, from_builtins, to_builtins, type_name
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
    RecordFamilyContact,
    RecordFamilyFeedbackOnConclusion,
    RecordFamilyFeedbackOnProcess,
    RecordFamilyGroupMember,
    RecordFamilyInformed,
    RecordFamilyViewsOnPublication,
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
    SignOffReportForCog,
    SignOffReportForCommittee,
)
from domain.routes.national.events import DecisionToProceedRecorded, FamilyContactRecorded
from domain.routes.national.forms import (
    REPORT_CONTENTS,
    ActionInput,
    Body,
    ChronologyEntryInput,
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
from tests.domain.national_story import Story

OFFICER = Acting(actor="cpc-officer", roles=frozenset({Role.CPC_OFFICER}))
COMMITTEE = Acting(actor="cpc-chair", roles=frozenset({Role.CPC}))
COG = Acting(actor="cog-chair", roles=frozenset({Role.COG}))
REVIEWER = Acting(actor="reviewer", roles=frozenset({Role.REVIEWER}))
BOTH = (Body.COMMITTEE, Body.COG)

CHILD, NOTIFIER, MOTHER = "S-R-CHILD", "S-R-NOTIFIER", "S-R-MOTHER"
CHAIR, REVIEWER_ID, ADMIN = "S-R-CHAIR", "S-R-REVIEWER", "S-R-ADMIN"
REFERENCE = "LR-2026-001"
START = date(2026, 1, 5)


def fresh() -> Story:
    """A review with nothing recorded yet, whose steps happen one day after another from START."""
    return Story(REFERENCE, START)


def notification(subject_group: str = "child") -> ReceiveNotification:
    return ReceiveNotification(
        subject_group="adult" if subject_group == "adult" else "child",
        received_on=START,
        subject=PersonDetails(subject_id=CHILD, name="Lewis Drever"),
        notifier=PractitionerDetails(subject_id=NOTIFIER, name="Anna Hourston", agency="Police Scotland"),
        reasons="Serious injury to a child on the Child Protection Register.",
    )


def recommendation(outcome: str = "proceed") -> MakeRecommendation:
    if outcome == "proceed":
        return MakeRecommendation(
            recommendation="proceed",
            made_on=START,
            reasons="Criteria met.",
            proposed_terms_of_reference="Scope.",
        )
    return MakeRecommendation(
        recommendation="not proceed", made_on=START, reasons="Not met.", alternative_approach="Audit."
    )


def recommended(subject_group: str = "child", outcome: str = "proceed") -> Story:
    story = fresh()
    story.step(OFFICER, notification(subject_group))
    story.step(OFFICER, PassToNominatedPerson(passed_on=story.today, nominee="sub-group"))
    story.step(OFFICER, RequestInformation(agencies=("NHS",), requested_on=story.today))
    story.step(
        OFFICER,
        RecordAgencyReturn(
            agency="NHS",
            received_on=story.today,
            author=NOTIFIER,
            involvement="Some.",
            initial_reflection="Fine.",
        ),
    )
    story.step(OFFICER, msgspec.structs.replace(recommendation(outcome), made_on=story.today))
    return story


def proceeding(subject_group: str = "child") -> Story:
    story = recommended(subject_group)
    story.step(COMMITTEE, DecideToProceed(decided_on=story.today, basis="Criteria met."))
    for command in (
        InformCog(informed_on=story.today),
        SendNotificationResponse(sent_on=story.today),
        NotifyCareInspectorate(notified_on=story.today),
    ):
        story.step(OFFICER, command)
    return story


def appoint(
    story: Story, subject_id: str, team_role: TeamRole, change_reason: str | None = None
) -> AppointTeamMember:
    return AppointTeamMember(
        member=PractitionerDetails(subject_id=subject_id, name="A Member", agency="Council"),
        team_role=team_role,
        appointed_on=story.today,
        direct_involvement=False,
        declaration="No involvement.",
        change_reason=change_reason,
        # The Reviewer and the Administrator (the committee's officer) record their own steps.
        actor_id={TeamRole.REVIEWER: "reviewer", TeamRole.ADMINISTRATOR: "cpc-officer"}.get(team_role),
    )


def with_team(subject_group: str = "child") -> Story:
    story = proceeding(subject_group)
    for subject_id, team_role in (
        (CHAIR, TeamRole.CHAIR),
        (REVIEWER_ID, TeamRole.REVIEWER),
        (ADMIN, TeamRole.ADMINISTRATOR),
    ):
        story.step(OFFICER, appoint(story, subject_id, team_role))
    return story


def draft(story: Story) -> DraftReportVersion:
    return DraftReportVersion(
        drafted_on=story.today,
        sections=tuple(SectionInput(heading=kind, text="What it says.") for kind in REPORT_CONTENTS),
    )


def ready_to_present(story: Story) -> None:
    """What seed 001 section 4 asks before the report is presented, done (information was asked for earlier)."""
    story.step(
        OFFICER,
        AgreeFamilyLiaisonStrategy(agreed_on=story.today, family_group=(MOTHER,), strategy="Meet her."),
    )
    story.step(
        OFFICER,
        CheckParallelProcess(
            proceeding=Proceeding.CRIMINAL, state=ProceedingState.NONE, checked_on=story.today
        ),
    )
    story.step(
        OFFICER,
        RequestChronology(
            agency="NHS", requested_on=story.today, period_from=date(2024, 1, 1), period_to=date(2025, 1, 1)
        ),
    )
    story.step(
        OFFICER,
        ReceiveChronology(
            agency="NHS",
            received_on=story.today,
            entries=(ChronologyEntryInput(on=date(2024, 6, 1), what_happened="A visit."),),
        ),
    )
    story.step(REVIEWER, MergeChronologies(merged_on=story.today))
    for audience in ("practitioners and first-line managers", "strategic managers"):
        story.step(
            REVIEWER,
            RecordNoPractitionerEvent(
                audience=audience, recorded_on=story.today, reason="None could be held."
            ),
        )


def present(story: Story, version: int = 1) -> None:
    for body in (Body.COMMITTEE, Body.COG):
        story.step(REVIEWER, PresentReport(version=version, presented_to=body, presented_on=story.today))


def drafted() -> Story:
    story = with_team()
    ready_to_present(story)
    story.step(REVIEWER, draft(story))
    return story


def signed_off() -> Story:
    story = drafted()
    present(story)
    story.step(COMMITTEE, SignOffReportForCommittee(version=1, signed_off_on=story.today))
    story.step(COG, SignOffReportForCog(version=1, signed_off_on=story.today))
    return story


def ready_for_publication_decision() -> Story:
    story = signed_off()
    story.step(
        COMMITTEE,
        RecommendPublication(
            recommendation=PublicationChoice.PUBLISH, recommended_on=story.today, reasons="Learning for all."
        ),
    )
    story.step(
        OFFICER,
        RecordFamilyViewsOnPublication(
            consulted_on=story.today, family_members=(MOTHER,), views="Content.", views_of=MOTHER
        ),
    )
    return story


def decide(story: Story, decision: PublicationChoice, **changes: object) -> DecidePublication:
    command = DecidePublication(decision=decision, decided_on=story.today, basis="Considered.")
    return msgspec.structs.replace(command, **changes)


def publish(story: Story) -> PublishReport:
    return PublishReport(version=1, published_on=story.today, where="website", anonymised=True)


# -- order: steps out of turn are refused -----------------------------------------------------


def test_nothing_is_recorded_before_a_notification() -> None:
    story = fresh()
    story.refused(
        OFFICER,
        PassToNominatedPerson(passed_on=START, nominee="sub-group"),
        RuleViolation,
        "no notification has been received for this review yet",
    )


def test_a_second_notification_is_refused() -> None:
    story = fresh()
    story.step(OFFICER, notification())
    story.refused(
        OFFICER, notification(), RuleViolation, "a notification has already been received for this review"
    )


def test_information_is_requested_only_after_the_notification_is_passed_on() -> None:
    story = fresh()
    story.step(OFFICER, notification())
    story.refused(
        OFFICER,
        RequestInformation(agencies=("Police Scotland",), requested_on=START),
        RuleViolation,
        "requesting information comes after the notification is passed to the nominated person or sub-group",
    )


def test_an_agency_that_was_not_asked_cannot_return_information() -> None:
    story = fresh()
    story.step(OFFICER, notification())
    story.step(OFFICER, PassToNominatedPerson(passed_on=START, nominee="sub-group"))
    story.step(OFFICER, RequestInformation(agencies=("Police Scotland",), requested_on=START))
    story.refused(
        OFFICER,
        RecordAgencyReturn(
            agency="Education",
            received_on=START,
            author=NOTIFIER,
            involvement="None.",
            initial_reflection="None.",
        ),
        RuleViolation,
        "no request for information was sent to Education",
    )


def test_the_committee_decides_only_on_a_recommendation() -> None:
    story = fresh()
    story.step(OFFICER, notification())
    story.refused(
        COMMITTEE,
        DecideToProceed(decided_on=START, basis="x"),
        RuleViolation,
        "the Child Protection Committee decides on a recommendation from the nominated person or "
        "sub-group, and none has been made",
    )


def test_each_recommendation_comes_with_what_the_process_map_requires() -> None:
    story = fresh()
    story.step(OFFICER, notification())
    story.step(OFFICER, PassToNominatedPerson(passed_on=START, nominee="sub-group"))
    story.refused(
        OFFICER,
        msgspec.structs.replace(recommendation(), proposed_terms_of_reference=None),
        RuleViolation,
        "a recommendation to proceed must come with proposed terms of reference",
    )
    story.refused(
        OFFICER,
        msgspec.structs.replace(recommendation("not"), alternative_approach=None),
        RuleViolation,
        "a recommendation not to proceed must suggest an alternative approach for learning",
    )


def test_the_committee_decides_once() -> None:
    story = proceeding()
    story.refused(
        COMMITTEE,
        DecideNotToProceed(decided_on=story.today, basis="x"),
        RuleViolation,
        f"the Child Protection Committee has already decided to proceed on {story.review.decided_on}",
    )


def test_the_review_team_is_appointed_only_after_a_decision_to_proceed() -> None:
    story = recommended()
    story.refused(
        OFFICER,
        appoint(story, CHAIR, TeamRole.CHAIR),
        RuleViolation,
        "the Child Protection Committee has not decided yet: there is no decision to record against",
    )
    story.step(COMMITTEE, DecideNotToProceed(decided_on=story.today, basis="Single-agency matter."))
    story.refused(
        OFFICER,
        appoint(story, CHAIR, TeamRole.CHAIR),
        RuleViolation,
        "appointing the Review Team is not possible: the Child Protection Committee decided not to proceed",
    )


def test_an_alternative_approach_is_recorded_only_when_not_proceeding() -> None:
    story = proceeding()
    story.refused(
        OFFICER,
        RecordAlternativeApproach(agreed_on=story.today, approach="x", lead_agency="NHS"),
        RuleViolation,
        "the Child Protection Committee decided to proceed: an alternative approach for "
        "learning is recorded only when it decides not to",
    )


def test_the_decision_is_communicated_to_each_party_once() -> None:
    story = proceeding()
    informed_on = story.review.communicated["COG"]
    story.refused(
        OFFICER,
        InformCog(informed_on=story.today),
        RuleViolation,
        f"the COG was already informed on {informed_on}",
    )


def test_nothing_is_recorded_after_closure() -> None:
    story = recommended(outcome="not")
    story.step(COMMITTEE, DecideNotToProceed(decided_on=story.today, basis="Single-agency matter."))
    for command in (
        InformCog(informed_on=story.today),
        SendNotificationResponse(sent_on=story.today),
        NotifyCareInspectorate(notified_on=story.today),
        RecordAlternativeApproach(agreed_on=story.today, approach="Audit.", lead_agency="NHS"),
    ):
        story.step(OFFICER, command)
    story.step(COMMITTEE, CloseReview(closed_on=story.today))
    closed = f"the review was closed on {story.review.closed_on}: nothing more can be recorded"
    story.refused(OFFICER, InformCog(informed_on=story.today), RuleViolation, closed)
    story.refused(COMMITTEE, CloseReview(closed_on=story.today), RuleViolation, closed)


# -- the Review Team ---------------------------------------------------------------------------


def test_the_review_team_has_one_chair_and_one_or_two_reviewers() -> None:
    story = with_team()
    story.refused(
        OFFICER,
        appoint(story, "S-R-CHAIR2", TeamRole.CHAIR),
        RuleViolation,
        "the Review Team already has 1 chair: release one first",
    )
    story.step(OFFICER, appoint(story, "S-R-REVIEWER2", TeamRole.REVIEWER))
    story.refused(
        OFFICER,
        appoint(story, "S-R-REVIEWER3", TeamRole.REVIEWER),
        RuleViolation,
        "the Review Team already has 2 reviewers: release one first",
    )


def test_the_team_meets_only_when_complete_and_changes_after_meeting_give_a_reason() -> None:
    story = proceeding()
    story.step(OFFICER, appoint(story, CHAIR, TeamRole.CHAIR))
    meeting = RecordTeamMeeting(held_on=story.today, attendees=(CHAIR,), minutes="First meeting.")
    story.refused(
        OFFICER,
        meeting,
        RuleViolation,
        "the Review Team needs a Chair, a Reviewer and an Administrator before it meets",
    )
    story.step(OFFICER, appoint(story, REVIEWER_ID, TeamRole.REVIEWER))
    story.step(OFFICER, appoint(story, ADMIN, TeamRole.ADMINISTRATOR))
    story.step(OFFICER, msgspec.structs.replace(meeting, held_on=story.today))
    story.refused(
        OFFICER,
        appoint(story, "S-R-MEMBER", TeamRole.MEMBER),
        RuleViolation,
        "the Review Team has already met: a change of membership must give its reason",
    )
    story.step(
        OFFICER, appoint(story, "S-R-MEMBER", TeamRole.MEMBER, change_reason="Education were missing.")
    )
    assert len(story.review.current_team()) == 4


def test_family_contact_follows_an_agreed_family_liaison_strategy() -> None:
    story = with_team()
    contact = RecordFamilyContact(
        contacted_on=story.today,
        family_members=(MOTHER,),
        met_by=(REVIEWER_ID,),
        views="Unhappy.",
        views_of=MOTHER,
    )
    story.refused(
        REVIEWER,
        contact,
        RuleViolation,
        "contact with the family follows the Family Liaison Strategy, which has not been agreed",
    )
    story.step(
        OFFICER, AgreeFamilyLiaisonStrategy(agreed_on=story.today, family_group=(MOTHER,), strategy="Visit.")
    )
    story.step(REVIEWER, msgspec.structs.replace(contact, contacted_on=story.today))


def test_parallel_processes_are_checked_by_the_chair_and_childrens_hearings_only_for_children() -> None:
    story = proceeding("adult")
    check = CheckParallelProcess(
        proceeding=Proceeding.CHILDRENS_HEARING, state=ProceedingState.ONGOING, checked_on=story.today
    )
    story.refused(
        OFFICER,
        check,
        RuleViolation,
        "parallel processes are checked by the Review Team Chair, and none has been appointed",
    )
    story.step(OFFICER, appoint(story, CHAIR, TeamRole.CHAIR))
    story.refused(
        OFFICER, check, RuleViolation, "children's hearings are not a parallel process of an adult review"
    )
    story.refused(
        OFFICER,
        CompleteChildDeathDataset(completed_on=story.today),
        RuleViolation,
        "the National Child Death Review Dataset is completed only in a child's review",
    )


# -- terms of reference ------------------------------------------------------------------------


def test_police_scotland_is_liaised_with_only_on_a_review_that_proceeds() -> None:
    liaison = RecordPoliceLiaison(liaised_on=START, outcome="Interviews after the statements.")
    story = recommended()
    story.refused(
        OFFICER,
        liaison,
        RuleViolation,
        "the Child Protection Committee has not decided yet: there is no decision to record against",
    )
    story = recommended(outcome="not proceed")
    story.step(COMMITTEE, DecideNotToProceed(decided_on=story.today, basis="Not met."))
    story.refused(
        OFFICER,
        msgspec.structs.replace(liaison, liaised_on=story.today),
        RuleViolation,
        "liaison with Police Scotland is not possible: the Child Protection Committee decided not to proceed",
    )
    story = proceeding()
    story.step(OFFICER, msgspec.structs.replace(liaison, liaised_on=story.today))
    assert story.review.police_liaison == [story.today - timedelta(days=1)]


def test_a_terms_of_reference_amendment_is_in_force_only_once_the_committee_agrees() -> None:
    story = with_team()
    story.step(
        REVIEWER, ProposeTorAmendment(proposed_on=story.today, changes="Add aftermath.", text="Scope v2.")
    )
    assert story.review.terms_in_force == 1
    story.refused(
        REVIEWER,
        ProposeTorAmendment(proposed_on=story.today, changes="More.", text="Scope v3."),
        RuleViolation,
        "terms of reference version 2 still await the Child Protection Committee's agreement",
    )
    story.refused(
        COMMITTEE,
        AgreeTorAmendment(version=3, agreed_on=story.today),
        RuleViolation,
        "there is no proposed amendment version 3 awaiting the Child Protection Committee",
    )
    story.step(COMMITTEE, DeclineTorAmendment(version=2, declined_on=story.today, reason="Out of scope."))
    assert story.review.terms_in_force == 1
    story.refused(
        COMMITTEE,
        AgreeTorAmendment(version=2, agreed_on=story.today),
        RuleViolation,
        "there is no proposed amendment version 2 awaiting the Child Protection Committee",
    )
    story.step(OFFICER, ProposeTorAmendment(proposed_on=story.today, changes="Narrower.", text="Scope v3."))
    story.step(COMMITTEE, AgreeTorAmendment(version=3, agreed_on=story.today))
    assert story.review.terms_in_force == 3


# -- chronologies, pauses, delays --------------------------------------------------------------


def test_chronologies_are_received_only_when_requested_and_merged_only_when_received() -> None:
    story = with_team()
    story.refused(
        OFFICER,
        ReceiveChronology(
            agency="NHS",
            received_on=story.today,
            entries=(ChronologyEntryInput(on=date(2025, 1, 1), what_happened="Visit."),),
        ),
        RuleViolation,
        "no chronology was requested from NHS",
    )
    story.refused(
        REVIEWER,
        MergeChronologies(merged_on=story.today),
        RuleViolation,
        "no single-agency chronology has been received yet",
    )


def test_a_paused_review_does_not_progress_until_resumed() -> None:
    story = drafted()
    story.refused(OFFICER, ResumeReview(resumed_on=story.today), RuleViolation, "the review is not paused")
    story.step(
        OFFICER,
        PauseReview(
            paused_on=story.today, reason="New police information.", notice_to=BOTH, notice_on=story.today
        ),
    )
    paused_on = story.today - timedelta(days=1)
    story.refused(
        OFFICER,
        PauseReview(paused_on=story.today, reason="Again.", notice_to=BOTH, notice_on=story.today),
        RuleViolation,
        f"the review has been paused since {paused_on}",
    )
    story.refused(
        REVIEWER,
        draft(story),
        RuleViolation,
        f"drafting the report must wait: the review has been paused since {paused_on}",
    )
    story.refused(
        COMMITTEE,
        SignOffReportForCommittee(version=1, signed_off_on=story.today),
        RuleViolation,
        f"signing off the report must wait: the review has been paused since {paused_on}",
    )
    story.step(OFFICER, ResumeReview(resumed_on=story.today))
    story.step(REVIEWER, draft(story))


def test_a_reported_delay_must_revise_the_timescale_later() -> None:
    story = with_team()
    due = story.review.timescales()[1].due
    story.refused(
        OFFICER,
        ReportDelay(reported_on=story.today, reason="x", revised_completion=due, recipients=BOTH),
        InvalidInput,
        f"revised_completion: must be later than the current due date {due} and the day it is reported",
    )


# -- the report and sign-off -------------------------------------------------------------------


def test_no_sign_off_without_a_report_version() -> None:
    story = with_team()
    message = "there is no report to sign off: no version has been drafted"
    story.refused(
        COMMITTEE, SignOffReportForCommittee(version=1, signed_off_on=story.today), RuleViolation, message
    )
    story.refused(COG, SignOffReportForCog(version=1, signed_off_on=story.today), RuleViolation, message)


def test_only_the_latest_report_version_is_signed_off_and_only_once() -> None:
    story = drafted()
    story.step(REVIEWER, draft(story))
    story.refused(
        COMMITTEE,
        SignOffReportForCommittee(version=1, signed_off_on=story.today),
        RuleViolation,
        "version 1 is not the latest report version (2)",
    )
    present(story, 2)
    story.step(COMMITTEE, SignOffReportForCommittee(version=2, signed_off_on=story.today))
    story.refused(
        COMMITTEE,
        SignOffReportForCommittee(version=2, signed_off_on=story.today),
        RuleViolation,
        "report version 2 was already signed off by the committee",
    )


def test_a_report_signed_off_by_both_cannot_be_redrafted() -> None:
    story = signed_off()
    story.refused(
        REVIEWER,
        draft(story),
        RuleViolation,
        "drafting the report is no longer possible: the report "
        "has been signed off by the Child Protection Committee and the COG",
    )


def test_opinions_say_whose_they_are_and_strategies_are_clear() -> None:
    story = with_team()
    opinion = SectionInput(heading=SectionKind.LEARNING, text="Poor practice.", nature=Nature.OPINION)
    story.refused(
        REVIEWER,
        DraftReportVersion(drafted_on=story.today, sections=(opinion,)),
        InvalidInput,
        "sections.learning: an opinion must say whose opinion it is (seed 001 'The Report')",
    )
    vague = StrategyInput(
        case_for_change="Change.", learning="Learn.", evidence="", responsible="CPC", review="Audit."
    )
    story.refused(
        REVIEWER,
        msgspec.structs.replace(draft(story), strategies=(vague,)),
        InvalidInput,
        "strategy.evidence: must not be empty",
    )


def test_dates_are_not_after_recording_nor_before_the_notification() -> None:
    story = proceeding()
    story.refused(
        OFFICER,
        PauseReview(
            paused_on=story.today + timedelta(days=1), reason="x", notice_to=BOTH, notice_on=story.today
        ),
        InvalidInput,
        "paused_on: must not be later than the day it is recorded",
    )
    story.refused(
        OFFICER,
        PauseReview(paused_on=START - timedelta(days=1), reason="x", notice_to=BOTH, notice_on=story.today),
        InvalidInput,
        "paused_on: must not be before the notification was received",
    )


# -- publication -------------------------------------------------------------------------------


def test_the_publication_decision_needs_both_sign_offs() -> None:
    story = drafted()
    present(story)
    story.step(COMMITTEE, SignOffReportForCommittee(version=1, signed_off_on=story.today))
    story.refused(
        COG,
        decide(story, PublicationChoice.PUBLISH),
        RuleViolation,
        "the report must be signed off by both the Child Protection Committee and the COG before the COG "
        "decides on publication",
    )


def test_the_publication_decision_is_informed_by_the_recommendation_and_the_family() -> None:
    story = signed_off()
    story.refused(
        COG,
        decide(story, PublicationChoice.PUBLISH),
        RuleViolation,
        "the COG decides informed by the Child Protection Committee's recommendation, and none has been made",
    )
    story.step(
        COMMITTEE,
        RecommendPublication(
            recommendation=PublicationChoice.PUBLISH, recommended_on=story.today, reasons="x"
        ),
    )
    story.refused(
        COG,
        decide(story, PublicationChoice.PUBLISH),
        RuleViolation,
        "the family must be consulted on publication before the COG decides",
    )


def test_not_publishing_needs_exceptional_circumstances_and_opens_separate_publication_of_learning() -> None:
    story = ready_for_publication_decision()
    message = (
        "a decision not to publish must record the exceptional circumstances and the COG minute that "
        "notes them"
    )
    story.refused(COG, decide(story, PublicationChoice.NOT_PUBLISH), RuleViolation, message)
    story.refused(
        COG,
        decide(story, PublicationChoice.NOT_PUBLISH, exceptional_circumstances="Small community."),
        RuleViolation,
        message,
    )
    story.refused(
        OFFICER,
        PublishLearningSeparately(published_on=story.today, where="web", summary="x"),
        RuleViolation,
        "the learning is published separately when the COG decides not to publish the report",
    )
    story.step(
        COG,
        decide(
            story,
            PublicationChoice.NOT_PUBLISH,
            exceptional_circumstances="Small community.",
            cog_minute="COG 2 Mar 2026, item 3",
        ),
    )
    assert "publish-learning-separately" in [o.code for o in story.review.obligations()]
    story.refused(OFFICER, publish(story), RuleViolation, "the COG has not decided to publish the report")
    story.refused(
        COG,
        decide(story, PublicationChoice.PUBLISH),
        RuleViolation,
        "the COG has already decided: not publish",
    )
    story.step(OFFICER, PublishLearningSeparately(published_on=story.today, where="web", summary="Learning."))
    assert "publish-learning-separately" not in [o.code for o in story.review.obligations()]


def test_publish_later_can_become_a_decision_to_publish() -> None:
    story = ready_for_publication_decision()
    story.step(COG, decide(story, PublicationChoice.PUBLISH_LATER))
    story.refused(OFFICER, publish(story), RuleViolation, "the COG has not decided to publish the report")
    story.step(COG, decide(story, PublicationChoice.PUBLISH))
    story.step(OFFICER, publish(story))


@pytest.mark.parametrize(
    ("proceeding_kind", "body"),
    [
        (Proceeding.CRIMINAL, LiaisonBody.COPFS),
        (Proceeding.FAI, LiaisonBody.COPFS),
        (Proceeding.CHILDRENS_HEARING, LiaisonBody.SCRA),
    ],
)
def test_publication_is_deferred_while_proceedings_are_ongoing_until_copfs_or_scra_is_consulted(
    proceeding_kind: Proceeding, body: LiaisonBody
) -> None:
    story = ready_for_publication_decision()
    story.step(
        OFFICER,
        CheckParallelProcess(
            proceeding=proceeding_kind, state=ProceedingState.ONGOING, checked_on=story.today
        ),
    )
    story.step(COG, decide(story, PublicationChoice.PUBLISH))
    deferred = f"publication is deferred: {proceeding_kind} ongoing, and publication has not been discussed with {body}"
    story.refused(OFFICER, publish(story), RuleViolation, deferred)
    # Liaison about the parallel processes themselves is not liaison about publication.
    story.step(
        OFFICER,
        RecordProceedingsLiaison(
            body=body, purpose="parallel processes", liaised_on=story.today, outcome="Noted."
        ),
    )
    story.refused(OFFICER, publish(story), RuleViolation, deferred)
    story.step(
        OFFICER,
        RecordProceedingsLiaison(
            body=body, purpose="publication", liaised_on=story.today, outcome="No objection."
        ),
    )
    story.step(OFFICER, publish(story))


def test_concluded_proceedings_do_not_defer_publication() -> None:
    story = ready_for_publication_decision()
    story.step(
        OFFICER,
        CheckParallelProcess(
            proceeding=Proceeding.CRIMINAL, state=ProceedingState.ONGOING, checked_on=story.today
        ),
    )
    story.step(
        OFFICER,
        CheckParallelProcess(
            proceeding=Proceeding.CRIMINAL, state=ProceedingState.CONCLUDED, checked_on=story.today
        ),
    )
    story.step(COG, decide(story, PublicationChoice.PUBLISH))
    story.step(OFFICER, publish(story))


def test_only_an_anonymised_report_is_published() -> None:
    story = ready_for_publication_decision()
    story.step(COG, decide(story, PublicationChoice.PUBLISH))
    story.refused(
        OFFICER,
        msgspec.structs.replace(publish(story), anonymised=False),
        RuleViolation,
        "only a suitably anonymised report may be published",
    )


# -- closure -----------------------------------------------------------------------------------


def test_closure_is_refused_while_obligations_are_open() -> None:
    story = signed_off()
    story.step(
        COMMITTEE,
        AgreeActionPlan(
            agreed_on=story.today,
            actions=(
                ActionInput(
                    action_id="A1",
                    description="Briefing",
                    responsible="CPC",
                    due_on=date(2026, 6, 1),
                ),
            ),
        ),
    )
    story.refused(
        COMMITTEE,
        CloseReview(closed_on=story.today),
        RuleViolation,
        "the review cannot close while these remain: send the signed-off report, with an anonymised copy, to the "
        "Care Inspectorate; action A1 (CPC) outstanding: complete it, or carry it over to a named owner; the Child "
        "Protection Committee to recommend, and the COG to decide, on publication; disseminate the learning "
        "(briefings, training); feed back the conclusion and learning to the family; ask the family how they "
        "found the process of the review",
    )


# -- authority ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "actor", "command", "message"),
    [
        (
            fresh,
            COMMITTEE,
            notification(),
            "receiving a notification can only be recorded by a protection "
            "committee officer; cpc-chair does not hold that role",
        ),
        (
            recommended,
            COG,
            DecideToProceed(decided_on=START, basis="x"),
            "the decision whether to proceed can only "
            "be recorded by the protection committee; cog-chair does not hold that role",
        ),
        (
            recommended,
            OFFICER,
            DecideNotToProceed(decided_on=START, basis="x"),
            "the decision whether to proceed "
            "can only be recorded by the protection committee; cpc-officer does not hold that role",
        ),
        (
            with_team,
            COMMITTEE,
            ProposeTorAmendment(proposed_on=START, changes="x", text="y"),
            "an amendment to the "
            "terms of reference can only be recorded by a reviewer or a protection committee officer",
        ),
        (
            with_team,
            REVIEWER,
            AgreeTorAmendment(version=2, agreed_on=START),
            "agreement to a terms-of-reference amendment can only be recorded by the protection committee",
        ),
        (
            with_team,
            OFFICER,
            DraftReportVersion(drafted_on=START, sections=()),
            "drafting the report can only be recorded by a reviewer",
        ),
        (
            drafted,
            COG,
            SignOffReportForCommittee(version=1, signed_off_on=START),
            "the committee's sign-off of the report can only be recorded by the protection committee",
        ),
        (
            drafted,
            COMMITTEE,
            SignOffReportForCog(version=1, signed_off_on=START),
            "the COG's sign-off of the report can only be recorded by the Chief Officers Group",
        ),
        (
            signed_off,
            COG,
            RecommendPublication(recommendation=PublicationChoice.PUBLISH, recommended_on=START, reasons="x"),
            "the recommendation on publication can only be recorded by the protection committee",
        ),
        (
            ready_for_publication_decision,
            COMMITTEE,
            DecidePublication(decision=PublicationChoice.PUBLISH, decided_on=START, basis="x"),
            "the decision on publication can only be recorded by the Chief Officers Group",
        ),
        (
            with_team,
            REVIEWER,
            appoint(fresh(), "S-R-X", TeamRole.MEMBER),
            "appointing a Review Team member can only be recorded by a protection committee officer",
        ),
        (
            with_team,
            REVIEWER,
            RecordPoliceLiaison(liaised_on=START, outcome="o"),
            "liaison with Police Scotland can only be recorded by a protection committee officer; "
            "reviewer does not hold that role",
        ),
        (
            signed_off,
            OFFICER,
            CloseReview(closed_on=START),
            "closing the review can only be recorded by the protection committee",
        ),
    ],
)
def test_a_step_taken_by_the_wrong_role_is_refused(
    build: Callable[[], Story], actor: Acting, command: Command, message: str
) -> None:
    error = build().refused(actor, command, NotAuthorised, message)
    assert isinstance(error, NotAuthorised)
    assert error.actor == actor.actor


def test_authority_is_checked_before_the_order_of_steps() -> None:
    # A COG member trying the committee's decision before there is anything to decide is told who decides.
    story = fresh()
    story.refused(
        COG,
        DecideToProceed(decided_on=START, basis="x"),
        NotAuthorised,
        "the decision whether to proceed can only be recorded by the protection committee",
    )


def test_the_role_each_decision_was_taken_in_is_recorded() -> None:
    both = Acting(actor="dual", roles=frozenset({Role.CPC, Role.CPC_OFFICER}))
    story = recommended()
    story.step(both, DecideToProceed(decided_on=story.today, basis="Criteria met."))
    decision = story.review._pending[-1]
    assert isinstance(decision, DecisionToProceedRecorded)
    assert decision.role is Role.CPC


# -- completion conditions (seed 001 section 4) and authority on the review's own team ---------


def _present_refused(story: Story, missing: str) -> None:
    story.refused(
        REVIEWER,
        PresentReport(version=1, presented_to=Body.COMMITTEE, presented_on=story.today),
        RuleViolation,
        f"the report cannot be presented until there is {missing}",
    )


def test_the_report_is_presented_only_when_the_reviews_work_is_done() -> None:
    story = with_team()
    story.step(REVIEWER, draft(story))
    _present_refused(
        story,
        "a Family Liaison Strategy agreed, or the decision not to involve the family recorded with reasons; "
        "the Chair's check of parallel processes; the single-agency chronologies merged; a practitioners' event "
        "held, or the reason there was none recorded; a managers' event held, or the reason there was none recorded",
    )
    story.step(OFFICER, DecideNotToInvolveFamily(decided_on=story.today, reasons="The family declined."))
    story.step(
        OFFICER,
        CheckParallelProcess(proceeding=Proceeding.FAI, state=ProceedingState.NONE, checked_on=story.today),
    )
    story.step(
        OFFICER,
        RequestChronology(
            agency="NHS", requested_on=story.today, period_from=date(2024, 1, 1), period_to=date(2025, 1, 1)
        ),
    )
    story.step(
        OFFICER,
        ReceiveChronology(
            agency="NHS",
            received_on=story.today,
            entries=(ChronologyEntryInput(on=date(2024, 6, 1), what_happened="A visit."),),
        ),
    )
    story.step(REVIEWER, MergeChronologies(merged_on=story.today))
    story.step(
        REVIEWER,
        RecordPractitionerEvent(
            audience="practitioners and first-line managers",
            held_on=story.today,
            agencies=("NHS",),
            notes="n",
        ),
    )
    _present_refused(story, "a managers' event held, or the reason there was none recorded")
    story.step(
        REVIEWER,
        RecordNoPractitionerEvent(
            audience="strategic managers", recorded_on=story.today, reason="None available."
        ),
    )
    story.step(REVIEWER, PresentReport(version=1, presented_to=Body.COMMITTEE, presented_on=story.today))


def test_every_agency_asked_for_information_has_its_return_or_non_return_recorded() -> None:
    story = fresh()
    story.step(OFFICER, notification())
    story.step(OFFICER, PassToNominatedPerson(passed_on=story.today, nominee="sub-group"))
    story.step(OFFICER, RequestInformation(agencies=("Education",), requested_on=story.today))
    story.step(OFFICER, msgspec.structs.replace(recommendation(), made_on=story.today))
    story.step(COMMITTEE, DecideToProceed(decided_on=story.today, basis="Criteria met."))
    for subject_id, team_role in (
        (CHAIR, TeamRole.CHAIR),
        (REVIEWER_ID, TeamRole.REVIEWER),
        (ADMIN, TeamRole.ADMINISTRATOR),
    ):
        story.step(OFFICER, appoint(story, subject_id, team_role))
    ready_to_present(story)
    story.step(REVIEWER, draft(story))
    _present_refused(story, "the return or non-return of Education recorded")
    story.step(
        OFFICER,
        RecordAgencyNonReturn(agency="Education", recorded_on=story.today, reason="No reply to reminders."),
    )
    story.refused(
        OFFICER,
        RecordAgencyNonReturn(agency="Education", recorded_on=story.today, reason="Again."),
        RuleViolation,
        "the answer of Education has already been recorded",
    )
    present(story)


def test_the_report_is_not_presented_without_a_whole_review_team_or_a_request_for_information() -> None:
    story = with_team()
    ready_to_present(story)
    story.step(REVIEWER, draft(story))
    story.step(OFFICER, ReleaseTeamMember(member_id=ADMIN, released_on=story.today, reason="Moved post."))
    _present_refused(story, "a Review Team appointed (a Chair, a Reviewer and an Administrator)")
    # No agency was asked for information before the committee decided.
    story = fresh()
    story.step(OFFICER, notification())
    story.step(OFFICER, PassToNominatedPerson(passed_on=story.today, nominee="sub-group"))
    story.step(OFFICER, msgspec.structs.replace(recommendation(), made_on=story.today))
    story.step(COMMITTEE, DecideToProceed(decided_on=story.today, basis="Criteria met."))
    for subject_id, team_role in (
        (CHAIR, TeamRole.CHAIR),
        (REVIEWER_ID, TeamRole.REVIEWER),
        (ADMIN, TeamRole.ADMINISTRATOR),
    ):
        story.step(OFFICER, appoint(story, subject_id, team_role))
    ready_to_present(story)
    story.step(REVIEWER, draft(story))
    _present_refused(story, "information requested from the agencies")


def test_a_delay_is_reported_only_once_a_review_team_chair_is_appointed() -> None:
    story = proceeding()
    due = story.review.timescales()[1].due
    story.refused(
        OFFICER,
        ReportDelay(
            reported_on=story.today, reason="x", revised_completion=due + timedelta(days=30), recipients=BOTH
        ),
        RuleViolation,
        "a delay is reported by the Review Team Chair, and none has been appointed",
    )


def test_a_report_without_its_five_contents_and_final_terms_is_not_signed_off() -> None:
    story = with_team()
    ready_to_present(story)
    story.step(
        REVIEWER,
        DraftReportVersion(
            drafted_on=story.today, sections=(SectionInput(heading=SectionKind.LEARNING, text="Learned."),)
        ),
    )
    present(story)
    story.refused(
        COMMITTEE,
        SignOffReportForCommittee(version=1, signed_off_on=story.today),
        RuleViolation,
        "report version 1 cannot be signed off without: how the review was conducted; circumstances that led to "
        "the review; effective practice; strategies for improving practice and systems; final terms of reference",
    )


def test_a_report_not_presented_to_a_body_is_not_signed_off_by_it() -> None:
    story = drafted()
    story.step(REVIEWER, PresentReport(version=1, presented_to=Body.COMMITTEE, presented_on=story.today))
    story.step(COMMITTEE, SignOffReportForCommittee(version=1, signed_off_on=story.today))
    story.refused(
        COG,
        SignOffReportForCog(version=1, signed_off_on=story.today),
        RuleViolation,
        "report version 1 has not been presented to the COG",
    )


def test_a_review_with_a_recorded_death_closes_only_with_the_child_death_dataset() -> None:
    story = fresh()
    story.step(
        OFFICER,
        msgspec.structs.replace(
            notification(), subject=PersonDetails(subject_id=CHILD, name="Lewis Drever", date_of_death=START)
        ),
    )
    assert "child-death-dataset" not in [o.code for o in story.review.obligations()]
    story.step(OFFICER, PassToNominatedPerson(passed_on=story.today, nominee="sub-group"))
    story.step(OFFICER, msgspec.structs.replace(recommendation(), made_on=story.today))
    story.step(COMMITTEE, DecideToProceed(decided_on=story.today, basis="Criteria met."))
    owed = story.review.obligations()
    assert ("child-death-dataset", "complete the National Child Death Review Dataset") in [
        (o.code, o.what) for o in owed
    ]


def test_an_action_carried_over_to_a_named_owner_no_longer_holds_the_review_open() -> None:
    story = signed_off()
    story.step(
        COMMITTEE,
        AgreeActionPlan(
            agreed_on=story.today,
            actions=(
                ActionInput(
                    action_id="A1",
                    description="Briefing",
                    responsible="CPC",
                    due_on=date(2026, 6, 1),
                ),
            ),
        ),
    )
    assert "action-A1" in [o.code for o in story.review.obligations()]
    story.refused(
        COMMITTEE,
        CarryOverAction(action_id="A9", carried_over_on=story.today, owner="Lead nurse", reason="r"),
        RuleViolation,
        "the action plan has no action A9",
    )
    story.step(
        COMMITTEE,
        CarryOverAction(action_id="A1", carried_over_on=story.today, owner="Lead nurse", reason="Next year."),
    )
    assert "action-A1" not in [o.code for o in story.review.obligations()]


def test_drafting_presenting_and_meetings_are_for_the_people_appointed_to_the_review() -> None:
    story = with_team()
    ready_to_present(story)
    other = Acting(actor="another-reviewer", roles=frozenset({Role.REVIEWER}))
    story.refused(
        other,
        draft(story),
        RuleViolation,
        "drafting the report is taken by a Reviewer appointed to this review, and another-reviewer is not",
    )
    story.step(REVIEWER, draft(story))
    story.refused(
        other,
        PresentReport(version=1, presented_to=Body.COMMITTEE, presented_on=story.today),
        RuleViolation,
        "presenting the report is taken by a Reviewer or the Review Team Chair appointed to this review, "
        "and another-reviewer is not",
    )
    officer = Acting(actor="another-officer", roles=frozenset({Role.CPC_OFFICER}))
    story.refused(
        officer,
        RecordTeamMeeting(held_on=story.today, attendees=(CHAIR,), minutes="m"),
        RuleViolation,
        "recording a Review Team meeting is taken by a member of the Review Team appointed to this review, "
        "and another-officer is not",
    )


def test_an_agency_contact_answers_only_for_the_agency_they_are_named_for() -> None:
    story = fresh()
    story.step(OFFICER, notification())
    story.step(OFFICER, PassToNominatedPerson(passed_on=story.today, nominee="sub-group"))
    story.step(OFFICER, RequestInformation(agencies=("NHS", "Education"), requested_on=story.today))
    contact = Acting(actor="nhs-contact", roles=frozenset({Role.AGENCY_CONTACT}))
    story.step(
        OFFICER,
        NameAgencyContact(
            agency="NHS",
            contact=PractitionerDetails(subject_id="S-R-NURSE", name="A Nurse", agency="NHS"),
            actor_id="nhs-contact",
            named_on=story.today,
        ),
    )

    def answer(agency: str) -> RecordAgencyReturn:
        return RecordAgencyReturn(
            agency=agency,
            received_on=story.today,
            author="S-R-NURSE",
            involvement="i",
            initial_reflection="r",
        )

    story.refused(
        contact,
        answer("Education"),
        RuleViolation,
        "nhs-contact is not named as a contact of Education, so cannot answer for it",
    )
    story.step(contact, answer("NHS"))


def test_pauses_and_delays_are_notified_to_the_committee_and_the_cog() -> None:
    story = with_team()
    story.refused(
        OFFICER,
        PauseReview(paused_on=story.today, reason="r", notice_to=(Body.COMMITTEE,), notice_on=story.today),
        InvalidInput,
        "notice_to: a pause is notified to both the Child Protection Committee and the COG",
    )
    story.refused(
        OFFICER,
        PauseReview(paused_on=story.today, reason="r", notice_to=BOTH),
        InvalidInput,
        "notice_on: say when the committee and the COG were told of the pause",
    )
    due = story.review.timescales()[1].due
    story.refused(
        OFFICER,
        ReportDelay(reported_on=story.today, reason="x", revised_completion=due + timedelta(days=30)),
        InvalidInput,
        "recipients: a delay is reported to both the Child Protection Committee and the COG",
    )
    owed = {o.code: o for o in story.review.obligations()}
    assert owed["delay-report"].due == due


def test_views_and_feedback_are_recorded_only_for_the_family_group() -> None:
    story = signed_off()
    story.step(
        OFFICER,
        RecordFamilyGroupMember(
            subject_id="S-R-UNCLE",
            relation="uncle",
            involved=False,
            decided_on=story.today,
            reasons_not_involved="Estranged.",
        ),
    )
    story.refused(
        OFFICER,
        RecordFamilyGroupMember(
            subject_id="S-R-AUNT", relation="aunt", involved=False, decided_on=story.today
        ),
        InvalidInput,
        "reasons_not_involved: a family member not to be involved needs the reasons recorded",
    )

    def feedback(who: str) -> RecordFamilyFeedbackOnConclusion:
        return RecordFamilyFeedbackOnConclusion(
            given_on=story.today, family_members=(who,), response="r", response_of=who
        )

    story.refused(
        REVIEWER,
        feedback("S-R-STRANGER"),
        RuleViolation,
        "the family's feedback are recorded only for the review's family group, and S-R-STRANGER is not in it",
    )
    story.refused(
        REVIEWER,
        feedback("S-R-UNCLE"),
        RuleViolation,
        "the family's feedback are not recorded for S-R-UNCLE: the family group records that they are not to be "
        "involved",
    )
    story.step(REVIEWER, feedback(MOTHER))


def test_a_family_meeting_after_a_practitioner_event_is_recorded_with_a_warning() -> None:
    story = with_team()
    story.step(
        OFFICER,
        AgreeFamilyLiaisonStrategy(agreed_on=story.today, family_group=(MOTHER,), strategy="Meet her."),
    )
    held = story.today
    story.step(
        REVIEWER,
        RecordPractitionerEvent(audience="strategic managers", held_on=held, agencies=("NHS",), notes="n"),
    )
    story.step(
        REVIEWER,
        RecordFamilyContact(
            contacted_on=story.today,
            family_members=(MOTHER,),
            met_by=(REVIEWER_ID,),
            views="v",
            views_of=MOTHER,
        ),
    )
    contact = story.review._pending[-1]
    assert isinstance(contact, FamilyContactRecorded)
    assert contact.warning == (
        f"the family were met after the practitioner or managers' event of {held}: seed 001 finds it helpful to "
        "meet them first, so that their views are taken into those events"
    )


def test_the_familys_views_informing_and_feedback_on_the_process_are_for_the_family_group_only() -> None:
    story = with_team()
    story.step(
        OFFICER,
        AgreeFamilyLiaisonStrategy(agreed_on=story.today, family_group=(MOTHER,), strategy="Meet her."),
    )
    stranger = "S-R-STRANGER"
    story.refused(
        REVIEWER,
        RecordFamilyInformed(informed_on=story.today, family_members=(stranger,), how="By letter."),
        RuleViolation,
        f"informing the family are recorded only for the review's family group, and {stranger} is not in it",
    )
    story.refused(
        REVIEWER,
        RecordFamilyContact(
            contacted_on=story.today,
            family_members=(stranger,),
            met_by=(REVIEWER_ID,),
            views="v",
            views_of=stranger,
        ),
        RuleViolation,
        f"views are recorded only for the review's family group, and {stranger} is not in it",
    )
    process = RecordFamilyFeedbackOnProcess(
        given_on=story.today, family_members=(MOTHER,), feedback="Kept informed.", feedback_of=MOTHER
    )
    story.refused(
        REVIEWER,
        process,
        RuleViolation,
        "the family are asked how they found the process at the end of the review, and no report has been drafted",
    )
    story.step(
        REVIEWER, RecordFamilyInformed(informed_on=story.today, family_members=(MOTHER,), how="By visit.")
    )
    ready_to_present(story)
    story.step(REVIEWER, draft(story))
    story.refused(
        REVIEWER,
        msgspec.structs.replace(
            process, given_on=story.today, family_members=(stranger,), feedback_of=stranger
        ),
        RuleViolation,
        f"the family's feedback are recorded only for the review's family group, and {stranger} is not in it",
    )
    story.step(REVIEWER, msgspec.structs.replace(process, given_on=story.today))


def test_the_familys_views_on_publication_are_for_the_family_group_only() -> None:
    story = signed_off()
    story.step(
        COMMITTEE,
        RecommendPublication(
            recommendation=PublicationChoice.PUBLISH, recommended_on=story.today, reasons="Learning for all."
        ),
    )
    stranger = "S-R-STRANGER"
    story.refused(
        OFFICER,
        RecordFamilyViewsOnPublication(
            consulted_on=story.today, family_members=(stranger,), views="Content.", views_of=stranger
        ),
        RuleViolation,
        f"views on publication are recorded only for the review's family group, and {stranger} is not in it",
    )


# -- the action plan as records (seed 001 'The Report' and process map 5B) ----------------------

CLEAR = StrategyInput(
    case_for_change="Agencies saw parts.",
    learning="Share at core groups.",
    evidence="Three records.",
    responsible="CPC",
    review="Audit in six months.",
)
OWNER = "S-NLR-OWNER"


def planned() -> Story:
    """A report with one CLEAR strategy, signed off, and a plan of one action implementing it."""
    story = with_team()
    ready_to_present(story)
    story.step(REVIEWER, msgspec.structs.replace(draft(story), strategies=(CLEAR,)))
    present(story)
    story.step(COMMITTEE, SignOffReportForCommittee(version=1, signed_off_on=story.today))
    story.step(COG, SignOffReportForCog(version=1, signed_off_on=story.today))
    story.step(COMMITTEE, plan_of(story, strategy=1))
    return story


def plan_of(story: Story, strategy: int | None) -> AgreeActionPlan:
    action = ActionInput(
        action_id="A1", description="Briefing", responsible="CPC", due_on=story.today + timedelta(days=3)
    )
    return AgreeActionPlan(
        agreed_on=story.today, actions=(msgspec.structs.replace(action, implements_strategy=strategy),)
    )


def test_each_action_names_the_clear_strategy_of_the_report_it_implements() -> None:
    story = with_team()
    ready_to_present(story)
    story.step(REVIEWER, msgspec.structs.replace(draft(story), strategies=(CLEAR,)))
    present(story)
    story.step(COMMITTEE, SignOffReportForCommittee(version=1, signed_off_on=story.today))
    story.refused(
        COMMITTEE,
        plan_of(story, strategy=None),
        InvalidInput,
        "actions.implements_strategy: action A1 must name the report's strategy it implements",
    )
    story.refused(
        COMMITTEE,
        plan_of(story, strategy=2),
        InvalidInput,
        "actions.implements_strategy: action A1: the report sets out 1 strategies; 2 is not one",
    )
    story.step(COMMITTEE, plan_of(story, strategy=1))
    assert story.review.actions["A1"].strategy == 1


def test_an_action_is_owned_by_a_named_person_whom_the_officer_names() -> None:
    story = planned()
    assign = AssignActionOwner(
        action_id="A1", owner_subject=OWNER, owner_name="Lead", due_on=story.today, assigned_on=story.today
    )
    story.refused(
        REVIEWER,
        assign,
        NotAuthorised,
        "naming an action's owner can only be recorded by a protection committee officer; "
        "reviewer does not hold that role",
    )
    story.refused(
        OFFICER,
        msgspec.structs.replace(assign, action_id="A9"),
        RuleViolation,
        "the agreed actions include no action A9",
    )
    story.refused(
        OFFICER,
        msgspec.structs.replace(assign, owner_subject="lead"),
        InvalidInput,
        "owner_subject: must look like S-xxxx (letters, digits and '-')",
    )
    story.step(OFFICER, assign)
    assert story.review.actions["A1"].owner == OWNER


def test_the_committee_signs_off_an_action_only_once_complete_and_on_its_evidence() -> None:
    story = planned()
    sign = SignOffAction(action_id="A1", signed_off_on=story.today)
    story.refused(
        COMMITTEE, sign, RuleViolation, "action A1 is signed off only once it is recorded as complete"
    )
    story.step(
        OFFICER, RecordActionProgress(action_id="A1", progress_on=story.today, completed=True, note="Done.")
    )
    sign = SignOffAction(action_id="A1", signed_off_on=story.today)
    story.refused(
        COMMITTEE, sign, RuleViolation, "action A1 is signed off on evidence: none has been recorded"
    )
    # The review cannot close on a completed action the committee has not signed off.
    assert "sign-off-action-A1" in [o.code for o in story.review.obligations()]


def test_evidence_comes_with_progress_and_the_committee_alone_signs_off() -> None:
    story = planned()
    story.step(
        OFFICER,
        RecordActionProgress(
            action_id="A1", progress_on=story.today, completed=True, note="Done.", evidence=("DOC-1",)
        ),
    )
    sign = SignOffAction(action_id="A1", signed_off_on=story.today)
    story.refused(
        OFFICER,
        sign,
        NotAuthorised,
        "signing off an action can only be recorded by the protection committee; cpc-officer does not hold that role",
    )
    story.step(COMMITTEE, sign)
    sign = SignOffAction(action_id="A1", signed_off_on=story.today)
    story.refused(
        COMMITTEE,
        sign,
        RuleViolation,
        f"action A1 was already signed off on {story.today - timedelta(days=1)}",
    )
    assert not [o for o in story.review.obligations() if "A1" in o.code]


def test_only_overdue_actions_are_reported_to_the_cog_by_exception() -> None:
    story = planned()
    report = ReportActionException(reported_on=story.today, actions=("A1",), summary="Late.")
    story.refused(
        OFFICER, report, RuleViolation, f"action A1 is not overdue on {story.today}: report by exception only"
    )
    story.refused(
        OFFICER,
        msgspec.structs.replace(report, actions=()),
        InvalidInput,
        "actions: name the overdue actions reported",
    )
    for _ in range(4):
        story.today += timedelta(days=1)
    report = ReportActionException(reported_on=story.today, actions=("A1",), summary="Late.")
    story.refused(
        COMMITTEE,
        report,
        NotAuthorised,
        "reporting overdue actions to the COG can only be recorded by a protection committee officer; "
        "cpc-chair does not hold that role",
    )
    clock = next(c for c in story.review.timescales() if c.name.startswith("action A1"))
    assert clock.status() is TimescaleStatus.RUNNING and clock.due < story.today
    story.step(OFFICER, report)
    assert story.review.exceptions_reported == [(story.today - timedelta(days=1), ("A1",))]


def test_an_action_plan_stored_before_its_clear_links_and_evidence_still_replays() -> None:
    story = signed_off()
    story.step(
        COMMITTEE,
        AgreeActionPlan(
            agreed_on=story.today,
            actions=(ActionInput(action_id="A1", description="d", responsible="CPC", due_on=story.today),),
        ),
    )
    story.step(
        OFFICER, RecordActionProgress(action_id="A1", progress_on=story.today, completed=True, note="Done.")
    )
    # As an earlier store kept them: no CLEAR link on the action, no evidence on the progress.
    stored = []
    for event in story.review.collect_events():
        data = to_builtins(event)
        data.pop("evidence", None)
        for action in data.get("actions", ()) if isinstance(data.get("actions"), list) else ():
            action.pop("implements_strategy", None)
        stored.append(from_builtins(type_name(type(event)), data))
    replayed = NationalReview.replay(REFERENCE, stored)
    assert replayed.actions["A1"].strategy is None and replayed.actions["A1"].evidence == ()
    assert replayed.actions["A1"].completed_on == story.today - timedelta(days=1)
    # Completed is not closed: the committee still signs the action off before the review can close.
    assert "sign-off-action-A1" in [o.code for o in replayed.obligations()]
