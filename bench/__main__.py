"""`make bench`: signed appends against plain eventsourcing, and verification against raw Ed25519.

Results go to bench/results/latest.json as
{"machine", "versions", "date", "results": [{"name", "value", "unit", "baseline", "ratio", "target", "met"}]}.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

EVENTS = int(os.environ.get("BENCH_EVENTS", "2000"))
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline: float
    target: float

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 1),
            "unit": self.unit,
            "baseline": round(self.baseline, 1),
            "ratio": round(self.ratio, 3),
            "target": self.target,
            "met": self.ratio >= self.target,
        }


class _Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        self.moment += timedelta(milliseconds=1)
        return self.moment


def bench_append(workdir: Path) -> tuple[Result, Path, Path]:
    """Signed and sealed subject registrations, one event per transaction, against the library's own."""
    from adapters.application import Application
    from domain.roles import Role
    from domain.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream

    app = Application(f"sqlite:///{workdir}/signed.db", workdir / "kek", create_kek=True, clock=_Clock())
    app.initialise("bench.local/log")
    app.register_person("log", "admin", "Bench Admin", (Role.ADMINISTRATOR, Role.CPC_OFFICER))
    started = time.perf_counter()
    for i in range(EVENTS):
        app.execute(
            DataSubject,
            subject_stream(f"S-{i}"),
            "admin",
            RegisterSubject(
                subject_id=f"S-{i}",
                category=SubjectCategory.CHILD,
                name=f"Name {i}",
                date_of_birth=date(2015, 1, 1),
            ),
        )
    signed_rate = EVENTS / (time.perf_counter() - started)
    app.close()
    baseline_rate = _plain_eventsourcing_append(workdir / "plain.db")
    return (
        Result("append (signed, sealed, checkpointed)", signed_rate, "events/s", baseline_rate, 0.5),
        workdir / "signed.db",
        workdir / "kek",
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
    for i in range(EVENTS):
        plain.save(
            Subject(subject_id=f"S-{i}", category="child", name=f"Name {i}", date_of_birth="2015-01-01")
        )
    rate = EVENTS / (time.perf_counter() - started)
    plain.close()
    return rate


def bench_verify(db: Path, kek: Path) -> Result:
    from adapters.application import Application
    from adapters.verification import verify_ledger

    app = Application(f"sqlite:///{db}", kek)
    started = time.perf_counter()
    report = verify_ledger(app.ledger)
    rate = report.events / (time.perf_counter() - started)
    app.close()
    assert report.intact
    key = Ed25519PrivateKey.generate()
    message = b"x" * 400
    signature = key.sign(message)
    public = key.public_key()
    count = 5000
    started = time.perf_counter()
    for _ in range(count):
        public.verify(signature, message)
    raw = count / (time.perf_counter() - started)
    return Result("verify (whole log, one core)", rate, "events/s", raw, 0.75)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        append, db, kek = bench_append(workdir)
        results = [append, bench_verify(db, kek)]
    rows = [r.as_json() for r in results]
    document: dict[str, Any] = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cores": os.cpu_count(),
        },
        "versions": {p: version(p) for p in ("eventsourcing", "cryptography", "msgspec", "sqlalchemy")},
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "events": EVENTS,
        "results": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(f"{'benchmark':42} {'value':>10} {'baseline':>10} {'ratio':>7} target met")
    for r in rows:
        print(
            f"{r['name']:42} {r['value']:>10} {r['baseline']:>10} {r['ratio']:>7} {r['target']:>6} {r['met']}"
        )
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
