"""What every page answer shares: security headers, reads checked and logged, and errors as pages.

Pages are never cached (they may show what only this person may read), may not be framed,
and load scripts and styles from this site only (`Content-Security-Policy`). A refused read is
written to the access log before the refusal is shown, as the API does. Errors are pages that
say what happened in words, with the status the API would give; "not signed in" sends the
person to the sign-in page and back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import quote

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.types import ExceptionHandlersMap

from adapters.app import record_names
from adapters.app.application import Application
from adapters.app.authority import Reading, require_reading
from adapters.app.users import NotSignedIn, SignInRefused, TooManySignIns
from adapters.governance.access_log import WHOLE_LOG, record_access
from adapters.http.errors import request_id
from adapters.store.ledger import LedgerNotInitialised
from adapters.web import glossary
from adapters.web.components import heading, p
from adapters.web.html import Html, el
from adapters.web.layout import PAGES, Viewer, page
from domain.kernel.aggregate import Aggregate
from domain.kernel.errors import (
    ConcurrentChange,
    InvalidInput,
    NotAuthorised,
    RecordNotFound,
    ReviewledgerError,
    RuleViolation,
)
from domain.kernel.roles import Acting

log = structlog.get_logger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

P = ParamSpec("P")
R = TypeVar("R")


def reads_once(page: Callable[Concatenate[Application, P], R]) -> Callable[Concatenate[Application, P], R]:
    """A page that asks for a record's events several times (its state, its trail, its words)
    reads and checks each stream once while it is drawn (`LedgerReading.reading_once`)."""

    @functools.wraps(page)
    def drawn(app: Application, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with app.ledger.reading_once():
            return page(app, *args, **kwargs)

    return drawn


def html(markup: Html, status: int = 200, headers: dict[str, str] | None = None) -> Response[bytes]:
    return Response(
        markup.encode("utf-8"),
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={**SECURITY_HEADERS, **(headers or {})},
    )


def see_other(location: str, headers: dict[str, str] | None = None) -> Response[bytes]:
    """Post/redirect/get: after a form is handled, the browser fetches the result page."""
    return Response(
        b"",
        status_code=HTTP_303_SEE_OTHER,
        headers={**SECURITY_HEADERS, "Location": location, **(headers or {})},
    )


def download(body: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        body,
        media_type=media_type,
        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


def may_read(
    app: Application,
    viewer: Viewer,
    reading: Reading,
    record: str = WHOLE_LOG,
    record_type: type[Aggregate] | None = None,
) -> None:
    """The authority table's answer for this read; a refusal is written to the access log first."""
    try:
        require_reading(Acting(actor=viewer.actor, roles=viewer.roles), reading, record, record_type)
    except NotAuthorised:
        record_access(
            app, actor=viewer.actor, record=record, view=reading, granted=False, request_id=request_id() or ""
        )
        raise


# -- errors as pages ------------------------------------------------------------------------------


def _viewer(request: Request[Any, Any, Any]) -> Viewer | None:
    found = request.state.get("viewer")
    return found if isinstance(found, Viewer) else None


def error_page(request: Request[Any, Any, Any], status: int, title: str, message: str) -> Response[bytes]:
    found_id = request_id()
    body = [
        heading(title),
        p(glossary.in_words(record_names.in_words(message))),
        p("Reference for the administrator: ", el("span", found_id, class_="rl-mono")) if found_id else None,
        p(el("a", "Go to the list of reviews", href=f"{PAGES}/reviews", class_="govuk-link")),
    ]
    return html(page(title, body, viewer=_viewer(request)), status)


def _not_signed_in(request: Request[Any, Any, Any], _: NotSignedIn) -> Response[bytes]:
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    where = f"{PAGES}/sign-in" + (f"?next={quote(target, safe='')}" if request.method == "GET" else "")
    return see_other(where)


def _reviewledger_error(request: Request[Any, Any, Any], error: ReviewledgerError) -> Response[bytes]:
    if isinstance(error, NotSignedIn):
        return _not_signed_in(request, error)
    if isinstance(error, NotAuthorised):
        log.warning("not_authorised", record=error.record, action=error.action, needs=error.needs)
        return error_page(request, 403, "You cannot do this", str(error))
    if isinstance(error, RecordNotFound):
        # The reference as a person writes it, without the store's prefix for its kind of record.
        reference = record_names.reference_of(error.reference)
        return error_page(
            request, 404, "Page not found", f"There is no {error.kind} with reference {reference!r}."
        )
    if isinstance(error, ConcurrentChange):
        return error_page(request, 409, "Someone else changed the record", str(error))
    if isinstance(error, RuleViolation):
        return error_page(request, 422, "The procedure does not allow this now", str(error))
    if isinstance(error, InvalidInput):
        return error_page(request, 400, "There is a problem with the request", str(error))
    if isinstance(error, TooManySignIns | SignInRefused):
        return error_page(request, 401, "Sign in again", str(error))
    if isinstance(error, LedgerNotInitialised):
        return error_page(request, 503, "The record is not set up", str(error))
    return error_page(request, 400, "This could not be done", str(error))


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[bytes]:
    if error.status_code >= 500:
        log.error("http_error", status=error.status_code, error=type(error).__name__)
        return error_page(
            request, error.status_code, "Sorry, there is a problem with the service", "Try again later."
        )
    if error.status_code == 404:
        return error_page(
            request, 404, "Page not found", "If you typed the web address, check it is correct."
        )
    return error_page(request, error.status_code, "There is a problem with the request", str(error.detail))


def _unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    # The message may hold values from the request: only the type is logged.
    log.error("unexpected_error", error=type(error).__name__)
    return error_page(request, 500, "Sorry, there is a problem with the service", "Try again later.")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ReviewledgerError: _reviewledger_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}
