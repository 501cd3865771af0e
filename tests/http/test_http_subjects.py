"""The register of data subjects over HTTP: registered, amended, listed and shown as the command line does."""

from __future__ import annotations

from tests.http.api_support import Api


def test_a_subject_is_registered_amended_and_read_only_by_those_who_keep_the_register(api: Api) -> None:
    officer, cog = api.as_("cpc-officer"), api.as_("cog-chair")
    created = officer.post(
        "/subjects", json={"subject_id": "S-API-1", "category": "parent_carer", "name": "Dawn Rendall"}
    )
    assert created.status_code == 201, created.text
    amended = officer.post(
        "/subjects/S-API-1/amendments",
        json={"subject_id": "S-API-1", "reason": "Remarried", "other_names": ["Dawn Sinclair"]},
    )
    assert amended.status_code == 201, amended.text
    assert amended.json() == {"subject_id": "S-API-1", "record": "subject-S-API-1", "version": 2}
    shown = officer.get("/subjects/S-API-1")
    assert shown.status_code == 200
    assert (shown.json()["name"], shown.json()["other_names"], shown.json()["amendments"]) == (
        "Dawn Rendall",
        ["Dawn Sinclair"],
        1,
    )
    listed = cog.get("/subjects").json()
    assert [(e["subject_id"], e["name"]) for e in listed] == [("S-API-1", None)]
    refused = cog.get("/subjects/S-API-1")
    assert refused.status_code == 403 and "Dawn" not in refused.text
    mismatch = officer.post(
        "/subjects/S-API-1/amendments", json={"subject_id": "S-API-2", "reason": "r", "name": "X"}
    )
    assert mismatch.status_code == 400 and "subject_id" in mismatch.text
    missing = officer.post(
        "/subjects/S-API-9/amendments", json={"subject_id": "S-API-9", "reason": "r", "name": "X"}
    )
    assert missing.status_code == 404
