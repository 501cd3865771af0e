"""An event as the projections read it, and what its stable type name says about its record.

Kept apart from the fold, which knows every route's record: a page that reads a view already
written needs these and nothing of the routes.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from domain.kernel.event import DomainEvent


class LoggedEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event as the projections read it: its place in the log, who signed it, and the event."""

    position: int  # notification id: the event's place in the whole log
    stream: str
    version: int
    type: str
    time: datetime
    actor: str
    key: str
    event: DomainEvent
    sealed: bool = False  # whether the event holds personal data (sealed in the store)
    # Set when what is stored differs from what was signed: nothing is folded from it (nor after it).
    altered: str | None = None


# The stable event-type prefix that marks a stream as a route's -> the route's name (as the
# command line and API spell it).
ROUTE_OF_PREFIX: dict[str, str] = {
    "national": "national",
    "mini": "mini",
    "panel": "panel",
    "single": "single-agency",
}


def route_of_type(event_type: str) -> str | None:
    """The route whose first event has this stable type name, or None for other records."""
    return ROUTE_OF_PREFIX.get(event_type.split(".", 1)[0])
