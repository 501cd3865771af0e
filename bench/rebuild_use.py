"""Rebuilding every read model of the largest use-shaped store, against the same without signatures.

Ours: `projections rebuild` on a copy of the store: each stored record decoded (envelope,
signature, payload), its envelope's fields read, its payload decoded into its event type,
folded into its review's views, its personal items indexed, the rows written. The peer: the
same runner, fold and row writing over the same events kept plain (position, stream, version,
type, time, actor, key and the payload in columns of their own: no envelope, no signature, no
sealing), read from a table of their own on the same kind of database. Paired runs, the median
ratio and its spread.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from bench.data import BenchStore
from bench.use import paired, profile, sizes
from bench.workload import use_store
from projections.logged import LoggedEvent

if TYPE_CHECKING:
    from bench.__main__ import Results

_plain = sa.MetaData()
plain_events = sa.Table(
    "plain_events",
    _plain,
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("stream", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("time", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("key", sa.String(32), nullable=False),
    sa.Column("sealed", sa.Boolean, nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Index("plain_events_stream", "stream", "version"),
)


class PlainSource:
    """The runner's event source over plain rows: the same events, nothing signed or sealed."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def _read(self, query: sa.Select[tuple[object, ...]]) -> list[LoggedEvent]:
        from adapters.store.event_source import _decoder

        with self._engine.connect() as conn:
            rows = conn.execute(query).tuples().all()
        return [
            LoggedEvent(
                position=int(position),  # type: ignore[call-overload]
                stream=str(stream),
                version=int(version),  # type: ignore[call-overload]
                type=str(kind),
                time=datetime.fromisoformat(str(moment)),
                actor=str(actor),
                key=str(key),
                event=_decoder(str(kind)).decode(bytes(payload)),  # type: ignore[call-overload]
                sealed=bool(sealed),
            )
            for position, stream, version, kind, moment, actor, key, sealed, payload in rows
        ]

    def read_after(self, position: int, limit: int) -> Sequence[LoggedEvent]:
        e = plain_events.c
        return self._read(
            sa.select(plain_events).where(e.position > position).order_by(e.position).limit(limit)
        )

    def read_stream(self, stream: str, up_to_version: int) -> Sequence[LoggedEvent]:
        e = plain_events.c
        query = sa.select(plain_events).where(e.stream == stream, e.version <= up_to_version)
        return self._read(query.order_by(e.version))

    def last_position(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(plain_events.c.position))).scalar_one() or 0)


def _engine(path: Path, *, immediate: bool) -> sa.Engine:
    """Set up as the store's own engines are: the writer's transactions take the write lock at once."""
    from adapters.store.database import DatabaseUrl, _engine

    return _engine(DatabaseUrl.parse(f"sqlite:///{path}"), immediate=immediate, lock_timeout=30)


def _write_plain(store: BenchStore, engine: sa.Engine) -> int:
    """The store's events, read once, written as plain rows (not timed)."""
    import msgspec

    from adapters.store.event_source import LedgerEventSource

    app = store.open()
    try:
        source = LedgerEventSource(app.ledger)
        with engine.begin() as conn:
            plain_events.create(conn)
        position, count = 0, 0
        while page := source.read_after(position, 1000):
            rows = [
                {
                    "position": e.position,
                    "stream": e.stream,
                    "version": e.version,
                    "type": e.type,
                    "time": e.time.isoformat(),
                    "actor": e.actor,
                    "key": e.key,
                    "sealed": e.sealed,
                    "payload": msgspec.json.encode(e.event),
                }
                for e in page
            ]
            with engine.begin() as conn:
                conn.execute(sa.insert(plain_events), rows)
            position, count = page[-1].position, count + len(page)
        return count
    finally:
        app.close()


def bench_rebuild_use(results: Results) -> None:
    from adapters.app.application import Application
    from projections.runner import ProjectionRunner

    store = use_store(sizes()[-1])
    with tempfile.TemporaryDirectory(dir=store.directory.parent) as tmp:
        work = Path(tmp)
        copy = BenchStore(store.events, work / "ours")
        shutil.copytree(store.directory, copy.directory)
        plain_engine = _engine(work / "plain.db", immediate=True)
        plain_reader = _engine(work / "plain.db", immediate=False)
        count = _write_plain(store, plain_engine)

        def ours() -> float:
            app = Application(copy.url, copy.kek)
            try:
                started = time.perf_counter()
                rebuilt = app.projections.rebuild()
                return rebuilt / (time.perf_counter() - started)
            finally:
                app.close()

        def peer() -> float:
            runner = ProjectionRunner(plain_engine, PlainSource(plain_reader), is_postgres=False)
            started = time.perf_counter()
            rebuilt = runner.rebuild()
            return rebuilt / (time.perf_counter() - started)

        found = paired(ours, peer)
        result = results.add_paired(
            f"rebuild every read model, {count:,} events, vs the same from plain events",
            found,
            "events/s",
            0.8,
        )
        if not result.met:
            results.note("target missed; profile of our rebuild (own time): " + profile(ours))
        plain_engine.dispose()
        plain_reader.dispose()
