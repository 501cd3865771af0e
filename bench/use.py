"""Benchmarks shaped like use, on stores written one command at a time (bench/workload.py).

Each figure is a ratio measured in one run: ours and its peer alternate, run after run (at
least RUNS pairs), and the figure is the median of the pairs' ratios with their spread (lowest
and highest), so a shared machine's drift hits both sides alike.

    command append   whole commands (authority, replay, rules, the signed, sealed and logged
                     append, the read models) per second, against the plain `eventsourcing`
                     application with its own AES cipher loading and saving an aggregate of the
                     same shape per command; on SQLite and on PostgreSQL
    verify           whole-log verification of the largest store, against raw Ed25519
                     verification on every core, measured just before each verification
    review show      `reviewledger review show` wall time against `reviewledger --help`, at
                     every size
    pages            p95 of the review page and of the list page, rendered by their handlers
                     for 8 clients at once (each with its own application, as the server's pool
                     lends them), against the 150 ms allowed, at every size
    bundle export    one review's bundle at every size against the same at the smallest
    growth           each figure at every size, with the ratio between sizes; a figure that
                     grows with the store (each is about one review, one page or one command) is flagged
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate, event

from bench.data import BenchStore
from bench.workload import _Clock, _people, review_script, sample_review, use_store

if TYPE_CHECKING:
    from bench.__main__ import Results

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
CLIENTS = 8
PAGE_BOUND_MS = 150.0
PG_SERVER = os.environ.get("REVIEWLEDGER_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def sizes() -> list[int]:
    """The store sizes, smallest first: BENCH_USE_SIZES, else 10^4, 10^5 and 10^6 events."""
    return sorted(int(s) for s in os.environ.get("BENCH_USE_SIZES", "10000,100000,1000000").split(","))


def commands_per_run() -> int:
    return int(os.environ.get("BENCH_COMMANDS", "400"))


@dataclass(frozen=True)
class Paired:
    ours: float  # median of our runs
    peer: float  # median of the peer's runs
    ratio: float  # median of the runs' ratios (ours / peer)
    low: float
    high: float
    runs: int


def paired(ours: Callable[[], float], peer: Callable[[], float], runs: int = RUNS) -> Paired:
    """Run ours and the peer alternately, first one then the other first, `runs` times."""
    mine: list[float] = []
    theirs: list[float] = []
    for run in range(runs):
        if run % 2:
            theirs.append(peer())
            mine.append(ours())
        else:
            mine.append(ours())
            theirs.append(peer())
    ratios = [a / b for a, b in zip(mine, theirs, strict=True) if b]
    return Paired(
        statistics.median(mine),
        statistics.median(theirs),
        statistics.median(ratios),
        min(ratios),
        max(ratios),
        runs,
    )


def profile(call: Callable[[], object], top: int = 8) -> str:
    """Where `call` spends its time: the functions with the most time of their own, as a note."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(call)
    return _ranked(pstats.Stats(profiler), top)


def _ranked(stats: Any, top: int = 8) -> str:
    total = sum(entry[2] for entry in stats.stats.values()) or 1.0
    ranked = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return "; ".join(
        f"{Path(file).name}:{line} {function} {100 * own / total:.0f}%"
        for (file, line, function), (_, _, own, _, _) in ranked
    )


# -- command append ------------------------------------------------------------------------------


@contextmanager
def _database(kind: str, workdir: Path) -> Iterator[str | None]:
    """A fresh, empty database of `kind` for one run; None when no PostgreSQL server answers."""
    if kind == "sqlite":
        path = workdir / f"run-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        return
    import psycopg

    name = f"reviewledger_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        yield None
        return
    try:
        yield f"{PG_SERVER.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _our_commands(kind: str, workdir: Path, count: int) -> float:
    """Commands per second: `count` whole commands of interleaved reviews on a fresh store."""
    from adapters.app.application import Application

    with _database(kind, workdir) as url:
        if url is None:
            return 0.0
        app = Application(url, workdir / "kek", create_kek=True, clock=_Clock(0))
        try:
            _people(app)
            scripts = [review_script(i) for i in range(20)]
            steps = [step for _, step in _interleaved(scripts, count)]
            started = time.perf_counter()
            for step in steps:
                step(app)
            return count / (time.perf_counter() - started)
        finally:
            app.close()


