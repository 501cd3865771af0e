"""Retention and disposal, told as the records manager does it: one suite, on SQLite and on PostgreSQL.

The schedule keeps Learning Review files permanently and the authority configures the rest;
a legal hold blocks a disposal that has fallen due, and the refusal names it; once the hold
is released, the personal data is crypto-shredded, a certificate says what, when, under which
rule and on whose authority, and the log still verifies.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa

from adapters import cli
from adapters.app.application import Application
from adapters.governance import disposal_certificates, retention
from adapters.governance.disposal_certificates import certificate_bytes, certificates, dispose
from adapters.store.tables import sealed
from adapters.store.verification import verify_ledger
from audit.note import parse_verifier_key, verify_checkpoint
from domain.governance.retention import (
    RETENTION_STREAM,
    DisposalAction,
    HoldKind,
    PlaceLegalHold,
    RecordClass,
    ReleaseLegalHold,
    RetentionRuleSet,
    SetRetentionRule,
    Trigger,
)
from domain.governance.sar.request import SubjectAccessRequest, sar_stream
from domain.governance.sar.steps import (
    Capacity,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
)
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.command import Command
from domain.kernel.errors import NotAuthorised, RecordNotFound, RuleViolation
from domain.kernel.roles import Role
from domain.kernel.timescales import add_months
from tests.conftest import SteppingClock
from tests.integration.review_steps import open_review

NAME = "Jamie Quarrelwood"
SUBJECT = subject_stream("S-1")


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


def _today(app: Application) -> date:
    return app.clock.now().date()


def _subject_rule(app: Application, *, months: int = 6) -> SetRetentionRule:
    return SetRetentionRule(
        record_class=RecordClass.SUBJECT_RECORD,
        action=DisposalAction.DESTROY_PERSONAL_DATA,
        trigger=Trigger.LAST_ACTIVITY,
        months=months,
        basis="Council retention schedule 2024, class 7.1",
        decided_on=_today(app),
    )


def _hold(app: Application, hold_id: str = "H-2026-004") -> PlaceLegalHold:
    return PlaceLegalHold(
        hold_id=hold_id,
        kind=HoldKind.LITIGATION,
        records=(SUBJECT,),
        reason="A claim has been intimated against the council.",
        placed_on=_today(app),
    )


@pytest.fixture
def people(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.register_person("admin", "records", "Ingrid Sutherland", (Role.RECORDS_MANAGER,))
    app.register_person("admin", "ig", "Niamh Doherty", (Role.IG_OFFICER,))
    return app


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused disposal must leave as it was."""

    version: int
    tree_size: int
    ciphertexts: int
    certificates: int
    name: str | None

    @classmethod
    def of(cls, app: Application, record: str = SUBJECT) -> Snapshot:
        with app.db.reader.connect() as conn:
            ciphertexts = conn.execute(
                sa.select(sa.func.count()).select_from(sealed).where(sealed.c.record == record)
            ).scalar_one()
        first = app.ledger.read(record, unseal=True)[0].event
        name = getattr(first, "name", None)
        return cls(
            version=app.ledger.stream_version(record),
            tree_size=app.ledger.tree.head().size,
            ciphertexts=int(ciphertexts),
            certificates=len(certificates(app)),
            name=name.value if name is not None else None,
        )


def _open_sar(app: Application, reference: str, searched: str) -> None:
    """An IG officer receives a subject access request and searches one record for it."""
    stream = sar_stream(reference)
    on = _today(app)
    for command in (
        ReceiveSubjectAccessRequest(
            received_on=on,
            channel=RequestChannel.EMAIL,
            requester_id="S-1",
            subject_id="S-1",
            capacity=Capacity.DATA_SUBJECT,
            requester_name=NAME,
            request="Everything the council holds about me.",
        ),
        RecordSearch(
            searched_on=on, records=(SearchAnswers(record=searched, what="every item about the requester"),)
        ),
    ):
        _sar_step(app, stream, command)


def _sar_step(app: Application, stream: str, command: Command) -> None:
    moment = app.clock.now()
    record = app.load(SubjectAccessRequest, stream, must_exist=False)
    record.execute(command, app.acting("ig"), moment)
    app.ledger.append(stream, record.base_version, record.collect_events(), "ig", moment)


