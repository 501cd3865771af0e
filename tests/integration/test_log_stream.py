"""Logs go to standard error as it is when they are written, even after it was swapped and closed."""

from __future__ import annotations

import io
import json

import pytest
import structlog

from adapters.app.logging import configure_logging


def test_a_log_line_after_stderr_was_swapped_goes_to_the_new_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    first = io.StringIO()
    monkeypatch.setattr("sys.stderr", first)
    configure_logging("INFO")
    first.close()  # a test runner ends its capture
    second = io.StringIO()
    monkeypatch.setattr("sys.stderr", second)
    structlog.get_logger("test").info("projections_rebuilding", count=3)
    line = json.loads(second.getvalue())
    assert (line["event"], line["count"], line["level"]) == ("projections_rebuilding", 3, "info")
