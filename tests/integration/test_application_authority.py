"""The application obeys the authorisation table and the version a person acted on, on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.app.application import Application
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import ConcurrentChange, NotAuthorised
from domain.kernel.roles import Role


def _subject(subject_id: str) -> RegisterSubject:
    return RegisterSubject(
        subject_id=subject_id,
        category=SubjectCategory.CHILD,
        name="Jamie Quarrelwood",
        date_of_birth=date(2014, 7, 19),
    )


def test_a_person_outside_the_table_is_refused_before_the_record_is_read_and_nothing_is_written(
    app: Application,
) -> None:
    app.register_person("admin", "cog-chair", "Euan Rendall", (Role.COG,))
    stream = subject_stream("S-1")
    with pytest.raises(
        NotAuthorised,
        match=r"^subject-S-1: register-subject can only be recorded by a person holding administrator or "
        r"cpc_officer or .*; cog-chair does not hold that role$",
    ):
        app.execute(DataSubject, stream, "cog-chair", _subject("S-1"))
    assert app.ledger.stream_version(stream) == 0


def test_a_step_taken_on_a_version_the_record_has_moved_on_from_is_refused(app: Application) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    stream = subject_stream("S-2")
    with pytest.raises(ConcurrentChange, match="subject-S-2 was changed by someone else"):
        app.execute(DataSubject, stream, "officer", _subject("S-2"), expected_version=3)
    assert app.ledger.stream_version(stream) == 0
    record = app.execute(DataSubject, stream, "officer", _subject("S-2"), expected_version=0)
    assert record.version == 1