# -- the schedule -------------------------------------------------------------------------------------


def test_learning_reviews_are_kept_permanently_and_the_rest_wait_for_the_authority_s_rules(
    people: Application,
) -> None:
    [permanent] = retention.rules(people)
    assert permanent.record_class is RecordClass.LEARNING_REVIEW
    assert permanent.action is DisposalAction.KEEP_PERMANENTLY
    assert RecordClass.SUBJECT_RECORD in retention.unscheduled(people)

    with pytest.raises(
        RuleViolation, match="Learning Review files are kept permanently; their rule cannot be changed"
    ):
        retention.record_step(
            people,
            "records",
            SetRetentionRule(
                record_class=RecordClass.LEARNING_REVIEW,
                action=DisposalAction.DESTROY_PERSONAL_DATA,
                trigger=Trigger.CLOSURE,
                years=6,
                basis="a mistaken schedule",
                decided_on=_today(people),
            ),
        )
    with pytest.raises(
        NotAuthorised, match="retention: setting a retention rule can only be recorded by the records"
    ):
        retention.record_step(people, "ig", _subject_rule(people))
    assert people.ledger.stream_version(RETENTION_STREAM) == 0

    retention.record_step(people, "records", _subject_rule(people))
    [recorded] = people.ledger.read(RETENTION_STREAM)
    assert recorded.actor == "records" and isinstance(recorded.event, RetentionRuleSet)
    assert [r.describe() for r in retention.rules(people)][1] == (
        "subject_record: destroy personal data, 6 months after last activity (Council retention schedule 2024, "
        "class 7.1)"
    )


def test_a_learning_review_is_never_due_and_its_disposal_is_refused_as_permanent(people: Application) -> None:
    open_review(people, "LR-2026-101", "officer")
    [decision] = [d for d in retention.decisions(people) if d.record == "LR-2026-101"]
    assert decision.record_class is RecordClass.LEARNING_REVIEW and not decision.due
    assert decision.reason.startswith("kept permanently (national guidance")
    before = Snapshot.of(people, "LR-2026-101")
    with pytest.raises(
        RuleViolation,
        match=r"^LR-2026-101: disposal is refused: kept permanently \(national guidance: .*\(national guidance: "
        r"Learning Review information is retained in perpetuity\)$",
    ):
        dispose(people, "LR-2026-101", "records")
    assert Snapshot.of(people, "LR-2026-101") == before


def test_only_the_records_manager_or_an_ig_officer_may_authorise_a_disposal(people: Application) -> None:
    _register(people, "S-1")
    before = Snapshot.of(people)
    for actor in ("admin", "officer"):
        message = (
            rf"^{SUBJECT}: authorising a disposal can only be recorded by the records manager or an "
            rf"information-governance officer; {actor} does not hold that role$"
        )
        with pytest.raises(NotAuthorised, match=message):
            people.dispose(SUBJECT, "retention: test", actor)
        with pytest.raises(NotAuthorised, match=message):
            dispose(people, SUBJECT, actor)
    assert Snapshot.of(people) == before


def test_a_record_not_under_the_schedule_cannot_be_disposed_of_through_it(people: Application) -> None:
    with pytest.raises(RecordNotFound, match="registry"):
        dispose(people, "registry", "records")


# -- the story: due, held, refused naming the hold, released, disposed of, certified -------------------


