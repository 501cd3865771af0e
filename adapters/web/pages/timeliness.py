"""Timeliness: for the Chief Officers Group and the committee, how often each timescale is met, per quarter.

Each measure (`adapters/governance/timeliness.py`) is a chart drawn on the server (SVG, no script), and
the same figures are a table beneath it and a CSV file; the FOI statistics the Scottish
Information Commissioner asks for each quarter are a CSV file too. Colour is never the only
signal: each bar is labelled with its percentage and counts in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.governance import timeliness
from adapters.governance.timeliness import MEASURES, Figure
from adapters.http.pool import ApplicationPool
from adapters.web.components import heading, inset, link, p, table
from adapters.web.html import Child, Html, el
from adapters.web.layout import PAGES, TIMELINESS_ROLES, Viewer, page
from adapters.web.respond import download, html
from adapters.web.session import viewer_of
from domain.kernel.errors import NotAuthorised

WIDTH = 640
LABEL = 80  # the quarter's label, left of the bars
BAR = 28
GAP = 14
TEXT_ROOM = 150  # the words after the longest bar


def _require(viewer: Viewer) -> None:
    if not viewer.holds(*TIMELINESS_ROLES):
        needs = " or ".join(sorted(r.value for r in TIMELINESS_ROLES))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", "the timeliness figures", "-")


def _words(f: Figure) -> str:
    return f"{f.percent}% on time ({f.on_time} of {f.counted})"


def chart(measure: str, found: Sequence[Figure], index: int) -> Html:
    """Horizontal bars, one per quarter: the share on time, out of the width for 100%."""
    inner = WIDTH - LABEL - TEXT_ROOM
    height = GAP + len(found) * (BAR + GAP)
    title_id, desc_id = f"chart-{index}-title", f"chart-{index}-desc"
    parts: list[Child] = [
        el("title", measure, id=title_id),
        el("desc", "; ".join(f"{f.quarter}: {_words(f)}" for f in found), id=desc_id),
        el("line", x1=str(LABEL), y1="4", x2=str(LABEL), y2=str(height - 4), class_="rl-axis"),
    ]
    for i, f in enumerate(found):
        top = GAP + i * (BAR + GAP)
        share = (f.percent or 0) / 100
        parts.append(el("text", f.quarter, x=str(LABEL - 8), y=str(top + 19), text_anchor="end"))
        parts.append(
            el(
                "rect",
                x=str(LABEL),
                y=str(top),
                width=str(round(inner, 1)),
                height=str(BAR),
                class_="rl-bar-all",
            )
        )
        if share:
            parts.append(
                el(
                    "rect",
                    x=str(LABEL),
                    y=str(top),
                    width=str(round(inner * share, 1)),
                    height=str(BAR),
                    class_="rl-bar-met",
                )
            )
        parts.append(el("text", _words(f), x=str(LABEL + inner + 8), y=str(top + 19)))
    return el(
        "svg",
        parts,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        class_="rl-timescales rl-timeliness",
        focusable="false",
    )


def _timeliness_page(app: Application, viewer: Viewer) -> Html:
    _require(viewer)
    today = app.clock.now().date()
    found = timeliness.figures(app, today)
    body: list[Child] = [
        heading("Timeliness"),
        p(
            "How often each timescale was met, counted in the quarter its deadline fell in. A deadline "
            "missed, or passed with nothing done, counts as late; one still ahead is not counted yet."
        ),
        p(
            link("Download these figures (CSV)", f"{PAGES}/timeliness.csv"),
            " · ",
            link(
                "FOI statistics for the Scottish Information Commissioner (CSV)",
                f"{PAGES}/timeliness/foi.csv",
            ),
            " · ",
            link("Reviews by learning theme", f"{PAGES}/themes"),
        ),
    ]
    if not found:
        body.append(inset("No deadline has been reached yet."))
    for index, measure in enumerate(MEASURES):
        rows = [f for f in found if f.measure == measure]
        if not rows:
            continue
        body.append(heading(measure, size="m", level=2))
        body.append(chart(measure, rows, index))
        body.append(
            table(
                ["Quarter", "On time", "Late", "On time (%)"],
                [(f.quarter, str(f.on_time), str(f.late), f"{f.percent}%") for f in rows],
                caption=f"{measure}: the figures",
                caption_size="s",
                numeric=(1, 2, 3),
                row_headers=True,
            )
        )
    return page("Timeliness", body, viewer=viewer, current="timeliness")


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/timeliness", sync_to_thread=True)
    def timeliness_page(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(_timeliness_page(app, viewer))

    @get(f"{PAGES}/timeliness.csv", sync_to_thread=True)
    def timeliness_csv(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer)
            data = timeliness.figures_csv(timeliness.figures(app, app.clock.now().date()))
        return download(data.encode("utf-8"), "text/csv; charset=utf-8", "timeliness.csv")

    @get(f"{PAGES}/timeliness/foi.csv", sync_to_thread=True)
    def foi_statistics(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer)
            data = timeliness.foi_statistics_csv(app)
        return download(data.encode("utf-8"), "text/csv; charset=utf-8", "foi-statistics.csv")

    return [timeliness_page, timeliness_csv, foi_statistics]
