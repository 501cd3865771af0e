"""Reading a stored log for the verifier, straight from the tables, in bounded batches.

A large log's signatures are checked in a pool of worker processes, one per core, while this
process reads ahead and keeps everything that depends on the order; a small log is checked in
this process alone, since starting the workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import sqlalchemy as sa

from adapters.app.progress import Progress
from adapters.store.ledger import Ledger
from adapters.store.mapper import decode_state
from adapters.store.tables import checkpoints, document_segments, documents, merkle_leaves, sealed
from audit.errors import VerificationError
from audit.note import checkpoint_shape
from audit.signing import decode_public_key
from audit.verifier import EventRow, LeafRow, LogVerifier, Report
from domain.kernel.errors import InvalidInput
from domain.kernel.registry import REGISTRY_STREAM, LogEstablished

BATCH = 1000
_EVENT_COLUMNS = ("originator_id", "originator_version", "topic", "state")
POOL_FROM = 20_000  # events: below this, one process verifies faster than starting a pool

T = TypeVar("T")
R = TypeVar("R")


class DatabaseLogSource:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._reader = ledger.db.reader

    def events(self) -> Iterator[EventRow]:
        # Straight from the event table, as plain rows: the notification id is SQLite's rowid or
        # PostgreSQL's notification_id column, the global order the tree follows.
        db = self._ledger.db
        position: sa.ColumnClause[int] = sa.column(db.notification_column())
        stored = sa.table(db.events_table(), *(sa.column(c) for c in _EVENT_COLUMNS))
        query = sa.select(position, *stored.c).order_by(position).limit(BATCH)
        after = 0
        while True:
            with self._reader.connect() as conn:
                page = conn.execute(query.where(position > after)).tuples().all()
            if not page:
                return
            for notification_id, stream, version, topic, state in page:
                try:
                    record = decode_state(stream, version, topic, bytes(state))
                    parts: tuple[bytes, bytes, bytes] | None = (
                        record.envelope,
                        record.signature,
                        record.payload,
                    )
                except msgspec.DecodeError:
                    parts = None
                yield EventRow(notification_id, stream, version, topic, parts)
            after = page[-1][0]

    def leaves(self) -> Iterator[LeafRow]:
        after = 0
        while True:
            with self._reader.connect() as conn:
                rows = (
                    conn.execute(
                        sa.select(
                            merkle_leaves.c.position,
                            merkle_leaves.c.notification_id,
                            merkle_leaves.c.stream,
                            merkle_leaves.c.version,
                            merkle_leaves.c.leaf_hash,
                        )
                        .where(merkle_leaves.c.position > after)
                        .order_by(merkle_leaves.c.position)
                        .limit(BATCH)
                    )
                    .tuples()
                    .all()
                )
            if not rows:
                return
            for position, notification_id, stream, version, leaf_hash in rows:
                yield LeafRow(position, notification_id, stream, version, bytes(leaf_hash))
            after = rows[-1][0]

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

    def held_sealed(self, digests: list[bytes]) -> set[bytes]:
        with self._reader.connect() as conn:
            return {
                bytes(digest)
                for digest in conn.execute(
                    sa.select(sealed.c.digest).where(sealed.c.digest.in_(digests))
                ).scalars()
            }

    def document_segments(self, digest: bytes) -> Iterator[bytes] | None:
        """A document's sealed stream, one segment at a time (never whole in memory); None when not held."""
        with self._reader.connect() as conn:
            upload = conn.execute(
                sa.select(documents.c.upload).where(documents.c.digest == digest)
            ).scalar_one_or_none()
        return None if upload is None else self._segments(upload)

    def _segments(self, upload: str) -> Iterator[bytes]:
        seq = -1
        while True:
            with self._reader.connect() as conn:
                row = conn.execute(
                    sa.select(document_segments.c.seq, document_segments.c.ciphertext)
                    .where(document_segments.c.upload == upload, document_segments.c.seq > seq)
                    .order_by(document_segments.c.seq)
                    .limit(1)
                ).first()
            if row is None:
                return
            seq = row.seq
            yield bytes(row.ciphertext)

    def registry_payloads(self) -> Iterator[tuple[str, bytes]]:
        for stored in self._ledger.db.recorder.select_events(REGISTRY_STREAM):
            try:
                record = decode_state(REGISTRY_STREAM, stored.originator_version, stored.topic, stored.state)
            except msgspec.DecodeError:
                continue
            yield stored.topic, record.payload


def verify_ledger(
    ledger: Ledger,
    *,
    against: Sequence[Path] = (),
    progress: Progress | None = None,
    workers: int | None = None,
    batch: int = BATCH,
) -> Report:
    """Verify the whole stored log, and consistency with checkpoints held outside.

    `workers`: processes checking signatures; by default one per core for a large log, none
    (this process alone) for a small one.
    """
    external = []
    for path in against:
        try:
            note = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InvalidInput("--against", f"cannot read a checkpoint from {path}") from None
        try:
            checkpoint_shape(note)
        except VerificationError as error:
            # Not a checkpoint at all is bad input (exit 2); a checkpoint whose signature or
            # tree does not fit the log is what the verifier reports (not intact, exit 1).
            raise InvalidInput("--against", f"{path} is not a checkpoint ({error})") from None
        external.append(note)
    origin, public_key = _trusted_log_key(ledger)
    total = int(ledger.db.recorder.max_notification_id() or 0)
    if workers is None:
        workers = (os.cpu_count() or 1) if total >= POOL_FROM else 0
    progress = progress or Progress.quiet()
    progress.total = total
    with _SignaturePool(workers) as map_batches:
        report = LogVerifier(
            DatabaseLogSource(ledger),
            origin=origin,
            log_public_key=public_key,
            external=external,
            map_batches=map_batches,
            batch=batch,
            progress=progress.advance,
        ).run()
    progress.finish()
    return report


class _SignaturePool:
    """`map` over batches in `workers` processes, in order, with a few batches in flight per worker."""

    def __init__(self, workers: int) -> None:
        self._executor = (
            ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers else None
        )
        self._in_flight = 2 * workers

    def __enter__(self) -> Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]:
        return self.map if self._executor is not None else map

    def __exit__(self, *_: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        assert self._executor is not None
        running: deque[Future[R]] = deque()
        for item in items:
            running.append(self._executor.submit(function, item))
            if len(running) >= self._in_flight:
                yield running.popleft().result()
        while running:
            yield running.popleft().result()


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
