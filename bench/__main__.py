"""`make bench`: each figure beside a baseline measured in the same run, on the same machine.

    verify          whole-log verification rate against the raw Ed25519 verification rate of
                    `cryptography` times the cores used (verification uses every core)
    verify memory   peak RSS of a whole-log verification at 10^6 events against 10^5, each in
                    a fresh process reading its own peak (it must not grow with the log)
    bundle          exporting one review's bundle from a 10^6-event store and verifying it
                    offline (the inspector's reviewledger-verify, in a fresh Python) as an
                    inspector does, with `--since` the checkpoint they hold, against the same
                    in a 10^5-event store
    append          signed, sealed, checkpointed appends against the plain event store
    replay          rebuilding every read model against the plain event store's replay (bench/views.py)
    subject search  p50/p95 of everything about one subject at 10^6 events (bench/views.py)
    rebuild memory  peak RSS of rebuilding every read model at 10^6 events against 10^5, each
                    in a fresh process (bench/views.py, bench/rebuild_child.py)
    documents       attaching and redacting a 50-page PDF against PDFium rendering the same
                    pages alone (bench/documents.py)

The 10^5- and 10^6-event stores are generated once under var/bench/ (see bench/data.py for
how) and reused while complete. Results go to bench/results/latest.json as
{"machine", "versions", "date", "results": [{"name", "value", "unit", "baseline", "ratio",
"target", "met", "runs", "spread"}]}, and the table in docs/cli.md between the bench markers is
rewritten, both from this one run; a run of some benchmarks only goes to partial.json.
Adding a benchmark is one function that calls `results.add(...)`, listed in BENCHMARKS;
BENCH_ONLY=verify,bundle runs only those.

The benchmarks shaped like use (bench/use.py: whole commands against plain `eventsourcing` with
its AES cipher on SQLite and PostgreSQL, verification against raw Ed25519 on all cores at the
same time, `review show` against `--help`, page p95 with 8 clients, one review's bundle, and how
each grows from 10^4 to 10^6 events) report the median of paired runs with its spread.
`python -m bench --quick` runs only those, on stores of 1,000 and 3,000 events with fewer
commands per run: a check that every figure is produced, not a measurement.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from adapters.app.logging import configure_logging
from bench import documents, views
from bench.baselines import raw_cpu_per_signature, raw_ed25519_verify_rate, raw_ed25519_verify_rate_all_cores
from bench.data import BenchStore, bench_store
from bench.rebuild_use import bench_rebuild_use
from bench.sar_pack import bench_sar_pack
from bench.use import Paired, bench_command_append, bench_use_latencies, bench_verify_use

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
MANUAL = ROOT / "docs" / "cli.md"
TABLE_START, TABLE_END = "<!-- bench:start -->", "<!-- bench:end -->"
SMALL = int(os.environ.get("BENCH_SMALL_EVENTS", "100000"))
LARGE = int(os.environ.get("BENCH_LARGE_EVENTS", "1000000"))
APPEND_EVENTS = int(os.environ.get("BENCH_EVENTS", "2000"))


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline: float
    target: float
    lower_is_better: bool = False  # targets for times and memory are ceilings, for rates floors
    benchmark: str = ""
    measured: str = ""
    spread: tuple[float, float] | None = None  # lowest and highest ratio of the paired runs
    runs: int = 1

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else 0.0

    @property
    def met(self) -> bool:
        return self.ratio <= self.target if self.lower_is_better else self.ratio >= self.target

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 2),
            "unit": self.unit,
            "baseline": round(self.baseline, 2),
            "ratio": round(self.ratio, 3),
            "target": self.target,
            "met": self.met,
            "better": "lower" if self.lower_is_better else "higher",
            "benchmark": self.benchmark,
            "measured": self.measured,
            "runs": self.runs,
            "spread": [round(x, 3) for x in self.spread] if self.spread else None,
        }


@dataclass
class Results:
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    running: str = ""  # the benchmark now running, which its results and notes name

    def add(
        self,
        name: str,
        value: float,
        unit: str,
        baseline: float,
        target: float,
        *,
        lower_is_better: bool = False,
    ) -> Result:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        result = Result(name, value, unit, baseline, target, lower_is_better, self.running, now)
        self.results.append(result)
        print(_row(result.as_json()), flush=True)
        return result

    def add_paired(
        self, name: str, found: Paired, unit: str, target: float, *, lower_is_better: bool = False
    ) -> Result:
        """A paired figure: the medians, the median of the runs' ratios, and its spread."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        result = Result(
            name,
            found.ours,
            unit,
            found.ours / found.ratio if found.ratio else found.peer,
            target,
            lower_is_better,
            self.running,
            now,
            (found.low, found.high),
            found.runs,
        )
        self.results.append(result)
        print(_row(result.as_json()), flush=True)
        return result

    def note(self, text: str) -> None:
        self.notes.append(f"{self.running}: {text}")
        print(f"  {text}", flush=True)


