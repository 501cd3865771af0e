"""Which steps to offer a person on a review now: those their roles may record and the procedure allows at this stage.

The authority table (`adapters/app/authority.py`) says which commands a person's roles may record.
Whether the procedure allows a step at the review's stage is the record's own rule, written in
its handlers and not declared anywhere else; so the step is tried, on a copy of the record as it
stands, with placeholder values of the right types, and nothing is stored. A step the record
refuses with a rule of the procedure (`RuleViolation`, or authority that depends on the state)
for every placeholder is not offered, and its refusal is kept to explain why. A step refused only
for its placeholder values (`InvalidInput`) is offered: the person's own values decide.

A few fields steer the procedure's rules by their value (a report version, a choice from a list,
a yes or no), so the placeholders vary one such field at a time before a step is judged refused.
The copy is made once per step and made again only when a try changed it (its version moved).

A closed record offers no step. The steps are offered in the procedure's order (the order its
handlers are written in), and the steps its open obligations name come first: the expected next
step leads the list.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
from msgspec import inspect as mi

from adapters.app.application import Application
from adapters.app.authority import COMMANDS
from domain.governance.retention import STEPS as RETENTION_STEPS
from domain.governance.retention import RetentionSchedule
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import HANDLES_ATTRIBUTE, Command, command_name
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation

# Also a well-formed data-subject id, for the fields that hold one. A refusal that names it is about
# the placeholder (no such agency, member or action), not about the stage: the step is offered.
PLACEHOLDER_TEXT = "S-PLACEHOLDER"
OTHER_TEXT = "S-PLACEHOLDER-2"
MAX_TRIES = 80  # placeholders tried per step before it is judged refused at this stage


class Offer(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    command: type[Command]
    refused: str | None = None  # why the procedure does not allow it now, in its own words
    expected: bool = False  # one of the steps the record's open obligations name
    closed: bool = False  # refused because the record is closed

    @property
    def available(self) -> bool:
        return self.refused is None


def _choices(t: mi.Type) -> list[Any]:
    if isinstance(t, mi.EnumType):
        return [m.value for m in t.cls]
    if isinstance(t, mi.LiteralType):
        return list(t.values)
    return []


def placeholder(t: mi.Type, today: date, now: datetime, *, full: bool = False) -> Any:
    """A value of type `t` in builtins, as a form would give it (`full`: optional fields filled in too)."""
    if isinstance(t, mi.UnionType):
        non_null = [x for x in t.types if not isinstance(x, mi.NoneType)]
        return placeholder(non_null[0], today, now, full=full) if non_null else None
    if isinstance(t, mi.StrType):
        return PLACEHOLDER_TEXT
    if isinstance(t, mi.DateType):
        return today.isoformat()
    if isinstance(t, mi.DateTimeType):
        return now.isoformat()
    if isinstance(t, mi.IntType):
        return 1
    if isinstance(t, mi.BoolType):
        return full  # "yes" in the sample with every field filled in, "no" in the other
    choices = _choices(t)
    if choices:
        return choices[0]
    if isinstance(t, mi.VarTupleType | mi.ListType | mi.SetType | mi.FrozenSetType):
        return [placeholder(t.item_type, today, now, full=full)]
    if isinstance(t, mi.StructType):
        return _fields(t, today, now, full=full)
    return None


def _fields(t: mi.StructType, today: date, now: datetime, *, full: bool) -> dict[str, Any]:
    return {f.encode_name: placeholder(f.type, today, now, full=full) for f in t.fields if f.required or full}


def _variants(t: mi.Type, today: date) -> list[Any]:
    """Other values of a field worth trying, because the procedure's rules may turn on them."""
    if isinstance(t, mi.UnionType):
        return [None, *(v for x in t.types for v in _variants(x, today))]
    if isinstance(t, mi.IntType):
        return list(range(0, 8))
    if isinstance(t, mi.BoolType):
        return [True, False]
    if isinstance(t, mi.DateType):
        return [(today + timedelta(days=60)).isoformat()]
    if isinstance(t, mi.VarTupleType | mi.ListType | mi.SetType | mi.FrozenSetType):
        choices = _choices(t.item_type)
        if choices:
            return [[], *([c] for c in choices)]
        if isinstance(t.item_type, mi.StrType):
            return [[], [PLACEHOLDER_TEXT, OTHER_TEXT]]
        return [[]]
    return _choices(t)[1:]


