"""Every command-line fault is one line on standard error, with its exit code, and changes nothing.

Driven through the real command line (`adapters.cli.main`) over the demonstration's store, on
each backend: a store that is not there or cannot be reached, a checkpoint file that is not a
checkpoint, a person or a record that does not exist, and a lookup that fails, which is not
written down as a read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import sqlalchemy as sa

from adapters.app.config import Settings
from adapters.cli import main
from adapters.store.database import Database
from tests.integration.ig_support import PG_SERVER, demo_store

EXIT_USAGE, EXIT_UNAVAILABLE = 2, 3
PAUSE = '{"paused_on": "2026-05-06", "reason": "awaiting a criminal trial"}'


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store(request.param, tmp_path_factory.mktemp("faults")) as settings:
        yield settings


def rows(settings: Settings) -> dict[str, int]:
    """How many rows every table of the store holds: what 'nothing was written' is checked against."""
    db = Database(settings.db_url, create=False)
    try:
        with db.reader.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {
                name: int(conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one())
                for name in names
            }
    finally:
        db.close()


def run(capsys: pytest.CaptureFixture[str], settings: Settings, *args: str) -> tuple[int, str]:
    code = main(["--db", settings.db_url, "--kek-file", str(settings.kek_file), *args])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err  # one line, never a traceback
    return code, captured.err.rstrip("\n")


def test_a_command_on_a_missing_sqlite_folder_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kek = tmp_path / "kek"
    kek.write_text("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
    kek.chmod(0o600)
    missing = tmp_path / "no" / "such" / "folder" / "store.db"
    settings = Settings(db_url=f"sqlite:///{missing}", kek_file=kek)
    for command in (["reviews", "list"], ["verify", "--quiet"], ["log-key"], ["sar", "list"]):
        assert run(capsys, settings, *command) == (
            EXIT_USAGE,
            f"error: no reviewledger store at sqlite:///{missing}: run `reviewledger init` first, or check --db",
        )
    assert not (tmp_path / "no").exists()


def test_a_missing_or_unreachable_postgresql_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kek = tmp_path / "kek"
    kek.write_text("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
    kek.chmod(0o600)
    server = urlsplit(PG_SERVER)
    missing = Settings(
        db_url=f"postgresql://postgres@{server.hostname}:{server.port}/reviewledger_not_there", kek_file=kek
    )
    assert run(capsys, missing, "reviews", "list") == (
        EXIT_USAGE,
        f"error: PostgreSQL at {server.hostname}:{server.port} has no database 'reviewledger_not_there': "
        "create it (createdb) or check --db",
    )
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        created = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'reviewledger_not_there'"
        ).fetchone()
    assert created is None
    unreachable = Settings(db_url="postgresql://postgres@127.0.0.1:1/reviewledger", kek_file=kek)
    assert run(capsys, unreachable, "verify", "--quiet") == (
        EXIT_UNAVAILABLE,
        "error: cannot reach PostgreSQL at 127.0.0.1:1: is the server running and accepting connections?",
    )


def test_verify_against_a_file_that_is_not_a_checkpoint_is_bad_input_not_tampering(
    store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rows(store)
    junk = tmp_path / "junk.txt"
    junk.write_text("minutes of the meeting\n")
    assert run(capsys, store, "verify", "--quiet", "--against", str(junk)) == (
        EXIT_USAGE,
        f"error: --against: {junk} is not a checkpoint (note has no blank line before its signatures)",
    )
    unsigned = tmp_path / "unsigned.txt"
    unsigned.write_text("origin\n12\nnot base64!\n\n\u2014 origin AAAA\n")
    code, line = run(capsys, store, "verify", "--quiet", "--against", str(unsigned))
    assert (code, line) == (
        EXIT_USAGE,
        f"error: --against: {unsigned} is not a checkpoint (signature is 3 bytes, too short for a key ID and a signature)",
    )
    unreadable = tmp_path / "absent.checkpoint"
    assert run(capsys, store, "verify", "--quiet", "--against", str(unreadable)) == (
        EXIT_USAGE,
        f"error: --against: cannot read a checkpoint from {unreadable}",
    )
    assert rows(store) == before


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("step", "LR-2026-002", "pause-review", "--as", "nobody", "--data", PAUSE),
            "error: no registered person with reference 'nobody'",
        ),
        (
            ("people", "grant", "cpc-officer", "--role", "reviewer", "--as", "nobody"),
            "error: no registered person with reference 'nobody'",
        ),
        (
            ("sar", "copy", "SAR-2026-001", "--as", "nobody", "--sha256", "0" * 64, "--out", "never-written"),
            "error: no document sent with reference 'sar-SAR-2026-001 " + "0" * 64 + "'",
        ),
        (
            ("step", "LR-2099-404", "pause-review", "--as", "cpc-officer", "--data", PAUSE),
            "error: no review with reference 'LR-2099-404'",
        ),
        (
            ("sar", "show", "SAR-2099-404"),
            "error: no subject access request with reference 'SAR-2099-404'",
        ),
    ],
)
def test_an_unknown_person_or_record_is_one_line_and_changes_nothing(
    store: Settings, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], error: str
) -> None:
    before = rows(store)
    assert run(capsys, store, *args) == (EXIT_USAGE, error)
    assert rows(store) == before


def test_a_failed_copy_lookup_is_not_logged_as_a_read(
    store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rows(store)
    out = tmp_path / "copy.json"
    code, line = run(
        capsys,
        store,
        "sar",
        "copy",
        "SAR-2026-001",
        "--as",
        "ig-officer",
        "--sha256",
        "ab" * 32,
        "--out",
        str(out),
    )
    assert code == EXIT_USAGE and line.startswith("error: no document sent with reference")
    assert rows(store) == before  # the access log included: no read was written down
    assert not out.exists()
