"""Fixtures of the HTTP tests: the API served over a fresh store, on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.http.api_support import Api, serving


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    """The API over a fresh store with the demo's cast signed up, on each backend."""
    with serving(db_url, tmp_path) as found:
        yield found
