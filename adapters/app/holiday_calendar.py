"""The calendar of Scottish bank holidays the FOISA timescales count working days on.

The dates come from the `holidays` package (United Kingdom, subdivision Scotland), which
follows the Banking and Financial Dealings Act 1971 and the royal proclamations: 1 and 2
January, Good Friday, the first and last Mondays of May, the first Monday of August,
St Andrew's Day (30 November, or the next Monday when it falls at a weekend), Christmas
Day and Boxing Day, each moved to the next free weekday when it falls at a weekend, and
one-off days proclaimed for a single year.

`scottish_bank_holidays` gives a fixed `BankHolidays` list for a range of years (what a
test or a report pins down); `ScottishBankHolidays` answers for any year, fetching each
year's dates the first time it is asked, and is what the application gives to FOI records.
"""

from __future__ import annotations

from datetime import date

import holidays

from domain.governance.ig_timescales import BankHolidays

COUNTRY = "GB"
SUBDIVISION = "SCT"


def _dates_for(years: range) -> frozenset[date]:
    calendar = holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=years)
    return frozenset(calendar.keys())


def scottish_bank_holidays(first_year: int, last_year: int) -> BankHolidays:
    """Every bank holiday in Scotland from `first_year` to `last_year`, inclusive."""
    years = range(first_year, last_year + 1)
    return BankHolidays(dates=_dates_for(years), first_year=first_year, last_year=last_year)


class ScottishBankHolidays:
    """A `WorkingCalendar` for any year: each year's bank holidays are looked up once, when first needed."""

    def __init__(self) -> None:
        self._by_year: dict[int, frozenset[date]] = {}

    def is_bank_holiday(self, day: date) -> bool:
        known = self._by_year.get(day.year)
        if known is None:
            known = self._by_year[day.year] = _dates_for(range(day.year, day.year + 1))
        return day in known
