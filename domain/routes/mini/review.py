"""Mini Learning Review (Orkney inter-agency procedure P0318-PROC-003; seed 000).

A multi-agency review below the threshold of a full Learning Review. It is requested by a
member of the Partnership, agreed by the Heads of Service, submitted by the Partnership
Lead on the Request Form (Appendix 1), tabled at the Children's Services Improvement Plan
Delivery Group, which records that it is to be undertaken and sets the date it comes back;
a small Review Team gathers an information form from every participating service, meets,
and reports; the review is signed off at Partnership level with a recorded conclusion on
whether it reached the criteria for a full Learning Review; findings and actions go to the
Child Protection Quality Assurance Sub Committee and the COG; learning is disseminated.
At any time it can be escalated into a notification for a full Learning Review.

Forms (Appendix 1 and the information form) live in `domain.routes.mini.forms`.

Authority (who may record each step):

| step (command)                       | recorded by                                          | seed 000 |
|--------------------------------------|------------------------------------------------------|----------|
| request-mini-review                  | a Partnership member, or the Partnership Lead        | §1.4     |
| record-services-agreement            | the Partnership Lead, or a Partnership member        | §1.4     |
| table-disagreement                   | the Partnership Lead, or a Partnership member        | §1.6     |
| resolve-disagreement                 | the Delivery Group                                   | §1.6     |
| submit-request-form                  | the Partnership Lead                                 | §1.4     |
| table-request                        | the Delivery Group (its Chair)                       | §1.4     |
| record-review-to-be-undertaken       | the Delivery Group                                   | §1.5     |
| set-review-scope                     | the Partnership Lead                                 | §2.3     |
| appoint-review-team                  | the Partnership Lead                                 | §2.2     |
| change-review-team                   | the Partnership Lead                                 | §2.2     |
| request-information                  | the Partnership Lead                                 | form     |
| name-service-contact                 | the Partnership Lead                                 | form     |
| return-information-form              | a contact named for that service (a Partnership member, an agency contact or the Lead) | form |
| record-review-meeting                | a person appointed to the Review Team (the Lead or a Partnership member) | §2.3 |
| compile-review-report                | a person appointed to the Review Team (the Lead or a Partnership member) | §2.3 |
| present-review-report                | the Partnership Lead                                 | §4       |
| record-criteria-conclusion           | the Lead Officer (Service Manager Public Protection) | §4       |
| sign-off-at-partnership-level        | the Delivery Group (the Partnership)                 | §4       |
| receive-findings-and-actions         | the Quality Assurance Sub Committee                  | §4       |
| record-feedback-to-cog               | the Partnership Lead, or the COG                     | §4       |
| record-action-progress               | the Partnership Lead                                 | §2.3(8)  |
| assign-action-owner                  | the Partnership Lead                                 | §2.3(8)  |
| sign-off-action                      | the Quality Assurance Sub Committee (monitoring)     | §4       |
| report-action-exception              | the Partnership Lead (to the COG)                    | §4       |
| carry-over-action                    | the Delivery Group                                   | §4       |
| record-dissemination                 | the Partnership Lead                                 | §5       |
| record-dissemination-activity        | the Partnership Lead                                 | §4-5     |
| record-dissemination-feedback        | the Partnership Lead                                 | §5       |
| tag-learning-themes                  | the Partnership Lead                                 | §5       |
| refer-staff-concern                  | the Partnership Lead                                 | §1       |
| acknowledge-staff-concern            | a contact named for that service                     | §1       |
| escalate-to-full-review              | the Partnership Lead, or the Delivery Group          | §1.3     |
| close-mini-review                    | the Partnership Lead, or the Delivery Group          | §4-5     |

Choices the seed leaves open, made here:
- §4 gives the conclusion on the full Learning Review criteria to "the Service Manager Public
  Protection (Lead Officer) and Partnership". The Lead Officer records it, with reasons, on the
  version presented; the Delivery Group's sign-off at Partnership level then agrees it. A sign-off
  stating a different conclusion is refused: the Lead Officer records the conclusion again first.
- "Sign-off at Partnership level" is the Delivery Group's (the Partnership's Improvement Plan
  Delivery Group the review is presented to), not the Partnership Lead's alone. Sign-offs recorded
  before this rule (`mini.signed-off-at-partnership-level`, carrying the conclusion) still read.
- §1: "If any issues of staff malpractice or competency emerge ... these should be referred to and
  managed by the relevant agency's own staff procedures." The Partnership Lead records the referral
  (which service, which procedure, whom it concerns, sealed about them) and the service's contact
  records that it was taken up; the review itself investigates nothing. The seed sets no timescale,
  so the referral is owed (an obligation with no due date) until taken up; it does not hold up closure.
- Actions are records (`domain/routes/shared/actions.py`, shared with the single-agency route): each has
  its service, a named owner and a due date, progress with evidence, completion, and sign-off by
  the Child Protection Quality Assurance Sub Committee, which §4 gives the findings and actions to.
  Overdue actions are reported by exception to the COG (§4: "Feedback to COG ... on Findings and
  Actions"). A signed-off review closes only when every action is complete and signed off, or
  carried over to a named owner by the Delivery Group (e.g. into the Improvement Plan, §5).
- Meetings and the report are recorded only by a person appointed to this review's Review Team
  (by their actor id), and each information form only by a contact the Lead named for that service.
  A team appointed before this rule without actor ids is completed by a change of the Review Team
  naming them; the steps it recorded stay valid as recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple, NoReturn

import msgspec

from domain.governance.disposal import PersonalDataDisposed
from domain.governance.naming import Naming, checked_ids
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.kernel.steps import Obligation, happened, not_before
from domain.kernel.timescales import Timescale, add_days
from domain.routes.mini.forms import (
    InformationForm,
    InformationFormAnswers,
    MiniCriterion,
    RequestForm,
    RequestFormAnswers,
    record_information_form,
    record_request_form,
)
from domain.routes.shared.actions import (
    ActionCarriedOverShape,
    ActionExceptionReportedShape,
    ActionOwnerAssignedShape,
    ActionPlan,
    ActionSignedOffShape,
)

# The action-plan steps are shared with the single-agency route (domain/routes/shared/actions.py).
from domain.routes.shared.actions import ActionStatus as ActionStatus
from domain.routes.shared.actions import AssignActionOwner as AssignActionOwner
from domain.routes.shared.actions import CarryOverAction as CarryOverAction
from domain.routes.shared.actions import ReportActionException as ReportActionException
from domain.routes.shared.actions import SignOffAction as SignOffAction
from domain.routes.shared.agency_contacts import name_contact, require_contact, with_contact
from domain.routes.shared.dissemination import (
    DisseminationActivityShape,
    DisseminationFeedbackShape,
    LearningThemesShape,
    learning_themes,
    require_activity,
    with_themes,
)

# The dissemination steps every route shares (domain/routes/shared/dissemination.py).
from domain.routes.shared.dissemination import DisseminationKind as DisseminationKind
from domain.routes.shared.dissemination import RecordDisseminationActivity as RecordDisseminationActivity
from domain.routes.shared.dissemination import RecordDisseminationFeedback as RecordDisseminationFeedback
from domain.routes.shared.dissemination import TagLearningThemes as TagLearningThemes
from domain.routes.shared.forms import required, subject_ids

# Where each rule comes from (CONVENTIONS.md 14).
RULE_REQUEST = "seed 000 §1.4: requesting a Mini Learning Review"
RULE_CRITERIA = "seed 000 §1.3: criteria for Mini Learning Reviews"
RULE_DISAGREEMENT = "seed 000 §1.6: disagreement resolution"
RULE_TIMESCALE = "seed 000 §1.5: presented back within 42 calendar days"
RULE_TEAM = "seed 000 §2.2: the Review Team"
RULE_STEPS = "seed 000 §2.3: important steps"
RULE_INFORMATION = "seed 000 Information form: returned within 14 calendar days"
RULE_REPORTING = "seed 000 §4: reporting arrangements"
RULE_DISSEMINATION = "seed 000 §5: dissemination of learning"
RULE_ESCALATION = "seed 000 §1.3: a Notification for a formal Learning Review at any time"
RULE_CLOSED = "a closed review accepts no further steps"
RULE_STAFF = "seed 000 §1: staff malpractice or competency issues go to the agency's own staff procedures"

REQUEST_FORM_DAYS = 14  # seed 000 §1.4
PRESENTATION_DAYS = 42  # seed 000 §1.5
INFORMATION_FORM_DAYS = 14  # seed 000, Information form


class MiniStage(StrEnum):
    """Where the review is in the procedure, in an officer's words."""

    NOT_REQUESTED = "not yet requested"
    REQUESTED = "requested: Heads of Service discussing"
    SERVICES_DISAGREE = "services disagree on the need"
    DISAGREEMENT_TABLED = "disagreement tabled at the Delivery Group"
    AGREED = "agreed: Request Form being completed"
    FORM_SUBMITTED = "Request Form with the Chair of the Delivery Group"
    TABLED = "tabled at the Delivery Group"
    UNDER_WAY = "review under way"
    REPORT_PRESENTED = "review presented to the Delivery Group"
    SIGNED_OFF = "signed off: reporting and dissemination"
    NOT_UNDERTAKEN = "not to be undertaken"
    CLOSED = "closed"


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


