"""The core PostgreSQL recorder, one transaction per append (see adapters/store/recorders.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL as PgSQL

from adapters.store.recorders import WORK, AppendWork, Sql


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    """The core PostgreSQL recorder; an append's other writes share the events' transaction.

    The library pipelines its insert and commits even when an error is caught inside the
    pipeline; an append with work is therefore run without the pipeline, in a plain
    transaction that any error rolls back whole.
    """

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        work: AppendWork | None = kwargs.get(WORK)
        if work is None or not stored_events:
            inserted: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return inserted
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            # Every wait in this transaction, not only the table lock's, gives up after the timeout.
            curs.execute(PgSQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout))
            sql = Sql(curs, postgres=True)
            work.before_events(sql)
            self._insert_stored_events(curs, stored_events)  # table lock, notify, insert
            ids: list[int] = list(self._fetch_ids_after_insert_events(curs, stored_events) or [])
            work.after_events(sql, ids)
        return ids
