"""The relational tables beside the event table, and their migrations.

Nothing here is the record itself: the event table is. These tables are the Merkle
tree and checkpoints (derived from the events and re-checked by `verify`), the
encrypted keys, and the sealed personal data (destroyed on disposal); for the HTTP API,
sign-in accounts, sessions, failed sign-ins and the access log; the documents sent in
answer to subject access and FOI requests; the certificates of disposals; the disposals
recorded but not yet carried out; and witnesses' cosignatures of the checkpoints.

Every lookup a command or page makes is served by an index or a small table, never by reading
a table that grows with the log (tests/integration/test_query_plans.py checks each one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.event import type_name

EVENTS_TABLE = "stored_events"  # the eventsourcing recorder's own table, created by the recorder

metadata = sa.MetaData()

schema_version = sa.Table(
    "rl_schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

meta = sa.Table(
    "rl_meta",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# One row: how far the Merkle tree has read the event table, and its right edge.
tree_head = sa.Table(
    "rl_tree_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("last_notification_id", sa.BigInteger, nullable=False),
    sa.Column("frontier", sa.LargeBinary, nullable=False),
    sa.Column("claims", sa.BigInteger, nullable=False),
)

merkle_leaves = sa.Table(
    "rl_merkle_leaves",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("notification_id", sa.BigInteger, nullable=False, unique=True),
    sa.Column("stream", sa.String(200), nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("leaf_hash", sa.LargeBinary(32), nullable=False),
)
# A record's events in the log: its page, its bundle and its replay find them by stream.
leaves_by_stream = sa.Index("rl_merkle_leaves_stream", merkle_leaves.c.stream, merkle_leaves.c.version)

# Perfect subtrees of two or more leaves: (level, index) -> hash, so proofs are O(log n) reads.
merkle_nodes = sa.Table(
    "rl_merkle_nodes",
    metadata,
    sa.Column("level", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("idx", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("hash", sa.LargeBinary(32), nullable=False),
)

checkpoints = sa.Table(
    "rl_checkpoints",
    metadata,
    sa.Column("tree_size", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("note", sa.Text, nullable=False),
)

private_keys = sa.Table(
    "rl_private_keys",
    metadata,
    sa.Column("key_id", sa.String(32), primary_key=True),
    sa.Column("actor_id", sa.String(64), nullable=False, index=True),
    sa.Column("encrypted", sa.LargeBinary, nullable=False),
)

data_keys = sa.Table(
    "rl_data_keys",
    metadata,
    sa.Column("record", sa.String(200), primary_key=True),
    sa.Column("generation", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("wrapped", sa.LargeBinary, nullable=True),  # NULL once destroyed
    sa.Column("destroyed_rule", sa.Text, nullable=True),
)

sealed = sa.Table(
    "rl_sealed",
    metadata,
    sa.Column("digest", sa.LargeBinary(32), primary_key=True),
    sa.Column("record", sa.String(200), nullable=False, index=True),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("ciphertext", sa.LargeBinary, nullable=False),
)

# Sign-in accounts for the HTTP API, one per registered person (actor id). Only the scrypt hash
# of the password is kept (audit/passwords.py).
accounts = sa.Table(
    "rl_accounts",
    metadata,
    sa.Column("actor_id", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("password_set_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
)

# Signed-in sessions: the SHA-256 of each bearer token, never the token.
sessions = sa.Table(
    "rl_sessions",
    metadata,
    sa.Column("token_digest", sa.LargeBinary(32), primary_key=True),
    sa.Column("actor_id", sa.String(64), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

# Failed sign-ins, kept for the rate limit's window only. `actor_id` is null for an unknown account.
sign_in_failures = sa.Table(
    "rl_sign_in_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor_id", sa.String(64), nullable=True, index=True),
    sa.Column("client", sa.String(64), nullable=False, index=True),
)

# Who read which record's data, why, and whether they were let: every read of personal data
# through the HTTP API, and every refused read.
access_log = sa.Table(
    "rl_access_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False, index=True),
    sa.Column("record", sa.String(200), nullable=False, index=True),
    sa.Column("view", sa.String(32), nullable=False),
    sa.Column("purpose", sa.String(32), nullable=True),
    sa.Column("ig_request", sa.String(64), nullable=True),
    sa.Column("granted", sa.Boolean, nullable=False),
    sa.Column("request_id", sa.String(64), nullable=False),
)

# The exact documents sent in answer to information-governance requests (a SAR pack, an FOI
# notice and disclosure, a review decision), kept sealed under the request file's data key so a
# disposal of the file shreds them too; `sha256` is the digest of the bytes sent, as the file's
# signed event records it.
sent_documents = sa.Table(
    "rl_sent_documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record", sa.String(200), nullable=False, index=True),
    sa.Column("purpose", sa.String(32), nullable=False),
    sa.Column("media_type", sa.String(64), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("ciphertext", sa.LargeBinary, nullable=False),
    sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kept_by", sa.String(64), nullable=False),
)

# Disposal certificates: what was disposed of, when, under which rule, on whose authority, and
# where the signed disposal event sits in the log (`adapters/governance/disposal_certificates.py`). The
# document holds ids, dates and rule text only, never the data disposed of.
disposal_certificates = sa.Table(
    "rl_disposal_certificates",
    metadata,
    sa.Column("certificate_id", sa.String(240), primary_key=True),
    sa.Column("record", sa.String(200), nullable=False, index=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("authorised_by", sa.String(64), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

# The documents attached to a review's steps (`adapters/store/documents.py`): each file is sealed
# in segments under the review's data key, so a disposal of the review shreds it with the rest.
# `rl_documents` is keyed by the SHA-256 of the whole sealed stream, which the signed attachment
# event names; `upload` ties it to its segments; `record_version` is the review's version when the
# file was attached, so a disposal removes only what was held before it.
documents = sa.Table(
    "rl_documents",
    metadata,
    sa.Column("digest", sa.LargeBinary(32), primary_key=True),
    sa.Column("upload", sa.String(32), nullable=False, unique=True),
    sa.Column("record", sa.String(200), nullable=False, index=True),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("record_version", sa.BigInteger, nullable=False),
    sa.Column("sealed_bytes", sa.BigInteger, nullable=False),
)

document_segments = sa.Table(
    "rl_document_segments",
    metadata,
    sa.Column("upload", sa.String(32), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("record", sa.String(200), nullable=False, index=True),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("ciphertext", sa.LargeBinary, nullable=False),
)

# Disposals whose event is recorded but whose crypto-shredding is not yet done: a row is written
# in the disposal event's own transaction and removed once the record's keys are destroyed, so
# every command can finish an interrupted disposal without searching the log for disposals.
pending_disposals = sa.Table(
    "rl_pending_disposals",
    metadata,
    sa.Column("stream", sa.String(200), primary_key=True),
    sa.Column("version", sa.BigInteger, primary_key=True, autoincrement=False),
)

DISPOSAL_TYPE = type_name(PersonalDataDisposed)


def _index_lookups(conn: sa.Connection) -> None:
    """Migration 5: index the Merkle leaves by stream and the events by type; list the disposals
    the log already holds as pending (the next command finds each one carried out and drops it)."""
    leaves_by_stream.create(conn, checkfirst=True)
    # The events' type, then their order: listing one type's events (requests, registrations,
    # reads) reads only those. SQLite keys every index by rowid already.
    columns = "topic, notification_id" if conn.dialect.name == "postgresql" else "topic"
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {EVENTS_TABLE}_topic ON {EVENTS_TABLE} ({columns})")
    events = sa.table(
        EVENTS_TABLE, sa.column("originator_id"), sa.column("originator_version"), sa.column("topic")
    )
    conn.execute(
        sa.insert(pending_disposals).from_select(
            ["stream", "version"],
            sa.select(events.c.originator_id, events.c.originator_version).where(
                events.c.topic == DISPOSAL_TYPE
            ),
        )
    )


# Witnesses' cosignatures of the log's checkpoints (c2sp.org/tlog-cosignature): one signature
# line per cosigner key, kept apart so the log's own checkpoint notes stay byte for byte as signed.
cosignatures = sa.Table(
    "rl_cosignatures",
    metadata,
    sa.Column("tree_size", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("cosigner", sa.String(200), primary_key=True),
    sa.Column("kind", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("line", sa.Text, nullable=False),
)


@dataclass(frozen=True)
class Migration:
    """Takes the schema from version N-1 to N: creates `tables`, then runs `then`."""

    version: int
    tables: tuple[sa.Table, ...]
    then: Callable[[sa.Connection], None] | None = None


# Migrations only ever grow. Each runs on a database that has the event table already.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        (
            schema_version,
            meta,
            tree_head,
            merkle_leaves,
            merkle_nodes,
            checkpoints,
            private_keys,
            data_keys,
            sealed,
        ),
    ),
    Migration(2, (accounts, sessions, sign_in_failures, access_log)),
    Migration(3, (sent_documents,)),
    Migration(4, (disposal_certificates,)),
    Migration(5, (pending_disposals,), _index_lookups),
    Migration(6, (cosignatures,)),
    Migration(7, (documents, document_segments)),
)


def migrate(engine: sa.Engine) -> None:
    """Bring the schema up to date; safe to run from several processes at once."""
    with engine.begin() as conn:
        schema_version.create(conn, checkfirst=True)
        done = {row[0] for row in conn.execute(sa.select(schema_version.c.version))}
        for migration in MIGRATIONS:
            if migration.version in done:
                continue
            for table in migration.tables:
                table.create(conn, checkfirst=True)
            if migration.then is not None:
                migration.then(conn)
            conn.execute(sa.insert(schema_version).values(version=migration.version))