_DISSEMINATION_WORDS: dict[DisseminationActivity, str] = {
    DisseminationActivity.MEETING_WITH_THOSE_INVOLVED: "meet those directly involved to share the learning",
    DisseminationActivity.IMPROVEMENT_PLAN_OR_EVIDENCE_LOG: "include the findings and actions in the "
    "Improvement Plan or Evidence Log",
    DisseminationActivity.SINGLE_SERVICE: "disseminate the learning to single services",
    DisseminationActivity.PARTNERSHIP: "disseminate the learning across the Partnership",
    DisseminationActivity.FEEDBACK: "gather feedback and consider further learning and development",
}


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

    received_on: date  # the request is received: the 14-day Request Form clock starts
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
    """The request is presented at the next Delivery Group meeting (seed 000 §1.4): the 42-day clock starts."""

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


class RecordActionProgress(Command, frozen=True, kw_only=True, tag="record-action-progress"):
    action_id: str
    status: ActionStatus
    recorded_on: date
    note: str
    evidence: tuple[str, ...] = ()  # references of the documents that show the progress
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


# -- events ---------------------------------------------------------------------------------


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


class ActionProgressRecorded(MiniEvent, frozen=True, kw_only=True, tag="mini.action-progress-recorded"):
    action_id: str
    status: ActionStatus
    recorded_on: date
    note: Personal
    evidence: tuple[str, ...] = ()


class ActionOwnerAssigned(
    ActionOwnerAssignedShape, frozen=True, kw_only=True, tag="mini.action-owner-assigned"
):
    pass


class ActionSignedOff(ActionSignedOffShape, frozen=True, kw_only=True, tag="mini.action-signed-off"):
    pass


class ActionExceptionReported(
    ActionExceptionReportedShape, frozen=True, kw_only=True, tag="mini.action-exception-reported"
):
    """Overdue actions reported to the COG by exception."""


class ActionCarriedOver(ActionCarriedOverShape, frozen=True, kw_only=True, tag="mini.action-carried-over"):
    pass


class LearningDisseminated(MiniEvent, frozen=True, kw_only=True, tag="mini.learning-disseminated"):
    activity: DisseminationActivity
    held_on: date
    audience: str
    summary: Personal


class DisseminationActivityRecorded(
    DisseminationActivityShape, frozen=True, kw_only=True, tag="mini.dissemination-activity-recorded"
):
    """A 7-minute briefing, training, a briefing or an Improvement Plan entry, with its audience and date."""


class DisseminationFeedbackRecorded(
    DisseminationFeedbackShape, frozen=True, kw_only=True, tag="mini.dissemination-feedback-recorded"
):
    """Feedback on one dissemination activity, by its number."""


class LearningThemesTagged(LearningThemesShape, frozen=True, kw_only=True, tag="mini.learning-themes-tagged"):
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


# -- the procedure: who may take each step, and at which stages --------------------------------


class Step(NamedTuple):
    """One step of the procedure: who may record it, what it is, when it is possible, and why."""

    roles: tuple[Role, ...]  # the first of these the person holds is the role recorded
    doing: str
    stages: frozenset[MiniStage]
    rule: str


_OPEN = frozenset(MiniStage) - {MiniStage.NOT_REQUESTED, MiniStage.CLOSED}
_REVIEWING = frozenset({MiniStage.UNDER_WAY, MiniStage.REPORT_PRESENTED})
_LEAD, _MEMBER, _GROUP = Role.PARTNERSHIP_LEAD, Role.PARTNERSHIP_MEMBER, Role.DELIVERY_GROUP

