"""What may be asked of a single-agency Learning Review, one command per step (seed 004), and the parts they carry.

The commands each route shares (the action plan, dissemination, themes) are in
`domain.routes.shared.actions` and `domain.routes.shared.dissemination`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from domain.kernel.command import Command
from domain.kernel.event import Personal
from domain.routes.single_agency.forms import ReferralFormAnswers, SingleAgencyCriterion


class IdentifyingMeeting(StrEnum):
    TEAM_AROUND_THE_CHILD = "team_around_the_child"
    REVIEW_MEETING = "review_meeting"


class Signatory(StrEnum):
    WORKER = "worker"
    LINE_MANAGER = "line_manager"


class MeetingKind(StrEnum):
    CASE_FILE_REVIEW = "case_file_review"  # §5: "Review case files prior to the group meeting"
    GROUP_DISCUSSION = "group_discussion"
    INDIVIDUAL_DISCUSSION = "individual_discussion"


class DisseminationAudience(StrEnum):
    """Seed 004 §4: learning disseminated 'to workers involved, teams, the service and/or wider workforce'."""

    WORKERS_INVOLVED = "workers_involved"
    TEAMS = "teams"
    SERVICE = "service"
    WIDER_WORKFORCE = "wider_workforce"


# -- parts of commands and events --------------------------------------------------------------


class ParticipantAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    subject_id: str
    name: str
    role_in_case: str  # e.g. "allocated social worker"
    team: str


class Participant(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    role_in_case: Personal
    team: str


class ActionAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    action_id: str
    description: str
    owner_team: str
    due_on: date | None = None


class AgreedAction(msgspec.Struct, frozen=True, kw_only=True):
    action_id: str
    description: Personal
    owner_team: str
    due_on: date | None = None


# -- commands -----------------------------------------------------------------------------


class IdentifyCase(Command, frozen=True, kw_only=True, tag="identify-case"):
    """The need for a Learning Review is identified at a TAC or review meeting (seed 004 §3)."""

    identified_on: date
    meeting: IdentifyingMeeting
    team: str
    criteria: tuple[SingleAgencyCriterion, ...]
    concern: str
    subjects: tuple[str, ...]  # the child and family the concern is about


class RecordSupervisionDiscussion(Command, frozen=True, kw_only=True, tag="record-supervision-discussion"):
    """The case is raised and discussed in supervision (worker / line manager) (seed 004 §3(1))."""

    discussed_on: date
    notes: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecommendReview(Command, frozen=True, kw_only=True, tag="recommend-review"):
    """The line manager recommends to the Service Manager that the case is reviewed (seed 004 §3(2))."""

    recommended_on: date
    service_manager: str  # actor id of the Service Manager
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CompleteReferralForm(Command, frozen=True, kw_only=True, tag="complete-referral-form"):
    """The worker and line manager complete the Referral Form (a new version replaces the last)."""

    form: ReferralFormAnswers


class SignReferralForm(Command, frozen=True, kw_only=True, tag="sign-referral-form"):
    version: int
    signatory: Signatory
    signed_on: date


class AgreeCriteriaMet(Command, frozen=True, kw_only=True, tag="agree-criteria-met"):
    """The Service Manager agrees the case meets the criteria and puts it to CFCIG (seed 004 §3(3))."""

    agreed_on: date
    comment: str | None = None
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordCriteriaNotMet(Command, frozen=True, kw_only=True, tag="record-criteria-not-met"):
    """The Service Manager does not agree; the reasons go in the worker's supervision notes (§3(3))."""

    decided_on: date
    reasons: str = ""
    supervision_notes_on: date
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class DecideToProceed(Command, frozen=True, kw_only=True, tag="decide-to-proceed"):
    """CFCIG agrees to proceed: lead reviewer, parameters, key objectives and timescales (§3(4a), §4)."""

    discussed_on: date
    rationale: str | None = None
    key_objectives: tuple[str, ...]
    lead_reviewer: str  # actor id
    parameters: str
    complete_by: date  # "Timescale for completion"
    outline_findings_by: date | None = None
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ChangeLeadReviewer(Command, frozen=True, kw_only=True, tag="change-lead-reviewer"):
    """CFCIG identifies another lead reviewer; the one it identified before is released (§3(4a))."""

    lead_reviewer: str  # actor id
    changed_on: date


class DecideNotToProceed(Command, frozen=True, kw_only=True, tag="decide-not-to-proceed"):
    """CFCIG agrees not to proceed, with its rationale and recommendations for further action (§3(4b))."""

    discussed_on: date
    rationale: str = ""
    further_actions: tuple[str, ...] = ()
    team_manager: str | None = None  # actor id of the team manager who reports back
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class GiveWrittenFeedback(Command, frozen=True, kw_only=True, tag="give-written-feedback"):
    """The Service Manager's written feedback to the team manager and worker (§3(4))."""

    sent_on: date
    recipients: tuple[str, ...]  # actor ids
    protocol_enclosed: bool
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ReportProgressOnRecommendations(
    Command, frozen=True, kw_only=True, tag="report-progress-on-recommendations"
):
    """The team manager reports back to CFCIG on progress against a recommendation (§3(4b))."""

    reported_on: date
    item: int  # 1-based number of the recommendation on the CFCIG section of the form
    progress: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class AgreeReviewParticipants(Command, frozen=True, kw_only=True, tag="agree-review-participants"):
    """§5: agree with the Service Manager who is involved; confirm workers have the protocol."""

    agreed_on: date
    participants: tuple[ParticipantAnswers, ...]
    workers_have_protocol: bool


class RecordReviewMeeting(Command, frozen=True, kw_only=True, tag="record-review-meeting"):
    held_on: date
    kind: MeetingKind
    attendees: tuple[str, ...] = ()  # subject ids
    notes: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ShareOutlineFindings(Command, frozen=True, kw_only=True, tag="share-outline-findings"):
    """§5: 'Outline of the overarching findings should be shared with the group for accuracy check'."""

    shared_on: date
    findings: tuple[str, ...]
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordAccuracyCheck(Command, frozen=True, kw_only=True, tag="record-accuracy-check"):
    checked_on: date
    corrections: str | None = None
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class DraftReport(Command, frozen=True, kw_only=True, tag="draft-report"):
    """§5: the draft report identifies the key issues and any implications for other teams or the service."""

    drafted_on: date
    key_issues: tuple[str, ...]
    implications_for_service: str | None = None
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class PresentReport(Command, frozen=True, kw_only=True, tag="present-report"):
    presented_on: date
    version: int


class AgreeRecommendations(Command, frozen=True, kw_only=True, tag="agree-recommendations"):
    """§3(6), §4: CFCIG agrees recommendations and actions, monitoring and dissemination."""

    agreed_on: date
    version: int
    recommendations: tuple[str, ...]
    actions: tuple[ActionAnswers, ...] = ()
    monitoring: str = ""  # how implementation of the actions is monitored
    dissemination: str = ""  # the mechanism for disseminating the learning
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordDissemination(Command, frozen=True, kw_only=True, tag="record-dissemination"):
    audience: DisseminationAudience
    held_on: date
    method: str  # e.g. "team meeting briefing", "practice bulletin"


class EscalateToFullReview(Command, frozen=True, kw_only=True, tag="escalate-to-full-review"):
    """A notification for a full Learning Review is made from this review."""

    national_reference: str
    escalated_on: date
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CloseSingleAgencyReview(Command, frozen=True, kw_only=True, tag="close-single-agency-review"):
    closed_on: date
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's
