"""The action plan of a National Learning Review as records: owners, evidence, sign-off, exceptions
(seed 001 'The Report' and process map 5B).

The plan is agreed by the committee with the report (`agree-action-plan`, each action naming the
report's CLEAR strategy it implements), progressed by the officer with its evidence
(`record-action-progress`) and carried over to a named owner at closure (`carry-over-action`); those
steps are in `domain.routes.national.reporting` and `domain.routes.national.completion`. The steps
here are the ones the other routes share (`domain.routes.shared.actions`), under the same names:
the officer names each action's owner and due date, and overdue actions are reported to the COG by
exception; the committee, which agreed the plan, signs off each completed action on its evidence, a
step every route records alike (`domain.routes.shared.actions.PlanSteps`).
Seed 001 names no monitoring body; the committee monitors because the report and its action plan
go to it (process map 5B), and the COG, which signs the report off too, hears of what is overdue.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.event import ItemKind, Nature, Personal
from domain.kernel.roles import Acting
from domain.routes.national.events_reporting import (
    ActionExceptionReported,
    ActionOwnerAssigned,
)
from domain.routes.national.forms import require_subjects, statement
from domain.routes.national.rules import NationalReviewRules
from domain.routes.shared.actions import AssignActionOwner, ReportActionException, SignOffAction


class ActionSteps(NationalReviewRules):
    """Naming an action's owner and reporting overdue actions to the COG (and how comments on a sign-off are sealed)."""

    @handles(AssignActionOwner)
    def assign_action_owner(self, command: AssignActionOwner, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("naming an action's owner")
        self.plan.require_assignable(command)
        owner = require_subjects("owner_subject", (command.owner_subject,))[0]
        self._record(
            ActionOwnerAssigned(
                at=at,
                role=role,
                action_id=command.action_id,
                owner_subject=owner,
                owner_name=statement("owner_name", command.owner_name, (owner,), kind=ItemKind.NAME),
                due_on=command.due_on,
                assigned_on=self._dated(at, "assigned_on", command.assigned_on),
            )
        )

    @handles(ReportActionException)
    def report_action_exception(self, command: ReportActionException, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("reporting overdue actions to the COG")
        self.plan.require_exception(command)
        self._record(
            ActionExceptionReported(
                at=at,
                role=role,
                reported_on=self._dated(at, "reported_on", command.reported_on),
                actions=tuple(dict.fromkeys(command.actions)),
                summary=statement("summary", command.summary, self._about(command.about)),
            )
        )

    def _sign_off_comments(self, command: SignOffAction) -> Personal | None:
        if not command.comments:
            return None
        nature = Nature.OPINION if command.by is not None else Nature.FACT
        return statement(
            "comments", command.comments, self._about(command.about), nature=nature, by=command.by
        )
