"""The pages' downloads pass the last check: an FOI response holding a registered identifier is refused.

The store is the demonstration's, with a child registered with her school and a report version as
first recorded, whose strategy names that school in plain text (tests/integration/test_disclosure.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.test_disclosure import (
    register_a_school_and_draft_a_first_form_report,
    request_the_report,
)
from tests.web.support import Browser, Site, serving_pages

REFERENCE = "FOI-2026-401"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving_pages(tmp_path_factory.mktemp("downloads")) as found:
        app = found.application()
        try:
            register_a_school_and_draft_a_first_form_report(app)
            request_the_report(app, REFERENCE)
        finally:
            app.close()
        yield found


@pytest.fixture
def browser(site: Site) -> Iterator[Browser]:
    b = Browser(site.url)
    try:
        assert b.sign_in("ig-officer").status_code == 303
        yield b
    finally:
        b.close()


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_a_draft_response_naming_a_registered_school_is_not_downloaded(browser: Browser, fmt: str) -> None:
    response = browser.get(f"/pages/requests/foi/{REFERENCE}/response/{fmt}")
    assert response.status_code == 422
    assert "content-disposition" not in response.headers
    assert (
        f"{REFERENCE}: the FOI response holds a registered school of a data subject "
        "(in LR-2026-001/report: strategies 1: responsible); nothing was written"
    ) in response.text.replace("&#x27;", "'")
    assert "Papdale" not in response.text


def test_the_checkpoint_and_a_response_without_identifiers_are_downloaded(browser: Browser) -> None:
    checkpoint = browser.get("/pages/integrity/checkpoint")
    assert checkpoint.status_code == 200
    assert checkpoint.headers["content-disposition"] == 'attachment; filename="checkpoint.txt"'
    sent = browser.get("/pages/requests/foi/FOI-2026-001/response/json")
    assert sent.status_code == 200 and sent.json()["reference"] == "FOI-2026-001"