# -- verify: rate and memory -----------------------------------------------------------------


def _verify_in_fresh_process(store: BenchStore) -> dict[str, Any]:
    """Verify the whole store in a new process; its report, time and peak RSS (main and workers)."""
    output = subprocess.run(  # noqa: S603 (this interpreter, our own module, our own path)
        [sys.executable, "-m", "bench.verify_child", str(store.directory)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, Any] = json.loads(output.splitlines()[-1])
    if not found["intact"]:
        raise RuntimeError(f"the benchmark store {store.directory} does not verify")
    return found


def bench_verify(results: Results) -> None:
    cores = os.cpu_count() or 1
    small, large = bench_store(SMALL), bench_store(LARGE)
    before = raw_ed25519_verify_rate()
    at_small = _verify_in_fresh_process(small)
    at_large = _verify_in_fresh_process(large)
    raw = (before + raw_ed25519_verify_rate()) / 2  # before and after: the machine is shared
    together = raw_ed25519_verify_rate_all_cores(cores)
    results.note(
        f"raw Ed25519 verify: {raw:,.0f}/s on one core, so {raw * cores:,.0f}/s on {cores} cores; "
        f"measured in {cores} processes at once: {together:,.0f}/s; "
        f"{at_large['workers']} worker processes check signatures beside the main process; "
        f"load average {os.getloadavg()[0]:.1f} (the machine is shared)"
    )
    for found in (at_small, at_large):
        results.add(
            f"verify, whole log of {found['events']:,} events",
            found["events"] / found["seconds"],
            "events/s",
            raw * cores,
            0.75,
        )
    per_event = 1e6 / at_large["events"]
    main_us, workers_us = at_large["main_cpu"] * per_event, at_large["workers_cpu"] * per_event
    raw_us = raw_cpu_per_signature() * 1e6
    results.note(
        f"CPU per event at {at_large['events']:,}: main process {main_us:.1f} us + workers {workers_us:.1f} us "
        f"= {main_us + workers_us:.1f} us, against {raw_us:.1f} us per raw Ed25519 verify: on cores of its own "
        f"verification reaches at most {raw_us / (main_us + workers_us):.2f} of raw x cores"
    )
    results.add(
        f"verify peak RSS, {at_large['events']:,} vs {at_small['events']:,} events",
        at_large["peak_rss_mib"],
        "MiB",
        at_small["peak_rss_mib"],
        1.2,
        lower_is_better=True,
    )
    results.note(
        f"worker processes' peak RSS: {at_small['workers_peak_rss_mib']:.0f} MiB at {at_small['events']:,} "
        f"events, {at_large['workers_peak_rss_mib']:.0f} MiB at {at_large['events']:,}"
    )


# -- one review's bundle ---------------------------------------------------------------------


def _held_checkpoint(store: BenchStore) -> str:
    """A checkpoint an inspector was handed: the first signed at or after three quarters of the log."""
    import sqlalchemy as sa

    from adapters.store.tables import checkpoints

    app = store.open()
    try:
        with app.db.reader.connect() as conn:
            last = conn.execute(sa.select(sa.func.max(checkpoints.c.tree_size))).scalar_one()
            note = conn.execute(
                sa.select(checkpoints.c.note)
                .where(checkpoints.c.tree_size >= last * 3 // 4)
                .order_by(checkpoints.c.tree_size)
                .limit(1)
            ).scalar_one()
        return str(note)
    finally:
        app.close()


def _bundle_round_trip(store: BenchStore, workdir: Path) -> tuple[float, int, int, int]:
    """Export one review's bundle since the inspector's checkpoint and verify it offline as they do.

    Returns (seconds, entries, bundle bytes, consistency proofs).
    """
    from adapters.governance.bundle import export_bundle

    held = workdir / f"held-{store.events}.checkpoint"
    held.write_text(_held_checkpoint(store), encoding="utf-8")
    app = store.open()
    out = workdir / f"bundle-{store.events}.zip"
    try:
        key = app.ledger.log_verifier_key()
        started = time.perf_counter()
        summary = export_bundle(
            app.ledger, out, review=store.sample_review(), since_checkpoint=held.read_text(encoding="utf-8")
        )
    finally:
        app.close()
    with zipfile.ZipFile(out) as archive:
        proofs = len(json.loads(archive.read("manifest.json"))["consistency_from"])
    checked = subprocess.run(  # noqa: S603 (this interpreter, the inspector's verifier package)
        [
            sys.executable,
            "-m",
            "reviewledger_verify",
            str(out),
            "--log-key",
            key,
            "--since",
            str(held),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "verifier")},
    )
    seconds = time.perf_counter() - started
    if checked.returncode != 0:
        raise RuntimeError(f"the bundle does not verify offline: {checked.stdout}")
    return seconds, summary.entries, out.stat().st_size, proofs


def bench_bundle(results: Results) -> None:
    small, large = bench_store(SMALL), bench_store(LARGE)
    with tempfile.TemporaryDirectory() as tmp:
        small_seconds, _, small_bytes, small_proofs = _bundle_round_trip(small, Path(tmp))
        large_seconds, entries, large_bytes, large_proofs = _bundle_round_trip(large, Path(tmp))
    results.add(
        f"bundle export + offline verify of one review, {LARGE:,} vs {SMALL:,} events",
        large_seconds,
        "s",
        small_seconds,
        2.0,
        lower_is_better=True,
    )
    results.note(
        f"{entries} entries; bundle {large_bytes / 2**20:.1f} MiB at {LARGE:,} events, "
        f"{small_bytes / 2**20:.1f} MiB at {SMALL:,}; consistency proofs (from the checkpoint signed as "
        f"the review was logged, and from the one the inspector holds, signed at three quarters of the log): "
        f"{large_proofs:,} and {small_proofs:,}; the offline check includes --since that checkpoint"
    )


# -- appends -----------------------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        self.moment += timedelta(milliseconds=1)
        return self.moment


def bench_append(results: Results) -> None:
    """Signed and sealed subject registrations, one event per transaction, against the library's own.

    Both sides make the event with their domain model and store it in one transaction: ours
    through `Ledger.append` (seal the personal values, sign, store, log in the Merkle tree and
    sign a checkpoint — all in that one transaction), the baseline through the plain
    application's `save`. A whole command (`Application.execute`: authority, replaying the
    record, the rules, the append, then bringing the read models up to date in a second
    transaction) is timed beside them and reported as a note.
    """
    from adapters.app.application import Application
    from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
    from domain.kernel.roles import Role

    def registration(i: int) -> RegisterSubject:
        return RegisterSubject(
            subject_id=f"S-{i}",
            category=SubjectCategory.CHILD,
            name=f"Name {i}",
            date_of_birth=date(2015, 1, 1),
        )

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        app = Application(f"sqlite:///{workdir}/signed.db", workdir / "kek", create_kek=True, clock=_Clock())
        try:
            app.initialise("bench.local/log")
            app.register_person("log", "admin", "Bench Admin", (Role.ADMINISTRATOR, Role.CPC_OFFICER))
            acting = app.acting("admin")
            started = time.perf_counter()
            for i in range(APPEND_EVENTS):
                subject = DataSubject(subject_stream(f"S-{i}"))
                moment = app.clock.now()
                subject.execute(registration(i), acting, moment)
                app.ledger.append(subject.reference, 0, subject.collect_events(), "admin", moment)
            signed_rate = APPEND_EVENTS / (time.perf_counter() - started)
            started = time.perf_counter()
            for i in range(APPEND_EVENTS, APPEND_EVENTS + APPEND_EVENTS // 4):
                app.execute(DataSubject, subject_stream(f"S-{i}"), "admin", registration(i))
            command_rate = (APPEND_EVENTS // 4) / (time.perf_counter() - started)
        finally:
            app.close()
        baseline_rate = _plain_eventsourcing_append(workdir / "plain.db")
    results.add("append (signed, sealed, checkpointed)", signed_rate, "events/s", baseline_rate, 0.5)
    results.note(
        f"a whole command (authority, replay, rules, append, then the read models in a second "
        f"transaction): {command_rate:,.0f} commands/s, {command_rate / baseline_rate:.2f} of the baseline"
    )


def _plain_eventsourcing_append(path: Path) -> float:
    from eventsourcing.application import Application as PlainApplication
    from eventsourcing.domain import Aggregate, event

    class Subject(Aggregate):
        @event("Registered")
        def __init__(self, subject_id: str, category: str, name: str, date_of_birth: str) -> None:
            self.subject_id = subject_id

    plain = PlainApplication[Any](
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    )
    started = time.perf_counter()
    for i in range(APPEND_EVENTS):
        plain.save(
            Subject(subject_id=f"S-{i}", category="child", name=f"Name {i}", date_of_birth="2015-01-01")
        )
    rate = APPEND_EVENTS / (time.perf_counter() - started)
    plain.close()
    return rate


def bench_replay(results: Results) -> None:
    views.bench_replay(results, SMALL)


def bench_subject_search(results: Results) -> None:
    views.bench_subject_search(results, LARGE)


def bench_rebuild_memory(results: Results) -> None:
    views.bench_rebuild_memory(results, SMALL, LARGE)


BENCHMARKS: list[Callable[[Results], None]] = [
    bench_command_append,
    bench_verify_use,
    bench_rebuild_use,
    bench_use_latencies,
    bench_sar_pack,
    bench_append,
    bench_verify,
    bench_bundle,
    bench_replay,
    bench_subject_search,
    bench_rebuild_memory,
    documents.bench_documents,
]


# -- reporting ---------------------------------------------------------------------------------

_HEADER = f"{'benchmark':62} {'value':>12} {'unit':>9} {'baseline':>12} {'ratio':>7} {'target':>7} met"


def _target(r: dict[str, Any]) -> str:
    return f"{'<=' if r['better'] == 'lower' else '>='} {r['target']}"


def _spread(r: dict[str, Any]) -> str:
    spread = r.get("spread")
    return f" ({spread[0]}-{spread[1]}, {r['runs']} runs)" if spread else ""


def _row(r: dict[str, Any]) -> str:
    return (
        f"{r['name']:62} {r['value']:>12,} {r['unit']:>9} {r['baseline']:>12,} "
        f"{r['ratio']:>7} {_target(r):>7} {'yes' if r['met'] else 'NO'}{_spread(r)}"
    )


def markdown_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| benchmark | value | baseline | ratio | target | met |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['value']:,} {r['unit']} | {r['baseline']:,} {r['unit']} | "
            f"{r['ratio']}{_spread(r)} | {_target(r)} | {'yes' if r['met'] else 'no'} |"
        )
    return "\n".join(lines)


def _update_manual(document: dict[str, Any]) -> None:
    text = MANUAL.read_text(encoding="utf-8")
    if TABLE_START not in text or TABLE_END not in text:
        return
    before, rest = text.split(TABLE_START, 1)
    _, after = rest.split(TABLE_END, 1)
    machine = document["machine"]
    notes = "".join(f"- {note}\n" for note in document.get("notes", []))
    table = (
        f"\n{markdown_table(document['results'])}\n\n"
        f"{document['date']}, {machine['cores']} cores, {machine['platform']}, Python {machine['python']}.\n\n"
        f"{notes}"
    )
    MANUAL.write_text(before + TABLE_START + table + TABLE_END + after, encoding="utf-8")


QUICK = {"BENCH_USE_SIZES": "1000,3000", "BENCH_COMMANDS": "60", "BENCH_SAR_ITEMS": "100"}
USE_BENCHMARKS = "command_append,verify_use,rebuild_use,use_latencies,sar_pack"


def main() -> int:
    configure_logging()
    if "--quick" in sys.argv[1:]:
        os.environ.update(QUICK)
        os.environ.setdefault("BENCH_ONLY", USE_BENCHMARKS)
    results = Results()
    print(_HEADER, flush=True)
    only = os.environ.get("BENCH_ONLY", "")  # e.g. BENCH_ONLY=verify,bundle
    for benchmark in BENCHMARKS:
        results.running = benchmark.__name__.removeprefix("bench_")
        if not only or results.running in only.split(","):
            benchmark(results)
    rows = [r.as_json() for r in results.results]
    document: dict[str, Any] = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cores": os.cpu_count(),
        },
        "versions": {p: version(p) for p in ("eventsourcing", "cryptography", "msgspec", "sqlalchemy")},
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "results": rows,
        "notes": results.notes,
    }
    # The committed results and the manual's table come from one whole run: a quick check or a
    # run of some benchmarks (BENCH_ONLY) is written beside them, never merged into them.
    quick = "--quick" in sys.argv[1:]
    whole = not quick and not only
    written = RESULTS if whole else RESULTS.with_name("quick.json" if quick else "partial.json")
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(json.dumps(document, indent=2) + "\n")
    if whole:
        _update_manual(document)
    print(f"\n{_HEADER}")
    for row in document["results"]:
        print(_row(row))
    print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
