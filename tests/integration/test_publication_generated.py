"""The publication view on generated reports: nobody is identified, and a leak put back is found.

Each example registers a made-up child, family and two practitioners (names, dates of birth,
addresses, a school and record numbers drawn at random) and takes a National Learning Review
from its notification to a drafted report. The report's chronology names them the ways a
report does: a full name, a first name, a surname alone or after a title, in capitals; a date
of birth in one of the forms it is commonly written; an address whole or in part; the school;
the record number. Rendered as HTML and as JSON, each file is written, passes the residual-risk
check, holds none of those identifiers in any form looked for here, and calls each person by
one pseudonym throughout. One identifier put back into the file makes the check fail, naming
its kind and never its value.
"""

from __future__ import annotations

import calendar
import html
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.governance.document_kinds import pdf_texts
from adapters.governance.publication import OutputFormat, check_file, render_publication
from audit.envelope import sha256
from domain.governance.anonymisation import ResidualRiskFound
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.event import Nature
from domain.routes.national.commands import (
    AppointTeamMember,
    DecideToProceed,
    DraftReportVersion,
    MakeRecommendation,
    PassToNominatedPerson,
    ReceiveNotification,
)
from domain.routes.national.forms import (
    FamilyMemberDetails,
    PersonDetails,
    PractitionerDetails,
    SectionInput,
    SectionKind,
    StrategyInput,
    TeamRole,
)
from domain.routes.national.review import NationalReview
from tests.integration.ig_support import MovableClock, demo_store, logging_restored, opened

__all__ = ["logging_restored"]

_numbers = itertools.count(1)
_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_MONTHS = tuple(calendar.month_name)[1:]
_WEEKDAYS = tuple(calendar.day_name)
_CHECKED = "no registered identifier of any data subject was found"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store("sqlite", tmp_path_factory.mktemp("publication-generated")) as found:
        yield found


# -- the people of one example ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    number: int
    street: str  # "Zq... Road"
    town: str
    postcode: str
    comma_before_postcode: bool

    @property
    def written(self) -> str:
        return f"{self.number} {self.street}, {self.town}{',' if self.comma_before_postcode else ''} {self.postcode}"

    def forms(self) -> tuple[str, ...]:
        """The address whole, its street with and without the number, its town, its postcode."""
        return (
            self.written,
            f"{self.number} {self.street}",
            self.street,
            self.town,
            self.postcode,
            self.postcode.replace(" ", ""),
        )


@dataclass(frozen=True)
class School:
    word: str  # the word that says which school
    kind: str  # "Primary School", "Academy", ...

    @property
    def name(self) -> str:
        return f"{self.word} {self.kind}"


@dataclass(frozen=True)
class Person:
    subject_id: str
    category: SubjectCategory
    first: str
    surname: str
    born: date | None = None
    address: Address | None = None
    school: School | None = None
    record_number: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first} {self.surname}"

    def identifiers(self) -> dict[str, tuple[str, ...]]:
        """Every identifier of this person in the forms a reader would search for, by kind."""
        found: dict[str, tuple[str, ...]] = {"name": (self.name, self.first, self.surname, self.name.upper())}
        if self.born is not None:
            found["date of birth"] = written_dates(self.born)
        if self.address is not None:
            found["address"] = self.address.forms()
        if self.school is not None:
            found["school"] = (self.school.name, self.school.word)
        if self.record_number is not None:
            found["record number"] = (self.record_number, self.record_number.lower())
        return found


