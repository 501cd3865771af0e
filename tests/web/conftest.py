"""Fixtures of the page tests, and the browser the browser tests share (one per module)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
import structlog
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.web.browser_support import CHROMIUM, axe_source, install_chromium, unavailable


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
