"""Anonymising a report for publication, and the residual-risk check (DOMAIN.md §7).

Published reports use consistent pseudonyms ("Child A", "Parent 1"), coarsened dates and
generic places. Here, as pure text processing over the identifiers the register holds:

- **Pseudonyms** are given per person by category, in the order people first appear in the
  review: children and adults at risk by letter (Child A, Child B), everyone else by number
  (Parent 1, Sibling 1, Practitioner 1). A person outside the review who is named in it gets
  the next pseudonym of their category when first found.
- **Names**: every recorded name of every person, and each part of it, is replaced wherever
  it appears as a whole word, ignoring case, longest first, so "Ellie Rendall" and then
  "Ellie" become "Child A". A name part shared by several people ("Rendall") cannot say who
  is meant and becomes "[name]".
- **Dates** of birth become "[date of birth]"; every other date is coarsened to its month and
  year ("14 December 2025" becomes "December 2025"), or to its season and year.
- **Places**: addresses become "[address]", their single-word parts "[place]", postcodes
  "[postcode]", schools "a school" (and the distinctive words of a school's name "[place]"),
  record numbers "[record number]".

Every identifier is found by the one detector (`domain/governance/identifiers.py`), in every written form it
knows; the anonymiser replaces what it finds. The **residual-risk check** runs the same detector
over the output again, for every registered name, date of birth, address, school and record number
of every data subject, and refuses it naming the kinds found, never the values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from domain.governance.identifiers import (
    MONTH_WORD,
    MONTHS,
    ORDINAL,
    POSTCODE,
    Detector,
    Form,
    IdentifierKind,
    Identifiers,
    Match,
    replace_each,
    replace_matches,
)
from domain.governance.subjects import SubjectCategory
from domain.kernel.errors import ReviewledgerError

__all__ = [
    "Anonymiser",
    "DateStyle",
    "IdentifierKind",
    "Identifiers",
    "Pseudonyms",
    "ResidualRiskFound",
    "check_residual_risk",
    "coarsen_dates",
    "identifiers_found",
]

RULE_ANONYMISATION = "DOMAIN.md §7: published reports use pseudonyms, coarsened dates and generic places"


class DateStyle(StrEnum):
    MONTH = "month"  # "December 2025"
    SEASON = "season"  # "winter 2025"


class ResidualRiskFound(ReviewledgerError):
    """The output still holds a registered identifier: it must not be published."""

    def __init__(self, kinds: Iterable[IdentifierKind], where: str, consequence: str) -> None:
        self.kinds = tuple(k for k in IdentifierKind if k in set(kinds))
        words = [k.value for k in self.kinds]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        super().__init__(
            f"{where}: the publication still contains a registered {listed} of a data subject; "
            f"{consequence} ({RULE_ANONYMISATION})"
        )


# -- pseudonyms ---------------------------------------------------------------------------------------------

_LABELS: dict[SubjectCategory | None, tuple[str, bool]] = {
    SubjectCategory.CHILD: ("Child", True),
    SubjectCategory.ADULT_AT_RISK: ("Adult", True),
    SubjectCategory.SIBLING: ("Sibling", False),
    SubjectCategory.PARENT_CARER: ("Parent", False),
    SubjectCategory.FAMILY_MEMBER: ("Family member", False),
    SubjectCategory.HOUSEHOLD_MEMBER: ("Household member", False),
    SubjectCategory.PRACTITIONER: ("Practitioner", False),
    SubjectCategory.NOTIFIER: ("Notifier", False),
    SubjectCategory.OTHER: ("Person", False),
    None: ("Person", False),
}


class Pseudonyms:
    """One pseudonym per person, by category and in the order people are first met."""

    def __init__(self, categories: Mapping[str, SubjectCategory | None]) -> None:
        self._categories = dict(categories)
        self._given: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def of(self, subject: str) -> str:
        if subject not in self._given:
            label, lettered = _LABELS[self._categories.get(subject)]
            count = self._counts.get(label, 0) + 1
            self._counts[label] = count
            self._given[subject] = f"{label} {_letters(count) if lettered else count}"
        return self._given[subject]

    @property
    def given(self) -> dict[str, str]:
        return dict(self._given)


def _letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    found = ""
    while n:
        n, rest = divmod(n - 1, 26)
        found = chr(ord("A") + rest) + found
    return found


# -- dates ---------------------------------------------------------------------------------------------------

# Meteorological seasons, by month: winter is December to February.
_SEASONS: tuple[str, ...] = (
    "winter",
    "winter",
    "spring",
    "spring",
    "spring",
    "summer",
    "summer",
    "summer",
    "autumn",
    "autumn",
    "autumn",
    "winter",
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_WRITTEN = (
    # ISO 8601 (with any time of day), and year-first with slashes: 2025-12-14, 2025/12/14
    r"(?<![\w/.-])(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w/-])",
    # day first, as written in the UK: 14/12/2025, 14.12.2025, 14-12-2025, 14/12/25
    r"(?<![\w/.-])(?P<day>\d{1,2})[/.-](?P<mon>\d{1,2})[/.-](?P<year>\d{4}|\d{2})(?![\w/-])",
    # with the month's short name, as case systems and spreadsheets write it: 14-Dec-2025, 14-Dec-25
    rf"(?<![\w/.-])(?P<day>\d{{1,2}})[/.-]{MONTH_WORD}[/.-](?P<year>\d{{4}}|\d{{2}})(?![\w/-])",
    # 14 December 2025, Sunday 14th Dec. 2025, 14th of December 2025
    rf"\b{_WEEKDAY}(?P<day>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?{MONTH_WORD},?\s+(?P<year>\d{{4}})\b",
    # December 14, 2025; December 14th 2025
    rf"\b{_WEEKDAY}{MONTH_WORD}\s+(?P<day>\d{{1,2}}){ORDINAL},?\s+(?P<year>\d{{4}})\b",
    # 14 December, December 14th (no year)
    rf"\b{_WEEKDAY}(?P<day>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?{MONTH_WORD}(?!\w)",
    rf"\b{_WEEKDAY}{MONTH_WORD}\s+(?P<day>\d{{1,2}}){ORDINAL}(?!\w|,?\s+\d)",
)
# A date said to fall "on" a day falls "in" a month or season once coarsened.
_ON = r"(?:(?P<on>\b[Oo]n)\s+)?"
_WRITTEN_DATES = tuple(re.compile(_ON + form) for form in _WRITTEN)
# Only for seasons: a month and year is coarsened too (December 2025 becomes winter 2025).
_MONTH_AND_YEAR = re.compile(rf"{_ON}\b{MONTH_WORD}\s+(?P<year>\d{{4}})\b")


def _month_number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("mon"):
        number = int(groups["mon"])
        return number if 1 <= number <= 12 else None
    word = (groups.get("month") or "")[:3].casefold()
    for index, name in enumerate(MONTHS, start=1):
        if name[:3].casefold() == word:
            return index
    return None


def _year(match: re.Match[str]) -> str | None:
    year = match.groupdict().get("year")
    if year is None:
        return None
    return year if len(year) == 4 else f"20{year}"


def coarsen_dates(text: str, style: DateStyle = DateStyle.MONTH) -> str:
    """Every full date in `text` as its month and year (or season and year); a day without a year as its month."""

    def coarse(match: re.Match[str]) -> str:
        month = _month_number(match)
        day = match.groupdict().get("day")
        if month is None or (day is not None and not 1 <= int(day) <= 31):
            return match.group(0)
        year = _year(match)
        period = MONTHS[month - 1] if style is DateStyle.MONTH else _SEASONS[month - 1]
        said = match.group("on")
        on = "" if said is None else ("In " if said[0] == "O" else "in ")
        return f"{on}{period} {year}" if year else f"{on}{period}"

    for pattern in _WRITTEN_DATES:
        text = pattern.sub(coarse, text)
    if style is DateStyle.SEASON:
        text = _MONTH_AND_YEAR.sub(coarse, text)
    return text


# -- anonymising and checking --------------------------------------------------------------------------------


class Anonymiser:
    """Replaces every identifier of every person known, the same way in every text of one publication."""

    def __init__(
        self,
        people: Sequence[Identifiers],
        pseudonyms: Pseudonyms,
        *,
        dates: DateStyle = DateStyle.MONTH,
    ) -> None:
        self.pseudonyms = pseudonyms
        self.dates = dates
        self.detector = Detector(people)

    def text(self, value: str) -> str:
        births = [m for m in self.detector.find(value) if m.kind is IdentifierKind.DATE_OF_BIRTH]
        value = replace_matches(value, births, "[date of birth]")
        # Dates are coarsened before people get pseudonyms: the number of "Parent 1" followed by a
        # month ("Parent 1\nJune 2025") is no day of that month.
        value = coarsen_dates(value, self.dates)
        value = replace_each(value, self.detector.find(value), self._replacement)
        return POSTCODE.sub("[postcode]", value)

    def _replacement(self, match: Match) -> str:
        if match.kind is IdentifierKind.NAME:
            # A name shared by several people cannot say who is meant.
            return self.pseudonyms.of(match.subjects[0]) if len(match.subjects) == 1 else "[name]"
        return _GENERIC[match.form]


_GENERIC: dict[Form, str] = {
    Form.FULL_NAME: "[name]",
    Form.NAME_PART: "[name]",
    Form.DATE_OF_BIRTH: "[date of birth]",
    Form.ADDRESS: "[address]",
    Form.PLACE: "[place]",
    Form.POSTCODE: "[postcode]",
    Form.SCHOOL: "a school",
    Form.SCHOOL_WORD: "[place]",
    Form.RECORD_NUMBER: "[record number]",
}


def identifiers_found(text: str, people: Sequence[Identifiers]) -> set[IdentifierKind]:
    """Which kinds of registered identifier still appear in `text` (never which values)."""
    return Detector(people).kinds_in(text)


def check_residual_risk(
    texts: Iterable[str], people: Sequence[Identifiers] | Detector, *, where: str, consequence: str
) -> None:
    """Refuse (ResidualRiskFound, naming the kinds) if any text still holds a registered identifier."""
    detector = people if isinstance(people, Detector) else Detector(people)
    found: set[IdentifierKind] = set()
    for text in texts:
        found |= detector.kinds_in(text)
    if found:
        raise ResidualRiskFound(found, where, consequence)
