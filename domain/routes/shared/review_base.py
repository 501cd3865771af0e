"""The frame the Mini and single-agency Learning Reviews share: stages, the step table, and the steps both take alike.

Both routes keep the stage their record is at, check each step against their authority table
(`STEPS`, rows of `domain.kernel.steps.Step`) before anything else, refuse with the rule they cite, write free text about the case as
the personal data of the family it is about, and take the action-plan, dissemination, themes and
escalation steps in the same way (the dissemination, themes, sign-off and carrying-over steps as
every route records them: `Disseminating`, `PlanSteps`). What differs is said by each route: its
stages, its own events (`RouteEvents`: their names carry the route, so two routes' events remain
two types), and the rules and words of its refusals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from types import ModuleType
from typing import ClassVar, Generic, NamedTuple, Protocol, TypeVar

from domain.governance.disposal import PersonalDataDisposed
from domain.governance.naming import Naming, checked_ids
from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.kernel.steps import Step, happened, not_before
from domain.routes.shared.actions import (
    ActionCarriedOverShape,
    ActionOwnerAssignedShape,
    ActionProgressRecordedShape,
    ActionSignedOffShape,
    ActionStatus,
    AssignActionOwner,
    CarryOverAction,
    PlanSteps,
    RecordActionProgress,
)
from domain.routes.shared.dissemination import (
    Disseminating,
    DisseminationActivityShape,
    DisseminationFeedbackShape,
    LearningEvents,
    LearningThemesShape,
)
from domain.routes.shared.forms import required, subject_ids

RULE_CLOSED = "a closed review accepts no further steps"

S = TypeVar("S", bound=StrEnum)


class RouteEvents(NamedTuple):
    """A route's own event types for the steps written here, each tagged with the route's name."""

    action_progress: type[ActionProgressRecordedShape]
    owner_assigned: type[ActionOwnerAssignedShape]
    action_signed_off: type[ActionSignedOffShape]
    carried_over: type[ActionCarriedOverShape]
    activity: type[DisseminationActivityShape]
    feedback: type[DisseminationFeedbackShape]
    themes: type[LearningThemesShape]
    escalated: Callable[..., DomainEvent]  # national_reference, escalated_on, reasons, role, at


#: The names every route gives its events for these steps, in the order of `RouteEvents`.
_EVENT_NAMES = (
    "ActionProgressRecorded",
    "ActionOwnerAssigned",
    "ActionSignedOff",
    "ActionCarriedOver",
    "DisseminationActivityRecorded",
    "DisseminationFeedbackRecorded",
    "LearningThemesTagged",
    "EscalatedToFullReview",
)


def route_events(events: ModuleType) -> RouteEvents:
    """A route's own events for the steps written here, by the names every route gives them."""
    return RouteEvents(*(getattr(events, name) for name in _EVENT_NAMES))


