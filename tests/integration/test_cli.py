"""The command line from outside: set up a log, register people, verify, export the checkpoint and key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def base(db_url: str, tmp_path: Path) -> list[str]:
    return ["--db", db_url, "--kek-file", str(tmp_path / "kek")]


def test_a_log_is_set_up_used_and_verified_from_the_command_line(
    base: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, *base, "init", "--origin", "council.example/reviews")
    assert code == 0 and "created a key-encryption key" in out and "log council.example/reviews" in out
    assert (
        _run(
            capsys,
            *base,
            "people",
            "add",
            "admin",
            "--name",
            "Morven Sinclair",
            "--role",
            "administrator",
            "--as",
            "log",
        )[0]
        == 0
    )
    assert (
        _run(
            capsys,
            *base,
            "people",
            "add",
            "officer",
            "--name",
            "Callum Drever",
            "--role",
            "cpc_officer",
            "--as",
            "admin",
        )[0]
        == 0
    )
    code, out, _ = _run(capsys, *base, "verify", "--json")
    result = json.loads(out)
    assert code == 0
    # The log, its ML-DSA-44 key, the administrator (registered, keyed) and the officer (the same).
    assert result == {"intact": True, "events": 6, "tree_size": 6, "failures": []}
    code, out, _ = _run(capsys, *base, "log-key")
    assert code == 0 and out.startswith("council.example/reviews+")
    checkpoint = tmp_path / "held.checkpoint"
    assert _run(capsys, *base, "checkpoint", "--out", str(checkpoint))[0] == 0
    assert checkpoint.read_text().startswith("council.example/reviews\n6\n")
    assert _run(capsys, *base, "verify", "--against", str(checkpoint))[0] == 0


def test_bad_input_gets_one_clear_line_and_changes_nothing(
    base: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, *base, "init")
    code, out, err = _run(
        capsys, *base, "people", "add", "x", "--name", "X", "--role", "wizard", "--as", "log"
    )
    assert code == 2
    assert err.startswith("error: --role: must be one of administrator,")
    assert "Traceback" not in err
    code, _, err = _run(
        capsys, *base, "people", "add", "bad id!", "--name", "X", "--role", "administrator", "--as", "log"
    )
    assert code == 2 and err == "error: actor_id: must be 1-64 letters, digits, '-', '_' or '.'\n"
    code, out, _ = _run(capsys, *base, "verify", "--json")
    assert json.loads(out)["events"] == 2  # the log and its ML-DSA-44 key


def test_a_bad_database_url_is_refused_by_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "--db", "mysql://x/y", "--kek-file", str(tmp_path / "k"), "init")
    assert code == 2 and err == "error: --db: must start with sqlite:/// or postgresql://\n"


def test_the_installed_program_runs_as_a_separate_process(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REVIEWLEDGER_DB": f"sqlite:///{tmp_path}/s.db",
        "REVIEWLEDGER_KEK_FILE": str(tmp_path / "k"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "init"], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "verify"], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0 and run.stdout.startswith("verify: INTACT — 2 events, tree size 2, 0 problems")
