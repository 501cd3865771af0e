"""An FOI request under FOISA, told as an IG officer handles one (DOMAIN.md §5).

A journalist asks for the report and minutes of a Learning Review. The officer asks which
review (s.1(3): the twenty working days run again from the answer), identifies three items,
withholds the draft report as intended for publication (s.27(1), with the public interest
test), the chronology as other people's personal data (s.38(1)(b), absolute), and parts of the
minutes (s.38(1)(b) and s.30(b)); responds in part with a s.16 notice; the journalist requires
a review, which a second officer decides; the journalist applies to the Commissioner; the
decision is noted and the file closed. Then one test per rule, the notices' words, and the
exemptions library.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.store.personal_data import take_personal_values
from domain.governance.disposal import PersonalDataDisposed
from domain.governance.exemptions import EXEMPTIONS, ExemptionKind, Section, exemption
from domain.governance.foi.file import (
    RULE_APPEAL,
    RULE_CLARIFICATION,
    RULE_CLOSED,
    RULE_EXEMPTION,
    RULE_OWN_DATA,
    RULE_REQUEST,
    RULE_RESPONSE,
    RULE_REVIEWER,
    STEPS,
    foi_stream,
)
from domain.governance.foi.request import FoiRequest
from domain.governance.foi.steps import (
    ApplyExemption,
    CloseFoiRequest,
    CommissionerOutcome,
    DecideReview,
    Extent,
    FoiChannel,
    FoiEvent,
    FoiOfficersAssigned,
    FoiReceived,
    FoiResponseSent,
    IdentifyInformation,
    ItemAnswers,
    NoteAppeal,
    NoteCommissionerDecision,
    PublicInterestAnswers,
    ReceiveFoiClarification,
    ReceiveFoiRequest,
    RecordReviewRequirement,
    RespondToFoiRequest,
    ResponseType,
    ReviewOutcome,
    ReviewRequired,
    SeekFoiClarification,
)
from domain.governance.ig_handling import AssignOfficers
from domain.governance.ig_notices import (
    COMMISSIONER_AND_COURT_RIGHTS,
    REVIEW_AND_APPEAL_RIGHTS,
    NoticeGround,
    disclosure_notice,
    neither_confirm_nor_deny_notice,
    not_held_notice,
    refusal_notice,
    review_decision_notice,
)
from domain.governance.ig_timescales import (
    RULE_FOI_RESPONSE,
    RULE_FOI_REVIEW,
    RULE_FOI_REVIEW_REQUEST,
    BankHolidays,
    working_days_after,
)
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, to_builtins
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import TimescaleStatus
from tests.days import at, on
from tests.domain.record_steps import refused, run, sealed

REF = "FOI-2026-031"
JOURNALIST, CHILD, MOTHER = "S-journalist", "S-child", "S-mother"
REPORT, MINUTES, CHRONOLOGY = "LR-2026-001@40/report", "LR-2026-001@14/minutes", "LR-2026-001@20/chronology"
NOTICE = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"

# Scottish bank holidays on weekdays, 2026 and 2027 (the adapter's test checks them at the source).
SCOTLAND = BankHolidays(
    dates=frozenset(
        {
            *(date(2026, m, d) for m, d in ((1, 1), (1, 2), (4, 3), (5, 4), (5, 25), (8, 3), (11, 30))),
            *(date(2026, 12, d) for d in (25, 28)),
            *(date(2027, m, d) for m, d in ((1, 1), (1, 4), (3, 26), (5, 3), (5, 31), (8, 2), (11, 30))),
            *(date(2027, 12, d) for d in (27, 28)),
        }
    ),
    first_year=2026,
    last_year=2027,
)
FOI = FoiRequest.using(SCOTLAND)

IG = Acting(actor="ig-officer", roles=frozenset({Role.IG_OFFICER}))
IG2 = Acting(actor="ig-officer-2", roles=frozenset({Role.IG_OFFICER}))
REVIEWER = Acting(actor="reviewer", roles=frozenset({Role.REVIEWER}))


def receive(**changes: Any) -> ReceiveFoiRequest:
    command = ReceiveFoiRequest(
        received_on=on(0),
        channel=FoiChannel.EMAIL,
        requester_id=JOURNALIST,
        requester_name="Erlend Rendall",
        address_for_correspondence="erlend.rendall@example.net",
        information_requested="The report and minutes of the Learning Review into a child's death.",
    )
    return msgspec.structs.replace(command, **changes)


def public_interest() -> PublicInterestAnswers:
    return PublicInterestAnswers(
        for_disclosure="Transparency about how agencies protect children.",
        for_withholding="Safe space for frank discussion while the review is live.",
        conclusion="The public interest favours withholding until the review is published.",
    )


ITEMS = (
    ItemAnswers(
        item_id=REPORT, record="LR-2026-001", description="Draft report v3", subjects=(CHILD, MOTHER)
    ),
    ItemAnswers(item_id=MINUTES, record="LR-2026-001", description="Review Team minutes", subjects=(MOTHER,)),
    ItemAnswers(item_id=CHRONOLOGY, record="LR-2026-001", description="Merged chronology", subjects=(CHILD,)),
)


def exempt(item_id: str, section: Section, extent: Extent = Extent.WHOLE, **changes: Any) -> ApplyExemption:
    command = ApplyExemption(
        item_id=item_id,
        section=section,
        extent=extent,
        reasons="Why it applies.",
        public_interest=public_interest() if exemption(section).qualified else None,
    )
    return msgspec.structs.replace(command, **changes)


def respond(
    response: ResponseType = ResponseType.PARTIAL, day: int = 25, **changes: Any
) -> RespondToFoiRequest:
    command = RespondToFoiRequest(responded_on=on(day), response=response, notice_sha256=NOTICE)
    return msgspec.structs.replace(command, **changes)


def received() -> FoiRequest:
    return run(FOI(REF), IG, receive(), 0)


def identified() -> FoiRequest:
    return run(received(), IG, IdentifyInformation(identified_on=on(5), items=ITEMS), 5)


def exemptions_applied() -> FoiRequest:
    foi = identified()
    run(foi, IG, exempt(REPORT, Section.S27_1), 10)
    run(foi, IG, exempt(MINUTES, Section.S38_1_B, Extent.PART), 10)
    run(foi, IG, exempt(MINUTES, Section.S30_B, Extent.PART), 10)
    return run(foi, IG, exempt(CHRONOLOGY, Section.S38_1_B), 10)


def responded() -> FoiRequest:
    return run(exemptions_applied(), IG, respond(), 25)


def under_review(day: int = 40) -> FoiRequest:
    command = RecordReviewRequirement(received_on=on(day), dissatisfaction="The minutes are over-redacted.")
    return run(responded(), IG, command, day)


def review_decision(**changes: Any) -> DecideReview:
    command = DecideReview(
        decided_on=on(55),
        outcome=ReviewOutcome.CONFIRMED,
        reasons="The redactions stand.",
        notice_sha256=NOTICE,
    )
    return msgspec.structs.replace(command, **changes)


def violation(message: str, rule: str) -> str:
    return f"{REF}: {message} ({rule})"


# -- the scenario ---------------------------------------------------------------------------------------


def test_an_foi_request_from_receipt_through_review_and_appeal_to_closure() -> None:
    # Monday 2 March 2026: the request arrives by email; due on the twentieth working day, 30 March.
    foi = received()
    assert (foi.stage, foi.due_on) == ("being answered", date(2026, 3, 30))

    # Which review? The clock stops, and runs again from Friday's answer: Good Friday does not count.
    run(foi, IG, SeekFoiClarification(sought_on=on(1), question="Which review do you mean?"), 1)
    assert foi.stage == "clock stopped: awaiting clarification"
    assert foi.timescales()[0].status() is TimescaleStatus.PAUSED
    run(foi, IG, ReceiveFoiClarification(received_on=on(4), answer="The Kirkwall review, 2025."), 4)
    assert foi.due_on == date(2026, 4, 6)

    # Three items; exemptions item by item; a response in part on 1 April.
    run(foi, IG, IdentifyInformation(identified_on=on(5), items=ITEMS), 5)
    run(foi, IG, exempt(REPORT, Section.S27_1), 10)
    run(foi, IG, exempt(MINUTES, Section.S38_1_B, Extent.PART), 10)
    run(foi, IG, exempt(MINUTES, Section.S30_B, Extent.PART), 10)
    run(foi, IG, exempt(CHRONOLOGY, Section.S38_1_B), 10)
    run(foi, IG, respond(day=30), 30)
    assert foi.stage == "response sent"

    # The journalist requires a review; a second officer decides it within twenty working days.
    run(foi, IG, RecordReviewRequirement(received_on=on(44), dissatisfaction="Over-redacted minutes."), 44)
    assert foi.stage == "under review"
    run(foi, IG2, review_decision(outcome=ReviewOutcome.SUBSTITUTED, decided_on=on(60)), 60)

    # The journalist applies to the Commissioner, whose decision is noted; the file closes.
    run(foi, IG, NoteAppeal(applied_on=on(90), commissioner_reference="SIC-202600123"), 90)
    assert foi.stage == "with the Scottish Information Commissioner"
    decision = NoteCommissionerDecision(
        decided_on=on(200),
        decision_reference="Decision 123/2026",
        outcome=CommissionerOutcome.AUTHORITY_UPHELD,
    )
    run(foi, IG, decision, 200)
    run(foi, IG, CloseFoiRequest(closed_on=on(201)), 201)

    assert [str(type(e).__struct_config__.tag) for e in foi.collect_events()] == [
        "foi.request-received",
        "foi.clarification-sought",
        "foi.clarification-received",
        "foi.information-identified",
        "foi.exemption-applied",
        "foi.exemption-applied",
        "foi.exemption-applied",
        "foi.exemption-applied",
        "foi.response-sent",
        "foi.review-required",
        "foi.review-decided",
        "foi.appeal-noted",
        "foi.commissioner-decision-noted",
        "foi.request-closed",
    ]
    assert (foi.stage, foi.status, foi.obligations()) == ("closed", "closed", [])
    assert [t.status() for t in foi.timescales()] == [TimescaleStatus.MET, TimescaleStatus.MET]


def test_the_response_records_what_was_released_withheld_and_cited() -> None:
    sent = responded().collect_events()[-1]
    assert isinstance(sent, FoiResponseSent)
    assert sent.sections_cited == (Section.S27_1, Section.S38_1_B, Section.S30_B)
    assert (sent.items_released, sent.items_withheld) == ((MINUTES,), (REPORT, CHRONOLOGY))
    assert (sent.notice_sha256, sent.due_on) == (NOTICE, date(2026, 3, 30))
    # Answered early, the forty working days run from the day the response fell due (s.20(5)).
    assert sent.review_requirement_due_on == date(2026, 5, 28)
    assert working_days_after(date(2026, 3, 30), sent.review_requirement_due_on, SCOTLAND) == 40


def test_a_late_response_starts_the_forty_working_days_from_itself() -> None:
    foi = run(identified(), IG, respond(ResponseType.DISCLOSE, day=35), 35)
    sent = foi.collect_events()[-1]
    assert isinstance(sent, FoiResponseSent)
    assert working_days_after(on(35), sent.review_requirement_due_on, SCOTLAND) == 40
    assert foi.timescales()[0].status() is TimescaleStatus.MISSED


def test_information_not_held_is_answered_under_section_17() -> None:
    foi = run(received(), IG, respond(ResponseType.NOT_HELD, day=10), 10)
    sent = foi.collect_events()[-1]
    assert isinstance(sent, FoiResponseSent)
    assert (sent.response, sent.items_released, sent.sections_cited) == (ResponseType.NOT_HELD, (), ())


def test_neither_confirm_nor_deny_cites_the_sections_it_rests_on() -> None:
    command = respond(
        ResponseType.NEITHER_CONFIRM_NOR_DENY,
        day=10,
        ncnd_sections=(Section.S38_1_B, Section.S35_1),
        ncnd_public_interest="Confirming would reveal whether a named family is under review.",
    )
    sent = run(identified(), IG, command, 10).collect_events()[-1]
    assert isinstance(sent, FoiResponseSent)
    assert sent.sections_cited == (Section.S38_1_B, Section.S35_1)
    assert sent.items_released == ()
    assert sent.ncnd_public_interest is not None and sent.ncnd_public_interest.nature is Nature.OPINION


def test_a_failure_to_respond_can_be_reviewed_once_the_time_has_run_out() -> None:
    command = RecordReviewRequirement(received_on=on(35), dissatisfaction="No answer.")
    foi = run(identified(), IG, command, 35)
    assert foi.stage == "under review"
    assert foi.review is not None and not foi.review.late


def test_a_late_requirement_for_review_is_accepted_only_with_a_reason() -> None:
    command = RecordReviewRequirement(
        received_on=on(100),
        dissatisfaction="Over-redacted.",
        accepted_late_because="The requester was in hospital.",
    )
    foi = run(responded(), IG, command, 100)
    assert foi.review is not None and foi.review.late


def test_a_closed_request_is_reopened_by_a_requirement_for_review() -> None:
    foi = run(responded(), IG, CloseFoiRequest(closed_on=on(31)), 31)
    run(foi, IG, RecordReviewRequirement(received_on=on(40), dissatisfaction="Over-redacted."), 40)
    assert (foi.stage, foi.status) == ("under review", "open")


def test_the_commissioner_can_be_asked_when_the_review_is_not_decided_in_time() -> None:
    foi = under_review()
    assert foi.review is not None
    day = (foi.review.due_on - on(0)).days + 1
    run(foi, IG, NoteAppeal(applied_on=on(day), commissioner_reference="SIC-1"), day)
    assert foi.appealed_on == on(day)


# -- what is owed, and by when ----------------------------------------------------------------------


def test_what_is_owed_after_receipt_and_during_a_review() -> None:
    due = date(2026, 3, 30)
    assert received().obligations() == [
        Obligation(
            who=(Role.IG_OFFICER,),
            what="record the information held, or respond that it is not held",
            rule=RULE_FOI_RESPONSE,
            due=due,
        ),
        Obligation(who=(Role.IG_OFFICER,), what="send the response", rule=RULE_FOI_RESPONSE, due=due),
    ]
    foi = under_review()
    assert foi.review is not None
    assert foi.obligations() == [
        Obligation(
            who=(Role.IG_OFFICER,),
            what="an officer not involved in the response decides the review",
            rule=RULE_FOI_REVIEW,
            due=foi.review.due_on,
        )
    ]
    assert working_days_after(on(40), foi.review.due_on, SCOTLAND) == 20


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 10, 31)))
def test_the_response_is_due_exactly_twenty_working_days_after_receipt(day: date) -> None:
    foi = FOI(REF)
    foi.execute(receive(received_on=day), IG, datetime(day.year, day.month, day.day, 17, tzinfo=UTC))
    assert foi.due_on is not None
    assert working_days_after(day, foi.due_on, SCOTLAND) == 20
    assert working_days_after(day, foi.due_on - timedelta(days=1), SCOTLAND) == 19


# -- refusals -------------------------------------------------------------------------------------------


def test_only_an_ig_officer_records_an_foi_request() -> None:
    message = f"{REF}: recording an FOI request can only be recorded by an information-governance officer; reviewer does not hold that role"
    refused(FOI(REF), REVIEWER, receive(), 0, NotAuthorised, message)


def test_every_step_refuses_anyone_but_an_ig_officer() -> None:
    examples: list[Command] = [
        receive(),
        SeekFoiClarification(sought_on=on(1), question="Which?"),
        ReceiveFoiClarification(received_on=on(1), answer="That."),
        IdentifyInformation(identified_on=on(1), items=ITEMS),
        exempt(REPORT, Section.S27_1),
        respond(ResponseType.NOT_HELD, day=1),
        RecordReviewRequirement(received_on=on(1), dissatisfaction="Slow."),
        review_decision(decided_on=on(1)),
        NoteAppeal(applied_on=on(1), commissioner_reference="SIC-1"),
        NoteCommissionerDecision(
            decided_on=on(1), decision_reference="D-1", outcome=CommissionerOutcome.PARTLY_UPHELD
        ),
        CloseFoiRequest(closed_on=on(1)),
        AssignOfficers(officers=("ig-officer-2",), reason="Away."),
    ]
    assert {type(c) for c in examples} == set(STEPS)
    for command in examples:
        doing = STEPS[type(command)].doing
        message = f"{REF}: {doing} can only be recorded by an information-governance officer; reviewer does not hold that role"
        refused(received(), REVIEWER, command, 1, NotAuthorised, message)


def test_working_days_need_a_calendar() -> None:
    with pytest.raises(LookupError, match=r"use FoiRequest\.using\(calendar\)"):
        FoiRequest(REF).execute(receive(), IG, at(0))


def test_a_valid_request_names_the_requester_and_an_address_and_describes_the_information() -> None:
    refused(
        FOI(REF),
        IG,
        receive(requester_name=" "),
        0,
        InvalidInput,
        "requester_name: a valid request states the requester's name",
    )
    refused(
        FOI(REF),
        IG,
        receive(address_for_correspondence=""),
        0,
        InvalidInput,
        "address_for_correspondence: a valid request gives an address",
    )
    refused(
        FOI(REF),
        IG,
        receive(information_requested=""),
        0,
        InvalidInput,
        "information_requested: a valid request describes the information",
    )


def test_a_request_is_received_once() -> None:
    refused(
        received(),
        IG,
        receive(),
        0,
        RuleViolation,
        violation("this request has already been received", RULE_REQUEST),
    )


def test_nothing_is_recorded_before_the_request_is_received() -> None:
    command = IdentifyInformation(identified_on=on(0), items=ITEMS)
    message = "recording the information held needs the request to be received first"
    refused(FOI(REF), IG, command, 0, RuleViolation, violation(message, RULE_REQUEST))


def test_clarification_is_sought_one_question_at_a_time_and_answered_only_when_asked() -> None:
    foi = run(received(), IG, SeekFoiClarification(sought_on=on(1), question="Which review?"), 1)
    again = SeekFoiClarification(sought_on=on(2), question="Which year?")
    message = "clarification is already awaited; record the answer first"
    refused(foi, IG, again, 2, RuleViolation, violation(message, RULE_CLARIFICATION))
    answer = ReceiveFoiClarification(received_on=on(2), answer="That one.")
    refused(
        received(),
        IG,
        answer,
        2,
        RuleViolation,
        violation("no clarification has been asked for", RULE_CLARIFICATION),
    )


def test_information_identified_names_each_item_once() -> None:
    message = "items: name at least one item held; if nothing is held, respond under section 17"
    refused(received(), IG, IdentifyInformation(identified_on=on(5), items=()), 5, InvalidInput, message)
    again = IdentifyInformation(identified_on=on(6), items=(ITEMS[0],))
    refused(identified(), IG, again, 6, InvalidInput, f"items: {REPORT} is already identified")


def test_an_exemption_is_applied_to_information_identified() -> None:
    refused(
        identified(),
        IG,
        exempt("elsewhere", Section.S38_1_B),
        10,
        InvalidInput,
        "item_id: elsewhere is not among the information identified",
    )


def test_a_qualified_exemption_needs_the_public_interest_test() -> None:
    message = (
        "section 30(b) is a qualified exemption: record the public interest test "
        "(the case for disclosure, the case for withholding, and the conclusion)"
    )
    command = exempt(MINUTES, Section.S30_B, public_interest=None)
    refused(identified(), IG, command, 10, RuleViolation, violation(message, RULE_EXEMPTION))


def test_an_absolute_exemption_has_no_public_interest_test() -> None:
    command = exempt(CHRONOLOGY, Section.S38_1_B, public_interest=public_interest())
    message = "public_interest: section 38(1)(b) is absolute: it has no public interest test"
    refused(identified(), IG, command, 10, InvalidInput, message)


def test_an_exemption_is_applied_to_an_item_once() -> None:
    message = f"section 38(1)(b) is already applied to {CHRONOLOGY}"
    refused(
        exemptions_applied(),
        IG,
        exempt(CHRONOLOGY, Section.S38_1_B),
        11,
        RuleViolation,
        violation(message, RULE_EXEMPTION),
    )


def test_the_requesters_own_data_is_handled_as_a_subject_access_request() -> None:
    message = (
        "the requester's own personal data is handled as a subject access request: "
        "give the reference of the request opened for it"
    )
    refused(
        identified(),
        IG,
        exempt(MINUTES, Section.S38_1_A),
        10,
        RuleViolation,
        violation(message, RULE_OWN_DATA),
    )
    foi = run(identified(), IG, exempt(MINUTES, Section.S38_1_A, sar_reference="SAR-2026-020"), 10)
    assert foi.exemptions[MINUTES] == {Section.S38_1_A: Extent.WHOLE}
    stray = exempt(CHRONOLOGY, Section.S38_1_B, sar_reference="SAR-2026-020")
    refused(identified(), IG, stray, 10, InvalidInput, "sar_reference: is given only with section 38(1)(a)")


def test_a_full_release_cannot_cite_exemptions() -> None:
    message = "exemptions have been applied: respond in part, or refuse"
    refused(
        exemptions_applied(),
        IG,
        respond(ResponseType.DISCLOSE),
        25,
        RuleViolation,
        violation(message, RULE_RESPONSE),
    )


def test_releasing_or_refusing_needs_information_identified() -> None:
    message = "no information has been identified: record what is held, or respond that it is not held"
    refused(
        received(), IG, respond(ResponseType.DISCLOSE), 25, RuleViolation, violation(message, RULE_RESPONSE)
    )


def test_a_response_in_part_withholds_something_and_releases_the_rest() -> None:
    message = "a response in part withholds something under an exemption and releases the rest"
    refused(
        identified(), IG, respond(ResponseType.PARTIAL), 25, RuleViolation, violation(message, RULE_RESPONSE)
    )


def test_a_refusal_withholds_everything() -> None:
    message = f"a refusal withholds everything, but {MINUTES} is not withheld in whole: respond in part"
    refused(
        exemptions_applied(),
        IG,
        respond(ResponseType.REFUSE),
        25,
        RuleViolation,
        violation(message, RULE_RESPONSE),
    )


def test_information_held_cannot_be_said_not_to_be_held() -> None:
    message = "information has been identified as held: it cannot be said not to be held"
    refused(
        identified(), IG, respond(ResponseType.NOT_HELD), 25, RuleViolation, violation(message, RULE_RESPONSE)
    )


def test_neither_confirm_nor_deny_rests_only_on_the_sections_section_18_allows() -> None:
    command = respond(
        ResponseType.NEITHER_CONFIRM_NOR_DENY,
        ncnd_sections=(Section.S36_1,),
        ncnd_public_interest="Privilege.",
    )
    message = (
        "section 36(1) cannot support neither confirming nor denying; section 18 allows only sections "
        "28 to 35, 38, 39(1) and 41"
    )
    refused(identified(), IG, command, 25, RuleViolation, violation(message, RULE_RESPONSE))
    no_reason = respond(ResponseType.NEITHER_CONFIRM_NOR_DENY, ncnd_sections=(Section.S35_1,))
    message = (
        "say why revealing whether the information exists or is held would be contrary to the public interest"
    )
    refused(identified(), IG, no_reason, 25, RuleViolation, violation(message, RULE_RESPONSE))
    no_sections = respond(ResponseType.NEITHER_CONFIRM_NOR_DENY, ncnd_public_interest="Because.")
    refused(
        identified(),
        IG,
        no_sections,
        25,
        InvalidInput,
        "ncnd_sections: name the exemptions the notice rests on",
    )
    misplaced = respond(ResponseType.NOT_HELD, ncnd_sections=(Section.S35_1,))
    message = "ncnd_sections: are given only when neither confirming nor denying"
    refused(received(), IG, misplaced, 25, InvalidInput, message)


def test_the_notice_digest_is_of_the_exact_notice_sent() -> None:
    message = "notice_sha256: must be the SHA-256 of the notice sent: 64 lowercase hexadecimal digits"
    refused(identified(), IG, respond(ResponseType.DISCLOSE, notice_sha256="ABC"), 25, InvalidInput, message)


def test_no_response_while_clarification_is_awaited() -> None:
    foi = run(identified(), IG, SeekFoiClarification(sought_on=on(6), question="Which year?"), 6)
    message = "clarification is still awaited; record it before responding"
    refused(
        foi, IG, respond(ResponseType.DISCLOSE), 25, RuleViolation, violation(message, RULE_CLARIFICATION)
    )


def test_after_the_response_no_more_exemptions_are_applied() -> None:
    message = "the response has been sent: applying an exemption can no longer be recorded"
    refused(
        responded(), IG, exempt(MINUTES, Section.S39_1), 26, RuleViolation, violation(message, RULE_RESPONSE)
    )


def test_nothing_can_be_reviewed_before_a_response_or_its_deadline() -> None:
    command = RecordReviewRequirement(received_on=on(10), dissatisfaction="Too slow.")
    message = "nothing can be reviewed yet: the response is due by 2026-03-30"
    refused(identified(), IG, command, 10, RuleViolation, violation(message, RULE_FOI_REVIEW_REQUEST))


def test_a_requirement_for_review_after_forty_working_days_is_refused_unless_accepted() -> None:
    command = RecordReviewRequirement(received_on=on(100), dissatisfaction="Over-redacted.")
    message = (
        "the requirement for review arrived after the fortieth working day (2026-05-28); "
        "record why the authority accepts it late, or refuse it"
    )
    refused(responded(), IG, command, 100, RuleViolation, violation(message, RULE_FOI_REVIEW_REQUEST))
    in_time = RecordReviewRequirement(
        received_on=on(40), dissatisfaction="Over-redacted.", accepted_late_because="x"
    )
    refused(
        responded(),
        IG,
        in_time,
        40,
        InvalidInput,
        "accepted_late_because: the requirement for review is not late",
    )


def test_a_review_is_required_once() -> None:
    command = RecordReviewRequirement(received_on=on(41), dissatisfaction="Again.")
    message = "a review has already been required for this request"
    refused(under_review(), IG, command, 41, RuleViolation, violation(message, RULE_FOI_REVIEW_REQUEST))


def test_the_officer_who_sent_the_response_does_not_decide_the_review() -> None:
    message = "the review is decided by an officer not involved in the response; ig-officer sent it"
    refused(under_review(), IG, review_decision(), 55, RuleViolation, violation(message, RULE_REVIEWER))


def test_a_review_decision_needs_a_review() -> None:
    message = "there is no review waiting for a decision"
    refused(responded(), IG2, review_decision(), 55, RuleViolation, violation(message, RULE_FOI_REVIEW))


def test_the_commissioner_is_asked_only_after_the_review() -> None:
    message = (
        "the Commissioner can be asked only after a review has been decided, or has not been decided in time"
    )
    command = NoteAppeal(applied_on=on(45), commissioner_reference="SIC-1")
    refused(under_review(), IG, command, 45, RuleViolation, violation(message, RULE_APPEAL))
    foi = run(under_review(), IG2, review_decision(), 55)
    run(foi, IG, NoteAppeal(applied_on=on(60), commissioner_reference="SIC-1"), 60)
    again = NoteAppeal(applied_on=on(61), commissioner_reference="SIC-2")
    refused(
        foi,
        IG,
        again,
        61,
        RuleViolation,
        violation("an application to the Commissioner is already noted", RULE_APPEAL),
    )


def test_a_commissioner_decision_needs_an_application() -> None:
    command = NoteCommissionerDecision(
        decided_on=on(60), decision_reference="D-1", outcome=CommissionerOutcome.AUTHORITY_UPHELD
    )
    message = "no application to the Commissioner is waiting for a decision"
    refused(responded(), IG, command, 60, RuleViolation, violation(message, RULE_APPEAL))


def test_a_request_closes_only_when_nothing_is_pending() -> None:
    close = CloseFoiRequest(closed_on=on(50))
    message = "the request cannot close before the response is sent"
    refused(identified(), IG, close, 50, RuleViolation, violation(message, RULE_RESPONSE))
    message = "the request cannot close while a review is waiting for a decision"
    refused(under_review(), IG, close, 50, RuleViolation, violation(message, RULE_FOI_REVIEW))


def test_a_closed_request_takes_no_other_step() -> None:
    foi = run(responded(), IG, CloseFoiRequest(closed_on=on(31)), 31)
    message = "the request is closed: closing the request can no longer be recorded"
    refused(foi, IG, CloseFoiRequest(closed_on=on(32)), 32, RuleViolation, violation(message, RULE_CLOSED))


# -- the notices (FOISA ss.16-19, s.21) ------------------------------------------------------------------


def test_a_refusal_notice_names_each_exemption_why_it_applies_and_the_public_interest() -> None:
    text = refusal_notice(
        [
            NoticeGround(section=Section.S38_1_B, reasons="The chronology is about the child."),
            NoticeGround(
                section=Section.S30_B,
                reasons="Frank views in the minutes.",
                public_interest="Safe space outweighs.",
            ),
        ],
        partial=True,
    )
    assert (
        "section 38(1)(b): Personal information: another person's personal data (absolute exemption)" in text
    )
    assert "Why it applies: The chronology is about the child." in text
    assert "The public interest: Safe space outweighs." in text
    assert text.endswith(REVIEW_AND_APPEAL_RIGHTS)


def test_every_notice_states_the_rights_of_review_and_appeal() -> None:
    notices = [
        refusal_notice([NoticeGround(section=Section.S36_2, reasons="Given in confidence.")], partial=False),
        not_held_notice("The council does not hold review minutes before 2020."),
        neither_confirm_nor_deny_notice([Section.S38_1_B]),
        disclosure_notice(),
    ]
    for text in notices:
        assert "40 working days" in text
        assert "Scottish Information Commissioner" in text
        assert "section 20" in text and "section 47" in text
    review = review_decision_notice("We have reviewed the decision and confirm it.")
    assert review.endswith(COMMISSIONER_AND_COURT_RIGHTS)
    assert "Court of Session" in review


def test_a_notice_refuses_an_incomplete_ground() -> None:
    with pytest.raises(
        InvalidInput, match="public_interest: section 30\\(c\\) is qualified: give the public interest test"
    ):
        refusal_notice([NoticeGround(section=Section.S30_C, reasons="Prejudice.")], partial=False)
    with pytest.raises(InvalidInput, match="public_interest: section 38\\(1\\)\\(b\\) is absolute"):
        refusal_notice(
            [NoticeGround(section=Section.S38_1_B, reasons="Personal.", public_interest="x")], partial=False
        )
    with pytest.raises(InvalidInput, match="reasons: say why section 27\\(1\\) applies"):
        refusal_notice([NoticeGround(section=Section.S27_1, reasons=" ", public_interest="x")], partial=False)
    with pytest.raises(InvalidInput, match="grounds: a refusal notice names at least one exemption"):
        refusal_notice([], partial=False)
    with pytest.raises(InvalidInput, match="explanation: say why the information is not held"):
        not_held_notice("")
    with pytest.raises(InvalidInput, match="decision: state the outcome of the review"):
        review_decision_notice(" ")


def test_a_neither_confirm_nor_deny_notice_rests_only_on_sections_it_may() -> None:
    with pytest.raises(
        InvalidInput, match="sections: section 27\\(1\\) cannot support neither confirming nor denying"
    ):
        neither_confirm_nor_deny_notice([Section.S27_1])
    with pytest.raises(InvalidInput, match="sections: a notice under section 18 names the exemptions"):
        neither_confirm_nor_deny_notice([])
    assert "section 35(1), section 38(1)(b)" in neither_confirm_nor_deny_notice(
        [Section.S35_1, Section.S38_1_B]
    )


# -- the exemptions library -------------------------------------------------------------------------------


def test_the_library_holds_the_exemptions_a_review_file_meets() -> None:
    kinds = {code: e.kind for code, e in EXEMPTIONS.items()}
    assert kinds == {
        Section.S27_1: ExemptionKind.QUALIFIED,
        Section.S30_B: ExemptionKind.QUALIFIED,
        Section.S30_C: ExemptionKind.QUALIFIED,
        Section.S35_1: ExemptionKind.QUALIFIED,
        Section.S36_1: ExemptionKind.QUALIFIED,
        Section.S36_2: ExemptionKind.ABSOLUTE,
        Section.S38_1_A: ExemptionKind.ABSOLUTE,
        Section.S38_1_B: ExemptionKind.ABSOLUTE,
        Section.S39_1: ExemptionKind.QUALIFIED,
    }
    for found in EXEMPTIONS.values():
        assert found.section.startswith("section ")
        assert found.title and found.description.endswith(".")
    # s.18: only ss.28 to 35, 38, 39(1) and 41 support neither confirming nor denying.
    assert {c for c, e in EXEMPTIONS.items() if not e.neither_confirm_nor_deny} == {
        Section.S27_1,
        Section.S36_1,
        Section.S36_2,
    }
    assert [c for c, e in EXEMPTIONS.items() if e.handle_as_subject_access] == [Section.S38_1_A]


# -- the record: stream, class, personal data, replay -------------------------------------------------------


def test_the_stream_the_kind_and_the_authority_table() -> None:
    assert foi_stream(REF) == "foi-FOI-2026-031"
    assert (FOI.kind, FOI.calendar, FoiRequest.calendar) == ("FOI request", SCOTLAND, None)
    assert FOI.commands() == FoiRequest.commands()
    assert set(FoiRequest.commands().values()) == set(STEPS)
    assert all(step.roles == (Role.IG_OFFICER,) for step in STEPS.values())
    foi = identified()
    assert (foi.is_open, foi.records_in_scope) == (True, ("LR-2026-001",))


def every_event() -> list[DomainEvent]:
    foi = run(under_review(), IG2, review_decision(), 55)
    run(foi, IG, NoteAppeal(applied_on=on(60), commissioner_reference="SIC-1"), 60)
    decision = NoteCommissionerDecision(
        decided_on=on(90), decision_reference="D-1", outcome=CommissionerOutcome.PARTLY_UPHELD
    )
    run(foi, IG, decision, 90)
    run(foi, IG, CloseFoiRequest(closed_on=on(91)), 91)
    other = run(received(), IG, SeekFoiClarification(sought_on=on(1), question="Which?"), 1)
    run(other, IG, ReceiveFoiClarification(received_on=on(2), answer="That."), 2)
    run(other, IG, AssignOfficers(officers=("ig-officer-2",), reason="Away."), 2)
    return foi.collect_events() + other.collect_events()


@pytest.mark.parametrize("event_type", FoiEvent.__subclasses__(), ids=lambda t: t.__name__)
def test_every_event_type_round_trips(event_type: type[DomainEvent]) -> None:
    examples = [e for e in every_event() if type(e) is event_type]
    assert examples, f"no example of {event_type.__name__}"
    for event in examples:
        assert msgspec.json.decode(msgspec.json.encode(event), type=event_type) == event


def test_the_requesters_details_are_personal_data_and_never_in_plain_fields() -> None:
    events = every_event()
    first = events[0]
    assert isinstance(first, FoiReceived)
    assert first.requester_name == Personal(value="Erlend Rendall", about=(JOURNALIST,), kind=ItemKind.NAME)
    assert first.address_for_correspondence.kind is ItemKind.CONTACT
    assert first.information_requested.by == JOURNALIST
    review = next(e for e in events if isinstance(e, ReviewRequired))
    assert review.dissatisfaction.by == JOURNALIST
    for event in events:
        data = to_builtins(event)
        take_personal_values(data)
        plain = msgspec.json.encode(data).decode()
        assert [w for w in ("Erlend", "Rendall", "example.net", "Draft report") if w in plain] == []


def test_the_file_replays_without_a_calendar_with_its_personal_data_sealed() -> None:
    live = under_review()
    events = live.collect_events()
    # Every deadline is in the events: replaying needs no calendar.
    replayed = FoiRequest.replay(REF, [sealed(e) for e in events])
    assert (replayed.stage, replayed.version) == (live.stage, live.version)
    assert replayed.timescales() == live.timescales()
    assert replayed.obligations() == live.obligations()
    disposal = PersonalDataDisposed(
        rule="retention: FOI file, 3 years", authorised_by="records-manager", at=at(900)
    )
    assert FOI.replay(REF, [*events, disposal]).personal_data_disposed


def test_the_officer_who_received_it_handles_it_until_officers_are_assigned() -> None:
    foi = received()
    assert foi.officers == (IG.actor,)
    run(foi, IG, AssignOfficers(officers=(IG2.actor, IG.actor), reason="A second officer for the review."), 1)
    assert set(foi.officers) == {IG2.actor, IG.actor}
    event = foi.collect_events()[-1]
    assert isinstance(event, FoiOfficersAssigned) and event.reason == "A second officer for the review."
