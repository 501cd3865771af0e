"""What every answer carries and what every body is held to: security headers, a nesting limit, text without hidden characters."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.http.guard import MAX_DEPTH, RESPONSE_HEADERS, nests_deeper_than
from domain.kernel.text import MAX_TEXT_LENGTH
from tests.http.api_support import NATIONAL_PEOPLE, Api, serving

STEP = "/reviews/national/LR-2026-001/steps"


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    with serving(db_url, tmp_path, people=NATIONAL_PEOPLE) as found:
        yield found


def test_every_api_answer_is_kept_out_of_caches_and_not_sniffed(api: Api) -> None:
    client = api.as_("inspector")
    answers = [
        client.get("/reviews"),  # personal data may be in a listing
        client.get("/sessions/current"),
        client.get("/reviews/LR-2099-404/history"),  # an error
        api.anonymous().get("/reviews"),  # not signed in
        api.anonymous().get("/no/such/path"),
        api.sign_in("inspector", "a wrong password, this"),
        api.sign_in("inspector"),
    ]
    for answer in answers:
        assert answer.status_code < 500, answer.text
        assert answer.headers["Cache-Control"] == "no-store", answer.request.url
        assert answer.headers["X-Content-Type-Options"] == "nosniff", answer.request.url
        assert answer.headers["X-Frame-Options"] == "DENY", answer.request.url
        assert answer.headers["Content-Security-Policy"] == RESPONSE_HEADERS["Content-Security-Policy"]
    # A page keeps its own policy (it loads its own scripts and styles); the headers are still there.
    page = api.anonymous().get("/pages/sign-in")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store" and page.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 50_000])
def test_a_deeply_nested_body_is_refused_naming_the_rule(api: Api, levels: int) -> None:
    client = api.as_("cpc-officer")
    for body in (b"[" * levels + b"]" * levels, b'{"a":' * levels + b"1" + b"}" * levels):
        response = client.post(
            f"{STEP}/pause-review", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        rule = f"must not nest arrays or objects more than {MAX_DEPTH} deep"
        assert response.json() == {
            "error": "invalid_input",
            "message": f"body: {rule}",
            "field": "body",
            "rule": rule,
            "request_id": response.headers["X-Request-ID"],
        }
        assert response.headers["Cache-Control"] == "no-store"
    # Brackets inside strings are text, not nesting.
    quoted = client.post(f"{STEP}/decide-to-proceed", json={"decided_on": "2026-02-02", "basis": "[" * 500})
    assert quoted.status_code != 400 or quoted.json()["field"] != "body", quoted.text


@pytest.mark.parametrize(("char", "code"), [("\u202e", "U+202E"), ("\x00", "U+0000"), ("\u200b", "U+200B")])
def test_text_with_hidden_characters_is_refused_naming_the_field(api: Api, char: str, code: str) -> None:
    subject = {"subject_id": "S-HIDDEN1", "category": "child", "name": f"Lena{char}Moss"}
    response = api.as_("cpc-officer").post("/subjects", json=subject)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["field"] == "name"
    assert body["rule"] == (
        f"must not contain control characters, NUL, bidirectional controls or zero-width characters (found {code})"
    )
    assert "Lena" not in response.text  # the value is never echoed
    nested = api.as_("cpc-officer").post(
        f"{STEP}/receive-notification",
        json={
            "subject_group": "child",
            "received_on": "2026-01-05",
            "subject": {"subject_id": "S-1", "name": "x", "date_of_birth": "2016-03-09"},
            "notifier": {"subject_id": "S-2", "name": "x", "agency": f"Police{char}"},
            "reasons": "x",
        },
    )
    assert nested.status_code == 400 and nested.json()["field"] == "notifier.agency"


def test_the_nesting_limit_counts_brackets_outside_strings_only_and_quickly() -> None:
    at_limit = b'{"a":' * (MAX_DEPTH - 1) + b"[1]" + b"}" * (MAX_DEPTH - 1)
    assert not nests_deeper_than(at_limit, MAX_DEPTH)
    assert nests_deeper_than(b"[" + at_limit + b"]", MAX_DEPTH)
    # Brackets and escaped quotes inside strings are text.
    assert not nests_deeper_than(b'{"basis": "' + b"[" * 500 + b'\\"' + b"{" * 500 + b'"}', MAX_DEPTH)
    assert not nests_deeper_than(b'["a\\\\", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]', MAX_DEPTH)
    # Arrays opened and never closed are as deep as they go.
    assert nests_deeper_than(b"[" * (MAX_DEPTH + 1), MAX_DEPTH)
    assert not nests_deeper_than(b"[]" * 500_000, MAX_DEPTH)
    # A megabyte built to make a scanner backtrack is checked in well under a second.
    started = time.perf_counter()
    assert not nests_deeper_than(b'"\\' * 500_000, MAX_DEPTH)
    assert not nests_deeper_than(b'"' * 1_000_000, MAX_DEPTH)
    assert time.perf_counter() - started < 1.0


def test_a_text_over_the_size_limit_is_refused_naming_the_field_and_the_rule(api: Api) -> None:
    body = {"subject_id": "S-LONG1", "category": "child", "name": "x" * (MAX_TEXT_LENGTH + 1)}
    response = api.as_("cpc-officer").post("/subjects", json=body)
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["rule"]) == (
        "name",
        "must be at most 100,000 characters",
    )
