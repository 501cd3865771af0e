"""The events of a Learning and Improvement Panel case: what each step records, as stored.

Each event's `tag` is its stored type name and never changes; an event that kept free text in
plain fields has a "-v2" successor holding it sealed (`SUCCESSORS`).
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from domain.kernel.event import DomainEvent, Personal
from domain.kernel.roles import Role
from domain.routes.panel.commands import (
    Involvement,
    PanelTeamRole,
    ReportForm,
    ReviewerLead,
    ReviewMethodology,
    ScrutinyOutcome,
)
from domain.routes.panel.forms import PanelConclusion, PanelDecision, ReferralFormA, SealedPanelConclusion
from domain.routes.shared.actions import ActionCarriedOverShape, ActionSignedOffShape, ActionStatus
from domain.routes.shared.dissemination import (
    DisseminationActivityShape,
    DisseminationFeedbackShape,
    LearningThemesShape,
)


class PlannedAction(msgspec.Struct, frozen=True, kw_only=True):
    action_id: str
    agency: str
    description: Personal
    owner_subject: str
    owner_name: Personal
    due_on: date


# -- events -------------------------------------------------------------------------------


class CaseReferred(DomainEvent, frozen=True, kw_only=True, tag="panel.case-referred"):
    form: ReferralFormA
    role: Role
    at: datetime


class ReferralCirculated(DomainEvent, frozen=True, kw_only=True, tag="panel.referral-circulated"):
    meeting_on: date
    scr_likely: bool  # the meeting is chaired by the Service Director as SCR Consideration Panel
    role: Role
    at: datetime


class ScrConsiderationPanelCalled(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-consideration-panel-called"
):
    meeting_on: date
    reasons: str
    role: Role
    at: datetime


class ReviewDecided(DomainEvent, frozen=True, kw_only=True, tag="panel.review-decided"):
    meeting_on: date
    chaired_by: Role
    as_scr_consideration_panel: bool
    decision: PanelDecision
    reasons: str
    role: Role
    at: datetime


class PanelConclusionRecorded(DomainEvent, frozen=True, kw_only=True, tag="panel.panel-conclusion-recorded"):
    conclusion: PanelConclusion
    role: Role
    at: datetime


class ScrRecommended(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-recommended"):
    scr_required: bool
    reasons: str
    role: Role
    at: datetime


class ScrDecided(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-decided"):
    hold_scr: bool
    reasons: str
    role: Role
    at: datetime


class OfstedAndNationalPanelInformed(
    DomainEvent, frozen=True, kw_only=True, tag="panel.ofsted-and-national-panel-informed"
):
    hold_scr: bool  # the decision they were told of
    ofsted_informed_on: date
    national_panel_informed_on: date
    role: Role
    at: datetime


class ScrutinyConcluded(DomainEvent, frozen=True, kw_only=True, tag="panel.scrutiny-concluded"):
    outcome: ScrutinyOutcome
    reasons: str
    role: Role
    at: datetime


class IndependentReviewCommissioned(
    DomainEvent, frozen=True, kw_only=True, tag="panel.independent-review-commissioned"
):
    reviewer: Personal
    lead: ReviewerLead
    role: Role
    at: datetime


class ScrPanelAgreed(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-panel-agreed"):
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class ScrTermsOfReferenceAgreed(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-terms-of-reference-agreed"
):
    methodology: str
    scope: tuple[str, ...]
    period_from: date
    period_to: date
    report_due: date
    role: Role
    at: datetime


class FamilyInvited(DomainEvent, frozen=True, kw_only=True, tag="panel.family-invited"):
    family_members: tuple[str, ...]
    role: Role
    at: datetime


class AgencyChecksRequested(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-checks-requested"):
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class AgencyCheckAnswered(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-check-answered"):
    agency: str
    involvement: Involvement
    role: Role
    at: datetime


class ChronologySubmitted(DomainEvent, frozen=True, kw_only=True, tag="panel.chronology-submitted"):
    agency: str
    document: str
    covers_from: date
    covers_to: date
    role: Role
    at: datetime


class ChronologiesCombined(DomainEvent, frozen=True, kw_only=True, tag="panel.chronologies-combined"):
    document: str
    agencies: tuple[str, ...]  # whose chronologies were combined
    role: Role
    at: datetime


class ReviewMeetingHeld(DomainEvent, frozen=True, kw_only=True, tag="panel.review-meeting-held"):
    number: int
    held_on: date
    agencies_attending: tuple[str, ...]
    role: Role
    at: datetime


class FindingsAgreed(DomainEvent, frozen=True, kw_only=True, tag="panel.findings-agreed"):
    findings: tuple[str, ...]  # about practice; case details stay in the sealed referral
    recommendations: tuple[str, ...]
    role: Role
    at: datetime


class ReportCompleted(DomainEvent, frozen=True, kw_only=True, tag="panel.report-completed"):
    form: ReportForm
    document: str
    role: Role
    at: datetime


class ReportSignedOff(DomainEvent, frozen=True, kw_only=True, tag="panel.report-signed-off"):
    minute: str
    role: Role
    at: datetime


class PublicationDecided(DomainEvent, frozen=True, kw_only=True, tag="panel.publication-decided"):
    publish: bool
    reasons: str
    role: Role
    at: datetime


class ActionPlanCirculated(DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-circulated"):
    document: str
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class ActionPlanProgressRecorded(
    DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-progress-recorded"
):
    agency: str
    progress: str
    role: Role
    at: datetime


class ReportedToQaSubgroup(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-qa-subgroup"):
    summary: str
    role: Role
    at: datetime


class ReportedToBoard(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-board"):
    summary: str
    role: Role
    at: datetime


class CaseClosed(DomainEvent, frozen=True, kw_only=True, tag="panel.case-closed"):
    reasons: str
    role: Role
    at: datetime


class TeamMemberAppointed(DomainEvent, frozen=True, kw_only=True, tag="panel.review-team-member-appointed"):
    actor_id: str
    team_role: PanelTeamRole
    appointed_on: date
    role: Role
    at: datetime


class TeamMemberReleased(DomainEvent, frozen=True, kw_only=True, tag="panel.review-team-member-released"):
    actor_id: str
    released_on: date
    role: Role
    at: datetime


class AgencyReportsRequested(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-reports-requested"):
    agencies: tuple[str, ...]
    requested_on: date
    due_on: date
    role: Role
    at: datetime


class AgencyReportSubmitted(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-report-submitted"):
    agency: str
    document: str
    submitted_on: date
    role: Role
    at: datetime


class ReviewMethodologyChosen(DomainEvent, frozen=True, kw_only=True, tag="panel.review-methodology-chosen"):
    methodology: ReviewMethodology
    in_another_form: bool
    chosen_on: date
    reasons: Personal
    role: Role
    at: datetime


class ReviewMethodologyEndorsed(
    DomainEvent, frozen=True, kw_only=True, tag="panel.review-methodology-endorsed"
):
    endorsed: bool
    decided_on: date
    reasons: Personal
    role: Role
    at: datetime


class ScrPanelMeetingHeld(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-panel-meeting-held"):
    held_on: date
    agencies_attending: tuple[str, ...]
    minutes: Personal
    role: Role
    at: datetime


class ScrInterviewRecorded(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-interview-recorded"):
    held_on: date
    interviewee: str
    agency: str
    notes: Personal
    role: Role
    at: datetime


class ReviewPapersCirculated(DomainEvent, frozen=True, kw_only=True, tag="panel.review-papers-circulated"):
    circulated_on: date
    chronology_template: str
    terms_of_reference: str
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class AgencyRepresentativeNominated(
    DomainEvent, frozen=True, kw_only=True, tag="panel.agency-representative-nominated"
):
    agency: str
    representative_subject: str
    representative_name: Personal
    nominated_on: date
    role: Role
    at: datetime


class ActionPlanCirculatedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-circulated-v2"):
    """The multi-agency action plan as a list of actions, each with its agency, owner and due date."""

    document: str
    agencies: tuple[str, ...]
    actions: tuple[PlannedAction, ...]
    circulated_on: date
    role: Role
    at: datetime


class ActionUpdateRecorded(DomainEvent, frozen=True, kw_only=True, tag="panel.action-update-recorded"):
    action_id: str
    agency: str
    status: ActionStatus
    recorded_on: date
    progress: Personal
    evidence: tuple[str, ...]
    role: Role
    at: datetime


class ActionSignedOff(ActionSignedOffShape, frozen=True, kw_only=True, tag="panel.action-signed-off"):
    pass


class DisseminationActivityRecorded(
    DisseminationActivityShape, frozen=True, kw_only=True, tag="panel.dissemination-activity-recorded"
):
    """A 7-minute briefing, training, a briefing or an Improvement Plan entry, with its audience and date."""


class DisseminationFeedbackRecorded(
    DisseminationFeedbackShape, frozen=True, kw_only=True, tag="panel.dissemination-feedback-recorded"
):
    """Feedback on one dissemination activity, by its number."""


class LearningThemesTagged(
    LearningThemesShape, frozen=True, kw_only=True, tag="panel.learning-themes-tagged"
):
    """Themes of the review's learning, so the committee can list reviews by theme."""


