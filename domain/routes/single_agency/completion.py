"""Steps of a single-agency Learning Review from the agreed recommendations to closure (seed 004 §4; Appendix 1).

Dissemination to its audiences, escalation into a full Learning Review and closure. The
action-plan steps (the CFCIG's sign-off of an action among them), dissemination and themes steps
every route takes alike are `domain.routes.shared.review_base`'s.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.roles import Acting
from domain.kernel.steps import happened
from domain.routes.shared.forms import required
from domain.routes.single_agency.commands import (
    CloseSingleAgencyReview,
    EscalateToFullReview,
    RecordDissemination,
)
from domain.routes.single_agency.events import (
    LearningDisseminated,
    SingleAgencyReviewClosed,
)
from domain.routes.single_agency.rules import (
    RULE_CFCIG,
    RULE_NOT_PROCEED,
    RULE_PATHWAY,
    Stage,
)
from domain.routes.single_agency.state import SingleAgencyReviewRecord


class CompletionSteps(SingleAgencyReviewRecord):
    """Dissemination, escalation and closure."""

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

    @handles(EscalateToFullReview)
    def escalate(self, command: EscalateToFullReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._escalate(command, role, at, self.identified_on, "the case was identified")

    @handles(CloseSingleAgencyReview)
    def close(self, command: CloseSingleAgencyReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._check_can_close()
        happened("closed_on", command.closed_on, at)
        summary = self._case_text(command, "summary", command.summary)
        self._record(SingleAgencyReviewClosed(closed_on=command.closed_on, summary=summary, role=role, at=at))

    def _check_can_close(self) -> None:
        s = self._stage
        if s is Stage.CRITERIA_NOT_MET:
            return
        if self.escalated_to is not None and s is not Stage.IMPLEMENTING:
            return  # the learning continues in the full Learning Review
        if s not in (Stage.NOT_PROCEEDING, Stage.IMPLEMENTING):
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
        if s is Stage.NOT_PROCEEDING and missing:
            self._refuse(
                f"the team manager has not reported back on recommendation(s) {', '.join(map(str, missing))}",
                RULE_NOT_PROCEED,
            )
        if s is Stage.IMPLEMENTING and not self.disseminated:
            self._refuse("the review cannot close until the learning has been disseminated", RULE_CFCIG)
        if s is Stage.IMPLEMENTING:
            self.plan.require_none_open("the review")
