"""`sar collate` then `sar pack` for a subject with ITEMS items, as an IG officer runs them.

The store (written once under var/bench/, reused while complete) holds one review whose child
is the subject: the notification, then agency after agency asked for information and its
return recorded about the child (sealed free text), one command at a time, until the read
models index ITEMS items about the child; then a subject access request from the child, with
the review searched. Each run works on a fresh copy of that store and times the two commands
as processes of their own (start-up, opening the store, collating every item into the pack and
recording it; then opening every item, withholding and rendering the draft pack as HTML),
against the 2 s allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.data import VAR_BENCH, BenchStore, child, notifier
from bench.workload import ON, _Clock, _people

if TYPE_CHECKING:
    from bench.__main__ import Results

ITEMS = int(os.environ.get("BENCH_SAR_ITEMS", "1000"))
BOUND_S = 2.0
RUNS = 5
REVIEW = "NLR-SAR-0000001"
REQUEST = "SAR-BENCH-0001"
ROOT = Path(__file__).resolve().parent.parent
VERSION = 1  # a store marked with another version is written again


def sar_store(items: int = ITEMS, directory: Path = VAR_BENCH) -> BenchStore:
    store = BenchStore(items, directory / f"sar-{items}")
    if store.marker.exists() and json.loads(store.marker.read_text()).get("version") == VERSION:
        return store
    shutil.rmtree(store.directory, ignore_errors=True)
    store.directory.mkdir(parents=True)
    _write(store, items)
    store.marker.write_text(json.dumps({"version": VERSION, "items": items}) + "\n")
    return store


def _write(store: BenchStore, items: int) -> None:
    from adapters.app.application import Application
    from adapters.governance.sar import requests as sar
    from domain.governance.sar.steps import (
        Capacity,
        ReceiveSubjectAccessRequest,
        RecordSearch,
        RequestChannel,
        SearchAnswers,
    )
    from domain.routes.national.commands import (
        PassToNominatedPerson,
        ReceiveNotification,
        RecordAgencyReturn,
        RequestInformation,
    )
    from domain.routes.national.review import NationalReview
    from projections import queries

    subject = child(0)
    app = Application(store.url, store.kek, create_kek=True, clock=_Clock(0))
    try:
        _people(app)
        app.execute(
            NationalReview,
            REVIEW,
            "officer-1",
            ReceiveNotification(
                subject_group="child",
                received_on=ON,
                subject=subject,
                notifier=notifier(0),
                reasons="Admitted to hospital after a long period of neglect at home.",
            ),
        )
        app.execute(
            NationalReview, REVIEW, "officer-1", PassToNominatedPerson(passed_on=ON, nominee="officer-1")
        )
        agency = 0
        while True:
            with app.db.reader.connect() as conn:
                if len(queries.subject_items(conn, subject.subject_id)) >= items:
                    break
            for _ in range(10):
                agency += 1
                name = f"Agency {agency}"
                app.execute(
                    NationalReview, REVIEW, "officer-1", RequestInformation(agencies=(name,), requested_on=ON)
                )
                app.execute(
                    NationalReview,
                    REVIEW,
                    "officer-1",
                    RecordAgencyReturn(
                        agency=name,
                        received_on=ON,
                        author=notifier(0).subject_id,
                        involvement=f"{name} saw the child weekly at school.",
                        initial_reflection=f"{name} could have shared its concerns sooner.",
                        about=(subject.subject_id,),
                    ),
                )
        sar.open_request(
            app,
            REQUEST,
            "records",
            ReceiveSubjectAccessRequest(
                received_on=ON,
                channel=RequestChannel.EMAIL,
                requester_id=subject.subject_id,
                subject_id=subject.subject_id,
                capacity=Capacity.DATA_SUBJECT,
                requester_name="Bench Requester",
                request="Everything the council holds about me.",
            ),
        )
        sar.step(
            app,
            REQUEST,
            "records",
            RecordSearch(searched_on=ON, records=(SearchAnswers(record=REVIEW, what="every item about me"),)),
        )
    finally:
        app.close()


def _run(store: BenchStore, workdir: Path) -> float:
    """Copy the store, then time `sar collate` and `sar pack` on the copy."""
    copy = BenchStore(store.events, workdir / "copy")
    shutil.rmtree(copy.directory, ignore_errors=True)
    shutil.copytree(store.directory, copy.directory)
    common = [sys.executable, "-m", "adapters.cli", "--db", copy.url, "--kek-file", str(copy.kek), "sar"]
    started = time.perf_counter()
    for argv in (
        [*common, "collate", REQUEST, "--as", "records"],
        [*common, "pack", REQUEST, "--as", "records", "--out", str(workdir / "pack.html")],
    ):
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)  # noqa: S603 (our own command)
    return time.perf_counter() - started


def bench_sar_pack(results: Results) -> None:
    store = sar_store()
    with tempfile.TemporaryDirectory() as tmp:
        times = [_run(store, Path(tmp)) for _ in range(RUNS)]
    result = results.add(
        f"sar collate + sar pack, a subject with {ITEMS:,} items",
        statistics.median(times),
        "s",
        BOUND_S,
        1.0,
        lower_is_better=True,
    )
    results.note(f"{RUNS} runs on fresh copies: {min(times):.2f}-{max(times):.2f} s")
    if not result.met:
        from bench.use import _show_profile

        with tempfile.TemporaryDirectory() as tmp:
            copy = BenchStore(store.events, Path(tmp) / "copy")
            shutil.copytree(store.directory, copy.directory)
            argv = [
                sys.executable,
                "-m",
                "adapters.cli",
                "--db",
                copy.url,
                "--kek-file",
                str(copy.kek),
                "sar",
                "collate",
                REQUEST,
            ]
            results.note(
                "target missed; profile of sar collate (own time): "
                + _show_profile([*argv, "--as", "records"])
            )
