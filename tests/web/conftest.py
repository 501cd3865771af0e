"""Fixtures of the page tests, and the browser the browser tests share (one per module)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
import structlog
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.web.browser_support import CHROMIUM, axe_source, install_chromium, unavailable
from tests.web.support import Browser as PageClient
from tests.web.support import Site, serving_pages


@pytest.fixture(scope="module", autouse=True)
def logs_to_the_real_stderr() -> Iterator[None]:
    """Warnings and errors to the process's own standard error while a module's server runs, then as before.

    The command line's tests leave structlog writing to a capture stream that pytest has closed;
    a server started for a whole module of page tests must not log into it.
    """
    saved = structlog.get_config()
    structlog.configure(
        processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(file=sys.__stderr__),
        cache_logger_on_first_use=False,
    )
    try:
        yield
    finally:
        structlog.configure(**saved)


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demonstration's store served for one module; a module that needs more in it defines its own."""
    with serving_pages(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])) as found:
        yield found


@pytest.fixture
def browser(site: Site) -> Iterator[PageClient]:
    """A page client of `site`, not signed in, keeping its session cookie."""
    client = PageClient(site.url)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    problem = install_chromium()
    if problem is not None:
        unavailable(problem)
    with sync_playwright() as found:
        yield found


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="module")
def axe() -> str:
    """The axe-core script, for checking each page against WCAG 2.2 A and AA."""
    return axe_source()
