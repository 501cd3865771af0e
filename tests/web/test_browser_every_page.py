"""Every kind of page, as the person who uses it sees it, at a phone's width and a desk's.

Each page of the demonstration's store is opened by someone whose work it is, at 375 px and at
1280 px: axe-core (WCAG 2.2 A and AA) finds no violation, and nothing is wider than the screen
(wide tables scroll inside their own regions). Pages a person is refused, or that are not there,
are pages too, and are checked the same way.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.http.api_support import PASSWORD
from tests.web.browser_support import check_accessibility
from tests.web.support import Site

pytestmark = pytest.mark.slow

WIDTHS = (375, 1280)

#: Who opens which pages: each person their own work.
VISITS: dict[str, tuple[str, ...]] = {
    "cog-chair": (
        "/pages/reviews",
        "/pages/reviews?clock=overdue",
        "/pages/reviews/LR-2026-001",
        "/pages/reviews/LR-2026-001?as_at=2026-03-31",
        "/pages/reviews/LR-2026-001/trail",
        "/pages/reviews/LR-2026-001/compare?from=2026-02-01&to=2026-03-31",
        "/pages/reviews/LR-2026-001/documents",
        "/pages/my-work",
        "/pages/timeliness",
        "/pages/themes",
        "/pages/themes?theme=information+sharing",
        "/pages/integrity",
        "/pages/reviews/NO-SUCH-REVIEW",
        "/pages/requests",
    ),
    "cpc-officer": (
        "/pages/my-work",
        "/pages/reviews/LR-2026-001/personal",
        "/pages/reviews/LR-2026-002/steps",
        "/pages/reviews/LR-2026-002/steps/pass-to-nominated-person",
        "/pages/reviews/LR-2026-002/steps/decide-to-proceed",
        "/pages/start/national",
        "/pages/reviews/LR-2026-099/steps/receive-notification?route=national",
        "/pages/subjects",
        "/pages/subjects/S-NLR1-CHILD",
        "/pages/subjects/S-NLR1-CHILD/steps/amend-subject-identifiers",
    ),
    "ig-officer": (
        "/pages/my-work",
        "/pages/requests",
        "/pages/requests/sar/SAR-2026-001",
        "/pages/requests/foi/FOI-2026-001",
        "/pages/requests/sar/new",
        "/pages/people/search?name=Thornber",
        "/pages/access-log?actor=cpc-officer",
    ),
    "records-manager": (
        "/pages/retention",
        "/pages/retention/steps",
    ),
}


#: The pages answered other than 200: not there, or refused to this person.
NOT_SHOWN: dict[tuple[str, str], int] = {
    ("cog-chair", "/pages/reviews/NO-SUCH-REVIEW"): 404,
    ("cog-chair", "/pages/requests"): 403,  # an IG officer's page
    ("cpc-officer", "/pages/reviews/LR-2026-002/steps/decide-to-proceed"): 403,  # the committee chair's step
}


def _signed_in(chromium: Browser, site: Site, actor: str, width: int) -> Page:
    # bypass_csp lets the test add axe-core to a page; the pages themselves never run inline scripts.
    context = chromium.new_context(
        base_url=site.url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto("/pages/sign-in")
    page.get_by_label("Account name").fill(actor)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/pages/reviews")
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("actor", sorted(VISITS))
def test_every_page_passes_axe_and_fits_the_screen(
    chromium: Browser, site: Site, axe: str, actor: str, width: int
) -> None:
    page = _signed_in(chromium, site, actor, width)
    try:
        for path in VISITS[actor]:
            response = page.goto(path)
            assert response is not None and response.status == NOT_SHOWN.get((actor, path), 200), path
            assert page.locator("h1").count() == 1, f"{path}: one heading names the page"
            check_accessibility(page, axe, f"{path} at {width} px as {actor}")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide} px wide at {width} px"
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_page_and_its_errors_pass_axe_and_fit_the_screen(
    chromium: Browser, site: Site, axe: str, width: int
) -> None:
    context = chromium.new_context(
        base_url=site.url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto("/pages/sign-in")
        check_accessibility(page, axe, f"the sign-in page at {width} px")
        page.get_by_role("button", name="Sign in").click()
        assert page.locator(".govuk-error-summary").is_visible()
        check_accessibility(page, axe, f"the sign-in page with errors at {width} px")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    finally:
        context.close()
