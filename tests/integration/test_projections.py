"""The read models and the "as at" replay, on the demo's history, on SQLite and PostgreSQL.

The demo records one complete history of every route (LR-2026-001 is a child's National
Learning Review: notified 5 January 2026, decided 10 February, terms of reference amended
1 April, paused 1 May to 29 May, closed 20 November). Each test asks of these views what
an officer, the Chief Officers Group or an inspector would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec
import psycopg
import pytest
import sqlalchemy as sa

from adapters.app import views
from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.demo import run_demo
from adapters.store.event_source import LedgerEventSource
from adapters.store.verification import verify_ledger
from domain.kernel.errors import InvalidInput, RecordNotFound
from domain.kernel.event import Personal
from domain.routes.registry import ROUTES
from projections import queries, schema
from projections.decisions import DECISIONS
from projections.fold import ReviewFold
from projections.logged import route_of_type
from projections.model import Moment
from projections.runner import ProjectionRunner
from projections.subjects import item_at
from projections.themes import theme_counts, theme_page

PG_SERVER = os.environ.get("REVIEWLEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TODAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return TODAY


def _pg_database() -> tuple[str, str]:
    try:
        with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3) as conn:
            name = f"reviewledger_views_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        message = f"no PostgreSQL server at {PG_SERVER} ({type(error).__name__})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {message}")
        pytest.skip(message)
    return f"{PG_SERVER.rsplit('/', 1)[0]}/{name}", name


def _drop(name: str) -> None:
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """One store per backend holding the demo's history, shared by the tests that only read it."""
    with _demo_settings(request.param, tmp_path_factory.mktemp("demo")) as settings:
        yield settings


@pytest.fixture
def demo(demo_store: Settings) -> Iterator[Application]:
    app = Application(demo_store.db_url, demo_store.kek_file, clock=FixedClock())
    try:
        yield app
    finally:
        app.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_demo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Application]:
    """A store of its own with the demo's history, for a test that changes it."""
    with _demo_settings(request.param, tmp_path) as settings:
        app = Application(settings.db_url, settings.kek_file, clock=FixedClock())
        try:
            yield app
        finally:
            app.close()


@contextmanager
def _demo_settings(backend: str, directory: Path) -> Iterator[Settings]:
    name = None
    if backend == "sqlite":
        url = f"sqlite:///{directory}/demo.db"
    else:
        url, name = _pg_database()
    try:
        settings = Settings(db_url=url, kek_file=directory / "demo.kek")
        assert run_demo(settings) == 0
        yield settings
    finally:
        if name is not None:
            _drop(name)


def rows(app: Application) -> dict[str, list[tuple[object, ...]]]:
    with app.db.reader.connect() as conn:
        return queries.table_rows(conn)


def review_events(app: Application, reference: str) -> list[Any]:
    return LedgerEventSource(app.ledger).stream_with_positions(reference)


# -- current state --------------------------------------------------------------------------------


def test_every_review_in_the_read_models_is_what_its_own_events_say(demo: Application) -> None:
    with demo.db.reader.connect() as conn:
        listed = queries.list_reviews(conn)
    assert [r.reference for r in listed] == [
        "ASP-2026-001",
        "LIP-2026-001",
        "LIP-2026-002",
        "LR-2026-001",
        "LR-2026-002",
        "MLR-2026-001",
        "SALR-2026-001",
    ]
    for summary in listed:
        events = review_events(demo, summary.reference)
        record: Any = ROUTES[summary.route].replay(summary.reference, [e.event for e in events])
        state = views.review_state(demo, summary.reference)
        assert (state.stage, state.status, state.version) == (
            str(record.stage),
            str(record.status),
            len(events),
        )
        assert state.position == events[-1].position
        fold = ReviewFold(summary.reference, summary.route)
        fold.apply_all(events)
        assert msgspec.structs.replace(state, clocks=()) == msgspec.structs.replace(fold.state(), clocks=())


