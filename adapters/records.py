"""Which kind of record a reference is, and the list of reviews.

A record's kind is fixed by its first event, whose stable type name begins with the
route's prefix ("national.", "mini.", ...).
"""

from __future__ import annotations

from typing import Any

import msgspec

from adapters.application import Application
from domain.aggregate import Aggregate
from domain.errors import InvalidInput, RecordNotFound
from domain.mini_review import MiniReview
from domain.national_review import NationalReview
from domain.panel_review import PanelReview
from domain.single_agency_review import SingleAgencyReview
from domain.subjects import DataSubject

ROUTES: dict[str, type[Aggregate]] = {
    "national": NationalReview,
    "mini": MiniReview,
    "panel": PanelReview,
    "single-agency": SingleAgencyReview,
}
_PREFIXES: dict[str, str] = {
    "national": "national",
    "mini": "mini",
    "panel": "panel",
    "single": "single-agency",
}
OTHER_RECORDS: dict[str, type[Aggregate]] = {"subject": DataSubject}


def route_of_type(event_type: str) -> str | None:
    return _PREFIXES.get(event_type.split(".", 1)[0])


def record_type_for(app: Application, reference: str, route: str | None) -> type[Aggregate]:
    """The aggregate class for `reference`: from its first event, or from `route` for a new one."""
    first = app.ledger.read(reference, lte=1)
    if first:
        found = route_of_type(first[0].type)
        if found is None:
            prefix = first[0].type.split(".", 1)[0]
            if prefix in OTHER_RECORDS:
                return OTHER_RECORDS[prefix]
            raise InvalidInput("reference", f"{reference} is not a review")
        if route is not None and route != found:
            raise InvalidInput("--route", f"{reference} is a {found} review, not {route}")
        return ROUTES[found]
    if route is None:
        raise RecordNotFound("review", reference)
    if route not in ROUTES:
        raise InvalidInput("--route", f"must be one of {', '.join(ROUTES)}")
    return ROUTES[route]


class ReviewSummary(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    route: str
    kind: str
    stage: str
    status: str
    version: int


def list_reviews(app: Application) -> list[ReviewSummary]:
    """Every review in the log with its route, stage and status (rebuilt from the log)."""
    references: dict[str, str] = {}
    for notification in app.ledger.iter_notifications(0):
        if notification.originator_version == 1:
            route = route_of_type(notification.topic)
            if route is not None:
                references[str(notification.originator_id)] = route
    summaries = []
    for reference, route in references.items():
        record: Any = app.load(ROUTES[route], reference)
        summaries.append(
            ReviewSummary(
                reference=reference,
                route=route,
                kind=record.kind,
                stage=str(record.stage),
                status=str(record.status),
                version=record.version,
            )
        )
    return summaries
