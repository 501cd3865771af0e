"""The authorisation table and the records' own role checks agree, for every role and every command.

`adapters/app/authority.py` is the one table the command line and the HTTP API obey; each route's
handlers check authority again in the procedure's words. Here every command of every kind of
record is run as a person holding exactly one role, for every role: on a new record, and on
every state a record passes through in the demonstration history (where authority can depend
on the state, e.g. the Service Director chairing an SCR Consideration Panel), with examples
built from the command's own fields (one per choice of each top-level option) and the demo's
own commands. A role the table gives the command must be let through the role check somewhere;
a role it does not give must be refused everywhere.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import inspect as mi

import domain
from adapters.app import authority
from adapters.app.authority import COMMANDS, TEAMS, Reading
from adapters.demo import SCRIPTS, START
from adapters.demo.cast import CAST
from adapters.governance.ig_records import FoiRecord, SarRecord
from domain.governance import retention
from domain.governance.subjects import DataSubject
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command, command_name
from domain.kernel.errors import InvalidInput, NotAuthorised, ReviewledgerError
from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Step
from domain.routes.mini.review import MiniReview
from domain.routes.national.review import NationalReview
from domain.routes.panel.review import PanelReview
from domain.routes.single_agency.review import SingleAgencyReview

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class WouldRecord(Exception):
    """Raised instead of recording: the command passed every check."""


def _stop(event: DomainEvent) -> None:
    raise WouldRecord


# -- examples of every command, from its own fields ------------------------------------------------


def _value(info: mi.Type) -> Any:
    if isinstance(info, mi.StructType):
        return info.cls(**{f.name: _value(f.type) for f in info.fields if f.required})
    if isinstance(info, mi.UnionType):
        return None if any(isinstance(t, mi.NoneType) for t in info.types) else _value(info.types[0])
    simple: dict[type[mi.Type], Any] = {
        mi.StrType: "x",
        mi.IntType: 1,
        mi.FloatType: 1.0,
        mi.BoolType: True,
        mi.DateType: date(2026, 1, 5),
        mi.DateTimeType: datetime(2026, 1, 5, tzinfo=UTC),
    }
    if type(info) in simple:
        return simple[type(info)]
    if isinstance(info, mi.EnumType):
        return next(iter(info.cls))
    if isinstance(info, mi.LiteralType):
        return info.values[0]
    if isinstance(info, mi.TupleType):
        return tuple(_value(t) for t in info.item_types)
    if isinstance(info, (mi.VarTupleType, mi.ListType, mi.FrozenSetType, mi.SetType)):
        return ()
    if isinstance(info, mi.DictType):
        return {}
    raise TypeError(f"no example for {info}")


def examples(command_type: type[Command]) -> list[Command]:
    """A minimal example, and one more for each member of each top-level enum or literal field."""
    info = mi.type_info(command_type)
    assert isinstance(info, mi.StructType)
    base = _value(info)
    found = [base]
    for field in info.fields:
        choices: list[Any] = []
        if isinstance(field.type, mi.EnumType):
            choices = list(field.type.cls)
        elif isinstance(field.type, mi.LiteralType):
            choices = list(field.type.values)
        found.extend(msgspec.structs.replace(base, **{field.name: c}) for c in choices)
    return found


# -- the states records pass through in the demonstration ----------------------------------------


@cache
def demo_states() -> dict[type[Aggregate], list[tuple[Aggregate, list[Command]]]]:
    """For each kind of record: a new one, then each state of each demo record with the command taken there."""
    roles = {member.actor_id: frozenset(member.roles) for member in CAST}
    states: dict[type[Aggregate], list[tuple[Aggregate, list[Command]]]] = {
        kind: [(kind("PROBE-1"), [])] for kind in COMMANDS
    }
    for name in SCRIPTS:
        script = importlib.import_module(name)
        records: dict[str, Aggregate] = {}
        for step in script.steps(START):
            record = records.setdefault(step.reference, step.record_type(step.reference))
            states[step.record_type].append((copy.deepcopy(record), [step.command]))
            if not step.refused:
                record.execute(step.command, Acting(actor=step.actor, roles=roles[step.actor]), step.at)
                record.collect_events()
    return states


def let_through(record: Aggregate, command: Command, role: Role) -> bool:
    """Whether the record's own checks let a holder of `role` (alone) past the role check."""
    probe = copy.copy(record)
    probe._record = _stop  # type: ignore[method-assign]
    try:
        probe.execute(command, Acting(actor="probe", roles=frozenset({role})), AT)
    except NotAuthorised:
        return False
    except (WouldRecord, ReviewledgerError):
        return True
    return True


