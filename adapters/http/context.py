"""The entry point of every request: a request id, bound to every log line, and one line per request.

The request id is the client's `X-Request-ID` when it is a plain token, or a new one; it is
sent back in the same header and in every error body. The signed-in person's actor id is
bound by authentication (`adapters/http/auth.py`). The request's line names the route's
template, not the path as sent, and no query string, so nothing a client typed into a URL
reaches the log.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("adapters.http")

_CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REQUEST_ID_HEADER = "X-Request-ID"


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"x-request-id":
            text = value.decode("latin-1")
            return text if _CLIENT_ID.fullmatch(text) else None
    return None


REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _reference(scope: Scope) -> str | None:
    found = (scope.get("path_params") or {}).get("reference")
    return found if isinstance(found, str) and REFERENCE.fullmatch(found) else None


def request_context(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: bind the request id, log the request's outcome, send the id back."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        structlog.contextvars.clear_contextvars()
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            log.info(
                "http_request",
                method=scope.get("method"),
                route=scope.get("path_template") or "(no route)",
                record=_reference(scope),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.clear_contextvars()

    return middleware
