"""Steps of a single-agency Learning Review at the CFCIG's decision (seed 004 §3(4), §4).

The decision to proceed (lead reviewer, parameters, objectives, timescales) or not to proceed
(rationale and recommendations), a change of lead reviewer, the written feedback, and the team
manager's reports back on the recommendations.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import Nature
from domain.kernel.roles import Acting
from domain.kernel.steps import happened, not_before
from domain.routes.single_agency.commands import (
    ChangeLeadReviewer,
    DecideNotToProceed,
    DecideToProceed,
    GiveWrittenFeedback,
    ReportProgressOnRecommendations,
)
from domain.routes.single_agency.events import (
    DecisionNotToProceedRecorded,
    DecisionToProceedRecorded,
    LeadReviewerChanged,
    RecommendationProgressReported,
    WrittenFeedbackGiven,
)
from domain.routes.single_agency.rules import RULE_NOT_PROCEED, RULE_PATHWAY, RULE_PROCEED
from domain.routes.single_agency.state import SingleAgencyReviewRecord


class DecidingSteps(SingleAgencyReviewRecord):
    """The CFCIG's decision, the lead reviewer, written feedback and reports back."""

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
                    self._case_text(command, "key_objectives", o) for o in command.key_objectives
                ),
                lead_reviewer=command.lead_reviewer,
                parameters=self._case_text(command, "parameters", command.parameters),
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
                rationale=self._case_text(command, "rationale", command.rationale, Nature.OPINION),
                further_actions=tuple(
                    self._case_text(command, "further_actions", a) for a in command.further_actions
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
                summary=self._case_text(command, "summary", command.summary),
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
        progress = self._case_text(command, "progress", command.progress)
        self._record(
            RecommendationProgressReported(
                reported_on=command.reported_on, item=command.item, progress=progress, role=role, at=at
            )
        )
