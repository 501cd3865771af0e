"""A review's documents on its pages: the demo's report, chronology and minutes are listed for the
team, downloaded as a logged read that is never cached, and a new file is attached to a step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.governance.access_log import entries
from tests.document_files import large_png, odt_file, streamed_form
from tests.web.support import Browser, Site, serving_pages

LIST = "/pages/reviews/LR-2026-001/documents"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("document-pages")) as found:
        yield found


@pytest.fixture
def browser(site: Site) -> Iterator[Browser]:
    b = Browser(site.url)
    try:
        yield b
    finally:
        b.close()


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


def test_a_reader_outside_the_team_is_refused(browser: Browser) -> None:
    assert browser.sign_in("cog-chair").status_code == 303
    assert browser.get(LIST).status_code == 403
    assert browser.get(f"{LIST}/LR-2026-001-D1/file").status_code == 403


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
