"""The work due, over the demonstration's store: each person's "My work", and unknown addresses as pages.

The demonstration ends with LR-2026-002 notified in May 2026 and no decision recorded: the
committee's six-week decision fell due on 16 June 2026, so on the tests' clock (1 December 2026)
it is overdue, and the CPC officer who recorded the notification sees it first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.web.support import Browser, Site, serving_pages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("work")) as found:
        yield found


@pytest.fixture
def browser(site: Site) -> Iterator[Browser]:
    b = Browser(site.url)
    try:
        yield b
    finally:
        b.close()


def _section(text: str, title: str) -> str:
    found = re.search(rf"<caption[^>]*>{title} \(\d+\)</caption>(.*?)</table>", text, re.S)
    assert found, f"no {title} section"
    return found[1]


def test_my_work_lists_the_overdue_review_for_its_officer(browser: Browser) -> None:
    browser.sign_in("cpc-officer")
    page = browser.get("/pages/my-work")
    assert page.status_code == 200
    overdue = _section(page.text, "Overdue")
    assert "LR-2026-002" in overdue
    assert "Overdue by 168 days" in overdue
    assert "decide whether to proceed" in overdue
    assert 'aria-current="page"' in page.text  # "My work" is the current navigation item
    assert "LIP-2026-002" not in page.text  # a Panel case owes nothing from a CPC officer


def test_my_work_shows_a_step_owed_by_the_persons_role(browser: Browser) -> None:
    browser.sign_in("independent-chair")
    page = browser.get("/pages/my-work")
    assert "LIP-2026-002" in _section(page.text, "Next to do")
    assert "Agree the SCR Panel" in page.text
    assert "your role: independent chair" in page.text


def test_my_work_says_so_when_nothing_is_owed(browser: Browser) -> None:
    browser.sign_in("inspector")
    page = browser.get("/pages/my-work")
    assert page.status_code == 200
    assert "Nothing is waiting for you" in page.text


def test_an_unknown_address_under_pages_is_a_page_not_found_page(browser: Browser) -> None:
    browser.sign_in("cpc-officer")
    response = browser.get("/pages/no-such-page/at-all")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Page not found" in response.text
    assert "check it is correct" in response.text
