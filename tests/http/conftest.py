"""Fixtures of the HTTP tests: the API served over a fresh store, on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from tests.http.api_support import Api, serving


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    """The API over a fresh store with the demo's cast signed up, on each backend."""
    with serving(db_url, tmp_path) as found:
        yield found


@pytest.fixture(autouse=True)
def logging_restored() -> Iterator[None]:
    """Put structlog back as it was after each test.

    The command line configures it to write to the standard error of the moment, which under
    pytest is a capture stream closed when the test ends; a later test logging to it would fail.
    """
    saved = structlog.get_config()
    try:
        yield
    finally:
        structlog.configure(**saved)
