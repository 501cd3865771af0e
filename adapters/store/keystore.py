"""Private signing keys at rest, encrypted under a key-encryption key (KEK).

Two KEKs, each a file named by configuration, never stored in the database and never logged:
the staff KEK (--kek-file, REVIEWLEDGER_KEK_FILE) holds every person's signing key and every
data key; the log KEK (--log-kek-file, REVIEWLEDGER_LOG_KEK_FILE) holds only the log's own
checkpoint-signing key, so whoever holds the staff KEK and the database cannot sign
checkpoints. A KEK file must belong to the account running reviewledger and be open to no one
else; one that is not is refused at start, with the fix. Private keys are opened only to sign,
inside this process.
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import sqlalchemy as sa
import structlog

from adapters.store.tables import private_keys
from audit.signing import (
    KEK_SIZE,
    KeyPair,
    KeyUnlockError,
    decrypt_private_key,
    decrypt_secret,
    encrypt_private_key,
    encrypt_secret,
    new_kek,
)
from domain.kernel.errors import ReviewledgerError
from domain.kernel.registry import LOG_ACTOR

log = structlog.get_logger(__name__)


class KeyStoreError(ReviewledgerError):
    """A key is missing, or cannot be opened with the configured key-encryption key."""


def default_log_kek_file(kek_file: Path) -> Path:
    """Where the log KEK is kept unless configured: beside the staff KEK (`var/x.kek` -> `var/x.log-kek`)."""
    return kek_file.with_name(f"{kek_file.stem}.log-kek")


def check_kek_file(path: Path) -> None:
    """Refuse a KEK file that another account owns or that group or others may read or write."""
    status = path.stat()
    owner = os.geteuid()
    if status.st_uid != owner:
        raise KeyStoreError(
            f"the key-encryption key file {path} belongs to user id {status.st_uid}, not to this account "
            f"({owner}): run reviewledger as its owner, or give the file to this account (chown)"
        )
    mode = stat.S_IMODE(status.st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyStoreError(
            f"the key-encryption key file {path} is open to group or others (mode {mode:04o}): "
            f"run `chmod 600 {path}`"
        )


def load_kek(path: Path, *, create: bool, variable: str = "REVIEWLEDGER_KEK_FILE") -> tuple[bytes, bool]:
    """Read the KEK file (base64 of 32 bytes); make one with owner-only permissions if asked.

    Returns the key and whether it was created now.
    """
    if not path.exists():
        if not create:
            raise KeyStoreError(f"no key-encryption key at {path}; set {variable} or run the demo")
        path.parent.mkdir(parents=True, exist_ok=True)
        kek = new_kek()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(kek).decode("ascii") + "\n")
        return kek, True
    check_kek_file(path)
    try:
        kek = base64.b64decode(path.read_text().strip(), validate=True)
    except ValueError:
        raise KeyStoreError(f"the key-encryption key file {path} is not base64") from None
    if len(kek) != KEK_SIZE:
        raise KeyStoreError(f"the key-encryption key in {path} is not {KEK_SIZE} bytes")
    return kek, False


class KeyStore:
    def __init__(self, engine: sa.Engine, kek: bytes, reader: sa.Engine | None = None) -> None:
        self._engine = engine
        self._reader = reader or engine  # reads need not queue behind writers for the write lock
        self._kek = kek
        self._cache: dict[str, KeyPair] = {}

    def create(self, actor_id: str) -> KeyPair:
        """Make a new key pair for `actor_id` and keep its private half encrypted."""
        pair = KeyPair.generate()
        with self._engine.begin() as conn:
            conn.execute(
                sa.insert(private_keys).values(
                    key_id=pair.key_id, actor_id=actor_id, encrypted=encrypt_private_key(self._kek, pair)
                )
            )
        self._cache[pair.key_id] = pair
        return pair

    def keep_secret(self, actor_id: str, key_id: str, secret: bytes) -> None:
        """Keep another kind of private key (an ML-DSA-44 seed) encrypted, under its id."""
        with self._engine.begin() as conn:
            conn.execute(
                sa.insert(private_keys).values(
                    key_id=key_id, actor_id=actor_id, encrypted=encrypt_secret(self._kek, key_id, secret)
                )
            )

    def load_secret(self, key_id: str) -> bytes:
        with self._reader.connect() as conn:
            blob = conn.execute(
                sa.select(private_keys.c.encrypted).where(private_keys.c.key_id == key_id)
            ).scalar_one_or_none()
        if blob is None:
            raise KeyStoreError(f"the private key {key_id} is not held here")
        try:
            return decrypt_secret(self._kek, key_id, blob)
        except KeyUnlockError as error:
            raise KeyStoreError(str(error)) from None

    def load(self, key_id: str) -> KeyPair:
        """Open the private key `key_id` for signing."""
        cached = self._cache.get(key_id)
        if cached is not None:
            return cached
        with self._reader.connect() as conn:
            blob = conn.execute(
                sa.select(private_keys.c.encrypted).where(private_keys.c.key_id == key_id)
            ).scalar_one_or_none()
        if blob is None:
            raise KeyStoreError(f"the private key {key_id} is not held here")
        try:
            pair = decrypt_private_key(self._kek, key_id, blob)
        except KeyUnlockError as error:
            raise KeyStoreError(str(error)) from None
        self._cache[key_id] = pair
        return pair

    def keep(self, pair: KeyPair) -> None:
        """Keep an existing key's private half under this store's KEK from now on (its row rewritten)."""
        with self._engine.begin() as conn:
            updated = conn.execute(
                sa.update(private_keys)
                .where(private_keys.c.key_id == pair.key_id)
                .values(encrypted=encrypt_private_key(self._kek, pair))
            )
        if updated.rowcount != 1:
            raise KeyStoreError(f"the private key {pair.key_id} is not held here")
        self._cache[pair.key_id] = pair


class LogKeys:
    """The log's own signing key, kept under the log KEK (`own`), apart from people's keys (`staff`).

    A store set up before the log KEK existed keeps the log key under the staff KEK: it is
    opened that way, with a warning, until `separate` rewrites it under the log KEK.
    """

    def __init__(self, staff: KeyStore, own: KeyStore | None) -> None:
        self._staff = staff
        self._own = own
        self.under_staff_kek = False

    def create(self) -> KeyPair:
        if self._own is None:
            raise KeyStoreError(
                "the log's key-encryption key is not there: `reviewledger init` creates it "
                "(or set --log-kek-file / REVIEWLEDGER_LOG_KEK_FILE)"
            )
        return self._own.create(LOG_ACTOR)

    def load(self, key_id: str) -> KeyPair:
        """The log's key: under the log KEK, or (a store from before it) under the staff KEK."""
        if self._own is not None:
            try:
                return self._own.load(key_id)
            except KeyStoreError:
                pass  # not under the log KEK: perhaps a store from before it, tried next
        try:
            pair = self._staff.load(key_id)
        except KeyStoreError:
            raise KeyStoreError(
                "the log's signing key does not open with the log's key-encryption key: "
                "check --log-kek-file / REVIEWLEDGER_LOG_KEK_FILE"
            ) from None
        self.under_staff_kek = True
        log.warning("log_key_under_staff_kek", fix="run `reviewledger separate-log-key`")
        return pair

    def keep_secret(self, key_id: str, secret: bytes) -> None:
        """Keep another of the log's private keys (its ML-DSA-44 seed) under the log KEK."""
        if self._own is None:
            raise KeyStoreError(
                "the log's key-encryption key is not there: `reviewledger separate-log-key` "
                "(or set --log-kek-file / REVIEWLEDGER_LOG_KEK_FILE)"
            )
        self._own.keep_secret(LOG_ACTOR, key_id, secret)

    def load_secret(self, key_id: str) -> bytes:
        """Another of the log's private keys: under the log KEK, or (kept before it) the staff KEK."""
        if self._own is not None:
            try:
                return self._own.load_secret(key_id)
            except KeyStoreError:
                pass  # kept before the log KEK existed: tried next
        return self._staff.load_secret(key_id)

    def separate(self, pair: KeyPair) -> bool:
        """Keep the log's key under the log KEK alone; False if it already was."""
        if not self.under_staff_kek:
            return False
        if self._own is None:
            raise KeyStoreError("the log's key-encryption key is not there to keep the log's key under")
        self._own.keep(pair)
        self.under_staff_kek = False
        log.info("log_key_separated", key_id=pair.key_id)
        return True