def test_a_closed_national_review_shows_its_team_terms_parallel_process_and_no_open_obligation(
    demo: Application,
) -> None:
    state = views.review_state(demo, "LR-2026-001")
    assert (state.route, state.subject_group, state.stage, state.status) == (
        "national",
        "child",
        "closed",
        "closed",
    )
    assert state.terms_in_force == 2 and state.terms_pending is None
    team = {(r.role, r.holder) for r in state.roles if r.kind == "team"}
    assert {("chair", "S-NLR1-CHAIR"), ("reviewer", "S-NLR1-REVIEWER")} <= team
    acted = {(r.role, r.holder) for r in state.roles if r.kind == "acted"}
    assert {("cpc", "cpc-chair"), ("cog", "cog-chair"), ("cpc_officer", "cpc-officer")} <= acted
    assert [(p.process, p.state) for p in state.parallel_processes] == [("criminal proceedings", "ongoing")]
    assert state.obligations == ()
    with demo.db.reader.connect() as conn:
        assert "LR-2026-001" in queries.reviews_held_by(conn, "cpc-chair")


def test_the_escalated_review_is_linked_and_owes_a_decision_that_is_now_overdue(demo: Application) -> None:
    escalated = views.review_state(demo, "LR-2026-002")
    assert [(link.relationship, link.reference) for link in escalated.linked_reviews] == [
        ("escalated from", "MLR-2026-001")
    ]
    assert [o.what for o in escalated.obligations] == [
        "the Child Protection Committee to decide whether to proceed"
    ]
    (timescale,) = escalated.clocks
    assert timescale.status == "running" and timescale.overdue
    assert timescale.days_left == (timescale.due - TODAY.date()).days < 0
    mini = views.review_state(demo, "MLR-2026-001")
    assert [(link.relationship, link.reference) for link in mini.linked_reviews] == [
        ("escalated to", "LR-2026-002")
    ]


# -- the decision trail --------------------------------------------------------------------------


def test_the_trail_lists_every_decision_with_who_role_when_outcome_basis_and_timescale(
    demo: Application,
) -> None:
    events = review_events(demo, "LR-2026-001")
    trail = views.decision_trail(demo, "LR-2026-001")
    assert [d.version for d in trail] == [e.version for e in events if e.type in DECISIONS]
    by_what = {d.what: d for d in trail}
    decided = by_what["decision whether to proceed"]
    assert (decided.actor, decided.role, decided.outcome, decided.decided_on) == (
        "cpc-chair",
        "cpc",
        "proceed",
        date(2026, 2, 10),
    )
    assert decided.follows_from is not None and decided.follows_from.what.startswith("recommendation")
    assert decided.timescale is not None and decided.timescale.met
    assert decided.timescale.name == "committee decision within 6 weeks of notification"
    # The basis is personal data: the trail says where it is and whose, never the text itself.
    (basis,) = decided.basis
    assert basis.text is None and basis.sealed is not None and basis.sealed.field == "basis"
    assert all(d.signature.startswith("verified: signed by " + d.actor) for d in trail)
    cog = by_what["report signed off by the COG"]
    assert cog.kind == "sign-off" and cog.timescale is not None and cog.timescale.met


def test_a_key_reported_compromised_marks_the_decisions_it_signed_afterwards_as_not_trusted(
    fresh_demo: Application,
) -> None:
    demo = fresh_demo
    key = demo.ledger.registry().active_key("cog-chair")
    assert key is not None
    demo.mark_compromised("admin", "cog-chair", key, datetime(2026, 9, 25, tzinfo=UTC), "laptop stolen")
    statuses = {
        d.decided_on: d.signature for d in views.decision_trail(demo, "LR-2026-001") if d.actor == "cog-chair"
    }
    assert statuses[date(2026, 9, 22)].startswith("verified")
    assert statuses[date(2026, 9, 29)] == (
        f"not trusted: key {key} was reported compromised from 2026-09-25T00:00:00+00:00"
    )


# -- clocks, terms and chronology ---------------------------------------------------------------


def test_the_clocks_view_has_every_timescale_of_every_review_soonest_first(demo: Application) -> None:
    timescales = views.timescale_view(demo)
    assert [c.due for c in timescales] == sorted(c.due for c in timescales)
    assert {c.reference for c in timescales} == {
        "ASP-2026-001",
        "LIP-2026-001",
        "LIP-2026-002",
        "LR-2026-001",
        "LR-2026-002",
        "MLR-2026-001",
        "SALR-2026-001",
    }
    running = views.timescale_view(demo, running_only=True)
    assert running and all(c.status in ("running", "paused") for c in running)
    revised = [c for c in timescales if c.reference == "LR-2026-001" and c.revised]
    assert revised, "the delay reported on LR-2026-001 revised its completion timescale"


