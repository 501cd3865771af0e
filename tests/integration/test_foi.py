"""FOI requests (FOISA 2002) answered from the record, on SQLite and PostgreSQL.

The demo's FOI-2026-001 is a journalist's request for the decision trail of LR-2026-001, received
on Monday 16 November 2026: twenty working days, St Andrew's Day (Monday 30 November) not among
them, run to 15 December. The officer identified the trail, applied s.38(1)(b) to its personal
data, and sent the response in part on 23 November. Each test checks what the requester receives,
what the file records, and what an inspector could re-check from the copy kept.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import pytest

from adapters.app import views
from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.cli import main
from adapters.governance import sent_documents
from adapters.governance.foi import requests as foi
from adapters.governance.foi.contents import REPORT_TYPES
from audit.envelope import sha256
from domain.governance.exemptions import Section
from domain.governance.foi.steps import (
    ApplyExemption,
    DecideReview,
    Extent,
    FoiChannel,
    FoiResponseSent,
    PublicInterestAnswers,
    ReceiveFoiClarification,
    ReceiveFoiRequest,
    RecordReviewRequirement,
    ResponseType,
    ReviewDecided,
    ReviewOutcome,
    SeekFoiClarification,
)
from domain.governance.ig_notices import COMMISSIONER_AND_COURT_RIGHTS, REVIEW_AND_APPEAL_RIGHTS
from domain.governance.sar.steps import PackFormat
from domain.kernel.errors import InvalidInput, RuleViolation
from projections import queries
from projections.subjects import personal_items
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
TRAIL, REPORT = f"{REVIEW}/decision-trail", f"{REVIEW}/report"
OFFICER, SECOND_OFFICER = "ig-officer", "ig-officer-2"
THIRD_PARTY = "[redacted: s.38(1)(b) personal data of a third party]"
OWN_DATA = "[redacted: s.38(1)(a) the requester's own personal data]"
SUBJECT_ID = re.compile(r"\bS-[A-Za-z0-9][A-Za-z0-9-]*")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store(request.param, tmp_path_factory.mktemp("foi")) as settings:
        yield settings


@pytest.fixture
def ig(store: Settings) -> Iterator[Application]:
    with opened(store, MovableClock()) as app:
        yield app


def receive(requester: str = "S-FOI2-REQUESTER", received_on: date = date(2026, 12, 1)) -> ReceiveFoiRequest:
    return ReceiveFoiRequest(
        received_on=received_on,
        channel=FoiChannel.EMAIL,
        requester_id=requester,
        requester_name="Sam Petrie",
        address_for_correspondence="sam.petrie@example.org",
        information_requested="The report and the decision trail of the review in Stromness.",
    )


def third_party(item_id: str, section: Section = Section.S38_1_B, **changes: str) -> ApplyExemption:
    return ApplyExemption(
        item_id=item_id,
        section=section,
        extent=Extent.PART,
        reasons="It would identify the child, her family and the practitioners.",
        **changes,  # type: ignore[arg-type]
    )


def response_sent(app: Application, reference: str) -> FoiResponseSent:
    [found] = [r.event for r in app.ledger.read(f"foi-{reference}") if isinstance(r.event, FoiResponseSent)]
    assert isinstance(found, FoiResponseSent)
    return found


def kept(app: Application, reference: str, digest: str) -> bytes:
    data = sent_documents.open_document(app, f"foi-{reference}", digest)
    assert data is not None
    return data


def everyones_values(app: Application, record: str) -> dict[str, str]:
    """Every personal value the review holds, and every register entry of everyone it holds data of."""
    values = personal_values(app, record)
    with app.db.reader.connect() as conn:
        subjects = queries.subjects_in(conn, record)
    assert len(subjects) >= 9
    for subject in subjects:
        values.update(personal_values(app, f"subject-{subject}"))
    return values


def assert_nobody_is_named(app: Application, data: bytes) -> None:
    leaked = [item for item, value in everyones_values(app, REVIEW).items() if appears_in(value, data)]
    assert leaked == []
    assert SUBJECT_ID.findall(data.decode()) == []


# -- the demo's disclosure of a decision trail ------------------------------------------------------


def test_the_response_is_recorded_with_the_digest_of_the_exact_bytes_kept(ig: Application) -> None:
    sent = response_sent(ig, "FOI-2026-001")
    data = kept(ig, "FOI-2026-001", sent.notice_sha256)
    assert sha256(data).hex() == sent.notice_sha256
    assert (sent.response, sent.sections_cited, sent.items_released) == (
        ResponseType.PARTIAL,
        (Section.S38_1_B,),
        (TRAIL,),
    )
    assert (sent.responded_on, sent.due_on, sent.review_requirement_due_on) == (
        date(2026, 11, 23),
        date(2026, 12, 15),  # twenty working days; St Andrew's Day is not one
        date(2027, 2, 15),  # forty working days after the due date
    )


def test_the_disclosed_trail_holds_no_personal_value_of_anyone(ig: Application) -> None:
    sent = response_sent(ig, "FOI-2026-001")
    data = kept(ig, "FOI-2026-001", sent.notice_sha256)
    assert_nobody_is_named(ig, data)
    # and the trail itself is there: each decision, its outcome and whether it met its timescale
    text = data.decode()
    assert "2026-02-10 decision whether to proceed" in text
    assert "committee decision within 6 weeks of notification, due 2026-02-16: met" in text
    assert "by the cog" in text and "signature verified" in text


def test_every_redaction_is_marked_with_its_exemption_and_logged(ig: Application) -> None:
    data = kept(ig, "FOI-2026-001", response_sent(ig, "FOI-2026-001").notice_sha256).decode()
    trail = views.decision_trail(ig, REVIEW)
    sealed = sum(1 for d in trail for b in d.basis if b.sealed is not None)
    ids = sum(len(SUBJECT_ID.findall(d.outcome)) for d in trail)
    assert (sealed, ids) == (8, 4)  # eight stated bases; four team members appointed
    assert data.count(THIRD_PARTY) == sealed + ids
    assert data.count("[redacted:") == sealed + ids
    assert data.count(f'<span class="redacted">{THIRD_PARTY}</span>') == sealed + ids  # each one visible
    log = data.split("<h2>Redaction log</h2>", 1)[1]
    assert log.count("<td>section 38(1)(b)</td>") == sealed + ids


def test_the_notice_cites_the_exemption_and_states_the_rights_of_review_and_appeal(ig: Application) -> None:
    data = kept(ig, "FOI-2026-001", response_sent(ig, "FOI-2026-001").notice_sha256)
    text = data.decode()
    assert "The rest is withheld under the exemptions below (section 16)." in text
    assert (
        "section 38(1)(b): Personal information: another person&#x27;s personal data (absolute exemption)"
        in text
    )
    for paragraph in REVIEW_AND_APPEAL_RIGHTS.split("\n"):
        assert appears_in(paragraph, data), paragraph


# -- a report and a trail, and the requester's own data ---------------------------------------------


def test_a_reports_every_personal_item_is_redacted_and_the_response_waits_for_the_exemption(
    ig: Application,
) -> None:
    ref = "FOI-2026-101"
    foi.open_request(ig, ref, OFFICER, receive())
    foi.identify_parts(ig, ref, OFFICER, REVIEW, ["report", "decision-trail"])
    with pytest.raises(
        RuleViolation, match=r"LR-2026-001/report holds personal data redacted under section 38\(1\)\(b\)"
    ):
        foi.respond(ig, ref, OFFICER, PackFormat.JSON)
    foi.step(ig, ref, OFFICER, third_party(REPORT))
    foi.step(ig, ref, OFFICER, third_party(TRAIL))
    sent, data = foi.respond(ig, ref, OFFICER, PackFormat.JSON, on=date(2026, 12, 2))
    assert sha256(data).hex() == sent.document.sha256 == response_sent(ig, ref).notice_sha256
    assert_nobody_is_named(ig, data)
    document = json.loads(data)
    assert document["response"] == "partial" and document["draft"] is False
    report, trail = document["parts"]
    assert (report["item_id"], trail["item_id"]) == (REPORT, TRAIL)
    latest = [r for r in ig.ledger.read(REVIEW) if r.type in REPORT_TYPES][-1]
    items = [path for path, _ in personal_items(latest.event)]
    redacted = [e for e in report["entries"] if e["redaction"] is not None]
    assert len(redacted) == len(items) == 11  # six sections' text, the five parts of a CLEAR strategy
    assert {e["redaction"] for e in redacted} == {THIRD_PARTY}
    headings = [e["text"] for e in report["entries"] if e["label"].endswith(": heading")]
    assert headings == [
        "how the review was conducted",
        "circumstances that led to the review",
        "learning and the evidence for it",
        "effective practice",
        "strategies for improving practice and systems",
        "final terms of reference",
    ]


def test_the_requesters_own_data_is_marked_as_such_and_needs_its_own_exemption(ig: Application) -> None:
    # The Chair of the review team asks: his appointment is his own personal data.
    ref = "FOI-2026-102"
    foi.open_request(ig, ref, OFFICER, receive(requester="S-NLR1-CHAIR"))
    foi.identify_parts(ig, ref, OFFICER, REVIEW, ["decision-trail"])
    foi.step(ig, ref, OFFICER, third_party(TRAIL))
    with pytest.raises(RuleViolation, match=r"under section 38\(1\)\(a\): apply the exemption to it first"):
        foi.build_response(ig, ref, OFFICER)
    foi.step(ig, ref, OFFICER, third_party(TRAIL, Section.S38_1_A, sar_reference="SAR-2026-120"))
    _, data = foi.respond(ig, ref, OFFICER, PackFormat.HTML)
    text = data.decode()
    own = html.escape(OWN_DATA)
    assert text.count(own) == 1
    assert f'appointment: <span class="redacted">{own}</span> appointed as chair' in text
    assert response_sent(ig, ref).sections_cited == (Section.S38_1_B, Section.S38_1_A)
    assert "section 38(1)(a): Personal information: the requester&#x27;s own personal data" in text


def test_an_item_withheld_in_whole_under_a_qualified_exemption_is_refused_with_its_public_interest_test(
    ig: Application,
) -> None:
    ref = "FOI-2026-107"
    foi.open_request(ig, ref, OFFICER, receive())
    foi.identify_parts(ig, ref, OFFICER, REVIEW, ["report", "decision-trail"])
    foi.step(ig, ref, OFFICER, third_party(REPORT))
    law_enforcement = ApplyExemption(
        item_id=TRAIL,
        section=Section.S35_1,
        extent=Extent.WHOLE,
        reasons="Criminal proceedings about the injury are still ongoing.",
        public_interest=PublicInterestAnswers(
            for_disclosure="Accountability for the decisions taken.",
            for_withholding="A fair trial.",
            conclusion="Withholding is in the public interest until the trial ends.",
        ),
    )
    foi.step(ig, ref, OFFICER, law_enforcement)
    response = foi.build_response(ig, ref, OFFICER)
    assert response.response is ResponseType.PARTIAL and response.withheld_in_whole == (TRAIL,)
    assert [p.item_id for p in response.parts] == [REPORT]
    assert "section 35(1): Law enforcement (qualified exemption)" in response.notice
    assert (
        "The public interest: LR-2026-001/decision-trail: for disclosure, Accountability for the decisions "
        "taken.; for withholding, A fair trial.; our conclusion: Withholding is in the public interest"
    ) in response.notice
    assert response.notice.endswith(REVIEW_AND_APPEAL_RIGHTS)


# -- the clocks (DOMAIN.md §5) ------------------------------------------------------------------------


def test_twenty_working_days_restart_on_clarification_and_a_review_has_its_own_clock(ig: Application) -> None:
    ref = "FOI-2026-103"
    foi.open_request(ig, ref, OFFICER, receive(received_on=date(2026, 11, 2)))
    assert foi.show(ig, ref).due_on == date(2026, 12, 1)  # 30 November, St Andrew's Day, is skipped
    foi.step(ig, ref, OFFICER, SeekFoiClarification(sought_on=date(2026, 11, 4), question="Which review?"))
    assert foi.show(ig, ref).stage == "clock stopped: awaiting clarification"
    assert foi.show(ig, ref).working_days_left is None
    foi.step(
        ig,
        ref,
        OFFICER,
        ReceiveFoiClarification(received_on=date(2026, 11, 9), answer="The one in Stromness."),
    )
    status = foi.show(ig, ref)
    assert (status.clock_started_on, status.due_on) == (date(2026, 11, 9), date(2026, 12, 8))
    assert status.working_days_left == -2  # on 10 December: 9 and 10 December are past the due date
    _, data = foi.respond(
        ig, ref, OFFICER, PackFormat.HTML, on=date(2026, 12, 8), not_held="We hold no such review."
    )
    text = data.decode()
    assert "We do not hold the information you asked for (section 17)." in text and "section 19" in text
    recorded = response_sent(ig, ref)
    assert (recorded.response, recorded.review_requirement_due_on) == (
        ResponseType.NOT_HELD,
        date(2027, 2, 8),
    )
    requirement = RecordReviewRequirement(received_on=date(2026, 12, 9), dissatisfaction="I know it exists.")
    foi.step(ig, ref, OFFICER, requirement)
    shown = foi.show(ig, ref)
    assert shown.review_due_on == date(2027, 1, 12)  # Christmas, Boxing Day and 1 and 2 January skipped
    assert [c.name for c in shown.clocks][-1] == "review decided within 20 working days of the requirement"
    with pytest.raises(
        RuleViolation, match="decided by an officer not involved in the response; ig-officer sent it"
    ):
        foi.decide_review(
            ig, ref, OFFICER, ReviewOutcome.CONFIRMED, "The search was thorough.", PackFormat.HTML
        )
    decided, notice = foi.decide_review(
        ig, ref, SECOND_OFFICER, ReviewOutcome.CONFIRMED, "The search was thorough.", PackFormat.HTML
    )
    [event] = [r.event for r in ig.ledger.read(f"foi-{ref}") if isinstance(r.event, ReviewDecided)]
    assert isinstance(event, ReviewDecided)
    assert event.notice_sha256 == sha256(notice).hex() == decided.document.sha256
    for paragraph in COMMISSIONER_AND_COURT_RIGHTS.split("\n"):
        assert appears_in(paragraph, notice)


def test_neither_confirm_nor_deny_rests_on_an_exemption_section_18_allows_and_states_the_public_interest(
    ig: Application,
) -> None:
    ref = "FOI-2026-104"
    foi.open_request(ig, ref, OFFICER, receive())
    with pytest.raises(
        InvalidInput, match=r"^sections: section 27\(1\) cannot support neither confirming nor denying"
    ):
        foi.respond(ig, ref, OFFICER, PackFormat.HTML, ncnd_sections=(Section.S27_1,))
    with pytest.raises(RuleViolation, match="say why revealing whether the information exists"):
        foi.respond(ig, ref, OFFICER, PackFormat.HTML, ncnd_sections=(Section.S38_1_B,))
    assert sent_documents.kept(ig, f"foi-{ref}") == []  # a refused response keeps nothing
    _, data = foi.respond(
        ig,
        ref,
        OFFICER,
        PackFormat.HTML,
        ncnd_sections=(Section.S38_1_B,),
        ncnd_public_interest="Confirming it would reveal that a child in a small community was at risk.",
    )
    assert "We can neither confirm nor deny whether we hold the information" in data.decode()
    assert response_sent(ig, ref).response is ResponseType.NEITHER_CONFIRM_NOR_DENY


def test_bad_input_is_refused_with_the_field_named(ig: Application) -> None:
    foi.open_request(ig, "FOI-2026-105", OFFICER, receive())
    with pytest.raises(InvalidInput, match=r"^part: must be one of report, decision-trail"):
        foi.identify_parts(ig, "FOI-2026-105", OFFICER, REVIEW, ["minutes"])
    with pytest.raises(InvalidInput, match=r"^record: subject-S-NLR1-MOTHER is not a review"):
        foi.identify_parts(ig, "FOI-2026-105", OFFICER, "subject-S-NLR1-MOTHER", ["report"])
    with pytest.raises(InvalidInput, match=r"^items: record the information held first"):
        foi.respond(ig, "FOI-2026-105", OFFICER, PackFormat.HTML)
    nameless = msgspec.structs.replace(receive(), requester_name=" ")
    with pytest.raises(InvalidInput, match=r"^requester_name: a valid request states the requester's name"):
        foi.open_request(ig, "FOI-2026-106", OFFICER, nameless)


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
        "channel": "web_form",
        "requester_id": "S-FOI3-REQUESTER",
        "requester_name": "Sam Petrie",
        "address_for_correspondence": "sam.petrie@example.org",
        "information_requested": "The decision trail.",
    }
    code, out, _ = run(
        capsys, store, "foi", "open", "FOI-CLI-1", "--as", OFFICER, "--data", json.dumps(opening)
    )
    assert code == 0 and "response due by" in out and "(20 working days)" in out
    code, out, _ = run(
        capsys,
        store,
        "foi",
        "identify",
        "FOI-CLI-1",
        "--as",
        OFFICER,
        "--record",
        REVIEW,
        "--part",
        "decision-trail",
    )
    assert code == 0 and out.endswith(f": {TRAIL}\n")
    exemption = {"item_id": TRAIL, "section": "s38_1_b", "extent": "part", "reasons": "Names the family."}
    code, _, _ = run(
        capsys,
        store,
        "foi",
        "step",
        "FOI-CLI-1",
        "apply-exemption",
        "--as",
        OFFICER,
        "--data",
        json.dumps(exemption),
    )
    assert code == 0
    draft = tmp_path / "draft.html"
    code, out, _ = run(capsys, store, "foi", "draft", "FOI-CLI-1", "--as", OFFICER, "--out", str(draft))
    assert code == 0 and "(nothing recorded)" in out and b"DRAFT for review" in draft.read_bytes()
    sent = tmp_path / "response.json"
    code, out, _ = run(
        capsys,
        store,
        "foi",
        "respond",
        "FOI-CLI-1",
        "--as",
        OFFICER,
        "--out",
        str(sent),
        "--format",
        "json",
        "--json",
    )
    assert code == 0
    result = json.loads(out)
    data = sent.read_bytes()
    assert result["sha256"] == sha256(data).hex()
    assert json.loads(data)["response"] == "partial"
    code, out, _ = run(capsys, store, "foi", "show", "FOI-CLI-1", "--json")
    shown = json.loads(out)
    assert shown["response"] == "partial" and shown["documents"][0]["sha256"] == result["sha256"]
    code, out, _ = run(capsys, store, "foi", "exemptions")
    assert code == 0 and "s38_1_b   section 38(1)(b)   absolute" in out and "s30_b" in out
    code, out, _ = run(capsys, store, "foi", "list")
    assert code == 0 and "FOI-2026-001" in out and "FOI-CLI-1" in out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("foi", "open", "FOI-CLI-2", "--as", OFFICER, "--data", '{"received_on": 5}'),
            "error: received_on: expected `date`, got `int`",
        ),
        (
            ("foi", "open", "FOI-CLI-2", "--as", OFFICER, "--data", '{"received_on"'),
            "error: --data: must be a JSON object",
        ),
        (
            ("foi", "identify", "FOI-2026-001", "--as", OFFICER, "--record", REVIEW, "--part", "minutes"),
            "error: part: must be one of",
        ),
        (
            ("foi", "respond", "FOI-2026-001", "--as", OFFICER, "--out", "x", "--ncnd", "s99"),
            "error: --ncnd: must be one of",
        ),
        (
            (
                "foi",
                "review-decision",
                "FOI-2026-001",
                "--as",
                OFFICER,
                "--outcome",
                "maybe",
                "--reasons",
                "x",
                "--out",
                "x",
            ),
            "error: --outcome: must be one of",
        ),
        (
            (
                "foi",
                "step",
                "FOI-2026-001",
                "apply-exemption",
                "--as",
                OFFICER,
                "--data",
                '{"item_id": "x", "section": "s1", "extent": "part", "reasons": "x"}',
            ),
            "error: section: invalid enum value 's1'",
        ),
        (("foi", "show", "FOI-9999-999"), "error: no FOI request with reference 'FOI-9999-999'"),
        (
            (
                "foi",
                "step",
                "FOI-2026-001",
                "close-foi-request",
                "--as",
                "cpc-officer",
                "--data",
                '{"closed_on": "2026-11-23"}',
            ),
            "error: foi-FOI-2026-001: close-foi-request can only be recorded by a person holding ig_officer",
        ),
    ],
)
def test_the_command_line_refuses_bad_input_in_one_line_naming_the_field(
    store: Settings, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], error: str
) -> None:
    code, _, err = run(capsys, store, *args)
    assert code == 2
    assert err.startswith(error) and err.count("\n") == 1, err


def _generic_step_refused(
    capsys: pytest.CaptureFixture[str],
    store: Settings,
    ref: str,
    step: str,
    actor: str,
    typed: dict[str, str],
) -> str:
    """`foi step REF STEP --data TYPED` as `actor`: it must fail as bad input (exit 2), printing
    nothing on standard output; returns what it wrote on standard error."""
    code, out, err = run(
        capsys, store, *("foi", "step", ref, step, "--as", actor, "--data"), json.dumps(typed)
    )
    assert (code, out) == (2, "")
    return err


def test_a_response_is_never_recorded_by_a_typed_digest_without_the_bytes_sent(
    store: Settings, ig: Application, capsys: pytest.CaptureFixture[str]
) -> None:
    """`respond-to-foi-request` is recorded only by `foi respond`, which keeps what was sent: the
    generic step, with a digest typed in and nothing sent, is refused in one line and records nothing."""
    foi.open_request(ig, "FOI-2026-108", OFFICER, receive())
    before = foi.load(ig, "FOI-2026-108").version
    capsys.readouterr()  # the opening's own log lines
    typed = {"responded_on": "2026-12-02", "response": "not_held", "notice_sha256": "0" * 64}
    err = _generic_step_refused(capsys, store, "FOI-2026-108", "respond-to-foi-request", OFFICER, typed)
    assert err == (
        "error: step: respond-to-foi-request is recorded by responding (`reviewledger foi respond`, or the "
        "request's Respond page), which keeps the exact bytes sent\n"
    )
    assert foi.load(ig, "FOI-2026-108").version == before


def test_a_review_decision_is_never_recorded_by_a_typed_digest_without_the_notice_sent(
    store: Settings, ig: Application, capsys: pytest.CaptureFixture[str]
) -> None:
    """`decide-review` is recorded only with its notice (`foi review-decision`, or the request's page),
    which keeps what was sent: the generic step, with a digest typed in, is refused in one line and
    records nothing, though a review is waiting for its decision."""
    ref = "FOI-2026-109"
    foi.open_request(ig, ref, OFFICER, receive())
    foi.respond(ig, ref, OFFICER, PackFormat.HTML, on=date(2026, 12, 2), not_held="We hold no such review.")
    requirement = RecordReviewRequirement(received_on=date(2026, 12, 3), dissatisfaction="I know it exists.")
    foi.step(ig, ref, OFFICER, requirement)
    before, copies = foi.load(ig, ref).version, sent_documents.kept(ig, f"foi-{ref}")
    capsys.readouterr()  # the steps' own log lines
    typed = {
        "decided_on": "2026-12-04",
        "outcome": "confirmed",
        "reasons": "Thorough.",
        "notice_sha256": "0" * 64,
    }
    err = _generic_step_refused(capsys, store, ref, "decide-review", SECOND_OFFICER, typed)
    assert err == (
        "error: step: decide-review is recorded with its notice (`reviewledger foi review-decision`, or the "
        "request's Decide the review page), which keeps the exact bytes sent\n"
    )
    assert foi.load(ig, ref).version == before
    assert sent_documents.kept(ig, f"foi-{ref}") == copies
    with pytest.raises(InvalidInput, match=r"^step: decide-review is recorded with its notice"):
        foi.step(
            ig,
            ref,
            SECOND_OFFICER,
            DecideReview(
                decided_on=date(2026, 12, 4),
                outcome=ReviewOutcome.CONFIRMED,
                reasons="Thorough.",
                notice_sha256="0" * 64,
            ),
        )
    assert foi.load(ig, ref).version == before
