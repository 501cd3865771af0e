"""The decision trail and a review's page in words, in a real headless Chromium, over the demonstration's store.

- The Chief Officers Group opens LR-2026-001's decision trail from the review, reads why the
  committee decided to proceed (the basis's words, marked as personal data), and downloads the
  trail as PDF and as HTML.
- An information-governance officer handling no request about the review opens the same pages:
  no personal words, a line saying why, and the refusal in the access log.
- The trail and the review pages pass axe-core at 375 px and 1280 px and are no wider than the
  screen; printed, the trail shows no navigation, button or form.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from adapters.governance.access_log import entries
from tests.http.api_support import PASSWORD
from tests.web.browser_support import (
    check_accessibility,
    screenshot,
)
from tests.web.support import Site

pytestmark = pytest.mark.slow

WIDTHS = (375, 1280)
REVIEW = "/pages/reviews/LR-2026-001"
BASIS = "The criteria for a Learning Review are met."


def signed_in(chromium: Browser, site: Site, actor: str, width: int = 1100) -> Page:
    # bypass_csp lets the test add axe-core to a page; the pages themselves never run inline scripts.
    context = chromium.new_context(
        base_url=site.url, bypass_csp=True, viewport={"width": width, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto("/pages/reviews")
    page.get_by_label("Account name").fill(actor)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/pages/reviews")
    return page


def test_the_cog_reads_why_the_committee_decided_and_exports_the_trail(
    chromium: Browser, site: Site, axe: str
) -> None:
    page = signed_in(chromium, site, "cog-chair")
    try:
        page.goto(REVIEW)
        page.get_by_role("button", name="Decision trail").click()
        page.wait_for_url(f"**{REVIEW}/trail")
        # Each decision is anchored by its step's number, which moves as the demonstration gains
        # steps: the test follows the links by the decisions' names.
        anchor = page.get_by_role("link", name="Decision whether to proceed", exact=True).get_attribute(
            "href"
        )
        before = page.get_by_role(
            "link", name="Recommendation to the committee on whether to proceed", exact=True
        ).get_attribute("href")
        assert anchor and anchor.startswith("#decision-") and before and before.startswith("#decision-")
        page.get_by_role("link", name="Decision whether to proceed", exact=True).click()
        decision = page.locator(anchor)
        basis = decision.locator(".rl-personal-words")
        assert basis.locator(".rl-personal-tag").inner_text() == "Personal data"
        assert basis.locator(".rl-personal").inner_text() == BASIS
        assert "Isla Flett (cpc-chair), Child or Adult Protection Committee" in decision.inner_text()
        check_accessibility(page, axe, "the decision trail with its bases")
        top = page.evaluate(
            "(id) => document.querySelector(id).getBoundingClientRect().top + scrollY", before
        )
        screenshot(page, "readme-trail-bases", full_page=False, top=top - 20)
        summary = page.evaluate(
            "() => document.querySelector('main table').getBoundingClientRect().top + scrollY"
        )
        screenshot(page, "readme-trail-summary", full_page=False, top=summary - 20)
        for label, suffix, starts in (
            ("Download as PDF", "pdf", b"%PDF-"),
            ("Download as HTML", "html", b"<!DOCTYPE"),
        ):
            with page.expect_download() as download:
                page.get_by_role("button", name=label).click()
            got = download.value
            assert got.suggested_filename == f"decision-trail-LR-2026-001.{suffix}"
            with open(got.path(), "rb") as file:
                assert file.read().startswith(starts)
        page.emulate_media(media="print")
        assert (
            page.locator("nav, .govuk-button, form").evaluate_all(
                "els => els.filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))"
            )
            == []
        )
        assert decision.locator(".rl-personal").is_visible()
    finally:
        page.context.close()


def test_one_outside_the_team_sees_no_personal_words_and_the_refusal_is_logged(
    chromium: Browser, site: Site, axe: str
) -> None:
    page = signed_in(chromium, site, "ig-officer")
    try:
        page.goto(f"{REVIEW}/trail")
        main = page.locator("main").inner_text()
        assert BASIS not in main
        assert page.locator(".rl-personal").count() == 0
        assert "withheld from you: you are not appointed to the review's team" in main
        page.goto(REVIEW)
        assert page.locator(".rl-personal").count() == 0
        assert "Chair\tS-NLR1-CHAIR" in page.locator("main").inner_text()
        check_accessibility(page, axe, "a review with its words withheld")
    finally:
        page.context.close()
    app = site.application()
    try:
        refused = {
            e.view for e in entries(app, record="LR-2026-001") if e.actor == "ig-officer" and not e.granted
        }
    finally:
        app.close()
    assert {"trail", "review"} <= refused


VISITS = {
    "cog-chair": {"trail-cog": f"{REVIEW}/trail", "review-cog": REVIEW},
    "cpc-officer": {
        "review-team": REVIEW,
        "trail-team": f"{REVIEW}/trail",
        "mini-review": "/pages/reviews/MLR-2026-001",
    },
    "ig-officer": {
        "trail-withheld": f"{REVIEW}/trail",
        "access-log": "/pages/access-log?subject=S-NLR1-MOTHER&actor=cog-chair&record=LR-2026-001",
    },
}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_trail_and_review_pages_pass_axe_and_fit_at_both_widths(
    chromium: Browser, site: Site, axe: str, width: int
) -> None:
    for actor, visits in VISITS.items():
        page = signed_in(chromium, site, actor, width)
        try:
            for name, path in visits.items():
                page.goto(path)
                check_accessibility(page, axe, f"{path} as {actor} at {width} px")
                wide = page.evaluate("() => document.documentElement.scrollWidth")
                assert wide <= width, f"{path} is {wide} px wide on a {width} px screen"
                screenshot(page, f"{name}-{width}")
        finally:
            page.context.close()
