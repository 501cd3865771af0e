"""Retention and disposal: the schedule, legal holds, and whether a record's disposal is due (DOMAIN.md §6).

Stream: `retention`, one for the whole system; its events are named `retention.*`.

- **The schedule** says, for each class of record, what starts its retention period (the
  trigger, e.g. closure), how long the period is, and what happens at its end: keep
  permanently, destroy the personal data, anonymise, review, or transfer to an archive.
  Schedules differ between authorities, so every rule is set by a signed event and a change
  is a new event; the history stays in the stream. National Learning Review files are kept
  permanently (national guidance), and that rule cannot be changed.
- **A legal hold** (an open subject access or FOI request, a review or appeal, litigation,
  an inquiry's preservation notice) names the records it covers and blocks their disposal
  until it is released. Destroying information a requester has asked for is an offence
  (DPA 2018 s.173), so an open request holds the records it searched even without a hold
  event: `open_request_hold` makes that hold from the request file.
- **`disposal_decision`** is a pure function: given the rules, the holds, a record's class,
  the dates its triggers happened and today, it says whether disposal is due, why, and which
  hold blocks it. `authorise_disposal` refuses, naming the hold or the reason, unless the
  personal data may be disposed of now.

Authority: a rule is set by the records manager (`records_manager`); a hold is placed or
released by an information-governance officer or the records manager; a disposal is
authorised by the records manager or an information-governance officer (`DISPOSAL_ROLES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import NoReturn

import msgspec

from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, Personal, personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.kernel.steps import Step, happened, not_before
from domain.kernel.timescales import add_months

RETENTION_STREAM = "retention"

RULE_SCHEDULE = "DOMAIN.md §6: the authority's retention schedule"
RULE_PERMANENT = "national guidance: Learning Review information is retained in perpetuity"
RULE_HOLD = "DOMAIN.md §6: a legal hold blocks disposal until released (DPA 2018 s.173)"


class RecordClass(StrEnum):
    LEARNING_REVIEW = "learning_review"  # a National Learning Review file
    NOTIFICATION_NOT_PROCEEDED = "notification_not_proceeded"
    MINI_REVIEW = "mini_review"
    SINGLE_AGENCY_REVIEW = "single_agency_review"
    PANEL_REVIEW = "panel_review"
    SAR_FILE = "sar_file"
    FOI_FILE = "foi_file"
    SUBJECT_RECORD = "subject_record"  # a data subject's entry in the register


class Trigger(StrEnum):
    """The event that starts a retention period."""

    CLOSURE = "closure"
    DECISION_NOT_TO_PROCEED = "decision_not_to_proceed"
    RESPONSE_SENT = "response_sent"
    LAST_ACTIVITY = "last_activity"


class DisposalAction(StrEnum):
    KEEP_PERMANENTLY = "keep_permanently"
    DESTROY_PERSONAL_DATA = "destroy_personal_data"
    ANONYMISE = "anonymise"
    REVIEW = "review"
    TRANSFER_TO_ARCHIVE = "transfer_to_archive"


#: The actions carried out by destroying the record's personal data (crypto-shredding).
DISPOSING: frozenset[DisposalAction] = frozenset(
    {DisposalAction.DESTROY_PERSONAL_DATA, DisposalAction.ANONYMISE}
)


class HoldKind(StrEnum):
    OPEN_SAR = "open_sar"
    OPEN_FOI = "open_foi"
    REVIEW_OR_APPEAL = "review_or_appeal"
    LITIGATION = "litigation"
    INQUIRY_PRESERVATION = "inquiry_preservation"


_HOLD_WORDS: dict[HoldKind, str] = {
    HoldKind.OPEN_SAR: "an open subject access request",
    HoldKind.OPEN_FOI: "an open FOI request",
    HoldKind.REVIEW_OR_APPEAL: "a review or appeal",
    HoldKind.LITIGATION: "litigation",
    HoldKind.INQUIRY_PRESERVATION: "an inquiry's preservation notice",
}
_NEEDS_REFERENCE = frozenset({HoldKind.OPEN_SAR, HoldKind.OPEN_FOI, HoldKind.REVIEW_OR_APPEAL})


class RetentionRule(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the schedule: for `record_class`, `action` when `months` have passed since `trigger`."""

    record_class: RecordClass
    action: DisposalAction
    trigger: Trigger | None = None  # None when kept permanently
    months: int = 0
    basis: str  # where the rule comes from, e.g. "Council retention schedule 2024, class 6.3"

    def describe(self) -> str:
        if self.action is DisposalAction.KEEP_PERMANENTLY:
            return f"{self.record_class.value}: kept permanently ({self.basis})"
        years, months = divmod(self.months, 12)
        period = _count(years, "year") if not months else _count(self.months, "month")
        trigger = self.trigger.value.replace("_", " ") if self.trigger else "?"
        action = self.action.value.replace("_", " ")
        return f"{self.record_class.value}: {action}, {period} after {trigger} ({self.basis})"


