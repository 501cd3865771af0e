"""The state of a Mini Learning Review: what each event changes, and the checks its steps share.

No rules run here for an event: the event already happened (CONVENTIONS.md 5). The frame both the
Mini and single-agency routes share (stage, action plan, dissemination, escalation) is
`domain.routes.shared.review_base.RouteReview`.
"""

from __future__ import annotations

from datetime import date

from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting
from domain.routes.mini import events as route_event_types
from domain.routes.mini.commands import DisseminationActivity, TeamMember
from domain.routes.mini.events import (
    ActionExceptionReported,
    DisagreementResolved,
    DisagreementTabled,
    EscalatedToFullReview,
    FeedbackGivenToCog,
    FindingsAndActionsReceived,
    FullCriteriaConcluded,
    InformationFormReturned,
    InformationRequested,
    LearningDisseminated,
    MiniReviewClosed,
    MiniReviewRequested,
    RequestFormSubmitted,
    RequestTabled,
    ReviewMeetingHeld,
    ReviewReportCompiled,
    ReviewReportPresented,
    ReviewScopeSet,
    ReviewTeamAppointed,
    ReviewTeamChanged,
    ReviewToBeUndertakenRecorded,
    ServiceContactNamed,
    ServicesAgreementRecorded,
    SignedOffAtPartnershipLevel,
    SignedOffByPartnership,
    StaffConcernAcknowledged,
    StaffConcernReferred,
)
from domain.routes.mini.rules import (
    RULE_DISSEMINATION,
    RULE_ESCALATION,
    RULE_REPORTING,
    RULE_STEPS,
    RULE_TEAM,
    STEPS,
    Stage,
)
from domain.routes.shared.actions import ActionStatus
from domain.routes.shared.agency_contacts import with_contact
from domain.routes.shared.review_base import RouteReview, route_events


