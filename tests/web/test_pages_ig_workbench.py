"""An IG officer's pages over the demonstration's store: finding a person by name, opening a request
by choosing them, and the redaction workbench in words.

- The person search answers IG officers and administrators only; each search and each person it
  shows is in the access log, and what was typed travels in the form's body, never the address.
- A new subject access request starts from the person chosen: its first step's form is filled in
  with their register id and name.
- The workbench shows each item's words with other people's identifiers marked, the people it
  names by name, items grouped by person, and the draft pack beside what it withholds with the
  ground; releasing one person's items under one reason records one signed release per item
  ticked, the unticked exception staying withheld; a release without a reason records nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from adapters.governance.access_log import entries, reads_by
from adapters.governance.sar import requests as sar
from domain.governance.sar.steps import (
    Capacity,
    IdentityCheck,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
    ThirdPartyDataReleased,
    VerifyIdentity,
)
from tests.web.support import Browser, Site, serving_pages

REQUEST = "SAR-2026-070"
OFFICER = "ig-officer"
MOTHER, CHILD, REVIEW = "S-LIP1-MOTHER", "S-LIP1-CHILD", "LIP-2026-001"  # Leanne and Maisie Thornber


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("ig-pages")) as found:
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


def signed_in(browser: Browser, actor: str) -> Browser:
    assert browser.sign_in(actor).status_code == 303
    return browser


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_an_ig_officer_finds_a_person_by_name_or_date_of_birth_and_each_search_is_logged(
    browser: Browser, site: Site
) -> None:
    signed_in(browser, OFFICER)
    search = "/pages/people/search"
    assert browser.get(search).status_code == 200
    found = browser.post(search, {"name": "thorn"}, token_from=search)
    assert found.status_code == 200
    shown = text_of(found.text)
    assert "Leanne Thornber" in shown and "Maisie Thornber" in shown and "1996-08-02" in shown
    assert "Parent carer" in shown and REVIEW in shown
    narrowed = browser.post(search, {"name": "Thornber", "date_of_birth": "2 August 1996"}, token_from=search)
    assert "Leanne Thornber" in narrowed.text and "Maisie Thornber" not in narrowed.text
    assert f"/pages/requests/sar/new?subject_id={MOTHER}" in narrowed.text
    app = site.application()
    try:
        searches = [e for e in entries(app) if e.view == "register search" and e.actor == OFFICER]
        assert len(searches) == 2 and all(e.granted for e in searches)
        shown_reads = [r for r in reads_by(app, OFFICER) if r.view == "register search"]
        assert {r.record for r in shown_reads} >= {f"subject-{MOTHER}", f"subject-{CHILD}"}
        logged = " ".join(f"{e.record} {e.view} {e.purpose}" for e in entries(app))
        assert "thorn" not in logged.casefold()
    finally:
        app.close()


def test_a_search_needs_a_name_or_a_real_date_and_is_refused_to_others(browser: Browser, site: Site) -> None:
    signed_in(browser, OFFICER)
    search = "/pages/people/search"
    empty = browser.post(search, {"name": ""}, token_from=search)
    assert empty.status_code == 400 and "govuk-error-summary" in empty.text
    assert "Enter a name, another name or a date of birth" in empty.text
    bad = browser.post(search, {"date_of_birth": "31/02/1996"}, token_from=search)
    assert bad.status_code == 400 and "Must be a date, like 19/08/1996" in text_of(bad.text)
    other = Browser(site.url)
    try:
        signed_in(other, "cog-chair")
        assert other.get(search).status_code == 403
        refused = other.post(search, {"name": "Rendall"}, token_from="/pages/reviews")
        assert refused.status_code == 403 and "Dawn Rendall" not in refused.text
    finally:
        other.close()
    app = site.application()
    try:
        assert any(
            e.actor == "cog-chair" and e.view == "register search" and not e.granted for e in entries(app)
        )
    finally:
        app.close()


def test_a_new_request_is_opened_by_choosing_the_person(browser: Browser) -> None:
    signed_in(browser, OFFICER)
    start = browser.get("/pages/requests/sar/new")
    assert start.status_code == 200 and "Who is the request about?" in start.text
    assert 'name="reference"' not in start.text  # no request without its person
    found = browser.post(
        "/pages/requests/sar/new/person", {"name": "Leanne"}, token_from="/pages/requests/sar/new"
    )
    assert f"/pages/requests/sar/new?subject_id={MOTHER}" in html.unescape(found.text)
    chosen = browser.get("/pages/requests/sar/new", subject_id=MOTHER)
    assert "The request concerns" in chosen.text and "Leanne Thornber" in chosen.text
    go = browser.get("/pages/requests/sar/new", subject_id=MOTHER, reference="SAR-2026-071")
    assert go.status_code == 303
    form = go.headers["location"]
    assert form.startswith("/pages/requests/sar/SAR-2026-071/steps/receive-subject-access-request?")
    filled = browser.get(form).text
    assert f'value="{MOTHER}"' in filled and 'value="Leanne Thornber"' in filled
    bad = browser.get("/pages/requests/sar/new", subject_id="Leanne")
    assert bad.status_code == 400 and "subject ID: must be a register id" in html.unescape(bad.text)


def test_the_workbench_shows_the_words_and_the_people_by_name_grouped_by_person(browser: Browser) -> None:
    signed_in(browser, OFFICER)
    page = browser.get(f"/pages/requests/sar/{REQUEST}")
    assert page.status_code == 200
    shown = text_of(page.text)
    assert "Items, by the people they identify" in shown and "Maisie Thornber's items" in shown
    assert '<mark class="detected"' in page.text
    assert f"{REVIEW}, " in shown  # items labelled by the review, the step and the field
    assert f"{REVIEW}@" not in shown and "subject-S-" not in shown and "].full_name" not in shown
    assert "What the requester receives" in shown and "What is withheld, and why" in shown
    assert "information about another person (DPA 2018 Sch. 2 Pt. 3 para 16)" in shown
    assert "[withheld]" not in shown
    # Any item can take a redaction on another ground, its form filled in with the item.
    proposal = re.search(r'href="([^"]*/steps/propose-redaction\?item_id=[^"]+)"', page.text)
    assert proposal, "no proposal link on the items"
    form = browser.get(html.unescape(proposal[1]))
    assert form.status_code == 200 and f'value="{REVIEW}@' in form.text


def test_one_persons_items_are_released_under_one_reason_with_an_exception(
    browser: Browser, site: Site
) -> None:
    signed_in(browser, OFFICER)
    href = f"/pages/requests/sar/{REQUEST}"
    app = site.application()
    try:
        before = sar.load(app, REQUEST)
        items = sorted(i.item_id for i in before.items.values() if CHILD in i.third_parties)
    finally:
        app.close()
    assert len(items) >= 2
    released, kept = items[1:], items[0]
    fields = {"third_party": CHILD, "version": str(before.version), "basis": "reasonable_to_disclose"}
    refused = browser.post(f"{href}/release-person", {**fields, "item_id": released}, token_from=href)
    assert refused.status_code == 400 and "govuk-error-summary" in refused.text
    assert "Enter the reasons for releasing their data" in refused.text
    reason = "The requester already knows what these say about her daughter."  # one reason for all
    done = browser.post(
        f"{href}/release-person", {**fields, "item_id": released, "reasons": reason}, token_from=href
    )
    assert done.status_code == 303, text_of(done.text)[:600]
    app = site.application()
    try:
        after = sar.load(app, REQUEST)
        events = [r.event for r in app.ledger.read(after.reference)[before.version :]]
        assert len(events) == len(released)
        assert all(isinstance(e, ThirdPartyDataReleased) and e.third_party == CHILD for e in events)
        assert {e.item_id for e in events if isinstance(e, ThirdPartyDataReleased)} == set(released)
        assert (kept, CHILD) not in after.released
    finally:
        app.close()
    again = browser.post(
        f"{href}/release-person", {**fields, "item_id": released, "reasons": reason}, token_from=href
    )
    assert again.status_code in (400, 409)  # acted on an older version: nothing recorded twice


def test_the_step_with_an_unknown_basis_records_nothing(browser: Browser, site: Site) -> None:
    signed_in(browser, OFFICER)
    href = f"/pages/requests/sar/{REQUEST}"
    app = site.application()
    try:
        version = sar.load(app, REQUEST).version
    finally:
        app.close()
    bad = browser.post(
        f"{href}/release-person",
        {"third_party": CHILD, "version": str(version), "basis": "because", "reasons": "x", "item_id": ["x"]},
        token_from=href,
    )
    assert bad.status_code == 400 and "Choose why their data can be given" in bad.text
    app = site.application()
    try:
        assert sar.load(app, REQUEST).version == version
    finally:
        app.close()


def test_an_foi_request_may_start_from_a_person_on_the_register_or_from_its_reference(
    browser: Browser,
) -> None:
    signed_in(browser, OFFICER)
    start = browser.get("/pages/requests/foi/new")
    assert start.status_code == 200 and 'name="reference"' in start.text  # a requester need not be registered
    plain = browser.get("/pages/requests/foi/new", reference="FOI-2026-070")
    assert plain.headers["location"] == "/pages/requests/foi/FOI-2026-070/steps/receive-foi-request"
    chosen = browser.get("/pages/requests/foi/new", subject_id=MOTHER, reference="FOI-2026-071")
    form = chosen.headers["location"]
    assert form.startswith("/pages/requests/foi/FOI-2026-071/steps/receive-foi-request?")
    filled = browser.get(form).text
    assert f'value="{MOTHER}"' in filled and 'value="Leanne Thornber"' in filled


def test_the_people_page_leads_those_who_may_search_to_the_search(browser: Browser, site: Site) -> None:
    signed_in(browser, OFFICER)
    assert 'href="/pages/people/search"' in browser.get("/pages/subjects").text
    other = Browser(site.url)
    try:
        signed_in(other, "cpc-officer")  # keeps the register, but does not answer requests
        assert 'href="/pages/people/search"' not in other.get("/pages/subjects").text
    finally:
        other.close()


def _child_items(site: Site) -> tuple[list[str], int]:
    app = site.application()
    try:
        found = sar.load(app, REQUEST)
        return sorted(i.item_id for i in found.items.values() if CHILD in i.third_parties), found.version
    finally:
        app.close()


def test_a_release_or_redaction_form_names_the_item_in_words_with_its_id_hidden(
    browser: Browser, site: Site
) -> None:
    signed_in(browser, OFFICER)
    items, _ = _child_items(site)
    steps = f"/pages/requests/sar/{REQUEST}/steps"
    for form in (
        browser.get(f"{steps}/release-third-party-data", item_id=items[0], third_party=CHILD),
        browser.get(f"{steps}/propose-redaction", item_id=items[0]),
        browser.get(f"{steps}/release-item-in-part", item_id=items[0]),
    ):
        assert form.status_code == 200
        hidden_ids = re.findall(r'<input type="hidden" name="item_id" value="([^"]+)"', form.text)
        assert [html.unescape(h) for h in hidden_ids] == [items[0]]
        shown = text_of(form.text)
        assert f"{REVIEW}" in shown and f"{REVIEW}@" not in shown  # the item in words, never its id
        assert not re.search(r'<input class="govuk-input[^>]*name="item_id"', form.text)
    # An id the file does not hold is not named: the field stays, for the officer to correct.
    unknown = browser.get(f"{steps}/propose-redaction", item_id="nothing@1/x")
    assert unknown.status_code == 200
    assert re.search(r'<input class="govuk-input[^>]*name="item_id"[^>]*value="nothing@1/x"', unknown.text)


def test_a_release_recorded_from_its_form_is_of_the_item_it_named(browser: Browser, site: Site) -> None:
    signed_in(browser, OFFICER)
    app = site.application()
    try:  # an item whose data about her is still withheld (the bulk release above kept one back)
        found = sar.load(app, REQUEST)
        withheld = [i for i in found.items.values() if CHILD in i.third_parties]
        item = min(i.item_id for i in withheld if (i.item_id, CHILD) not in found.released)
    finally:
        app.close()
    path = f"/pages/requests/sar/{REQUEST}/steps/release-third-party-data"
    form = browser.get(path, item_id=item, third_party=CHILD).text
    (item_id,) = re.findall(r'<input type="hidden" name="item_id" value="([^"]+)"', form)
    (version,) = re.findall(r'name="record-version" value="(\d+)"', form)
    done = browser.post(
        path,
        {
            "item_id": html.unescape(item_id),
            "third_party": CHILD,
            "basis": "reasonable_to_disclose",
            "reasons": "Her mother already knows this.",
            "record-version": version,
        },
        token_from=f"{path}?item_id={item}&third_party={CHILD}",
    )
    assert done.status_code == 303, text_of(done.text)[:600]
    app = site.application()
    try:
        assert (item, CHILD) in sar.load(app, REQUEST).released
    finally:
        app.close()