def _interleaved(scripts: list[Iterator[Any]], count: int) -> list[Any]:
    found: list[Any] = []
    while len(found) < count and scripts:
        for script in list(scripts):
            step = next(script, None)
            if step is None:
                scripts.remove(script)
            elif len(found) < count:
                found.append(step)
    return found


class PlainReview(Aggregate):
    """The peer's review: received, then one step per command, as plain `eventsourcing` models it."""

    @event("Received")
    def __init__(self, reference: str, subject: str, notifier: str, reasons: str) -> None:
        self.reference = reference
        self.steps = 0

    @event("Stepped")
    def step(self, agency: str, involvement: str, reflection: str) -> None:
        self.steps += 1


def _plain_commands(kind: str, workdir: Path, count: int) -> float:
    """The peer: the plain application with its AES cipher, one aggregate loaded and saved per command."""
    from eventsourcing.application import Application as PlainApplication
    from eventsourcing.cryptography import AESCipher

    with _database(kind, workdir) as url:
        if url is None:
            return 0.0
        env = {"CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": AESCipher.create_key(32)}
        if kind == "sqlite":
            env |= {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": url.removeprefix("sqlite:///"),
            }
        else:
            from adapters.store.database import DatabaseUrl

            parsed = DatabaseUrl.parse(url)
            env |= {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": parsed.dbname,
                "POSTGRES_HOST": parsed.host,
                "POSTGRES_PORT": str(parsed.port),
                "POSTGRES_USER": parsed.user,
                "POSTGRES_PASSWORD": parsed.password,
            }
        plain = PlainApplication[Any](env=env)
        try:
            ids = []
            started = time.perf_counter()
            for i in range(count):
                if i < 20:
                    review = PlainReview(f"NLR-{i}", f"Child {i}", f"Notifier {i}", "Admitted to hospital.")
                    ids.append(review.id)
                else:
                    review = plain.repository.get(ids[i % 20])
                    review.step(f"Agency {i}", "Saw the family weekly.", "Could have shared sooner.")
                plain.save(review)
            return count / (time.perf_counter() - started)
        finally:
            plain.close()


def bench_command_append(results: Results) -> None:
    count = commands_per_run()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for kind in ("sqlite", "postgresql"):
            found = paired(
                partial(_our_commands, kind, workdir, count), partial(_plain_commands, kind, workdir, count)
            )
            if found.peer == 0.0:
                results.note(f"{kind}: no PostgreSQL server at {PG_SERVER}: not measured")
                continue
            result = results.add_paired(
                f"whole command vs plain eventsourcing + AES, {kind}", found, "commands/s", 0.5
            )
            if not result.met:
                where = profile(partial(_our_commands, kind, workdir, count))
                results.note(f"{kind}: target missed; profile of our commands (own time): {where}")


# -- verify --------------------------------------------------------------------------------------


def bench_verify_use(results: Results) -> None:
    from bench.__main__ import _verify_in_fresh_process
    from bench.baselines import raw_ed25519_verify_rate_all_cores

    store = use_store(sizes()[-1])
    cores = os.cpu_count() or 1
    signed, post_quantum = _checkpoints(store)
    reports: list[dict[str, Any]] = []

    def ours() -> float:
        found = _verify_in_fresh_process(store)
        reports.append(found)
        return (float(found["events"]) + signed + post_quantum) / float(found["seconds"])

    found = paired(ours, lambda: raw_ed25519_verify_rate_all_cores(cores))
    events = reports[-1]["events"]
    result = results.add_paired(
        f"verify, {events:,} events and {signed:,} checkpoints, one command at a time",
        found,
        "signatures/s",
        0.75,
    )
    results.note(
        "every signature is checked and counted: each event's (Ed25519) and each checkpoint's, one per "
        f"command, by the log's Ed25519 key and, on {post_quantum:,} of them, its ML-DSA-44 key (an ML-DSA-44 "
        "verification costs about twice an Ed25519 one, and counts as one); the baseline is raw Ed25519 "
        f"verification in {cores} processes at once, just before or after"
    )
    if not result.met:
        last = reports[-1]
        # Profiled on a store a tenth the size (or the smallest): the same work per event, in minutes less.
        smaller = use_store(max([s for s in sizes() if s < sizes()[-1]] or sizes()[:1]))
        results.note(
            f"target missed; CPU seconds: main process {last['main_cpu']:.1f}, workers "
            f"{last['workers_cpu']:.1f}, over {last['seconds']:.1f} s; main process verifying the "
            f"{smaller.events:,}-event store (own time): " + profile(partial(_verify_in_process, smaller))
        )