@cache
def domain_table() -> dict[type[Aggregate], dict[str, frozenset[Role]]]:
    """The authority table as the records themselves enforce it."""
    found: dict[type[Aggregate], dict[str, frozenset[Role]]] = {}
    for kind, states in demo_states().items():
        table: dict[str, set[Role]] = {name: set() for name in kind.commands()}
        for name, command_type in kind.commands().items():
            generic = examples(command_type)
            for record, taken in states:
                tries = generic + [c for c in taken if isinstance(c, command_type)]
                for role in Role:
                    if role not in table[name] and any(let_through(record, c, role) for c in tries):
                        table[name].add(role)
        found[kind] = {name: frozenset(roles) for name, roles in table.items()}
    return found


def every_command() -> Iterator[tuple[type[Aggregate], str]]:
    for kind in COMMANDS:
        for name in sorted(kind.commands()):
            yield kind, name


# -- commands -------------------------------------------------------------------------------------


def test_the_table_covers_every_kind_of_record_and_every_command_exactly() -> None:
    assert set(COMMANDS) == {
        NationalReview,
        MiniReview,
        PanelReview,
        SingleAgencyReview,
        DataSubject,
        SarRecord,
        FoiRecord,
    }
    for kind, table in COMMANDS.items():
        assert set(table) == set(kind.commands()), kind.kind


@pytest.mark.parametrize(
    ("kind", "name"), list(every_command()), ids=[f"{k.__name__}:{n}" for k, n in every_command()]
)
def test_every_role_may_record_the_command_exactly_when_the_table_says(
    kind: type[Aggregate], name: str
) -> None:
    by_domain = domain_table()[kind][name]
    by_table = COMMANDS[kind][name]
    for role in Role:
        assert (role in by_domain) == (role in by_table), (
            f"{kind.kind} {name}: {role} is {'let through' if role in by_domain else 'refused'} by the record "
            f"but {'given' if role in by_table else 'not given'} the command by the table"
        )


def test_the_state_dependent_authority_is_found_where_it_depends_on_state() -> None:
    # Seed 003: the Service Director decides on the review only when chairing an SCR Consideration Panel.
    fresh = PanelReview("PROBE-2")
    decide = PanelReview.commands()["decide-on-review"]
    assert not any(let_through(fresh, c, Role.SERVICE_DIRECTOR) for c in examples(decide))
    assert Role.SERVICE_DIRECTOR in domain_table()[PanelReview]["decide-on-review"]


@pytest.mark.parametrize(
    ("kind", "name"), list(every_command()), ids=[f"{k.__name__}:{n}" for k, n in every_command()]
)
def test_the_application_check_refuses_exactly_the_roles_the_table_leaves_out(
    kind: type[Aggregate], name: str
) -> None:
    command = examples(kind.commands()[name])[0]
    for role in Role:
        by = Acting(actor="probe", roles=frozenset({role}))
        if role in COMMANDS[kind][name]:
            authority.require_command(kind, command, by, "PROBE-1")
        else:
            with pytest.raises(
                NotAuthorised, match=f"PROBE-1: {name} can only be recorded by a person holding"
            ):
                authority.require_command(kind, command, by, "PROBE-1")


