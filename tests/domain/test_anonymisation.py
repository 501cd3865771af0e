"""Anonymisation as pure text: pseudonyms, coarsened dates, generic places, and the residual-risk check."""

from __future__ import annotations

import pytest

from domain.governance.anonymisation import (
    Anonymiser,
    DateStyle,
    IdentifierKind,
    Identifiers,
    Pseudonyms,
    ResidualRiskFound,
    check_residual_risk,
    coarsen_dates,
    identifiers_found,
)
from domain.governance.subjects import SubjectCategory

PEOPLE = (
    Identifiers(
        subject="S-1",
        category=SubjectCategory.CHILD,
        names=("Ellie Rendall",),
        dates_of_birth=("2022-04-02",),
        addresses=("12 Harbour Street, Kirkwall, KW15 1AB",),
        schools=("Papdale Primary School",),
        record_numbers=("SW-004512",),
    ),
    Identifiers(subject="S-2", category=SubjectCategory.PARENT_CARER, names=("Dawn Rendall",)),
    Identifiers(subject="S-3", category=SubjectCategory.PRACTITIONER, names=("April O'Neill",)),
)


def _anonymiser(style: DateStyle = DateStyle.MONTH) -> Anonymiser:
    return Anonymiser(PEOPLE, Pseudonyms({p.subject: p.category for p in PEOPLE}), dates=style)


def test_pseudonyms_go_by_category_and_the_order_people_are_met() -> None:
    pseudonyms = Pseudonyms(
        {"c1": SubjectCategory.CHILD, "c2": SubjectCategory.CHILD, "p": SubjectCategory.PARENT_CARER}
    )
    assert [pseudonyms.of(s) for s in ("p", "c2", "c1", "c2", "x")] == [
        "Parent 1",
        "Child A",
        "Child B",
        "Child A",
        "Person 1",
    ]
    many = Pseudonyms({f"c{i}": SubjectCategory.CHILD for i in range(28)})
    assert [many.of(f"c{i}") for i in range(28)][25:] == ["Child Z", "Child AA", "Child AB"]


def test_every_name_and_name_part_is_replaced_whole_words_any_case_longest_first() -> None:
    text = "ELLIE RENDALL met ellie's mother, Dawn  Rendall; the Rendall family. Ellieson is not Ellie."
    assert _anonymiser().text(text) == (
        "Child A met Child A's mother, Parent 1; the [name] family. Ellieson is not Child A."
    )


def test_a_given_name_that_is_a_month_is_left_to_the_full_name_so_dates_survive() -> None:
    assert _anonymiser().text("April O'Neill visited on 3 April 2025; O'Neill wrote in April.") == (
        "Practitioner 1 visited in April 2025; Practitioner 1 wrote in April."
    )


@pytest.mark.parametrize(
    "written",
    ["2022-04-02", "02/04/2022", "2/4/22", "2.4.2022", "2 April 2022", "2nd of April 2022", "Apr. 2, 2022"],
)
def test_a_date_of_birth_in_any_common_form_is_removed_and_found(written: str) -> None:
    assert identifiers_found(f"born {written}.", PEOPLE) == {IdentifierKind.DATE_OF_BIRTH}
    assert _anonymiser().text(f"born {written}.") == "born [date of birth]."


@pytest.mark.parametrize(
    ("text", "month", "season"),
    [
        ("On Sunday 14th December 2025 she", "In December 2025 she", "In winter 2025 she"),
        ("seen on 2025-05-06T09:30:00Z", "seen in May 2025", "seen in spring 2025"),
        ("by 6/5/2025 and 6.5.25", "by May 2025 and May 2025", "by spring 2025 and spring 2025"),
        ("from March 3, 2025 to 3 March", "from March 2025 to March", "from spring 2025 to spring"),
        ("in May 2025 may 5 people", "in May 2025 may 5 people", "in spring 2025 may 5 people"),
        ("version 1.2.3 and 3/4", "version 1.2.3 and 3/4", "version 1.2.3 and 3/4"),
    ],
)
def test_dates_are_coarsened_to_the_month_or_the_season(text: str, month: str, season: str) -> None:
    assert coarsen_dates(text, DateStyle.MONTH) == month
    assert coarsen_dates(text, DateStyle.SEASON) == season


