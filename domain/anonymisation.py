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

The **residual-risk check** scans the output again for every registered name (and name part),
date of birth (in the common written forms), address (and every part of it the anonymiser
replaces: street, town, postcode), school (and the words that name it) and record number of
every data subject, and refuses it naming the kinds found, never the values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from enum import StrEnum

import msgspec

from domain.errors import ReviewledgerError
from domain.subjects import SubjectCategory

RULE_ANONYMISATION = "DOMAIN.md §7: published reports use pseudonyms, coarsened dates and generic places"


class IdentifierKind(StrEnum):
    NAME = "name"
    DATE_OF_BIRTH = "date of birth"
    ADDRESS = "address"
    SCHOOL = "school"
    RECORD_NUMBER = "record number"


class DateStyle(StrEnum):
    MONTH = "month"  # "December 2025"
    SEASON = "season"  # "winter 2025"


class Identifiers(msgspec.Struct, frozen=True, kw_only=True):
    """What identifies one person: every name, date of birth, address, school and record number known."""

    subject: str
    category: SubjectCategory | None = None
    names: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()  # ISO dates as recorded
    addresses: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    record_numbers: tuple[str, ...] = ()


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


# -- the words that identify ---------------------------------------------------------------------------------

# Parts of names and school names that identify nobody on their own. A given name that is also
# the name of a month or a day ("April", "May") is left to the full name: replacing the word
# everywhere would turn every date in the report into a pseudonym.
_NAME_PARTICLES = frozenset(
    {"de", "da", "di", "del", "la", "le", "van", "von", "der", "den", "mc", "mac", "st", "of", "the", "and"}
    | {"mr", "mrs", "ms", "miss", "dr", "jr", "sr"}
    | {m.casefold() for m in ("January", "February", "March", "April", "May", "June", "July", "August")}
    | {m.casefold() for m in ("September", "October", "November", "December")}
    | {d.casefold() + "day" for d in ("Mon", "Tues", "Wednes", "Thurs", "Fri", "Satur", "Sun")}
)
_SCHOOL_WORDS = frozenset(
    {
        "school",
        "schools",
        "primary",
        "secondary",
        "high",
        "academy",
        "nursery",
        "grammar",
        "college",
        "junior",
    }
    | {"infant", "infants", "community", "campus", "centre", "center", "early", "years", "learning"}
    | {"the", "of", "and", "st", "saint", "rc"}
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_POSTCODE_AT_END = re.compile(_POSTCODE.pattern + r"$", re.IGNORECASE)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’-]*", text)


def _parts(text: str) -> list[str]:
    """The comma- or line-separated parts of an address, trimmed. A postcode written after the town
    with no comma ("Kirkwall KW15 1AB") is split off, so the town is a part of its own too."""
    found: list[str] = []
    for part in (p.strip() for p in re.split(r"[,\n;]", text)):
        if not part:
            continue
        found.append(part)
        postcode = _POSTCODE_AT_END.search(part)
        if postcode is not None and part[: postcode.start()].strip():
            found += [part[: postcode.start()].strip(), postcode.group(0)]
    return found


