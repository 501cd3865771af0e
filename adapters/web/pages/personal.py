"""A review's personal data, for those the need-to-know table gives it to.

`/pages/reviews/{reference}/personal?purpose=review` (or `inspection`, or `ig-request` with
`request=REF`) lists each recorded step with the personal values the reader may read: the same
service as the API's personal history (`adapters/app/need_to_know.py`), which decides, writes the
read to the access log before anything is shown, and refuses (a 403 page naming why) anyone the
table does not give the review. A value whose stored event differs from what was signed is shown
as "altered — failed verification"; one disposed of, as disposed of.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.need_to_know import read_personal
from adapters.http.errors import request_id
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import Reference, review_kind
from adapters.store.reading import Recorded
from adapters.web.components import heading, p, table
from adapters.web.html import Html
from adapters.web.layout import PAGES, Viewer, page
from adapters.web.respond import html, reads_once
from adapters.web.session import viewer_of
from domain.governance.access import ReadPurpose
from domain.kernel.errors import InvalidInput
from projections.model import ALTERED
from projections.subjects import personal_items

_PURPOSES = (ReadPurpose.REVIEW, ReadPurpose.INSPECTION, ReadPurpose.IG_REQUEST)


def _purpose(query: dict[str, str]) -> ReadPurpose:
    text = query.get("purpose", ReadPurpose.REVIEW.value)
    for purpose in _PURPOSES:
        if purpose.value == text:
            return purpose
    raise InvalidInput("purpose", f"must be one of {', '.join(p.value for p in _PURPOSES)}")


def _rows(recorded: Recorded) -> list[tuple[str, str, str, str]]:
    if recorded.altered is not None:
        return [(str(recorded.version), recorded.type, "—", ALTERED)]
    rows = []
    for path, item in personal_items(recorded.event):
        if item.value is not None:
            shown = item.value
        elif recorded.disposed is not None:
            shown = recorded.disposed.describe()
        else:
            shown = "withheld"
        rows.append((str(recorded.version), recorded.type, path, shown))
    return rows


@reads_once
def _personal_page(app: Application, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    review_kind(app, reference)
    purpose = _purpose(query)
    request = query.get("request") or None
    events = read_personal(app, viewer.actor, reference, purpose, request, request_id=request_id() or "")
    rows = [row for recorded in events for row in _rows(recorded)]
    body = [
        heading(f"Personal data of {reference}", caption=f"read for the purpose {purpose}"),
        p("This read is recorded in the access log, signed by you."),
        table(("Step", "Event", "Item", "Value"), rows) if rows else p("No personal data is recorded."),
    ]
    return page(f"Personal data of {reference}", body, viewer=viewer, current="reviews")


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/reviews/{reference:str}/personal", sync_to_thread=True)
    def personal(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = viewer_of(app, request)
            request.state.viewer = viewer
            query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            return html(_personal_page(app, viewer, reference, query))

    return [personal]
