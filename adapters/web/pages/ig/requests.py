"""The list of information requests, and recording a new one.

The subject access and FOI lists are each paged by keyset and sorted by when received. A new
request starts from the person it concerns, chosen from the register, then its reference.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.governance import subjects
from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import foi_stream, sar_stream
from adapters.governance.sar import requests as sar
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    heading,
    hidden,
    link,
    p,
    pagination,
    summary_list,
    table,
    text_input,
)
from adapters.web.glossary import option_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import IG_ROLES, PAGES, Viewer, form, page
from adapters.web.pages.ig.shared import deadline, require, serve
from adapters.web.pages.people import results, run_search, search_form
from adapters.web.pages.steps import Redirect, form_values, valid_reference
from adapters.web.respond import html
from adapters.web.session import check_form, viewer_of
from domain.governance.subjects import check_subject_id
from domain.kernel.errors import InvalidInput

REQUEST_PAGE_SIZE = 50
_LISTS = ("sar", "foi")


def _list_choices(query: dict[str, str]) -> dict[str, str]:
    """Each list's order and place, kept only when well formed: `sar-dir`, `sar-after`, ..."""
    chosen: dict[str, str] = {}
    for kind in _LISTS:
        if query.get(f"{kind}-dir") == "desc":
            chosen[f"{kind}-dir"] = "desc"
        for edge in ("after", "before"):
            value = query.get(f"{kind}-{edge}", "")
            if value.isdigit() and len(value) <= 18:
                chosen[f"{kind}-{edge}"] = value
                break
    return chosen


def requests_href(chosen: dict[str, str]) -> str:
    return f"{PAGES}/requests" + (f"?{urlencode(chosen)}" if chosen else "")


def _moved(chosen: dict[str, str], kind: str, **place: str) -> dict[str, str]:
    """The address with this list moved (or re-sorted); the other list stays where it was."""
    kept = {k: v for k, v in chosen.items() if not k.startswith(f"{kind}-") or k == f"{kind}-dir"}
    return {**kept, **{f"{kind}-{k}": v for k, v in place.items()}}


def _received_header(chosen: dict[str, str], kind: str) -> Child:
    descending = chosen.get(f"{kind}-dir") == "desc"
    target = {k: v for k, v in chosen.items() if not k.startswith(f"{kind}-")}
    if not descending:
        target[f"{kind}-dir"] = "desc"
    state = "newest first" if descending else "oldest first"
    return el(
        "a",
        "Received",
        hidden(f" (sorted, {state}): sort by this column"),
        href=requests_href(target) + f"#{kind}-requests",
        class_="govuk-link rl-sort",
    )


def _list_pagination(
    chosen: dict[str, str], kind: str, places: list[int], earlier: bool, later: bool, what: str
) -> Html:
    def moved(edge: str, place: int) -> str:
        return requests_href(_moved(chosen, kind, **{edge: str(place)})) + f"#{kind}-requests"

    return pagination(
        moved("before", places[0]) if earlier and places else None,
        moved("after", places[-1]) if later and places else None,
        what=what,
        hint=f" page of {what}",
    )


def _place_of(chosen: dict[str, str], kind: str, edge: str) -> int | None:
    value = chosen.get(f"{kind}-{edge}")
    return int(value) if value is not None else None


def _count(total: int, shown: int, one: str, many: str) -> str:
    text = f"{total} {one if total == 1 else many}"
    return text + (f", {shown} on this page" if total > shown else "")


