"""Verify one benchmark store in this fresh process and print one JSON line: time and peak memory.

Run by `make bench` as `python -m bench.verify_child STORE_DIRECTORY`, so that the peak RSS it
reads (VmHWM, see bench/rss.py) is that of one verification and nothing else. The workers' peak
is getrusage's for children, which counts from this process's RSS when they were started.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from bench.rss import peak_rss_mib


def main() -> int:
    # Imported here: each verification worker imports this module (the main module), and should
    # pay for the verifier alone, as under `reviewledger verify`.
    from adapters.app.logging import configure_logging
    from adapters.app.progress import Progress
    from adapters.store.verification import POOL_FROM, verify_ledger
    from bench.data import BenchStore

    configure_logging()
    store = BenchStore(0, Path(sys.argv[1]))
    app = store.open()
    try:
        total = int(app.db.recorder.max_notification_id() or 0)
        workers = (os.cpu_count() or 1) if total >= POOL_FROM else 0
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        report = verify_ledger(
            app.ledger, progress=Progress(f"verify {store.directory.name}"), workers=workers
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        app.close()
    mib = 1024  # ru_maxrss is in KiB on Linux
    workers_used = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = {
        "events": report.events,
        "intact": report.intact,
        "seconds": seconds,
        "workers": workers,
        "peak_rss_mib": peak_rss_mib(),
        "workers_peak_rss_mib": workers_used.ru_maxrss / mib,
        # CPU seconds, which unlike the elapsed time do not depend on what else the machine runs
        "main_cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "workers_cpu": workers_used.ru_utime + workers_used.ru_stime,
    }
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
