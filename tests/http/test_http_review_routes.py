"""End to end over HTTP: every route of the demonstration taken step by step through a real server.

Each person signs in with their own password and records their own steps; the server signs
each with that person's key. The steps the procedure refuses are refused over HTTP too, with
nothing recorded. Then the COG reads the decision trail, the review's team reads its personal
data for the review, the COG reads the bases of its decisions, an agency contact is refused (and
the refusal is in the access log), an inspector verifies the whole log and takes the checkpoint.
"""

from __future__ import annotations

import importlib

import pytest

from adapters.demo import SCRIPTS, START
from domain.governance.subjects import DataSubject
from tests.http.api_support import Api, record_steps, register_subjects


@pytest.mark.slow
def test_every_route_of_the_demonstration_is_recorded_over_http_and_read_back(api: Api) -> None:
    scripts = [importlib.import_module(name) for name in SCRIPTS]
    for script in scripts:
        register_subjects(api, script)
    versions: dict[str, int] = {}
    for script in scripts:
        versions |= record_steps(api, script.steps(START))
    assert set(versions) == {
        "LR-2026-001",
        "ASP-2026-001",
        "MLR-2026-001",
        "LIP-2026-001",
        "LIP-2026-002",
        "SALR-2026-001",
    }

    # Every review is listed at the version its steps reached.
    listed = api.as_("inspector").get("/reviews").json()
    assert {r["reference"]: r["version"] for r in listed} == versions

    # The COG reads the decision trail: who decided what, in which role, each signature checked.
    trail = api.as_("cog-chair").get("/reviews/LR-2026-001/trail")
    assert trail.status_code == 200, trail.text
    decisions = trail.json()
    assert any(d["role"] == "cpc" and d["kind"] == "decision" for d in decisions)
    assert all(d["signature"].startswith("verified: signed by ") for d in decisions)
    # ... as it stood on a past date, too.
    early = api.as_("cog-chair").get("/reviews/LR-2026-001/trail", params={"as_at": "2026-01-31"})
    assert early.status_code == 200 and len(early.json()) < len(decisions)

    # The review's team reads its personal data for the review; each step was signed by its person.
    history = api.as_("cpc-officer").get(
        "/reviews/LR-2026-001/history", params={"personal": "true", "purpose": "review"}
    )
    assert history.status_code == 200, history.text
    events = history.json()["events"]
    assert len(events) == versions["LR-2026-001"]
    assert events[0]["actor"] == "cpc-officer"
    assert events[0]["event"]["subject"]["name"]["value"]  # unsealed for the team
    # Without asking for personal data, the same history has none.
    plain = api.as_("cpc-officer").get("/reviews/LR-2026-001/history").json()["events"]
    assert plain[0]["event"]["subject"]["name"]["value"] is None

    # The COG reads the bases of the decisions, and no other personal value of the review.
    cog = api.as_("cog-chair").get(
        "/reviews/LR-2026-001/history", params={"personal": "true", "purpose": "review"}
    )
    assert cog.status_code == 200, cog.text
    cog_events = {e["type"]: e["event"] for e in cog.json()["events"]}
    assert cog_events["national.notification-received"]["subject"]["name"]["value"] is None
    assert cog_events["national.decision-to-proceed-recorded"]["basis"]["value"]
    # An agency contact, on no review's team, is refused it, and the refusal is in the access log.
    refused = api.as_("agency-contact").get(
        "/reviews/LR-2026-001/history", params={"personal": "true", "purpose": "review"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "not_authorised"
    assert refused.json()["rule"].startswith("DOMAIN.md §1.1, need to know: ")
    log = api.as_("ig-officer").get("/access-log", params={"record": "LR-2026-001"}).json()
    assert [(e["actor"], e["view"], e["purpose"], e["granted"]) for e in log] == [
        ("agency-contact", "personal", "review", False),
        ("cog-chair", "personal", "review", True),
        ("cpc-officer", "personal", "review", True),
    ]

    # An inspector verifies the whole log and takes the checkpoint.
    verified = api.as_("inspector").get("/log/verify").json()
    assert verified["intact"] is True and verified["failures"] == []
    checkpoint = api.as_("inspector").get("/log/checkpoint")
    assert checkpoint.headers["content-type"].startswith("text/plain")
    assert checkpoint.text.splitlines()[:2] == ["reviewledger.test/api", str(verified["tree_size"])]
    assert api.as_("inspector").get("/log/key").text.startswith("reviewledger.test/api+")

    # The records were signed by the people who signed in, at the server's time.
    app = api.application()
    try:
        stored = app.ledger.read("LR-2026-001")
        assert {r.actor for r in stored} >= {"cpc-officer", "cpc-chair", "cog-chair", "reviewer"}
        assert all(r.time >= START for r in stored)
        assert app.ledger.read("subject-S-NLR1-CHILD")[0].event.__class__.__name__ == "SubjectRegistered"
        assert DataSubject.kind == "data subject"
    finally:
        app.close()