#: The rules every schedule starts from; the rest are the authority's to set.
DEFAULT_RULES: dict[RecordClass, RetentionRule] = {
    RecordClass.LEARNING_REVIEW: RetentionRule(
        record_class=RecordClass.LEARNING_REVIEW,
        action=DisposalAction.KEEP_PERMANENTLY,
        basis="national guidance: Learning Review information is retained in perpetuity",
    ),
}


class LegalHold(msgspec.Struct, frozen=True, kw_only=True):
    hold_id: str
    kind: HoldKind
    records: tuple[str, ...]
    placed_on: date
    reference: str | None = None  # the request, case or notice that requires it

    def describe(self) -> str:
        about = f" {self.reference}" if self.reference else ""
        return f"legal hold {self.hold_id} ({_HOLD_WORDS[self.kind]}{about}, since {self.placed_on})"


def open_request_hold(kind: HoldKind, reference: str, records: tuple[str, ...], opened_on: date) -> LegalHold:
    """The hold an open SAR or FOI request places on the records in its scope, without a hold event."""
    if kind not in (HoldKind.OPEN_SAR, HoldKind.OPEN_FOI):
        raise InvalidInput("kind", "only an open subject access or FOI request holds records by itself")
    return LegalHold(hold_id=reference, kind=kind, records=records, placed_on=opened_on, reference=reference)


class DisposalDecision(msgspec.Struct, frozen=True, kw_only=True):
    """Whether a record's retention action is due today, why, and what blocks it."""

    record: str
    record_class: RecordClass
    due: bool  # the action is due and no hold blocks it
    reason: str
    rule: RetentionRule | None = None
    due_on: date | None = None
    blocked_by: tuple[LegalHold, ...] = ()


def disposal_decision(
    rules: Mapping[RecordClass, RetentionRule],
    holds: Iterable[LegalHold],
    *,
    record: str,
    record_class: RecordClass,
    triggers: Mapping[Trigger, date],
    today: date,
) -> DisposalDecision:
    """What the schedule says about `record` today. Every hold covering it is named, due or not."""
    blocking = tuple(h for h in holds if record in h.records and h.placed_on <= today)

    def decided(
        due: bool, reason: str, rule: RetentionRule | None = None, due_on: date | None = None
    ) -> DisposalDecision:
        return DisposalDecision(
            record=record,
            record_class=record_class,
            due=due,
            reason=reason,
            rule=rule,
            due_on=due_on,
            blocked_by=blocking,
        )

    rule = rules.get(record_class, DEFAULT_RULES.get(record_class))
    if rule is None:
        return decided(False, f"the schedule has no rule for {record_class.value}: keep it until one is set")
    if rule.action is DisposalAction.KEEP_PERMANENTLY:
        return decided(False, f"kept permanently ({rule.basis})", rule=rule)
    assert rule.trigger is not None  # every other action has one (checked when the rule is set)
    started = triggers.get(rule.trigger)
    if started is None:
        trigger = rule.trigger.value.replace("_", " ")
        return decided(False, f"the retention period starts at {trigger}, which has not happened", rule=rule)
    due_on = add_months(started, rule.months)
    if due_on > today:
        return decided(False, f"{_action(rule)} falls due on {due_on}", rule=rule, due_on=due_on)
    if blocking:
        holds_named = "; ".join(h.describe() for h in blocking)
        return decided(
            False,
            f"{_action(rule)} fell due on {due_on} but is blocked by {holds_named}",
            rule=rule,
            due_on=due_on,
        )
    return decided(True, f"{_action(rule)} fell due on {due_on}: {rule.describe()}", rule=rule, due_on=due_on)


