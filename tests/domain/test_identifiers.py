"""The identifier detector: one table of the written forms of every kind of registered identifier."""

from __future__ import annotations

import itertools

import pytest

from domain.governance.identifiers import (
    Detector,
    Form,
    IdentifierKind,
    Identifiers,
    Match,
    replace_matches,
)
from domain.governance.subjects import SubjectCategory

ELLIE = Identifiers(
    subject="S-1",
    category=SubjectCategory.CHILD,
    names=("Ellie Rendall",),
    other_names=("Elle Flett",),
    dates_of_birth=("2012-04-02",),
    addresses=("12 Harbour Street, Kirkwall, KW15 1AB",),
    schools=("Papdale Primary School",),
    record_numbers=("0204124567", "SW-2023-0045"),
)
DAWN = Identifiers(
    subject="S-2",
    category=SubjectCategory.PARENT_CARER,
    names=("Dawn Rendall-Smith",),
    record_numbers=("PS/77/1234",),
    addresses=("12 Harbour Street, Kirkwall, KW15 1AB",),
)
APRIL = Identifiers(
    subject="S-3",
    category=SubjectCategory.PRACTITIONER,
    names=("April O'Neill",),
    schools=("St Andrew's RC Academy",),
)
DETECTOR = Detector([ELLIE, DAWN, APRIL])

