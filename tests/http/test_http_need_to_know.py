"""Need to know through the API: every role × record × relation, expected from the table, on each backend.

One review of each route is recorded as the demonstration records it, up to the appointment of
its team; then people are appointed to each team (and some released), an FOI request is opened
with the national review in its scope, and a person holding each role alone, appointed to
nothing, is signed up. Each asks for each review's personal data for each purpose. What the
answer must be is read from the table in `domain/governance/need_to_know.py` (its committees, the COG's
routes, the parts), never from the decision function: 200 with the personal values, or 403
naming the rule; every refusal is in the access log.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest

from adapters.app import users
from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.demo import SCRIPTS, START
from adapters.demo.cast import CastMember
from adapters.governance.foi import requests as foi
from adapters.governance.sar import requests as sar
from domain.governance.foi.steps import FoiChannel, ReceiveFoiRequest
from domain.governance.ig_handling import AssignOfficers
from domain.governance.need_to_know import COG_ROUTES, COMMITTEES, Part, rule_text
from domain.governance.sar.steps import (
    Capacity,
    CloseOutcome,
    CloseSubjectAccessRequest,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
)
from domain.governance.subjects import DataSubject, subject_stream
from domain.kernel.command import Command, command_name
from domain.kernel.roles import Role
from domain.routes.mini.commands import AppointReviewTeam, ChangeReviewTeam, TeamMemberAnswers
from domain.routes.mini.commands import TeamRole as MiniTeamRole
from domain.routes.national.commands import AppointTeamMember, ReleaseTeamMember
from domain.routes.national.forms import PractitionerDetails, TeamRole
from domain.routes.panel.commands import AppointTeamMember as AppointPanelMember
from domain.routes.panel.commands import PanelTeamRole
from domain.routes.panel.commands import ReleaseTeamMember as ReleasePanelMember
from domain.routes.panel.forms import RecordPanelConclusion
from domain.routes.registry import ROUTES
from domain.routes.single_agency.commands import ChangeLeadReviewer, DecideToProceed
from tests.http.api_support import CHEAP, PASSWORD, Api, ThreadSafeClock, serving, set_up_store
from tests.web.support import Browser

REVIEWS = {
    "national": "LR-2026-001",
    "mini": "MLR-2026-001",
    "panel": "LIP-2026-001",
    "single": "SALR-2026-001",
}
#: Where each review's demonstration history is cut: once its team is appointed, still open.
CUT: dict[str, type[Command]] = {
    "national": AppointTeamMember,
    "mini": AppointReviewTeam,
    "panel": RecordPanelConclusion,
    "single": DecideToProceed,
}
API_ROUTE = {"national": "national", "mini": "mini", "panel": "panel", "single": "single-agency"}
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
FOI_REF = "FOI-2026-900"
ROLE_PEOPLE = {role: f"only-{role.value.replace('_', '-')}" for role in Role}


def appointed(route: str) -> str:
    return f"appointed-{route}"


def released(route: str) -> str:
    return f"released-{route}"


def _cut(route: str) -> list[Any]:
    """The route's demonstration steps for its review, up to the appointment of its team."""
    steps = [
        s
        for name in SCRIPTS
        for s in importlib.import_module(name).steps(START)
        if s.reference == REVIEWS[route] and not s.refused
    ]
    cut = CUT[route]
    # On the national review, the reviewer is the last of the three appointed (the one with an actor id).
    last = next(
        i
        for i, s in enumerate(steps)
        if isinstance(s.command, cut) and (not isinstance(s.command, AppointTeamMember) or s.command.actor_id)
    )
    return steps[: last + 1]


