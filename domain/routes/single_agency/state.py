"""The state of a single-agency Learning Review: what each event changes, and the checks its steps share.

No rules run here for an event: the event already happened (CONVENTIONS.md 5). The frame both the
Mini and single-agency routes share (stage, action plan, dissemination, escalation) is
`domain.routes.shared.review_base.RouteReview`.
"""

from __future__ import annotations

from datetime import date

from domain.kernel.command import Command
from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting, Role
from domain.routes.shared.actions import ActionStatus
from domain.routes.shared.review_base import RouteReview, route_events
from domain.routes.single_agency import events as route_event_types
from domain.routes.single_agency.commands import DisseminationAudience, Participant, Signatory
from domain.routes.single_agency.events import (
    AccuracyCheckRecorded,
    CaseIdentified,
    CriteriaAgreed,
    CriteriaNotMetRecorded,
    DecisionNotToProceedRecorded,
    DecisionToProceedRecorded,
    EscalatedToFullReview,
    LeadReviewerChanged,
    LearningDisseminated,
    OutlineFindingsShared,
    RecommendationProgressReported,
    RecommendationsAgreed,
    RecommendationsAgreedV2,
    ReferralFormCompleted,
    ReferralFormSigned,
    ReportDrafted,
    ReportPresented,
    ReviewMeetingHeld,
    ReviewParticipantsAgreed,
    ReviewRecommended,
    SingleAgencyReviewClosed,
    SupervisionDiscussionRecorded,
    WrittenFeedbackGiven,
)
from domain.routes.single_agency.rules import (
    LEAD_REVIEWER_STEPS,
    RULE_CFCIG,
    RULE_ESCALATION,
    RULE_LEAD_REVIEWER,
    RULE_REFERRAL,
    STEPS,
    Stage,
)


