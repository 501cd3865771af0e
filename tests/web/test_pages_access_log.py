"""The access log's reads and refusals, a page at a time: keyset pages, newest or oldest first, filters in the address.

A hundred and twenty refused reads by one person are listed fifty to a page; Next and Previous
move by the last and first entry shown, so a page costs the same however long the log is; the
order and the filters (who, which record by its reference, read or refused) are query
parameters kept by every link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from adapters.governance.access_log import EntryFilter, entry_page, record_access
from tests.web.support import Browser, Site, serving_pages

MANY = 120
ROW = re.compile(r'<tr class="govuk-table__row">')
NEXT = re.compile(r'href="([^"]+)" rel="next"')
PREVIOUS = re.compile(r'href="([^"]+)" rel="prev"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("access-log")) as found:
        app = found.application()
        try:
            for n in range(MANY):
                record = "sar-SAR-2026-001" if n % 2 else "LR-2026-001"
                record_access(
                    app, actor="agency-contact", record=record, view=f"v{n}", granted=False, request_id=""
                )
        finally:
            app.close()
        yield found


@pytest.fixture
def browser(site: Site) -> Iterator[Browser]:
    b = Browser(site.url)
    assert b.sign_in("ig-officer").status_code == 303
    try:
        yield b
    finally:
        b.close()


def views(page: str) -> list[str]:
    return re.findall(r">(v\d+)<", page)


def test_a_page_at_a_time_newest_first_with_next_and_previous(browser: Browser) -> None:
    first = browser.get("/pages/access-log", who="agency-contact").text
    assert views(first) == [f"v{n}" for n in range(MANY - 1, MANY - 51, -1)]
    assert not PREVIOUS.search(first)
    second = browser.get(html.unescape(NEXT.findall(first)[0])).text
    assert views(second) == [f"v{n}" for n in range(MANY - 51, MANY - 101, -1)]
    last = browser.get(html.unescape(NEXT.findall(second)[0])).text
    assert views(last) == [f"v{n}" for n in range(MANY - 101, -1, -1)]
    assert not NEXT.search(last)
    back = browser.get(html.unescape(PREVIOUS.findall(last)[0])).text
    assert views(back) == views(second)
    assert "who=agency-contact" in NEXT.findall(second)[0]  # the filter is kept in the address


def test_oldest_first_and_the_filters_by_reference_and_outcome(browser: Browser) -> None:
    oldest = browser.get("/pages/access-log", who="agency-contact", dir="asc").text
    assert views(oldest)[:3] == ["v0", "v1", "v2"]
    request = browser.get("/pages/access-log", who="agency-contact", record="SAR-2026-001").text
    assert views(request)[:2] == [f"v{MANY - 1}", f"v{MANY - 3}"]  # its file's entries, by its reference
    assert "subject access request SAR-2026-001" in request and "sar-SAR" not in re.sub(
        r"<[^>]*>", "", request
    )
    assert views(browser.get("/pages/access-log", who="agency-contact", outcome="read").text) == []


def test_a_page_reads_no_more_entries_than_it_shows(site: Site) -> None:
    app = site.application()
    try:
        page = entry_page(app, EntryFilter(actor="agency-contact"), size=7)
        assert len(page.rows) == 7 and page.later and not page.earlier
        after = entry_page(app, EntryFilter(actor="agency-contact"), after=page.rows[-1][0], size=7)
        assert after.earlier and after.rows[0][1].view == f"v{MANY - 8}"
    finally:
        app.close()
