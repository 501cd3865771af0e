"""Single-agency Learning Review (Falkirk Children and Families Social Work Learning Review Protocol; seed 004).

A case meeting a criterion of §2 is identified at a Team Around the Child or review meeting,
discussed in supervision, and recommended by the line manager to the Service Manager; the
worker and line manager complete and both sign the Referral Form (Appendix 3). The Service
Manager agrees the criteria are met, or records why not in the worker's supervision notes.
The Children and Families Continuous Improvement Group (CFCIG) decides: proceed (lead
reviewer, parameters, timescales; written feedback with the protocol) or not proceed (written
rationale and recommendations, on which the team manager reports back). The lead reviewer
conducts the review, shares the outline findings with the group for an accuracy check, drafts
the report and presents it to CFCIG, which agrees recommendations, actions, how implementation
is monitored and how learning is disseminated. At any time the case can be escalated into a
notification for a full (national) Learning Review.

The Referral Form lives in `domain.routes.single_agency.forms`.

Authority (who may record each step):

| step (command)                       | recorded by                                         | seed 004   |
|--------------------------------------|-----------------------------------------------------|------------|
| identify-case                        | the social worker, or the line manager              | §3         |
| record-supervision-discussion        | the social worker, or the line manager              | §3(1)      |
| recommend-review                     | the line manager                                    | §3(2)      |
| complete-referral-form               | the social worker, or the line manager              | §3(2)      |
| sign-referral-form                   | as worker: the social worker; as line manager: the line manager (two different people) | §3(2), App. 3 |
| agree-criteria-met                   | the Service Manager                                 | §3(3)      |
| record-criteria-not-met              | the Service Manager                                 | §3(3)      |
| decide-to-proceed                    | the CFCIG                                           | §3(4a), §4 |
| decide-not-to-proceed                | the CFCIG                                           | §3(4b)     |
| give-written-feedback                | the Service Manager                                 | §3(4)      |
| report-progress-on-recommendations   | the team manager the CFCIG named (a line manager)   | §3(4b)     |
| agree-review-participants            | the lead reviewer the CFCIG identified              | §5         |
| record-review-meeting                | the lead reviewer the CFCIG identified              | §5         |
| share-outline-findings               | the lead reviewer the CFCIG identified              | §5         |
| record-accuracy-check                | the lead reviewer the CFCIG identified              | §5         |
| draft-report                         | the lead reviewer the CFCIG identified              | §5         |
| present-report                       | the lead reviewer the CFCIG identified              | §3(6), §5  |
| agree-recommendations                | the CFCIG                                           | §3(6), §4  |
| record-action-progress               | the Service Manager, the line manager, or the CFCIG | §4         |
| assign-action-owner                  | the Service Manager, or the CFCIG                   | §4         |
| sign-off-action                      | the CFCIG (which monitors implementation)           | §4         |
| carry-over-action                    | the CFCIG                                           | §4         |
| record-dissemination                 | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| record-dissemination-activity        | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| record-dissemination-feedback        | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| tag-learning-themes                  | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| escalate-to-full-review              | the Service Manager, or the CFCIG                   | App. 1     |
| close-single-agency-review           | the CFCIG, or the Service Manager                   | §4         |
| change-lead-reviewer                 | the CFCIG                                           | §3(4a)     |

Actions are records (`domain/routes/shared/actions.py`, shared with the Mini Learning Review): each agreed
action has its team, a named owner and a due date, progress with evidence, completion, and sign-off
by the CFCIG, which §4 gives the monitoring of implementation to. Each due date is a clock. A review
whose recommendations were agreed closes only when every action is signed off or carried over to a
named owner by the CFCIG; the refusal names the open actions. Seed 004 names no body above the
CFCIG, so this route offers no exception report (the CFCIG sees its overdue clocks itself).

The lead reviewer reads the review's personal data only while they hold that part: the CFCIG's
decision to proceed appoints them and a change of lead reviewer releases them (DOMAIN.md §1.1).
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
from domain.kernel.roles import Acting, Role, require_any_role, require_role
from domain.kernel.steps import Obligation, happened, not_before
from domain.kernel.timescales import Timescale
from domain.routes.shared.actions import (
    ActionCarriedOverShape,
    ActionOwnerAssignedShape,
    ActionPlan,
    ActionSignedOffShape,
)

# The action-plan steps are shared with the Mini Learning Review (domain/routes/shared/actions.py).
from domain.routes.shared.actions import ActionStatus as ActionStatus
from domain.routes.shared.actions import AssignActionOwner as AssignActionOwner
from domain.routes.shared.actions import CarryOverAction as CarryOverAction
from domain.routes.shared.actions import SignOffAction as SignOffAction
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
from domain.routes.single_agency.forms import (
    ReferralForm,
    ReferralFormAnswers,
    SingleAgencyCriterion,
    record_referral_form,
)

# Where each rule comes from (CONVENTIONS.md 14).
RULE_CRITERIA = "seed 004 §2: criteria for undertaking a Learning Review"
RULE_PATHWAY = "seed 004 §3: referral pathway"
RULE_REFERRAL = "seed 004 §3(2), Appendix 3: Referral Form signed by worker and line manager"
RULE_SERVICE_MANAGER = "seed 004 §3(3): Service Manager agrees, or records the reasons why not"
RULE_PROCEED = "seed 004 §3(4a), §4: agreement to proceed"
RULE_NOT_PROCEED = "seed 004 §3(4b): agreement not to proceed"
RULE_LEAD_REVIEWER = "seed 004 §5: responsibilities of the lead reviewer"
RULE_CFCIG = "seed 004 §4: responsibilities of CFCIG"
RULE_ESCALATION = "seed 004 Appendix 1: reviews commissioned by the CPC; DOMAIN.md §2.1"
RULE_CLOSED = "a closed review accepts no further steps"


class SingleStage(StrEnum):
    """Where the review is in the pathway, in an officer's words."""

    NOT_IDENTIFIED = "not yet identified"
    IDENTIFIED = "identified: to be discussed in supervision"
    IN_SUPERVISION = "discussed in supervision"
    RECOMMENDED = "recommended to the Service Manager"
    CRITERIA_NOT_MET = "not taken forward: the Service Manager found the criteria not met"
    WITH_CFCIG = "with the Continuous Improvement Group for decision"
    NOT_PROCEEDING = "not proceeding: recommendations being followed up"
    UNDER_REVIEW = "learning review under way"
    REPORT_PRESENTED = "report presented to the Continuous Improvement Group"
    IMPLEMENTING = "recommendations agreed: actions and dissemination"
    CLOSED = "closed"


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