class SingleAgencyReviewRecord(RouteReview[Stage]):
    """A single-agency review's state; the steps are in the modules `domain.routes.single_agency.review` names."""

    steps = STEPS
    events = route_events(route_event_types)
    first_stage = Stage.NOT_IDENTIFIED
    closed_stage = Stage.CLOSED
    actions_rule = RULE_CFCIG
    no_action = "the CFCIG agreed no action"
    dissemination_rule = RULE_CFCIG
    escalation_rule = RULE_ESCALATION
    report = "draft report"
    report_rule = RULE_LEAD_REVIEWER

    def __init__(self, reference: str) -> None:
        super().__init__(reference, Stage.NOT_IDENTIFIED)
        self.identified_on: date | None = None
        self.recommended_to: str | None = None
        self.form_version = 0
        self.signatures: dict[Signatory, str] = {}  # on the latest form version: signatory -> actor
        self.decided_on: date | None = None
        self.proceeding: bool | None = None
        self.lead_reviewer: str | None = None
        self.complete_by: date | None = None
        self.outline_findings_by: date | None = None
        self.further_actions = 0
        self.team_manager: str | None = None  # who reports back when CFCIG does not proceed
        self.reported_back: set[int] = set()
        self.feedback_given_on: date | None = None
        self.participants: dict[str, Participant] = {}
        self.workers_have_protocol = False
        self.outlines_shared = 0
        self.outlines_checked = 0  # how many outlines had been shared when the last accuracy check was made
        self.first_outline_on: date | None = None
        self.disseminated: set[DisseminationAudience] = set()

    # -- state changes: no rules here, the event already happened ---------------------------------

    def when(self, event: DomainEvent) -> None:
        match event:
            case CaseIdentified():
                self._stage = Stage.IDENTIFIED
                self.identified_on = event.identified_on
                self.family = event.subjects
            case SupervisionDiscussionRecorded():
                self._stage = Stage.IN_SUPERVISION
            case ReviewRecommended():
                self._stage = Stage.RECOMMENDED
                self.recommended_to = event.service_manager
            case ReferralFormCompleted():
                self.form_version = event.version
                self.signatures = {}  # a new version needs both signatures again
                self.family = tuple(dict.fromkeys((*self.family, *event.form.family_subjects())))
                self.practitioners = tuple(
                    dict.fromkeys((*self.practitioners, *event.form.practitioner_subjects()))
                )
            case ReferralFormSigned():
                self.signatures[event.signatory] = event.signed_by
            case CriteriaAgreed():
                self._stage = Stage.WITH_CFCIG
            case CriteriaNotMetRecorded():
                self._stage = Stage.CRITERIA_NOT_MET
            case DecisionToProceedRecorded():
                self._stage = Stage.UNDER_REVIEW
                self.proceeding = True
                self.decided_on = event.discussed_on
                self.lead_reviewer = event.lead_reviewer
                self.complete_by = event.complete_by
                self.outline_findings_by = event.outline_findings_by
            case LeadReviewerChanged():
                self.lead_reviewer = event.lead_reviewer
            case DecisionNotToProceedRecorded():
                self._stage = Stage.NOT_PROCEEDING
                self.proceeding = False
                self.decided_on = event.discussed_on
                self.further_actions = len(event.further_actions)
                self.team_manager = event.team_manager
            case WrittenFeedbackGiven():
                self.feedback_given_on = event.sent_on
            case RecommendationProgressReported():
                self.reported_back.add(event.item)
            case ReviewParticipantsAgreed():
                self.participants = {p.subject_id: p for p in event.participants}
                self.workers_have_protocol = event.workers_have_protocol
            case ReviewMeetingHeld():
                pass  # kept for the projection; no rule depends on it
            case OutlineFindingsShared():
                self.outlines_shared += 1
                self.first_outline_on = self.first_outline_on or event.shared_on
            case AccuracyCheckRecorded():
                self.outlines_checked = self.outlines_shared
            case ReportDrafted():
                self._stage = Stage.UNDER_REVIEW  # a new version must be presented again
                self.report_version = event.version
            case ReportPresented():
                self._stage = Stage.REPORT_PRESENTED
                self.presented_version = event.version
                self.first_presented_on = self.first_presented_on or event.presented_on
            case RecommendationsAgreed() | RecommendationsAgreedV2():
                self._stage = Stage.IMPLEMENTING
                self.actions = {a.action_id: ActionStatus.NOT_STARTED for a in event.actions}
                self.action_due = {a.action_id: a.due_on for a in event.actions}
                self.plan.agreed(
                    ((a.action_id, a.owner_team, a.due_on) for a in event.actions), event.agreed_on
                )
            case LearningDisseminated():
                self.disseminated.add(event.audience)
            case EscalatedToFullReview():
                self.escalated_to = event.national_reference
            case SingleAgencyReviewClosed():
                self._stage = Stage.CLOSED
                self.closed_on = event.closed_on
            case _:
                super().when(event)

    # -- checks the steps share -----------------------------------------------------------------

    def _begin(self, command: Command, by: Acting) -> Role:
        """Check who is acting and whether the step is possible now; return the role recorded."""
        role = super()._begin(command, by)
        if type(command) in LEAD_REVIEWER_STEPS and by.actor != self.lead_reviewer:
            # §3(4a): the CFCIG identifies the lead reviewer; §3(5): that lead reviewer conducts the review.
            self._refuse(
                f"{STEPS[type(command)].doing} is for the lead reviewer the CFCIG identified "
                f"({self.lead_reviewer})",
                RULE_LEAD_REVIEWER,
            )
        return role

    def _require_signed_referral(self) -> None:
        if self.form_version == 0:
            self._refuse("the Referral Form has not been completed", RULE_REFERRAL)
        missing = [str(s) for s in Signatory if s not in self.signatures]
        if missing:
            self._refuse(
                f"the Referral Form (version {self.form_version}) is not yet signed by the {' and the '.join(missing)}",
                RULE_REFERRAL,
            )
