"""What a person can ask a National Learning Review record to do (seeds 001, 002).

One command per step of the procedure, named in the imperative, with a stable tag.
Dates named `..._on` are when the step happened, which may be earlier than when it is
recorded. Free text is turned into `Personal` items by the record; `about` lists the
data subjects a text is about and defaults to the person the review is about. Where a text is
already someone's (a family member's views, a member's declaration) or about named people (a
member released, the family group), `about` adds to those; they stay among whom it is about.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from domain.kernel.command import Command
from domain.routes.national.forms import (
    ActionInput,
    Body,
    ChronologyEntryInput,
    FamilyMemberDetails,
    LiaisonBody,
    PersonDetails,
    PractitionerDetails,
    Proceeding,
    ProceedingState,
    PublicationChoice,
    SectionInput,
    StrategyInput,
    TeamRole,
)

# The dissemination steps are shared with the other routes, under the same names.
from domain.routes.shared.dissemination import RecordDisseminationActivity as RecordDisseminationActivity
from domain.routes.shared.dissemination import RecordDisseminationFeedback as RecordDisseminationFeedback
from domain.routes.shared.dissemination import TagLearningThemes as TagLearningThemes

SubjectGroup = Literal["child", "adult"]
Recommendation = Literal["proceed", "not proceed"]

# -- 1-3: notification, information, recommendation -----------------------------------------


class ReceiveNotification(Command, frozen=True, kw_only=True, tag="receive-notification"):
    subject_group: SubjectGroup
    received_on: date
    subject: PersonDetails
    notifier: PractitionerDetails
    reasons: str
    family: tuple[FamilyMemberDetails, ...] = ()
    agencies_involved: tuple[str, ...] = ()
    agency_contacts: tuple[PractitionerDetails, ...] = ()
    escalated_from: str | None = None  # reference of the mini or single-agency review
    about: tuple[str, ...] = ()  # whom else the reasons name, beside the person the review is about


class PassToNominatedPerson(Command, frozen=True, kw_only=True, tag="pass-to-nominated-person"):
    passed_on: date
    nominee: str  # actor id of the nominated person, or the name of the sub-group


class RequestInformation(Command, frozen=True, kw_only=True, tag="request-information"):
    agencies: tuple[str, ...]
    requested_on: date
    reply_by: date | None = None


class RecordAgencyReturn(Command, frozen=True, kw_only=True, tag="record-agency-return"):
    agency: str
    received_on: date
    author: str  # subject id of the practitioner who wrote the return
    involvement: str
    initial_reflection: str
    about: tuple[str, ...] = ()


class MakeRecommendation(Command, frozen=True, kw_only=True, tag="make-recommendation"):
    recommendation: Recommendation
    made_on: date
    reasons: str
    proposed_terms_of_reference: str | None = None  # with a recommendation to proceed
    alternative_approach: str | None = None  # with a recommendation not to proceed
    about: tuple[str, ...] = ()


# -- 4-6: the committee's decision and how it is communicated -----------------------------


class DecideToProceed(Command, frozen=True, kw_only=True, tag="decide-to-proceed"):
    decided_on: date
    basis: str
    terms_of_reference: str | None = None  # when None, the proposed terms are agreed
    about: tuple[str, ...] = ()


class DecideNotToProceed(Command, frozen=True, kw_only=True, tag="decide-not-to-proceed"):
    decided_on: date
    basis: str
    about: tuple[str, ...] = ()


class InformCog(Command, frozen=True, kw_only=True, tag="inform-cog-of-decision"):
    informed_on: date


class SendNotificationResponse(Command, frozen=True, kw_only=True, tag="send-notification-response"):
    sent_on: date


class NotifyCareInspectorate(Command, frozen=True, kw_only=True, tag="notify-care-inspectorate"):
    notified_on: date


class RecordMediaApproach(Command, frozen=True, kw_only=True, tag="record-media-approach"):
    agreed_on: date
    approach: str
    about: tuple[str, ...] = ()


class RecordAlternativeApproach(Command, frozen=True, kw_only=True, tag="record-alternative-approach"):
    agreed_on: date
    approach: str
    lead_agency: str
    about: tuple[str, ...] = ()


class LinkReview(Command, frozen=True, kw_only=True, tag="link-review"):
    linked_reference: str
    relationship: Literal["escalated from", "related", "joint"]


# -- 7-8: Review Team, family, parallel processes, terms of reference --------------------


class AppointTeamMember(Command, frozen=True, kw_only=True, tag="appoint-review-team-member"):
    member: PractitionerDetails
    team_role: TeamRole
    appointed_on: date
    direct_involvement: bool
    declaration: str  # the member's own declaration about involvement in the case
    actor_id: str | None = None  # when the member also records steps in the system
    change_reason: str | None = None  # needed once the team has met
    about: tuple[str, ...] = ()  # whom else the declaration and reason name, beside the member


class ReleaseTeamMember(Command, frozen=True, kw_only=True, tag="release-review-team-member"):
    member_id: str
    released_on: date
    reason: str
    about: tuple[str, ...] = ()  # whom else the reason names, beside the member


class AgreeFamilyLiaisonStrategy(Command, frozen=True, kw_only=True, tag="agree-family-liaison-strategy"):
    agreed_on: date
    family_group: tuple[str, ...]  # subject ids of who constitutes the family group
    strategy: str
    about: tuple[str, ...] = ()  # whom else the strategy names, beside the family group


class RecordFamilyContact(Command, frozen=True, kw_only=True, tag="record-family-contact"):
    contacted_on: date
    family_members: tuple[str, ...]
    met_by: tuple[str, ...]  # Review Team member ids
    views: str
    views_of: str  # subject id of the family member whose views these are
    about: tuple[str, ...] = ()  # whom else the views name, beside the family members met


class CheckParallelProcess(Command, frozen=True, kw_only=True, tag="record-parallel-process-check"):
    proceeding: Proceeding
    state: ProceedingState
    checked_on: date


class RecordProceedingsLiaison(Command, frozen=True, kw_only=True, tag="record-copfs-scra-liaison"):
    body: LiaisonBody
    purpose: Literal["parallel processes", "publication"]
    liaised_on: date
    outcome: str
    about: tuple[str, ...] = ()


class RecordPoliceLiaison(Command, frozen=True, kw_only=True, tag="record-police-scotland-liaison"):
    """Seed 002 'Timing and timeliness': liaison with Police Scotland, so that the review does not
    prejudice or put in jeopardy any other proceedings."""

    liaised_on: date
    outcome: str  # what was agreed, e.g. what practitioners are not to be asked about
    about: tuple[str, ...] = ()


class ProposeTorAmendment(Command, frozen=True, kw_only=True, tag="propose-terms-of-reference-amendment"):
    proposed_on: date
    changes: str  # what changed, and why
    text: str  # the amended terms of reference in full
    about: tuple[str, ...] = ()


class AgreeTorAmendment(Command, frozen=True, kw_only=True, tag="agree-terms-of-reference-amendment"):
    version: int
    agreed_on: date


class DeclineTorAmendment(Command, frozen=True, kw_only=True, tag="decline-terms-of-reference-amendment"):
    version: int
    declined_on: date
    reason: str
    about: tuple[str, ...] = ()


# -- 9-10: the review itself ------------------------------------------------------------------


class RequestChronology(Command, frozen=True, kw_only=True, tag="request-chronology"):
    agency: str
    requested_on: date
    period_from: date
    period_to: date


class ReceiveChronology(Command, frozen=True, kw_only=True, tag="receive-chronology"):
    agency: str
    received_on: date
    entries: tuple[ChronologyEntryInput, ...]


class MergeChronologies(Command, frozen=True, kw_only=True, tag="merge-chronologies"):
    merged_on: date


class RecordTeamMeeting(Command, frozen=True, kw_only=True, tag="record-review-team-meeting"):
    held_on: date
    attendees: tuple[str, ...]  # Review Team member ids
    minutes: str
    about: tuple[str, ...] = ()


class RecordPractitionerEvent(Command, frozen=True, kw_only=True, tag="record-practitioner-event"):
    audience: Literal["practitioners and first-line managers", "strategic managers"]
    held_on: date
    agencies: tuple[str, ...]
    notes: str
    about: tuple[str, ...] = ()


class RecordEmergingLearning(Command, frozen=True, kw_only=True, tag="record-emerging-learning"):
    identified_on: date
    learning: str
    about: tuple[str, ...] = ()


class CompleteChildDeathDataset(Command, frozen=True, kw_only=True, tag="complete-child-death-dataset"):
    completed_on: date


class PauseReview(Command, frozen=True, kw_only=True, tag="pause-review"):
    paused_on: date
    reason: str
    notice_to: tuple[Body, ...] = ()  # the committee and the COG are told of the pause
    notice_on: date | None = None  # when they were told
    about: tuple[str, ...] = ()


class ResumeReview(Command, frozen=True, kw_only=True, tag="resume-review"):
    resumed_on: date


class ReportDelay(Command, frozen=True, kw_only=True, tag="report-delay"):
    reported_on: date
    reason: str
    revised_completion: date
    recipients: tuple[Body, ...] = ()  # to whom the Chair reported it: the committee and the COG
    about: tuple[str, ...] = ()


# -- 11-15: report, sign-off, publication, dissemination, closure -------------------------


class DraftReportVersion(Command, frozen=True, kw_only=True, tag="draft-report-version"):
    drafted_on: date
    sections: tuple[SectionInput, ...]
    strategies: tuple[StrategyInput, ...] = ()


class SignOffReportForCommittee(Command, frozen=True, kw_only=True, tag="sign-off-report-for-committee"):
    version: int
    signed_off_on: date


class SignOffReportForCog(Command, frozen=True, kw_only=True, tag="sign-off-report-for-cog"):
    version: int
    signed_off_on: date


class SendReportToCareInspectorate(
    Command, frozen=True, kw_only=True, tag="send-report-to-care-inspectorate"
):
    version: int
    sent_on: date
    anonymised_copy: bool


class AgreeActionPlan(Command, frozen=True, kw_only=True, tag="agree-action-plan"):
    agreed_on: date
    actions: tuple[ActionInput, ...]


class RecordActionProgress(Command, frozen=True, kw_only=True, tag="record-action-progress"):
    action_id: str
    progress_on: date
    completed: bool
    note: str
    about: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # references of the documents that show the progress


class RecommendPublication(Command, frozen=True, kw_only=True, tag="recommend-publication"):
    recommendation: PublicationChoice
    recommended_on: date
    reasons: str
    about: tuple[str, ...] = ()


class RecordFamilyViewsOnPublication(
    Command, frozen=True, kw_only=True, tag="record-family-views-on-publication"
):
    consulted_on: date
    family_members: tuple[str, ...]
    views: str  # their views, or why none could be obtained
    views_of: str  # subject id of the family member whose views these are
    about: tuple[str, ...] = ()  # whom else the views name, beside the family members consulted


class DecidePublication(Command, frozen=True, kw_only=True, tag="decide-publication"):
    decision: PublicationChoice
    decided_on: date
    basis: str
    exceptional_circumstances: str | None = None  # needed for a decision not to publish
    cog_minute: str | None = None  # where the COG minutes note it, e.g. "COG 4 Nov 2026, item 5"
    about: tuple[str, ...] = ()


class PublishReport(Command, frozen=True, kw_only=True, tag="publish-report"):
    version: int
    published_on: date
    where: str
    anonymised: bool


class PublishLearningSeparately(Command, frozen=True, kw_only=True, tag="publish-learning-separately"):
    published_on: date
    where: str
    summary: str
    about: tuple[str, ...] = ()


class RecordDissemination(Command, frozen=True, kw_only=True, tag="record-dissemination"):
    method: Literal["briefing", "training", "other"]
    held_on: date
    audience: str  # e.g. "all health visitors"
    description: str
    about: tuple[str, ...] = ()


class RecordFamilyFeedback(Command, frozen=True, kw_only=True, tag="record-family-feedback"):
    given_on: date
    family_members: tuple[str, ...]
    feedback: str  # the family's response to the findings and to the process
    feedback_of: str
    about: tuple[str, ...] = ()  # whom else the feedback names, beside the family members


class CloseReview(Command, frozen=True, kw_only=True, tag="close-review"):
    closed_on: date


# -- completion conditions and authority (seed 001 section 4) --------------------------------


class NameAgencyContact(Command, frozen=True, kw_only=True, tag="name-agency-contact"):
    agency: str
    contact: PractitionerDetails
    actor_id: str  # the account the contact records the agency's answers under
    named_on: date


class RecordAgencyNonReturn(Command, frozen=True, kw_only=True, tag="record-agency-non-return"):
    agency: str
    recorded_on: date
    reason: str  # why no return came, and how it was followed up
    about: tuple[str, ...] = ()


class DecideNotToInvolveFamily(
    Command, frozen=True, kw_only=True, tag="record-decision-not-to-involve-family"
):
    decided_on: date
    reasons: str
    about: tuple[str, ...] = ()


class RecordNoPractitionerEvent(
    Command, frozen=True, kw_only=True, tag="record-reason-no-practitioner-event"
):
    audience: Literal["practitioners and first-line managers", "strategic managers"]
    recorded_on: date
    reason: str
    about: tuple[str, ...] = ()


class PresentReport(Command, frozen=True, kw_only=True, tag="present-report"):
    version: int
    presented_to: Body
    presented_on: date


class CarryOverAction(Command, frozen=True, kw_only=True, tag="carry-over-action"):
    action_id: str
    carried_over_on: date
    owner: str  # the named owner who carries the action on after closure
    reason: str
    about: tuple[str, ...] = ()  # whom the owner and reason name, beside the person the review is about


# -- the family (seed 001 'Engaging the family in the Review process') -----------------------


class RecordFamilyGroupMember(Command, frozen=True, kw_only=True, tag="record-family-group-member"):
    subject_id: str  # the family member, as registered
    relation: str  # e.g. "grandmother, cared for the child at weekends"
    involved: bool  # whether they are to be involved in the review
    decided_on: date
    reasons_not_involved: str | None = None  # needed when they are not to be involved
    about: tuple[str, ...] = ()


class RecordFamilyInformed(Command, frozen=True, kw_only=True, tag="record-family-informed"):
    informed_on: date
    family_members: tuple[str, ...]
    how: str  # who told them, and how the purpose of the review was explained
    about: tuple[str, ...] = ()


class RecordFamilyFeedbackOnConclusion(
    Command, frozen=True, kw_only=True, tag="record-family-feedback-on-conclusion"
):
    given_on: date
    family_members: tuple[str, ...]
    response: str  # their response to the conclusion, the learning and the strategies
    response_of: str
    about: tuple[str, ...] = ()


class RecordFamilyFeedbackOnProcess(
    Command, frozen=True, kw_only=True, tag="record-family-feedback-on-process"
):
    given_on: date
    family_members: tuple[str, ...]
    feedback: str  # how they found the process of the review
    feedback_of: str
    about: tuple[str, ...] = ()


# -- dissemination (seed 001 process map 5B; seed 002 'Sharing the learning') -----------------
