"""Every lookup a command or page makes follows the record it is about, not the size of the log.

A review is opened and worked, a subject registered, the review disposed of, the store opened
again; then the review is shown (state, decisions, terms, timeline, clocks), listed, and
exported as a bundle; the child's subject access request is searched, collated and its pack
drafted; and the request lists and the access log are read. Every statement run
on the way is captured and explained (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with
sequential scans priced out, so a plan shows a scan only where no index can serve). A full
read of a table that grows with the log fails the test, and so does reading the log from a
position onwards while filtering by event type (it reads every later event to find a few).

The learning themes are read the same way: one theme's page is a range of its index, and the list
of every theme reads that index in order, never the reviews' documents.

Then an existing store, as it was before the lookups were indexed, is opened: it gets the
indexes and the table of pending disposals, filled from its own log.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from eventsourcing.sqlite import SQLiteCursor
from psycopg.sql import Composable

from adapters.app.application import Application
from adapters.app.views import NOW, decision_trail, review_at, review_state, terms_history, timescale_view
from adapters.governance import access_log, subjects
from adapters.governance.bundle import export_bundle
from adapters.governance.foi import requests as foi
from adapters.governance.sar import requests as sar
from adapters.store.event_source import LedgerEventSource
from adapters.store.tables import EVENTS_TABLE, pending_disposals, schema_version
from domain.governance.disposal import PersonalDataDisposed
from domain.governance.sar.steps import (
    Capacity,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RequestChannel,
    SearchAnswers,
)
from domain.kernel.roles import Role
from projections import schema
from projections.queries import list_reviews
from projections.themes import theme_counts, theme_page, theme_reviews
from tests.integration.review_steps import open_review, record_return, register_subject, request_information

REVIEW = "NLR-2026-101"

# Tables with rows for every event, leaf, node, checkpoint, sealed value, read or decision: a full
# read of any of them costs time in proportion to the whole log. (The reviews, roles and clocks
# views have a few rows per record, and the list and clock pages show every one of them.)
GROWING = frozenset(
    {
        EVENTS_TABLE,
        "rl_merkle_leaves",
        "rl_merkle_nodes",
        "rl_checkpoints",
        "rl_sealed",
        "rl_data_keys",
        "rl_access_log",
        "rl_sent_documents",
        "rl_disposal_certificates",
        "rl_view_decisions",
        "rl_view_terms",
        "rl_view_subject_items",
    }
)


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any


class Captured:
    """The statements run while capturing, each once (with the parameters of its first run)."""

    def __init__(self) -> None:
        self.on = False
        self.seen: dict[str, Statement] = {}

    def add(self, sql: str, params: Any) -> None:
        if self.on and sql not in self.seen and _is_query(sql):
            self.seen[sql] = Statement(sql, params)


def _is_query(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in {"SELECT", "UPDATE", "DELETE", "WITH"} or (head == "INSERT" and " SELECT " in sql.upper())


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[Captured]:
    """Capture every statement: SQLAlchemy's, and the event recorder's on its own cursors."""
    capture = Captured()

    def on_execute(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        capture.add(statement, parameters)

    sa.event.listen(sa.Engine, "before_cursor_execute", on_execute)

    sqlite_execute = SQLiteCursor.execute

    def sqlite_capture(self: SQLiteCursor, *args: Any, **kwargs: Any) -> None:
        capture.add(str(args[0]), args[1] if len(args) > 1 else ())
        sqlite_execute(self, *args, **kwargs)

    pg_execute = psycopg.Cursor.execute

    def pg_capture(self: psycopg.Cursor[Any], query: Any, params: Any = None, **kwargs: Any) -> Any:
        text = query.as_string(self.connection) if isinstance(query, Composable) else str(query)
        if not text.lstrip().upper().startswith("EXPLAIN"):
            capture.add(text, params)
        return pg_execute(self, query, params, **kwargs)

    monkeypatch.setattr(SQLiteCursor, "execute", sqlite_capture)
    monkeypatch.setattr(psycopg.Cursor, "execute", pg_capture)
    try:
        yield capture
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", on_execute)


@pytest.fixture
def officer(app: Application) -> Application:
    app.register_person(
        "admin", "officer", "Callum Drever", (Role.CPC_OFFICER, Role.RECORDS_MANAGER, Role.IG_OFFICER)
    )
    return app


def _work_and_read(app: Application, db_url: str, tmp_path: Path, capture: Captured) -> Application:
    """Commands, a disposal, a reopening, and every read of one review; returns the reopened app."""
    capture.on = True
    open_review(app, REVIEW, "officer")
    request_information(app, REVIEW, "officer", "NHS Orkney")
    record_return(app, REVIEW, "officer", "NHS Orkney")
    register_subject(app, "S-OTHER", "officer")
    app.dispose(REVIEW, "retention: test", "officer")
    request_information(app, REVIEW, "officer", "Police Scotland")
    app.close()
    reopened = Application(db_url, tmp_path / "kek")
    reopened.initialise("reviewledger.test/log")  # what every command does on opening
    review_state(reopened, REVIEW)
    decision_trail(reopened, REVIEW)
    terms_history(reopened, REVIEW)
    review_at(reopened, REVIEW, NOW)
    LedgerEventSource(reopened.ledger).stream_with_positions(REVIEW)
    timescale_view(reopened)
    with reopened.db.reader.connect() as conn:
        list_reviews(conn)
    export_bundle(reopened.ledger, tmp_path / "review.zip", review=REVIEW)
    _subject_access(reopened)
    sar.list_requests(reopened)
    foi.list_requests(reopened)
    for listed in (sar, foi):  # the request lists' pages, each way and from a place in the list
        for descending in (False, True):
            listed.page_requests(reopened, descending=descending, after=None, before=None, size=50)
            listed.page_requests(reopened, descending=descending, after=1, before=None, size=50)
            listed.page_requests(reopened, descending=descending, after=None, before=10**9, size=50)
    subjects.page_register(reopened, "officer", descending=True, after=2, before=None, size=50)
    access_log.reads_about(reopened, "S-CHILD")
    capture.on = False
    return reopened


def _subject_access(app: Application) -> None:
    """The child asks for their data: the review is searched, its items collated and the pack drafted."""
    on = app.clock.now().date()
    sar.open_request(
        app,
        "SAR-2026-001",
        "officer",
        ReceiveSubjectAccessRequest(
            received_on=on,
            channel=RequestChannel.EMAIL,
            requester_id="S-CHILD",
            subject_id="S-CHILD",
            capacity=Capacity.DATA_SUBJECT,
            requester_name="Ellie Rendall",
            request="Everything the council holds about me.",
        ),
    )
    sar.step(
        app,
        "SAR-2026-001",
        "officer",
        RecordSearch(searched_on=on, records=(SearchAnswers(record=REVIEW, what="every item about me"),)),
    )
    sar.collate_from_index(app, "SAR-2026-001", "officer", on)
    sar.render_pack(app, "SAR-2026-001", "officer", PackFormat.HTML, on=on)


# -- reading the plans ---------------------------------------------------------------------------

_SQLITE_SCAN = re.compile(r"^SCAN (\w+)")
_SQLITE_INDEX_ORDER = re.compile(r"^SCAN \w+ USING (COVERING )?INDEX \w+$")
_SQLITE_LOG_RANGE = re.compile(
    r"^SEARCH (\w+) USING INTEGER PRIMARY KEY \(rowid[<>]=?\?(?: AND rowid[<>]=?\?)?\)$"
)
_PG_NODE = re.compile(
    r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)(?: Backward)?(?: using \w+)? on (\w+)"
)


def _filters_by_type(sql: str) -> bool:
    return re.search(r"\btopic\b\s*(=|IN\b)", sql, re.IGNORECASE) is not None


def _sqlite_plan(path: str, statement: Statement) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        params = statement.params
        if isinstance(params, Sequence) and not isinstance(params, str | bytes):
            params = tuple(params)
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {statement.sql}", params)]
    finally:
        conn.close()


def _sqlite_problems(path: str, statement: Statement) -> list[str]:
    plan = _sqlite_plan(path, statement)
    # Reading in an index's order, unfiltered, stops at the LIMIT: e.g. the latest checkpoint.
    bounded = (
        " LIMIT " in statement.sql.upper()
        and " WHERE " not in statement.sql.upper()
        and not any("TEMP B-TREE" in step for step in plan)
    )
    problems = []
    for step in plan:
        scan = _SQLITE_SCAN.match(step)
        if scan and scan.group(1) in GROWING and not (bounded and _SQLITE_INDEX_ORDER.match(step)):
            problems.append(step)
        log_range = _SQLITE_LOG_RANGE.match(step)
        if log_range and log_range.group(1) == EVENTS_TABLE and _filters_by_type(statement.sql):
            problems.append(f"{step}, filtering each event by type")
    return problems


def _pg_plan(url: str, statement: Statement) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        params = statement.params
        if isinstance(params, Mapping):
            params = dict(params)
        return [str(row[0]) for row in conn.execute(f"EXPLAIN {statement.sql}", params)]


def _pg_problems(url: str, statement: Statement) -> list[str]:
    plan = _pg_plan(url, statement)
    problems = []
    current: str | None = None
    for line in plan:
        node = _PG_NODE.search(line)
        if node:
            current = node.group(2)
            if node.group(1) == "Seq Scan" and current in GROWING:
                problems.append(line.strip())
        elif current == EVENTS_TABLE and line.strip().startswith("Filter:") and "topic" in line:
            problems.append(f"{current}: {line.strip()}")
    return problems


def _problems(app: Application, db_url: str, capture: Captured) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for statement in capture.seen.values():
        if app.db.is_postgres:
            problems = _pg_problems(db_url, statement)
        else:
            problems = _sqlite_problems(app.db.url.path, statement)
        if problems:
            found[" ".join(statement.sql.split())[:300]] = problems
    return found


def test_no_command_or_page_reads_a_table_that_grows_with_the_log(
    officer: Application, db_url: str, tmp_path: Path, captured: Captured
) -> None:
    reopened = _work_and_read(officer, db_url, tmp_path, captured)
    try:
        assert len(captured.seen) > 30  # the capture saw the commands, the pages and the bundle
        assert any(EVENTS_TABLE in s.sql and "topic" in s.sql for s in captured.seen.values())
        assert any("rl_merkle_leaves" in s.sql and "stream" in s.sql for s in captured.seen.values())
        assert _problems(reopened, db_url, captured) == {}
    finally:
        reopened.close()


def test_the_plan_check_names_a_full_read_of_the_log(
    officer: Application, db_url: str, tmp_path: Path, captured: Captured
) -> None:
    """The check itself: the lookups as they were before the indexes are reported."""
    open_review(officer, REVIEW, "officer")
    with officer.db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP INDEX {EVENTS_TABLE}_topic")
        conn.exec_driver_sql("DROP INDEX rl_merkle_leaves_stream")
    captured.on = True
    LedgerEventSource(officer.ledger).stream_with_positions(REVIEW)
    sar.list_requests(officer)
    captured.on = False
    problems = _problems(officer, db_url, captured)
    assert [sql for sql in problems if "rl_merkle_leaves" in sql and "stream" in sql]
    assert [sql for sql in problems if EVENTS_TABLE in sql and "topic" in sql]


# -- the learning themes ---------------------------------------------------------------------------

THEMES = "rl_view_themes"
_SQLITE_THEME_RANGE = re.compile(r"^SEARCH rl_view_themes USING (COVERING )?INDEX \w+ \(theme=\?")
_SQLITE_REVIEW_BY_KEY = re.compile(r"^SEARCH rl_view_reviews USING (COVERING )?INDEX \w+ \(reference=\?\)$")
_SQLITE_THEMES_IN_ORDER = re.compile(r"^SCAN rl_view_themes USING COVERING INDEX \w+$")


def _plan(app: Application, db_url: str, statement: Statement) -> list[str]:
    if app.db.is_postgres:
        return [line.strip() for line in _pg_plan(db_url, statement)]
    return _sqlite_plan(app.db.url.path, statement)


def _reads_of(app: Application, db_url: str, capture: Captured, *needles: str) -> dict[str, list[str]]:
    """The plan of every statement captured whose text holds each of `needles`, by its text."""
    return {
        " ".join(s.sql.split()): _plan(app, db_url, s)
        for s in capture.seen.values()
        if all(n in " ".join(s.sql.split()) for n in needles)
    }


def test_a_themes_page_reads_its_own_rows_by_the_themes_index(
    officer: Application, db_url: str, captured: Captured
) -> None:
    """One theme's page and count are ranges of the themes' primary key, the page's reviews are read by
    theirs, and the runner replaces a review's themes through the index on the reference; only the list of
    every theme with its count reads the whole (small) index, in its order, never the table."""
    open_review(officer, REVIEW, "officer")
    # A tagging as the runner writes it (a national review is tagged only once it proceeds).
    with officer.db.engine.begin() as conn:
        conn.execute(
            sa.insert(schema.themes), [{"theme": t, "reference": REVIEW} for t in ("neglect", "recording")]
        )
    captured.on = True
    with officer.db.reader.connect() as conn:
        assert [(c.theme, c.reviews) for c in theme_counts(conn)] == [("neglect", 1), ("recording", 1)]
        for descending in (False, True):
            for after, before in ((None, None), ("NLR-2026-100", None), (None, "NLR-2026-102")):
                found = theme_page(conn, "neglect", descending=descending, after=after, before=before, size=1)
                assert found is not None and found.total == 1
        theme_reviews(conn, "neglect")
    request_information(officer, REVIEW, "officer", "NHS Orkney")  # the runner rewrites the review's rows
    captured.on = False

    pages = _reads_of(officer, db_url, captured, f"FROM {THEMES}", "theme =")
    lookups = _reads_of(officer, db_url, captured, "FROM rl_view_reviews", "reference IN")
    replaced = _reads_of(officer, db_url, captured, f"DELETE FROM {THEMES}")
    every = _reads_of(officer, db_url, captured, f"FROM {THEMES} GROUP BY")
    assert len(pages) >= 6 and lookups and replaced and every
    if officer.db.is_postgres:
        for plan in (*pages.values(), *lookups.values(), *replaced.values(), *every.values()):
            assert not [line for line in plan if "Seq Scan" in line], plan
        assert all(
            any(f"using rl_view_themes_pkey on {THEMES}" in line for line in p) for p in pages.values()
        )
        assert all(any("ix_rl_view_themes_reference" in line for line in p) for p in replaced.values())
        return
    for plan in pages.values():
        assert [step for step in plan if THEMES in step and not _SQLITE_THEME_RANGE.match(step)] == [], plan
        assert not [step for step in plan if "TEMP B-TREE" in step], plan  # the index's order, either way
    for plan in lookups.values():
        assert [step for step in plan if not _SQLITE_REVIEW_BY_KEY.match(step)] == [], plan
    for plan in replaced.values():
        assert [step for step in plan if "ix_rl_view_themes_reference (reference=?)" not in step] == [], plan
    for plan in every.values():
        assert [step for step in plan if not _SQLITE_THEMES_IN_ORDER.match(step)] == [], plan
    # The check itself: without the index on the reference, replacing a review's themes reads every row.
    with officer.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_rl_view_themes_reference")
    unindexed = [
        _plan(officer, db_url, s) for s in captured.seen.values() if f"DELETE FROM {THEMES}" in s.sql
    ]
    assert unindexed and all(plan == [f"SCAN {THEMES}"] for plan in unindexed)


# -- an existing store gets the new lookups on opening -------------------------------------------


def test_a_store_from_before_the_lookups_gets_them_and_finishes_its_pending_disposal_on_opening(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    open_review(officer, REVIEW, "officer")
    at = officer.clock.now()
    # The disposal event is stored and the process stops before the data keys are destroyed.
    officer.ledger.append(
        REVIEW,
        officer.ledger.stream_version(REVIEW),
        [PersonalDataDisposed(rule="retention: test", authorised_by="officer", at=at)],
        "officer",
        at,
    )
    disposal_version = officer.ledger.stream_version(REVIEW)
    # Put the store back as it was before migration 5.
    with officer.db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP INDEX {EVENTS_TABLE}_topic")
        conn.exec_driver_sql("DROP INDEX rl_merkle_leaves_stream")
        pending_disposals.drop(conn)
        conn.execute(sa.delete(schema_version).where(schema_version.c.version == 5))
    officer.close()

    reopened = Application(db_url, tmp_path / "kek")
    try:
        with reopened.db.reader.connect() as conn:
            assert conn.execute(sa.select(pending_disposals)).tuples().all() == [(REVIEW, disposal_version)]
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("rl_merkle_leaves")}
            assert "rl_merkle_leaves_stream" in indexes
            assert f"{EVENTS_TABLE}_topic" in {i["name"] for i in sa.inspect(conn).get_indexes(EVENTS_TABLE)}
        reopened.initialise("reviewledger.test/log")
        sealed = [r for r in reopened.ledger.read(REVIEW, unseal=True) if r.sealed]
        assert sealed and all(r.disposed is not None for r in sealed)
        with reopened.db.reader.connect() as conn:
            assert conn.execute(sa.select(pending_disposals)).tuples().all() == []
    finally:
        reopened.close()
