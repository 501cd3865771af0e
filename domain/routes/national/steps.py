"""Who may record each step of a National Learning Review: `STEPS`, the table the code checks.

The module docstring of `domain.routes.national.review` writes the same authority out for a
reader; the handlers check each row before anything else (`NationalReviewRules._authorise`), and
`adapters/app/authority.py` takes the national route's rows from `STEPS`. Further checks of who
takes a step (the people appointed to the Review Team, an agency's own contact) stay in the handlers.
"""

from __future__ import annotations

from domain.kernel.command import Command
from domain.kernel.roles import Role
from domain.kernel.steps import Step
from domain.routes.national.commands import (
    AgreeActionPlan,
    AgreeFamilyLiaisonStrategy,
    AgreeTorAmendment,
    AppointTeamMember,
    CarryOverAction,
    CheckParallelProcess,
    CloseReview,
    CompleteChildDeathDataset,
    DecideNotToInvolveFamily,
    DecideNotToProceed,
    DecidePublication,
    DecideToProceed,
    DeclineTorAmendment,
    DraftReportVersion,
    InformCog,
    LinkReview,
    MakeRecommendation,
    MergeChronologies,
    NameAgencyContact,
    NotifyCareInspectorate,
    PassToNominatedPerson,
    PauseReview,
    PresentReport,
    ProposeTorAmendment,
    PublishLearningSeparately,
    PublishReport,
    ReceiveChronology,
    ReceiveNotification,
    RecommendPublication,
    RecordActionProgress,
    RecordAgencyNonReturn,
    RecordAgencyReturn,
    RecordAlternativeApproach,
    RecordDissemination,
    RecordEmergingLearning,
    RecordFamilyContact,
    RecordFamilyFeedback,
    RecordFamilyFeedbackOnConclusion,
    RecordFamilyFeedbackOnProcess,
    RecordFamilyGroupMember,
    RecordFamilyInformed,
    RecordFamilyViewsOnPublication,
    RecordMediaApproach,
    RecordNoPractitionerEvent,
    RecordPoliceLiaison,
    RecordPractitionerEvent,
    RecordProceedingsLiaison,
    RecordTeamMeeting,
    ReleaseTeamMember,
    ReportDelay,
    RequestChronology,
    RequestInformation,
    ResumeReview,
    SendNotificationResponse,
    SendReportToCareInspectorate,
    SignOffReportForCog,
    SignOffReportForCommittee,
)
from domain.routes.shared.actions import AssignActionOwner, ReportActionException, SignOffAction
from domain.routes.shared.dissemination import (
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)

OFFICER = Role.CPC_OFFICER  # the committee's officer, nominated person or sub-group, administrator
COMMITTEE = Role.CPC  # the Child (or Adult) Protection Committee
COG = Role.COG
REVIEWER = Role.REVIEWER
REVIEW_TEAM = (REVIEWER, OFFICER)
AGENCY_CONTACT = Role.AGENCY_CONTACT

