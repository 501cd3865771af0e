"""Sealed personal data: AES-256-GCM under a per-record data key, wrapped by the KEK.

The sealed plaintext is a 32-byte random salt followed by the personal values; the
envelope carries SHA-256 of the ciphertext (checkable without any key) and a salted
commitment to the plaintext (checkable by whoever is shown the plaintext, and not
brute-forceable from names or dates of birth because of the salt).
Destroying the wrapped data key and the ciphertext disposes of the data for good.
"""

from __future__ import annotations

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from audit.errors import AuditError

DATA_KEY_SIZE = 32  # AES-256
NONCE_SIZE = 12  # NIST SP 800-38D §8.2
SALT_SIZE = 32
_WRAP_AAD = b"reviewledger/data-key/v1\n"
_SEAL_AAD = b"reviewledger/sealed/v1\n"
_COMMITMENT_CONTEXT = b"reviewledger/commitment/v1\n"


class UnsealError(AuditError):
    """Sealed data could not be opened: wrong key, or the ciphertext or its binding was altered."""


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_SIZE)


def wrap_data_key(kek: bytes, record: str, generation: int, data_key: bytes) -> bytes:
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, _wrap_aad(record, generation))


def unwrap_data_key(kek: bytes, record: str, generation: int, wrapped: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_SIZE], wrapped[NONCE_SIZE:], _wrap_aad(record, generation))
    except (InvalidTag, ValueError):
        raise UnsealError(f"the data key of {record} cannot be unwrapped") from None


def binding(stream: str, version: int, event_type: str) -> bytes:
    """Associated data: a ciphertext opens only for the stream, version and type it was sealed for."""
    return _SEAL_AAD + f"{stream}\n{version}\n{event_type}\n".encode()


def seal(
    data_key: bytes, values: bytes, *, stream: str, version: int, event_type: str
) -> tuple[bytes, bytes]:
    """Seal `values`; return (ciphertext, commitment)."""
    plaintext = os.urandom(SALT_SIZE) + values
    nonce = os.urandom(NONCE_SIZE)
    ciphertext = nonce + AESGCM(data_key).encrypt(nonce, plaintext, binding(stream, version, event_type))
    return ciphertext, commit(plaintext)


def unseal(
    data_key: bytes, ciphertext: bytes, *, stream: str, version: int, event_type: str
) -> tuple[bytes, bytes]:
    """Open a ciphertext; return (values, commitment of the plaintext)."""
    try:
        plaintext = AESGCM(data_key).decrypt(
            ciphertext[:NONCE_SIZE], ciphertext[NONCE_SIZE:], binding(stream, version, event_type)
        )
    except (InvalidTag, ValueError):
        raise UnsealError(f"sealed data of {stream} version {version} does not open") from None
    return plaintext[SALT_SIZE:], commit(plaintext)


def commit(plaintext: bytes) -> bytes:
    """Salted commitment: SHA-256(context || salt || values); the salt is the plaintext's first 32 bytes."""
    return hashlib.sha256(_COMMITMENT_CONTEXT + plaintext).digest()


def digest(ciphertext: bytes) -> bytes:
    return hashlib.sha256(ciphertext).digest()


def _wrap_aad(record: str, generation: int) -> bytes:
    return _WRAP_AAD + f"{record}\n{generation}\n".encode()
