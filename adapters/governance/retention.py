"""Retention as services: the schedule's signed steps, what each record is, what is due and why, and holds.

The schedule and the legal holds placed by hand are one record, `retention`
(`domain/governance/retention.py`); its steps are checked by its own step table (the records manager sets
a rule; an information-governance officer or the records manager places and releases a hold),
as the registry's are by the administrator rule, and signed like any other step.

Everything else is read from the log in one pass (`survey`): each record's class and the dates
of its triggers (`domain/governance/retention_facts.py`), the holds open subject access and FOI requests
place on the records they cover, and, for a data subject's register entry, the last time
anything about them was recorded and which records hold their data. A register entry is kept
while a record kept permanently holds the person's data, so their identifiers stay known to
the checks that rely on them (the publication's residual-risk check).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import msgspec

from adapters.app.application import Application, retrying
from domain.governance.retention import (
    RETENTION_STREAM,
    DisposalAction,
    DisposalDecision,
    LegalHold,
    RecordClass,
    RetentionRule,
    RetentionSchedule,
    Trigger,
)
from domain.governance.retention_facts import RecordFacts, Stamped, record_facts, request_hold
from domain.governance.subjects import SUBJECT_PREFIX
from domain.kernel.command import Command
from domain.kernel.errors import RecordNotFound
from projections.subjects import personal_items


class Survey(msgspec.Struct, frozen=True, kw_only=True):
    """What the log says about every record the schedule covers, at one moment."""

    records: dict[str, RecordFacts]
    request_holds: tuple[LegalHold, ...]
    last_about: dict[str, date]  # subject id -> the last day anything about them was recorded
    held_in: dict[str, tuple[str, ...]]  # subject id -> the records holding their personal data


def load_schedule(app: Application) -> RetentionSchedule:
    return app.load(RetentionSchedule, RETENTION_STREAM, must_exist=False)


def record_step(
    app: Application, actor: str, command: Command, at: datetime | None = None
) -> RetentionSchedule:
    """Run one step of the schedule as `actor` (its step table checks who), sign and store it."""

    def attempt() -> RetentionSchedule:
        moment = at or app.clock.now()
        schedule = load_schedule(app)
        schedule.execute(command, app.acting(actor), moment)
        app.ledger.append(RETENTION_STREAM, schedule.base_version, schedule.collect_events(), actor, moment)
        return schedule

    schedule = retrying(attempt)
    app.projections.catch_up()
    return schedule


def survey(app: Application) -> Survey:
    """Read the whole log once, sealed, and gather what the schedule needs."""
    streams: dict[str, list[Stamped]] = defaultdict(list)
    last_about: dict[str, date] = {}
    held_in: dict[str, dict[str, None]] = defaultdict(dict)
    for recorded in app.ledger.read_all():
        streams[recorded.stream].append(
            Stamped(event=recorded.event, type=recorded.type, time=recorded.time, sealed=recorded.sealed)
        )
        day = recorded.time.date()
        for _, item in personal_items(recorded.event):
            for subject in (*item.about, *((item.by,) if item.by else ())):
                last_about[subject] = max(day, last_about.get(subject, day))
                held_in[subject][recorded.stream] = None
    records: dict[str, RecordFacts] = {}
    holds: list[LegalHold] = []
    for stream, events in streams.items():
        facts = record_facts(stream, events)
        if facts is not None:
            records[stream] = facts
        hold = request_hold(stream, [s.event for s in events])
        if hold is not None:
            holds.append(hold)
    return Survey(
        records=records,
        request_holds=tuple(holds),
        last_about=last_about,
        held_in={subject: tuple(found) for subject, found in held_in.items()},
    )


def decide(schedule: RetentionSchedule, found: Survey, record: str, today: date) -> DisposalDecision:
    """What the schedule says about one record today, with every hold that covers it."""
    facts = found.records.get(record)
    if facts is None:
        raise RecordNotFound("record under the retention schedule", record)
    triggers = dict(facts.triggers)
    kept_by: tuple[str, ...] = ()
    if facts.record_class is RecordClass.SUBJECT_RECORD:
        subject = record.removeprefix(SUBJECT_PREFIX)
        if subject in found.last_about:
            triggers[Trigger.LAST_ACTIVITY] = max(
                found.last_about[subject], triggers.get(Trigger.LAST_ACTIVITY, found.last_about[subject])
            )
        kept_by = tuple(
            other
            for other in found.held_in.get(subject, ())
            if other != record and other in found.records and _kept(schedule, found.records[other])
        )
    decision = schedule.decide(
        record=record,
        record_class=facts.record_class,
        triggers=triggers,
        today=today,
        more_holds=found.request_holds,
    )
    if facts.disposed_on is not None:
        return msgspec.structs.replace(
            decision, due=False, reason=f"its personal data was disposed of on {facts.disposed_on}"
        )
    if kept_by and decision.rule is not None and decision.rule.action is not DisposalAction.KEEP_PERMANENTLY:
        return msgspec.structs.replace(
            decision,
            due=False,
            reason=f"kept while {', '.join(kept_by)} (kept permanently) holds this person's personal data",
        )
    return decision


def _kept(schedule: RetentionSchedule, facts: RecordFacts) -> bool:
    rule = schedule.rules.get(facts.record_class)
    return rule is not None and rule.action is DisposalAction.KEEP_PERMANENTLY


def decisions(
    app: Application, today: date | None = None, *, due_only: bool = False
) -> list[DisposalDecision]:
    """Every record the schedule covers, with whether its action is due and why (or only those due)."""
    day = today or app.clock.now().date()
    schedule = load_schedule(app)
    found = survey(app)
    listed = [decide(schedule, found, record, day) for record in sorted(found.records)]
    return [d for d in listed if d.due] if due_only else listed


def decision_for(app: Application, record: str, today: date | None = None) -> DisposalDecision:
    return decide(load_schedule(app), survey(app), record, today or app.clock.now().date())


def holds(app: Application, today: date | None = None) -> list[LegalHold]:
    """Every legal hold in force: those placed by hand, and those of open requests."""
    day = today or app.clock.now().date()
    placed = load_schedule(app).active_holds
    return sorted(
        (h for h in (*placed, *survey(app).request_holds) if h.placed_on <= day),
        key=lambda h: (h.placed_on, h.hold_id),
    )


def rules(app: Application) -> list[RetentionRule]:
    """The schedule's rule for each class of record that has one (Learning Reviews always do)."""
    found = load_schedule(app).rules
    return [found[c] for c in RecordClass if c in found]


def unscheduled(app: Application) -> list[RecordClass]:
    """The classes of record the schedule has no rule for yet: kept until one is set."""
    found = load_schedule(app).rules
    return [c for c in RecordClass if c not in found]
