"""Reading a stored log for the verifier, straight from the tables, in bounded batches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec
import sqlalchemy as sa

from adapters.ledger import Ledger
from adapters.mapper import decode_state
from adapters.tables import checkpoints, merkle_leaves, sealed
from audit.signing import decode_public_key
from audit.verifier import EventRow, LeafRow, LogVerifier, Report
from domain.errors import InvalidInput
from domain.registry import REGISTRY_STREAM, LogEstablished

BATCH = 1000


class DatabaseLogSource:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._reader = ledger.db.reader

    def events(self) -> Iterator[EventRow]:
        after = 0
        recorder = self._ledger.db.recorder
        while True:
            page = recorder.select_notifications(start=after, limit=BATCH, inclusive_of_start=False)
            if not page:
                return
            for n in page:
                stream = str(n.originator_id)
                try:
                    record = decode_state(stream, n.originator_version, n.topic, n.state)
                    parts: tuple[bytes, bytes, bytes] | None = (
                        record.envelope,
                        record.signature,
                        record.payload,
                    )
                except msgspec.DecodeError:
                    parts = None
                yield EventRow(n.id, stream, n.originator_version, n.topic, parts)
            after = page[-1].id

    def leaves(self) -> Iterator[LeafRow]:
        after = 0
        while True:
            with self._reader.connect() as conn:
                rows = conn.execute(
                    sa.select(merkle_leaves)
                    .where(merkle_leaves.c.position > after)
                    .order_by(merkle_leaves.c.position)
                    .limit(BATCH)
                ).all()
            if not rows:
                return
            for r in rows:
                yield LeafRow(r.position, r.notification_id, r.stream, r.version, bytes(r.leaf_hash))
            after = rows[-1].position

    def checkpoints(self) -> Iterator[tuple[int, str]]:
        after = -1
        while True:
            with self._reader.connect() as conn:
                rows = conn.execute(
                    sa.select(checkpoints.c.tree_size, checkpoints.c.note)
                    .where(checkpoints.c.tree_size > after)
                    .order_by(checkpoints.c.tree_size)
                    .limit(BATCH)
                ).all()
            if not rows:
                return
            yield from ((r.tree_size, r.note) for r in rows)
            after = rows[-1].tree_size

    def sealed_digests(self) -> Iterator[tuple[bytes, bytes]]:
        with self._reader.connect() as conn:
            for row in conn.execute(sa.select(sealed.c.digest, sealed.c.ciphertext)):
                yield bytes(row.digest), bytes(row.ciphertext)

    def registry_payloads(self) -> Iterator[tuple[str, bytes]]:
        for stored in self._ledger.db.recorder.select_events(REGISTRY_STREAM):
            try:
                record = decode_state(REGISTRY_STREAM, stored.originator_version, stored.topic, stored.state)
            except msgspec.DecodeError:
                continue
            yield stored.topic, record.payload


def verify_ledger(ledger: Ledger, *, against: Sequence[Path] = ()) -> Report:
    """Verify the whole stored log, and consistency with checkpoints held outside."""
    external = []
    for path in against:
        try:
            external.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            raise InvalidInput("--against", f"cannot read a checkpoint from {path}") from None
    origin, public_key = _trusted_log_key(ledger)
    return LogVerifier(
        DatabaseLogSource(ledger), origin=origin, log_public_key=public_key, external=external
    ).run()


def _trusted_log_key(ledger: Ledger) -> tuple[str, bytes]:
    """The log's key as the log's first event names it; the key store must hold the same key."""
    first = ledger.db.recorder.select_events(REGISTRY_STREAM, limit=1)
    held = ledger.log_key.public_key
    if not first:
        return ledger.origin, held
    try:
        event = ledger.read(REGISTRY_STREAM, lte=1)[0].event
        if isinstance(event, LogEstablished):
            return event.origin, decode_public_key(event.log_public_key)
    except Exception:  # an unreadable first event is reported by the verifier itself
        return ledger.origin, held
    return ledger.origin, held
