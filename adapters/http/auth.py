"""Signing in and out, and who is asking: bearer tokens checked on every request but sign-in.

`POST /sessions` checks the password (scrypt, rate-limited) and returns a bearer token that
expires; `DELETE /sessions/current` ends it. Every other request must carry
`Authorization: Bearer <token>`; the middleware checks the session and binds the person's
actor id to the request's log lines. Steps are then signed with that person's own key.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Annotated, Any

import anyio.to_thread
import msgspec
import structlog
from litestar import Request, Response, delete, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers import HTTPRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.params import JSONBody

from adapters.app import users
from adapters.app.application import Application
from adapters.app.authority import Reading, require_reading
from adapters.app.users import NotSignedIn, SignedIn
from adapters.governance.access_log import WHOLE_LOG, record_access
from adapters.http.client_address import request_client
from adapters.http.errors import request_id, responses
from adapters.http.pool import ApplicationPool
from audit.passwords import DEFAULT_COST, ScryptCost
from domain.kernel.aggregate import Aggregate
from domain.kernel.errors import NotAuthorised
from domain.kernel.roles import Acting

PUBLIC = "public"  # a handler's opt key: no sign-in needed


class SignIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A person's actor id and password, as the administrator set it up (`reviewledger users add`)."""

    actor: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=users.MAX_PASSWORD_LENGTH)]


class SessionIssued(msgspec.Struct, frozen=True, kw_only=True):
    token: str  # send as `Authorization: Bearer <token>`
    token_type: str
    actor: str
    roles: list[str]
    expires_at: datetime


class SessionInfo(msgspec.Struct, frozen=True, kw_only=True):
    actor: str
    roles: list[str]
    expires_at: datetime


def _pool(connection: ASGIConnection[Any, Any, Any, Any]) -> ApplicationPool:
    pool: ApplicationPool = connection.app.state["pool"]
    return pool


def _authenticate(pool: ApplicationPool, token: str) -> SignedIn:
    with pool.borrow() as app:
        return users.authenticate(app, token)


class BearerAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        scheme, _, token = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotSignedIn
        signed_in = await anyio.to_thread.run_sync(partial(_authenticate, _pool(connection), token.strip()))
        structlog.contextvars.bind_contextvars(actor=signed_in.actor)
        return AuthenticationResult(user=signed_in, auth=token.strip())


SignedInRequest = Request[SignedIn, str, State]


def acting(app: Application, request: SignedInRequest) -> Acting:
    """The signed-in person with the roles the registry gives them now."""
    return app.acting(request.user.actor)


def routes(
    pool: ApplicationPool,
    session_lifetime: timedelta = users.SESSION_LIFETIME,
    password_cost: ScryptCost = DEFAULT_COST,
) -> list[HTTPRouteHandler]:
    @post(
        "/sessions",
        opt={PUBLIC: True},
        tags=["sessions"],
        summary="Sign in",
        description="Check a person's password and open a session; the token expires. Failed sign-ins "
        "are limited per account and per address.",
        responses=responses(400, 401, 429),
        sync_to_thread=True,
        security=[{}],  # no sign-in needed to sign in
    )
    def sign_in(request: Request[Any, Any, State], data: JSONBody[SignIn]) -> SessionIssued:
        with pool.borrow() as app:
            issued = users.sign_in(
                app,
                data.actor,
                data.password,
                request_client(request),
                lifetime=session_lifetime,
                cost=password_cost,
            )
            roles = sorted(r.value for r in app.acting(issued.actor).roles)
        return SessionIssued(
            token=issued.token,
            token_type="Bearer",  # noqa: S106 (the scheme, not a secret)
            actor=issued.actor,
            roles=roles,
            expires_at=issued.expires_at,
        )

    @get(
        "/sessions/current",
        tags=["sessions"],
        summary="Who is signed in",
        responses=responses(401),
        sync_to_thread=True,
    )
    def current(request: SignedInRequest) -> SessionInfo:
        with pool.borrow() as app:
            roles = sorted(r.value for r in app.acting(request.user.actor).roles)
        return SessionInfo(actor=request.user.actor, roles=roles, expires_at=request.user.expires_at)

    @delete(
        "/sessions/current",
        tags=["sessions"],
        summary="Sign out",
        description="End this session now; its token is refused from then on.",
        responses=responses(401),
        sync_to_thread=True,
    )
    def sign_out(request: SignedInRequest) -> Response[None]:
        with pool.borrow() as app:
            users.sign_out(app, request.auth)
        return Response(None, status_code=204)

    return [sign_in, current, sign_out]


def may_read(
    app: Application,
    request: SignedInRequest,
    reading: Reading,
    record: str = WHOLE_LOG,
    record_type: type[Aggregate] | None = None,
) -> Acting:
    """Check the table for this read; a refusal is written to the access log before it is answered 403."""
    by = acting(app, request)
    try:
        require_reading(by, reading, record, record_type)
    except NotAuthorised:
        record_access(
            app, actor=by.actor, record=record, view=reading, granted=False, request_id=request_id() or ""
        )
        raise
    return by
