"""One FOI request: its page, its draft response, its documents sent and its steps.

The response is sent from its own form (`adapters/web/pages/foi_respond.py`), and so is the review
decision (`adapters/web/pages/foi_review.py`): each keeps the exact bytes sent, listed here.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import FoiRecord, foi_stream
from adapters.http.pool import ApplicationPool
from adapters.web.components import breadcrumbs, button_group, button_link, heading, p, summary_list, table
from adapters.web.html import Child, Html, el
from adapters.web.layout import IG_ROLES, PAGES, Viewer, page
from adapters.web.pages import foi_respond, foi_review
from adapters.web.pages.ig.requests import new_request_page
from adapters.web.pages.ig.shared import (
    RequestRef,
    deadline,
    obligations_table,
    recorded_banner,
    require,
    serve,
    step_routes,
    timescales_table,
)
from adapters.web.pages.sent import sent_table
from adapters.web.pages.steps import Place
from adapters.web.respond import download
from adapters.web.session import viewer_of
from domain.governance.sar.steps import PackFormat
from domain.kernel.errors import RecordNotFound


def foi_place(reference: str) -> Place:
    return Place(
        kind=FoiRecord,
        stream=foi_stream(reference),
        reference=reference,
        href=f"{PAGES}/requests/foi/{reference}",
        crumbs=(("Information requests", f"{PAGES}/requests"),),
        area="requests",
        own_pages=(  # each step's own form keeps the bytes sent
            (foi_respond.STEP, foi_respond.respond_href(reference)),
            (foi_review.STEP, foi_review.review_decision_href(reference)),
        ),
    )


def _foi_page(app: Application, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    require(viewer, IG_ROLES, "an FOI request")
    status = foi.show(app, reference)
    today = app.clock.now().date()
    place = foi_place(reference)
    body: list[Child] = [
        breadcrumbs(list(place.crumbs)),
        recorded_banner(query, reference),
        heading(reference, caption="Freedom of information request"),
        button_group(
            button_link("Record the next step", f"{place.href}/steps"),
            button_link("Download the draft response (HTML)", f"{place.href}/response/html", secondary=True),
            button_link("Download the draft response (JSON)", f"{place.href}/response/json", secondary=True),
        )
        if not status.status.startswith("closed")
        else None,
        summary_list(
            [
                ("Stage", status.stage),
                ("Status", status.status),
                ("Requester", status.requester or "not recorded"),
                ("Received", str(status.received_on or "")),
                ("Response due", deadline(status.due_on, today, status.responded_on is not None)),
                (
                    "Working days left",
                    "" if status.working_days_left is None else str(status.working_days_left),
                ),
                ("Response", status.response or "not yet"),
            ]
        ),
        timescales_table(status.clocks),
        _foi_documents_and_response(
            place, open_=not status.status.startswith("closed"), under_review=status.stage == "under review"
        ),
        heading("Exemptions", size="m", level=2),
        table(
            ["Item", "Section", "Extent"],
            [(el("span", e.item_id, class_="rl-mono"), e.section, e.extent) for e in status.exemptions],
        )
        if status.exemptions
        else p("No exemptions applied."),
        heading("Still to do", size="m", level=2),
        obligations_table(status.obligations),
        heading("Documents sent", size="m", level=2),
        sent_table("foi", reference, status.documents),
    ]
    return page(f"FOI request {reference}", body, viewer=viewer, current="requests")


def _foi_documents_and_response(place: Place, *, open_: bool, under_review: bool) -> Html:
    """The request's documents (decided one by one) and the own forms of its response and of its review
    decision, which keep the bytes sent."""
    return button_group(
        button_link("Documents", f"{place.href}/documents", secondary=True),
        button_link("Send the response", foi_respond.respond_href(place.reference)) if open_ else None,
        button_link("Decide the review", foi_review.review_decision_href(place.reference))
        if open_ and under_review
        else None,
    )


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/requests/foi/{reference:str}", sync_to_thread=True)
    def foi_request(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        if reference == "new":
            return serve(pool, request, new_request_page, "foi")
        return serve(pool, request, _foi_page, reference)

    @get(PAGES + "/requests/foi/{reference:str}/response/{fmt:str}", sync_to_thread=True)
    def foi_response(request: Request[Any, Any, Any], reference: RequestRef, fmt: str) -> Response[bytes]:
        chosen = {"html": PackFormat.HTML, "json": PackFormat.JSON}.get(fmt)
        if chosen is None:
            raise RecordNotFound("response format", fmt)
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            require(viewer, IG_ROLES, "an FOI response")
            data = foi.checked_bytes(app, foi.build_response(app, reference, viewer.actor), chosen)
        media = "text/html; charset=utf-8" if fmt == "html" else "application/json"
        return download(data, media, f"{reference}-draft-response.{fmt}")

    return [foi_request, foi_response, *step_routes(pool, "foi", foi_place)]