#: The authority table of the module docstring, as the commands check it.
PROCEDURE: dict[type[Command], Step] = {
    RequestMiniReview: Step(
        (_MEMBER, _LEAD),
        "requesting a Mini Learning Review",
        frozenset({MiniStage.NOT_REQUESTED}),
        RULE_REQUEST,
    ),
    RecordServicesAgreement: Step(
        (_LEAD, _MEMBER),
        "recording the Heads of Service discussion",
        frozenset({MiniStage.REQUESTED}),
        RULE_REQUEST,
    ),
    TableDisagreement: Step(
        (_LEAD, _MEMBER),
        "tabling a disagreement at the Delivery Group",
        frozenset({MiniStage.SERVICES_DISAGREE}),
        RULE_DISAGREEMENT,
    ),
    ResolveDisagreement: Step(
        (_GROUP,),
        "deciding a disagreement on the need for a review",
        frozenset({MiniStage.DISAGREEMENT_TABLED}),
        RULE_DISAGREEMENT,
    ),
    SubmitRequestForm: Step(
        (_LEAD,), "submitting the Request Form", frozenset({MiniStage.AGREED}), RULE_REQUEST
    ),
    TableRequest: Step((_GROUP,), "tabling the request", frozenset({MiniStage.FORM_SUBMITTED}), RULE_REQUEST),
    RecordReviewToBeUndertaken: Step(
        (_GROUP,),
        "recording that a Mini Learning Review is to be undertaken",
        frozenset({MiniStage.TABLED}),
        RULE_TIMESCALE,
    ),
    SetReviewScope: Step((_LEAD,), "setting the questions and scope", _REVIEWING, RULE_STEPS),
    AppointReviewTeam: Step((_LEAD,), "appointing the Review Team", _REVIEWING, RULE_TEAM),
    ChangeReviewTeam: Step((_LEAD,), "changing the Review Team", _REVIEWING, RULE_TEAM),
    RequestInformation: Step((_LEAD,), "requesting information from services", _REVIEWING, RULE_INFORMATION),
    NameServiceContact: Step((_LEAD,), "naming a service's contact", _REVIEWING, RULE_INFORMATION),
    ReturnInformationForm: Step(
        (_MEMBER, Role.AGENCY_CONTACT, _LEAD), "returning an information form", _REVIEWING, RULE_INFORMATION
    ),
    RecordReviewMeeting: Step((_LEAD, _MEMBER), "recording a review meeting", _REVIEWING, RULE_STEPS),
    CompileReviewReport: Step((_LEAD, _MEMBER), "compiling the review report", _REVIEWING, RULE_STEPS),
    PresentReviewReport: Step((_LEAD,), "presenting the review report", _REVIEWING, RULE_REPORTING),
    RecordCriteriaConclusion: Step(
        (Role.LEAD_OFFICER,),
        "concluding on the full Learning Review criteria",
        frozenset({MiniStage.REPORT_PRESENTED}),
        RULE_REPORTING,
    ),
    SignOffAtPartnershipLevel: Step(
        (_GROUP,), "signing off at Partnership level", _REVIEWING, RULE_REPORTING
    ),
    ReceiveFindingsAndActions: Step(
        (Role.QA_SUBCOMMITTEE,),
        "receiving the findings and actions",
        frozenset({MiniStage.SIGNED_OFF}),
        RULE_REPORTING,
    ),
    RecordFeedbackToCog: Step(
        (_LEAD, Role.COG), "recording feedback to the COG", frozenset({MiniStage.SIGNED_OFF}), RULE_REPORTING
    ),
    RecordActionProgress: Step(
        (_LEAD,), "recording progress on an action", frozenset({MiniStage.SIGNED_OFF}), RULE_STEPS
    ),
    AssignActionOwner: Step(
        (_LEAD,), "naming an action's owner", frozenset({MiniStage.SIGNED_OFF}), RULE_STEPS
    ),
    SignOffAction: Step(
        (Role.QA_SUBCOMMITTEE,), "signing off an action", frozenset({MiniStage.SIGNED_OFF}), RULE_STEPS
    ),
    ReportActionException: Step(
        (_LEAD,), "reporting overdue actions to the COG", frozenset({MiniStage.SIGNED_OFF}), RULE_STEPS
    ),
    CarryOverAction: Step(
        (_GROUP,), "carrying an action over to a named owner", frozenset({MiniStage.SIGNED_OFF}), RULE_STEPS
    ),
    # §4: dissemination is planned "on completion of the Mini Learning Review process above and with sign-off".
    RecordDissemination: Step(
        (_LEAD,), "recording dissemination of learning", frozenset({MiniStage.SIGNED_OFF}), RULE_DISSEMINATION
    ),
    RecordDisseminationActivity: Step(
        (_LEAD,), "recording a dissemination activity", frozenset({MiniStage.SIGNED_OFF}), RULE_DISSEMINATION
    ),
    RecordDisseminationFeedback: Step(
        (_LEAD,),
        "recording feedback on a dissemination activity",
        frozenset({MiniStage.SIGNED_OFF}),
        RULE_DISSEMINATION,
    ),
    TagLearningThemes: Step(
        (_LEAD,), "tagging the learning's themes", frozenset({MiniStage.SIGNED_OFF}), RULE_DISSEMINATION
    ),
    ReferStaffConcern: Step(
        (_LEAD,),
        "referring a staff concern to the agency's own procedures",
        _REVIEWING | {MiniStage.SIGNED_OFF},
        RULE_STAFF,
    ),
    AcknowledgeStaffConcern: Step(
        (_MEMBER, Role.AGENCY_CONTACT, _LEAD),
        "taking up a staff concern",
        _REVIEWING | {MiniStage.SIGNED_OFF},
        RULE_STAFF,
    ),
    # §1.3: a Notification for a formal Learning Review "at any time during the process".
    EscalateToFullReview: Step(
        (_LEAD, _GROUP), "escalating to a full Learning Review", _OPEN, RULE_ESCALATION
    ),
    CloseMiniReview: Step((_LEAD, _GROUP), "closing the review", _OPEN, RULE_REPORTING),
}


# -- the record -------------------------------------------------------------------------------


