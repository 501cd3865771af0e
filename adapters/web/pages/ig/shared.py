"""What the information-governance pages share: access, deadlines, timescales and a request file's step routes.

Who may see a page (`require`), a deadline and its timescales in words, the banner after a step is
recorded, rendering a page for its viewer (`serve`), and the routes of a request file's steps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.http.pool import ApplicationPool
from adapters.web.components import notification, p, table, tag
from adapters.web.html import Html, join
from adapters.web.layout import IG_ROLES, PAGES, Viewer
from adapters.web.pages.steps import (
    Place,
    Redirect,
    StepName,
    form_page,
    form_values,
    record,
    step_label,
    steps_page,
)
from adapters.web.respond import html, see_other
from adapters.web.session import check_form, viewer_of
from adapters.web.step_forms import Problems
from domain.kernel.errors import NotAuthorised
from projections.model import ObligationView, TimescaleView

RequestRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", max_length=64)]
RecordRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$", max_length=81)]
DUE_SOON_WORKING = 5  # an FOI due within this many working days, or a SAR within a week, is flagged


def require(viewer: Viewer, roles: tuple[Any, ...], what: str) -> None:
    if not viewer.holds(*roles):
        needs = " or ".join(sorted(r.value for r in roles))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", what, "-")


def deadline(due: date | None, today: date, done: bool) -> Html:
    if due is None:
        return Html("")
    if done:
        return join([str(due), " ", tag("Answered", "green")])
    left = (due - today).days
    if left < 0:
        return join([str(due), " ", tag(f"Overdue by {-left} days", "red")])
    if left <= 7:
        return join([str(due), " ", tag(f"Due in {left} days", "yellow")])
    return join([str(due), " ", tag(f"{left} days left", "blue")])


def timescales_table(timescales: tuple[TimescaleView, ...]) -> Html | None:
    if not timescales:
        return None
    return table(
        ["Clock", "Due", "Status", "Days left", "Stopped for"],
        [
            (
                c.name,
                str(c.due),
                c.status,
                "" if c.days_left is None else str(c.days_left),
                f"{c.paused_days} days",
            )
            for c in timescales
        ],
        caption="Deadline clocks",
        caption_size="s",
        row_headers=True,
    )


def obligations_table(obligations: tuple[ObligationView, ...]) -> Html:
    if not obligations:
        return p("Nothing is outstanding.")
    return table(["What", "Due"], [(o.what, str(o.due or "")) for o in obligations], row_headers=True)


def recorded_banner(query: dict[str, str], reference: str) -> Html | None:
    recorded = query.get("recorded", "")
    if not recorded:
        return None
    return notification(
        "Success",
        p(f"Recorded as step {query.get('version', '')} of {reference}."),
        success=True,
        heading_text=f"{step_label(recorded)}: recorded and signed",
    )


def prefill(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    """A step's form filled in from the link that led to it (the item and the person a release is about)."""
    return {k: [v] for k, v in request.query_params.items() if isinstance(v, str) and len(v) <= 200}


def serve(
    pool: ApplicationPool, request: Request[Any, Any, Any], render: Callable[..., Html], *args: Any
) -> Response[bytes]:
    """A page rendered for its viewer from the query given; a step's `Redirect` is followed."""
    with pool.borrow() as app:
        viewer = request.state.viewer = viewer_of(app, request)
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        try:
            markup = render(app, viewer, *args, query)
        except Redirect as redirect:
            return see_other(redirect.location)
    return html(markup, 400 if "govuk-error-summary" in markup else 200)


def step_routes(pool: ApplicationPool, kind: str, place_of: Callable[[str], Place]) -> list[HTTPRouteHandler]:
    """A request file's steps: the list, a step's form, and recording it."""
    base = PAGES + f"/requests/{kind}/" + "{reference:str}/steps"

    @get(base, sync_to_thread=True, name=f"{kind}-steps")
    def steps_list(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            require(viewer, IG_ROLES, "an information request")
            return html(steps_page(app, viewer, place_of(reference)))

    @get(base + "/{name:str}", sync_to_thread=True, name=f"{kind}-step-form")
    def step_form(request: Request[Any, Any, Any], reference: RequestRef, name: StepName) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            markup, status = form_page(app, viewer, place_of(reference), name, prefill(request), Problems())
        return html(markup, status)

    @post(base + "/{name:str}", name=f"{kind}-record-step")
    async def record_step(
        request: Request[Any, Any, Any], reference: RequestRef, name: StepName
    ) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                return record(app, viewer, place_of(reference), name, values)

        return await anyio.to_thread.run_sync(work)

    return [steps_list, step_form, record_step]
