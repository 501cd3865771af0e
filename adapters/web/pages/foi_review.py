"""Deciding an FOI request's review from its page: the decision's own form, never the generic step form.

The review decision notice goes to the requester with the rights that follow it (FOISA s.21(4), then
the Commissioner). Deciding keeps the notice's exact bytes, sealed under the request file's data key,
and records the decision with their SHA-256 (`adapters/governance/foi/requests.py: decide_review`), as
responding does (`foi_respond.py`); the generic form would record the step without them, so the
request file's steps link here instead (`adapters/web/pages/ig/foi.py: foi_place`).

The page is for the IG officers handling the request (the need-to-know table's `ig-request` row: a
refusal is written to the access log), and only while the file allows the decision: a review waiting,
the request not closed, and the officer not the one who sent the response. Otherwise it says why, in
the procedure's words, and offers no form. A problem with what was entered is shown on the form in
the error summary, naming its field; nothing is kept or recorded then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.governance.foi import requests as foi
from adapters.http.pool import ApplicationPool
from adapters.web.components import breadcrumbs, button, heading, inset, link, p, radios, textarea
from adapters.web.glossary import option_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import IG_ROLES, PAGES, Viewer, form, page
from adapters.web.offered import try_step
from adapters.web.pages.foi_respond import FORMATS, RequestRef
from adapters.web.pages.ig.shared import require
from adapters.web.pages.steps import form_values
from adapters.web.respond import html, see_other
from adapters.web.session import check_form, viewer_of
from domain.governance.foi.steps import DecideReview, ReviewOutcome
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.roles import Acting

STEP = "decide-review"
FIELDS = ("outcome", "reasons", "format")


def review_decision_href(reference: str) -> str:
    return f"{PAGES}/requests/foi/{reference}/review-decision"


def _crumbs(reference: str) -> Html:
    return breadcrumbs(
        [
            ("Information requests", f"{PAGES}/requests"),
            (reference, f"{PAGES}/requests/foi/{reference}"),
        ]
    )


def _allowed(app: Application, viewer: Viewer, reference: str) -> str | None:
    """None when the file allows this officer to decide the review now; otherwise why not, in its words.

    Refuses (NotAuthorised) anyone but an IG officer handling the open request."""
    require(viewer, IG_ROLES, "deciding an FOI request's review")
    file = foi.load(app, reference)  # a request, or RecordNotFound
    refused = try_step(file, DecideReview, Acting(actor=viewer.actor, roles=viewer.roles), app.clock.now())
    if refused is None:
        foi.check_handling(app, reference, viewer.actor)
    return refused


def _not_now(viewer: Viewer, reference: str, refused: str) -> Html:
    body: list[Child] = [
        _crumbs(reference),
        heading("Decide the review", caption=reference),
        inset(
            join(
                [
                    el("p", "The procedure does not allow this step now:", class_="govuk-body"),
                    el("p", refused, class_="govuk-body"),
                ]
            )
        ),
        p(link("See the steps you can record", f"{PAGES}/requests/foi/{reference}/steps")),
    ]
    return page(f"Decide the review of {reference}", body, viewer=viewer, current="requests")


def _page(
    viewer: Viewer,
    reference: str,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general: str | None = None,
) -> Html:
    values, errors = values or {}, errors or {}
    body: list[Child] = [
        _crumbs(reference),
        heading("Decide the review", caption=reference),
        p(
            "The notice tells the requester the outcome of the review of their request and the reasons for it, "
            "with their right to apply to the Scottish Information Commissioner."
        ),
        form(
            review_decision_href(reference),
            viewer,
            radios(
                "outcome",
                "Outcome of the review",
                [(o.value, option_label(o.value)) for o in ReviewOutcome],
                selected=values.get("outcome", ""),
                error=errors.get("outcome"),
            ),
            textarea(
                "reasons",
                "Reasons for the outcome",
                value=values.get("reasons", ""),
                hint="They are sent to the requester in the notice: name no one.",
                error=errors.get("reasons"),
                rows=6,
            ),
            radios(
                "format",
                "Format",
                [("html", "HTML document"), ("pdf", "PDF"), ("json", "JSON")],
                selected=values.get("format", "html"),
                error=errors.get("format"),
                inline=True,
            ),
            p("The exact bytes sent are kept, sealed, and their digest is recorded with the decision."),
            button("Send the review decision", data_prevent_double_click="true"),
        ),
    ]
    summary = [("", general)] if general else []
    summary += [(name, errors[name]) for name in FIELDS if name in errors]
    return page(f"Decide the review of {reference}", body, viewer=viewer, current="requests", errors=summary)


def _read(values: Mapping[str, list[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """The form's values, and a problem for each field not filled in as it must be."""
    entered = {name: (values.get(name) or [""])[0] for name in FIELDS}
    errors: dict[str, str] = {}
    if entered["outcome"] not in {o.value for o in ReviewOutcome}:
        errors["outcome"] = "Choose the outcome of the review"
    if not entered["reasons"].strip():
        errors["reasons"] = "Enter the reasons for the outcome of the review"
    if entered["format"] not in FORMATS:
        errors["format"] = f"Choose the format: one of {', '.join(FORMATS)}"
    return entered, errors


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/requests/foi/{reference:str}/review-decision", sync_to_thread=True)
    def review_decision_form(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            refused = _allowed(app, viewer, reference)
            if refused is not None:
                return html(_not_now(viewer, reference, refused), 422)
            return html(_page(viewer, reference))

    @post(PAGES + "/requests/foi/{reference:str}/review-decision")
    async def review_decision(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            entered, errors = _read(values)
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                refused = _allowed(app, viewer, reference)
                if refused is not None:
                    return html(_not_now(viewer, reference, refused), 422)
                if errors:
                    return html(_page(viewer, reference, entered, errors), 400)
                try:
                    sent, _ = foi.decide_review(
                        app,
                        reference,
                        viewer.actor,
                        ReviewOutcome(entered["outcome"]),
                        entered["reasons"],
                        FORMATS[entered["format"]],
                    )
                except InvalidInput as error:
                    field = error.field.lstrip("-") if error.field.lstrip("-") in FIELDS else ""
                    message = f"{option_label(error.field.lstrip('-'))}: {error.rule}"
                    shown = {field: message} if field else {}
                    return html(_page(viewer, reference, entered, shown, None if field else message), 400)
                except RuleViolation as error:
                    said = f"The notice was not sent: {error.message} ({error.rule}). Nothing was recorded."
                    return html(_page(viewer, reference, entered, general=said), 422)
            return see_other(f"{PAGES}/requests/foi/{reference}?recorded={STEP}&version={sent.version}")

        return await anyio.to_thread.run_sync(work)

    return [review_decision_form, review_decision]