def _ordinal(day: int) -> str:
    return f"{day}{'th' if 11 <= day <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def written_dates(born: date) -> tuple[str, ...]:
    """A date the ways a report, a form or a case system writes it, day first and month first."""
    d, m, y = born.day, born.month, born.year
    month = _MONTHS[m - 1]
    short = month[:3]
    return (
        born.isoformat(),
        f"{d:02d}/{m:02d}/{y}",
        f"{d}/{m}/{y}",
        f"{d:02d}.{m:02d}.{y}",
        f"{d:02d}-{m:02d}-{y}",
        f"{d:02d}/{m:02d}/{y % 100:02d}",
        f"{m:02d}/{d:02d}/{y}",
        f"{d} {month} {y}",
        f"{_ordinal(d)} {month} {y}",
        f"{_ordinal(d)} of {month} {y}",
        f"{month} {d}, {y}",
        f"{month} {_ordinal(d)} {y}",
        f"{d} {short} {y}",
        f"{d} {short}. {y}",
        f"{_WEEKDAYS[born.weekday()]} {d} {month} {y}",
        f"{d:02d}-{short}-{y}",
        f"{d}-{short}-{y % 100:02d}",
    )


# -- what the report says -------------------------------------------------------------------------------

#: How a report names a person: "Zqa Zqb", "Zqa", "Zqb", "Mrs Zqb", "ZQA ZQB", "Zqa  Zqb".
_NAME_FORMS = ("full", "first", "surname", "title", "capitals", "spaced")


@dataclass(frozen=True)
class Line:
    """One chronology entry: "14 June 2025: home visit by Zq... Zq..."."""

    period: str  # as written
    month: str  # as published: "June 2025"
    words: str  # what happened: "home visit by"
    written: str  # the identifier, as written
    person: Person
    form: str  # for a name: one of _NAME_FORMS; else the kind of identifier
    expected: str  # for a place, a date or a record: the generic words put in its place

    @property
    def text(self) -> str:
        return f"{self.period}: {self.words} {self.written}"


@dataclass(frozen=True)
class Case:
    number: int
    people: tuple[Person, ...]
    circumstances: tuple[Line, ...]
    learning: tuple[Line, ...]
    case_for_change: tuple[Line, ...]
    leak_kind: str
    leak: str
    leak_format: OutputFormat

    @property
    def review(self) -> str:
        return f"LR-PUB{self.number}"

    @property
    def child(self) -> Person:
        return self.people[0]

    @property
    def practitioner(self) -> Person:
        [found] = [p for p in self.people if p.category is SubjectCategory.PRACTITIONER]
        return found

    @property
    def notifier(self) -> Person:
        [found] = [p for p in self.people if p.category is SubjectCategory.NOTIFIER]
        return found

    @property
    def family(self) -> tuple[Person, ...]:
        return tuple(
            p
            for p in self.people[1:]
            if p.category not in (SubjectCategory.PRACTITIONER, SubjectCategory.NOTIFIER)
        )

    def shares_surname(self, person: Person) -> bool:
        return sum(p.surname == person.surname for p in self.people) > 1


def _code(number: int) -> str:
    """The example's number as three consonants: no word of one example is part of another's."""
    letters = ""
    for _ in range(3):
        number, rest = divmod(number, len(_CONSONANTS))
        letters = _CONSONANTS[rest] + letters
    return letters


# Words no template, heading or demo record could contain: a rare two-letter start, consonants, and
# the example's own code after an "o".
_stem = st.text(alphabet=_CONSONANTS, min_size=1, max_size=6)
_postcode = st.builds(
    lambda area, district, sector, unit: f"{area}{district} {sector}{unit}",
    st.sampled_from(["ZQ", "QX", "XZ"]),
    st.integers(min_value=1, max_value=99),
    st.integers(min_value=0, max_value=9),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)
_record_number = st.builds(
    lambda prefix, digits: f"{prefix}{digits:06d}",
    st.sampled_from(["SW-", "CF/", "SWR"]),
    st.integers(min_value=0, max_value=999_999),
)
_BORN = {
    SubjectCategory.CHILD: (date(2008, 1, 1), date(2024, 12, 31)),
    SubjectCategory.SIBLING: (date(2000, 1, 1), date(2024, 12, 31)),
    SubjectCategory.PARENT_CARER: (date(1960, 1, 1), date(2002, 12, 31)),
    SubjectCategory.FAMILY_MEMBER: (date(1940, 1, 1), date(1995, 12, 31)),
}
_NAME_WORDS = ("home visit by", "telephone call with", "letter sent to", "concern raised about", "seen by")
_PLACE_WORDS = {
    "date of birth": "date of birth recorded as",
    "address": "the family was living at",
    "school": "attendance fell at",
    "record number": "case file",
}


