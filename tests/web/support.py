"""A real server for the page tests, over a real store, and a client that keeps the session cookie.

The store is the demonstration's (every route's history, recorded by `run_demo`) with a sign-in
account for each person, or, for the journeys, only the cast and the data subjects. The server's
clock is the tests' own (`ThreadSafeClock`): it starts after the demonstration's last step, and a
journey sets it to each step's scripted moment, as the demo does.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from adapters.app import users
from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.demo import START, run_demo
from adapters.demo import panel as demo_panel
from adapters.demo.cast import CAST
from adapters.demo.panel_script import SCR
from adapters.http import create_app
from adapters.http.pool import ApplicationPool
from adapters.web.session import COOKIE
from domain.governance.subjects import DataSubject, subject_stream
from domain.routes.panel.commands import AgreeScrPanel
from tests.http.api_support import CHEAP, PASSWORD, RunningServer, ThreadSafeClock, set_up_store

AFTER_THE_DEMO = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FORM_TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{64})"')


def demo_store(settings: Settings) -> None:
    """The demonstration's history, and a sign-in account for everyone in it."""
    with contextlib.redirect_stdout(None):
        assert run_demo(settings) == 0
    app = Application(settings.db_url, settings.kek_file)
    try:
        for actor in app.ledger.registry().actors:
            if actor != "log":
                users.add_account(app, CAST[0].actor_id, actor, PASSWORD, cost=CHEAP)
    finally:
        app.close()


@dataclass
class Site:
    url: str
    settings: Settings
    clock: ThreadSafeClock

    def application(self) -> Application:
        return Application(self.settings.db_url, self.settings.kek_file, clock=self.clock)


@contextmanager
def serving_pages(tmp_path: Path, *, demo: bool = True, start: datetime = AFTER_THE_DEMO) -> Iterator[Site]:
    """The pages (and the API) over a fresh SQLite store, until the block ends."""
    settings = Settings(db_url=f"sqlite:///{tmp_path}/pages.db", kek_file=tmp_path / "kek")
    clock = ThreadSafeClock(start)
    if demo:
        demo_store(settings)
    else:
        set_up_store(settings.db_url, settings.kek_file, clock)
    pool = ApplicationPool(settings, size=3, clock=clock)
    try:
        # Sessions outlast the journeys, whose clock moves through a year of steps.
        server = RunningServer(create_app(pool, password_cost=CHEAP, session_lifetime=timedelta(days=365)))
        try:
            yield Site(url=server.url, settings=settings, clock=clock)
        finally:
            server.stop()
    finally:
        pool.close()


class Browser:
    """An HTTP client that signs in through the sign-in form and keeps its session cookie.

    The cookie is `Secure`; httpx keeps such cookies for HTTPS only, so it is sent by hand.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = httpx.Client(base_url=url, timeout=60, follow_redirects=False)
        self.token: str | None = None

    def close(self) -> None:
        self.client.close()

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Cookie": f"{COOKIE}={self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def sign_in(self, actor: str, password: str = PASSWORD) -> httpx.Response:
        response = self.client.post(
            "/pages/sign-in",
            data={"actor": actor, "password": password, "next": "/pages/reviews"},
            headers={"Origin": self.url},
        )
        cookie = response.headers.get("set-cookie", "")
        if cookie.startswith(f"{COOKIE}="):
            self.token = cookie.split("=", 1)[1].split(";", 1)[0]
        return response

    def get(self, path: str, **params: str) -> httpx.Response:
        # httpx would replace a query already in `path` with `params`, even an empty one.
        return self.client.get(path, params=params or None, headers=self._headers())

    def form_token(self, path: str) -> str:
        found = FORM_TOKEN.search(self.get(path).text)
        assert found, f"no form token on {path}"
        return found[1]

    def post(
        self,
        path: str,
        data: Mapping[str, str | list[str]],
        *,
        token_from: str | None = None,
        origin: str | None = None,
    ) -> httpx.Response:
        fields = dict(data)
        if token_from is not None:
            fields["form_token"] = self.form_token(token_from)
        return self.client.post(path, data=fields, headers=self._headers({"Origin": origin or self.url}))


def scr_awaiting_its_panel(site: Site) -> None:
    """LIP-2026-002 as the demonstration records it, up to the moment the Independent Chair is to
    agree the SCR Panel (the demo goes on past it); the site's clock is left at that moment.

    For a store of the cast only (`serving_pages(..., demo=False, start=SCR_STORE_START)`).
    """
    script = [s for s in demo_panel.steps(START) if s.reference == SCR]
    upto = next(i for i, s in enumerate(script) if isinstance(s.command, AgreeScrPanel))
    app = site.application()
    try:
        for subject in demo_panel.SUBJECTS:  # the people the case is about, registered beforehand
            app.execute(DataSubject, subject_stream(subject.subject_id), "cpc-officer", subject)
        for step in script[:upto]:
            site.clock.set(step.at)
            app.execute(step.record_type, step.reference, step.actor, step.command)
    finally:
        app.close()
    site.clock.set(script[upto].at)


SCR_STORE_START = START - timedelta(days=7)  # before the demonstration's first step