class RecordActionProgress(Command, frozen=True, kw_only=True, tag="record-action-progress"):
    action_id: str
    status: ActionStatus
    recorded_on: date
    note: str
    evidence: tuple[str, ...] = ()  # references of the documents that show the progress
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


# -- events ---------------------------------------------------------------------------------


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
    SingleAgencyEvent, frozen=True, kw_only=True, tag="single.action-progress-recorded"
):
    action_id: str
    status: ActionStatus
    recorded_on: date
    note: Personal
    evidence: tuple[str, ...] = ()


class ActionOwnerAssigned(
    ActionOwnerAssignedShape, frozen=True, kw_only=True, tag="single.action-owner-assigned"
):
    pass


class ActionSignedOff(ActionSignedOffShape, frozen=True, kw_only=True, tag="single.action-signed-off"):
    pass


class ActionCarriedOver(ActionCarriedOverShape, frozen=True, kw_only=True, tag="single.action-carried-over"):
    pass


class DisseminationActivityRecorded(
    DisseminationActivityShape, frozen=True, kw_only=True, tag="single.dissemination-activity-recorded"
):
    """A 7-minute briefing, training, a briefing or an Improvement Plan entry, with its audience and date."""


class DisseminationFeedbackRecorded(
    DisseminationFeedbackShape, frozen=True, kw_only=True, tag="single.dissemination-feedback-recorded"
):
    """Feedback on one dissemination activity, by its number."""


