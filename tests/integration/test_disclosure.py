"""The last check on what leaves: an FOI response or a download holding any registered identifier is not
written, and the error names the kinds and the items, never the values.

The leak reproduced: a report version as first recorded (`national.report-version-drafted`) kept each CLEAR
strategy's `responsible` in plain text, and an FOI response released it as written, naming a child's
school. The demo's LR-2026-001 is given such a version; the school is registered for a child.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.cli import main
from adapters.governance import sent_documents
from adapters.governance.disclosure import (
    IdentifiersInOutput,
    check_download,
    readable_texts,
    register_detector,
)
from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import foi_stream
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ApplyExemption, Extent, FoiChannel, FoiResponseSent, ReceiveFoiRequest
from domain.governance.identifiers import IdentifierKind
from domain.governance.sar.steps import PackFormat
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.routes.national.events_reporting import REPORT_DRAFTS, ReportVersionDrafted
from domain.routes.national.forms import ClearStrategy
from tests.integration.ig_support import MovableClock, demo_store, logging_restored, opened

__all__ = ["logging_restored"]

REVIEW = "LR-2026-001"
REPORT = f"{REVIEW}/report"
OFFICER = "ig-officer"
SCHOOL = "Papdale Primary School"
RESPONSIBLE = "The head teacher of Papdale Primary"
REFUSED = (
    r"^{ref}: the FOI response holds a registered school of a data subject "
    r"\(in LR-2026-001/report: strategies 1: responsible\); nothing was written "
    r"\(DESIGN.md 'Disclosure': what leaves the system holds no registered identifier of any data subject\)$"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store("sqlite", tmp_path_factory.mktemp("disclosure")) as settings:
        with opened(settings, MovableClock()) as app:
            register_a_school_and_draft_a_first_form_report(app)
        yield settings


@pytest.fixture
def ig(store: Settings) -> Iterator[Application]:
    with opened(store, MovableClock()) as app:
        yield app


def register_a_school_and_draft_a_first_form_report(app: Application) -> None:
    """A child registered with her school; a report version whose strategy names that school in plain text."""
    app.execute(
        DataSubject,
        subject_stream("S-LEAK-CHILD"),
        "cpc-officer",
        RegisterSubject(
            subject_id="S-LEAK-CHILD",
            category=SubjectCategory.CHILD,
            name="Senga Harcus",
            school=SCHOOL,
            record_number="0102034567",
        ),
    )
    events = app.ledger.read(REVIEW, unseal=True)
    latest = [r for r in events if isinstance(r.event, REPORT_DRAFTS)][-1]
    drafted = latest.event
    assert isinstance(drafted, REPORT_DRAFTS)
    [strategy, *_] = drafted.strategies
    first_form = ReportVersionDrafted(
        at=datetime(2026, 12, 1, 10, tzinfo=UTC),
        role=drafted.role,
        version=drafted.version + 1,
        drafted_on=date(2026, 12, 1),
        terms_of_reference_version=drafted.terms_of_reference_version,
        sections=drafted.sections,
        strategies=(
            ClearStrategy(
                case_for_change=strategy.case_for_change,
                learning=strategy.learning,
                evidence=strategy.evidence,
                responsible=RESPONSIBLE,
                review=strategy.review,
            ),
        ),
    )
    app.ledger.append(REVIEW, events[-1].version, [first_form], latest.actor, first_form.at)


def request_the_report(app: Application, ref: str) -> None:
    foi.open_request(
        app,
        ref,
        OFFICER,
        ReceiveFoiRequest(
            received_on=date(2026, 12, 1),
            channel=FoiChannel.EMAIL,
            requester_id=f"S-{ref}-REQUESTER",
            requester_name="Sam Petrie",
            address_for_correspondence="sam.petrie@example.org",
            information_requested="The report of the review.",
        ),
    )
    foi.identify_parts(app, ref, OFFICER, REVIEW, ["report"])
    foi.step(
        app,
        ref,
        OFFICER,
        ApplyExemption(
            item_id=REPORT,
            section=Section.S38_1_B,
            extent=Extent.PART,
            reasons="It would identify the family.",
        ),
    )


def test_a_response_naming_a_registered_school_in_clear_text_is_not_sent_and_nothing_is_recorded(
    ig: Application,
) -> None:
    ref = "FOI-2026-301"
    request_the_report(ig, ref)
    response = foi.build_response(ig, ref, OFFICER)
    [entry] = [e for p in response.parts for e in p.entries if e.label == "strategies 1: responsible"]
    assert entry.text == RESPONSIBLE  # what was released as written before this check
    for fmt in PackFormat.HTML, PackFormat.JSON:
        with pytest.raises(IdentifiersInOutput, match=REFUSED.format(ref=ref)) as refused:
            foi.respond(ig, ref, OFFICER, fmt)
        assert refused.value.kinds == (IdentifierKind.SCHOOL,)
        assert "Papdale" not in str(refused.value)
    events = ig.ledger.read(foi_stream(ref))
    assert not any(isinstance(r.event, FoiResponseSent) for r in events)
    assert sent_documents.kept(ig, foi_stream(ref)) == []


def test_the_draft_is_not_written_by_the_command_line_and_the_error_is_one_line(
    store: Settings, ig: Application, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = "FOI-2026-302"
    request_the_report(ig, ref)
    out = tmp_path / "draft.html"
    draft = ["foi", "draft", ref, "--as", OFFICER, "--format", "html", "--out", str(out)]
    code = main(["--db", store.db_url, "--kek-file", str(store.kek_file), *draft])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert err.count("\n") == 1 and "Traceback" not in err and "Papdale" not in err
    assert err.startswith(f"error: {ref}: the FOI response holds a registered school of a data subject (in ")


def test_the_check_reads_what_the_bytes_say_and_names_every_kind(ig: Application) -> None:
    detector = register_detector(ig)
    page = b"<html><body><p>Senga <b>HARCUS</b></p><!-- 010203 4567 --><style>p{}</style></body></html>"
    with pytest.raises(
        IdentifiersInOutput,
        match=r"^the log: the checkpoint holds a registered name and record number of a data subject "
        r"\(in the rendered document\); nothing was written",
    ):
        check_download(ig, page, document="checkpoint", record="the log")
    assert detector.kinds_in(readable_texts(page)[0]) == {IdentifierKind.NAME}
    clean = b'{"record": "LR-2026-001", "rule": "disposal after six years", "count": 3}'
    assert check_download(ig, clean, document="disposal certificate", record=REVIEW) == clean


def test_a_kept_copy_holding_a_registered_identifier_is_not_written_out(
    store: Settings, ig: Application, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A copy kept before the last check existed: it names the child's school and record number.
    ref = "FOI-2026-303"
    request_the_report(ig, ref)
    kept = sent_documents.keep(
        ig,
        record=foi_stream(ref),
        purpose=foi.RESPONSE,
        media_type="application/json",
        data=b'{"notice": "The head teacher of Papdale Primary, CHI 010203 4567."}',
        actor=OFFICER,
    )
    out = tmp_path / "copy.json"
    copy = ["foi", "copy", ref, "--as", OFFICER, "--sha256", kept.sha256, "--out", str(out)]
    code = main(["--db", store.db_url, "--kek-file", str(store.kek_file), *copy])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert err == (
        f"error: {ref}: the copy of an FOI document holds a registered school and record number of a data "
        "subject (in the rendered document); nothing was written (DESIGN.md 'Disclosure': what leaves the "
        "system holds no registered identifier of any data subject)\n"
    )
