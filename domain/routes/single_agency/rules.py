"""Where each rule of a single-agency Learning Review comes from, its stages, and who may take each step when.

`STEPS` is the authority table of `domain.routes.single_agency.review`'s docstring, as the
commands check it (`RouteReview._begin` in `domain.routes.shared.review_base`); the steps in
`LEAD_REVIEWER_STEPS` are further only for the lead reviewer the CFCIG identified.
"""

from __future__ import annotations

from enum import StrEnum

from domain.kernel.command import Command
from domain.kernel.roles import Role
from domain.kernel.steps import Step
from domain.routes.shared.actions import (
    AssignActionOwner,
    CarryOverAction,
    RecordActionProgress,
    SignOffAction,
)
from domain.routes.shared.dissemination import (
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)
from domain.routes.single_agency.commands import (
    AgreeCriteriaMet,
    AgreeRecommendations,
    AgreeReviewParticipants,
    ChangeLeadReviewer,
    CloseSingleAgencyReview,
    CompleteReferralForm,
    DecideNotToProceed,
    DecideToProceed,
    DraftReport,
    EscalateToFullReview,
    GiveWrittenFeedback,
    IdentifyCase,
    PresentReport,
    RecommendReview,
    RecordAccuracyCheck,
    RecordCriteriaNotMet,
    RecordDissemination,
    RecordReviewMeeting,
    RecordSupervisionDiscussion,
    ReportProgressOnRecommendations,
    ShareOutlineFindings,
    SignReferralForm,
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


class Stage(StrEnum):
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


_S = Stage
_OPEN = frozenset(_S) - {_S.NOT_IDENTIFIED, _S.CLOSED}
REFERRING = frozenset({_S.IN_SUPERVISION, _S.RECOMMENDED})
DECIDED = frozenset({_S.NOT_PROCEEDING, _S.UNDER_REVIEW, _S.REPORT_PRESENTED, _S.IMPLEMENTING})
_WORKER, _LINE, _SM, _CFCIG, _LEAD = (
    Role.SOCIAL_WORKER,
    Role.LINE_MANAGER,
    Role.SERVICE_MANAGER,
    Role.CFCIG,
    Role.LEAD_REVIEWER,
)

#: The authority table of the module docstring, as the commands check it.
STEPS: dict[type[Command], Step] = {
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
    CompleteReferralForm: Step((_WORKER, _LINE), "completing the Referral Form", REFERRING, RULE_REFERRAL),
    SignReferralForm: Step((_WORKER, _LINE), "signing the Referral Form", REFERRING, RULE_REFERRAL),
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
    GiveWrittenFeedback: Step((_SM,), "giving written feedback on the decision", DECIDED, RULE_PATHWAY),
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
LEAD_REVIEWER_STEPS = frozenset(
    {
        AgreeReviewParticipants,
        RecordReviewMeeting,
        ShareOutlineFindings,
        RecordAccuracyCheck,
        DraftReport,
        PresentReport,
    }
)
