"""The identifier register and detector: every registered identifier of every data subject, in every written form.

DOMAIN.md §3 "Identifiers" and DESIGN.md "Disclosure": what leaves the system is checked, after rendering,
for every registered identifier of every person. This module is the one place that knows how an identifier
may be written; the publication anonymiser, the residual-risk check, FOI responses, SAR packs and every
download use it. Pure text processing: no I/O.

The written forms, by kind (the test table in tests/domain/test_identifiers.py shows each):

- **Names** (full names and also-known-as names): the whole name, every part of it alone (first name,
  surname), each after a title (Mr, Mrs, Ms, Miss, Dr, Mx, with or without a full stop), in any case,
  with any spacing, followed by a possessive. Always as whole words: "Ellie" is not found in "Ellieson".
  A part that is a particle ("de", "van") or a single letter names nobody on its own. A part that is the
  name of a month or a weekday ("April", "May") is found with a title or within the full name only:
  found alone, every date in the text would be someone's name.
- **Dates of birth**: ISO and year-first (2022-04-02, 2022/4/2), day first and month first with any
  separator (02/04/2022, 2.4.22, 2-4-2022, 02 04 2022), written together (02042022, 20220402, 020422),
  with the month's name or its short name (2 April 2022, 2nd of April 2022, 2-Apr-22, April 2nd, 2022,
  Apr. 2 '22), with four- or two-digit years.
- **Addresses**: whole (with or without its commas), each comma- or line-separated part, a street
  without its house number, a town written before its postcode; postcodes with or without their space.
- **Schools**: whole, without the words that say what kind of school it is ("Papdale Primary School"
  as "Papdale Primary", "Papdale"), and each distinctive word of its name.
- **Record numbers** (CHI, NHS, SWIS, social work and police references): compared on their letters and
  digits whatever the separators between them: "0102034567" is found as "010203 4567" and "SW-2023-0045"
  as "SW/2023/0045".

A form can belong to several people (a shared surname, a family's address): a match names all of them.
The patterns are built once per `Detector`, each sharing the prefixes of its forms: one for names (after
any title), one for places, one for record numbers and postcodes. Dates are found by the few ways any
date is written and compared, day, month and year, with the registered dates of birth. `find` runs each
once over the text and keeps the longest matches.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from enum import StrEnum

import msgspec

from domain.governance.subjects import SubjectCategory


class IdentifierKind(StrEnum):
    NAME = "name"
    DATE_OF_BIRTH = "date of birth"
    ADDRESS = "address"
    SCHOOL = "school"
    RECORD_NUMBER = "record number"


class Form(StrEnum):
    """Which written form of an identifier a match is (the anonymiser puts different words in each's place)."""

    FULL_NAME = "full name"
    NAME_PART = "name part"
    DATE_OF_BIRTH = "date of birth"
    ADDRESS = "address"  # the whole address, a part of it, or a street
    PLACE = "place"  # a one-word part of an address: a town, a district
    POSTCODE = "postcode"
    SCHOOL = "school"  # the school's name, whole or without its kind
    SCHOOL_WORD = "school word"  # a distinctive word of a school's name
    RECORD_NUMBER = "record number"


class Identifiers(msgspec.Struct, frozen=True, kw_only=True):
    """What identifies one person: every name, date of birth, address, school and record number known."""

    subject: str
    category: SubjectCategory | None = None
    names: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()  # ISO dates as recorded
    addresses: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    record_numbers: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()  # also known as


class Match(msgspec.Struct, frozen=True, kw_only=True):
    """One written identifier found in a text."""

    subjects: tuple[str, ...]  # everyone this written form could belong to (a shared surname names several)
    kind: IdentifierKind
    start: int
    end: int  # offsets into the text searched
    text: str  # the matched words as written
    form: Form = Form.FULL_NAME


# -- the words ------------------------------------------------------------------------------------------------

MONTHS = (
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
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TITLES = ("mr", "mrs", "ms", "miss", "dr", "mx")
ORDINAL = r"(?:st|nd|rd|th)?"
MONTH_WORD = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

_CALENDAR_WORDS = frozenset(w.casefold() for w in (*MONTHS, *WEEKDAYS))
# Parts of names that identify nobody on their own.
_PARTICLES = frozenset(
    {"de", "da", "di", "del", "la", "le", "van", "von", "der", "den", "mc", "mac", "st", "of", "the", "and"}
    | {*TITLES, "jr", "sr"}
)
# Words that say what kind of school it is, not which school.
SCHOOL_WORDS = frozenset(
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
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_POSTCODE_AT_END = re.compile(POSTCODE.pattern + r"$", re.IGNORECASE)
# A record number shorter than this is compared as written, not on its letters and digits alone:
# three digits with any separators between them would be found in too many texts.
_SHORTEST_RECORD = 4
_TITLE = "(?:(?:" + "|".join(TITLES) + r")\.?\s+)?"
_RECORD_SEPARATORS = r"[\W_]{0,3}"  # any three characters that are not letters or digits


def normal(text: str) -> str:
    """A phrase as the detector compares it: lower case, single spaces, one apostrophe and one dash."""
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")
    return " ".join(text.split()).lower()


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’-]*", text)


def letters_and_digits(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def address_parts(address: str) -> list[str]:
    """The comma- or line-separated parts of an address, trimmed. A postcode written after the town
    with no comma ("Kirkwall KW15 1AB") is split off, so the town is a part of its own too."""
    found: list[str] = []
    for part in (p.strip() for p in re.split(r"[,\n;]", address)):
        if not part:
            continue
        found.append(part)
        postcode = _POSTCODE_AT_END.search(part)
        if postcode is not None and part[: postcode.start()].strip():
            found += [part[: postcode.start()].strip(), postcode.group(0)]
    return found


# -- every written form of one person's identifiers ----------------------------------------------------------


class _Form(msgspec.Struct, frozen=True):
    kind: IdentifierKind
    form: Form
    phrase: str


def name_forms(person: Identifiers) -> Iterator[_Form]:
    """Every name and also-known-as name, whole and each part (the detector finds each after a title too).
    A part that is a month's or a weekday's name is a form only after a title."""
    for name in (*person.names, *person.other_names):
        if not name.strip():
            continue
        yield _Form(IdentifierKind.NAME, Form.FULL_NAME, normal(name))
        for word in words(name):
            for part in dict.fromkeys([normal(word), *normal(word).split("-")]):
                if len(part) < 2 or part in _PARTICLES:
                    continue
                if part not in _CALENDAR_WORDS:
                    yield _Form(IdentifierKind.NAME, Form.NAME_PART, part)
                    continue
                for title in TITLES:
                    yield _Form(IdentifierKind.NAME, Form.NAME_PART, f"{title} {part}")
                    yield _Form(IdentifierKind.NAME, Form.NAME_PART, f"{title}. {part}")


def place_forms(person: Identifiers) -> Iterator[_Form]:
    """Every phrase of a person's addresses, schools and record numbers that identifies them."""
    for address in person.addresses:
        if address.strip():
            yield _Form(IdentifierKind.ADDRESS, Form.ADDRESS, address)
        for part in address_parts(address):
            if POSTCODE.fullmatch(part):
                yield _Form(IdentifierKind.ADDRESS, Form.POSTCODE, part)
            elif len(part.split()) == 1 and not any(c.isdigit() for c in part):
                yield _Form(IdentifierKind.ADDRESS, Form.PLACE, part)
            else:
                yield _Form(IdentifierKind.ADDRESS, Form.ADDRESS, part)
                street = re.sub(r"^\d+[a-z]?\s+", "", part, flags=re.IGNORECASE)
                if street != part:
                    yield _Form(IdentifierKind.ADDRESS, Form.ADDRESS, street)
    for school in person.schools:
        if not school.strip():
            continue
        yield _Form(IdentifierKind.SCHOOL, Form.SCHOOL, school)
        named = words(school)
        # Without the words that say what kind of school it is: "Papdale Primary School" as
        # "Papdale Primary" (and, below, its distinctive word "Papdale"); "St Andrew's" also as "St Andrews".
        for end in range(len(named) - 1, 1, -1):
            if named[end].casefold() not in SCHOOL_WORDS:
                break
            yield _Form(IdentifierKind.SCHOOL, Form.SCHOOL, " ".join(named[:end]))
        for word in named:
            if len(word) >= 3 and word.casefold() not in SCHOOL_WORDS:
                yield _Form(IdentifierKind.SCHOOL, Form.SCHOOL_WORD, word)
                if word.lower().endswith(("'s", "’s")):
                    yield _Form(IdentifierKind.SCHOOL, Form.SCHOOL_WORD, word[:-2] + "s")
    for number in person.record_numbers:
        if number.strip():
            yield _Form(IdentifierKind.RECORD_NUMBER, Form.RECORD_NUMBER, number)


_DATE_START = r"(?<![\w/.\-])"
_DATE_END = r"(?![\w/\-]|\.\d)"
_SEP = r"(?:\s*[/.\-‐–]\s*|\s+)"
_YEAR = r"(?P<year>\d{4}|'?\d{2})"
_NAMED = r"(?P<named>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# Every way a date is commonly written (the day and month of a numeric date may be either way round).
# Each is looked for at every place a date could start, so no reading of one date hides another.
_DATE_FORMS = tuple(
    re.compile(_DATE_START + "(?=(?P<date>" + form + ")" + _DATE_END + ")", re.IGNORECASE)
    for form in (
        rf"(?P<year>\d{{4}}){_SEP}(?P<second>\d{{1,2}}){_SEP}(?P<first>\d{{1,2}})",
        rf"(?P<first>\d{{1,2}}){_SEP}(?P<second>\d{{1,2}}){_SEP}{_YEAR}",
        r"(?P<compact>\d{8}|\d{6})",
        rf"(?P<first>\d{{1,2}}){_SEP}{_NAMED}{_SEP}{_YEAR}",
        rf"(?P<first>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?{_NAMED},?\s+{_YEAR}",
        rf"{_NAMED}\s+(?P<first>\d{{1,2}}){ORDINAL},?\s+{_YEAR}",
    )
)


def written_dates(text: str) -> Iterator[tuple[int, int, tuple[tuple[int, int, str], ...]]]:
    """Every date written in `text`: where it starts and ends, and each (day, month, year) it can be read
    as; the year as written, four digits or two."""
    for pattern in _DATE_FORMS:
        for hit in pattern.finditer(text):
            found = hit.groupdict()
            readings: list[tuple[int, int, str]] = []
            if found.get("compact"):
                digits = found["compact"]
                readings.append((int(digits[:2]), int(digits[2:4]), digits[4:]))
                if len(digits) == 8:
                    readings.append((int(digits[6:]), int(digits[4:6]), digits[:4]))
            else:
                year = found["year"].lstrip("'")
                first = int(found["first"])
                if found.get("named"):
                    readings.append((first, _month_number(found["named"]), year))
                else:
                    second = int(found["second"])
                    readings += [(first, second, year), (second, first, year)]
            yield hit.start("date"), hit.end("date"), tuple(readings)


def _month_number(word: str) -> int:
    return next(i for i, name in enumerate(MONTHS, start=1) if name[:3].casefold() == word[:3].casefold())


# -- the detector ---------------------------------------------------------------------------------------------


class _Entry(msgspec.Struct):
    kind: IdentifierKind
    form: Form
    subjects: set[str]


class Detector:
    """Finds every registered identifier of every person given, in every written form."""

    def __init__(self, people: Sequence[Identifiers]) -> None:
        self.people = tuple(people)
        names: dict[str, _Entry] = {}
        phrases: dict[str, _Entry] = {}
        records: dict[str, _Entry] = {}
        self._births: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for person in self.people:
            for found in name_forms(person):
                _add(names, found.phrase, found, person.subject)
            for found in place_forms(person):
                compact = letters_and_digits(found.phrase)
                by_letters = found.form in (Form.RECORD_NUMBER, Form.POSTCODE)
                if by_letters and len(compact) >= _SHORTEST_RECORD:
                    _add(records, compact, found, person.subject)
                elif normal(found.phrase):
                    _add(phrases, normal(found.phrase), found, person.subject)
            for written in person.dates_of_birth:
                try:
                    born = date.fromisoformat(written.strip())
                except ValueError:
                    # Not a date as recorded: found as written, like a phrase.
                    if normal(written):
                        form = _Form(IdentifierKind.DATE_OF_BIRTH, Form.DATE_OF_BIRTH, written)
                        _add(phrases, normal(written), form, person.subject)
                    continue
                self._births.setdefault((born.day, born.month), []).append((born.year, person.subject))
        self._tables: list[tuple[re.Pattern[str], list[_Entry]]] = []
        if names:
            pattern = r"(?<!\w)" + _TITLE + _trie(names, _phrase_char, r"(?!\w)")
            self._tables.append((re.compile(pattern, re.IGNORECASE), list(names.values())))
        if phrases:
            pattern = r"(?<!\w)" + _trie(phrases, _phrase_char, r"(?!\w)")
            self._tables.append((re.compile(pattern, re.IGNORECASE), list(phrases.values())))
        if records:
            pattern = r"(?<![^\W_])" + _trie(records, _record_char, r"(?![^\W_])")
            self._tables.append((re.compile(pattern, re.IGNORECASE), list(records.values())))

    def find(self, text: str, *, exclude: Iterable[str] = ()) -> list[Match]:
        """Every identifier in `text`: non-overlapping, longest first, in order of where it starts.
        A match whose subjects are all in `exclude` is not reported (the text it covers is theirs)."""
        found: list[Match] = []
        for pattern, entries in self._tables:
            for hit in pattern.finditer(text):
                entry = entries[int((hit.lastgroup or "t0")[1:])]
                found.append(
                    Match(
                        subjects=tuple(sorted(entry.subjects)),
                        kind=entry.kind,
                        form=entry.form,
                        start=hit.start(),
                        end=hit.end(),
                        text=hit.group(0),
                    )
                )
        if self._births:
            found += self._dates_of_birth(text)
        kept = _longest_first(found)
        if exclude:
            excluded = set(exclude)
            kept = [m for m in kept if not excluded.issuperset(m.subjects)]
        return kept

    def _dates_of_birth(self, text: str) -> Iterator[Match]:
        for start, end, readings in written_dates(text):
            born: set[str] = set()
            for day, month, year in readings:
                for registered, subject in self._births.get((day, month), ()):
                    if year == str(registered) or (len(year) == 2 and int(year) == registered % 100):
                        born.add(subject)
            if born:
                yield Match(
                    subjects=tuple(sorted(born)),
                    kind=IdentifierKind.DATE_OF_BIRTH,
                    form=Form.DATE_OF_BIRTH,
                    start=start,
                    end=end,
                    text=text[start:end],
                )

    def subjects_in(self, text: str, *, exclude: Iterable[str] = ()) -> set[str]:
        """Everyone an identifier in `text` could belong to."""
        return {subject for m in self.find(text, exclude=exclude) for subject in m.subjects}

    def kinds_in(self, text: str, *, exclude: Iterable[str] = ()) -> set[IdentifierKind]:
        """Which kinds of registered identifier appear in `text` (never which values)."""
        return {m.kind for m in self.find(text, exclude=exclude)}


def replace_matches(text: str, matches: Sequence[Match], marker: str = "[third party]") -> str:
    """`text` with the words of each match replaced by `marker`."""
    return replace_each(text, matches, lambda _: marker)


def replace_each(text: str, matches: Sequence[Match], replacement: Callable[[Match], str]) -> str:
    """`text` with the words of each match replaced by what `replacement` gives for it."""
    pieces: list[str] = []
    at = 0
    for match in sorted(matches, key=lambda m: m.start):
        if match.start < at:
            continue
        pieces += [text[at : match.start], replacement(match)]
        at = match.end
    pieces.append(text[at:])
    return "".join(pieces)


def _add(table: dict[str, _Entry], key: str, found: _Form, subject: str) -> None:
    entry = table.get(key)
    if entry is None:
        table[key] = _Entry(kind=found.kind, form=found.form, subjects={subject})
    else:
        entry.subjects.add(subject)


def _longest_first(found: Iterable[Match]) -> list[Match]:
    """The longest matches that do not overlap; the same words found as two kinds (a surname that is a
    school's name) are one match of the first kind, naming everyone either could belong to."""
    kept: dict[tuple[int, int], Match] = {}
    starts: list[
        int
    ] = []  # of the kept matches, in order; they never overlap, so their ends are in order too
    ends: list[int] = []
    for match in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        same = kept.get((match.start, match.end))
        if same is not None:
            subjects = tuple(sorted({*same.subjects, *match.subjects}))
            kept[(match.start, match.end)] = msgspec.structs.replace(same, subjects=subjects)
            continue
        at = bisect.bisect_right(starts, match.start)
        if (at and ends[at - 1] > match.start) or (at < len(starts) and starts[at] < match.end):
            continue
        starts.insert(at, match.start)
        ends.insert(at, match.end)
        kept[(match.start, match.end)] = match
    return sorted(kept.values(), key=lambda m: m.start)


def _phrase_char(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char == ",":
        return ",?"  # an address written on one line without its commas, or on several
    if char == "'":
        return "['’‘]"
    if char == "-":
        return "[-‐–]"
    return re.escape(char)


def _record_char(char: str) -> str:
    return _RECORD_SEPARATORS + re.escape(char)


def _trie(keys: dict[str, _Entry], emit: Callable[[str], str], end: str) -> str:
    """One pattern for all `keys`, sharing their prefixes, preferring the longest; the key matched is
    told by the name of the one empty group at its end (`t` and its index in `keys`)."""
    root: dict[str, object] = {}
    for index, key in enumerate(keys):
        node = root
        for char in key:
            child = node.setdefault(char, {})
            assert isinstance(child, dict)
            node = child
        node[""] = index

    def render(node: dict[str, object], first: bool) -> str:
        alternatives: list[str] = []
        for char, child in node.items():
            if char == "":
                continue
            assert isinstance(child, dict)
            step = re.escape(char) if first else emit(char)
            alternatives.append(step + render(child, False))
        if "" in node:
            alternatives.append(f"(?P<t{node['']}>){end}")
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return render(root, True)