#: The authority of the module docstring of `domain.routes.national.review`, as the code checks it.
STEPS: dict[type[Command], Step] = {
    # From the notification to the decision (seed 001 process maps 1 to 5A).
    ReceiveNotification: Step((OFFICER,), "receiving a notification"),
    PassToNominatedPerson: Step((OFFICER,), "passing a notification to the nominated person"),
    RequestInformation: Step((OFFICER,), "a request for information"),
    RecordAgencyReturn: Step((OFFICER, AGENCY_CONTACT), "an agency's return of information"),
    MakeRecommendation: Step((OFFICER,), "the recommendation of the nominated person or sub-group"),
    DecideToProceed: Step((COMMITTEE,), "the decision whether to proceed"),
    DecideNotToProceed: Step((COMMITTEE,), "the decision whether to proceed"),
    InformCog: Step((OFFICER,), "informing the COG of the decision"),
    SendNotificationResponse: Step((OFFICER,), "the Notification Response"),
    NotifyCareInspectorate: Step((OFFICER,), "notifying the Care Inspectorate"),
    RecordMediaApproach: Step((OFFICER,), "the communication and media approach"),
    RecordAlternativeApproach: Step((OFFICER,), "the alternative approach for learning"),
    LinkReview: Step((OFFICER,), "linking another review"),
    # Conducting the review (process map 5B).
    AppointTeamMember: Step((OFFICER,), "appointing a Review Team member"),
    ReleaseTeamMember: Step((OFFICER,), "a change of Review Team membership"),
    AgreeFamilyLiaisonStrategy: Step((OFFICER,), "the Family Liaison Strategy"),
    RecordFamilyContact: Step(REVIEW_TEAM, "a contact with the family"),
    CheckParallelProcess: Step((OFFICER,), "a check of parallel processes"),
    RecordProceedingsLiaison: Step((OFFICER,), "liaison with COPFS or SCRA"),
    RecordPoliceLiaison: Step((OFFICER,), "liaison with Police Scotland"),
    ProposeTorAmendment: Step(REVIEW_TEAM, "an amendment to the terms of reference"),
    AgreeTorAmendment: Step((COMMITTEE,), "agreement to a terms-of-reference amendment"),
    DeclineTorAmendment: Step((COMMITTEE,), "declining a terms-of-reference amendment"),
    RequestChronology: Step((OFFICER,), "a request for a chronology"),
    ReceiveChronology: Step((OFFICER,), "receiving a chronology"),
    MergeChronologies: Step((REVIEWER,), "merging the chronologies"),
    RecordTeamMeeting: Step((OFFICER,), "the minutes of a Review Team meeting"),
    RecordPractitionerEvent: Step(REVIEW_TEAM, "a practitioner or manager event"),
    RecordEmergingLearning: Step(REVIEW_TEAM, "emerging learning"),
    CompleteChildDeathDataset: Step((OFFICER,), "the National Child Death Review Dataset"),
    PauseReview: Step((OFFICER,), "pausing the review"),
    ResumeReview: Step((OFFICER,), "resuming the review"),
    ReportDelay: Step((OFFICER,), "reporting a delay to the committee and the COG"),
    # Completing the review: agency contacts, the family, the report presented, actions carried over.
    NameAgencyContact: Step((OFFICER,), "naming an agency's contact"),
    RecordAgencyNonReturn: Step((OFFICER,), "an agency's non-return of information"),
    DecideNotToInvolveFamily: Step((OFFICER,), "the decision not to involve the family"),
    RecordNoPractitionerEvent: Step(REVIEW_TEAM, "the reason no practitioner or manager event was held"),
    PresentReport: Step(REVIEW_TEAM, "presenting the report"),
    CarryOverAction: Step((COMMITTEE,), "carrying an action over"),
    # The family, and the learning shared.
    RecordFamilyGroupMember: Step((OFFICER,), "the family group"),
    RecordFamilyInformed: Step(REVIEW_TEAM, "informing the family of the review"),
    RecordFamilyFeedbackOnConclusion: Step(REVIEW_TEAM, "feedback to the family on the conclusion"),
    RecordFamilyFeedbackOnProcess: Step(REVIEW_TEAM, "the family's feedback on the process"),
    RecordDisseminationActivity: Step(REVIEW_TEAM, "a dissemination activity"),
    RecordDisseminationFeedback: Step(REVIEW_TEAM, "feedback on a dissemination activity"),
    TagLearningThemes: Step(REVIEW_TEAM, "tagging the learning's themes"),
    # The report, the action plan, publication, closure.
    DraftReportVersion: Step((REVIEWER,), "drafting the report"),
    SignOffReportForCommittee: Step((COMMITTEE,), "the committee's sign-off of the report"),
    SignOffReportForCog: Step((COG,), "the COG's sign-off of the report"),
    SendReportToCareInspectorate: Step((OFFICER,), "sending the report to the Care Inspectorate"),
    AgreeActionPlan: Step((COMMITTEE,), "the action plan for dissemination of learning"),
    RecordActionProgress: Step((OFFICER,), "progress on an action"),
    RecommendPublication: Step((COMMITTEE,), "the recommendation on publication"),
    RecordFamilyViewsOnPublication: Step(REVIEW_TEAM, "the family's views on publication"),
    DecidePublication: Step((COG,), "the decision on publication"),
    PublishReport: Step((OFFICER,), "publishing the report"),
    PublishLearningSeparately: Step((OFFICER,), "publishing the learning separately"),
    RecordDissemination: Step(REVIEW_TEAM, "dissemination of learning"),
    RecordFamilyFeedback: Step(REVIEW_TEAM, "feedback to the family"),
    CloseReview: Step((COMMITTEE,), "closing the review"),
    # The action plan after sign-off.
    AssignActionOwner: Step((OFFICER,), "naming an action's owner"),
    SignOffAction: Step((COMMITTEE,), "signing off an action"),
    ReportActionException: Step((OFFICER,), "reporting overdue actions to the COG"),
}
