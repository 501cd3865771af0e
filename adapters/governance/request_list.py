"""One page of the records of one kind, in the order they began: requests as received, people as registered.

A request file begins with its receipt event (a register entry with its registration), so the
events of that one type, in the log's order, are the records in the order they came in. A page reads them through the index of the events
by type and position (`stored_events_topic`, migration 5): keyset by the receipt's position, a page
costs its own size and never a read of the log. The total is counted on the same index.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from adapters.app.application import Application
from adapters.store.tables import EVENTS_TABLE


@dataclass(frozen=True)
class StreamPage:
    """The streams on one page, each with its receipt's position, and whether more lie either side."""

    streams: tuple[tuple[int, str], ...]
    total: int
    earlier: bool
    later: bool


def receipt_page(
    app: Application,
    topic: str,
    *,
    descending: bool,
    after: int | None,
    before: int | None,
    size: int,
) -> StreamPage:
    """The streams whose receipt event is `topic`, `size` at a time, after or before a position.

    `after` and `before` are positions in the list's own direction: "after" goes on down the
    list as sorted, "before" goes back up it.
    """
    postgres = app.db.reader.dialect.name == "postgresql"
    position = sa.column("notification_id" if postgres else "rowid", sa.BigInteger)
    events = sa.table(EVENTS_TABLE, sa.column("originator_id", sa.Text), sa.column("topic", sa.Text))
    backwards = before is not None and after is None
    # Reading back up the list reads the index the other way, then turns the page round.
    reading_descending = descending != backwards
    query = sa.select(position, events.c.originator_id).select_from(events).where(events.c.topic == topic)
    mark = before if backwards else after
    if mark is not None:
        query = query.where(position < mark if reading_descending else position > mark)
    query = query.order_by(position.desc() if reading_descending else position.asc()).limit(size + 1)
    with app.db.reader.connect() as conn:
        rows = [(int(p), str(s)) for p, s in conn.execute(query)]
        total = int(
            conn.execute(
                sa.select(sa.func.count()).select_from(events).where(events.c.topic == topic)
            ).scalar_one()
        )
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        return StreamPage(streams=tuple(rows), total=total, earlier=more, later=True)
    return StreamPage(streams=tuple(rows), total=total, earlier=mark is not None, later=more)


__all__ = ["StreamPage", "receipt_page"]
