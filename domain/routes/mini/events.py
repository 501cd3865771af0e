"""What happened in a Mini Learning Review, one event per step (seed 000).

Every event says the role its step was taken in and when (`MiniEvent`, or the shapes of
`domain.routes.shared`); its stable name starts `mini.` and never changes (CONVENTIONS.md 4).
"""

from __future__ import annotations

from datetime import date, datetime

from domain.kernel.event import DomainEvent, Personal
from domain.kernel.roles import Role
from domain.routes.mini.commands import (
    DisseminationActivity,
    MeetingKind,
    PlannedAction,
    Presenter,
    StaffConcern,
    TeamMember,
)
from domain.routes.mini.forms import InformationForm, MiniCriterion, RequestForm
from domain.routes.shared import actions, dissemination


class MiniEvent(DomainEvent, frozen=True, kw_only=True):
    """Every step of a Mini Learning Review records the role it was taken in, and when."""

    role: Role
    at: datetime


class MiniReviewRequested(MiniEvent, frozen=True, kw_only=True, tag="mini.review-requested"):
    received_on: date
    initiator_service: str
    services: tuple[str, ...]
    criteria: tuple[MiniCriterion, ...]
    full_criteria_not_met: bool
    concern: Personal
    subjects: tuple[str, ...]


class ServicesAgreementRecorded(MiniEvent, frozen=True, kw_only=True, tag="mini.services-agreement-recorded"):
    discussed_on: date
    agreeing: tuple[str, ...]
    not_agreeing: tuple[str, ...]
    basis: Personal


class DisagreementTabled(MiniEvent, frozen=True, kw_only=True, tag="mini.disagreement-tabled"):
    tabled_on: date
    service: str
    presenting_information: Personal


class DisagreementResolved(MiniEvent, frozen=True, kw_only=True, tag="mini.disagreement-resolved"):
    decided_on: date
    review_needed: bool
    reasons: Personal


class RequestFormSubmitted(MiniEvent, frozen=True, kw_only=True, tag="mini.request-form-submitted"):
    submitted_on: date
    form: RequestForm


class RequestTabled(MiniEvent, frozen=True, kw_only=True, tag="mini.request-tabled"):
    meeting_on: date


class ReviewToBeUndertakenRecorded(
    MiniEvent, frozen=True, kw_only=True, tag="mini.review-to-be-undertaken-recorded"
):
    decided_on: date
    presentation_due_on: date


class ReviewScopeSet(MiniEvent, frozen=True, kw_only=True, tag="mini.review-scope-set"):
    set_on: date
    questions: tuple[Personal, ...]
    scope: Personal


class ReviewTeamAppointed(MiniEvent, frozen=True, kw_only=True, tag="mini.review-team-appointed"):
    appointed_on: date
    members: tuple[TeamMember, ...]


class ReviewTeamChanged(MiniEvent, frozen=True, kw_only=True, tag="mini.review-team-changed"):
    changed_on: date
    joining: tuple[TeamMember, ...]
    leaving: tuple[str, ...]
    reason: Personal


class InformationRequested(MiniEvent, frozen=True, kw_only=True, tag="mini.information-requested"):
    requested_on: date
    services: tuple[str, ...]


class InformationFormReturned(MiniEvent, frozen=True, kw_only=True, tag="mini.information-form-returned"):
    service: str
    requested_on: date
    returned_on: date
    form: InformationForm


class ReviewMeetingHeld(MiniEvent, frozen=True, kw_only=True, tag="mini.review-meeting-held"):
    held_on: date
    kind: MeetingKind
    attendees: tuple[str, ...]
    minutes: Personal


class ReviewReportCompiled(MiniEvent, frozen=True, kw_only=True, tag="mini.review-report-compiled"):
    version: int
    compiled_on: date
    findings: tuple[Personal, ...]
    actions: tuple[PlannedAction, ...]


class ServiceContactNamed(MiniEvent, frozen=True, kw_only=True, tag="mini.service-contact-named"):
    service: str
    actor_id: str
    named_on: date