def _requests_page(app: Application, viewer: Viewer, query: dict[str, str]) -> Html:
    require(viewer, IG_ROLES, "the list of information requests")
    today = app.clock.now().date()
    chosen = _list_choices(query)
    sars = sar.page_requests(
        app,
        descending=chosen.get("sar-dir") == "desc",
        after=_place_of(chosen, "sar", "after"),
        before=_place_of(chosen, "sar", "before"),
        size=REQUEST_PAGE_SIZE,
    )
    fois = foi.page_requests(
        app,
        descending=chosen.get("foi-dir") == "desc",
        after=_place_of(chosen, "foi", "after"),
        before=_place_of(chosen, "foi", "before"),
        size=REQUEST_PAGE_SIZE,
    )
    body: list[Child] = [
        heading("Information requests"),
        el("h2", "Subject access requests", class_="govuk-heading-m", id="sar-requests"),
        el(
            "div",
            table(
                [
                    "Reference",
                    "Stage",
                    "Status",
                    _received_header(chosen, "sar"),
                    "Response due",
                    "Awaiting a second officer",
                ],
                [
                    (
                        link(r.reference, f"{PAGES}/requests/sar/{r.reference}"),
                        r.stage,
                        r.status,
                        str(r.received_on or ""),
                        deadline(r.due_on, today, r.status != "open"),
                        str(r.awaiting_second_officer),
                    )
                    for _, r in sars.rows
                ],
                caption=_count(
                    sars.total, len(sars.rows), "subject access request", "subject access requests"
                ),
                caption_size="s",
                numeric=(5,),
            ),
            class_="rl-table-scroll",
            role="region",
            aria_label="Subject access requests",
            tabindex="0",
        )
        if sars.rows
        else p("There are no subject access requests."),
        _list_pagination(
            chosen,
            "sar",
            [place for place, _ in sars.rows],
            sars.earlier,
            sars.later,
            "subject access requests",
        ),
        p(link("Record a new subject access request", f"{PAGES}/requests/sar/new")),
        el("h2", "Freedom of information requests", class_="govuk-heading-m", id="foi-requests"),
        el(
            "div",
            table(
                ["Reference", "Stage", "Status", _received_header(chosen, "foi"), "Response due"],
                [
                    (
                        link(r.reference, f"{PAGES}/requests/foi/{r.reference}"),
                        r.stage,
                        r.status,
                        str(r.received_on or ""),
                        deadline(r.due_on, today, r.status != "open" or "sent" in r.stage),
                    )
                    for _, r in fois.rows
                ],
                caption=_count(fois.total, len(fois.rows), "FOI request", "FOI requests"),
                caption_size="s",
            ),
            class_="rl-table-scroll",
            role="region",
            aria_label="Freedom of information requests",
            tabindex="0",
        )
        if fois.rows
        else p("There are no FOI requests."),
        _list_pagination(
            chosen, "foi", [place for place, _ in fois.rows], fois.earlier, fois.later, "FOI requests"
        ),
        p(link("Record a new FOI request", f"{PAGES}/requests/foi/new")),
    ]
    return page("Information requests", body, viewer=viewer, current="requests")


_FIRST_STEP = {"sar": "receive-subject-access-request", "foi": "receive-foi-request"}
_KIND_WORDS = {"sar": "subject access request", "foi": "FOI request"}


