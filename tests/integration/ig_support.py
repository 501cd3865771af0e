"""What the subject access and FOI tests share: a store holding the demo's history on each backend,
a clock the test moves, and the personal values a record holds (to look for them in bytes sent)."""

from __future__ import annotations

import html
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import structlog

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.demo import run_demo
from projections.subjects import personal_items

PG_SERVER = os.environ.get("REVIEWLEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


class MovableClock:
    """The test's own time: where the test puts it (after the demo's last step, 2026-11-23)."""

    def __init__(self, moment: datetime = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@contextmanager
def demo_store(backend: str, directory: Path) -> Iterator[Settings]:
    """A store holding the demo's whole history (SAR-2026-001 and FOI-2026-001 among it)."""
    name = None
    if backend == "sqlite":
        url = f"sqlite:///{directory}/demo.db"
    else:
        try:
            with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3) as conn:
                name = f"reviewledger_ig_{os.getpid()}_{uuid.uuid4().hex[:8]}"
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as error:
            message = f"no PostgreSQL server at {PG_SERVER} ({type(error).__name__})"
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is required in CI: {message}")
            pytest.skip(message)
        url = f"{PG_SERVER.rsplit('/', 1)[0]}/{name}"
    try:
        settings = Settings(db_url=url, kek_file=directory / "demo.kek")
        assert run_demo(settings) == 0
        yield settings
    finally:
        if name is not None:
            with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def opened(settings: Settings, clock: MovableClock) -> Iterator[Application]:
    app = Application(settings.db_url, settings.kek_file, clock=clock)
    try:
        yield app
    finally:
        app.close()


def personal_values(app: Application, stream: str) -> dict[str, str]:
    """Every personal value the record still holds, by item id (`stream@version/field`)."""
    found: dict[str, str] = {}
    for recorded in app.ledger.read(stream, unseal=True):
        for path, item in personal_items(recorded.event):
            if item.value is not None:
                found[f"{stream}@{recorded.version}/{path}"] = item.value
    return found


def appears_in(value: str, data: bytes) -> bool:
    """Whether a value appears in a document: as it is, as HTML escapes it, or as JSON does."""
    text = data.decode("utf-8")
    forms = {value, html.escape(value, quote=True), json.dumps(value, ensure_ascii=False)[1:-1]}
    return any(form in text for form in forms)


@pytest.fixture(autouse=True)
def logging_restored() -> Iterator[None]:
    """Put structlog back after each test: the command line points it at the standard error of the
    moment, a capture stream that pytest closes when the test ends."""
    saved = structlog.get_config()
    try:
        yield
    finally:
        structlog.configure(**saved)