def _prepare(settings: Settings, clock: ThreadSafeClock) -> None:
    set_up_store(settings.db_url, settings.kek_file, clock)
    app = Application(settings.db_url, settings.kek_file, clock=clock)
    try:
        extra = [
            CastMember(actor_id=actor, name=f"Person {actor}", roles=(role,))
            for role, actor in ROLE_PEOPLE.items()
        ]
        extra += [
            CastMember(actor_id=who(route), name=f"Person {who(route)}", roles=(Role.AGENCY_CONTACT,))
            for route in REVIEWS
            for who in (appointed, released)
        ]
        for member in extra:
            app.register_person("admin", member.actor_id, member.name, member.roles)
            users.add_account(app, "admin", member.actor_id, PASSWORD, cost=CHEAP)
        for name in SCRIPTS:
            for subject in importlib.import_module(name).SUBJECTS:
                app.execute(DataSubject, subject_stream(subject.subject_id), "cpc-officer", subject)
        for route in REVIEWS:
            steps = _cut(route)
            for step in steps:
                clock.set(step.at)
                app.execute(step.record_type, step.reference, step.actor, step.command)
            clock.set(steps[-1].at + timedelta(hours=1))
            for actor, command in _appointments(route, clock.now().date()):
                app.execute(ROUTES[API_ROUTE[route]], REVIEWS[route], actor, command)
        clock.set(NOW)
        foi.open_request(
            app,
            FOI_REF,
            "ig-officer",
            ReceiveFoiRequest(
                received_on=NOW.date(),
                channel=FoiChannel.EMAIL,
                requester_id="S-FOI-REQUESTER",
                requester_name="Sam Petrie",
                address_for_correspondence="sam.petrie@example.org",
                information_requested="The decision trail of the learning review.",
            ),
        )
        foi.identify_parts(app, FOI_REF, "ig-officer", REVIEWS["national"], ["decision-trail"], NOW.date())
        _ig_requests(app)
    finally:
        app.close()


#: The requests the IG rows are asked about: who handles each, whether it is open. Each has the
#: national review in its scope, and its own file; nothing else.
SAR_CLOSED, SAR_ASSIGNED = "SAR-2026-902", "SAR-2026-903"
HANDLERS = {FOI_REF: "ig-officer", SAR_CLOSED: "ig-officer", SAR_ASSIGNED: "ig-officer-2"}
OPEN = {FOI_REF: True, SAR_CLOSED: False, SAR_ASSIGNED: True}
IG_READERS = ("ig-officer", "ig-officer-2", ROLE_PEOPLE[Role.IG_OFFICER], ROLE_PEOPLE[Role.CPC_OFFICER])


def _ig_requests(app: Application) -> None:
    """Two subject access requests opened by `ig-officer`, the national review searched: one closed
    (withdrawn), one passed on to `ig-officer-2`."""
    for reference in (SAR_CLOSED, SAR_ASSIGNED):
        sar.open_request(
            app,
            reference,
            "ig-officer",
            ReceiveSubjectAccessRequest(
                received_on=NOW.date(),
                channel=RequestChannel.EMAIL,
                requester_id="S-SAR-REQUESTER",
                subject_id="S-SAR-REQUESTER",
                capacity=Capacity.DATA_SUBJECT,
                requester_name="Robin Dunbar",
                request="Everything you hold about me.",
            ),
        )
        search = SearchAnswers(record=REVIEWS["national"], what="every item about the requester")
        sar.step(app, reference, "ig-officer", RecordSearch(searched_on=NOW.date(), records=(search,)))
    closed = CloseSubjectAccessRequest(closed_on=NOW.date(), outcome=CloseOutcome.WITHDRAWN)
    sar.step(app, SAR_CLOSED, "ig-officer", closed)
    passed_on = AssignOfficers(officers=("ig-officer-2",), reason="Passed on for the holidays.")
    sar.step(app, SAR_ASSIGNED, "ig-officer", passed_on)


