"""A subject access request answered in a real headless Chromium, over the demonstration's store.

- An IG officer opens a request by finding the person by name (Leanne Thornber, in LIP-2026-001),
  records its first steps, collates the items, reads them in words with the other people's
  identifiers marked, releases Maisie Thornber's data in all but one of her items under one
  reason, sends the response and downloads the copy sent: its digest is the one recorded.
- The person search, the new request with its person chosen, and an open workbench pass axe-core
  at 375 px and at 1280 px, and none is wider than the screen.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from adapters.governance.sar import requests as sar
from domain.governance.sar.steps import (
    Capacity,
    IdentityCheck,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    ReviewResponse,
    SearchAnswers,
    VerifyIdentity,
)
from domain.kernel.command import command_name
from tests.http.api_support import PASSWORD
from tests.web.browser_support import (
    check_accessibility,
    fill_step,
    screenshot,
)
from tests.web.support import Site

pytestmark = pytest.mark.slow

WIDTHS = (375, 1280)
MOTHER, REVIEW = "S-LIP1-MOTHER", "LIP-2026-001"  # Leanne Thornber; her daughter Maisie is named in the items
OFFICER = "ig-officer"


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


def expect_banner(page: Page) -> None:
    """The page after a step: its success banner, once the page has loaded."""
    page.wait_for_load_state()
    page.locator(".govuk-notification-banner--success").wait_for(timeout=10_000)


def record_and_expect_success(page: Page) -> None:
    page.get_by_role("button", name="Record this step").click()
    page.wait_for_load_state()
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.count() == 1, page.locator("main").inner_text()[:800]


def test_an_ig_officer_finds_the_person_releases_one_persons_items_in_bulk_and_sends(
    chromium: Browser, site: Site, axe: str
) -> None:
    today = site.clock.moment.date()
    page = signed_in(chromium, site, OFFICER)
    try:
        page.get_by_role("link", name="Information requests").click()
        page.get_by_role("link", name="Record a new subject access request").click()
        page.get_by_label("Name or other name").fill("Thornber")
        page.get_by_role("button", name="Search").click()
        found = page.locator("table", has_text="found").locator("tbody tr")
        assert found.count() == 2 and "1996-08-02" in found.first.inner_text()
        page.get_by_role("link", name="Choose Leanne Thornber").click()
        page.get_by_label("Reference").fill("SAR-2026-060")
        page.get_by_role("button", name="Continue").click()
        # The first step's form comes filled in with the person chosen: no id is typed.
        assert page.locator("[id='f-subject-id']").input_value() == MOTHER
        assert page.locator("[id='f-requester-name']").input_value() == "Leanne Thornber"
        fill_step(
            page,
            ReceiveSubjectAccessRequest(
                received_on=today,
                channel=RequestChannel.EMAIL,
                requester_id=MOTHER,
                subject_id=MOTHER,
                capacity=Capacity.DATA_SUBJECT,
                requester_name="Leanne Thornber",
                request="Everything the review holds about me.",
            ),
        )
        record_and_expect_success(page)
        for command in (
            VerifyIdentity(verified_on=today, check=IdentityCheck.KNOWN_TO_SERVICE),
            RecordSearch(
                searched_on=today, records=(SearchAnswers(record=REVIEW, what="every item about her"),)
            ),
        ):
            page.goto(f"/pages/requests/sar/SAR-2026-060/steps/{command_name(type(command))}")
            fill_step(page, command)
            record_and_expect_success(page)
        page.get_by_role("button", name="Collate them from the records searched").click()
        expect_banner(page)

        # The officer reads the items: their words, the other people's identifiers marked.
        marked = page.locator("mark.detected")
        assert "Maisie" in marked.all_inner_texts()
        assert page.get_by_role("heading", name="Maisie Thornber's items").is_visible()
        check_accessibility(page, axe, "the workbench with words")
        release = page.locator(
            "form", has=page.get_by_role("button", name="Release Maisie Thornber's data in the items ticked")
        )
        boxes = release.locator("input[name='item_id']")
        assert boxes.count() == 3 and all(boxes.nth(i).is_checked() for i in range(3))
        boxes.nth(0).uncheck()  # the exception: kept withheld
        release.locator("input[name='basis'][value='reasonable_to_disclose']").check()
        release.get_by_label("Reasons for releasing Maisie Thornber's data in the items ticked").fill(
            "They say only what the requester already knows about her own daughter."
        )
        release.get_by_role("button", name="Release Maisie Thornber's data in the items ticked").click()
        expect_banner(page)
        assert (
            "3 items identify Maisie Thornber (Child); 2 released, 1 withheld"
            in page.locator("main").inner_text()
        )
        withheld = page.locator("div", has=page.get_by_role("heading", name="What is withheld, and why")).last
        assert "information about another person (DPA 2018 Sch. 2 Pt. 3 para 16)" in withheld.inner_text()
        screenshot(page, "sar-workbench")
        box = page.get_by_role("heading", name="Maisie Thornber's items").bounding_box()
        screenshot(page, "readme-sar-workbench", full_page=False, top=box["y"] - 30 if box else 0)

        page.goto("/pages/requests/sar/SAR-2026-060/steps/review-response")
        fill_step(page, ReviewResponse(reviewed_on=today))
        record_and_expect_success(page)
        page.get_by_role("button", name="Send the response").click()
        expect_banner(page)
        sent = page.locator("table", has_text="SHA-256").locator("tbody tr")
        assert sent.count() == 1
        digest = sent.first.locator(".rl-mono").inner_text().strip()
        with page.expect_download() as copy:
            page.get_by_role("link", name="Download the copy sent").click()
        assert copy.value.suggested_filename.startswith("SAR-2026-060-sent-")
        data = Path(copy.value.path()).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        # Her data is given in the relationship item; the address (the exception) stays withheld, and
        # the summary too, as it names Craig Ashworth, whose data nobody released.
        text = html.unescape(data.decode("utf-8"))
        assert "This pack holds 5 items: 3 given in full and 2 withheld." in text
        assert "Lowfield Terrace" not in text and "Craig" not in text
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_new_ig_pages_fit_the_screen_and_pass_axe_at_both_widths(
    chromium: Browser, site: Site, axe: str, width: int
) -> None:
    reference = f"SAR-2026-W{width}"
    app = site.application()
    try:
        today = site.clock.moment.date()
        sar.open_request(
            app,
            reference,
            OFFICER,
            ReceiveSubjectAccessRequest(
                received_on=today,
                channel=RequestChannel.EMAIL,
                requester_id=MOTHER,
                subject_id=MOTHER,
                capacity=Capacity.DATA_SUBJECT,
                requester_name="Leanne Thornber",
                request="Everything.",
            ),
        )
        sar.step(
            app,
            reference,
            OFFICER,
            RecordSearch(searched_on=today, records=(SearchAnswers(record=REVIEW, what="all"),)),
        )
        sar.collate_from_index(app, reference, OFFICER)
    finally:
        app.close()
    page = signed_in(chromium, site, OFFICER, width)
    try:
        visits = {
            "person-search": ("/pages/people/search", True),
            "new-request-search": ("/pages/requests/sar/new", True),
            "new-request-chosen": (f"/pages/requests/sar/new?subject_id={MOTHER}", False),
            "workbench": (f"/pages/requests/sar/{reference}", False),
        }
        for name, (path, search) in visits.items():
            page.goto(path)
            if search:
                _search(page)
            check_accessibility(page, axe, f"{name} at {width} px")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width, f"{name} is {wide} px wide on a {width} px screen"
            screenshot(page, f"{name}-{width}")
    finally:
        page.context.close()


def _search(page: Page) -> None:
    page.get_by_label("Name or other name").fill("Thornber")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_text("Leanne Thornber").count() >= 1
