"""Retention and disposal, told as the records manager and an IG officer run them (DOMAIN.md §6).

The records manager sets the authority's schedule: mini reviews destroyed six years after
closure, SAR files two years after the response, FOI files reviewed after three years. A
National Learning Review is kept permanently and nobody can change that. An IG officer places
a litigation hold on a mini review; disposal that has fallen due is refused, naming the hold,
until the hold is released. An open subject access request holds the records it searched.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.store.personal_data import take_personal_values
from domain.governance.disposal import PersonalDataDisposed
from domain.governance.retention import (
    DEFAULT_RULES,
    RETENTION_STREAM,
    RULE_HOLD,
    RULE_PERMANENT,
    RULE_SCHEDULE,
    STEPS,
    DisposalAction,
    HoldKind,
    LegalHold,
    LegalHoldPlaced,
    PlaceLegalHold,
    RecordClass,
    ReleaseLegalHold,
    RetentionEvent,
    RetentionRule,
    RetentionSchedule,
    SetRetentionRule,
    Trigger,
    authorise_disposal,
    disposal_decision,
    open_request_hold,
)
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.event import DomainEvent, to_builtins
from domain.kernel.roles import Acting, Role
from domain.kernel.timescales import add_months
from tests.days import at, on
from tests.domain.record_steps import refused, run

MINI, SAR_FILE, NATIONAL = "MLR-2019-002", "SAR-2023-007", "LR-2018-001"

RECORDS = Acting(actor="records-manager", roles=frozenset({Role.RECORDS_MANAGER}))
IG = Acting(actor="ig-officer", roles=frozenset({Role.IG_OFFICER}))
CPC_OFFICER = Acting(actor="cpc-officer", roles=frozenset({Role.CPC_OFFICER}))


def mini_rule(**changes: Any) -> SetRetentionRule:
    command = SetRetentionRule(
        record_class=RecordClass.MINI_REVIEW,
        action=DisposalAction.DESTROY_PERSONAL_DATA,
        trigger=Trigger.CLOSURE,
        years=6,
        basis="Orkney Islands Council retention schedule 2024, class 6.3",
        decided_on=on(0),
    )
    return msgspec.structs.replace(command, **changes)


def litigation_hold(**changes: Any) -> PlaceLegalHold:
    command = PlaceLegalHold(
        hold_id="H-2026-001",
        kind=HoldKind.LITIGATION,
        records=(MINI,),
        reason="Claim intimated by the family's solicitors on 1 March 2026.",
        reference="CS-A123-26",
        placed_on=on(1),
    )
    return msgspec.structs.replace(command, **changes)


def scheduled() -> RetentionSchedule:
    schedule = run(RetentionSchedule(), RECORDS, mini_rule(), 0)
    sar_rule = SetRetentionRule(
        record_class=RecordClass.SAR_FILE,
        action=DisposalAction.DESTROY_PERSONAL_DATA,
        trigger=Trigger.RESPONSE_SENT,
        years=2,
        basis="schedule 2024, class 2.1",
        decided_on=on(0),
    )
    run(schedule, RECORDS, sar_rule, 0)
    foi_rule = SetRetentionRule(
        record_class=RecordClass.FOI_FILE,
        action=DisposalAction.REVIEW,
        trigger=Trigger.CLOSURE,
        years=3,
        basis="schedule 2024, class 2.2",
        decided_on=on(0),
    )
    return run(schedule, RECORDS, foi_rule, 0)


def held() -> RetentionSchedule:
    return run(scheduled(), IG, litigation_hold(), 1)


CLOSED_2019 = {Trigger.CLOSURE: date(2019, 11, 4)}


# -- the story ---------------------------------------------------------------------------------------


def test_a_mini_review_closed_in_2019_is_due_for_disposal_after_six_years_unless_held() -> None:
    schedule = scheduled()
    decision = schedule.decide(
        record=MINI, record_class=RecordClass.MINI_REVIEW, triggers=CLOSED_2019, today=on(0)
    )
    assert decision.due and decision.due_on == date(2025, 11, 4)
    assert decision.reason == (
        "destroy personal data fell due on 2025-11-04: mini_review: destroy personal data, 6 years after "
        "closure (Orkney Islands Council retention schedule 2024, class 6.3)"
    )
    assert authorise_disposal(decision).describe() == (
        "mini_review: destroy personal data, 6 years after closure "
        "(Orkney Islands Council retention schedule 2024, class 6.3)"
    )

    # The family's solicitors intimate a claim: an IG officer places a litigation hold.
    run(schedule, IG, litigation_hold(), 1)
    decision = schedule.decide(
        record=MINI, record_class=RecordClass.MINI_REVIEW, triggers=CLOSED_2019, today=on(2)
    )
    assert not decision.due
    assert decision.blocked_by == (
        LegalHold(
            hold_id="H-2026-001",
            kind=HoldKind.LITIGATION,
            records=(MINI,),
            placed_on=on(1),
            reference="CS-A123-26",
        ),
    )
    with pytest.raises(
        RuleViolation,
        match=re.escape(
            f"{MINI}: disposal is refused: the record is under legal hold H-2026-001 "
            f"(litigation CS-A123-26, since 2026-03-03) ({RULE_HOLD})"
        ),
    ):
        authorise_disposal(decision)

    # The claim is settled; the hold is released, and disposal may go ahead.
    run(
        schedule,
        RECORDS,
        ReleaseLegalHold(hold_id="H-2026-001", reason="Claim settled.", released_on=on(90)),
        90,
    )
    decision = schedule.decide(
        record=MINI, record_class=RecordClass.MINI_REVIEW, triggers=CLOSED_2019, today=on(90)
    )
    assert decision.due and decision.blocked_by == ()
    assert [type(e).__struct_config__.tag for e in schedule.collect_events()] == [
        "retention.rule-set",
        "retention.rule-set",
        "retention.rule-set",
        "retention.legal-hold-placed",
        "retention.legal-hold-released",
    ]


def test_a_learning_review_is_kept_permanently_and_disposal_is_refused() -> None:
    decision = scheduled().decide(
        record=NATIONAL,
        record_class=RecordClass.LEARNING_REVIEW,
        triggers={Trigger.CLOSURE: date(2019, 1, 1)},
        today=on(0),
    )
    assert not decision.due
    assert decision.rule == DEFAULT_RULES[RecordClass.LEARNING_REVIEW]
    message = (
        f"{NATIONAL}: disposal is refused: kept permanently (national guidance: Learning Review information "
        f"is retained in perpetuity) ({RULE_PERMANENT})"
    )
    with pytest.raises(RuleViolation, match=f"^{re.escape(message)}$"):
        authorise_disposal(decision)


def test_an_open_subject_access_request_holds_the_records_it_searched() -> None:
    request_hold = open_request_hold(HoldKind.OPEN_SAR, "SAR-2026-014", (MINI, NATIONAL), on(3))
    decision = scheduled().decide(
        record=MINI,
        record_class=RecordClass.MINI_REVIEW,
        triggers=CLOSED_2019,
        today=on(5),
        more_holds=(request_hold,),
    )
    assert not decision.due
    assert decision.reason.endswith(
        "but is blocked by legal hold SAR-2026-014 (an open subject access request SAR-2026-014, since 2026-03-05)"
    )
    with pytest.raises(RuleViolation, match="record is under legal hold SAR-2026-014"):
        authorise_disposal(decision)


def test_the_schedule_says_why_nothing_is_due() -> None:
    schedule = scheduled()
    not_closed = schedule.decide(record=MINI, record_class=RecordClass.MINI_REVIEW, triggers={}, today=on(0))
    assert not_closed.reason == "the retention period starts at closure, which has not happened"
    recent = schedule.decide(
        record=SAR_FILE,
        record_class=RecordClass.SAR_FILE,
        triggers={Trigger.RESPONSE_SENT: on(-30)},
        today=on(0),
    )
    assert (recent.due, recent.due_on) == (False, add_months(on(-30), 24))
    assert recent.reason == f"destroy personal data falls due on {add_months(on(-30), 24)}"
    unscheduled = schedule.decide(
        record="SALR-2020-001",
        record_class=RecordClass.SINGLE_AGENCY_REVIEW,
        triggers=CLOSED_2019,
        today=on(0),
    )
    assert unscheduled.reason == "the schedule has no rule for single_agency_review: keep it until one is set"
    for decision in (not_closed, recent, unscheduled):
        with pytest.raises(
            RuleViolation, match=f"disposal is refused: {re.escape(decision.reason)} \\({RULE_SCHEDULE}\\)"
        ):
            authorise_disposal(decision)


def test_a_review_action_is_not_a_disposal() -> None:
    decision = scheduled().decide(
        record="FOI-2020-003",
        record_class=RecordClass.FOI_FILE,
        triggers={Trigger.CLOSURE: date(2020, 1, 6)},
        today=on(0),
    )
    assert decision.due
    message = (
        "disposal is refused: the schedule's action for foi_file is review, not destruction of personal data"
    )
    with pytest.raises(RuleViolation, match=re.escape(message)):
        authorise_disposal(decision)


def test_a_hold_on_other_records_or_placed_later_does_not_block() -> None:
    later = LegalHold(hold_id="H-9", kind=HoldKind.LITIGATION, records=(MINI,), placed_on=on(30))
    elsewhere = LegalHold(hold_id="H-8", kind=HoldKind.LITIGATION, records=(NATIONAL,), placed_on=on(-30))
    rules = {RecordClass.MINI_REVIEW: scheduled().rules[RecordClass.MINI_REVIEW]}
    decision = disposal_decision(
        rules,
        [later, elsewhere],
        record=MINI,
        record_class=RecordClass.MINI_REVIEW,
        triggers=CLOSED_2019,
        today=on(0),
    )
    assert decision.due and decision.blocked_by == ()


def test_a_changed_rule_replaces_the_old_one_and_both_stay_in_the_log() -> None:
    schedule = run(scheduled(), RECORDS, mini_rule(years=10, decided_on=on(5)), 5)
    assert schedule.rules[RecordClass.MINI_REVIEW].months == 120
    assert sum(1 for e in schedule.collect_events() if type(e).__name__ == "RetentionRuleSet") == 4


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    st.integers(min_value=1, max_value=600),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2120, 12, 31)),
)
def test_disposal_is_due_exactly_from_the_end_of_the_period(closed: date, months: int, today: date) -> None:
    rule = RetentionRule(
        record_class=RecordClass.MINI_REVIEW,
        action=DisposalAction.DESTROY_PERSONAL_DATA,
        trigger=Trigger.CLOSURE,
        months=months,
        basis="schedule",
    )
    decision = disposal_decision(
        {RecordClass.MINI_REVIEW: rule},
        [],
        record=MINI,
        record_class=RecordClass.MINI_REVIEW,
        triggers={Trigger.CLOSURE: closed},
        today=today,
    )
    assert decision.due_on == add_months(closed, months)
    assert decision.due == (today >= add_months(closed, months))
    hold = LegalHold(
        hold_id="H-1", kind=HoldKind.INQUIRY_PRESERVATION, records=(MINI,), placed_on=date(1999, 1, 1)
    )
    held_decision = disposal_decision(
        {RecordClass.MINI_REVIEW: rule},
        [hold],
        record=MINI,
        record_class=RecordClass.MINI_REVIEW,
        triggers={Trigger.CLOSURE: closed},
        today=today,
    )
    assert not held_decision.due
    assert held_decision.blocked_by == (hold,)


# -- refusals ---------------------------------------------------------------------------------------------


def test_only_the_records_manager_sets_a_retention_rule() -> None:
    message = (
        "retention: setting a retention rule can only be recorded by the records manager; "
        "ig-officer does not hold that role"
    )
    refused(RetentionSchedule(), IG, mini_rule(), 0, NotAuthorised, message)


def test_only_an_ig_officer_or_the_records_manager_places_a_hold() -> None:
    message = (
        "retention: placing a legal hold can only be recorded by an information-governance officer or the "
        "records manager; cpc-officer does not hold that role"
    )
    refused(scheduled(), CPC_OFFICER, litigation_hold(), 1, NotAuthorised, message)


def test_the_authority_table_covers_every_step() -> None:
    assert set(RetentionSchedule.commands().values()) == set(STEPS)
    assert STEPS[SetRetentionRule].roles == (Role.RECORDS_MANAGER,)
    release = ReleaseLegalHold(hold_id="H-2026-001", reason="Settled.", released_on=on(3))
    for command in (mini_rule(), litigation_hold(hold_id="H-2"), release):
        with pytest.raises(
            NotAuthorised, match=f"^retention: {STEPS[type(command)].doing} can only be recorded by"
        ):
            held().execute(command, CPC_OFFICER, at(3))
    run(held(), RECORDS, release, 3)  # the records manager may release a hold an IG officer placed


def test_the_learning_review_rule_cannot_be_changed() -> None:
    command = mini_rule(record_class=RecordClass.LEARNING_REVIEW)
    message = f"retention: Learning Review files are kept permanently; their rule cannot be changed ({RULE_PERMANENT})"
    refused(RetentionSchedule(), RECORDS, command, 0, RuleViolation, message)


def test_a_rule_is_complete() -> None:
    schedule = RetentionSchedule()
    refused(
        schedule,
        RECORDS,
        mini_rule(basis=" "),
        0,
        InvalidInput,
        "basis: cite the schedule or decision the rule comes from",
    )
    refused(
        schedule,
        RECORDS,
        mini_rule(trigger=None),
        0,
        InvalidInput,
        "trigger: say which event starts the retention period",
    )
    refused(
        schedule,
        RECORDS,
        mini_rule(years=0),
        0,
        InvalidInput,
        "years: give the retention period in years and months",
    )
    refused(
        schedule,
        RECORDS,
        mini_rule(months=-1),
        0,
        InvalidInput,
        "years: a retention period cannot be negative",
    )
    permanent = mini_rule(action=DisposalAction.KEEP_PERMANENTLY)
    refused(
        schedule,
        RECORDS,
        permanent,
        0,
        InvalidInput,
        "trigger: a record kept permanently has no trigger and no period",
    )
    refused(
        schedule,
        RECORDS,
        mini_rule(decided_on=on(1)),
        0,
        InvalidInput,
        "decided_on: cannot be later than the day it is recorded (2026-03-02)",
    )


def test_a_hold_id_is_never_reused() -> None:
    message = f"retention: legal hold H-2026-001 already exists; a hold's id is never reused ({RULE_HOLD})"
    refused(held(), IG, litigation_hold(), 2, RuleViolation, message)
    released = run(
        held(), IG, ReleaseLegalHold(hold_id="H-2026-001", reason="Settled.", released_on=on(3)), 3
    )
    refused(released, IG, litigation_hold(), 4, RuleViolation, message)


def test_a_hold_names_its_records_its_reason_and_for_a_request_its_reference() -> None:
    refused(
        scheduled(),
        IG,
        litigation_hold(records=(" ",)),
        1,
        InvalidInput,
        "records: name at least one record the hold covers",
    )
    refused(scheduled(), IG, litigation_hold(reason=""), 1, InvalidInput, "reason: must not be empty")
    command = litigation_hold(kind=HoldKind.OPEN_FOI, reference=None)
    refused(
        scheduled(),
        IG,
        command,
        1,
        InvalidInput,
        "reference: a hold for an open FOI request gives its reference",
    )


def test_only_an_active_hold_is_released() -> None:
    command = ReleaseLegalHold(hold_id="H-404", reason="Done.", released_on=on(3))
    refused(
        held(), IG, command, 3, RuleViolation, f"retention: legal hold H-404 does not exist ({RULE_HOLD})"
    )
    released = run(
        held(), IG, ReleaseLegalHold(hold_id="H-2026-001", reason="Settled.", released_on=on(3)), 3
    )
    again = ReleaseLegalHold(hold_id="H-2026-001", reason="Again.", released_on=on(4))
    refused(
        released,
        IG,
        again,
        4,
        RuleViolation,
        f"retention: legal hold H-2026-001 was released on 2026-03-05 ({RULE_HOLD})",
    )


def test_a_hold_is_not_released_before_it_was_placed() -> None:
    command = ReleaseLegalHold(hold_id="H-2026-001", reason="Oops.", released_on=on(0))
    refused(
        held(), IG, command, 3, InvalidInput, "released_on: cannot be before the hold was placed (2026-03-03)"
    )


def test_only_an_open_request_holds_records_by_itself() -> None:
    with pytest.raises(
        InvalidInput, match="kind: only an open subject access or FOI request holds records by itself"
    ):
        open_request_hold(HoldKind.LITIGATION, "CS-1", (MINI,), on(0))


# -- the record ----------------------------------------------------------------------------------------------


def every_event() -> list[DomainEvent]:
    schedule = run(
        held(), IG, ReleaseLegalHold(hold_id="H-2026-001", reason="Settled.", released_on=on(3)), 3
    )
    return schedule.collect_events()


@pytest.mark.parametrize("event_type", RetentionEvent.__subclasses__(), ids=lambda t: t.__name__)
def test_every_event_type_round_trips(event_type: type[DomainEvent]) -> None:
    examples = [e for e in every_event() if type(e) is event_type]
    assert examples, f"no example of {event_type.__name__}"
    for event in examples:
        assert msgspec.json.decode(msgspec.json.encode(event), type=event_type) == event


def test_a_holds_reason_is_sealed_and_the_schedule_replays_after_disposal() -> None:
    events = every_event()
    placed = next(e for e in events if isinstance(e, LegalHoldPlaced))
    data = to_builtins(placed)
    take_personal_values(data)
    assert "solicitors" not in msgspec.json.encode(data).decode()
    disposal = PersonalDataDisposed(
        rule="retention stream reasons", authorised_by="records-manager", at=at(400)
    )
    replayed = RetentionSchedule.replay(RETENTION_STREAM, [*events, disposal])
    assert replayed.rules == held().rules
    assert replayed.active_holds == ()
    assert replayed.released == {"H-2026-001": on(3)}
