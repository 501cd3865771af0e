"""Ed25519 keys of people and of the log: ids, signing, checking, and encryption at rest.

Private keys never leave this module in clear except as `cryptography` key objects;
at rest they are AES-256-GCM encrypted under the key-encryption key (KEK), with the
key id as associated data so a ciphertext cannot be swapped onto another key's row.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from audit.errors import AuditError, VerificationError

PUBLIC_KEY_SIZE = 32  # RFC 8032 §5.1.5
SIGNATURE_SIZE = 64  # RFC 8032 §5.1.6
KEK_SIZE = 32  # AES-256
NONCE_SIZE = 12  # NIST SP 800-38D §8.2: 96-bit IV
_KEY_ID_CONTEXT = b"reviewledger/key-id/v1\n"
_PRIVATE_KEY_AAD = b"reviewledger/private-key/v1\n"


def key_id(public_key: bytes) -> str:
    """A key's id: the first 8 bytes of SHA-256(context || raw public key), in hex."""
    return hashlib.sha256(_KEY_ID_CONTEXT + public_key).hexdigest()[:16]


def raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class KeyPair:
    """A freshly made or unlocked signing key with its id and raw public key."""

    private_key: Ed25519PrivateKey
    public_key: bytes
    key_id: str

    @classmethod
    def generate(cls) -> KeyPair:
        private_key = Ed25519PrivateKey.generate()
        public = raw_public_key(private_key)
        return cls(private_key=private_key, public_key=public, key_id=key_id(public))

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(self.public_key).decode("ascii")

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def verify_signature(
    public_key: bytes, signature: bytes, message: bytes, *, position: int | None = None
) -> None:
    """Check an Ed25519 signature; raise VerificationError when it does not verify."""
    if len(public_key) != PUBLIC_KEY_SIZE:
        raise VerificationError("public key is not 32 bytes", position=position)
    if len(signature) != SIGNATURE_SIZE:
        raise VerificationError("signature is not 64 bytes", position=position)
    try:
        _public_key(public_key).verify(signature, message)
    except InvalidSignature:
        raise VerificationError("signature does not verify", position=position) from None


@functools.lru_cache(maxsize=256)
def _public_key(raw: bytes) -> Ed25519PublicKey:
    # A log has few keys and many signatures: load each key once, not once per signature.
    return Ed25519PublicKey.from_public_bytes(raw)


def decode_public_key(text: str) -> bytes:
    """A base64 raw public key as stored in the registry; VerificationError when malformed."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise VerificationError("public key is not valid base64") from None
    if len(raw) != PUBLIC_KEY_SIZE:
        raise VerificationError("public key is not 32 bytes")
    return raw


def new_kek() -> bytes:
    return os.urandom(KEK_SIZE)


def encrypt_private_key(kek: bytes, pair: KeyPair) -> bytes:
    """The private key encrypted under the KEK: nonce || AES-256-GCM(raw private key)."""
    raw = pair.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(kek).encrypt(nonce, raw, _PRIVATE_KEY_AAD + pair.key_id.encode())


_SECRET_AAD = b"reviewledger/secret-key/v1\n"


def encrypt_secret(kek: bytes, label: str, secret: bytes) -> bytes:
    """Another kind of private key (an ML-DSA-44 seed) under the KEK: nonce || AES-256-GCM(secret),
    bound to its label."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(kek).encrypt(nonce, secret, _SECRET_AAD + label.encode())


def decrypt_secret(kek: bytes, label: str, blob: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], _SECRET_AAD + label.encode())
    except (InvalidTag, ValueError):
        raise KeyUnlockError(f"private key {label} cannot be opened with this key-encryption key") from None


class KeyUnlockError(AuditError):
    """An encrypted private key could not be opened (wrong KEK or altered ciphertext)."""


def decrypt_private_key(kek: bytes, key_id_: str, blob: bytes) -> KeyPair:
    """Open an encrypted private key and check it matches its id."""
    try:
        raw = AESGCM(kek).decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], _PRIVATE_KEY_AAD + key_id_.encode())
    except (InvalidTag, ValueError):
        raise KeyUnlockError(f"private key {key_id_} cannot be opened with this key-encryption key") from None
    private_key = Ed25519PrivateKey.from_private_bytes(raw)
    public = raw_public_key(private_key)
    if key_id(public) != key_id_:
        raise KeyUnlockError(f"private key stored as {key_id_} is a different key")
    return KeyPair(private_key=private_key, public_key=public, key_id=key_id_)
