"""The Mini Learning Review (seed 000), told as the Orkney procedure describes it.

Scenario tests narrate each route end to end (agreed, disagreement resolved either way,
escalated to a full Learning Review); then one test per rule (the refusal, its exact words,
and nothing changed), the authority table, the timescales, personal data kept out of plain
fields, and a round trip of every event type through msgspec.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from adapters.demo import mini as demo_mini
from adapters.demo.cast import CAST
from adapters.store.personal_data import take_personal_values
from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, personal, to_builtins
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import TimescaleStatus
from domain.routes.mini import events as mini_events
from domain.routes.mini import review as mini_review
from domain.routes.mini.commands import (
    AcknowledgeStaffConcern,
    ActionAnswers,
    AppointReviewTeam,
    ChangeReviewTeam,
    CloseMiniReview,
    CompileReviewReport,
    DisseminationActivity,
    EscalateToFullReview,
    MeetingKind,
    NameServiceContact,
    Presenter,
    PresentReviewReport,
    ReceiveFindingsAndActions,
    RecordCriteriaConclusion,
    RecordDissemination,
    RecordFeedbackToCog,
    RecordReviewMeeting,
    RecordReviewToBeUndertaken,
    RecordServicesAgreement,
    ReferStaffConcern,
    RequestInformation,
    RequestMiniReview,
    ResolveDisagreement,
    ReturnInformationForm,
    SetReviewScope,
    SignOffAtPartnershipLevel,
    StaffConcern,
    SubmitRequestForm,
    TableDisagreement,
    TableRequest,
    TeamMemberAnswers,
    TeamRole,
)
from domain.routes.mini.events import (
    ActionExceptionReported,
    ActionProgressRecorded,
    DisagreementResolved,
    EscalatedToFullReview,
    FullCriteriaConcluded,
    MiniEvent,
    RequestFormSubmitted,
    ReviewMeetingHeld,
    SignedOffAtPartnershipLevel,
    StaffConcernReferred,
)
from domain.routes.mini.forms import MiniCriterion
from domain.routes.mini.review import MiniReview
from domain.routes.mini.rules import (
    RULE_CRITERIA,
    RULE_DISAGREEMENT,
    RULE_DISSEMINATION,
    RULE_ESCALATION,
    RULE_INFORMATION,
    RULE_REPORTING,
    RULE_REQUEST,
    RULE_STAFF,
    RULE_STEPS,
    RULE_TEAM,
    RULE_TIMESCALE,
    STEPS,
    Stage,
)
from domain.routes.shared.actions import (
    ActionEvent,
    ActionStatus,
    AssignActionOwner,
    CarryOverAction,
    RecordActionProgress,
    ReportActionException,
    SignOffAction,
)
from domain.routes.shared.agency_contacts import RULE_CONTACT
from domain.routes.shared.dissemination import (
    DisseminationKind,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)
from domain.routes.shared.review_base import RULE_CLOSED
from tests.days import START, at, on
from tests.domain.record_steps import refused, run, sealed, snapshot, tags

REF = "MLR-TEST-001"
HEALTH, EDUCATION, SOCIAL_WORK = demo_mini.HEALTH, demo_mini.EDUCATION, demo_mini.SOCIAL_WORK
ROLES = {member.actor_id: frozenset(member.roles) for member in CAST}


def person(actor_id: str) -> Acting:
    return Acting(actor=actor_id, roles=ROLES[actor_id])


LEAD = person("partnership-lead")
GROUP = person("delivery-chair")
LEAD_OFFICER = person("lead-officer")
QA = person("qa-chair")
COG = person("cog-chair")
AGENCY = person("agency-contact")
SOCIAL_WORKER = person("social-worker")
NOBODY = Acting(actor="passer-by")


# -- the commands of a typical review ----------------------------------------------------------


def request(**changes: Any) -> RequestMiniReview:
    command = RequestMiniReview(
        received_on=on(0),
        initiator_service=HEALTH,
        services=(HEALTH, EDUCATION),
        criteria=(MiniCriterion.IMPROVEMENT_OR_AWARENESS,),
        full_criteria_not_met=True,
        concern="Missed appointments and absences were not put together.",
        subjects=(demo_mini.CHILD, demo_mini.MOTHER),
    )
    return msgspec.structs.replace(command, **changes)


def agreement(**changes: Any) -> RecordServicesAgreement:
    command = RecordServicesAgreement(
        discussed_on=on(1), agreeing=(HEALTH, EDUCATION), basis="Worth learning from."
    )
    return msgspec.structs.replace(command, **changes)


def team(*extra: TeamMemberAnswers) -> AppointReviewTeam:
    lead = TeamMemberAnswers(
        subject_id=demo_mini.LEAD,
        name="Magnus Linklater",
        service=HEALTH,
        team_role=TeamRole.REVIEW_LEAD,
        has_conflict=False,
        declaration="No involvement with the family.",
        actor_id="partnership-lead",
    )
    return AppointReviewTeam(appointed_on=on(11), members=(lead, *extra))


ADMIN = TeamMemberAnswers(
    subject_id=demo_mini.ADMIN,
    name="Kirsten Work",
    service="Partnership support",
    team_role=TeamRole.ADMIN_SUPPORT,
    has_conflict=True,
    declaration="Knows the family socially; takes no part in interviews.",
)


def report(day: int = 30) -> CompileReviewReport:
    return CompileReviewReport(
        compiled_on=on(day),
        findings=("Attendance and health information sat apart.",),
        actions=(
            ActionAnswers(
                action_id="A1", description="Share missed appointments.", owner_service=HEALTH, due_on=on(90)
            ),
        ),
    )


def conclusion(**changes: Any) -> RecordCriteriaConclusion:
    command = RecordCriteriaConclusion(
        concluded_on=on(38),
        version=1,
        reached_full_criteria=False,
        reasons="No significant harm: §1.2 not met.",
    )
    return msgspec.structs.replace(command, **changes)


def sign_off(**changes: Any) -> SignOffAtPartnershipLevel:
    command = SignOffAtPartnershipLevel(signed_off_on=on(38), version=1)
    return msgspec.structs.replace(command, **changes)


def staff_concern(**changes: Any) -> ReferStaffConcern:
    command = ReferStaffConcern(
        referred_on=on(23),
        service=HEALTH,
        concern=StaffConcern.COMPETENCE,
        practitioners=(demo_mini.HEALTH_VISITOR,),
        procedure="NHS Orkney capability procedure",
        summary="Missed-appointment letters were not followed up over three months.",
    )
    return msgspec.structs.replace(command, **changes)


def owner(action_id: str = "A1", due: int = 90, day: int = 47) -> AssignActionOwner:
    return AssignActionOwner(
        action_id=action_id,
        owner_subject=demo_mini.HEALTH_VISITOR,
        owner_name="Ingrid Spence",
        due_on=on(due),
        assigned_on=on(day),
    )


def complete_a1(day: int = 50) -> RecordActionProgress:
    return RecordActionProgress(
        action_id="A1",
        status=ActionStatus.COMPLETE,
        recorded_on=on(day),
        note="Done.",
        evidence=("HV procedure v3",),
    )


def actions_done(review: MiniReview) -> MiniReview:
    """Action A1 owned, completed on evidence and signed off by the QA Sub Committee."""
    run(review, LEAD, owner(), 47)
    run(review, LEAD, complete_a1(), 50)
    return run(review, QA, SignOffAction(action_id="A1", signed_off_on=on(52)), 52)


def contact(service: str, actor_id: str = "agency-contact", day: int = 12) -> NameServiceContact:
    return NameServiceContact(service=service, actor_id=actor_id, named_on=on(day))


def dissemination(activity: DisseminationActivity, day: int = 55) -> RecordDissemination:
    return RecordDissemination(
        activity=activity, held_on=on(day), audience="practitioners", summary="Learning shared."
    )


# -- records at each stage ------------------------------------------------------------------------


def requested() -> MiniReview:
    return run(MiniReview(REF), LEAD, request(), 0)


def agreed() -> MiniReview:
    return run(requested(), LEAD, agreement(), 1)


def tabled() -> MiniReview:
    review = run(agreed(), LEAD, SubmitRequestForm(submitted_on=on(5), form=demo_mini.request_form(on(5))), 5)
    return run(review, GROUP, TableRequest(meeting_on=on(10)), 10)


def under_way(*, with_team: bool = True) -> MiniReview:
    review = run(
        tabled(), GROUP, RecordReviewToBeUndertaken(decided_on=on(10), presentation_due_on=on(40)), 10
    )
    return run(review, LEAD, team(), 11) if with_team else review


def presented() -> MiniReview:
    review = run(under_way(), LEAD, report(), 30)
    return run(review, LEAD, PresentReviewReport(presented_on=on(38), version=1), 38)


def concluded(*, reached: bool = False) -> MiniReview:
    return run(presented(), LEAD_OFFICER, conclusion(reached_full_criteria=reached), 38)


def signed_off(*, reached: bool = False) -> MiniReview:
    return run(concluded(reached=reached), GROUP, sign_off(), 38)


def reported(*, reached: bool = False) -> MiniReview:
    review = run(
        signed_off(reached=reached),
        QA,
        ReceiveFindingsAndActions(received_on=on(45), presented_by=Presenter.REVIEW_LEAD),
        45,
    )
    return run(review, COG, RecordFeedbackToCog(given_on=on(46), presented_by=Presenter.CSWO), 46)


def stage_of(review: MiniReview) -> Stage:
    """The stage, read through a call so the type checker does not narrow it between steps."""
    return review.stage


def violation(message: str, rule: str) -> str:
    return f"{REF}: {message} ({rule})"


# -- scenarios ------------------------------------------------------------------------------------


def test_a_mini_learning_review_from_request_to_closure() -> None:
    review = MiniReview(REF)
    # A member of the Partnership believes the §1.3 criteria are met and the §1.2 criteria are not.
    run(review, LEAD, request(services=(HEALTH, EDUCATION, SOCIAL_WORK)), 0)
    assert stage_of(review) is Stage.REQUESTED
    # Heads of Service in the services expected to benefit most discuss and agree.
    run(review, LEAD, agreement(agreeing=(HEALTH, EDUCATION, SOCIAL_WORK)), 1)
    assert stage_of(review) is Stage.AGREED
    assert review.obligations() == [
        Obligation(
            who=(Role.PARTNERSHIP_LEAD,), what="submit the Request Form", rule=RULE_REQUEST, due=on(14)
        )
    ]
    # The Partnership Lead submits the Request Form (Appendix 1) to the Chair of the Delivery Group.
    run(review, LEAD, SubmitRequestForm(submitted_on=on(6), form=demo_mini.request_form(on(5))), 6)
    # It is tabled at the next Children's Services Improvement Plan Delivery meeting.
    run(review, GROUP, TableRequest(meeting_on=on(10)), 10)
    # The Delivery Group records that a Mini Learning Review is to be undertaken, and sets the date
    # for the completed review to be presented back, within 42 calendar days.
    run(review, GROUP, RecordReviewToBeUndertaken(decided_on=on(10), presentation_due_on=on(52)), 10)
    assert stage_of(review) is Stage.UNDER_WAY
    # The Partnership Lead identifies the questions and scope, and a small Review Team with admin support.
    run(
        review,
        LEAD,
        SetReviewScope(set_on=on(11), questions=("Who knew what?",), scope="Two school terms."),
        11,
    )
    run(review, LEAD, team(ADMIN), 11)
    # Participating services are asked for the information form and return it within 14 days.
    run(review, LEAD, RequestInformation(requested_on=on(12), services=(HEALTH, EDUCATION)), 12)
    # The Partnership Lead names who answers for each service; only they return its form.
    run(review, LEAD, contact(HEALTH), 12)
    run(review, LEAD, contact(EDUCATION, "partnership-lead"), 12)
    run(
        review,
        AGENCY,
        ReturnInformationForm(
            service=HEALTH, returned_on=on(20), form=demo_mini.information_form(on(20), HEALTH)
        ),
        20,
    )
    run(
        review,
        person("partnership-lead"),
        ReturnInformationForm(
            service=EDUCATION, returned_on=on(24), form=demo_mini.information_form(on(24), EDUCATION)
        ),
        24,
    )
    # Meetings are held and minuted; the report is compiled and presented to the Partnership.
    run(
        review,
        LEAD,
        RecordReviewMeeting(
            held_on=on(22),
            kind=MeetingKind.PRACTITIONERS,
            attendees=(demo_mini.HEALTH_VISITOR,),
            minutes="Timeline agreed.",
        ),
        22,
    )
    # A competence issue emerges: it goes to Health's own staff procedures, not into the review.
    run(review, LEAD, staff_concern(), 23)
    assert (
        review.obligations()[-1].what == f"{HEALTH} takes up staff concern SC1 under its own staff procedures"
    )
    run(review, AGENCY, AcknowledgeStaffConcern(referral="SC1", acknowledged_on=on(25)), 25)
    run(review, LEAD, report(), 30)
    run(review, LEAD, PresentReviewReport(presented_on=on(38), version=1), 38)
    # The Lead Officer (Service Manager Public Protection) records that the full criteria were not
    # reached, and why; the Delivery Group signs off at Partnership level, agreeing it.
    run(review, LEAD_OFFICER, conclusion(), 38)
    assert review.obligations() == [
        Obligation(
            who=(Role.DELIVERY_GROUP,),
            what="sign off at Partnership level, agreeing the Lead Officer's conclusion",
            rule=RULE_REPORTING,
        )
    ]
    run(review, GROUP, sign_off(reached_full_criteria=False, reasons="Agreed by the Delivery Group."), 38)
    assert review.reached_full_criteria is False
    # The findings and actions go to the Child Protection Quality Assurance Sub Committee and the COG.
    run(review, QA, ReceiveFindingsAndActions(received_on=on(45), presented_by=Presenter.REVIEW_LEAD), 45)
    run(review, COG, RecordFeedbackToCog(given_on=on(46), presented_by=Presenter.CSWO, response="Noted."), 46)
    # Each action has a named owner and a due date; it is completed on evidence and signed off by
    # the QA Sub Committee; and the learning is disseminated (§5).
    assert review.obligations()[0].what == "name the owner of action A1"
    run(review, LEAD, owner(), 47)
    run(review, LEAD, complete_a1(), 50)
    assert review.obligations()[0] == Obligation(
        who=(Role.QA_SUBCOMMITTEE,), what="sign off action A1", rule=RULE_STEPS
    )
    run(review, QA, SignOffAction(action_id="A1", signed_off_on=on(52)), 52)
    for activity in DisseminationActivity:
        run(review, LEAD, dissemination(activity), 55)
    assert review.obligations() == []
    run(review, LEAD, CloseMiniReview(closed_on=on(60), summary="Learning implemented."), 60)

    assert stage_of(review) is Stage.CLOSED
    assert review.status == "closed"
    assert review.links == {}
    assert [clock.status() for clock in review.timescales()] == [TimescaleStatus.MET] * 5
    assert tags(review) == [
        "mini.review-requested",
        "mini.services-agreement-recorded",
        "mini.request-form-submitted",
        "mini.request-tabled",
        "mini.review-to-be-undertaken-recorded",
        "mini.review-scope-set",
        "mini.review-team-appointed",
        "mini.information-requested",
        "mini.service-contact-named",
        "mini.service-contact-named",
        "mini.information-form-returned",
        "mini.information-form-returned",
        "mini.review-meeting-held",
        "mini.staff-concern-referred",
        "mini.staff-concern-acknowledged",
        "mini.review-report-compiled",
        "mini.review-report-presented",
        "mini.full-criteria-concluded",
        "mini.signed-off-by-partnership",
        "mini.findings-and-actions-received",
        "mini.feedback-given-to-cog",
        "mini.action-owner-assigned",
        "mini.action-progress-recorded",
        "mini.action-signed-off",
        *["mini.learning-disseminated"] * 5,
        "mini.review-closed",
    ]
    assert review.version == 30


def test_services_disagree_the_lead_tables_it_and_the_delivery_group_decides_it_is_needed() -> None:
    review = run(requested(), LEAD, agreement(agreeing=(HEALTH,), not_agreeing=(EDUCATION,)), 1)
    assert stage_of(review) is Stage.SERVICES_DISAGREE
    # §1.6: the Lead for the service which identified the need tables it at the Delivery meeting.
    run(
        review,
        LEAD,
        TableDisagreement(tabled_on=on(3), service=HEALTH, presenting_information="Pattern of absence."),
        3,
    )
    assert review.obligations()[0].who == (Role.DELIVERY_GROUP,)
    # The Delivery Group decides on the presenting information and the match with the criteria.
    run(review, GROUP, ResolveDisagreement(decided_on=on(3), review_needed=True, reasons="Matches §1.3."), 3)
    assert stage_of(review) is Stage.AGREED
    # The request then follows the ordinary route.
    run(review, LEAD, SubmitRequestForm(submitted_on=on(5), form=demo_mini.request_form(on(5))), 5)
    assert stage_of(review) is Stage.FORM_SUBMITTED


def test_the_delivery_group_decides_no_review_is_needed_and_the_record_closes() -> None:
    review = run(requested(), LEAD, agreement(agreeing=(HEALTH,), not_agreeing=(EDUCATION,)), 1)
    run(
        review, LEAD, TableDisagreement(tabled_on=on(3), service=HEALTH, presenting_information="Pattern."), 3
    )
    run(
        review,
        GROUP,
        ResolveDisagreement(
            decided_on=on(3), review_needed=False, reasons="Resolved by reflective discussion."
        ),
        3,
    )
    assert stage_of(review) is Stage.NOT_UNDERTAKEN
    refused(
        review,
        LEAD,
        SubmitRequestForm(submitted_on=on(5), form=demo_mini.request_form(on(5))),
        5,
        RuleViolation,
        violation(
            "submitting the Request Form is not possible while the review is at 'not to be undertaken'",
            RULE_REQUEST,
        ),
    )
    run(review, GROUP, CloseMiniReview(closed_on=on(4), summary="No review needed."), 4)
    assert review.status == "closed"


def test_escalated_to_a_full_learning_review_during_the_review_and_then_closed() -> None:
    review = under_way()
    # §1.3: a Notification for a formal Learning Review may follow "at any time during the process".
    run(
        review,
        LEAD,
        EscalateToFullReview(
            national_reference="LR-2026-009", escalated_on=on(15), reasons="Injury disclosed."
        ),
        15,
    )
    assert review.links == {"escalated_to": "LR-2026-009"}
    assert review.status == "open; escalated to a full Learning Review (LR-2026-009)"
    # The mini review may stop there: the learning continues in the full Learning Review.
    run(review, LEAD, CloseMiniReview(closed_on=on(16), summary="Continued as LR-2026-009."), 16)
    assert review.status == "closed; escalated to a full Learning Review (LR-2026-009)"
    event = review.collect_events()[-2]
    assert isinstance(event, EscalatedToFullReview)
    assert event.national_reference == "LR-2026-009"
    assert event.role is Role.PARTNERSHIP_LEAD
    assert event.reasons.nature is Nature.OPINION


def test_sign_off_concluding_the_full_criteria_are_reached_obliges_escalation_before_closure() -> None:
    review = actions_done(reported(reached=True))
    for activity in DisseminationActivity:
        run(review, LEAD, dissemination(activity), 55)
    assert review.obligations()[0] == Obligation(
        who=(Role.PARTNERSHIP_LEAD,), what="notify for a full Learning Review", rule=RULE_ESCALATION
    )
    refused(
        review,
        LEAD,
        CloseMiniReview(closed_on=on(60), summary="Done."),
        60,
        RuleViolation,
        violation(
            "the review concluded that the full Learning Review criteria were reached: "
            "record the escalation to a full Learning Review before closing",
            RULE_ESCALATION,
        ),
    )
    run(
        review,
        GROUP,
        EscalateToFullReview(national_reference="LR-2026-002", escalated_on=on(58), reasons="§1.2 met."),
        58,
    )
    run(review, LEAD, CloseMiniReview(closed_on=on(60), summary="Done."), 60)
    assert stage_of(review) is Stage.CLOSED


def test_after_sign_off_the_obligations_are_the_reporting_and_dissemination_of_section_4_and_5() -> None:
    lead, qa = Role.PARTNERSHIP_LEAD, Role.QA_SUBCOMMITTEE
    assert signed_off().obligations() == [
        Obligation(who=(qa,), what="receive the findings and actions", rule=RULE_REPORTING),
        Obligation(who=(lead,), what="feed back findings and actions to the COG", rule=RULE_REPORTING),
        Obligation(who=(lead,), what="name the owner of action A1", rule=RULE_STEPS),
        Obligation(who=(lead,), what="complete action A1", rule=RULE_STEPS, due=on(90)),
        Obligation(
            who=(lead,), what="meet those directly involved to share the learning", rule=RULE_DISSEMINATION
        ),
        Obligation(
            who=(lead,),
            what="include the findings and actions in the Improvement Plan or Evidence Log",
            rule=RULE_DISSEMINATION,
        ),
        Obligation(who=(lead,), what="disseminate the learning to single services", rule=RULE_DISSEMINATION),
        Obligation(
            who=(lead,), what="disseminate the learning across the Partnership", rule=RULE_DISSEMINATION
        ),
        Obligation(
            who=(lead,),
            what="gather feedback and consider further learning and development",
            rule=RULE_DISSEMINATION,
        ),
    ]


def test_the_demo_script_runs_with_its_one_refusal() -> None:
    review = MiniReview(demo_mini.REFERENCE)
    refusals = 0
    for step in demo_mini.steps(START):
        assert step.reference == demo_mini.REFERENCE
        assert step.record_type is MiniReview
        if step.refused:
            before = snapshot(review)
            with pytest.raises(RuleViolation, match="within 42 calendar days"):
                review.execute(step.command, person(step.actor), step.at)
            assert snapshot(review) == before
            refusals += 1
        else:
            review.execute(step.command, person(step.actor), step.at)
    assert refusals == 1
    assert stage_of(review) is Stage.CLOSED
    assert review.links == {"escalated_to": demo_mini.NATIONAL_REFERENCE}
    assert {s.subject_id for s in demo_mini.SUBJECTS} >= set(review.family) | set(review.practitioners)


# -- timescales -----------------------------------------------------------------------------------


def test_the_request_form_clock_is_missed_when_the_form_is_completed_after_14_days() -> None:
    review = run(
        agreed(), LEAD, SubmitRequestForm(submitted_on=on(15), form=demo_mini.request_form(on(15))), 15
    )
    clock = review.timescales()[0]
    assert (clock.started, clock.due, clock.completed) == (on(0), on(14), on(15))
    assert clock.status() is TimescaleStatus.MISSED
    assert clock.rule == "seed 000 §1.4"


def test_each_service_has_its_own_14_day_information_clock() -> None:
    review = run(under_way(), LEAD, RequestInformation(requested_on=on(12), services=(HEALTH, EDUCATION)), 12)
    assert (
        Obligation(who=(Role.PARTNERSHIP_LEAD,), what=f"name who answers for {HEALTH}", rule=RULE_INFORMATION)
        in review.obligations()
    )
    run(review, LEAD, contact(HEALTH), 12)
    run(
        review,
        AGENCY,
        ReturnInformationForm(
            service=HEALTH, returned_on=on(30), form=demo_mini.information_form(on(30), HEALTH)
        ),
        30,
    )
    clocks = {c.name: c for c in review.timescales()}
    health = clocks[f"information form from {HEALTH} within 14 calendar days"]
    education = clocks[f"information form from {EDUCATION} within 14 calendar days"]
    assert health.due == education.due == on(26)
    assert health.status() is TimescaleStatus.MISSED
    assert education.status() is TimescaleStatus.RUNNING
    assert education.days_left(on(27)) == -1
    assert (
        Obligation(
            who=(Role.PARTNERSHIP_MEMBER,),
            what=f"{EDUCATION} returns its information form",
            rule=RULE_INFORMATION,
            due=on(26),
        )
        in review.obligations()
    )


def test_the_presentation_clock_runs_from_tabling_to_the_date_the_delivery_group_set() -> None:
    review = under_way()
    clock = review.timescales()[1]
    assert (clock.started, clock.due, clock.completed) == (on(10), on(40), None)
    run(review, LEAD, report(), 30)
    run(review, LEAD, PresentReviewReport(presented_on=on(41), version=1), 41)
    assert review.timescales()[1].status() is TimescaleStatus.MISSED


# -- rules ----------------------------------------------------------------------------------------


def test_a_case_meeting_the_full_criteria_is_not_a_mini_review() -> None:
    refused(
        MiniReview(REF),
        LEAD,
        request(full_criteria_not_met=False),
        0,
        RuleViolation,
        violation(
            "a Mini Learning Review is only for cases that do not meet the criteria for a full "
            "Learning Review; make a Notification for a Learning Review instead",
            RULE_REQUEST,
        ),
    )


def test_a_mini_review_involves_more_than_one_service() -> None:
    refused(
        MiniReview(REF),
        LEAD,
        request(services=(HEALTH, HEALTH)),
        0,
        RuleViolation,
        violation("a Mini Learning Review involves more than one service", RULE_REQUEST),
    )


def test_a_request_names_a_ground_within_the_criteria() -> None:
    refused(
        MiniReview(REF),
        LEAD,
        request(criteria=()),
        0,
        RuleViolation,
        violation("name at least one ground within the Mini Learning Review criteria", RULE_CRITERIA),
    )


def test_a_review_is_requested_once() -> None:
    refused(
        requested(),
        LEAD,
        request(),
        0,
        RuleViolation,
        violation(
            "requesting a Mini Learning Review is not possible while the review is at "
            "'requested: Heads of Service discussing'",
            RULE_REQUEST,
        ),
    )


def test_the_heads_of_service_discussion_involves_more_than_one_service() -> None:
    refused(
        requested(),
        LEAD,
        agreement(agreeing=(HEALTH,)),
        1,
        RuleViolation,
        violation("the discussion is between the Heads of Service of more than one service", RULE_REQUEST),
    )


def test_the_delivery_group_gives_reasons_when_it_decides_a_disagreement() -> None:
    review = run(requested(), LEAD, agreement(agreeing=(HEALTH,), not_agreeing=(EDUCATION,)), 1)
    run(
        review, LEAD, TableDisagreement(tabled_on=on(3), service=HEALTH, presenting_information="Pattern."), 3
    )
    refused(
        review,
        GROUP,
        ResolveDisagreement(decided_on=on(3), review_needed=True, reasons="  "),
        3,
        RuleViolation,
        violation("the Delivery Group's decision must give its reasons", RULE_DISAGREEMENT),
    )


def test_a_disagreement_is_decided_only_after_it_is_tabled() -> None:
    review = run(requested(), LEAD, agreement(agreeing=(HEALTH,), not_agreeing=(EDUCATION,)), 1)
    refused(
        review,
        GROUP,
        ResolveDisagreement(decided_on=on(3), review_needed=True, reasons="Yes."),
        3,
        RuleViolation,
        violation(
            "deciding a disagreement on the need for a review is not possible while the review is at "
            "'services disagree on the need'",
            RULE_DISAGREEMENT,
        ),
    )


def test_the_presentation_date_falls_within_42_days_of_tabling() -> None:
    refused(
        tabled(),
        GROUP,
        RecordReviewToBeUndertaken(decided_on=on(10), presentation_due_on=on(53)),
        10,
        RuleViolation,
        violation(
            f"the presentation date must fall within 42 calendar days of the request being presented "
            f"to the Delivery Group on {on(10)}, that is by {on(52)}",
            RULE_TIMESCALE,
        ),
    )


def test_the_presentation_date_cannot_be_before_tabling() -> None:
    refused(
        tabled(),
        GROUP,
        RecordReviewToBeUndertaken(decided_on=on(10), presentation_due_on=on(9)),
        10,
        RuleViolation,
        violation(
            f"the presentation date must fall within 42 calendar days of the request being presented "
            f"to the Delivery Group on {on(10)}, that is by {on(52)}",
            RULE_TIMESCALE,
        ),
    )


def test_the_presentation_date_may_be_the_42nd_day() -> None:
    review = run(
        tabled(), GROUP, RecordReviewToBeUndertaken(decided_on=on(10), presentation_due_on=on(52)), 10
    )
    assert review.presentation_due_on == on(52)


def test_the_team_is_not_appointed_before_the_delivery_group_decides() -> None:
    refused(
        tabled(),
        LEAD,
        team(),
        11,
        RuleViolation,
        violation(
            "appointing the Review Team is not possible while the review is at 'tabled at the Delivery Group'",
            RULE_TEAM,
        ),
    )


def test_the_team_is_appointed_once_and_then_changed() -> None:
    review = under_way()
    refused(
        review,
        LEAD,
        team(),
        12,
        RuleViolation,
        violation("the Review Team is already appointed; record a change instead", RULE_TEAM),
    )
    run(
        review, LEAD, ChangeReviewTeam(changed_on=on(12), joining=(ADMIN,), reason="Admin support found."), 12
    )
    assert set(review.team) == {demo_mini.LEAD, demo_mini.ADMIN}
    assert review.team[demo_mini.ADMIN].has_conflict
    refused(
        review,
        LEAD,
        ChangeReviewTeam(changed_on=on(13), leaving=(demo_mini.LEAD, demo_mini.ADMIN), reason="Left."),
        13,
        RuleViolation,
        violation("the Review Team cannot be left without members", RULE_TEAM),
    )


def test_information_is_requested_by_the_appointed_team() -> None:
    refused(
        under_way(with_team=False),
        LEAD,
        RequestInformation(requested_on=on(12), services=(HEALTH,)),
        12,
        RuleViolation,
        violation(
            "requesting information from services needs the Review Team to be appointed first", RULE_TEAM
        ),
    )


def test_only_services_asked_return_a_form_and_only_once() -> None:
    review = run(under_way(), LEAD, RequestInformation(requested_on=on(12), services=(HEALTH,)), 12)
    form = demo_mini.information_form(on(20), HEALTH)
    refused(
        review,
        AGENCY,
        ReturnInformationForm(service=EDUCATION, returned_on=on(20), form=form),
        20,
        RuleViolation,
        violation(f"{EDUCATION} has not been asked for an information form", RULE_INFORMATION),
    )
    refused(
        review,
        AGENCY,
        ReturnInformationForm(service=HEALTH, returned_on=on(20), form=form),
        20,
        RuleViolation,
        f"{REF}: returning the information form for {HEALTH} needs a contact named for {HEALTH} first "
        f"({RULE_CONTACT})",
    )
    run(review, LEAD, contact(HEALTH), 12)
    refused(
        review,
        person("agency-contact-2"),
        ReturnInformationForm(service=HEALTH, returned_on=on(20), form=form),
        20,
        RuleViolation,
        f"{REF}: returning the information form for {HEALTH} is only for a contact named for {HEALTH}; "
        f"agency-contact-2 is not one ({RULE_CONTACT})",
    )
    run(review, AGENCY, ReturnInformationForm(service=HEALTH, returned_on=on(20), form=form), 20)
    refused(
        review,
        AGENCY,
        ReturnInformationForm(service=HEALTH, returned_on=on(21), form=form),
        21,
        RuleViolation,
        violation(f"{HEALTH} has already returned its information form", RULE_INFORMATION),
    )
    refused(
        review,
        LEAD,
        RequestInformation(requested_on=on(21), services=(HEALTH,)),
        21,
        RuleViolation,
        violation(f"{HEALTH} has already been asked for its information form", RULE_INFORMATION),
    )


def test_no_presentation_without_a_report() -> None:
    refused(
        under_way(),
        LEAD,
        PresentReviewReport(presented_on=on(38), version=1),
        38,
        RuleViolation,
        violation("there is no review report to be presented", RULE_REPORTING),
    )


def test_only_the_latest_report_version_is_presented_and_signed_off() -> None:
    review = presented()
    run(review, LEAD, report(day=39), 39)
    assert stage_of(review) is Stage.UNDER_WAY
    refused(
        review,
        GROUP,
        sign_off(version=1),
        39,
        RuleViolation,
        violation("only the latest version of the report (version 2) can be signed off", RULE_REPORTING),
    )
    refused(
        review,
        LEAD,
        PresentReviewReport(presented_on=on(39), version=1),
        39,
        RuleViolation,
        violation("only the latest version of the report (version 2) can be presented", RULE_REPORTING),
    )


def test_no_sign_off_before_the_report_is_presented() -> None:
    review = run(under_way(), LEAD, report(), 30)
    refused(
        review,
        GROUP,
        sign_off(),
        38,
        RuleViolation,
        violation(
            "version 1 of the report must be presented to the Partnership before sign-off", RULE_REPORTING
        ),
    )


def test_sign_off_waits_for_the_lead_officers_conclusion_on_the_full_criteria() -> None:
    refused(
        presented(),
        GROUP,
        sign_off(),
        38,
        RuleViolation,
        violation(
            "the Lead Officer must record whether version 1 reached the criteria for a full Learning Review "
            "before sign-off",
            RULE_REPORTING,
        ),
    )


def test_the_lead_officer_gives_reasons_for_the_conclusion_on_the_full_criteria() -> None:
    refused(
        presented(),
        LEAD_OFFICER,
        conclusion(reasons=" "),
        38,
        RuleViolation,
        violation(
            "the conclusion on the full Learning Review criteria must give its reasons", RULE_REPORTING
        ),
    )


def test_the_lead_officer_concludes_only_on_a_presented_report() -> None:
    refused(
        run(under_way(), LEAD, report(), 30),
        LEAD_OFFICER,
        conclusion(),
        38,
        RuleViolation,
        violation(
            "concluding on the full Learning Review criteria is not possible while the review is at "
            "'review under way'",
            RULE_REPORTING,
        ),
    )


def test_the_sign_off_agrees_the_lead_officers_conclusion_or_is_refused() -> None:
    refused(
        concluded(reached=False),
        GROUP,
        sign_off(reached_full_criteria=True),
        38,
        RuleViolation,
        violation(
            "the Lead Officer concluded the review did not reach the criteria for a full Learning Review: "
            "the sign-off agrees that conclusion, or the Lead Officer records a new one first",
            RULE_REPORTING,
        ),
    )
    review = run(concluded(reached=False), LEAD_OFFICER, conclusion(reached_full_criteria=True), 38)
    run(review, GROUP, sign_off(reached_full_criteria=True), 38)
    assert review.reached_full_criteria is True


def test_sign_off_is_the_delivery_groups_not_the_partnership_leads_alone() -> None:
    refused(
        concluded(),
        LEAD,
        sign_off(),
        38,
        NotAuthorised,
        "MLR-TEST-001: signing off at Partnership level can only be recorded by the Delivery Group; "
        "partnership-lead does not hold that role",
    )


def old_sign_off() -> SignedOffAtPartnershipLevel:
    """A sign-off as the Partnership Lead recorded it, with its own conclusion, before the two steps."""
    return SignedOffAtPartnershipLevel(
        version=1,
        signed_off_on=on(38),
        reached_full_criteria=True,
        reasons=personal("Met.", demo_mini.CHILD, kind=ItemKind.NARRATIVE, nature=Nature.OPINION),
        role=Role.PARTNERSHIP_LEAD,
        at=at(38),
    )


def test_a_sign_off_recorded_with_its_own_conclusion_before_the_two_steps_still_reads() -> None:
    review = presented()
    review.apply(old_sign_off())
    assert stage_of(review) is Stage.SIGNED_OFF
    assert review.reached_full_criteria is True


def test_meetings_and_the_report_are_recorded_only_by_people_appointed_to_the_team() -> None:
    outsider = Acting(actor="another-member", roles=frozenset({Role.PARTNERSHIP_MEMBER}))
    meeting = RecordReviewMeeting(
        held_on=on(22), kind=MeetingKind.REVIEW_TEAM, attendees=(demo_mini.LEAD,), minutes="Met."
    )
    for command, doing in (
        (meeting, "recording a review meeting"),
        (report(), "compiling the review report"),
    ):
        refused(
            under_way(),
            outsider,
            command,
            30,
            RuleViolation,
            violation(
                f"{doing} is for the people appointed to the Review Team; another-member is not on it",
                RULE_TEAM,
            ),
        )
    member = msgspec.structs.replace(ADMIN, actor_id="another-member")
    review = run(under_way(with_team=False), LEAD, team(member), 11)
    run(review, outsider, meeting, 22)
    assert review.meetings_held == 1


def test_findings_go_to_the_qa_sub_committee_once_and_only_after_sign_off() -> None:
    receive = ReceiveFindingsAndActions(received_on=on(45), presented_by=Presenter.CSWO)
    refused(
        presented(),
        QA,
        receive,
        45,
        RuleViolation,
        violation(
            "receiving the findings and actions is not possible while the review is at "
            "'review presented to the Delivery Group'",
            RULE_REPORTING,
        ),
    )
    review = run(signed_off(), QA, receive, 45)
    refused(
        review,
        QA,
        receive,
        46,
        RuleViolation,
        violation("the QA Sub Committee has already received the findings and actions", RULE_REPORTING),
    )


def test_progress_is_recorded_only_on_actions_of_the_signed_off_report() -> None:
    review = signed_off()
    refused(
        review,
        LEAD,
        RecordActionProgress(action_id="A9", status=ActionStatus.COMPLETE, recorded_on=on(40), note="?"),
        40,
        RuleViolation,
        violation("the signed-off report has no action A9", RULE_STEPS),
    )
    run(
        review,
        LEAD,
        RecordActionProgress(action_id="A1", status=ActionStatus.COMPLETE, recorded_on=on(40), note="Done."),
        40,
    )
    refused(
        review,
        LEAD,
        RecordActionProgress(action_id="A1", status=ActionStatus.IN_PROGRESS, recorded_on=on(41), note="?"),
        41,
        RuleViolation,
        violation("action A1 is already complete", RULE_STEPS),
    )


def test_escalation_happens_once() -> None:
    review = run(
        under_way(),
        LEAD,
        EscalateToFullReview(national_reference="LR-2026-009", escalated_on=on(15), reasons="Harm."),
        15,
    )
    refused(
        review,
        GROUP,
        EscalateToFullReview(national_reference="LR-2026-010", escalated_on=on(16), reasons="Harm."),
        16,
        RuleViolation,
        violation("this review was already escalated to LR-2026-009", RULE_ESCALATION),
    )


def test_escalation_needs_a_requested_review_reasons_and_a_national_reference() -> None:
    escalate = EscalateToFullReview(national_reference="LR-2026-009", escalated_on=on(0), reasons="Harm.")
    refused(
        MiniReview(REF),
        LEAD,
        escalate,
        0,
        RuleViolation,
        violation(
            "escalating to a full Learning Review is not possible while the review is at 'not yet requested'",
            RULE_ESCALATION,
        ),
    )
    refused(
        requested(),
        LEAD,
        msgspec.structs.replace(escalate, reasons=""),
        0,
        RuleViolation,
        violation("escalation must give the reasons for a full Learning Review", RULE_ESCALATION),
    )
    refused(
        requested(),
        LEAD,
        msgspec.structs.replace(escalate, national_reference=REF),
        0,
        InvalidInput,
        "national_reference: must be the reference of the new Learning Review record",
    )


def test_the_review_closes_only_after_sign_off_unless_escalated_or_not_undertaken() -> None:
    refused(
        presented(),
        LEAD,
        CloseMiniReview(closed_on=on(40), summary="Done."),
        40,
        RuleViolation,
        violation(
            "the review cannot close before it is signed off at Partnership level "
            "(unless it was not undertaken or was escalated to a full Learning Review)",
            RULE_REPORTING,
        ),
    )


def test_the_review_closes_only_after_reporting_to_the_qa_sub_committee_and_the_cog() -> None:
    refused(
        signed_off(),
        LEAD,
        CloseMiniReview(closed_on=on(40), summary="Done."),
        40,
        RuleViolation,
        violation(
            "the review cannot close until the findings and actions have gone to the QA Sub Committee and the COG",
            RULE_REPORTING,
        ),
    )


def test_the_review_closes_only_after_feedback_on_dissemination() -> None:
    review = run(reported(), LEAD, dissemination(DisseminationActivity.PARTNERSHIP, 50), 50)
    refused(
        review,
        LEAD,
        CloseMiniReview(closed_on=on(60), summary="Done."),
        60,
        RuleViolation,
        violation(
            "the review cannot close until feedback on the dissemination is recorded", RULE_DISSEMINATION
        ),
    )


def test_nothing_is_recorded_after_closure() -> None:
    review = actions_done(reported())
    run(review, LEAD, dissemination(DisseminationActivity.FEEDBACK, 50), 50)
    run(review, LEAD, CloseMiniReview(closed_on=on(60), summary="Done."), 60)
    refused(
        review,
        LEAD,
        dissemination(DisseminationActivity.PARTNERSHIP, 61),
        61,
        RuleViolation,
        violation(
            "the review is closed: recording dissemination of learning can no longer be recorded", RULE_CLOSED
        ),
    )
    refused(
        review,
        LEAD,
        EscalateToFullReview(national_reference="LR-2026-009", escalated_on=on(61), reasons="Late."),
        61,
        RuleViolation,
        violation(
            "the review is closed: escalating to a full Learning Review can no longer be recorded",
            RULE_CLOSED,
        ),
    )


def test_a_step_cannot_be_dated_after_the_day_it_is_recorded() -> None:
    refused(
        MiniReview(REF),
        LEAD,
        request(received_on=on(1)),
        0,
        InvalidInput,
        f"received_on: cannot be later than the day it is recorded ({on(0)})",
    )


def test_a_form_cannot_be_completed_before_the_request_was_received() -> None:
    refused(
        agreed(),
        LEAD,
        SubmitRequestForm(submitted_on=on(5), form=demo_mini.request_form(on(-1))),
        5,
        InvalidInput,
        f"form.completed_on: cannot be before the request was received ({on(0)})",
    )


# -- authority ------------------------------------------------------------------------------------


def one_of_each() -> dict[type[Command], Command]:
    """A well-formed example of every command."""
    examples: list[Command] = [
        request(),
        agreement(),
        TableDisagreement(tabled_on=on(3), service=HEALTH, presenting_information="Pattern."),
        ResolveDisagreement(decided_on=on(3), review_needed=True, reasons="Yes."),
        SubmitRequestForm(submitted_on=on(5), form=demo_mini.request_form(on(5))),
        TableRequest(meeting_on=on(10)),
        RecordReviewToBeUndertaken(decided_on=on(10), presentation_due_on=on(40)),
        SetReviewScope(set_on=on(11), questions=("Who knew?",), scope="Scope."),
        team(),
        ChangeReviewTeam(changed_on=on(12), joining=(ADMIN,), reason="Support."),
        RequestInformation(requested_on=on(12), services=(HEALTH,)),
        contact(HEALTH),
        ReturnInformationForm(
            service=HEALTH, returned_on=on(20), form=demo_mini.information_form(on(20), HEALTH)
        ),
        RecordReviewMeeting(held_on=on(22), kind=MeetingKind.REVIEW_TEAM, attendees=(), minutes="Met."),
        report(),
        PresentReviewReport(presented_on=on(38), version=1),
        conclusion(),
        sign_off(),
        ReceiveFindingsAndActions(received_on=on(45), presented_by=Presenter.CSWO),
        RecordFeedbackToCog(given_on=on(46), presented_by=Presenter.CSWO),
        RecordActionProgress(action_id="A1", status=ActionStatus.COMPLETE, recorded_on=on(50), note="Done."),
        dissemination(DisseminationActivity.FEEDBACK),
        EscalateToFullReview(national_reference="LR-2026-009", escalated_on=on(15), reasons="Harm."),
        staff_concern(),
        AcknowledgeStaffConcern(referral="SC1", acknowledged_on=on(25)),
        CloseMiniReview(closed_on=on(60), summary="Done."),
        RecordDisseminationActivity(
            activity=DisseminationKind.TRAINING, held_on=on(55), audience="staff", description="Training."
        ),
        RecordDisseminationFeedback(activity_number=1, received_on=on(56), feedback="Useful."),
        TagLearningThemes(tagged_on=on(56), themes=("neglect",)),
        owner(),
        SignOffAction(action_id="A1", signed_off_on=on(52)),
        ReportActionException(reported_on=on(95), actions=("A1",), summary="A1 overdue."),
        CarryOverAction(
            action_id="A1",
            owner_subject=demo_mini.LEAD,
            owner_name="Magnus Linklater",
            carried_over_on=on(95),
            reason="r",
        ),
    ]
    return {type(c): c for c in examples}


def test_every_command_has_an_authority_and_a_row_in_the_module_docstring() -> None:
    commands = MiniReview.commands()
    assert set(commands.values()) == set(STEPS) == set(one_of_each())
    doc = mini_review.__doc__ or ""
    for tag in commands:
        assert f"| {tag} " in doc


def name_of(value: object) -> str:
    return value.__name__ if isinstance(value, type) else str(value)


@pytest.mark.parametrize("command_type", sorted(STEPS, key=name_of), ids=name_of)
def test_a_person_without_the_role_is_refused_every_step(command_type: type[Command]) -> None:
    step = STEPS[command_type]
    needs = " or ".join(
        {
            Role.PARTNERSHIP_LEAD: "the Partnership Lead",
            Role.PARTNERSHIP_MEMBER: "a member of the Partnership",
            Role.DELIVERY_GROUP: "the Delivery Group",
            Role.QA_SUBCOMMITTEE: "the Quality Assurance Sub Committee",
            Role.COG: "the Chief Officers Group",
            Role.AGENCY_CONTACT: "an agency contact",
            Role.LEAD_OFFICER: "the Lead Officer (Service Manager Public Protection)",
        }[role]
        for role in step.roles
    )
    refused(
        requested(),
        SOCIAL_WORKER,
        one_of_each()[command_type],
        60,
        NotAuthorised,
        f"{REF}: {step.doing} can only be recorded by {needs}; social-worker does not hold that role",
    )


@pytest.mark.parametrize(
    ("actor", "command_type"),
    [
        (GROUP, SubmitRequestForm),
        (LEAD, ResolveDisagreement),
        (LEAD, TableRequest),
        (LEAD, RecordReviewToBeUndertaken),
        (GROUP, AppointReviewTeam),
        (LEAD, SignOffAtPartnershipLevel),
        (GROUP, RecordCriteriaConclusion),
        (LEAD, RecordCriteriaConclusion),
        (LEAD, ReceiveFindingsAndActions),
        (QA, EscalateToFullReview),
        (AGENCY, CompileReviewReport),
        (COG, RequestMiniReview),
    ],
    ids=lambda v: v.actor if isinstance(v, Acting) else name_of(v),
)
def test_the_procedure_gives_each_decision_to_its_own_body(
    actor: Acting, command_type: type[Command]
) -> None:
    review = requested()
    before = snapshot(review)
    with pytest.raises(
        NotAuthorised, match=f"can only be recorded by .*; {actor.actor} does not hold that role"
    ):
        review.execute(one_of_each()[command_type], actor, at(60))
    assert snapshot(review) == before


def test_the_role_recorded_is_the_one_the_person_acted_in() -> None:
    review = requested()
    first = review.collect_events()[0]
    assert isinstance(first, MiniEvent)
    assert first.role is Role.PARTNERSHIP_MEMBER
    review = reported()
    feedback = review.collect_events()[-1]
    assert isinstance(feedback, MiniEvent)
    assert feedback.role is Role.COG


# -- personal data ---------------------------------------------------------------------------------


def demo_events() -> list[DomainEvent]:
    review = MiniReview(demo_mini.REFERENCE)
    for step in demo_mini.steps(START):
        if not step.refused:
            review.execute(step.command, person(step.actor), step.at)
    return review.collect_events()


def every_event() -> list[DomainEvent]:
    """Events of the demo plus the branches the demo does not take."""
    branch = run(requested(), LEAD, agreement(agreeing=(HEALTH,), not_agreeing=(EDUCATION,)), 1)
    run(
        branch, LEAD, TableDisagreement(tabled_on=on(3), service=HEALTH, presenting_information="Pattern."), 3
    )
    run(branch, GROUP, ResolveDisagreement(decided_on=on(3), review_needed=False, reasons="Resolved."), 3)
    changed = run(
        under_way(), LEAD, ChangeReviewTeam(changed_on=on(12), joining=(ADMIN,), reason="Support."), 12
    )
    late = run(run(reported(), LEAD, owner(due=60), 47), LEAD, exception_report(), 70)
    return [
        *demo_events(),
        *branch.collect_events(),
        *changed.collect_events(),
        old_sign_off(),
        *late.collect_events(),
    ]


def exception_report() -> ReportActionException:
    return ReportActionException(reported_on=on(70), actions=("A1",), summary="A1 is late.")


def test_names_dates_of_birth_and_addresses_never_sit_in_a_plain_field() -> None:
    identifying = set()
    for subject in demo_mini.SUBJECTS:
        identifying.add(subject.name)
        identifying.update(v for v in (subject.address, subject.school) if v)
        if subject.date_of_birth:
            identifying.add(subject.date_of_birth.isoformat())
    for event in demo_events():
        # What the store seals, exactly as the ledger takes it out of the event.
        data = to_builtins(event)
        take_personal_values(data)
        plain = msgspec.json.encode(data).decode()
        assert [item for item in identifying if item in plain] == [], type(event).__name__


def test_personal_items_say_whose_they_are_and_what_kind() -> None:
    form = next(e for e in demo_events() if isinstance(e, RequestFormSubmitted)).form
    child = form.children[0]
    assert child.date_of_birth == Personal(
        value="2019-05-14", about=(demo_mini.CHILD,), kind=ItemKind.DATE_OF_BIRTH
    )
    # Disability, ethnicity and religion are special-category data (UK GDPR Art. 9).
    assert child.additional_factors == Personal(
        value="hearing impairment; Gaelic-speaking household",
        about=(demo_mini.CHILD,),
        kind=ItemKind.DEMOGRAPHIC,
        special_category=True,
    )
    # A parent's name is the parent's data and the child's.
    assert child.parents_carers[0].name.about == (demo_mini.MOTHER, demo_mini.CHILD)
    # Answers about siblings' registration are the siblings' data too.
    assert child.siblings_on_register_before == Personal(
        value="Yes: registered March to October 2022 (neglect)",
        about=(demo_mini.CHILD, demo_mini.SIBLING),
        kind=ItemKind.HISTORY,
    )
    # The requester's reflection is their opinion about the family.
    assert form.initial_reflection.nature is Nature.OPINION
    assert form.initial_reflection.by == demo_mini.LEAD
    assert demo_mini.MOTHER in form.initial_reflection.about
    assert form.practitioners[0].name.about == (demo_mini.HEALTH_VISITOR,)
    sign = next(e for e in demo_events() if isinstance(e, FullCriteriaConcluded))
    assert sign.reasons.nature is Nature.OPINION
    assert set(sign.reasons.about) >= {
        demo_mini.CHILD,
        demo_mini.SIBLING,
    }


# -- events survive encode and typed decode -----------------------------------------------------

EVENT_TYPES = sorted(
    (
        cls
        for cls in vars(mini_events).values()
        if isinstance(cls, type)
        and issubclass(cls, MiniEvent | ActionEvent)
        and isinstance(cls.__struct_config__.tag, str)
    ),
    key=lambda cls: cls.__name__,
)


def test_every_event_type_has_a_mini_tag() -> None:
    assert len(EVENT_TYPES) == 31
    for cls in EVENT_TYPES:
        tag = cls.__struct_config__.tag
        assert isinstance(tag, str)
        assert tag.startswith("mini.")


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=name_of)
def test_every_event_type_round_trips(event_type: type[DomainEvent]) -> None:
    examples = [e for e in every_event() if type(e) is event_type]
    assert examples, f"no example of {event_type.__name__}"
    for event in examples:
        assert msgspec.json.decode(msgspec.json.encode(event), type=event_type) == event


def test_replaying_the_events_rebuilds_the_same_record() -> None:
    review = MiniReview(demo_mini.REFERENCE)
    for step in demo_mini.steps(START):
        if not step.refused:
            review.execute(step.command, person(step.actor), step.at)
    events = review.collect_events()
    replayed = MiniReview.replay(demo_mini.REFERENCE, events)
    assert vars(replayed) == vars(review)
    assert isinstance(events[-1], DomainEvent)
    assert replayed.version == len(events)
    assert any(isinstance(e, DisagreementResolved) for e in every_event())
    assert any(isinstance(e, ActionProgressRecorded) for e in events)


def test_the_rules_work_on_a_record_replayed_with_its_personal_data_sealed() -> None:
    script = [s for s in demo_mini.steps(START) if not s.refused]
    live = MiniReview(demo_mini.REFERENCE)
    for step in script[:-1]:
        live.execute(step.command, person(step.actor), step.at)
    replayed = MiniReview.replay(demo_mini.REFERENCE, [sealed(e) for e in live.collect_events()])
    assert (replayed.stage, replayed.status, replayed.version) == (live.stage, live.status, live.version)
    assert replayed.timescales() == live.timescales()
    assert replayed.obligations() == live.obligations()
    # The last step (closure) is decided on the sealed record exactly as on the live one.
    replayed.execute(script[-1].command, person(script[-1].actor), script[-1].at)
    assert stage_of(replayed) is Stage.CLOSED


def test_a_mini_review_replays_after_its_personal_data_is_disposed_of() -> None:
    review = reported()
    before = (stage_of(review), review.status, review.timescales(), review.obligations())
    events = [*review.collect_events(), PersonalDataDisposed(rule="R1", authorised_by="ig", at=at(90))]
    again = MiniReview.replay(review.reference, events)
    assert (stage_of(again), again.status, again.timescales(), again.obligations()) == before
    assert again.personal_data_disposed and not review.personal_data_disposed


def test_a_steps_text_can_say_whom_else_it_names_and_whose_statement_it_is() -> None:
    review = under_way()
    review.collect_events()
    run(
        review,
        LEAD,
        RecordReviewMeeting(
            held_on=on(22),
            kind=MeetingKind.PRACTITIONERS,
            attendees=(demo_mini.HEALTH_VISITOR,),
            minutes="The health visitor said the teacher knew of the absences.",
            about=(demo_mini.TEACHER,),
            by=demo_mini.HEALTH_VISITOR,
        ),
        22,
    )
    (meeting,) = review.collect_events()
    assert isinstance(meeting, ReviewMeetingHeld)
    minutes = meeting.minutes
    assert minutes.about[-1] == demo_mini.TEACHER and demo_mini.CHILD in minutes.about
    assert minutes.by == demo_mini.HEALTH_VISITOR
    with pytest.raises(InvalidInput, match=r"^about: must look like S-xxxx"):
        run(
            review,
            LEAD,
            RecordReviewMeeting(
                held_on=on(23), kind=MeetingKind.PRACTITIONERS, attendees=(), minutes="x", about=("Ross",)
            ),
            23,
        )


def test_a_forms_narrative_answers_can_name_people_beyond_the_family() -> None:
    form = msgspec.structs.replace(demo_mini.request_form(on(5)), about=(demo_mini.TEACHER,))
    review = agreed()
    review.collect_events()
    run(review, LEAD, SubmitRequestForm(submitted_on=on(5), form=form), 5)
    (submitted,) = review.collect_events()
    assert isinstance(submitted, RequestFormSubmitted)
    assert demo_mini.TEACHER in submitted.form.case_summary.about
    assert demo_mini.CHILD in submitted.form.case_summary.about


def test_a_staff_concern_goes_to_the_services_own_procedures_and_is_taken_up_by_its_contact() -> None:
    review = run(under_way(), LEAD, RequestInformation(requested_on=on(12), services=(HEALTH,)), 12)
    refused(
        review,
        AGENCY,
        staff_concern(),
        23,
        NotAuthorised,
        f"{REF}: referring a staff concern to the agency's own procedures can only be recorded by the "
        "Partnership Lead; agency-contact does not hold that role",
    )
    refused(
        review,
        LEAD,
        staff_concern(practitioners=()),
        23,
        InvalidInput,
        "practitioners: name the staff the concern is about",
    )
    run(review, LEAD, staff_concern(), 23)
    (referred,) = [e for e in review.collect_events() if isinstance(e, StaffConcernReferred)]
    # The summary is the practitioner's personal data, sealed; the review investigates nothing.
    assert referred.summary.about == (demo_mini.HEALTH_VISITOR,)
    assert (referred.referral, referred.concern) == ("SC1", StaffConcern.COMPETENCE)
    take_up = AcknowledgeStaffConcern(referral="SC1", acknowledged_on=on(25))
    refused(
        review,
        AGENCY,
        take_up,
        25,
        RuleViolation,
        f"{REF}: taking up a staff concern for {HEALTH} needs a contact named for {HEALTH} first ({RULE_CONTACT})",
    )
    refused(
        review,
        AGENCY,
        AcknowledgeStaffConcern(referral="SC2", acknowledged_on=on(25)),
        25,
        RuleViolation,
        violation("there is no staff concern SC2", RULE_STAFF),
    )
    run(review, LEAD, contact(HEALTH), 24)
    run(review, AGENCY, take_up, 25)
    refused(
        review,
        AGENCY,
        take_up,
        26,
        RuleViolation,
        violation(f"staff concern SC1 was already taken up on {on(25)}", RULE_STAFF),
    )
    assert not [o for o in review.obligations() if "staff concern" in o.what]


# -- the action plan, as records ---------------------------------------------------------------------


def test_an_action_is_owned_completed_on_evidence_and_signed_off_by_the_qa_sub_committee() -> None:
    review = reported()
    refused(
        review,
        LEAD,
        owner("A9"),
        47,
        RuleViolation,
        violation("the agreed actions include no action A9", RULE_STEPS),
    )
    refused(
        review,
        LEAD,
        owner(due=40),
        47,
        InvalidInput,
        f"due_on: cannot be before the action is assigned ({on(47)})",
    )
    refused(
        review,
        QA,
        SignOffAction(action_id="A1", signed_off_on=on(52)),
        52,
        RuleViolation,
        violation("action A1 is signed off only once it is recorded as complete", RULE_STEPS),
    )
    run(review, LEAD, owner(), 47)
    run(review, LEAD, msgspec.structs.replace(complete_a1(), evidence=()), 50)
    refused(
        review,
        QA,
        SignOffAction(action_id="A1", signed_off_on=on(52)),
        52,
        RuleViolation,
        violation("action A1 is signed off on evidence: none has been recorded", RULE_STEPS),
    )
    refused(
        review,
        LEAD,
        SignOffAction(action_id="A1", signed_off_on=on(52)),
        52,
        NotAuthorised,
        f"{REF}: signing off an action can only be recorded by the Quality Assurance Sub Committee; "
        "partnership-lead does not hold that role",
    )


def test_overdue_actions_show_in_the_clocks_and_are_reported_to_the_cog_by_exception() -> None:
    review = run(reported(), LEAD, owner(due=60), 47)
    (clock,) = [t for t in review.timescales() if t.name.startswith("action A1")]
    assert (clock.due, clock.completed) == (on(60), None)
    assert clock.days_left(on(70)) == -10
    refused(
        review,
        LEAD,
        ReportActionException(reported_on=on(55), actions=("A1",), summary="Late."),
        55,
        RuleViolation,
        violation(f"action A1 is not overdue on {on(55)}: report by exception only", RULE_STEPS),
    )
    run(review, LEAD, ReportActionException(reported_on=on(70), actions=("A1",), summary="A1 is late."), 70)
    (reported_,) = [e for e in review.collect_events() if isinstance(e, ActionExceptionReported)]
    assert reported_.actions == ("A1",)


def test_a_review_closes_only_when_every_action_is_signed_off_or_carried_over_to_a_named_owner() -> None:
    review = reported()
    for activity in DisseminationActivity:
        run(review, LEAD, dissemination(activity), 55)
    close = CloseMiniReview(closed_on=on(60), summary="Done.")
    refused(
        review,
        LEAD,
        close,
        60,
        RuleViolation,
        violation(
            "the review cannot close with actions open (A1): complete and sign them off, "
            "or carry them over to a named owner",
            RULE_STEPS,
        ),
    )
    carry = CarryOverAction(
        action_id="A1",
        owner_subject=demo_mini.LEAD,
        owner_name="Magnus Linklater",
        carried_over_on=on(58),
        reason="Into the Improvement Plan.",
    )
    refused(
        review,
        LEAD,
        carry,
        58,
        NotAuthorised,
        f"{REF}: carrying an action over to a named owner can only be recorded by the Delivery Group; "
        "partnership-lead does not hold that role",
    )
    run(review, GROUP, carry, 58)
    assert not [t for t in review.timescales() if t.name.startswith("action A1")]
    refused(
        review,
        GROUP,
        carry,
        59,
        RuleViolation,
        violation("action A1 is not open: there is nothing to carry over", RULE_STEPS),
    )
    run(review, LEAD, close, 60)
    assert stage_of(review) is Stage.CLOSED
