"""A national review told step by step, as the domain tests of seed 001 tell it.

A step is recorded at 10:00 UTC on its day: `on(day, ...)` names the day, while `step(...)` takes
the story's next day, one after another from the day it starts.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

import pytest

from domain.kernel.command import Command
from domain.kernel.errors import ReviewledgerError, RuleViolation
from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting
from domain.routes.national.review import NationalReview, Stage, Status

E = TypeVar("E", bound=DomainEvent)


class Story:
    """One review and the days its steps happen on; every step is recorded at 10:00 that day."""

    def __init__(self, reference: str, start: date = date(2026, 1, 5)) -> None:
        self.reference = reference
        self.review = NationalReview(reference)
        self.events: list[DomainEvent] = []  # everything recorded by on(), handed over step by step
        self.today = start  # the day step() records on

    def on(self, day: date, by: Acting, command: Command) -> None:
        """Record the step on `day`; it must record exactly one event."""
        self.review.execute(command, by, _ten_on(day))
        recorded = self.review.collect_events()
        assert len(recorded) == 1, "each step records exactly one event"
        self.events.extend(recorded)

    def step(self, by: Acting, command: Command) -> None:
        """Record the step today; the next one happens the day after."""
        self.review.execute(command, by, _ten_on(self.today))
        self.today += timedelta(days=1)

    def refused(
        self, by: Acting, command: Command, error: type[ReviewledgerError], message: str
    ) -> ReviewledgerError:
        """The step is refused with exactly `message`, and nothing about the record changes."""
        before = copy.deepcopy(vars(self.review))
        version, pending = self.review.version, len(self.review._pending)
        with pytest.raises(error, match=re.escape(message)) as caught:
            self.review.execute(command, by, _ten_on(self.today))
        assert self.review.version == version
        assert len(self.review._pending) == pending
        assert vars(self.review) == before
        if isinstance(caught.value, RuleViolation):
            assert str(caught.value) == f"{self.reference}: {message} ({caught.value.rule})"
            assert caught.value.rule.startswith("seed 00")
        return caught.value

    def last(self, kind: type[E]) -> E:
        """The latest event, which must be of type `kind`."""
        event = self.events[-1]
        assert isinstance(event, kind)
        return event

    # Read through methods, so the type checker does not carry a narrowed stage from step to step.
    def stage(self) -> Stage:
        return self.review.stage

    def status(self) -> Status:
        return self.review.status


def _ten_on(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)
