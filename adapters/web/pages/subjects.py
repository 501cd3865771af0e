"""The register of data subjects: register a person, see and amend their identifiers.

The same services as `reviewledger subjects` (`adapters/governance/subjects.py`): whoever may keep the
register (the command table's `register-subject` row) sees names and identifiers, each read
signed into their access log; anyone else sees ids and categories. Registering and amending
are the steps `register-subject` and `amend-subject-identifiers`, their forms generated like
every other step's (`pages_steps.py`).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.app.application import Application
from adapters.app.person_search import SEARCHERS
from adapters.governance import subjects
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    button_group,
    button_link,
    heading,
    inset,
    link,
    notification,
    p,
    summary_list,
    table,
    text_input,
)
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, Viewer, form, page
from adapters.web.pages.people import SEARCH
from adapters.web.pages.steps import (
    Place,
    Redirect,
    StepName,
    form_page,
    form_values,
    not_named_note,
    record,
    step_label,
)
from adapters.web.respond import html, see_other
from adapters.web.session import check_form, viewer_of
from adapters.web.step_forms import Problems
from domain.governance.subjects import DataSubject, check_subject_id, subject_stream
from domain.kernel.errors import InvalidInput

SubjectId = Annotated[str, PathParameter(max_length=40, pattern=r"^S-[A-Za-z0-9-]{1,38}$")]
REGISTER, AMEND = "register-subject", "amend-subject-identifiers"
AREA = "subjects"


def subject_place(subject_id: str) -> Place:
    return Place(
        kind=DataSubject,
        stream=subject_stream(subject_id),
        reference=subject_id,
        href=f"{PAGES}/subjects/{subject_id}",
        crumbs=(("People", f"{PAGES}/subjects"),),
        area=AREA,
    )


PAGE_SIZE = 50


def _list_choices(query: dict[str, str]) -> dict[str, str]:
    """The register's order and place, kept only when well formed."""
    chosen = {"dir": "desc"} if query.get("dir") == "desc" else {}
    for edge in ("after", "before"):
        value = query.get(edge, "")
        if value.isdigit() and len(value) <= 18:
            chosen[edge] = value
            break
    return chosen


def _list_href(chosen: dict[str, str]) -> str:
    return f"{PAGES}/subjects" + (f"?{urlencode(chosen)}" if chosen else "")


def _caption(total: int, shown: int) -> str:
    text = f"Registered: {total} {'person' if total == 1 else 'people'}"
    return text + (f", {shown} on this page" if total > shown else "")


def _order_link(chosen: dict[str, str]) -> Html:
    if chosen.get("dir") == "desc":
        return link("List the first registered first", _list_href({}))
    return link("List the last registered first", _list_href({"dir": "desc"}))


def _pagination(chosen: dict[str, str], places: list[int], earlier: bool, later: bool) -> Html:
    order = {k: v for k, v in chosen.items() if k == "dir"}
    items: list[Child] = []
    for shown, rel, edge, place in (
        (earlier, "prev", "before", places[0] if places else None),
        (later, "next", "after", places[-1] if places else None),
    ):
        if shown and place is not None:
            items.append(
                el(
                    "div",
                    el(
                        "a",
                        el(
                            "span",
                            "Previous" if rel == "prev" else "Next",
                            class_="govuk-pagination__link-title",
                        ),
                        el("span", " page of people", class_="govuk-visually-hidden"),
                        href=_list_href({**order, edge: str(place)}),
                        rel=rel,
                        class_="govuk-link govuk-pagination__link",
                    ),
                    class_=f"govuk-pagination__{rel}",
                )
            )
    if not items:
        return Html("")
    return el("nav", items, class_="govuk-pagination govuk-pagination--block", aria_label="Pages of people")


