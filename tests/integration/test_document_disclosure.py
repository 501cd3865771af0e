"""A document as an item of a subject access response, on SQLite and on PostgreSQL.

Ellie Rendall asks for everything the council holds about her. The review's report, attached to
a step, also names her mother and a social worker; the detector proposed them when it was
attached. The IG officer answering the request redacts the report: the other people's
identifiers are removed by the detector, the officer adds one phrase; the redacted copy is kept
sealed and the decision, with its redaction log, is signed. Nobody else may decide, and no
decision is taken for a request that is not in progress.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import msgspec
import pypdfium2 as pdfium
import pytest

from adapters.app.application import Application
from adapters.governance import document_disclosure, documents
from adapters.governance.access_log import entries
from adapters.governance.document_disclosure import FOI_PERSONAL_DATA, THIRD_PARTY
from adapters.governance.foi import requests as foi
from adapters.governance.redaction import Phrase
from adapters.governance.sar import requests as sar
from adapters.governance.sar.contents import ItemStatus
from domain.governance.documents import DisclosureOutcome, documents_stream
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ApplyExemption, Extent, FoiChannel, ReceiveFoiRequest
from domain.governance.sar.request import SubjectAccessRequest, sar_stream
from domain.governance.sar.steps import (
    Capacity,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
)
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import InvalidInput, NotAuthorised
from domain.kernel.roles import Role
from tests.document_files import docx_file, odt_file, text_pdf
from tests.integration.review_steps import open_review

REVIEW, SAR = "LR-2026-001", "SAR-2026-009"
PEOPLE = {
    "S-CHILD": ("Ellie Rendall", SubjectCategory.CHILD, None),
    "S-MUM": ("Dana Rendall", SubjectCategory.PARENT_CARER, "4 Harbour Road, Stromness"),
    "S-SW": ("Karen Spence", SubjectCategory.PRACTITIONER, None),
}
REPORT = [
    "Ellie Rendall lived with her mother Dana Rendall at 4 Harbour Road. Karen Spence visited weekly.",
    "Karen Spence noted that the neighbour's dog frightened Ellie Rendall.",
]


@pytest.fixture
def answering(app: Application, tmp_path: Path) -> tuple[Application, str]:
    app.register_person("admin", "officer", "Moira Tait", (Role.CPC_OFFICER,))
    app.register_person("admin", "ig", "Iain Gunn", (Role.IG_OFFICER,))
    for subject_id, (name, category, address) in PEOPLE.items():
        app.execute(
            DataSubject,
            subject_stream(subject_id),
            "officer",
            RegisterSubject(subject_id=subject_id, category=category, name=name, address=address),
        )
    open_review(app, REVIEW, "officer")
    attached = documents.attach(
        app,
        review=REVIEW,
        step_version=2,
        path=text_pdf(tmp_path / "report.pdf", REPORT),
        about=("S-CHILD",),
        actor="officer",
    )
    assert attached.not_confirmed == ("S-MUM", "S-SW"), "the detector proposed the others named in it"
    on = date(2026, 3, 1)
    stream = sar_stream(SAR)
    for command in (
        ReceiveSubjectAccessRequest(
            received_on=on,
            channel=RequestChannel.EMAIL,
            requester_id="S-CHILD",
            subject_id="S-CHILD",
            capacity=Capacity.DATA_SUBJECT,
            requester_name="Ellie Rendall",
            request="Everything you hold about me.",
        ),
        RecordSearch(searched_on=on, records=(SearchAnswers(record=REVIEW, what="the review's report"),)),
    ):
        moment = app.clock.now()
        record = app.load(SubjectAccessRequest, stream, must_exist=False)
        record.execute(command, app.acting("ig"), moment)
        app.ledger.append(stream, record.base_version, record.collect_events(), "ig", moment)
    return app, attached.document.document_id


def test_the_officer_redacts_the_report_and_no_other_person_s_words_survive(
    answering: tuple[Application, str], tmp_path: Path
) -> None:
    app, document_id = answering
    out = tmp_path / "redacted.pdf"
    disclosed = document_disclosure.decide(
        app,
        review=REVIEW,
        document_id=document_id,
        request=SAR,
        actor="ig",
        outcome=DisclosureOutcome.REDACTED,
        phrases=[Phrase(text="the neighbour's dog", ground="s.30 prejudice")],
        out=out,
    )
    decision = disclosed.decision
    assert decision.outcome is DisclosureOutcome.REDACTED and decision.redacted_pages == 2
    assert {(r.page, r.ground, r.source) for r in decision.redactions} >= {
        (1, THIRD_PARTY, "detector"),
        (2, THIRD_PARTY, "detector"),
        (2, "s.30 prejudice", "officer"),
    }
    data = out.read_bytes()
    pdf = pdfium.PdfDocument(str(out))
    assert all(pdf[i].get_textpage().get_text_range().strip() == "" for i in range(len(pdf)))
    for word in ("Karen Spence", "Dana", "Harbour Road", "neighbour"):
        assert word.encode() not in data and word not in disclosed.transcript
    assert "Ellie Rendall" in disclosed.transcript, "the requester's own name stays"
    kept = document_disclosure.redacted_copy(
        app, review=REVIEW, document_id=document_id, request=SAR, actor="ig"
    )
    assert kept == data
    [recorded] = [
        r for r in app.ledger.read(documents_stream(REVIEW)) if r.type == "document.disclosure-decided"
    ]
    assert "Karen" not in str(recorded.event) and "neighbour" not in str(recorded.event)
    reads = [(e.actor, e.view, e.purpose, e.ig_request) for e in entries(app, record=REVIEW) if e.granted]
    assert ("ig", "document", "ig-request", SAR) in reads


def test_released_and_withheld_are_recorded_and_a_withholding_needs_its_ground(
    answering: tuple[Application, str],
) -> None:
    app, document_id = answering

    def decide(outcome: DisclosureOutcome, ground: str = "") -> DisclosureOutcome:
        found = document_disclosure.decide(
            app,
            review=REVIEW,
            document_id=document_id,
            request=SAR,
            actor="ig",
            outcome=outcome,
            ground=ground,
        )
        return found.decision.outcome

    with pytest.raises(InvalidInput, match="ground: must be 1 to 60"):
        decide(DisclosureOutcome.WITHHELD)
    assert decide(DisclosureOutcome.WITHHELD, "s.31 legal privilege") is DisclosureOutcome.WITHHELD
    assert decide(DisclosureOutcome.RELEASED) is DisclosureOutcome.RELEASED
    file = documents.load(app, REVIEW)
    assert file.disclosures[(SAR, document_id)].outcome is DisclosureOutcome.RELEASED


def test_only_an_ig_officer_decides_and_only_for_a_request_in_progress(
    answering: tuple[Application, str],
) -> None:
    app, document_id = answering
    with pytest.raises(
        NotAuthorised, match="refused to officer: they are not an information-governance officer"
    ):
        document_disclosure.decide(
            app,
            review=REVIEW,
            document_id=document_id,
            request=SAR,
            actor="officer",
            outcome=DisclosureOutcome.RELEASED,
        )
    with pytest.raises(NotAuthorised, match=r"; there is no request SAR-2026-404$"):
        document_disclosure.decide(
            app,
            review=REVIEW,
            document_id=document_id,
            request="SAR-2026-404",
            actor="ig",
            outcome=DisclosureOutcome.RELEASED,
        )
    assert [r.type for r in app.ledger.read(documents_stream(REVIEW))] == ["document.attached"]


def test_the_pack_as_a_tagged_pdf_bundles_the_redacted_copy_and_lists_its_redactions(
    answering: tuple[Application, str],
) -> None:
    app, document_id = answering
    document_disclosure.decide(
        app,
        review=REVIEW,
        document_id=document_id,
        request=SAR,
        actor="ig",
        outcome=DisclosureOutcome.REDACTED,
    )
    _, data = sar.render_pack(app, SAR, "ig", PackFormat.PDF)
    pdf = pdfium.PdfDocument(data)
    assert pdf.is_tagged(), "PDF/UA: the pack is tagged for assistive technology"
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    pack_pages = [t for t in texts if t.strip()]
    assert len(texts) == len(pack_pages) + 2, "the two redacted pages follow the pack, without a text layer"
    pack_text = "".join("".join(pack_pages).split())  # as laid out, long ids break across lines
    assert f"document{document_id}" in pack_text and THIRD_PARTY.replace(" ", "") in pack_text
    assert "Karen Spence" not in pack_text and b"Karen Spence" not in data


def test_for_an_foi_request_everyone_s_identifiers_are_removed_under_s38(
    answering: tuple[Application, str], tmp_path: Path
) -> None:
    app, document_id = answering
    foi.open_request(
        app,
        "FOI-2026-009",
        "ig",
        ReceiveFoiRequest(
            received_on=date(2026, 3, 1),
            channel=FoiChannel.EMAIL,
            requester_id="S-JOURNALIST",
            requester_name="Sam Petrie",
            address_for_correspondence="sam@example.org",
            information_requested="The review's report.",
        ),
    )
    foi.identify_parts(app, "FOI-2026-009", "ig", REVIEW, ["decision-trail"], on=date(2026, 3, 1))
    out = tmp_path / "foi.pdf"
    disclosed = document_disclosure.decide(
        app,
        review=REVIEW,
        document_id=document_id,
        request="FOI-2026-009",
        actor="ig",
        outcome=DisclosureOutcome.REDACTED,
        out=out,
    )
    assert {r.ground for r in disclosed.decision.redactions} == {FOI_PERSONAL_DATA}
    assert "Ellie Rendall" not in disclosed.transcript and b"Ellie" not in out.read_bytes()
    # The response, as HTML, names the document and how it is given; as a PDF it bundles the copy.
    foi.step(
        app,
        "FOI-2026-009",
        "ig",
        ApplyExemption(
            item_id=f"{REVIEW}/decision-trail",
            section=Section.S38_1_B,
            extent=Extent.PART,
            reasons="The bases of the decisions describe the family and the practitioners.",
        ),
    )
    html = foi.checked_bytes(app, foi.build_response(app, "FOI-2026-009", "ig"), PackFormat.HTML).decode()
    assert f"{document_id}-redacted.pdf" in html and "Ellie" not in html
    pdf = pdfium.PdfDocument(foi.draft_pdf(app, "FOI-2026-009", "ig"))
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert sum(1 for t in texts if not t.strip()) == 2, "the two redacted pages follow the response"
    assert pdf.is_tagged() and "Ellie" not in " ".join(texts)


def test_each_document_about_the_requester_is_an_item_of_the_pack_in_every_form(
    answering: tuple[Application, str], tmp_path: Path
) -> None:
    """The report is given redacted, the minutes whole, and a letter about the child is withheld:
    three items, counted with the rest the one way, each in the redaction log with its ground."""
    app, report = answering
    minutes = documents.attach(
        app,
        review=REVIEW,
        step_version=2,
        path=docx_file(tmp_path / "minutes.docx", ["The review team met and agreed its terms of reference."]),
        about=("S-CHILD",),
        actor="officer",
    ).document.document_id
    letter = documents.attach(
        app,
        review=REVIEW,
        step_version=2,
        path=odt_file(tmp_path / "letter.odt", ["A letter about Ellie Rendall's school."]),
        about=("S-CHILD",),
        actor="officer",
    ).document.document_id
    elsewhere = documents.attach(
        app,
        review=REVIEW,
        step_version=2,
        path=_written(tmp_path / "note.txt", "A note about Karen Spence's caseload."),
        about=("S-SW",),
        actor="officer",
    ).document.document_id
    sar.collate_from_index(app, SAR, "ig")
    before = sar.show(app, SAR, "ig")
    pack = sar.build_pack(app, SAR, "ig")
    waiting = [i for i in pack.items if i.document is not None]
    assert [i.document.given for i in waiting if i.document] == ["awaiting a decision"] * 3
    assert before.withheld >= 3 and before.counts == sar.letter_counts(pack)
    assert {e.outcome for e in pack.redaction_log if "/document/" in e.item_id} == {
        "withheld until an officer decides"
    }, "a document nobody has decided on is withheld by default"

    for document_id, outcome, ground in (
        (report, DisclosureOutcome.REDACTED, ""),
        (minutes, DisclosureOutcome.RELEASED, ""),
        (letter, DisclosureOutcome.WITHHELD, "s.30 prejudice"),
    ):
        document_disclosure.decide(
            app,
            review=REVIEW,
            document_id=document_id,
            request=SAR,
            actor="ig",
            outcome=outcome,
            ground=ground,
        )
    status = sar.show(app, SAR, "ig")
    pack, html = sar.render_pack(app, SAR, "ig", PackFormat.HTML)
    given = {i.document.document_id: i for i in pack.items if i.document}
    assert set(given) == {report, minutes, letter}, "a document about someone else is no item of the pack"
    assert elsewhere not in html.decode()
    files = {d.document_id: d.file_name for i in pack.items if (d := i.document)}
    assert files == {report: f"{report}-redacted.pdf", minutes: f"{minutes}.docx", letter: ""}
    assert given[report].status is ItemStatus.IN_PART and given[minutes].status is ItemStatus.DISCLOSED
    assert given[letter].status is ItemStatus.WITHHELD and "s.30 prejudice" in (given[letter].note or "")
    assert status.counts == sar.letter_counts(pack)
    assert status.items == pack.cover_letter.items and status.withheld == pack.cover_letter.withheld
    assert status.items - before.items == 0 and status.withheld == before.withheld - 2
    log = {(e.item_id, e.ground, e.outcome.split(":")[0]) for e in pack.redaction_log}
    assert (given[letter].item_id, "s.30 prejudice", "withheld") in log
    assert (given[minutes].item_id, "nothing withheld", "released") in log
    report_rows = [e for e in pack.redaction_log if e.item_id == given[report].item_id]
    assert report_rows and {e.ground for e in report_rows} == {THIRD_PARTY}
    assert all(e.number in given[report].redactions for e in report_rows)
    assert html.decode().count(f"document {report}") >= 2, "the item and its redaction-log rows"

    _, json_bytes = sar.render_pack(app, SAR, "ig", PackFormat.JSON)
    decoded = msgspec.json.decode(json_bytes)
    documents_in_json = {
        i["document"]["document_id"]: i["document"]["given"] for i in decoded["items"] if i["document"]
    }
    assert documents_in_json == {report: "redacted", minutes: "whole", letter: "withheld"}

    _, data = sar.render_pack(app, SAR, "ig", PackFormat.PDF)
    pdf = pdfium.PdfDocument(data)
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert sum(1 for t in texts if not t.strip()) == 2, "the report's two redacted pages follow the pack"
    assert [pdf.get_attachment(i).get_name() for i in range(pdf.count_attachments())] == [f"{minutes}.docx"]
    words = "".join("".join(texts).split())  # as laid out, long ids break across lines
    assert f"Thispackholds{status.items}items" in words and f"document{letter}" in words
    assert b"Karen Spence" not in data


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_document_disposed_of_with_the_review_is_an_item_disposed_of(
    answering: tuple[Application, str],
) -> None:
    app, document_id = answering
    app.register_person("admin", "records-manager", "Rhona Muir", (Role.RECORDS_MANAGER,))
    app.dispose(REVIEW, "retention test rule", "records-manager")
    pack = sar.build_pack(app, SAR, "ig")
    [item] = [i for i in pack.items if i.document is not None]
    assert (item.document.document_id if item.document else "", item.status) == (
        document_id,
        ItemStatus.DISPOSED,
    )
    assert (
        item.value is None
        and "disposed of on" in (item.note or "")
        and "retention test rule" in (item.note or "")
    )
    assert pack.cover_letter.disposed >= 1 and sar.show(app, SAR, "ig").counts == sar.letter_counts(pack)
