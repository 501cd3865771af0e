"""Errors over HTTP: bad input named by field and rule, refusals, conflicts between two officers; nothing lost.

Every error is a JSON body with `error`, `message` and the request id; bad input also names
the field and the rule. No answer is a 500 or holds a stack trace, and a refused or failed
step records nothing.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from adapters.demo import START
from domain.kernel.command import command_name
from tests.http.api_support import NATIONAL_PEOPLE, Api, record_steps, register_subjects, serving

NATIONAL = importlib.import_module("adapters.demo.national")
STEP = "/reviews/national/LR-2026-001/steps"


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    """The API with only the people of a national review and its readers signed up."""
    with serving(db_url, tmp_path, people=NATIONAL_PEOPLE) as found:
        yield found


def version_of(api: Api, reference: str) -> int:
    history = api.as_("inspector").get(f"/reviews/{reference}/history")
    assert history.status_code == 200, history.text
    version: int = history.json()["version"]
    return version


def under_way(api: Api) -> tuple[int, Any]:
    """The national child review taken over HTTP up to its first emerging learning; returns that step."""
    register_subjects(api, NATIONAL)
    steps = [s for s in NATIONAL.steps(START) if s.reference == "LR-2026-001"]
    index = next(
        i for i, s in enumerate(steps) if command_name(type(s.command)) == "record-emerging-learning"
    )
    versions = record_steps(api, steps[:index])
    api.clock.set(steps[index].at)
    return versions["LR-2026-001"], steps[index].command


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"decided_on": "2026-02-02", "basis": 3}, "basis", "Expected `str`, got `int`"),
        ({"decided_on": "2026-02-30", "basis": "x"}, "decided_on", "Invalid RFC3339 encoded date"),
        ({"basis": "x"}, "decided_on", "Object missing required field `decided_on`"),
        (
            {"decided_on": "2026-02-02", "basis": "x", "extra": 1},
            "extra",
            "Object contains unknown field `extra`",
        ),
        ([], "body", "Expected `object`, got `array`"),
        (
            {"type": "close-review", "decided_on": "2026-02-02", "basis": "x"},
            "type",
            "Invalid value 'close-review'",
        ),
    ],
)
def test_a_body_that_does_not_fit_the_step_is_refused_naming_the_field_and_the_rule(
    api: Api, body: object, field: str, rule: str
) -> None:
    response = api.as_("cpc-chair").post(f"{STEP}/decide-to-proceed", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_input",
        "message": f"{field}: {rule}",
        "field": field,
        "rule": rule,
        "request_id": response.headers["X-Request-ID"],
    }


def test_nested_fields_are_named_by_their_path(api: Api) -> None:
    body = {
        "subject_group": "child",
        "received_on": "2026-01-05",
        "subject": {"subject_id": "S-1", "date_of_birth": "2016-03-09"},
        "notifier": {"subject_id": "S-2", "name": "x", "agency": "Police"},
        "reasons": "x",
    }
    response = api.as_("cpc-officer").post(f"{STEP}/receive-notification", json=body)
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["rule"]) == (
        "subject.name",
        "Object missing required field `name`",
    )


def test_malformed_json_too_large_bodies_and_unknown_paths_are_client_errors(api: Api) -> None:
    client = api.as_("cpc-officer")
    malformed = client.post(
        f"{STEP}/pause-review", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.json()["field"] == "body"
    large = client.post(f"{STEP}/pause-review", content=b"x" * (1024 * 1024 + 1))
    assert large.status_code == 400, large.text
    assert (large.json()["field"], large.json()["rule"]) == ("body", "must be at most 1048576 bytes")
    assert large.json()["message"] == "body: must be at most 1048576 bytes"
    assert client.post(f"{STEP}/no-such-step", json={}).status_code == 404
    assert client.get(f"{STEP}/pause-review").status_code == 405
    bad_reference = client.get("/reviews/not a reference/history")
    assert bad_reference.status_code == 400 and bad_reference.json()["field"] == "reference"
    missing = client.get("/reviews/LR-2099-404/history")
    assert missing.status_code == 404
    assert missing.json()["message"] == "no review with reference 'LR-2099-404'"
    bad_moment = client.get("/reviews/LR-2099-404/trail", params={"as_at": "last tuesday"})
    assert bad_moment.status_code == 400 and bad_moment.json()["field"] == "as_at"


def test_a_step_for_the_wrong_route_or_by_the_wrong_role_is_refused_and_records_nothing(api: Api) -> None:
    version, _ = under_way(api)
    wrong_route = api.as_("partnership-lead").post(
        "/reviews/mini/LR-2026-001/steps/close-mini-review", json={"closed_on": "2026-03-01", "summary": "x"}
    )
    assert wrong_route.status_code == 400
    assert wrong_route.json()["message"] == "route: LR-2026-001 is a national review, not mini"
    refused = api.as_("cog-chair").post(
        f"{STEP}/pause-review", json={"paused_on": "2026-03-01", "reason": "x"}
    )
    assert refused.status_code == 403
    assert refused.json()["message"] == (
        "LR-2026-001: pause-review can only be recorded by a person holding cpc_officer; "
        "cog-chair does not hold that role"
    )
    assert version_of(api, "LR-2026-001") == version


def test_a_step_the_procedure_refuses_now_is_422_with_the_rule(api: Api) -> None:
    version, _ = under_way(api)
    early = api.as_("cpc-chair").post(f"{STEP}/close-review", json={"closed_on": "2026-03-01"})
    assert early.status_code == 422
    body = early.json()
    assert body["error"] == "rule_violation" and body["rule"]
    assert body["message"].startswith("LR-2026-001: ")
    assert version_of(api, "LR-2026-001") == version


def test_two_officers_acting_on_the_same_version_one_is_told_to_reload_and_nothing_is_lost(api: Api) -> None:
    version, learning = under_way(api)
    body = msgspec.json.encode(learning)
    headers = {"Content-Type": "application/json", "If-Match": f'"{version}"'}
    first = api.as_("reviewer").post(f"{STEP}/record-emerging-learning", content=body, headers=headers)
    second = api.as_("cpc-officer").post(f"{STEP}/record-emerging-learning", content=body, headers=headers)
    assert first.status_code == 201 and first.headers["ETag"] == f'"{version + 1}"'
    assert second.status_code == 409
    assert second.json()["error"] == "conflict"
    assert second.json()["message"] == (
        "LR-2026-001 was changed by someone else while this step was being recorded; nothing was written: "
        "reload the record and try again"
    )
    # The second officer reloads and records it on the new version.
    retry = {**headers, "If-Match": first.headers["ETag"]}
    again = api.as_("cpc-officer").post(f"{STEP}/record-emerging-learning", content=body, headers=retry)
    assert again.status_code == 201
    assert version_of(api, "LR-2026-001") == version + 2
    unreadable = api.as_("cpc-officer").post(
        f"{STEP}/record-emerging-learning", content=body, headers={**headers, "If-Match": "soon"}
    )
    assert (unreadable.status_code, unreadable.json()["field"]) == (400, "If-Match")


def test_simultaneous_steps_on_one_review_are_each_recorded_once_or_refused_whole(api: Api) -> None:
    version, learning = under_way(api)
    body = msgspec.json.encode(learning)
    people = ["reviewer", "cpc-officer"] * 4
    clients = {person: api.as_(person) for person in set(people)}
    results: list[int] = []
    start = threading.Barrier(len(people))

    def take_step(person: str) -> None:
        start.wait()
        response = clients[person].post(
            f"{STEP}/record-emerging-learning", content=body, headers={"Content-Type": "application/json"}
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=take_step, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) <= {201, 409}, results
    assert results.count(201) >= 1
    # Every step answered 201 is in the record, each once; those answered 409 left nothing behind.
    assert version_of(api, "LR-2026-001") == version + results.count(201)
    verified = api.as_("inspector").get("/log/verify").json()
    assert verified["intact"] is True, verified["failures"]