# Every written form, as found in a sentence: what the match covers, whose it is, its kind.
FORMS: list[tuple[str, str, tuple[str, ...], IdentifierKind]] = [
    # names: whole, parts, titles, possessive, capitals, spacing, also-known-as
    ("Ellie Rendall", "Ellie Rendall", ("S-1",), IdentifierKind.NAME),
    ("ELLIE  RENDALL", "ELLIE  RENDALL", ("S-1",), IdentifierKind.NAME),
    ("ellie", "ellie", ("S-1",), IdentifierKind.NAME),
    ("Ellie's", "Ellie", ("S-1",), IdentifierKind.NAME),
    ("Ellie’s", "Ellie", ("S-1",), IdentifierKind.NAME),
    ("Miss Rendall", "Miss Rendall", ("S-1", "S-2"), IdentifierKind.NAME),
    ("Mrs. Rendall-Smith", "Mrs. Rendall-Smith", ("S-2",), IdentifierKind.NAME),
    ("Mx Smith", "Mx Smith", ("S-2",), IdentifierKind.NAME),
    ("Dawn Rendall-Smith", "Dawn Rendall-Smith", ("S-2",), IdentifierKind.NAME),
    ("Elle Flett", "Elle Flett", ("S-1",), IdentifierKind.NAME),
    ("FLETT", "FLETT", ("S-1",), IdentifierKind.NAME),
    ("Dr O'Neill", "Dr O'Neill", ("S-3",), IdentifierKind.NAME),
    ("O’Neill", "O’Neill", ("S-3",), IdentifierKind.NAME),
    ("Ms April", "Ms April", ("S-3",), IdentifierKind.NAME),
    ("April O'Neill", "April O'Neill", ("S-3",), IdentifierKind.NAME),
    # dates of birth
    ("2012-04-02", "2012-04-02", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("2012/4/2", "2012/4/2", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("02/04/2012", "02/04/2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("2.4.12", "2.4.12", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("02-04-2012", "02-04-2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("02 04 2012", "02 04 2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("04/02/2012", "04/02/2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("02042012", "02042012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("20120402", "20120402", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("020412", "020412", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("2 April 2012", "2 April 2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("2nd of April 2012", "2nd of April 2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("2nd April '12", "2nd April '12", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("2 APR 12", "2 APR 12", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("02-Apr-2012", "02-Apr-2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("April 2nd, 2012", "April 2nd, 2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    ("Apr. 2 2012", "Apr. 2 2012", ("S-1",), IdentifierKind.DATE_OF_BIRTH),
    # addresses: whole (with or without commas, over lines), parts, street, postcode with or without its space
    (
        "12 Harbour Street, Kirkwall, KW15 1AB",
        "12 Harbour Street, Kirkwall, KW15 1AB",
        ("S-1", "S-2"),
        IdentifierKind.ADDRESS,
    ),
    (
        "12 Harbour Street Kirkwall KW15 1AB",
        "12 Harbour Street Kirkwall KW15 1AB",
        ("S-1", "S-2"),
        IdentifierKind.ADDRESS,
    ),
    (
        "12 Harbour Street,\nKirkwall,\nKW15 1AB",
        "12 Harbour Street,\nKirkwall,\nKW15 1AB",
        ("S-1", "S-2"),
        IdentifierKind.ADDRESS,
    ),
    ("harbour street", "harbour street", ("S-1", "S-2"), IdentifierKind.ADDRESS),
    ("Kirkwall", "Kirkwall", ("S-1", "S-2"), IdentifierKind.ADDRESS),
    ("KW15 1AB", "KW15 1AB", ("S-1", "S-2"), IdentifierKind.ADDRESS),
    ("KW151AB", "KW151AB", ("S-1", "S-2"), IdentifierKind.ADDRESS),
    ("kw15-1ab", "kw15-1ab", ("S-1", "S-2"), IdentifierKind.ADDRESS),
    # schools: whole, without their kind, the distinctive word
    ("Papdale Primary School", "Papdale Primary School", ("S-1",), IdentifierKind.SCHOOL),
    ("Papdale Primary", "Papdale Primary", ("S-1",), IdentifierKind.SCHOOL),
    ("PAPDALE", "PAPDALE", ("S-1",), IdentifierKind.SCHOOL),
    ("St Andrew's", "St Andrew's", ("S-3",), IdentifierKind.SCHOOL),
    ("St Andrews", "Andrews", ("S-3",), IdentifierKind.SCHOOL),
    # record numbers: letters and digits whatever the separators
    ("0204124567", "0204124567", ("S-1",), IdentifierKind.RECORD_NUMBER),
    ("020412 4567", "020412 4567", ("S-1",), IdentifierKind.RECORD_NUMBER),
    ("020-412-4567", "020-412-4567", ("S-1",), IdentifierKind.RECORD_NUMBER),
    ("SW-2023-0045", "SW-2023-0045", ("S-1",), IdentifierKind.RECORD_NUMBER),
    ("SW/2023/0045", "SW/2023/0045", ("S-1",), IdentifierKind.RECORD_NUMBER),
    ("sw 2023.0045", "sw 2023.0045", ("S-1",), IdentifierKind.RECORD_NUMBER),
    ("SW20230045", "SW20230045", ("S-1",), IdentifierKind.RECORD_NUMBER),
    ("PS 77 1234", "PS 77 1234", ("S-2",), IdentifierKind.RECORD_NUMBER),
]


@pytest.mark.parametrize(("written", "matched", "subjects", "kind"), FORMS)
def test_every_written_form_is_found_whose_it_is_and_of_what_kind(
    written: str, matched: str, subjects: tuple[str, ...], kind: IdentifierKind
) -> None:
    text = f"Noted: {written}. End."
    [found] = DETECTOR.find(text)
    assert (found.text, found.subjects, found.kind) == (matched, subjects, kind)
    assert text[found.start : found.end] == matched


@pytest.mark.parametrize(
    "text",
    [
        "Ellieson and Rendallshire are other words.",  # not inside other words
        "On 3 April 2012 and in May the team met.",  # a month that is someone's first name
        "Born 2/4/2013 or 3/4/2012; version 2.4.120.",  # other dates, and a date inside a longer number
        "Reference SW-2023-00456 and 10204124567.",  # a record number inside a longer one
        "The school and the primary academy.",  # the words that say what kind of school
        "Mr and Mrs attended; Dr Smithson too.",
        "KW15 1AC is another postcode.",
    ],
)
def test_what_is_not_a_registered_identifier_is_not_found(text: str) -> None:
    assert DETECTOR.find(text) == []


def test_matches_are_the_longest_do_not_overlap_and_are_in_order() -> None:
    text = "Mrs Dawn Rendall-Smith, mother of Ellie Rendall (CHI 020412 4567, born 02/04/12)."
    found = DETECTOR.find(text)
    assert [(m.text, m.kind, m.form) for m in found] == [
        ("Mrs Dawn Rendall-Smith", IdentifierKind.NAME, Form.FULL_NAME),
        ("Ellie Rendall", IdentifierKind.NAME, Form.FULL_NAME),
        ("020412 4567", IdentifierKind.RECORD_NUMBER, Form.RECORD_NUMBER),
        ("02/04/12", IdentifierKind.DATE_OF_BIRTH, Form.DATE_OF_BIRTH),
    ]
    assert replace_matches(text, found) == (
        "[third party], mother of [third party] (CHI [third party], born [third party])."
    )
    assert replace_matches(text, found, marker="[withheld]").count("[withheld]") == 4


def test_a_match_wholly_of_excluded_subjects_is_not_reported_a_shared_one_is() -> None:
    text = "Ellie Rendall lives with Miss Rendall at 12 Harbour Street."
    assert [m.text for m in DETECTOR.find(text, exclude={"S-1"})] == ["Miss Rendall", "12 Harbour Street"]
    assert DETECTOR.find(text, exclude={"S-1", "S-2"}) == []
    assert DETECTOR.subjects_in(text) == {"S-1", "S-2"}
    assert DETECTOR.subjects_in(text, exclude={"S-2"}) == {"S-1", "S-2"}
    assert DETECTOR.kinds_in("Papdale, 2 Apr 2012") == {IdentifierKind.SCHOOL, IdentifierKind.DATE_OF_BIRTH}
    assert DETECTOR.kinds_in("Papdale", exclude={"S-1"}) == set()


def test_a_match_names_everyone_the_form_could_belong_to() -> None:
    twins = [
        Identifiers(subject="T-1", names=("Skye Flett",), dates_of_birth=("2015-06-01",)),
        Identifiers(subject="T-2", names=("Rory Flett",), dates_of_birth=("2015-06-01",)),
    ]
    found = Detector(twins).find("Flett, born 1 June 2015")
    assert [(m.text, m.subjects) for m in found] == [
        ("Flett", ("T-1", "T-2")),
        ("1 June 2015", ("T-1", "T-2")),
    ]


def test_nobody_registered_finds_nothing_and_a_match_is_a_plain_value() -> None:
    assert Detector([]).find("Ellie Rendall 0204124567") == []
    [found] = DETECTOR.find("Kirkwall")
    assert found == Match(
        subjects=("S-1", "S-2"), kind=IdentifierKind.ADDRESS, start=0, end=8, text="Kirkwall", form=Form.PLACE
    )


def test_a_long_text_keeps_every_match_once_in_order() -> None:
    text = " ".join(["Ellie Rendall met Mrs Rendall-Smith; CHI 020412 4567."] * 2000)
    found = DETECTOR.find(text)
    assert len(found) == 6000
    assert [m.text for m in found[:3]] == ["Ellie Rendall", "Mrs Rendall-Smith", "020412 4567"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
