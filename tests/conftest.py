"""Shared fixtures: real SQLite files and a real PostgreSQL database created for this test run.

PostgreSQL tests skip with a visible reason only when no server is reachable, and fail
instead in CI (CI=true).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import structlog

from adapters.app.application import Application
from domain.kernel.roles import Role

PG_SERVER = os.environ.get("REVIEWLEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI") == "true"


def _server_reachable() -> str | None:
    try:
        with psycopg.connect(PG_SERVER, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"no PostgreSQL server at {PG_SERVER} ({type(error).__name__})"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of our own for this test run, dropped at the end."""
    problem = _server_reachable()
    if problem is not None:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {problem}")
        pytest.skip(problem)
    name = f"reviewledger_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_SERVER.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_pg(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One empty store on each backend: a SQLite file, or a freshly emptied PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.db"
    url: str = request.getfixturevalue("pg_database")
    _reset_pg(url)
    return url


class SteppingClock:
    """A test clock: one second later at every reading."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(db_url: str, tmp_path: Path, clock: SteppingClock) -> Iterator[Application]:
    """An initialised log with an administrator, on the backend under test."""
    application = Application(db_url, tmp_path / "kek", create_kek=True, clock=clock)
    application.initialise("reviewledger.test/log")
    application.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR,))
    try:
        yield application
    finally:
        application.close()


@pytest.fixture
def older_app(db_url: str, tmp_path: Path, clock: SteppingClock) -> Iterator[Application]:
    """As `app`, on a store set up before `init` made the log's ML-DSA-44 key: it signs with Ed25519 alone."""
    application = Application(db_url, tmp_path / "kek", create_kek=True, clock=clock)
    application.initialise("reviewledger.test/log", post_quantum=False)
    application.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR,))
    try:
        yield application
    finally:
        application.close()


@pytest.fixture(autouse=True)
def logging_restored() -> Iterator[None]:
    """Put structlog back as it was after each test.

    The command line configures it to write to the standard error of the moment, which under
    pytest is a capture stream closed when the test ends; a server or command in a later test
    logging to it would fail.
    """
    saved = structlog.get_config()
    try:
        yield
    finally:
        structlog.configure(**saved)
