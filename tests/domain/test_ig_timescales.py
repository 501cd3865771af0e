"""The information-governance timescales, told with the dates an IG officer meets.

A subject access request runs to the same date next month, or the month's last day; an
extension runs three months from the same start; the timescale stops while clarification is
awaited. An FOI request is due on the twentieth working day after receipt, never counting a
weekend, Christmas Day or a Scottish bank holiday. Property tests check the arithmetic on
any day and any calendar.
"""

from __future__ import annotations

import calendar as month_lengths
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.governance.ig_timescales import (
    BankHolidays,
    TimescaleStop,
    add_working_days,
    foi_response_due,
    foi_review_due,
    foi_review_request_deadline,
    is_working_day,
    sar_due,
    sar_stopped_days,
    sar_timescale_start,
    working_days_after,
)
from domain.kernel.errors import InvalidInput
from domain.kernel.timescales import add_months

# Scottish bank holidays on weekdays in 2026 and 2027, as proclaimed (weekend dates are not
# working days anyway). The adapter's own test checks these against the published source.
SCOTLAND_2026_2027 = BankHolidays(
    dates=frozenset(
        {
            date(2026, 1, 1),
            date(2026, 1, 2),
            date(2026, 4, 3),  # Good Friday
            date(2026, 5, 4),
            date(2026, 5, 25),
            date(2026, 8, 3),
            date(2026, 11, 30),  # St Andrew's Day
            date(2026, 12, 25),
            date(2026, 12, 28),  # Boxing Day falls on a Saturday: the Monday instead
            date(2027, 1, 1),
            date(2027, 1, 4),  # 2 January falls on a Saturday
            date(2027, 3, 26),
            date(2027, 5, 3),
            date(2027, 5, 31),
            date(2027, 8, 2),
            date(2027, 11, 30),
            date(2027, 12, 27),
            date(2027, 12, 28),
        }
    ),
    first_year=2026,
    last_year=2027,
)
NO_HOLIDAYS = BankHolidays(dates=frozenset(), first_year=1990, last_year=2100)


# -- subject access: one calendar month ------------------------------------------------------------


def test_a_request_received_on_3_september_is_due_on_3_october() -> None:
    assert sar_due(date(2026, 9, 3)) == date(2026, 10, 3)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 30), date(2026, 2, 28)),  # February has no 30th: its last day
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2027, 1, 31)),  # over the year end
        (date(2026, 2, 28), date(2026, 3, 28)),  # the same date, not the month's last day
    ],
)
def test_when_next_month_has_no_such_date_the_request_is_due_on_its_last_day(
    received: date, due: date
) -> None:
    assert sar_due(received) == due


def test_an_extended_request_runs_three_months_from_the_same_start() -> None:
    # 31 January + 3 months = 30 April; not 28 February + 2 months = 28 April.
    assert sar_due(date(2026, 1, 31), extended=True) == date(2026, 4, 30)
    assert sar_due(date(2026, 11, 15), extended=True) == date(2027, 2, 15)


def test_when_proof_of_identity_is_asked_for_the_month_runs_from_its_arrival() -> None:
    starts = sar_timescale_start(date(2026, 1, 5), identity_evidence_received_on=date(2026, 1, 12))
    assert starts == date(2026, 1, 12)
    assert sar_due(starts) == date(2026, 2, 12)
    assert sar_timescale_start(date(2026, 1, 5)) == date(2026, 1, 5)


def test_days_waiting_for_clarification_are_added_to_the_due_date() -> None:
    starts = date(2026, 1, 5)
    waits = [TimescaleStop(stopped_on=date(2026, 1, 10), restarted_on=date(2026, 1, 17))]
    assert sar_stopped_days(starts, waits) == 7
    assert sar_due(starts, stopped_days=7) == date(2026, 2, 12)


def test_a_wait_still_open_moves_nothing_until_the_answer_arrives() -> None:
    waits = [TimescaleStop(stopped_on=date(2026, 1, 10))]
    assert sar_stopped_days(date(2026, 1, 5), waits) == 0


