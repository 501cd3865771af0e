"""Who may record each step of a Learning and Improvement Panel case: `STEPS`, the table the code checks.

The module docstring of `domain.routes.panel.review` writes the same table out for a reader
(tests/domain/test_panel_review.py holds the two together); `adapters/app/authority.py` takes
the Panel's rows from `STEPS`.
"""

from __future__ import annotations

import msgspec

from domain.kernel.command import Command
from domain.kernel.roles import Role
from domain.routes.panel.commands import (
    AgreeFindings,
    AgreeScrPanel,
    AgreeScrTermsOfReference,
    AnswerAgencyCheck,
    AppointTeamMember,
    CallScrConsiderationPanel,
    ChooseReviewMethodology,
    CirculateActionPlan,
    CirculateReferral,
    CirculateReviewPapers,
    CloseCase,
    CombineChronologies,
    CommissionIndependentReview,
    CompleteReport,
    DecideOnPublication,
    DecideOnReview,
    DecideOnScr,
    EndorseReviewMethodology,
    HoldReviewMeeting,
    HoldScrPanelMeeting,
    InformOfstedAndNationalPanel,
    InviteFamily,
    NameAgencyContact,
    NominateAgencyRepresentative,
    RecommendOnScr,
    RecordActionPlanProgress,
    RecordActionUpdate,
    RecordScrInterview,
    ReleaseTeamMember,
    ReportToBoard,
    ReportToQaSubgroup,
    RequestAgencyChecks,
    RequestAgencyReports,
    ScrutiniseDecision,
    SignOffReport,
    SubmitAgencyReport,
    SubmitChronology,
)
from domain.routes.panel.forms import RecordPanelConclusion, ReferCase
from domain.routes.shared.actions import CarryOverAction, SignOffAction
from domain.routes.shared.dissemination import (
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)


class Step(msgspec.Struct, frozen=True):
    action: str  # words for the refusal message
    roles: tuple[Role, ...]


HOS: tuple[Role, ...] = (Role.HEAD_OF_SAFEGUARDING,)
PANEL: tuple[Role, ...] = (Role.LEARNING_PANEL,)
CHAIR: tuple[Role, ...] = (Role.INDEPENDENT_CHAIR,)
BOARD: tuple[Role, ...] = (Role.SAFEGUARDING_BOARD,)
AGENCY: tuple[Role, ...] = (Role.AGENCY_CONTACT,)
SCR_PANEL: tuple[Role, ...] = (Role.SCR_PANEL,)
MALR_PANEL: tuple[Role, ...] = (Role.MALR_PANEL,)
AUDIT: tuple[Role, ...] = (Role.AUDIT_MONITORING_SUBGROUP,)
QA: tuple[Role, ...] = (Role.QA_SUBGROUP,)
PDM: tuple[Role, ...] = (Role.PERFORMANCE_DEVELOPMENT_MANAGER,)

#: The authority table of the module docstring, as the code checks it.
STEPS: dict[type[Command], Step] = {
    ReferCase: Step("receiving Referral Form A", HOS),
    CirculateReferral: Step("circulating the referral to the Panel", HOS),
    CallScrConsiderationPanel: Step("calling an SCR Consideration Panel", PANEL),
    # Widened to the Service Director when the Panel sits as SCR Consideration Panel.
    DecideOnReview: Step("the Panel's decision on the level of review", PANEL),
    RecordPanelConclusion: Step("the Panel's conclusion", PANEL),
    RequestAgencyReports: Step("requesting agency reports", HOS),
    SubmitAgencyReport: Step("an agency report", AGENCY),
    RecommendOnScr: Step("the recommendation on an SCR", (Role.SERVICE_DIRECTOR,)),
    DecideOnScr: Step("the decision whether to hold an SCR", CHAIR),
    InformOfstedAndNationalPanel: Step("informing Ofsted and the National Panel", CHAIR),
    ScrutiniseDecision: Step("the scrutiny of a decision not to hold an SCR", (Role.NATIONAL_PANEL,)),
    CommissionIndependentReview: Step("commissioning the independent review", CHAIR),
    AgreeScrPanel: Step("agreeing the SCR Panel", CHAIR),
    ChooseReviewMethodology: Step("choosing the review's methodology", PANEL),
    EndorseReviewMethodology: Step("endorsing the review's methodology", CHAIR),
    AgreeScrTermsOfReference: Step("the SCR terms of reference", SCR_PANEL),
    HoldScrPanelMeeting: Step("an SCR Panel meeting", SCR_PANEL),
    RecordScrInterview: Step("an SCR interview", SCR_PANEL),
    InviteFamily: Step("inviting the family", BOARD),
    RequestAgencyChecks: Step("requesting agency checks", HOS),
    NameAgencyContact: Step("naming an agency's contact", HOS),
    AnswerAgencyCheck: Step("an agency's answer to the agency check", AGENCY),
    SubmitChronology: Step("an agency chronology", AGENCY),
    CirculateReviewPapers: Step(
        "circulating the review's dates, chronology template and terms of reference", HOS
    ),
    NominateAgencyRepresentative: Step("an agency's representative", AGENCY),
    CombineChronologies: Step("combining the agency chronologies", HOS),
    HoldReviewMeeting: Step("a review meeting", (*HOS, *MALR_PANEL)),
    AgreeFindings: Step("the findings and recommendations", MALR_PANEL),
    CompleteReport: Step("the review report", HOS),
    SignOffReport: Step("the Board's sign-off", BOARD),
    DecideOnPublication: Step("the publication decision", BOARD),
    CirculateActionPlan: Step("circulating the action plan", PDM),
    RecordActionPlanProgress: Step("action plan progress", AUDIT),
    # Seed 003 flow chart: the Implementation and Training sub-groups disseminate the learning. Neither
    # is a role here: the Learning and Improvement Panel, which they report to, records what they did.
    RecordDisseminationActivity: Step("a dissemination activity", PANEL),
    RecordDisseminationFeedback: Step("feedback on a dissemination activity", PANEL),
    TagLearningThemes: Step("tagging the learning's themes", PANEL),
    RecordActionUpdate: Step("an action's progress", AUDIT),
    SignOffAction: Step("signing off an action", AUDIT),
    CarryOverAction: Step("carrying an action over to a named owner", AUDIT),
    ReportToQaSubgroup: Step("the report to the QA Sub-group", AUDIT),
    ReportToBoard: Step("the report to the Board", QA),
    CloseCase: Step("closing the case", HOS),
    AppointTeamMember: Step("appointing a member of the review's team", HOS),
    ReleaseTeamMember: Step("releasing a member of the review's team", HOS),
}
