"""Responding to an FOI request from its page: the response's own form, never the generic step form.

Responding keeps the exact bytes sent, sealed under the request file's data key, and records the
response with their SHA-256 (`adapters/governance/foi/requests.py: respond`), as sending a subject access pack does;
the generic form would record the step without them, so the request file's steps link here
instead (`adapters/web/pages/ig/foi.py: foi_place`). The officer chooses the format (a PDF bundles the documents the
response gives), and may say that the information is not held, or neither confirm nor deny
holding it under the exemptions chosen, with the public interest reasons where one is qualified.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.governance.foi import requests as foi
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    checkbox,
    fieldset,
    heading,
    p,
    radios,
    textarea,
)
from adapters.web.html import Child, Html
from adapters.web.layout import IG_ROLES, PAGES, Viewer, form, page
from adapters.web.pages.steps import form_values
from adapters.web.respond import html, see_other
from adapters.web.session import check_form, viewer_of
from domain.governance.exemptions import EXEMPTIONS, Section
from domain.governance.sar.steps import PackFormat
from domain.kernel.errors import InvalidInput, NotAuthorised

RequestRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", max_length=64)]
FORMATS = {"html": PackFormat.HTML, "pdf": PackFormat.PDF, "json": PackFormat.JSON}
STEP = "respond-to-foi-request"


def respond_href(reference: str) -> str:
    return f"{PAGES}/requests/foi/{reference}/respond"


def _require(viewer: Viewer) -> None:
    if not viewer.holds(*IG_ROLES):
        needs = " or ".join(sorted(r.value for r in IG_ROLES))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", "responding to an FOI request", "-")


def _page(viewer: Viewer, reference: str) -> Html:
    _require(viewer)
    body: list[Child] = [
        breadcrumbs(
            [
                ("Information requests", f"{PAGES}/requests"),
                (reference, f"{PAGES}/requests/foi/{reference}"),
            ]
        ),
        heading("Send the response", caption=reference),
        form(
            respond_href(reference),
            viewer,
            radios(
                "format",
                "Format",
                [("html", "HTML document"), ("pdf", "PDF, with the documents it gives"), ("json", "JSON")],
                selected="html",
                inline=True,
            ),
            textarea(
                "not_held",
                "The information is not held (optional)",
                hint="Leave empty unless the response is that the information is not held (FOISA s.17); "
                "then say why.",
                rows=3,
            ),
            fieldset(
                "Neither confirm nor deny (optional)",
                *(
                    checkbox(
                        "ncnd",
                        f"{e.section}: {e.title}",
                        value=section.value,
                        field_id=f"ncnd-{section.value}",
                    )
                    for section, e in EXEMPTIONS.items()
                    if e.neither_confirm_nor_deny
                ),
                hint="Choose the exemptions a response that neither confirms nor denies rests on (FOISA s.18).",
                field_id="ncnd",
            ),
            textarea(
                "ncnd_public_interest",
                "Why the public interest favours neither confirming nor denying",
                hint="Needed when a chosen exemption is qualified.",
                rows=3,
            ),
            p("The exact bytes sent are kept, sealed, and their digest is recorded with the response."),
            button("Send the response"),
        ),
    ]
    return page(f"Respond to {reference}", body, viewer=viewer, current="requests")


def _sections(chosen: list[str]) -> tuple[Section, ...]:
    try:
        return tuple(Section(value) for value in chosen if value)
    except ValueError:
        raise InvalidInput("ncnd", "choose among the exemptions listed") from None


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/requests/foi/{reference:str}/respond", sync_to_thread=True)
    def respond_form(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            foi.load(app, reference)  # a request, or RecordNotFound
            return html(_page(viewer, reference))

    @post(PAGES + "/requests/foi/{reference:str}/respond")
    async def respond(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            fmt = FORMATS.get((values.get("format") or [""])[0])
            if fmt is None:
                raise InvalidInput("format", f"must be one of {', '.join(FORMATS)}")
            not_held = (values.get("not_held") or [""])[0].strip() or None
            sections = _sections(values.get("ncnd") or [])
            interest = (values.get("ncnd_public_interest") or [""])[0].strip()
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                _require(viewer)
                sent, _ = foi.respond(
                    app,
                    reference,
                    viewer.actor,
                    fmt,
                    not_held=not_held,
                    ncnd_sections=sections,
                    ncnd_public_interest=interest,
                )
            return see_other(f"{PAGES}/requests/foi/{reference}?recorded={STEP}&version={sent.version}")

        return await anyio.to_thread.run_sync(work)

    return [respond_form, respond]
