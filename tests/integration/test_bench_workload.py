"""The benchmarks' store is shaped like use, and their figures are paired ratios with a spread.

One writer takes the next step of each open review in turn, each a whole command: the log it
leaves interleaves reviews and holds sealed returns, recommendations and decisions, a subject's
registration and its disposal, and a subject access request, and it verifies.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from adapters.app.application import Application
from adapters.store.verification import verify_ledger
from bench import sar_pack, workload
from bench.data import BenchStore, child
from bench.use import growth_table, paired
from projections import queries


def _written(
    directory: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    events: int = 60,
    rounds: int = 8,
    whole_commands: bool = False,
) -> BenchStore:
    """A small use-shaped store of one writer, its read models caught up; `whole_commands` runs
    each step through `Application.execute` instead of on the review the writer holds."""
    monkeypatch.setattr(workload, "ACTIVE", 3)
    monkeypatch.setattr(workload, "ROUNDS_EVENTS", rounds)
    if whole_commands:
        monkeypatch.setattr(workload._HeldReviews, "run", lambda held, step: step(held.app))
    store = BenchStore(events, directory)
    store.directory.mkdir()
    app = Application(store.url, store.kek, create_kek=True, clock=workload._Clock(0))
    workload._people(app)
    app.close()
    workload.write_commands(store.url, str(store.kek), 0, 1, events)
    app = store.open()
    try:
        app.projections.catch_up()
    finally:
        app.close()
    monkeypatch.undo()
    return store


def test_a_store_written_one_command_at_a_time_interleaves_reviews_and_holds_every_kind_of_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _written(tmp_path / "store", monkeypatch, events=90, rounds=10)

    app = store.open()
    try:
        rows = [(r.stream, r.type) for r in app.ledger.read_all()]
        types = {t for _, t in rows}
        assert {
            "national.agency-return-received",
            "national.recommendation-made",
            "national.decision-to-proceed-recorded",
            "subject.registered",
            "record.personal-data-disposed",
            "sar.request-received",
            "sar.records-searched",
        } <= types
        assert len(rows) >= 90
        reviews = [stream for stream, _ in rows if stream.startswith("NLR-")]
        switches = sum(1 for a, b in itertools.pairwise(reviews) if a != b)
        assert switches > len(set(reviews))  # the reviews' steps alternate, not one review after another
        assert verify_ledger(app.ledger).intact
    finally:
        app.close()


def test_the_generator_stores_what_whole_commands_would_and_the_same_read_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = _written(tmp_path / "held", monkeypatch, whole_commands=False)
    whole = _written(tmp_path / "whole", monkeypatch, whole_commands=True)
    found = {}
    for name, store in (("held", held), ("whole", whole)):
        app = store.open()
        try:
            # The people and their keys are each store's own; everything after them is the steps'.
            events = [
                (r.stream, r.version, r.type, r.actor, r.time, r.event)
                for r in app.ledger.read_all(unseal=True)
                if r.stream != "registry"
            ]
            with app.db.reader.connect() as conn:
                reviews = queries.list_reviews(conn)
            found[name] = (events, reviews, app.db.recorder.max_notification_id())
        finally:
            app.close()
    types = {type_ for _, _, type_, *_ in found["held"][0]}
    assert {"national.agency-return-received", "national.decision-to-proceed-recorded"} <= types
    assert {"record.personal-data-disposed", "sar.records-searched"} <= types
    assert found["held"] == found["whole"]


def test_a_paired_figure_is_the_median_of_the_runs_ratios_with_the_lowest_and_highest() -> None:
    ours = iter([10.0, 12.0, 8.0, 11.0, 9.0])
    peer = iter([20.0, 20.0, 20.0, 20.0, 10.0])
    found = paired(lambda: next(ours), lambda: next(peer))
    assert (found.ratio, found.low, found.high, found.runs) == (0.55, 0.4, 0.9, 5)
    assert (found.ours, found.peer) == (10.0, 20.0)


def test_the_growth_table_flags_a_figure_about_one_review_that_grows_with_the_store() -> None:
    lines = growth_table(
        {
            "review show (s)": {10_000: 0.5, 100_000: 0.52, 1_000_000: 0.55},
            "bundle export of one review (s)": {10_000: 0.3, 100_000: 0.6, 1_000_000: 1.4},
            "list page p95 (ms)": {10_000: 50.0, 100_000: 55.0},
        }
    )
    assert lines[0] == "review show (s): 10,000: 0.5; 100,000: 0.52 (x1.04); 1,000,000: 0.55 (x1.06)"
    assert lines[1].endswith("1,000,000: 1.4 (x2.33); GROWS WITH THE STORE")
    assert lines[2] == "list page p95 (ms): 10,000: 50; 100,000: 55 (x1.10)"  # one page, whatever the store


def test_the_subject_access_store_holds_the_items_asked_for_and_collates_and_packs_them(
    tmp_path: Path,
) -> None:
    store = sar_pack.sar_store(40, tmp_path)
    app = store.open()
    try:
        with app.db.reader.connect() as conn:
            assert len(queries.subject_items(conn, child(0).subject_id)) >= 40
    finally:
        app.close()
    assert sar_pack._run(store, tmp_path / "run") > 0
    pack = (tmp_path / "run" / "pack.html").read_text(encoding="utf-8")
    # Every item went into the pack; the returns' authors are third parties, so their statements
    # are withheld by default, each a line of the redaction log.
    assert "SAR-BENCH-0001" in pack
    assert pack.count("withheld (by default)") >= 40
