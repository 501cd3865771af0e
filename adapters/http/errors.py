"""Every error as a JSON body with a status: which field and which rule, never a stack trace.

| error | status |
|---|---|
| bad input (`InvalidInput`, a body or parameter that does not decode, a body nested too deep or too large) | 400, naming the field and the rule |
| not signed in, or a failed sign-in | 401 |
| a role the table does not give (`NotAuthorised`); a personal-data read the need-to-know table refuses | 403 (the latter naming its rule) |
| no such record, no such path | 404 |
| someone else changed the record first (`ConcurrentChange`) | 409 |
| the procedure refuses the step (`RuleViolation`) | 422, citing the rule |
| too many failed sign-ins | 429, with Retry-After |
| anything unexpected | 500, with the request id only (the log line has the error's type) |
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE, HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from adapters.app.users import NotSignedIn, SignInRefused, TooManySignIns
from adapters.store.ledger import LedgerNotInitialised
from domain.kernel.errors import (
    ConcurrentChange,
    InvalidInput,
    NotAuthorised,
    RecordNotFound,
    ReviewledgerError,
    RuleViolation,
)

log = structlog.get_logger(__name__)


class ErrorBody(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What went wrong, in words a person can act on."""

    error: str  # invalid_input, not_signed_in, not_authorised, not_found, conflict, rule_violation, ...
    message: str
    field: str | None = None  # for invalid_input: the field, e.g. "subject.date_of_birth"
    rule: str | None = None  # for invalid_input and rule_violation: the rule broken
    request_id: str | None = None


def request_id() -> str | None:
    found = structlog.contextvars.get_contextvars().get("request_id")
    return found if isinstance(found, str) else None


def error_response(
    status: int, error: str, message: str, headers: dict[str, str] | None = None, **detail: str | None
) -> Response[ErrorBody]:
    body = ErrorBody(error=error, message=message, request_id=request_id(), **detail)
    return Response(body, status_code=status, headers=headers)


_UNAUTHENTICATED = {"WWW-Authenticate": 'Bearer realm="reviewledger"'}


def _reviewledger_error(_: Request[Any, Any, Any], error: ReviewledgerError) -> Response[ErrorBody]:
    if isinstance(error, InvalidInput):
        return error_response(400, "invalid_input", str(error), field=error.field, rule=error.rule)
    if isinstance(error, TooManySignIns):
        return error_response(429, "too_many_sign_ins", str(error), {"Retry-After": str(error.retry_after)})
    if isinstance(error, (NotSignedIn, SignInRefused)):
        return error_response(401, "not_signed_in", str(error), _UNAUTHENTICATED)
    if isinstance(error, NotAuthorised):
        log.warning("not_authorised", record=error.record, action=error.action, needs=error.needs)
        return error_response(403, "not_authorised", str(error), rule=getattr(error, "rule", None))
    if isinstance(error, RecordNotFound):
        return error_response(404, "not_found", str(error))
    if isinstance(error, ConcurrentChange):
        log.info("concurrent_change", record=error.record)
        return error_response(409, "conflict", str(error))
    if isinstance(error, RuleViolation):
        return error_response(422, "rule_violation", str(error), rule=error.rule)
    if isinstance(error, LedgerNotInitialised):
        return error_response(503, "not_initialised", str(error))
    return error_response(400, "refused", str(error))


_NAMED_FIELD = re.compile(r"(?:missing required|contains unknown) field `([^`]+)`")


def _validation_error(_: Request[Any, Any, Any], error: ValidationException) -> Response[ErrorBody]:
    """A body or parameter that does not decode into its type: the field and the rule msgspec gives."""
    problems = error.extra if isinstance(error.extra, list) else []
    first = problems[0] if problems and isinstance(problems[0], dict) else {}
    key = str(first.get("key") or "")
    rule = str(first.get("message") or error.detail or "is not valid")
    path = [] if key in ("", "data") else [key]
    named = _NAMED_FIELD.search(rule)  # a missing or unknown field is named in the message, not the key
    field = ".".join([*path, named[1]] if named else path) or "body"
    return error_response(400, "invalid_input", f"{field}: {rule}", field=field, rule=rule)


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[ErrorBody]:
    status = error.status_code
    if status >= HTTP_500_INTERNAL_SERVER_ERROR:
        log.error("http_error", status=status, error=type(error).__name__)
        return error_response(status, "server_error", "the server could not answer; the request id names it")
    words = {404: "not_found", 405: "method_not_allowed", 415: "unsupported_media_type"}
    detail = str(error.detail)
    if status == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        # Bad input like any other: the size limit is a rule of the endpoint, named with its number.
        rule = f"must be at most {_size_limit(request)} bytes"
        return error_response(400, "invalid_input", f"body: {rule}", field="body", rule=rule)
    if status == 400:
        return error_response(400, "invalid_input", f"body: {detail}", field="body", rule=detail)
    return error_response(status, words.get(status, "bad_request"), detail, error.headers)


def _size_limit(request: Request[Any, Any, Any]) -> int:
    """The largest body the endpoint takes: its own limit (a document's upload) or the application's."""
    limit = request.route_handler.resolve_request_max_body_size()
    return limit if limit is not None else 0


def _unexpected(_: Request[Any, Any, Any], error: Exception) -> Response[ErrorBody]:
    # The message and the traceback may hold values from the request: only the type is logged.
    log.error("unexpected_error", error=type(error).__name__)
    return error_response(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "server_error",
        "the server could not answer; the request id names it in the server's log",
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ReviewledgerError: _reviewledger_error,
    ValidationException: _validation_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}


def responses(*statuses: int) -> dict[int, ResponseSpec]:
    """The error responses an endpoint can give, for the OpenAPI description."""
    described = {
        400: "bad input: the field and the rule",
        401: "not signed in, or the session ended",
        403: "the signed-in person may not do this",
        404: "no such record",
        409: "someone else changed the record first: reload and try again",
        422: "the procedure refuses this step now",
        429: "too many failed sign-ins",
    }
    return {
        status: ResponseSpec(data_container=ErrorBody, description=described[status], generate_examples=False)
        for status in statuses
    }