def test_places_become_generic_words() -> None:
    # The whole address, though written without the comma before its postcode.
    text = "She lived at 12 Harbour Street, Kirkwall KW15 1AB (file SW-004512) and went to Papdale Primary School."
    assert _anonymiser().text(text) == "She lived at [address] (file [record number]) and went to a school."
    assert _anonymiser().text("From Kirkwall, KW15 1AB, to 12 Harbour Street.") == (
        "From [place], [postcode], to [address]."
    )
    assert _anonymiser().text("Another postcode, ZE1 0AA, is generic too.") == (
        "Another postcode, [postcode], is generic too."
    )


def test_the_check_names_each_kind_found_in_a_fixed_order_never_a_value() -> None:
    leak = "Papdale Primary School, SW-004512, Dawn Rendall, 2/4/2022, 12 Harbour Street"
    with pytest.raises(
        ResidualRiskFound,
        match=r"^LR-1: the publication still contains a registered name, date of birth, address, school and record "
        r"number of a data subject; it was not written \(DOMAIN.md §7",
    ) as refused:
        check_residual_risk([leak], PEOPLE, where="LR-1", consequence="it was not written")
    for value in ("Papdale", "SW-004512", "Dawn", "2/4/2022", "Harbour"):
        assert value not in str(refused.value)
    check_residual_risk([_anonymiser().text(leak)], PEOPLE, where="LR-1", consequence="it was not written")


def test_a_town_written_before_its_postcode_without_a_comma_is_a_place_of_its_own() -> None:
    people = (
        Identifiers(
            subject="S-4", names=("Rowan Isbister",), addresses=("7 Quarry Road, Stromness KW16 3AA",)
        ),
    )
    anonymiser = Anonymiser(people, Pseudonyms({"S-4": SubjectCategory.CHILD}))
    assert anonymiser.text("The family moved to Stromness, then to KW16 3AA.") == (
        "The family moved to [place], then to [postcode]."
    )
    assert identifiers_found("The family moved to Stromness.", people) == {IdentifierKind.ADDRESS}


@pytest.mark.parametrize(
    ("leak", "kind"),
    [
        ("Harbour Street", IdentifierKind.ADDRESS),
        ("KW151AB", IdentifierKind.ADDRESS),
        ("Papdale", IdentifierKind.SCHOOL),
    ],
)
def test_the_check_looks_for_every_place_the_anonymiser_removes(leak: str, kind: IdentifierKind) -> None:
    # A street without its number, a postcode without its space, the word that names a school.
    assert identifiers_found(f"She lived near {leak}.", PEOPLE) == {kind}
    assert identifiers_found(_anonymiser().text(f"She lived near {leak}."), PEOPLE) == set()


@pytest.mark.parametrize("written", ["02-Apr-2022", "2-Apr-22", "02/APR/2022"])
def test_a_date_of_birth_with_the_month_s_short_name_between_dashes_is_removed_and_found(
    written: str,
) -> None:
    assert identifiers_found(f"born {written}.", PEOPLE) == {IdentifierKind.DATE_OF_BIRTH}
    assert _anonymiser().text(f"born {written}.") == "born [date of birth]."


def test_a_date_with_the_month_s_short_name_between_dashes_is_coarsened() -> None:
    assert coarsen_dates("seen 14-Dec-2025 and 3-Mar-26") == "seen December 2025 and March 2026"
    assert coarsen_dates("seen 14-Dec-2025", DateStyle.SEASON) == "seen winter 2025"


def test_a_numbered_pseudonym_followed_by_a_month_keeps_its_number() -> None:
    text = "Home visit by Dawn Rendall\nJune 2025: letter to Dawn Rendall May 2025."
    assert _anonymiser().text(text) == "Home visit by Parent 1\nJune 2025: letter to Parent 1 May 2025."