@st.composite
def cases(draw: st.DrawFn) -> Case:
    number = next(_numbers)
    code = _code(number)
    stems = iter(draw(st.lists(_stem, min_size=40, max_size=40, unique=True)))

    def word() -> str:
        return f"Zq{next(stems)}o{code}"

    def born(category: SubjectCategory) -> date:
        low, high = _BORN[category]
        return draw(st.dates(min_value=low, max_value=high))

    def address() -> Address:
        return Address(
            number=draw(st.integers(min_value=1, max_value=250)),
            street=f"{word()} {draw(st.sampled_from(['Road', 'Street', 'Lane', 'Crescent']))}",
            town=word(),
            postcode=draw(_postcode),
            comma_before_postcode=draw(st.booleans()),
        )

    surname, home = word(), address()
    school = School(word(), draw(st.sampled_from(["Primary School", "Academy", "High School", "Primary"])))
    people = [
        Person(
            f"S-PUB{number}-CHILD",
            SubjectCategory.CHILD,
            word(),
            surname,
            born(SubjectCategory.CHILD),
            home,
            school,
            draw(_record_number),
        )
    ]
    for category, most in (
        (SubjectCategory.PARENT_CARER, 2),
        (SubjectCategory.SIBLING, 2),
        (SubjectCategory.FAMILY_MEMBER, 1),
    ):
        low = 1 if category is SubjectCategory.PARENT_CARER else 0
        for i in range(draw(st.integers(min_value=low, max_value=most))):
            people.append(
                Person(
                    f"S-PUB{number}-{category.name.replace('_', '-')}-{i + 1}",
                    category,
                    word(),
                    surname if draw(st.booleans()) else word(),
                    born(category),
                    home if draw(st.booleans()) else address(),
                    school if category is SubjectCategory.SIBLING and draw(st.booleans()) else None,
                    draw(st.none() | _record_number),
                )
            )
    people += [
        Person(f"S-PUB{number}-PRACTITIONER", SubjectCategory.PRACTITIONER, word(), word()),
        Person(f"S-PUB{number}-NOTIFIER", SubjectCategory.NOTIFIER, word(), word()),
    ]

    def period() -> tuple[str, str]:
        month, day = (
            draw(st.integers(min_value=1, max_value=12)),
            draw(st.integers(min_value=1, max_value=28)),
        )
        name = _MONTHS[month - 1]
        written = draw(
            st.sampled_from(
                [
                    f"{name} 2025",
                    f"{day} {name} 2025",
                    f"{day:02d}/{month:02d}/2025",
                    f"{day:02d}-{name[:3]}-2025",
                ]
            )
        )
        return written, f"{name} 2025"

    def named(person: Person, form: str) -> Line:
        title = draw(st.sampled_from(["Mr", "Mrs", "Ms", "Dr"]))
        written = {
            "full": person.name,
            "first": person.first,
            "surname": person.surname,
            "title": f"{title} {person.surname}",  # the title goes with the name it is before
            "capitals": person.name.upper(),
            "spaced": f"{person.first}  {person.surname}",
        }[form]
        when, month = period()
        return Line(when, month, draw(st.sampled_from(_NAME_WORDS)), written, person, form, "")

    def placed(person: Person, kind: str) -> Line:
        written, expected = draw(st.sampled_from(_placed_forms(person, kind)))
        when, month = period()
        return Line(when, month, _PLACE_WORDS[kind], written, person, kind, expected)

    lines: list[Line] = []
    for person in people:
        # Each person is first named in a way that says who they are, then perhaps again in any way.
        lines.append(named(person, draw(st.sampled_from(["full", "first", "capitals", "spaced"]))))
        for form in draw(st.lists(st.sampled_from(_NAME_FORMS), max_size=2)):
            lines.append(named(person, form))
        for kind in [kind for kind in person.identifiers() if kind != "name"]:
            if draw(st.integers(min_value=0, max_value=3)):
                lines.append(placed(person, kind))
    lines = draw(st.permutations(lines))
    places = [draw(st.integers(min_value=0, max_value=2)) for _ in lines]

    # The leak put back into a file: any form of any registered identifier of anyone.
    leak_kind = draw(st.sampled_from(["name", "date of birth", "address", "school", "record number"]))
    whose = draw(st.sampled_from([p for p in people if leak_kind in p.identifiers()]))
    return Case(
        number=number,
        people=tuple(people),
        circumstances=tuple(line for line, place in zip(lines, places, strict=True) if place == 0),
        learning=tuple(line for line, place in zip(lines, places, strict=True) if place == 1),
        case_for_change=tuple(line for line, place in zip(lines, places, strict=True) if place == 2),
        leak_kind=leak_kind,
        leak=draw(st.sampled_from(whose.identifiers()[leak_kind])),
        # A leak is planted by editing the text of a page or of data (the PDF's check is tested apart).
        leak_format=draw(st.sampled_from((OutputFormat.HTML, OutputFormat.JSON))),
    )


