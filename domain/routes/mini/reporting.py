"""Steps of a Mini Learning Review from its report to closure (seed 000 §4-5, §1.3).

The report presented, the Lead Officer's conclusion on the full criteria, the sign-off at
Partnership level, the findings and actions to the QA Sub Committee and the COG, the action
plan's sign-off and exceptions, dissemination, escalation and closure. The action-plan,
dissemination and themes steps both routes take alike are `domain.routes.shared.review_base`'s.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.event import Nature, Personal
from domain.kernel.roles import Acting
from domain.kernel.steps import happened, not_before
from domain.routes.mini.commands import (
    CloseMiniReview,
    DisseminationActivity,
    EscalateToFullReview,
    PresentReviewReport,
    ReceiveFindingsAndActions,
    RecordCriteriaConclusion,
    RecordDissemination,
    RecordFeedbackToCog,
    SignOffAtPartnershipLevel,
)
from domain.routes.mini.events import (
    ActionExceptionReported,
    FeedbackGivenToCog,
    FindingsAndActionsReceived,
    FullCriteriaConcluded,
    LearningDisseminated,
    MiniReviewClosed,
    ReviewReportPresented,
    SignedOffByPartnership,
)
from domain.routes.mini.rules import RULE_DISSEMINATION, RULE_ESCALATION, RULE_REPORTING, Stage
from domain.routes.mini.state import MiniReviewRecord
from domain.routes.shared.actions import ReportActionException, SignOffAction
from domain.routes.shared.forms import required


class ReportingSteps(MiniReviewRecord):
    """The report, the conclusion and sign-off, reporting on, dissemination, escalation and closure."""

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
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
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
                comments=self._maybe(command, command.reasons, Nature.OPINION),
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
                comments=self._maybe(command, command.comments, Nature.OPINION),
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
                response=self._maybe(command, command.response, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    def _sign_off_comments(self, command: SignOffAction) -> Personal | None:
        return self._maybe(command, command.comments, Nature.OPINION)

    @handles(ReportActionException)
    def report_action_exception(self, command: ReportActionException, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self.plan.require_exception(command)
        happened("reported_on", command.reported_on, at)
        self._record(
            ActionExceptionReported(
                reported_on=command.reported_on,
                actions=tuple(dict.fromkeys(command.actions)),
                summary=self._case_text(command, "summary", command.summary),
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
                summary=self._case_text(command, "summary", command.summary),
                role=role,
                at=at,
            )
        )

    @handles(EscalateToFullReview)
    def escalate(self, command: EscalateToFullReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._escalate(command, role, at, self.received_on, "the request was received")

    @handles(CloseMiniReview)
    def close(self, command: CloseMiniReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._check_can_close()
        happened("closed_on", command.closed_on, at)
        summary = self._case_text(command, "summary", command.summary)
        self._record(MiniReviewClosed(closed_on=command.closed_on, summary=summary, role=role, at=at))

    def _check_can_close(self) -> None:
        stage = self._stage
        if stage is Stage.NOT_UNDERTAKEN:
            return
        if self.escalated_to is not None and stage is not Stage.SIGNED_OFF:
            return  # the learning continues in the full Learning Review
        if stage is not Stage.SIGNED_OFF:
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
