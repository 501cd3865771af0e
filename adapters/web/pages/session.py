"""Signing in and out of the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler

from adapters.app import users
from adapters.app.users import NotSignedIn, SignInRefused, TooManySignIns
from adapters.http.client_address import request_client
from adapters.http.pool import ApplicationPool
from adapters.web.components import button, heading, notification, p, text_input
from adapters.web.html import el
from adapters.web.layout import PAGES, form, page
from adapters.web.respond import html, see_other
from adapters.web.session import (
    check_form,
    clearing_cookie_header,
    cookie_header,
    safe_next,
    same_site,
    session_token,
    viewer_of,
)
from audit.passwords import ScryptCost


def _sign_in_page(
    next_page: str,
    *,
    actor: str = "",
    errors: list[tuple[str, str]] | None = None,
    signed_out: bool = False,
    status: int = 200,
) -> Response[bytes]:
    problems = errors or []
    field_errors = dict(problems)
    body = [
        notification("Signed out", p("You have signed out."), success=True) if signed_out else None,
        heading("Sign in"),
        p("Sign in with the account your administrator set up for you."),
        form(
            f"{PAGES}/sign-in",
            None,
            el("input", type="hidden", name="next", value=next_page),
            text_input(
                "actor",
                "Account name",
                value=actor,
                error=field_errors.get("actor"),
                width="20",
                autocomplete="username",
                spellcheck="false",
                autocapitalize="none",
            ),
            text_input(
                "password",
                "Password",
                error=field_errors.get("password"),
                width="20",
                input_type="password",
                autocomplete="current-password",
            ),
            button("Sign in"),
        ),
    ]
    return html(page("Sign in", body, viewer=None, errors=problems), status)


def routes(
    pool: ApplicationPool, session_lifetime: timedelta, password_cost: ScryptCost
) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/sign-in", sync_to_thread=True)
    def sign_in_page(request: Request[Any, Any, Any], signed_out: bool = False) -> Response[bytes]:
        target = safe_next(request.query_params.get("next"))
        token = session_token(request)
        if token:
            with pool.borrow() as app:
                try:
                    viewer_of(app, request)
                    return see_other(target)
                except NotSignedIn:
                    pass
        return _sign_in_page(target, signed_out=signed_out)

    @post(f"{PAGES}/sign-in")
    async def sign_in(request: Request[Any, Any, Any]) -> Response[bytes]:
        same_site(request)
        fields = await request.form()
        actor = str(fields.get("actor") or "").strip()
        password = str(fields.get("password") or "")
        target = safe_next(str(fields.get("next") or ""))
        errors = []
        if not actor:
            errors.append(("actor", "Enter your account name"))
        if not password:
            errors.append(("password", "Enter your password"))
        if errors:
            return _sign_in_page(target, actor=actor, errors=errors, status=400)

        def check() -> users.IssuedSession:
            with pool.borrow() as app:
                return users.sign_in(
                    app,
                    actor,
                    password,
                    request_client(request),
                    lifetime=session_lifetime,
                    cost=password_cost,
                )

        try:
            issued = await anyio.to_thread.run_sync(check)
        except SignInRefused:
            return _sign_in_page(
                target,
                actor=actor,
                errors=[("actor", "The account name or the password is not right")],
                status=401,
            )
        except TooManySignIns as error:
            return _sign_in_page(
                target,
                actor=actor,
                errors=[("actor", f"Too many failed sign-ins: try again in {error.retry_after} seconds")],
                status=429,
            )
        max_age = int(session_lifetime.total_seconds())
        return see_other(target, {"Set-Cookie": cookie_header(issued.token, max_age)})

    @post(f"{PAGES}/sign-out")
    async def sign_out(request: Request[Any, Any, Any]) -> Response[bytes]:
        fields = await request.form()

        def end() -> None:
            with pool.borrow() as app:
                viewer = viewer_of(app, request)
                check_form(request, viewer, fields)
                users.sign_out(app, session_token(request) or "")

        await anyio.to_thread.run_sync(end)
        return see_other(f"{PAGES}/sign-in?signed_out=true", {"Set-Cookie": clearing_cookie_header()})

    return [sign_in_page, sign_in, sign_out]
