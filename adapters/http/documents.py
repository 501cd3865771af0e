"""A review's documents through the API: list them, attach a file to a step, download one.

A download is personal data: it is checked and logged like any read of the review's personal
data (a purpose, and for an IG read the request), and it carries `Cache-Control: no-store` and a
file name made of the document's id only. The file is copied out of the store segment by
segment into a temporary file and streamed from there, so it is never whole in memory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Stream

from adapters.app.authority import Purpose, Reading
from adapters.governance import documents
from adapters.http.auth import SignedInRequest, may_read
from adapters.http.errors import request_id, responses
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import REFERENCE_PATTERN, Reference, review_kind
from domain.governance.documents import DocumentAttached
from domain.kernel.errors import InvalidInput

DOCUMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$"
_COPY = 1024 * 1024


def download_headers(document: DocumentAttached) -> dict[str, str]:
    """What a download carries: never cached, named by the document's id alone."""
    return {
        "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="{documents.download_name(document)}"',
        "X-Content-Type-Options": "nosniff",
    }


def spooled(chunks: Iterator[bytes]) -> Path:
    """Copy a document into a private temporary file, segment by segment."""
    handle, name = tempfile.mkstemp(prefix="reviewledger-document-")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def streamed(path: Path) -> Iterator[bytes]:
    """The file's bytes in pieces; the file is removed once sent (or the client goes away)."""
    try:
        with path.open("rb") as file:
            while piece := file.read(_COPY):
                yield piece
    finally:
        path.unlink(missing_ok=True)


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    common: dict[str, Any] = {"tags": ["documents"], "sync_to_thread": True}

    @get(
        "/reviews/{reference:str}/documents",
        summary="A review's documents: id, step, kind, size, pages and whom each is about",
        responses=responses(400, 401, 403, 404),
        **common,
    )
    def listed(request: SignedInRequest, reference: Reference) -> list[DocumentAttached]:
        with pool.borrow() as app:
            may_read(app, request, Reading.HISTORY, reference, review_kind(app, reference))
            return documents.listed(app, reference)

    @post(
        "/reviews/{reference:str}/documents",
        summary="Attach a file to a step (PDF, DOCX, ODT, plain text, PNG or JPEG, recognised from its content)",
        description="multipart/form-data: `version` (the step), `about` (data-subject ids, comma-separated), `file`.",
        responses=responses(400, 401, 403, 404, 409, 422),
        request_max_body_size=documents.max_bytes() + _COPY,
        **common,
    )
    def attach(
        request: SignedInRequest,
        reference: Reference,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> documents.Attached:
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file", "must be a file sent as multipart/form-data")
        try:
            version = int(str(data.get("version", "")))
        except ValueError:
            raise InvalidInput("version", "must be the version of the step the file belongs to") from None
        about = tuple(s.strip() for s in str(data.get("about", "")).split(",") if s.strip())
        handle, name = tempfile.mkstemp(prefix="reviewledger-upload-")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as file:
                shutil.copyfileobj(upload.file, file, _COPY)
            with pool.borrow() as app:
                return documents.attach(
                    app,
                    review=reference,
                    step_version=version,
                    path=path,
                    about=about,
                    actor=request.user.actor,
                )
        finally:
            path.unlink(missing_ok=True)

    @get(
        "/reviews/{reference:str}/documents/{document_id:str}",
        summary="Download a document (a read of personal data: logged, never cached)",
        responses=responses(400, 401, 403, 404),
        **common,
    )
    def download(
        request: SignedInRequest,
        reference: Reference,
        document_id: Annotated[
            str, PathParameter(description="e.g. LR-2026-001-D1", pattern=DOCUMENT_ID_PATTERN, max_length=81)
        ],
        purpose: Annotated[Purpose, QueryParameter(description="why personal data is read")] = Purpose.REVIEW,
        ig_request: Annotated[
            str | None,
            QueryParameter(
                name="request", pattern=REFERENCE_PATTERN, max_length=64, description="the IG request"
            ),
        ] = None,
    ) -> Stream:
        with pool.borrow() as app:
            document, chunks = documents.open_for(
                app,
                review=reference,
                document_id=document_id,
                actor=request.user.actor,
                purpose=purpose,
                ig_request=ig_request,
                request_id=request_id() or None,
            )
            path = spooled(chunks)
        return Stream(
            streamed(path), media_type=document.media_type.value, headers=download_headers(document)
        )

    return [listed, attach, download]
