"""The SAR and FOI request lists, a page at a time: keyset pages, oldest or newest first, each list's place in the address.

Sixty FOI requests beyond the demo's are listed fifty to a page; Next and Previous move by the
receipt of the last and first request shown, so a page costs the same however long the log is.
Each list keeps its own order and place in the address, and moving one leaves the other where
it was. A place or order that is not well formed is ignored, and the list starts at its top.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date

import pytest

from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import FoiRecord, foi_stream
from domain.governance.foi.steps import FoiChannel, ReceiveFoiRequest
from tests.web.support import Browser, Site, serving_pages

MANY = 60
NEXT = re.compile(r'href="([^"]+)" rel="next"')
PREVIOUS = re.compile(r'href="([^"]+)" rel="prev"')
FOI_ROW = re.compile(r'href="/pages/requests/foi/(FOI-[^"]+)"')
SAR_ROW = re.compile(r'href="/pages/requests/sar/(SAR-[0-9-]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("request-lists")) as found:
        app = found.application()
        try:
            for n in range(MANY):
                app.execute(
                    FoiRecord,
                    foi_stream(f"FOI-2027-{n:03d}"),
                    "ig-officer",
                    ReceiveFoiRequest(
                        received_on=date(2026, 12, 1),
                        channel=FoiChannel.EMAIL,
                        requester_id="S-FOI-LIST",
                        requester_name="Sam Petrie",
                        address_for_correspondence="sam.petrie@example.org",
                        information_requested="The number of reviews begun this year.",
                    ),
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


@pytest.fixture(scope="module")
def all_fois(site: Site) -> list[str]:
    app = site.application()
    try:
        return [r.reference for r in foi.list_requests(app)]
    finally:
        app.close()


def foi_links(page: str) -> list[str]:
    return [html.unescape(h) for h in NEXT.findall(page) + PREVIOUS.findall(page) if "foi-" in h]


def test_fifty_at_a_time_in_the_order_received_with_next_and_previous(
    browser: Browser, all_fois: list[str]
) -> None:
    assert len(all_fois) > 50 and all_fois[-MANY:] == [f"FOI-2027-{n:03d}" for n in range(MANY)]
    first = browser.get("/pages/requests").text
    assert FOI_ROW.findall(first) == all_fois[:50]
    assert f"{len(all_fois)} FOI requests, 50 on this page" in first
    (onwards,) = [h for h in foi_links(first) if "foi-after" in h]
    second = browser.get(onwards).text
    assert FOI_ROW.findall(second) == all_fois[50:]
    assert not [h for h in foi_links(second) if "foi-after" in h]  # the last page offers no Next
    (back,) = [h for h in foi_links(second) if "foi-before" in h]
    assert FOI_ROW.findall(browser.get(back).text) == all_fois[:50]


def test_newest_first_and_each_list_keeps_its_own_place(browser: Browser, all_fois: list[str]) -> None:
    newest = browser.get("/pages/requests", **{"foi-dir": "desc"}).text
    assert FOI_ROW.findall(newest) == all_fois[::-1][:50]
    (onwards,) = [h for h in foi_links(newest) if "foi-after" in h]
    assert "foi-dir=desc" in onwards  # the order is kept in the address
    older = browser.get(onwards).text
    assert FOI_ROW.findall(older) == all_fois[::-1][50:]
    sars = SAR_ROW.findall(browser.get("/pages/requests").text)
    assert sars and SAR_ROW.findall(older) == sars  # moving the FOI list leaves the SAR list as it was
    flipped = browser.get("/pages/requests", **{"sar-dir": "desc", "foi-dir": "desc"}).text
    assert SAR_ROW.findall(flipped) == sars[::-1]


def test_a_place_or_order_not_well_formed_starts_the_list_at_its_top(
    browser: Browser, all_fois: list[str]
) -> None:
    for params in ({"foi-after": "x'1"}, {"foi-before": "-3"}, {"foi-dir": "sideways"}):
        answer = browser.get("/pages/requests", **params)
        assert answer.status_code == 200
        assert FOI_ROW.findall(answer.text) == all_fois[:50]