def test_a_hold_blocks_a_due_disposal_by_name_and_after_its_release_the_disposal_is_certified(
    people: Application, clock: SteppingClock, tmp_path: Path
) -> None:
    _register(people, "S-1")
    registered_on = _today(people)
    retention.record_step(people, "records", _subject_rule(people))
    [waiting] = [d for d in retention.decisions(people) if d.record == SUBJECT]
    due_on = add_months(registered_on, 6)
    assert not waiting.due and waiting.reason == f"destroy personal data falls due on {due_on}"
    assert retention.decisions(people, due_only=True) == []

    # Seven months on, the entry is due; the IG officer places a litigation hold on it.
    clock.moment += timedelta(days=213)
    [due] = retention.decisions(people, due_only=True)
    assert due.record == SUBJECT and due.reason.startswith(f"destroy personal data fell due on {due_on}")
    retention.record_step(people, "ig", _hold(people))
    placed_on = _today(people)
    [held] = [d for d in retention.decisions(people) if d.record == SUBJECT]
    named = f"legal hold H-2026-004 (litigation, since {placed_on})"
    assert not held.due and held.reason.endswith(f"blocked by {named}")
    assert [h.hold_id for h in retention.holds(people)] == ["H-2026-004"]

    # The disposal is refused, naming the hold, and nothing changed.
    before = Snapshot.of(people)
    assert before.name == NAME and before.ciphertexts == 1
    with pytest.raises(
        RuleViolation,
        match=f"^{re.escape(SUBJECT)}: disposal is refused: the record is under {re.escape(named)} "
        + re.escape("(DOMAIN.md §6: a legal hold blocks disposal until released (DPA 2018 s.173))")
        + "$",
    ):
        dispose(people, SUBJECT, "records", out=tmp_path / "refused.json")
    assert Snapshot.of(people) == before
    assert not (tmp_path / "refused.json").exists()

    # The hold is released; the records manager disposes of the entry and gets a certificate.
    retention.record_step(
        people,
        "ig",
        ReleaseLegalHold(hold_id="H-2026-004", reason="The claim was withdrawn.", released_on=_today(people)),
    )
    assert retention.holds(people) == []
    out = tmp_path / "certificate.json"
    certificate = dispose(people, SUBJECT, "records", out=out)

    assert certificate.certificate_id == f"DC-{SUBJECT}-2"
    assert (certificate.record, certificate.record_class) == (SUBJECT, "subject_record")
    assert certificate.subjects == ("S-1",)
    assert [(i.version, i.field, i.kind, i.about) for i in certificate.items] == [
        (1, "name", "name", ("S-1",)),
        (1, "date_of_birth", "date_of_birth", ("S-1",)),
    ]
    assert certificate.rule == (
        "subject_record: destroy personal data, 6 months after last activity (Council retention schedule 2024, "
        "class 7.1)"
    )
    assert certificate.basis == "Council retention schedule 2024, class 7.1"
    assert (certificate.action, certificate.due_on) == ("destroy_personal_data", due_on)
    assert (certificate.authorised_by, certificate.authorised_role) == ("records", "records_manager")
    # The signed disposal event is where the certificate says, and a signed checkpoint covers it.
    disposal = people.ledger.read(SUBJECT)[-1]
    assert (certificate.stream_version, disposal.actor) == (2, "records")
    assert disposal.event.rule == certificate.rule  # type: ignore[attr-defined]
    assert disposal.time == certificate.disposed_at
    with people.db.reader.connect() as conn:
        position = conn.execute(
            sa.text("SELECT position FROM rl_merkle_leaves WHERE stream = :s AND version = 2"), {"s": SUBJECT}
        ).scalar_one()
    assert certificate.log_position == position
    verifier = parse_verifier_key(people.ledger.log_verifier_key())
    checkpoint = verify_checkpoint(certificate.checkpoint.note, verifier)
    assert checkpoint.size == certificate.checkpoint.tree_size >= position
    # The file is the certificate, and the table keeps it.
    assert out.read_bytes() == certificate_bytes(certificate)
    assert msgspec.json.decode(out.read_bytes(), type=type(certificate)) == certificate
    assert certificates(people) == [certificate]
    assert NAME not in out.read_text() and "1980-02-01" not in out.read_text()

    # The data is gone, the history says so, and the log still verifies.
    registered, _ = people.ledger.read(SUBJECT, unseal=True)
    assert registered.event.name.value is None  # type: ignore[attr-defined]
    assert registered.disposed is not None and registered.disposed.rule == certificate.rule
    report = verify_ledger(people.ledger)
    assert report.intact, report.as_json()
    # The schedule now says so, and there is nothing left to dispose of.
    [after] = [d for d in retention.decisions(people) if d.record == SUBJECT]
    assert not after.due and after.reason == f"its personal data was disposed of on {_today(people)}"
    with pytest.raises(
        RuleViolation, match=f"^{SUBJECT}: disposal is refused: its personal data was disposed of on "
    ):
        dispose(people, SUBJECT, "records")
    assert len(certificates(people)) == 1