class LearningThemesTagged(
    LearningThemesShape, frozen=True, kw_only=True, tag="single.learning-themes-tagged"
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


# -- the procedure: who may take each step, and at which stages --------------------------------


class Step(NamedTuple):
    """One step of the pathway: who may record it, what it is, when it is possible, and why."""

    roles: tuple[Role, ...]  # the first of these the person holds is the role recorded
    doing: str
    stages: frozenset[SingleStage]
    rule: str


_S = SingleStage
_OPEN = frozenset(_S) - {_S.NOT_IDENTIFIED, _S.CLOSED}
_REFERRING = frozenset({_S.IN_SUPERVISION, _S.RECOMMENDED})
_DECIDED = frozenset({_S.NOT_PROCEEDING, _S.UNDER_REVIEW, _S.REPORT_PRESENTED, _S.IMPLEMENTING})
_WORKER, _LINE, _SM, _CFCIG, _LEAD = (
    Role.SOCIAL_WORKER,
    Role.LINE_MANAGER,
    Role.SERVICE_MANAGER,
    Role.CFCIG,
    Role.LEAD_REVIEWER,
)

#: The authority table of the module docstring, as the commands check it.
PROCEDURE: dict[type[Command], Step] = {
    IdentifyCase: Step(
        (_WORKER, _LINE),
        "identifying a case for a Learning Review",
        frozenset({_S.NOT_IDENTIFIED}),
        RULE_PATHWAY,
    ),
    RecordSupervisionDiscussion: Step(
        (_WORKER, _LINE), "recording the supervision discussion", frozenset({_S.IDENTIFIED}), RULE_PATHWAY
    ),
    RecommendReview: Step(
        (_LINE,), "recommending a review to the Service Manager", frozenset({_S.IN_SUPERVISION}), RULE_PATHWAY
    ),
    CompleteReferralForm: Step((_WORKER, _LINE), "completing the Referral Form", _REFERRING, RULE_REFERRAL),
    SignReferralForm: Step((_WORKER, _LINE), "signing the Referral Form", _REFERRING, RULE_REFERRAL),
    AgreeCriteriaMet: Step(
        (_SM,), "agreeing the case meets the criteria", frozenset({_S.RECOMMENDED}), RULE_SERVICE_MANAGER
    ),
    RecordCriteriaNotMet: Step(
        (_SM,),
        "recording that the case does not meet the criteria",
        frozenset({_S.RECOMMENDED}),
        RULE_SERVICE_MANAGER,
    ),
    DecideToProceed: Step(
        (_CFCIG,), "deciding to proceed to a Learning Review", frozenset({_S.WITH_CFCIG}), RULE_PROCEED
    ),
    DecideNotToProceed: Step(
        (_CFCIG,),
        "deciding not to proceed to a Learning Review",
        frozenset({_S.WITH_CFCIG}),
        RULE_NOT_PROCEED,
    ),
    ChangeLeadReviewer: Step(
        (_CFCIG,),
        "identifying another lead reviewer",
        frozenset({_S.UNDER_REVIEW, _S.REPORT_PRESENTED}),
        RULE_PROCEED,
    ),
    GiveWrittenFeedback: Step((_SM,), "giving written feedback on the decision", _DECIDED, RULE_PATHWAY),
    ReportProgressOnRecommendations: Step(
        (_LINE,), "reporting back on the recommendations", frozenset({_S.NOT_PROCEEDING}), RULE_NOT_PROCEED
    ),
    AgreeReviewParticipants: Step(
        (_LEAD,), "agreeing who is involved in the review", frozenset({_S.UNDER_REVIEW}), RULE_LEAD_REVIEWER
    ),
    RecordReviewMeeting: Step(
        (_LEAD,), "recording a review meeting", frozenset({_S.UNDER_REVIEW}), RULE_LEAD_REVIEWER
    ),
    ShareOutlineFindings: Step(
        (_LEAD,), "sharing the outline findings", frozenset({_S.UNDER_REVIEW}), RULE_LEAD_REVIEWER
    ),
    RecordAccuracyCheck: Step(
        (_LEAD,), "recording the accuracy check", frozenset({_S.UNDER_REVIEW}), RULE_LEAD_REVIEWER
    ),
    DraftReport: Step(
        (_LEAD,), "drafting the report", frozenset({_S.UNDER_REVIEW, _S.REPORT_PRESENTED}), RULE_LEAD_REVIEWER
    ),
    PresentReport: Step(
        (_LEAD,), "presenting the report to CFCIG", frozenset({_S.UNDER_REVIEW}), RULE_LEAD_REVIEWER
    ),
    AgreeRecommendations: Step(
        (_CFCIG,), "agreeing the recommendations", frozenset({_S.REPORT_PRESENTED}), RULE_CFCIG
    ),
    RecordActionProgress: Step(
        (_SM, _LINE, _CFCIG), "recording progress on an action", frozenset({_S.IMPLEMENTING}), RULE_CFCIG
    ),
    AssignActionOwner: Step(
        (_SM, _CFCIG), "naming an action's owner", frozenset({_S.IMPLEMENTING}), RULE_CFCIG
    ),
    SignOffAction: Step((_CFCIG,), "signing off an action", frozenset({_S.IMPLEMENTING}), RULE_CFCIG),
    CarryOverAction: Step(
        (_CFCIG,), "carrying an action over to a named owner", frozenset({_S.IMPLEMENTING}), RULE_CFCIG
    ),
    RecordDissemination: Step(
        (_SM, _LEAD, _CFCIG), "recording dissemination of learning", frozenset({_S.IMPLEMENTING}), RULE_CFCIG
    ),
    RecordDisseminationActivity: Step(
        (_SM, _LEAD, _CFCIG), "recording a dissemination activity", frozenset({_S.IMPLEMENTING}), RULE_CFCIG
    ),
    RecordDisseminationFeedback: Step(
        (_SM, _LEAD, _CFCIG),
        "recording feedback on a dissemination activity",
        frozenset({_S.IMPLEMENTING}),
        RULE_CFCIG,
    ),
    TagLearningThemes: Step(
        (_SM, _LEAD, _CFCIG), "tagging the learning's themes", frozenset({_S.IMPLEMENTING}), RULE_CFCIG
    ),
    EscalateToFullReview: Step((_SM, _CFCIG), "escalating to a full Learning Review", _OPEN, RULE_ESCALATION),
    CloseSingleAgencyReview: Step((_CFCIG, _SM), "closing the review", _OPEN, RULE_CFCIG),
}

#: Steps only the lead reviewer the CFCIG identified may take (seed 004 §3(4a), §3(5)).
_LEAD_REVIEWER_STEPS = frozenset(
    {
        AgreeReviewParticipants,
        RecordReviewMeeting,
        ShareOutlineFindings,
        RecordAccuracyCheck,
        DraftReport,
        PresentReport,
    }
)


# -- the record -------------------------------------------------------------------------------


class SingleAgencyReview(Aggregate):
    """One single-agency Learning Review, from identification to closure."""

    kind = "single-agency learning review"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self._stage = SingleStage.NOT_IDENTIFIED
        self.identified_on: date | None = None
        self.family: tuple[str, ...] = ()  # the subjects free text about the case is about
        self.practitioners: tuple[str, ...] = ()
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
        self.report_version = 0
        self.presented_version: int | None = None
        self.first_presented_on: date | None = None
        self.actions: dict[str, ActionStatus] = {}
        self.action_due: dict[str, date | None] = {}
        self.plan = ActionPlan(reference, RULE_CFCIG)
        self.disseminated: set[DisseminationAudience] = set()
        self.dissemination_activities = 0  # activities recorded, numbered 1, 2, ...
        self.dissemination_feedback: set[int] = set()  # the activities feedback is recorded on
        self.themes: tuple[str, ...] = ()
        self.escalated_to: str | None = None
        self.closed_on: date | None = None
        self.personal_data_disposed = False

    # -- what an officer sees -----------------------------------------------------------------

    @property
    def stage(self) -> SingleStage:
        return self._stage

    @property
    def status(self) -> str:
        if self._stage is SingleStage.NOT_IDENTIFIED:
            return "not yet identified"
        words = "closed" if self._stage is SingleStage.CLOSED else "open"
        if self.escalated_to is not None:
            words += f"; escalated to a full Learning Review ({self.escalated_to})"
        return words

    @property
    def links(self) -> dict[str, str]:
        """Other records this one points to: the full Learning Review it was escalated into."""
        return {} if self.escalated_to is None else {"escalated_to": self.escalated_to}

    def timescales(self) -> list[Timescale]:
        """The timescales the CFCIG set when it agreed to proceed (seed 004 §3(4a))."""
        if self.decided_on is None or self.complete_by is None:
            return self.plan.clocks()
        clocks = []
        if self.outline_findings_by is not None:
            clocks.append(
                Timescale(
                    name="outline findings shared with the group (timescale set by CFCIG)",
                    rule="seed 004 §3(4a), §5",
                    started=self.decided_on,
                    due=self.outline_findings_by,
                    completed=self.first_outline_on,
                )
            )
        clocks.append(
            Timescale(
                name="review completed and presented to CFCIG (timescale set by CFCIG)",
                rule="seed 004 §3(4a)",
                started=self.decided_on,
                due=self.complete_by,
                completed=self.first_presented_on,
            )
        )
        return clocks + self.plan.clocks()

    def obligations(self) -> list[Obligation]:
        """What the pathway expects next, from whom, and by when where there is a clock."""
        s = self._stage
        simple: dict[SingleStage, tuple[Role, str, str]] = {
            _S.IDENTIFIED: (_LINE, "discuss the case in supervision", RULE_PATHWAY),
            _S.IN_SUPERVISION: (_LINE, "recommend the review to the Service Manager", RULE_PATHWAY),
            _S.WITH_CFCIG: (_CFCIG, "decide whether to proceed to a Learning Review", RULE_PROCEED),
            _S.REPORT_PRESENTED: (
                _CFCIG,
                "agree recommendations, actions, monitoring and dissemination",
                RULE_CFCIG,
            ),
            _S.CRITERIA_NOT_MET: (_SM, "close the record", RULE_SERVICE_MANAGER),
        }
        owed: list[Obligation] = []
        if s in simple:
            who, what, rule = simple[s]
            owed.append(Obligation(who=(who,), what=what, rule=rule))
        if s in _REFERRING:
            owed.extend(self._referral_obligations())
        if s in _DECIDED and self.feedback_given_on is None:
            what = "give written feedback to the team manager and worker"
            owed.append(Obligation(who=(_SM,), what=what, rule=RULE_PATHWAY))
        if s is _S.NOT_PROCEEDING:
            for item in range(1, self.further_actions + 1):
                if item not in self.reported_back:
                    what = f"report back to CFCIG on recommendation {item}"
                    owed.append(Obligation(who=(_LINE,), what=what, rule=RULE_NOT_PROCEED))
        if s is _S.UNDER_REVIEW:
            owed.extend(self._review_obligations())
        if s is _S.IMPLEMENTING:
            owed += self.plan.obligations((_SM,), (_CFCIG,))
            if not self.disseminated:
                owed.append(Obligation(who=(_SM,), what="disseminate the learning", rule=RULE_CFCIG))
        return owed

    def _referral_obligations(self) -> list[Obligation]:
        owed: list[Obligation] = []
        if self.form_version == 0:
            what = "complete the Referral Form (worker and line manager)"
            owed.append(Obligation(who=(_WORKER,), what=what, rule=RULE_REFERRAL))
        else:
            for signatory, role in ((Signatory.WORKER, _WORKER), (Signatory.LINE_MANAGER, _LINE)):
                if signatory not in self.signatures:
                    owed.append(
                        Obligation(
                            who=(role,), what=f"sign the Referral Form as {signatory}", rule=RULE_REFERRAL
                        )
                    )
        if self._stage is _S.RECOMMENDED and len(self.signatures) == len(Signatory):
            what = "agree the criteria are met, or record the reasons why not"
            owed.append(Obligation(who=(_SM,), what=what, rule=RULE_SERVICE_MANAGER))
        return owed

    def _review_obligations(self) -> list[Obligation]:
        owed: list[Obligation] = []
        if not self.participants:
            owed.append(
                Obligation(who=(_LEAD,), what="agree who is involved in the review", rule=RULE_LEAD_REVIEWER)
            )
        if self.outlines_shared == 0:
            what, due = "share the outline findings for an accuracy check", self.outline_findings_by
            owed.append(Obligation(who=(_LEAD,), what=what, rule=RULE_LEAD_REVIEWER, due=due))
        elif self.outlines_checked < self.outlines_shared:
            owed.append(Obligation(who=(_LEAD,), what="record the accuracy check", rule=RULE_LEAD_REVIEWER))
        what = "present the findings to CFCIG"
        owed.append(Obligation(who=(_LEAD,), what=what, rule=RULE_LEAD_REVIEWER, due=self.complete_by))
        return owed

    # -- commands: each checks authority and the rules, then records exactly one event ---------

    @handles(IdentifyCase)
    def identify(self, command: IdentifyCase, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("identified_on", command.identified_on, at)
        if not command.criteria:
            self._refuse("name at least one of the criteria for a Learning Review", RULE_CRITERIA)
        if not command.subjects:
            raise InvalidInput("subjects", "name the data subjects the concern is about")
        subjects = subject_ids(*command.subjects)
        concern = required("concern", command.concern)
        self._record(
            CaseIdentified(
                identified_on=command.identified_on,
                meeting=command.meeting,
                team=required("team", command.team),
                criteria=tuple(dict.fromkeys(command.criteria)),
                concern=personal(concern, *subjects, kind=ItemKind.NARRATIVE, nature=Nature.OPINION),
                subjects=subjects,
                role=role,
                at=at,
            )
        )

    @handles(RecordSupervisionDiscussion)
    def record_supervision(self, command: RecordSupervisionDiscussion, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        not_before("discussed_on", command.discussed_on, self.identified_on, "the case was identified")
        happened("discussed_on", command.discussed_on, at)
        notes = self._about_case(command, "notes", command.notes)
        self._record(
            SupervisionDiscussionRecorded(discussed_on=command.discussed_on, notes=notes, role=role, at=at)
        )

    @handles(RecommendReview)
    def recommend(self, command: RecommendReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("recommended_on", command.recommended_on, at)
        self._record(
            ReviewRecommended(
                recommended_on=command.recommended_on,
                service_manager=required("service_manager", command.service_manager),
                reasons=self._about_case(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(CompleteReferralForm)
    def complete_referral_form(self, command: CompleteReferralForm, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("submitted_to_service_manager_on", command.form.submitted_to_service_manager_on, at)
        form = record_referral_form(command.form)
        self._record(ReferralFormCompleted(version=self.form_version + 1, form=form, role=role, at=at))

    @handles(SignReferralForm)
    def sign_referral_form(self, command: SignReferralForm, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        # Appendix 3: "Signature of Worker", "Signature of Line Manager": each signs in their own role.
        needed = _WORKER if command.signatory is Signatory.WORKER else _LINE
        role = require_role(
            by, needed, action=f"signing the Referral Form as {command.signatory}", record=self.reference
        )
        if self.form_version == 0:
            self._refuse("there is no Referral Form to sign", RULE_REFERRAL)
        if command.version != self.form_version:
            self._refuse(
                f"only the latest version of the Referral Form (version {self.form_version}) can be signed",
                RULE_REFERRAL,
            )
        if command.signatory in self.signatures:
            self._refuse(f"the Referral Form is already signed by the {command.signatory}", RULE_REFERRAL)
        if by.actor in self.signatures.values():
            self._refuse("the worker and the line manager must be two different people", RULE_REFERRAL)
        happened("signed_on", command.signed_on, at)
        self._record(
            ReferralFormSigned(
                version=command.version,
                signatory=command.signatory,
                signed_by=by.actor,
                signed_on=command.signed_on,
                role=role,
                at=at,
            )
        )

    @handles(AgreeCriteriaMet)
    def agree_criteria_met(self, command: AgreeCriteriaMet, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_signed_referral()
        happened("agreed_on", command.agreed_on, at)
        comment = self._maybe(command, command.comment, Nature.OPINION)
        self._record(CriteriaAgreed(agreed_on=command.agreed_on, comment=comment, role=role, at=at))

    @handles(RecordCriteriaNotMet)
    def record_criteria_not_met(self, command: RecordCriteriaNotMet, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_signed_referral()
        if not command.reasons.strip():
            # §3(3): "the reasons for this should be recorded in the workers supervision notes".
            self._refuse(
                "the Service Manager must record the reasons the criteria are not met", RULE_SERVICE_MANAGER
            )
        happened("decided_on", command.decided_on, at)
        not_before("supervision_notes_on", command.supervision_notes_on, command.decided_on, "the decision")
        happened("supervision_notes_on", command.supervision_notes_on, at)
        self._record(
            CriteriaNotMetRecorded(
                decided_on=command.decided_on,
                reasons=self._about_case(command, "reasons", command.reasons, Nature.OPINION),
                supervision_notes_on=command.supervision_notes_on,
                role=role,
                at=at,
            )
        )

    @handles(DecideToProceed)
    def decide_to_proceed(self, command: DecideToProceed, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("discussed_on", command.discussed_on, at)
        # §4: "Set out the key objectives/outcomes of the Review"; §3(4a): "Lead reviewer identified,
        # parameters of the review established and timescales set".
        if not command.key_objectives:
            self._refuse("the CFCIG must set out the key objectives of the review", RULE_PROCEED)
        if not command.lead_reviewer.strip():
            self._refuse("the CFCIG must identify the lead reviewer", RULE_PROCEED)
        if command.complete_by <= command.discussed_on:
            self._refuse("the timescale for completion must fall after the CFCIG's discussion", RULE_PROCEED)
        outline_by = command.outline_findings_by
        if outline_by is not None and not command.discussed_on < outline_by <= command.complete_by:
            self._refuse("the outline findings must be due between the decision and completion", RULE_PROCEED)
        self._record(
            DecisionToProceedRecorded(
                discussed_on=command.discussed_on,
                rationale=self._maybe(command, command.rationale, Nature.OPINION),
                key_objectives=tuple(
                    self._about_case(command, "key_objectives", o) for o in command.key_objectives
                ),
                lead_reviewer=command.lead_reviewer,
                parameters=self._about_case(command, "parameters", command.parameters),
                complete_by=command.complete_by,
                outline_findings_by=outline_by,
                role=role,
                at=at,
            )
        )

    @handles(ChangeLeadReviewer)
    def change_lead_reviewer(self, command: ChangeLeadReviewer, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("changed_on", command.changed_on, at)
        if not command.lead_reviewer.strip():
            self._refuse("the CFCIG must identify the lead reviewer", RULE_PROCEED)
        if command.lead_reviewer == self.lead_reviewer:
            self._refuse(f"{command.lead_reviewer} is already the lead reviewer", RULE_PROCEED)
        if self.decided_on is not None:
            not_before("changed_on", command.changed_on, self.decided_on, "the decision to proceed")
        self._record(
            LeadReviewerChanged(
                released=self.lead_reviewer or "",
                lead_reviewer=command.lead_reviewer,
                changed_on=command.changed_on,
                role=role,
                at=at,
            )
        )

    @handles(DecideNotToProceed)
    def decide_not_to_proceed(self, command: DecideNotToProceed, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("discussed_on", command.discussed_on, at)
        if not command.rationale.strip():
            # §3(4b): written feedback "explaining rationale for decision".
            self._refuse("a decision not to proceed must give its rationale", RULE_NOT_PROCEED)
        if command.further_actions and not (command.team_manager or "").strip():
            self._refuse("name the team manager who reports back on the recommendations", RULE_NOT_PROCEED)
        self._record(
            DecisionNotToProceedRecorded(
                discussed_on=command.discussed_on,
                rationale=self._about_case(command, "rationale", command.rationale, Nature.OPINION),
                further_actions=tuple(
                    self._about_case(command, "further_actions", a) for a in command.further_actions
                ),
                team_manager=command.team_manager,
                role=role,
                at=at,
            )
        )

    @handles(GiveWrittenFeedback)
    def give_written_feedback(self, command: GiveWrittenFeedback, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.feedback_given_on is not None:
            self._refuse("written feedback on the CFCIG decision has already been given", RULE_PATHWAY)
        if self.proceeding and not command.protocol_enclosed:
            # §3(4a): "Feedback ... in writing, including copy of Learning Review Protocol".
            self._refuse(
                "written feedback on a decision to proceed must include a copy of the protocol", RULE_PROCEED
            )
        if not command.recipients:
            raise InvalidInput("recipients", "name the team manager and worker the feedback is sent to")
        not_before("sent_on", command.sent_on, self.decided_on, "the CFCIG decision")
        happened("sent_on", command.sent_on, at)
        self._record(
            WrittenFeedbackGiven(
                sent_on=command.sent_on,
                recipients=tuple(dict.fromkeys(command.recipients)),
                protocol_enclosed=command.protocol_enclosed,
                summary=self._about_case(command, "summary", command.summary),
                role=role,
                at=at,
            )
        )

    @handles(ReportProgressOnRecommendations)
    def report_progress(self, command: ReportProgressOnRecommendations, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if not 1 <= command.item <= self.further_actions:
            self._refuse(f"the CFCIG made no recommendation number {command.item}", RULE_NOT_PROCEED)
        if by.actor != self.team_manager:
            # §3(4b): "Team Manager to report back to CFCIG on progress against any recommendations".
            self._refuse(
                f"progress is reported back by the team manager the CFCIG named ({self.team_manager})",
                RULE_NOT_PROCEED,
            )
        happened("reported_on", command.reported_on, at)
        progress = self._about_case(command, "progress", command.progress)
        self._record(
            RecommendationProgressReported(
                reported_on=command.reported_on, item=command.item, progress=progress, role=role, at=at
            )
        )

    @handles(AgreeReviewParticipants)
    def agree_participants(self, command: AgreeReviewParticipants, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("agreed_on", command.agreed_on, at)
        if not command.participants:
            raise InvalidInput("participants", "name at least one person involved in the review")
        if len({p.subject_id for p in command.participants}) != len(command.participants):
            raise InvalidInput("participants", "each person is named once")
        participants = tuple(
            Participant(
                subject_id=p.subject_id,
                name=personal(
                    required("participants.name", p.name), *subject_ids(p.subject_id), kind=ItemKind.NAME
                ),
                role_in_case=personal(
                    required("participants.role_in_case", p.role_in_case),
                    p.subject_id,
                    kind=ItemKind.JOB_TITLE,
                ),
                team=required("participants.team", p.team),
            )
            for p in command.participants
        )
        self._record(
            ReviewParticipantsAgreed(
                agreed_on=command.agreed_on,
                participants=participants,
                workers_have_protocol=command.workers_have_protocol,
                role=role,
                at=at,
            )
        )

    @handles(RecordReviewMeeting)
    def record_meeting(self, command: RecordReviewMeeting, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if command.kind is not MeetingKind.CASE_FILE_REVIEW and not (
            self.participants and self.workers_have_protocol
        ):
            # §5: "Confirm that workers are aware of review process and that they have received a copy of the
            # Learning Review protocol" before they take part.
            self._refuse(
                "before a discussion with workers, agree who is involved and confirm they have the protocol",
                RULE_LEAD_REVIEWER,
            )
        happened("held_on", command.held_on, at)
        self._record(
            ReviewMeetingHeld(
                held_on=command.held_on,
                kind=command.kind,
                attendees=subject_ids(*command.attendees),
                notes=self._about_case(command, "notes", command.notes),
                role=role,
                at=at,
            )
        )

    @handles(ShareOutlineFindings)
    def share_outline_findings(self, command: ShareOutlineFindings, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if not command.findings:
            raise InvalidInput("findings", "the outline names at least one finding")
        happened("shared_on", command.shared_on, at)
        findings = tuple(self._about_case(command, "findings", f, Nature.OPINION) for f in command.findings)
        self._record(OutlineFindingsShared(shared_on=command.shared_on, findings=findings, role=role, at=at))

    @handles(RecordAccuracyCheck)
    def record_accuracy_check(self, command: RecordAccuracyCheck, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.outlines_checked >= self.outlines_shared:
            self._refuse("there are no outline findings awaiting an accuracy check", RULE_LEAD_REVIEWER)
        happened("checked_on", command.checked_on, at)
        corrections = self._maybe(command, command.corrections, Nature.OPINION)
        self._record(
            AccuracyCheckRecorded(checked_on=command.checked_on, corrections=corrections, role=role, at=at)
        )

    @handles(DraftReport)
    def draft_report(self, command: DraftReport, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if not command.key_issues:
            raise InvalidInput("key_issues", "the draft report identifies at least one key issue")
        happened("drafted_on", command.drafted_on, at)
        self._record(
            ReportDrafted(
                version=self.report_version + 1,
                drafted_on=command.drafted_on,
                key_issues=tuple(
                    self._about_case(command, "key_issues", i, Nature.OPINION) for i in command.key_issues
                ),
                implications_for_service=self._maybe(
                    command, command.implications_for_service, Nature.OPINION
                ),
                role=role,
                at=at,
            )
        )

    @handles(PresentReport)
    def present_report(self, command: PresentReport, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_latest_version(command.version, "presented")
        if self.outlines_shared == 0 or self.outlines_checked < self.outlines_shared:
            # §5: the outline of the findings is shared with the group for an accuracy check, then presented.
            self._refuse(
                "the outline findings must be checked for accuracy by the group before the report is presented",
                RULE_LEAD_REVIEWER,
            )
        happened("presented_on", command.presented_on, at)
        self._record(
            ReportPresented(version=command.version, presented_on=command.presented_on, role=role, at=at)
        )

    @handles(AgreeRecommendations)
    def agree_recommendations(self, command: AgreeRecommendations, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_latest_version(command.version, "agreed")
        if self.presented_version != command.version:
            self._refuse(
                f"version {command.version} of the report has not been presented to CFCIG", RULE_CFCIG
            )
        if not command.recommendations:
            self._refuse("the CFCIG must agree at least one recommendation", RULE_CFCIG)
        if not command.monitoring.strip() or not command.dissemination.strip():
            # §4: "Agree process to monitor implementation of any actions" and "Agree mechanism for dissemination".
            self._refuse(
                "the CFCIG must agree how implementation is monitored and how learning is disseminated",
                RULE_CFCIG,
            )
        ids = [a.action_id for a in command.actions]
        if len(set(ids)) != len(ids) or not all(i.strip() for i in ids):
            raise InvalidInput("actions", "each action needs its own non-empty id")
        happened("agreed_on", command.agreed_on, at)
        actions = tuple(
            AgreedAction(
                action_id=a.action_id,
                description=self._about_case(command, "actions.description", a.description),
                owner_team=required("actions.owner_team", a.owner_team),
                due_on=a.due_on,
            )
            for a in command.actions
        )
        self._record(
            RecommendationsAgreedV2(
                agreed_on=command.agreed_on,
                version=command.version,
                recommendations=tuple(
                    self._about_case(command, "recommendations", r) for r in command.recommendations
                ),
                actions=actions,
                monitoring=self._about_case(command, "monitoring", command.monitoring),
                dissemination=self._about_case(command, "dissemination", command.dissemination),
                role=role,
                at=at,
            )
        )

    @handles(RecordActionProgress)
    def record_action_progress(self, command: RecordActionProgress, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        status = self.actions.get(command.action_id)
        if status is None:
            self._refuse(f"the CFCIG agreed no action {command.action_id}", RULE_CFCIG)
        if status is ActionStatus.COMPLETE:
            self._refuse(f"action {command.action_id} is already complete", RULE_CFCIG)
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
        comments = command.comments.strip()
        self._record(
            ActionSignedOff(
                action_id=command.action_id,
                signed_off_on=command.signed_off_on,
                comments=self._about_case(command, "comments", comments, Nature.OPINION)
                if comments
                else None,
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
        method = required("method", command.method)
        self._record(
            LearningDisseminated(
                audience=command.audience, held_on=command.held_on, method=method, role=role, at=at
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
            command.activity_number, self.dissemination_activities, record=self.reference, rule=RULE_CFCIG
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
        not_before("escalated_on", command.escalated_on, self.identified_on, "the case was identified")
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

    @handles(CloseSingleAgencyReview)
    def close(self, command: CloseSingleAgencyReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._check_can_close()
        happened("closed_on", command.closed_on, at)
        summary = self._about_case(command, "summary", command.summary)
        self._record(SingleAgencyReviewClosed(closed_on=command.closed_on, summary=summary, role=role, at=at))

    def _check_can_close(self) -> None:
        s = self._stage
        if s is _S.CRITERIA_NOT_MET:
            return
        if self.escalated_to is not None and s is not _S.IMPLEMENTING:
            return  # the learning continues in the full Learning Review
        if s not in (_S.NOT_PROCEEDING, _S.IMPLEMENTING):
            self._refuse(
                "the review cannot close before the CFCIG has decided not to proceed or has agreed "
                "the recommendations (unless it was escalated to a full Learning Review)",
                RULE_CFCIG,
            )
        if self.feedback_given_on is None:
            self._refuse(
                "the review cannot close until written feedback on the CFCIG decision is given", RULE_PATHWAY
            )
        missing = [i for i in range(1, self.further_actions + 1) if i not in self.reported_back]
        if s is _S.NOT_PROCEEDING and missing:
            self._refuse(
                f"the team manager has not reported back on recommendation(s) {', '.join(map(str, missing))}",
                RULE_NOT_PROCEED,
            )
        if s is _S.IMPLEMENTING and not self.disseminated:
            self._refuse("the review cannot close until the learning has been disseminated", RULE_CFCIG)
        if s is _S.IMPLEMENTING:
            self.plan.require_none_open("the review")

    # -- state changes: no rules here, the event already happened ---------------------------------

    def when(self, event: DomainEvent) -> None:
        match event:
            case CaseIdentified():
                self._stage = _S.IDENTIFIED
                self.identified_on = event.identified_on
                self.family = event.subjects
            case SupervisionDiscussionRecorded():
                self._stage = _S.IN_SUPERVISION
            case ReviewRecommended():
                self._stage = _S.RECOMMENDED
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
                self._stage = _S.WITH_CFCIG
            case CriteriaNotMetRecorded():
                self._stage = _S.CRITERIA_NOT_MET
            case DecisionToProceedRecorded():
                self._stage = _S.UNDER_REVIEW
                self.proceeding = True
                self.decided_on = event.discussed_on
                self.lead_reviewer = event.lead_reviewer
                self.complete_by = event.complete_by
                self.outline_findings_by = event.outline_findings_by
            case LeadReviewerChanged():
                self.lead_reviewer = event.lead_reviewer
            case DecisionNotToProceedRecorded():
                self._stage = _S.NOT_PROCEEDING
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
                self._stage = _S.UNDER_REVIEW  # a new version must be presented again
                self.report_version = event.version
            case ReportPresented():
                self._stage = _S.REPORT_PRESENTED
                self.presented_version = event.version
                self.first_presented_on = self.first_presented_on or event.presented_on
            case RecommendationsAgreed() | RecommendationsAgreedV2():
                self._stage = _S.IMPLEMENTING
                self.actions = {a.action_id: ActionStatus.NOT_STARTED for a in event.actions}
                self.action_due = {a.action_id: a.due_on for a in event.actions}
                self.plan.agreed(
                    ((a.action_id, a.owner_team, a.due_on) for a in event.actions), event.agreed_on
                )
            case ActionProgressRecorded():
                self.actions[event.action_id] = event.status
                self.plan.progressed(event.action_id, event.status, event.recorded_on, event.evidence)
            case ActionOwnerAssigned():
                self.plan.owned(event.action_id, event.owner_subject, event.due_on)
            case ActionSignedOff():
                self.plan.signed_off(event.action_id, event.signed_off_on)
            case ActionCarriedOver():
                self.plan.carried_over(event.action_id, event.owner_subject)
            case DisseminationActivityRecorded():
                self.dissemination_activities = event.number
            case DisseminationFeedbackRecorded():
                self.dissemination_feedback.add(event.activity_number)
            case LearningThemesTagged():
                self.themes = with_themes(self.themes, event.themes)
            case LearningDisseminated():
                self.disseminated.add(event.audience)
            case EscalatedToFullReview():
                self.escalated_to = event.national_reference
            case SingleAgencyReviewClosed():
                self._stage = _S.CLOSED
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
        if self._stage is _S.CLOSED:
            self._refuse(f"the review is closed: {step.doing} can no longer be recorded", RULE_CLOSED)
        if self._stage not in step.stages:
            self._refuse(f"{step.doing} is not possible while the review is at '{self._stage}'", step.rule)
        if type(command) in _LEAD_REVIEWER_STEPS and by.actor != self.lead_reviewer:
            # §3(4a): the CFCIG identifies the lead reviewer; §3(5): that lead reviewer conducts the review.
            self._refuse(
                f"{step.doing} is for the lead reviewer the CFCIG identified ({self.lead_reviewer})",
                RULE_LEAD_REVIEWER,
            )
        return role

    def _refuse(self, message: str, rule: str) -> NoReturn:
        raise RuleViolation(message, rule=rule, record=self.reference)

    def _require_signed_referral(self) -> None:
        if self.form_version == 0:
            self._refuse("the Referral Form has not been completed", RULE_REFERRAL)
        missing = [str(s) for s in Signatory if s not in self.signatures]
        if missing:
            self._refuse(
                f"the Referral Form (version {self.form_version}) is not yet signed by the {' and the '.join(missing)}",
                RULE_REFERRAL,
            )

    def _require_latest_version(self, version: int, done: str) -> None:
        if self.report_version == 0:
            self._refuse(f"there is no draft report to be {done}", RULE_LEAD_REVIEWER)
        if version != self.report_version:
            self._refuse(
                f"only the latest version of the report (version {self.report_version}) can be {done}",
                RULE_LEAD_REVIEWER,
            )

    def _about_case(self, named: Naming, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        """Free text about the case: the personal data of the child and every family member, and
        whoever else the step's `about` names; `by` whose statement or opinion it is, if a person's."""
        about = dict.fromkeys((*self.family, *checked_ids("about", named.about)))
        by = None if named.by is None else checked_ids("by", (named.by,))[0]
        return personal(required(field, text), *about, kind=ItemKind.NARRATIVE, nature=nature, by=by)

    def _maybe(self, named: Naming, text: str | None, nature: Nature = Nature.FACT) -> Personal | None:
        if text is None or not text.strip():
            return None
        return self._about_case(named, "text", text, nature)