def _appointments(route: str, on: date) -> list[tuple[str, Command]]:
    """The steps that put `appointed-<route>` and `released-<route>` on the review's team."""
    if route == "national":
        return [
            (
                "cpc-officer",
                AppointTeamMember(
                    member=PractitionerDetails(
                        subject_id=f"S-NTK-{who}", name=f"Member {who}", agency="Health"
                    ),
                    team_role=TeamRole.MEMBER,
                    appointed_on=on,
                    direct_involvement=False,
                    declaration="No involvement.",
                    actor_id=who,
                ),
            )
            for who in (appointed(route), released(route))
        ]
    if route == "mini":
        joining = tuple(
            TeamMemberAnswers(
                subject_id=f"S-NTK-{who}",
                name=f"Member {who}",
                service="Health",
                team_role=MiniTeamRole.MEMBER,
                has_conflict=False,
                declaration="None.",
                actor_id=who,
            )
            for who in (appointed(route), released(route))
        )
        return [("partnership-lead", ChangeReviewTeam(changed_on=on, joining=joining, reason="Two more."))]
    if route == "panel":
        return [
            (
                "head-safeguarding",
                AppointPanelMember(actor_id=who, team_role=PanelTeamRole.MEMBER, appointed_on=on),
            )
            for who in (appointed(route), released(route))
        ]
    # single-agency: the CFCIG replaces the lead reviewer with `released-single`, who is then replaced in turn.
    return [("cfcig-chair", ChangeLeadReviewer(lead_reviewer=released(route), changed_on=on))]