def test_the_terms_of_reference_history_says_what_changed_and_who_agreed(demo: Application) -> None:
    history = views.terms_history(demo, "LR-2026-001")
    assert [(v.version, v.status) for v in history] == [(1, "agreed"), (2, "agreed")]
    proposed, agreed = history[1].steps
    assert (proposed.action, proposed.actor, proposed.on) == ("proposed", "reviewer", date(2026, 3, 25))
    assert [c.field for c in proposed.changes] == ["changes", "text"]
    assert (agreed.action, agreed.actor, agreed.role, agreed.on) == (
        "agreed",
        "cpc-chair",
        "cpc",
        date(2026, 4, 1),
    )


def test_the_merged_chronology_orders_every_agencys_entries_by_date(demo: Application) -> None:
    found = views.review_at(demo, "LR-2026-001", views.NOW)
    assert len({line.agency for line in found.chronology}) >= 2
    assert [line.occurred_on for line in found.chronology] == sorted(
        line.occurred_on for line in found.chronology
    )
    assert all(line.value is None for line in found.chronology)
    assert [e.version for e in found.timeline] == list(range(1, 64))


# -- as at a moment ------------------------------------------------------------------------------


def test_as_at_each_step_the_review_is_what_its_first_steps_made_it(demo: Application) -> None:
    events = review_events(demo, "LR-2026-001")
    for count in range(1, len(events) + 1):
        record: Any = ROUTES["national"].replay("LR-2026-001", [e.event for e in events[:count]])
        then = views.review_state(demo, "LR-2026-001", Moment(position=events[count - 1].position))
        assert (then.version, then.stage, then.status) == (count, str(record.stage), str(record.status))


@pytest.mark.parametrize(
    ("as_at", "stage", "status", "terms", "pending"),
    [
        ("2026-01-05", "notification received", "open", 0, None),
        ("2026-02-10", "learning review under way", "open", 1, None),
        ("2026-03-31", "learning review under way", "open", 1, 2),
        ("2026-04-01", "learning review under way", "open", 2, None),
        ("2026-05-15", "learning review under way", "paused", 2, None),
        ("2026-06-01", "learning review under way", "open", 2, None),
        ("2026-11-23", "closed", "closed", 2, None),
    ],
)
def test_as_at_a_date_the_review_stood_as_the_procedure_had_left_it(
    demo: Application, as_at: str, stage: str, status: str, terms: int, pending: int | None
) -> None:
    then = views.review_state(demo, "LR-2026-001", views.parse_moment("--as-at", as_at))
    assert (then.stage, then.status, then.terms_in_force, then.terms_pending) == (
        stage,
        status,
        terms,
        pending,
    )


def test_as_at_an_earlier_date_the_clocks_count_days_to_that_date(demo: Application) -> None:
    moment = views.parse_moment("--as-at", "2026-02-01")
    timescales = {(c.reference, c.name): c for c in views.timescale_view(demo, moment)}
    decision = timescales[("LR-2026-001", "committee decision within 6 weeks of notification")]
    assert (decision.status, decision.due, decision.days_left, decision.overdue) == (
        "running",
        date(2026, 2, 16),
        15,
        False,
    )
    assert all(c.reference != "LR-2026-002" for c in timescales.values()), "escalation came later"
    trail = views.decision_trail(demo, "LR-2026-001", moment)
    assert [d.what for d in trail] == ["recommendation to the committee on whether to proceed"]


def test_what_changed_between_two_dates(demo: Application) -> None:
    diff = views.review_diff(
        demo,
        "LR-2026-001",
        views.parse_moment("--from", "2026-02-01"),
        views.parse_moment("--to", "2026-03-15"),
    )
    changes = {c.field: c for c in diff.changes}
    assert (changes["stage"].before, changes["stage"].after) == (
        "recommendation made, awaiting the committee's decision",
        "learning review under way",
    )
    assert (changes["terms_in_force"].before, changes["terms_in_force"].after) == (0, 1)
    assert "decision whether to proceed" in [d.what for d in diff.decisions]
    assert [e.version for e in diff.events] == list(
        range(diff.events[0].version, diff.events[-1].version + 1)
    )
    assert diff.events[0].version == 9  # NHS Orkney's contact was named before February
    unchanged = views.review_diff(
        demo,
        "LR-2026-001",
        views.parse_moment("--from", "2026-12-01"),
        views.parse_moment("--to", "2026-12-02"),
    )
    assert unchanged.changes == () and unchanged.events == ()