def _verify_in_process(store: BenchStore) -> None:
    from adapters.store.verification import verify_ledger

    app = store.open()
    try:
        verify_ledger(app.ledger)
    finally:
        app.close()


# A checkpoint note signed by the log's ML-DSA-44 key as well carries its 2,420-byte signature
# (3,240 characters of base64); one signed by Ed25519 alone is a few hundred characters.
_POST_QUANTUM_NOTE = 2000


def _checkpoints(store: BenchStore) -> tuple[int, int]:
    """How many signed checkpoints the store holds, and how many of them the ML-DSA-44 key signed too."""
    import sqlalchemy as sa

    from adapters.store.tables import checkpoints

    app = store.open()
    try:
        with app.db.reader.connect() as conn:
            row = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.count().filter(sa.func.length(checkpoints.c.note) > _POST_QUANTUM_NOTE),
                ).select_from(checkpoints)
            ).one()
            return int(row[0]), int(row[1])
    finally:
        app.close()


# -- latencies at every size ---------------------------------------------------------------------


def _wall(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)  # noqa: S603 (our own command)
    return time.perf_counter() - started


def bench_review_show(results: Results, growth: dict[str, dict[int, float]]) -> None:
    program = [sys.executable, "-m", "adapters.cli"]
    for events in sizes():
        store = use_store(events)
        show = [
            *program,
            "--db",
            store.url,
            "--kek-file",
            str(store.kek),
            "review",
            "show",
            sample_review(store),
        ]
        found = paired(partial(_wall, show), partial(_wall, [*program, "--help"]))
        result = results.add_paired(
            f"review show vs --help, {events:,} events", found, "s", 1.2, lower_is_better=True
        )
        growth["review show (s)"][events] = found.ours
        if not result.met:
            results.note(
                f"{events:,}: target missed; profile of review show (own time): " + _show_profile(show)
            )
    results.note(
        f"python -c pass: {statistics.median(_wall([sys.executable, '-c', 'pass']) for _ in range(RUNS)):.3f} s"
    )


def _show_profile(show: list[str]) -> str:
    """`review show` run under cProfile in its own process: where its time goes, start-up included."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "show.prof"
        subprocess.run(  # noqa: S603 (this interpreter, our own command)
            [sys.executable, "-m", "cProfile", "-o", str(out), *show[1:]],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        import pstats

        return _ranked(pstats.Stats(str(out)))


def _page_times(
    store: BenchStore, render: Callable[[Any, Any, str], object], references: list[str]
) -> list[float]:
    """Each client renders the page for its own references, all at once; every request's time."""
    from adapters.web.layout import Viewer
    from domain.kernel.roles import Role

    times: list[float] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        app = store.open()
        viewer = Viewer(
            actor=f"officer-{number % 4 + 1}",
            roles=frozenset({Role.CPC_OFFICER}),
            form_token=uuid.uuid4().hex,
        )
        try:
            for reference in references[number::CLIENTS]:
                started = time.perf_counter()
                render(app, viewer, reference)
                with lock:
                    times.append(time.perf_counter() - started)
        finally:
            app.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] * 1000 if len(times) > 1 else times[0] * 1000


