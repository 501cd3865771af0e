"""A review's documents on its pages: the list, attaching a file to a step, and downloading one.

The list holds no personal data (ids, steps, kinds, whom each is about); it is shown to those who
may read the review's history. Attaching is for the review's team, as on the command line and the
API (`adapters/governance/documents.py` decides). A download is a read of the review's personal data for the
review, logged before any byte is sent, and sent with `no-store` and a file name made of the
document's id.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter
from litestar.response import Stream

from adapters.app.authority import TEAMS, Reading
from adapters.app.need_to_know import reads_every_value
from adapters.app.records import record_type_for
from adapters.governance import documents
from adapters.http.documents import download_headers, spooled, streamed
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    heading,
    label,
    link,
    notification,
    p,
    table,
    tag,
    text_input,
)
from adapters.web.html import Child, Html, el
from adapters.web.layout import PAGES, Viewer, form, page
from adapters.web.respond import SECURITY_HEADERS, html, may_read, see_other
from adapters.web.session import check_form, viewer_of
from domain.governance.documents import DocumentAttached
from domain.kernel.errors import InvalidInput

Reference = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", max_length=64)]
DocumentRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$", max_length=81)]
_COPY = 1024 * 1024


def _page(app: Any, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    kind = record_type_for(app, reference, None)
    may_read(app, viewer, Reading.HISTORY, reference, kind)
    found = documents.listed(app, reference)
    base = f"{PAGES}/reviews/{reference}/documents"
    # The files are the review's personal data: offered only to those the need-to-know table gives them.
    opens = reads_every_value(app, viewer.actor, reference)
    rows = [
        (
            d.document_id,
            f"step {d.step_version}",
            d.media_type.name,
            str(d.pages),
            ", ".join(d.about),
            _file_cell(d, base, opens),
        )
        for d in found
    ]
    body: list[Child] = [
        breadcrumbs([("Reviews", f"{PAGES}/reviews"), (reference, f"{PAGES}/reviews/{reference}")]),
        notification("Recorded", p(query["recorded"]), success=True) if query.get("recorded") else None,
        heading("Documents", caption=reference),
        table(["Document", "Step", "Kind", "Pages", "About", "File"], rows, row_headers=True)
        if rows
        else p("No document is attached to this review's steps."),
    ]
    if opens and TEAMS[kind] & viewer.roles:
        body.append(
            form(
                base,
                viewer,
                heading("Attach a file to a step", size="m", level=2),
                text_input(
                    "version", "The step's version", width="4", input_type="text", inputmode="numeric"
                ),
                text_input(
                    "about", "Whom it is about", hint="Data-subject ids, separated by commas: S-...,S-..."
                ),
                el(
                    "div",
                    label("File (PDF, DOCX, ODT, plain text, PNG or JPEG)", "file"),
                    el("input", type="file", id="file", name="file", class_="govuk-file-upload"),
                    class_="govuk-form-group",
                ),
                button("Attach"),
                enctype="multipart/form-data",
            )
        )
    return page(f"Documents of {reference}", body, viewer=viewer, current="reviews")


def _file_cell(d: DocumentAttached, base: str, opens: bool) -> Child:
    """The download link, for those who may open the file; a machine-unreadable file is marked for review by eye."""
    if not opens:
        return "opened by the review's team only"
    download = link(f"Download {d.document_id}", f"{base}/{d.document_id}/file")
    return download if d.machine_readable else el("span", download, " ", tag("Review by eye"))


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/reviews/{reference:str}/documents", sync_to_thread=True)
    def listed(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(_page(app, viewer, reference, query))

    @post(
        PAGES + "/reviews/{reference:str}/documents",
        request_max_body_size=documents.max_bytes() + _COPY,
    )
    async def attach(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        submitted = await request.form()
        fields = {k: v for k, v in submitted.items() if isinstance(v, str)}
        upload = submitted.get("file")

        def work() -> Response[bytes]:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("file", "choose a file to attach")
            try:
                version = int(fields.get("version", "").strip())
            except ValueError:
                raise InvalidInput("version", "must be the version of the step the file belongs to") from None
            about = tuple(s.strip() for s in fields.get("about", "").split(",") if s.strip())
            handle, name = tempfile.mkstemp(prefix="reviewledger-upload-")
            path = Path(name)
            try:
                with os.fdopen(handle, "wb") as file:
                    shutil.copyfileobj(upload.file, file, _COPY)
                with pool.borrow() as app:
                    viewer = request.state.viewer = viewer_of(app, request)
                    check_form(request, viewer, fields)
                    attached = documents.attach(
                        app,
                        review=reference,
                        step_version=version,
                        path=path,
                        about=about,
                        actor=viewer.actor,
                    )
            finally:
                path.unlink(missing_ok=True)
            said = f"{attached.document.document_id} attached to step {attached.document.step_version}"
            if attached.not_confirmed:
                said += f"; the detector also found {', '.join(attached.not_confirmed)} in it"
            return see_other(f"{PAGES}/reviews/{reference}/documents?{urlencode({'recorded': said})}")

        return await anyio.to_thread.run_sync(work)

    @get(PAGES + "/reviews/{reference:str}/documents/{document_id:str}/file", sync_to_thread=True)
    def file(request: Request[Any, Any, Any], reference: Reference, document_id: DocumentRef) -> Stream:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            document, chunks = documents.open_for(
                app, review=reference, document_id=document_id, actor=viewer.actor, purpose="review"
            )
            path = spooled(chunks)
        headers = {**SECURITY_HEADERS, **download_headers(document)}
        return Stream(streamed(path), media_type=document.media_type.value, headers=headers)

    return [listed, attach, file]
