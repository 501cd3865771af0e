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

from tests.document_files import docx_file, large_png, streamed_form
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
