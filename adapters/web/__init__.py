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
from adapters.web import static
from adapters.web.pages import documents as pages_documents
from adapters.web.pages import foi_respond as pages_foi_respond
from adapters.web.pages import foi_review as pages_foi_review
from adapters.web.pages import log as pages_log
from adapters.web.pages import people as pages_people
from adapters.web.pages import personal as pages_personal
from adapters.web.pages import review_documents as pages_review_documents
from adapters.web.pages import review_list as pages_review_list
from adapters.web.pages import reviews as pages_reviews
from adapters.web.pages import sent as pages_sent
from adapters.web.pages import session as pages_session
from adapters.web.pages import steps as pages_steps
from adapters.web.pages import subjects as pages_subjects
from adapters.web.pages import themes as pages_themes
from adapters.web.pages import timeliness as pages_timeliness
from adapters.web.pages import trail as pages_trail
from adapters.web.pages import work as pages_work
from adapters.web.pages.ig import foi as pages_foi
from adapters.web.pages.ig import requests as pages_requests
from adapters.web.pages.ig import retention as pages_retention
from adapters.web.pages.ig import sar as pages_sar
from adapters.web.respond import EXCEPTION_HANDLERS
from audit.passwords import ScryptCost


def router(
    pool: ApplicationPool, *, public_key: str, session_lifetime: timedelta, password_cost: ScryptCost
) -> Router:
    """Every page and asset; `public_key` is the opt key the API's authentication skips."""
    handlers = [
        *static.routes(),
        *pages_session.routes(pool, session_lifetime, password_cost),
        *pages_review_list.routes(pool),
        *pages_reviews.routes(pool),
        *pages_trail.routes(pool),
        *pages_personal.routes(pool),
        *pages_steps.routes(pool),
        *pages_log.routes(pool),
        *pages_requests.routes(pool),
        *pages_sar.routes(pool),
        *pages_foi.routes(pool),
        *pages_retention.routes(pool),
        *pages_subjects.routes(pool),
        *pages_people.routes(pool),
        *pages_documents.routes(pool),
        *pages_foi_respond.routes(pool),
        *pages_foi_review.routes(pool),
        *pages_review_documents.routes(pool),
        *pages_work.routes(pool),
        *pages_sent.routes(pool),
        *pages_themes.routes(pool),
        *pages_timeliness.routes(pool),
    ]
    return Router(
        path="/",
        route_handlers=handlers,
        opt={public_key: True},
        exception_handlers=EXCEPTION_HANDLERS,
        include_in_schema=False,
    )