def test_a_hold_placed_by_someone_else_while_a_disposal_is_being_checked_stops_it_by_name(
    people: Application, clock: SteppingClock, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(people, "S-1")
    retention.record_step(people, "records", _subject_rule(people))
    clock.moment += timedelta(days=213)
    [due] = retention.decisions(people, due_only=True)
    assert due.record == SUBJECT
    other = Application(db_url, tmp_path / "kek", clock=clock)  # the IG officer's own session
    checked = retention.survey
    surveys: list[object] = []

    def survey_then_hold(app: Application) -> Any:
        found = checked(app)
        if not surveys:  # just after the first check found the entry due and unheld
            retention.record_step(other, "ig", _hold(other))
        surveys.append(found)
        return found

    monkeypatch.setattr(disposal_certificates, "survey", survey_then_hold)
    before = Snapshot.of(people)
    try:
        with pytest.raises(
            RuleViolation, match=re.escape("disposal is refused: the record is under legal hold H-2026-004")
        ):
            dispose(people, SUBJECT, "records", out=tmp_path / "refused.json")
    finally:
        other.close()
    # Checked twice: the disposal checked against the first state was stopped when recorded.
    assert len(surveys) == 2
    after = Snapshot.of(people)
    assert after == dataclasses.replace(before, tree_size=before.tree_size + 1)  # only the hold was recorded
    assert after.name == NAME
    assert not (tmp_path / "refused.json").exists()
    assert verify_ledger(people.ledger).intact


def test_a_disposal_and_its_certificate_are_recorded_together_or_not_at_all(
    people: Application, clock: SteppingClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(people, "S-1")
    retention.record_step(people, "records", _subject_rule(people))
    clock.moment += timedelta(days=213)
    before = Snapshot.of(people)

    def stopped(_: object) -> bytes:
        raise RuntimeError("the process stopped while issuing the certificate")

    with monkeypatch.context() as patch:
        patch.setattr(disposal_certificates, "_encode", stopped)
        with pytest.raises(RuntimeError, match="while issuing the certificate"):
            dispose(people, SUBJECT, "records")
    # No disposal event, no certificate, nothing shredded, nothing logged.
    assert Snapshot.of(people) == before
    assert people.ledger.stream_version(SUBJECT) == 1
    certificate = dispose(people, SUBJECT, "records")
    assert certificates(people) == [certificate]
    assert (certificate.stream_version, certificate.log_position) == (
        2,
        people.ledger.tree.position_of(people.db.recorder.max_notification_id() or 0),
    )
    assert Snapshot.of(people).name is None
    assert verify_ledger(people.ledger).intact


def test_an_open_subject_access_request_holds_the_records_it_searched(
    people: Application, clock: SteppingClock
) -> None:
    _register(people, "S-1")
    retention.record_step(people, "records", _subject_rule(people, months=1))
    clock.moment += timedelta(days=62)
    _open_sar(people, "SAR-2026-014", SUBJECT)
    opened_on = _today(people)
    [hold] = retention.holds(people)
    assert (hold.hold_id, hold.kind, hold.records) == ("SAR-2026-014", HoldKind.OPEN_SAR, (SUBJECT,))
    before = Snapshot.of(people)
    with pytest.raises(
        RuleViolation,
        match=rf"the record is under legal hold SAR-2026-014 \(an open subject access request SAR-2026-014, "
        rf"since {opened_on}\)",
    ):
        dispose(people, SUBJECT, "ig")
    assert Snapshot.of(people) == before


def test_a_register_entry_is_kept_while_a_permanently_kept_review_holds_the_person_s_data(
    people: Application, clock: SteppingClock
) -> None:
    open_review(people, "LR-2026-102", "officer")  # its notification is about S-CHILD
    _register(people, "S-CHILD", "Ellie Rendall")
    retention.record_step(people, "records", _subject_rule(people, months=1))
    clock.moment += timedelta(days=62)
    [decision] = [d for d in retention.decisions(people) if d.record == subject_stream("S-CHILD")]
    assert not decision.due
    assert decision.reason == "kept while LR-2026-102 (kept permanently) holds this person's personal data"
    with pytest.raises(
        RuleViolation, match="LR-2026-102 \\(kept permanently\\) holds this person's personal data"
    ):
        dispose(people, subject_stream("S-CHILD"), "records")


# -- the command line ------------------------------------------------------------------------------------


def test_the_command_line_covers_each_step_with_json(
    people: Application, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The store's own clock is fixed in March 2026; the command line runs on the real clock, later.
    _register(people, "S-1")
    assert datetime.now().date() > _today(people) + timedelta(days=31)
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek"), "retention"]
    capsys.readouterr()

    def run(*words: str) -> tuple[int, str, str]:
        code = cli.main([*base, *words])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, _ = run(
        "set-rule", "--as", "records", "--class", "subject_record", "--action", "destroy_personal_data",
        "--trigger", "last_activity", "--months", "1", "--basis", "Council schedule 7.1", "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["rule"].startswith(
        "subject_record: destroy personal data, 1 month after"
    )
    code, out, _ = run("rules", "--json")
    assert [r["record_class"] for r in json.loads(out)["rules"]] == ["learning_review", "subject_record"]

    code, out, _ = run(
        "hold", "H-1", "--as", "ig", "--kind", "inquiry_preservation", "--record", SUBJECT,
        "--reason", "Preservation notice from the inquiry.", "--json",
    )  # fmt: skip
    assert code == 0
    code, out, _ = run("holds", "--json")
    assert [(h["hold_id"], h["kind"], h["records"]) for h in json.loads(out)] == [
        ("H-1", "inquiry_preservation", [SUBJECT])
    ]
    code, out, _ = run("due", "--all", "--json")
    [listed] = [d for d in json.loads(out) if d["record"] == SUBJECT]
    assert listed["due"] is False and [h["hold_id"] for h in listed["blocked_by"]] == ["H-1"]

    certificate = tmp_path / "cert.json"
    code, _, err = run("dispose", SUBJECT, "--as", "records", "--out", str(certificate))
    assert (
        code == 2
        and "disposal is refused: the record is under legal hold H-1 (an inquiry's preservation" in err
    )
    assert not certificate.exists()
    code, _, err = run("dispose", SUBJECT, "--as", "officer", "--out", str(certificate))
    assert code == 2 and "officer does not hold that role" in err

    assert run("release", "H-1", "--as", "ig", "--reason", "The inquiry has reported.")[0] == 0
    code, out, _ = run("due", "--json")
    assert [d["record"] for d in json.loads(out)] == [SUBJECT]
    code, out, _ = run("dispose", SUBJECT, "--as", "records", "--out", str(certificate), "--json")
    assert code == 0
    issued = json.loads(out)
    assert json.loads(certificate.read_text()) == issued
    assert issued["record"] == SUBJECT and issued["authorised_by"] == "records"
    code, out, _ = run("certificates", "--json")
    assert [c["certificate_id"] for c in json.loads(out)] == [issued["certificate_id"]]
    code, out, _ = run("certificates")
    assert out.startswith(f"{issued['certificate_id']}: {SUBJECT} (subject_record) disposed of at ")
    code, _, err = run("dispose", SUBJECT, "--as", "records", "--out", str(tmp_path / "missing" / "c.json"))
    assert code == 2 and "--out: the folder" in err


def test_the_demonstration_refuses_a_held_disposal_naming_the_hold_then_certifies_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from adapters.app.config import Settings
    from adapters.demo import run_demo

    settings = Settings(db_url=f"sqlite:///{tmp_path}/demo.db", kek_file=tmp_path / "demo.kek")
    assert run_demo(settings) == 0
    lines = capsys.readouterr().out.splitlines()
    scene = lines[lines.index("== Retention and disposal") :]
    assert any(
        line.startswith("  REFUSED (nothing recorded): LR-2026-001: disposal is refused: kept permanently")
        for line in scene
    )
    assert (
        "  REFUSED (nothing recorded): SALR-2026-001: disposal is refused: the record is under legal hold "
        "H-2026-001 (litigation, since 2026-11-02)" in "\n".join(scene)
    )
    assert any(
        line.startswith("  disposed of SALR-2026-001: certificate DC-SALR-2026-001-") for line in scene
    )
    assert lines[-1].startswith("verify: INTACT — ")
    app = Application(settings.db_url, settings.kek_file)
    try:
        [certificate] = certificates(app)
        assert (certificate.record, certificate.authorised_by) == ("SALR-2026-001", "records-manager")
    finally:
        app.close()
