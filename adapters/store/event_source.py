"""The log as the projections read it: sealed events with their place in the log."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import msgspec
import sqlalchemy as sa

from adapters.store.ledger import Ledger
from adapters.store.mapper import decode_state
from adapters.store.reading import PAYLOAD_ALTERED, Recorded
from adapters.store.tables import merkle_leaves
from audit.envelope import sha256, summary
from domain.kernel.event import DomainEvent, event_type
from projections.logged import LoggedEvent


@cache
def _decoder(type_name: str) -> msgspec.json.Decoder[DomainEvent]:
    return msgspec.json.Decoder(event_type(type_name))


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
        altered=recorded.altered,
    )


class LedgerEventSource:
    """Reads the ledger without unsealing anything: projections never see personal values."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def read_after(self, position: int, limit: int) -> Sequence[LoggedEvent]:
        """The next `limit` events, sealed, decoded straight into their types (the read path of a rebuild).

        Each payload is checked against the digest its envelope signed before it is decoded: an
        event stored otherwise than signed is passed on marked altered, its values never folded.
        """
        page = self.ledger.db.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False
        )
        found = []
        for n in page:
            record = decode_state(str(n.originator_id), n.originator_version, n.topic, n.state)
            fields = summary(record.envelope)
            altered = None if sha256(record.payload) == fields.payload else PAYLOAD_ALTERED
            found.append(
                LoggedEvent(
                    position=n.id,
                    stream=fields.stream,
                    version=fields.version,
                    type=fields.type,
                    time=fields.time,
                    actor=fields.actor,
                    key=fields.key,
                    event=_decoder(fields.type).decode(record.payload),
                    sealed=fields.sealed,
                    altered=altered,
                )
            )
        return found

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
