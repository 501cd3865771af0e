"""Retention and disposal, told as the records manager does it: one suite, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.application import Application
from adapters.verification import verify_ledger
from domain.errors import NotAuthorised
from domain.roles import Role
from domain.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream

NAME = "Jamie Quarrelwood"


def _register(app: Application, subject_id: str, name: str = NAME) -> None:
    app.execute(
        DataSubject,
        subject_stream(subject_id),
        "officer",
        RegisterSubject(
            subject_id=subject_id,
            category=SubjectCategory.NOTIFIER,
            name=name,
            date_of_birth=date(1980, 2, 1),
        ),
    )


@pytest.fixture
def people(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.register_person("admin", "records", "Ingrid Sutherland", (Role.RECORDS_MANAGER,))
    app.register_person("admin", "ig", "Niamh Doherty", (Role.IG_OFFICER,))
    return app


def test_only_the_records_manager_or_an_ig_officer_may_authorise_a_disposal(people: Application) -> None:
    _register(people, "S-1")
    stream = subject_stream("S-1")
    for actor in ("admin", "officer"):
        before = people.ledger.stream_version(stream)
        with pytest.raises(
            NotAuthorised,
            match=rf"^{stream}: authorising a disposal can only be recorded by the records manager or an "
            rf"information-governance officer; {actor} does not hold that role$",
        ):
            people.dispose(stream, "retention: test", actor)
        assert people.ledger.stream_version(stream) == before
        [recorded] = people.ledger.read(stream, unseal=True)
        assert recorded.disposed is None and recorded.event.name.value == NAME  # type: ignore[attr-defined]
    people.dispose(stream, "retention: test", "records")
    recorded, _disposal = people.ledger.read(stream, unseal=True)
    assert recorded.disposed is not None and recorded.disposed.authorised_by == "records"
    assert verify_ledger(people.ledger).intact
