"""What may be asked of a Mini Learning Review, one command per step (seed 000), and the parts they carry.

The commands each route shares (the action plan, dissemination, themes) are in
`domain.routes.shared.actions` and `domain.routes.shared.dissemination`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from domain.kernel.command import Command
from domain.kernel.event import Personal
from domain.routes.mini.forms import InformationFormAnswers, MiniCriterion, RequestFormAnswers


class TeamRole(StrEnum):
    REVIEW_LEAD = "review_lead"
    MEMBER = "member"
    ADMIN_SUPPORT = "admin_support"  # seed 000 §2.2: "Admin support would usually be of key importance"


class MeetingKind(StrEnum):
    """Seed 000 §2.3 (4)-(5): meetings, interviews, audits and scrutiny; the views of children and families."""

    REVIEW_TEAM = "review_team"
    PRACTITIONERS = "practitioners"
    INTERVIEW = "interview"
    AUDIT = "audit"
    SCRUTINY = "scrutiny"
    CHILD_AND_FAMILY_VIEWS = "child_and_family_views"


class Presenter(StrEnum):
    """Seed 000 §4: 'The Mini Learning Review Lead or CSWO will present the Findings and Actions'."""

    REVIEW_LEAD = "mini_learning_review_lead"
    CSWO = "chief_social_work_officer"


class StaffConcern(StrEnum):
    """Seed 000 §1: the two kinds of staff issue a Mini Learning Review refers on."""

    MALPRACTICE = "malpractice"
    COMPETENCE = "competence"


class DisseminationActivity(StrEnum):
    """Seed 000 §5, one value per bullet."""

    MEETING_WITH_THOSE_INVOLVED = "meeting_with_those_involved"
    IMPROVEMENT_PLAN_OR_EVIDENCE_LOG = "improvement_plan_or_evidence_log"
    SINGLE_SERVICE = "single_service"
    PARTNERSHIP = "partnership"
    FEEDBACK = "feedback"


# -- parts of commands and events --------------------------------------------------------------


class TeamMemberAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    subject_id: str
    name: str
    service: str
    team_role: TeamRole
    has_conflict: bool
    declaration: str  # the conflict-of-interest declaration in the member's words
    actor_id: str | None = None  # when the member reads the record: while on the team (DOMAIN.md §1.1)


class TeamMember(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    service: str
    team_role: TeamRole
    has_conflict: bool
    declaration: Personal
    actor_id: str | None = None


class ActionAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    action_id: str
    description: str
    owner_service: str
    due_on: date | None = None


class PlannedAction(msgspec.Struct, frozen=True, kw_only=True):
    action_id: str
    description: Personal
    owner_service: str
    due_on: date | None = None


# -- commands -----------------------------------------------------------------------------


class RequestMiniReview(Command, frozen=True, kw_only=True, tag="request-mini-review"):
    """A Partnership or PPC member asks for a Mini Learning Review (seed 000 §1.4)."""

    received_on: date  # the request is received: the 14-day Request Form timescale starts
    initiator_service: str
    services: tuple[str, ...]  # the services expected to take part: more than one
    criteria: tuple[MiniCriterion, ...]
    full_criteria_not_met: bool  # the initiator's view that the §1.2 criteria are not met
    concern: str
    subjects: tuple[str, ...]  # the children and family the concern is about


class RecordServicesAgreement(Command, frozen=True, kw_only=True, tag="record-services-agreement"):
    """Heads of Service / senior managers have discussed the request (seed 000 §1.4, §2.3(1))."""

    discussed_on: date
    agreeing: tuple[str, ...]
    not_agreeing: tuple[str, ...] = ()
    basis: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class TableDisagreement(Command, frozen=True, kw_only=True, tag="table-disagreement"):
    """The Lead of the service that identified the need tables the disagreement (seed 000 §1.6)."""

    tabled_on: date
    service: str
    presenting_information: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ResolveDisagreement(Command, frozen=True, kw_only=True, tag="resolve-disagreement"):
    """The Delivery Group decides on the presenting information and the match with the criteria (§1.6)."""

    decided_on: date
    review_needed: bool
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class SubmitRequestForm(Command, frozen=True, kw_only=True, tag="submit-request-form"):
    """The Partnership Lead submits the Request Form to the Chair of the Delivery Group (seed 000 §1.4)."""

    submitted_on: date
    form: RequestFormAnswers


class TableRequest(Command, frozen=True, kw_only=True, tag="table-request"):
    """The request is presented at the next Delivery Group meeting (seed 000 §1.4): the 42-day timescale starts."""

    meeting_on: date


class RecordReviewToBeUndertaken(Command, frozen=True, kw_only=True, tag="record-review-to-be-undertaken"):
    """The Delivery Group records that the review is to be undertaken and sets the presentation date (§1.5)."""

    decided_on: date
    presentation_due_on: date


class SetReviewScope(Command, frozen=True, kw_only=True, tag="set-review-scope"):
    """The questions and scope of the review (seed 000 §2.3(2)); may be revised until the report."""

    set_on: date
    questions: tuple[str, ...]
    scope: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class AppointReviewTeam(Command, frozen=True, kw_only=True, tag="appoint-review-team"):
    """The Partnership Lead identifies a small Review Team (seed 000 §2.2)."""

    appointed_on: date
    members: tuple[TeamMemberAnswers, ...]


class ChangeReviewTeam(Command, frozen=True, kw_only=True, tag="change-review-team"):
    changed_on: date
    joining: tuple[TeamMemberAnswers, ...] = ()
    leaving: tuple[str, ...] = ()  # subject ids of members leaving
    reason: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RequestInformation(Command, frozen=True, kw_only=True, tag="request-information"):
    """Participating services are asked for the information form (14 calendar days each)."""

    requested_on: date
    services: tuple[str, ...]


class NameServiceContact(Command, frozen=True, kw_only=True, tag="name-service-contact"):
    """The person who answers for a participating service: they alone return its information form."""

    service: str
    actor_id: str  # the contact as registered in the log
    named_on: date


class ReturnInformationForm(Command, frozen=True, kw_only=True, tag="return-information-form"):
    service: str
    returned_on: date
    form: InformationFormAnswers


class RecordReviewMeeting(Command, frozen=True, kw_only=True, tag="record-review-meeting"):
    held_on: date
    kind: MeetingKind
    attendees: tuple[str, ...]  # subject ids
    minutes: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CompileReviewReport(Command, frozen=True, kw_only=True, tag="compile-review-report"):
    """A version of the review report: findings and actions (seed 000 §2.3(6))."""

    compiled_on: date
    findings: tuple[str, ...]
    actions: tuple[ActionAnswers, ...] = ()
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class PresentReviewReport(Command, frozen=True, kw_only=True, tag="present-review-report"):
    """The completed review is presented to the Partnership (Delivery Group) (seed 000 §2.3(7), §4)."""

    presented_on: date
    version: int


class RecordCriteriaConclusion(Command, frozen=True, kw_only=True, tag="record-criteria-conclusion"):
    """The Lead Officer's conclusion: did the review reach the criteria for a full Learning Review? (§4)"""

    concluded_on: date
    version: int
    reached_full_criteria: bool
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class SignOffAtPartnershipLevel(Command, frozen=True, kw_only=True, tag="sign-off-at-partnership-level"):
    """The Delivery Group signs the review off at Partnership level, agreeing the Lead Officer's conclusion (§4)."""

    signed_off_on: date
    version: int
    reached_full_criteria: bool | None = None  # when given, must agree with the Lead Officer's conclusion
    reasons: str = ""  # the Partnership's comments on the sign-off, if any
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ReceiveFindingsAndActions(Command, frozen=True, kw_only=True, tag="receive-findings-and-actions"):
    """The Child Protection Quality Assurance Sub Committee receives the findings and actions (§4)."""

    received_on: date
    presented_by: Presenter
    comments: str | None = None
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordFeedbackToCog(Command, frozen=True, kw_only=True, tag="record-feedback-to-cog"):
    """Feedback to the COG (Public Protection) on findings and actions (§4)."""

    given_on: date
    presented_by: Presenter
    response: str | None = None
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordDissemination(Command, frozen=True, kw_only=True, tag="record-dissemination"):
    activity: DisseminationActivity
    held_on: date
    audience: str
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ReferStaffConcern(Command, frozen=True, kw_only=True, tag="refer-staff-concern"):
    """A staff malpractice or competence issue that emerged is referred to the agency's own procedures (§1)."""

    referred_on: date
    service: str
    concern: StaffConcern
    practitioners: tuple[str, ...]  # subject ids of the staff it concerns
    procedure: str  # the agency's own staff procedure it goes to
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the staff it concerns
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class AcknowledgeStaffConcern(Command, frozen=True, kw_only=True, tag="acknowledge-staff-concern"):
    """The service's contact records that it has taken the referral up under its own procedures."""

    referral: str  # the referral's number, e.g. "SC1"
    acknowledged_on: date


class EscalateToFullReview(Command, frozen=True, kw_only=True, tag="escalate-to-full-review"):
    """A Notification for a full Learning Review is made from this review (seed 000 §1.3)."""

    national_reference: str  # the reference of the new national Learning Review record
    escalated_on: date
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CloseMiniReview(Command, frozen=True, kw_only=True, tag="close-mini-review"):
    closed_on: date
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's
