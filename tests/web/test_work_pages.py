"""The work due, over the demonstration's store: each person's "My work", the steps offered, closed records.

The demonstration ends with LR-2026-002 notified in May 2026 and no decision recorded: the
committee's six-week decision fell due on 16 June 2026, so on the tests' clock (1 December 2026)
it is overdue, and the CPC officer who recorded the notification sees it first. The demonstration
takes LIP-2026-002 past the Independent Chair's agreeing the SCR Panel, so the step owed from a
person's role is seen on a store holding that case as it stood then. The steps a record owes lead
its list of steps; a closed record offers none, and a closed request keeps only its sent copy;
sending a response is never a typed form.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from datetime import date

import pytest

from adapters.demo.national_script import MOTHER
from adapters.governance.sar import requests as sar
from adapters.web.pages import review_list, themes
from domain.governance.sar.steps import Capacity, ReceiveSubjectAccessRequest, RequestChannel
from tests.web.support import SCR_STORE_START, Browser, Site, scr_awaiting_its_panel, serving_pages


@pytest.fixture(scope="module")
def scr_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """LIP-2026-002 waiting for the Independent Chair to agree the SCR Panel."""
    with serving_pages(tmp_path_factory.mktemp("scr"), demo=False, start=SCR_STORE_START) as found:
        scr_awaiting_its_panel(found)
        yield found


@pytest.fixture
def chair(scr_site: Site) -> Iterator[Browser]:
    b = Browser(scr_site.url)
    try:
        b.sign_in("independent-chair")
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


def test_my_work_shows_a_step_owed_by_the_persons_role(chair: Browser) -> None:
    page = chair.get("/pages/my-work")
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


def _step_links(text: str) -> list[str]:
    listed = re.search(r'<ul class="govuk-list govuk-list--spaced rl-steps">(.*?)</ul>', text, re.S)
    assert listed, "no steps offered"
    return re.findall(r'href="[^"]*/steps/([a-z-]+)"', listed[1])


def test_a_team_member_is_offered_the_expected_next_step_first(chair: Browser) -> None:
    page = chair.get("/pages/reviews/LIP-2026-002/steps")
    offered = _step_links(page.text)
    assert offered[0] == "agree-scr-panel"  # the Panel case owes "agree the SCR Panel" from this role
    assert "invite-family" in offered  # also allowed now, but not what the case owes
    assert page.text.count("Expected next") == 1


def test_a_case_past_the_step_offers_what_it_allows_and_expects_nothing_of_the_role(
    browser: Browser,
) -> None:
    # The demonstration's LIP-2026-002 has its SCR Panel agreed and waits for its report, which
    # the Head of Safeguarding owes: the chair may still invite the family, but nothing is expected.
    browser.sign_in("independent-chair")
    page = browser.get("/pages/reviews/LIP-2026-002/steps")
    assert "agree-scr-panel" not in _step_links(page.text)
    assert "the SCR Panel has already been agreed" in page.text
    assert "Expected next" not in page.text


def test_a_closed_review_offers_no_step(browser: Browser) -> None:
    browser.sign_in("cpc-officer")
    review = browser.get("/pages/reviews/LR-2026-001")
    assert review.status_code == 200
    assert "/pages/reviews/LR-2026-001/steps" not in review.text
    steps = browser.get("/pages/reviews/LR-2026-001/steps")
    assert "This national learning review is closed: no more steps are recorded on it." in steps.text
    assert "/steps/" not in steps.text.split("<main", 1)[1]
    form = browser.get("/pages/reviews/LR-2026-001/steps/record-dissemination")
    assert form.status_code == 422
    assert "is closed: no more steps are recorded on it" in form.text
    refused = browser.post(
        "/pages/reviews/LR-2026-001/steps/record-dissemination",
        {"record-version": "1"},
        token_from="/pages/reviews/LR-2026-001",
    )
    assert refused.status_code == 422


def test_a_closed_request_offers_no_step_or_draft_but_its_sent_copy(site: Site, browser: Browser) -> None:
    browser.sign_in("ig-officer")
    page = browser.get("/pages/requests/sar/SAR-2026-001")
    assert page.status_code == 200
    assert "Download the draft pack" not in page.text
    assert "Propose a redaction" not in page.text
    assert "/steps" not in page.text.split("<main", 1)[1]
    draft = browser.get("/pages/requests/sar/SAR-2026-001/pack/html")
    assert draft.status_code == 422
    assert "the request is closed" in draft.text
    digest = re.search(r"/pages/requests/sar/SAR-2026-001/sent/([0-9a-f]{64})", page.text)
    assert digest, "no link to the copy sent"
    copy = browser.get(digest[0])
    assert copy.status_code == 200
    assert copy.headers["content-disposition"].startswith('attachment; filename="SAR-2026-001-sent-')
    assert hashlib.sha256(copy.content).hexdigest() == digest[1]
    assert browser.get(f"/pages/requests/sar/SAR-2026-001/sent/{'0' * 64}").status_code == 404


def test_sending_a_response_is_never_offered_as_a_typed_form(site: Site, browser: Browser) -> None:
    app = site.application()
    try:
        sar.open_request(
            app,
            "SAR-PAGES-1",
            "ig-officer",
            ReceiveSubjectAccessRequest(
                received_on=date(2026, 11, 30),
                channel=RequestChannel.EMAIL,
                requester_id=MOTHER,
                subject_id=MOTHER,
                capacity=Capacity.DATA_SUBJECT,
                requester_name="Dawn Rendall",
                request="Everything you hold about me.",
            ),
        )
    finally:
        app.close()
    browser.sign_in("ig-officer")
    steps = browser.get("/pages/requests/sar/SAR-PAGES-1/steps")
    assert "send-response" not in _step_links(steps.text)
    assert _step_links(steps.text)[0] == "verify-identity"  # the first thing the request owes
    form = browser.get("/pages/requests/sar/SAR-PAGES-1/steps/send-response")
    assert form.status_code == 422
    assert "recorded on its own page" in form.text
    assert 'name="sha256"' not in form.text
    sent = browser.post(
        "/pages/requests/sar/SAR-PAGES-1/steps/send-response",
        {"record-version": "1", "sha256": "0" * 64, "sent_on": "2026-11-30"},
        token_from="/pages/requests/sar/SAR-PAGES-1",
    )
    assert sent.status_code == 422
    app = site.application()
    try:
        assert sar.load(app, "SAR-PAGES-1").sent_on is None  # nothing was recorded
    finally:
        app.close()


def test_the_reviews_list_is_paginated_and_sorted_with_its_choices_in_the_address(
    site: Site, browser: Browser
) -> None:
    browser.sign_in("cpc-officer")
    first = browser.get("/pages/reviews", sort="reference", dir="desc")
    listed = re.findall(r'<a href="/pages/reviews/([A-Z0-9-]+)" class="govuk-link">', first.text)
    assert listed == sorted(listed, reverse=True) and len(listed) == 7
    assert "Previous" not in first.text and "Next" not in first.text  # one page holds them all
    overdue = browser.get("/pages/reviews", clock="overdue", sort="stage")
    assert re.findall(r'<a href="/pages/reviews/([A-Z0-9-]+)" class="govuk-link">', overdue.text) == [
        "LIP-2026-002",  # the overturned SCR: its report is due and not yet recorded
        "LR-2026-002",
    ]
    assert "2 reviews matching these filters" in overdue.text
    assert 'name="sort" value="stage"' in overdue.text  # filtering again keeps the sort
    assert (
        "/pages/reviews?clock=overdue&amp;sort=stage&amp;dir=desc" in overdue.text
    )  # sorting keeps the filter


def test_a_page_of_the_list_continues_from_the_last_review_of_the_one_before() -> None:
    import sqlalchemy as sa

    from projections import schema
    from projections.review_list import ReviewFilter, review_page

    engine = sa.create_engine("sqlite://")
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(schema.reviews),
            [
                {
                    "reference": f"R-{i:03}",
                    "route": "mini",
                    "kind": "mini learning review",
                    "stage": "open" if i % 2 else "closed",
                    "status": "open" if i % 2 else "closed",
                    "version": 1,
                    "position": 200 - i,
                    "open_obligations": 0,
                    "document": "{}",
                }
                for i in range(120)
            ],
        )
        today = date(2026, 12, 1)
        seen: list[str] = []
        after = None
        while True:
            found = review_page(conn, ReviewFilter(), today, sort="updated", after=after, size=50)
            seen.extend(r.reference for r in found.rows)
            if not found.later:
                break
            after = found.rows[-1].reference
        assert seen == [f"R-{i:03}" for i in reversed(range(120))]  # most recently updated last
        back = review_page(conn, ReviewFilter(), today, sort="updated", before="R-069", size=10)
        assert [r.reference for r in back.rows] == [f"R-{i:03}" for i in range(79, 69, -1)]
        assert back.earlier and back.later
        open_only = review_page(
            conn, ReviewFilter(status="open"), today, sort="stage", descending=True, size=5
        )
        assert open_only.total == 60 and [r.reference for r in open_only.rows] == [
            "R-119",
            "R-117",
            "R-115",
            "R-113",
            "R-111",
        ]


def test_the_timeliness_page_draws_each_measure_and_gives_the_same_figures_as_a_table_and_csv(
    browser: Browser,
) -> None:
    browser.sign_in("cog-chair")
    page = browser.get("/pages/timeliness")
    assert page.status_code == 200
    decisions = page.text.split('<h2 class="govuk-heading-m">Decisions within 6 weeks</h2>', 1)[1]
    chart, rest = decisions.split("</svg>", 1)
    assert 'role="img"' in chart
    assert "2026 Q1: 100% on time (2 of 2); 2026 Q2: 0% on time (0 of 1)" in chart  # LR-2026-002 is late
    assert "Decisions within 6 weeks: the figures" in rest.split("</table>", 1)[0]
    figures = browser.get("/pages/timeliness.csv")
    assert figures.headers["content-type"].startswith("text/csv")
    lines = figures.text.splitlines()
    assert lines[0] == "measure,quarter,on_time,late,percent_on_time"
    assert "Decisions within 6 weeks,2026 Q2,0,1,0" in lines
    assert "Subject access requests answered on time,2026 Q4,1,0,100" in lines
    statistics = browser.get("/pages/timeliness/foi.csv").text.splitlines()
    assert statistics[0].startswith(
        "quarter,requests_received,requests_answered,answered_within_20_working_days"
    )
    assert statistics[1].startswith("2026 Q4,1,1,1,0,1,")  # one request, answered on time, released in part


def test_timeliness_is_for_the_committee_and_chief_officers(browser: Browser) -> None:
    browser.sign_in("independent-chair")
    assert browser.get("/pages/timeliness").status_code == 403
    assert browser.get("/pages/timeliness.csv").status_code == 403
    assert "/pages/timeliness" not in browser.get("/pages/reviews").text


def test_an_unknown_reference_in_the_bundle_form_is_an_error_on_the_form(browser: Browser) -> None:
    browser.sign_in("inspector")
    unknown = browser.get("/pages/integrity/bundle", review="LR-2099-404")
    assert unknown.status_code == 404
    assert "govuk-error-summary" in unknown.text
    assert "There is no review LR-2099-404: check the reference" in unknown.text
    assert 'value="LR-2099-404"' in unknown.text  # what was typed stays in the field
    assert "<title>Error: Integrity of the record" in unknown.text
    malformed = browser.get("/pages/integrity/bundle", review="not a reference!")
    assert malformed.status_code == 400
    assert "like LR-2026-001, or leave it empty for the whole log" in malformed.text


def test_forms_speak_plain_english_from_one_glossary(browser: Browser) -> None:
    from adapters.web.glossary import option_label, role_label, step_label

    assert option_label("web_form") == "Web form"
    assert option_label("reasonable_to_disclose") == "Reasonable to disclose without their consent"
    assert option_label("s38_1_b") == "Section 38(1)(b)"
    assert role_label("cog") == "Chief Officers Group"
    assert step_label("agree-scr-panel") == "Agree SCR panel"
    browser.sign_in("ig-officer")
    form = browser.get("/pages/requests/sar/SAR-NEW-1/steps/receive-subject-access-request")
    assert form.status_code == 200
    assert '<option value="web_form">Web form</option>' in form.text  # the stored value is unchanged
    assert ">web_form<" not in form.text
    assert "Signed in as ig-officer (Information governance officer)." in form.text


def test_the_records_searched_are_entered_row_by_row_never_as_json(site: Site, browser: Browser) -> None:
    app = site.application()
    try:
        sar.open_request(
            app,
            "SAR-PAGES-2",
            "ig-officer",
            ReceiveSubjectAccessRequest(
                received_on=date(2026, 11, 30),
                channel=RequestChannel.LETTER,
                requester_id=MOTHER,
                subject_id=MOTHER,
                capacity=Capacity.DATA_SUBJECT,
                requester_name="Dawn Rendall",
                request="Everything you hold about me.",
            ),
        )
    finally:
        app.close()
    browser.sign_in("ig-officer")
    path = "/pages/requests/sar/SAR-PAGES-2/steps/record-search"
    form = browser.get(path)
    assert form.status_code == 200
    assert 'name="records.2.record"' in form.text and 'name="records.3.record"' not in form.text
    assert "(JSON)" not in form.text
    more = browser.post(
        path, {"record-version": "1", "records-rows": "3", "add-row": "records"}, token_from=path
    )
    assert more.status_code == 200  # the form again, one row longer, and nothing recorded
    assert 'name="records.3.record"' in more.text
    recorded = browser.post(
        path,
        {
            "record-version": "1",
            "searched_on-day": "1",
            "searched_on-month": "12",
            "searched_on-year": "2026",
            "records-rows": "4",
            "records.1.record": "LR-2026-001",
            "records.1.what": "every item about the requester",
        },
        token_from=path,
    )
    assert recorded.status_code == 303, recorded.text[-2000:]
    app = site.application()
    try:
        assert "LR-2026-001" in sar.load(app, "SAR-PAGES-2").searched
    finally:
        app.close()
    missing = browser.post(
        path,
        {
            "record-version": "2",
            "searched_on-day": "1",
            "searched_on-month": "12",
            "searched_on-year": "2026",
            "records.0.what": "minutes",
        },
        token_from=path,
    )
    assert missing.status_code == 400
    assert 'id="f-records-0-record-error"' in missing.text  # the problem is beside the row's field


def test_the_committee_lists_reviews_by_learning_theme(browser: Browser) -> None:
    browser.sign_in("cpc-chair")
    assert "/pages/themes" in browser.get("/pages/timeliness").text
    page = browser.get("/pages/themes")
    assert page.status_code == 200
    rows = page.text.split("Reviews by learning theme", 1)[1].split("</table>", 1)[0]
    # Every theme some review of any route is tagged with, with how many reviews, each linking to its list.
    assert re.findall(
        r'href="/pages/themes\?theme=([^"]+)"[^>]*>([^<]+)</a></th>\s*<td[^>]*>(\d+)</td>', rows
    ) == [
        ("information+sharing", "information sharing", "4"),
        ("neglect", "neglect", "1"),
        ("recording", "recording", "1"),
        ("referrals", "referrals", "1"),
        ("school+absence", "school absence", "1"),
    ]
    one = browser.get("/pages/themes", theme=" Neglect ")  # as the theme is tagged: trimmed, lower case
    assert one.status_code == 200
    assert "information sharing" not in one.text and "Every theme" in one.text
    assert "1 review tagged 'neglect'" in html.unescape(one.text)
    listed = one.text.split("</caption>", 1)[1].split("</table>", 1)[0]
    assert re.search(r'href="/pages/reviews/LR-2026-001"[^>]*>LR-2026-001</a>', listed)
    assert "national learning review" in listed.lower() and ">closed<" in listed
    assert ROW.findall(one.text) == ["LR-2026-001"]
    unknown = browser.get("/pages/themes", theme="carers")
    assert unknown.status_code == 404
    assert "There is a problem" in unknown.text and "tagged with the theme" in unknown.text
    assert ROW.findall(unknown.text) == []
    browser.sign_in("independent-chair")
    assert browser.get("/pages/themes").status_code == 403
    assert browser.get("/pages/themes", theme="neglect").status_code == 403


ROW = re.compile(r'href="/pages/reviews/([A-Z]+-\d{4}-\d{3})"')
NEXT = re.compile(r'href="([^"]+)" rel="next"')
PREVIOUS = re.compile(r'href="([^"]+)" rel="prev"')
SHARING = ["LIP-2026-001", "LR-2026-001", "MLR-2026-001", "SALR-2026-001"]


def _theme_pages(browser: Browser, **params: str) -> list[list[str]]:
    """Every page of a theme's list by following Next; each page's Previous leads back to the one before."""
    text = browser.get("/pages/themes", **params).text
    assert not PREVIOUS.search(text)
    pages: list[list[str]] = []
    while True:
        pages.append(ROW.findall(text))
        onwards = NEXT.findall(text)
        if not onwards:
            return pages
        href = html.unescape(onwards[0])
        assert "theme=information+sharing" in href and ("dir=desc" in href) == (params.get("dir") == "desc")
        following = browser.get(href).text
        back = html.unescape(PREVIOUS.findall(following)[0])
        assert ROW.findall(browser.get(back).text) == pages[-1]
        text = following


def test_a_theme_with_more_reviews_than_a_page_is_paged_by_reference_either_way(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(themes, "PAGE_SIZE", 3)
    browser.sign_in("cog-chair")
    first = browser.get("/pages/themes", theme="information sharing").text
    assert "4 reviews tagged" in first and "3 on this page" in first
    assert _theme_pages(browser, theme="information sharing") == [SHARING[:3], SHARING[3:]]
    # The reference column sorts the other way, kept in the address with the theme.
    sort = re.search(r'href="([^"]+)" class="govuk-link rl-sort"', first)
    assert sort and html.unescape(sort[1]) == "/pages/themes?theme=information+sharing&dir=desc"
    newest = _theme_pages(browser, theme="information sharing", dir="desc")
    assert newest == [SHARING[::-1][:3], SHARING[::-1][3:]]
    monkeypatch.setattr(themes, "PAGE_SIZE", 2)  # a last page that is exactly full has no Next
    assert _theme_pages(browser, theme="information sharing") == [SHARING[:2], SHARING[2:]]
    # A place or order not well formed is ignored or names no review: never a failure.
    for params in ({"dir": "up"}, {"after": "' or 1=1 --"}, {"before": "x" * 5000}, {"after": ""}):
        answer = browser.get("/pages/themes", theme="information sharing", **params)
        assert answer.status_code == 200
    assert (
        ROW.findall(browser.get("/pages/themes", theme="information sharing", dir="up").text) == SHARING[:2]
    )


def test_the_reviews_list_is_paged_either_way_and_each_page_leads_back(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Next goes on down the list as sorted; each page's Previous leads back to the page before it."""
    monkeypatch.setattr(review_list, "PAGE_SIZE", 2)
    browser.sign_in("cog-chair")
    text = browser.get("/pages/reviews").text
    assert 'aria-label="Pages of reviews"' in text and not PREVIOUS.search(text)
    pages: list[list[str]] = []
    while True:
        rows = list(dict.fromkeys(ROW.findall(text)))  # a review's row may link it more than once
        pages.append(rows)
        onwards = NEXT.findall(text)
        if not onwards:
            break
        following = browser.get(html.unescape(onwards[0])).text
        back = html.unescape(PREVIOUS.findall(following)[0])
        assert list(dict.fromkeys(ROW.findall(browser.get(back).text))) == rows
        text = following
    listed = [reference for page in pages for reference in page]
    assert len(pages) >= 3 and all(len(page) <= 2 for page in pages)
    assert len(listed) == len(set(listed)) and {"LR-2026-001", "LR-2026-002", "LIP-2026-002"} <= set(listed)