class MiniReview(Aggregate):
    """One Mini Learning Review, from the request to closure."""

    kind = "mini learning review"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self._stage = MiniStage.NOT_REQUESTED
        self.received_on: date | None = None
        self.services: tuple[str, ...] = ()
        self.family: tuple[str, ...] = ()  # the subjects free text about the case is about
        self.practitioners: tuple[str, ...] = ()
        self.form_completed_on: date | None = None
        self.tabled_on: date | None = None
        self.presentation_due_on: date | None = None
        self.team: dict[str, TeamMember] = {}
        self.information_requested: dict[str, date] = {}
        self.information_returned: dict[str, date] = {}
        self.contacts: dict[str, frozenset[str]] = {}  # service -> actor ids answering for it
        self.conclusion: tuple[int, bool] | None = None  # the Lead Officer's: (version, reached)
        self.plan = ActionPlan(reference, RULE_STEPS)
        self.staff_concerns: dict[str, tuple[str, date | None]] = {}  # referral -> (service, taken up on)
        self.meetings_held = 0
        self.report_version = 0
        self.actions: dict[str, ActionStatus] = {}
        self.action_due: dict[str, date | None] = {}
        self.presented_version: int | None = None
        self.first_presented_on: date | None = None
        self.reached_full_criteria: bool | None = None
        self.qa_received_on: date | None = None
        self.cog_feedback_on: date | None = None
        self.disseminated: set[DisseminationActivity] = set()
        self.dissemination_activities = 0  # activities recorded, numbered 1, 2, ...
        self.dissemination_feedback: set[int] = set()  # the activities feedback is recorded on
        self.themes: tuple[str, ...] = ()
        self.escalated_to: str | None = None
        self.closed_on: date | None = None
        self.personal_data_disposed = False

    # -- what an officer sees -----------------------------------------------------------------

    @property
    def stage(self) -> MiniStage:
        return self._stage

    @property
    def status(self) -> str:
        if self._stage is MiniStage.NOT_REQUESTED:
            return "not yet requested"
        words = "closed" if self._stage is MiniStage.CLOSED else "open"
        if self.escalated_to is not None:
            words += f"; escalated to a full Learning Review ({self.escalated_to})"
        return words

    @property
    def links(self) -> dict[str, str]:
        """Other records this one points to: the full Learning Review it was escalated into."""
        return {} if self.escalated_to is None else {"escalated_to": self.escalated_to}

    def timescales(self) -> list[Timescale]:
        clocks: list[Timescale] = []
        if self.received_on is not None:
            clocks.append(
                Timescale(
                    name="Request Form completed within 14 calendar days of the request being received",
                    rule="seed 000 §1.4",
                    started=self.received_on,
                    due=add_days(self.received_on, REQUEST_FORM_DAYS),
                    completed=self.form_completed_on,
                )
            )
        if self.tabled_on is not None:
            clocks.append(
                Timescale(
                    name="completed review presented back to the Delivery Group "
                    "(within 42 calendar days of the request being presented)",
                    rule="seed 000 §1.5",
                    started=self.tabled_on,
                    due=self.presentation_due_on or add_days(self.tabled_on, PRESENTATION_DAYS),
                    completed=self.first_presented_on,
                )
            )
        clocks += self.plan.clocks()
        for service, requested_on in self.information_requested.items():
            clocks.append(
                Timescale(
                    name=f"information form from {service} within 14 calendar days",
                    rule="seed 000 Information form",
                    started=requested_on,
                    due=add_days(requested_on, INFORMATION_FORM_DAYS),
                    completed=self.information_returned.get(service),
                )
            )
        return clocks

    def obligations(self) -> list[Obligation]:
        """What the procedure expects next, from whom, and by when where there is a clock."""
        lead = Role.PARTNERSHIP_LEAD
        simple: dict[MiniStage, tuple[Role, str, str]] = {
            MiniStage.REQUESTED: (lead, "record the Heads of Service discussion", RULE_REQUEST),
            MiniStage.SERVICES_DISAGREE: (
                lead,
                "table the disagreement at the Delivery Group",
                RULE_DISAGREEMENT,
            ),
            MiniStage.DISAGREEMENT_TABLED: (
                Role.DELIVERY_GROUP,
                "decide whether the review is needed",
                RULE_DISAGREEMENT,
            ),
            MiniStage.FORM_SUBMITTED: (
                Role.DELIVERY_GROUP,
                "table the request at the next meeting",
                RULE_REQUEST,
            ),
            MiniStage.TABLED: (
                Role.DELIVERY_GROUP,
                "record that the review is to be undertaken and set the presentation date",
                RULE_TIMESCALE,
            ),
            MiniStage.NOT_UNDERTAKEN: (lead, "close the record", RULE_DISAGREEMENT),
        }
        if self._stage in simple:
            who, what, rule = simple[self._stage]
            return [Obligation(who=(who,), what=what, rule=rule)]
        if self._stage is MiniStage.AGREED and self.received_on is not None:
            due = add_days(self.received_on, REQUEST_FORM_DAYS)
            return [Obligation(who=(lead,), what="submit the Request Form", rule=RULE_REQUEST, due=due)]
        if self._stage is MiniStage.UNDER_WAY:
            return self._review_obligations() + self._staff_obligations()
        if self._stage is MiniStage.SIGNED_OFF:
            return self._reporting_obligations() + self._staff_obligations()
        if self._stage is MiniStage.REPORT_PRESENTED:
            if self.conclusion is None or self.conclusion[0] != self.presented_version:
                what = (
                    "record whether the review reached the criteria for a full Learning Review, with reasons"
                )
                return [Obligation(who=(Role.LEAD_OFFICER,), what=what, rule=RULE_REPORTING)]
            what = "sign off at Partnership level, agreeing the Lead Officer's conclusion"
            return [Obligation(who=(Role.DELIVERY_GROUP,), what=what, rule=RULE_REPORTING)]
        return []

    def _staff_obligations(self) -> list[Obligation]:
        return [
            Obligation(
                who=(Role.AGENCY_CONTACT,),
                what=f"{service} takes up staff concern {referral} under its own staff procedures",
                rule=RULE_STAFF,
            )
            for referral, (service, taken_up) in self.staff_concerns.items()
            if taken_up is None
        ]

    def _review_obligations(self) -> list[Obligation]:
        owed: list[Obligation] = []
        if not self.team:
            owed.append(
                Obligation(who=(Role.PARTNERSHIP_LEAD,), what="appoint a small Review Team", rule=RULE_TEAM)
            )
        for service, requested_on in self.information_requested.items():
            if service not in self.information_returned and not self.contacts.get(service):
                what = f"name who answers for {service}"
                owed.append(Obligation(who=(Role.PARTNERSHIP_LEAD,), what=what, rule=RULE_INFORMATION))
            if service not in self.information_returned:
                due = add_days(requested_on, INFORMATION_FORM_DAYS)
                what = f"{service} returns its information form"
                owed.append(
                    Obligation(who=(Role.PARTNERSHIP_MEMBER,), what=what, rule=RULE_INFORMATION, due=due)
                )
        what = "present the completed review to the Delivery Group"
        owed.append(
            Obligation(
                who=(Role.PARTNERSHIP_LEAD,), what=what, rule=RULE_TIMESCALE, due=self.presentation_due_on
            )
        )
        return owed

    def _reporting_obligations(self) -> list[Obligation]:
        lead = (Role.PARTNERSHIP_LEAD,)
        owed: list[Obligation] = []
        if self.reached_full_criteria and self.escalated_to is None:
            owed.append(Obligation(who=lead, what="notify for a full Learning Review", rule=RULE_ESCALATION))
        if self.qa_received_on is None:
            what = "receive the findings and actions"
            owed.append(Obligation(who=(Role.QA_SUBCOMMITTEE,), what=what, rule=RULE_REPORTING))
        if self.cog_feedback_on is None:
            owed.append(
                Obligation(who=lead, what="feed back findings and actions to the COG", rule=RULE_REPORTING)
            )
        owed += self.plan.obligations(lead, (Role.QA_SUBCOMMITTEE,))
        for activity in DisseminationActivity:
            if activity not in self.disseminated:
                what = _DISSEMINATION_WORDS[activity]
                owed.append(Obligation(who=lead, what=what, rule=RULE_DISSEMINATION))
        return owed

    # -- commands: each checks authority and the rules, then records exactly one event ---------

    @handles(RequestMiniReview)
    def request(self, command: RequestMiniReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("received_on", command.received_on, at)
        if not command.full_criteria_not_met:
            # §1.4: "Importantly they should be of the view the criteria for a full Learning Review ... are not met."
            self._refuse(
                "a Mini Learning Review is only for cases that do not meet the criteria for a full "
                "Learning Review; make a Notification for a Learning Review instead",
                RULE_REQUEST,
            )
        services = tuple(dict.fromkeys(required("services", s) for s in command.services))
        if len(services) < 2:
            # §1.1, §1.4: "Mini Learning Reviews should involve more than one service".
            self._refuse("a Mini Learning Review involves more than one service", RULE_REQUEST)
        if not command.criteria:
            self._refuse("name at least one ground within the Mini Learning Review criteria", RULE_CRITERIA)
        if not command.subjects:
            raise InvalidInput("subjects", "name the data subjects the concern is about")
        subjects = subject_ids(*command.subjects)
        concern = required("concern", command.concern)
        self._record(
            MiniReviewRequested(
                received_on=command.received_on,
                initiator_service=required("initiator_service", command.initiator_service),
                services=services,
                criteria=tuple(dict.fromkeys(command.criteria)),
                full_criteria_not_met=True,
                concern=personal(concern, *subjects, kind=ItemKind.NARRATIVE, nature=Nature.OPINION),
                subjects=subjects,
                role=role,
                at=at,
            )
        )

    @handles(RecordServicesAgreement)
    def record_services_agreement(self, command: RecordServicesAgreement, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        not_before("discussed_on", command.discussed_on, self.received_on, "the request was received")
        happened("discussed_on", command.discussed_on, at)
        agreeing = tuple(dict.fromkeys(command.agreeing))
        not_agreeing = tuple(dict.fromkeys(command.not_agreeing))
        if set(agreeing) & set(not_agreeing):
            raise InvalidInput("not_agreeing", "a service cannot both agree and disagree")
        if len(agreeing) + len(not_agreeing) < 2:
            self._refuse(
                "the discussion is between the Heads of Service of more than one service", RULE_REQUEST
            )
        self._record(
            ServicesAgreementRecorded(
                discussed_on=command.discussed_on,
                agreeing=agreeing,
                not_agreeing=not_agreeing,
                basis=self._about_case(command, "basis", command.basis, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(TableDisagreement)
    def table_disagreement(self, command: TableDisagreement, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("tabled_on", command.tabled_on, at)
        information = self._about_case(
            command, "presenting_information", command.presenting_information, Nature.OPINION
        )
        self._record(
            DisagreementTabled(
                tabled_on=command.tabled_on,
                service=required("service", command.service),
                presenting_information=information,
                role=role,
                at=at,
            )
        )

    @handles(ResolveDisagreement)
    def resolve_disagreement(self, command: ResolveDisagreement, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("decided_on", command.decided_on, at)
        if not command.reasons.strip():
            # §1.6: decided "based on the presenting information and the match with the criteria".
            self._refuse("the Delivery Group's decision must give its reasons", RULE_DISAGREEMENT)
        self._record(
            DisagreementResolved(
                decided_on=command.decided_on,
                review_needed=command.review_needed,
                reasons=self._about_case(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(SubmitRequestForm)
    def submit_request_form(self, command: SubmitRequestForm, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        completed_on = command.form.completed_on
        not_before("form.completed_on", completed_on, self.received_on, "the request was received")
        not_before("submitted_on", command.submitted_on, completed_on, "the form was completed")
        happened("submitted_on", command.submitted_on, at)
        form = record_request_form(command.form)
        self._record(RequestFormSubmitted(submitted_on=command.submitted_on, form=form, role=role, at=at))

    @handles(TableRequest)
    def table_request(self, command: TableRequest, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("meeting_on", command.meeting_on, at)
        self._record(RequestTabled(meeting_on=command.meeting_on, role=role, at=at))

    @handles(RecordReviewToBeUndertaken)
    def record_to_be_undertaken(self, command: RecordReviewToBeUndertaken, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        assert self.tabled_on is not None  # the stage is TABLED
        not_before("decided_on", command.decided_on, self.tabled_on, "the request was tabled")
        happened("decided_on", command.decided_on, at)
        latest = add_days(self.tabled_on, PRESENTATION_DAYS)
        if not self.tabled_on <= command.presentation_due_on <= latest:
            # §1.5: "within 42 calendar days of the request being presented to the Delivery Group".
            self._refuse(
                f"the presentation date must fall within 42 calendar days of the request being "
                f"presented to the Delivery Group on {self.tabled_on}, that is by {latest}",
                RULE_TIMESCALE,
            )
        self._record(
            ReviewToBeUndertakenRecorded(
                decided_on=command.decided_on,
                presentation_due_on=command.presentation_due_on,
                role=role,
                at=at,
            )
        )

    @handles(SetReviewScope)
    def set_scope(self, command: SetReviewScope, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("set_on", command.set_on, at)
        if not command.questions:
            raise InvalidInput("questions", "name at least one question for the review")
        self._record(
            ReviewScopeSet(
                set_on=command.set_on,
                questions=tuple(self._about_case(command, "questions", q) for q in command.questions),
                scope=self._about_case(command, "scope", command.scope),
                role=role,
                at=at,
            )
        )

    @handles(AppointReviewTeam)
    def appoint_team(self, command: AppointReviewTeam, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.team:
            self._refuse("the Review Team is already appointed; record a change instead", RULE_TEAM)
        happened("appointed_on", command.appointed_on, at)
        if not command.members:
            raise InvalidInput("members", "the Review Team needs at least one member")
        members = _team_members(command.members)
        self._record(
            ReviewTeamAppointed(appointed_on=command.appointed_on, members=members, role=role, at=at)
        )

    @handles(ChangeReviewTeam)
    def change_team(self, command: ChangeReviewTeam, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("changing the Review Team")
        happened("changed_on", command.changed_on, at)
        joining = _team_members(command.joining)
        leaving = tuple(dict.fromkeys(command.leaving))
        if not joining and not leaving:
            raise InvalidInput("joining", "a change names at least one member joining or leaving")
        for subject_id in leaving:
            if subject_id not in self.team:
                raise InvalidInput("leaving", f"{subject_id} is not a member of the Review Team")
        for member in joining:
            if member.subject_id in self.team and member.subject_id not in leaving:
                raise InvalidInput("joining", f"{member.subject_id} is already a member of the Review Team")
        if not set(self.team) - set(leaving) and not joining:
            self._refuse("the Review Team cannot be left without members", RULE_TEAM)
        about = subject_ids(*leaving, *(m.subject_id for m in joining), *checked_ids("about", command.about))
        reason = personal(
            required("reason", command.reason), *about, kind=ItemKind.NARRATIVE, by=_by("by", command.by)
        )
        self._record(
            ReviewTeamChanged(
                changed_on=command.changed_on,
                joining=joining,
                leaving=leaving,
                reason=reason,
                role=role,
                at=at,
            )
        )

    @handles(RequestInformation)
    def request_information(self, command: RequestInformation, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("requesting information from services")
        happened("requested_on", command.requested_on, at)
        services = tuple(dict.fromkeys(required("services", s) for s in command.services))
        if not services:
            raise InvalidInput("services", "name at least one participating service")
        for service in services:
            if service in self.information_requested:
                self._refuse(f"{service} has already been asked for its information form", RULE_INFORMATION)
        self._record(
            InformationRequested(requested_on=command.requested_on, services=services, role=role, at=at)
        )

    @handles(NameServiceContact)
    def name_service_contact(self, command: NameServiceContact, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        name_contact(self.contacts, command.service, command.actor_id)
        if command.service not in self.services and command.service not in self.information_requested:
            self._refuse(f"{command.service} is not a service taking part in this review", RULE_INFORMATION)
        not_before("named_on", command.named_on, self.received_on, "the request was received")
        happened("named_on", command.named_on, at)
        self._record(
            ServiceContactNamed(
                service=command.service,
                actor_id=command.actor_id,
                named_on=command.named_on,
                role=role,
                at=at,
            )
        )

    @handles(ReturnInformationForm)
    def return_information_form(self, command: ReturnInformationForm, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        requested_on = self.information_requested.get(command.service)
        if requested_on is None:
            self._refuse(f"{command.service} has not been asked for an information form", RULE_INFORMATION)
        if command.service in self.information_returned:
            self._refuse(f"{command.service} has already returned its information form", RULE_INFORMATION)
        require_contact(
            self.contacts, command.service, by, doing="returning the information form", record=self.reference
        )
        not_before("returned_on", command.returned_on, requested_on, "the information was requested")
        happened("returned_on", command.returned_on, at)
        self._record(
            InformationFormReturned(
                service=command.service,
                requested_on=requested_on,
                returned_on=command.returned_on,
                form=record_information_form(command.form),
                role=role,
                at=at,
            )
        )

    @handles(RecordReviewMeeting)
    def record_meeting(self, command: RecordReviewMeeting, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("recording a review meeting")
        self._require_on_team(by, "recording a review meeting")
        happened("held_on", command.held_on, at)
        self._record(
            ReviewMeetingHeld(
                held_on=command.held_on,
                kind=command.kind,
                attendees=subject_ids(*command.attendees),
                minutes=self._about_case(command, "minutes", command.minutes),
                role=role,
                at=at,
            )
        )

    @handles(CompileReviewReport)
    def compile_report(self, command: CompileReviewReport, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("compiling the review report")
        self._require_on_team(by, "compiling the review report")
        happened("compiled_on", command.compiled_on, at)
        if not command.findings:
            raise InvalidInput("findings", "the report records at least one finding")
        ids = [a.action_id for a in command.actions]
        if len(set(ids)) != len(ids) or not all(i.strip() for i in ids):
            raise InvalidInput("actions", "each action needs its own non-empty id")
        actions = tuple(
            PlannedAction(
                action_id=a.action_id,
                description=self._about_case(command, "actions.description", a.description),
                owner_service=required("actions.owner_service", a.owner_service),
                due_on=a.due_on,
            )
            for a in command.actions
        )
        self._record(
            ReviewReportCompiled(
                version=self.report_version + 1,
                compiled_on=command.compiled_on,
                findings=tuple(
                    self._about_case(command, "findings", f, Nature.OPINION) for f in command.findings
                ),
                actions=actions,
                role=role,
                at=at,
            )
        )

    @handles(PresentReviewReport)
    def present_report(self, command: PresentReviewReport, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_latest_version(command.version, "presented")
        if self.presented_version == command.version:
            self._refuse(
                f"version {command.version} of the report has already been presented", RULE_REPORTING
            )
        happened("presented_on", command.presented_on, at)
        self._record(
            ReviewReportPresented(
                version=command.version, presented_on=command.presented_on, role=role, at=at
            )
        )

    @handles(RecordCriteriaConclusion)
    def record_criteria_conclusion(self, command: RecordCriteriaConclusion, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_latest_version(command.version, "concluded on")
        # §4: the Lead Officer and Partnership "consider if the Mini Learning Review is likely to have
        # reached the criteria for full Learning Review and record conclusion and reasons".
        if not command.reasons.strip():
            self._refuse(
                "the conclusion on the full Learning Review criteria must give its reasons", RULE_REPORTING
            )
        not_before("concluded_on", command.concluded_on, self.first_presented_on, "the report was presented")
        happened("concluded_on", command.concluded_on, at)
        self._record(
            FullCriteriaConcluded(
                version=command.version,
                concluded_on=command.concluded_on,
                reached_full_criteria=command.reached_full_criteria,
                reasons=self._about_case(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(SignOffAtPartnershipLevel)
    def sign_off(self, command: SignOffAtPartnershipLevel, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_latest_version(command.version, "signed off")
        if self.presented_version != command.version:
            self._refuse(
                f"version {command.version} of the report must be presented to the Partnership before sign-off",
                RULE_REPORTING,
            )
        if self.conclusion is None or self.conclusion[0] != command.version:
            self._refuse(
                f"the Lead Officer must record whether version {command.version} reached the criteria for "
                "a full Learning Review before sign-off",
                RULE_REPORTING,
            )
        reached = self.conclusion[1]
        if command.reached_full_criteria is not None and command.reached_full_criteria != reached:
            said = "reached" if reached else "did not reach"
            self._refuse(
                f"the Lead Officer concluded the review {said} the criteria for a full Learning Review: "
                "the sign-off agrees that conclusion, or the Lead Officer records a new one first",
                RULE_REPORTING,
            )
        happened("signed_off_on", command.signed_off_on, at)
        self._record(
            SignedOffByPartnership(
                version=command.version,
                signed_off_on=command.signed_off_on,
                reached_full_criteria=reached,
                comments=self._maybe_opinion(command, command.reasons),
                role=role,
                at=at,
            )
        )

    @handles(ReceiveFindingsAndActions)
    def receive_findings(self, command: ReceiveFindingsAndActions, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.qa_received_on is not None:
            self._refuse("the QA Sub Committee has already received the findings and actions", RULE_REPORTING)
        happened("received_on", command.received_on, at)
        self._record(
            FindingsAndActionsReceived(
                received_on=command.received_on,
                presented_by=command.presented_by,
                comments=self._maybe_opinion(command, command.comments),
                role=role,
                at=at,
            )
        )

    @handles(RecordFeedbackToCog)
    def record_feedback_to_cog(self, command: RecordFeedbackToCog, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.cog_feedback_on is not None:
            self._refuse("feedback to the COG has already been recorded", RULE_REPORTING)
        happened("given_on", command.given_on, at)
        self._record(
            FeedbackGivenToCog(
                given_on=command.given_on,
                presented_by=command.presented_by,
                response=self._maybe_opinion(command, command.response),
                role=role,
                at=at,
            )
        )

    @handles(RecordActionProgress)
    def record_action_progress(self, command: RecordActionProgress, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        status = self.actions.get(command.action_id)
        if status is None:
            self._refuse(f"the signed-off report has no action {command.action_id}", RULE_STEPS)
        if status is ActionStatus.COMPLETE:
            self._refuse(f"action {command.action_id} is already complete", RULE_STEPS)
        happened("recorded_on", command.recorded_on, at)
        self._record(
            ActionProgressRecorded(
                action_id=command.action_id,
                status=command.status,
                recorded_on=command.recorded_on,
                note=self._about_case(command, "note", command.note),
                evidence=tuple(required("evidence", e) for e in command.evidence),
                role=role,
                at=at,
            )
        )

    @handles(AssignActionOwner)
    def assign_action_owner(self, command: AssignActionOwner, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self.plan.require_assignable(command)
        happened("assigned_on", command.assigned_on, at)
        owner = subject_ids(command.owner_subject)[0]
        name = personal(required("owner_name", command.owner_name), owner, kind=ItemKind.NAME)
        self._record(
            ActionOwnerAssigned(
                action_id=command.action_id,
                owner_subject=owner,
                owner_name=name,
                due_on=command.due_on,
                assigned_on=command.assigned_on,
                role=role,
                at=at,
            )
        )

    @handles(SignOffAction)
    def sign_off_action(self, command: SignOffAction, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self.plan.require_sign_off(command)
        happened("signed_off_on", command.signed_off_on, at)
        self._record(
            ActionSignedOff(
                action_id=command.action_id,
                signed_off_on=command.signed_off_on,
                comments=self._maybe_opinion(command, command.comments),
                role=role,
                at=at,
            )
        )

    @handles(ReportActionException)
    def report_action_exception(self, command: ReportActionException, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self.plan.require_exception(command)
        happened("reported_on", command.reported_on, at)
        self._record(
            ActionExceptionReported(
                reported_on=command.reported_on,
                actions=tuple(dict.fromkeys(command.actions)),
                summary=self._about_case(command, "summary", command.summary),
                role=role,
                at=at,
            )
        )

    @handles(CarryOverAction)
    def carry_over_action(self, command: CarryOverAction, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self.plan.require_carry_over(command)
        happened("carried_over_on", command.carried_over_on, at)
        owner = subject_ids(command.owner_subject)[0]
        name = personal(required("owner_name", command.owner_name), owner, kind=ItemKind.NAME)
        self._record(
            ActionCarriedOver(
                action_id=command.action_id,
                owner_subject=owner,
                owner_name=name,
                carried_over_on=command.carried_over_on,
                reason=self._about_case(command, "reason", command.reason),
                role=role,
                at=at,
            )
        )

    @handles(RecordDissemination)
    def record_dissemination(self, command: RecordDissemination, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("held_on", command.held_on, at)
        self._record(
            LearningDisseminated(
                activity=command.activity,
                held_on=command.held_on,
                audience=required("audience", command.audience),
                summary=self._about_case(command, "summary", command.summary),
                role=role,
                at=at,
            )
        )

    @handles(RecordDisseminationActivity)
    def record_dissemination_activity(
        self, command: RecordDisseminationActivity, by: Acting, at: datetime
    ) -> None:
        role = self._begin(command, by)
        happened("held_on", command.held_on, at)
        nature = Nature.FACT if command.by is None else Nature.OPINION
        self._record(
            DisseminationActivityRecorded(
                number=self.dissemination_activities + 1,
                activity=command.activity,
                held_on=command.held_on,
                audience=required("audience", command.audience),
                description=self._about_case(command, "description", command.description, nature),
                role=role,
                at=at,
            )
        )

    @handles(RecordDisseminationFeedback)
    def record_dissemination_feedback(
        self, command: RecordDisseminationFeedback, by: Acting, at: datetime
    ) -> None:
        role = self._begin(command, by)
        require_activity(
            command.activity_number,
            self.dissemination_activities,
            record=self.reference,
            rule=RULE_DISSEMINATION,
        )
        happened("received_on", command.received_on, at)
        nature = Nature.FACT if command.by is None else Nature.OPINION
        self._record(
            DisseminationFeedbackRecorded(
                activity_number=command.activity_number,
                received_on=command.received_on,
                feedback=self._about_case(command, "feedback", command.feedback, nature),
                role=role,
                at=at,
            )
        )

    @handles(TagLearningThemes)
    def tag_learning_themes(self, command: TagLearningThemes, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        themes = learning_themes(command.themes)
        happened("tagged_on", command.tagged_on, at)
        self._record(LearningThemesTagged(tagged_on=command.tagged_on, themes=themes, role=role, at=at))

    @handles(ReferStaffConcern)
    def refer_staff_concern(self, command: ReferStaffConcern, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        service = required("service", command.service)
        if not command.practitioners:
            raise InvalidInput("practitioners", "name the staff the concern is about")
        practitioners = subject_ids(*command.practitioners)
        procedure = required("procedure", command.procedure)
        not_before("referred_on", command.referred_on, self.received_on, "the request was received")
        happened("referred_on", command.referred_on, at)
        about = subject_ids(*practitioners, *checked_ids("about", command.about))
        summary = personal(
            required("summary", command.summary), *about, kind=ItemKind.NARRATIVE, by=_by("by", command.by)
        )
        self._record(
            StaffConcernReferred(
                referral=f"SC{len(self.staff_concerns) + 1}",
                referred_on=command.referred_on,
                service=service,
                concern=command.concern,
                practitioners=practitioners,
                procedure=procedure,
                summary=summary,
                role=role,
                at=at,
            )
        )

    @handles(AcknowledgeStaffConcern)
    def acknowledge_staff_concern(self, command: AcknowledgeStaffConcern, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        referred = self.staff_concerns.get(command.referral)
        if referred is None:
            self._refuse(f"there is no staff concern {command.referral}", RULE_STAFF)
        service, taken_up = referred
        if taken_up is not None:
            self._refuse(f"staff concern {command.referral} was already taken up on {taken_up}", RULE_STAFF)
        require_contact(self.contacts, service, by, doing="taking up a staff concern", record=self.reference)
        happened("acknowledged_on", command.acknowledged_on, at)
        self._record(
            StaffConcernAcknowledged(
                referral=command.referral, acknowledged_on=command.acknowledged_on, role=role, at=at
            )
        )

    @handles(EscalateToFullReview)
    def escalate(self, command: EscalateToFullReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.escalated_to is not None:
            self._refuse(f"this review was already escalated to {self.escalated_to}", RULE_ESCALATION)
        reference = command.national_reference
        if not reference or reference != reference.strip() or reference == self.reference:
            raise InvalidInput(
                "national_reference", "must be the reference of the new Learning Review record"
            )
        not_before("escalated_on", command.escalated_on, self.received_on, "the request was received")
        happened("escalated_on", command.escalated_on, at)
        if not command.reasons.strip():
            self._refuse("escalation must give the reasons for a full Learning Review", RULE_ESCALATION)
        self._record(
            EscalatedToFullReview(
                national_reference=reference,
                escalated_on=command.escalated_on,
                reasons=self._about_case(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(CloseMiniReview)
    def close(self, command: CloseMiniReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._check_can_close()
        happened("closed_on", command.closed_on, at)
        summary = self._about_case(command, "summary", command.summary)
        self._record(MiniReviewClosed(closed_on=command.closed_on, summary=summary, role=role, at=at))

    def _check_can_close(self) -> None:
        stage = self._stage
        if stage is MiniStage.NOT_UNDERTAKEN:
            return
        if self.escalated_to is not None and stage is not MiniStage.SIGNED_OFF:
            return  # the learning continues in the full Learning Review
        if stage is not MiniStage.SIGNED_OFF:
            self._refuse(
                "the review cannot close before it is signed off at Partnership level "
                "(unless it was not undertaken or was escalated to a full Learning Review)",
                RULE_REPORTING,
            )
        if self.qa_received_on is None or self.cog_feedback_on is None:
            self._refuse(
                "the review cannot close until the findings and actions have gone to the "
                "QA Sub Committee and the COG",
                RULE_REPORTING,
            )
        if self.reached_full_criteria and self.escalated_to is None:
            self._refuse(
                "the review concluded that the full Learning Review criteria were reached: "
                "record the escalation to a full Learning Review before closing",
                RULE_ESCALATION,
            )
        if DisseminationActivity.FEEDBACK not in self.disseminated:
            self._refuse(
                "the review cannot close until feedback on the dissemination is recorded", RULE_DISSEMINATION
            )
        self.plan.require_none_open("the review")

    # -- state changes: no rules here, the event already happened ---------------------------------

    def when(self, event: DomainEvent) -> None:
        match event:
            case MiniReviewRequested():
                self._stage = MiniStage.REQUESTED
                self.received_on = event.received_on
                self.services = event.services
                self.family = event.subjects
            case ServicesAgreementRecorded():
                self._stage = MiniStage.SERVICES_DISAGREE if event.not_agreeing else MiniStage.AGREED
            case DisagreementTabled():
                self._stage = MiniStage.DISAGREEMENT_TABLED
            case DisagreementResolved():
                self._stage = MiniStage.AGREED if event.review_needed else MiniStage.NOT_UNDERTAKEN
            case RequestFormSubmitted():
                self._stage = MiniStage.FORM_SUBMITTED
                self.form_completed_on = event.form.completed_on
                self._add_subjects(event.form.family_subjects(), event.form.practitioner_subjects())
            case RequestTabled():
                self._stage = MiniStage.TABLED
                self.tabled_on = event.meeting_on
            case ReviewToBeUndertakenRecorded():
                self._stage = MiniStage.UNDER_WAY
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
                self._stage = MiniStage.UNDER_WAY  # a new version must be presented again
                self.report_version = event.version
                self.actions = {a.action_id: ActionStatus.NOT_STARTED for a in event.actions}
                self.action_due = {a.action_id: a.due_on for a in event.actions}
                self.plan.agreed(
                    ((a.action_id, a.owner_service, a.due_on) for a in event.actions), event.compiled_on
                )
            case ReviewReportPresented():
                self._stage = MiniStage.REPORT_PRESENTED
                self.presented_version = event.version
                self.first_presented_on = self.first_presented_on or event.presented_on
            case SignedOffAtPartnershipLevel() | SignedOffByPartnership():
                self._stage = MiniStage.SIGNED_OFF
                self.reached_full_criteria = event.reached_full_criteria
            case FullCriteriaConcluded():
                self.conclusion = (event.version, event.reached_full_criteria)
            case ServiceContactNamed():
                self.contacts = with_contact(self.contacts, event.service, event.actor_id)
            case FindingsAndActionsReceived():
                self.qa_received_on = event.received_on
            case FeedbackGivenToCog():
                self.cog_feedback_on = event.given_on
            case ActionProgressRecorded():
                self.actions[event.action_id] = event.status
                self.plan.progressed(event.action_id, event.status, event.recorded_on, event.evidence)
            case ActionOwnerAssigned():
                self.plan.owned(event.action_id, event.owner_subject, event.due_on)
            case ActionSignedOff():
                self.plan.signed_off(event.action_id, event.signed_off_on)
            case ActionExceptionReported():
                pass  # kept for the record and the COG; no rule depends on it
            case ActionCarriedOver():
                self.plan.carried_over(event.action_id, event.owner_subject)
            case LearningDisseminated():
                self.disseminated.add(event.activity)
            case DisseminationActivityRecorded():
                self.dissemination_activities = event.number
            case DisseminationFeedbackRecorded():
                self.dissemination_feedback.add(event.activity_number)
            case LearningThemesTagged():
                self.themes = with_themes(self.themes, event.themes)
            case StaffConcernReferred():
                self.staff_concerns[event.referral] = (event.service, None)
            case StaffConcernAcknowledged():
                service, _ = self.staff_concerns[event.referral]
                self.staff_concerns[event.referral] = (service, event.acknowledged_on)
            case EscalatedToFullReview():
                self.escalated_to = event.national_reference
            case MiniReviewClosed():
                self._stage = MiniStage.CLOSED
                self.closed_on = event.closed_on
            case PersonalDataDisposed():
                self.personal_data_disposed = True  # the sealed values are gone; the course is unchanged
            case _:
                raise TypeError(f"a {self.kind} has no event {type(event).__name__}")

    # -- helpers -----------------------------------------------------------------------------

    def _begin(self, command: Command, by: Acting) -> Role:
        """Check who is acting and whether the step is possible now; return the role recorded."""
        step = PROCEDURE[type(command)]
        role = require_any_role(by, step.roles, action=step.doing, record=self.reference)
        if self._stage is MiniStage.CLOSED:
            self._refuse(f"the review is closed: {step.doing} can no longer be recorded", RULE_CLOSED)
        if self._stage not in step.stages:
            self._refuse(f"{step.doing} is not possible while the review is at '{self._stage}'", step.rule)
        return role

    def _refuse(self, message: str, rule: str) -> NoReturn:
        raise RuleViolation(message, rule=rule, record=self.reference)

    def _require_team(self, doing: str) -> None:
        if not self.team:
            self._refuse(f"{doing} needs the Review Team to be appointed first", RULE_TEAM)

    def _require_on_team(self, by: Acting, doing: str) -> None:
        if by.actor not in {m.actor_id for m in self.team.values() if m.actor_id}:
            self._refuse(
                f"{doing} is for the people appointed to the Review Team; {by.actor} is not on it", RULE_TEAM
            )

    def _require_latest_version(self, version: int, done: str) -> None:
        if self.report_version == 0:
            self._refuse(f"there is no review report to be {done}", RULE_REPORTING)
        if version != self.report_version:
            self._refuse(
                f"only the latest version of the report (version {self.report_version}) can be {done}",
                RULE_REPORTING,
            )

    def _add_subjects(self, family: tuple[str, ...], practitioners: tuple[str, ...]) -> None:
        self.family = tuple(dict.fromkeys((*self.family, *family)))
        self.practitioners = tuple(dict.fromkeys((*self.practitioners, *practitioners)))

    def _about_case(self, named: Naming, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        """Free text about the case: the personal data of every child and family member, and whoever
        else the step's `about` names.

        Reasons, findings and views are opinions (DOMAIN.md §3); they are usually a body's or a
        team's, so `by` names a data subject only when the step says whose they are.
        """
        about = (*self.family, *checked_ids("about", named.about))
        return personal(
            required(field, text),
            *dict.fromkeys(about),
            kind=ItemKind.NARRATIVE,
            nature=nature,
            by=_by("by", named.by),
        )

    def _maybe_opinion(self, named: Naming, text: str | None) -> Personal | None:
        if text is None or not text.strip():
            return None
        return self._about_case(named, "text", text, Nature.OPINION)


def _by(field: str, by: str | None) -> str | None:
    return None if by is None else checked_ids(field, (by,))[0]


def _team_members(answers: tuple[TeamMemberAnswers, ...]) -> tuple[TeamMember, ...]:
    ids = [a.subject_id for a in answers]
    if len(set(ids)) != len(ids):
        raise InvalidInput("members", "each member is named once")
    members = []
    for answer in answers:
        about = subject_ids(answer.subject_id)
        declaration = required("members.declaration", answer.declaration)
        members.append(
            TeamMember(
                subject_id=answer.subject_id,
                name=personal(required("members.name", answer.name), *about, kind=ItemKind.NAME),
                service=required("members.service", answer.service),
                team_role=answer.team_role,
                has_conflict=answer.has_conflict,
                declaration=personal(declaration, *about, kind=ItemKind.NARRATIVE, by=answer.subject_id),
                actor_id=answer.actor_id,
            )
        )
    return tuple(members)
