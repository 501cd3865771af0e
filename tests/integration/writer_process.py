"""A writer process for the concurrency and crash tests: run as `python -m tests.integration.writer_process`.

It opens the store, says `ready` on stdout, and then records steps as one officer, retrying
each step that someone else's step overtook. After each step it appends one JSON line to the
results file, so the test knows exactly which steps went through (a step in flight when the
process is killed may be stored without its line).

`--plan concurrent` waits for a line on stdin (so that every writer starts at once), then for
each round: a request for information and an agency's return on the shared review, the same
on the writer's own review, and the registration of a subject every writer races to register.

`--plan open` waits for the same start signal and then only opens the store, a few times over.

`--plan crash` works until it is killed: requests and returns on its own review, now and
then three requests recorded as one command, a disposal, and a new subject.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import IO, Any

# The rules of every route load with the first command (adapters/app/application.py); loaded here,
# before the writer says it is ready, so that the kills fall among its steps, not its imports.
import adapters.app.authority  # noqa: F401
from adapters.app.application import Application, retrying
from adapters.app.logging import configure_logging
from domain.kernel.errors import RuleViolation
from domain.kernel.roles import Role
from domain.routes.national.events import InformationRequested
from tests.integration.review_steps import ON, record_return, register_subject, request_information

SHARED_REVIEW = "NLR-2026-900"
BATCH = 3  # events recorded by one command in the crash plan


def own_review(writer: int) -> str:
    return f"NLR-2026-{writer:03d}"


def officer(writer: int) -> str:
    return f"officer-{writer}"


class Writer:
    def __init__(self, app: Application, writer: int, results: IO[str]) -> None:
        self.app = app
        self.writer = writer
        self.actor = officer(writer)
        self.results = results

    def step(self, name: str, stream: str, action: Callable[[], list[int]]) -> None:
        """Run one step, retrying on conflict; write what happened, and the versions it stored, as one line."""
        attempts = 0

        def attempt() -> list[int]:
            nonlocal attempts
            attempts += 1
            return action()

        line: dict[str, Any] = {"writer": self.writer, "step": name, "stream": stream}
        try:
            line |= {"outcome": "recorded", "versions": retrying(attempt, attempts=30)}
        except RuleViolation:
            line |= {"outcome": "refused"}
        line["attempts"] = attempts
        self.results.write(json.dumps(line) + "\n")
        self.results.flush()

    def request(self, review: str, agency: str) -> None:
        self.step(
            f"request {agency}",
            review,
            lambda: [request_information(self.app, review, self.actor, agency).version],
        )

    def agency_return(self, review: str, agency: str) -> None:
        self.step(
            f"return {agency}", review, lambda: [record_return(self.app, review, self.actor, agency).version]
        )

    def subject(self, subject_id: str) -> None:
        self.step(
            f"subject {subject_id}",
            f"subject-{subject_id}",
            lambda: [register_subject(self.app, subject_id, self.actor).version],
        )

    def batch(self, review: str, name: str) -> None:
        """Three requests stored by one append: all of them or none of them."""

        def append() -> list[int]:
            version = self.app.ledger.stream_version(review)
            at = self.app.clock.now()
            events = [
                InformationRequested(
                    at=at, role=Role.CPC_OFFICER, agencies=(f"{name}-{k}of{BATCH}",), requested_on=ON
                )
                for k in range(1, BATCH + 1)
            ]
            self.app.ledger.append(review, version, events, self.actor, at)
            return list(range(version + 1, version + BATCH + 1))

        self.step(f"batch {name}", review, append)

    def dispose(self, review: str) -> None:
        def dispose() -> list[int]:
            version = self.app.ledger.stream_version(review)
            self.app.dispose(review, "retention: crash test", "admin")
            return [version + 1]

        self.step("dispose", review, dispose)


def run_concurrent(w: Writer, rounds: int) -> None:
    sys.stdin.readline()  # every writer starts at once
    for i in range(rounds):
        agency = f"W{w.writer}-{i}"
        w.request(SHARED_REVIEW, agency)
        w.agency_return(SHARED_REVIEW, agency)
        w.request(own_review(w.writer), agency)
        w.agency_return(own_review(w.writer), agency)
        w.subject(f"S-RACE-{i}")


def run_until_killed(w: Writer, run: int) -> None:
    review = own_review(w.writer)
    for i in count():
        agency = f"R{run}-{i}"
        w.request(review, agency)
        w.agency_return(review, agency)
        if i % 3 == 1:
            w.batch(review, f"R{run}-{i}")
        if i % 5 == 2:
            w.dispose(review)
        w.subject(f"S-R{run}-{i}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--kek-file", required=True)
    parser.add_argument("--writer", type=int, required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--plan", choices=("concurrent", "open", "crash"), required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--run", type=int, default=0, help="crash plan: which restart this is")
    args = parser.parse_args()
    configure_logging()
    if args.plan == "open":
        print("ready", flush=True)
        sys.stdin.readline()
        for _ in range(3):
            Application(args.db, Path(args.kek_file)).close()
        return 0
    app = Application(args.db, Path(args.kek_file))
    with Path(args.results).open("a", encoding="utf-8") as results:
        writer = Writer(app, args.writer, results)
        print("ready", flush=True)
        if args.plan == "concurrent":
            run_concurrent(writer, args.rounds)
        else:
            run_until_killed(writer, args.run)
    app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
