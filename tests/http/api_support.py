"""A real server for the HTTP tests: uvicorn in a thread on a free port, over a real store.

The store is set up as the demo's cast would have it: a log, the people with their roles and
keys, and a sign-in account for each (with a cheap scrypt cost, so tests stay quick; the
stored hash names its own parameters). The server's clock starts a week before the demo's
first step, steps one second per reading, and can be set to a step's time, as the demo's is.
Sessions last a year unless a test asks otherwise, so setting the clock does not end them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import uvicorn
from litestar.types import ASGIApp

from adapters.app import users
from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.demo import run_demo
from adapters.demo.cast import CAST, DemoStep
from adapters.http import create_app
from adapters.http.pool import ApplicationPool
from audit.passwords import ScryptCost
from domain.kernel.command import command_name
from domain.kernel.registry import LOG_ACTOR
from domain.routes.registry import ROUTES

CHEAP = ScryptCost(log2_n=4, r=1, p=1)
PASSWORD = "a long enough test password"
SERVER_START = datetime(2025, 12, 29, 9, 0, tzinfo=UTC)  # a week before the demo's first step


class ThreadSafeClock:
    """One second later at every reading, from any thread."""

    def __init__(self, start: datetime) -> None:
        self.moment = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self.moment += timedelta(seconds=1)
            return self.moment

    def advance(self, by: timedelta) -> None:
        with self._lock:
            self.moment += by

    def set(self, moment: datetime) -> None:
        with self._lock:
            self.moment = moment


class RunningServer:
    """uvicorn serving `app` on 127.0.0.1 on a free port, in a thread, until stopped."""

    def __init__(self, app: ASGIApp) -> None:
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_config=None,
            access_log=False,
            lifespan="on",
            server_header=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


def set_up_store(
    db_url: str, kek_file: Path, clock: ThreadSafeClock, people: Sequence[str] | None = None
) -> None:
    """The log, the demo's cast (or those of it named) with their keys and roles, and an account each."""
    app = Application(db_url, kek_file, create_kek=True, clock=clock)
    try:
        app.initialise("reviewledger.test/api")
        admin, *others = CAST
        chosen = [m for m in others if people is None or m.actor_id in people]
        app.register_person(LOG_ACTOR, admin.actor_id, admin.name, admin.roles)
        for member in chosen:
            app.register_person(admin.actor_id, member.actor_id, member.name, member.roles)
        for member in (admin, *chosen):
            users.add_account(app, admin.actor_id, member.actor_id, PASSWORD, cost=CHEAP)
    finally:
        app.close()


# Enough of the cast for a national review and its readers, for tests that need no more.
NATIONAL_PEOPLE = ("cpc-officer", "cpc-chair", "cog-chair", "reviewer", "inspector", "partnership-lead")


@dataclass
class Api:
    """The running API, and a signed-in client per person."""

    url: str
    settings: Settings
    clock: ThreadSafeClock
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def anonymous(self) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=60)
        self.clients[f"anonymous-{len(self.clients)}"] = client
        return client

    def sign_in(self, actor: str, password: str = PASSWORD) -> httpx.Response:
        return httpx.post(f"{self.url}/sessions", json={"actor": actor, "password": password}, timeout=60)

    def as_(self, actor: str) -> httpx.Client:
        """A client signed in as `actor` (signed in once per test)."""
        if actor not in self.clients:
            response = self.sign_in(actor)
            assert response.status_code == 201, response.text
            token = response.json()["token"]
            self.clients[actor] = httpx.Client(
                base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
        return self.clients[actor]

    def application(self) -> Application:
        return Application(self.settings.db_url, self.settings.kek_file, clock=self.clock)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def demo_store(settings: Settings, clock: ThreadSafeClock) -> None:
    """The whole demonstration history, with a sign-in account for each of its people."""
    assert run_demo(settings) == 0
    app = Application(settings.db_url, settings.kek_file, clock=clock)
    try:
        for member in CAST:
            users.add_account(app, CAST[0].actor_id, member.actor_id, PASSWORD, cost=CHEAP)
    finally:
        app.close()


@contextmanager
def serving(
    db_url: str,
    tmp_path: Path,
    *,
    prepare: Callable[[Settings, ThreadSafeClock], None] | None = None,
    people: Sequence[str] | None = None,
    pool_size: int = 3,
    session_lifetime: timedelta = timedelta(days=365),
    **options: Any,
) -> Iterator[Api]:
    """The API served over a fresh store, until the block ends.

    The store is prepared by `prepare`, or else set up with the demo's cast (or `people` of it)
    signed up.
    """
    clock = ThreadSafeClock(SERVER_START)
    settings = Settings(db_url=db_url, kek_file=tmp_path / "kek")
    if prepare is None:
        set_up_store(db_url, settings.kek_file, clock, people)
    else:
        prepare(settings, clock)
    pool = ApplicationPool(settings, size=pool_size, clock=clock)
    try:
        server = RunningServer(
            create_app(pool, password_cost=CHEAP, session_lifetime=session_lifetime, **options)
        )
        api = Api(url=server.url, settings=settings, clock=clock)
        try:
            yield api
        finally:
            api.close()
            server.stop()
    finally:
        pool.close()


ROUTE_OF = {kind: route for route, kind in ROUTES.items()}


def record_steps(api: Api, steps: list[DemoStep]) -> dict[str, int]:
    """Take each scripted step over HTTP as its person; returns each review's last version."""
    versions: dict[str, int] = {}
    for step in steps:
        api.clock.set(step.at)  # as the demo does: each step at its scripted time
        route = ROUTE_OF[step.record_type]
        name = command_name(type(step.command))
        before = versions.get(step.reference, 0)
        response = api.as_(step.actor).post(
            f"/reviews/{route}/{step.reference}/steps/{name}",
            content=msgspec.json.encode(step.command),
            headers={"Content-Type": "application/json", "If-Match": f'"{before}"'},
        )
        if step.refused:
            assert response.status_code in (403, 422), (step.reference, name, response.text)
            body = response.json()
            assert body["error"] in ("not_authorised", "rule_violation")
            assert body["message"].startswith(f"{step.reference}: ")
            continue
        assert response.status_code == 201, (step.reference, name, response.text)
        recorded = response.json()
        # Whom the step's words name beyond its `about`, when anyone: subject ids only.
        not_named = recorded.pop("not_named", [])
        assert not_named == sorted(set(not_named)) and all(s.startswith("S-") for s in not_named)
        assert recorded == {"reference": step.reference, "route": route, "step": name, "version": before + 1}
        assert response.headers["ETag"] == f'"{before + 1}"'
        versions[step.reference] = before + 1
    return versions


def register_subjects(api: Api, script: object) -> None:
    for subject in script.SUBJECTS:  # type: ignore[attr-defined]
        response = api.as_("cpc-officer").post("/subjects", content=msgspec.json.encode(subject))
        assert response.status_code == 201, response.text
