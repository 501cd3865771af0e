"""An information-governance officer reads a review's personal data only for a request in progress that covers it.

The demonstration leaves FOI-2026-001 open with LR-2026-001 in its scope, and SAR-2026-001
closed. Each read, granted or refused, is in the access log with the request it named.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.http.api_support import Api, demo_store, serving


@pytest.fixture
def demo_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Api]:
    with serving(f"sqlite:///{tmp_path}/store.db", tmp_path, prepare=demo_store) as found:
        capsys.readouterr()  # the demo's own narration
        yield found


def read_for(
    api: Api, actor: str, request: str, reference: str = "LR-2026-001"
) -> tuple[int, dict[str, object]]:
    response = api.as_(actor).get(
        f"/reviews/{reference}/history",
        params={"personal": "true", "purpose": "ig-request", "request": request},
    )
    return response.status_code, response.json()


@pytest.mark.slow
def test_reads_for_a_request_are_allowed_only_while_it_is_in_progress_and_covers_the_record(
    demo_api: Api,
) -> None:
    status, body = read_for(demo_api, "ig-officer", "FOI-2026-001")
    assert status == 200 and body["personal"] is True
    status, body = read_for(demo_api, "ig-officer", "SAR-2026-001")  # closed
    assert status == 403
    assert body["message"] == (
        "LR-2026-001: personal data is read for an information-governance request only while the request is "
        "in progress and has this record in its scope; SAR-2026-001 is closed"
    )
    assert read_for(demo_api, "ig-officer", "FOI-2026-001", "MLR-2026-001")[0] == 403  # not in its scope
    assert read_for(demo_api, "ig-officer", "NO-SUCH-REQUEST")[0] == 403
    assert read_for(demo_api, "cpc-officer", "FOI-2026-001")[0] == 403  # not an IG officer
    log = demo_api.as_("inspector").get("/access-log", params={"limit": 5}).json()
    assert [(e["actor"], e["record"], e["ig_request"], e["granted"]) for e in log] == [
        ("cpc-officer", "LR-2026-001", "FOI-2026-001", False),
        ("ig-officer", "LR-2026-001", "NO-SUCH-REQUEST", False),
        ("ig-officer", "MLR-2026-001", "FOI-2026-001", False),
        ("ig-officer", "LR-2026-001", "SAR-2026-001", False),
        ("ig-officer", "LR-2026-001", "FOI-2026-001", True),
    ]