def test_a_diff_backwards_or_an_unreadable_moment_is_refused(demo: Application) -> None:
    with pytest.raises(InvalidInput, match=r"--from: must not be later than --to"):
        views.review_diff(
            demo,
            "LR-2026-001",
            views.parse_moment("--from", "2026-06-01"),
            views.parse_moment("--to", "2026-03-01"),
        )
    with pytest.raises(InvalidInput, match=r"--as-at: must be a log position"):
        views.parse_moment("--as-at", "last Tuesday")
    with pytest.raises(InvalidInput, match=r"--as-at: a date-time must include a time zone"):
        views.parse_moment("--as-at", "2026-03-01T09:00:00")
    with pytest.raises(RecordNotFound, match=r"LR-2099-001"):
        views.review_state(demo, "LR-2099-001")
    with pytest.raises(InvalidInput, match=r"LR-2026-001 had no recorded steps at 2025-12-31"):
        views.review_state(demo, "LR-2026-001", views.parse_moment("--as-at", "2025-12-31"))


# -- rebuild, resume, disposal --------------------------------------------------------------------


def test_a_rebuild_gives_exactly_the_rows_built_step_by_step(demo: Application) -> None:
    incremental = rows(demo)
    assert incremental["rl_view_reviews"] and incremental["rl_view_decisions"]
    read = demo.projections.rebuild()
    assert read == demo.projections.source.last_position()
    assert rows(demo) == incremental


def test_a_run_interrupted_mid_batch_commits_nothing_and_the_next_run_resumes(
    demo: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = rows(demo)
    runner = ProjectionRunner(demo.db.engine, LedgerEventSource(demo.ledger), is_postgres=demo.db.is_postgres)
    runner.reset()
    batches = 0
    real_apply = ProjectionRunner._apply

    def failing_apply(self: ProjectionRunner, conn: sa.Connection, events: Any) -> None:
        nonlocal batches
        batches += 1
        real_apply(self, conn, events)
        if batches == 3:
            raise RuntimeError("power cut")

    monkeypatch.setattr(ProjectionRunner, "_apply", failing_apply)
    with pytest.raises(RuntimeError, match="power cut"):
        runner.catch_up(batch=40)
    assert runner.position() == 80, "two batches committed, the third rolled back"
    monkeypatch.setattr(ProjectionRunner, "_apply", real_apply)
    fresh = ProjectionRunner(demo.db.engine, LedgerEventSource(demo.ledger), is_postgres=demo.db.is_postgres)
    assert fresh.catch_up(batch=40) == demo.projections.source.last_position() - 80
    assert rows(demo) == expected


def _plaintexts(app: Application, reference: str) -> set[str]:
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, Personal) and value.value and len(value.value) >= 6:
            found.add(value.value)
        elif isinstance(value, msgspec.Struct):
            for field in msgspec.structs.fields(value):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)

    for recorded in app.ledger.read(reference, unseal=True):
        walk(recorded.event)
    return found


def _view_text(app: Application) -> str:
    with app.db.reader.connect() as conn:
        return "\n".join(str(row) for table in schema.VIEW_TABLES for row in conn.execute(sa.select(table)))


def _every_table_text(app: Application) -> str:
    """Every row of every table in the database (the event table included), as text."""
    tables = sa.MetaData()
    tables.reflect(app.db.engine)
    with app.db.reader.connect() as conn:
        return "\n".join(str(row) for table in tables.sorted_tables for row in conn.execute(sa.select(table)))


