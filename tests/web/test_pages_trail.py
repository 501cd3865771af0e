"""The decision trail and a review's page in words, for those the need-to-know table gives the review.

- The Chief Officers Group reads why each decision was taken: the bases' words, marked as
  personal data, under a summary table of who decided what, when, with what outcome and whether
  in time; fields and roles in words; the deciders named. The read is signed once per page view.
- An information-governance officer handling no request about the review reads the trail with
  the words withheld and a line saying why; the refusal is in the access log.
- The trail leaves as HTML or PDF: logged as a read, not kept by the browser, named without
  personal data, and with no registered identifier in its bytes.
- The review's team reads its terms of reference, report and chronology in words, and its
  members by name.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest

from adapters.governance.access_log import entries, reads_by
from adapters.governance.disclosure import check_download
from adapters.web.pages.trail import timescale_met
from projections.model import Decision, TimescaleResult
from tests.web.support import Browser, Site

TRAIL = "/pages/reviews/LR-2026-001/trail"
BASIS = "Significant harm; several agencies involved; learning for the whole system."
CHRONOLOGY = "Home visit: the house was cold and damp."
REPORT = "Ellie was admitted to hospital in December 2025."


def signed_in(browser: Browser, actor: str) -> Browser:
    assert browser.sign_in(actor).status_code == 303
    return browser


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", page)))


def trail_reads(site: Site, actor: str, view: str) -> int:
    app = site.application()
    try:
        return len([r for r in reads_by(app, actor) if r.record == "LR-2026-001" and r.view == view])
    finally:
        app.close()


def test_the_cog_reads_each_basis_in_words_and_the_read_is_logged_once(browser: Browser, site: Site) -> None:
    signed_in(browser, "cog-chair")
    before = trail_reads(site, "cog-chair", "trail")
    page = browser.get(TRAIL)
    assert page.status_code == 200
    said = text(page.text)
    assert f"Reasons: Personal data {BASIS}" in said
    assert "Proposed terms of reference: Personal data" in said
    assert "proposed_terms_of_reference" not in page.text and "cpc_officer" not in page.text
    assert "sealed narrative" not in said
    assert trail_reads(site, "cog-chair", "trail") == before + 1  # once for the whole page


def test_the_summary_says_who_decided_what_when_and_whether_in_time(browser: Browser) -> None:
    page = signed_in(browser, "cog-chair").get(TRAIL).text
    summary = text(page.split("Decisions at a glance", 1)[1].split("</table>", 1)[0])
    assert "Decision Who When Outcome Timescale met" in summary
    assert (
        "Decision whether to proceed Isla Flett (cpc-chair), Child or Adult Protection Committee "
        "10 February 2026 proceed Yes, 6 days early"
    ) in summary
    # Each row links to its decision in full, anchored by the decision's step.
    found = re.search(r'href="#(decision-\d+)"[^>]*>Decision whether to proceed<', page)
    assert found and f'id="{found[1]}"' in page
    # A member with an account is named from the registry; the review's own statement of the
    # chair's name is not one of the bases the COG reads.
    assert "Ailsa Tulloch (S-NLR1-REVIEWER) appointed as reviewer" in summary
    assert "S-NLR1-CHAIR appointed as chair" in summary and "Alan Scott" not in page


def test_a_person_the_table_does_not_give_the_review_sees_no_words_and_is_told_why(
    browser: Browser, site: Site
) -> None:
    page = signed_in(browser, "ig-officer").get(TRAIL)
    assert page.status_code == 200
    said = text(page.text)
    assert BASIS not in said
    assert "Reasons: words withheld: narrative (fact) about S-NLR1-CHILD" in said
    assert "withheld from you: you are not appointed to the review's team" in said
    app = site.application()
    try:
        refused = [
            e for e in entries(app, record="LR-2026-001") if e.actor == "ig-officer" and e.view == "trail"
        ]
    finally:
        app.close()
    assert refused and not refused[0].granted


@pytest.mark.parametrize(
    ("suffix", "media", "starts"),
    [("html", "text/html", b"<!DOCTYPE html>"), ("pdf", "application/pdf", b"%PDF-")],
)
def test_the_trail_exported_is_logged_not_kept_and_holds_no_registered_identifier(
    browser: Browser, site: Site, suffix: str, media: str, starts: bytes
) -> None:
    signed_in(browser, "cog-chair")
    before = trail_reads(site, "cog-chair", "trail-export")
    response = browser.get(f"{TRAIL}.{suffix}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="decision-trail-LR-2026-001.{suffix}"'
    )
    assert response.content.startswith(starts)
    assert trail_reads(site, "cog-chair", "trail-export") == before + 1
    app = site.application()
    try:
        assert check_download(app, response.content, document="trail", record="LR-2026-001")
    finally:
        app.close()
    if suffix == "html":
        exported = text(response.text)
        assert BASIS in exported  # the words the COG may read, with no registered identifier in them
        assert "Decisions at a glance" in exported and "Each decision in full" in exported
        assert "<nav" not in response.text and "<button" not in response.text


def test_the_team_reads_the_review_in_words_and_its_members_by_name(browser: Browser, site: Site) -> None:
    before = trail_reads(site, "cpc-officer", "review")
    said = text(signed_in(browser, "cpc-officer").get("/pages/reviews/LR-2026-001").text)
    assert trail_reads(site, "cpc-officer", "review") == before + 1  # once for the whole page
    assert f"Personal data {CHRONOLOGY}" in said
    assert f"Circumstances that led to the review Personal data {REPORT}" in said
    assert "Text: Personal data How agencies recognised and responded to neglect" in said
    assert "Chair Alan Scott (S-NLR1-CHAIR)" in said
    assert "Ailsa Tulloch (reviewer) Reviewer" in said  # who took a step, in the timeline


def test_the_cog_reads_on_the_review_page_only_what_was_presented_to_it(browser: Browser) -> None:
    said = text(signed_in(browser, "cog-chair").get("/pages/reviews/LR-2026-001").text)
    assert f"Personal data {REPORT}" in said  # the report the committee and the COG signed off
    assert CHRONOLOGY not in said  # the team's working papers are not presented to the COG
    assert "Alan Scott" not in said and "Chair S-NLR1-CHAIR" in said


def test_a_review_page_withholds_its_words_from_one_outside_its_team(browser: Browser, site: Site) -> None:
    said = text(signed_in(browser, "ig-officer").get("/pages/reviews/LR-2026-001").text)
    assert CHRONOLOGY not in said and REPORT not in said and "Alan Scott" not in said
    assert "words withheld" in said
    assert "Chair S-NLR1-CHAIR" in said


def _decided(due: date, completed: date) -> Decision:
    timescale = TimescaleResult(
        name="decision", rule="seed 002", due=due, completed=completed, met=completed <= due
    )
    return Decision(
        reference="LR-1",
        version=1,
        position=1,
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
        actor="a",
        key="k",
        role="cpc",
        kind="decision",
        what="decision",
        outcome="proceed",
        timescale=timescale,
    )


@pytest.mark.parametrize(
    ("due", "completed", "said"),
    [
        (date(2026, 2, 16), date(2026, 2, 10), "Yes, 6 days early"),
        (date(2026, 2, 16), date(2026, 2, 16), "Yes, on the day due"),
        (date(2026, 2, 16), date(2026, 2, 17), "No, 1 day late"),
    ],
)
def test_timescale_met_says_yes_or_no_and_by_how_much(due: date, completed: date, said: str) -> None:
    assert timescale_met(_decided(due, completed)) == said


def test_the_names_the_access_log_shows_are_a_read_logged_with_its_purpose(
    browser: Browser, site: Site
) -> None:
    signed_in(browser, "ig-officer")
    app = site.application()
    try:
        before = len([r for r in reads_by(app, "ig-officer") if r.view == "access-log"])
        page = browser.get("/pages/access-log", subject="S-NLR1-MOTHER")
        assert page.status_code == 200
        assert "Dawn Rendall (S-NLR1-MOTHER)" in page.text
        logged = [r for r in reads_by(app, "ig-officer") if r.view == "access-log"]
    finally:
        app.close()
    assert len(logged) > before
    assert {r.purpose for r in logged} == {"register"}
    assert {"registry", "subject-S-NLR1-MOTHER"} <= {r.record for r in logged[before:]}
    assert "subject-S-NLR1-MOTHER" not in text(page.text)  # the record is named in words


def test_an_inspector_reads_the_names_but_not_the_data_subjects_of_the_access_log(browser: Browser) -> None:
    page = signed_in(browser, "inspector").get("/pages/access-log", subject="S-NLR1-MOTHER")
    assert page.status_code == 200
    assert "Reads of personal data about S-NLR1-MOTHER" in text(page.text)
    assert "Dawn Rendall" not in page.text


def test_the_cog_reads_the_report_presented_to_it_and_not_the_drafts_before(browser: Browser) -> None:
    page = signed_in(browser, "cog-chair").get("/pages/reviews/LR-2026-001").text
    report = text(page.split(">Report<", 1)[1].split(">Linked reviews<", 1)[0])
    presented, earlier = report.split("Version 1, drafted", 1)
    assert "Version 2, drafted on 1 September 2026" in presented  # signed off by the committee
    assert f"Circumstances that led to the review Personal data {REPORT}" in presented
    assert REPORT not in earlier and "withheld" in earlier
    assert CHRONOLOGY not in page  # not a basis nor a report: withheld from the COG
