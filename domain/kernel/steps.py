"""Small pieces the routes and request files share: a step table's row, what is still owed, a step's dates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

import msgspec

from domain.kernel.errors import InvalidInput
from domain.kernel.roles import Role


class Step(NamedTuple):
    """One row of a step table: who may record a command, the step in an officer's words, and when.

    Every review route and every record of the information-governance files declares its
    authority as one table named `STEPS`, from each command type to its `Step`. The handlers check
    the row before anything else, and `adapters/app/authority.py` derives the table the command
    line and the HTTP API obey from the same rows.
    """

    roles: tuple[Role, ...]  # the first of these the person holds is the role recorded
    doing: str  # the step, for the refusal message ("a request for information")
    stages: frozenset[StrEnum] = frozenset()  # the stages it is possible at, where the route checks them here
    rule: str = ""  # the rule a refusal at another stage cites
    chair: tuple[Role, ...] = ()  # who may also record it when chairing its meeting (the handler says when)

    def recorders(self) -> frozenset[Role]:
        """Every role that may record the step, when chairing or not."""
        return frozenset(self.roles + self.chair)


class Obligation(msgspec.Struct, frozen=True, kw_only=True):
    """A step the procedure now expects, from whom, by when (if there is a timescale), and why.

    Derived from a record's events each time it is asked for, never stored in one.
    """

    what: str
    who: tuple[Role, ...] = ()  # empty when the procedure names nobody for the step
    rule: str
    due: date | None = None
    code: str = ""  # a stable name for the step, where a route gives one (e.g. "publish-learning-separately")


def happened(field: str, day: date, at: datetime) -> None:
    """A step cannot be recorded as having happened after the moment it is recorded."""
    if day > at.date():
        raise InvalidInput(field, f"cannot be later than the day it is recorded ({at.date()})")


def not_before(field: str, day: date, earliest: date | None, what: str) -> None:
    """A date cannot come before the step it follows from."""
    if earliest is not None and day < earliest:
        raise InvalidInput(field, f"cannot be before {what} ({earliest})")
