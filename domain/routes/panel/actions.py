"""After an MALR's report: the multi-agency action plan, its monitoring and the reports on it.

The Performance and Development Manager circulates the plan; the Audit and Monitoring Sub-group
records each action's progress, signs it off or carries it over, and reports to the QA
Sub-group, which reports to the Board (seed 003, flow chart). Signing off, carrying over and the
learning's dissemination are recorded as every route records them (`domain.routes.shared`); when
the case allows them is the Panel's `_begin` in `domain.routes.panel.rules`.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, personal
from domain.kernel.roles import Acting
from domain.routes.panel.commands import (
    CirculateActionPlan,
    RecordActionPlanProgress,
    RecordActionUpdate,
    ReportToBoard,
    ReportToQaSubgroup,
)
from domain.routes.panel.events import (
    ActionPlanCirculatedV2,
    ActionPlanProgressRecordedV2,
    ActionUpdateRecorded,
    PlannedAction,
    ReportedToBoardV2,
    ReportedToQaSubgroupV2,
)
from domain.routes.panel.forms import require_subject, require_text, require_texts
from domain.routes.panel.rules import RULE_ORDER, PanelReviewRules, not_before
from domain.routes.panel.state import RULE_ACTIONS
from domain.routes.shared.actions import ActionStatus, CarryOverAction


class ActionSteps(PanelReviewRules):
    """The action plan, its progress and monitoring, and the reports on it."""

    @handles(CirculateActionPlan)
    def circulate_action_plan(self, command: CirculateActionPlan, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.report_on is None:
            self._refuse("the action plan follows the report or case summary", RULE_ORDER)
        if s.action_plan_circulated_on is not None:
            self._refuse("the action plan has already been circulated", RULE_ORDER)
        require_text("document", command.document)
        require_texts("agencies", command.agencies)
        if not command.actions:
            self._refuse(
                "the multi-agency action plan lists its actions, each with its agency, owner and due date",
                RULE_ACTIONS,
            )
        ids = [a.action_id.strip() for a in command.actions]
        if len(set(ids)) != len(ids) or not all(ids):
            raise InvalidInput("actions.action_id", "each action needs its own non-empty id")
        circulated_on = command.circulated_on or at.date()
        actions = []
        for answer in command.actions:
            if answer.agency not in command.agencies:
                raise InvalidInput(
                    "actions.agency", f"{answer.agency} is not among the agencies the plan goes to"
                )
            require_subject("actions.owner_subject", answer.owner_subject)
            require_text("actions.owner_name", answer.owner_name)
            not_before("actions.due_on", answer.due_on, circulated_on, "the plan is circulated")
            actions.append(
                PlannedAction(
                    action_id=answer.action_id,
                    agency=answer.agency,
                    description=self._case_text(command, "actions.description", answer.description),
                    owner_subject=answer.owner_subject,
                    owner_name=personal(answer.owner_name, answer.owner_subject, kind=ItemKind.NAME),
                    due_on=answer.due_on,
                )
            )
        self._record(
            ActionPlanCirculatedV2(
                document=command.document,
                agencies=command.agencies,
                actions=tuple(actions),
                circulated_on=circulated_on,
                role=role,
                at=at,
            )
        )

    @handles(RecordActionUpdate)
    def record_action_update(self, command: RecordActionUpdate, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._malr_set_up()
        action = self.plan.require(command.action_id)
        if action.status is ActionStatus.COMPLETE:
            self._refuse(f"action {command.action_id} is already complete", RULE_ACTIONS)
        if action.carried_over_to is not None:
            self._refuse(f"action {command.action_id} was carried over to its new owner", RULE_ACTIONS)
        require_text("progress", command.progress)
        self._record(
            ActionUpdateRecorded(
                action_id=command.action_id,
                agency=action.agency,
                status=command.status,
                recorded_on=command.recorded_on,
                progress=self._case_text(command, "progress", command.progress),
                evidence=tuple(e.strip() for e in command.evidence if e.strip()),
                role=role,
                at=at,
            )
        )

    @handles(CarryOverAction)
    def carry_over_action(self, command: CarryOverAction, by: Acting, at: datetime) -> None:
        self._record_carry_over(command, self._begin(command, by), at)

    @handles(RecordActionPlanProgress)
    def record_action_plan_progress(
        self, command: RecordActionPlanProgress, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.action_plan_circulated_on is None:
            self._refuse("no action plan has been circulated yet", RULE_ORDER)
        if command.agency not in s.action_plan_agencies:
            self._refuse(f"the action plan was not circulated to {command.agency}", RULE_ORDER)
        require_text("progress", command.progress)
        self._record(
            ActionPlanProgressRecordedV2(
                agency=command.agency,
                progress=self._case_text(command, "progress", command.progress),
                role=role,
                at=at,
            )
        )

    @handles(ReportToQaSubgroup)
    def report_to_qa_subgroup(self, command: ReportToQaSubgroup, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        # seed 003: "Progress will be reported to the Quality Assurance and Performance Sub Group".
        if not s.progress_updates:
            self._refuse("no progress on the action plan has been recorded yet", RULE_ORDER)
        if s.reported_to_qa_on is not None:
            self._refuse("progress has already been reported to the QA Sub-group", RULE_ORDER)
        require_text("summary", command.summary)
        summary = self._case_text(command, "summary", command.summary)
        self._record(ReportedToQaSubgroupV2(summary=summary, role=role, at=at))

    @handles(ReportToBoard)
    def report_to_board(self, command: ReportToBoard, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.reported_to_qa_on is None:
            self._refuse("the QA Sub-group reports to the Board: report to it first", RULE_ORDER)
        if s.reported_to_board_on is not None:
            self._refuse("the findings have already been reported to the Board", RULE_ORDER)
        require_text("summary", command.summary)
        summary = self._case_text(command, "summary", command.summary)
        self._record(ReportedToBoardV2(summary=summary, role=role, at=at))