def new_request_page(
    app: Application,
    viewer: Viewer,
    kind: str,
    query: dict[str, str],
    searched: dict[str, str] | None = None,
) -> Html:
    """A new request: the person it concerns, chosen from a search of the register; then its
    reference; then the form of its first step, filled in with the person chosen."""
    require(viewer, IG_ROLES, f"a new {_KIND_WORDS[kind]}")
    chosen = query.get("subject_id", "").strip()
    person = _chosen_person(app, viewer, chosen) if chosen else None
    reference = query.get("reference", "").strip()
    errors: dict[str, str] = {}
    if "reference" in query and (person is not None or kind == "foi"):
        stream = (sar_stream if kind == "sar" else foi_stream)(reference) if reference else ""
        if not valid_reference(reference) or reference == "new":
            errors["reference"] = "Enter a reference of letters, digits, '.', '_' and '-', like SAR-2026-010"
        elif app.ledger.stream_version(stream):
            errors["reference"] = f"{reference} is already a request: choose another reference"
        else:
            raise Redirect(
                f"{PAGES}/requests/{kind}/{reference}/steps/{_FIRST_STEP[kind]}"
                + (f"?{urlencode(_first_step_values(kind, person))}" if person else "")
            )
    found, search_errors = run_search(app, viewer, searched) if searched is not None else (None, {})
    errors.update(search_errors)
    here = f"{PAGES}/requests/{kind}/new"
    body: list[Child] = [
        breadcrumbs([("Information requests", f"{PAGES}/requests")]),
        heading(f"Record a new {_KIND_WORDS[kind]}"),
    ]
    if person is not None:
        body += [
            summary_list(
                [
                    ("The request concerns", person.name or person.subject_id),
                    ("Date of birth", "; ".join(person.dates_of_birth) or "not recorded"),
                    ("Role in reviews", option_label(person.category.value)),
                ]
            ),
            p(link("Choose someone else", here)),
        ]
    else:
        body += [
            heading(
                "Who is the request about?"
                if kind == "sar"
                else "Who is asking? (if they are on the register)",
                size="m",
                level=2,
            ),
            p(
                "Find the person the data is about. When a parent, carer or representative asks for "
                "them, choose the person the data is about: the requester is changed on the next form."
            )
            if kind == "sar"
            else None,
            search_form(f"{here}/person", viewer, searched or {}, search_errors),
            results(found, lambda subject_id, name: _choose_link(here, subject_id, name))
            if found is not None
            else None,
        ]
    if person is not None or kind == "foi":
        body.append(
            form(
                here,
                None,
                el("input", type="hidden", name="subject_id", value=person.subject_id) if person else None,
                text_input(
                    "reference",
                    "Reference",
                    value=reference,
                    error=errors.get("reference"),
                    width="20",
                    hint=f"The request's reference, like {kind.upper()}-2026-010",
                ),
                button("Continue"),
                method="get",
            )
        )
    return page(
        f"Record a new {_KIND_WORDS[kind]}",
        body,
        viewer=viewer,
        current="requests",
        errors=list(errors.items()),
    )


def _chosen_person(app: Application, viewer: Viewer, subject_id: str) -> subjects.RegisterEntry:
    """The person chosen, read from the register (the read signed into the officer's access log)."""
    try:
        check_subject_id(subject_id)
    except InvalidInput:
        raise InvalidInput(
            "subject_id", "must be a register id, like S-0001: choose the person from the search"
        ) from None
    return subjects.show(app, viewer.actor, subject_id)


def _choose_link(here: str, subject_id: str, name: str) -> Html:
    return link(
        join(["Choose", el("span", f" {name}", class_="govuk-visually-hidden")]),
        f"{here}?{urlencode({'subject_id': subject_id})}",
    )


def _first_step_values(kind: str, person: subjects.RegisterEntry) -> dict[str, str]:
    """The first step's form, filled in: the person chosen asks about themself until the officer
    says otherwise (a parent or representative asking is changed on the form)."""
    name = {"requester_name": person.name} if person.name else {}
    if kind == "sar":
        return {"subject_id": person.subject_id, "requester_id": person.subject_id, **name}
    return {"requester_id": person.subject_id, **name}


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/requests", sync_to_thread=True)
    def requests_list(request: Request[Any, Any, Any]) -> Response[bytes]:
        return serve(pool, request, _requests_page)

    def new_request_search(kind: str) -> HTTPRouteHandler:
        @post(PAGES + f"/requests/{kind}/new/person", name=f"{kind}-new-person")
        async def search(request: Request[Any, Any, Any]) -> Response[bytes]:
            values = {k: (v[0] if v else "") for k, v in form_values(await request.form()).items()}

            def work() -> Response[bytes]:
                with pool.borrow() as app:
                    viewer = request.state.viewer = viewer_of(app, request)
                    check_form(request, viewer, values)
                    markup = new_request_page(app, viewer, kind, {}, searched=values)
                return html(markup, 400 if "govuk-error-summary" in markup else 200)

            return await anyio.to_thread.run_sync(work)

        return search

    return [requests_list, new_request_search("sar"), new_request_search("foi")]
