"""A review's documents on its pages: the demo's report, chronology and minutes are listed (no
personal value, so for anyone signed in), downloaded by the team as a logged read that is never
cached, refused to the COG, and a new file is attached to a step."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from adapters.governance import sent_documents
from adapters.governance.access_log import entries
from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import foi_stream
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ApplyExemption, Extent, FoiChannel, ReceiveFoiRequest
from tests.document_files import large_png, odt_file, streamed_form
from tests.web.support import Browser, Site

LIST = "/pages/reviews/LR-2026-001/documents"


def test_the_team_lists_and_downloads_a_document_and_the_read_is_logged(browser: Browser, site: Site) -> None:
    assert browser.sign_in("reviewer").status_code == 303
    listed = browser.get(LIST)
    assert listed.status_code == 200
    assert all(f"LR-2026-001-D{n}" in listed.text for n in (1, 2, 3))
    got = browser.get(f"{LIST}/LR-2026-001-D2/file")
    assert got.status_code == 200 and got.content.startswith(b"PK")
    assert got.headers["cache-control"] == "no-store"
    assert got.headers["content-disposition"] == 'attachment; filename="LR-2026-001-D2.docx"'
    app = site.application()
    try:
        [read] = [e for e in entries(app, record="LR-2026-001", limit=5) if e.actor == "reviewer"]
    finally:
        app.close()
    assert (read.view, read.purpose, read.granted) == ("document", "review", True)


def test_a_reader_outside_the_team_is_refused(browser: Browser, site: Site) -> None:
    """The COG is refused the files; the list, which holds no personal value, is the record's like its history.

    The list shows each document's id, step, kind, pages and the ids of whom it is about: no title,
    no file name, no word of the file. Like the review's history with its values withheld, anyone
    signed in reads it. The files are the review's personal data: the need-to-know table gives the
    COG the bases of decisions and the reports presented to it, not the files attached to steps.
    """
    assert browser.sign_in("cog-chair").status_code == 303
    listed = browser.get(LIST)
    assert listed.status_code == 200
    assert "LR-2026-001-D1" in listed.text and "S-NLR1-MOTHER" in listed.text
    for personal in ("Rendall", "Karen Spence", "report.pdf", "chronology.docx", "minutes.odt"):
        assert personal not in listed.text
    assert "Attach a file to a step" not in listed.text
    # No download is offered that would only be refused: the cell says whose the files are.
    assert "Download LR-2026-001-D1" not in listed.text
    assert "opened by the review&#x27;s team only" in listed.text
    assert browser.get(f"{LIST}/LR-2026-001-D1/file").status_code == 403
    app = site.application()
    try:
        refused = next(e for e in entries(app, record="LR-2026-001", limit=5) if e.actor == "cog-chair")
    finally:
        app.close()
    assert (refused.view, refused.granted) == ("document", False)


def test_the_officer_attaches_a_file_to_a_step(browser: Browser, tmp_path: Path) -> None:
    assert browser.sign_in("cpc-officer").status_code == 303
    minutes = odt_file(tmp_path / "minutes.odt", ["Minutes of a review team meeting"])
    token = browser.form_token(LIST)
    done = browser.client.post(
        LIST,
        data={"form_token": token, "version": "25", "about": "S-NLR1-CHILD"},
        files={"file": ("minutes.odt", minutes.read_bytes(), "application/octet-stream")},
        headers=browser._headers({"Origin": browser.url}),
    )
    assert done.status_code == 303, done.text
    shown = browser.get(done.headers["location"]).text
    assert "LR-2026-001-D4 attached to step 25" in shown
    refused = browser.client.post(
        LIST,
        data={"form_token": token, "version": "25", "about": "S-NLR1-CHILD"},
        files={"file": ("minutes.odt", b"%PDF-1.7\nnot a pdf\n", "application/pdf")},
        headers=browser._headers({"Origin": browser.url}),
    )
    assert refused.status_code == 400 and "is a damaged PDF that does not open" in refused.text


def test_a_large_upload_from_the_page_is_streamed_to_the_store_never_held_whole(
    browser: Browser, tmp_path: Path
) -> None:
    """A 24 MiB scan sent from the page's form, a mebibyte at a time: the server holds at once well
    under the file's size."""
    import tracemalloc

    assert browser.sign_in("cpc-officer").status_code == 303
    scan = large_png(tmp_path / "scan.png", 24)
    size = scan.stat().st_size
    fields = {"form_token": browser.form_token(LIST), "version": "25", "about": "S-NLR1-CHILD"}
    content_type, body = streamed_form(fields, scan)
    tracemalloc.start()
    try:
        done = browser.client.post(
            LIST,
            content=body,
            headers=browser._headers({"Origin": browser.url, "Content-Type": content_type}),
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert done.status_code == 303, done.text
    assert "attached to step 25" in browser.get(done.headers["location"]).text
    assert peak < size / 4, (peak, size)


def test_an_foi_request_s_documents_are_decided_under_an_exemption_and_the_response_keeps_its_bytes(
    browser: Browser, site: Site
) -> None:
    """The IG officer opens an FOI request for the review, withholds the minutes under s.30(b) from
    its documents page, and sends the response from its own form (never the generic step form): the
    HTML sent names the document and how it is given, and its exact bytes are kept."""
    reference = "FOI-2026-077"
    app = site.application()
    try:
        foi.open_request(
            app,
            reference,
            "ig-officer",
            ReceiveFoiRequest(
                received_on=date(2026, 12, 1),
                channel=FoiChannel.EMAIL,
                requester_id="S-JOURNALIST-77",
                requester_name="Sam Petrie",
                address_for_correspondence="sam@example.org",
                information_requested="The review's minutes.",
            ),
        )
        foi.identify_parts(
            app, reference, "ig-officer", "LR-2026-001", ["decision-trail"], on=date(2026, 12, 1)
        )
        foi.step(
            app,
            reference,
            "ig-officer",
            ApplyExemption(
                item_id="LR-2026-001/decision-trail",
                section=Section.S38_1_B,
                extent=Extent.PART,
                reasons="The bases of the decisions describe the family and the practitioners.",
            ),
        )
    finally:
        app.close()
    assert browser.sign_in("ig-officer").status_code == 303
    place = f"/pages/requests/foi/{reference}"
    assert f"{place}/documents" in browser.get(place).text
    listed = browser.get(f"{place}/documents")
    assert listed.status_code == 200 and "LR-2026-001-D3" in listed.text and "To decide" in listed.text
    item = f"{place}/documents/LR-2026-001-D3"
    shown = browser.get(item)
    assert shown.status_code == 200 and "section 30(b)" in shown.text
    done = browser.post(item, {"outcome": "withheld", "exemption": "s30_b"}, token_from=item)
    assert done.status_code == 303, done.text
    assert "Withheld" in browser.get(done.headers["location"]).text

    steps = browser.get(f"{place}/steps").text
    assert f'href="{place}/respond"' in steps and f'href="{place}/steps/respond-to-foi-request"' not in steps
    generic = browser.get(f"{place}/steps/respond-to-foi-request")
    assert generic.status_code == 422 and f"{place}/respond" in generic.text
    sent = browser.post(f"{place}/respond", {"format": "html"}, token_from=f"{place}/respond")
    assert sent.status_code == 303, sent.text
    assert "recorded=respond-to-foi-request" in sent.headers["location"]
    app = site.application()
    try:
        status = foi.show(app, reference)
        [kept] = status.documents
        data = sent_documents.read_copy(
            app, record=foi_stream(reference), request=reference, actor="ig-officer", sha256_hex=kept.sha256
        )
        assert data is not None
    finally:
        app.close()
    text = data.decode()
    assert "LR-2026-001-D3" in text and "withheld: FOISA section 30(b)" in text
