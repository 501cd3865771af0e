"""Subject access packs and FOI disclosures on generated families: nobody's data leaks.

Each example registers a made-up child and family (names, dates of birth and addresses drawn at
random), records a notification about them, and answers one parent's request. The pack must
hold the parent's own name and must not hold any other person's name, date of birth or address
(no redaction is released in these cases). An FOI disclosure of the review's decision trail,
whose reasons name the family, must hold no personal data of anyone.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.governance.foi import requests as foi
from adapters.governance.foi.render import render
from adapters.governance.sar import requests as sar
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ApplyExemption, Extent, FoiChannel, ReceiveFoiRequest
from domain.governance.sar.steps import (
    Capacity,
    IdentityCheck,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
    VerifyIdentity,
)
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.routes.national.commands import (
    DecideNotToProceed,
    MakeRecommendation,
    PassToNominatedPerson,
    ReceiveNotification,
)
from domain.routes.national.forms import FamilyMemberDetails, PersonDetails, PractitionerDetails
from domain.routes.national.review import NationalReview
from tests.integration.ig_support import MovableClock, appears_in, demo_store, logging_restored, opened

__all__ = ["logging_restored"]

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store("sqlite", tmp_path_factory.mktemp("sar-generated")) as found:
        yield found


class Person:
    def __init__(self, subject_id: str, name: str, born: date, address: str) -> None:
        self.subject_id, self.name, self.born, self.address = subject_id, name, born, address


# Names no template or heading could contain: a rare two-letter start and random letters.
_word = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=5, max_size=9).map(lambda s: "Zq" + s)
_born = st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31))


@st.composite
def families(draw: st.DrawFn) -> tuple[Person, Person, list[Person]]:
    """A child, the parent who asks, and one to three other family members, all distinct."""
    count = draw(st.integers(min_value=3, max_value=5))
    names = draw(st.lists(_word, min_size=count * 2, max_size=count * 2, unique=True))
    # Distinct dates: the parent's own date of birth is theirs to see, and must not stand for another's.
    born = draw(st.lists(_born, min_size=count, max_size=count, unique=True))
    number = next(_numbers)
    people = [
        Person(
            subject_id=f"S-GEN{number}-{i}",
            name=f"{names[2 * i]} {names[2 * i + 1]}",
            born=born[i],
            address=f"{i + 1} {names[2 * i + 1]} Road",
        )
        for i in range(count)
    ]
    return people[0], people[1], people[2:]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=families())
def test_a_parents_pack_holds_their_own_data_and_no_one_elses(
    store: Settings, tmp_path: Path, family: tuple[Person, Person, list[Person]]
) -> None:
    child, parent, others = family
    number = child.subject_id.split("-")[1]
    review, request = f"LR-{number}", f"SAR-{number}"
    with opened(store, MovableClock()) as app:
        _record(app, review, child, parent, others)
        sar.open_request(
            app,
            request,
            "ig-officer",
            ReceiveSubjectAccessRequest(
                received_on=date(2026, 12, 1),
                channel=RequestChannel.EMAIL,
                requester_id=parent.subject_id,
                subject_id=parent.subject_id,
                capacity=Capacity.DATA_SUBJECT,
                requester_name=parent.name,
                request="Everything you hold about me.",
            ),
        )
        sar.step(
            app,
            request,
            "ig-officer",
            VerifyIdentity(verified_on=date(2026, 12, 1), check=IdentityCheck.KNOWN_TO_SERVICE),
        )
        searched = (
            SearchAnswers(record=review, what="the review"),
            SearchAnswers(record=subject_stream(parent.subject_id), what="the register"),
        )
        sar.step(app, request, "ig-officer", RecordSearch(searched_on=date(2026, 12, 2), records=searched))
        sar.collate_from_index(app, request, "ig-officer", date(2026, 12, 2))
        _, data = sar.render_pack(app, request, "ig-officer", PackFormat.JSON)
    assert appears_in(parent.name, data), "the parent's own name is theirs to receive"
    for other in [child, *others]:
        leaked = [
            kind
            for kind, value in (
                ("name", other.name),
                ("first name", other.name.split()[0]),
                ("date of birth", other.born.isoformat()),
                ("address", other.address),
            )
            if appears_in(value, data)
        ]
        assert leaked == [], f"{other.subject_id}'s {', '.join(leaked)} in the pack"


def _record(app: Application, review: str, child: Person, parent: Person, others: list[Person]) -> None:
    for person, category in [
        (child, SubjectCategory.CHILD),
        (parent, SubjectCategory.PARENT_CARER),
        *[(o, SubjectCategory.FAMILY_MEMBER) for o in others],
    ]:
        app.execute(
            DataSubject,
            subject_stream(person.subject_id),
            "cpc-officer",
            RegisterSubject(
                subject_id=person.subject_id,
                category=category,
                name=person.name,
                date_of_birth=person.born,
                address=person.address,
            ),
        )
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        ReceiveNotification(
            subject_group="child",
            received_on=date(2026, 11, 30),
            subject=PersonDetails(
                subject_id=child.subject_id, name=child.name, date_of_birth=child.born, address=child.address
            ),
            notifier=PractitionerDetails(
                subject_id="S-NOTIFIER", name="Notifying Practitioner", agency="Police"
            ),
            reasons="A significant incident in the family home.",
            family=tuple(
                FamilyMemberDetails(
                    subject_id=p.subject_id,
                    relationship="parent" if p is parent else "relative",
                    name=p.name,
                    date_of_birth=p.born,
                    address=p.address,
                )
                for p in [parent, *others]
            ),
        ),
    )


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=families())
def test_an_foi_disclosure_of_the_decision_trail_names_nobody(
    store: Settings, family: tuple[Person, Person, list[Person]]
) -> None:
    child, parent, others = family
    number = child.subject_id.split("-")[1]
    review, request = f"LR-{number}", f"FOI-{number}"
    everyone = [child, parent, *others]
    about = tuple(p.subject_id for p in everyone)
    with opened(store, MovableClock()) as app:
        _record(app, review, child, parent, others)
        app.execute(
            NationalReview,
            review,
            "cpc-officer",
            PassToNominatedPerson(passed_on=date(2026, 11, 30), nominee="cpc-officer"),
        )
        reasons = f"{child.name} of {child.address}, born {child.born.isoformat()}, lives with {parent.name}."
        recommendation = MakeRecommendation(
            recommendation="not proceed",
            made_on=date(2026, 12, 1),
            reasons=reasons,
            alternative_approach=f"A single-agency review with {parent.name}.",
            about=about,
        )
        app.execute(NationalReview, review, "cpc-officer", recommendation)
        decision = DecideNotToProceed(decided_on=date(2026, 12, 2), basis=reasons, about=about)
        app.execute(NationalReview, review, "cpc-chair", decision)
        foi.open_request(
            app,
            request,
            "ig-officer",
            ReceiveFoiRequest(
                received_on=date(2026, 12, 3),
                channel=FoiChannel.EMAIL,
                requester_id="S-FOI-REQUESTER",
                requester_name="A Journalist",
                address_for_correspondence="desk@example.org",
                information_requested="The decision trail of the review.",
            ),
        )
        foi.identify_parts(app, request, "ig-officer", review, ["decision-trail"])
        exemption = ApplyExemption(
            item_id=f"{review}/decision-trail",
            section=Section.S38_1_B,
            extent=Extent.PART,
            reasons="It would identify the child and the family.",
        )
        foi.step(app, request, "ig-officer", exemption)
        data = render(foi.build_response(app, request, "ig-officer"), PackFormat.JSON)
    assert appears_in("decision whether to proceed", data), "the trail itself is disclosed"
    for person in everyone:
        for value in (person.name, person.name.split()[1], person.born.isoformat(), person.address):
            assert not appears_in(value, data), f"{person.subject_id} named in the disclosure"
