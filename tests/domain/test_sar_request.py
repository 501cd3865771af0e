"""A subject access request, told as an IG officer handles one (DOMAIN.md §4).

A mother asks for what the council holds about her in her son's review files. The officer
asks for proof of identity (the month starts when it arrives), asks what she means by "the
meetings" (the clock stops), extends the time because the files are large, searches two
records, collates the items, withholds her neighbour's account and, with a second officer's
confirmation, a passage whose disclosure would cause serious harm; releases her son's name
in one item as reasonable to disclose; reviews the pack, sends it and closes the file. Then
one test per rule: the refusal, its exact words, and nothing changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.store.personal_data import take_personal_values
from domain.governance.disposal import PersonalDataDisposed
from domain.governance.ig_handling import AssignOfficers
from domain.governance.ig_timescales import (
    RULE_SAR_EXTENSION,
    RULE_SAR_MONTH,
    RULE_SAR_STOP,
    RULE_SAR_WORKING_DAY,
    BankHolidays,
    sar_due,
)
from domain.governance.sar.pack import (
    RULE_CLOSED,
    RULE_RECEIPT,
    RULE_RESPONSE,
    RULE_REVIEW,
    RULE_SEARCH,
    RULE_SERIOUS_HARM,
    RULE_THIRD_PARTY,
    STEPS,
)
from domain.governance.sar.request import RULE_IDENTITY, SubjectAccessRequest, sar_stream
from domain.governance.sar.steps import (
    Capacity,
    ChildView,
    ClarificationReceived,
    CloseOutcome,
    CloseSubjectAccessRequest,
    CollatedItem,
    CollateItems,
    ConfirmSeriousHarm,
    DeadlineExtended,
    DeclineSeriousHarm,
    Delivery,
    ExtendDeadline,
    ExtensionReason,
    IdentityCheck,
    PackFormat,
    ProposeRedaction,
    ReceiveClarification,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RedactionGround,
    RedactionStatus,
    ReleaseBasis,
    ReleaseItemInPart,
    ReleaseThirdPartyData,
    RequestChannel,
    ResponseContent,
    ResponseSent,
    ReviewResponse,
    SarEvent,
    SarReceived,
    SearchAnswers,
    SeekClarification,
    SeekProofOfIdentity,
    SendResponse,
    VerifyIdentity,
    Withholding,
)
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Personal, to_builtins
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import TimescaleStatus
from domain.routes.mini.events import RequestTabled
from tests.days import at, on
from tests.domain.record_steps import refused, run, sealed, tags

REF = "SAR-2026-014"
MOTHER, SON, NEIGHBOUR, SOLICITOR = "S-mother", "S-son", "S-neighbour", "S-solicitor"
REVIEW, MINI = "LR-2026-001", "MLR-2026-003"
DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

IG = Acting(actor="ig-officer", roles=frozenset({Role.IG_OFFICER}))
IG2 = Acting(actor="ig-officer-2", roles=frozenset({Role.IG_OFFICER}))
CPC_OFFICER = Acting(actor="cpc-officer", roles=frozenset({Role.CPC_OFFICER}))


# -- the commands of a typical request ------------------------------------------------------------------


def receive(**changes: Any) -> ReceiveSubjectAccessRequest:
    command = ReceiveSubjectAccessRequest(
        received_on=on(0),
        channel=RequestChannel.EMAIL,
        requester_id=MOTHER,
        subject_id=MOTHER,
        capacity=Capacity.DATA_SUBJECT,
        requester_name="Morag Flett",
        requester_contact="morag.flett@example.org",
        requester_address="4 Harbour Row, Kirkwall",
        request="Everything you hold about me from my son's review, including the meetings.",
    )
    return msgspec.structs.replace(command, **changes)


def search(*records: str, day: int = 16) -> RecordSearch:
    return RecordSearch(
        searched_on=on(day),
        records=tuple(
            SearchAnswers(record=r, what="every personal item about the requester") for r in records
        ),
        terms=("Morag Flett",),
    )


ITEMS = (
    CollatedItem(item_id=f"{REVIEW}@3/concern", record=REVIEW, third_parties=(SON, NEIGHBOUR)),
    CollatedItem(item_id=f"{REVIEW}@9/minutes", record=REVIEW),
    CollatedItem(item_id=f"{MINI}@2/summary", record=MINI, third_parties=(SON,)),
)


def send(**changes: Any) -> SendResponse:
    command = SendResponse(
        sent_on=on(40),
        sha256=DIGEST,
        size_bytes=482_113,
        pack_format=PackFormat.PDF,
        delivery=Delivery.SECURE_PORTAL,
        contents=tuple(ResponseContent),
    )
    return msgspec.structs.replace(command, **changes)


# -- the file at each point -----------------------------------------------------------------------------


def received(**changes: Any) -> SubjectAccessRequest:
    return run(SubjectAccessRequest(REF), IG, receive(**changes), 0)


def verified() -> SubjectAccessRequest:
    sar = run(received(), IG, SeekProofOfIdentity(sought_on=on(1), asked_for="photo identification"), 1)
    check = VerifyIdentity(verified_on=on(8), check=IdentityCheck.DOCUMENTS_SEEN, evidence_received_on=on(7))
    return run(sar, IG, check, 8)


def searched() -> SubjectAccessRequest:
    return run(verified(), IG, search(REVIEW, MINI), 16)


def collated() -> SubjectAccessRequest:
    return run(searched(), IG, CollateItems(collated_on=on(17), items=ITEMS), 17)


def harm_proposed() -> SubjectAccessRequest:
    proposal = ProposeRedaction(
        item_id=f"{REVIEW}@9/minutes",
        ground=RedactionGround.SERIOUS_HARM,
        passage="third paragraph",
        explanation="Disclosure would be likely to cause serious harm to the son's mental health.",
    )
    return run(collated(), IG, proposal, 20)


def reviewed() -> SubjectAccessRequest:
    sar = run(
        harm_proposed(), IG2, ConfirmSeriousHarm(redaction=1, reasons="Agreed with the social worker."), 21
    )
    return run(sar, IG, ReviewResponse(reviewed_on=on(30)), 30)


def responded() -> SubjectAccessRequest:
    return run(reviewed(), IG, send(), 40)


def violation(message: str, rule: str) -> str:
    return f"{REF}: {message} ({rule})"


# -- the scenario ---------------------------------------------------------------------------------------


def test_a_subject_access_request_from_receipt_to_closure() -> None:
    # Monday 2 March 2026: the mother emails her request. The month would run to 2 April.
    sar = received()
    assert (sar.stage, sar.status) == ("being prepared", "open")
    assert sar.due_on() == date(2026, 4, 2)

    # The officer asks for photo identification: the month has not started.
    run(sar, IG, SeekProofOfIdentity(sought_on=on(1), asked_for="photo identification"), 1)
    assert sar.stage == "clock stopped: awaiting proof of identity"
    assert sar.timescales()[0].status() is TimescaleStatus.PAUSED

    # The passport copy arrives on 9 March: the month now runs to 9 April.
    check = VerifyIdentity(verified_on=on(8), check=IdentityCheck.DOCUMENTS_SEEN, evidence_received_on=on(7))
    run(sar, IG, check, 8)
    assert sar.due_on() == date(2026, 4, 9)

    # "The meetings": which ones? The clock stops from 12 March until her answer on 19 March.
    run(sar, IG, SeekClarification(sought_on=on(10), question="Which meetings do you mean?"), 10)
    assert sar.stage == "clock stopped: awaiting clarification"
    run(sar, IG, ReceiveClarification(received_on=on(17), answer="The review team meetings in 2025."), 17)
    assert sar.due_on() == date(2026, 4, 16)  # seven days added

    # The files are large: the officer tells her on 20 March that the time is extended by two months.
    extension = ExtendDeadline(
        told_on=on(18), reason=ExtensionReason.COMPLEX, explanation="Two review files, many minutes."
    )
    run(sar, IG, extension, 18)
    assert sar.due_on() == date(2026, 6, 16)  # 9 June + the seven days stopped

    # The search, the collation and the redaction decisions.
    run(sar, IG, search(REVIEW, MINI, day=19), 19)
    run(sar, IG, CollateItems(collated_on=on(20), items=ITEMS), 20)
    harm = ProposeRedaction(
        item_id=f"{REVIEW}@9/minutes",
        ground=RedactionGround.SERIOUS_HARM,
        passage="third paragraph",
        explanation="Disclosure would be likely to cause serious harm to the son's mental health.",
    )
    run(sar, IG, harm, 21)
    assert sar.redactions[1].status is RedactionStatus.AWAITING_SECOND_OFFICER
    assert Withholding(
        item_id=f"{REVIEW}@9/minutes", ground=RedactionGround.SERIOUS_HARM, redaction=1
    ) not in (sar.withheld())
    run(sar, IG2, ConfirmSeriousHarm(redaction=1, reasons="Agreed after speaking to the social worker."), 22)
    release = ReleaseThirdPartyData(
        item_id=f"{MINI}@2/summary",
        third_party=SON,
        basis=ReleaseBasis.REASONABLE_TO_DISCLOSE,
        reasons="Her son's name is already known to her; no duty of confidence is owed.",
    )
    run(sar, IG, release, 23)
    run(sar, IG, ReviewResponse(reviewed_on=on(30), note="Checked against the redaction log."), 30)

    # The pack is sent through the portal on 13 April and the file is closed.
    run(sar, IG, send(), 42)
    run(sar, IG, CloseSubjectAccessRequest(closed_on=on(43), outcome=CloseOutcome.RESPONDED), 43)

    assert tags(sar) == [
        "sar.request-received",
        "sar.proof-of-identity-sought",
        "sar.identity-verified",
        "sar.clarification-sought",
        "sar.clarification-received",
        "sar.deadline-extended",
        "sar.records-searched",
        "sar.items-collated",
        "sar.redaction-proposed",
        "sar.serious-harm-confirmed",
        "sar.third-party-data-released",
        "sar.response-reviewed",
        "sar.response-sent",
        "sar.request-closed",
    ]
    assert (sar.stage, sar.status, sar.obligations()) == ("closed (responded)", "closed", [])
    assert [t.status() for t in sar.timescales()] == [TimescaleStatus.MET]


def test_the_response_records_the_exact_pack_and_every_withholding_with_its_ground() -> None:
    sar = responded()
    sent = sar.collect_events()[-1]
    assert isinstance(sent, ResponseSent)
    assert (sent.sha256, sent.pack_format, sent.due_on) == (DIGEST, PackFormat.PDF, date(2026, 4, 9))
    assert sent.items_sent == tuple(item.item_id for item in ITEMS)
    assert sent.withheld == (
        Withholding(item_id=f"{REVIEW}@3/concern", ground=RedactionGround.THIRD_PARTY, third_party=SON),
        Withholding(item_id=f"{REVIEW}@3/concern", ground=RedactionGround.THIRD_PARTY, third_party=NEIGHBOUR),
        Withholding(item_id=f"{MINI}@2/summary", ground=RedactionGround.THIRD_PARTY, third_party=SON),
        Withholding(item_id=f"{REVIEW}@9/minutes", ground=RedactionGround.SERIOUS_HARM, redaction=1),
    )


def test_a_declined_serious_harm_redaction_withholds_nothing() -> None:
    sar = run(harm_proposed(), IG2, DeclineSeriousHarm(redaction=1, reasons="The son is now an adult."), 21)
    assert sar.redactions[1].status is RedactionStatus.DECLINED
    assert all(w.ground is not RedactionGround.SERIOUS_HARM for w in sar.withheld())


def test_a_third_party_redaction_proposed_by_one_officer_applies_at_once() -> None:
    proposal = ProposeRedaction(
        item_id=f"{REVIEW}@9/minutes",
        ground=RedactionGround.THIRD_PARTY,
        third_party="S-aunt",
        passage="the aunt's account",
        explanation="The aunt is identifiable as the source.",
    )
    sar = run(collated(), IG, proposal, 20)
    assert (
        Withholding(
            item_id=f"{REVIEW}@9/minutes",
            ground=RedactionGround.THIRD_PARTY,
            third_party="S-aunt",
            redaction=1,
        )
        in sar.withheld()
    )


def test_a_solicitor_asks_with_a_signed_mandate() -> None:
    sar = received(
        requester_id=SOLICITOR,
        capacity=Capacity.LEGAL_REPRESENTATIVE,
        requester_name="Harcus Law LLP",
        authority_to_act="Mandate signed by Morag Flett on 27 February 2026",
    )
    event = sar.collect_events()[0]
    assert isinstance(event, SarReceived)
    assert event.authority_to_act == Personal(
        value="Mandate signed by Morag Flett on 27 February 2026", about=(SOLICITOR, MOTHER)
    )


def test_a_parent_may_ask_for_a_child_of_12_who_authorised_it() -> None:
    sar = received(
        subject_id=SON,
        capacity=Capacity.PARENT_OR_CARER,
        authority_to_act="Parental responsibilities; birth certificate seen",
        subject_is_child_aged_12_or_over=True,
        child_view=ChildView.CHILD_AUTHORISED,
    )
    assert sar.subject_id == SON


def test_a_request_can_close_when_proof_of_identity_never_arrives() -> None:
    sar = run(received(), IG, SeekProofOfIdentity(sought_on=on(1), asked_for="photo identification"), 1)
    run(sar, IG, CloseSubjectAccessRequest(closed_on=on(60), outcome=CloseOutcome.IDENTITY_NOT_PROVIDED), 60)
    assert sar.stage == "closed (identity not provided)"


# -- the clock ------------------------------------------------------------------------------------------


def test_the_clock_and_what_is_owed_after_receipt() -> None:
    sar = received()
    due = date(2026, 4, 2)
    assert sar.timescales()[0].due == due
    assert sar.obligations() == [
        Obligation(
            who=(Role.IG_OFFICER,), what="verify the requester's identity", rule=RULE_IDENTITY, due=due
        ),
        Obligation(
            who=(Role.IG_OFFICER,),
            what="search the records for the subject's data",
            rule=RULE_SEARCH,
            due=due,
        ),
        Obligation(who=(Role.IG_OFFICER,), what="review the response pack", rule=RULE_REVIEW, due=due),
        Obligation(
            who=(Role.IG_OFFICER,),
            what="send the response with the cover letter",
            rule=RULE_SAR_MONTH,
            due=due,
        ),
    ]


def test_on_a_calendar_a_due_date_on_a_bank_holiday_moves_to_the_next_working_day() -> None:
    # Received on Friday 30 October 2026: a month on is Monday 30 November, St Andrew's Day.
    holidays = BankHolidays(dates=frozenset({date(2026, 11, 30)}), first_year=2026, last_year=2026)
    command = receive(received_on=date(2026, 10, 30))
    plain = run(SubjectAccessRequest(REF), IG, command, 242)
    counted = run(SubjectAccessRequest.using(holidays)(REF), IG, command, 242)
    assert plain.due_on() == date(2026, 11, 30)
    assert counted.due_on() == date(2026, 12, 1)
    (timescale,) = counted.timescales()
    assert timescale.due == date(2026, 12, 1)
    assert timescale.rule == f"{RULE_SAR_MONTH}; {RULE_SAR_WORKING_DAY}"
    assert plain.timescales()[0].rule == RULE_SAR_MONTH
    assert [o.due for o in counted.obligations()] == [date(2026, 12, 1)] * 4


def test_a_second_officer_is_owed_a_decision_on_a_serious_harm_redaction() -> None:
    owed = [o.what for o in harm_proposed().obligations()]
    assert "a second IG officer confirms or declines the serious-harm redaction 1" in owed


def test_a_response_sent_after_the_due_date_is_shown_as_missed() -> None:
    sar = run(reviewed(), IG, send(sent_on=on(45)), 45)
    assert sar.timescales()[0].status() is TimescaleStatus.MISSED


def test_an_extension_may_be_told_while_the_clock_waits_for_proof_of_identity() -> None:
    sar = run(received(), IG, SeekProofOfIdentity(sought_on=on(1), asked_for="photo identification"), 1)
    extension = ExtendDeadline(
        told_on=on(40), reason=ExtensionReason.NUMBER_OF_REQUESTS, explanation="Three requests."
    )
    run(sar, IG, extension, 40)
    assert sar.extended


def test_the_extension_records_the_due_dates_before_and_after() -> None:
    sar = run(
        verified(),
        IG,
        ExtendDeadline(told_on=on(9), reason=ExtensionReason.COMPLEX, explanation="Large files."),
        9,
    )
    event = sar.collect_events()[-1]
    assert isinstance(event, DeadlineExtended)
    assert (event.due_before, event.due_after) == (date(2026, 4, 9), date(2026, 6, 9))


@given(
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=40),
)
def test_the_request_is_never_due_before_the_day_it_was_received(
    received_day: int, waited_after: int, waited: int
) -> None:
    sar = run(SubjectAccessRequest(REF), IG, receive(received_on=on(received_day)), received_day)
    sought = received_day + waited_after
    run(sar, IG, SeekClarification(sought_on=on(sought), question="Which records?"), sought)
    run(sar, IG, ReceiveClarification(received_on=on(sought + waited), answer="All."), sought + waited)
    due = sar.due_on()
    assert due is not None
    assert due > on(received_day)
    assert due == sar_due(on(received_day), stopped_days=waited)


# -- refusals -------------------------------------------------------------------------------------------


def test_only_an_ig_officer_records_a_subject_access_request() -> None:
    message = (
        f"{REF}: recording a subject access request can only be recorded by an information-governance "
        "officer; cpc-officer does not hold that role"
    )
    refused(SubjectAccessRequest(REF), CPC_OFFICER, receive(), 0, NotAuthorised, message)


def test_every_step_is_an_ig_officers_and_the_table_covers_them_all() -> None:
    assert set(SubjectAccessRequest.commands().values()) == set(STEPS)
    assert all(step.roles == (Role.IG_OFFICER,) for step in STEPS.values())
    examples: list[Command] = [
        receive(),
        SeekProofOfIdentity(sought_on=on(1), asked_for="photo identification"),
        VerifyIdentity(verified_on=on(1), check=IdentityCheck.KNOWN_TO_SERVICE),
        SeekClarification(sought_on=on(1), question="Which?"),
        ReceiveClarification(received_on=on(1), answer="That."),
        ExtendDeadline(told_on=on(1), reason=ExtensionReason.COMPLEX, explanation="Large."),
        search(REVIEW, day=1),
        CollateItems(collated_on=on(1), items=ITEMS),
        ProposeRedaction(item_id="x", ground=RedactionGround.CRIME, passage="all", explanation="Police."),
        ConfirmSeriousHarm(redaction=1, reasons="Agreed."),
        DeclineSeriousHarm(redaction=1, reasons="No."),
        ReleaseThirdPartyData(item_id="x", third_party=SON, basis=ReleaseBasis.CONSENT, reasons="Consented."),
        ReleaseItemInPart(item_id="x", reasons="Names marked."),
        ReviewResponse(reviewed_on=on(1)),
        send(sent_on=on(1)),
        CloseSubjectAccessRequest(closed_on=on(1), outcome=CloseOutcome.WITHDRAWN),
        AssignOfficers(officers=("ig-officer-2",), reason="Away."),
    ]
    assert {type(c) for c in examples} == set(STEPS)
    for command in examples:
        doing = STEPS[type(command)].doing
        message = f"{REF}: {doing} can only be recorded by an information-governance officer; cpc-officer does not hold that role"
        refused(received(), CPC_OFFICER, command, 1, NotAuthorised, message)


def test_a_request_is_received_once() -> None:
    refused(
        received(),
        IG,
        receive(),
        0,
        RuleViolation,
        violation("this request has already been received", RULE_RECEIPT),
    )


def test_nothing_is_recorded_before_the_request_is_received() -> None:
    refused(
        SubjectAccessRequest(REF),
        IG,
        search(REVIEW),
        1,
        RuleViolation,
        violation("recording a search needs the request to be received first", RULE_RECEIPT),
    )


def test_a_request_cannot_be_received_in_the_future() -> None:
    refused(
        SubjectAccessRequest(REF),
        IG,
        receive(received_on=on(3)),
        0,
        InvalidInput,
        "received_on: cannot be later than the day it is recorded (2026-03-02)",
    )


def test_a_step_cannot_be_dated_before_the_request() -> None:
    refused(
        received(),
        IG,
        search(REVIEW, day=-1),
        1,
        InvalidInput,
        "searched_on: cannot be before the request was received (2026-03-02)",
    )


def test_someone_asking_for_another_persons_data_says_in_which_capacity() -> None:
    refused(
        SubjectAccessRequest(REF),
        IG,
        receive(requester_id=SOLICITOR),
        0,
        InvalidInput,
        "capacity: a data subject asks for their own data; someone asking for another person's data "
        "says in which capacity they act",
    )


def test_someone_asking_for_another_persons_data_shows_their_authority() -> None:
    refused(
        SubjectAccessRequest(REF),
        IG,
        receive(requester_id=SOLICITOR, capacity=Capacity.LEGAL_REPRESENTATIVE),
        0,
        RuleViolation,
        violation("someone asking for another person's data must show their authority to act", RULE_RECEIPT),
    )


def test_a_parent_asking_for_a_child_of_12_records_the_childs_view() -> None:
    command = receive(
        subject_id=SON,
        capacity=Capacity.PARENT_OR_CARER,
        authority_to_act="Parental responsibilities",
        subject_is_child_aged_12_or_over=True,
    )
    message = (
        "a child of 12 or over is presumed able to make their own request: record that the child "
        "authorised it, or that the child is judged not to understand it"
    )
    refused(SubjectAccessRequest(REF), IG, command, 0, RuleViolation, violation(message, RULE_RECEIPT))


def test_subject_ids_must_be_opaque_ids() -> None:
    refused(
        SubjectAccessRequest(REF),
        IG,
        receive(requester_id="Morag Flett", subject_id="Morag Flett"),
        0,
        InvalidInput,
        "subject_id: must look like S-xxxx (letters, digits and '-')",
    )


def test_proof_of_identity_is_asked_for_once() -> None:
    sar = run(received(), IG, SeekProofOfIdentity(sought_on=on(1), asked_for="photo identification"), 1)
    command = SeekProofOfIdentity(sought_on=on(2), asked_for="a utility bill")
    refused(
        sar,
        IG,
        command,
        2,
        RuleViolation,
        violation("proof of identity has already been asked for", RULE_IDENTITY),
    )


def test_verifying_identity_asked_for_says_when_the_proof_arrived() -> None:
    sar = run(received(), IG, SeekProofOfIdentity(sought_on=on(1), asked_for="photo identification"), 1)
    command = VerifyIdentity(verified_on=on(8), check=IdentityCheck.DOCUMENTS_SEEN)
    refused(
        sar,
        IG,
        command,
        8,
        InvalidInput,
        "evidence_received_on: say when the proof of identity asked for arrived",
    )


def test_proof_cannot_arrive_before_it_was_asked_for_or_after_the_check() -> None:
    sar = run(received(), IG, SeekProofOfIdentity(sought_on=on(3), asked_for="photo identification"), 3)
    early = VerifyIdentity(verified_on=on(8), check=IdentityCheck.DOCUMENTS_SEEN, evidence_received_on=on(2))
    refused(
        sar,
        IG,
        early,
        8,
        InvalidInput,
        "evidence_received_on: cannot be before it was asked for (2026-03-05)",
    )
    late = VerifyIdentity(verified_on=on(8), check=IdentityCheck.DOCUMENTS_SEEN, evidence_received_on=on(9))
    refused(sar, IG, late, 9, InvalidInput, "evidence_received_on: cannot be after the identity was verified")


def test_no_proof_arrives_when_none_was_asked_for() -> None:
    command = VerifyIdentity(
        verified_on=on(1), check=IdentityCheck.KNOWN_TO_SERVICE, evidence_received_on=on(1)
    )
    refused(
        received(), IG, command, 1, InvalidInput, "evidence_received_on: no proof of identity was asked for"
    )


def test_identity_is_verified_once() -> None:
    command = VerifyIdentity(verified_on=on(9), check=IdentityCheck.KNOWN_TO_SERVICE)
    refused(
        verified(),
        IG,
        command,
        9,
        RuleViolation,
        violation("the requester's identity is already verified", RULE_IDENTITY),
    )
    again = SeekProofOfIdentity(sought_on=on(9), asked_for="more")
    refused(
        verified(),
        IG,
        again,
        9,
        RuleViolation,
        violation("the requester's identity is already verified", RULE_IDENTITY),
    )


def test_clarification_is_sought_one_question_at_a_time() -> None:
    sar = run(received(), IG, SeekClarification(sought_on=on(1), question="Which meetings?"), 1)
    command = SeekClarification(sought_on=on(2), question="And which years?")
    message = "clarification is already awaited; record the answer first"
    refused(sar, IG, command, 2, RuleViolation, violation(message, RULE_SAR_STOP))


def test_an_answer_needs_a_question() -> None:
    command = ReceiveClarification(received_on=on(2), answer="The 2025 meetings.")
    refused(
        received(),
        IG,
        command,
        2,
        RuleViolation,
        violation("no clarification has been asked for", RULE_SAR_STOP),
    )


def test_an_extension_must_be_told_within_the_first_month() -> None:
    command = ExtendDeadline(told_on=on(39), reason=ExtensionReason.COMPLEX, explanation="Large files.")
    message = (
        "the requester must be told of an extension within the first month, that is by 2026-04-09; "
        "it can no longer be extended"
    )
    refused(verified(), IG, command, 39, RuleViolation, violation(message, RULE_SAR_EXTENSION))


def test_a_running_wait_for_clarification_counts_towards_the_first_month() -> None:
    sar = run(verified(), IG, SeekClarification(sought_on=on(30), question="Which meetings?"), 30)
    # Proof arrived on 9 March: the first month ended on 9 April, but the clock stood still from 1 April.
    command = ExtendDeadline(told_on=on(45), reason=ExtensionReason.COMPLEX, explanation="Large files.")
    run(sar, IG, command, 45)
    assert sar.extended


def test_the_time_is_extended_once() -> None:
    command = ExtendDeadline(told_on=on(9), reason=ExtensionReason.COMPLEX, explanation="Large files.")
    sar = run(verified(), IG, command, 9)
    message = "the time to respond has already been extended"
    refused(sar, IG, command, 10, RuleViolation, violation(message, RULE_SAR_EXTENSION))


def test_a_search_names_what_it_searched() -> None:
    refused(verified(), IG, search(), 16, InvalidInput, "records: name at least one record searched")


def test_only_searched_records_are_collated() -> None:
    items = (CollatedItem(item_id="NLR-2026-009@1/notes", record="NLR-2026-009"),)
    message = "NLR-2026-009 was not searched for this request; record the search first"
    refused(
        searched(),
        IG,
        CollateItems(collated_on=on(17), items=items),
        17,
        RuleViolation,
        violation(message, RULE_SEARCH),
    )


def test_an_item_is_collated_once() -> None:
    items = (ITEMS[0],)
    message = f"items: {REVIEW}@3/concern is already in the pack"
    refused(collated(), IG, CollateItems(collated_on=on(18), items=items), 18, InvalidInput, message)


def test_the_subject_is_not_a_third_party_to_their_own_data() -> None:
    items = (CollatedItem(item_id=f"{REVIEW}@4/note", record=REVIEW, third_parties=(MOTHER,)),)
    message = "items.third_parties: the data subject is not a third party to their own data"
    refused(searched(), IG, CollateItems(collated_on=on(17), items=items), 17, InvalidInput, message)


def test_a_redaction_is_proposed_on_an_item_in_the_pack() -> None:
    command = ProposeRedaction(
        item_id="elsewhere", ground=RedactionGround.CRIME, passage="all", explanation="Police enquiry."
    )
    refused(
        collated(), IG, command, 20, InvalidInput, "item_id: elsewhere is not in the pack; collate it first"
    )


def test_a_third_party_redaction_names_the_third_party() -> None:
    command = ProposeRedaction(
        item_id=f"{REVIEW}@9/minutes",
        ground=RedactionGround.THIRD_PARTY,
        passage="all",
        explanation="A source.",
    )
    refused(
        collated(), IG, command, 20, InvalidInput, "third_party: name the person whose data is to be withheld"
    )


def test_the_officer_who_proposed_serious_harm_cannot_confirm_it() -> None:
    message = (
        "a second, different IG officer must confirm the serious-harm redaction 1; ig-officer proposed it"
    )
    command = ConfirmSeriousHarm(redaction=1, reasons="I still think so.")
    refused(harm_proposed(), IG, command, 21, RuleViolation, violation(message, RULE_SERIOUS_HARM))


def test_the_officer_who_proposed_serious_harm_cannot_decline_it_either() -> None:
    message = (
        "a second, different IG officer must decline the serious-harm redaction 1; ig-officer proposed it"
    )
    command = DeclineSeriousHarm(redaction=1, reasons="On reflection, no.")
    refused(harm_proposed(), IG, command, 21, RuleViolation, violation(message, RULE_SERIOUS_HARM))


def test_a_serious_harm_redaction_is_decided_once() -> None:
    sar = run(harm_proposed(), IG2, ConfirmSeriousHarm(redaction=1, reasons="Agreed."), 21)
    command = DeclineSeriousHarm(redaction=1, reasons="Changed my mind.")
    refused(
        sar,
        IG2,
        command,
        22,
        RuleViolation,
        violation("serious-harm redaction 1 is already decided", RULE_SERIOUS_HARM),
    )


def test_only_a_serious_harm_redaction_needs_a_second_officer() -> None:
    command = ConfirmSeriousHarm(redaction=7, reasons="Agreed.")
    refused(
        harm_proposed(), IG2, command, 21, InvalidInput, "redaction: there is no serious-harm redaction 7"
    )


def test_another_persons_data_is_released_only_with_a_recorded_reason() -> None:
    command = ReleaseThirdPartyData(
        item_id=f"{REVIEW}@3/concern",
        third_party=NEIGHBOUR,
        basis=ReleaseBasis.REASONABLE_TO_DISCLOSE,
        reasons=" ",
    )
    message = (
        "another person's data is released only with a recorded reason: their consent, or why it is "
        "reasonable to disclose it without consent"
    )
    refused(collated(), IG, command, 20, RuleViolation, violation(message, RULE_THIRD_PARTY))


def test_a_release_on_consent_says_when_consent_was_given() -> None:
    command = ReleaseThirdPartyData(
        item_id=f"{REVIEW}@3/concern",
        third_party=NEIGHBOUR,
        basis=ReleaseBasis.CONSENT,
        reasons="Consented by letter.",
    )
    refused(collated(), IG, command, 20, InvalidInput, "consent_given_on: say when the person consented")


def test_only_a_person_identified_in_the_item_can_be_released() -> None:
    command = ReleaseThirdPartyData(
        item_id=f"{REVIEW}@9/minutes",
        third_party=NEIGHBOUR,
        basis=ReleaseBasis.CONSENT,
        reasons="Consented.",
        consent_given_on=on(19),
    )
    refused(
        collated(),
        IG,
        command,
        20,
        InvalidInput,
        f"third_party: {NEIGHBOUR} is not identified in {REVIEW}@9/minutes",
    )


def test_a_release_is_recorded_once() -> None:
    command = ReleaseThirdPartyData(
        item_id=f"{REVIEW}@3/concern",
        third_party=NEIGHBOUR,
        basis=ReleaseBasis.CONSENT,
        reasons="Consented.",
        consent_given_on=on(19),
    )
    sar = run(collated(), IG, command, 20)
    message = f"{NEIGHBOUR}'s data in {REVIEW}@3/concern is already released"
    refused(sar, IG, command, 21, RuleViolation, violation(message, RULE_THIRD_PARTY))


def test_the_pack_is_not_reviewed_while_a_serious_harm_redaction_awaits_a_second_officer() -> None:
    message = (
        "the pack cannot be reviewed while a second IG officer has still to decide serious-harm redaction 1"
    )
    refused(
        harm_proposed(),
        IG,
        ReviewResponse(reviewed_on=on(30)),
        30,
        RuleViolation,
        violation(message, RULE_SERIOUS_HARM),
    )


def test_there_is_nothing_to_review_before_a_search() -> None:
    message = "there is nothing to review until a search is recorded"
    refused(
        verified(), IG, ReviewResponse(reviewed_on=on(9)), 9, RuleViolation, violation(message, RULE_SEARCH)
    )


def test_nothing_is_sent_before_identity_is_verified() -> None:
    sar = run(received(), IG, search(REVIEW, day=5), 5)
    run(sar, IG, ReviewResponse(reviewed_on=on(6)), 6)
    message = "the requester's identity must be verified before anything is sent"
    refused(sar, IG, send(sent_on=on(7)), 7, RuleViolation, violation(message, RULE_IDENTITY))


def test_nothing_is_sent_while_clarification_is_awaited() -> None:
    sar = run(reviewed(), IG, SeekClarification(sought_on=on(31), question="Which years?"), 31)
    message = "clarification is still awaited; record it before responding"
    refused(sar, IG, send(), 40, RuleViolation, violation(message, RULE_SAR_STOP))


def test_a_pack_changed_after_its_review_is_reviewed_again_before_it_is_sent() -> None:
    release = ReleaseThirdPartyData(
        item_id=f"{REVIEW}@3/concern",
        third_party=NEIGHBOUR,
        basis=ReleaseBasis.CONSENT,
        reasons="Consented.",
        consent_given_on=on(31),
    )
    sar = run(reviewed(), IG, release, 31)
    message = "the pack has changed since it was reviewed, or was never reviewed: review it first"
    refused(sar, IG, send(), 40, RuleViolation, violation(message, RULE_REVIEW))


def test_the_response_carries_everything_article_15_requires() -> None:
    contents = tuple(
        c for c in ResponseContent if c not in (ResponseContent.RETENTION_PERIOD, ResponseContent.SOURCE)
    )
    message = "the response must also contain: retention_period, source"
    refused(reviewed(), IG, send(contents=contents), 40, RuleViolation, violation(message, RULE_RESPONSE))


def test_the_digest_is_of_the_exact_bytes_sent() -> None:
    message = "sha256: must be the SHA-256 of the bytes sent: 64 lowercase hexadecimal digits"
    refused(reviewed(), IG, send(sha256="not-a-digest"), 40, InvalidInput, message)
    refused(
        reviewed(),
        IG,
        send(size_bytes=0),
        40,
        InvalidInput,
        "size_bytes: must be the size of the pack sent, in bytes",
    )


def test_after_the_response_the_pack_no_longer_changes() -> None:
    command = ReviewResponse(reviewed_on=on(41))
    message = "the response has been sent: reviewing the response pack can no longer be recorded"
    refused(responded(), IG, command, 41, RuleViolation, violation(message, RULE_RESPONSE))


def test_a_request_closes_as_responded_only_after_the_response() -> None:
    command = CloseSubjectAccessRequest(closed_on=on(30), outcome=CloseOutcome.RESPONDED)
    message = "the request cannot close as responded: no response has been sent"
    refused(reviewed(), IG, command, 30, RuleViolation, violation(message, RULE_RESPONSE))
    withdrawn = CloseSubjectAccessRequest(closed_on=on(41), outcome=CloseOutcome.WITHDRAWN)
    message = "the request cannot close as withdrawn: a response has been sent"
    refused(responded(), IG, withdrawn, 41, RuleViolation, violation(message, RULE_RESPONSE))


def test_a_request_closes_for_want_of_an_answer_only_when_one_is_awaited() -> None:
    identity = CloseSubjectAccessRequest(closed_on=on(30), outcome=CloseOutcome.IDENTITY_NOT_PROVIDED)
    refused(
        received(),
        IG,
        identity,
        30,
        RuleViolation,
        violation("no proof of identity is awaited", RULE_IDENTITY),
    )
    clarification = CloseSubjectAccessRequest(
        closed_on=on(30), outcome=CloseOutcome.CLARIFICATION_NOT_PROVIDED
    )
    refused(
        received(),
        IG,
        clarification,
        30,
        RuleViolation,
        violation("no clarification is awaited", RULE_SAR_STOP),
    )


def test_a_closed_request_accepts_no_further_steps() -> None:
    sar = run(
        responded(), IG, CloseSubjectAccessRequest(closed_on=on(41), outcome=CloseOutcome.RESPONDED), 41
    )
    message = "the request is closed: recording a search can no longer be recorded"
    refused(sar, IG, search(REVIEW, day=42), 42, RuleViolation, violation(message, RULE_CLOSED))


# -- the record: stream, holds, personal data, replay -----------------------------------------------------


def test_the_stream_and_the_records_on_hold_while_the_request_is_open() -> None:
    sar = searched()
    assert sar_stream(REF) == "sar-SAR-2026-014"
    assert (sar.is_open, sar.records_in_scope) == (True, (REVIEW, MINI))
    closed = run(
        responded(), IG, CloseSubjectAccessRequest(closed_on=on(41), outcome=CloseOutcome.RESPONDED), 41
    )
    assert not closed.is_open


def every_event() -> list[DomainEvent]:
    sar = run(
        responded(), IG, CloseSubjectAccessRequest(closed_on=on(41), outcome=CloseOutcome.RESPONDED), 41
    )
    events = sar.collect_events()
    other = run(harm_proposed(), IG2, DeclineSeriousHarm(redaction=1, reasons="No."), 21)
    release = ReleaseThirdPartyData(
        item_id=f"{REVIEW}@3/concern",
        third_party=NEIGHBOUR,
        basis=ReleaseBasis.CONSENT,
        reasons="Consented.",
        consent_given_on=on(21),
    )
    run(other, IG, release, 22)
    run(other, IG, ReleaseItemInPart(item_id=f"{REVIEW}@3/concern", reasons="Names marked."), 22)
    run(other, IG, SeekClarification(sought_on=on(22), question="Which years?"), 22)
    run(other, IG, ReceiveClarification(received_on=on(23), answer="2025."), 23)
    run(other, IG, ExtendDeadline(told_on=on(23), reason=ExtensionReason.COMPLEX, explanation="Large."), 23)
    run(other, IG, AssignOfficers(officers=(IG2.actor,), reason="Passed on while away."), 23)
    return events + other.collect_events()


@pytest.mark.parametrize("event_type", SarEvent.__subclasses__(), ids=lambda t: t.__name__)
def test_every_event_type_round_trips(event_type: type[DomainEvent]) -> None:
    examples = [e for e in every_event() if type(e) is event_type]
    assert examples, f"no example of {event_type.__name__}"
    for event in examples:
        assert msgspec.json.decode(msgspec.json.encode(event), type=event_type) == event


def test_the_requesters_details_are_personal_data_and_never_in_plain_fields() -> None:
    events = every_event()
    first = events[0]
    assert isinstance(first, SarReceived)
    assert first.requester_name == Personal(value="Morag Flett", about=(MOTHER,), kind=ItemKind.NAME)
    assert first.requester_contact is not None and first.requester_contact.kind is ItemKind.CONTACT
    assert first.requester_address is not None and first.requester_address.kind is ItemKind.ADDRESS
    identifying = ["Morag", "Flett", "Harbour Row", "example.org", "photo identification"]
    for event in events:
        data = to_builtins(event)
        take_personal_values(data)
        plain = msgspec.json.encode(data).decode()
        assert [word for word in identifying if word in plain] == [], type(event).__name__
        for item in _personal_items(to_builtins(event)):
            assert item["about"], f"{type(event).__name__} has a personal item about nobody"


def _personal_items(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "personal":
            return [node]
        return [found for value in node.values() for found in _personal_items(value)]
    if isinstance(node, list):
        return [found for value in node for found in _personal_items(value)]
    return []


def test_the_file_replays_the_same_with_its_personal_data_sealed_and_after_disposal() -> None:
    live = reviewed()
    events = live.collect_events()
    replayed = SubjectAccessRequest.replay(REF, [sealed(e) for e in events])
    assert (replayed.stage, replayed.version, replayed.withheld()) == (
        live.stage,
        live.version,
        live.withheld(),
    )
    assert replayed.timescales() == live.timescales()
    assert replayed.obligations() == live.obligations()
    disposal = PersonalDataDisposed(
        rule="retention: SAR file, 6 years", authorised_by="records-manager", at=at(400)
    )
    after = SubjectAccessRequest.replay(REF, [*[sealed(e) for e in events], disposal])
    assert after.personal_data_disposed
    run(after, IG, send(), 40)  # the rules still work on sealed data
    assert isinstance(after.collect_events()[-1], ResponseSent)


def test_an_event_of_another_record_is_refused_on_replay() -> None:
    stray = RequestTabled(meeting_on=on(0), role=Role.DELIVERY_GROUP, at=at(0))
    with pytest.raises(TypeError, match="a subject access request has no event RequestTabled"):
        SubjectAccessRequest.replay(REF, [stray])


def test_clarification_answers_are_the_requesters_own_words() -> None:
    sar = run(received(), IG, SeekClarification(sought_on=on(1), question="Which meetings?"), 1)
    run(sar, IG, ReceiveClarification(received_on=on(2), answer="The 2025 ones."), 2)
    answer = sar.collect_events()[-1]
    assert isinstance(answer, ClarificationReceived)
    assert answer.answer.by == MOTHER


def test_the_officer_who_received_it_handles_it_until_officers_are_assigned() -> None:
    sar = received()
    assert sar.officers == (IG.actor,)
    run(sar, IG, AssignOfficers(officers=(IG2.actor,), reason="Passed on while away."), 1)
    assert sar.officers == (IG2.actor,)
    closed = run(sar, IG2, CloseSubjectAccessRequest(closed_on=on(2), outcome=CloseOutcome.WITHDRAWN), 2)
    with pytest.raises(RuleViolation, match=r"the request is closed: assigning the officers handling"):
        closed.execute(AssignOfficers(officers=(IG.actor,), reason="Back."), IG, at(3))
