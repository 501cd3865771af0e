"""The request lists and a release form, in a real headless Chromium, over the demonstration's store.

- The information requests list, oldest first and newest first, passes axe-core at 375 px and at
  1280 px and is no wider than the screen (its tables scroll in their own regions).
- A SAR's release form names the item in words with its id hidden, and passes axe at both widths.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from adapters.governance.sar import requests as sar
from domain.governance.sar.steps import (
    Capacity,
    IdentityCheck,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
    VerifyIdentity,
)
from tests.http.api_support import PASSWORD
from tests.web.browser_support import CHROMIUM, axe_source, check_accessibility, install_chromium, unavailable
from tests.web.support import Site, serving_pages

pytestmark = pytest.mark.slow

WIDTHS = (375, 1280)
REQUEST = "SAR-2026-090"
OFFICER = "ig-officer"
MOTHER, CHILD, REVIEW = "S-LIP1-MOTHER", "S-LIP1-CHILD", "LIP-2026-001"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    problem = install_chromium()
    if problem is not None:
        unavailable(problem)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("lists-browser")) as found:
        app = found.application()
        try:
            today = found.clock.moment.date()
            sar.open_request(
                app,
                REQUEST,
                OFFICER,
                ReceiveSubjectAccessRequest(
                    received_on=today,
                    channel=RequestChannel.EMAIL,
                    requester_id=MOTHER,
                    subject_id=MOTHER,
                    capacity=Capacity.DATA_SUBJECT,
                    requester_name="Leanne Thornber",
                    request="Everything you hold about me.",
                ),
            )
            sar.step(
                app, REQUEST, OFFICER, VerifyIdentity(verified_on=today, check=IdentityCheck.KNOWN_TO_SERVICE)
            )
            sar.step(
                app,
                REQUEST,
                OFFICER,
                RecordSearch(searched_on=today, records=(SearchAnswers(record=REVIEW, what="everything"),)),
            )
            sar.collate_from_index(app, REQUEST, OFFICER)
        finally:
            app.close()
        yield found


@pytest.fixture(scope="module")
def item(site: Site) -> str:
    """An item of the request that identifies the child."""
    app = site.application()
    try:
        items = sorted(i.item_id for i in sar.load(app, REQUEST).items.values() if CHILD in i.third_parties)
    finally:
        app.close()
    assert items
    return items[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_request_list_and_a_release_form_pass_axe_and_fit_the_screen(
    chromium: Browser, site: Site, item: str, width: int
) -> None:
    axe = axe_source()
    context = chromium.new_context(
        base_url=site.url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto("/pages/reviews")
        page.get_by_label("Account name").fill(OFFICER)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/pages/reviews")
        page.goto("/pages/requests")
        sars = page.get_by_role("region", name="Subject access requests")
        first = sars.locator("tbody tr").first.locator("a").inner_text()
        sars.get_by_role("link", name="Received").click()  # newest first
        page.wait_for_url("**/pages/requests?sar-dir=desc#sar-requests")
        assert (
            page.get_by_role("region", name="Subject access requests")
            .locator("tbody tr")
            .first.locator("a")
            .inner_text()
            == REQUEST
            != first
        )
        for path in ("/pages/requests", "/pages/requests?sar-dir=desc&foi-dir=desc"):
            page.goto(path)
            check_accessibility(page, axe, f"{path} at {width} px")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide} px wide on a {width} px screen"
        page.goto(
            f"/pages/requests/sar/{REQUEST}/steps/release-third-party-data?item_id={item}&third_party={CHILD}"
        )
        main = page.locator("main").inner_text()
        assert REVIEW in main and f"{REVIEW}@" not in main
        assert page.locator("input[type=hidden][name=item_id]").get_attribute("value") == item
        check_accessibility(page, axe, f"the release form at {width} px")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= width, f"the release form is {wide} px wide on a {width} px screen"
    finally:
        context.close()