def test_after_a_disposal_no_table_in_the_database_holds_the_disposed_plaintext(
    fresh_demo: Application,
) -> None:
    demo = fresh_demo
    # A sealed value that is also some other field's public text (an action called "7-minute
    # briefing", say) is not the sealed copy: only values that exist nowhere in clear are looked for.
    public = "\n".join(str(msgspec.to_builtins(r.event)) for r in demo.ledger.read_all())
    secrets = {s for s in _plaintexts(demo, "LR-2026-001") if s not in public}
    assert len(secrets) > 20
    demo.dispose("LR-2026-001", "retention test rule", "records-manager")
    text = _every_table_text(demo)
    assert "rl_view_reviews" not in text and "LR-2026-001" in text  # rows were read, table names were not
    assert [s for s in secrets if s in text] == []
    assert verify_ledger(demo.ledger).intact


def test_no_view_holds_personal_data_before_or_after_a_disposal_and_a_rebuild_agrees(
    fresh_demo: Application,
) -> None:
    demo = fresh_demo
    secrets = _plaintexts(demo, "LR-2026-001")
    assert len(secrets) > 20, "the review holds personal data to look for"
    assert not [s for s in secrets if s in _view_text(demo)]
    demo.dispose("LR-2026-001", "retention test rule", "records-manager")
    after = views.review_state(demo, "LR-2026-001")
    assert after.personal_data_disposed and after.stage == "closed"
    assert _plaintexts(demo, "LR-2026-001") == set(), "the sealed values are gone from the log's store"
    assert not [s for s in secrets if s in _view_text(demo)]
    before_rebuild = rows(demo)
    demo.projections.rebuild()
    assert rows(demo) == before_rebuild


def test_every_decision_and_terms_entry_names_fields_its_event_has() -> None:
    from domain.kernel.event import event_types
    from projections.decisions import TERMS

    known = event_types()
    for tag, spec in DECISIONS.items():
        fields = {f.name for f in msgspec.structs.fields(known[tag])}
        assert route_of_type(tag) is not None
        assert set(spec.basis) <= fields and (spec.on is None or spec.on in fields), tag
        assert all(follow in known for follow in spec.follows), tag
    for tag, terms in TERMS.items():
        fields = {f.name for f in msgspec.structs.fields(known[tag])}
        assert set(terms.changes) <= fields and (terms.on == "" or terms.on in fields), tag


