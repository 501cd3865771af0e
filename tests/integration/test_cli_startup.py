"""A command imports what it uses: its own area of the command line, and the store's driver.

Reading one review imports neither the routes' rules (only commands check them), nor the fold
(the read models are current), nor the other areas, nor the PostgreSQL driver for a SQLite
store; importing the command line itself, as every verification worker does, imports no
database, logging or cryptography library. Parsing with only the area a command names gives
exactly what the whole parser gives.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from adapters import cli
from adapters.app.application import Application
from domain.kernel.roles import Role
from tests.integration.review_steps import open_review

ROOT = Path(__file__).resolve().parents[2]
REVIEW = "NLR-2026-101"


def _registered(area: str) -> list[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd")
    importlib.import_module(area).register(sub)
    return sorted(sub.choices)


def test_the_table_of_areas_names_exactly_the_commands_each_area_registers() -> None:
    for area, commands in cli.AREA_COMMANDS.items():
        assert _registered(area) == sorted(commands), area


def test_the_commands_of_the_command_line_module_itself_need_no_area() -> None:
    whole = cli.build_parser()
    sub = next(a for a in whole._actions if isinstance(a, argparse._SubParsersAction))
    area_commands = {c for commands in cli.AREA_COMMANDS.values() for c in commands}
    assert set(sub.choices) - area_commands == cli._CORE_COMMANDS


@pytest.mark.parametrize(
    ("argv", "areas"),
    [
        (["review", "show", REVIEW, "--json"], ("adapters.cli.views",)),
        (["--db", "sqlite:///x.db", "--kek-file", "k", "trail", REVIEW], ("adapters.cli.views",)),
        (["--db=sqlite:///x.db", "sar", "list"], ("adapters.cli.sar",)),
        (["access-log", "--subject", "S-1"], ("adapters.cli.serve", "adapters.cli.access")),
        (["verify", "--quiet"], ()),
        (["reviews", "list"], ()),
    ],
)
def test_a_command_is_parsed_with_only_its_own_area_exactly_as_with_all(
    argv: list[str], areas: tuple[str, ...]
) -> None:
    assert cli.areas_for(argv) == areas
    assert _parsed(cli.build_parser(areas), argv) == _parsed(cli.build_parser(), argv)


def _parsed(parser: argparse.ArgumentParser, argv: list[str]) -> dict[str, object]:
    """The parsed values, each command by its function's name (some areas make it afresh)."""
    return {
        name: value.__qualname__ if callable(value) else value
        for name, value in vars(parser.parse_args(argv)).items()
    }


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h", "review"], ["--db", "x", "no-such-command"]])
def test_help_and_unknown_commands_get_every_area_so_every_command_is_listed(argv: list[str]) -> None:
    assert cli.areas_for(argv) == cli.AREAS


def _modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_command_line_as_a_verification_worker_does_imports_no_library_of_the_store() -> None:
    loaded = _modules_after("import adapters.cli")
    for heavy in ("sqlalchemy", "eventsourcing", "structlog", "cryptography", "psycopg"):
        assert heavy not in loaded, heavy


def test_showing_a_review_imports_neither_the_rules_the_fold_other_areas_nor_postgresql(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/store.db"
    app = Application(url, tmp_path / "kek", create_kek=True)
    app.initialise("reviewledger.test/log")
    app.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR,))
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    open_review(app, REVIEW, "officer")
    app.close()
    argv = ["--db", url, "--kek-file", str(tmp_path / "kek"), "review", "show", REVIEW, "--json"]
    loaded = _modules_after(f"from adapters.cli import main\nassert main({argv!r}) == 0")
    assert "adapters.app.views" in loaded  # the command ran
    for unused in (
        "adapters.app.authority",
        "projections.fold",
        "projections.replay",
        "adapters.cli.sar",
        "adapters.app.users",
        "adapters.governance.publication",
        "eventsourcing.postgres",
        "psycopg",
        "sqlalchemy.dialects.postgresql",
    ):
        assert unused not in loaded, unused
