"""One database URL selects both the event store and the relational tables beside it.

`sqlite:///path/to/file.db` (the embedded default) or `postgresql://user@host:port/dbname`.
The event table is the `eventsourcing` library's own core recorder (`eventsourcing.sqlite` or
`eventsourcing.postgres`, extended in adapters/store/recorders.py and recorders_postgres.py so that an append's ciphertexts and
Merkle leaves share the events' transaction); everything else (Merkle tree, checkpoints, keys, sealed payloads,
read models) is SQLAlchemy Core on the same database.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, Mapper

from adapters.store.errors import StoreNotFound, StoreUnavailable
from adapters.store.tables import EVENTS_TABLE, migrate, schema_version
from domain.kernel.errors import ConcurrentChange, InvalidInput, ReviewledgerError

DEFAULT_URL = "sqlite:///var/reviewledger.db"
LOCK_TIMEOUT = 30  # seconds a writer waits for another writer's lock before giving up

# PostgreSQL SQLSTATEs of a wait that was given up: lock_not_available, deadlock_detected,
# serialization_failure. Retrying the whole step is the remedy for each.
_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001"})


class StoreBusy(ConcurrentChange):
    """Other writers kept the store locked for longer than the lock timeout; nothing was written."""

    def __init__(self, record: str) -> None:
        ReviewledgerError.__init__(
            self,
            f"{record}: the store stayed locked by other writers while this step was being recorded; "
            "nothing was written: try again",
        )
        self.record = record


def is_busy(error: BaseException) -> bool:
    """Whether `error`, as raised by any layer (SQLAlchemy, eventsourcing, the driver), is a lock wait given up."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, sqlite3.OperationalError) and "locked" in str(seen):
            return True
        if getattr(seen, "sqlstate", None) in _BUSY_SQLSTATES:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


@contextmanager
def busy_is_retryable(record: str) -> Iterator[None]:
    """Turn a lock wait given up while writing `record` into StoreBusy, which callers retry."""
    try:
        yield
    except Exception as error:
        if is_busy(error):
            raise StoreBusy(record) from error
        raise


@dataclass(frozen=True)
class DatabaseUrl:
    """A parsed database URL; `describe()` is safe to print (no password)."""

    kind: str  # "sqlite" or "postgresql"
    path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""

    @classmethod
    def parse(cls, url: str) -> DatabaseUrl:
        if url.startswith("sqlite:///"):
            path = url[len("sqlite:///") :]
            if not path or path == ":memory:":
                raise InvalidInput(
                    "--db", "a SQLite URL must name a file, e.g. sqlite:///var/reviewledger.db"
                )
            return cls(kind="sqlite", path=path)
        if url.startswith(("postgresql://", "postgres://")):
            parts = urlsplit(url)
            dbname = parts.path.lstrip("/")
            if not parts.hostname or not dbname:
                raise InvalidInput("--db", "a PostgreSQL URL needs a host and a database name")
            try:
                port = parts.port or 5432
            except ValueError:
                raise InvalidInput("--db", "the PostgreSQL port must be a number") from None
            return cls(
                kind="postgresql",
                host=parts.hostname,
                port=port,
                user=unquote(parts.username or "postgres"),
                password=unquote(parts.password or ""),
                dbname=dbname,
            )
        raise InvalidInput("--db", "must start with sqlite:/// or postgresql://")

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.path}"
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}"

    def sqlalchemy_url(self) -> sa.URL:
        if self.kind == "sqlite":
            return sa.URL.create("sqlite", database=self.path)
        return sa.URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password or None,
            host=self.host,
            port=self.port,
            database=self.dbname,
        )

    def eventsourcing_env(self, lock_timeout: int = LOCK_TIMEOUT) -> dict[str, str]:
        common = {
            "MAPPER_TOPIC": "adapters.store.mapper:RecordMapper",
            "ORIGINATOR_ID_TYPE": "text",
            "CREATE_TABLE": "yes",
        }
        if self.kind == "sqlite":
            return common | {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "APPLICATION_RECORDER_TOPIC": "adapters.store.recorders:SQLiteLedgerRecorder",
                "SQLITE_DBNAME": self.path,
                "SQLITE_LOCK_TIMEOUT": str(lock_timeout),
            }
        return common | {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "adapters.store.recorders_postgres:PostgresLedgerRecorder",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_ORIGINATOR_ID_TYPE": "text",
            "POSTGRES_LOCK_TIMEOUT": str(lock_timeout),
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "4",
        }


def _store_missing(url: DatabaseUrl) -> StoreNotFound:
    return StoreNotFound(
        f"no reviewledger store at {url.describe()}: run `reviewledger init` first, or check --db"
    )


def _connection_problem(error: BaseException, url: DatabaseUrl) -> ReviewledgerError | None:
    """The one-line error for a store that cannot be opened, or None if `error` is something else.

    Only the URL's described form (no password) and the PostgreSQL error class are used, never
    the driver's own text, which may carry more of the connection string.
    """
    seen: BaseException | None = error
    while seen is not None:
        if url.kind == "postgresql":
            problem = _postgres_problem(seen, url)
            if problem is not None:
                return problem
        if isinstance(seen, sqlite3.OperationalError) and "unable to open" in str(seen):
            return StoreUnavailable(
                f"cannot open the SQLite file {url.path}: check that it can be read and written"
            )
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return None


