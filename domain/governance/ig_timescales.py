"""The information-governance timescales: a subject access request's month, and FOISA's working days.

Subject access (UK GDPR Art. 12(3), DPA 2018; DOMAIN.md §4; ICO right-of-access guidance):

- the timescale starts on the day the request is received, or, when the requester was asked to
  prove who they are, on the day that proof arrives (whichever is later);
- it runs to the same date in the next month; when that month has no such date, to its last
  day (30 or 31 January -> 28 or 29 February);
- extended for a complex request, it runs three months from the same start (31 January ->
  30 April, not 28 February + 2 months = 28 April), and the requester must be told within the
  first month;
- while the authority waits for clarification of what is asked for, the timescale stops: the days
  from the day clarification is sought to the day it arrives are added to the due date;
- a deadline that falls on a weekend or a bank holiday moves to the next working day (ICO
  right-of-access guidance, "How long do we have to comply?"), counted on the same calendar
  of Scottish working days as FOISA's.

Freedom of information (FOISA 2002 s.10(1), s.20(5), s.21(1), s.73; DOMAIN.md §5):

- a response is due by the twentieth working day after the day the request (or its
  clarification, s.1(3)) is received; the day of receipt is not counted;
- a working day is any day except a Saturday, a Sunday, Christmas Day, or a bank holiday in
  Scotland under the Banking and Financial Dealings Act 1971 (s.73);
- a requester may require a review up to the fortieth working day after the response (or after
  the time for it ran out); the authority has twenty working days to answer the review.

The domain knows no calendar of bank holidays: it is given one (`WorkingCalendar`). The
adapters build it from a published source; `BankHolidays` is a plain list of dates that
refuses to answer for a year it does not cover, so a deadline is never counted on a calendar
that silently lacks a year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import ClassVar, Protocol, Self, cast

import msgspec

from domain.kernel.errors import InvalidInput
from domain.kernel.timescales import add_months

RULE_SAR_MONTH = "UK GDPR Art. 12(3): one month from receipt"
RULE_SAR_EXTENSION = "UK GDPR Art. 12(3): two further months, the requester told within the first month"
RULE_SAR_WORKING_DAY = "ICO guidance: a deadline on a weekend or bank holiday moves to the next working day"
RULE_SAR_STOP = "DPA 2018 / ICO guidance: the clock stops while identity or clarification is awaited"
RULE_FOI_RESPONSE = "FOISA s.10(1): twenty working days from receipt"
RULE_FOI_REVIEW_REQUEST = "FOISA s.20(5): a review is required within forty working days"
RULE_FOI_REVIEW = "FOISA s.21(1): the review is answered within twenty working days"

SAR_MONTHS = 1
SAR_EXTENSION_MONTHS = 2
FOI_RESPONSE_WORKING_DAYS = 20
FOI_REVIEW_REQUEST_WORKING_DAYS = 40
FOI_REVIEW_WORKING_DAYS = 20

_SATURDAY = 5  # date.weekday(): Monday is 0


class WorkingCalendar(Protocol):
    """Which days are bank holidays in Scotland (Banking and Financial Dealings Act 1971)."""

    def is_bank_holiday(self, day: date) -> bool: ...


class BankHolidays(msgspec.Struct, frozen=True, kw_only=True):
    """A fixed list of bank holidays for the years `first_year` to `last_year`, inclusive.

    Asked about a day outside those years it refuses rather than guess: a missing year
    would make every deadline in it too early or too late without anyone noticing.
    """

    dates: frozenset[date]
    first_year: int
    last_year: int
    region: str = "Scotland"

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise InvalidInput("bank holidays", "the first year covered cannot be after the last")
        for day in self.dates:
            if not self.first_year <= day.year <= self.last_year:
                raise InvalidInput("bank holidays", f"{day} lies outside the years covered ({self._years()})")

    def is_bank_holiday(self, day: date) -> bool:
        if not self.first_year <= day.year <= self.last_year:
            raise InvalidInput(
                "bank holidays",
                f"the bank holidays in {self.region} are known for {self._years()} only; "
                f"working days cannot be counted on {day}",
            )
        return day in self.dates

    def _years(self) -> str:
        return f"{self.first_year} to {self.last_year}"


class OnCalendar:
    """A kind of record whose deadlines count on a calendar of bank holidays.

    The domain holds no calendar: the application makes the record's class once with
    `using(calendar)` and uses that class for this kind of record.
    """

    calendar: ClassVar[WorkingCalendar | None] = None

    @classmethod
    def using(cls, calendar: WorkingCalendar) -> type[Self]:
        """This kind of record, counting working days on `calendar`; make it once and reuse it."""
        bound = type(cls.__name__, (cls,), {"calendar": calendar, "__module__": cls.__module__})
        return cast("type[Self]", bound)


# -- working days (FOISA s.73) --------------------------------------------------------------------


def is_working_day(day: date, calendar: WorkingCalendar) -> bool:
    """FOISA s.73: not a Saturday, a Sunday, Christmas Day, or a bank holiday in Scotland."""
    if day.weekday() >= _SATURDAY:
        return False
    # Christmas Day is named in s.73 itself, so it is never a working day whatever the calendar says.
    if (day.month, day.day) == (12, 25):
        return False
    return not calendar.is_bank_holiday(day)


def add_working_days(start: date, count: int, calendar: WorkingCalendar) -> date:
    """The `count`-th working day after `start` (`start` itself is never counted; 0 gives `start`)."""
    if count < 0:
        raise InvalidInput("working days", "cannot count a negative number of working days")
    day = start
    counted = 0
    while counted < count:
        day += timedelta(days=1)
        if is_working_day(day, calendar):
            counted += 1
    return day


def working_day_on_or_after(day: date, calendar: WorkingCalendar) -> date:
    """`day` itself when it is a working day, otherwise the next one."""
    while not is_working_day(day, calendar):
        day += timedelta(days=1)
    return day


def working_days_after(start: date, end: date, calendar: WorkingCalendar) -> int:
    """How many working days fall after `start`, up to and including `end` (0 when `end` <= `start`)."""
    counted = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day, calendar):
            counted += 1
        day += timedelta(days=1)
    return counted


def foi_response_due(received_on: date, calendar: WorkingCalendar) -> date:
    """FOISA s.10(1): the twentieth working day after the request, or its clarification, is received."""
    return add_working_days(received_on, FOI_RESPONSE_WORKING_DAYS, calendar)


def foi_review_request_deadline(responded_or_expired_on: date, calendar: WorkingCalendar) -> date:
    """FOISA s.20(5): the last day a requester may require a review."""
    return add_working_days(responded_or_expired_on, FOI_REVIEW_REQUEST_WORKING_DAYS, calendar)


def foi_review_due(review_received_on: date, calendar: WorkingCalendar) -> date:
    """FOISA s.21(1): the twentieth working day after the requirement for review is received."""
    return add_working_days(review_received_on, FOI_REVIEW_WORKING_DAYS, calendar)


# -- the subject access month (UK GDPR Art. 12(3)) -------------------------------------------------


class TimescaleStop(msgspec.Struct, frozen=True, kw_only=True):
    """A stretch during which the SAR timescale stood still: from the day clarification was sought
    to the day it arrived (`restarted_on` is None while it is still awaited)."""

    stopped_on: date
    restarted_on: date | None = None


def sar_timescale_start(received_on: date, identity_evidence_received_on: date | None = None) -> date:
    """The day the month runs from: receipt, or the arrival of the proof of identity asked for."""
    if identity_evidence_received_on is None:
        return received_on
    return max(received_on, identity_evidence_received_on)


def sar_stopped_days(starts_on: date, stops: Iterable[TimescaleStop]) -> int:
    """Days the timescale stood still after it started, counting only stretches already over.

    A stretch is counted from the later of its start and the timescale's start, so a wait that
    began before the proof of identity arrived is not counted twice.
    """
    days = 0
    for stop in stops:
        if stop.restarted_on is None:
            continue
        days += max(0, (stop.restarted_on - max(stop.stopped_on, starts_on)).days)
    return days


def sar_due(
    starts_on: date,
    *,
    extended: bool = False,
    stopped_days: int = 0,
    calendar: WorkingCalendar | None = None,
) -> date:
    """The last day to respond: same date next month (or three months on when extended),
    the month's last day when it has no such date, plus the days the timescale stood still;
    on a `calendar`, moved to the next working day when that day is not one."""
    if stopped_days < 0:
        raise InvalidInput("stopped days", "cannot be negative")
    months = SAR_MONTHS + (SAR_EXTENSION_MONTHS if extended else 0)
    due = add_months(starts_on, months) + timedelta(days=stopped_days)
    return due if calendar is None else working_day_on_or_after(due, calendar)
