"""The Learning and Improvement Panel route (seed 003), told as the procedure describes it.

Scenario tests narrate each branch end to end; then one test per rule (the refusal, its
exact words, and nothing changed), the authority table, and a round trip of every event
type through msgspec.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import msgspec
import msgspec.inspect as mi
import pytest

from adapters.demo import panel as demo_panel
from adapters.demo.cast import CAST
from adapters.demo.panel_script import MALR, SCR
from domain.kernel.command import Command, command_name
from domain.kernel.errors import InvalidInput, NotAuthorised, ReviewledgerError, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, event_type, event_types, type_name
from domain.kernel.roles import Acting, Role
from domain.routes.panel.commands import (
    AgreeFindings,
    AgreeScrPanel,
    AgreeScrTermsOfReference,
    AnswerAgencyCheck,
    AppointTeamMember,
    CallScrConsiderationPanel,
    ChooseReviewMethodology,
    CirculateActionPlan,
    CirculateReferral,
    CirculateReviewPapers,
    CloseCase,
    CombineChronologies,
    CommissionIndependentReview,
    CompleteReport,
    DecideOnPublication,
    DecideOnReview,
    DecideOnScr,
    EndorseReviewMethodology,
    HoldReviewMeeting,
    HoldScrPanelMeeting,
    InformOfstedAndNationalPanel,
    InviteFamily,
    Involvement,
    NameAgencyContact,
    NominateAgencyRepresentative,
    PanelTeamRole,
    PlannedActionAnswers,
    RecommendOnScr,
    RecordActionPlanProgress,
    RecordActionUpdate,
    RecordScrInterview,
    ReleaseTeamMember,
    ReportForm,
    ReportToBoard,
    ReportToQaSubgroup,
    RequestAgencyChecks,
    RequestAgencyReports,
    ReviewerLead,
    ReviewMethodology,
    ScrutiniseDecision,
    ScrutinyOutcome,
    SignOffReport,
    SubmitAgencyReport,
    SubmitChronology,
)
from domain.routes.panel.events import (
    SUCCESSORS,
    ActionPlanCirculated,
    CaseReferred,
    PanelConclusionRecordedV2,
    ReviewDecidedV2,
    ScrConsiderationPanelCalledV2,
    ScrutinyConcludedV2,
    TeamMemberAppointed,
    TeamMemberReleased,
)
from domain.routes.panel.forms import (
    EthnicGroup,
    FamilyMemberDetails,
    ImmigrationStatus,
    IncidentType,
    OfstedNotified,
    PanelDecision,
    RecordPanelConclusion,
    ReferCase,
    Sex,
)
from domain.routes.panel.review import PanelReview
from domain.routes.panel.state import Stage, Status
from domain.routes.panel.steps import STEPS
from domain.routes.shared.actions import ActionStatus, CarryOverAction, SignOffAction
from domain.routes.shared.dissemination import (
    DisseminationKind,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)
from tests.days import START, at_nine, on


def stage_of(review: PanelReview) -> Stage:
    """The stage as a fresh value (so a type checker does not carry one assertion into the next)."""
    return review.stage


def acting(actor: str, *roles: Role) -> Acting:
    return Acting(actor=actor, roles=frozenset(roles))


HEAD = acting("head-of-safeguarding", Role.HEAD_OF_SAFEGUARDING)
PANEL = acting("panel-member", Role.LEARNING_PANEL)
DIRECTOR = acting("service-director", Role.SERVICE_DIRECTOR)
CHAIR = acting("independent-chair", Role.INDEPENDENT_CHAIR)
NATIONAL = acting("national-panel", Role.NATIONAL_PANEL)
BOARD = acting("board", Role.SAFEGUARDING_BOARD)
AGENCY = acting("agency-contact", Role.AGENCY_CONTACT)
SCR_PANEL = acting("scr-panel", Role.SCR_PANEL)
MALR_PANEL = acting("malr-panel", Role.MALR_PANEL)
AUDIT = acting("audit-chair", Role.AUDIT_MONITORING_SUBGROUP)
QA = acting("qa-subgroup-chair", Role.QA_SUBGROUP)
PDM = acting("pd-manager", Role.PERFORMANCE_DEVELOPMENT_MANAGER)
EVERYONE_ELSE = acting("someone", Role.CPC, Role.COG, Role.IG_OFFICER, Role.ADMINISTRATOR)

PERIOD_FROM, PERIOD_TO = date(2024, 9, 1), date(2026, 2, 1)


def referral(referred_on: date | None = None) -> ReferCase:
    return ReferCase(
        child_subject="S-T-CHILD",
        child_full_name="Ada Fenwick",
        child_also_known_as="Addie",
        child_date_of_birth=date(2018, 5, 6),
        incident_at=datetime(2026, 2, 20, 18, 30, tzinfo=UTC),
        child_address="3 Mill Lane",
        child_current_location="With her grandmother",
        referred_on=referred_on or on(0),
        referrer_subject="S-T-REFERRER",
        referrer_name="Nadia Price",
        notified_to_ofsted=OfstedNotified.NOT_KNOWN,
        agency="Education",
        agency_address="Mill Lane Primary School",
        tel="0161 000 0000",
        email="n.price@school.example",
        child_sex=Sex.FEMALE,
        child_age=7,
        ethnic_group=EthnicGroup.MIXED_WHITE_ASIAN,
        immigration_status=ImmigrationStatus.NOT_KNOWN,
        family=(
            FamilyMemberDetails(
                subject="S-T-MOTHER",
                full_name="Kerry Fenwick",
                date_of_birth=date(1990, 1, 2),
                relationship="mother",
                full_address="3 Mill Lane",
            ),
        ),
        incident_type=IncidentType.CRITICAL_INCIDENT,
        summary="Ada disclosed an injury at school.",
        summary_also_about=("S-T-MOTHER",),
        reason_for_request="Learning about how concerns were shared.",
    )


def conclusion() -> RecordPanelConclusion:
    return RecordPanelConclusion(
        concluded_on=on(14),
        issues=("Information sharing between school and health",),
        tor_scope=("Escalation of concerns below the threshold",),
        period_from=PERIOD_FROM,
        period_to=PERIOD_TO,
        chair_subject="S-T-CHAIR",
        chair_name="Grace Holt",
        first_meeting_on=on(60),
        second_meeting_on=on(90),
        report_due=on(120),
    )


def run(review: PanelReview, *steps: tuple[int, Acting, Command]) -> PanelReview:
    for day, by, command in steps:
        review.execute(command, by, at_nine(day))
    return review


def refused(
    review: PanelReview,
    command: Command,
    by: Acting,
    error: type[ReviewledgerError],
    match: str,
    day: int = 400,
) -> None:
    """The step is refused with `match`, and the record is exactly as it was."""
    version, base = review.version, review.base_version
    state = msgspec.json.encode(review.state)
    stage, obligations = review.stage, review.obligations()
    with pytest.raises(error, match=match):
        review.execute(command, by, at_nine(day))
    assert (review.version, review.base_version) == (version, base)
    assert msgspec.json.encode(review.state) == state
    assert (review.stage, review.obligations()) == (stage, obligations)


# -- building a case up to a point ---------------------------------------------------------


def referred() -> PanelReview:
    return run(PanelReview("LIP-T-1"), (0, HEAD, referral()))


def before_panel(scr_likely: bool = False) -> PanelReview:
    return run(referred(), (1, HEAD, CirculateReferral(meeting_on=on(14), scr_likely=scr_likely)))


def on_team(actor: Acting, part: PanelTeamRole = PanelTeamRole.MEMBER, day: int = 14) -> AppointTeamMember:
    return AppointTeamMember(actor_id=actor.actor, team_role=part, appointed_on=on(day))


def contact(agency: str, by: Acting = AGENCY, day: int = 16) -> NameAgencyContact:
    return NameAgencyContact(agency=agency, actor_id=by.actor, named_on=on(day))


def decided(decision: PanelDecision) -> PanelReview:
    scr = decision is PanelDecision.SCR_CRITERIA_MET
    decider = DIRECTOR if scr else PANEL
    return run(
        before_panel(scr_likely=scr),
        (14, decider, DecideOnReview(meeting_on=on(14), decision=decision, reasons="As minuted")),
        (14, HEAD, on_team(HEAD, PanelTeamRole.ADMINISTRATOR)),
    )


def malr_concluded() -> PanelReview:
    return run(decided(PanelDecision.MALR), (14, PANEL, conclusion()))


def malr_checks_requested() -> PanelReview:
    return run(
        malr_concluded(),
        (16, HEAD, RequestAgencyChecks(agencies=("Health", "Police", "Education"))),
        *((16, HEAD, contact(agency)) for agency in ("Health", "Police", "Education")),
        (17, HEAD, papers(("Health", "Police", "Education"))),
    )


def action_plan(*agencies: str, day: int = 110) -> CirculateActionPlan:
    """The multi-agency action plan: one action per agency, each with an owner and a due date."""
    return CirculateActionPlan(
        document="action plan",
        agencies=agencies,
        actions=tuple(
            PlannedActionAnswers(
                action_id=f"A{n}",
                agency=agency,
                description=f"{agency}: share concerns of neglect at each review",
                owner_subject=f"S-T-OWNER-{n}",
                owner_name=f"Owner {n}",
                due_on=on(day + 60),
            )
            for n, agency in enumerate(agencies, start=1)
        ),
        circulated_on=on(day),
    )


def done(action_id: str, day: int) -> RecordActionUpdate:
    return RecordActionUpdate(
        action_id=action_id,
        status=ActionStatus.COMPLETE,
        recorded_on=on(day),
        progress="Done and audited",
        evidence=("audit report",),
    )


def papers(agencies: tuple[str, ...], day: int = 17) -> CirculateReviewPapers:
    return CirculateReviewPapers(
        circulated_on=on(day),
        chronology_template="MALR chronology template",
        terms_of_reference="MALR terms of reference v1",
        agencies=agencies,
    )


def representative(agency: str, day: int = 23) -> NominateAgencyRepresentative:
    return NominateAgencyRepresentative(
        agency=agency,
        representative_subject=f"S-T-REP-{agency.upper()}",
        representative_name=f"Rep of {agency}",
        nominated_on=on(day),
    )


def chronology(agency: str) -> SubmitChronology:
    return SubmitChronology(
        agency=agency,
        document=f"chronology {agency}",
        covers_from=PERIOD_FROM,
        covers_to=PERIOD_TO,
    )


def malr_combined() -> PanelReview:
    return run(
        malr_checks_requested(),
        (20, AGENCY, AnswerAgencyCheck(agency="Health", involvement=Involvement.INVOLVED)),
        (21, AGENCY, AnswerAgencyCheck(agency="Police", involvement=Involvement.NOT_INVOLVED)),
        (22, AGENCY, AnswerAgencyCheck(agency="Education", involvement=Involvement.INVOLVED)),
        (30, AGENCY, chronology("Health")),
        (31, AGENCY, chronology("Education")),
        (32, AGENCY, representative("Health", 32)),
        (32, AGENCY, representative("Education", 32)),
        (40, HEAD, CombineChronologies(document="combined chronology")),
    )


def malr_reported() -> PanelReview:
    return run(
        malr_combined(),
        (60, HEAD, HoldReviewMeeting(number=1, held_on=on(60), agencies_attending=("Health",))),
        (60, MALR_PANEL, AgreeFindings(findings=("F1",), recommendations=("R1",))),
        (100, HEAD, CompleteReport(form=ReportForm.REPORT, document="MALR report")),
    )


def agency_reports(day: int = 14) -> RequestAgencyReports:
    return RequestAgencyReports(agencies=("Police", "Health"), requested_on=on(day), due_on=on(day + 21))


def methodology(day: int = 27, *, in_another_form: bool = False) -> ChooseReviewMethodology:
    return ChooseReviewMethodology(
        methodology=ReviewMethodology.SYSTEMS_REVIEW,
        in_another_form=in_another_form,
        chosen_on=on(day),
        reasons="A systems review suits the multi-agency questions",
    )


def endorsed(day: int = 28, *, endorse: bool = True) -> EndorseReviewMethodology:
    return EndorseReviewMethodology(endorsed=endorse, decided_on=on(day), reasons="Proportionate")


def scr_meeting(day: int = 40) -> HoldScrPanelMeeting:
    return HoldScrPanelMeeting(
        held_on=on(day), agencies_attending=("Police", "Health"), minutes="Timeline agreed"
    )


def scr_recommended() -> PanelReview:
    return run(
        decided(PanelDecision.SCR_CRITERIA_MET),
        (14, HEAD, agency_reports()),
        (15, DIRECTOR, RecommendOnScr(scr_required=True, reasons="Criteria met")),
    )


def scr_decided(hold: bool) -> PanelReview:
    return run(scr_recommended(), (20, CHAIR, DecideOnScr(hold_scr=hold, reasons="As minuted")))


def informed(hold: bool) -> PanelReview:
    return run(
        scr_decided(hold),
        (
            21,
            CHAIR,
            InformOfstedAndNationalPanel(ofsted_informed_on=on(21), national_panel_informed_on=on(21)),
        ),
    )


def scr_with_tor() -> PanelReview:
    return run(
        informed(hold=True),
        (
            25,
            CHAIR,
            CommissionIndependentReview(
                reviewer_subject="S-T-REVIEWER", reviewer_name="Ian Lowe", lead=ReviewerLead.AUTHOR
            ),
        ),
        (26, CHAIR, AgreeScrPanel(agencies=("Police", "Health", "Children's Social Care"))),
        (27, PANEL, methodology()),
        (28, CHAIR, endorsed()),
        (
            30,
            SCR_PANEL,
            AgreeScrTermsOfReference(
                methodology="systems review",
                scope=("Multi-agency response to the injury",),
                period_from=PERIOD_FROM,
                period_to=PERIOD_TO,
                report_due=on(200),
            ),
        ),
    )


def scr_reported() -> PanelReview:
    return run(
        scr_with_tor(),
        (30, HEAD, on_team(SCR_PANEL, PanelTeamRole.MEMBER, 30)),
        (40, SCR_PANEL, scr_meeting()),
        (180, HEAD, CompleteReport(form=ReportForm.REPORT, document="SCR")),
    )


# -- scenarios ------------------------------------------------------------------------------


def test_a_multi_agency_learning_review_from_referral_to_closure() -> None:
    review = PanelReview("LIP-T-MALR")
    assert (review.stage, review.status, review.branch) == (
        Stage.NOT_REFERRED,
        Status.NOT_REFERRED,
        None,
    )

    # The school refers the case to the Head of Safeguarding on Referral Form A.
    review.execute(referral(), HEAD, at_nine(0))
    assert stage_of(review) == Stage.REFERRED
    assert review.obligations()[0].what == "circulate the referral to the Panel"

    # The details are circulated to the Panel, which meets bi-monthly.
    review.execute(CirculateReferral(meeting_on=on(14)), HEAD, at_nine(1))
    assert stage_of(review) == Stage.AWAITING_PANEL
    (panel_clock,) = review.timescales()
    assert (panel_clock.started, panel_clock.due) == (on(0), on(0).replace(month=5))

    # The Panel, chaired by the Head of Safeguarding, decides a Multi-Agency Learning Review is appropriate.
    review.execute(
        DecideOnReview(meeting_on=on(14), decision=PanelDecision.MALR, reasons="Significant learning"),
        PANEL,
        at_nine(14),
    )
    assert review.branch == "malr"
    assert review.timescales()[0].completed == on(14)
    # The Head of Safeguarding's unit administers the review: appointed to the case's team.
    review.execute(on_team(HEAD, PanelTeamRole.ADMINISTRATOR), HEAD, at_nine(14))

    # Date set, chair nominated, initial terms of reference and timescales set by the Panel.
    review.execute(conclusion(), PANEL, at_nine(14))
    assert review.state.first_meeting_on == on(60)
    assert [t.due for t in review.timescales()[1:]] == [on(60), on(60), on(60), on(90), on(120)]

    # Following the panel, all agency checks are completed: each says involved or not.
    review.execute(RequestAgencyChecks(agencies=("Health", "Police", "Education")), HEAD, at_nine(16))
    assert [o.what for o in review.obligations()][:4] == [
        "circulate the dates, chronology template and terms of reference",
        "name who answers for Health",
        "name who answers for Police",
        "name who answers for Education",
    ]
    # Each agency answers for itself, through the contact named for it.
    for agency in ("Health", "Police", "Education"):
        review.execute(contact(agency), HEAD, at_nine(16))
    # The administrator circulates the dates for review, chronology template and terms of reference.
    review.execute(papers(("Health", "Police", "Education")), HEAD, at_nine(17))
    assert [o.what for o in review.obligations()] == [
        "Health: state involvement or none",
        "Police: state involvement or none",
        "Education: state involvement or none",
    ]
    review.execute(AnswerAgencyCheck(agency="Health", involvement=Involvement.INVOLVED), AGENCY, at_nine(20))
    review.execute(
        AnswerAgencyCheck(agency="Police", involvement=Involvement.NOT_INVOLVED), AGENCY, at_nine(21)
    )
    review.execute(
        AnswerAgencyCheck(agency="Education", involvement=Involvement.INVOLVED), AGENCY, at_nine(22)
    )
    assert review.agency_checks_complete
    assert review.state.checks_completed_on == on(22)

    # Involved agencies prepare chronologies for the period under review; they are combined.
    assert [o.what for o in review.obligations()] == [
        "Health: submit the chronology",
        "Education: submit the chronology",
        "Health: nominate a representative",
        "Education: nominate a representative",
    ]
    review.execute(chronology("Health"), AGENCY, at_nine(30))
    review.execute(chronology("Education"), AGENCY, at_nine(31))
    review.execute(CombineChronologies(document="combined chronology"), HEAD, at_nine(40))
    assert stage_of(review) == Stage.MALR_MEETINGS
    # Each contributing agency nominates its representative before the 1st meeting.
    assert [o.what for o in review.obligations()] == [
        "Health: nominate a representative",
        "Education: nominate a representative",
        "hold the 1st meeting",
    ]
    review.execute(representative("Health", 41), AGENCY, at_nine(41))
    review.execute(representative("Education", 42), AGENCY, at_nine(42))

    # The review is conducted in two meetings; the MALR Panel agrees findings and recommendations.
    for number, day in ((1, 60), (2, 90)):
        review.execute(
            HoldReviewMeeting(number=number, held_on=on(day), agencies_attending=("Health", "Education")),
            HEAD,
            at_nine(day),
        )
    review.execute(
        AgreeFindings(findings=("Concerns not brought together",), recommendations=("Share at review",)),
        MALR_PANEL,
        at_nine(90),
    )

    # A case summary is prepared; the multi-agency action plan is circulated to partner agencies.
    review.execute(CompleteReport(form=ReportForm.CASE_SUMMARY, document="case summary"), HEAD, at_nine(110))
    # The Performance and Development Manager circulates the multi-agency action plan.
    review.execute(action_plan("Health", "Education", day=115), PDM, at_nine(115))
    assert [t.due for t in review.timescales() if t.name.startswith("action ")] == [on(175), on(175)]

    # The Audit and Monitoring Sub-group monitors progress and reports to the QA Sub-group,
    # which notifies the Board.
    review.execute(RecordActionPlanProgress(agency="Health", progress="On track"), AUDIT, at_nine(150))
    review.execute(done("A1", 150), AUDIT, at_nine(150))
    review.execute(SignOffAction(action_id="A1", signed_off_on=on(151)), AUDIT, at_nine(151))
    review.execute(ReportToQaSubgroup(summary="Progress on track"), AUDIT, at_nine(160))
    review.execute(ReportToBoard(summary="Findings for information"), QA, at_nine(170))
    # An action still open is carried over to a named owner before the case closes.
    assert [o.what for o in review.obligations()] == ["complete action A2"]
    refused(
        review,
        CloseCase(reasons="Reported to the Board"),
        HEAD,
        RuleViolation,
        r"^LIP-T-MALR: the case cannot close yet: actions are open \(A2\): sign them off, or carry them over",
    )
    review.execute(
        CarryOverAction(
            action_id="A2",
            owner_subject="S-T-OWNER-2",
            owner_name="Owner 2",
            carried_over_on=on(170),
            reason="Into the school's improvement plan",
        ),
        AUDIT,
        at_nine(170),
    )
    assert stage_of(review) == Stage.MALR_REPORTED

    # An MALR is not published, and families are not invited.
    refused(
        review,
        DecideOnPublication(publish=True, reasons="Transparency"),
        BOARD,
        RuleViolation,
        "a Multi-Agency Learning Review is not published",
    )

    # The Head of Safeguarding closes the case.
    review.execute(CloseCase(reasons="Reported to the Board"), HEAD, at_nine(171))
    assert (review.stage, review.status, review.obligations()) == (Stage.CLOSED, Status.CLOSED, [])
    assert all(t.status() == "met" for t in review.timescales())
    assert len(review.collect_events()) == review.version == 30


def test_an_scr_not_held_is_overturned_by_the_national_panel_and_held() -> None:
    review = run(
        PanelReview("LIP-T-SCR"), (0, HEAD, referral()), (1, HEAD, CirculateReferral(meeting_on=on(14)))
    )

    # The Panel, chaired by the Head of Safeguarding, recommends an SCR Consideration Panel is held.
    review.execute(
        CallScrConsiderationPanel(meeting_on=on(28), reasons="The criteria may be met"), PANEL, at_nine(14)
    )
    assert stage_of(review) == Stage.AWAITING_SCR_PANEL

    # The Service Director chairs the SCR Consideration Panel, which finds the SCR criteria met.
    review.execute(
        DecideOnReview(meeting_on=on(28), decision=PanelDecision.SCR_CRITERIA_MET, reasons="Serious harm"),
        DIRECTOR,
        at_nine(28),
    )
    (decision,) = [e for e in review.collect_events() if isinstance(e, ReviewDecidedV2)]
    assert (decision.chaired_by, decision.as_scr_consideration_panel, decision.role) == (
        Role.SERVICE_DIRECTOR,
        True,
        Role.SERVICE_DIRECTOR,
    )

    # The SCR criteria appear likely to be met: the Head of Safeguarding asks for agency reports,
    # and each agency's named contact sends its report by the date set.
    assert review.obligations()[0].what == "request agency reports"
    review.execute(agency_reports(28), HEAD, at_nine(28))
    review.execute(contact("Police", day=28), HEAD, at_nine(28))
    review.execute(contact("Health", acting("health-contact"), day=28), HEAD, at_nine(28))
    review.execute(
        SubmitAgencyReport(agency="Police", document="Police report", submitted_on=on(40)),
        AGENCY,
        at_nine(40),
    )
    review.execute(
        SubmitAgencyReport(agency="Health", document="Health report", submitted_on=on(45)),
        acting("health-contact", Role.AGENCY_CONTACT),
        at_nine(45),
    )

    # The Service Director recommends to the Board's Independent Chair.
    review.execute(
        RecommendOnScr(scr_required=False, reasons="Another form of review"), DIRECTOR, at_nine(46)
    )
    assert stage_of(review) == Stage.SCR_DECISION

    # The Independent Chair decides not to hold an SCR, and informs Ofsted and the National Panel.
    review.execute(DecideOnScr(hold_scr=False, reasons="A systems review suffices"), CHAIR, at_nine(47))
    review.execute(
        InformOfstedAndNationalPanel(ofsted_informed_on=on(48), national_panel_informed_on=on(48)),
        CHAIR,
        at_nine(48),
    )
    assert (review.stage, review.status) == (Stage.SCR_SCRUTINY, Status.UNDER_SCRUTINY)
    assert review.obligations()[0].who == (Role.NATIONAL_PANEL,)

    # The case cannot close while the National Panel is scrutinising the decision.
    refused(
        review,
        CloseCase(reasons="Not held"),
        HEAD,
        RuleViolation,
        "cannot close yet: the National Panel is still scrutinising",
    )

    # The National Panel scrutinises the decision not to hold an SCR and overturns it.
    review.execute(
        ScrutiniseDecision(outcome=ScrutinyOutcome.OVERTURNED, reasons="Criteria met"), NATIONAL, at_nine(60)
    )
    assert review.scr_held
    assert (review.stage, review.status) == (Stage.SCR_SETTING_UP, Status.OPEN)

    # An independent review is commissioned, the SCR Panel agreed, and it agrees the terms of reference.
    review.execute(
        CommissionIndependentReview(
            reviewer_subject="S-T-REVIEWER", reviewer_name="Ian Lowe", lead=ReviewerLead.AUTHOR_AND_CHAIR
        ),
        CHAIR,
        at_nine(70),
    )
    review.execute(AgreeScrPanel(agencies=("Police", "Health")), CHAIR, at_nine(72))
    # The Learning and Improvement Panel chooses the methodology; the Independent Chair endorses it.
    review.execute(methodology(74), PANEL, at_nine(74))
    assert review.obligations()[0].what == "endorse the review's methodology"
    review.execute(endorsed(75), CHAIR, at_nine(75))
    review.execute(
        AgreeScrTermsOfReference(
            methodology="systems review",
            scope=("Response to the injury",),
            period_from=PERIOD_FROM,
            period_to=PERIOD_TO,
            report_due=on(250),
        ),
        SCR_PANEL,
        at_nine(80),
    )
    review.execute(on_team(HEAD, PanelTeamRole.ADMINISTRATOR, 80), HEAD, at_nine(80))
    review.execute(on_team(SCR_PANEL, PanelTeamRole.MEMBER, 80), HEAD, at_nine(80))

    # The SCR Panel meets and holds the interviews it agreed.
    assert review.obligations()[0].what == "hold an SCR Panel meeting"
    review.execute(scr_meeting(90), SCR_PANEL, at_nine(90))
    review.execute(
        RecordScrInterview(
            held_on=on(100), interviewee="S-T-REFERRER", agency="Education", notes="Described the disclosure"
        ),
        SCR_PANEL,
        at_nine(100),
    )
    assert review.state.scr_interviews == 1
    assert review.timescales()[-1].due == on(250)

    # The family is invited to contribute to the SCR.
    review.execute(InviteFamily(family_members=("S-T-MOTHER",)), BOARD, at_nine(85))

    # The review is conducted in its timeframe and signed off by the Board; publication is considered.
    review.execute(CompleteReport(form=ReportForm.REPORT, document="SCR report"), HEAD, at_nine(240))
    review.execute(SignOffReport(minute="SSCB minute 14/26"), BOARD, at_nine(245))
    review.execute(
        DecideOnPublication(publish=True, reasons="Transparency and openness"), BOARD, at_nine(250)
    )
    assert stage_of(review) == Stage.SCR_DONE
    review.execute(CloseCase(reasons="Published"), HEAD, at_nine(251))
    assert review.status is Status.CLOSED
    assert review.timescales()[-1].status() == "met"


def test_an_scr_not_held_and_upheld_by_the_national_panel_closes() -> None:
    review = informed(hold=False)
    # The National Panel upholds the decision not to hold an SCR.
    review.execute(
        ScrutiniseDecision(outcome=ScrutinyOutcome.UPHELD, reasons="Agreed"), NATIONAL, at_nine(40)
    )
    assert (review.stage, review.scr_held) == (Stage.SCR_NOT_HELD, False)
    assert review.obligations()[0].what == "close the case"
    review.execute(CloseCase(reasons="No SCR; decision upheld"), HEAD, at_nine(41))
    assert review.closed


def test_the_panel_decides_no_further_review_and_the_case_closes() -> None:
    review = decided(PanelDecision.NO_FURTHER_REVIEW)
    assert (review.branch, review.stage) == (None, Stage.NO_FURTHER_REVIEW)
    review.execute(CloseCase(reasons="Single-agency learning only"), HEAD, at_nine(15))
    assert review.status is Status.CLOSED


def test_referral_form_a_is_sealed_field_for_field() -> None:
    (event,) = referred().collect_events()
    assert isinstance(event, CaseReferred)
    form = event.form
    assert (form.child_subject, form.referral.agency, form.referral.referred_on) == (
        "S-T-CHILD",
        "Education",
        on(0),
    )
    assert form.child.full_name.value == "Ada Fenwick"
    assert form.child.full_name.kind is ItemKind.NAME
    assert form.child.ethnic_group is not None
    assert form.child.ethnic_group.special_category
    assert form.child.immigration_status is not None
    assert form.child.immigration_status.special_category
    assert form.referral.referrer.about == ("S-T-REFERRER",)
    (mother,) = form.family
    assert mother.relationship.about == ("S-T-MOTHER", "S-T-CHILD")
    assert form.incident.summary.about == ("S-T-CHILD", "S-T-MOTHER")
    assert form.incident.summary.by == "S-T-REFERRER"
    assert form.incident.reason_for_request.nature is Nature.OPINION
    # Nothing personal sits in a plain field: blank every Personal value and none is left.
    public = msgspec.json.encode(_without_personal_values(msgspec.to_builtins(event)))
    for secret in (b"Ada Fenwick", b"Addie", b"Kerry Fenwick", b"Nadia Price", b"3 Mill Lane", b"2018-05-06"):
        assert secret not in public


def _without_personal_values(node: object) -> object:
    if isinstance(node, dict):
        if node.get("type") == "personal":
            return {**node, "value": None}
        return {key: _without_personal_values(value) for key, value in node.items()}
    if isinstance(node, list | tuple):  # msgspec.to_builtins keeps tuples as tuples
        return [_without_personal_values(item) for item in node]
    return node


def test_the_panel_conclusion_is_recorded_field_for_field() -> None:
    *_, event = malr_concluded().collect_events()
    assert isinstance(event, PanelConclusionRecordedV2)
    conclusion_ = event.conclusion
    # The issues and the scope are sealed, about the child.
    assert all(i.about == ("S-T-CHILD",) and i.value for i in (*conclusion_.issues, *conclusion_.tor_scope))
    assert conclusion_.decision is PanelDecision.MALR
    assert (conclusion_.period_from, conclusion_.period_to) == (PERIOD_FROM, PERIOD_TO)
    assert (conclusion_.chronologies_from, conclusion_.chronologies_to) == (PERIOD_FROM, PERIOD_TO)
    assert conclusion_.chair.value == "Grace Holt"
    assert conclusion_.chair.about == ("S-T-CHAIR",)
    assert (conclusion_.first_meeting_on, conclusion_.second_meeting_on) == (on(60), on(90))


# -- rules ---------------------------------------------------------------------------------


def test_only_the_national_panel_can_overturn_a_decision_not_to_hold_an_scr() -> None:
    refused(
        informed(hold=False),
        ScrutiniseDecision(outcome=ScrutinyOutcome.OVERTURNED, reasons="x"),
        CHAIR,
        NotAuthorised,
        "can only be recorded by the National Panel; independent-chair does not hold that role",
    )


def test_a_decision_is_overturned_only_while_under_scrutiny() -> None:
    overturn = ScrutiniseDecision(outcome=ScrutinyOutcome.OVERTURNED, reasons="x")
    refused(
        scr_decided(hold=False),
        overturn,
        NATIONAL,
        RuleViolation,
        r"not under scrutiny until the National Panel has been informed of it \(seed 003, Referrals",
    )
    refused(
        informed(hold=True),
        overturn,
        NATIONAL,
        RuleViolation,
        "only a decision not to hold an SCR is scrutinised by the National Panel",
    )
    refused(
        scr_recommended(),
        overturn,
        NATIONAL,
        RuleViolation,
        "only a decision not to hold an SCR is scrutinised",
    )
    upheld = run(
        informed(hold=False), (40, NATIONAL, ScrutiniseDecision(outcome=ScrutinyOutcome.UPHELD, reasons="ok"))
    )
    refused(
        upheld, overturn, NATIONAL, RuleViolation, "the National Panel has already concluded its scrutiny"
    )


def test_overturning_records_one_event_and_makes_it_an_scr() -> None:
    review = informed(hold=False)
    review.collect_events()
    review.execute(ScrutiniseDecision(outcome=ScrutinyOutcome.OVERTURNED, reasons="x"), NATIONAL, at_nine(40))
    (event,) = review.collect_events()
    assert isinstance(event, ScrutinyConcludedV2)
    assert (event.role, event.outcome) == (Role.NATIONAL_PANEL, ScrutinyOutcome.OVERTURNED)
    assert review.scr_held


def test_the_scr_decision_is_only_the_independent_chairs() -> None:
    refused(
        scr_recommended(),
        DecideOnScr(hold_scr=True, reasons="x"),
        DIRECTOR,
        NotAuthorised,
        "the decision whether to hold an SCR can only be recorded by the Board's Independent Chair",
    )


def test_the_scr_decision_follows_the_service_directors_recommendation() -> None:
    refused(
        decided(PanelDecision.SCR_CRITERIA_MET),
        DecideOnScr(hold_scr=True, reasons="x"),
        CHAIR,
        RuleViolation,
        "the Independent Chair decides only after the Service Director's recommendation",
    )


def test_the_scr_decision_is_taken_once() -> None:
    refused(
        scr_decided(hold=True),
        DecideOnScr(hold_scr=False, reasons="x"),
        CHAIR,
        RuleViolation,
        "the Independent Chair has already decided",
    )


def test_only_an_scr_consideration_panel_finds_the_scr_criteria_met() -> None:
    refused(
        before_panel(scr_likely=False),
        DecideOnReview(meeting_on=on(14), decision=PanelDecision.SCR_CRITERIA_MET, reasons="x"),
        PANEL,
        RuleViolation,
        "only an SCR Consideration Panel chaired by the Service Director can find the SCR criteria met",
    )


def test_the_service_director_decides_only_as_scr_consideration_panel() -> None:
    refused(
        before_panel(scr_likely=False),
        DecideOnReview(meeting_on=on(14), decision=PanelDecision.MALR, reasons="x"),
        DIRECTOR,
        NotAuthorised,
        "the Panel's decision on the level of review can only be recorded by the Learning and Improvement Panel",
    )


def test_the_panel_decides_once() -> None:
    refused(
        decided(PanelDecision.MALR),
        DecideOnReview(meeting_on=on(20), decision=PanelDecision.NO_FURTHER_REVIEW, reasons="x"),
        PANEL,
        RuleViolation,
        "the Panel has already decided on this case",
    )


def test_an_agency_not_asked_cannot_answer_the_agency_check() -> None:
    refused(
        malr_checks_requested(),
        AnswerAgencyCheck(agency="Probation", involvement=Involvement.INVOLVED),
        AGENCY,
        RuleViolation,
        "Probation was not asked for an agency check",
    )


def test_an_agency_answers_the_agency_check_once() -> None:
    review = run(
        malr_checks_requested(),
        (20, AGENCY, AnswerAgencyCheck(agency="Police", involvement=Involvement.NOT_INVOLVED)),
    )
    refused(
        review,
        AnswerAgencyCheck(agency="Police", involvement=Involvement.INVOLVED),
        AGENCY,
        RuleViolation,
        "Police has already answered the agency check",
    )


def test_chronologies_cannot_be_combined_before_every_agency_asked_has_answered() -> None:
    review = run(
        malr_checks_requested(),
        (20, AGENCY, AnswerAgencyCheck(agency="Health", involvement=Involvement.INVOLVED)),
        (30, AGENCY, chronology("Health")),
    )
    refused(
        review,
        CombineChronologies(document="combined"),
        HEAD,
        RuleViolation,
        r"the agency checks are not complete: no answer yet from Education, Police "
        r"\(seed 003, Process for MALR: every agency advises whether it has any involvement or not\)",
    )


def test_chronologies_are_combined_only_when_every_involved_agency_has_sent_one() -> None:
    review = run(
        malr_checks_requested(),
        (20, AGENCY, AnswerAgencyCheck(agency="Health", involvement=Involvement.INVOLVED)),
        (21, AGENCY, AnswerAgencyCheck(agency="Police", involvement=Involvement.NOT_INVOLVED)),
        (22, AGENCY, AnswerAgencyCheck(agency="Education", involvement=Involvement.INVOLVED)),
        (30, AGENCY, chronology("Health")),
    )
    refused(
        review, CombineChronologies(document="c"), HEAD, RuleViolation, "no chronology yet from Education"
    )


def test_only_an_involved_agency_submits_a_chronology() -> None:
    review = run(
        malr_checks_requested(),
        (21, AGENCY, AnswerAgencyCheck(agency="Police", involvement=Involvement.NOT_INVOLVED)),
    )
    refused(
        review,
        chronology("Police"),
        AGENCY,
        RuleViolation,
        "only an agency that has stated involvement submits a chronology; Police has not",
    )


def test_a_chronology_covers_the_period_the_panel_set() -> None:
    review = run(
        malr_checks_requested(),
        (20, AGENCY, AnswerAgencyCheck(agency="Health", involvement=Involvement.INVOLVED)),
    )
    short = SubmitChronology(agency="Health", document="c", covers_from=date(2025, 1, 1), covers_to=PERIOD_TO)
    refused(review, short, AGENCY, RuleViolation, "the chronology must cover 2024-09-01 to 2026-02-01")


def test_an_malr_is_not_published() -> None:
    refused(
        malr_reported(),
        DecideOnPublication(publish=True, reasons="x"),
        BOARD,
        RuleViolation,
        r"a Multi-Agency Learning Review is not published \(seed 003, Process for MALR: MALRs are "
        r"not published and families are not invited\)",
    )


def test_families_are_not_invited_to_an_malr() -> None:
    refused(
        malr_combined(),
        InviteFamily(family_members=("S-T-MOTHER",)),
        BOARD,
        RuleViolation,
        "families are not invited to take part in a Multi-Agency Learning Review",
    )


def test_the_board_signs_off_only_a_report() -> None:
    refused(
        scr_with_tor(),
        SignOffReport(minute="m"),
        BOARD,
        RuleViolation,
        r"the Board signs off a report: there is no report yet \(seed 003, flow chart: the SCR is "
        r"signed off by the SSCB\)",
    )


def test_publication_is_considered_after_sign_off() -> None:
    refused(
        scr_reported(),
        DecideOnPublication(publish=False, reasons="x"),
        BOARD,
        RuleViolation,
        "publication is considered after the Board's sign-off",
    )


def test_an_malr_report_is_not_signed_off_by_the_board() -> None:
    refused(
        malr_reported(),
        SignOffReport(minute="m"),
        BOARD,
        RuleViolation,
        "the Panel has not decided on an SCR for this case",
    )


def test_the_review_meets_only_after_the_chronologies_are_combined() -> None:
    refused(
        malr_checks_requested(),
        HoldReviewMeeting(number=1, held_on=on(60), agencies_attending=("Health",)),
        HEAD,
        RuleViolation,
        "the review meets once the chronologies are combined",
    )


def test_an_malr_has_at_most_two_meetings_in_order() -> None:
    review = malr_combined()
    refused(
        review,
        HoldReviewMeeting(number=2, held_on=on(60), agencies_attending=("Health",)),
        HEAD,
        RuleViolation,
        "the next meeting is meeting 1",
    )
    run(
        review,
        (60, HEAD, HoldReviewMeeting(number=1, held_on=on(60), agencies_attending=("Health",))),
        (90, HEAD, HoldReviewMeeting(number=2, held_on=on(90), agencies_attending=("Health",))),
    )
    refused(
        review,
        HoldReviewMeeting(number=3, held_on=on(95), agencies_attending=("Health",)),
        HEAD,
        RuleViolation,
        "an MALR has at most two meetings",
    )


def test_the_agency_checks_follow_the_panels_conclusion() -> None:
    refused(
        decided(PanelDecision.MALR),
        RequestAgencyChecks(agencies=("Health",)),
        HEAD,
        RuleViolation,
        "the Panel's conclusion has not been recorded yet",
    )


def test_an_scr_step_is_refused_on_the_malr_route() -> None:
    refused(
        malr_concluded(),
        RecommendOnScr(scr_required=True, reasons="x"),
        DIRECTOR,
        RuleViolation,
        "the Panel has not decided on an SCR for this case",
    )


def test_an_scr_not_held_takes_no_review_steps() -> None:
    refused(
        informed(hold=False),
        CommissionIndependentReview(reviewer_subject="S-T-R", reviewer_name="R", lead=ReviewerLead.CHAIR),
        CHAIR,
        RuleViolation,
        "no SCR is being held for this case",
    )


def test_a_case_closes_only_at_the_end_of_its_route() -> None:
    refused(
        malr_reported(),
        CloseCase(reasons="x"),
        HEAD,
        RuleViolation,
        "the case cannot close yet: the findings are not yet reported to the Board",
    )
    refused(
        before_panel(),
        CloseCase(reasons="x"),
        HEAD,
        RuleViolation,
        "the Panel has not decided on the case yet",
    )


def _closed() -> PanelReview:
    return run(decided(PanelDecision.NO_FURTHER_REVIEW), (15, HEAD, CloseCase(reasons="done")))


@pytest.mark.parametrize(
    ("command", "by"),
    [
        (referral(), HEAD),
        (CirculateReferral(meeting_on=on(30)), HEAD),
        (DecideOnReview(meeting_on=on(30), decision=PanelDecision.MALR, reasons="x"), PANEL),
        (conclusion(), PANEL),
        (CloseCase(reasons="again"), HEAD),
        (InviteFamily(family_members=("S-T-MOTHER",)), BOARD),
        (DecideOnPublication(publish=True, reasons="x"), BOARD),
    ],
    ids=lambda value: type(value).__name__,
)
def test_nothing_is_recorded_after_closure(command: Command, by: Acting) -> None:
    refused(_closed(), command, by, RuleViolation, r"the case is closed \(seed 003: a closed case")


def test_a_case_is_referred_once() -> None:
    refused(referred(), referral(), HEAD, RuleViolation, "this case has already been referred")


def test_invalid_input_is_refused_with_the_field() -> None:
    refused(
        referred(),
        CirculateReferral(meeting_on=on(-1)),
        HEAD,
        InvalidInput,
        r"meeting_on: must not be before the referral \(2026-03-02\)",
    )
    bad = msgspec.structs.replace(referral(), child_subject="child-1")
    refused(PanelReview("LIP-T-2"), bad, HEAD, InvalidInput, "child_subject: must look like S-xxxx")
    refused(
        decided(PanelDecision.MALR),
        msgspec.structs.replace(conclusion(), period_from=PERIOD_TO, period_to=PERIOD_FROM),
        PANEL,
        InvalidInput,
        "period_to: the period under review must end after it starts",
    )


# -- authority -------------------------------------------------------------------------------


def _one_of_each_command() -> list[Command]:
    return [
        referral(),
        CirculateReferral(meeting_on=on(14)),
        CallScrConsiderationPanel(meeting_on=on(28), reasons="x"),
        DecideOnReview(meeting_on=on(14), decision=PanelDecision.MALR, reasons="x"),
        conclusion(),
        RecommendOnScr(scr_required=True, reasons="x"),
        DecideOnScr(hold_scr=True, reasons="x"),
        InformOfstedAndNationalPanel(ofsted_informed_on=on(1), national_panel_informed_on=on(1)),
        ScrutiniseDecision(outcome=ScrutinyOutcome.UPHELD, reasons="x"),
        CommissionIndependentReview(reviewer_subject="S-T-R", reviewer_name="R", lead=ReviewerLead.CHAIR),
        AgreeScrPanel(agencies=("Police",)),
        agency_reports(),
        SubmitAgencyReport(agency="Police", document="Police agency report", submitted_on=on(20)),
        methodology(),
        endorsed(),
        scr_meeting(),
        RecordScrInterview(held_on=on(41), interviewee="S-T-REFERRER", agency="Education", notes="n"),
        papers(("Police",)),
        representative("Police"),
        AgreeScrTermsOfReference(
            methodology="m", scope=("s",), period_from=PERIOD_FROM, period_to=PERIOD_TO, report_due=on(99)
        ),
        InviteFamily(family_members=("S-T-MOTHER",)),
        RequestAgencyChecks(agencies=("Police",)),
        contact("Police"),
        AnswerAgencyCheck(agency="Police", involvement=Involvement.INVOLVED),
        chronology("Police"),
        CombineChronologies(document="c"),
        HoldReviewMeeting(number=1, held_on=on(60), agencies_attending=("Police",)),
        AgreeFindings(findings=("f",), recommendations=("r",)),
        CompleteReport(form=ReportForm.REPORT, document="d"),
        SignOffReport(minute="m"),
        DecideOnPublication(publish=True, reasons="x"),
        action_plan("Police"),
        done("A1", 120),
        SignOffAction(action_id="A1", signed_off_on=on(121)),
        CarryOverAction(
            action_id="A1", owner_subject="S-T-OWNER-9", owner_name="O", carried_over_on=on(122), reason="r"
        ),
        RecordDisseminationActivity(
            activity=DisseminationKind.TRAINING, held_on=on(127), audience="staff", description="Training."
        ),
        RecordDisseminationFeedback(activity_number=1, received_on=on(128), feedback="Useful."),
        TagLearningThemes(tagged_on=on(128), themes=("neglect",)),
        RecordActionPlanProgress(agency="Police", progress="p"),
        ReportToQaSubgroup(summary="s"),
        ReportToBoard(summary="s"),
        CloseCase(reasons="x"),
        AppointTeamMember(actor_id="reviewer-1", team_role=PanelTeamRole.CHAIR, appointed_on=on(15)),
        ReleaseTeamMember(actor_id="reviewer-1", released_on=on(30)),
    ]


def test_every_command_has_an_entry_in_the_authority_table() -> None:
    assert set(PanelReview.commands().values()) == set(STEPS)
    assert {type(c) for c in _one_of_each_command()} == set(STEPS)


@pytest.mark.parametrize("command", _one_of_each_command(), ids=lambda c: type(c).__name__)
def test_each_step_is_refused_to_anyone_without_its_role(command: Command) -> None:
    allowed = set(STEPS[type(command)].roles)
    # Everyone in the procedure except the holders of the step's role(s).
    others = acting("other", *(r for r in Role if r not in allowed and r is not Role.SERVICE_DIRECTOR))
    for review in (PanelReview("LIP-T-NEW"), referred(), malr_concluded(), informed(hold=False)):
        refused(review, command, others, NotAuthorised, "can only be recorded by")


def test_the_authority_table_gives_each_step_to_the_role_the_seed_names() -> None:
    expected: dict[type[Command], Role] = {
        ReferCase: Role.HEAD_OF_SAFEGUARDING,
        DecideOnReview: Role.LEARNING_PANEL,
        RecommendOnScr: Role.SERVICE_DIRECTOR,
        DecideOnScr: Role.INDEPENDENT_CHAIR,
        ScrutiniseDecision: Role.NATIONAL_PANEL,
        SignOffReport: Role.SAFEGUARDING_BOARD,
        AnswerAgencyCheck: Role.AGENCY_CONTACT,
        SubmitChronology: Role.AGENCY_CONTACT,
    }
    assert {c: STEPS[c].roles for c in expected} == {c: (r,) for c, r in expected.items()}


def test_each_decision_records_the_role_it_was_taken_in() -> None:
    review = informed(hold=False)
    roles = {type(e).__name__: getattr(e, "role", None) for e in review.collect_events()}
    assert roles == {
        "CaseReferred": Role.HEAD_OF_SAFEGUARDING,
        "ReferralCirculated": Role.HEAD_OF_SAFEGUARDING,
        "ReviewDecidedV2": Role.SERVICE_DIRECTOR,
        "ScrRecommendedV2": Role.SERVICE_DIRECTOR,
        "ScrDecidedV2": Role.INDEPENDENT_CHAIR,
        "OfstedAndNationalPanelInformed": Role.INDEPENDENT_CHAIR,
        "TeamMemberAppointed": Role.HEAD_OF_SAFEGUARDING,
        "AgencyReportsRequested": Role.HEAD_OF_SAFEGUARDING,
    }


# -- events round-trip -------------------------------------------------------------------------


def _every_scenario() -> list[DomainEvent]:
    builders: list[Callable[[], PanelReview]] = [
        lambda: run(malr_reported(), *_malr_tail()),
        lambda: run(
            malr_reported(),
            (110, PDM, action_plan("Health")),
            (
                120,
                AUDIT,
                CarryOverAction(
                    action_id="A1",
                    owner_subject="S-T-OWNER-9",
                    owner_name="O",
                    carried_over_on=on(120),
                    reason="r",
                ),
            ),
        ),
        lambda: run(scr_reported(), *_scr_tail()),
        lambda: run(
            decided(PanelDecision.SCR_CRITERIA_MET),
            (14, HEAD, agency_reports()),
            (14, HEAD, contact("Police", day=14)),
            (20, AGENCY, SubmitAgencyReport(agency="Police", document="Police report", submitted_on=on(20))),
        ),
        lambda: run(
            scr_with_tor(),
            (30, HEAD, on_team(SCR_PANEL, PanelTeamRole.MEMBER, 30)),
            (
                41,
                SCR_PANEL,
                RecordScrInterview(held_on=on(41), interviewee="S-T-REFERRER", agency="Education", notes="n"),
            ),
        ),
        lambda: run(
            before_panel(),
            (14, PANEL, CallScrConsiderationPanel(meeting_on=on(28), reasons="x")),
        ),
        lambda: run(
            informed(hold=False),
            (40, NATIONAL, ScrutiniseDecision(outcome=ScrutinyOutcome.UPHELD, reasons="x")),
        ),
        lambda: run(
            malr_concluded(),
            (
                15,
                HEAD,
                AppointTeamMember(actor_id="chair-1", team_role=PanelTeamRole.CHAIR, appointed_on=on(15)),
            ),
            (30, HEAD, ReleaseTeamMember(actor_id="chair-1", released_on=on(30))),
        ),
    ]
    events = [event for build in builders for event in build().collect_events()]
    # Each step whose texts are now sealed, in the first form of its event (plain text): still read.
    return events + [_first_form(e) for e in events if type_name(type(e)) in SUCCESSORS.values()]


def _first_form(event: DomainEvent) -> DomainEvent:
    """The event as the first form of its type kept it: each text now sealed, as plain text."""
    first = event_type(next(old for old, new in SUCCESSORS.items() if new == type_name(type(event))))

    def plain(value: Any, to: mi.Type) -> Any:
        if isinstance(to, mi.UnionType):
            to = next((t for t in to.types if not isinstance(t, mi.NoneType)), to)
        if isinstance(value, Personal) and isinstance(to, mi.StrType):
            return value.value
        if isinstance(value, tuple) and isinstance(to, mi.VarTupleType):
            return tuple(plain(v, to.item_type) for v in value)
        if isinstance(value, msgspec.Struct) and isinstance(to, mi.StructType) and to.cls is not type(value):
            return to.cls(**{f.name: plain(getattr(value, f.name), f.type) for f in to.fields})
        return value

    info = mi.type_info(first)
    assert isinstance(info, mi.StructType)
    return first(**{f.name: plain(getattr(event, f.name), f.type) for f in info.fields})


def _malr_tail() -> list[tuple[int, Acting, Command]]:
    return [
        (110, PDM, action_plan("Health")),
        (120, AUDIT, RecordActionPlanProgress(agency="Health", progress="done")),
        (125, AUDIT, done("A1", 125)),
        (126, AUDIT, SignOffAction(action_id="A1", signed_off_on=on(126))),
        # Seed 003 flow chart: the Training Sub disseminates the learning; the Panel records it, its
        # feedback and the learning's themes.
        (
            127,
            PANEL,
            RecordDisseminationActivity(
                activity=DisseminationKind.TRAINING,
                held_on=on(127),
                audience="front door staff",
                description="t",
            ),
        ),
        (128, PANEL, RecordDisseminationFeedback(activity_number=1, received_on=on(128), feedback="Useful.")),
        (128, PANEL, TagLearningThemes(tagged_on=on(128), themes=("Referrals", "referrals"))),
        (130, AUDIT, ReportToQaSubgroup(summary="s")),
        (140, QA, ReportToBoard(summary="s")),
        (141, HEAD, CloseCase(reasons="done")),
    ]


def _scr_tail() -> list[tuple[int, Acting, Command]]:
    return [
        (181, BOARD, InviteFamily(family_members=("S-T-MOTHER",))),
        (190, BOARD, SignOffReport(minute="m")),
        (191, BOARD, DecideOnPublication(publish=False, reasons="Identifies the family")),
    ]


def test_the_scenarios_produce_every_panel_event_type() -> None:
    produced = {type_name(type(e)) for e in _every_scenario()}
    known = {name for name in event_types() if name.startswith("panel.")}
    assert produced == known
    assert len(known) == len(STEPS) + len(SUCCESSORS)


@pytest.mark.parametrize("event", _every_scenario(), ids=lambda e: type_name(type(e)))
def test_every_event_type_round_trips_through_msgspec(event: DomainEvent) -> None:
    encoded = msgspec.json.encode(event)
    assert msgspec.json.decode(encoded, type=type(event)) == event
    assert event.at.tzinfo is not None  # type: ignore[attr-defined]


def test_replaying_the_events_rebuilds_the_same_case() -> None:
    review = run(malr_reported(), *_malr_tail())
    events = review.collect_events()
    assert PanelReview.replay(review.reference, events).state == review.state


def test_the_module_documents_every_step_in_its_authority_table() -> None:
    import domain.routes.panel.review as module

    table = module.__doc__ or ""
    for command, step in STEPS.items():
        row = next(line for line in table.splitlines() if f"| {command_name(command)} " in line)
        assert all(role.name in row for role in step.roles), row


# -- the demo ------------------------------------------------------------------------------------


def test_the_demo_cases_run_refuse_what_they_mark_and_register_every_subject() -> None:
    cast = {member.actor_id: acting(member.actor_id, *member.roles) for member in CAST}
    reviews: dict[str, PanelReview] = {}
    named: set[str] = set()
    for step in demo_panel.steps(START):
        review = reviews.setdefault(step.reference, PanelReview(step.reference))
        if step.refused:
            before = review.version
            with pytest.raises(ReviewledgerError, match=r"can only be recorded by|not complete"):
                review.execute(step.command, cast[step.actor], step.at)
            assert review.version == before
            continue
        review.execute(step.command, cast[step.actor], step.at)
        for event in review.collect_events():
            named |= subjects_of(msgspec.to_builtins(event))
    malr, scr = reviews[MALR], reviews[SCR]
    assert (malr.branch, malr.status) == ("malr", Status.CLOSED)
    assert (scr.branch, scr.state.hold_scr, scr.state.scrutiny) == (
        "scr",
        False,
        ScrutinyOutcome.OVERTURNED,
    )
    assert scr.scr_held
    assert named == {subject.subject_id for subject in demo_panel.SUBJECTS}


def test_each_demo_case_moves_forward_in_time() -> None:
    for reference in (MALR, SCR):
        moments = [step.at for step in demo_panel.steps(START) if step.reference == reference]
        assert moments == sorted(moments)
        assert len(set(moments)) == len(moments)


def subjects_of(node: object) -> set[str]:
    """The data-subject ids every Personal item in `node` names."""
    if isinstance(node, dict):
        if node.get("type") == "personal":
            return set(node["about"]) | ({node["by"]} if node["by"] else set())
        return {s for value in node.values() for s in subjects_of(value)}
    if isinstance(node, list | tuple):
        return {s for item in node for s in subjects_of(item)}
    return set()


# -- the review's team ------------------------------------------------------------------------


def test_the_head_of_safeguarding_appoints_and_releases_the_reviews_team_by_actor_id() -> None:
    review = malr_concluded()
    review.collect_events()
    run(
        review,
        (15, HEAD, AppointTeamMember(actor_id="chair-1", team_role=PanelTeamRole.CHAIR, appointed_on=on(15))),
        (
            16,
            HEAD,
            AppointTeamMember(actor_id="admin-1", team_role=PanelTeamRole.ADMINISTRATOR, appointed_on=on(16)),
        ),
    )
    assert review.team == {
        HEAD.actor: PanelTeamRole.ADMINISTRATOR,
        "chair-1": PanelTeamRole.CHAIR,
        "admin-1": PanelTeamRole.ADMINISTRATOR,
    }
    run(review, (30, HEAD, ReleaseTeamMember(actor_id="chair-1", released_on=on(30))))
    assert review.team == {HEAD.actor: PanelTeamRole.ADMINISTRATOR, "admin-1": PanelTeamRole.ADMINISTRATOR}
    appointed, _, released = review.collect_events()
    assert isinstance(appointed, TeamMemberAppointed) and isinstance(released, TeamMemberReleased)
    assert (appointed.actor_id, appointed.team_role, appointed.role) == (
        "chair-1",
        PanelTeamRole.CHAIR,
        Role.HEAD_OF_SAFEGUARDING,
    )
    assert (released.actor_id, released.released_on) == ("chair-1", on(30))


def test_a_team_member_is_appointed_once_and_released_only_while_on_the_team() -> None:
    review = run(
        malr_concluded(),
        (15, HEAD, AppointTeamMember(actor_id="chair-1", team_role=PanelTeamRole.CHAIR, appointed_on=on(15))),
    )
    again = AppointTeamMember(actor_id="chair-1", team_role=PanelTeamRole.MEMBER, appointed_on=on(16))
    refused(review, again, HEAD, RuleViolation, "chair-1 is already on the review's team")
    stranger = ReleaseTeamMember(actor_id="someone-else", released_on=on(30))
    refused(review, stranger, HEAD, RuleViolation, "someone-else is not on the review's team")
    early = AppointTeamMember(actor_id="m-1", team_role=PanelTeamRole.MEMBER, appointed_on=on(-5))
    refused(review, early, HEAD, InvalidInput, "appointed_on: must not be before the referral")
    refused(
        review,
        again,
        PANEL,
        NotAuthorised,
        "appointing a member of the review's team can only be recorded by",
    )


def test_the_panels_texts_are_sealed_about_the_child_and_whoever_else_the_step_names() -> None:
    review = before_panel()
    review.collect_events()
    review.execute(
        CallScrConsiderationPanel(
            meeting_on=on(28),
            reasons="The mother's partner was known to police.",
            about=("S-T-PARTNER",),
            by="S-T-HOS",
        ),
        PANEL,
        at_nine(14),
    )
    (called,) = review.collect_events()
    assert isinstance(called, ScrConsiderationPanelCalledV2)
    assert called.reasons.value == "The mother's partner was known to police."
    assert called.reasons.about == ("S-T-CHILD", "S-T-PARTNER") and called.reasons.by == "S-T-HOS"
    with pytest.raises(InvalidInput, match=r"^about: must look like S-xxxx"):
        before_panel().execute(
            CallScrConsiderationPanel(meeting_on=on(28), reasons="x", about=("Kim",)), PANEL, at_nine(14)
        )


def test_a_case_recorded_in_the_first_forms_of_the_events_replays_to_the_same_state() -> None:
    events = run(malr_reported(), *_malr_tail()).collect_events()
    first = [_first_form(e) if type_name(type(e)) in SUCCESSORS.values() else e for e in events]
    assert first != events
    sealed, plain = PanelReview.replay("LIP-A", events), PanelReview.replay("LIP-A", first)
    assert (plain.stage, plain.status, plain.state) == (sealed.stage, sealed.status, sealed.state)


# -- authority as seed 003 gives it -----------------------------------------------------------


def test_each_body_records_the_step_seed_003_gives_it() -> None:
    # The SCR Panel agrees the terms of reference; the MALR panel the findings; the Performance and
    # Development Manager circulates the action plan; the Audit and Monitoring Sub-group monitors it
    # and reports to the QA Sub-group, which reports to the Board.
    assert {
        c: STEPS[c].roles
        for c in (
            AgreeScrTermsOfReference,
            AgreeFindings,
            CirculateActionPlan,
            RecordActionPlanProgress,
            ReportToQaSubgroup,
            ReportToBoard,
        )
    } == {
        AgreeScrTermsOfReference: (Role.SCR_PANEL,),
        AgreeFindings: (Role.MALR_PANEL,),
        CirculateActionPlan: (Role.PERFORMANCE_DEVELOPMENT_MANAGER,),
        RecordActionPlanProgress: (Role.AUDIT_MONITORING_SUBGROUP,),
        ReportToQaSubgroup: (Role.AUDIT_MONITORING_SUBGROUP,),
        ReportToBoard: (Role.QA_SUBGROUP,),
    }
    tor = AgreeScrTermsOfReference(
        methodology="systems review",
        scope=("s",),
        period_from=PERIOD_FROM,
        period_to=PERIOD_TO,
        report_due=on(200),
    )
    setting_up = run(
        informed(hold=True),
        (
            25,
            CHAIR,
            CommissionIndependentReview(
                reviewer_subject="S-T-REVIEWER", reviewer_name="Ian Lowe", lead=ReviewerLead.AUTHOR
            ),
        ),
        (26, CHAIR, AgreeScrPanel(agencies=("Police",))),
    )
    refused(
        setting_up,
        tor,
        DIRECTOR,
        NotAuthorised,
        "^LIP-T-1: the SCR terms of reference can only be recorded by the SCR Panel; "
        "service-director does not hold that role$",
    )
    refused(
        malr_combined(),
        AgreeFindings(findings=("f",), recommendations=("r",)),
        PANEL,
        NotAuthorised,
        "^LIP-T-1: the findings and recommendations can only be recorded by the Multi-Agency Learning "
        "Review panel; panel-member does not hold that role$",
    )
    reported = malr_reported()
    refused(
        reported,
        action_plan("Health"),
        HEAD,
        NotAuthorised,
        "^LIP-T-1: circulating the action plan can only be recorded by the Performance and Development "
        "Manager; head-of-safeguarding does not hold that role$",
    )
    run(reported, (110, PDM, action_plan("Health")))
    refused(
        reported,
        RecordActionPlanProgress(agency="Health", progress="p"),
        BOARD,
        NotAuthorised,
        "^LIP-T-1: action plan progress can only be recorded by the Audit and Monitoring Sub-group; "
        "board does not hold that role$",
    )
    run(
        reported,
        (120, AUDIT, RecordActionPlanProgress(agency="Health", progress="p")),
        (130, AUDIT, ReportToQaSubgroup(summary="s")),
    )
    refused(
        reported,
        ReportToBoard(summary="s"),
        AUDIT,
        NotAuthorised,
        "^LIP-T-1: the report to the Board can only be recorded by the QA Sub-group; "
        "audit-chair does not hold that role$",
    )


def test_an_agency_answers_only_through_a_contact_named_for_it() -> None:
    review = run(malr_concluded(), (16, HEAD, RequestAgencyChecks(agencies=("Health", "Police"))))
    answer = AnswerAgencyCheck(agency="Health", involvement=Involvement.INVOLVED)
    refused(
        review,
        answer,
        AGENCY,
        RuleViolation,
        r"^LIP-T-1: answering the agency check for Health needs a contact named for Health first "
        r"\(an agency answers for itself: only a contact the review named for that agency\)$",
    )
    run(review, (16, HEAD, contact("Health")), (16, HEAD, contact("Police", acting("police-contact"))))
    refused(
        review,
        AnswerAgencyCheck(agency="Police", involvement=Involvement.NOT_INVOLVED),
        AGENCY,
        RuleViolation,
        r"^LIP-T-1: answering the agency check for Police is only for a contact named for Police; "
        r"agency-contact is not one \(an agency answers for itself: only a contact the review named for that agency\)$",
    )
    run(review, (20, AGENCY, answer))
    refused(
        review,
        chronology("Health"),
        acting("police-contact", Role.AGENCY_CONTACT),
        RuleViolation,
        r"^LIP-T-1: submitting a chronology for Health is only for a contact named for Health; police-contact",
    )


def test_a_contact_is_named_only_for_an_agency_asked_and_once() -> None:
    review = malr_checks_requested()
    refused(
        review,
        contact("Probation"),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: Probation has not been asked for anything in this case \(seed 003",
    )
    refused(
        review,
        contact("Health"),
        HEAD,
        InvalidInput,
        "^actor_id: agency-contact is already a contact for Health$",
    )


def test_meetings_and_the_report_are_recorded_only_by_the_cases_team() -> None:
    review = malr_combined()
    meeting = HoldReviewMeeting(number=1, held_on=on(60), agencies_attending=("Health",))
    refused(
        review,
        meeting,
        MALR_PANEL,
        RuleViolation,
        r"^LIP-T-1: recording a review meeting is for the people appointed to this case's team; "
        r"malr-panel is not on it \(seed 003",
    )
    run(review, (50, HEAD, on_team(MALR_PANEL, PanelTeamRole.CHAIR, 50)), (60, MALR_PANEL, meeting))
    run(review, (60, MALR_PANEL, AgreeFindings(findings=("f",), recommendations=("r",))))
    run(review, (61, HEAD, ReleaseTeamMember(actor_id=HEAD.actor, released_on=on(61))))
    refused(
        review,
        CompleteReport(form=ReportForm.REPORT, document="d"),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: completing the report is for the people appointed to this case's team; "
        r"head-of-safeguarding is not on it",
    )


def test_steps_recorded_under_the_earlier_authority_still_read() -> None:
    # Terms of reference agreed by the Service Director, and monitoring recorded by the Board, as
    # they were recorded before seed 003's bodies had roles of their own.
    review = scr_with_tor()
    events = review.collect_events()
    old = [
        msgspec.structs.replace(e, role=Role.SERVICE_DIRECTOR)
        if type(e).__name__.startswith("ScrTerms")
        else e
        for e in events
    ]
    replayed = PanelReview.replay("LIP-T-1", old)
    assert replayed.state == review.state


# -- the steps seed 003 names that the route now records ------------------------------------------

RULE_REPORTS = r"\(seed 003, Referrals: the Head of Safeguarding requests that agency reports are prepared\)$"
RULE_METHOD = (
    r"\(seed 003, Referrals: the methodology chosen by the Learning and Improvement Panel and endorsed by"
    r" the Independent Chair\)$"
)
RULE_PAPERS_TEXT = (
    r"\(seed 003, Process for MALR: the dates, chronology template and terms of reference are circulated"
    r" to give time for preparation\)$"
)


def test_the_recommendation_waits_for_the_request_for_agency_reports() -> None:
    refused(
        decided(PanelDecision.SCR_CRITERIA_MET),
        RecommendOnScr(scr_required=True, reasons="Criteria met"),
        DIRECTOR,
        RuleViolation,
        r"^LIP-T-1: the Head of Safeguarding requests agency reports before the recommendation "
        + RULE_REPORTS,
    )
    refused(
        scr_recommended(),
        agency_reports(16),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: agency reports are requested before the recommendation on an SCR " + RULE_REPORTS,
    )
    refused(
        decided(PanelDecision.SCR_CRITERIA_MET),
        agency_reports(),
        DIRECTOR,
        NotAuthorised,
        "^LIP-T-1: requesting agency reports can only be recorded by the Head of Safeguarding; "
        "service-director does not hold that role$",
    )


def test_an_agency_report_comes_once_from_the_agencys_contact_by_its_clock() -> None:
    review = run(decided(PanelDecision.SCR_CRITERIA_MET), (14, HEAD, agency_reports()))
    report = SubmitAgencyReport(agency="Police", document="Police report", submitted_on=on(40))
    refused(
        review,
        SubmitAgencyReport(agency="Education", document="d", submitted_on=on(20)),
        AGENCY,
        RuleViolation,
        r"^LIP-T-1: Education was not asked for an agency report " + RULE_REPORTS,
    )
    refused(
        review,
        report,
        AGENCY,
        RuleViolation,
        r"^LIP-T-1: submitting an agency report for Police needs a contact named for Police first",
    )
    run(review, (14, HEAD, contact("Police", day=14)), (40, AGENCY, report))
    refused(
        review,
        report,
        AGENCY,
        RuleViolation,
        r"^LIP-T-1: Police's agency report is already in " + RULE_REPORTS,
    )
    clocks = {t.name: t for t in review.timescales()}
    police = clocks["agency report from Police by the date the Head of Safeguarding set"]
    health = clocks["agency report from Health by the date the Head of Safeguarding set"]
    assert (police.due, police.completed, police.status()) == (on(35), on(40), "missed")
    assert (health.due, health.completed) == (on(35), None)


def test_the_terms_of_reference_follow_a_methodology_chosen_and_endorsed() -> None:
    review = run(
        informed(hold=True),
        (
            25,
            CHAIR,
            CommissionIndependentReview(
                reviewer_subject="S-T-REVIEWER", reviewer_name="Ian Lowe", lead=ReviewerLead.AUTHOR
            ),
        ),
        (26, CHAIR, AgreeScrPanel(agencies=("Police",))),
    )
    tor = AgreeScrTermsOfReference(
        methodology="m", scope=("s",), period_from=PERIOD_FROM, period_to=PERIOD_TO, report_due=on(200)
    )
    message = (
        r"^LIP-T-1: the terms of reference follow a methodology chosen by the Learning and Improvement Panel "
        r"and endorsed by the Independent Chair "
    )
    refused(review, tor, SCR_PANEL, RuleViolation, message + RULE_METHOD)
    refused(
        review,
        endorsed(),
        CHAIR,
        RuleViolation,
        r"^LIP-T-1: there is no methodology awaiting the Independent Chair's endorsement " + RULE_METHOD,
    )
    refused(
        review,
        methodology(),
        CHAIR,
        NotAuthorised,
        "^LIP-T-1: choosing the review's methodology can only be recorded by the Learning and Improvement "
        "Panel; independent-chair does not hold that role$",
    )
    run(review, (27, PANEL, methodology(in_another_form=True)))
    assert review.state.in_another_form
    refused(
        review,
        methodology(),
        PANEL,
        RuleViolation,
        r"^LIP-T-1: a methodology is already chosen: the Independent Chair endorses it, or not, first "
        + RULE_METHOD,
    )
    refused(
        review,
        endorsed(),
        PANEL,
        NotAuthorised,
        "^LIP-T-1: endorsing the review's methodology can only be recorded by the Board's Independent Chair; "
        "panel-member does not hold that role$",
    )
    # Not endorsed: the Panel chooses again, and the Independent Chair endorses the new choice.
    run(review, (28, CHAIR, endorsed(endorse=False)))
    refused(review, tor, SCR_PANEL, RuleViolation, message + RULE_METHOD)
    assert review.obligations()[0].what == "choose the review's methodology"
    run(review, (29, PANEL, methodology(29)), (30, CHAIR, endorsed(30)), (31, SCR_PANEL, tor))
    assert review.state.scr_tor_agreed_on == on(31)


def test_the_scr_panel_meets_and_interviews_on_its_terms_of_reference_before_the_report() -> None:
    review = scr_with_tor()
    refused(
        review,
        scr_meeting(),
        SCR_PANEL,
        RuleViolation,
        r"^LIP-T-1: recording an SCR Panel meeting is for the people appointed to this case's team; scr-panel",
    )
    refused(
        review,
        CompleteReport(form=ReportForm.REPORT, document="d"),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: the SCR Panel has not met yet \(seed 003, flow chart: timescales agreed by the SCR Panel\)$",
    )
    review = scr_reported()
    refused(review, scr_meeting(181), SCR_PANEL, RuleViolation, r"^LIP-T-1: the report is already completed ")
    refused(
        scr_recommended(),
        scr_meeting(),
        SCR_PANEL,
        RuleViolation,
        r"^LIP-T-1: no SCR is being held for this case",
    )


def test_an_malr_meets_once_its_papers_are_circulated_by_the_cases_team() -> None:
    review = run(
        malr_concluded(),
        (16, HEAD, RequestAgencyChecks(agencies=("Health",))),
        (16, HEAD, contact("Health")),
        (20, AGENCY, AnswerAgencyCheck(agency="Health", involvement=Involvement.INVOLVED)),
        (30, AGENCY, chronology("Health")),
        (40, HEAD, CombineChronologies(document="combined chronology")),
    )
    refused(
        review,
        HoldReviewMeeting(number=1, held_on=on(60), agencies_attending=("Health",)),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: the dates, chronology template and terms of reference are circulated before the review meets "
        + RULE_PAPERS_TEXT,
    )
    refused(
        review,
        papers(("Police",), 41),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: not asked for an agency check: Police " + RULE_PAPERS_TEXT,
    )
    run(review, (41, HEAD, ReleaseTeamMember(actor_id=HEAD.actor, released_on=on(41))))
    refused(
        review,
        papers(("Health",), 41),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: circulating the review's papers is for the people appointed to this case's team; "
        r"head-of-safeguarding is not on it",
    )
    run(
        review,
        (41, HEAD, on_team(HEAD, PanelTeamRole.ADMINISTRATOR, 41)),
        (41, HEAD, papers(("Health",), 41)),
    )
    refused(
        review,
        papers(("Health",), 42),
        HEAD,
        RuleViolation,
        r"^LIP-T-1: the review's papers are already circulated ",
    )
    (clock,) = [t for t in review.timescales() if t.rule.endswith("to give time for preparation")]
    assert (clock.due, clock.completed, clock.status()) == (on(60), on(41), "met")


def test_only_an_involved_agency_nominates_its_representative_once() -> None:
    review = malr_combined()
    refused(
        review,
        representative("Police"),
        AGENCY,
        RuleViolation,
        r"^LIP-T-1: a contributing agency nominates a representative; Police has not stated involvement "
        r"\(seed 003, flow chart: contributing agencies asked to nominate a representative\)$",
    )
    refused(
        review,
        representative("Health"),
        AGENCY,
        RuleViolation,
        r"^LIP-T-1: Health has already nominated its representative ",
    )
    refused(
        review,
        representative("Health"),
        acting("someone-else", Role.AGENCY_CONTACT),
        RuleViolation,
        r"^LIP-T-1: nominating a representative for Health is only for a contact named for Health",
    )
    clocks = [t for t in review.timescales() if "nominates its representative" in t.name]
    assert [(t.name, t.completed) for t in clocks] == [
        ("Health nominates its representative before the 1st meeting", on(32)),
        ("Education nominates its representative before the 1st meeting", on(32)),
    ]


def test_the_action_plan_is_a_list_of_owned_actions_monitored_by_the_audit_and_monitoring_sub_group() -> None:
    reported = malr_reported()
    refused(
        reported,
        CirculateActionPlan(document="plan", agencies=("Health",)),
        PDM,
        RuleViolation,
        r"^LIP-T-1: the multi-agency action plan lists its actions, each with its agency, owner and due date ",
    )
    wrong_agency = msgspec.structs.replace(action_plan("Health"), agencies=("Education",))
    refused(
        reported,
        wrong_agency,
        PDM,
        InvalidInput,
        "^actions.agency: Health is not among the agencies the plan goes to$",
    )
    run(reported, (110, PDM, action_plan("Health")))
    refused(
        reported,
        done("A1", 120),
        BOARD,
        NotAuthorised,
        "^LIP-T-1: an action's progress can only be recorded by the Audit and Monitoring Sub-group; "
        "board does not hold that role$",
    )
    refused(
        reported,
        SignOffAction(action_id="A1", signed_off_on=on(121)),
        AUDIT,
        RuleViolation,
        r"^LIP-T-1: action A1 is signed off only once it is recorded as complete ",
    )
    refused(
        reported, done("A9", 120), AUDIT, RuleViolation, r"^LIP-T-1: the agreed actions include no action A9 "
    )
    run(reported, (120, AUDIT, done("A1", 120)))
    refused(reported, done("A1", 121), AUDIT, RuleViolation, r"^LIP-T-1: action A1 is already complete ")
    run(reported, (121, AUDIT, SignOffAction(action_id="A1", signed_off_on=on(121))))
    (clock,) = [t for t in reported.timescales() if t.name.startswith("action A1")]
    assert (clock.due, clock.completed, clock.status()) == (on(170), on(120), "met")


def test_an_action_plan_circulated_as_a_document_still_reads() -> None:
    review = malr_reported()
    review.apply(
        ActionPlanCirculated(
            document="plan", agencies=("Health",), role=Role.HEAD_OF_SAFEGUARDING, at=at_nine(110)
        )
    )
    assert review.state.action_plan_circulated_on == on(110)
    assert review.plan.open_actions() == []
    run(review, (120, AUDIT, RecordActionPlanProgress(agency="Health", progress="On track")))
    assert review.state.progress_updates == {"Health": on(120)}
