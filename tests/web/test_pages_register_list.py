"""The register of people, a page at a time: keyset pages in the order registered, either way, kept in the address.

Sixty people beyond the demo's are listed fifty to a page; Next and Previous move by the
registration of the last and first person shown, so a page costs the same however long the log
is, and only the people on the page have their names read (and logged) for those who keep the
register. A place or order that is not well formed is ignored.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from adapters.governance import subjects
from adapters.governance.access_log import reads_by
from domain.governance.subjects import RegisterSubject, SubjectCategory
from tests.web.support import Browser, Site, serving_pages

MANY = 60
NEXT = re.compile(r'href="([^"]+)" rel="next"')
PREVIOUS = re.compile(r'href="([^"]+)" rel="prev"')
ROW = re.compile(r'href="/pages/subjects/(S-[A-Z0-9-]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("register-list")) as found:
        app = found.application()
        try:
            for n in range(MANY):
                subjects.register(
                    app,
                    "cpc-officer",
                    RegisterSubject(
                        subject_id=f"S-LIST-{n:03d}", category=SubjectCategory.OTHER, name=f"Person {n}"
                    ),
                )
        finally:
            app.close()
        yield found


@pytest.fixture(scope="module")
def everyone(site: Site) -> list[str]:
    app = site.application()
    try:
        return [e.subject_id for e in subjects.list_register(app, "cog-chair")]
    finally:
        app.close()


@pytest.fixture
def browser(site: Site) -> Iterator[Browser]:
    b = Browser(site.url)
    assert b.sign_in("cpc-officer").status_code == 303
    try:
        yield b
    finally:
        b.close()


def _walk(browser: Browser, start: str, **params: str) -> list[list[str]]:
    """Every page of the list from `start` on, by following Next; each page's Previous goes back."""
    pages: list[list[str]] = []
    text = browser.get(start, **params).text
    assert not PREVIOUS.search(text)
    while True:
        pages.append(ROW.findall(text))
        onwards = NEXT.findall(text)
        if not onwards:
            return pages
        href = html.unescape(onwards[0])
        assert params.get("dir", "asc") in href or "dir" not in params  # the order is kept in the address
        following = browser.get(href).text
        back = html.unescape(PREVIOUS.findall(following)[0])
        assert ROW.findall(browser.get(back).text) == pages[-1]
        text = following


def test_fifty_at_a_time_in_the_order_registered_either_way(browser: Browser, everyone: list[str]) -> None:
    assert len(everyone) > 50 and everyone[-MANY:] == [f"S-LIST-{n:03d}" for n in range(MANY)]
    first = browser.get("/pages/subjects").text
    assert f"Registered: {len(everyone)} people, 50 on this page" in first
    pages = _walk(browser, "/pages/subjects")
    assert all(len(p) == 50 for p in pages[:-1]) and [s for p in pages for s in p] == everyone
    newest = _walk(browser, "/pages/subjects", dir="desc")
    assert [s for p in newest for s in p] == everyone[::-1]


def test_only_the_people_on_the_page_are_read(browser: Browser, site: Site, everyone: list[str]) -> None:
    app = site.application()
    try:
        before = len(reads_by(app, "cpc-officer"))
    finally:
        app.close()
    newest = browser.get("/pages/subjects", dir="desc").text
    assert "Person 59" in newest and "Person 9<" not in newest
    app = site.application()
    try:
        read = {r.record for r in reads_by(app, "cpc-officer")[before:]}
    finally:
        app.close()
    assert read and read <= {f"subject-{s}" for s in everyone[::-1][:50]}


def test_a_place_or_order_not_well_formed_starts_at_the_top(browser: Browser, everyone: list[str]) -> None:
    for params in ({"after": "1; drop"}, {"before": "-1"}, {"dir": "up"}):
        answer = browser.get("/pages/subjects", **params)
        assert answer.status_code == 200 and ROW.findall(answer.text) == everyone[:50]
