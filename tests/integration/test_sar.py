"""Subject access requests answered from the record, on SQLite and PostgreSQL.

The demo's SAR-2026-001 is Dawn Rendall's request for her own data (she is Ellie's mother in
LR-2026-001): received 9 November 2026, the review and her register entry searched, every item
about her or stated by her collated, one passage naming Ellie released as reasonable to disclose,
the passage naming her other daughter withheld, the pack reviewed and sent as HTML on 20 November.
Each test reads what an IG officer, the requester or an inspector would check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import msgspec
import pytest

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.cli import main
from adapters.demo.national_script import CHILD, MOTHER, SISTER
from adapters.governance import sent_documents
from adapters.governance.access_log import entries
from adapters.governance.sar import requests as sar
from adapters.governance.sar.contents import ItemStatus, Pack
from audit.envelope import sha256
from domain.governance.ig_handling import AssignOfficers
from domain.governance.sar.steps import (
    Capacity,
    CloseOutcome,
    CloseSubjectAccessRequest,
    CollatedItem,
    CollateItems,
    ConfirmSeriousHarm,
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
    RequestChannel,
    ResponseSent,
    ReviewResponse,
    SearchAnswers,
    SeekClarification,
    SeekProofOfIdentity,
    SendResponse,
    VerifyIdentity,
)
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.routes.national.events import (
    FamilyContactRecorded,
    FamilyLiaisonStrategyAgreed,
    NationalEvent,
    NotificationReceived,
)
from domain.routes.national.events_reporting import FamilyConsultedOnPublication, FamilyFeedbackGiven
from tests.integration.ig_support import (
    MovableClock,
    appears_in,
    demo_store,
    logging_restored,
    opened,
    personal_values,
)

__all__ = ["logging_restored"]  # autouse: the command line's logging is put back after each test

REVIEW = "LR-2026-001"
OFFICER, SECOND_OFFICER = "ig-officer", "ig-officer-2"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store(request.param, tmp_path_factory.mktemp("sar")) as settings:
        yield settings


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def ig(store: Settings, clock: MovableClock) -> Iterator[Application]:
    with opened(store, clock) as app:
        yield app


class DawnsItems(NamedTuple):
    """The review's items about Dawn or stated by her, each found by the step that records it: the
    demo's story gains steps, so an item's version is read from the record, never assumed."""

    name: str
    relationship: str  # about Dawn and Ellie: released with a reason
    strategy: str  # about Dawn and Skye: withheld
    views: str  # Dawn's own words, to the review
    publication_views: str  # and on publishing its report
    feedback: str  # and on the review once it was done


def item_of(app: Application, step: type[NationalEvent], field: str) -> str:
    [version] = [r.version for r in app.ledger.read(REVIEW) if isinstance(r.event, step)]
    return f"{REVIEW}@{version}/{field}"


@pytest.fixture
def dawn(ig: Application) -> DawnsItems:
    return DawnsItems(
        name=item_of(ig, NotificationReceived, "family[0].name"),
        relationship=item_of(ig, NotificationReceived, "family[0].relationship"),
        strategy=item_of(ig, FamilyLiaisonStrategyAgreed, "strategy"),
        views=item_of(ig, FamilyContactRecorded, "views"),
        publication_views=item_of(ig, FamilyConsultedOnPublication, "views"),
        feedback=item_of(ig, FamilyFeedbackGiven, "feedback"),
    )


def sent_event(app: Application, reference: str) -> ResponseSent:
    [found] = [r.event for r in app.ledger.read(f"sar-{reference}") if isinstance(r.event, ResponseSent)]
    assert isinstance(found, ResponseSent)
    return found


def sent_bytes(app: Application, reference: str) -> bytes:
    data = sent_documents.open_document(app, f"sar-{reference}", sent_event(app, reference).sha256)
    assert data is not None
    return data


def receive(subject: str = MOTHER, received_on: date = date(2026, 12, 1)) -> ReceiveSubjectAccessRequest:
    return ReceiveSubjectAccessRequest(
        received_on=received_on,
        channel=RequestChannel.LETTER,
        requester_id=subject,
        subject_id=subject,
        capacity=Capacity.DATA_SUBJECT,
        requester_name="Dawn Rendall",
        request="All the information you hold about me.",
    )


def searched_request(app: Application, reference: str) -> None:
    """A new request from Dawn, her identity known, the review searched and her items collated."""
    sar.open_request(app, reference, OFFICER, receive())
    sar.step(
        app,
        reference,
        OFFICER,
        VerifyIdentity(verified_on=date(2026, 12, 1), check=IdentityCheck.KNOWN_TO_SERVICE),
    )
    search = RecordSearch(
        searched_on=date(2026, 12, 2), records=(SearchAnswers(record=REVIEW, what="every item about her"),)
    )
    sar.step(app, reference, OFFICER, search)
    sar.collate_from_index(app, reference, OFFICER, date(2026, 12, 2))


# -- the pack sent --------------------------------------------------------------------------------


def test_the_digest_recorded_is_the_sha256_of_the_exact_bytes_kept(ig: Application) -> None:
    sent = sent_event(ig, "SAR-2026-001")
    data = sent_bytes(ig, "SAR-2026-001")
    assert sent.sha256 == sha256(data).hex()
    assert sent.size_bytes == len(data)
    assert sent.pack_format is PackFormat.HTML and sent.delivery is Delivery.EMAIL
    assert data.startswith(b"<!DOCTYPE html>") and b"<script" not in data and b"http" not in data


def test_the_pack_holds_every_item_about_dawn_or_stated_by_her(ig: Application, dawn: DawnsItems) -> None:
    data = sent_bytes(ig, "SAR-2026-001")
    for value in (
        "Dawn Rendall",
        "1996-08-19",
        "mother, lives with Ellie",  # released with a reason
        "Nobody listened when I said I was not coping.",
        "Publish it, so it does not happen again.",
        "Glad to be heard; it took a long time.",
    ):
        assert appears_in(value, data), value
    assert sent_event(ig, "SAR-2026-001").items_sent == (
        f"subject-{MOTHER}@1/date_of_birth",
        f"subject-{MOTHER}@1/name",
        *dawn,
    )


def test_no_other_persons_data_is_in_the_bytes_sent(ig: Application, dawn: DawnsItems) -> None:
    data = sent_bytes(ig, "SAR-2026-001")
    review = personal_values(ig, REVIEW)
    disclosed = {
        review[i] for i in (dawn.name, dawn.relationship, dawn.views, dawn.publication_views, dawn.feedback)
    }
    others = {item: value for item, value in review.items() if value not in disclosed}
    assert review[dawn.strategy] in others.values()  # Skye's passage, withheld
    leaked = [item for item, value in others.items() if appears_in(value, data)]
    assert leaked == []
    for subject in (CHILD, SISTER):  # nor the register entries of the children
        for value in personal_values(ig, f"subject-{subject}").values():
            assert not appears_in(value, data), subject
    # The pack names nobody else, not even by their register id.
    assert CHILD.encode() not in data and SISTER.encode() not in data


def test_the_withheld_passage_is_marked_with_its_ground_and_the_release_has_its_reason_in_the_log(
    ig: Application,
    dawn: DawnsItems,
) -> None:
    data = sent_bytes(ig, "SAR-2026-001").decode()
    assert (
        '<span class="redacted">[withheld: information about another person (DPA 2018 Sch. 2 Pt. 3 para 16); '
        "redaction log 2]</span>"
    ) in data
    # Closed: its records are no longer opened for it; the pack as sent says what was decided, naming
    # each item in words (the review, the step, the field) rather than by its internal item id.
    released = (
        "<td>LR-2026-001 · notification received · family[0].relationship</td>"
        "<td>information about another person</td><td>DPA 2018 Sch. 2 Pt. 3 para 16</td>"
        "<td>released</td><td>ig-officer</td><td>2026-11-16</td><td>reasonable to disclose without consent; "
    )
    assert released in data
    assert appears_in(
        "It states only the requester's own relationship to her daughter, which she already knows; "
        "it reveals nothing new about the child.",
        data.encode(),
    )
    assert (
        "<td>2</td><td>LR-2026-001 · family liaison strategy agreed · strategy</td>"
        "<td>information about another person</td><td>DPA 2018 Sch. 2 Pt. 3 para 16</td>"
        "<td>withheld (by default)</td><td>ig-officer</td>"
    ) in data
    assert f"{dawn.relationship}<" not in data and f"{dawn.strategy}<" not in data
    assert [w.item_id for w in sent_event(ig, "SAR-2026-001").withheld] == [dawn.strategy]


def test_the_pack_has_the_article_15_information_and_a_cover_letter_saying_what_was_searched(
    ig: Application,
) -> None:
    data = sent_bytes(ig, "SAR-2026-001").decode()
    assert all(f"(Art. 15(1)({x}))" in data for x in "abcdefgh")
    assert "What we searched" in data and "ico.org.uk" in data and "rectification" in data
    assert "every item about the requester or stated by her" in data
    assert "her entry in the register of data subjects" in data
    # Her eight items and the review's three documents about her: the report given redacted, the merged
    # chronology and the minutes withheld (tests/integration/test_document_disclosure.py). One count
    # everywhere: the file's status and the pack sent.
    assert sar.show(ig, "SAR-2026-001").counts == "11 items, 3 withheld, 1 given in part"
    assert (
        "This pack holds 11 items: 7 given in full, 1 given in part (other people&#x27;s identifiers replaced) "
        "and 3 withheld."
    ) in data


def test_every_record_opened_for_the_pack_is_in_the_access_log_under_the_request(ig: Application) -> None:
    ref = "SAR-2026-120"
    searched_request(ig, ref)
    before = {e.request_id for e in entries(ig, limit=10_000)}
    sar.build_pack(ig, ref, OFFICER)
    new = [e for e in entries(ig, limit=10_000) if e.request_id not in before]
    assert sorted(e.record for e in new) == sorted([REVIEW, f"sar-{ref}"])
    assert {(e.actor, e.view, e.purpose, e.ig_request, e.granted) for e in new} == {
        (OFFICER, "personal", "ig-request", ref, True)
    }
    assert len({e.request_id for e in new}) == 1


def test_only_the_officer_handling_an_open_request_opens_its_pack_and_each_refusal_is_logged(
    ig: Application,
) -> None:
    ref = "SAR-2026-121"
    searched_request(ig, ref)
    refusals = [
        ("cpc-officer", "they are not an information-governance officer"),
        (SECOND_OFFICER, f"they are not handling {ref}"),
    ]
    for actor, why in refusals:
        with pytest.raises(NotAuthorised, match=f"refused to {actor}: {why}$"):
            sar.build_pack(ig, ref, actor)
        [last] = entries(ig, limit=1)
        assert (last.actor, last.record, last.granted, last.ig_request) == (actor, f"sar-{ref}", False, ref)
    # Passed on: the second officer handles it now, and the first no longer does.
    sar.step(ig, ref, OFFICER, AssignOfficers(officers=(SECOND_OFFICER,), reason="Away until January."))
    assert sar.build_pack(ig, ref, SECOND_OFFICER).cover_letter.reference == ref
    with pytest.raises(NotAuthorised, match=f"refused to {OFFICER}: they are not handling {ref}$"):
        sar.build_pack(ig, ref, OFFICER)


def test_a_closed_request_opens_nothing_but_the_copy_sent_to_the_officers_handling_it(
    ig: Application,
) -> None:
    with pytest.raises(NotAuthorised, match=r"; SAR-2026-001 is closed$"):
        sar.build_pack(ig, "SAR-2026-001", OFFICER)
    [last] = entries(ig, limit=1)
    assert (last.actor, last.record, last.granted) == (OFFICER, "sar-SAR-2026-001", False)
    sent = sent_event(ig, "SAR-2026-001")
    assert sar.read_copy(ig, "SAR-2026-001", OFFICER, sent.sha256) == sent_bytes(ig, "SAR-2026-001")
    [last] = entries(ig, limit=1)
    assert (last.actor, last.record, last.granted, last.ig_request) == (
        OFFICER,
        "sar-SAR-2026-001",
        True,
        "SAR-2026-001",
    )
    with pytest.raises(NotAuthorised, match=r"refused to ig-officer-2: they are not handling SAR-2026-001$"):
        sar.read_copy(ig, "SAR-2026-001", SECOND_OFFICER, sent.sha256)


def test_the_file_records_the_request_closed_after_the_response(ig: Application) -> None:
    status = sar.show(ig, "SAR-2026-001")
    assert (status.stage, status.status, status.sent_on) == (
        "closed (responded)",
        "closed",
        date(2026, 11, 20),
    )
    assert status.clocks[0].status == "met" and status.obligations == ()
    assert [d.sha256 for d in status.documents] == [sent_event(ig, "SAR-2026-001").sha256]


# -- redactions decided by two officers ------------------------------------------------------------


def test_a_serious_harm_passage_is_withheld_only_once_a_second_officer_confirms_it(
    ig: Application, dawn: DawnsItems
) -> None:
    ref = "SAR-2026-101"
    searched_request(ig, ref)
    propose = ProposeRedaction(
        item_id=dawn.views,
        ground=RedactionGround.SERIOUS_HARM,
        passage="the whole entry",
        explanation="Reading it back now would be likely to cause her serious distress.",
    )
    sar.step(ig, ref, OFFICER, propose)
    waiting = sar.build_pack(ig, ref, OFFICER)
    [item] = [i for i in waiting.items if i.item_id == dawn.views]
    assert item.status is ItemStatus.WITHHELD and item.value is None
    assert [e.outcome for e in waiting.redaction_log if e.item_id == dawn.views] == [
        "withheld until a second officer decides"
    ]
    with pytest.raises(
        RuleViolation, match="a second IG officer has still to decide serious-harm redaction 1"
    ):
        sar.step(ig, ref, OFFICER, ReviewResponse(reviewed_on=date(2026, 12, 3)))
    with pytest.raises(RuleViolation, match="a second, different IG officer must confirm"):
        sar.step(ig, ref, OFFICER, ConfirmSeriousHarm(redaction=1, reasons="Agreed."))
    sar.step(
        ig, ref, SECOND_OFFICER, ConfirmSeriousHarm(redaction=1, reasons="Agreed with her social worker.")
    )
    # A second proposal on another passage is declined: that passage is given.
    sar.step(
        ig,
        ref,
        OFFICER,
        ProposeRedaction(
            item_id=dawn.publication_views,
            ground=RedactionGround.SERIOUS_HARM,
            passage="all",
            explanation="As before.",
        ),
    )
    sar.step(
        ig,
        ref,
        SECOND_OFFICER,
        DeclineSeriousHarm(redaction=2, reasons="She asked for this to be published."),
    )
    sar.step(ig, ref, OFFICER, ReviewResponse(reviewed_on=date(2026, 12, 3)))
    sent, data = sar.send_pack(ig, ref, OFFICER, PackFormat.JSON, Delivery.POST, on=date(2026, 12, 4))
    document = json.loads(data)
    items = {i["item_id"]: i for i in document["items"]}
    assert items[dawn.views]["status"] == "withheld" and items[dawn.views]["value"] is None
    assert (
        "serious harm" in items[dawn.views]["note"] and "DPA 2018 Sch. 3 Pt. 3" in items[dawn.views]["note"]
    )
    assert items[dawn.publication_views]["value"] == "Publish it, so it does not happen again."
    log = {(e["item_id"], e["outcome"]): e["decided_by"] for e in document["redaction_log"]}
    assert log[(dawn.views, "withheld: confirmed by a second officer")] == [OFFICER, SECOND_OFFICER]
    assert log[(dawn.publication_views, "not withheld: a second officer declined it")] == [
        OFFICER,
        SECOND_OFFICER,
    ]
    assert not appears_in("Nobody listened when I said I was not coping.", data)
    recorded = sent_event(ig, ref)
    assert recorded.sha256 == sha256(data).hex() == sent.document.sha256
    assert [(w.item_id, w.ground, w.redaction) for w in recorded.withheld if w.redaction] == [
        (dawn.views, RedactionGround.SERIOUS_HARM, 1)
    ]


def test_nothing_is_kept_or_recorded_when_the_response_is_refused(ig: Application) -> None:
    ref = "SAR-2026-102"
    searched_request(ig, ref)
    version = ig.ledger.stream_version(f"sar-{ref}")
    with pytest.raises(
        RuleViolation, match="the pack has changed since it was reviewed, or was never reviewed"
    ):
        sar.send_pack(ig, ref, OFFICER, PackFormat.HTML, Delivery.EMAIL)
    assert ig.ledger.stream_version(f"sar-{ref}") == version
    assert sent_documents.kept(ig, f"sar-{ref}") == []


def test_a_pack_is_not_sent_while_items_of_the_subject_in_the_records_searched_are_left_out(
    ig: Application,
) -> None:
    ref = "SAR-2026-103"
    sar.open_request(ig, ref, OFFICER, receive())
    sar.step(
        ig, ref, OFFICER, VerifyIdentity(verified_on=date(2026, 12, 1), check=IdentityCheck.KNOWN_TO_SERVICE)
    )
    sar.step(
        ig,
        ref,
        OFFICER,
        RecordSearch(searched_on=date(2026, 12, 2), records=(SearchAnswers(record=REVIEW, what="all"),)),
    )
    assert len(sar.show(ig, ref).not_collated) == 6
    assert sar.show(ig, ref).not_searched == (f"subject-{MOTHER}",)
    sar.step(ig, ref, OFFICER, ReviewResponse(reviewed_on=date(2026, 12, 2)))
    with pytest.raises(
        RuleViolation, match=r"6 items of the subject's data in the records searched are not in the pack"
    ):
        sar.send_pack(ig, ref, OFFICER, PackFormat.HTML, Delivery.EMAIL)


def test_an_item_collated_by_hand_without_its_third_party_is_still_withheld_and_nobody_is_named(
    ig: Application,
) -> None:
    # An officer searches Skye's register entry by mistake and collates her name as if it were Dawn's.
    ref = "SAR-2026-109"
    sar.open_request(ig, ref, OFFICER, receive())
    sar.step(
        ig, ref, OFFICER, VerifyIdentity(verified_on=date(2026, 12, 1), check=IdentityCheck.KNOWN_TO_SERVICE)
    )
    wrong = SearchAnswers(record=f"subject-{SISTER}", what="the register")
    sar.step(ig, ref, OFFICER, RecordSearch(searched_on=date(2026, 12, 2), records=(wrong,)))
    item = CollatedItem(item_id=f"subject-{SISTER}@1/name", record=f"subject-{SISTER}")
    sar.step(ig, ref, OFFICER, CollateItems(collated_on=date(2026, 12, 2), items=(item,)))
    pack = sar.build_pack(ig, ref, OFFICER)
    [shown] = pack.items
    assert (shown.status, shown.value, shown.item_id) == (
        ItemStatus.WITHHELD,
        None,
        "another person's register entry@1/name",
    )
    _, data = sar.render_pack(ig, ref, OFFICER, PackFormat.JSON)
    assert not appears_in("Skye Rendall", data) and SISTER.encode() not in data


def test_an_item_disposed_of_before_the_request_says_when_and_under_which_rule(ig: Application) -> None:
    # The demo disposed of the register entry of a notifier, S-DISPOSE-1, under a retention rule.
    ref = "SAR-2026-110"
    sar.open_request(ig, ref, OFFICER, receive(subject="S-DISPOSE-1"))
    sar.step(
        ig, ref, OFFICER, VerifyIdentity(verified_on=date(2026, 12, 1), check=IdentityCheck.DOCUMENTS_SEEN)
    )
    search = SearchAnswers(record="subject-S-DISPOSE-1", what="her register entry")
    sar.step(ig, ref, OFFICER, RecordSearch(searched_on=date(2026, 12, 2), records=(search,)))
    sar.collate_from_index(ig, ref, OFFICER)
    [item] = sar.build_pack(ig, ref, OFFICER).items
    assert (item.item_id, item.status, item.value) == (
        "subject-S-DISPOSE-1@1/name",
        ItemStatus.DISPOSED,
        None,
    )
    assert (
        item.note
        == "disposed of on 2026-11-01 under retention: notifier contact details, 6 months after closure"
    )


def test_the_pack_escapes_what_it_shows(ig: Application) -> None:
    ref = "SAR-2026-111"
    opening = msgspec.structs.replace(receive(), requester_name='<script>alert("x")</script> Dawn')
    sar.open_request(ig, ref, OFFICER, opening)
    sar.step(
        ig,
        ref,
        OFFICER,
        RecordSearch(searched_on=date(2026, 12, 2), records=(SearchAnswers(record=REVIEW, what="<all>"),)),
    )
    _, data = sar.render_pack(ig, ref, OFFICER, PackFormat.HTML)
    assert b"<script" not in data and b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Dawn" in data
    assert b"<td>&lt;all&gt;</td>" in data


def test_the_kept_copy_goes_with_the_request_files_personal_data(ig: Application) -> None:
    ref = "SAR-2026-112"
    searched_request(ig, ref)
    sar.step(ig, ref, OFFICER, ReviewResponse(reviewed_on=date(2026, 12, 3)))
    sent, data = sar.send_pack(ig, ref, OFFICER, PackFormat.HTML, Delivery.EMAIL)
    assert sent_documents.open_document(ig, f"sar-{ref}", sent.document.sha256) == data
    sar.step(
        ig,
        ref,
        OFFICER,
        CloseSubjectAccessRequest(closed_on=date(2026, 12, 10), outcome=CloseOutcome.RESPONDED),
    )
    ig.dispose(f"sar-{ref}", "retention: SAR files, 2 years after closure", OFFICER)
    assert sent_documents.open_document(ig, f"sar-{ref}", sent.document.sha256) is None
    assert sent_event(ig, ref).sha256 == sent.document.sha256  # the record of what was sent remains


# -- the clock (DOMAIN.md §4) ------------------------------------------------------------------------


def test_the_month_runs_to_the_last_day_of_a_shorter_month_stops_for_clarification_and_extends(
    ig: Application, clock: MovableClock
) -> None:
    ref = "SAR-2026-104"
    sar.open_request(ig, ref, OFFICER, receive(received_on=date(2026, 1, 31)))
    # 31 January: no 31 February, and Saturday 28 February moves to the next working day.
    assert sar.show(ig, ref).due_on == date(2026, 3, 2)
    sar.step(ig, ref, OFFICER, SeekClarification(sought_on=date(2026, 2, 2), question="Which review?"))
    stopped = sar.show(ig, ref)
    assert stopped.stage == "clock stopped: awaiting clarification"
    assert stopped.clocks[0].status == "paused" and stopped.clocks[0].paused_since == date(2026, 2, 2)
    sar.step(ig, ref, OFFICER, ReceiveClarification(received_on=date(2026, 2, 9), answer="Ellie's review."))
    assert sar.show(ig, ref).due_on == date(2026, 3, 9)  # seven days stopped: Saturday 7 March, so Monday
    assert sar.show(ig, ref).clocks[0].paused_days == 7
    extend = ExtendDeadline(
        told_on=date(2026, 2, 20), reason=ExtensionReason.COMPLEX, explanation="Several records."
    )
    sar.step(ig, ref, OFFICER, extend)
    extended = sar.show(ig, ref)
    assert (extended.due_on, extended.extended) == (date(2026, 5, 7), True)  # 30 April + 7 days
    assert extended.clocks[0].name == "response within three months (extended) of receipt"


def test_an_extension_told_after_the_first_month_is_refused(ig: Application) -> None:
    ref = "SAR-2026-105"
    sar.open_request(ig, ref, OFFICER, receive(received_on=date(2026, 1, 31)))
    late = ExtendDeadline(told_on=date(2026, 3, 3), reason=ExtensionReason.COMPLEX, explanation="Late.")
    with pytest.raises(RuleViolation, match="within the first month, that is by 2026-03-02"):
        sar.step(ig, ref, OFFICER, late)


def test_the_month_starts_when_the_proof_of_identity_asked_for_arrives(ig: Application) -> None:
    ref = "SAR-2026-106"
    sar.open_request(ig, ref, OFFICER, receive(received_on=date(2026, 3, 2)))
    sar.step(
        ig, ref, OFFICER, SeekProofOfIdentity(sought_on=date(2026, 3, 3), asked_for="photo identification")
    )
    assert sar.show(ig, ref).stage == "clock stopped: awaiting proof of identity"
    verify = VerifyIdentity(
        verified_on=date(2026, 3, 12),
        check=IdentityCheck.DOCUMENTS_SEEN,
        evidence_received_on=date(2026, 3, 10),
    )
    sar.step(ig, ref, OFFICER, verify)
    status = sar.show(ig, ref)
    assert (status.clock_starts_on, status.due_on) == (date(2026, 3, 10), date(2026, 4, 10))


# -- bad input ---------------------------------------------------------------------------------------


def test_bad_input_is_refused_with_the_field_named(ig: Application) -> None:
    with pytest.raises(InvalidInput, match=r"^reference: must be letters, digits and '-'"):
        sar.open_request(ig, "SAR 2026/1", OFFICER, receive())
    with pytest.raises(InvalidInput, match=r"^subject_id: must look like S-xxxx"):
        sar.open_request(ig, "SAR-2026-107", OFFICER, receive(subject="mother"))
    with pytest.raises(InvalidInput, match=r"^--format: must be one of html, json, pdf$"):
        sar.send_pack(ig, "SAR-2026-001", OFFICER, PackFormat.ZIP, Delivery.EMAIL)


# -- the command line -------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], store: Settings, *args: str) -> tuple[int, str, str]:
    code = main(["--db", store.db_url, "--kek-file", str(store.kek_file), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_request_from_receipt_to_response_on_the_command_line(
    store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = datetime.now(UTC).date().isoformat()  # the command line records on today's date
    opening = {
        "received_on": today,
        "channel": "email",
        "requester_id": MOTHER,
        "subject_id": MOTHER,
        "capacity": "data_subject",
        "requester_name": "Dawn Rendall",
        "request": "Everything about me.",
    }
    code, out, _ = run(
        capsys, store, "sar", "open", "SAR-CLI-1", "--as", OFFICER, "--data", json.dumps(opening)
    )
    assert code == 0 and out.startswith("recorded receive-subject-access-request on SAR-CLI-1 (version 1)")
    steps = [
        ("verify-identity", {"verified_on": today, "check": "known_to_service"}),
        ("record-search", {"searched_on": today, "records": [{"record": REVIEW, "what": "all of it"}]}),
    ]
    for name, data in steps:
        assert (
            run(capsys, store, "sar", "step", "SAR-CLI-1", name, "--as", OFFICER, "--data", json.dumps(data))[
                0
            ]
            == 0
        )
    code, out, _ = run(capsys, store, "sar", "collate", "SAR-CLI-1", "--as", OFFICER)
    assert code == 0 and out.startswith("collated 6 items into the pack of SAR-CLI-1")
    # One count everywhere: items, never redaction-log rows; the same in collate, show, pack and letter.
    # Six collated items and the review's three documents about her, which nobody has decided on yet.
    assert out.endswith("; pack: 9 items, 5 withheld\n")
    code, out, _ = run(capsys, store, "sar", "show", "SAR-CLI-1", "--as", OFFICER)
    assert code == 0 and "\n  pack: 9 items, 5 withheld\n" in out
    code, out, _ = run(capsys, store, "sar", "show", "SAR-CLI-1")
    assert code == 0 and "\n  pack: 9 items, 5 withheld\n" in out
    draft = tmp_path / "draft.html"
    code, out, _ = run(capsys, store, "sar", "pack", "SAR-CLI-1", "--as", OFFICER, "--out", str(draft))
    assert code == 0 and "(nothing recorded)" in out and b"DRAFT for review" in draft.read_bytes()
    assert f"to {draft}: 9 items, 5 withheld, " in out
    assert b"This pack holds 9 items: 4 given in full and 5 withheld." in draft.read_bytes()
    review = json.dumps({"reviewed_on": today})
    assert (
        run(capsys, store, "sar", "step", "SAR-CLI-1", "review-response", "--as", OFFICER, "--data", review)[
            0
        ]
        == 0
    )
    pack = tmp_path / "pack.json"
    code, out, _ = run(
        capsys,
        store,
        "sar",
        "send",
        "SAR-CLI-1",
        "--as",
        OFFICER,
        "--out",
        str(pack),
        "--format",
        "json",
        "--delivery",
        "secure_portal",
        "--json",
    )
    assert code == 0
    result = json.loads(out)
    data = pack.read_bytes()
    assert result["sha256"] == sha256(data).hex() and result["size_bytes"] == len(data)
    document = msgspec.json.decode(data, type=Pack)
    assert document.draft is False and len(document.items) == 9  # six collated, three documents
    assert data == msgspec.json.encode(document, order="sorted")  # canonical: the same pack, the same bytes
    code, out, _ = run(capsys, store, "sar", "show", "SAR-CLI-1", "--json")
    shown = json.loads(out)
    assert shown["stage"] == "response sent" and shown["documents"][0]["sha256"] == result["sha256"]
    copy = tmp_path / "copy.json"
    code, _, _ = run(
        capsys,
        store,
        "sar",
        "copy",
        "SAR-CLI-1",
        "--as",
        OFFICER,
        "--sha256",
        result["sha256"],
        "--out",
        str(copy),
    )
    assert code == 0 and copy.read_bytes() == data
    code, out, _ = run(capsys, store, "sar", "list")
    assert code == 0 and "SAR-2026-001" in out and "SAR-CLI-1" in out


def test_a_request_opened_for_another_officer_is_read_by_them_alone_on_the_command_line(
    store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = datetime.now(UTC).date().isoformat()
    opening = json.dumps(
        {
            "received_on": today,
            "channel": "email",
            "requester_id": MOTHER,
            "subject_id": MOTHER,
            "capacity": "data_subject",
            "requester_name": "Dawn Rendall",
            "request": "Everything about me.",
        }
    )
    opened_as = ("sar", "open", "SAR-CLI-7", "--as", OFFICER, "--data", opening)
    code, out, err = run(capsys, store, *opened_as, "--handled-by", "cpc-officer")
    assert (code, out) == (2, "")
    assert err == "error: officers: each must be a registered IG officer; cpc-officer is not\n"
    code, out, err = run(capsys, store, "sar", "show", "SAR-CLI-7")
    assert code == 2 and "SAR-CLI-7" in err  # nothing was written: no such request
    code, out, _ = run(capsys, store, *opened_as, "--handled-by", SECOND_OFFICER)
    assert code == 0
    assert out.endswith("recorded assign-officers on SAR-CLI-7 (version 2): handled by ig-officer-2\n")
    search = json.dumps({"searched_on": today, "records": [{"record": REVIEW, "what": "all of it"}]})
    assert (
        run(capsys, store, "sar", "step", "SAR-CLI-7", "record-search", "--as", OFFICER, "--data", search)[0]
        == 0
    )
    draft = str(tmp_path / "draft.html")
    code, out, err = run(capsys, store, "sar", "pack", "SAR-CLI-7", "--as", OFFICER, "--out", draft)
    assert (code, out) == (2, "")
    logged, said = err.splitlines()  # the refusal logged (no value), then its one line
    assert said == (
        "error: sar-SAR-CLI-7: personal data for the purpose ig-request is refused to ig-officer: "
        "they are not handling SAR-CLI-7"
    )
    assert json.loads(logged)["event"] == "need_to_know_refused" and "Dawn" not in logged
    assert not (tmp_path / "draft.html").exists()
    code, out, _ = run(capsys, store, "sar", "pack", "SAR-CLI-7", "--as", SECOND_OFFICER, "--out", draft)
    assert code == 0 and "(nothing recorded)" in out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("sar", "open", "SAR-CLI-2", "--as", OFFICER, "--data", '{"received_on": "yesterday"}'),
            "error: received_on: invalid RFC3339 encoded date",
        ),
        (
            (
                "sar",
                "open",
                "SAR-CLI-2",
                "--as",
                OFFICER,
                "--data",
                '{"received_on": "2026-11-02", "channel": "email"}',
            ),
            "error: requester_id: object missing required field `requester_id`",
        ),
        (
            (
                "sar",
                "step",
                "SAR-2026-001",
                "record-search",
                "--as",
                OFFICER,
                "--data",
                '{"searched_on": "2026-11-02", "records": [{"what": "x"}]}',
            ),
            "error: records[0].record: object missing required field `record`",
        ),
        (
            (
                "sar",
                "step",
                "SAR-2026-001",
                "close-subject-access-request",
                "--as",
                OFFICER,
                "--data",
                '{"closed_on": "2026-11-02", "outcome": "responded", "colour": "red"}',
            ),
            "error: colour: object contains unknown field `colour`",
        ),
        (
            ("sar", "step", "SAR-2026-001", "approve", "--as", OFFICER),
            "error: command: a subject access request accepts: ",
        ),
        (("sar", "show", "SAR-9999-999"), "error: no subject access request with reference 'SAR-9999-999'"),
        (
            ("sar", "pack", "SAR-2026-001", "--as", OFFICER, "--out", "x", "--format", "zip"),
            "error: --format: must be html, json or pdf",
        ),
        (
            ("sar", "send", "SAR-2026-001", "--as", OFFICER, "--out", "x", "--delivery", "pigeon"),
            "error: --delivery: must be one of",
        ),
        (("sar", "collate", "SAR-2026-001", "--as", OFFICER, "--on", "soon"), "error: --on: must be a date"),
        (
            ("sar", "pack", "SAR-2026-001", "--as", OFFICER, "--out", "/nonexistent/dir/pack.html"),
            "error: --out: cannot be written",
        ),
    ],
)
def test_the_command_line_refuses_bad_input_in_one_line_naming_the_field(
    store: Settings, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], error: str
) -> None:
    code, _, err = run(capsys, store, *args)
    assert code == 2
    assert err.startswith(error) and err.count("\n") == 1, err
    assert "Dawn" not in err and "Rendall" not in err


def test_sending_is_never_recorded_by_a_typed_digest_without_the_bytes(ig: Application) -> None:
    """`send-response` is recorded only by `sar send`, which keeps the exact bytes sent: the generic
    step with a digest typed in, and nothing sent, is refused and records nothing."""
    before = sar.load(ig, "SAR-2026-001").version
    typed = SendResponse(
        sent_on=date(2026, 12, 3),
        sha256="0" * 64,
        size_bytes=1,
        pack_format=PackFormat.HTML,
        delivery=Delivery.EMAIL,
        contents=(),
    )
    with pytest.raises(InvalidInput) as refused:
        sar.step(ig, "SAR-2026-001", OFFICER, typed)
    assert str(refused.value) == (
        "step: send-response is recorded by sending the pack (`reviewledger sar send`, or the request's page), "
        "which keeps the exact bytes sent"
    )
    assert sar.load(ig, "SAR-2026-001").version == before
