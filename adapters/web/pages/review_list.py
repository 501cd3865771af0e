"""The list of reviews: filtered, sorted and paginated, with every choice kept in the address.

A page reads one page of the reviews read model (`projections/review_list.py`, keyset by the
sort column and the reference) and the timescales of those reviews only, so its cost follows
the page's size, not the store's. Filters, the sort and the place in the list are query
parameters: a link to a page of the list shows the same page to whoever may read it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.authority import Reading
from adapters.app.views import refresh
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    button,
    heading,
    hidden,
    inset,
    link,
    pagination,
    select,
    table,
    text_input,
)
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, Viewer, form, page
from adapters.web.pages.reviews import review_href, status_tag, timescale_badges
from adapters.web.pages.steps import starting_steps
from adapters.web.respond import html, may_read
from adapters.web.session import viewer_of
from domain.routes.registry import ROUTES
from projections.model import TimescaleView
from projections.queries import timescales_of
from projections.review_list import CLOCK_FILTERS, SORTS, ReviewFilter, review_page

PAGE_SIZE = 50
_CLOCK_CHOICES = [
    ("", "Any"),
    ("overdue", "Overdue"),
    ("due-soon", "Due soon"),
    ("attention", "Overdue or due soon"),
]
_STATUS_CHOICES = [("", "Any"), ("open", "Open"), ("closed", "Closed")]
_SORTABLE = {"Reference": "reference", "Route": "route", "Stage": "stage", "Status": "status"}
_REFERENCE_CHARS = 64


def _choices(query: dict[str, str]) -> dict[str, str]:
    """The filters and sort asked for, each kept only when it is one the list knows."""
    found = {
        "q": query.get("q", "").strip()[:_REFERENCE_CHARS],
        "route": query.get("route", "") if query.get("route", "") in ROUTES else "",
        "status": query.get("status", "") if query.get("status", "") in ("open", "closed") else "",
        "clock": query.get("clock", "") if query.get("clock", "") in CLOCK_FILTERS else "",
        "sort": query.get("sort", "") if query.get("sort", "") in SORTS else "",
        "dir": "desc" if query.get("dir", "") == "desc" else "",
    }
    return {k: v for k, v in found.items() if v}


def list_href(chosen: dict[str, str], **more: str) -> str:
    params = {**chosen, **more}
    return f"{PAGES}/reviews" + (f"?{urlencode(params)}" if params else "")


def _sort_header(text: str, chosen: dict[str, str]) -> Child:
    key = _SORTABLE[text]
    current = chosen.get("sort", "reference") == key
    descending = chosen.get("dir") == "desc"
    direction = "asc" if current and descending else "desc" if current else "asc"
    target = {k: v for k, v in chosen.items() if k not in ("sort", "dir")}
    target["sort"] = key
    if direction == "desc":
        target["dir"] = "desc"
    state = (" (sorted, descending)" if descending else " (sorted, ascending)") if current else ""
    return el(
        "a",
        text,
        hidden(state + ": sort by this column"),
        href=list_href(target),
        class_="govuk-link rl-sort",
    )


def _pagination(
    chosen: dict[str, str], first: str | None, last: str | None, earlier: bool, later: bool
) -> Html:
    return pagination(
        list_href(chosen, before=first) if earlier and first is not None else None,
        list_href(chosen, after=last) if later and last is not None else None,
        what="reviews",
    )


def _filters(chosen: dict[str, str]) -> Html:
    return form(
        f"{PAGES}/reviews",
        None,
        el(
            "div",
            text_input("q", "Reference", value=chosen.get("q", ""), width="10"),
            select(
                "route",
                "Route",
                [("", "Any"), *((r, k.kind) for r, k in ROUTES.items())],
                selected=chosen.get("route", ""),
            ),
            select("status", "Status", _STATUS_CHOICES, selected=chosen.get("status", "")),
            select("clock", "Clocks", _CLOCK_CHOICES, selected=chosen.get("clock", "")),
            *(
                el("input", type="hidden", name=k, value=chosen[k])
                for k in ("sort", "dir")
                if k in chosen  # the sort is kept when the filters change
            ),
            el("div", button("Filter", secondary=True), class_="govuk-form-group"),
            class_="rl-filters",
        ),
        method="get",
        role="search",
        aria_label="Filter the reviews",
    )


def reviews_page(app: Application, viewer: Viewer, query: dict[str, str]) -> Html:
    may_read(app, viewer, Reading.REVIEWS)
    chosen = _choices(query)
    today = app.clock.now().date()
    refresh(app)
    flt = ReviewFilter(
        route=chosen.get("route"),
        status=chosen.get("status"),
        clock=chosen.get("clock"),
        search=chosen.get("q", ""),
    )
    with app.db.reader.connect() as conn:
        found = review_page(
            conn,
            flt,
            today,
            sort=chosen.get("sort", "reference"),
            descending=chosen.get("dir") == "desc",
            after=query.get("after", "")[:200] or None,
            before=query.get("before", "")[:200] or None,
            size=PAGE_SIZE,
        )
        timescales = timescales_of(conn, [r.reference for r in found.rows], today)
    by_review: dict[str, list[TimescaleView]] = defaultdict(list)
    for timescale in timescales:
        by_review[timescale.reference].append(timescale)
    rows = [
        (
            link(r.reference, review_href(r.reference)),
            r.kind,
            r.stage if r.verification is None else f"{r.stage} ({r.verification})",
            status_tag(r.status),
            timescale_badges(by_review.get(r.reference, [])),
            str(r.open_obligations),
        )
        for r in found.rows
    ]
    filtered = any(k in chosen for k in ("q", "route", "status", "clock"))
    count = f"{found.total} review{'' if found.total == 1 else 's'}" + (
        " matching these filters" if filtered else ""
    )
    if found.total > len(rows):
        count += f", {len(rows)} on this page"
    body = [
        heading("Reviews"),
        _filters(chosen),
        el(
            "div",
            table(
                [*(_sort_header(h, chosen) for h in _SORTABLE), "Clocks", "Open obligations"],
                rows,
                caption=count,
                caption_size="s",
                numeric=(5,),
            ),
            class_="rl-table-scroll",
            role="region",
            aria_label="Reviews",
            tabindex="0",
        )
        if rows
        else inset("No reviews match these filters."),
        _pagination(
            chosen,
            found.rows[0].reference if found.rows else None,
            found.rows[-1].reference if found.rows else None,
            found.earlier,
            found.later,
        ),
        _new_review(app, viewer),
    ]
    return page("Reviews", body, viewer=viewer, current="reviews")


def _new_review(app: Application, viewer: Viewer) -> Html | None:
    """Starting a review is its route's first step; offered to those who may take it."""
    starts = [
        el("li", link(f"Start a {kind.kind}", f"{PAGES}/start/{route}"))
        for route, kind in ROUTES.items()
        if starting_steps(app, viewer, route)
    ]
    if not starts:
        return None
    return join([heading("Start a review", size="m", level=2), el("ul", starts, class_="govuk-list")])


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/reviews", sync_to_thread=True)
    def reviews(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            return html(reviews_page(app, viewer, query))

    return [reviews]
