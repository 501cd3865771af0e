"""The Litestar application: routes per area over one pool of Applications, and the OpenAPI description.

Nothing here decides anything: each endpoint checks who may read what (adapters/app/authority.py),
calls the same application services as the command line, and returns their Structs.
`/openapi.json` describes every endpoint, every step's body and every error body.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from litestar import Litestar, MediaType, Request, get
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ASGIApp, ControllerRouterHandler

from adapters import web
from adapters.app.users import SESSION_LIFETIME
from adapters.http import (
    auth,
    client_address,
    disclosures,
    documents,
    integrity,
    review_views,
    reviews,
    sar_requests,
    subjects,
)
from adapters.http.client_address import Network
from adapters.http.context import request_context
from adapters.http.errors import EXCEPTION_HANDLERS
from adapters.http.guard import guarded
from adapters.http.pool import ApplicationPool
from audit.passwords import DEFAULT_COST, ScryptCost

TITLE = "reviewledger"
VERSION = "0.1.0"
MAX_BODY = 1024 * 1024  # a step's fields are small; anything bigger is refused with 400 naming the limit


@get("/openapi.json", opt={auth.PUBLIC: True}, include_in_schema=False, media_type=MediaType.JSON)
async def openapi_json(request: Request[Any, Any, State]) -> dict[str, Any]:
    described: dict[str, Any] | None = request.app.state.get("openapi")
    if described is None:
        described = request.app.state["openapi"] = describe(request.app)
    return described


def describe(app: Litestar) -> dict[str, Any]:
    """The OpenAPI description, with one correction: a step's `type` tag may be left out of its body."""
    schema = app.openapi_schema.to_schema()
    for component in schema.get("components", {}).get("schemas", {}).values():
        tag = component.get("properties", {}).get("type", {})
        if "const" in tag and "type" in component.get("required", []):
            # msgspec fills in a Struct's tag when decoding into that one Struct type.
            component["required"] = [r for r in component["required"] if r != "type"]
    return schema


def create_app(
    pool: ApplicationPool,
    *,
    session_lifetime: timedelta = SESSION_LIFETIME,
    password_cost: ScryptCost = DEFAULT_COST,
    trusted_proxies: Sequence[Network] = (),
) -> ASGIApp:
    """The whole HTTP API as one ASGI application.

    The request context (request id, one log line per request) wraps the framework itself, so
    that it also covers what the framework answers before any route runs (no such path, not
    signed in). Inside it, every answer gets the security headers and every body is held to the
    nesting limit (adapters/http/guard.py).
    """
    return request_context(
        guarded(
            create_litestar(
                pool,
                session_lifetime=session_lifetime,
                password_cost=password_cost,
                trusted_proxies=trusted_proxies,
            ),
            MAX_BODY,
        )
    )


def create_litestar(
    pool: ApplicationPool,
    *,
    session_lifetime: timedelta = SESSION_LIFETIME,
    password_cost: ScryptCost = DEFAULT_COST,
    trusted_proxies: Sequence[Network] = (),
) -> Litestar:
    handlers: list[ControllerRouterHandler] = [
        openapi_json,
        *auth.routes(pool, session_lifetime, password_cost),
        *reviews.routes(pool),
        *subjects.routes(pool),
        *review_views.routes(pool),
        *documents.routes(pool),
        *disclosures.routes(pool),
        *integrity.routes(pool),
        *sar_requests.routes(pool),
        web.router(
            pool, public_key=auth.PUBLIC, session_lifetime=session_lifetime, password_cost=password_cost
        ),
    ]
    return Litestar(
        route_handlers=handlers,
        middleware=[DefineMiddleware(auth.BearerAuthentication, exclude_from_auth_key=auth.PUBLIC)],
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"pool": pool, client_address.STATE_KEY: tuple(trusted_proxies)}),
        request_max_body_size=MAX_BODY,
        logging_config=None,
        openapi_config=OpenAPIConfig(
            title=TITLE,
            version=VERSION,
            description=(
                "Signed, tamper-evident records of learning reviews. Sign in with POST /sessions and send "
                "the token as `Authorization: Bearer <token>`. Errors are JSON: `error`, `message`, and "
                "for bad input the `field` and the `rule`."
            ),
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="token")
                }
            ),
            security=[{"bearer": []}],
        ),
    )
