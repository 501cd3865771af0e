"""What happened in a single-agency Learning Review, one event per step (seed 004).

Every event says the role its step was taken in and when (`SingleAgencyEvent`, or the shapes of
`domain.routes.shared`); its stable name starts `single.` and never changes (CONVENTIONS.md 4).
"""

from __future__ import annotations

from datetime import date, datetime

from domain.kernel.event import DomainEvent, Personal
from domain.kernel.roles import Role
from domain.routes.shared import actions, dissemination
from domain.routes.single_agency.commands import (
    AgreedAction,
    DisseminationAudience,
    IdentifyingMeeting,
    MeetingKind,
    Participant,
    Signatory,
)
from domain.routes.single_agency.forms import ReferralForm, SingleAgencyCriterion


class SingleAgencyEvent(DomainEvent, frozen=True, kw_only=True):
    """Every step of a single-agency review records the role it was taken in, and when."""

    role: Role
    at: datetime


class CaseIdentified(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.case-identified"):
    identified_on: date
    meeting: IdentifyingMeeting
    team: str
    criteria: tuple[SingleAgencyCriterion, ...]
    concern: Personal
    subjects: tuple[str, ...]


class SupervisionDiscussionRecorded(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.supervision-discussion-recorded"
):
    discussed_on: date
    notes: Personal


class ReviewRecommended(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.review-recommended"):
    recommended_on: date
    service_manager: str
    reasons: Personal


class ReferralFormCompleted(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.referral-form-completed"
):
    version: int
    form: ReferralForm


class ReferralFormSigned(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.referral-form-signed"):
    version: int
    signatory: Signatory
    signed_by: str  # actor id: the two signatures are by two different people
    signed_on: date


class CriteriaAgreed(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.criteria-agreed"):
    agreed_on: date
    comment: Personal | None


class CriteriaNotMetRecorded(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.criteria-not-met-recorded"
):
    decided_on: date
    reasons: Personal
    supervision_notes_on: date


class DecisionToProceedRecorded(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.decision-to-proceed-recorded"
):
    discussed_on: date
    rationale: Personal | None
    key_objectives: tuple[Personal, ...]
    lead_reviewer: str
    parameters: Personal
    complete_by: date
    outline_findings_by: date | None


class LeadReviewerChanged(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.lead-reviewer-changed"):
    released: str  # actor id of the lead reviewer released
    lead_reviewer: str  # actor id of the lead reviewer appointed
    changed_on: date


class DecisionNotToProceedRecorded(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.decision-not-to-proceed-recorded"
):
    discussed_on: date
    rationale: Personal
    further_actions: tuple[Personal, ...]
    team_manager: str | None


class WrittenFeedbackGiven(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.written-feedback-given"):
    sent_on: date
    recipients: tuple[str, ...]
    protocol_enclosed: bool
    summary: Personal


class RecommendationProgressReported(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.recommendation-progress-reported"
):
    reported_on: date
    item: int
    progress: Personal


class ReviewParticipantsAgreed(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.review-participants-agreed"
):
    agreed_on: date
    participants: tuple[Participant, ...]
    workers_have_protocol: bool


class ReviewMeetingHeld(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.review-meeting-held"):
    held_on: date
    kind: MeetingKind
    attendees: tuple[str, ...]
    notes: Personal


class OutlineFindingsShared(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.outline-findings-shared"
):
    shared_on: date
    findings: tuple[Personal, ...]


class AccuracyCheckRecorded(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.accuracy-check-recorded"
):
    checked_on: date
    corrections: Personal | None


class ReportDrafted(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.report-drafted"):
    version: int
    drafted_on: date
    key_issues: tuple[Personal, ...]
    implications_for_service: Personal | None


class ReportPresented(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.report-presented"):
    version: int
    presented_on: date


class RecommendationsAgreed(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.recommendations-agreed"
):
    agreed_on: date
    version: int
    recommendations: tuple[Personal, ...]
    actions: tuple[AgreedAction, ...]
    monitoring: str  # an arrangement of the service, not a statement about a person
    dissemination: str


class RecommendationsAgreedV2(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.recommendations-agreed-v2"
):
    """The recommendations agreed, with how they are monitored and disseminated sealed too: those
    arrangements can name people (who monitors, who is told)."""

    agreed_on: date
    version: int
    recommendations: tuple[Personal, ...]
    actions: tuple[AgreedAction, ...]
    monitoring: Personal
    dissemination: Personal


class ActionProgressRecorded(
    actions.ActionProgressRecordedShape, frozen=True, kw_only=True, tag="single.action-progress-recorded"
):
    pass


class ActionOwnerAssigned(
    actions.ActionOwnerAssignedShape, frozen=True, kw_only=True, tag="single.action-owner-assigned"
):
    pass


class ActionSignedOff(
    actions.ActionSignedOffShape, frozen=True, kw_only=True, tag="single.action-signed-off"
):
    pass


class ActionCarriedOver(
    actions.ActionCarriedOverShape, frozen=True, kw_only=True, tag="single.action-carried-over"
):
    pass


class DisseminationActivityRecorded(
    dissemination.DisseminationActivityShape,
    frozen=True,
    kw_only=True,
    tag="single.dissemination-activity-recorded",
):
    """A 7-minute briefing, training, a briefing or an Improvement Plan entry, with its audience and date."""


class DisseminationFeedbackRecorded(
    dissemination.DisseminationFeedbackShape,
    frozen=True,
    kw_only=True,
    tag="single.dissemination-feedback-recorded",
):
    """Feedback on one dissemination activity, by its number."""


class LearningThemesTagged(
    dissemination.LearningThemesShape, frozen=True, kw_only=True, tag="single.learning-themes-tagged"
):
    """Themes of the review's learning, so the committee can list reviews by theme."""


class LearningDisseminated(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.learning-disseminated"):
    audience: DisseminationAudience
    held_on: date
    method: str


class EscalatedToFullReview(
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.escalated-to-full-review"
):
    """Links this review to the notification for a full Learning Review (its `escalated_from` is this one)."""

    national_reference: str
    escalated_on: date
    reasons: Personal


class SingleAgencyReviewClosed(SingleAgencyEvent, frozen=True, kw_only=True, tag="single.review-closed"):
    closed_on: date
    summary: Personal
