"""The register of data subjects through the pages: a person is registered and amended by forms,
their identifiers shown only to those who keep the register, each showing a signed read."""

from __future__ import annotations

from adapters.governance.access_log import reads_by
from tests.web.support import Browser, Site


def test_an_officer_registers_a_person_and_amends_their_identifiers(browser: Browser, site: Site) -> None:
    assert browser.sign_in("cpc-officer").status_code == 303
    listed = browser.get("/pages/subjects")
    assert listed.status_code == 200 and "People the records are about or by" in listed.text
    start = browser.get("/pages/subjects", subject_id="S-WEB-1")
    assert start.status_code == 303
    form = "/pages/subjects/S-WEB-1/steps/register-subject"
    assert start.headers["location"] == form
    fields = {"record-version": "0", "subject_id": "S-WEB-1", "category": "parent_carer",
              "name": "Morag Webster", "other_names": "Morag Flett\nMo Webster"}  # fmt: skip
    done = browser.post(form, fields, token_from=form)
    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith("/pages/subjects/S-WEB-1?recorded=register-subject")
    shown = browser.get(done.headers["location"]).text
    assert "recorded and signed" in shown and "Morag Webster" in shown and "Mo Webster" in shown

    amend = "/pages/subjects/S-WEB-1/steps/amend-subject-identifiers"
    fields = {"record-version": "1", "subject_id": "S-WEB-1", "reason": "Moved to Stromness",
              "addresses": "4 Victoria Street, Stromness", "dates_of_birth": "1990-02-03"}  # fmt: skip
    done = browser.post(amend, fields, token_from=amend)
    assert done.status_code == 303, done.text
    shown = browser.get("/pages/subjects/S-WEB-1").text
    # Left empty, the other names stay as they were; the lists given replace theirs.
    assert "4 Victoria Street, Stromness" in shown and "Morag Flett" in shown and "1990-02-03" in shown
    app = site.application()
    try:
        reads = [r for r in reads_by(app, "cpc-officer") if r.record == "subject-S-WEB-1"]
        assert reads and {r.purpose for r in reads} == {"register"}
    finally:
        app.close()


def test_a_person_not_keeping_the_register_sees_ids_only_and_is_refused_identifiers(
    browser: Browser, site: Site
) -> None:
    assert browser.sign_in("cog-chair").status_code == 303
    listed = browser.get("/pages/subjects")
    assert listed.status_code == 200
    assert "S-NLR1-CHILD" in listed.text
    app = site.application()
    try:
        assert [r for r in reads_by(app, "cog-chair") if r.record.startswith("subject-")] == []
    finally:
        app.close()
    refused = browser.get("/pages/subjects/S-NLR1-CHILD")
    assert refused.status_code == 403
    assert "can only be read by a person who may keep the register" in refused.text
    assert "People" not in browser.get("/pages/reviews").text.split("<main")[0]


def test_a_bad_id_is_shown_in_the_error_summary(browser: Browser) -> None:
    assert browser.sign_in("cpc-officer").status_code == 303
    bad = browser.get("/pages/subjects", subject_id="child one")
    assert bad.status_code == 400
    assert "govuk-error-summary" in bad.text and "must look like S-xxxx" in bad.text