def _register_page(app: Application, viewer: Viewer, query: dict[str, str]) -> Html:
    entitled = subjects.may_read_identifiers(app.acting(viewer.actor))
    chosen = query.get("subject_id", "").strip()
    errors: list[tuple[str, str]] = []
    if "subject_id" in query:
        try:
            check_subject_id(chosen)
        except InvalidInput as error:
            errors.append(("subject_id", f"The id {error.rule}"))
        else:
            if app.ledger.stream_version(subject_stream(chosen)):
                errors.append(("subject_id", f"{chosen} is already registered: choose another id"))
            else:
                raise Redirect(f"{PAGES}/subjects/{chosen}/steps/{REGISTER}")
    listed = _list_choices(query)
    found = subjects.page_register(
        app,
        viewer.actor,
        descending=listed.get("dir") == "desc",
        after=int(listed["after"]) if "after" in listed else None,
        before=int(listed["before"]) if "before" in listed else None,
        size=PAGE_SIZE,
    )
    entries = [e for _, e in found.rows]
    places = [place for place, _ in found.rows]
    rows = [
        (
            link(e.subject_id, f"{PAGES}/subjects/{e.subject_id}"),
            e.category.value.replace("_", " "),
            "disposed of" if e.disposed else (e.name or ""),
            str(e.amendments),
        )
        if entitled
        else (e.subject_id, e.category.value.replace("_", " "), str(e.amendments))
        for e in entries
    ]
    headers = ["Id", "Category", "Name", "Amendments"] if entitled else ["Id", "Category", "Amendments"]
    body: list[Child] = [
        heading("People the records are about or by"),
        button_group(button_link("Find a person by name or date of birth", SEARCH, secondary=True))
        if viewer.holds(*SEARCHERS)
        else None,
        p(
            "Each person is registered once, under an id like S-0001, and named by that id in every step. "
            "Their identifiers are checked in every output that leaves the system, as they hold now."
        ),
        form(
            f"{PAGES}/subjects",
            None,
            text_input(
                "subject_id",
                "Register a person under the id",
                value=chosen,
                hint="S- then letters, digits and hyphens, like S-0001",
                width="20",
                error=dict(errors).get("subject_id"),
            ),
            button("Continue"),
            method="get",
        )
        if entitled
        else inset("People are registered by those who keep the register; you see ids and categories only."),
        el(
            "div",
            table(headers, rows, caption=_caption(found.total, len(rows))),
            class_="rl-table-scroll",
            role="region",
            aria_label="Registered people",
            tabindex="0",
        )
        if rows
        else p("Nobody is registered yet."),
        _pagination(listed, places, found.earlier, found.later),
        p(_order_link(listed)) if found.total > 1 else None,
    ]
    return page("People", body, viewer=viewer, current=AREA, errors=errors)


def _subject_page(app: Application, viewer: Viewer, subject_id: str, query: dict[str, str]) -> Html:
    entry = subjects.show(app, viewer.actor, subject_id)
    recorded = query.get("recorded", "")
    banner = (
        notification(
            "Success",
            join([p(f"Recorded as step {query.get('version', '')} of {subject_id}."), not_named_note(query)]),
            success=True,
            heading_text=f"{step_label(recorded)}: recorded and signed",
        )
        if recorded
        else None
    )
    rows: list[tuple[Child, Child]] = [("Category", entry.category.value.replace("_", " "))]
    if entry.disposed:
        rows.append(("Identifiers", "disposed of"))
    else:
        for label, values in (
            ("Name", (entry.name,) if entry.name else ()),
            ("Also known as", entry.other_names),
            ("Dates of birth", entry.dates_of_birth),
            ("Addresses", entry.addresses),
            ("Schools", entry.schools),
            ("Record numbers", entry.record_numbers),
        ):
            rows.append((label, "; ".join(values) or "none recorded"))
    rows.append(("Amendments", str(entry.amendments)))
    body: list[Child] = [
        breadcrumbs([("People", f"{PAGES}/subjects")]),
        banner,
        heading(subject_id, caption="data subject"),
        summary_list(rows),
        None
        if entry.disposed
        else button_group(
            button_link("Amend the identifiers", f"{PAGES}/subjects/{subject_id}/steps/{AMEND}")
        ),
    ]
    return page(subject_id, body, viewer=viewer, current=AREA)


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/subjects", sync_to_thread=True)
    def register_page(request: Request[Any, Any, Any]) -> Response[bytes]:
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            try:
                markup = _register_page(app, viewer, query)
            except Redirect as redirect:
                return see_other(redirect.location)
        return html(markup, 400 if "govuk-error-summary" in markup else 200)

    @get(PAGES + "/subjects/{subject_id:str}", sync_to_thread=True)
    def subject_page(request: Request[Any, Any, Any], subject_id: SubjectId) -> Response[bytes]:
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(_subject_page(app, viewer, subject_id, query))

    @get(PAGES + "/subjects/{subject_id:str}/steps/{name:str}", sync_to_thread=True)
    def step_form(request: Request[Any, Any, Any], subject_id: SubjectId, name: StepName) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            markup, status = form_page(
                app, viewer, subject_place(subject_id), name, {"subject_id": [subject_id]}, Problems()
            )
        return html(markup, status)

    @post(PAGES + "/subjects/{subject_id:str}/steps/{name:str}")
    async def record_step(
        request: Request[Any, Any, Any], subject_id: SubjectId, name: StepName
    ) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                if values.get("subject_id", [subject_id]) != [subject_id]:
                    raise InvalidInput("subject_id", f"must be {subject_id}, the person this page is about")
                return record(app, viewer, subject_place(subject_id), name, values)

        return await anyio.to_thread.run_sync(work)

    return [register_page, subject_page, step_form, record_step]