def _release(api: Api, route: str) -> None:
    """Release `released-<route>` from the review's team, as the route's own step, over the API."""
    on = NOW.date()
    actor, command = {
        "national": (
            "cpc-officer",
            ReleaseTeamMember(member_id=f"S-NTK-{released(route)}", released_on=on, reason="Moved."),
        ),
        "mini": (
            "partnership-lead",
            ChangeReviewTeam(changed_on=on, leaving=(f"S-NTK-{released(route)}",), reason="Moved."),
        ),
        "panel": ("head-safeguarding", ReleasePanelMember(actor_id=released(route), released_on=on)),
        "single": ("cfcig-chair", ChangeLeadReviewer(lead_reviewer=appointed(route), changed_on=on)),
    }[route]
    response = api.as_(actor).post(
        f"/reviews/{API_ROUTE[route]}/{REVIEWS[route]}/steps/{command_name(type(command))}",
        content=msgspec.json.encode(command),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    with serving(db_url, tmp_path, prepare=_prepare) as found:
        found.clock.set(NOW + timedelta(hours=1))
        yield found


def read(
    api: Api, actor: str, route: str, purpose: str, request: str = FOI_REF
) -> tuple[int, dict[str, Any]]:
    params = {"personal": "true", "purpose": purpose}
    if purpose == "ig-request":
        params["request"] = request
    response = api.as_(actor).get(f"/reviews/{REVIEWS[route]}/history", params=params)
    return response.status_code, response.json()


def expected(role: Role, route: str, purpose: str) -> Part:
    """What the table gives a person holding `role` alone, appointed to nothing, for `purpose`."""
    if purpose == "inspection":
        return Part.INSPECTION if role is Role.INSPECTOR else Part.NONE
    if purpose == "ig-request":
        return Part.NONE  # the request is handled by another officer (ig-officer), not by them
    if role in COMMITTEES[route]:
        return Part.COMMITTEE
    if role is Role.COG and route in COG_ROUTES:
        return Part.COG
    return Part.NONE


REFUSED_RULE = {"review": Part.TEAM, "inspection": Part.INSPECTION, "ig-request": Part.IG_REQUEST}


@pytest.mark.slow
def test_every_role_on_every_route_for_every_purpose_gets_what_the_table_gives(api: Api) -> None:
    refusals: dict[str, int] = dict.fromkeys(REVIEWS.values(), 0)
    for role, actor in ROLE_PEOPLE.items():
        for route in REVIEWS:
            for purpose in ("review", "inspection", "ig-request"):
                status, body = read(api, actor, route, purpose)
                part = expected(role, route, purpose)
                where = (role.value, route, purpose)
                if part is Part.NONE:
                    assert status == 403, (where, body)
                    assert body["error"] == "not_authorised"
                    assert body["rule"] == rule_text(REFUSED_RULE[purpose]), where
                    assert body["message"].startswith(f"{REVIEWS[route]}: "), where
                    refusals[REVIEWS[route]] += 1
                    continue
                assert status == 200, (where, body)
                assert body["personal"] is True
                values = _values(body["events"])
                if part is Part.COG:
                    # The bases of decisions, and nothing else of the record's personal data.
                    assert values and all(path.split("/")[1] in _basis_fields() for path in values), where
                else:
                    assert len(values) > len(_values(body["events"], basis_only=True)), where
    for reference, count in refusals.items():
        log = api.as_("inspector").get("/access-log", params={"record": reference, "limit": 1000}).json()
        assert sum(1 for e in log if not e["granted"]) == count, reference


@pytest.mark.slow
def test_a_person_appointed_reads_and_once_released_is_refused_on_every_route(api: Api) -> None:
    for route in REVIEWS:
        # On the single-agency review, `appointed-single` becomes the lead reviewer by the change that releases the other.
        assert read(api, appointed(route), route, "review")[0] == (403 if route == "single" else 200), route
        assert read(api, released(route), route, "review")[0] == 200, route  # appointed: can read
        for other in REVIEWS:
            if other != route:
                status, body = read(api, appointed(route), other, "review")
                assert status == 403 and body["rule"] == rule_text(Part.TEAM), (route, other)
        _release(api, route)
        status, body = read(api, released(route), route, "review")  # released: cannot
        assert status == 403, (route, body)
        assert body["message"] == (
            f"{REVIEWS[route]}: personal data for the purpose review is refused to {released(route)}: "
            f"their part on the review's team ended on {NOW.date().isoformat()}"
        )
        assert read(api, appointed(route), route, "review")[0] == 200, route


def expected_ig(actor: str, request: str, route: str) -> str | None:
    """What the IG rows of the table give `actor` reading `route`'s review for `request`: None for a
    read granted, else the end of the refusal's message (the relation that is missing)."""
    if actor not in HANDLERS.values():  # neither officer: an IG officer alone, a CPC officer
        holds = actor == ROLE_PEOPLE[Role.IG_OFFICER]
        return (
            f"they are not handling {request}" if holds else "they are not an information-governance officer"
        )
    if HANDLERS[request] != actor:
        return f"they are not handling {request}"
    if route != "national":
        return f"{REVIEWS[route]} is not in the scope of {request}"
    return None if OPEN[request] else f"{request} is closed"


@pytest.mark.slow
def test_only_the_ig_officer_handling_an_open_request_reads_the_records_in_its_scope(api: Api) -> None:
    """Handling or not × in scope or not × open or closed, each through the API, each refusal logged."""
    refusals: dict[str, int] = dict.fromkeys(REVIEWS.values(), 0)
    granted = 0
    for actor in IG_READERS:
        for request in HANDLERS:
            for route in REVIEWS:
                status, body = read(api, actor, route, "ig-request", request)
                why = expected_ig(actor, request, route)
                where = (actor, request, route)
                if why is None:
                    assert status == 200 and body["personal"] is True, (where, body)
                    assert _values(body["events"]), where
                    granted += 1
                    continue
                assert status == 403, (where, body)
                assert body["rule"] == rule_text(Part.IG_REQUEST), where
                assert body["message"].endswith(why), (where, body["message"])
                refusals[REVIEWS[route]] += 1
    assert granted == 2  # ig-officer for the open FOI request, ig-officer-2 for the one passed on
    for reference, count in refusals.items():
        log = api.as_("inspector").get("/access-log", params={"record": reference, "limit": 1000}).json()
        ig_refusals = [e for e in log if not e["granted"] and e["purpose"] == "ig-request"]
        assert len(ig_refusals) == count, reference


def _values(events: list[dict[str, Any]], *, basis_only: bool = False) -> list[str]:
    """The `<version>/<top-level field>/...` of every personal value present in a history."""
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if {"value", "about", "kind"} <= node.keys():
                if node["value"] is not None:
                    found.append(path)
                return
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    for event in events:
        walk(event["event"], str(event["version"]))
    return [p for p in found if not basis_only or p.split("/")[1] in _basis_fields()]


def _basis_fields() -> set[str]:
    from projections.decisions import DECISIONS

    return {field for spec in DECISIONS.values() for field in spec.basis}


@pytest.mark.slow
def test_the_personal_data_page_asks_the_same_table_and_refuses_with_a_page_naming_why(api: Api) -> None:
    member, other = Browser(api.url), Browser(api.url)
    try:
        assert member.sign_in(appointed("panel")).status_code == 303
        shown = member.get(f"/pages/reviews/{REVIEWS['panel']}/personal")
        assert shown.status_code == 200, shown.text
        assert "Personal data of LIP-2026-001" in shown.text and "withheld" not in shown.text
        assert other.sign_in(appointed("mini")).status_code == 303
        refused = other.get(f"/pages/reviews/{REVIEWS['panel']}/personal")
        assert refused.status_code == 403
        assert "You cannot do this" in refused.text
        assert (
            f"refused to {appointed('mini')}: they are not appointed to the review&#x27;s team"
            in refused.text
        )
    finally:
        member.close()
        other.close()
    log = api.as_("inspector").get("/access-log", params={"record": REVIEWS["panel"]}).json()
    assert [(e["actor"], e["view"], e["granted"]) for e in log[:2]] == [
        (appointed("mini"), "personal", False),
        (appointed("panel"), "personal", True),
    ]


def as_at(api: Api, actor: str, route: str, moment: datetime, **params: str) -> tuple[int, dict[str, Any]]:
    response = api.as_(actor).get(
        f"/reviews/{REVIEWS[route]}/history", params={"as_at": moment.isoformat(), **params}
    )
    return response.status_code, response.json()


@pytest.mark.slow
def test_as_at_a_moment_the_api_says_who_could_read_it_then_for_a_person_appointed_then_released(
    api: Api,
) -> None:
    then, later = NOW, NOW + timedelta(hours=2)  # appointed before NOW; released an hour after it
    for route in REVIEWS:
        _release(api, route)
        member, gone = appointed(route), released(route)
        # Then: on the team. Later: released, and the answer says since when.
        status, body = as_at(api, gone, route, then)
        assert status == 200 and body["personal"] is False, (route, body)
        assert body["need_to_know"]["granted"] is True and body["need_to_know"]["part"] == "team"
        assert body["as_at"] == then.isoformat().replace("+00:00", "Z")
        assert all(datetime.fromisoformat(e["time"]) <= then for e in body["events"]), route
        assert _values(body["events"]) == []  # the answer gives no personal value
        status, body = as_at(api, gone, route, later)
        assert status == 200 and body["need_to_know"]["granted"] is False
        assert body["need_to_know"]["reason"] == (
            f"their part on the review's team ended on {NOW.date().isoformat()}"
        )
        assert body["need_to_know"]["rule"] == rule_text(Part.TEAM)
        # Their personal values as they stood then are not read now: the table refuses them today.
        status, body = as_at(api, gone, route, then, personal="true", purpose="review")
        assert status == 403 and body["rule"] == rule_text(Part.TEAM), (route, body)
        # An inspector asks the same question about them, and reads the answer without any value.
        status, body = as_at(api, "inspector", route, then, reader=gone)
        assert status == 200 and body["need_to_know"]["reader"] == gone
        assert body["need_to_know"]["granted"] is True
        assert as_at(api, "inspector", route, later, reader=gone)[1]["need_to_know"]["granted"] is False
        # Someone on the team now, and then, reads the personal values as they stood then.
        status, body = as_at(api, member, route, then, personal="true", purpose="review")
        if route == "single":  # appointed-single became the lead reviewer only at the release
            assert status == 403, body
            assert body["message"].endswith(
                "they are not appointed to the review's team, nor its route's committee officer or chair"
            )
            continue
        assert status == 200 and body["personal"] is True, (route, body)
        assert body["need_to_know"]["granted"] is True and _values(body["events"])
        assert all(datetime.fromisoformat(e["time"]) <= then for e in body["events"]), route
    # Only an inspector or an administrator asks about another person.
    status, body = as_at(api, appointed("panel"), "panel", then, reader=released("panel"))
    assert status == 403 and body["error"] == "not_authorised"
    unasked = api.as_("inspector").get(f"/reviews/{REVIEWS['panel']}/history", params={"reader": "someone"})
    assert unasked.status_code == 400 and unasked.json()["field"] == "reader"