def _postgres_problem(seen: BaseException, url: DatabaseUrl) -> ReviewledgerError | None:
    # The driver is imported only for a PostgreSQL store: a SQLite command never loads it.
    import psycopg

    if not isinstance(seen, psycopg.OperationalError):
        return None
    where = f"PostgreSQL at {url.host}:{url.port}"
    # A failed connection carries no SQLSTATE, only the server's message: read to classify, never shown.
    said = str(seen)
    if seen.sqlstate == "3D000" or ("database" in said and "does not exist" in said):
        return StoreNotFound(f"{where} has no database {url.dbname!r}: create it (createdb) or check --db")
    if (
        seen.sqlstate in ("28000", "28P01")
        or "authentication failed" in said
        or ("role" in said and "does not exist" in said)
    ):
        return InvalidInput("--db", f"{where} refused the user {url.user!r}: check the user and password")
    return StoreUnavailable(f"cannot reach {where}: is the server running and accepting connections?")


class Database:
    """The open database: the event recorder, a writing engine, a reading engine, and the engine
    that writes the read models.

    `create=False` opens only a store that is already there: a command that reads creates no
    folder, file or table (a missing one is StoreNotFound), and a server that cannot be reached
    is StoreUnavailable, each one line.
    """

    def __init__(self, url: str, *, lock_timeout: int = LOCK_TIMEOUT, create: bool = True) -> None:
        self.url = DatabaseUrl.parse(url)
        if self.url.kind == "sqlite":
            if create:
                Path(self.url.path).parent.mkdir(parents=True, exist_ok=True)
            elif not Path(self.url.path).is_file():
                raise _store_missing(self.url)
        self.engine = _engine(self.url, immediate=True, lock_timeout=lock_timeout)
        self.reader = (
            _engine(self.url, immediate=False, lock_timeout=lock_timeout)
            if self.url.kind == "sqlite"
            else self.engine
        )
        # SQLite: the read models are derived from the log and rebuilt from it, and each batch
        # records how far it read in its own transaction, so their commits need not wait for
        # the disk (WAL with synchronous=NORMAL: a crash may lose the last batches, never
        # corrupt them, and the next catch-up applies them again). The log's own commits do wait.
        self.views = (
            _engine(self.url, immediate=True, lock_timeout=lock_timeout, durable=False)
            if self.url.kind == "sqlite"
            else self.engine
        )
        try:
            if not create and not sa.inspect(self.engine).has_table(schema_version.name):
                raise _store_missing(self.url)
            with _schema_lock(self.engine, self.url):
                self.factory: InfrastructureFactory[Any] = InfrastructureFactory.construct(
                    self.url.eventsourcing_env(lock_timeout)
                )
                self.recorder: ApplicationRecorder = self.factory.application_recorder()
                self.mapper: Mapper[Any] = self.factory.mapper()
                migrate(self.engine)
        except Exception as error:
            self._dispose()
            problem = None if isinstance(error, ReviewledgerError) else _connection_problem(error, self.url)
            if problem is None:
                raise
            raise problem from None

    def _dispose(self) -> None:
        self.engine.dispose()
        for other in (self.reader, self.views):
            if other is not self.engine:
                other.dispose()

    @property
    def is_postgres(self) -> bool:
        return self.url.kind == "postgresql"

    def events_table(self) -> str:
        return EVENTS_TABLE

    def notification_column(self) -> str:
        """The column holding each event's place in the global order."""
        return "notification_id" if self.is_postgres else "rowid"

    def close(self) -> None:
        self.factory.close()
        self._dispose()


# PostgreSQL: every process creates or checks the tables under this advisory lock, one at a time.
# The recorder's set-up replaces a function and creates types each time it runs, which fails
# ("tuple concurrently updated", duplicate pg_type) when two processes open the database at once.
_SCHEMA_LOCK = 0x726C5F736368656D  # any fixed 64-bit number; "rl_schem"


@contextmanager
def _schema_lock(engine: sa.Engine, url: DatabaseUrl) -> Iterator[None]:
    if url.kind != "postgresql":
        yield  # SQLite: CREATE TABLE IF NOT EXISTS under the file's own write lock is enough
        return
    with engine.connect() as conn:
        conn.execute(sa.select(sa.func.pg_advisory_lock(_SCHEMA_LOCK)))
        try:
            yield
        finally:
            conn.execute(sa.select(sa.func.pg_advisory_unlock(_SCHEMA_LOCK)))


def _engine(url: DatabaseUrl, *, immediate: bool, lock_timeout: int, durable: bool = True) -> sa.Engine:
    if url.kind == "postgresql":
        return sa.create_engine(
            url.sqlalchemy_url(),
            pool_size=2,
            max_overflow=4,
            pool_pre_ping=True,
            connect_args={"options": f"-c lock_timeout={lock_timeout * 1000}"},
        )
    engine = sa.create_engine(url.sqlalchemy_url(), connect_args={"timeout": lock_timeout})

    # pysqlite's own transaction handling starts transactions late; take control so that a
    # writing transaction holds SQLite's write lock from its first statement (BEGIN IMMEDIATE)
    # and never fails upgrading a stale read snapshot.
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute(f"PRAGMA busy_timeout={lock_timeout * 1000}")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        if not durable:
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def database_url_from(cli_value: str | None) -> str:
    """The URL to use: the command line's --db, then REVIEWLEDGER_DB, then the embedded default."""
    return cli_value or os.environ.get("REVIEWLEDGER_DB") or DEFAULT_URL