def test_a_wait_that_began_before_the_clock_started_counts_only_from_the_start() -> None:
    # Clarification sought on the 6th; proof of identity arrived on the 9th; clarification on the 12th.
    waits = [TimescaleStop(stopped_on=date(2026, 1, 6), restarted_on=date(2026, 1, 12))]
    assert sar_stopped_days(date(2026, 1, 9), waits) == 3
    assert sar_stopped_days(date(2026, 1, 20), waits) == 0


@pytest.mark.parametrize(
    ("starts", "month_ends", "due"),
    [
        # 3 October 2026 is a Saturday: the response is due on Monday 5 October.
        (date(2026, 9, 3), date(2026, 10, 3), date(2026, 10, 5)),
        # 4 October 2026 is a Sunday.
        (date(2026, 9, 4), date(2026, 10, 4), date(2026, 10, 5)),
        # Monday 30 November 2026 is St Andrew's Day.
        (date(2026, 10, 30), date(2026, 11, 30), date(2026, 12, 1)),
        # Friday 25 December, then the weekend and Boxing Day's Monday: Tuesday 29 December.
        (date(2026, 11, 25), date(2026, 12, 25), date(2026, 12, 29)),
        # 1 January 2027 is a Friday and a bank holiday; 2 January falls on a Saturday, kept on Monday 4th.
        (date(2026, 12, 1), date(2027, 1, 1), date(2027, 1, 5)),
        # A working day stays where it is.
        (date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 1)),
    ],
)
def test_a_deadline_on_a_weekend_or_bank_holiday_moves_to_the_next_working_day(
    starts: date, month_ends: date, due: date
) -> None:
    assert sar_due(starts) == month_ends
    assert sar_due(starts, calendar=SCOTLAND_2026_2027) == due


def test_an_extended_deadline_on_a_bank_holiday_moves_too() -> None:
    # Three months from 3 May 2026 is Monday 3 August, the summer bank holiday in Scotland.
    assert sar_due(date(2026, 5, 3), extended=True) == date(2026, 8, 3)
    assert sar_due(date(2026, 5, 3), extended=True, calendar=SCOTLAND_2026_2027) == date(2026, 8, 4)


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 9, 30)), st.booleans())
def test_a_moved_deadline_is_the_first_working_day_on_or_after_the_month(
    starts: date, extended: bool
) -> None:
    unmoved = sar_due(starts, extended=extended)
    moved = sar_due(starts, extended=extended, calendar=SCOTLAND_2026_2027)
    assert moved >= unmoved
    assert is_working_day(moved, SCOTLAND_2026_2027)
    day = unmoved
    while day < moved:
        assert not is_working_day(day, SCOTLAND_2026_2027)
        day += timedelta(days=1)


def test_negative_stopped_days_are_refused() -> None:
    with pytest.raises(InvalidInput, match="stopped days: cannot be negative"):
        sar_due(date(2026, 1, 5), stopped_days=-1)


# -- FOISA: twenty working days ---------------------------------------------------------------------


def test_a_request_received_on_a_monday_in_march_is_due_four_weeks_later() -> None:
    assert foi_response_due(date(2026, 3, 2), SCOTLAND_2026_2027) == date(2026, 3, 30)


def test_christmas_and_new_year_holidays_push_the_deadline_into_january() -> None:
    # From Monday 14 December 2026: 25 and 28 December, 1 and 4 January are not working days.
    assert foi_response_due(date(2026, 12, 14), SCOTLAND_2026_2027) == date(2027, 1, 15)


def test_good_friday_counts_but_easter_monday_does_not_in_scotland() -> None:
    assert not is_working_day(date(2026, 4, 3), SCOTLAND_2026_2027)
    assert is_working_day(date(2026, 4, 6), SCOTLAND_2026_2027)


def test_a_request_received_at_a_weekend_counts_from_the_monday() -> None:
    # Saturday 7 March 2026: Monday 9 March is working day 1, Friday 3 April is a holiday.
    assert foi_response_due(date(2026, 3, 7), SCOTLAND_2026_2027) == date(2026, 4, 6)


def test_christmas_day_is_never_a_working_day_even_on_a_calendar_that_omits_it() -> None:
    assert not is_working_day(date(2030, 12, 25), NO_HOLIDAYS)  # a Wednesday


