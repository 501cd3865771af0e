"""Learning themes: for the committee and the Chief Officers Group, the reviews whose learning is tagged
with each theme (seed 001 process map 5B; seed 002 'Sharing the learning').

It is reached from the Timeliness page, which the same people use. The themes are short labels a review's
team tags its learning with (`tag-learning-themes`); they hold no personal value, so the page lists them
with the reviews' references, route and status only (which every signed-in person may read).

/pages/themes lists the themes with how many reviews each has; /pages/themes?theme=T lists that theme's
reviews a page at a time, by reference either way (`dir=desc`), continuing from a reference (`after`,
`before`): every choice is kept in the address, and a page reads its own rows of the themes read model
(`projections/themes.py`), so its cost follows its size, not the store's. A place or order not well formed
is ignored; a theme no review is tagged with is said so on the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.views import refresh
from adapters.http.pool import ApplicationPool
from adapters.web.components import error_summary, heading, hidden, inset, link, p, pagination, table
from adapters.web.html import Child, Html, el
from adapters.web.layout import PAGES, TIMELINESS_ROLES, Viewer, page
from adapters.web.pages.reviews import review_href, status_tag
from adapters.web.respond import html
from adapters.web.session import viewer_of
from domain.kernel.errors import NotAuthorised
from projections.themes import theme_counts, theme_page

PAGE_SIZE = 50
_THEME_CHARS = 64  # a theme is 40 characters at most (`learning_themes`); anything longer is no theme
_REFERENCE_CHARS = 200


def _choices(query: dict[str, str]) -> dict[str, str]:
    """The theme and order asked for: the theme as it is tagged (trimmed, lower case), the order only if known."""
    found = {
        "theme": query.get("theme", "").strip().lower()[:_THEME_CHARS],
        "dir": "desc" if query.get("dir", "") == "desc" else "",
    }
    return {k: v for k, v in found.items() if v}


def themes_href(chosen: dict[str, str], **more: str) -> str:
    params = {**chosen, **more}
    return f"{PAGES}/themes" + (f"?{urlencode(params)}" if params else "")


def _sort_header(chosen: dict[str, str]) -> Html:
    descending = chosen.get("dir") == "desc"
    target = {k: v for k, v in chosen.items() if k != "dir"}
    if not descending:
        target["dir"] = "desc"
    state = " (sorted, descending)" if descending else " (sorted, ascending)"
    return el(
        "a",
        "Reference",
        hidden(state + ": sort by this column"),
        href=themes_href(target),
        class_="govuk-link rl-sort",
    )


def _pagination(
    chosen: dict[str, str], first: str | None, last: str | None, earlier: bool, later: bool
) -> Html:
    return pagination(
        themes_href(chosen, before=first) if earlier and first is not None else None,
        themes_href(chosen, after=last) if later and last is not None else None,
        what="reviews",
    )


def _every_theme(app: Application) -> list[Child]:
    with app.db.reader.connect() as conn:
        counts = theme_counts(conn)
    if not counts:
        return [inset("No review's learning is tagged with a theme yet.")]
    return [
        table(
            ["Theme", "Reviews"],
            [(link(c.theme, themes_href({"theme": c.theme})), str(c.reviews)) for c in counts],
            caption="Reviews by learning theme",
            caption_size="s",
            numeric=(1,),
            row_headers=True,
        )
    ]


def _one_theme(
    app: Application, chosen: dict[str, str], query: dict[str, str], size: int
) -> tuple[int, list[Child]]:
    theme = chosen["theme"]
    with app.db.reader.connect() as conn:
        found = theme_page(
            conn,
            theme,
            descending=chosen.get("dir") == "desc",
            after=query.get("after", "")[:_REFERENCE_CHARS] or None,
            before=query.get("before", "")[:_REFERENCE_CHARS] or None,
            size=size,
        )
    if found is None:
        return 404, [
            error_summary([("", f"No review's learning is tagged with the theme '{theme}'.")]),
            p(link("Every theme", f"{PAGES}/themes")),
        ]
    count = f"{found.total} review{'' if found.total == 1 else 's'} tagged '{theme}'"
    if found.total > len(found.rows):
        count += f", {len(found.rows)} on this page"
    rows = [
        (
            link(r.reference, review_href(r.reference)),
            r.kind or "",
            status_tag(r.status) if r.status is not None else "",
        )
        for r in found.rows
    ]
    return 200, [
        el(
            "div",
            table([_sort_header(chosen), "Route", "Status"], rows, caption=count, caption_size="s"),
            class_="rl-table-scroll",
            role="region",
            aria_label=f"Reviews tagged '{theme}'",
            tabindex="0",
        )
        if rows
        else inset("No more reviews are tagged with this theme."),
        _pagination(
            chosen,
            found.rows[0].reference if found.rows else None,
            found.rows[-1].reference if found.rows else None,
            found.earlier,
            found.later,
        ),
        p(link("Every theme", f"{PAGES}/themes")),
    ]


def themes_page(
    app: Application, viewer: Viewer, query: dict[str, str], *, size: int | None = None
) -> tuple[int, Html]:
    """The page and its status: every theme with its count, or one page of one theme's reviews."""
    if not viewer.holds(*TIMELINESS_ROLES):
        needs = " or ".join(sorted(r.value for r in TIMELINESS_ROLES))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", "the learning themes", "-")
    chosen = _choices(query)
    refresh(app)
    body: list[Child] = [
        heading(chosen["theme"], caption="Learning themes")
        if "theme" in chosen
        else heading("Learning themes"),
        p("The themes each review's learning is tagged with, and the reviews tagged with each."),
    ]
    status = 200
    if "theme" in chosen:
        status, shown = _one_theme(app, chosen, query, size or PAGE_SIZE)
        body += shown
    else:
        body += _every_theme(app)
    return status, page("Learning themes", body, viewer=viewer, current="timeliness")


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/themes", sync_to_thread=True)
    def themes(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            status, markup = themes_page(app, viewer, query)
            return html(markup, status)

    return [themes]
