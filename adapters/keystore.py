"""Private signing keys at rest, encrypted under the key-encryption key (KEK).

The KEK comes from configuration (a file named by REVIEWLEDGER_KEK_FILE or --kek-file);
it is never stored in the database and never logged. Private keys are opened only to
sign, inside this process.
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import sqlalchemy as sa

from adapters.tables import private_keys
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
from domain.errors import ReviewledgerError


class KeyStoreError(ReviewledgerError):
    """A key is missing, or cannot be opened with the configured key-encryption key."""


def load_kek(path: Path, *, create: bool) -> tuple[bytes, bool]:
    """Read the KEK file (base64 of 32 bytes); make one with owner-only permissions if asked.

    Returns the key and whether it was created now.
    """
    if not path.exists():
        if not create:
            raise KeyStoreError(f"no key-encryption key at {path}; set REVIEWLEDGER_KEK_FILE or run the demo")
        path.parent.mkdir(parents=True, exist_ok=True)
        kek = new_kek()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(kek).decode("ascii") + "\n")
        return kek, True
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
