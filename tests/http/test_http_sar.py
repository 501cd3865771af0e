"""A subject access request's steps over the API, releasing an item in part among them.

An IG officer opens Dawn Rendall's new request, verifies her, records the search, collates the
family liaison strategy (it names her other daughter, Skye) and releases it in part: the file
then counts one item, none withheld, one given in part, as the command line and the pages do.
Only an IG officer reads the file's counts, and the refusal is in the access log.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.demo.national_script import MOTHER, SISTER
from domain.routes.national.events import FamilyLiaisonStrategyAgreed
from tests.http.api_support import Api, demo_store, serving

REF = "SAR-API-1"


@pytest.fixture
def demo_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Api]:
    with serving(f"sqlite:///{tmp_path}/store.db", tmp_path, prepare=demo_store) as found:
        capsys.readouterr()  # the demo's own narration
        yield found


@pytest.mark.slow
def test_an_item_is_released_in_part_over_the_api_and_the_file_counts_items(demo_api: Api) -> None:
    demo_api.clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    officer = demo_api.as_("ig-officer")
    app = demo_api.application()
    try:  # the family liaison strategy's item, found by the step that records it
        [version] = [
            r.version
            for r in app.ledger.read("LR-2026-001")
            if isinstance(r.event, FamilyLiaisonStrategyAgreed)
        ]
    finally:
        app.close()
    strategy = f"LR-2026-001@{version}/strategy"
    steps = [
        (
            "receive-subject-access-request",
            {
                "received_on": "2026-12-01",
                "channel": "email",
                "requester_id": MOTHER,
                "subject_id": MOTHER,
                "capacity": "data_subject",
                "requester_name": "Dawn Rendall",
                "request": "The liaison strategy.",
            },
        ),
        ("verify-identity", {"verified_on": "2026-12-01", "check": "known_to_service"}),
        (
            "record-search",
            {"searched_on": "2026-12-02", "records": [{"record": "LR-2026-001", "what": "all"}]},
        ),
        (
            "collate-items",
            {
                "collated_on": "2026-12-02",
                "items": [{"item_id": strategy, "record": "LR-2026-001", "third_parties": [SISTER]}],
            },
        ),
        ("release-item-in-part", {"item_id": strategy, "reasons": "Her own family's plan; Skye is marked."}),
    ]
    for version, (name, body) in enumerate(steps, start=1):
        response = officer.post(f"/requests/sar/{REF}/steps/{name}", json=body)
        assert (response.status_code, response.json()) == (
            201,
            {"reference": REF, "step": name, "version": version},
        )
    shown = officer.get(f"/requests/sar/{REF}")
    assert shown.status_code == 200
    # The item, and the review's three documents about her, withheld while nobody has decided on them.
    assert (shown.json()["counts"], shown.json()["items"], shown.json()["withheld"]) == (
        "4 items, 3 withheld, 1 given in part",
        4,
        3,
    )
    again = officer.post(f"/requests/sar/{REF}/steps/release-item-in-part", json=steps[-1][1])
    assert again.status_code == 422
    assert again.json()["message"] == (
        f"sar-{REF}: {strategy} is already released in part (DPA 2018 Sch. 2 Pt. 3 para 16: other people's data)"
    )
    refused = demo_api.as_("cpc-officer").get(f"/requests/sar/{REF}")
    assert refused.status_code == 403
    [last] = demo_api.as_("inspector").get("/access-log", params={"limit": 1}).json()
    assert (last["actor"], last["record"], last["ig_request"], last["granted"]) == (
        "cpc-officer",
        f"sar-{REF}",
        REF,
        False,
    )
    # Sending is never a typed digest: the API has no generic send-response step, so nothing is marked sent.
    typed = {
        "sent_on": "2026-12-03",
        "sha256": "0" * 64,
        "size_bytes": 1,
        "pack_format": "html",
        "delivery": "email",
        "contents": [],
    }
    assert officer.post(f"/requests/sar/{REF}/steps/send-response", json=typed).status_code in (404, 405)
    assert officer.get(f"/requests/sar/{REF}").json()["sent_on"] is None