# -- the command line ------------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], store: Settings, *args: str) -> tuple[int, str, str]:
    from adapters.cli import main

    capsys.readouterr()
    code = main(["--db", store.db_url, "--kek-file", str(store.kek_file), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_trail_json_lists_every_decision_with_actor_role_time_outcome_and_timescale_result(
    demo_store: Settings, demo: Application, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _cli(capsys, demo_store, "trail", "LR-2026-001", "--json")
    assert code == 0
    trail = json.loads(out)
    events = review_events(demo, "LR-2026-001")
    assert [d["version"] for d in trail] == [e.version for e in events if e.type in DECISIONS]
    for decision in trail:
        assert decision["actor"] and decision["role"] and decision["recorded_at"] and decision["outcome"]
        assert decision["signature"].startswith("verified")
    proceed = next(d for d in trail if d["what"] == "decision whether to proceed")
    assert proceed["timescale"]["met"] is True and proceed["timescale"]["due"] == "2026-02-16"
    code, out, _ = _cli(capsys, demo_store, "trail", "LR-2026-001", "--as-at", "2026-02-01", "--json")
    assert code == 0 and [d["version"] for d in json.loads(out)] == [
        8
    ]  # the recommendation, after the contact is named and the three returns


def test_the_view_commands_answer_in_text_and_json_and_refuse_bad_moments(
    demo_store: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _cli(capsys, demo_store, "review", "show", "LR-2026-001", "--as-at", "2026-05-15")
    assert (
        code == 0 and "(as it stood at 2026-05-15T23:59:59.999999+00:00)" in out and "status:  paused" in out
    )
    code, out, _ = _cli(capsys, demo_store, "review", "show", "LR-2026-001", "--json")
    assert code == 0 and json.loads(out)["stage"] == "closed"
    code, out, _ = _cli(capsys, demo_store, "clocks", "--running", "--json")
    # The second national review, and the SCR the National Panel overturned into one (its report due).
    assert code == 0 and [c["reference"] for c in json.loads(out)] == ["LR-2026-002", "LIP-2026-002"]
    code, out, _ = _cli(
        capsys, demo_store, "diff", "LR-2026-001", "--from", "2026-02-01", "--to", "2026-03-15"
    )
    assert (
        code == 0
        and "stage: recommendation made, awaiting the committee's decision -> learning review under way"
        in out
    )
    code, out, _ = _cli(capsys, demo_store, "review", "terms", "LR-2026-001")
    assert code == 0 and "2026-04-01 agreed by cpc-chair as cpc" in out
    code, out, _ = _cli(capsys, demo_store, "reviews", "list", "--route", "mini", "--json")
    assert code == 0 and [r["reference"] for r in json.loads(out)] == ["MLR-2026-001"]
    code, out, err = _cli(capsys, demo_store, "clocks", "--as-at", "next week")
    assert code == 2 and out == ""
    assert err.strip() == (
        "error: --as-at: must be a log position (e.g. 120), a date (2026-03-01) or a date-time with a time zone"
    )
    code, out, _ = _cli(capsys, demo_store, "projections", "status", "--json")
    assert code == 0 and json.loads(out)["behind"] == 0
    code, out, _ = _cli(capsys, demo_store, "projections", "rebuild")
    assert code == 0 and out.startswith("rebuilt the read models from ")


def test_the_long_running_worker_catches_up_and_stops_cleanly_when_told(fresh_demo: Application) -> None:
    expected = rows(fresh_demo)
    fresh_demo.projections.reset()
    assert fresh_demo.projections.position() == 0 and rows(fresh_demo)["rl_view_reviews"] == []
    store = ["--db", fresh_demo.db.url.describe(), "--kek-file", str(fresh_demo.kek_file)]
    worker = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", *store, "projections", "run", "--interval", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        last = fresh_demo.projections.source.last_position()
        for _ in range(300):
            if fresh_demo.projections.position() == last:
                break
            time.sleep(0.1)
        assert fresh_demo.projections.position() == last
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert f"read models at log position {last}" in out
    assert rows(fresh_demo) == expected


# -- the subject index ----------------------------------------------------------------------------


def _expected_index(app: Application) -> set[tuple[str, str, int, str]]:
    """The index worked out independently: every tagged personal item in every event's plain values."""
    found: set[tuple[str, str, int, str]] = set()

    def walk(position: int, path: str, value: object) -> None:
        if isinstance(value, dict):
            if value.get("type") == "personal":
                found.update((s, "about", position, path) for s in value["about"])
                if value.get("by"):
                    found.add((value["by"], "by", position, path))
                return
            for key, item in value.items():
                walk(position, f"{path}.{key}" if path else key, item)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(position, f"{path}[{index}]", item)

    for recorded in app.ledger.read_all():
        data = msgspec.to_builtins(recorded.event)
        data.pop("type", None)
        walk(recorded.notification_id, "", data)
    return found


def test_the_subject_index_finds_every_item_about_and_by_each_person(demo: Application) -> None:
    with demo.db.reader.connect() as conn:
        indexed = {
            (item.subject, item.relation, item.position, item.field)
            for subject in {row[0] for row in conn.execute(sa.select(schema.subject_items.c.subject))}
            for relation in ("about", "by")
            for item in queries.subject_items(conn, subject, relation=relation)
        }
        assert indexed == _expected_index(demo)
        principal = views.review_state(demo, "LR-2026-001")
        child = next(s for s in queries.subjects_in(conn, "LR-2026-001") if s.endswith("CHILD"))
        about_child = queries.subject_items(conn, child)
    assert principal.reference == "LR-2026-001"
    assert {i.stream for i in about_child} >= {"LR-2026-001", f"subject-{child}"}
    assert [i.position for i in about_child] == sorted(i.position for i in about_child)
    for item in about_child[:20]:
        (event,) = [r.event for r in demo.ledger.read(item.stream) if r.version == item.version]
        personal = item_at(event, item.field)
        assert personal is not None and child in personal.about


def test_the_committee_lists_reviews_by_the_themes_of_their_learning(
    demo_store: Settings, demo: Application, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every route's review tags its learning once it is disseminated: the child's review "neglect" and
    # "information sharing"; the panel's MALR, the mini and the single-agency review themes of their own.
    found = views.themes_view(demo)
    assert [(t.theme, t.references) for t in found] == [
        ("information sharing", ("LIP-2026-001", "LR-2026-001", "MLR-2026-001", "SALR-2026-001")),
        ("neglect", ("LR-2026-001",)),
        ("recording", ("SALR-2026-001",)),
        ("referrals", ("LIP-2026-001",)),
        ("school absence", ("MLR-2026-001",)),
    ]
    assert [t.theme for t in views.themes_view(demo, " Neglect ")] == ["neglect"]
    assert views.themes_view(demo, "carers") == []
    code, out, _ = _cli(capsys, demo_store, "themes")
    assert code == 0
    assert out.splitlines() == [
        "information sharing: LIP-2026-001, LR-2026-001, MLR-2026-001, SALR-2026-001",
        "neglect: LR-2026-001",
        "recording: SALR-2026-001",
        "referrals: LIP-2026-001",
        "school absence: MLR-2026-001",
    ]
    code, out, _ = _cli(capsys, demo_store, "themes", "--theme", "neglect", "--json")
    assert code == 0
    assert json.loads(out) == [{"theme": "neglect", "references": ["LR-2026-001"]}]


def _theme_rows(app: Application) -> list[tuple[str, str]]:
    with app.db.reader.connect() as conn:
        found = conn.execute(
            sa.select(schema.themes.c.theme, schema.themes.c.reference).order_by(
                schema.themes.c.theme, schema.themes.c.reference
            )
        )
        return [(row.theme, row.reference) for row in found]


def test_the_themes_read_model_has_a_row_per_theme_and_review_from_its_tagging_and_after_a_rebuild(
    demo: Application,
) -> None:
    # One row per (theme, review), exactly the themes each review's own state says it is tagged with.
    views.refresh(demo)
    with demo.db.reader.connect() as conn:
        states = [queries.review_state(conn, r.reference) for r in queries.list_reviews(conn)]
    expected = sorted((theme, s.reference) for s in states if s is not None for theme in s.themes)
    assert _theme_rows(demo) == expected
    assert ("neglect", "LR-2026-001") in expected and len(expected) == 8
    # Built from the log again, LR-2026-001 has no row until the event tagging it is read, then has them.
    (tagged,) = [e for e in review_events(demo, "LR-2026-001") if e.type == "national.learning-themes-tagged"]
    before = sum(1 for e in demo.projections.source.read_after(0, 10**6) if e.position < tagged.position)
    demo.projections.reset()
    assert demo.projections.run_once(batch=before)[1] == tagged.position - 1
    assert [row for row in _theme_rows(demo) if row[1] == "LR-2026-001"] == []
    demo.projections.run_once(batch=1)
    assert [row for row in _theme_rows(demo) if row[1] == "LR-2026-001"] == [
        ("information sharing", "LR-2026-001"),
        ("neglect", "LR-2026-001"),
    ]
    demo.projections.catch_up()
    assert _theme_rows(demo) == expected
    demo.projections.rebuild()
    assert _theme_rows(demo) == expected
    # The committee's themes and one theme's page read these rows.
    with demo.db.reader.connect() as conn:
        counts = theme_counts(conn)
        one = theme_page(conn, "information sharing", size=3)
        last = theme_page(conn, "information sharing", after="MLR-2026-001", size=3)
        back = theme_page(conn, "information sharing", before="SALR-2026-001", size=3)
        newest = theme_page(conn, "information sharing", descending=True, size=3)
        assert theme_page(conn, "carers") is None
    assert [(c.theme, c.reviews) for c in counts][:2] == [("information sharing", 4), ("neglect", 1)]
    assert one is not None and [r.reference for r in one.rows] == [
        "LIP-2026-001",
        "LR-2026-001",
        "MLR-2026-001",
    ]
    assert (one.total, one.earlier, one.later) == (4, False, True)
    assert (one.rows[1].kind or "").lower() == "national learning review" and one.rows[1].status == "closed"
    assert last is not None and [r.reference for r in last.rows] == ["SALR-2026-001"]
    assert (last.earlier, last.later) == (True, False)
    assert back is not None and [r.reference for r in back.rows] == [
        "LIP-2026-001",
        "LR-2026-001",
        "MLR-2026-001",
    ]
    assert (back.earlier, back.later) == (False, True)
    assert newest is not None and [r.reference for r in newest.rows] == [
        "SALR-2026-001",
        "MLR-2026-001",
        "LR-2026-001",
    ]
