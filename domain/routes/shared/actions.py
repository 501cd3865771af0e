"""Action plans as records: the rules the Mini, single-agency, panel and National Learning Reviews share.

Each action a review agrees (seed 000 §2.3(8), §4: "findings and actions"; seed 004 §4: "agree
process to monitor implementation of any actions") is tracked on its own: the agency or team it
falls to, a named owner and a due date, progress updates with their evidence, completion, and
sign-off by the body that monitors it. An action whose due date passes unfinished shows as an
overdue timescale. A review does not close while an action is open — neither completed and signed off,
nor carried over to a named owner outside the review — and the refusal names each open action.

The commands below are shared: every route accepts the same step under the same name, and each
route says who may take it (its monitoring body, its lead) in its own authority table. The events
are each route's own (their names carry the route), built on the shapes here. The national route
also links each action to the report's CLEAR strategy it implements (`linked`), and names the owner
an action is carried over to in words, so the plan keeps the date it was carried over instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar, NoReturn

import msgspec

from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, personal
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale
from domain.routes.shared.forms import required
from domain.routes.shared.record import RouteRecord


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


# -- commands (the same step in both routes) ----------------------------------------------------


class AssignActionOwner(Command, frozen=True, kw_only=True, tag="assign-action-owner"):
    """A named person owns an agreed action, with the date it is due."""

    action_id: str
    owner_subject: str  # data-subject id of the owner
    owner_name: str
    due_on: date
    assigned_on: date


class SignOffAction(Command, frozen=True, kw_only=True, tag="sign-off-action"):
    """The monitoring body signs off an action recorded as complete, on its evidence."""

    action_id: str
    signed_off_on: date
    comments: str = ""
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ReportActionException(Command, frozen=True, kw_only=True, tag="report-action-exception"):
    """Overdue actions reported by exception to the body above the monitoring (seed 000 §4: the COG)."""

    reported_on: date
    actions: tuple[str, ...]  # the overdue actions reported
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordActionProgress(Command, frozen=True, kw_only=True, tag="record-action-progress"):
    action_id: str
    status: ActionStatus
    recorded_on: date
    note: str
    evidence: tuple[str, ...] = ()  # references of the documents that show the progress
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CarryOverAction(Command, frozen=True, kw_only=True, tag="carry-over-action"):
    """An action still open when the review ends goes on under a named owner (e.g. the Improvement Plan)."""

    action_id: str
    owner_subject: str  # data-subject id of the owner it is carried over to
    owner_name: str
    carried_over_on: date
    reason: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the children and family of the case
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


# -- the shapes of the events (each route tags its own) ----------------------------------------


class ActionEvent(DomainEvent, frozen=True, kw_only=True):
    """Every action-plan step records the role it was taken in, and when (as each route's events do)."""

    role: Role
    at: datetime


class ActionProgressRecordedShape(ActionEvent, frozen=True, kw_only=True):
    action_id: str
    status: ActionStatus
    recorded_on: date
    note: Personal
    evidence: tuple[str, ...] = ()


class ActionOwnerAssignedShape(ActionEvent, frozen=True, kw_only=True):
    action_id: str
    owner_subject: str
    owner_name: Personal
    due_on: date
    assigned_on: date


class ActionSignedOffShape(ActionEvent, frozen=True, kw_only=True):
    action_id: str
    signed_off_on: date
    comments: Personal | None


class ActionExceptionReportedShape(ActionEvent, frozen=True, kw_only=True):
    reported_on: date
    actions: tuple[str, ...]
    summary: Personal


class ActionCarriedOverShape(ActionEvent, frozen=True, kw_only=True):
    action_id: str
    owner_subject: str
    owner_name: Personal
    carried_over_on: date
    reason: Personal


# -- the plan, as a record holds it --------------------------------------------------------------


class TrackedAction(msgspec.Struct, kw_only=True):
    agency: str  # the service or team the action falls to
    agreed_on: date
    due_on: date | None
    status: ActionStatus = ActionStatus.NOT_STARTED
    owner: str | None = None  # data-subject id
    completed_on: date | None = None
    evidence: tuple[str, ...] = ()
    signed_off_on: date | None = None
    carried_over_to: str | None = None  # data-subject id
    carried_over_on: date | None = None  # where the owner carried over to is named in words, not by id
    strategy: int | None = None  # the report's strategy it implements (national route: its CLEAR link)

    @property
    def carried(self) -> bool:
        return self.carried_over_to is not None or self.carried_over_on is not None

    @property
    def open(self) -> bool:
        done = self.status is ActionStatus.COMPLETE and self.signed_off_on is not None
        return not done and not self.carried


class ActionPlan:
    """The actions of one review, their owners, progress, evidence and sign-off.

    The record changes it only from its events (`agreed`, `progressed`, ...); the `require_...`
    methods are the rules, each raising `RuleViolation` with the route's rule and the record.
    """

    def __init__(self, record: str, rule: str) -> None:
        self.record = record
        self.rule = rule
        self.actions: dict[str, TrackedAction] = {}

    def __eq__(self, other: object) -> bool:
        """Two plans are the same plan when their actions are (a replayed record equals the original)."""
        if not isinstance(other, ActionPlan):
            return NotImplemented
        return (self.record, self.rule, self.actions) == (other.record, other.rule, other.actions)

    __hash__ = None  # type: ignore[assignment]  # a plan changes: it is not a dictionary key

    # -- state changes -------------------------------------------------------------------------

    def agreed(self, actions: Iterable[tuple[str, str, date | None]], on: date) -> None:
        """A new plan (action id, agency, due date), agreed `on`, replaces the one before it."""
        self.actions = {
            a: TrackedAction(agency=agency, agreed_on=on, due_on=due) for a, agency, due in actions
        }

    def linked(self, action_id: str, strategy: int | None) -> None:
        """The action implements the report's strategy numbered `strategy` (national: its CLEAR link)."""
        if action_id in self.actions:
            self.actions[action_id].strategy = strategy

    # An event naming an action the plan does not hold changes nothing: the command that recorded it
    # checked the action, so this only happens to a history read in an older form.

    def progressed(self, action_id: str, status: ActionStatus, on: date, evidence: tuple[str, ...]) -> None:
        action = self.actions.get(action_id)
        if action is None:
            return
        action.status = status
        action.evidence += evidence
        if status is ActionStatus.COMPLETE:
            action.completed_on = on

    def owned(self, action_id: str, owner: str, due_on: date) -> None:
        if action_id in self.actions:
            self.actions[action_id].owner = owner
            self.actions[action_id].due_on = due_on

    def signed_off(self, action_id: str, on: date) -> None:
        if action_id in self.actions:
            self.actions[action_id].signed_off_on = on

    def carried_over(self, action_id: str, owner: str | None, on: date | None = None) -> None:
        """Carried over to `owner` (a data-subject id), or, where the owner is named in words, `on` a date."""
        if action_id in self.actions:
            self.actions[action_id].carried_over_to = owner
            self.actions[action_id].carried_over_on = on

    # -- rules ---------------------------------------------------------------------------------

    def require(self, action_id: str) -> TrackedAction:
        action = self.actions.get(action_id)
        if action is None:
            self._refuse(f"the agreed actions include no action {action_id}")
        return action

    def require_assignable(self, command: AssignActionOwner) -> None:
        action = self.require(command.action_id)
        if not action.open:
            self._refuse(f"action {command.action_id} is no longer open")
        if command.due_on < command.assigned_on:
            raise InvalidInput("due_on", f"cannot be before the action is assigned ({command.assigned_on})")

    def require_sign_off(self, command: SignOffAction) -> None:
        action = self.require(command.action_id)
        if action.status is not ActionStatus.COMPLETE:
            self._refuse(f"action {command.action_id} is signed off only once it is recorded as complete")
        if action.signed_off_on is not None:
            self._refuse(f"action {command.action_id} was already signed off on {action.signed_off_on}")
        if not action.evidence:
            self._refuse(f"action {command.action_id} is signed off on evidence: none has been recorded")

    def require_carry_over(self, command: CarryOverAction) -> None:
        action = self.require(command.action_id)
        if not action.open:
            self._refuse(f"action {command.action_id} is not open: there is nothing to carry over")

    def require_exception(self, command: ReportActionException) -> None:
        if not command.actions:
            raise InvalidInput("actions", "name the overdue actions reported")
        for action_id in command.actions:
            action = self.require(action_id)
            overdue = action.open and action.status is not ActionStatus.COMPLETE
            if not overdue or action.due_on is None or action.due_on >= command.reported_on:
                self._refuse(
                    f"action {action_id} is not overdue on {command.reported_on}: report by exception only"
                )

    def require_none_open(self, closing: str) -> None:
        """Refuse `closing` while any action is open, naming each one."""
        still = self.open_actions()
        if still:
            self._refuse(
                f"{closing} cannot close with actions open ({', '.join(still)}): complete and sign them off, "
                "or carry them over to a named owner"
            )

    def open_actions(self) -> list[str]:
        return [action_id for action_id, action in self.actions.items() if action.open]

    # -- what an officer sees ------------------------------------------------------------------

    def timescales(self) -> list[Timescale]:
        """One timescale per action with a due date: completed when recorded complete, overdue after."""
        return [
            Timescale(
                name=f"action {action_id} ({action.agency}) complete by its due date",
                rule=self.rule,
                started=min(action.agreed_on, action.due_on),
                due=action.due_on,
                completed=action.completed_on,
            )
            for action_id, action in self.actions.items()
            if action.due_on is not None and not action.carried
        ]

    def obligations(self, owner: tuple[Role, ...], monitor: tuple[Role, ...]) -> list[Obligation]:
        owed: list[Obligation] = []
        for action_id, action in self.actions.items():
            if not action.open:
                continue
            if action.owner is None:
                owed.append(
                    Obligation(who=owner, what=f"name the owner of action {action_id}", rule=self.rule)
                )
            if action.status is not ActionStatus.COMPLETE:
                what = f"complete action {action_id}"
                owed.append(Obligation(who=owner, what=what, rule=self.rule, due=action.due_on))
            else:
                owed.append(Obligation(who=monitor, what=f"sign off action {action_id}", rule=self.rule))
        return owed

    def _refuse(self, message: str) -> NoReturn:
        raise RuleViolation(message, rule=self.rule, record=self.record)


# -- the steps every route takes alike, after its own checks ------------------------------------


class PlanSteps(RouteRecord):
    """Signing off an action and carrying one over to a named owner, as every route records them.

    Each route says who takes a step and whether its record allows it now (`_begin`, from its step
    table); the plan's rules, the date, the sealing and the event are here. Carrying over is each
    route's handler, since the national route carries an action over with its own command.
    """

    actions_rule: ClassVar[str]  # the rule the action plan's refusals cite
    signed_off_event: ClassVar[type[ActionSignedOffShape]]
    carried_over_event: ClassVar[type[ActionCarriedOverShape] | None] = None  # None: the route's own

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.plan = ActionPlan(reference, self.actions_rule)

    @handles(SignOffAction)
    def sign_off_action(self, command: SignOffAction, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self.plan.require_sign_off(command)
        signed_off_on = self._dated(at, "signed_off_on", command.signed_off_on)
        self._record(
            self.signed_off_event(
                action_id=command.action_id,
                signed_off_on=signed_off_on,
                comments=self._sign_off_comments(command),
                role=role,
                at=at,
            )
        )

    def _sign_off_comments(self, command: SignOffAction) -> Personal | None:
        """The monitoring body's comments on an action it signs off, an opinion, if any."""
        comments = command.comments.strip()
        return self._case_text(command, "comments", comments, Nature.OPINION) if comments else None

    def _record_carry_over(self, command: CarryOverAction, role: Role, at: datetime) -> None:
        assert self.carried_over_event is not None
        self.plan.require_carry_over(command)
        carried_over_on = self._dated(at, "carried_over_on", command.carried_over_on)
        owner = self._subject("owner_subject", command.owner_subject)
        name = personal(required("owner_name", command.owner_name), owner, kind=ItemKind.NAME)
        self._record(
            self.carried_over_event(
                action_id=command.action_id,
                owner_subject=owner,
                owner_name=name,
                carried_over_on=carried_over_on,
                reason=self._case_text(command, "reason", command.reason),
                role=role,
                at=at,
            )
        )

    def _planned(self, event: DomainEvent) -> bool:
        """Keep a sign-off or a carrying over in the plan; False when `event` is neither."""
        if isinstance(event, self.signed_off_event):
            self.plan.signed_off(event.action_id, event.signed_off_on)
        elif self.carried_over_event is not None and isinstance(event, self.carried_over_event):
            self.plan.carried_over(event.action_id, event.owner_subject)
        else:
            return False
        return True
