"""`reviewledger users ...`: an administrator creates, lists, resets and disables sign-in accounts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from adapters.app import users
from adapters.app.application import Application
from adapters.cli import main
from domain.kernel.roles import Role


@pytest.fixture
def base(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A log with an administrator and an officer, set up from the command line."""
    args = ["--db", db_url, "--kek-file", str(tmp_path / "kek")]
    assert main([*args, "init"]) == 0
    app = Application(db_url, tmp_path / "kek")
    try:
        app.register_person("log", "admin", "Morven Sinclair", (Role.ADMINISTRATOR,))
        app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    finally:
        app.close()
    capsys.readouterr()
    return args


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_an_administrator_manages_an_account_from_the_command_line(
    base: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
    tmp_path: Path,
) -> None:
    password = "officer's long password\n"
    code, out, _ = run(
        capsys,
        monkeypatch,
        *base,
        "users",
        "add",
        "officer",
        "--as",
        "admin",
        "--password-stdin",
        stdin=password,
    )
    assert (code, out) == (0, "created the sign-in account of officer\n")
    app = Application(db_url, tmp_path / "kek")
    try:
        users.sign_in(app, "officer", password.strip(), "127.0.0.1")
    finally:
        app.close()
    code, out, _ = run(capsys, monkeypatch, *base, "users", "list", "--json")
    [listed] = json.loads(out)
    assert listed["actor"] == "officer" and listed["active_sessions"] == 1 and not listed["disabled"]
    code, out, _ = run(capsys, monkeypatch, *base, "users", "revoke-sessions", "officer", "--as", "admin")
    assert (code, out) == (0, "ended 1 open session of officer\n")
    app = Application(db_url, tmp_path / "kek")
    try:
        for _ in range(users.MAX_FAILURES_PER_ACCOUNT):
            with pytest.raises(users.SignInRefused, match="not right"):
                users.sign_in(app, "officer", "a wrong guess at it", "127.0.0.1")
        with pytest.raises(users.TooManySignIns, match="try again in"):
            users.sign_in(app, "officer", password.strip(), "127.0.0.1")
        code, out, _ = run(capsys, monkeypatch, *base, "users", "unblock", "officer", "--as", "admin")
        assert (code, out) == (0, "cleared 5 failed sign-ins of officer; they may sign in now\n")
        users.sign_in(app, "officer", password.strip(), "127.0.0.1")
    finally:
        app.close()
    code, out, _ = run(capsys, monkeypatch, *base, "users", "disable", "officer", "--as", "admin")
    assert code == 0 and "disabled" in out
    code, out, _ = run(
        capsys,
        monkeypatch,
        *base,
        "users",
        "set-password",
        "officer",
        "--as",
        "admin",
        "--password-stdin",
        stdin="a brand new password\n",
    )
    assert code == 0
    assert password.strip() not in out


@pytest.mark.parametrize(
    ("args", "stdin", "error"),
    [
        (
            ("users", "add", "officer", "--as", "officer", "--password-stdin"),
            "long enough password",
            "error: officer: creating a sign-in account can only be recorded by an administrator; "
            "officer does not hold that role",
        ),
        (
            ("users", "add", "ghost", "--as", "admin", "--password-stdin"),
            "long enough password",
            "error: no registered person with reference 'ghost'",
        ),
        (
            ("users", "add", "officer", "--as", "admin", "--password-stdin"),
            "short",
            "error: password: must be at least 12 characters",
        ),
        (
            ("users", "add", "officer", "--as", "admin", "--password-stdin"),
            "",
            "error: --password-stdin: standard input held no password",
        ),
        (
            ("users", "add", "officer", "--as", "admin"),
            "",
            "error: password: type it at a terminal, or give it on standard input with --password-stdin",
        ),
        (
            ("users", "disable", "officer", "--as", "admin"),
            "",
            "error: no sign-in account with reference 'officer'",
        ),
    ],
)
def test_bad_account_commands_get_one_clear_line_and_change_nothing(
    base: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    stdin: str,
    error: str,
) -> None:
    code, _, err = run(capsys, monkeypatch, *base, *args, stdin=stdin)
    assert (code, err.strip()) == (2, error)
    code, out, _ = run(capsys, monkeypatch, *base, "users", "list")
    assert out.strip() == "no accounts"


def test_creating_an_account_is_logged_without_the_password(
    base: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWLEDGER_LOG_LEVEL", "INFO")
    code, _, err = run(
        capsys,
        monkeypatch,
        *base,
        "users",
        "add",
        "officer",
        "--as",
        "admin",
        "--password-stdin",
        stdin="do not log this phrase",
    )
    assert code == 0
    [line] = [json.loads(line) for line in err.splitlines() if "account_created" in line]
    assert (line["account"], line["by"]) == ("officer", "admin")
    assert "do not log this phrase" not in err