class FullCriteriaConcluded(MiniEvent, frozen=True, kw_only=True, tag="mini.full-criteria-concluded"):
    """The Lead Officer's conclusion on the full Learning Review criteria, for one version of the report."""

    version: int
    concluded_on: date
    reached_full_criteria: bool
    reasons: Personal


class SignedOffByPartnership(MiniEvent, frozen=True, kw_only=True, tag="mini.signed-off-by-partnership"):
    """The Delivery Group's sign-off at Partnership level, agreeing the Lead Officer's conclusion."""

    version: int
    signed_off_on: date
    reached_full_criteria: bool  # the conclusion agreed
    comments: Personal | None


class ReviewReportPresented(MiniEvent, frozen=True, kw_only=True, tag="mini.review-report-presented"):
    version: int
    presented_on: date


class SignedOffAtPartnershipLevel(
    MiniEvent, frozen=True, kw_only=True, tag="mini.signed-off-at-partnership-level"
):
    """A sign-off recorded with its own conclusion on the full criteria (still read; now two steps)."""

    version: int
    signed_off_on: date
    reached_full_criteria: bool
    reasons: Personal


class FindingsAndActionsReceived(
    MiniEvent, frozen=True, kw_only=True, tag="mini.findings-and-actions-received"
):
    received_on: date
    presented_by: Presenter
    comments: Personal | None


class FeedbackGivenToCog(MiniEvent, frozen=True, kw_only=True, tag="mini.feedback-given-to-cog"):
    given_on: date
    presented_by: Presenter
    response: Personal | None


class ActionProgressRecorded(
    actions.ActionProgressRecordedShape, frozen=True, kw_only=True, tag="mini.action-progress-recorded"
):
    pass


class ActionOwnerAssigned(
    actions.ActionOwnerAssignedShape, frozen=True, kw_only=True, tag="mini.action-owner-assigned"
):
    pass


class ActionSignedOff(actions.ActionSignedOffShape, frozen=True, kw_only=True, tag="mini.action-signed-off"):
    pass


class ActionExceptionReported(
    actions.ActionExceptionReportedShape, frozen=True, kw_only=True, tag="mini.action-exception-reported"
):
    """Overdue actions reported to the COG by exception."""


class ActionCarriedOver(
    actions.ActionCarriedOverShape, frozen=True, kw_only=True, tag="mini.action-carried-over"
):
    pass


class LearningDisseminated(MiniEvent, frozen=True, kw_only=True, tag="mini.learning-disseminated"):
    activity: DisseminationActivity
    held_on: date
    audience: str
    summary: Personal


class DisseminationActivityRecorded(
    dissemination.DisseminationActivityShape,
    frozen=True,
    kw_only=True,
    tag="mini.dissemination-activity-recorded",
):
    """A 7-minute briefing, training, a briefing or an Improvement Plan entry, with its audience and date."""


class DisseminationFeedbackRecorded(
    dissemination.DisseminationFeedbackShape,
    frozen=True,
    kw_only=True,
    tag="mini.dissemination-feedback-recorded",
):
    """Feedback on one dissemination activity, by its number."""


class LearningThemesTagged(
    dissemination.LearningThemesShape, frozen=True, kw_only=True, tag="mini.learning-themes-tagged"
):
    """Themes of the review's learning, so the committee can list reviews by theme."""


class StaffConcernReferred(MiniEvent, frozen=True, kw_only=True, tag="mini.staff-concern-referred"):
    referral: str
    referred_on: date
    service: str
    concern: StaffConcern
    practitioners: tuple[str, ...]
    procedure: str
    summary: Personal


class StaffConcernAcknowledged(MiniEvent, frozen=True, kw_only=True, tag="mini.staff-concern-acknowledged"):
    referral: str
    acknowledged_on: date


class EscalatedToFullReview(MiniEvent, frozen=True, kw_only=True, tag="mini.escalated-to-full-review"):
    """Links this review to the notification for a full Learning Review (its `escalated_from` is this one)."""

    national_reference: str
    escalated_on: date
    reasons: Personal


class MiniReviewClosed(MiniEvent, frozen=True, kw_only=True, tag="mini.review-closed"):
    closed_on: date
    summary: Personal
