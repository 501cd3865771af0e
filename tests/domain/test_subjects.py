"""The register of data subjects: a person is registered once, and their identifiers amended by signed steps."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.governance.disposal import PersonalDataDisposed
from domain.governance.subjects import (
    AmendSubjectIdentifiers,
    DataSubject,
    RegisterSubject,
    SubjectCategory,
    SubjectIdentifiersAmended,
    SubjectRegistered,
    current_identifiers,
    subject_stream,
)
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind
from domain.kernel.roles import Acting, Role

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OFFICER = Acting(actor="officer", roles=frozenset({Role.CPC_OFFICER}))
COG = Acting(actor="cog", roles=frozenset({Role.COG}))
STREAM = subject_stream("S-mother")


def _registered() -> tuple[DataSubject, list[DomainEvent]]:
    subject = DataSubject(STREAM)
    subject.execute(
        RegisterSubject(
            subject_id="S-mother",
            category=SubjectCategory.PARENT_CARER,
            name="Dawn Rendall",
            other_names=("Dawn Flett",),
            date_of_birth=date(1994, 6, 3),
            address="12 Harbour Street, Kirkwall, KW15 1AB",
        ),
        OFFICER,
        AT,
    )
    return subject, subject.collect_events()


def _values(items: tuple[object, ...]) -> list[str | None]:
    return [getattr(i, "value", None) for i in items]


def test_a_registration_seals_every_identifier_as_the_subjects_own_data() -> None:
    _, events = _registered()
    (event,) = events
    assert isinstance(event, SubjectRegistered)
    assert [n.value for n in event.other_names] == ["Dawn Flett"]
    assert event.other_names[0].about == ("S-mother",) and event.other_names[0].kind is ItemKind.NAME
    current = current_identifiers(events)
    assert current is not None
    assert _values(current.items()) == [
        "Dawn Rendall",
        "Dawn Flett",
        "1994-06-03",
        "12 Harbour Street, Kirkwall, KW15 1AB",
    ]


def test_an_amendment_replaces_only_the_fields_it_names_and_the_latest_values_hold() -> None:
    subject, events = _registered()
    subject.execute(
        AmendSubjectIdentifiers(
            subject_id="S-mother",
            reason="moved house; her earlier address still identifies her",
            addresses=("4 Victoria Street, Stromness, KW16 3AA", "12 Harbour Street, Kirkwall, KW15 1AB"),
            record_numbers=("SW-77120",),
        ),
        OFFICER,
        AT,
    )
    subject.execute(
        AmendSubjectIdentifiers(
            subject_id="S-mother", reason="known by her maiden name again", name="Dawn Flett"
        ),
        OFFICER,
        AT,
    )
    amended = subject.collect_events()
    assert all(isinstance(e, SubjectIdentifiersAmended) for e in amended)
    first = amended[0]
    assert isinstance(first, SubjectIdentifiersAmended)
    assert first.name is None and first.other_names is None
    assert first.reason.about == ("S-mother",)
    current = current_identifiers([*events, *amended])
    assert current is not None and current.amended == 2
    assert current.name.value == "Dawn Flett"
    assert _values(current.other_names) == ["Dawn Flett"]
    assert _values(current.dates_of_birth) == ["1994-06-03"]
    assert _values(current.addresses) == [
        "4 Victoria Street, Stromness, KW16 3AA",
        "12 Harbour Street, Kirkwall, KW15 1AB",
    ]
    assert _values(current.record_numbers) == ["SW-77120"]


def test_an_empty_list_clears_a_field() -> None:
    subject, events = _registered()
    subject.execute(
        AmendSubjectIdentifiers(
            subject_id="S-mother", reason="other name was recorded in error", other_names=()
        ),
        OFFICER,
        AT,
    )
    current = current_identifiers([*events, *subject.collect_events()])
    assert current is not None and current.other_names == ()


@pytest.mark.parametrize(
    ("command", "field", "rule"),
    [
        (
            AmendSubjectIdentifiers(subject_id="S-mother", reason="   ", name="X"),
            "reason",
            "must not be empty",
        ),
        (AmendSubjectIdentifiers(subject_id="S-mother", reason="r", name=" "), "name", "must not be empty"),
        (AmendSubjectIdentifiers(subject_id="S-mother", reason="r"), "name", "at least one identifier"),
        (
            AmendSubjectIdentifiers(subject_id="S-mother", reason="r", schools=("",)),
            "schools",
            "must not hold an empty value",
        ),
        (AmendSubjectIdentifiers(subject_id="S-other", reason="r", name="X"), "subject_id", "S-mother"),
    ],
)
def test_a_bad_amendment_names_the_field_and_records_nothing(
    command: AmendSubjectIdentifiers, field: str, rule: str
) -> None:
    subject, _ = _registered()
    with pytest.raises(InvalidInput, match=f"{field}.*{rule}"):
        subject.execute(command, OFFICER, AT)
    assert subject.collect_events() == []


def test_only_a_registrar_may_amend_and_only_a_registered_undisposed_subject() -> None:
    subject, _ = _registered()
    change = AmendSubjectIdentifiers(subject_id="S-mother", reason="r", name="Dawn Flett")
    with pytest.raises(NotAuthorised, match="amending a data subject's identifiers"):
        subject.execute(change, COG, AT)
    with pytest.raises(RuleViolation, match="not registered"):
        DataSubject(subject_stream("S-nobody")).execute(change, OFFICER, AT)
    subject.apply(PersonalDataDisposed(rule="retention", authorised_by="ig", at=AT))
    with pytest.raises(RuleViolation, match="disposed of"):
        subject.execute(change, OFFICER, AT)


def test_a_registration_refuses_an_empty_other_name() -> None:
    with pytest.raises(InvalidInput, match=r"other_names.*must not hold an empty value"):
        DataSubject(STREAM).execute(
            RegisterSubject(
                subject_id="S-mother", category=SubjectCategory.PARENT_CARER, name="Dawn", other_names=(" ",)
            ),
            OFFICER,
            AT,
        )


def test_a_stream_without_a_registration_has_no_identifiers() -> None:
    assert current_identifiers([]) is None