def _samples(command_type: type[Command], today: date, now: datetime) -> Iterator[dict[str, Any]]:
    info = mi.type_info(command_type)
    assert isinstance(info, mi.StructType)
    bases = [_fields(info, today, now, full=False), _fields(info, today, now, full=True)]
    yield from bases
    for base in bases:
        for f in info.fields:
            for value in _variants(f.type, today):
                yield {**base, f.encode_name: value}


def try_step(record: Aggregate, command_type: type[Command], by: Acting, now: datetime) -> str | None:
    """None when the procedure allows the step now; otherwise its refusal, in its words."""
    refusal: str | None = None
    probe: Aggregate | None = None
    for i, sample in enumerate(_samples(command_type, now.date(), now)):
        if i >= MAX_TRIES:
            break
        try:
            command = msgspec.convert(sample, command_type)
        except msgspec.ValidationError:
            continue
        if probe is None or probe.version != record.version:
            probe = copy.deepcopy(record)
        try:
            probe.execute(command, by, now)
        except RuleViolation as error:
            if PLACEHOLDER_TEXT in error.message:
                return None
            refusal = refusal or error.message
        except NotAuthorised as error:
            refusal = refusal or f"{error.action} can only be recorded by {error.needs} at this stage"
        except InvalidInput:
            return None
        else:
            return None
    return refusal or "the procedure does not allow it at this stage"


def roles_table(kind: type[Aggregate]) -> Mapping[str, frozenset[Role]]:
    """Who may record each command of this kind of record: the authority table, or the schedule's own steps."""
    if kind is RetentionSchedule:
        return {command_name(c): frozenset(step.roles) for c, step in RETENTION_STEPS.items()}
    return COMMANDS[kind]


def closed(record: Aggregate) -> bool:
    """Whether the record is closed (its status says so): a closed record takes no more steps."""
    status = getattr(record, "status", "")
    return str(status() if callable(status) else status).startswith("closed")


def procedure_order(kind: type[Aggregate]) -> list[str]:
    """The kind's steps in the order its handlers are written (the record's own class first, then its
    parts), with closing the record last: it ends the procedure, wherever its handler is written."""
    found: list[str] = []
    for klass in kind.__mro__:
        for member in vars(klass).values():
            command_type = getattr(member, HANDLES_ATTRIBUTE, None)
            if command_type is not None and command_name(command_type) not in found:
                found.append(command_name(command_type))
    return sorted(found, key=lambda name: name.startswith("close-"))  # stable: the rest keep their order


_WORD = re.compile(r"[a-z0-9]+")


def expected_steps(record: Aggregate, names: Sequence[str]) -> list[str]:
    """The steps whose every word is in one of the record's open obligations, in the obligations' order."""
    owed: Callable[[], list[Obligation]] | None = getattr(record, "obligations", None)
    found: list[str] = []
    for obligation in owed() if owed is not None else []:
        said = _WORD.findall(f"{obligation.what} {obligation.code}".lower())
        words = {*said, *(w.removesuffix("s") for w in said)}  # "records" names the step "record-search"
        found.extend(n for n in names if n not in found and set(n.split("-")) <= words)
    return found


def steps_for(app: Application, kind: type[Aggregate], reference: str, by: Acting) -> list[Offer]:
    """Every step of this kind of record the person's roles may record, each with whether it is allowed now.

    The expected steps come first, then the others in the procedure's order.
    """
    table = roles_table(kind)
    commands = kind.commands()
    record = app.load(kind, reference, must_exist=False)
    now = app.clock.now()
    names = [n for n in procedure_order(kind) if n in commands and table.get(n, frozenset()) & by.roles]
    if closed(record):
        shut = f"the {kind.kind} is closed: no more steps are recorded on it"
        return [Offer(name=n, command=commands[n], refused=shut, closed=True) for n in names]
    expected = expected_steps(record, names)
    ordered = expected + [n for n in names if n not in expected]
    return [
        Offer(
            name=name,
            command=commands[name],
            refused=_judged(record, commands[name], by, now),
            expected=name in expected,
        )
        for name in ordered
    ]


# A record not yet started offers the same steps to the same roles all day: judged once (the start
# of a review is offered on every list page).
_FRESH: dict[tuple[type[Aggregate], type[Command], frozenset[Role], date], str | None] = {}
_FRESH_LIMIT = 4096


def _judged(record: Aggregate, command_type: type[Command], by: Acting, now: datetime) -> str | None:
    if record.version:
        return try_step(record, command_type, by, now)
    key = (type(record), command_type, by.roles, now.date())
    if key not in _FRESH:
        if len(_FRESH) >= _FRESH_LIMIT:
            _FRESH.clear()
        _FRESH[key] = try_step(record, command_type, by, now)
    return _FRESH[key]
