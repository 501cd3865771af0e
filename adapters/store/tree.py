"""The Merkle tree over the global event order, kept beside the event table, and its checkpoints.

Each append logs its own events in its own transaction (`extend_within`, called by the event
recorder): one leaf per event (leaf input = envelope bytes || signature), the new
perfect-subtree nodes, and a C2SP checkpoint signed with the log's key. When the tree has not
logged every earlier event (an older append's logging was interrupted), `catch_up` reads the
events it has not yet seen, in notification order, and logs them the same way. The tree is
derived from the events, so it can always catch up after a crash; `verify` recomputes it from
scratch and compares it with every signed checkpoint.

Before an event becomes a leaf, its envelope must parse, name the stream and version it is
stored under, and carry a valid signature by a key the registry knows: the log never signs a
checkpoint over an event it cannot vouch for. Such an event stops the tree and is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
import structlog
from eventsourcing.persistence import ApplicationRecorder, Notification

from adapters.store.mapper import decode_state
from adapters.store.recorders import Sql, insert
from adapters.store.tables import EVENTS_TABLE, checkpoints, merkle_leaves, merkle_nodes, tree_head
from audit import merkle
from audit.cosignature import CosignerSecret
from audit.envelope import Envelope, entry_bytes
from audit.errors import VerificationError
from audit.note import Checkpoint, sign_checkpoint
from audit.signing import KeyPair, verify_signature

log = structlog.get_logger(__name__)

BATCH = 500

# The statements an append runs in its own transaction (extend_within), on the recorder's cursor.
_HEAD = sa.select(tree_head.c.size, tree_head.c.last_notification_id, tree_head.c.frontier).where(
    tree_head.c.id == 1
)
# PostgreSQL: a catch-up holding the head leaves this append's events to the catch-up after it.
_HEAD_FOR_UPDATE = _HEAD.with_for_update(skip_locked=True)


def _earlier(column: str) -> sa.Select[tuple[int]]:
    events = sa.table(EVENTS_TABLE, sa.column(column))
    position = events.c[column]
    return (
        sa.select(sa.literal(1))
        .select_from(events)
        .where(position > sa.bindparam("after"), position < sa.bindparam("before"))
        .limit(1)
    )


_EARLIER_SQLITE, _EARLIER_POSTGRES = _earlier("rowid"), _earlier("notification_id")


def events_between(sql: Sql, after: int, before: int) -> bool:
    """Whether any event was stored with a notification id strictly between `after` and `before`."""
    found = sql.one(
        _EARLIER_POSTGRES if sql.postgres else _EARLIER_SQLITE, {"after": after, "before": before}
    )
    return found is not None


_INSERT_LEAF = insert(merkle_leaves, "position", "notification_id", "stream", "version", "leaf_hash")
_INSERT_NODE = insert(merkle_nodes, "level", "idx", "hash")
_INSERT_CHECKPOINT = insert(checkpoints, "tree_size", "note")
_MOVE_HEAD = (
    sa.update(tree_head)
    .where(tree_head.c.id == 1)
    .values(
        size=sa.bindparam("size"),
        last_notification_id=sa.bindparam("last_notification_id"),
        frontier=sa.bindparam("frontier"),
    )
)


@dataclass(frozen=True)
class TreeState:
    size: int
    last_notification_id: int
    frontier: list[bytes]

    def root(self) -> bytes:
        return root_of_frontier(self.frontier)

    def compact_range(self) -> merkle.CompactRange:
        """The tree's right edge as audit.merkle's compact range, to append leaves to."""
        return merkle.CompactRange.from_state(self.size, self.frontier)


def root_of_frontier(frontier: list[bytes]) -> bytes:
    """RFC 6962 MTH from the roots of the perfect subtrees on the right edge (largest first)."""
    return merkle.root_of_subtrees(frontier)


def append_leaf(size: int, frontier: list[bytes], leaf: bytes) -> list[tuple[int, int, bytes]]:
    """Append a leaf hash at index `size`; update `frontier`; return new nodes (level, index, hash)."""
    compact = merkle.CompactRange.from_state(size, frontier)
    nodes = compact.append(leaf)
    frontier[:] = compact.state()
    return nodes


@dataclass(frozen=True)
class Logged:
    """Where an append's events were logged, in its own transaction, and the checkpoint signed."""

    first_position: int  # the 1-based log position (Merkle leaf index + 1) of its first event
    first_version: int  # that event's version in its stream
    tree_size: int
    checkpoint: str  # the signed note over the tree with the append's events


class IntegrityAlarm(Exception):
    """An event in the table cannot be vouched for; the tree stops before it."""

    def __init__(self, notification_id: int, problem: str) -> None:
        super().__init__(f"event with notification id {notification_id} cannot be logged: {problem}")
        self.notification_id = notification_id
        self.problem = problem