def test_the_review_clocks_count_forty_and_twenty_working_days() -> None:
    responded = date(2026, 3, 30)
    # Good Friday, the May Day and the Spring holiday fall in the forty days.
    assert foi_review_request_deadline(responded, SCOTLAND_2026_2027) == date(2026, 5, 28)
    assert working_days_after(responded, date(2026, 5, 28), SCOTLAND_2026_2027) == 40
    assert foi_review_due(date(2026, 5, 28), SCOTLAND_2026_2027) == date(2026, 6, 25)


def test_a_calendar_refuses_to_count_in_a_year_it_does_not_know() -> None:
    # 20 working days from 20 December 2027 run into January 2028.
    with pytest.raises(
        InvalidInput, match="known for 2026 to 2027 only; working days cannot be counted on 2028-01-03"
    ):
        foi_response_due(date(2027, 12, 20), SCOTLAND_2026_2027)


def test_a_calendar_cannot_list_a_holiday_outside_the_years_it_covers() -> None:
    with pytest.raises(InvalidInput, match="2025-12-25 lies outside the years covered"):
        BankHolidays(dates=frozenset({date(2025, 12, 25)}), first_year=2026, last_year=2027)


def test_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot count a negative number of working days"):
        add_working_days(date(2026, 3, 2), -1, SCOTLAND_2026_2027)


# -- properties -----------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(days, st.booleans(), st.integers(min_value=0, max_value=400))
def test_a_sar_is_never_due_before_it_was_received(received: date, extended: bool, stopped: int) -> None:
    assert sar_due(received, extended=extended, stopped_days=stopped) > received


@given(days)
def test_the_month_rule_gives_the_same_date_or_the_last_day_of_a_shorter_month(received: date) -> None:
    due = sar_due(received)
    last_day = month_lengths.monthrange(due.year, due.month)[1]
    assert (due.year * 12 + due.month) - (received.year * 12 + received.month) == 1
    assert due.day == received.day or (due.day == last_day < received.day)


@given(days)
def test_the_extension_is_exactly_three_months_by_the_same_rule(received: date) -> None:
    extended = sar_due(received, extended=True)
    assert extended == add_months(received, 3)
    assert add_months(sar_due(received), 2) <= extended


@given(days, st.integers(min_value=0, max_value=400))
def test_stopped_days_move_the_due_date_by_exactly_that_many_days(received: date, stopped: int) -> None:
    assert sar_due(received, stopped_days=stopped) - sar_due(received) == timedelta(days=stopped)


@given(days, st.lists(st.tuples(days, st.integers(min_value=0, max_value=60)), max_size=4))
def test_stopped_days_never_count_before_the_clock_started(
    starts: date, waits: list[tuple[date, int]]
) -> None:
    stops = [TimescaleStop(stopped_on=s, restarted_on=s + timedelta(days=n)) for s, n in waits]
    counted = sar_stopped_days(starts, stops)
    assert 0 <= counted <= sum(n for _, n in waits)
    if stops:
        after_every_wait = max(stop.restarted_on or stop.stopped_on for stop in stops)
        assert sar_stopped_days(after_every_wait, stops) == 0


random_calendars = st.frozensets(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)), max_size=40
).map(lambda dates: BankHolidays(dates=dates, first_year=2026, last_year=2027))


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 10, 31)), random_calendars)
def test_an_foi_deadline_counts_exactly_twenty_working_days(received: date, holidays: BankHolidays) -> None:
    due = foi_response_due(received, holidays)
    assert is_working_day(due, holidays)
    counted = [
        received + timedelta(days=n)
        for n in range(1, (due - received).days + 1)
        if is_working_day(received + timedelta(days=n), holidays)
    ]
    assert len(counted) == 20
    assert counted[-1] == due
    for day in counted:
        assert day.weekday() < 5
        assert day not in holidays.dates
        assert (day.month, day.day) != (12, 25)
    assert working_days_after(received, due, holidays) == 20
    assert working_days_after(received, due - timedelta(days=1), holidays) == 19


@given(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)),
    st.integers(min_value=0, max_value=60),
)
def test_adding_working_days_and_counting_them_agree(start: date, count: int) -> None:
    end = add_working_days(start, count, SCOTLAND_2026_2027)
    assert working_days_after(start, end, SCOTLAND_2026_2027) == count
