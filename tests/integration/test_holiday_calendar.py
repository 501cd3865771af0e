"""The Scottish bank holidays the FOI and subject access clocks count on, checked against the dates as proclaimed.

Scotland keeps 2 January and St Andrew's Day (30 November) and not Easter Monday; its summer
holiday is the first Monday of August. A holiday falling at a weekend moves to the next free
weekday, and St Andrew's Day at a weekend moves to the Monday after.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.app.holiday_calendar import ScottishBankHolidays, scottish_bank_holidays
from adapters.governance.ig_records import SarRecord
from domain.governance.ig_timescales import foi_response_due, is_working_day
from domain.governance.sar.steps import Capacity, ReceiveSubjectAccessRequest, RequestChannel
from domain.kernel.errors import InvalidInput
from domain.kernel.roles import Acting, Role

PROCLAIMED_2026 = {
    date(2026, 1, 1),
    date(2026, 1, 2),
    date(2026, 4, 3),  # Good Friday
    date(2026, 5, 4),  # first Monday in May
    date(2026, 5, 25),  # last Monday in May
    date(2026, 8, 3),  # first Monday in August
    date(2026, 11, 30),  # St Andrew's Day, a Monday
    date(2026, 12, 25),
    date(2026, 12, 28),  # Boxing Day is a Saturday: the Monday instead
}
PROCLAIMED_2027 = {
    date(2027, 1, 1),
    date(2027, 1, 4),  # 2 January is a Saturday: the Monday instead
    date(2027, 3, 26),
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2027, 8, 2),
    date(2027, 11, 30),  # a Tuesday
    date(2027, 12, 27),  # Christmas Day is a Saturday
    date(2027, 12, 28),  # Boxing Day is a Sunday
}


def weekdays(dates: frozenset[date]) -> set[date]:
    return {d for d in dates if d.weekday() < 5}


def test_2026_holds_every_scottish_bank_holiday_and_not_easter_monday() -> None:
    calendar = scottish_bank_holidays(2026, 2026)
    assert weekdays(calendar.dates) >= PROCLAIMED_2026
    assert date(2026, 4, 6) not in calendar.dates  # Easter Monday is an English holiday
    assert date(2026, 8, 31) not in calendar.dates  # so is the late-August one


def test_2027_holds_exactly_the_scottish_bank_holidays_on_weekdays() -> None:
    assert weekdays(scottish_bank_holidays(2027, 2027).dates) == PROCLAIMED_2027


@pytest.mark.parametrize(
    ("year", "observed"),
    [
        (2025, date(2025, 12, 1)),  # 30 November 2025 is a Sunday
        (2030, date(2030, 12, 2)),  # 30 November 2030 is a Saturday
        (2031, date(2031, 12, 1)),  # a Sunday again
    ],
)
def test_st_andrews_day_at_a_weekend_moves_to_the_monday_after(year: int, observed: date) -> None:
    calendar = scottish_bank_holidays(year, year)
    assert observed in calendar.dates
    assert not is_working_day(observed, calendar)


def test_the_calendar_covers_the_years_asked_for_and_refuses_others() -> None:
    calendar = scottish_bank_holidays(2026, 2027)
    assert (calendar.first_year, calendar.last_year) == (2026, 2027)
    with pytest.raises(InvalidInput, match="known for 2026 to 2027 only"):
        calendar.is_bank_holiday(date(2028, 1, 3))


def test_an_foi_request_received_before_christmas_2026_is_due_in_mid_january() -> None:
    assert foi_response_due(date(2026, 12, 14), scottish_bank_holidays(2026, 2027)) == date(2027, 1, 15)


def test_the_calendar_for_any_year_agrees_with_the_fixed_list() -> None:
    any_year = ScottishBankHolidays()
    fixed = scottish_bank_holidays(2025, 2031)
    day = date(2025, 1, 1)
    while day <= date(2031, 12, 31):
        assert any_year.is_bank_holiday(day) == (day in fixed.dates), day
        day = day.fromordinal(day.toordinal() + 1)
    assert any_year.is_bank_holiday(date(2045, 12, 25))


def test_the_applications_subject_access_file_moves_a_deadline_off_christmas_and_boxing_day() -> None:
    sar = SarRecord("SAR-2026-090")
    receipt = ReceiveSubjectAccessRequest(
        received_on=date(2026, 11, 25),
        channel=RequestChannel.EMAIL,
        requester_id="S-requester",
        subject_id="S-requester",
        capacity=Capacity.DATA_SUBJECT,
        requester_name="A Requester",
        requester_contact="requester@example.org",
        request="Everything you hold about me.",
    )
    sar.execute(
        receipt, Acting(actor="ig", roles=frozenset({Role.IG_OFFICER})), datetime(2026, 11, 25, tzinfo=UTC)
    )
    # A month on is Friday 25 December; the weekend and Monday 28 December (for Boxing Day) follow.
    assert sar.due_on() == date(2026, 12, 29)