def _placed_forms(person: Person, kind: str) -> list[tuple[str, str]]:
    """How a report may write a place, a date of birth or a record, and what is published instead."""
    if kind == "date of birth":
        assert person.born is not None
        return [(form, "[date of birth]") for form in written_dates(person.born)]
    if kind == "address":
        assert person.address is not None
        a = person.address
        return [
            (a.written, "[address]"),
            (f"{a.number} {a.street}", "[address]"),
            (a.street, "[address]"),
            (a.town, "[place]"),
            (a.postcode, "[postcode]"),
            (a.postcode.replace(" ", ""), "[postcode]"),
        ]
    if kind == "school":
        assert person.school is not None
        return [(person.school.name, "a school"), (person.school.word, "[place]")]
    assert person.record_number is not None
    return [(person.record_number, "[record number]")]


# -- the review, through the real commands ---------------------------------------------------------------


def _record(app: Application, case: Case) -> None:
    """The people are registered; the review is notified, proceeds, and its Reviewer drafts the report."""
    for person in case.people:
        app.execute(
            DataSubject,
            subject_stream(person.subject_id),
            "cpc-officer",
            RegisterSubject(
                subject_id=person.subject_id,
                category=person.category,
                name=person.name,
                date_of_birth=person.born,
                address=person.address.written if person.address else None,
                school=person.school.name if person.school else None,
                record_number=person.record_number,
            ),
        )
    child, review = case.child, case.review
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        ReceiveNotification(
            subject_group="child",
            received_on=date(2026, 11, 30),
            subject=PersonDetails(
                subject_id=child.subject_id,
                name=child.name,
                date_of_birth=child.born,
                address=child.address.written if child.address else None,
                school=child.school.name if child.school else None,
                record_number=child.record_number,
            ),
            notifier=PractitionerDetails(
                subject_id=case.notifier.subject_id, name=case.notifier.name, agency="Police"
            ),
            reasons=f"{child.name} was admitted to hospital after a long period of neglect at home.",
            family=tuple(
                FamilyMemberDetails(
                    subject_id=p.subject_id,
                    relationship=p.category.value.replace("_", " "),
                    name=p.name,
                    date_of_birth=p.born,
                    address=p.address.written if p.address else None,
                )
                for p in case.family
            ),
        ),
    )
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        PassToNominatedPerson(passed_on=date(2026, 11, 30), nominee="cpc-officer"),
    )
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        MakeRecommendation(
            recommendation="proceed",
            made_on=date(2026, 12, 1),
            reasons="Learning for several agencies.",
            proposed_terms_of_reference="Multi-agency practice in the year before the admission.",
        ),
    )
    app.execute(
        NationalReview,
        review,
        "cpc-chair",
        DecideToProceed(decided_on=date(2026, 12, 2), basis="The criteria are met."),
    )
    # The Reviewer drafts and renders the report because they are appointed to the review's team.
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        AppointTeamMember(
            member=PractitionerDetails(subject_id="S-REVIEWER", name="Quillon Varga", agency="independent"),
            team_role=TeamRole.REVIEWER,
            appointed_on=date(2026, 12, 2),
            direct_involvement=False,
            declaration="No involvement with the family.",
            actor_id="reviewer",
        ),
    )
    family = tuple(p.subject_id for p in (child, *case.family))
    app.execute(
        NationalReview,
        review,
        "reviewer",
        DraftReportVersion(
            drafted_on=date(2026, 12, 3),
            sections=(
                SectionInput(
                    heading=SectionKind.CONDUCT, text="Chronologies from each agency and a family meeting."
                ),
                SectionInput(heading=SectionKind.CIRCUMSTANCES, text=_text(case.circumstances), about=family),
                SectionInput(
                    heading=SectionKind.LEARNING,
                    text=_text(case.learning),
                    about=family,
                    nature=Nature.OPINION,
                    by=case.practitioner.subject_id,
                ),
                SectionInput(
                    heading=SectionKind.PERSONAL_DETAILS,
                    text=f"{child.name}, born {child.born}, of {child.address.written if child.address else ''}.",
                    about=(child.subject_id,),
                ),
            ),
            strategies=(
                StrategyInput(
                    case_for_change=_text(case.case_for_change),
                    learning="Home conditions are shared at every core group.",
                    evidence="Three agencies recorded the same concern within one month.",
                    responsible="Child Protection Committee",
                    review="Audit of core group minutes after six months.",
                ),
            ),
        ),
    )