class RouteReview(Disseminating, PlanSteps, Generic[S]):
    """A review on the Mini or single-agency route: what both keep, check and record alike."""

    steps: ClassVar[Mapping[type[Command], Step]]  # the route's authority table
    events: ClassVar[RouteEvents]
    first_stage: ClassVar[StrEnum]  # its words are the status before the first step
    closed_stage: ClassVar[StrEnum]
    no_action: ClassVar[str]  # "the CFCIG agreed no action", ...
    escalation_rule: ClassVar[str]
    report: ClassVar[str]  # what the report is called: "review report", "draft report"
    report_rule: ClassVar[str]

    def __init__(self, reference: str, stage: S) -> None:
        super().__init__(reference)
        self._stage: S = stage
        self.family: tuple[str, ...] = ()  # the subjects free text about the case is about
        self.practitioners: tuple[str, ...] = ()
        self.report_version = 0
        self.presented_version: int | None = None
        self.first_presented_on: date | None = None
        self.actions: dict[str, ActionStatus] = {}
        self.action_due: dict[str, date | None] = {}
        self.escalated_to: str | None = None
        self.closed_on: date | None = None
        self.personal_data_disposed = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        """A route that names its events (`events`) has the steps every route shares record them too."""
        super().__init_subclass__(**kwargs)
        own = vars(cls).get("events")
        if isinstance(own, RouteEvents):
            cls.learning_events = LearningEvents(own.activity, own.feedback, own.themes)
            cls.signed_off_event = own.action_signed_off
            cls.carried_over_event = own.carried_over

    # -- what an officer sees -----------------------------------------------------------------

    @property
    def stage(self) -> S:
        return self._stage

    @property
    def status(self) -> str:
        if self._stage is self.first_stage:
            return str(self.first_stage)
        words = "closed" if self._stage is self.closed_stage else "open"
        if self.escalated_to is not None:
            words += f"; escalated to a full Learning Review ({self.escalated_to})"
        return words

    @property
    def links(self) -> dict[str, str]:
        """Other records this one points to: the full Learning Review it was escalated into."""
        return {} if self.escalated_to is None else {"escalated_to": self.escalated_to}

    # -- the action plan ------------------------------------------------------------------------

    @handles(RecordActionProgress)
    def record_action_progress(self, command: RecordActionProgress, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        status = self.actions.get(command.action_id)
        if status is None:
            self._refuse(f"{self.no_action} {command.action_id}", self.actions_rule)
        if status is ActionStatus.COMPLETE:
            self._refuse(f"action {command.action_id} is already complete", self.actions_rule)
        happened("recorded_on", command.recorded_on, at)
        self._record(
            self.events.action_progress(
                action_id=command.action_id,
                status=command.status,
                recorded_on=command.recorded_on,
                note=self._case_text(command, "note", command.note),
                evidence=tuple(required("evidence", e) for e in command.evidence),
                role=role,
                at=at,
            )
        )

    @handles(AssignActionOwner)
    def assign_action_owner(self, command: AssignActionOwner, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self.plan.require_assignable(command)
        happened("assigned_on", command.assigned_on, at)
        owner = subject_ids(command.owner_subject)[0]
        name = personal(required("owner_name", command.owner_name), owner, kind=ItemKind.NAME)
        self._record(
            self.events.owner_assigned(
                action_id=command.action_id,
                owner_subject=owner,
                owner_name=name,
                due_on=command.due_on,
                assigned_on=command.assigned_on,
                role=role,
                at=at,
            )
        )

    @handles(CarryOverAction)
    def carry_over_action(self, command: CarryOverAction, by: Acting, at: datetime) -> None:
        self._record_carry_over(command, self._begin(command, by), at)

    # -- escalation -----------------------------------------------------------------------------

    def _escalate(self, command: Escalation, role: Role, at: datetime, since: date | None, what: str) -> None:
        """Record the escalation into a full Learning Review, made on or after `since` (`what` happened)."""
        if self.escalated_to is not None:
            self._refuse(f"this review was already escalated to {self.escalated_to}", self.escalation_rule)
        reference = command.national_reference
        if not reference or reference != reference.strip() or reference == self.reference:
            raise InvalidInput(
                "national_reference", "must be the reference of the new Learning Review record"
            )
        not_before("escalated_on", command.escalated_on, since, what)
        happened("escalated_on", command.escalated_on, at)
        if not command.reasons.strip():
            self._refuse("escalation must give the reasons for a full Learning Review", self.escalation_rule)
        self._record(
            self.events.escalated(
                national_reference=reference,
                escalated_on=command.escalated_on,
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    # -- state changes: no rules here, the event already happened ---------------------------------

    def when(self, event: DomainEvent) -> None:
        """The events of the steps written here; each route's `when` hands on those it does not name."""
        own = self.events
        if isinstance(event, own.action_progress):
            self.actions[event.action_id] = event.status
            self.plan.progressed(event.action_id, event.status, event.recorded_on, event.evidence)
        elif isinstance(event, own.owner_assigned):
            self.plan.owned(event.action_id, event.owner_subject, event.due_on)
        elif isinstance(event, PersonalDataDisposed):
            self.personal_data_disposed = True  # the sealed values are gone; the course is unchanged
        elif not (self._planned(event) or self._learned(event)):
            raise TypeError(f"a {self.kind} has no event {type(event).__name__}")

    # -- helpers -----------------------------------------------------------------------------

    def _begin(self, command: Command, by: Acting) -> Role:
        """Check who is acting and whether the step is possible now; return the role recorded."""
        step = self.steps[type(command)]
        role = require_any_role(by, step.roles, action=step.doing, record=self.reference)
        if self._stage is self.closed_stage:
            self._refuse(f"the review is closed: {step.doing} can no longer be recorded", RULE_CLOSED)
        if self._stage not in step.stages:
            self._refuse(f"{step.doing} is not possible while the review is at '{self._stage}'", step.rule)
        return role

    def _require_latest_version(self, version: int, done: str) -> None:
        if self.report_version == 0:
            self._refuse(f"there is no {self.report} to be {done}", self.report_rule)
        if version != self.report_version:
            self._refuse(
                f"only the latest version of the report (version {self.report_version}) can be {done}",
                self.report_rule,
            )

    def _case_text(self, named: Naming, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        """Free text about the case: the personal data of every child and family member, and whoever
        else the step's `about` names.

        Reasons, findings and views are opinions (DOMAIN.md §3); they are usually a body's or a
        team's, so `by` names a data subject only when the step says whose they are.
        """
        about = dict.fromkeys((*self.family, *checked_ids("about", named.about)))
        return personal(
            required(field, text), *about, kind=ItemKind.NARRATIVE, nature=nature, by=by_subject(named.by)
        )

    def _dated(self, at: datetime, field: str, on: date) -> date:
        happened(field, on, at)
        return on

    def _subject(self, field: str, subject_id: str) -> str:
        return subject_ids(subject_id)[0]  # refused as `subject_id`, as these routes always have

    def _maybe(self, named: Naming, text: str | None, nature: Nature = Nature.FACT) -> Personal | None:
        if text is None or not text.strip():
            return None
        return self._case_text(named, "text", text, nature)


class Escalation(Naming, Protocol):
    """What an escalation command gives (each route has its own `escalate-to-full-review`)."""

    @property
    def national_reference(self) -> str: ...

    @property
    def escalated_on(self) -> date: ...

    @property
    def reasons(self) -> str: ...


def by_subject(by: str | None) -> str | None:
    """The data subject whose statement or opinion a text is, checked, when it is a person's."""
    return None if by is None else checked_ids("by", (by,))[0]
