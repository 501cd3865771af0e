"""Steps on one record (a review, a request, a retention schedule), as the domain tests take them.

Each step is dated by day number and recorded `at(day)` (tests/days.py); a refused step must leave
the record exactly as it was.
"""

from __future__ import annotations

import copy
import re
from typing import Any, TypeVar

import msgspec
import pytest

from adapters.store.personal_data import take_personal_values
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import ReviewledgerError
from domain.kernel.event import DomainEvent, to_builtins
from domain.kernel.roles import Acting
from tests.days import at

A = TypeVar("A", bound=Aggregate)


def run(record: A, by: Acting, command: Command, day: int) -> A:
    """Take the step on `day`; the record, for the next step."""
    record.execute(command, by, at(day))
    return record


def snapshot(record: Aggregate) -> dict[str, Any]:
    return copy.deepcopy(vars(record))


def tags(record: Aggregate) -> list[str]:
    """The type names of the events recorded since they were last collected, in order."""
    return [str(type(e).__struct_config__.tag) for e in record.collect_events()]


def sealed(event: DomainEvent) -> DomainEvent:
    """The event as the application replays it: every personal value sealed away (None)."""
    data = to_builtins(event)
    take_personal_values(data)
    return msgspec.convert(data, type=type(event))


def refused(
    record: Aggregate, by: Acting, command: Command, day: int, error: type[ReviewledgerError], message: str
) -> None:
    """The step is refused with exactly `message`, and the record is exactly as it was."""
    before = snapshot(record)
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        record.execute(command, by, at(day))
    assert snapshot(record) == before
