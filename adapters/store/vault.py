"""Sealed personal data and the per-record data keys that open it.

Ciphertexts are stored by their SHA-256 digest (the digest the signed envelope names), so a
ciphertext orphaned by a failed write can never be mistaken for another event's. Disposal
destroys a record's wrapped data keys and every ciphertext of the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import sqlalchemy as sa

from adapters.store.documents import remove_before
from adapters.store.recorders import Sql, insert
from adapters.store.tables import data_keys, sealed
from audit.sealing import digest, new_data_key, unwrap_data_key, wrap_data_key

# The statements an append runs in its own transaction (write_within), on the recorder's cursor.
_INSERT_KEY = insert(data_keys, "record", "generation", "wrapped")


@cache
def _keep_ciphertext(postgres: bool) -> sa.Insert:
    """INSERT .. ON CONFLICT DO NOTHING for the backend in use (only its dialect is imported)."""
    values: dict[str, sa.BindParameter[object]] = {
        name: sa.bindparam(name) for name in ("digest", "record", "generation", "ciphertext")
    }
    if postgres:
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(sealed).values(values).on_conflict_do_nothing(index_elements=["digest"])
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(sealed).values(values).on_conflict_do_nothing(index_elements=["digest"])


_LIVE_KEY = sa.select(data_keys.c.wrapped).where(
    data_keys.c.record == sa.bindparam("record"), data_keys.c.generation == sa.bindparam("generation")
)


def _latest_generation(conn: sa.Connection, record: str) -> sa.Row[tuple[int, bytes | None]] | None:
    """The record's newest data-key generation and its wrapped key (None once destroyed)."""
    return conn.execute(
        sa.select(data_keys.c.generation, data_keys.c.wrapped)
        .where(data_keys.c.record == record)
        .order_by(data_keys.c.generation.desc())
        .limit(1)
    ).first()


class DataKeyGone(Exception):
    """The data key an append sealed under was destroyed (by a disposal) before it committed."""


class NewDataKey:
    """A record's next data-key generation, made now and stored with the append that first uses it."""

    def __init__(self, kek: bytes, record: str, generation: int) -> None:
        self.generation = generation
        self.key = new_data_key()
        self.wrapped = wrap_data_key(kek, record, generation, self.key)


class Vault:
    def __init__(self, engine: sa.Engine, reader: sa.Engine, kek: bytes) -> None:
        self._engine = engine
        self._reader = reader
        self._kek = kek

    def data_key_for_writing(self, record: str) -> tuple[int, bytes]:
        """The record's live data key (generation, key); a new generation after a disposal."""
        with self._engine.begin() as conn:
            latest = _latest_generation(conn, record)
            if latest is not None and latest.wrapped is not None:
                return latest.generation, unwrap_data_key(
                    self._kek, record, latest.generation, latest.wrapped
                )
            generation = latest.generation + 1 if latest is not None else 1
            key = new_data_key()
            conn.execute(
                sa.insert(data_keys).values(
                    record=record,
                    generation=generation,
                    wrapped=wrap_data_key(self._kek, record, generation, key),
                )
            )
            return generation, key

    def first_data_key(self, record: str) -> NewDataKey:
        """A first data key for a record that has none: stored with the append that uses it."""
        return NewDataKey(self._kek, record, 1)

    def live_data_key(self, record: str) -> tuple[int, bytes] | NewDataKey:
        """The record's live data key (generation, key), or the next generation to make: the
        record has none yet, or a disposal destroyed the last one."""
        with self._reader.connect() as conn:
            row = _latest_generation(conn, record)
        if row is not None and row.wrapped is not None:
            return row.generation, unwrap_data_key(self._kek, record, row.generation, row.wrapped)
        return NewDataKey(self._kek, record, row.generation + 1 if row is not None else 1)

    @staticmethod
    def write_within(
        sql: Sql, record: str, key: tuple[int, bytes] | NewDataKey, ciphertexts: Sequence[bytes]
    ) -> None:
        """In an append's transaction: store a new data key, or check the one used is still live,
        and keep the ciphertexts sealed under it. Raises DataKeyGone, and IntegrityError when
        another process made the same new generation first; either way the append is undone."""
        generation = key.generation if isinstance(key, NewDataKey) else key[0]
        if isinstance(key, NewDataKey):
            sql.execute(_INSERT_KEY, {"record": record, "generation": generation, "wrapped": key.wrapped})
        sql.execute_many(
            _keep_ciphertext(sql.postgres),
            [
                {"digest": digest(c), "record": record, "generation": generation, "ciphertext": c}
                for c in ciphertexts
            ],
        )
        if not isinstance(key, NewDataKey):
            # After the writes above, which on SQLite take the write lock first.
            live = sql.one(_LIVE_KEY, {"record": record, "generation": generation})
            if live is None or live[0] is None:
                raise DataKeyGone(record)

    def get_many(self, digests: list[bytes]) -> dict[bytes, tuple[str, int, bytes]]:
        """Ciphertexts by digest: {digest: (record, generation, ciphertext)} for those still held."""
        found: dict[bytes, tuple[str, int, bytes]] = {}
        if not digests:
            return found
        with self._reader.connect() as conn:
            for start in range(0, len(digests), 500):
                chunk = digests[start : start + 500]
                for row in conn.execute(
                    sa.select(
                        sealed.c.digest, sealed.c.record, sealed.c.generation, sealed.c.ciphertext
                    ).where(sealed.c.digest.in_(chunk))
                ):
                    found[bytes(row.digest)] = (row.record, row.generation, bytes(row.ciphertext))
        return found

    def data_key(self, record: str, generation: int) -> bytes | None:
        """The data key of one generation, or None when it has been destroyed."""
        with self._reader.connect() as conn:
            wrapped = conn.execute(
                sa.select(data_keys.c.wrapped).where(
                    data_keys.c.record == record, data_keys.c.generation == generation
                )
            ).scalar_one_or_none()
        if wrapped is None:
            return None
        return unwrap_data_key(self._kek, record, generation, wrapped)

    def destroy(
        self, record: str, rule: str, *, through_generation: int, documents_before: int | None = None
    ) -> int:
        """Crypto-shred generations 1..through_generation of the record: their wrapped keys and
        ciphertexts, and the documents attached before the record's version `documents_before`.
        A later generation (data recorded after the disposal) is kept. Returns the number of
        ciphertexts removed."""
        with self._engine.begin() as conn:
            conn.execute(
                sa.update(data_keys)
                .where(
                    data_keys.c.record == record,
                    data_keys.c.generation <= through_generation,
                    data_keys.c.wrapped.is_not(None),
                )
                .values(wrapped=None, destroyed_rule=rule)
            )
            removed = conn.execute(
                sa.delete(sealed).where(sealed.c.record == record, sealed.c.generation <= through_generation)
            ).rowcount
            if documents_before is not None:
                remove_before(conn, record, documents_before)
        return int(removed or 0)

    def is_destroyed(self, record: str) -> bool:
        with self._reader.connect() as conn:
            rows = conn.execute(sa.select(data_keys.c.wrapped).where(data_keys.c.record == record)).all()
        return bool(rows) and all(row.wrapped is None for row in rows)
