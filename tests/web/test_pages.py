"""The pages over the demonstration's store, as a browser without scripts would use them.

Signing in sets a Secure, HttpOnly, SameSite=Strict session cookie; every page shows only what
the authority table lets the person read, and a refused read is in the access log; a step is
recorded through its form, with its problems in the error summary; forms from another site,
or without the session's form token, change nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from adapters.governance.access_log import entries
from adapters.web.html import esc, join
from tests.web.support import Browser, Site


def signed_in(browser: Browser, actor: str) -> Browser:
    response = browser.sign_in(actor)
    assert response.status_code == 303, response.text
    return browser


def test_signing_in_sets_a_strict_secure_cookie_and_signing_out_ends_the_session(browser: Browser) -> None:
    assert browser.get("/pages/reviews").headers["location"] == "/pages/sign-in?next=%2Fpages%2Freviews"
    response = browser.sign_in("cpc-officer")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-reviewledger-session=rls_")
    for attribute in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict"):
        assert attribute in cookie
    page = browser.get("/pages/reviews")
    assert page.status_code == 200
    assert "LR-2026-001" in page.text
    assert "Signed in as cpc-officer" in page.text
    ended = browser.post("/pages/sign-out", {}, token_from="/pages/reviews")
    assert ended.status_code == 303
    assert "Max-Age=0" in ended.headers["set-cookie"]
    assert browser.get("/pages/reviews").status_code == 303  # the old cookie no longer signs in


def test_a_wrong_password_is_shown_in_the_error_summary(browser: Browser) -> None:
    response = browser.sign_in("cpc-officer", "not the password at all")
    assert response.status_code == 401
    assert "govuk-error-summary" in response.text
    assert "The account name or the password is not right" in response.text
    assert "<title>Error: Sign in" in response.text


def test_pages_are_never_cached_framed_or_given_inline_scripts(browser: Browser) -> None:
    response = signed_in(browser, "cpc-officer").get("/pages/reviews")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text


def test_the_stylesheet_is_govuk_frontend_in_arial(browser: Browser) -> None:
    css = browser.get("/assets/reviewledger.css")
    assert css.status_code == 200
    assert ".govuk-button" in css.text
    assert "GDS Transport" not in css.text
    assert browser.get("/assets/../pyproject.toml").status_code == 404


def test_the_reviews_list_filters_by_route_status_and_clock(browser: Browser) -> None:
    signed_in(browser, "cog-chair")
    everything = browser.get("/pages/reviews").text
    for reference in ("LR-2026-001", "MLR-2026-001", "LIP-2026-001", "SALR-2026-001"):
        assert reference in everything
    mini = browser.get("/pages/reviews", route="mini").text
    assert "MLR-2026-001" in mini
    assert ">LR-2026-001<" not in mini
    overdue = browser.get("/pages/reviews", clock="overdue").text
    assert "LR-2026-002" in overdue  # the committee's six weeks ran out long ago
    assert "SALR-2026-001" not in overdue
    assert "Overdue" in overdue


def test_a_review_page_shows_its_state_timescales_timeline_and_chronology(browser: Browser) -> None:
    page = signed_in(browser, "reviewer").get("/pages/reviews/LR-2026-001").text
    assert "learning review under way" in page or "closed" in page
    assert "<svg" in page
    assert 'role="img"' in page
    assert "Merged chronology" in page
    assert "sealed" in page  # chronology text stays sealed: its kind and subjects only
    assert "Terms of reference" in page
    assert "decision whether to proceed" in page


def test_a_review_as_at_an_earlier_date_is_marked_historical(browser: Browser) -> None:
    signed_in(browser, "inspector")
    page = browser.get(
        "/pages/reviews/LR-2026-001", **{"as_at-day": "31", "as_at-month": "3", "as_at-year": "2026"}
    )
    assert page.status_code == 200
    assert "Historical view" in page.text
    assert "the end of 31 March 2026" in page.text
    assert "learning review under way" in page.text
    assert "Record the next step" not in page.text
    bad = browser.get(
        "/pages/reviews/LR-2026-001", **{"as_at-day": "31", "as_at-month": "2", "as_at-year": "2026"}
    )
    assert bad.status_code == 400
    assert "must be a real date" in bad.text


def test_two_dates_compared(browser: Browser) -> None:
    signed_in(browser, "cpc-chair")
    page = browser.get(
        "/pages/reviews/LR-2026-001/compare",
        **{
            "from-day": "1",
            "from-month": "2",
            "from-year": "2026",
            "to-day": "31",
            "to-month": "3",
            "to-year": "2026",
        },
    )
    assert page.status_code == 200, page.text
    assert "What changed" in page.text
    assert "decision whether to proceed" in page.text


def test_the_decision_trail_shows_signatures_and_timescales(browser: Browser) -> None:
    page = signed_in(browser, "cog-chair").get("/pages/reviews/LR-2026-001/trail").text
    assert "Verified" in page
    assert "Met" in page
    assert "signed by Isla Flett (cpc-chair)" in page  # the signer named beside their account


def test_a_read_the_table_refuses_is_explained_and_logged(browser: Browser, site: Site) -> None:
    # Everyone else reads the record without personal values (DOMAIN.md §1.1) ...
    page = signed_in(browser, "agency-contact").get("/pages/reviews/LR-2026-001")
    assert page.status_code == 200
    assert "Dawn" not in page.text and "Rendall" not in page.text
    # ... and its personal values only as the need-to-know table gives them: not to them.
    page = browser.get("/pages/reviews/LR-2026-001/personal")
    assert page.status_code == 403
    assert "refused to agency-contact: they are not appointed to the review&#x27;s team" in page.text
    app = site.application()
    try:
        refused = [e for e in entries(app, record="LR-2026-001") if e.actor == "agency-contact"]
    finally:
        app.close()
    assert refused
    assert not refused[0].granted


def test_only_the_steps_the_role_allows_at_this_stage_are_offered(browser: Browser) -> None:
    officer = signed_in(browser, "cpc-officer").get("/pages/reviews/LR-2026-002/steps").text
    assert "Pass to nominated person" in officer
    assert "/steps/decide-to-proceed" not in officer  # the committee's
    assert "no recommendation" in officer or "nominated person" in officer
    refused = browser.get("/pages/reviews/LR-2026-002/steps/decide-to-proceed")
    assert refused.status_code == 403
    assert "can only be recorded by a person holding Child or Adult Protection Committee" in refused.text


def test_a_step_recorded_through_its_form(browser: Browser, site: Site) -> None:
    signed_in(browser, "cpc-officer")
    form = "/pages/reviews/LR-2026-002/steps/pass-to-nominated-person"
    empty = browser.post(form, {"record-version": "1"}, token_from=form)
    assert empty.status_code == 400
    assert "govuk-error-summary" in empty.text
    assert 'href="#f-passed-on"' in empty.text
    assert "Enter passed on" in empty.text
    site.clock.set(site.clock.moment)
    fields = {"record-version": "1", "passed_on-day": "6", "passed_on-month": "5", "passed_on-year": "2026",
              "nominee": "cpc-officer"}  # fmt: skip
    done = browser.post(form, fields, token_from=form)
    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith("/pages/reviews/LR-2026-002?recorded=pass-to-nominated-person")
    shown = browser.get(done.headers["location"]).text
    assert "recorded and signed" in shown
    again = browser.post(form, fields, token_from=form)
    assert again.status_code in (409, 422)  # taken on a version that has moved on, or no longer allowed


def test_forms_without_the_session_token_or_from_another_site_change_nothing(
    browser: Browser, site: Site
) -> None:
    signed_in(browser, "cpc-officer")
    form = "/pages/reviews/LR-2026-002/steps/link-review"
    fields = {"record-version": "2", "linked_reference": "MLR-2026-001", "relationship": "related"}
    app = site.application()
    try:
        before = app.ledger.stream_version("LR-2026-002")
        assert browser.post(form, fields).status_code == 400
        forged = browser.post(form, {**fields, "form_token": "0" * 64})
        assert forged.status_code == 400
        assert "not this session" in forged.text
        elsewhere = browser.post(form, fields, token_from=form, origin="https://elsewhere.example")
        assert elsewhere.status_code == 400
        assert app.ledger.stream_version("LR-2026-002") == before
    finally:
        app.close()


def test_a_new_review_is_started_from_its_first_step(browser: Browser, tmp_path: Path) -> None:
    signed_in(browser, "cpc-officer")
    assert "Start a national learning review" in browser.get("/pages/reviews").text
    start = browser.get("/pages/start/national", reference="LR-2026-900", step="receive-notification")
    assert start.status_code == 303
    assert start.headers["location"] == "/pages/reviews/LR-2026-900/steps/receive-notification?route=national"
    taken = browser.get("/pages/start/national", reference="LR-2026-001", step="receive-notification")
    assert taken.status_code == 400
    assert "already a record" in taken.text
    form = browser.get(start.headers["location"])
    assert form.status_code == 200
    assert "Subject group" in form.text


def test_integrity_runs_verification_and_offers_the_bundle_and_checkpoint(browser: Browser) -> None:
    signed_in(browser, "inspector")
    page = browser.get("/pages/integrity", verify="1")
    assert page.status_code == 200
    assert "Intact" in page.text
    checkpoint = browser.get("/pages/integrity/checkpoint")
    assert checkpoint.headers["content-disposition"] == 'attachment; filename="checkpoint.txt"'
    assert checkpoint.text.startswith("reviewledger.demo/log\n")
    bundle = browser.get("/pages/integrity/bundle", review="LR-2026-001")
    assert bundle.status_code == 200
    assert bundle.content.startswith(b"PK")


def test_verification_is_not_offered_to_those_the_table_does_not_give_it(browser: Browser) -> None:
    signed_in(browser, "reviewer")
    page = browser.get("/pages/integrity", verify="1")
    assert "Verification result" not in page.text
    assert "Run verification" not in page.text
    assert browser.get("/pages/integrity/bundle").status_code == 403


def test_the_access_log_by_actor_and_by_subject(browser: Browser) -> None:
    signed_in(browser, "ig-officer")
    page = browser.get("/pages/access-log", actor="agency-contact", subject="S-NLR1-MOTHER")
    assert page.status_code == 200
    # The readers and, for one who keeps the register, the data subjects are named beside their ids.
    assert "Reads of personal data by Sana Qureshi (agency-contact)" in page.text
    assert "Reads of personal data about Dawn Rendall (S-NLR1-MOTHER)" in page.text
    assert browser.get("/pages/access-log", subject="S-0001").status_code == 200
    assert browser.get("/pages/access-log", actor="nobody-here").status_code == 400
    signed_in(browser, "reviewer")
    assert browser.get("/pages/access-log").status_code == 403


def test_the_sar_workbench_and_its_draft_pack_count_the_same_items(browser: Browser) -> None:
    signed_in(browser, "ig-officer")
    page = browser.get("/pages/requests/sar/SAR-2026-001")
    assert page.status_code == 200
    # The demo closes the request once its pack is sent: its records are no longer read for it (the
    # need-to-know table), so the page counts the pack from its file alone and opens no item.
    # Eight collated items and the review's three documents about her: one redacted, two withheld.
    assert "The pack as its file records it: 11 items, 3 withheld, 1 given in part." in page.text
    assert "its records are no longer read for it" in page.text
    assert "named by the record" not in page.text and "Record the next step" not in page.text
    # No draft is offered, and the pack as sent says the same count.
    assert browser.get("/pages/requests/sar/SAR-2026-001/pack/json").status_code == 422
    (sent,) = re.findall(r'href="(/pages/requests/sar/SAR-2026-001/sent/[0-9a-f]{64})"', page.text)
    pack = browser.get(sent)
    assert pack.status_code == 200
    assert (
        "This pack holds 11 items: 7 given in full, 1 given in part (other people's identifiers replaced) "
        "and 3 withheld." in html.unescape(pack.text)
    )


def test_a_request_s_drafts_and_sent_copies_open_only_for_the_officer_handling_it(browser: Browser) -> None:
    signed_in(browser, "ig-officer")
    workbench = browser.get("/pages/requests/sar/SAR-2026-001")
    (sent,) = re.findall(r'href="(/pages/requests/sar/SAR-2026-001/sent/[0-9a-f]{64})"', workbench.text)
    assert browser.get("/pages/requests/foi/FOI-2026-001/response/json").status_code == 200
    signed_in(browser, "ig-officer-2")  # an IG officer, but not the one handling either request
    for path, request in (
        (sent, "SAR-2026-001"),
        ("/pages/requests/foi/FOI-2026-001/response/json", "FOI-2026-001"),
    ):
        refused = browser.get(path)
        assert refused.status_code == 403, path
        assert f"refused to ig-officer-2: they are not handling {request}" in refused.text, path


def test_a_request_is_passed_on_to_another_officer_through_its_step_form(browser: Browser) -> None:
    form = "/pages/requests/foi/FOI-2026-001/steps/assign-officers"
    draft = "/pages/requests/foi/FOI-2026-001/response/json"

    def assign(officers: str) -> None:
        page = browser.get(form)
        assert page.status_code == 200 and "Officers, one per line" in page.text
        (version,) = re.findall(r'name="record-version" value="(\d+)"', page.text)
        fields = {"record-version": version, "officers": officers, "reason": "Passed on for the holidays."}
        done = browser.post(form, fields, token_from=form)
        assert done.status_code == 303, done.text

    signed_in(browser, "ig-officer")
    assign("ig-officer-2")
    assert browser.get(draft).status_code == 403  # no longer handling it
    signed_in(browser, "ig-officer-2")
    assert browser.get(draft).status_code == 200
    assign("ig-officer")  # and back, for the tests that follow
    assert browser.get(draft).status_code == 403


def test_text_stored_with_hidden_characters_shows_them_as_visible_escapes() -> None:
    # A name stored before the text rule refused such characters cannot reorder or hide a page's text.
    assert esc("Lena\u202e<b>amron") == "Lena\\u202e&lt;b&gt;amron"
    assert join(["Ruth", "\u200b", "Moss\x00"]) == "Ruth\\u200bMoss\\u0000"
    assert esc("two\nlines") == "two\nlines"
