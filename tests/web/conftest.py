"""Fixtures of the page tests."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
import structlog


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
