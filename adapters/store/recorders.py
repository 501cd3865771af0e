"""The event recorders: the library's core SQLite and PostgreSQL recorders, one transaction per append.

`Ledger.append` hands the recorder, with the stored events, an `AppendWork`: what else the
append writes. In the same transaction as the events, and so committed with them or not at
all, the recorder

1. before the events: keeps the record's sealed ciphertexts (and its new data key, when the
   record had none live), and checks that the data key they were sealed under is still live —
   a disposal by another process may have destroyed it since it was read (`DataKeyGone`);
2. inserts the events with the library's own statements (on PostgreSQL under its exclusive
   table lock, which serialises writers and keeps notification ids in commit order);
3. after the events: extends the Merkle tree by their leaves and signs a checkpoint
   (`MerkleLog.extend_within`), when the tree has logged every earlier event; otherwise an
   earlier append's logging was interrupted, and `MerkleLog.catch_up` logs the events after
   the commit, in order.

One append is one commit: one fsync on SQLite, and nothing half-written after a crash. The work
runs on the library's own cursor through `Sql`: SQLAlchemy Core statements compiled for
each driver. The PostgreSQL recorder is in adapters/store/recorders_postgres.py, so that a command on a
SQLite store never imports the PostgreSQL driver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, ClassVar, Protocol, cast

import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from sqlalchemy.sql.compiler import SQLCompiler

WORK = "work"  # the keyword argument of insert_events that carries the AppendWork


class _Compiled:
    """A statement's text for one driver, its own bound literals, and its columns' type conversions."""

    def __init__(
        self,
        statement: sa.ClauseElement,
        text: str,
        bound: dict[str, Any],
        processors: Mapping[str, Callable[[Any], Any]],
    ) -> None:
        self.statement = statement
        self.text = text
        self._bound = bound
        self._processors = processors

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        values = self._bound | dict(params)
        for name, processor in self._processors.items():
            if values.get(name) is not None:
                values[name] = processor(values[name])
        return values


class Sql:
    """SQLAlchemy Core statements run on a driver's own cursor, compiled once per driver.

    Parameters are passed by name; a statement's own literals (e.g. `id == 1`) are bound too, and
    each value goes through its column type's conversion for the driver, as SQLAlchemy's own would.
    """

    _compiled: ClassVar[dict[tuple[int, bool], _Compiled]] = {}

    def __init__(self, cursor: Any, *, postgres: bool) -> None:
        self._cursor = cursor
        self.postgres = postgres

    def _compile(self, statement: sa.ClauseElement) -> _Compiled:
        key = (id(statement), self.postgres)
        found = self._compiled.get(key)
        if found is None or found.statement is not statement:
            dialect = _dialect(self.postgres)
            compiled = cast("SQLCompiler", statement.compile(dialect=dialect))
            processors = {
                name: processor
                for name, bind in compiled.binds.items()
                if (processor := bind.type.bind_processor(dialect)) is not None
            }
            found = _Compiled(statement, str(compiled), dict(compiled.params), processors)
            self._compiled[key] = found
        return found

    def execute(self, statement: sa.ClauseElement, params: Mapping[str, Any] | None = None) -> None:
        compiled = self._compile(statement)
        self._cursor.execute(compiled.text, compiled.bind(params or {}))

    def execute_many(self, statement: sa.ClauseElement, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            compiled = self._compile(statement)
            self._cursor.executemany(compiled.text, [compiled.bind(row) for row in rows])

    def one(
        self, statement: sa.ClauseElement, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, ...] | None:
        self.execute(statement, params)
        row = self._cursor.fetchone()
        if row is None:
            return None
        return tuple(row.values()) if isinstance(row, dict) else tuple(row)


@cache
def _dialect(postgres: bool) -> sa.Dialect:
    """The driver's SQLAlchemy dialect, imported only for the backend in use."""
    if postgres:
        from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

        return cast("Callable[..., sa.Dialect]", PGDialect_psycopg)(paramstyle="pyformat")
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    return SQLiteDialect_pysqlite(paramstyle="named")


def insert(table: sa.Table, *columns: str) -> sa.Insert:
    """INSERT INTO table (columns) VALUES (:column, ...), for `Sql`."""
    return sa.insert(table).values({name: sa.bindparam(name) for name in columns})


class AppendWork(Protocol):
    """What an append writes beside its events, in their transaction."""

    def before_events(self, sql: Sql) -> None: ...

    def after_events(self, sql: Sql, notification_ids: Sequence[int]) -> None: ...


class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    """The core SQLite recorder; an append's other writes share the events' transaction."""

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        work: AppendWork | None = kwargs.get(WORK)
        if work is None:
            return super()._insert_events(c, stored_events, **kwargs)
        sql = Sql(c, postgres=False)
        work.before_events(sql)
        ids = super()._insert_events(c, stored_events, **kwargs)
        work.after_events(sql, list(ids or []))
        return ids
