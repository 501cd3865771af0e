"""A narrative item's `about` is widened to the registered people its words name, and who was added is told."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from domain.governance.naming import Unnamed, widen
from domain.kernel.event import ItemKind, Nature, Personal, personal
from domain.kernel.roles import Role
from domain.routes.national.events import FamilyContactRecorded

AT = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


class WordFinder:
    """A stand-in detector: each subject is found by one word."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    def subjects_in(self, text: str, *, exclude: Iterable[str] = ()) -> set[str]:
        left_out = set(exclude)
        return {s for word, s in self.words.items() if word in text and s not in left_out}


FINDER = WordFinder({"Dawn": "S-MOTHER", "Gary": "S-FATHER", "Ellie": "S-CHILD"})


def _contact(views: str, *about: str) -> FamilyContactRecorded:
    return FamilyContactRecorded(
        at=AT,
        role=Role.REVIEWER,
        contacted_on=date(2026, 3, 20),
        family_members=("S-MOTHER",),
        met_by=("S-REVIEWER",),
        views=personal(views, *about, nature=Nature.OPINION, by="S-MOTHER"),
    )


def test_a_family_contacts_views_naming_the_other_parent_count_as_about_him() -> None:
    event = _contact("Gary stopped Ellie going to nursery.")  # `about` left empty by the recorder
    [widened], unnamed = widen([event], FINDER)
    assert isinstance(widened, FamilyContactRecorded)
    assert widened.views.about == ("S-CHILD", "S-FATHER")
    assert widened.views.by == "S-MOTHER"  # whose views they are is not widened away
    assert widened.views.value == event.views.value and widened.views.nature is Nature.OPINION
    assert unnamed == (
        Unnamed(event="national.family-contact-recorded", field="views", subjects=("S-CHILD", "S-FATHER")),
    )


def test_an_item_that_names_everyone_it_mentions_is_left_as_it_is() -> None:
    event = _contact("Dawn says Gary stopped Ellie going to nursery.", "S-CHILD", "S-FATHER")
    [widened], unnamed = widen([event], FINDER)
    assert widened is event and unnamed == ()


def test_only_free_text_is_widened_not_an_identifier_field_or_a_sealed_value() -> None:
    name = FamilyContactRecorded(
        at=AT,
        role=Role.REVIEWER,
        contacted_on=date(2026, 3, 20),
        family_members=("S-MOTHER",),
        met_by=(),
        views=personal("Ellie Dawn Rendall", "S-OTHER", kind=ItemKind.NAME),
    )
    sealed = FamilyContactRecorded(
        at=AT,
        role=Role.REVIEWER,
        contacted_on=date(2026, 3, 20),
        family_members=("S-MOTHER",),
        met_by=(),
        views=Personal(value=None, about=("S-MOTHER",)),
    )
    widened, unnamed = widen([name, sealed], FINDER)
    assert widened == [name, sealed] and unnamed == ()