def authorise_disposal(decision: DisposalDecision) -> RetentionRule:
    """The rule under which the record's personal data may be destroyed now; refuses otherwise.

    Its `describe()` is the rule text for the record's `record.personal-data-disposed` event.
    """
    if decision.blocked_by:
        raise RuleViolation(
            "disposal is refused: the record is under "
            + "; ".join(h.describe() for h in decision.blocked_by),
            rule=RULE_HOLD,
            record=decision.record,
        )
    rule = decision.rule
    if (
        rule is not None
        and rule.action not in DISPOSING
        and rule.action is not DisposalAction.KEEP_PERMANENTLY
    ):
        raise RuleViolation(
            f"disposal is refused: the schedule's action for {rule.record_class.value} is "
            f"{_action(rule)}, not destruction of personal data",
            rule=RULE_SCHEDULE,
            record=decision.record,
        )
    if not decision.due or rule is None:
        cited = (
            RULE_PERMANENT
            if rule is not None and rule.action is DisposalAction.KEEP_PERMANENTLY
            else RULE_SCHEDULE
        )
        raise RuleViolation(f"disposal is refused: {decision.reason}", rule=cited, record=decision.record)
    return rule


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def _action(rule: RetentionRule) -> str:
    return rule.action.value.replace("_", " ")


# -- the signed schedule and holds: commands, events, the record -----------------------------------------


class SetRetentionRule(Command, frozen=True, kw_only=True, tag="set-retention-rule"):
    record_class: RecordClass
    action: DisposalAction
    trigger: Trigger | None = None
    years: int = 0
    months: int = 0
    basis: str
    decided_on: date


class PlaceLegalHold(Command, frozen=True, kw_only=True, tag="place-legal-hold"):
    hold_id: str  # e.g. "H-2026-004"; never reused
    kind: HoldKind
    records: tuple[str, ...]
    reason: str
    reference: str | None = None  # required for a request, review or appeal: its reference
    placed_on: date


class ReleaseLegalHold(Command, frozen=True, kw_only=True, tag="release-legal-hold"):
    hold_id: str
    reason: str
    released_on: date


#: Who may authorise the disposal of a record's personal data (`Application.dispose` checks it).
DISPOSAL_ROLES: tuple[Role, ...] = (Role.RECORDS_MANAGER, Role.IG_OFFICER)

#: Who may record each step (the module docstring's authority, as the handlers check it).
STEPS: dict[type[Command], Step] = {
    SetRetentionRule: Step((Role.RECORDS_MANAGER,), "setting a retention rule"),
    PlaceLegalHold: Step((Role.IG_OFFICER, Role.RECORDS_MANAGER), "placing a legal hold"),
    ReleaseLegalHold: Step((Role.IG_OFFICER, Role.RECORDS_MANAGER), "releasing a legal hold"),
}


class RetentionEvent(DomainEvent, frozen=True, kw_only=True):
    actor: str
    at: datetime


class RetentionRuleSet(RetentionEvent, frozen=True, kw_only=True, tag="retention.rule-set"):
    """The rule for a class of record from now on; it replaces the one before (which stays in the log)."""

    rule: RetentionRule
    decided_on: date


class LegalHoldPlaced(RetentionEvent, frozen=True, kw_only=True, tag="retention.legal-hold-placed"):
    hold: LegalHold
    reason: Personal


class LegalHoldReleased(RetentionEvent, frozen=True, kw_only=True, tag="retention.legal-hold-released"):
    hold_id: str
    released_on: date
    reason: Personal