class MiniReviewRecord(RouteReview[Stage]):
    """A Mini Learning Review's state; the steps are in the modules `domain.routes.mini.review` names."""

    steps = STEPS
    events = route_events(route_event_types)
    first_stage = Stage.NOT_REQUESTED
    closed_stage = Stage.CLOSED
    actions_rule = RULE_STEPS
    no_action = "the signed-off report has no action"
    dissemination_rule = RULE_DISSEMINATION
    escalation_rule = RULE_ESCALATION
    report = "review report"
    report_rule = RULE_REPORTING

    def __init__(self, reference: str) -> None:
        super().__init__(reference, Stage.NOT_REQUESTED)
        self.received_on: date | None = None
        self.services: tuple[str, ...] = ()
        self.form_completed_on: date | None = None
        self.tabled_on: date | None = None
        self.presentation_due_on: date | None = None
        self.team: dict[str, TeamMember] = {}
        self.information_requested: dict[str, date] = {}
        self.information_returned: dict[str, date] = {}
        self.contacts: dict[str, frozenset[str]] = {}  # service -> actor ids answering for it
        self.conclusion: tuple[int, bool] | None = None  # the Lead Officer's: (version, reached)
        self.staff_concerns: dict[str, tuple[str, date | None]] = {}  # referral -> (service, taken up on)
        self.meetings_held = 0
        self.reached_full_criteria: bool | None = None
        self.qa_received_on: date | None = None
        self.cog_feedback_on: date | None = None
        self.disseminated: set[DisseminationActivity] = set()

    # -- state changes: no rules here, the event already happened ---------------------------------

    def when(self, event: DomainEvent) -> None:
        match event:
            case MiniReviewRequested():
                self._stage = Stage.REQUESTED
                self.received_on = event.received_on
                self.services = event.services
                self.family = event.subjects
            case ServicesAgreementRecorded():
                self._stage = Stage.SERVICES_DISAGREE if event.not_agreeing else Stage.AGREED
            case DisagreementTabled():
                self._stage = Stage.DISAGREEMENT_TABLED
            case DisagreementResolved():
                self._stage = Stage.AGREED if event.review_needed else Stage.NOT_UNDERTAKEN
            case RequestFormSubmitted():
                self._stage = Stage.FORM_SUBMITTED
                self.form_completed_on = event.form.completed_on
                self._add_subjects(event.form.family_subjects(), event.form.practitioner_subjects())
            case RequestTabled():
                self._stage = Stage.TABLED
                self.tabled_on = event.meeting_on
            case ReviewToBeUndertakenRecorded():
                self._stage = Stage.UNDER_WAY
                self.presentation_due_on = event.presentation_due_on
            case ReviewScopeSet():
                pass  # kept for the projection; no rule depends on it
            case ReviewTeamAppointed():
                self.team = {m.subject_id: m for m in event.members}
            case ReviewTeamChanged():
                for subject_id in event.leaving:
                    self.team.pop(subject_id, None)
                self.team.update({m.subject_id: m for m in event.joining})
            case InformationRequested():
                self.information_requested.update(dict.fromkeys(event.services, event.requested_on))
            case InformationFormReturned():
                self.information_returned[event.service] = event.returned_on
                self._add_subjects(event.form.family_subjects(), (event.form.completed_by.subject_id,))
            case ReviewMeetingHeld():
                self.meetings_held += 1
            case ReviewReportCompiled():
                self._stage = Stage.UNDER_WAY  # a new version must be presented again
                self.report_version = event.version
                self.actions = {a.action_id: ActionStatus.NOT_STARTED for a in event.actions}
                self.action_due = {a.action_id: a.due_on for a in event.actions}
                self.plan.agreed(
                    ((a.action_id, a.owner_service, a.due_on) for a in event.actions), event.compiled_on
                )
            case ReviewReportPresented():
                self._stage = Stage.REPORT_PRESENTED
                self.presented_version = event.version
                self.first_presented_on = self.first_presented_on or event.presented_on
            case SignedOffAtPartnershipLevel() | SignedOffByPartnership():
                self._stage = Stage.SIGNED_OFF
                self.reached_full_criteria = event.reached_full_criteria
            case FullCriteriaConcluded():
                self.conclusion = (event.version, event.reached_full_criteria)
            case ServiceContactNamed():
                self.contacts = with_contact(self.contacts, event.service, event.actor_id)
            case FindingsAndActionsReceived():
                self.qa_received_on = event.received_on
            case FeedbackGivenToCog():
                self.cog_feedback_on = event.given_on
            case ActionExceptionReported():
                pass  # kept for the record and the COG; no rule depends on it
            case LearningDisseminated():
                self.disseminated.add(event.activity)
            case StaffConcernReferred():
                self.staff_concerns[event.referral] = (event.service, None)
            case StaffConcernAcknowledged():
                service, _ = self.staff_concerns[event.referral]
                self.staff_concerns[event.referral] = (service, event.acknowledged_on)
            case EscalatedToFullReview():
                self.escalated_to = event.national_reference
            case MiniReviewClosed():
                self._stage = Stage.CLOSED
                self.closed_on = event.closed_on
            case _:
                super().when(event)

    # -- checks the steps share -----------------------------------------------------------------

    def _require_team(self, doing: str) -> None:
        if not self.team:
            self._refuse(f"{doing} needs the Review Team to be appointed first", RULE_TEAM)

    def _require_on_team(self, by: Acting, doing: str) -> None:
        if by.actor not in {m.actor_id for m in self.team.values() if m.actor_id}:
            self._refuse(
                f"{doing} is for the people appointed to the Review Team; {by.actor} is not on it", RULE_TEAM
            )

    def _add_subjects(self, family: tuple[str, ...], practitioners: tuple[str, ...]) -> None:
        self.family = tuple(dict.fromkeys((*self.family, *family)))
        self.practitioners = tuple(dict.fromkeys((*self.practitioners, *practitioners)))
