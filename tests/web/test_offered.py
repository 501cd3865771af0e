"""Which steps the pages offer: every step the demonstration takes is offered to its actor at that moment.

The four routes' demonstration scripts are replayed on records in memory. Before each step is
taken, the pages' judgement (`adapters.web.offered.try_step`) must allow it for the person
taking it; each step the scripts mark as refused must be refused. And on a record that has
just been opened, steps that come much later are not offered.
"""

from __future__ import annotations

import importlib

import pytest

from adapters.demo import SCRIPTS, START
from adapters.demo.cast import CAST
from adapters.web.offered import try_step
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import command_name
from domain.kernel.errors import ReviewledgerError
from domain.kernel.roles import Acting, Role
from domain.routes.national.commands import DecidePublication, SignOffReportForCog
from domain.routes.national.review import NationalReview

ROLES = {member.actor_id: frozenset(member.roles) for member in CAST}


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_step_of_the_demonstration_is_offered_to_its_actor_when_it_is_taken(script: str) -> None:
    records: dict[str, Aggregate] = {}
    for step in importlib.import_module(script).steps(START):
        record = records.setdefault(step.reference, step.record_type(step.reference))
        by = Acting(actor=step.actor, roles=ROLES[step.actor])
        refusal = try_step(record, type(step.command), by, step.at)
        if step.refused:
            with pytest.raises(ReviewledgerError, match=step.reference):
                record.execute(step.command, by, step.at)
            continue
        assert refusal is None, f"{step.reference} {command_name(type(step.command))}: {refusal}"
        record.execute(step.command, by, step.at)
        record.collect_events()


def test_later_steps_are_not_offered_on_a_new_notification() -> None:
    from adapters.demo.national import steps

    first = steps(START)[0]
    record = NationalReview(first.reference)
    record.execute(first.command, Acting(actor="cpc-officer", roles=frozenset({Role.CPC_OFFICER})), first.at)
    cog = Acting(actor="cog-chair", roles=frozenset({Role.COG}))
    for later in (SignOffReportForCog, DecidePublication):
        refusal = try_step(record, later, cog, first.at)
        assert refusal is not None
        assert "decided" in refusal or "report" in refusal or "publication" in refusal


def test_steps_are_in_the_procedures_order_with_closing_last() -> None:
    from adapters.governance.ig_records import SarRecord
    from adapters.web.offered import procedure_order

    national = procedure_order(NationalReview)
    assert national.index("receive-notification") < national.index("decide-to-proceed")
    assert national.index("decide-to-proceed") < national.index("draft-report-version")
    assert national[-1] == "close-review"
    sar = procedure_order(SarRecord)
    assert sar[0] == "receive-subject-access-request"
    assert sar[-1] == "close-subject-access-request"
    assert sar.index("record-search") < sar.index("send-response")
