"""The pages in a real headless Chromium: the journeys people take, and axe-core on every kind of page.

- A protection committee officer signs in, and a whole National Learning Review (seed 001) is
  taken through the pages by the people whose steps they are, from the notification to the
  Chief Officers Group's decision on publication: every step through its own form, the one step
  the procedure gives to someone else refused in words.
- An inspector replays a review as it stood at an earlier date, and compares two dates.
- Every kind of page passes axe-core's WCAG 2.2 A and AA rules, and a screenshot of each main
  page is kept as a test artefact.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from adapters.app.application import Application
from adapters.demo import START
from adapters.demo.national import SUBJECTS, steps
from adapters.demo.national_script import CHILD_REVIEW, MOTHER
from domain.governance.sar.steps import (
    Capacity,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
)
from domain.governance.subjects import DataSubject, subject_stream
from domain.kernel.command import command_name
from domain.routes.national.commands import DecidePublication
from tests.http.api_support import PASSWORD
from tests.web.browser_support import (
    check_accessibility,
    fill_step,
    screenshot,
)
from tests.web.support import Site, serving_pages

pytestmark = pytest.mark.slow


class People:
    """One browser context per person, each signed in once through the sign-in page."""

    def __init__(self, chromium: Browser, site: Site) -> None:
        self.chromium = chromium
        self.site = site
        self.contexts: dict[str, BrowserContext] = {}

    def page(self, actor: str) -> Page:
        if actor not in self.contexts:
            # bypass_csp lets the test add axe-core to a page; the pages themselves never run inline scripts.
            context = self.chromium.new_context(
                base_url=self.site.url, bypass_csp=True, viewport={"width": 1100, "height": 900}
            )
            page = context.new_page()
            sign_in(page, actor)
            self.contexts[actor] = context
        return self.contexts[actor].pages[0]

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


def sign_in(page: Page, actor: str) -> None:
    page.goto("/pages/reviews")
    assert "/pages/sign-in" in page.url
    page.get_by_label("Account name").fill(actor)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/pages/reviews")
    assert page.get_by_role("heading", name="Reviews", exact=True).is_visible()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("demo-pages")) as site:
        yield site


def test_every_kind_of_page_is_accessible(chromium: Browser, demo_site: Site, axe: str) -> None:
    people = People(chromium, demo_site)
    try:
        signed_out = chromium.new_context(base_url=demo_site.url, bypass_csp=True)
        page = signed_out.new_page()
        page.goto("/pages/sign-in")
        check_accessibility(page, axe, "the sign-in page")
        screenshot(page, "sign-in")
        page.get_by_role("button", name="Sign in").click()
        assert page.locator(".govuk-error-summary").is_visible()
        assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
        check_accessibility(page, axe, "the sign-in page with errors")
        signed_out.close()

        cog = people.page("cog-chair")
        visits = {
            "reviews": "/pages/reviews",
            "reviews-filtered": "/pages/reviews?clock=overdue",
            "review": "/pages/reviews/LR-2026-001",
            "review-as-at": "/pages/reviews/LR-2026-001?as_at=2026-03-31",
            "decision-trail": "/pages/reviews/LR-2026-001/trail",
            "compare": "/pages/reviews/LR-2026-001/compare?from=2026-02-01&to=2026-03-31",
            "integrity": "/pages/integrity?verify=1",
            "not-found": "/pages/reviews/NO-SUCH-REVIEW",
        }
        for name, path in visits.items():
            cog.goto(path)
            check_accessibility(cog, axe, path)
            screenshot(cog, name)
            if name in ("reviews", "review", "decision-trail"):
                screenshot(cog, f"readme-{name}", full_page=False)
        officer = people.page("cpc-officer")
        for name, path in {
            "steps": "/pages/reviews/LR-2026-002/steps",
            "step-form": "/pages/reviews/LR-2026-002/steps/pass-to-nominated-person",
            "start-review": "/pages/start/national",
            "first-step-form": "/pages/reviews/LR-2026-099/steps/receive-notification?route=national",
            "refused-step": "/pages/reviews/LR-2026-002/steps/decide-to-proceed",
            "review-documents": "/pages/reviews/LR-2026-001/documents",
            "people": "/pages/subjects",
            "person": "/pages/subjects/S-NLR1-CHILD",
            "amend-person": "/pages/subjects/S-NLR1-CHILD/steps/amend-subject-identifiers",
        }.items():
            officer.goto(path)
            check_accessibility(officer, axe, path)
            screenshot(officer, name)
        officer.goto("/pages/reviews/LR-2026-002/steps/pass-to-nominated-person")
        officer.get_by_role("button", name="Record this step").click()
        assert officer.locator(".govuk-error-summary").is_visible()
        check_accessibility(officer, axe, "a step's form with errors")
        screenshot(officer, "step-form-errors")
        ig = people.page("ig-officer")
        ig.goto("/pages/access-log?actor=cpc-officer&subject=S-NLR1-CHILD")
        check_accessibility(ig, axe, "the access log")
        screenshot(ig, "access-log")
    finally:
        people.close()


def test_an_inspector_replays_a_review_as_at_an_earlier_date(
    chromium: Browser, demo_site: Site, axe: str
) -> None:
    people = People(chromium, demo_site)
    try:
        page = people.page("inspector")
        page.goto("/pages/reviews")
        page.get_by_role("link", name="LR-2026-001", exact=True).click()
        assert page.get_by_role("heading", name="LR-2026-001", exact=True).is_visible()
        page.get_by_role("textbox", name="Day", exact=True).fill("31")
        page.get_by_role("textbox", name="Month", exact=True).fill("3")
        page.get_by_role("textbox", name="Year", exact=True).fill("2026")
        page.get_by_role("button", name="Show").click()
        banner = page.get_by_role("region", name="Historical view")
        assert banner.is_visible()
        assert "the end of 31 March 2026" in banner.inner_text()
        assert "(as at the end of 31 March 2026)" in page.title()
        assert page.get_by_text("learning review under way").first.is_visible()
        assert page.get_by_role("button", name="Record the next step").count() == 0
        screenshot(page, "review-as-at-31-march")
        page.get_by_role("button", name="Decision trail").click()
        assert page.get_by_role("region", name="Historical view").is_visible()
        assert page.locator(".govuk-summary-card").count() >= 1
        page.goto("/pages/reviews/LR-2026-001/compare")
        page.locator("[id='from']").fill("1")
        page.locator("[id='from-month']").fill("2")
        page.locator("[id='from-year']").fill("2026")
        page.locator("[id='to']").fill("31")
        page.locator("[id='to-month']").fill("3")
        page.locator("[id='to-year']").fill("2026")
        page.get_by_role("button", name="Compare").click()
        assert page.get_by_text("What changed").is_visible()
        check_accessibility(page, axe, "two dates compared")
        screenshot(page, "compare-two-dates")
    finally:
        people.close()


def test_a_whole_national_review_through_the_pages(chromium: Browser, tmp_path: Path, axe: str) -> None:
    with serving_pages(tmp_path, demo=False, start=START - timedelta(days=7)) as site:
        app = Application(site.settings.db_url, site.settings.kek_file, clock=site.clock)
        try:
            for subject in SUBJECTS:  # the people the review is about, registered beforehand
                app.execute(DataSubject, subject_stream(subject.subject_id), "cpc-officer", subject)
        finally:
            app.close()
        script = [s for s in steps(START) if s.reference == CHILD_REVIEW]
        last = next(i for i, s in enumerate(script) if isinstance(s.command, DecidePublication))
        people = People(chromium, site)
        checked: set[str] = set()
        try:
            for step in script[: last + 1]:
                site.clock.set(step.at)
                name = command_name(type(step.command))
                page = people.page(step.actor)
                page.goto(
                    f"/pages/reviews/{CHILD_REVIEW}/steps/{name}"
                    + ("?route=national" if step is script[0] else "")
                )
                if step.refused:
                    # The COG tries the committee's decision: refused in words, and no form is offered.
                    assert "can only be recorded by" in page.locator("main").inner_text()
                    assert page.get_by_role("button", name="Record this step").count() == 0
                    continue
                fill_step(page, step.command)
                if name not in checked:
                    check_accessibility(page, axe, f"the form of {name}")
                    checked.add(name)
                page.get_by_role("button", name="Record this step").click()
                page.wait_for_load_state()
                banner = page.locator(".govuk-notification-banner--success")
                assert banner.count() == 1, f"{name}: {page.locator('main').inner_text()[:800]}"
            page = people.page("cog-chair")
            page.goto(f"/pages/reviews/{CHILD_REVIEW}/trail")
            assert "publication" in page.locator("main").inner_text()
            assert page.get_by_text("Verified").count() >= 10
            screenshot(page, "journey-decision-trail")
            page.goto(f"/pages/reviews/{CHILD_REVIEW}")
            screenshot(page, "journey-review")
        finally:
            people.close()


def record_and_expect_success(page: Page) -> None:
    page.get_by_role("button", name="Record this step").click()
    page.wait_for_load_state()
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.count() == 1, page.locator("main").inner_text()[:800]


def test_a_records_manager_sees_what_is_due_and_the_certificates(
    chromium: Browser, demo_site: Site, axe: str
) -> None:
    people = People(chromium, demo_site)
    try:
        page = people.page("records-manager")
        page.get_by_role("link", name="Retention").click()
        assert page.get_by_role("heading", name="Legal holds").is_visible()
        check_accessibility(page, axe, "retention")
        screenshot(page, "retention")
        page.goto("/pages/requests")
        assert "You cannot do this" in page.title()
    finally:
        people.close()


def test_an_ig_officer_redacts_a_document_and_downloads_the_pdf_pack(
    chromium: Browser, demo_site: Site, axe: str
) -> None:
    today = demo_site.clock.moment.date()
    people = People(chromium, demo_site)
    try:
        page = people.page("ig-officer")
        page.goto(
            f"/pages/requests/sar/new?subject_id={MOTHER}"
        )  # the person chosen (tests/web/test_browser_ig.py)
        page.get_by_label("Reference").fill("SAR-2026-051")
        page.get_by_role("button", name="Continue").click()
        fill_step(
            page,
            ReceiveSubjectAccessRequest(
                received_on=today,
                channel=RequestChannel.EMAIL,
                requester_id=MOTHER,
                subject_id=MOTHER,
                capacity=Capacity.DATA_SUBJECT,
                requester_name="Dawn Rendall",
                request="The review's report about Ellie.",
            ),
        )
        record_and_expect_success(page)
        page.goto("/pages/requests/sar/SAR-2026-051/steps/record-search")
        fill_step(
            page,
            RecordSearch(
                searched_on=today,
                records=(SearchAnswers(record="LR-2026-001", what="the review's documents"),),
            ),
        )
        record_and_expect_success(page)
        page.goto("/pages/requests/sar/SAR-2026-051")
        page.get_by_role("button", name="Documents").click()
        check_accessibility(page, axe, "a request's documents")
        page.get_by_role("link", name="LR-2026-001-D1").click()
        marked = page.locator("mark.detected")
        assert marked.count() >= 3, "the detector's finds are highlighted"
        assert "Karen Spence" in marked.all_inner_texts() and "Dawn Rendall" not in marked.all_inner_texts()
        check_accessibility(page, axe, "a document item with detected names")
        page.get_by_label("Other phrases to remove").fill("housing repairs")
        page.get_by_role("button", name="Release the redacted document").click()
        banner = page.locator(".govuk-notification-banner--success")
        assert banner.count() == 1 and "released redacted" in banner.inner_text()
        log = page.locator("table", has_text="Redaction log").locator("tbody tr")
        assert log.count() >= 3 and log.filter(has_text="officer").count() == 1
        screenshot(page, "document-redaction")
        with page.expect_download() as pack:
            page.get_by_role("button", name="Download the draft pack (PDF)").click()
        assert pack.value.suggested_filename == "SAR-2026-051-draft-pack.pdf"
        data = Path(pack.value.path()).read_bytes()
        assert data.startswith(b"%PDF") and b"Karen Spence" not in data and b"housing repairs" not in data
    finally:
        people.close()
