"""Small pieces the review routes and request files share: what is still owed, and the dates a step may carry."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from domain.kernel.errors import InvalidInput
from domain.kernel.roles import Role


class Obligation(msgspec.Struct, frozen=True, kw_only=True):
    """A step the procedure now expects, from whom, by when (if there is a clock), and why.

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