def bench_pages(results: Results, growth: dict[str, dict[int, float]]) -> None:
    from adapters.web.pages import review_list as pages_review_list
    from adapters.web.pages import reviews as pages_reviews

    for events in sizes():
        store = use_store(events)
        work = shutil.copytree(store.directory, Path(tempfile.mkdtemp()) / "store")  # pages may log reads
        copy = BenchStore(events, work)
        reviews = _references(copy)
        # Ten views a client, for each page: a 95th percentile of 80 requests, not of a handful.
        chosen = [reviews[(i * 7919) % len(reviews)] for i in range(CLIENTS * 10)]
        pages: dict[str, tuple[Callable[[Any, Any, str], object], list[str]]] = {
            "review page": (lambda app, v, r: pages_reviews._review_page(app, v, r, {}), chosen),
            "list page": (
                lambda app, v, _: pages_review_list.reviews_page(app, v, {}),
                chosen,
            ),
        }
        found: dict[str, float] = {}
        for name, (render, references) in pages.items():
            found[name] = _p95(_page_times(copy, render, references))
            result = results.add(
                f"{name} p95, {CLIENTS} clients, {events:,} events",
                found[name],
                "ms",
                PAGE_BOUND_MS,
                1.0,
                lower_is_better=True,
            )
            if not result.met:
                where = profile(partial(_render_alone, copy, render, references[:CLIENTS]))
                results.note(f"{name}, {events:,}: target missed; profile of one client (own time): {where}")
        shutil.rmtree(work.parent, ignore_errors=True)
        review_p95, list_p95 = found["review page"], found["list page"]
        growth["review page p95 (ms)"][events] = review_p95
        growth["list page p95 (ms)"][events] = list_p95


def _render_alone(
    store: BenchStore, render: Callable[[Any, Any, str], object], references: list[str]
) -> None:
    from adapters.web.layout import Viewer
    from domain.kernel.roles import Role

    app = store.open()
    viewer = Viewer(actor="officer-1", roles=frozenset({Role.CPC_OFFICER}), form_token=uuid.uuid4().hex)
    try:
        for reference in references:
            render(app, viewer, reference)
    finally:
        app.close()


def _references(store: BenchStore) -> list[str]:
    from projections.queries import list_reviews

    app = store.open()
    try:
        with app.db.reader.connect() as conn:
            return [r.reference for r in list_reviews(conn)]
    finally:
        app.close()


def bench_bundle_growth(results: Results, growth: dict[str, dict[int, float]]) -> None:
    from adapters.governance.bundle import export_bundle

    times: dict[int, float] = {}
    for events in sizes():
        store = use_store(events)
        review = sample_review(store)
        runs = []
        with tempfile.TemporaryDirectory() as tmp:
            for run in range(RUNS):
                app = store.open()
                try:
                    started = time.perf_counter()
                    export_bundle(app.ledger, Path(tmp) / f"{run}.zip", review=review)
                    runs.append(time.perf_counter() - started)
                finally:
                    app.close()
        times[events] = statistics.median(runs)
        growth["bundle export of one review (s)"][events] = times[events]
    smallest = sizes()[0]
    for events in sizes()[1:]:
        result = results.add(
            f"bundle export of one review, {events:,} vs {smallest:,} events",
            times[events],
            "s",
            times[smallest],
            2.0,
            lower_is_better=True,
        )
        if not result.met:
            where = profile(partial(_export, use_store(events), tempfile.mkdtemp()))
            results.note(f"bundle, {events:,}: target missed; profile of one export (own time): {where}")


def _export(store: BenchStore, into: str) -> None:
    from adapters.governance.bundle import export_bundle

    app = store.open()
    try:
        export_bundle(app.ledger, Path(into) / "bundle.zip", review=sample_review(store))
    finally:
        app.close()


def growth_table(growth: dict[str, dict[int, float]]) -> list[str]:
    """Each figure at every size and the ratio from one size to the next; growth is flagged."""
    lines = []
    for name, by_size in growth.items():
        cells = []
        previous: float | None = None
        flagged = False
        for events in sorted(by_size):
            value = by_size[events]
            step = f" (x{value / previous:.2f})" if previous else ""
            if previous and value / previous > 1.5:
                flagged = True
            cells.append(f"{events:,}: {value:.3g}{step}")
            previous = value
        lines.append(f"{name}: " + "; ".join(cells) + ("; GROWS WITH THE STORE" if flagged else ""))
    return lines


def bench_use_latencies(results: Results) -> None:
    growth: dict[str, dict[int, float]] = {
        "review show (s)": {},
        "review page p95 (ms)": {},
        "list page p95 (ms)": {},
        "bundle export of one review (s)": {},
    }
    bench_review_show(results, growth)
    bench_pages(results, growth)
    bench_bundle_growth(results, growth)
    for line in growth_table(growth):
        results.note(f"growth: {line}")
