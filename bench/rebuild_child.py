"""Rebuild every read model of one store in this fresh process; print one JSON line: time and peak memory.

Run by `make bench` as `python -m bench.rebuild_child DATABASE KEK`, on a copy of a benchmark
store (the rebuild writes the read models' tables), so that the peak RSS it reads (VmHWM, see
bench/rss.py) is that of one rebuild and nothing else. The JSON line also gives the resident set every
tenth of the way, to show whether it grows with the log. `--profile N` also prints, to stderr,
the N places holding the most memory (tracemalloc, which makes the rebuild many times slower)
at the end of the rebuild.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from adapters.app.application import Application
from adapters.app.logging import configure_logging
from bench.rss import MIB, peak_rss_mib, rss_mib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild_child")
    parser.add_argument("database", type=Path)
    parser.add_argument("kek", type=Path)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    configure_logging()
    if args.profile:
        tracemalloc.start(25)
    app = Application(f"sqlite:///{args.database}", args.kek)
    try:
        opened_mib = peak_rss_mib()
        last = int(app.db.recorder.max_notification_id() or 0)
        marks: list[tuple[int, float]] = []

        def progress(reached: int, _total: int) -> None:
            if reached * 10 // max(last, 1) > len(marks):
                marks.append((reached, rss_mib()))

        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        count = app.projections.rebuild(progress)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        if args.profile:
            snapshot = tracemalloc.take_snapshot()
            traced, peak = tracemalloc.get_traced_memory()
            print(f"traced now {traced / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB", file=sys.stderr)
            for stat in snapshot.statistics("traceback")[: args.profile]:
                print(f"{stat.size / 2**20:.1f} MiB in {stat.count} blocks", file=sys.stderr)
                for line in stat.traceback.format()[-8:]:
                    print(f"  {line}", file=sys.stderr)
    finally:
        app.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "events": count,
                "seconds": seconds,
                "opened_rss_mib": opened_mib,
                "peak_rss_mib": peak_rss_mib(),
                # ru_maxrss of children counts from this process's own RSS when they started
                "children_peak_rss_mib": children.ru_maxrss / MIB,
                "rss_mib_at": {reached: round(rss, 1) for reached, rss in marks},
                "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