class ActionCarriedOver(ActionCarriedOverShape, frozen=True, kw_only=True, tag="panel.action-carried-over"):
    pass


class AgencyContactNamed(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-contact-named"):
    agency: str
    actor_id: str
    named_on: date
    role: Role
    at: datetime


# The events above that kept their free text in plain fields are still read; since
# "-v2" each such text is a sealed `Personal` item saying whom it names (about the child,
# and whoever else the step names) and, when a person's, whose statement it is.


class ScrConsiderationPanelCalledV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-consideration-panel-called-v2"
):
    meeting_on: date
    reasons: Personal
    role: Role
    at: datetime


class ReviewDecidedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.review-decided-v2"):
    meeting_on: date
    chaired_by: Role
    as_scr_consideration_panel: bool
    decision: PanelDecision
    reasons: Personal
    role: Role
    at: datetime


class ScrRecommendedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-recommended-v2"):
    scr_required: bool
    reasons: Personal
    role: Role
    at: datetime


class ScrDecidedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-decided-v2"):
    hold_scr: bool
    reasons: Personal
    role: Role
    at: datetime


class ScrutinyConcludedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.scrutiny-concluded-v2"):
    outcome: ScrutinyOutcome
    reasons: Personal
    role: Role
    at: datetime


class FindingsAgreedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.findings-agreed-v2"):
    findings: tuple[Personal, ...]
    recommendations: tuple[Personal, ...]
    role: Role
    at: datetime


class PublicationDecidedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.publication-decided-v2"):
    publish: bool
    reasons: Personal
    role: Role
    at: datetime


class ActionPlanProgressRecordedV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-progress-recorded-v2"
):
    agency: str
    progress: Personal
    role: Role
    at: datetime


class ReportedToQaSubgroupV2(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-qa-subgroup-v2"):
    summary: Personal
    role: Role
    at: datetime


class ReportedToBoardV2(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-board-v2"):
    summary: Personal
    role: Role
    at: datetime


class CaseClosedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.case-closed-v2"):
    reasons: Personal
    role: Role
    at: datetime


class PanelConclusionRecordedV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.panel-conclusion-recorded-v2"
):
    conclusion: SealedPanelConclusion
    role: Role
    at: datetime


class ScrTermsOfReferenceAgreedV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-terms-of-reference-agreed-v2"
):
    methodology: Personal
    scope: tuple[Personal, ...]
    period_from: date
    period_to: date
    report_due: date
    role: Role
    at: datetime


#: Each event type that kept free text in plain fields, and its successor holding it sealed.
SUCCESSORS: dict[str, str] = {
    "panel.panel-conclusion-recorded": "panel.panel-conclusion-recorded-v2",
    "panel.scr-terms-of-reference-agreed": "panel.scr-terms-of-reference-agreed-v2",
    "panel.scr-consideration-panel-called": "panel.scr-consideration-panel-called-v2",
    "panel.review-decided": "panel.review-decided-v2",
    "panel.scr-recommended": "panel.scr-recommended-v2",
    "panel.scr-decided": "panel.scr-decided-v2",
    "panel.scrutiny-concluded": "panel.scrutiny-concluded-v2",
    "panel.findings-agreed": "panel.findings-agreed-v2",
    "panel.publication-decided": "panel.publication-decided-v2",
    "panel.action-plan-progress-recorded": "panel.action-plan-progress-recorded-v2",
    "panel.reported-to-qa-subgroup": "panel.reported-to-qa-subgroup-v2",
    "panel.reported-to-board": "panel.reported-to-board-v2",
    "panel.case-closed": "panel.case-closed-v2",
    # The action plan as a document reference, and since "-v2" as a list of actions.
    "panel.action-plan-circulated": "panel.action-plan-circulated-v2",
}
