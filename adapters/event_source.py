"""The log as the projections read it: sealed events with their place in the log."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

import sqlalchemy as sa

from adapters.ledger import Ledger, Recorded
from adapters.tables import merkle_leaves
from projections.fold import LoggedEvent


def logged(recorded: Recorded, position: int | None = None) -> LoggedEvent:
    return LoggedEvent(
        position=recorded.notification_id if position is None else position,
        stream=recorded.stream,
        version=recorded.version,
        type=recorded.type,
        time=recorded.time,
        actor=recorded.actor,
        key=recorded.key,
        event=recorded.event,
        sealed=recorded.sealed,
    )


class LedgerEventSource:
    """Reads the ledger without unsealing anything: projections never see personal values."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def read_after(self, position: int, limit: int) -> Sequence[LoggedEvent]:
        # One page of the ledger's own reader: the first `limit` events after `position`.
        return [logged(r) for r in islice(self.ledger.read_all(position, batch=limit), limit)]

    def read_stream(self, stream: str, up_to_version: int) -> Sequence[LoggedEvent]:
        return [logged(r) for r in self.ledger.read(stream, lte=up_to_version)]

    def last_position(self) -> int:
        return int(self.ledger.db.recorder.max_notification_id() or 0)

    def stream_with_positions(self, stream: str) -> list[LoggedEvent]:
        """One stream's events with their places in the log (from the Merkle leaves)."""
        with self.ledger.db.reader.connect() as conn:
            positions = dict(
                conn.execute(
                    sa.select(merkle_leaves.c.version, merkle_leaves.c.notification_id).where(
                        merkle_leaves.c.stream == stream
                    )
                )
                .tuples()
                .all()
            )
        return [logged(r, positions.get(r.version, 0)) for r in self.ledger.read(stream)]

    def read_all(self) -> list[LoggedEvent]:
        return [logged(r) for r in self.ledger.read_all()]
