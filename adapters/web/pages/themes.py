"""Learning themes: for the committee and the Chief Officers Group, the reviews whose learning is tagged
with each theme (seed 001 process map 5B; seed 002 'Sharing the learning').

It is reached from the Timeliness page, which the same people use. The themes are short labels a review's team tags its learning with (`tag-learning-themes`); they
hold no personal value, so the page lists them with the reviews' references only.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.views import themes_view
from adapters.http.pool import ApplicationPool
from adapters.web.components import heading, inset, link, p, table
from adapters.web.html import Child, Html
from adapters.web.layout import PAGES, TIMELINESS_ROLES, Viewer, page
from adapters.web.respond import html
from adapters.web.session import viewer_of
from domain.kernel.errors import NotAuthorised


def _themes_page(app: Application, viewer: Viewer, theme: str | None) -> Html:
    if not viewer.holds(*TIMELINESS_ROLES):
        needs = " or ".join(sorted(r.value for r in TIMELINESS_ROLES))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", "the learning themes", "-")
    found = themes_view(app, theme)
    body: list[Child] = [
        heading("Learning themes"),
        p("The themes each review's learning is tagged with, and the reviews tagged with each."),
    ]
    if not found:
        body.append(inset("No review's learning is tagged with a theme yet."))
    else:
        body.append(
            table(
                ["Theme", "Reviews"],
                [(t.theme, ", ".join(t.references)) for t in found],
                caption="Reviews by learning theme",
                caption_size="s",
                row_headers=True,
            )
        )
        if theme:
            body.append(p(link("Every theme", f"{PAGES}/themes")))
    return page("Learning themes", body, viewer=viewer, current="timeliness")


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/themes", sync_to_thread=True)
    def themes_page(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(_themes_page(app, viewer, request.query_params.get("theme")))

    return [themes_page]
