"""Who may record each step of a Learning and Improvement Panel case: `STEPS`, the table the code checks.

The module docstring of `domain.routes.panel.review` writes the same table out for a reader
(tests/domain/test_panel_review.py holds the two together); `adapters/app/authority.py` takes
the Panel's rows from `STEPS`, with the Service Director's when chairing an SCR Consideration
Panel (`Step.chair`).
"""

from __future__ import annotations

from domain.kernel.command import Command
from domain.kernel.roles import Role
from domain.kernel.steps import Step
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
    ReferCase: Step(HOS, "receiving Referral Form A"),
    CirculateReferral: Step(HOS, "circulating the referral to the Panel"),
    CallScrConsiderationPanel: Step(PANEL, "calling an SCR Consideration Panel"),
    # Seed 003, Chair arrangements: the Service Director decides when chairing an SCR Consideration Panel.
    DecideOnReview: Step(
        PANEL, "the Panel's decision on the level of review", chair=(Role.SERVICE_DIRECTOR,)
    ),
    RecordPanelConclusion: Step(PANEL, "the Panel's conclusion"),
    RequestAgencyReports: Step(HOS, "requesting agency reports"),
    SubmitAgencyReport: Step(AGENCY, "an agency report"),
    RecommendOnScr: Step((Role.SERVICE_DIRECTOR,), "the recommendation on an SCR"),
    DecideOnScr: Step(CHAIR, "the decision whether to hold an SCR"),
    InformOfstedAndNationalPanel: Step(CHAIR, "informing Ofsted and the National Panel"),
    ScrutiniseDecision: Step((Role.NATIONAL_PANEL,), "the scrutiny of a decision not to hold an SCR"),
    CommissionIndependentReview: Step(CHAIR, "commissioning the independent review"),
    AgreeScrPanel: Step(CHAIR, "agreeing the SCR Panel"),
    ChooseReviewMethodology: Step(PANEL, "choosing the review's methodology"),
    EndorseReviewMethodology: Step(CHAIR, "endorsing the review's methodology"),
    AgreeScrTermsOfReference: Step(SCR_PANEL, "the SCR terms of reference"),
    HoldScrPanelMeeting: Step(SCR_PANEL, "an SCR Panel meeting"),
    RecordScrInterview: Step(SCR_PANEL, "an SCR interview"),
    InviteFamily: Step(BOARD, "inviting the family"),
    RequestAgencyChecks: Step(HOS, "requesting agency checks"),
    NameAgencyContact: Step(HOS, "naming an agency's contact"),
    AnswerAgencyCheck: Step(AGENCY, "an agency's answer to the agency check"),
    SubmitChronology: Step(AGENCY, "an agency chronology"),
    CirculateReviewPapers: Step(
        HOS, "circulating the review's dates, chronology template and terms of reference"
    ),
    NominateAgencyRepresentative: Step(AGENCY, "an agency's representative"),
    CombineChronologies: Step(HOS, "combining the agency chronologies"),
    HoldReviewMeeting: Step((*HOS, *MALR_PANEL), "a review meeting"),
    AgreeFindings: Step(MALR_PANEL, "the findings and recommendations"),
    CompleteReport: Step(HOS, "the review report"),
    SignOffReport: Step(BOARD, "the Board's sign-off"),
    DecideOnPublication: Step(BOARD, "the publication decision"),
    CirculateActionPlan: Step(PDM, "circulating the action plan"),
    RecordActionPlanProgress: Step(AUDIT, "action plan progress"),
    # Seed 003 flow chart: the Implementation and Training sub-groups disseminate the learning. Neither
    # is a role here: the Learning and Improvement Panel, which they report to, records what they did.
    RecordDisseminationActivity: Step(PANEL, "a dissemination activity"),
    RecordDisseminationFeedback: Step(PANEL, "feedback on a dissemination activity"),
    TagLearningThemes: Step(PANEL, "tagging the learning's themes"),
    RecordActionUpdate: Step(AUDIT, "an action's progress"),
    SignOffAction: Step(AUDIT, "signing off an action"),
    CarryOverAction: Step(AUDIT, "carrying an action over to a named owner"),
    ReportToQaSubgroup: Step(AUDIT, "the report to the QA Sub-group"),
    ReportToBoard: Step(QA, "the report to the Board"),
    CloseCase: Step(HOS, "closing the case"),
    AppointTeamMember: Step(HOS, "appointing a member of the review's team"),
    ReleaseTeamMember: Step(HOS, "releasing a member of the review's team"),
}
