"""The work due, in a real headless Chromium, over the demonstration's store.

- The CPC officer opens "My work" from the navigation and finds LR-2026-002, whose committee
  decision fell due in June, at the top as overdue.
- The Panel's independent chair opens the steps of LIP-2026-002, as it stood before the SCR Panel
  was agreed (the demonstration goes on past it): the step the case owes from them, agreeing the
  SCR Panel, is offered first; they record it through its form.
- Every page this work added or fixed passes axe-core at 375 px and at 1280 px, and none is
  wider than the screen (a wide table scrolls in its own region).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from domain.routes.panel.commands import AgreeScrPanel
from tests.http.api_support import PASSWORD
from tests.web.browser_support import (
    check_accessibility,
    fill_step,
    screenshot,
)
from tests.web.support import SCR_STORE_START, Site, scr_awaiting_its_panel, serving_pages

pytestmark = pytest.mark.slow

WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def scr_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """LIP-2026-002 waiting for the Independent Chair to agree the SCR Panel."""
    with serving_pages(tmp_path_factory.mktemp("scr-browser"), demo=False, start=SCR_STORE_START) as found:
        scr_awaiting_its_panel(found)
        yield found


def signed_in(chromium: Browser, site: Site, actor: str, width: int = 1100) -> Page:
    # bypass_csp lets the test add axe-core to a page; the pages themselves never run inline scripts.
    context = chromium.new_context(
        base_url=site.url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto("/pages/reviews")
    page.get_by_label("Account name").fill(actor)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/pages/reviews")
    return page


def test_my_work_lists_an_overdue_review_for_its_officer(chromium: Browser, site: Site, axe: str) -> None:
    page = signed_in(chromium, site, "cpc-officer")
    try:
        page.get_by_role("link", name="My work").click()
        page.wait_for_url("**/pages/my-work")
        overdue = page.locator("table", has=page.locator("caption", has_text="Overdue"))
        first_row = overdue.locator("tbody tr").first
        assert first_row.locator("a").inner_text() == "LR-2026-002"
        assert "Overdue by 168 days" in first_row.inner_text()
        check_accessibility(page, axe, "My work")
        screenshot(page, "readme-my-work", full_page=False)
        first_row.locator("a").click()
        page.wait_for_url("**/pages/reviews/LR-2026-002")
        page.get_by_role("link", name="Timeliness").click()
        page.wait_for_url("**/pages/timeliness")
        screenshot(page, "readme-timeliness", full_page=False)
    finally:
        page.context.close()


def test_a_team_member_records_the_next_step_offered_first(
    chromium: Browser, scr_site: Site, axe: str
) -> None:
    page = signed_in(chromium, scr_site, "independent-chair")
    try:
        page.goto("/pages/reviews/LIP-2026-002/steps")
        first = page.locator("ul.rl-steps li").first
        assert "Expected next" in first.inner_text()
        check_accessibility(page, axe, "the steps, the expected one first")
        first.locator("a").click()
        page.wait_for_url("**/pages/reviews/LIP-2026-002/steps/agree-scr-panel")
        fill_step(page, AgreeScrPanel(agencies=("Stockport Council", "Greater Manchester Police")))
        page.get_by_role("button", name="Record this step").click()
        page.wait_for_load_state()
        banner = page.locator(".govuk-notification-banner--success")
        assert banner.count() == 1, page.locator("main").inner_text()[:800]
        page.goto("/pages/reviews/LIP-2026-002/steps")
        assert page.locator("ul.rl-steps li a").first.get_attribute("href") != (
            "/pages/reviews/LIP-2026-002/steps/agree-scr-panel"
        )  # recorded: the case now expects what follows
    finally:
        page.context.close()


def _overflowing(page: Page, width: int) -> list[str]:
    """The innermost elements that reach past the screen's right edge, to say what to fix."""
    found: list[str] = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1 && ![...e.children].some(
                c => c.getBoundingClientRect().right > width + 1))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
        width,
    )
    return found


VISITS = {
    "cog-chair": {
        "my-work": "/pages/my-work",
        "timeliness": "/pages/timeliness",
        "reviews": "/pages/reviews",
        "reviews-overdue": "/pages/reviews?clock=overdue&sort=stage&dir=desc",
        "review": "/pages/reviews/LR-2026-001",
        "integrity": "/pages/integrity",
        "bundle-error": "/pages/integrity/bundle?review=LR-2099-404",
        "not-found": "/pages/no-such-page",
    },
    "cpc-officer": {"my-work-officer": "/pages/my-work", "closed-steps": "/pages/reviews/LR-2026-001/steps"},
    "ig-officer": {"my-work-ig": "/pages/my-work", "closed-request": "/pages/requests/sar/SAR-2026-001"},
}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_pages_fit_the_screen_and_pass_axe_at_both_widths(
    chromium: Browser, site: Site, axe: str, width: int
) -> None:
    for actor, visits in VISITS.items():
        page = signed_in(chromium, site, actor, width)
        try:
            for name, path in visits.items():
                page.goto(path)
                check_accessibility(page, axe, f"{path} at {width} px")
                wide = page.evaluate("() => document.documentElement.scrollWidth")
                assert wide <= width, (
                    f"{path} is {wide} px wide on a {width} px screen: {_overflowing(page, width)}"
                )
                screenshot(page, f"{name}-{width}")
        finally:
            page.context.close()
