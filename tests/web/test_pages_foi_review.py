"""An FOI request's review is decided on its own page, which keeps the exact bytes of the notice sent.

The officer who sent the response cannot decide the review; the request is passed to a second
officer, who decides it on the page: the decision is recorded with the SHA-256 of the copy kept, the
copy is listed on the request's page and downloads. The generic step form never records the
decision, and no one but an IG officer handling the request opens the page.
"""

from __future__ import annotations

import html
import re
from datetime import date
from hashlib import sha256

from adapters.governance import sent_documents
from adapters.governance.access_log import entries
from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import foi_stream
from domain.governance.foi.steps import FoiChannel, ReceiveFoiRequest, RecordReviewRequirement, ReviewDecided
from domain.governance.ig_handling import AssignOfficers
from tests.web.support import Browser, Site

REFERENCE = "FOI-2026-088"
PLACE = f"/pages/requests/foi/{REFERENCE}"
PAGE = f"{PLACE}/review-decision"
GENERIC = f"{PLACE}/steps/decide-review"


def _version(site: Site) -> int:
    app = site.application()
    try:
        return foi.load(app, REFERENCE).version
    finally:
        app.close()


def _kept(site: Site) -> list[sent_documents.SentDocument]:
    app = site.application()
    try:
        return list(sent_documents.kept(app, foi_stream(REFERENCE)))
    finally:
        app.close()


def test_the_review_is_decided_on_its_own_page_and_the_notice_sent_is_kept(
    browser: Browser, site: Site
) -> None:
    app = site.application()
    try:
        foi.open_request(
            app,
            REFERENCE,
            "ig-officer",
            ReceiveFoiRequest(
                received_on=date(2026, 12, 1),
                channel=FoiChannel.EMAIL,
                requester_id="S-JOURNALIST-88",
                requester_name="Sam Petrie",
                address_for_correspondence="sam@example.org",
                information_requested="The minutes of the panel's meetings.",
            ),
        )
    finally:
        app.close()

    # The response, sent from its own page by the officer handling the request.
    assert browser.sign_in("ig-officer").status_code == 303
    fields = {"format": "html", "not_held": "No minutes of such meetings were taken."}
    sent = browser.post(f"{PLACE}/respond", fields, token_from=f"{PLACE}/respond")
    assert sent.status_code == 303, sent.text
    app = site.application()
    try:
        requirement = RecordReviewRequirement(
            received_on=date(2026, 12, 1), dissatisfaction="I believe the minutes exist."
        )
        foi.step(app, REFERENCE, "ig-officer", requirement)
    finally:
        app.close()
    [response_copy] = _kept(site)

    # The officer who sent the response may not decide the review: the page says why, and offers no form.
    assert "Decide the review" in browser.get(PLACE).text
    refused = browser.get(PAGE)
    assert refused.status_code == 422
    assert "decided by an officer not involved in the response; ig-officer sent it" in refused.text
    assert 'name="outcome"' not in refused.text

    # Another IG officer, not handling the request, is refused the page and the submission.
    assert browser.sign_in("ig-officer-2").status_code == 303
    assert browser.get(PAGE).status_code == 403
    fields = {"outcome": "confirmed", "reasons": "The search was thorough.", "format": "html"}
    token = browser.form_token(f"{PLACE}/respond")
    before = _version(site)
    outsider = browser.post(PAGE, {**fields, "form_token": token})
    assert outsider.status_code == 403
    assert "refused to ig-officer-2: they are not handling FOI-2026-088" in html.unescape(outsider.text)
    assert _version(site) == before and _kept(site) == [response_copy]
    app = site.application()
    try:
        refusal = next(
            e for e in entries(app, record=foi_stream(REFERENCE), limit=5) if e.actor == "ig-officer-2"
        )
    finally:
        app.close()
    assert refusal.granted is False

    # Passed on to the second officer, who now handles it.
    app = site.application()
    try:
        foi.step(
            app,
            REFERENCE,
            "ig-officer",
            AssignOfficers(officers=("ig-officer-2",), reason="Reviews the response."),
        )
    finally:
        app.close()

    # The steps list links the decision's own page; the generic form is refused and records nothing.
    steps = browser.get(f"{PLACE}/steps").text
    assert f'href="{PAGE}"' in steps and f'href="{GENERIC}"' not in steps
    generic = browser.get(GENERIC)
    assert (
        generic.status_code == 422 and f'href="{PAGE}"' in generic.text and "Go to its page" in generic.text
    )
    before = _version(site)
    typed = browser.post(
        GENERIC,
        {
            "record-version": str(before),
            "decided_on-day": "1",
            "decided_on-month": "12",
            "decided_on-year": "2026",
            "outcome": "confirmed",
            "reasons": "The search was thorough.",
            "notice_sha256": "0" * 64,
        },
        token_from=GENERIC,
    )
    assert typed.status_code == 422
    assert _version(site) == before and _kept(site) == [response_copy]

    # The form: the outcomes in words, the reasons, the format.
    form = browser.get(PAGE)
    assert form.status_code == 200
    shown = html.unescape(form.text)
    for label in (
        "Confirmed, with or without modifications (FOISA s.21(4)(a))",
        "A different decision substituted (FOISA s.21(4)(b))",
        "A decision reached where none had been (FOISA s.21(4)(c))",
        "Reasons for the outcome",
        "PDF",
    ):
        assert label in shown, label

    # A problem is shown on the form, naming its field; nothing is kept or recorded.
    empty = browser.post(PAGE, {"outcome": "", "reasons": "  ", "format": "html"}, token_from=PAGE)
    assert empty.status_code == 400
    assert "There is a problem" in empty.text
    assert 'href="#outcome"' in empty.text and "Choose the outcome of the review" in empty.text
    assert 'href="#reasons"' in empty.text and "Enter the reasons for the outcome of the review" in empty.text
    assert _version(site) == before and _kept(site) == [response_copy]

    # Decided: recorded with the digest of the copy kept, which is listed and downloads.
    done = browser.post(PAGE, fields, token_from=PAGE)
    assert done.status_code == 303, done.text
    assert "recorded=decide-review" in done.headers["location"]
    request_page = browser.get(done.headers["location"]).text
    assert "Decide review: recorded and signed" in request_page
    assert "foi-review-decision" in request_page
    [kept] = [d for d in _kept(site) if d.purpose == "foi-review-decision"]
    app = site.application()
    try:
        [decided] = [
            r.event for r in app.ledger.read(foi_stream(REFERENCE)) if isinstance(r.event, ReviewDecided)
        ]
    finally:
        app.close()
    assert isinstance(decided, ReviewDecided)
    assert decided.notice_sha256 == kept.sha256 and decided.actor == "ig-officer-2"
    links = re.findall(rf'href="({PLACE}/sent/[0-9a-f]{{64}})"', request_page)
    assert f"{PLACE}/sent/{kept.sha256}" in links and f"{PLACE}/sent/{response_copy.sha256}" in links
    copy = browser.get(f"{PLACE}/sent/{kept.sha256}")
    assert copy.status_code == 200
    assert sha256(copy.content).hexdigest() == decided.notice_sha256
    assert "The search was thorough." in copy.text

    # Decided once: the page no longer offers the form.
    again = browser.get(PAGE)
    assert again.status_code == 422 and "there is no review waiting for a decision" in again.text


def test_only_an_ig_officer_opens_the_page(browser: Browser) -> None:
    assert browser.sign_in("cpc-officer").status_code == 303
    assert browser.get("/pages/requests/foi/FOI-2026-001/review-decision").status_code == 403
