"""What a Learning and Improvement Panel case knows, and how each event changes it.

This part of the record only applies events (CONVENTIONS.md 5): no rule is checked here. It
also answers what an officer asks of a case: its route (`branch`), whether an SCR is held or
under scrutiny, and its status. What is still owed, its stage and the timescales are in
`domain.routes.panel.duties`; the commands and their rules in `domain.routes.panel.review` and
the modules it names.

State never depends on a `Personal` value, so a record replays to the same state after its
personal data has been disposed of.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import msgspec

from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.event import DomainEvent
from domain.routes.panel.commands import (
    Involvement,
    PanelTeamRole,
    ReportForm,
    ReviewMethodology,
    ScrutinyOutcome,
)
from domain.routes.panel.events import (
    ActionCarriedOver,
    ActionPlanCirculated,
    ActionPlanCirculatedV2,
    ActionPlanProgressRecorded,
    ActionPlanProgressRecordedV2,
    ActionSignedOff,
    ActionUpdateRecorded,
    AgencyCheckAnswered,
    AgencyChecksRequested,
    AgencyContactNamed,
    AgencyReportsRequested,
    AgencyReportSubmitted,
    AgencyRepresentativeNominated,
    CaseClosed,
    CaseClosedV2,
    CaseReferred,
    ChronologiesCombined,
    ChronologySubmitted,
    DisseminationActivityRecorded,
    DisseminationFeedbackRecorded,
    FamilyInvited,
    FindingsAgreed,
    FindingsAgreedV2,
    IndependentReviewCommissioned,
    LearningThemesTagged,
    OfstedAndNationalPanelInformed,
    PanelConclusionRecorded,
    PanelConclusionRecordedV2,
    PublicationDecided,
    PublicationDecidedV2,
    ReferralCirculated,
    ReportCompleted,
    ReportedToBoard,
    ReportedToBoardV2,
    ReportedToQaSubgroup,
    ReportedToQaSubgroupV2,
    ReportSignedOff,
    ReviewDecided,
    ReviewDecidedV2,
    ReviewMeetingHeld,
    ReviewMethodologyChosen,
    ReviewMethodologyEndorsed,
    ReviewPapersCirculated,
    ScrConsiderationPanelCalled,
    ScrConsiderationPanelCalledV2,
    ScrDecided,
    ScrDecidedV2,
    ScrInterviewRecorded,
    ScrPanelAgreed,
    ScrPanelMeetingHeld,
    ScrRecommended,
    ScrRecommendedV2,
    ScrTermsOfReferenceAgreed,
    ScrTermsOfReferenceAgreedV2,
    ScrutinyConcluded,
    ScrutinyConcludedV2,
    TeamMemberAppointed,
    TeamMemberReleased,
)
from domain.routes.panel.forms import PanelDecision
from domain.routes.shared.actions import PlanSteps
from domain.routes.shared.agency_contacts import with_contact
from domain.routes.shared.dissemination import Disseminating, LearningEvents

RULE_ACTIONS = (
    "seed 003, flow chart: multi-agency action plans circulated; the Audit and Monitoring Sub-group"
    " monitors them"
)


class AgencyReport(msgspec.Struct, kw_only=True):
    requested_on: date
    due_on: date
    submitted_on: date | None = None


class AgencyCheck(msgspec.Struct, kw_only=True):
    asked_on: date
    involvement: Involvement | None = None
    answered_on: date | None = None
    chronology: str | None = None  # document reference, once submitted


class PanelCaseState(msgspec.Struct, kw_only=True):
    """Everything a projection needs about the case, without its personal data."""

    referred_on: date | None = None
    referring_agency: str | None = None
    child_subject: str | None = None
    panel_meeting_on: date | None = None
    scr_consideration_panel: bool = False
    decision: PanelDecision | None = None
    decided_on: date | None = None
    # MALR: the Panel's conclusion
    concluded_on: date | None = None
    period_from: date | None = None
    period_to: date | None = None
    chronologies_from: date | None = None
    chronologies_to: date | None = None
    first_meeting_on: date | None = None
    second_meeting_on: date | None = None
    report_due: date | None = None
    # SCR
    scr_recommended: bool | None = None
    hold_scr: bool | None = None  # the Independent Chair's decision
    scr_decided_on: date | None = None
    national_panel_informed_on: date | None = None
    ofsted_informed_on: date | None = None
    scrutiny: ScrutinyOutcome | None = None
    reviewer_commissioned_on: date | None = None
    scr_panel_agencies: tuple[str, ...] = ()
    scr_tor_agreed_on: date | None = None
    scr_report_due: date | None = None
    families_invited: tuple[str, ...] = ()
    agency_reports: dict[str, AgencyReport] = msgspec.field(default_factory=dict)
    methodology: ReviewMethodology | None = None
    in_another_form: bool = False
    methodology_endorsed: bool | None = None  # None: chosen, awaiting the Independent Chair
    scr_panel_meetings: tuple[date, ...] = ()
    scr_interviews: int = 0
    papers_circulated_on: date | None = None
    representatives: dict[str, date] = msgspec.field(default_factory=dict)  # agency -> day nominated
    # MALR
    agencies: dict[str, AgencyCheck] = msgspec.field(default_factory=dict)
    checks_completed_on: date | None = None
    chronologies_combined_on: date | None = None
    meetings_held: tuple[date, ...] = ()
    findings_agreed_on: date | None = None
    action_plan_agencies: tuple[str, ...] = ()
    action_plan_circulated_on: date | None = None
    progress_updates: dict[str, date] = msgspec.field(default_factory=dict)  # latest per agency
    reported_to_qa_on: date | None = None
    reported_to_board_on: date | None = None
    # both routes
    report_form: ReportForm | None = None
    report_on: date | None = None
    signed_off_on: date | None = None
    publish: bool | None = None
    closed_on: date | None = None


class Stage(StrEnum):
    NOT_REFERRED = "no referral yet"
    REFERRED = "referral received"
    AWAITING_PANEL = "awaiting the Learning and Improvement Panel"
    AWAITING_SCR_PANEL = "awaiting the SCR Consideration Panel"
    NO_FURTHER_REVIEW = "no further review"
    SCR_RECOMMENDATION = "SCR: awaiting the Service Director's recommendation"
    SCR_DECISION = "SCR: awaiting the Independent Chair's decision"
    SCR_INFORMING = "SCR: Ofsted and the National Panel to be informed"
    SCR_SCRUTINY = "SCR: decision not to hold under National Panel scrutiny"
    SCR_NOT_HELD = "SCR: not held, upheld by the National Panel"
    SCR_SETTING_UP = "SCR: commissioning the review"
    SCR_UNDER_REVIEW = "SCR: review under way"
    SCR_REPORTED = "SCR: report awaiting sign-off"
    SCR_PUBLICATION = "SCR: publication to be considered"
    SCR_DONE = "SCR: publication decided"
    MALR_SETTING_UP = "MALR: awaiting the Panel's conclusion"
    MALR_AGENCY_CHECKS = "MALR: agency checks and chronologies"
    MALR_MEETINGS = "MALR: review meetings"
    MALR_REPORTING = "MALR: report or case summary"
    MALR_ACTION_PLAN = "MALR: action plan"
    MALR_MONITORING = "MALR: action plan monitored"
    MALR_REPORTED = "MALR: reported to the Board"
    CLOSED = "closed"


class Status(StrEnum):
    NOT_REFERRED = "not referred"
    OPEN = "open"
    UNDER_SCRUTINY = "awaiting National Panel scrutiny"
    CLOSED = "closed"


class PanelCaseRecord(Disseminating, PlanSteps):
    """What a Panel case knows: its state, its team, its agencies' contacts, its action plan and learning."""

    actions_rule = RULE_ACTIONS
    signed_off_event = ActionSignedOff
    carried_over_event = ActionCarriedOver
    learning_events = LearningEvents(
        DisseminationActivityRecorded, DisseminationFeedbackRecorded, LearningThemesTagged
    )
    dissemination_rule = RULE_ACTIONS

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.state = PanelCaseState()
        self.team: dict[str, PanelTeamRole] = {}  # actor id -> part, while on the team
        self.contacts: dict[str, frozenset[str]] = {}  # agency -> actor ids answering for it

    # -- derived views ------------------------------------------------------------

    @property
    def branch(self) -> str | None:
        """ "scr" or "malr" once the Panel has chosen a route; otherwise None."""
        return {PanelDecision.SCR_CRITERIA_MET: "scr", PanelDecision.MALR: "malr"}.get(
            self.state.decision or PanelDecision.NO_FURTHER_REVIEW
        )

    @property
    def closed(self) -> bool:
        return self.state.closed_on is not None

    @property
    def under_scrutiny(self) -> bool:
        """A decision not to hold an SCR, told to the National Panel, not yet scrutinised."""
        s = self.state
        return s.hold_scr is False and s.national_panel_informed_on is not None and s.scrutiny is None

    @property
    def scr_held(self) -> bool:
        """An SCR is to be held: decided by the Independent Chair, or overturned into one."""
        return self.state.hold_scr is True or self.state.scrutiny is ScrutinyOutcome.OVERTURNED

    @property
    def agency_checks_complete(self) -> bool:
        agencies = self.state.agencies
        return bool(agencies) and all(a.involvement is not None for a in agencies.values())

    @property
    def status(self) -> Status:
        if self.version == 0:
            return Status.NOT_REFERRED
        if self.closed:
            return Status.CLOSED
        return Status.UNDER_SCRUTINY if self.under_scrutiny else Status.OPEN

    # -- state changes ----------------------------------------------------------------

    def when(self, event: DomainEvent) -> None:
        s = self.state
        day = getattr(event, "at", None)
        on = day.date() if isinstance(day, datetime) else None
        match event:
            case CaseReferred(form=form):
                s.referred_on = form.referral.referred_on
                s.referring_agency = form.referral.agency
                s.child_subject = form.child_subject
            case ReferralCirculated():
                s.panel_meeting_on = event.meeting_on
                s.scr_consideration_panel = event.scr_likely
            case ScrConsiderationPanelCalled() | ScrConsiderationPanelCalledV2():
                s.panel_meeting_on = event.meeting_on
                s.scr_consideration_panel = True
            case ReviewDecided() | ReviewDecidedV2():
                s.decision = event.decision
                s.decided_on = event.meeting_on
            case PanelConclusionRecorded(conclusion=c) | PanelConclusionRecordedV2(conclusion=c):
                s.concluded_on = c.concluded_on
                s.period_from, s.period_to = c.period_from, c.period_to
                s.chronologies_from, s.chronologies_to = c.chronologies_from, c.chronologies_to
                s.first_meeting_on, s.second_meeting_on = c.first_meeting_on, c.second_meeting_on
                s.report_due = c.report_due
            case ScrRecommended() | ScrRecommendedV2():
                s.scr_recommended = event.scr_required
            case ScrDecided() | ScrDecidedV2():
                s.hold_scr = event.hold_scr
                s.scr_decided_on = on
            case OfstedAndNationalPanelInformed():
                s.ofsted_informed_on = event.ofsted_informed_on
                s.national_panel_informed_on = event.national_panel_informed_on
            case ScrutinyConcluded() | ScrutinyConcludedV2():
                s.scrutiny = event.outcome
            case IndependentReviewCommissioned():
                s.reviewer_commissioned_on = on
            case ScrPanelAgreed():
                s.scr_panel_agencies = event.agencies
            case ScrTermsOfReferenceAgreed() | ScrTermsOfReferenceAgreedV2():
                s.scr_tor_agreed_on = on
                s.scr_report_due = event.report_due
            case FamilyInvited():
                s.families_invited += event.family_members
            case AgencyChecksRequested():
                assert on is not None
                for agency in event.agencies:
                    s.agencies[agency] = AgencyCheck(asked_on=on)
                s.checks_completed_on = None
            case AgencyCheckAnswered():
                s.agencies[event.agency].involvement = event.involvement
                s.agencies[event.agency].answered_on = on
                if self.agency_checks_complete:
                    s.checks_completed_on = on
            case ChronologySubmitted():
                s.agencies[event.agency].chronology = event.document
            case ChronologiesCombined():
                s.chronologies_combined_on = on
            case ReviewMeetingHeld():
                s.meetings_held += (event.held_on,)
            case FindingsAgreed() | FindingsAgreedV2():
                s.findings_agreed_on = on
            case ReportCompleted():
                s.report_form = event.form
                s.report_on = on
            case ReportSignedOff():
                s.signed_off_on = on
            case PublicationDecided() | PublicationDecidedV2():
                s.publish = event.publish
            case ActionPlanCirculated():
                s.action_plan_agencies = event.agencies
                s.action_plan_circulated_on = on
            case ActionPlanCirculatedV2():
                s.action_plan_agencies = event.agencies
                s.action_plan_circulated_on = on
                self.plan.agreed(
                    ((a.action_id, a.agency, a.due_on) for a in event.actions), event.circulated_on
                )
                for a in event.actions:
                    self.plan.owned(a.action_id, a.owner_subject, a.due_on)
            case ActionUpdateRecorded():
                assert on is not None
                s.progress_updates[event.agency] = on
                self.plan.progressed(event.action_id, event.status, event.recorded_on, event.evidence)
            case ActionSignedOff() | ActionCarriedOver():
                self._planned(event)
            case DisseminationActivityRecorded() | DisseminationFeedbackRecorded() | LearningThemesTagged():
                self._learned(event)
            case ActionPlanProgressRecorded() | ActionPlanProgressRecordedV2():
                assert on is not None
                s.progress_updates[event.agency] = on
            case ReportedToQaSubgroup() | ReportedToQaSubgroupV2():
                s.reported_to_qa_on = on
            case ReportedToBoard() | ReportedToBoardV2():
                s.reported_to_board_on = on
            case CaseClosed() | CaseClosedV2():
                s.closed_on = on
            case TeamMemberAppointed():
                self.team[event.actor_id] = event.team_role
            case TeamMemberReleased():
                self.team.pop(event.actor_id, None)
            case AgencyReportsRequested():
                for agency in event.agencies:
                    s.agency_reports[agency] = AgencyReport(
                        requested_on=event.requested_on, due_on=event.due_on
                    )
            case AgencyReportSubmitted():
                s.agency_reports[event.agency].submitted_on = event.submitted_on
            case ReviewMethodologyChosen():
                s.methodology, s.in_another_form = event.methodology, event.in_another_form
                s.methodology_endorsed = None
            case ReviewMethodologyEndorsed():
                s.methodology_endorsed = event.endorsed
            case ScrPanelMeetingHeld():
                s.scr_panel_meetings += (event.held_on,)
            case ScrInterviewRecorded():
                s.scr_interviews += 1
            case ReviewPapersCirculated():
                s.papers_circulated_on = event.circulated_on
            case AgencyRepresentativeNominated():
                s.representatives[event.agency] = event.nominated_on
            case AgencyContactNamed():
                self.contacts = with_contact(self.contacts, event.agency, event.actor_id)
            case PersonalDataDisposed():
                pass  # the sealed values are gone; the case's course is unchanged
            case _:
                raise TypeError(f"a {self.kind} has no event {type(event).__name__}")
