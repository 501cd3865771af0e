"""Rebuilding the read models says how far it has got (stderr), and then what it did (stdout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.app.application import Application
from adapters.cli import main


def test_a_rebuild_reports_its_progress_and_its_result(
    app: Application, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = app.projections.source.last_position()
    capsys.readouterr()
    code = main(["--db", app.db.url.describe(), "--kek-file", str(app.kek_file), "projections", "rebuild"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == f"rebuilt the read models from {last} events (log position {last})\n"
    assert err.startswith("rebuilding the read models") and f"{last}/{last}" in err
