"""Finding a person by name, other name or date of birth (`/pages/people/search`).

For information-governance officers and administrators (`adapters/person_search.py` decides,
and logs every search and each person it shows). The words searched for travel in a POST body,
never in the address, so they reach neither the server's log nor the browser's history. Each
result links to the person's register entry and opens a subject access request about them; the
new-request pages use the same form and results to choose the person a request concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler

from adapters.app import person_search
from adapters.app.application import Application
from adapters.app.person_search import SearchResult
from adapters.http.pool import ApplicationPool
from adapters.web.components import button, heading, inset, link, p, table, text_input
from adapters.web.glossary import option_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, Viewer, form, page
from adapters.web.pages.steps import form_values
from adapters.web.respond import html
from adapters.web.session import check_form, viewer_of
from domain.kernel.errors import InvalidInput, NotAuthorised

SEARCH = f"{PAGES}/people/search"
FIELDS = ("name", "date_of_birth")


def may_search(viewer: Viewer) -> bool:
    return viewer.holds(*person_search.SEARCHERS)


def search_form(action: str, viewer: Viewer, values: Mapping[str, str], errors: Mapping[str, str]) -> Html:
    """The search's two questions; posted, so what is typed stays out of the address."""
    return form(
        action,
        viewer,
        text_input(
            "name",
            "Name or other name",
            value=values.get("name", ""),
            hint="Any part of a name, like 'Dawn' or 'Rendall'",
            error=errors.get("name"),
            width="20",
            autocomplete="off",
        ),
        text_input(
            "date_of_birth",
            "Date of birth (optional)",
            value=values.get("date_of_birth", ""),
            hint="For example, 19/08/1996",
            error=errors.get("date_of_birth"),
            width="10",
            autocomplete="off",
        ),
        button("Search", secondary=True),
    )


def results(found: SearchResult, choose: Callable[[str, str], Child]) -> Html:
    """The people found: name, dates of birth, their part in the records, and what to do with each."""
    if not found.people:
        return p("Nobody on the register matches. Check the spelling, or search by date of birth.")
    rows = [
        (
            join(
                [
                    person.name,
                    el("br"),
                    el("span", "also " + "; ".join(person.other_names), class_="govuk-hint")
                    if person.other_names
                    else None,
                ]
            ),
            "; ".join(person.dates_of_birth) or "not recorded",
            option_label(person.category.value),
            ", ".join(person.reviews) or "none",
            choose(person.subject_id, person.name),
        )
        for person in found.people
    ]
    return join(
        [
            table(
                ["Name", "Date of birth", "Role in reviews", "Records", ""],
                rows,
                caption=f"{len(found.people)} {'person' if len(found.people) == 1 else 'people'} found",
                caption_size="s",
                row_headers=True,
            ),
            inset(f"{found.more} more matched: add words or a date of birth to narrow the search.")
            if found.more
            else None,
        ]
    )


def run_search(
    app: Application, viewer: Viewer, values: Mapping[str, str]
) -> tuple[SearchResult | None, dict[str, str]]:
    """The search asked for, or the problem with what was typed, beside its field."""
    try:
        found = person_search.search(
            app, viewer.actor, name=values.get("name", ""), date_of_birth=values.get("date_of_birth", "")
        )
    except InvalidInput as error:
        return None, {error.field if error.field in FIELDS else "name": _sentence(error.rule)}
    return found, {}


def _sentence(rule: str) -> str:
    return rule[:1].upper() + rule[1:]


def _choose(subject_id: str, name: str) -> Html:
    return join(
        [
            link(
                join(["Register entry", el("span", f" of {name}", class_="govuk-visually-hidden")]),
                f"{PAGES}/subjects/{subject_id}",
            ),
            el("br"),
            link(
                join(
                    [
                        "Open a subject access request",
                        el("span", f" about {name}", class_="govuk-visually-hidden"),
                    ]
                ),
                f"{PAGES}/requests/sar/new?subject_id={subject_id}",
            ),
        ]
    )


def _search_page(
    app: Application, viewer: Viewer, values: Mapping[str, str], searched: bool
) -> tuple[Html, int]:
    if not searched and not may_search(viewer):  # a search is refused (and logged) by the service
        raise NotAuthorised(
            viewer.actor, "an information-governance officer or an administrator", "finding a person", "-"
        )
    found, errors = run_search(app, viewer, values) if searched else (None, {})
    body: list[Child] = [
        heading("Find a person"),
        p(
            "Search the register by name, other name or date of birth. Each search, and each person it "
            "shows you, is recorded in the access log, signed by you."
        ),
        search_form(SEARCH, viewer, values, errors),
        results(found, _choose) if found is not None else None,
    ]
    markup = page("Find a person", body, viewer=viewer, current="subjects", errors=list(errors.items()))
    return markup, 400 if errors else 200


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(SEARCH, sync_to_thread=True)
    def search_page(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            markup, status = _search_page(app, viewer, {}, searched=False)
        return html(markup, status)

    @post(SEARCH)
    async def search(request: Request[Any, Any, Any]) -> Response[bytes]:
        values = {k: (v[0] if v else "") for k, v in form_values(await request.form()).items()}

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, values)
                markup, status = _search_page(app, viewer, values, searched=True)
            return html(markup, status)

        return await anyio.to_thread.run_sync(work)

    return [search_page, search]
