"""The log as a whole: verification, the latest signed checkpoint, the log's key, and the access log."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Response, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import QueryParameter

from adapters.app.authority import Reading
from adapters.governance.access_log import AccessEntry, entries
from adapters.http.auth import SignedInRequest, may_read
from adapters.http.errors import responses
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import REFERENCE_PATTERN
from adapters.store.verification import verify_ledger
from domain.kernel.errors import RecordNotFound

_TEXT = "text/plain; charset=utf-8"


class VerifyFailure(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    stream: str
    version: int
    problem: str


class VerifyReport(msgspec.Struct, frozen=True, kw_only=True):
    intact: bool
    events: int
    tree_size: int
    failures: list[VerifyFailure]


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    common: dict[str, Any] = {"tags": ["log"], "sync_to_thread": True}

    @get(
        "/log/verify",
        summary="Verify the whole log",
        description="Every signature, chain link, the Merkle tree and every checkpoint, as `reviewledger verify`.",
        responses=responses(401, 403),
        **common,
    )
    def verify(request: SignedInRequest) -> VerifyReport:
        with pool.borrow() as app:
            may_read(app, request, Reading.VERIFY)
            report = verify_ledger(app.ledger)
        return msgspec.convert(report.as_json(), VerifyReport)

    @get(
        "/log/checkpoint",
        summary="The latest signed checkpoint",
        description="A C2SP signed note; keep it, and check later logs against it (`verify --against`).",
        media_type=_TEXT,
        responses=responses(401, 403, 404),
        **common,
    )
    def checkpoint(request: SignedInRequest) -> Response[str]:
        with pool.borrow() as app:
            may_read(app, request, Reading.CHECKPOINT)
            note = app.ledger.tree.latest_checkpoint()
        if note is None:
            raise RecordNotFound("checkpoint", "latest")
        return Response(note, media_type=_TEXT)

    @get(
        "/log/key",
        summary="The log's public key",
        description="In C2SP verifier-key form; obtain it through another channel too before trusting it.",
        media_type=_TEXT,
        responses=responses(401, 403),
        **common,
    )
    def log_key(request: SignedInRequest) -> Response[str]:
        with pool.borrow() as app:
            may_read(app, request, Reading.CHECKPOINT)
            key = app.ledger.log_verifier_key()
        return Response(key + "\n", media_type=_TEXT)

    @get(
        "/access-log",
        summary="Who read which record's personal data, and why",
        description="The latest entries first; refused reads are listed too.",
        responses=responses(400, 401, 403),
        **common,
    )
    def access_log(
        request: SignedInRequest,
        record: Annotated[str | None, QueryParameter(pattern=REFERENCE_PATTERN, max_length=64)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> list[AccessEntry]:
        with pool.borrow() as app:
            may_read(app, request, Reading.ACCESS_LOG)
            return entries(app, record=record, limit=limit)

    return [verify, checkpoint, log_key, access_log]