def _whole(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of `phrases` as whole words, ignoring case and spacing, longest first."""
    unique = sorted({_normal(p) for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    if not unique:
        return None
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in unique)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


class _Owner(msgspec.Struct, frozen=True):
    """Whom a phrase identifies: one person (replaced by their pseudonym) or a fixed generic word."""

    subject: str | None
    generic: str | None


def _name_owners(people: Sequence[Identifiers]) -> dict[str, _Owner]:
    """Every full name and name part, and whom it identifies; a part shared by people identifies nobody."""
    parts: dict[str, set[str]] = {}
    for person in people:
        for name in person.names:
            for word in _words(name):
                if len(word) >= 2 and word.casefold() not in _NAME_PARTICLES:
                    parts.setdefault(_normal(word), set()).add(person.subject)
    owners = {
        word: _Owner(next(iter(who)), None) if len(who) == 1 else _Owner(None, "[name]")
        for word, who in parts.items()
    }
    full: dict[str, set[str]] = {}
    for person in people:
        for name in person.names:
            if name.strip():
                full.setdefault(_normal(name), set()).add(person.subject)
    for name, who in full.items():
        owners[name] = _Owner(next(iter(who)), None) if len(who) == 1 else _Owner(None, "[name]")
    return owners


def _place_phrases(person: Identifiers) -> Iterator[tuple[IdentifierKind, str, str]]:
    """Every phrase of a person's addresses, schools and record numbers that identifies them: its
    kind, and the generic words published in its place. The anonymiser replaces these phrases and
    the residual-risk check looks for the same ones."""
    for address in person.addresses:
        yield IdentifierKind.ADDRESS, address, "[address]"
        for part in _parts(address):
            if _POSTCODE.fullmatch(part):
                yield IdentifierKind.ADDRESS, part, "[postcode]"
                # The same postcode written without its space ("KW151AB").
                yield IdentifierKind.ADDRESS, "".join(part.split()), "[postcode]"
            elif len(part.split()) == 1 and not any(c.isdigit() for c in part):
                yield IdentifierKind.ADDRESS, part, "[place]"
            else:
                yield IdentifierKind.ADDRESS, part, "[address]"
                street = re.sub(r"^\d+[a-z]?\s+", "", part, flags=re.IGNORECASE)
                if street != part:
                    yield IdentifierKind.ADDRESS, street, "[address]"
    for school in person.schools:
        yield IdentifierKind.SCHOOL, school, "a school"
        for word in _words(school):
            if len(word) >= 3 and word.casefold() not in _SCHOOL_WORDS:
                yield IdentifierKind.SCHOOL, word, "[place]"
    for number in person.record_numbers:
        yield IdentifierKind.RECORD_NUMBER, number, "[record number]"


def _place_owners(people: Sequence[Identifiers]) -> dict[str, _Owner]:
    owners: dict[str, _Owner] = {}
    for person in people:
        for _, phrase, generic in _place_phrases(person):
            if phrase.strip():
                owners.setdefault(_normal(phrase), _Owner(None, generic))
    return owners


# -- dates ---------------------------------------------------------------------------------------------------

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
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
_MONTH_WORD = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_WRITTEN = (
    # ISO 8601 (with any time of day), and year-first with slashes: 2025-12-14, 2025/12/14
    r"(?<![\w/.-])(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w/-])",
    # day first, as written in the UK: 14/12/2025, 14.12.2025, 14-12-2025, 14/12/25
    r"(?<![\w/.-])(?P<day>\d{1,2})[/.-](?P<mon>\d{1,2})[/.-](?P<year>\d{4}|\d{2})(?![\w/-])",
    # with the month's short name, as case systems and spreadsheets write it: 14-Dec-2025, 14-Dec-25
    rf"(?<![\w/.-])(?P<day>\d{{1,2}})[/.-]{_MONTH_WORD}[/.-](?P<year>\d{{4}}|\d{{2}})(?![\w/-])",
    # 14 December 2025, Sunday 14th Dec. 2025, 14th of December 2025
    rf"\b{_WEEKDAY}(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH_WORD},?\s+(?P<year>\d{{4}})\b",
    # December 14, 2025; December 14th 2025
    rf"\b{_WEEKDAY}{_MONTH_WORD}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b",
    # 14 December, December 14th (no year)
    rf"\b{_WEEKDAY}(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH_WORD}(?!\w)",
    rf"\b{_WEEKDAY}{_MONTH_WORD}\s+(?P<day>\d{{1,2}}){_ORDINAL}(?!\w|,?\s+\d)",
)
# A date said to fall "on" a day falls "in" a month or season once coarsened.
_ON = r"(?:(?P<on>\b[Oo]n)\s+)?"
_WRITTEN_DATES = tuple(re.compile(_ON + form) for form in _WRITTEN)
# Only for seasons: a month and year is coarsened too (December 2025 becomes winter 2025).
_MONTH_AND_YEAR = re.compile(rf"{_ON}\b{_MONTH_WORD}\s+(?P<year>\d{{4}})\b")


def _month_number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("mon"):
        number = int(groups["mon"])
        return number if 1 <= number <= 12 else None
    word = (groups.get("month") or "")[:3].casefold()
    for index, name in enumerate(_MONTHS, start=1):
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
        period = _MONTHS[month - 1] if style is DateStyle.MONTH else _SEASONS[month - 1]
        said = match.group("on")
        on = "" if said is None else ("In " if said[0] == "O" else "in ")
        return f"{on}{period} {year}" if year else f"{on}{period}"

    for pattern in _WRITTEN_DATES:
        text = pattern.sub(coarse, text)
    if style is DateStyle.SEASON:
        text = _MONTH_AND_YEAR.sub(coarse, text)
    return text


def date_of_birth_patterns(value: str) -> list[re.Pattern[str]]:
    """A date of birth in the forms it is commonly written, day first or month first, ignoring case."""
    try:
        born = date.fromisoformat(value)
    except ValueError:
        return [re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE)] if value.strip() else []
    d, m, y = born.day, born.month, born.year
    day = rf"0?{d}"
    mon = rf"0?{m}"
    years = rf"(?:{y}|{y % 100:02d})"
    name = _MONTHS[m - 1]
    short = [re.escape(name[:3]), "Sept"] if m == 9 else [re.escape(name[:3])]
    month_word = "(?:" + "|".join([name, *(rf"{w}\.?" for w in short)]) + ")"
    sep = r"\s*[/.\-]\s*"
    forms = (
        rf"{y}{sep}{mon}{sep}{day}",
        rf"{day}{sep}{mon}{sep}{years}",
        rf"{mon}{sep}{day}{sep}{years}",
        rf"{day}{sep}{month_word}{sep}{years}",
        rf"{day}{_ORDINAL}\s+(?:of\s+)?{month_word},?\s+{y}",
        rf"{month_word}\s+{day}{_ORDINAL},?\s+{y}",
    )
    return [re.compile(rf"(?<![\w/.\-]){form}(?![\w/\-]|\.\d)", re.IGNORECASE) for form in forms]


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
        self._owners = _place_owners(people) | _name_owners(people)
        self._pattern = _whole(self._owners)
        self._births = [
            p for person in people for v in person.dates_of_birth for p in date_of_birth_patterns(v)
        ]

    def text(self, value: str) -> str:
        for pattern in self._births:
            value = pattern.sub("[date of birth]", value)
        # Dates are coarsened before people get pseudonyms: the number of "Parent 1" followed by a
        # month ("Parent 1\nJune 2025") is no day of that month.
        value = coarsen_dates(value, self.dates)
        if self._pattern is not None:
            value = self._pattern.sub(self._replace, value)
        return _POSTCODE.sub("[postcode]", value)

    def _replace(self, match: re.Match[str]) -> str:
        owner = self._owners[_normal(match.group(0))]
        if owner.subject is not None:
            return self.pseudonyms.of(owner.subject)
        return owner.generic or "[removed]"


def identifiers_found(text: str, people: Sequence[Identifiers]) -> set[IdentifierKind]:
    """Which kinds of registered identifier still appear in `text` (never which values)."""
    found: set[IdentifierKind] = set()
    names = _whole(_name_owners(people))
    if names is not None and names.search(text):
        found.add(IdentifierKind.NAME)
    places = [phrase for person in people for phrase in _place_phrases(person)]
    for kind in (IdentifierKind.ADDRESS, IdentifierKind.SCHOOL, IdentifierKind.RECORD_NUMBER):
        pattern = _whole(phrase for of, phrase, _ in places if of is kind)
        if pattern is not None and pattern.search(text):
            found.add(kind)
    births = [p for person in people for v in person.dates_of_birth for p in date_of_birth_patterns(v)]
    if any(p.search(text) for p in births):
        found.add(IdentifierKind.DATE_OF_BIRTH)
    return found


def check_residual_risk(
    texts: Iterable[str], people: Sequence[Identifiers], *, where: str, consequence: str
) -> None:
    """Refuse (ResidualRiskFound, naming the kinds) if any text still holds a registered identifier."""
    found: set[IdentifierKind] = set()
    for text in texts:
        found |= identifiers_found(text, people)
    if found:
        raise ResidualRiskFound(found, where, consequence)