class RetentionSchedule(Aggregate):
    """The authority's retention schedule and its legal holds, as signed events."""

    kind = "retention schedule"

    def __init__(self, reference: str = RETENTION_STREAM) -> None:
        super().__init__(reference)
        self.rules: dict[RecordClass, RetentionRule] = dict(DEFAULT_RULES)
        self.holds: dict[str, LegalHold] = {}  # active
        self.released: dict[str, date] = {}

    @property
    def active_holds(self) -> tuple[LegalHold, ...]:
        return tuple(self.holds.values())

    def decide(
        self,
        *,
        record: str,
        record_class: RecordClass,
        triggers: Mapping[Trigger, date],
        today: date,
        more_holds: Iterable[LegalHold] = (),
    ) -> DisposalDecision:
        """`disposal_decision` on this schedule's rules and holds, plus holds of open requests."""
        return disposal_decision(
            self.rules,
            (*self.active_holds, *more_holds),
            record=record,
            record_class=record_class,
            triggers=triggers,
            today=today,
        )

    @handles(SetRetentionRule)
    def set_rule(self, command: SetRetentionRule, by: Acting, at: datetime) -> None:
        self._authorised(command, by)
        happened("decided_on", command.decided_on, at)
        if (
            command.record_class is RecordClass.LEARNING_REVIEW
            and command.action is not DisposalAction.KEEP_PERMANENTLY
        ):
            self._refuse(
                "Learning Review files are kept permanently; their rule cannot be changed", RULE_PERMANENT
            )
        if not command.basis.strip():
            raise InvalidInput("basis", "cite the schedule or decision the rule comes from")
        if command.years < 0 or command.months < 0:
            raise InvalidInput("years", "a retention period cannot be negative")
        months = command.years * 12 + command.months
        if command.action is DisposalAction.KEEP_PERMANENTLY:
            if command.trigger is not None or months:
                raise InvalidInput("trigger", "a record kept permanently has no trigger and no period")
        else:
            if command.trigger is None:
                raise InvalidInput("trigger", "say which event starts the retention period")
            if months == 0:
                raise InvalidInput("years", "give the retention period in years and months")
        rule = RetentionRule(
            record_class=command.record_class,
            action=command.action,
            trigger=command.trigger,
            months=months,
            basis=command.basis.strip(),
        )
        self._record(RetentionRuleSet(rule=rule, decided_on=command.decided_on, actor=by.actor, at=at))

    @handles(PlaceLegalHold)
    def place_hold(self, command: PlaceLegalHold, by: Acting, at: datetime) -> None:
        self._authorised(command, by)
        happened("placed_on", command.placed_on, at)
        hold_id = command.hold_id.strip()
        if not hold_id:
            raise InvalidInput("hold_id", "must not be empty")
        if hold_id in self.holds or hold_id in self.released:
            self._refuse(f"legal hold {hold_id} already exists; a hold's id is never reused", RULE_HOLD)
        records = tuple(dict.fromkeys(r.strip() for r in command.records if r.strip()))
        if not records:
            raise InvalidInput("records", "name at least one record the hold covers")
        reference = (command.reference or "").strip() or None
        if command.kind in _NEEDS_REFERENCE and reference is None:
            raise InvalidInput("reference", f"a hold for {_HOLD_WORDS[command.kind]} gives its reference")
        hold = LegalHold(
            hold_id=hold_id,
            kind=command.kind,
            records=records,
            placed_on=command.placed_on,
            reference=reference,
        )
        self._record(LegalHoldPlaced(hold=hold, reason=_reason(command.reason), actor=by.actor, at=at))

    @handles(ReleaseLegalHold)
    def release_hold(self, command: ReleaseLegalHold, by: Acting, at: datetime) -> None:
        self._authorised(command, by)
        hold = self.holds.get(command.hold_id)
        if hold is None:
            released = self.released.get(command.hold_id)
            words = f"was released on {released}" if released else "does not exist"
            self._refuse(f"legal hold {command.hold_id} {words}", RULE_HOLD)
        not_before("released_on", command.released_on, hold.placed_on, "the hold was placed")
        happened("released_on", command.released_on, at)
        self._record(
            LegalHoldReleased(
                hold_id=hold.hold_id,
                released_on=command.released_on,
                reason=_reason(command.reason),
                actor=by.actor,
                at=at,
            )
        )

    def when(self, event: DomainEvent) -> None:
        match event:
            case RetentionRuleSet():
                self.rules[event.rule.record_class] = event.rule
            case LegalHoldPlaced():
                self.holds[event.hold.hold_id] = event.hold
            case LegalHoldReleased():
                del self.holds[event.hold_id]
                self.released[event.hold_id] = event.released_on
            case PersonalDataDisposed():
                pass  # the reasons are gone; the schedule and the holds are unchanged
            case _:
                raise TypeError(f"a {self.kind} has no event {type(event).__name__}")

    def _authorised(self, command: Command, by: Acting) -> None:
        step = STEPS[type(command)]
        require_any_role(by, step.roles, action=step.doing, record=self.reference)

    def _refuse(self, message: str, rule: str) -> NoReturn:
        raise RuleViolation(message, rule=rule, record=self.reference)


def _reason(text: str) -> Personal:
    """A hold's reason is free text and may name people: it is kept sealed, about no registered subject."""
    if not text.strip():
        raise InvalidInput("reason", "must not be empty")
    return personal(text)
