"""Who is looking at a page: the session cookie, the form token, and signing in and out.

The cookie holds the same kind of session token as the API's bearer token (`adapters/app/users.py`:
scrypt-checked password, expiring, revocable, only its digest stored). It is `Secure`,
`HttpOnly` and `SameSite=Strict`, and named with the `__Host-` prefix so that it can only have
been set by this host, over HTTPS or on the loopback address, for every path.

Every POST must carry the session's form token (`audit/form_tokens.py`) in a hidden field, and
must come from this site: a request whose `Origin` (or `Sec-Fetch-Site`) names another site is
refused before anything else happens, which also protects the sign-in form itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from litestar import Request

from adapters.app import users
from adapters.app.application import Application
from adapters.app.users import NotSignedIn
from adapters.web.layout import PAGES, Viewer
from audit.form_tokens import FormTokenError, check_form_token, form_token
from domain.kernel.errors import ReviewledgerError

COOKIE = "__Host-reviewledger-session"


class FormRefused(ReviewledgerError):
    """A submitted form did not come from this site's own page for this session."""


def session_token(request: Request[Any, Any, Any]) -> str | None:
    token = request.cookies.get(COOKIE)
    return token.strip() if token else None


def viewer_of(app: Application, request: Request[Any, Any, Any]) -> Viewer:
    """The signed-in person, with the roles the registry gives them now; NotSignedIn otherwise."""
    token = session_token(request)
    if not token:
        raise NotSignedIn("sign in to see this page")
    signed_in = users.authenticate(app, token)
    return Viewer(
        actor=signed_in.actor, roles=app.acting(signed_in.actor).roles, form_token=form_token(token)
    )


def same_site(request: Request[Any, Any, Any]) -> None:
    """Refuse a POST that another site's page made (the browser names where it came from)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise FormRefused("the form was sent from another site: nothing was done")
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise FormRefused("the form was sent from another site: nothing was done")


def check_form(request: Request[Any, Any, Any], viewer: Viewer, fields: Mapping[str, Any]) -> None:
    """A POST from this site, carrying this session's form token."""
    same_site(request)
    token = session_token(request)
    presented = fields.get("form_token")
    try:
        check_form_token(token or "", presented if isinstance(presented, str) else None)
    except FormTokenError as error:
        raise FormRefused(str(error)) from None
    if viewer.form_token != presented:
        raise FormRefused("the form's token is not this session's: reload the page and submit it again")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of this site only, never another site."""
    if target and target.startswith(f"{PAGES}/") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{PAGES}/reviews"


def cookie_header(token: str, max_age: int) -> str:
    return f"{COOKIE}={token}; Path=/; Max-Age={max_age}; Secure; HttpOnly; SameSite=Strict"


def clearing_cookie_header() -> str:
    return f"{COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict"
