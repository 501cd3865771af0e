"""Timescales computed from events: when one started, when it is due, whether it was met.

Every route's timescales (seed 001 §4: decision within about 6 weeks of notification,
completion 6-9 months from the decision to proceed; seed 000: 14 and 42 calendar days)
are `Timescale` values a record computes from its own events, so a projection can show
what is due, overdue or met, as at any moment.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

import msgspec


class TimescaleStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    MISSED = "missed"  # completed, but after the due date


class Timescale(msgspec.Struct, frozen=True, kw_only=True):
    """One running or finished timescale of one record."""

    name: str  # e.g. "decision within 6 weeks of notification"
    rule: str  # where it comes from, e.g. "seed 001 §4.1"
    started: date
    due: date
    completed: date | None = None
    paused_since: date | None = None
    paused_days: int = 0
    revised: bool = False  # the due date was revised after a reported delay

    def status(self) -> TimescaleStatus:
        if self.completed is not None:
            return TimescaleStatus.MET if self.completed <= self.due else TimescaleStatus.MISSED
        if self.paused_since is not None:
            return TimescaleStatus.PAUSED
        return TimescaleStatus.RUNNING

    def days_left(self, today: date) -> int:
        """Days until due (negative when overdue); while paused, counted from the pause."""
        reference = self.paused_since or today
        return (self.due - reference).days


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)


def add_months(start: date, months: int) -> date:
    """Same day `months` later; when that month is shorter, its last day (e.g. 31 Jan + 1 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
