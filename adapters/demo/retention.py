"""Demonstration: retention and disposal (DOMAIN.md §6). Everything here is invented.

The records manager joins. A notifier's register entry is disposed of under a named rule. The
schedule keeps Learning Review files permanently, so disposing of LR-2026-001 is refused. The
records manager configures the authority's rules for single-agency review files and for subject
access request files; SALR-2026-001, closed in April, falls due in October. An IG officer places
a litigation hold on it, and the disposal is refused naming the hold, with nothing recorded; the
hold is released and the file is disposed of, with a certificate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Protocol

from adapters.app.application import Application
from adapters.cli.output import Out
from adapters.governance import retention
from adapters.governance.disposal_certificates import dispose
from domain.governance.retention import (
    DisposalAction,
    HoldKind,
    PlaceLegalHold,
    RecordClass,
    ReleaseLegalHold,
    SetRetentionRule,
    Trigger,
)
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import ReviewledgerError
from domain.kernel.roles import Role

RECORDS_MANAGER, IG_OFFICER = "records-manager", "ig-officer"
KEPT, DISPOSED = "LR-2026-001", "SALR-2026-001"
HOLD = "H-2026-001"


class _Clock(Protocol):
    moment: datetime


def _on(clock: _Clock, day: date, hour: int = 10) -> date:
    clock.moment = datetime.combine(day, time(hour), tzinfo=UTC)
    return day


def run(app: Application, clock: _Clock, out: Out) -> None:
    out.heading("Retention and disposal")
    today = _on(clock, date(2026, 11, 1), 9)
    app.register_person("admin", RECORDS_MANAGER, "Ingrid Sutherland", (Role.RECORDS_MANAGER,))
    _dispose_notifier(app, out)

    [permanent] = [r for r in retention.rules(app) if r.record_class is RecordClass.LEARNING_REVIEW]
    out.line(f"  schedule: {permanent.describe()}")
    _refused(app, out, KEPT, lambda: dispose(app, KEPT, RECORDS_MANAGER))

    for rule in (
        SetRetentionRule(
            record_class=RecordClass.SINGLE_AGENCY_REVIEW,
            action=DisposalAction.DESTROY_PERSONAL_DATA,
            trigger=Trigger.CLOSURE,
            months=6,
            basis="Falkirk Council retention schedule (demonstration), class 4.3",
            decided_on=today,
        ),
        SetRetentionRule(
            record_class=RecordClass.SAR_FILE,
            action=DisposalAction.DESTROY_PERSONAL_DATA,
            trigger=Trigger.RESPONSE_SENT,
            years=2,
            basis="Falkirk Council retention schedule (demonstration), class 9.1",
            decided_on=today,
        ),
    ):
        schedule = retention.record_step(app, RECORDS_MANAGER, rule)
        out.line(f"  schedule: {schedule.rules[rule.record_class].describe()}")
    [due] = [d for d in retention.decisions(app, due_only=True) if d.record == DISPOSED]
    out.line(f"  due: {due.record}: {due.reason}")

    placed = _on(clock, date(2026, 11, 2))
    retention.record_step(
        app,
        IG_OFFICER,
        PlaceLegalHold(
            hold_id=HOLD,
            kind=HoldKind.LITIGATION,
            records=(DISPOSED,),
            reason="A claim about the placement has been intimated; keep everything about it.",
            placed_on=placed,
        ),
    )
    out.line(f"  {IG_OFFICER} placed legal hold {HOLD} (litigation) on {DISPOSED}")
    _refused(app, out, DISPOSED, lambda: dispose(app, DISPOSED, RECORDS_MANAGER))

    released = _on(clock, date(2026, 11, 4))
    retention.record_step(
        app,
        IG_OFFICER,
        ReleaseLegalHold(hold_id=HOLD, reason="The claim was withdrawn.", released_on=released),
    )
    out.line(f"  {IG_OFFICER} released legal hold {HOLD}")
    _on(clock, date(2026, 11, 5))
    certificate = dispose(app, DISPOSED, RECORDS_MANAGER)
    out.line(
        f"  disposed of {DISPOSED}: certificate {certificate.certificate_id}, {len(certificate.items)} items about "
        f"{len(certificate.subjects)} people, under {certificate.rule}; authorised by {certificate.authorised_by}; "
        f"log position {certificate.log_position}, checkpoint of size {certificate.checkpoint.tree_size}"
    )


def _dispose_notifier(app: Application, out: Out) -> None:
    """A notifier's register entry is disposed of under a named rule: the log still verifies."""
    subject_id = "S-DISPOSE-1"
    app.execute(
        DataSubject,
        subject_stream(subject_id),
        "cpc-officer",
        RegisterSubject(subject_id=subject_id, category=SubjectCategory.NOTIFIER, name="Ellen Groat"),
    )
    app.dispose(
        subject_stream(subject_id),
        "retention: notifier contact details, 6 months after closure",
        RECORDS_MANAGER,
    )
    out.line(
        f"  disposed of the personal data of {subject_stream(subject_id)} (crypto-shredded, disposal recorded)"
    )


def _refused(app: Application, out: Out, record: str, attempt: Callable[[], object]) -> None:
    """Try a disposal the schedule must refuse; show the refusal and check that nothing was recorded."""
    before = app.ledger.tree.head().size
    try:
        attempt()
    except ReviewledgerError as error:
        assert app.ledger.tree.head().size == before, "a refused disposal must record nothing"
        out.line(f"  REFUSED (nothing recorded): {error}")
        return
    raise AssertionError(f"the demo expected the disposal of {record} to be refused")