class MerkleLog:
    def __init__(
        self,
        engine: sa.Engine,
        reader: sa.Engine,
        recorder: ApplicationRecorder,
        *,
        is_postgres: bool,
        origin: str,
        log_key: KeyPair,
        public_key_of: Callable[[str, str], bytes | None],
        refresh_keys: Callable[[], None],
    ) -> None:
        self._engine = engine
        self._reader = reader
        self._recorder = recorder
        self._is_postgres = is_postgres
        self.origin = origin
        self._log_key = log_key
        self._public_key_of = public_key_of
        self._refresh_keys = refresh_keys
        # The log's ML-DSA-44 key, once the registry names one: every checkpoint signed from
        # then on carries its cosignature line too (c2sp.org/tlog-checkpoint, "Signatures").
        self.post_quantum: CosignerSecret | None = None

    def _sign(self, checkpoint: Checkpoint) -> str:
        """The checkpoint signed by the log's Ed25519 key and, where it has one, its ML-DSA-44 key.

        The ML-DSA-44 line is an addition after the Ed25519 line, whose bytes stay as they were;
        its time is zero: it states the tree head, not that it is the largest at a moment.
        """
        note = sign_checkpoint(checkpoint, self.origin, self._log_key.private_key)
        if self.post_quantum is None:
            return note
        return note + self.post_quantum.cosign(checkpoint, 0)

    # -- reading -------------------------------------------------------------------

    def head(self) -> TreeState:
        with self._reader.connect() as conn:
            row = conn.execute(sa.select(tree_head).where(tree_head.c.id == 1)).first()
        if row is None:
            return TreeState(size=0, last_notification_id=0, frontier=[])
        return TreeState(row.size, row.last_notification_id, _split(bytes(row.frontier)))

    def latest_checkpoint(self) -> str | None:
        with self._reader.connect() as conn:
            return conn.execute(
                sa.select(checkpoints.c.note).order_by(checkpoints.c.tree_size.desc()).limit(1)
            ).scalar_one_or_none()

    def checkpoint_at(self, size: int) -> str | None:
        with self._reader.connect() as conn:
            return conn.execute(
                sa.select(checkpoints.c.note).where(checkpoints.c.tree_size == size)
            ).scalar_one_or_none()

    def source(self) -> DatabaseNodeSource:
        return DatabaseNodeSource(self._reader)

    def position_of(self, notification_id: int) -> int | None:
        with self._reader.connect() as conn:
            return conn.execute(
                sa.select(merkle_leaves.c.position).where(merkle_leaves.c.notification_id == notification_id)
            ).scalar_one_or_none()

    # -- writing -------------------------------------------------------------------

    def extend_within(
        self,
        sql: Sql,
        notification_ids: Sequence[int],
        leaf_inputs: Sequence[bytes],
        places: Sequence[tuple[str, int]],
    ) -> Logged | None:
        """Log events just inserted in this transaction, if the tree holds every earlier event.

        The caller signed and checked each event's signature with the registered key before
        inserting it, so the events are vouched for. Returns where they were logged and the
        checkpoint signed; None, writing nothing, when an earlier event is not yet logged (or
        the tree has not been started): `catch_up` logs them all in order after the commit.
        """
        row = sql.one(_HEAD_FOR_UPDATE if sql.postgres else _HEAD)  # SQLite: the inserts hold the lock
        if row is None or not notification_ids:
            return None
        size, last_id, frontier_bytes = int(row[0]), int(row[1]), bytes(row[2])
        if notification_ids[0] <= last_id or events_between(sql, last_id, notification_ids[0]):
            return None
        first_position = size + 1
        compact = merkle.CompactRange.from_state(size, _split(frontier_bytes))
        leaves: list[dict[str, object]] = []
        nodes: list[dict[str, object]] = []
        for notification_id, leaf_input, (stream, version) in zip(
            notification_ids, leaf_inputs, places, strict=True
        ):
            leaf = merkle.leaf_hash(leaf_input)
            leaves.append(
                {
                    "position": size + 1,
                    "notification_id": notification_id,
                    "stream": stream,
                    "version": version,
                    "leaf_hash": leaf,
                }
            )
            nodes += [{"level": lv, "idx": ix, "hash": h} for lv, ix, h in compact.append(leaf)]
            size += 1
        note = self._sign(Checkpoint(origin=self.origin, size=size, root=compact.root()))
        sql.execute_many(_INSERT_LEAF, leaves)
        sql.execute_many(_INSERT_NODE, nodes)
        sql.execute(_INSERT_CHECKPOINT, {"tree_size": size, "note": note})
        sql.execute(
            _MOVE_HEAD,
            {
                "size": size,
                "last_notification_id": notification_ids[-1],
                "frontier": b"".join(compact.state()),
            },
        )
        return Logged(
            first_position=first_position, first_version=places[0][1], tree_size=size, checkpoint=note
        )

    def catch_up(self) -> TreeState:
        """Log every event not yet in the tree and sign a checkpoint if the tree grew."""
        while True:
            more, state = self._catch_up_batch()
            if not more:
                return state

    def _catch_up_batch(self) -> tuple[bool, TreeState]:
        """Log up to BATCH events in one transaction; whether a full batch was logged (maybe more)."""
        with self._engine.begin() as conn:
            state = self._claim_head(conn)
            notifications = self._recorder.select_notifications(
                start=state.last_notification_id, limit=BATCH, inclusive_of_start=False
            )
            if not notifications:
                return False, state
            size, compact = state.size, state.compact_range()
            leaves: list[dict[str, object]] = []
            nodes: list[dict[str, object]] = []
            last_id = state.last_notification_id
            alarm: IntegrityAlarm | None = None
            for notification in notifications:
                try:
                    leaf_input, envelope = self._vouch(notification)
                except IntegrityAlarm as error:
                    alarm = error
                    break
                leaf = merkle.leaf_hash(leaf_input)
                leaves.append(
                    {
                        "position": size + 1,
                        "notification_id": notification.id,
                        "stream": envelope.stream,
                        "version": envelope.version,
                        "leaf_hash": leaf,
                    }
                )
                for level, index, node in compact.append(leaf):
                    nodes.append({"level": level, "idx": index, "hash": node})
                size += 1
                last_id = notification.id
            if leaves:
                conn.execute(sa.insert(merkle_leaves), leaves)
                if nodes:
                    conn.execute(sa.insert(merkle_nodes), nodes)
                new_state = TreeState(size, last_id, compact.state())
                note = self._sign(Checkpoint(origin=self.origin, size=size, root=new_state.root()))
                conn.execute(sa.insert(checkpoints).values(tree_size=size, note=note))
                conn.execute(
                    sa.update(tree_head)
                    .where(tree_head.c.id == 1)
                    .values(size=size, last_notification_id=last_id, frontier=b"".join(new_state.frontier))
                )
                state = new_state
        if alarm is not None:
            log.error("integrity_alarm", notification_id=alarm.notification_id, problem=alarm.problem)
            return False, state
        return len(leaves) == BATCH, state

    def _claim_head(self, conn: sa.Connection) -> TreeState:
        # Take the tree's write lock first (SQLite: BEGIN IMMEDIATE already holds it; PostgreSQL:
        # the row lock), so concurrent writers extend the tree one after another.
        conn.execute(sa.update(tree_head).where(tree_head.c.id == 1).values(claims=tree_head.c.claims + 1))
        query = sa.select(tree_head).where(tree_head.c.id == 1)
        if self._is_postgres:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            conn.execute(
                sa.insert(tree_head).values(id=1, size=0, last_notification_id=0, frontier=b"", claims=0)
            )
            return TreeState(0, 0, [])
        return TreeState(row.size, row.last_notification_id, _split(bytes(row.frontier)))

    def _vouch(self, notification: Notification) -> tuple[bytes, Envelope]:
        stream = str(notification.originator_id)
        try:
            record = decode_state(
                stream, notification.originator_version, notification.topic, notification.state
            )
            envelope = Envelope.parse(record.envelope)
        except Exception as error:  # any undecodable row is an alarm, never a crash
            raise IntegrityAlarm(notification.id, "the stored record cannot be read") from error
        if envelope.stream != stream or envelope.version != notification.originator_version:
            raise IntegrityAlarm(notification.id, "the envelope names another stream or version")
        public = self._public_key_of(envelope.actor, envelope.key)
        if public is None:
            self._refresh_keys()
            public = self._public_key_of(envelope.actor, envelope.key)
        if public is None:
            raise IntegrityAlarm(
                notification.id, f"key {envelope.key} is not a registered key of {envelope.actor}"
            )
        try:
            verify_signature(public, record.signature, record.envelope)
        except VerificationError as error:
            raise IntegrityAlarm(notification.id, str(error)) from None
        return entry_bytes(record.envelope, record.signature), envelope


