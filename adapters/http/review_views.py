"""A review's views: its state, decision trail, terms of reference, timeline and changes; and the clocks.

Each takes `as_at` (a log position, a date or a date-time with a time zone) to show the review
as it stood then, replayed from the log. None of them holds personal values: the trail names
who decided, in which role, and whether the basis is sealed, not what it says.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import get
from litestar.handlers import HTTPRouteHandler
from litestar.params import QueryParameter

from adapters.app.authority import Reading
from adapters.app.views import (
    MOMENT_WORDS,
    decision_trail,
    parse_moment,
    review_at,
    review_diff,
    review_state,
    terms_history,
    timescale_view,
)
from adapters.http.auth import SignedInRequest, may_read
from adapters.http.errors import responses
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import Reference, review_kind
from projections.model import (
    ChronologyLine,
    Decision,
    ReviewDiff,
    ReviewState,
    TermsVersion,
    TimelineEntry,
    TimescaleView,
)

_MOMENT = MOMENT_WORDS
AsAt = Annotated[str | None, QueryParameter(name="as_at", max_length=40, description=_MOMENT)]


class Timeline(msgspec.Struct, frozen=True, kw_only=True):
    timeline: tuple[TimelineEntry, ...]
    chronology: tuple[ChronologyLine, ...]  # agency entries by date; their text stays sealed


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    common: dict[str, Any] = {
        "tags": ["views"],
        "responses": responses(400, 401, 403, 404),
        "sync_to_thread": True,
    }

    @get(
        "/reviews/{reference:str}/state", summary="A review's stage, obligations, roles and clocks", **common
    )
    def state(request: SignedInRequest, reference: Reference, as_at: AsAt = None) -> ReviewState:
        moment = parse_moment("as_at", as_at)
        with pool.borrow() as app:
            may_read(app, request, Reading.STATE, reference, review_kind(app, reference))
            return review_state(app, reference, moment)

    @get(
        "/reviews/{reference:str}/trail",
        summary="The decision trail",
        description="Every decision and sign-off: who, when, in which role, on what basis, and its signature "
        "checked against the registry of keys now.",
        **common,
    )
    def trail(request: SignedInRequest, reference: Reference, as_at: AsAt = None) -> list[Decision]:
        moment = parse_moment("as_at", as_at)
        with pool.borrow() as app:
            may_read(app, request, Reading.TRAIL, reference, review_kind(app, reference))
            return decision_trail(app, reference, moment)

    @get("/reviews/{reference:str}/terms", summary="The history of its terms of reference", **common)
    def terms(request: SignedInRequest, reference: Reference, as_at: AsAt = None) -> list[TermsVersion]:
        moment = parse_moment("as_at", as_at)
        with pool.borrow() as app:
            may_read(app, request, Reading.STATE, reference, review_kind(app, reference))
            return list(terms_history(app, reference, moment))

    @get(
        "/reviews/{reference:str}/timeline", summary="Every recorded step and the merged chronology", **common
    )
    def timeline(request: SignedInRequest, reference: Reference, as_at: AsAt = None) -> Timeline:
        moment = parse_moment("as_at", as_at)
        with pool.borrow() as app:
            may_read(app, request, Reading.STATE, reference, review_kind(app, reference))
            found = review_at(app, reference, moment)
        return Timeline(timeline=tuple(found.timeline), chronology=tuple(found.chronology))

    @get("/reviews/{reference:str}/diff", summary="What changed in a review between two moments", **common)
    def diff(
        request: SignedInRequest,
        reference: Reference,
        from_moment: Annotated[str, QueryParameter(name="from", max_length=40, description=_MOMENT)],
        to_moment: Annotated[
            str | None, QueryParameter(name="to", max_length=40, description=_MOMENT)
        ] = None,
    ) -> ReviewDiff:
        earlier, later = parse_moment("from", from_moment), parse_moment("to", to_moment)
        with pool.borrow() as app:
            may_read(app, request, Reading.STATE, reference, review_kind(app, reference))
            return review_diff(app, reference, earlier, later)

    @get("/clocks", summary="Every timescale across all reviews: due, days left, overdue", **common)
    def clocks(
        request: SignedInRequest,
        as_at: AsAt = None,
        running: Annotated[bool, QueryParameter(description="only clocks still running or paused")] = False,
    ) -> list[TimescaleView]:
        moment = parse_moment("as_at", as_at)
        with pool.borrow() as app:
            may_read(app, request, Reading.CLOCKS)
            return timescale_view(app, moment, running_only=running)

    return [state, trail, terms, timeline, diff, clocks]
