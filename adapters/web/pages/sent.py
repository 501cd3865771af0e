"""The copy of a response as it was sent, kept byte for byte: downloadable from a request's page, open or closed.

A draft pack is for preparing a response and is offered only while a request is open; what was
sent stays readable after the request is closed, for as long as its personal data is kept. Each
read is written to the access log first, as `sar copy` and `foi copy` do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.governance import sent_documents
from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import foi_stream, sar_stream
from adapters.governance.sar import requests as sar
from adapters.governance.sent_documents import SentDocument
from adapters.http.pool import ApplicationPool
from adapters.web.components import p, table
from adapters.web.html import Html, el
from adapters.web.layout import IG_ROLES, PAGES
from adapters.web.respond import download
from adapters.web.session import viewer_of
from domain.kernel.errors import NotAuthorised, RecordNotFound

RequestRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", max_length=64)]
Digest = Annotated[str, PathParameter(pattern=r"^[0-9a-f]{64}$", max_length=64)]
_EXTENSION = {"text/html": "html", "application/json": "json", "application/pdf": "pdf"}


def sent_href(kind: str, reference: str, sha256: str) -> str:
    return f"{PAGES}/requests/{kind}/{reference}/sent/{sha256}"


def sent_link(kind: str, reference: str, sha256: str) -> Html:
    return el("a", "Download the copy sent", href=sent_href(kind, reference, sha256), class_="govuk-link")


def sent_table(kind: str, reference: str, documents: Sequence[SentDocument]) -> Html:
    """A request's documents sent, each with its digest and a link to the copy kept."""
    if not documents:
        return p("Nothing has been sent.")
    return table(
        ["What", "Type", "Size", "SHA-256", "Copy"],
        [
            (
                d.purpose,
                d.media_type,
                f"{d.size_bytes} bytes",
                el("span", d.sha256, class_="rl-mono"),
                sent_link(kind, reference, d.sha256),
            )
            for d in documents
        ],
    )


def _copy(
    pool: ApplicationPool, request: Request[Any, Any, Any], kind: str, reference: str, sha256: str
) -> Response[bytes]:
    with pool.borrow() as app:
        viewer = request.state.viewer = viewer_of(app, request)
        if not viewer.holds(*IG_ROLES):
            raise NotAuthorised(viewer.actor, "a person holding ig_officer", "a copy sent", "-")
        load, stream = (sar.load, sar_stream) if kind == "sar" else (foi.load, foi_stream)
        load(app, reference)  # an unknown request is refused before anything is read
        found = {d.sha256: d for d in sent_documents.kept(app, stream(reference))}.get(sha256)
        if found is None:
            raise RecordNotFound("document sent with that digest on", reference)
        data = sent_documents.read_copy(
            app, record=stream(reference), request=reference, actor=viewer.actor, sha256_hex=sha256
        )
    if data is None:
        raise RecordNotFound("copy kept of that document any more (disposed of) on", reference)
    media = found.media_type.split(";", 1)[0]
    filename = f"{reference}-sent-{sha256[:12]}.{_EXTENSION.get(media, 'bin')}"
    return download(data, found.media_type, filename)


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/requests/sar/{reference:str}/sent/{sha256:str}", sync_to_thread=True)
    def sar_copy(request: Request[Any, Any, Any], reference: RequestRef, sha256: Digest) -> Response[bytes]:
        return _copy(pool, request, "sar", reference, sha256)

    @get(PAGES + "/requests/foi/{reference:str}/sent/{sha256:str}", sync_to_thread=True)
    def foi_copy(request: Request[Any, Any, Any], reference: RequestRef, sha256: Digest) -> Response[bytes]:
        return _copy(pool, request, "foi", reference, sha256)

    return [sar_copy, foi_copy]