_NOTHING = "No single agency saw the whole picture."


def _text(lines: tuple[Line, ...]) -> str:
    return "\n".join(line.text for line in lines) or _NOTHING


# -- what a reader of the published file finds ----------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _leaked(data: bytes, case: Case) -> list[str]:
    """Every identifier of anyone in the case found in the file, in any form and any case."""
    # A PDF is read as its reader sees it: its text layer, metadata and attachments' names.
    written = " ".join(pdf_texts(data)) if data.startswith(b"%PDF-") else data.decode("utf-8")
    text = _normal(html.unescape(written))
    return [
        f"{person.subject_id}'s {kind} ({form})"
        for person in case.people
        for kind, forms in person.identifiers().items()
        for form in forms
        if _normal(form) in text
    ]


_LABELS = {
    SubjectCategory.CHILD: (r"Child [A-Z]+", "child"),
    SubjectCategory.PARENT_CARER: (r"Parent \d+", "parent or carer"),
    SubjectCategory.SIBLING: (r"Sibling \d+", "sibling"),
    SubjectCategory.FAMILY_MEMBER: (r"Family member \d+", "family member"),
    SubjectCategory.PRACTITIONER: (r"Practitioner \d+", "practitioner"),
    SubjectCategory.NOTIFIER: (r"Notifier \d+", "notifier"),
}


