"""The access log: every read of personal data is a signed event by the reader, listed by subject and by reader.

One suite, on a SQLite file and on PostgreSQL; the last test reads through the HTTP API.
"""

from __future__ import annotations

import importlib
import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters import cli
from adapters.app.application import Application
from adapters.demo import START
from adapters.governance.access_log import (
    RecordRead,
    entries,
    items_read,
    reads_about,
    reads_by,
    record_access,
    record_reads,
)
from adapters.store.verification import verify_ledger
from domain.governance.access import PersonalDataRead, ReadPurpose, access_stream
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import InvalidInput, NotAuthorised
from domain.kernel.roles import Role
from tests.http.api_support import Api, record_steps, register_subjects, serving

CHILD, MOTHER = "Jamie Quarrelwood", "Dana Quarrelwood"


def _register(app: Application, subject_id: str, name: str, category: SubjectCategory) -> None:
    app.execute(
        DataSubject,
        subject_stream(subject_id),
        "officer",
        RegisterSubject(subject_id=subject_id, category=category, name=name, date_of_birth=date(2014, 7, 19)),
    )


@pytest.fixture
def store(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.register_person("admin", "ig", "Niamh Doherty", (Role.IG_OFFICER,))
    _register(app, "S-1", CHILD, SubjectCategory.CHILD)
    _register(app, "S-2", MOTHER, SubjectCategory.PARENT_CARER)
    return app


def test_a_granted_read_is_signed_by_the_reader_and_listed_by_subject_and_by_reader(
    store: Application,
) -> None:
    # The officer reads the child's register entry for the review; the IG officer reads the
    # mother's for a subject access request.
    record_access(
        store,
        actor="officer",
        record=subject_stream("S-1"),
        view="personal",
        granted=True,
        request_id="r-1",
        purpose="review",
    )
    record_access(
        store,
        actor="ig",
        record=subject_stream("S-2"),
        view="personal",
        granted=True,
        request_id="r-2",
        purpose="ig-request",
        ig_request="SAR-2026-001",
    )

    [read] = store.ledger.read(access_stream("officer"))
    assert read.actor == "officer" and isinstance(read.event, PersonalDataRead)
    assert read.event.record == subject_stream("S-1") and read.event.subjects == ("S-1",)
    assert read.event.purpose is ReadPurpose.REVIEW and read.event.fields == ()

    about_child = reads_about(store, "S-1")
    assert [(e.reader, e.record, e.purpose, e.ig_request) for e in about_child] == [
        ("officer", subject_stream("S-1"), "review", None)
    ]
    by_ig = reads_by(store, "ig")
    assert [(e.record, e.purpose, e.ig_request, e.subjects) for e in by_ig] == [
        (subject_stream("S-2"), "ig-request", "SAR-2026-001", ("S-2",))
    ]
    assert reads_by(store, "nobody") == [] and reads_about(store, "S-9") == []
    # The HTTP API's table has its rows too, and the log still verifies.
    assert [(e.actor, e.granted) for e in entries(store)] == [("ig", True), ("officer", True)]
    assert verify_ledger(store.ledger).intact


def test_a_refused_read_is_in_the_table_but_signs_nothing(store: Application) -> None:
    record_access(
        store, actor="officer", record=subject_stream("S-2"), view="personal", granted=False, request_id="r-3"
    )
    assert store.ledger.read(access_stream("officer")) == []
    assert [(e.actor, e.granted) for e in entries(store)] == [("officer", False)]


def test_a_read_without_a_purpose_or_with_the_wrong_request_is_refused_and_nothing_is_written(
    store: Application,
) -> None:
    with pytest.raises(
        InvalidInput, match=r"^purpose: a read of personal data names its purpose: one of review"
    ):
        record_access(
            store,
            actor="officer",
            record=subject_stream("S-1"),
            view="personal",
            granted=True,
            request_id="r",
        )
    with pytest.raises(
        InvalidInput, match=r"^ig_request: a read for an information-governance request names"
    ):
        record_access(
            store,
            actor="ig",
            record=subject_stream("S-1"),
            view="personal",
            granted=True,
            request_id="r",
            purpose="ig-request",
        )
    with pytest.raises(InvalidInput, match=r"^ig_request: only the purpose ig-request names a request$"):
        record_reads(
            store,
            reader="officer",
            purpose=ReadPurpose.REVIEW,
            view="personal",
            reads=[RecordRead(record=subject_stream("S-1"))],
            ig_request="SAR-2026-001",
        )
    assert store.ledger.read(access_stream("officer")) == []
    assert store.ledger.read(access_stream("ig")) == []
    assert entries(store) == []


def test_a_person_without_a_key_cannot_read_because_they_cannot_sign_the_read(store: Application) -> None:
    store.retire_key("admin", "officer", "left the service")
    with pytest.raises(NotAuthorised, match="officer does not hold that role"):
        record_reads(
            store,
            reader="officer",
            purpose=ReadPurpose.REVIEW,
            view="personal",
            reads=[RecordRead(record=subject_stream("S-1"))],
        )
    assert store.ledger.read(access_stream("officer")) == []


def test_the_items_read_name_their_subjects_and_the_events_hold_no_personal_value(store: Application) -> None:
    unsealed = store.ledger.read(subject_stream("S-2"), unseal=True)
    fields = items_read(unsealed)
    assert fields == ("1:name", "1:date_of_birth")
    record_reads(
        store,
        reader="ig",
        purpose=ReadPurpose.IG_REQUEST,
        view="sar-pack",
        ig_request="SAR-2026-001",
        reads=[RecordRead(record=subject_stream("S-2"), fields=fields)],
    )
    [entry] = reads_about(store, "S-2")
    assert entry.fields == fields and entry.subjects == ("S-2",) and entry.view == "sar-pack"
    with store.db.engine.connect() as conn:
        states = [row[0] for row in conn.execute(sa.text("SELECT state FROM stored_events"))]
    blob = b"".join(bytes(s) for s in states)
    assert MOTHER.encode() not in blob and b"2014-07-19" not in blob


def test_the_command_line_lists_reads_by_subject_and_by_actor(
    store: Application, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for actor, subject in (("officer", "S-1"), ("ig", "S-1"), ("ig", "S-2")):
        purpose, request = ("review", None) if actor == "officer" else ("ig-request", "SAR-2026-004")
        record_access(
            store,
            actor=actor,
            record=subject_stream(subject),
            view="personal",
            granted=True,
            request_id="r",
            purpose=purpose,
            ig_request=request,
        )
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek"), "access-log"]
    capsys.readouterr()  # what the steps above logged

    assert cli.main([*base, "--subject", "S-1", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["reader"], e["record"], e["purpose"]) for e in listed] == [
        ("officer", "subject-S-1", "review"),
        ("ig", "subject-S-1", "ig-request"),
    ]
    assert cli.main([*base, "--actor", "ig"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(
        "ig-request (SAR-2026-004): every item, about S-" in line for line in lines
    )
    assert cli.main([*base, "--subject", "S-1", "--actor", "ig", "--json"]) == 0
    assert [e["record"] for e in json.loads(capsys.readouterr().out)] == ["subject-S-1"]
    # Without --subject or --actor, the command lists the HTTP API's table, as it always has.
    assert cli.main([*base, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert cli.main([*base, "--record", "x", "--actor", "ig"]) == 2
    assert "--record: lists the API's table of reads" in capsys.readouterr().err


def test_a_personal_read_through_the_http_api_is_signed_by_the_reader(db_url: str, tmp_path: Path) -> None:
    with serving(db_url, tmp_path) as api:
        _read_over_http(api)


def _read_over_http(api: Api) -> None:
    national = importlib.import_module("adapters.demo.national")
    register_subjects(api, national)
    record_steps(api, [s for s in national.steps(START) if s.reference == "LR-2026-001"][:1])

    history = api.as_("cpc-officer").get(
        "/reviews/LR-2026-001/history", params={"personal": "true", "purpose": "review"}
    )
    assert history.status_code == 200, history.text

    app = api.application()
    try:
        [read] = reads_by(app, "cpc-officer")
        assert (read.record, read.view, read.purpose) == ("LR-2026-001", "personal", "review")
        assert {"S-NLR1-CHILD", "S-NLR1-NOTIFIER"} <= set(read.subjects)
        assert [e.reader for e in reads_about(app, "S-NLR1-CHILD")] == ["cpc-officer"]
    finally:
        app.close()