class DatabaseNodeSource(merkle.NodeSource):
    """Subtree hashes from the stored leaves and perfect-subtree nodes: O(log n) reads per proof."""

    def __init__(self, reader: sa.Engine) -> None:
        self._reader = reader

    def subtree_hash(self, start: int, end: int) -> bytes:
        with self._reader.connect() as conn:
            return self._hash(conn, start, end)

    def _hash(self, conn: sa.Connection, start: int, end: int) -> bytes:
        n = end - start
        if n == 1:
            leaf = conn.execute(
                sa.select(merkle_leaves.c.leaf_hash).where(merkle_leaves.c.position == start + 1)
            ).scalar_one()
            return bytes(leaf)
        if n & (n - 1) == 0 and start % n == 0:
            level = n.bit_length() - 1
            node = conn.execute(
                sa.select(merkle_nodes.c.hash).where(
                    merkle_nodes.c.level == level, merkle_nodes.c.idx == start >> level
                )
            ).scalar_one()
            return bytes(node)
        k = 1 << ((n - 1).bit_length() - 1)  # RFC 6962 §2.1: largest power of two smaller than n
        return merkle.node_hash(self._hash(conn, start, start + k), self._hash(conn, start + k, end))


def _split(frontier: bytes) -> list[bytes]:
    return [frontier[i : i + merkle.HASH_SIZE] for i in range(0, len(frontier), merkle.HASH_SIZE)]
