"""What every answer carries and what every body is held to, before any route runs.

Every response gets headers that keep personal data out of caches and stop a browser guessing
at content types or framing it (a route's own headers, such as a page's policy or an asset's
caching, are kept). Every request body is checked for how deeply it nests before it is decoded:
a decoder meeting fifty thousand nested arrays runs out of stack, so such a body is answered
400 naming the rule, as any other bad input is. A body over the size limit is left to the
framework, whose refusal is answered 400 naming the limit (adapters/http/errors.py).
"""

from __future__ import annotations

import re

import msgspec
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from adapters.http.errors import ErrorBody, request_id

MAX_DEPTH = 32  # a step's forms nest a few levels; nothing honest comes near this
# JSON API answers: not cached anywhere, not sniffed, not framed, not referred on.
RESPONSE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')  # once escapes are gone no string holds a quote: no backtracking
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_FORMS = (b"application/x-www-form-urlencoded", b"multipart/form-data")


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether the JSON text `body` opens more than `limit` arrays or objects inside each other.

    Strings are taken out, then the brackets left are peeled a layer at a time (each round takes
    away every innermost pair), so the work is a few passes in C over at most `limit` rounds,
    never a step per byte in Python. Brackets never closed count as deep as they go.
    """
    brackets = _STRING.sub(b"", _ESCAPE.sub(b"", body)).translate(_BRACKETS, _NOT_A_BRACKET)
    depth = 0
    while True:
        peeled = brackets.replace(b"[]", b"")
        if peeled == brackets:
            return depth + brackets.count(b"[") > limit
        depth += 1
        if depth > limit:
            return True
        brackets = peeled


def _content_type(scope: Scope) -> bytes:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-type":
            return bytes(value).lower()
    return b""


def guarded(app: ASGIApp, max_body: int) -> ASGIApp:
    """ASGI middleware: the response headers on every answer, and the nesting limit on every body."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in RESPONSE_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        if _content_type(scope).startswith(_FORMS):
            await app(scope, receive, send_with_headers)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more and size <= max_body:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before it finished sending
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if size <= max_body and nests_deeper_than(body, MAX_DEPTH):
            await _refuse_deep(send_with_headers)
            return
        replayed = False

        async def replay() -> ReceiveMessage:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": more}
            return await receive()

        await app(scope, replay, send_with_headers)

    return middleware


async def _refuse_deep(send: Send) -> None:
    rule = f"must not nest arrays or objects more than {MAX_DEPTH} deep"
    body = msgspec.json.encode(
        ErrorBody(
            error="invalid_input", message=f"body: {rule}", field="body", rule=rule, request_id=request_id()
        )
    )
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
