"""Where each rule of a Mini Learning Review comes from, its stages, and who may take each step when.

`STEPS` is the authority table of `domain.routes.mini.review`'s docstring, as the commands
check it (`RouteReview._begin` in `domain.routes.shared.review_base`).
"""

from __future__ import annotations

from enum import StrEnum

from domain.kernel.command import Command
from domain.kernel.roles import Role
from domain.kernel.steps import Step
from domain.routes.mini.commands import (
    AcknowledgeStaffConcern,
    AppointReviewTeam,
    ChangeReviewTeam,
    CloseMiniReview,
    CompileReviewReport,
    EscalateToFullReview,
    NameServiceContact,
    PresentReviewReport,
    ReceiveFindingsAndActions,
    RecordCriteriaConclusion,
    RecordDissemination,
    RecordFeedbackToCog,
    RecordReviewMeeting,
    RecordReviewToBeUndertaken,
    RecordServicesAgreement,
    ReferStaffConcern,
    RequestInformation,
    RequestMiniReview,
    ResolveDisagreement,
    ReturnInformationForm,
    SetReviewScope,
    SignOffAtPartnershipLevel,
    SubmitRequestForm,
    TableDisagreement,
    TableRequest,
)
from domain.routes.shared.actions import (
    AssignActionOwner,
    CarryOverAction,
    RecordActionProgress,
    ReportActionException,
    SignOffAction,
)
from domain.routes.shared.dissemination import (
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)

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
RULE_STAFF = "seed 000 §1: staff malpractice or competency issues go to the agency's own staff procedures"

REQUEST_FORM_DAYS = 14  # seed 000 §1.4
PRESENTATION_DAYS = 42  # seed 000 §1.5
INFORMATION_FORM_DAYS = 14  # seed 000, Information form


class Stage(StrEnum):
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


_OPEN = frozenset(Stage) - {Stage.NOT_REQUESTED, Stage.CLOSED}
_REVIEWING = frozenset({Stage.UNDER_WAY, Stage.REPORT_PRESENTED})
_LEAD, _MEMBER, _GROUP = Role.PARTNERSHIP_LEAD, Role.PARTNERSHIP_MEMBER, Role.DELIVERY_GROUP

#: The authority table of the module docstring, as the commands check it.
STEPS: dict[type[Command], Step] = {
    RequestMiniReview: Step(
        (_MEMBER, _LEAD),
        "requesting a Mini Learning Review",
        frozenset({Stage.NOT_REQUESTED}),
        RULE_REQUEST,
    ),
    RecordServicesAgreement: Step(
        (_LEAD, _MEMBER),
        "recording the Heads of Service discussion",
        frozenset({Stage.REQUESTED}),
        RULE_REQUEST,
    ),
    TableDisagreement: Step(
        (_LEAD, _MEMBER),
        "tabling a disagreement at the Delivery Group",
        frozenset({Stage.SERVICES_DISAGREE}),
        RULE_DISAGREEMENT,
    ),
    ResolveDisagreement: Step(
        (_GROUP,),
        "deciding a disagreement on the need for a review",
        frozenset({Stage.DISAGREEMENT_TABLED}),
        RULE_DISAGREEMENT,
    ),
    SubmitRequestForm: Step((_LEAD,), "submitting the Request Form", frozenset({Stage.AGREED}), RULE_REQUEST),
    TableRequest: Step((_GROUP,), "tabling the request", frozenset({Stage.FORM_SUBMITTED}), RULE_REQUEST),
    RecordReviewToBeUndertaken: Step(
        (_GROUP,),
        "recording that a Mini Learning Review is to be undertaken",
        frozenset({Stage.TABLED}),
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
        frozenset({Stage.REPORT_PRESENTED}),
        RULE_REPORTING,
    ),
    SignOffAtPartnershipLevel: Step(
        (_GROUP,), "signing off at Partnership level", _REVIEWING, RULE_REPORTING
    ),
    ReceiveFindingsAndActions: Step(
        (Role.QA_SUBCOMMITTEE,),
        "receiving the findings and actions",
        frozenset({Stage.SIGNED_OFF}),
        RULE_REPORTING,
    ),
    RecordFeedbackToCog: Step(
        (_LEAD, Role.COG), "recording feedback to the COG", frozenset({Stage.SIGNED_OFF}), RULE_REPORTING
    ),
    RecordActionProgress: Step(
        (_LEAD,), "recording progress on an action", frozenset({Stage.SIGNED_OFF}), RULE_STEPS
    ),
    AssignActionOwner: Step((_LEAD,), "naming an action's owner", frozenset({Stage.SIGNED_OFF}), RULE_STEPS),
    SignOffAction: Step(
        (Role.QA_SUBCOMMITTEE,), "signing off an action", frozenset({Stage.SIGNED_OFF}), RULE_STEPS
    ),
    ReportActionException: Step(
        (_LEAD,), "reporting overdue actions to the COG", frozenset({Stage.SIGNED_OFF}), RULE_STEPS
    ),
    CarryOverAction: Step(
        (_GROUP,), "carrying an action over to a named owner", frozenset({Stage.SIGNED_OFF}), RULE_STEPS
    ),
    # §4: dissemination is planned "on completion of the Mini Learning Review process above and with sign-off".
    RecordDissemination: Step(
        (_LEAD,), "recording dissemination of learning", frozenset({Stage.SIGNED_OFF}), RULE_DISSEMINATION
    ),
    RecordDisseminationActivity: Step(
        (_LEAD,), "recording a dissemination activity", frozenset({Stage.SIGNED_OFF}), RULE_DISSEMINATION
    ),
    RecordDisseminationFeedback: Step(
        (_LEAD,),
        "recording feedback on a dissemination activity",
        frozenset({Stage.SIGNED_OFF}),
        RULE_DISSEMINATION,
    ),
    TagLearningThemes: Step(
        (_LEAD,), "tagging the learning's themes", frozenset({Stage.SIGNED_OFF}), RULE_DISSEMINATION
    ),
    ReferStaffConcern: Step(
        (_LEAD,),
        "referring a staff concern to the agency's own procedures",
        _REVIEWING | {Stage.SIGNED_OFF},
        RULE_STAFF,
    ),
    AcknowledgeStaffConcern: Step(
        (_MEMBER, Role.AGENCY_CONTACT, _LEAD),
        "taking up a staff concern",
        _REVIEWING | {Stage.SIGNED_OFF},
        RULE_STAFF,
    ),
    # §1.3: a Notification for a formal Learning Review "at any time during the process".
    EscalateToFullReview: Step(
        (_LEAD, _GROUP), "escalating to a full Learning Review", _OPEN, RULE_ESCALATION
    ),
    CloseMiniReview: Step((_LEAD, _GROUP), "closing the review", _OPEN, RULE_REPORTING),
}
