"""Keys held apart: KEK files open to no one else, and the log's signing key under a KEK of its own.

Whoever holds the database and the staff KEK can open every person's key, but not the log's:
checkpoints are signed with a key that only the log KEK opens. A store set up before keeps
working, and one command moves its log key under the log KEK.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
import structlog

from adapters.app.application import Application
from adapters.cli import main
from adapters.store.keystore import KeyStore, KeyStoreError
from adapters.store.tables import meta, private_keys
from adapters.store.verification import verify_ledger
from audit.signing import KeyUnlockError, decrypt_private_key
from domain.kernel.roles import Role


def kek_of(path: Path) -> bytes:
    return base64.b64decode(path.read_text().strip())


def stored_log_key(app: Application) -> tuple[str, bytes]:
    with app.db.reader.connect() as conn:
        key_id = conn.execute(sa.select(meta.c.value).where(meta.c.name == "log_key_id")).scalar_one()
        blob = conn.execute(
            sa.select(private_keys.c.encrypted).where(private_keys.c.key_id == key_id)
        ).scalar_one()
    return key_id, bytes(blob)


def test_a_new_stores_log_key_opens_with_the_log_kek_and_not_the_staff_kek(app: Application) -> None:
    assert app.log_kek_file == app.kek_file.with_name("kek.log-kek") and app.log_kek_created
    assert oct(app.log_kek_file.stat().st_mode & 0o777) == "0o600"
    key_id, blob = stored_log_key(app)
    with pytest.raises(KeyUnlockError, match=key_id):
        decrypt_private_key(kek_of(app.kek_file), key_id, blob)
    assert decrypt_private_key(kek_of(app.log_kek_file), key_id, blob).key_id == key_id
    # People's keys stay under the staff KEK.
    admin_key = app.ledger.registry().active_key("admin")
    assert admin_key is not None
    assert app.ledger.keys.load(admin_key).key_id == admin_key


@pytest.mark.parametrize("mode", [0o666, 0o640, 0o604])
def test_a_kek_file_open_to_others_is_refused_at_start_with_the_fix(
    app: Application, db_url: str, mode: int, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (app.kek_file, app.log_kek_file):
        path.chmod(mode)
        with pytest.raises(
            KeyStoreError, match=rf"is open to group or others \(mode {mode:04o}\): run `chmod 600 "
        ):
            Application(db_url, app.kek_file)
        code = main(["--db", db_url, "--kek-file", str(app.kek_file), "verify", "--quiet"])
        assert code == 2
        assert capsys.readouterr().err == (
            f"error: the key-encryption key file {path} is open to group or others (mode {mode:04o}): "
            f"run `chmod 600 {path}`\n"
        )
        path.chmod(0o600)
    Application(db_url, app.kek_file).close()


def test_a_kek_file_of_another_account_is_refused(
    app: Application, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: app.kek_file.stat().st_uid + 1)
    with pytest.raises(KeyStoreError, match=r"belongs to user id \d+, not to this account"):
        Application(db_url, app.kek_file)


def test_a_store_from_before_keeps_working_until_its_log_key_is_moved_under_the_log_kek(
    older_app: Application, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = older_app
    # As a store set up before: the log key under the staff KEK, and no log KEK file.
    staff = KeyStore(app.db.engine, kek_of(app.kek_file))
    staff.keep(app.ledger.log_key)
    key_id, _ = stored_log_key(app)
    app.log_kek_file.unlink()
    app.close()
    with structlog.testing.capture_logs() as logs:
        old = Application(db_url, app.kek_file)
        old.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))  # signs a checkpoint
    assert [line["event"] for line in logs].count("log_key_under_staff_kek") == 1
    assert verify_ledger(old.ledger).intact
    old.close()

    base = ["--db", db_url, "--kek-file", str(app.kek_file)]
    assert main([*base, "separate-log-key"]) == 0
    log_kek_file = app.kek_file.with_name("kek.log-kek")
    assert capsys.readouterr().out == (
        f"created the log's key-encryption key at {log_kek_file}\n"
        f"the log's signing key is now kept under {log_kek_file} alone; the staff key-encryption key no "
        "longer opens it\n"
    )
    assert oct(log_kek_file.stat().st_mode & 0o777) == "0o600"
    assert main([*base, "separate-log-key"]) == 0
    assert capsys.readouterr().out == f"the log's signing key is already kept under {log_kek_file} alone\n"

    moved = Application(db_url, app.kek_file)
    try:
        _, blob = stored_log_key(moved)
        with pytest.raises(KeyUnlockError, match=key_id):
            decrypt_private_key(kek_of(app.kek_file), key_id, blob)
        moved.register_person("admin", "chair", "Isla Rendall", (Role.REVIEWER,))
        assert verify_ledger(moved.ledger).intact
    finally:
        moved.close()
    # Without the log KEK the staff KEK alone cannot sign for the log: one line, exit 2.
    log_kek_file.unlink()
    assert main([*base, "log-key"]) == 2
    assert capsys.readouterr().err == (
        "error: the log's signing key does not open with the log's key-encryption key: "
        "check --log-kek-file / REVIEWLEDGER_LOG_KEK_FILE\n"
    )
