"""The single-agency Learning Review (seed 004), told as the Falkirk protocol describes it.

Scenario tests narrate each route of the referral pathway end to end (proceed; the Service
Manager finds the criteria not met; CFCIG does not proceed; escalation); then one test per
rule (the refusal, its exact words, and nothing changed), the authority table, the
timescales CFCIG sets, personal data kept out of plain fields, and a round trip of every
event type through msgspec.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from adapters.demo import single_agency as demo
from adapters.demo.cast import CAST
from adapters.store.personal_data import take_personal_values
from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, to_builtins
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import TimescaleStatus
from domain.routes.shared.actions import (
    ActionEvent,
    ActionStatus,
    AssignActionOwner,
    CarryOverAction,
    RecordActionProgress,
    SignOffAction,
)
from domain.routes.shared.dissemination import (
    DisseminationKind,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)
from domain.routes.shared.review_base import RULE_CLOSED
from domain.routes.single_agency import events as single_agency_events
from domain.routes.single_agency import review as single_agency_review
from domain.routes.single_agency.commands import (
    ActionAnswers,
    AgreeCriteriaMet,
    AgreeRecommendations,
    AgreeReviewParticipants,
    ChangeLeadReviewer,
    CloseSingleAgencyReview,
    CompleteReferralForm,
    DecideNotToProceed,
    DecideToProceed,
    DisseminationAudience,
    DraftReport,
    EscalateToFullReview,
    GiveWrittenFeedback,
    IdentifyCase,
    IdentifyingMeeting,
    MeetingKind,
    ParticipantAnswers,
    PresentReport,
    RecommendReview,
    RecordAccuracyCheck,
    RecordCriteriaNotMet,
    RecordDissemination,
    RecordReviewMeeting,
    RecordSupervisionDiscussion,
    ReportProgressOnRecommendations,
    ShareOutlineFindings,
    Signatory,
    SignReferralForm,
)
from domain.routes.single_agency.events import (
    LeadReviewerChanged,
    RecommendationsAgreed,
    RecommendationsAgreedV2,
    ReferralFormCompleted,
    ReferralFormSigned,
    SingleAgencyEvent,
    SupervisionDiscussionRecorded,
)
from domain.routes.single_agency.forms import SingleAgencyCriterion
from domain.routes.single_agency.review import SingleAgencyReview
from domain.routes.single_agency.rules import (
    RULE_CFCIG,
    RULE_CRITERIA,
    RULE_ESCALATION,
    RULE_LEAD_REVIEWER,
    RULE_NOT_PROCEED,
    RULE_PATHWAY,
    RULE_PROCEED,
    RULE_REFERRAL,
    RULE_SERVICE_MANAGER,
    STEPS,
    Stage,
)
from tests.days import START, at, on
from tests.domain.record_steps import refused, run, sealed, snapshot, tags

REF = "SALR-TEST-001"
ROLES = {member.actor_id: frozenset(member.roles) for member in CAST}


def person(actor_id: str) -> Acting:
    return Acting(actor=actor_id, roles=ROLES[actor_id])


WORKER = person("social-worker")
LINE = person("line-manager")
SM = person("service-manager")
CFCIG = person("cfcig-chair")
LEAD = person("lead-reviewer")
OTHER_REVIEWER = Acting(actor="other-reviewer", roles=frozenset({Role.LEAD_REVIEWER}))
NOBODY = Acting(actor="passer-by")


# -- the commands of a typical review ----------------------------------------------------------


def identify(**changes: Any) -> IdentifyCase:
    command = IdentifyCase(
        identified_on=on(0),
        meeting=IdentifyingMeeting.REVIEW_MEETING,
        team=demo.TEAM,
        criteria=(SingleAgencyCriterion.PLACEMENT_BREAKDOWN,),
        concern="Placement ended after eight weeks.",
        subjects=(demo.CHILD, demo.MOTHER),
    )
    return msgspec.structs.replace(command, **changes)


def proceed(**changes: Any) -> DecideToProceed:
    command = DecideToProceed(
        discussed_on=on(10),
        key_objectives=("Understand why the plan stalled.",),
        lead_reviewer="lead-reviewer",
        parameters="March 2025 to January 2026.",
        complete_by=on(70),
        outline_findings_by=on(40),
    )
    return msgspec.structs.replace(command, **changes)


def not_proceed(**changes: Any) -> DecideNotToProceed:
    command = DecideNotToProceed(
        discussed_on=on(10),
        rationale="Learning already captured by the disruption meeting.",
        further_actions=(
            "Share the disruption meeting minutes with the team.",
            "Review the plan in supervision.",
        ),
        team_manager="line-manager",
    )
    return msgspec.structs.replace(command, **changes)


def feedback(**changes: Any) -> GiveWrittenFeedback:
    command = GiveWrittenFeedback(
        sent_on=on(12),
        recipients=("line-manager", "social-worker"),
        protocol_enclosed=True,
        summary="Decision.",
    )
    return msgspec.structs.replace(command, **changes)


PARTICIPANTS = AgreeReviewParticipants(
    agreed_on=on(12),
    participants=(
        ParticipantAnswers(
            subject_id=demo.WORKER, name="Kirsty Baird", role_in_case="social worker", team=demo.TEAM
        ),
    ),
    workers_have_protocol=True,
)


def recommendations(**changes: Any) -> AgreeRecommendations:
    command = AgreeRecommendations(
        agreed_on=on(40),
        version=1,
        recommendations=("A named owner for each permanence plan.",),
        actions=(
            ActionAnswers(
                action_id="A1", description="SWIS field.", owner_team="Business Support", due_on=on(90)
            ),
        ),
        monitoring="Quarterly report to CFCIG.",
        dissemination="Team briefings and a bulletin.",
    )
    return msgspec.structs.replace(command, **changes)


def owner(day: int = 41) -> AssignActionOwner:
    return AssignActionOwner(
        action_id="A1",
        owner_subject=demo.LINE_MANAGER,
        owner_name="Douglas Rae",
        due_on=on(90),
        assigned_on=on(day),
    )


def complete_a1(day: int = 60) -> RecordActionProgress:
    return RecordActionProgress(
        action_id="A1",
        status=ActionStatus.COMPLETE,
        recorded_on=on(day),
        note="Done.",
        evidence=("SWIS release note",),
    )


def carry_a1(day: int = 65) -> CarryOverAction:
    return CarryOverAction(
        action_id="A1",
        owner_subject=demo.LINE_MANAGER,
        owner_name="Douglas Rae",
        carried_over_on=on(day),
        reason="Monitored by CFCIG quarterly.",
    )


# -- records at each stage ------------------------------------------------------------------------


def identified() -> SingleAgencyReview:
    return run(SingleAgencyReview(REF), WORKER, identify(), 0)


def in_supervision() -> SingleAgencyReview:
    return run(identified(), LINE, RecordSupervisionDiscussion(discussed_on=on(1), notes="Discussed."), 1)


def recommended() -> SingleAgencyReview:
    recommendation = RecommendReview(
        recommended_on=on(2), service_manager="service-manager", reasons="Breakdown."
    )
    return run(in_supervision(), LINE, recommendation, 2)


def referred(*, signed: bool = True) -> SingleAgencyReview:
    review = run(recommended(), WORKER, CompleteReferralForm(form=demo.referral_form(on(3))), 3)
    if signed:
        run(review, WORKER, SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(3)), 3)
        run(review, LINE, SignReferralForm(version=1, signatory=Signatory.LINE_MANAGER, signed_on=on(4)), 4)
    return review


def with_cfcig() -> SingleAgencyReview:
    return run(referred(), SM, AgreeCriteriaMet(agreed_on=on(5)), 5)


def proceeding(*, with_participants: bool = True) -> SingleAgencyReview:
    review = run(with_cfcig(), CFCIG, proceed(), 10)
    return run(review, LEAD, PARTICIPANTS, 12) if with_participants else review


def checked() -> SingleAgencyReview:
    review = run(
        proceeding(), LEAD, ShareOutlineFindings(shared_on=on(30), findings=("Matching rushed.",)), 30
    )
    return run(review, LEAD, RecordAccuracyCheck(checked_on=on(32)), 32)


def drafted() -> SingleAgencyReview:
    return run(checked(), LEAD, DraftReport(drafted_on=on(35), key_issues=("Matching.",)), 35)


def presented() -> SingleAgencyReview:
    return run(drafted(), LEAD, PresentReport(presented_on=on(40), version=1), 40)


def implementing() -> SingleAgencyReview:
    return run(presented(), CFCIG, recommendations(), 40)


def not_proceeding() -> SingleAgencyReview:
    return run(with_cfcig(), CFCIG, not_proceed(), 10)


def stage_of(review: SingleAgencyReview) -> Stage:
    """The stage, read through a call so the type checker does not narrow it between steps."""
    return review.stage


def violation(message: str, rule: str) -> str:
    return f"{REF}: {message} ({rule})"


# -- scenarios ------------------------------------------------------------------------------------


def test_a_learning_review_from_the_team_around_the_child_to_closure() -> None:
    review = SingleAgencyReview(REF)
    # The need is identified at a Team Around the Child meeting: a placement has broken down.
    run(review, WORKER, identify(meeting=IdentifyingMeeting.TEAM_AROUND_THE_CHILD), 0)
    assert stage_of(review) is Stage.IDENTIFIED
    # The case is raised and discussed during supervision (worker / line manager).
    run(review, WORKER, RecordSupervisionDiscussion(discussed_on=on(1), notes="Raised by the worker."), 1)
    # The line manager recommends to the Service Manager that the case should be reviewed.
    run(
        review,
        LINE,
        RecommendReview(recommended_on=on(2), service_manager="service-manager", reasons="Breakdown."),
        2,
    )
    # The worker and line manager complete the Referral Form, and each signs it.
    run(review, LINE, CompleteReferralForm(form=demo.referral_form(on(3))), 3)
    assert review.obligations() == [
        Obligation(who=(Role.SOCIAL_WORKER,), what="sign the Referral Form as worker", rule=RULE_REFERRAL),
        Obligation(
            who=(Role.LINE_MANAGER,), what="sign the Referral Form as line_manager", rule=RULE_REFERRAL
        ),
    ]
    run(review, WORKER, SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(3)), 3)
    run(review, LINE, SignReferralForm(version=1, signatory=Signatory.LINE_MANAGER, signed_on=on(4)), 4)
    # The Service Manager agrees the case meets the criteria; the request goes to CFCIG.
    run(review, SM, AgreeCriteriaMet(agreed_on=on(5), comment="Meets the placement breakdown criterion."), 5)
    assert stage_of(review) is Stage.WITH_CFCIG
    # CFCIG agrees to proceed: lead reviewer identified, parameters established, timescales set.
    run(review, CFCIG, proceed(), 10)
    assert stage_of(review) is Stage.UNDER_REVIEW
    # Feedback to the team manager and worker by the Service Manager in writing, with the protocol.
    run(review, SM, feedback(), 12)
    # The lead reviewer agrees who is involved and confirms they have the protocol; reads the files;
    # meets the group; shares the outline findings for an accuracy check; drafts the report.
    run(review, LEAD, PARTICIPANTS, 12)
    run(
        review,
        LEAD,
        RecordReviewMeeting(held_on=on(14), kind=MeetingKind.CASE_FILE_REVIEW, notes="Files read."),
        14,
    )
    run(
        review,
        LEAD,
        RecordReviewMeeting(
            held_on=on(20), kind=MeetingKind.GROUP_DISCUSSION, attendees=(demo.WORKER,), notes="Held."
        ),
        20,
    )
    run(review, LEAD, ShareOutlineFindings(shared_on=on(30), findings=("Matching rushed.",)), 30)
    run(review, LEAD, RecordAccuracyCheck(checked_on=on(32), corrections="A date corrected."), 32)
    run(
        review,
        LEAD,
        DraftReport(drafted_on=on(35), key_issues=("Matching.",), implications_for_service="All teams."),
        35,
    )
    # The findings are presented to CFCIG, which agrees recommendations, actions, how implementation
    # is monitored and how learning is disseminated.
    run(review, LEAD, PresentReport(presented_on=on(40), version=1), 40)
    run(review, CFCIG, recommendations(), 40)
    assert stage_of(review) is Stage.IMPLEMENTING
    # Each action has a named owner and a due date, is completed on evidence, and is signed off by
    # the CFCIG, which monitors implementation.
    assert review.obligations()[0].what == "name the owner of action A1"
    run(review, SM, owner(), 41)
    run(review, SM, complete_a1(), 60)
    run(review, CFCIG, SignOffAction(action_id="A1", signed_off_on=on(61)), 61)
    run(
        review,
        LEAD,
        RecordDissemination(
            audience=DisseminationAudience.WORKERS_INVOLVED, held_on=on(62), method="briefing"
        ),
        62,
    )
    assert review.obligations() == []
    run(review, CFCIG, CloseSingleAgencyReview(closed_on=on(70), summary="Learning shared."), 70)

    assert stage_of(review) is Stage.CLOSED
    assert review.status == "closed"
    assert [clock.status() for clock in review.timescales()] == [TimescaleStatus.MET] * 3
    assert tags(review) == [
        "single.case-identified",
        "single.supervision-discussion-recorded",
        "single.review-recommended",
        "single.referral-form-completed",
        "single.referral-form-signed",
        "single.referral-form-signed",
        "single.criteria-agreed",
        "single.decision-to-proceed-recorded",
        "single.written-feedback-given",
        "single.review-participants-agreed",
        "single.review-meeting-held",
        "single.review-meeting-held",
        "single.outline-findings-shared",
        "single.accuracy-check-recorded",
        "single.report-drafted",
        "single.report-presented",
        "single.recommendations-agreed-v2",
        "single.action-owner-assigned",
        "single.action-progress-recorded",
        "single.action-signed-off",
        "single.learning-disseminated",
        "single.review-closed",
    ]


def test_the_service_manager_finds_the_criteria_not_met_and_records_why() -> None:
    review = referred()
    # §3(3): the reasons are recorded in the worker's supervision notes.
    run(
        review,
        SM,
        RecordCriteriaNotMet(
            decided_on=on(5), reasons="Ordinary drift; addressed in supervision.", supervision_notes_on=on(6)
        ),
        6,
    )
    assert stage_of(review) is Stage.CRITERIA_NOT_MET
    refused(
        review,
        CFCIG,
        proceed(),
        10,
        RuleViolation,
        violation(
            "deciding to proceed to a Learning Review is not possible while the review is at "
            "'not taken forward: the Service Manager found the criteria not met'",
            RULE_PROCEED,
        ),
    )
    run(review, SM, CloseSingleAgencyReview(closed_on=on(7), summary="Not taken forward."), 7)
    assert review.status == "closed"


def test_cfcig_does_not_proceed_and_the_team_manager_reports_back_on_each_recommendation() -> None:
    review = with_cfcig()
    # §3(4b): agreement not to proceed, with the rationale and recommendations for further action.
    run(review, CFCIG, not_proceed(), 10)
    assert stage_of(review) is Stage.NOT_PROCEEDING
    # The Service Manager's written feedback explains the rationale.
    run(review, SM, feedback(protocol_enclosed=False), 12)
    # The team manager reports back to CFCIG on progress against the recommendations.
    run(
        review,
        LINE,
        ReportProgressOnRecommendations(reported_on=on(30), item=1, progress="Minutes shared."),
        30,
    )
    assert review.obligations() == [
        Obligation(
            who=(Role.LINE_MANAGER,), what="report back to CFCIG on recommendation 2", rule=RULE_NOT_PROCEED
        )
    ]
    run(
        review,
        LINE,
        ReportProgressOnRecommendations(reported_on=on(40), item=2, progress="Plan reviewed."),
        40,
    )
    run(review, CFCIG, CloseSingleAgencyReview(closed_on=on(45), summary="Recommendations complete."), 45)
    assert review.timescales() == []


def test_escalated_to_a_full_learning_review_and_then_closed() -> None:
    review = proceeding()
    run(
        review,
        SM,
        EscalateToFullReview(national_reference="LR-2026-011", escalated_on=on(20), reasons="Serious harm."),
        20,
    )
    assert review.links == {"escalated_to": "LR-2026-011"}
    assert review.status == "open; escalated to a full Learning Review (LR-2026-011)"
    run(review, CFCIG, CloseSingleAgencyReview(closed_on=on(21), summary="Continued as LR-2026-011."), 21)
    assert review.status == "closed; escalated to a full Learning Review (LR-2026-011)"


def test_the_demo_script_runs_with_its_one_refusal() -> None:
    review = SingleAgencyReview(demo.REFERENCE)
    refusals = 0
    for step in demo.steps(START):
        assert step.reference == demo.REFERENCE
        if step.refused:
            before = snapshot(review)
            with pytest.raises(NotAuthorised, match="only be recorded by the Continuous Improvement Group"):
                review.execute(step.command, person(step.actor), step.at)
            assert snapshot(review) == before
            refusals += 1
        else:
            review.execute(step.command, person(step.actor), step.at)
    assert refusals == 1
    assert stage_of(review) is Stage.CLOSED
    assert {s.subject_id for s in demo.SUBJECTS} >= set(review.family) | set(review.practitioners)


# -- timescales -----------------------------------------------------------------------------------


def test_the_timescales_are_those_cfcig_set() -> None:
    assert with_cfcig().timescales() == []
    review = proceeding()
    outline, completion = review.timescales()
    assert (outline.started, outline.due) == (on(10), on(40))
    assert (completion.started, completion.due, completion.completed) == (on(10), on(70), None)
    run(review, LEAD, ShareOutlineFindings(shared_on=on(41), findings=("Late.",)), 41)
    run(review, LEAD, RecordAccuracyCheck(checked_on=on(42)), 42)
    run(review, LEAD, DraftReport(drafted_on=on(42), key_issues=("Issue.",)), 42)
    run(review, LEAD, PresentReport(presented_on=on(60), version=1), 60)
    outline, completion = review.timescales()
    assert outline.status() is TimescaleStatus.MISSED
    assert completion.status() is TimescaleStatus.MET


# -- rules ----------------------------------------------------------------------------------------


def test_a_case_is_identified_against_the_criteria() -> None:
    refused(
        SingleAgencyReview(REF),
        WORKER,
        identify(criteria=()),
        0,
        RuleViolation,
        violation("name at least one of the criteria for a Learning Review", RULE_CRITERIA),
    )


def test_the_line_manager_recommends_only_after_supervision() -> None:
    refused(
        identified(),
        LINE,
        RecommendReview(recommended_on=on(1), service_manager="service-manager", reasons="R."),
        1,
        RuleViolation,
        violation(
            "recommending a review to the Service Manager is not possible while the review is at "
            "'identified: to be discussed in supervision'",
            RULE_PATHWAY,
        ),
    )


def test_the_service_manager_decides_only_on_a_form_signed_by_both() -> None:
    review = referred(signed=False)
    run(review, WORKER, SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(3)), 3)
    refused(
        review,
        SM,
        AgreeCriteriaMet(agreed_on=on(5)),
        5,
        RuleViolation,
        violation("the Referral Form (version 1) is not yet signed by the line_manager", RULE_REFERRAL),
    )
    refused(
        recommended(),
        SM,
        AgreeCriteriaMet(agreed_on=on(5)),
        5,
        RuleViolation,
        violation("the Referral Form has not been completed", RULE_REFERRAL),
    )


def test_the_worker_and_the_line_manager_are_two_different_people() -> None:
    both = Acting(actor="acting-up", roles=frozenset({Role.SOCIAL_WORKER, Role.LINE_MANAGER}))
    review = run(
        referred(signed=False),
        both,
        SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(3)),
        3,
    )
    refused(
        review,
        both,
        SignReferralForm(version=1, signatory=Signatory.LINE_MANAGER, signed_on=on(3)),
        3,
        RuleViolation,
        violation("the worker and the line manager must be two different people", RULE_REFERRAL),
    )


def test_each_signs_in_their_own_role_once_and_on_the_latest_version() -> None:
    review = referred(signed=False)
    refused(
        review,
        WORKER,
        SignReferralForm(version=1, signatory=Signatory.LINE_MANAGER, signed_on=on(3)),
        3,
        NotAuthorised,
        f"{REF}: signing the Referral Form as line_manager can only be recorded by the line manager; "
        "social-worker does not hold that role",
    )
    run(review, WORKER, SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(3)), 3)
    refused(
        review,
        WORKER,
        SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(3)),
        3,
        RuleViolation,
        violation("the Referral Form is already signed by the worker", RULE_REFERRAL),
    )
    # A corrected form is a new version and needs both signatures again.
    run(review, LINE, CompleteReferralForm(form=demo.referral_form(on(4))), 4)
    assert review.signatures == {}
    refused(
        review,
        LINE,
        SignReferralForm(version=1, signatory=Signatory.LINE_MANAGER, signed_on=on(4)),
        4,
        RuleViolation,
        violation("only the latest version of the Referral Form (version 2) can be signed", RULE_REFERRAL),
    )


def test_the_service_manager_gives_reasons_when_the_criteria_are_not_met() -> None:
    refused(
        referred(),
        SM,
        RecordCriteriaNotMet(decided_on=on(5), supervision_notes_on=on(5)),
        5,
        RuleViolation,
        violation(
            "the Service Manager must record the reasons the criteria are not met", RULE_SERVICE_MANAGER
        ),
    )


def test_a_decision_to_proceed_sets_objectives_and_a_timescale_after_the_discussion() -> None:
    refused(
        with_cfcig(),
        CFCIG,
        proceed(key_objectives=()),
        10,
        RuleViolation,
        violation("the CFCIG must set out the key objectives of the review", RULE_PROCEED),
    )
    refused(
        with_cfcig(),
        CFCIG,
        proceed(complete_by=on(10)),
        10,
        RuleViolation,
        violation("the timescale for completion must fall after the CFCIG's discussion", RULE_PROCEED),
    )
    refused(
        with_cfcig(),
        CFCIG,
        proceed(outline_findings_by=on(80)),
        10,
        RuleViolation,
        violation("the outline findings must be due between the decision and completion", RULE_PROCEED),
    )


def test_a_decision_not_to_proceed_gives_its_rationale() -> None:
    refused(
        with_cfcig(),
        CFCIG,
        not_proceed(rationale=""),
        10,
        RuleViolation,
        violation("a decision not to proceed must give its rationale", RULE_NOT_PROCEED),
    )
    refused(
        with_cfcig(),
        CFCIG,
        not_proceed(team_manager=None),
        10,
        RuleViolation,
        violation("name the team manager who reports back on the recommendations", RULE_NOT_PROCEED),
    )


def test_written_feedback_on_proceeding_includes_the_protocol_and_is_given_once() -> None:
    review = proceeding()
    refused(
        review,
        SM,
        feedback(protocol_enclosed=False),
        12,
        RuleViolation,
        violation(
            "written feedback on a decision to proceed must include a copy of the protocol", RULE_PROCEED
        ),
    )
    run(review, SM, feedback(), 12)
    refused(
        review,
        SM,
        feedback(),
        13,
        RuleViolation,
        violation("written feedback on the CFCIG decision has already been given", RULE_PATHWAY),
    )


def test_only_the_lead_reviewer_cfcig_identified_conducts_the_review() -> None:
    refused(
        proceeding(with_participants=False),
        OTHER_REVIEWER,
        PARTICIPANTS,
        12,
        RuleViolation,
        violation(
            "agreeing who is involved in the review is for the lead reviewer the CFCIG identified (lead-reviewer)",
            RULE_LEAD_REVIEWER,
        ),
    )


def test_workers_take_part_only_once_they_are_agreed_and_have_the_protocol() -> None:
    group = RecordReviewMeeting(held_on=on(20), kind=MeetingKind.GROUP_DISCUSSION, notes="Held.")
    message = violation(
        "before a discussion with workers, agree who is involved and confirm they have the protocol",
        RULE_LEAD_REVIEWER,
    )
    refused(proceeding(with_participants=False), LEAD, group, 20, RuleViolation, message)
    review = run(
        proceeding(with_participants=False),
        LEAD,
        msgspec.structs.replace(PARTICIPANTS, workers_have_protocol=False),
        12,
    )
    refused(review, LEAD, group, 20, RuleViolation, message)


def test_an_accuracy_check_needs_outline_findings_awaiting_it() -> None:
    refused(
        proceeding(),
        LEAD,
        RecordAccuracyCheck(checked_on=on(20)),
        20,
        RuleViolation,
        violation("there are no outline findings awaiting an accuracy check", RULE_LEAD_REVIEWER),
    )


def test_the_accuracy_check_happens_before_the_report_is_presented() -> None:
    review = run(proceeding(), LEAD, DraftReport(drafted_on=on(35), key_issues=("Matching.",)), 35)
    message = violation(
        "the outline findings must be checked for accuracy by the group before the report is presented",
        RULE_LEAD_REVIEWER,
    )
    refused(review, LEAD, PresentReport(presented_on=on(40), version=1), 40, RuleViolation, message)
    run(review, LEAD, ShareOutlineFindings(shared_on=on(36), findings=("Matching rushed.",)), 36)
    refused(review, LEAD, PresentReport(presented_on=on(40), version=1), 40, RuleViolation, message)


def test_a_revised_outline_needs_its_own_accuracy_check() -> None:
    review = drafted()
    run(review, LEAD, ShareOutlineFindings(shared_on=on(36), findings=("Revised.",)), 36)
    refused(
        review,
        LEAD,
        PresentReport(presented_on=on(40), version=1),
        40,
        RuleViolation,
        violation(
            "the outline findings must be checked for accuracy by the group before the report is presented",
            RULE_LEAD_REVIEWER,
        ),
    )


def test_no_presentation_without_a_draft_report() -> None:
    refused(
        checked(),
        LEAD,
        PresentReport(presented_on=on(40), version=1),
        40,
        RuleViolation,
        violation("there is no draft report to be presented", RULE_LEAD_REVIEWER),
    )


def test_cfcig_agrees_recommendations_only_on_the_latest_presented_version() -> None:
    review = presented()
    run(review, LEAD, DraftReport(drafted_on=on(41), key_issues=("Revised.",)), 41)
    refused(
        review,
        CFCIG,
        recommendations(version=1),
        41,
        RuleViolation,
        violation(
            "agreeing the recommendations is not possible while the review is at 'learning review under way'",
            RULE_CFCIG,
        ),
    )
    run(review, LEAD, PresentReport(presented_on=on(42), version=2), 42)
    refused(
        review,
        CFCIG,
        recommendations(version=1),
        42,
        RuleViolation,
        violation("only the latest version of the report (version 2) can be agreed", RULE_LEAD_REVIEWER),
    )


def test_cfcig_agrees_monitoring_and_dissemination_with_the_recommendations() -> None:
    message = violation(
        "the CFCIG must agree how implementation is monitored and how learning is disseminated", RULE_CFCIG
    )
    refused(presented(), CFCIG, recommendations(monitoring=""), 40, RuleViolation, message)
    refused(presented(), CFCIG, recommendations(dissemination=" "), 40, RuleViolation, message)
    refused(
        presented(),
        CFCIG,
        recommendations(recommendations=()),
        40,
        RuleViolation,
        violation("the CFCIG must agree at least one recommendation", RULE_CFCIG),
    )


def test_progress_is_reported_only_on_recommendations_and_actions_that_exist() -> None:
    refused(
        not_proceeding(),
        LINE,
        ReportProgressOnRecommendations(reported_on=on(20), item=3, progress="?"),
        20,
        RuleViolation,
        violation("the CFCIG made no recommendation number 3", RULE_NOT_PROCEED),
    )
    review = implementing()
    refused(
        review,
        SM,
        RecordActionProgress(action_id="A7", status=ActionStatus.COMPLETE, recorded_on=on(50), note="?"),
        50,
        RuleViolation,
        violation("the CFCIG agreed no action A7", RULE_CFCIG),
    )


def test_only_the_team_manager_cfcig_named_reports_back() -> None:
    another = Acting(actor="other-team-manager", roles=frozenset({Role.LINE_MANAGER}))
    refused(
        not_proceeding(),
        another,
        ReportProgressOnRecommendations(reported_on=on(20), item=1, progress="Done."),
        20,
        RuleViolation,
        violation(
            "progress is reported back by the team manager the CFCIG named (line-manager)", RULE_NOT_PROCEED
        ),
    )


def test_the_review_closes_only_after_a_cfcig_outcome() -> None:
    refused(
        proceeding(),
        CFCIG,
        CloseSingleAgencyReview(closed_on=on(20), summary="Done."),
        20,
        RuleViolation,
        violation(
            "the review cannot close before the CFCIG has decided not to proceed or has agreed the "
            "recommendations (unless it was escalated to a full Learning Review)",
            RULE_CFCIG,
        ),
    )


def test_the_review_closes_only_after_written_feedback() -> None:
    refused(
        implementing(),
        CFCIG,
        CloseSingleAgencyReview(closed_on=on(50), summary="Done."),
        50,
        RuleViolation,
        violation(
            "the review cannot close until written feedback on the CFCIG decision is given", RULE_PATHWAY
        ),
    )


def test_the_review_closes_only_after_the_learning_is_disseminated() -> None:
    review = run(implementing(), SM, feedback(sent_on=on(41)), 41)
    refused(
        review,
        CFCIG,
        CloseSingleAgencyReview(closed_on=on(50), summary="Done."),
        50,
        RuleViolation,
        violation("the review cannot close until the learning has been disseminated", RULE_CFCIG),
    )


def test_not_proceeding_closes_only_after_the_team_manager_reports_back() -> None:
    review = run(not_proceeding(), SM, feedback(protocol_enclosed=False), 12)
    run(review, LINE, ReportProgressOnRecommendations(reported_on=on(30), item=2, progress="Done."), 30)
    refused(
        review,
        CFCIG,
        CloseSingleAgencyReview(closed_on=on(50), summary="Done."),
        50,
        RuleViolation,
        violation("the team manager has not reported back on recommendation(s) 1", RULE_NOT_PROCEED),
    )


def test_escalation_happens_once() -> None:
    review = run(
        proceeding(),
        CFCIG,
        EscalateToFullReview(national_reference="LR-2026-011", escalated_on=on(20), reasons="Harm."),
        20,
    )
    refused(
        review,
        SM,
        EscalateToFullReview(national_reference="LR-2026-012", escalated_on=on(21), reasons="Harm."),
        21,
        RuleViolation,
        violation("this review was already escalated to LR-2026-011", RULE_ESCALATION),
    )


def test_nothing_is_recorded_after_closure() -> None:
    review = run(
        referred(), SM, RecordCriteriaNotMet(decided_on=on(5), reasons="No.", supervision_notes_on=on(5)), 5
    )
    run(review, SM, CloseSingleAgencyReview(closed_on=on(6), summary="Closed."), 6)
    refused(
        review,
        CFCIG,
        EscalateToFullReview(national_reference="LR-2026-011", escalated_on=on(7), reasons="Harm."),
        7,
        RuleViolation,
        violation(
            "the review is closed: escalating to a full Learning Review can no longer be recorded",
            RULE_CLOSED,
        ),
    )


def test_a_step_cannot_be_dated_after_the_day_it_is_recorded() -> None:
    refused(
        SingleAgencyReview(REF),
        WORKER,
        identify(identified_on=on(1)),
        0,
        InvalidInput,
        f"identified_on: cannot be later than the day it is recorded ({on(0)})",
    )


# -- authority ------------------------------------------------------------------------------------


def one_of_each() -> dict[type[Command], Command]:
    """A well-formed example of every command."""
    examples: list[Command] = [
        identify(),
        RecordSupervisionDiscussion(discussed_on=on(1), notes="Discussed."),
        RecommendReview(recommended_on=on(2), service_manager="service-manager", reasons="R."),
        CompleteReferralForm(form=demo.referral_form(on(3))),
        SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(3)),
        AgreeCriteriaMet(agreed_on=on(5)),
        RecordCriteriaNotMet(decided_on=on(5), reasons="No.", supervision_notes_on=on(5)),
        proceed(),
        not_proceed(),
        feedback(),
        ReportProgressOnRecommendations(reported_on=on(30), item=1, progress="Done."),
        PARTICIPANTS,
        RecordReviewMeeting(held_on=on(14), kind=MeetingKind.CASE_FILE_REVIEW, notes="Files."),
        ShareOutlineFindings(shared_on=on(30), findings=("F.",)),
        RecordAccuracyCheck(checked_on=on(32)),
        DraftReport(drafted_on=on(35), key_issues=("K.",)),
        PresentReport(presented_on=on(40), version=1),
        recommendations(),
        RecordActionProgress(action_id="A1", status=ActionStatus.COMPLETE, recorded_on=on(60), note="Done."),
        owner(),
        SignOffAction(action_id="A1", signed_off_on=on(61)),
        carry_a1(),
        RecordDissemination(audience=DisseminationAudience.SERVICE, held_on=on(62), method="bulletin"),
        EscalateToFullReview(national_reference="LR-2026-011", escalated_on=on(20), reasons="Harm."),
        CloseSingleAgencyReview(closed_on=on(70), summary="Done."),
        RecordDisseminationActivity(
            activity=DisseminationKind.TRAINING, held_on=on(55), audience="staff", description="Training."
        ),
        RecordDisseminationFeedback(activity_number=1, received_on=on(56), feedback="Useful."),
        TagLearningThemes(tagged_on=on(56), themes=("neglect",)),
        ChangeLeadReviewer(lead_reviewer="other-reviewer", changed_on=on(20)),
    ]
    return {type(c): c for c in examples}


def name_of(value: object) -> str:
    return value.__name__ if isinstance(value, type) else str(value)


DESCRIPTIONS = {
    Role.SOCIAL_WORKER: "a social worker",
    Role.LINE_MANAGER: "the line manager",
    Role.SERVICE_MANAGER: "the Service Manager",
    Role.CFCIG: "the Continuous Improvement Group",
    Role.LEAD_REVIEWER: "the lead reviewer",
}


def test_every_command_has_an_authority_and_a_row_in_the_module_docstring() -> None:
    commands = SingleAgencyReview.commands()
    assert set(commands.values()) == set(STEPS) == set(one_of_each())
    doc = single_agency_review.__doc__ or ""
    for tag in commands:
        assert f"| {tag} " in doc


@pytest.mark.parametrize("command_type", sorted(STEPS, key=name_of), ids=name_of)
def test_a_person_without_the_role_is_refused_every_step(command_type: type[Command]) -> None:
    step = STEPS[command_type]
    needs = " or ".join(DESCRIPTIONS[role] for role in step.roles)
    refused(
        identified(),
        NOBODY,
        one_of_each()[command_type],
        60,
        NotAuthorised,
        f"{REF}: {step.doing} can only be recorded by {needs}; passer-by does not hold that role",
    )


@pytest.mark.parametrize(
    ("actor", "command_type"),
    [
        (WORKER, DecideToProceed),
        (SM, DecideNotToProceed),
        (WORKER, RecommendReview),
        (LINE, AgreeCriteriaMet),
        (CFCIG, RecordCriteriaNotMet),
        (CFCIG, DraftReport),
        (SM, AgreeRecommendations),
        (LEAD, GiveWrittenFeedback),
        (WORKER, ReportProgressOnRecommendations),
        (LEAD, EscalateToFullReview),
        (SM, IdentifyCase),
    ],
    ids=lambda v: v.actor if isinstance(v, Acting) else name_of(v),
)
def test_the_protocol_gives_each_decision_to_its_own_role(actor: Acting, command_type: type[Command]) -> None:
    review = identified()
    before = snapshot(review)
    with pytest.raises(
        NotAuthorised, match=f"can only be recorded by .*; {actor.actor} does not hold that role"
    ):
        review.execute(one_of_each()[command_type], actor, at(60))
    assert snapshot(review) == before


def test_each_signature_records_who_signed_and_in_which_role() -> None:
    signatures = [e for e in referred().collect_events() if isinstance(e, ReferralFormSigned)]
    assert [(s.signatory, s.signed_by, s.role) for s in signatures] == [
        (Signatory.WORKER, "social-worker", Role.SOCIAL_WORKER),
        (Signatory.LINE_MANAGER, "line-manager", Role.LINE_MANAGER),
    ]


# -- personal data ---------------------------------------------------------------------------------


def demo_events() -> list[DomainEvent]:
    review = SingleAgencyReview(demo.REFERENCE)
    for step in demo.steps(START):
        if not step.refused:
            review.execute(step.command, person(step.actor), step.at)
    return review.collect_events()


def every_event() -> list[DomainEvent]:
    """Events of the demo plus the branches the demo does not take."""
    declined = run(
        referred(), SM, RecordCriteriaNotMet(decided_on=on(5), reasons="No.", supervision_notes_on=on(5)), 5
    )
    declined_events = declined.collect_events()
    not_going = run(
        not_proceeding(),
        LINE,
        ReportProgressOnRecommendations(reported_on=on(30), item=1, progress="Done."),
        30,
    )
    run(
        not_going,
        CFCIG,
        EscalateToFullReview(national_reference="LR-2026-011", escalated_on=on(31), reasons="Harm."),
        31,
    )
    changed = run(
        proceeding(), CFCIG, ChangeLeadReviewer(lead_reviewer="other-reviewer", changed_on=on(20)), 20
    )
    events = [*demo_events(), *declined_events, *not_going.collect_events(), *changed.collect_events()[-1:]]
    # The recommendations as the first form of the event kept them (monitoring, dissemination plain).
    agreed = next(e for e in events if isinstance(e, RecommendationsAgreedV2))
    first = RecommendationsAgreed(
        agreed_on=agreed.agreed_on,
        version=agreed.version,
        recommendations=agreed.recommendations,
        actions=agreed.actions,
        monitoring="Quarterly audit by the team manager.",
        dissemination="Team briefing.",
        role=agreed.role,
        at=agreed.at,
    )
    return [*events, first]


def test_names_dates_of_birth_and_record_numbers_never_sit_in_a_plain_field() -> None:
    identifying = set()
    for subject in demo.SUBJECTS:
        identifying.add(subject.name)
        identifying.update(v for v in (subject.address, subject.record_number) if v)
        if subject.date_of_birth:
            identifying.add(subject.date_of_birth.isoformat())
    for event in demo_events():
        # What the store seals, exactly as the ledger takes it out of the event.
        data = to_builtins(event)
        take_personal_values(data)
        plain = msgspec.json.encode(data).decode()
        assert [item for item in identifying if item in plain] == [], type(event).__name__


def test_the_referral_form_says_whose_data_each_item_is() -> None:
    form = next(e for e in demo_events() if isinstance(e, ReferralFormCompleted)).form
    assert form.swis_number == Personal(value="SW-448812", about=(demo.CHILD,), kind=ItemKind.RECORD_NUMBER)
    # Who lives with the child, and how they are related, is the child's data as well as theirs.
    partner = form.others_in_household[0]
    assert partner.relationship == Personal(
        value="mother's partner", about=(demo.PARTNER, demo.CHILD), kind=ItemKind.DEMOGRAPHIC
    )
    # The reasons for the request are the worker's opinions about the family.
    reason = form.reasons[0]
    assert reason.nature is Nature.OPINION
    assert reason.by == demo.WORKER
    assert set(reason.about) == {demo.CHILD, demo.MOTHER, demo.PARTNER}
    assert form.other_agencies[0].professionals[0].name.about == (demo.TEACHER,)


# -- events survive encode and typed decode -----------------------------------------------------

EVENT_TYPES = sorted(
    (
        cls
        for cls in vars(single_agency_events).values()
        if isinstance(cls, type)
        and issubclass(cls, SingleAgencyEvent | ActionEvent)
        and isinstance(cls.__struct_config__.tag, str)
    ),
    key=name_of,
)


def test_every_event_type_has_a_single_tag() -> None:
    assert len(EVENT_TYPES) == 27
    for cls in EVENT_TYPES:
        tag = cls.__struct_config__.tag
        assert isinstance(tag, str)
        assert tag.startswith("single.")


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=name_of)
def test_every_event_type_round_trips(event_type: type[DomainEvent]) -> None:
    examples = [e for e in every_event() if type(e) is event_type]
    assert examples, f"no example of {event_type.__name__}"
    for event in examples:
        assert msgspec.json.decode(msgspec.json.encode(event), type=event_type) == event


def test_replaying_the_events_rebuilds_the_same_record() -> None:
    review = SingleAgencyReview(demo.REFERENCE)
    for step in demo.steps(START):
        if not step.refused:
            review.execute(step.command, person(step.actor), step.at)
    events = review.collect_events()
    replayed = SingleAgencyReview.replay(demo.REFERENCE, events)
    assert vars(replayed) == vars(review)
    assert replayed.version == len(events)


def test_the_rules_work_on_a_record_replayed_with_its_personal_data_sealed() -> None:
    script = [s for s in demo.steps(START) if not s.refused]
    live = SingleAgencyReview(demo.REFERENCE)
    for step in script[:-1]:
        live.execute(step.command, person(step.actor), step.at)
    replayed = SingleAgencyReview.replay(demo.REFERENCE, [sealed(e) for e in live.collect_events()])
    assert (replayed.stage, replayed.status, replayed.version) == (live.stage, live.status, live.version)
    assert replayed.timescales() == live.timescales()
    assert replayed.obligations() == live.obligations()
    replayed.execute(script[-1].command, person(script[-1].actor), script[-1].at)
    assert stage_of(replayed) is Stage.CLOSED


def test_a_single_agency_review_replays_after_its_personal_data_is_disposed_of() -> None:
    review = proceeding()
    before = (review.stage, review.status, review.timescales(), review.obligations())
    events = [*review.collect_events(), PersonalDataDisposed(rule="R1", authorised_by="ig", at=at(90))]
    again = SingleAgencyReview.replay(review.reference, events)
    assert (again.stage, again.status, again.timescales(), again.obligations()) == before
    assert again.personal_data_disposed and not review.personal_data_disposed


def test_a_steps_text_can_say_whom_else_it_names_and_whose_statement_it_is() -> None:
    review = identified()
    review.collect_events()
    run(
        review,
        LINE,
        RecordSupervisionDiscussion(
            discussed_on=on(1),
            notes="The foster carer's worker said the mother's partner was at the contact.",
            about=(demo.PARTNER,),
            by=demo.FOSTER_WORKER,
        ),
        1,
    )
    (discussed,) = review.collect_events()
    assert isinstance(discussed, SupervisionDiscussionRecorded)
    notes = discussed.notes
    assert notes.about == (demo.CHILD, demo.MOTHER, demo.PARTNER) and notes.by == demo.FOSTER_WORKER
    with pytest.raises(InvalidInput, match=r"^by: must look like S-xxxx"):
        run(identified(), LINE, RecordSupervisionDiscussion(discussed_on=on(1), notes="x", by="Alan"), 1)


# -- a change of lead reviewer --------------------------------------------------------------------


def test_the_cfcig_identifies_another_lead_reviewer_who_then_conducts_the_review() -> None:
    review = proceeding()
    review.collect_events()
    run(review, CFCIG, ChangeLeadReviewer(lead_reviewer="other-reviewer", changed_on=on(20)), 20)
    [changed] = review.collect_events()
    assert isinstance(changed, LeadReviewerChanged)
    assert (changed.released, changed.lead_reviewer, changed.changed_on) == (
        "lead-reviewer",
        "other-reviewer",
        on(20),
    )
    # The lead reviewer released no longer conducts the review; the new one does.
    refused(
        review,
        LEAD,
        RecordAccuracyCheck(checked_on=on(32)),
        32,
        RuleViolation,
        violation(
            "recording the accuracy check is for the lead reviewer the CFCIG identified (other-reviewer)",
            RULE_LEAD_REVIEWER,
        ),
    )
    run(review, OTHER_REVIEWER, ShareOutlineFindings(shared_on=on(30), findings=("Matching rushed.",)), 30)


def test_a_change_of_lead_reviewer_is_the_cfcigs_and_names_someone_new() -> None:
    review = proceeding()
    refused(
        review,
        LEAD,
        ChangeLeadReviewer(lead_reviewer="other-reviewer", changed_on=on(20)),
        20,
        NotAuthorised,
        f"{REF}: identifying another lead reviewer can only be recorded by the Continuous Improvement Group; "
        "lead-reviewer does not hold that role",
    )
    refused(
        review,
        CFCIG,
        ChangeLeadReviewer(lead_reviewer="lead-reviewer", changed_on=on(20)),
        20,
        RuleViolation,
        violation("lead-reviewer is already the lead reviewer", RULE_PROCEED),
    )
    refused(
        not_proceeding(),
        CFCIG,
        ChangeLeadReviewer(lead_reviewer="other-reviewer", changed_on=on(20)),
        20,
        RuleViolation,
        violation(
            "identifying another lead reviewer is not possible while the review is at 'not proceeding: recommendations being followed up'",
            RULE_PROCEED,
        ),
    )


def test_how_recommendations_are_monitored_and_disseminated_is_sealed_about_the_case() -> None:
    (agreed,) = [e for e in implementing().collect_events() if isinstance(e, RecommendationsAgreedV2)]
    for item in (agreed.monitoring, agreed.dissemination):
        assert item.value and demo.CHILD in item.about


def test_the_referral_forms_narrative_can_name_people_beyond_the_household() -> None:
    review = recommended()
    review.collect_events()
    form = msgspec.structs.replace(demo.referral_form(on(3)), about=(demo.TEACHER,))
    run(review, WORKER, CompleteReferralForm(form=form), 3)
    (completed,) = review.collect_events()
    assert isinstance(completed, ReferralFormCompleted)
    assert demo.TEACHER in completed.form.circumstances.about
    assert demo.TEACHER not in completed.form.family_subjects()


# -- the action plan, as records (the rules shared with the Mini Learning Review) --------------------


def test_the_review_closes_only_when_every_action_is_signed_off_or_carried_over() -> None:
    review = run(implementing(), SM, feedback(sent_on=on(41)), 41)
    run(
        review,
        LEAD,
        RecordDissemination(audience=DisseminationAudience.SERVICE, held_on=on(62), method="b"),
        62,
    )
    close = CloseSingleAgencyReview(closed_on=on(70), summary="Done.")
    refused(
        review,
        CFCIG,
        close,
        70,
        RuleViolation,
        violation(
            "the review cannot close with actions open (A1): complete and sign them off, "
            "or carry them over to a named owner",
            RULE_CFCIG,
        ),
    )
    run(review, SM, owner(), 41)
    run(review, SM, complete_a1(), 60)
    refused(
        review,
        CFCIG,
        close,
        70,
        RuleViolation,
        violation(
            "the review cannot close with actions open (A1): complete and sign them off, "
            "or carry them over to a named owner",
            RULE_CFCIG,
        ),
    )
    refused(
        review,
        SM,
        SignOffAction(action_id="A1", signed_off_on=on(61)),
        61,
        NotAuthorised,
        f"{REF}: signing off an action can only be recorded by the Continuous Improvement Group; "
        "service-manager does not hold that role",
    )
    run(review, CFCIG, SignOffAction(action_id="A1", signed_off_on=on(61)), 61)
    refused(
        review,
        CFCIG,
        SignOffAction(action_id="A1", signed_off_on=on(62)),
        62,
        RuleViolation,
        violation(f"action A1 was already signed off on {on(61)}", RULE_CFCIG),
    )
    run(review, CFCIG, close, 70)
    assert stage_of(review) is Stage.CLOSED


def test_an_action_carried_over_to_a_named_owner_lets_the_review_close_and_stops_its_clock() -> None:
    review = run(implementing(), SM, feedback(sent_on=on(41)), 41)
    run(
        review,
        LEAD,
        RecordDissemination(audience=DisseminationAudience.SERVICE, held_on=on(62), method="b"),
        62,
    )
    (clock,) = [t for t in review.timescales() if t.name.startswith("action A1")]
    assert (clock.due, clock.status()) == (on(90), TimescaleStatus.RUNNING)
    refused(
        review,
        SM,
        carry_a1(),
        65,
        NotAuthorised,
        f"{REF}: carrying an action over to a named owner can only be recorded by the Continuous Improvement "
        "Group; service-manager does not hold that role",
    )
    run(review, CFCIG, carry_a1(), 65)
    assert not [t for t in review.timescales() if t.name.startswith("action A1")]
    run(review, CFCIG, CloseSingleAgencyReview(closed_on=on(70), summary="Done."), 70)
    assert stage_of(review) is Stage.CLOSED