def _pseudonyms(published: dict[str, Any], case: Case) -> dict[str, str]:
    """Whom each line of the published chronology names, checked to be one pseudonym per person."""
    sections = {s["heading"]: s for s in published["sections"]}
    texts = (
        (case.circumstances, sections["Circumstances that led to the review"]["text"]),
        (case.learning, sections["Learning and the evidence for it"]["text"]),
        (case.case_for_change, published["strategies"][0]["case_for_change"]),
    )
    given: dict[str, str] = {}
    for lines, text in texts:
        if not lines:
            assert text == _NOTHING
            continue
        shown = text.split("\n")
        assert len(shown) == len(lines), f"a chronology entry was lost or split: {text!r}"
        for line, out in zip(lines, shown, strict=True):
            start = f"{line.month}: {line.words} "
            assert out.startswith(start), f"{out!r} should start {start!r}"
            rest = out[len(start) :]
            if line.form not in _NAME_FORMS:
                assert rest == line.expected or rest.endswith(f" {line.expected}"), (line.text, out)
                continue
            if line.form in ("surname", "title") and case.shares_surname(line.person):
                # A surname several people share cannot say who is meant.
                assert rest == "[name]", (line.text, out)
                continue
            assert given.setdefault(line.person.subject_id, rest) == rest, (
                f"{line.person.subject_id} is both {given[line.person.subject_id]!r} and {rest!r}"
            )
    return given


# -- the property ---------------------------------------------------------------------------------------


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_a_generated_report_is_published_naming_nobody_and_a_leak_put_back_is_found(
    store: Settings, tmp_path: Path, case: Case
) -> None:
    with opened(store, MovableClock()) as app:
        # The family is registered, the review proceeds and the Reviewer drafts the report.
        _record(app, case)
        # The Reviewer renders it for publication as a page and as data: each file is written, passes
        # the residual-risk check, and holds no identifier of anyone in any form a reader would try.
        files: dict[OutputFormat, bytes] = {}
        for output in OutputFormat:
            out = tmp_path / f"{case.review}.{output.value}"
            written = render_publication(app, case.review, "reviewer", out=out, output=output)
            files[output] = out.read_bytes()
            assert written.path == str(out) and written.sha256 == sha256(files[output]).hex()
            assert written.subjects_checked >= len(case.people)
            assert _leaked(files[output], case) == []
            assert check_file(app, out, "ig-officer").result == _CHECKED

        # Each person is called by one pseudonym of their category, in every section and both files.
        published = json.loads(files[OutputFormat.JSON])
        given = _pseudonyms(published, case)
        assert sorted(given) == sorted(p.subject_id for p in case.people), "everyone is named once at least"
        assert len(set(given.values())) == len(given), f"two people share a pseudonym: {given}"
        assert given[case.child.subject_id] == "Child A"
        roles = {p["pseudonym"]: p["role"] for p in published["people"]}
        assert set(roles) == set(given.values())
        for person in case.people:
            label, role = _LABELS[person.category]
            assert re.fullmatch(label, given[person.subject_id]) and roles[given[person.subject_id]] == role
        sections = {s["heading"]: s for s in published["sections"]}
        assert (
            sections["Learning and the evidence for it"]["opinion_of"] == given[case.practitioner.subject_id]
        )
        assert sections["Personal details that cannot be avoided"]["note"] == "withheld from publication"
        page = files[OutputFormat.HTML].decode("utf-8")
        for section in published["sections"]:
            if section["text"] is not None:
                assert f"<p>{html.escape(section['text'])}</p>" in page
        assert f"<dd>{html.escape(published['strategies'][0]['case_for_change'])}</dd>" in page

        # An IG officer checks a copy with one identifier put back: the check names its kind, never its value.
        planted = tmp_path / f"{case.review}-planted.{case.leak_format.value}"
        original = files[case.leak_format].decode("utf-8")
        assert original.count("Chronologies") == 1
        planted.write_text(original.replace("Chronologies", f"Chronologies ({case.leak})"), encoding="utf-8")
        with pytest.raises(
            ResidualRiskFound,
            match=rf"^{re.escape(planted.name)}: the publication still contains a registered {case.leak_kind} of a "
            r"data subject; it must not be published \(DOMAIN.md §7",
        ) as refused:
            check_file(app, planted, "ig-officer")
        assert [k.value for k in refused.value.kinds] == [case.leak_kind]
        assert _normal(case.leak) not in _normal(str(refused.value))
