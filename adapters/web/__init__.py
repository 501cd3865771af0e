"""The web pages: server-rendered HTML over the same services and authorisation as the HTTP API.

Pages live under `/pages/`, their static files under `/assets/`, and `/` leads to the list of
reviews. The pages are signed in with a session cookie (`adapters/web/session.py`), not the
API's bearer token, so the API's authentication leaves them alone (`PUBLIC`) and each page
checks its own session. Markup follows the GOV.UK Design System (`govuk-frontend`, installed
from `web/package.json`), built with escaped Python helpers (`html.py`, `components.py`).
"""

from __future__ import annotations

from datetime import timedelta

from litestar import Router

from adapters.http.pool import ApplicationPool
from adapters.web import (
    pages_ig,
    pages_log,
    pages_personal,
    pages_reviews,
    pages_session,
    pages_steps,
    pages_subjects,
    static,
)
from adapters.web.respond import EXCEPTION_HANDLERS
from audit.passwords import ScryptCost


def router(
    pool: ApplicationPool, *, public_key: str, session_lifetime: timedelta, password_cost: ScryptCost
) -> Router:
    """Every page and asset; `public_key` is the opt key the API's authentication skips."""
    handlers = [
        *static.routes(),
        *pages_session.routes(pool, session_lifetime, password_cost),
        *pages_reviews.routes(pool),
        *pages_personal.routes(pool),
        *pages_steps.routes(pool),
        *pages_log.routes(pool),
        *pages_ig.routes(pool),
        *pages_subjects.routes(pool),
    ]
    return Router(
        path="/",
        route_handlers=handlers,
        opt={public_key: True},
        exception_handlers=EXCEPTION_HANDLERS,
        include_in_schema=False,
    )