@pytest.mark.parametrize("kind", list(authority.STEPS), ids=lambda k: k.__name__)
def test_every_command_has_exactly_one_step_row_and_the_table_gives_what_the_row_says(
    kind: type[Aggregate],
) -> None:
    # One source: each kind of record declares its authority in its own `STEPS`, one
    # `domain.kernel.steps.Step` row per command it handles, and the application's table is that row.
    steps = authority.STEPS[kind]
    handled = list(kind._handlers)
    assert sorted(map(command_name, steps)) == sorted(map(command_name, handled)), kind.kind
    assert len(set(map(command_name, handled))) == len(handled), kind.kind
    for command_type, step in steps.items():
        assert isinstance(step, Step), command_name(command_type)
        assert step.roles, command_name(command_type)
        name = command_name(command_type)
        assert COMMANDS[kind][name] == frozenset(step.roles) | frozenset(step.chair), name
        command = examples(command_type)[0]
        for role in Role:
            by = Acting(actor="probe", roles=frozenset({role}))
            if role in step.roles or role in step.chair:
                authority.require_command(kind, command, by, "PROBE-1")
            else:
                with pytest.raises(NotAuthorised):
                    authority.require_command(kind, command, by, "PROBE-1")


def test_every_step_table_is_named_steps_and_made_of_the_one_row_type() -> None:
    found: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(domain.__path__, "domain."):
        module = importlib.import_module(module_info.name)
        for attribute, value in vars(module).items():
            if isinstance(value, dict) and value and all(isinstance(v, Step) for v in value.values()):
                found[f"{module_info.name}.{attribute}"] = attribute
    assert set(found.values()) == {"STEPS"}, found
    assert retention.STEPS and all(isinstance(step, Step) for step in retention.STEPS.values())
    for table in authority.STEPS.values():
        assert any(table is importlib.import_module(m.rsplit(".", 1)[0]).STEPS for m in found)


def test_a_command_of_another_kind_of_record_is_refused_as_bad_input() -> None:
    command = examples(NationalReview.commands()["receive-notification"])[0]
    by = Acting(actor="probe", roles=frozenset(Role))
    with pytest.raises(InvalidInput, match="a mini learning review does not accept 'receive-notification'"):
        authority.require_command(MiniReview, command, by, "MLR-1")


def test_architecture_md_shows_the_table_as_the_code_has_it() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert authority.markdown_table() in text


# -- views ----------------------------------------------------------------------------------------

REVIEW_KINDS = (NationalReview, MiniReview, PanelReview, SingleAgencyReview)


def may_read(role: Role, view: Reading, kind: type[Aggregate] | None = None) -> bool:
    try:
        authority.require_reading(Acting(actor="reader", roles=frozenset({role})), view, "REF-1", kind)
    except NotAuthorised:
        return False
    return True


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_anyone_holding_a_role_reads_what_holds_no_personal_data_about_the_whole_log(role: Role) -> None:
    assert all(
        may_read(role, view) for view in (Reading.REVIEWS, Reading.ROUTES, Reading.CHECKPOINT, Reading.CLOCKS)
    )


def test_a_person_holding_no_role_reads_nothing() -> None:
    nobody = Acting(actor="nobody")
    for view in authority.LOG_READINGS:
        with pytest.raises(NotAuthorised, match=f"REF-1: the {view} view can only be read by"):
            authority.require_reading(nobody, view, "REF-1")


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_verification_and_the_access_log_are_for_oversight(role: Role) -> None:
    assert may_read(role, Reading.VERIFY) == (role in {Role.ADMINISTRATOR, Role.INSPECTOR, Role.COG})
    assert may_read(role, Reading.ACCESS_LOG) == (
        role in {Role.ADMINISTRATOR, Role.IG_OFFICER, Role.INSPECTOR}
    )


@pytest.mark.parametrize("kind", REVIEW_KINDS, ids=lambda k: k.__name__)
def test_everyone_reads_a_review_without_its_personal_values(kind: type[Aggregate]) -> None:
    # DOMAIN.md §1.1: everyone else reads the record without personal values; the values are the
    # need-to-know table's to give, never a role's.
    for roles in [frozenset({role}) for role in Role] + [frozenset()]:
        for view in (Reading.HISTORY, Reading.TRAIL, Reading.STATE):
            authority.require_reading(Acting(actor="reader", roles=roles), view, "REF-1", kind)
    with pytest.raises(ValueError, match="personal is not a reading of one review"):
        authority.require_reading(Acting(actor="reader"), Reading.PERSONAL, "REF-1", kind)


def test_each_review_team_is_drawn_from_the_roles_that_record_its_steps() -> None:
    for kind, team in TEAMS.items():
        recording = frozenset().union(*COMMANDS[kind].values())
        assert team <= recording, kind.kind
        assert Role.COG not in team
