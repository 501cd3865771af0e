"""A review's documents through the API, on each backend.

The CPC officer attaches the minutes of a meeting to the step that held it; the reviewer lists
and downloads them: the download is never cached and is named by the document's id, never the
file's name. The COG may not read them, and the refusal is logged; a damaged file is refused
with the field and the rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.governance.foi import requests as foi
from domain.governance.foi.steps import FoiChannel, ReceiveFoiRequest
from tests.document_files import docx_file, large_png, streamed_form, text_pdf
from tests.http.api_support import NATIONAL_PEOPLE, Api, serving
from tests.integration.review_steps import open_review

REVIEW = "LR-2026-001"


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    with serving(db_url, tmp_path, people=NATIONAL_PEOPLE) as found:
        found.clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))  # after the review's first steps
        app = found.application()
        try:
            open_review(app, REVIEW, "cpc-officer")
        finally:
            app.close()
        yield found


def test_attach_list_and_download_a_document(api: Api, tmp_path: Path) -> None:
    minutes = docx_file(tmp_path / "Ellie Rendall minutes.docx", ["Minutes of the review team meeting"])
    response = api.as_("cpc-officer").post(
        f"/reviews/{REVIEW}/documents",
        data={"version": "2", "about": "S-CHILD"},
        files={"file": (minutes.name, minutes.read_bytes(), "application/octet-stream")},
    )
    assert response.status_code == 201, response.text
    assert response.json()["document"]["document_id"] == f"{REVIEW}-D1"
    listed = api.as_("reviewer").get(f"/reviews/{REVIEW}/documents").json()
    assert [(d["document_id"], d["step_version"], d["about"]) for d in listed] == [
        (f"{REVIEW}-D1", 2, ["S-CHILD"])
    ]
    # The committee's officer reads the review's personal data (domain/governance/need_to_know.py).
    download = api.as_("cpc-officer").get(
        f"/reviews/{REVIEW}/documents/{REVIEW}-D1", params={"purpose": "review"}
    )
    assert download.status_code == 200
    assert download.content == minutes.read_bytes()
    assert download.headers["cache-control"] == "no-store"
    assert download.headers["content-disposition"] == f'attachment; filename="{REVIEW}-D1.docx"'
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    refused = api.as_("cog-chair").get(f"/reviews/{REVIEW}/documents/{REVIEW}-D1")
    assert refused.status_code == 403 and "refused to cog-chair" in refused.json()["message"]
    log = api.as_("inspector").get("/access-log", params={"limit": 2}).json()
    assert [(e["actor"], e["view"], e["granted"]) for e in log] == [
        ("cog-chair", "document", False),
        ("cpc-officer", "document", True),
    ]


def test_a_damaged_file_is_refused_with_the_field_and_the_rule(api: Api) -> None:
    response = api.as_("cpc-officer").post(
        f"/reviews/{REVIEW}/documents",
        data={"version": "2", "about": "S-CHILD"},
        files={"file": ("report.pdf", b"%PDF-1.7\nnothing else\n", "application/pdf")},
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["rule"]) == ("--file", "is a damaged PDF that does not open")
    assert api.as_("reviewer").get(f"/reviews/{REVIEW}/documents").json() == []


def test_a_large_upload_is_streamed_to_the_store_never_held_whole(api: Api, tmp_path: Path) -> None:
    """A 24 MiB scan sent as a form, a mebibyte at a time: the server writes it to disk as it comes
    and seals it segment by segment, so what it holds at once stays well under the file's size."""
    import tracemalloc

    scan = large_png(tmp_path / "scan.png", 24)
    size = scan.stat().st_size
    content_type, body = streamed_form({"version": "2", "about": "S-CHILD"}, scan)
    client = api.as_("cpc-officer")
    tracemalloc.start()
    try:
        response = client.post(
            f"/reviews/{REVIEW}/documents", content=body, headers={"Content-Type": content_type}
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 201, response.text
    assert response.json()["document"]["size_bytes"] == size
    assert peak < size / 4, (peak, size)
    download = client.get(f"/reviews/{REVIEW}/documents/{REVIEW}-D1", params={"purpose": "review"})
    assert download.content == scan.read_bytes()


FOI = "FOI-2026-050"


@pytest.fixture
def answering_foi(db_url: str, tmp_path: Path) -> Iterator[Api]:
    """The review's minutes attached; an FOI request for the review's decision trail, in progress."""
    with serving(db_url, tmp_path, people=(*NATIONAL_PEOPLE, "ig-officer")) as found:
        found.clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        app = found.application()
        try:
            open_review(app, REVIEW, "cpc-officer")
            minutes = text_pdf(tmp_path / "minutes.pdf", ["The panel gave frank advice on the next step."])
            documents_attach = found.as_("cpc-officer").post(
                f"/reviews/{REVIEW}/documents",
                data={"version": "2", "about": "S-CHILD"},
                files={"file": (minutes.name, minutes.read_bytes(), "application/pdf")},
            )
            assert documents_attach.status_code == 201, documents_attach.text
            foi.open_request(
                app,
                FOI,
                "ig-officer",
                ReceiveFoiRequest(
                    received_on=datetime(2026, 3, 2).date(),
                    channel=FoiChannel.EMAIL,
                    requester_id="S-JOURNALIST",
                    requester_name="Sam Petrie",
                    address_for_correspondence="sam@example.org",
                    information_requested="The review's minutes.",
                ),
            )
            foi.identify_parts(
                app, FOI, "ig-officer", REVIEW, ["decision-trail"], on=datetime(2026, 3, 2).date()
            )
        finally:
            app.close()
        yield found


def test_an_ig_officer_decides_on_a_document_for_an_foi_request_under_an_exemption(
    answering_foi: Api,
) -> None:
    url = f"/requests/foi/{FOI}/documents/{REVIEW}-D1/disclosure"
    officer = answering_foi.as_("ig-officer")
    refused = officer.post(url, json={"outcome": "withheld", "ground": "commercial"})
    assert refused.status_code == 400 and refused.json()["field"] == "exemption"
    not_theirs = answering_foi.as_("cpc-officer").post(url, json={"outcome": "released"})
    assert not_theirs.status_code == 403
    redacted = officer.post(
        url, json={"outcome": "redacted", "exemption": "s30_b", "phrases": [{"text": "frank advice"}]}
    )
    assert redacted.status_code == 201, redacted.text
    decision = redacted.json()["decision"]
    assert (decision["request"], decision["outcome"]) == (FOI, "redacted")
    assert [(r["page"], r["ground"], r["source"]) for r in decision["redactions"]] == [
        (1, "FOISA section 30(b)", "officer")
    ]
    assert "frank" not in redacted.text
    withheld = officer.post(url, json={"outcome": "withheld", "exemption": "s36_1"})
    assert withheld.status_code == 201 and withheld.json()["decision"]["ground"] == "FOISA section 36(1)"
    sar_with_exemption = officer.post(
        f"/requests/sar/SAR-2026-404/documents/{REVIEW}-D1/disclosure",
        json={"outcome": "withheld", "exemption": "s36_1"},
    )
    assert sar_with_exemption.status_code == 400 and sar_with_exemption.json()["field"] == "exemption"
