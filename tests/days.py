"""The days the domain tests' steps happen on, counted from day 0: Monday 2 March 2026, 09:00 UTC.

A test dates a step `on(day)` and records it `at(day)`, later the same day, so a step is never
dated after the moment it is recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def on(day: int) -> date:
    """The date `day` days after the start."""
    return (START + timedelta(days=day)).date()


def at(day: int) -> datetime:
    """The moment a step of `day` is recorded: 15:00 UTC that day."""
    return START + timedelta(days=day, hours=6)


def at_nine(day: int) -> datetime:
    """09:00 UTC on `day`, the hour the start falls on."""
    return START + timedelta(days=day)
