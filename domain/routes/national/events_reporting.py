"""What happened in the later stages of a National Learning Review (seeds 001, 002): steps 11-15
(the report, its sign-off, the Care Inspectorate, the action plan, publication, closure), the
family, dissemination, and the actions as records.

The earlier steps' events, and `NationalEvent` they all build on, are in
`domain.routes.national.events`; the same conventions hold (CONVENTIONS.md 4).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from domain.kernel.event import Personal
from domain.routes.national.events import NationalEvent
from domain.routes.national.forms import (
    ClearStrategy,
    DisseminationKind,
    LiaisonBody,
    PlannedAction,
    PublicationChoice,
    ReportSection,
    SealedClearStrategy,
)
from domain.routes.shared.actions import (
    ActionExceptionReportedShape,
    ActionOwnerAssignedShape,
    ActionSignedOffShape,
)

# -- 11-15 ------------------------------------------------------------------------------------


class ReportVersionDrafted(NationalEvent, frozen=True, kw_only=True, tag="national.report-version-drafted"):
    """A report version as first recorded: each strategy's `responsible` in plain text (still read)."""

    version: int
    drafted_on: date
    terms_of_reference_version: int  # the terms in force, included in the report
    sections: tuple[ReportSection, ...]
    strategies: tuple[ClearStrategy, ...] = ()


class ReportVersionDraftedV2(
    NationalEvent, frozen=True, kw_only=True, tag="national.report-version-drafted-v2"
):
    """A report version, every text of every strategy sealed and saying whom it names."""

    version: int
    drafted_on: date
    terms_of_reference_version: int
    sections: tuple[ReportSection, ...]
    strategies: tuple[SealedClearStrategy, ...] = ()


#: Both forms of a drafted report version, for the readers that treat them alike.
REPORT_DRAFTS = (ReportVersionDrafted, ReportVersionDraftedV2)


class ReportSignedOffByCommittee(
    NationalEvent, frozen=True, kw_only=True, tag="national.report-signed-off-by-committee"
):
    version: int
    signed_off_on: date


class ReportSignedOffByCog(NationalEvent, frozen=True, kw_only=True, tag="national.report-signed-off-by-cog"):
    version: int
    signed_off_on: date


class ReportSentToCareInspectorate(
    NationalEvent, frozen=True, kw_only=True, tag="national.report-sent-to-care-inspectorate"
):
    version: int
    sent_on: date
    anonymised_copy: bool


class ActionPlanAgreed(NationalEvent, frozen=True, kw_only=True, tag="national.action-plan-agreed"):
    agreed_on: date
    actions: tuple[PlannedAction, ...]


class ActionProgressRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.action-progress-recorded"
):
    action_id: str
    progress_on: date
    completed: bool
    note: Personal
    evidence: tuple[str, ...] = ()  # references of the documents that show the progress


class PublicationRecommended(
    NationalEvent, frozen=True, kw_only=True, tag="national.publication-recommended"
):
    recommendation: PublicationChoice
    recommended_on: date
    reasons: Personal


class FamilyConsultedOnPublication(
    NationalEvent, frozen=True, kw_only=True, tag="national.family-consulted-on-publication"
):
    consulted_on: date
    family_members: tuple[str, ...]
    views: Personal


class PublicationDecided(NationalEvent, frozen=True, kw_only=True, tag="national.publication-decided"):
    decision: PublicationChoice
    decided_on: date
    basis: Personal
    exceptional_circumstances: Personal | None = None
    cog_minute: str | None = None


class ReportPublished(NationalEvent, frozen=True, kw_only=True, tag="national.report-published"):
    version: int
    published_on: date
    where: str
    liaison_on_publication: tuple[LiaisonBody, ...] = ()  # consulted while proceedings ongoing


class LearningPublishedSeparately(
    NationalEvent, frozen=True, kw_only=True, tag="national.learning-published-separately"
):
    published_on: date
    where: str
    summary: Personal


class LearningDisseminated(NationalEvent, frozen=True, kw_only=True, tag="national.learning-disseminated"):
    method: Literal["briefing", "training", "other"]
    held_on: date
    audience: str
    description: Personal


class FamilyFeedbackGiven(NationalEvent, frozen=True, kw_only=True, tag="national.family-feedback-given"):
    given_on: date
    family_members: tuple[str, ...]
    feedback: Personal


class ReviewClosed(NationalEvent, frozen=True, kw_only=True, tag="national.review-closed"):
    closed_on: date


# -- the family (seed 001 'Engaging the family in the Review process') -----------------------


class FamilyGroupMemberRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.family-group-member-recorded"
):
    """Who is in the family group, their relation, and whether they are to be involved (and why not)."""

    subject_id: str
    relation: Personal
    involved: bool
    decided_on: date
    reasons_not_involved: Personal | None = None


class FamilyInformed(NationalEvent, frozen=True, kw_only=True, tag="national.family-informed"):
    """The family told that a Learning Review is being undertaken, and its purpose."""

    informed_on: date
    family_members: tuple[str, ...]
    how: Personal


class FamilyFeedbackOnConclusionGiven(
    NationalEvent, frozen=True, kw_only=True, tag="national.family-feedback-on-conclusion-given"
):
    """The conclusion, learning and strategies fed back to the family, and their response."""

    given_on: date
    family_members: tuple[str, ...]
    response: Personal  # an opinion, by the family member


class FamilyFeedbackOnProcessGiven(
    NationalEvent, frozen=True, kw_only=True, tag="national.family-feedback-on-process-given"
):
    """How the family found the process of the review itself."""

    given_on: date
    family_members: tuple[str, ...]
    feedback: Personal  # an opinion, by the family member


# -- dissemination (seed 001 process map 5B; seed 002 'Sharing the learning') -----------------


class DisseminationActivityRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.dissemination-activity-recorded"
):
    number: int  # 1, 2, ... in the order recorded
    activity: DisseminationKind
    held_on: date
    audience: str
    description: Personal


class DisseminationFeedbackRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.dissemination-feedback-recorded"
):
    activity_number: int  # the number of the activity it is feedback on
    received_on: date
    feedback: Personal


class LearningThemesTagged(NationalEvent, frozen=True, kw_only=True, tag="national.learning-themes-tagged"):
    """Themes of the review's learning, so the committee can find reviews by theme."""

    tagged_on: date
    themes: tuple[str, ...]


# -- actions as records (seed 001 'The Report': CLEAR strategies are reviewed) ----------------
# The shapes are shared with the other routes (domain/routes/shared/actions.py); the names are the route's.


class ActionOwnerAssigned(
    ActionOwnerAssignedShape, frozen=True, kw_only=True, tag="national.action-owner-assigned"
):
    """A named person owns an action of the plan, with the date it is due."""


class ActionSignedOff(ActionSignedOffShape, frozen=True, kw_only=True, tag="national.action-signed-off"):
    """The committee, which monitors the plan, signs off an action recorded as complete, on its evidence."""


class ActionExceptionReported(
    ActionExceptionReportedShape, frozen=True, kw_only=True, tag="national.action-exception-reported"
):
    """Overdue actions reported to the COG by exception."""
