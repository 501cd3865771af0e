"""Sign-in secrets: memory-hard password hashes and session tokens.

Passwords are hashed with scrypt (RFC 7914) under a fresh random salt and kept as one
PHC-style string that names the parameters, so they can be raised later without breaking
stored hashes: `$scrypt$ln=15,r=8,p=3$<salt>$<hash>` (unpadded base64). Checking is
constant-time. Session tokens are 32 random bytes; only their SHA-256 is ever stored, so
a copy of the database does not let anyone sign in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass

from audit.errors import AuditError


class CredentialError(AuditError):
    """A password does not match its hash, or a stored hash cannot be read."""


@dataclass(frozen=True)
class ScryptCost:
    """RFC 7914 §2 parameters: N = 2**log2_n (CPU/memory cost), r (block size), p (parallelisation)."""

    log2_n: int
    r: int
    p: int

    @property
    def memory(self) -> int:
        # RFC 7914 §2: scrypt needs 128 * r * N bytes of working memory.
        return 128 * self.r * (1 << self.log2_n)


# N = 2**15, r = 8, p = 3: 32 MiB per hash; one of the equivalent settings OWASP's Password
# Storage Cheat Sheet gives for scrypt (N=2^17,r=8,p=1 / N=2^16,r=8,p=2 / N=2^15,r=8,p=3).
DEFAULT_COST = ScryptCost(log2_n=15, r=8, p=3)
# Bounds on what a stored hash may ask for, so a tampered row cannot make a check exhaust memory.
_MAX_LOG2_N, _MAX_R, _MAX_P = 20, 16, 16
SALT_SIZE = 16  # RFC 7914 §2 leaves it to the caller; 128 bits of random salt
HASH_SIZE = 32  # dkLen
_PREFIX = "$scrypt$"
_ENCODED = re.compile(r"\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)")

TOKEN_SIZE = 32  # bytes of randomness in a session token
TOKEN_PREFIX = "rls_"  # noqa: S105 (a public prefix that makes a leaked token recognisable to secret scanners)


def _scrypt(password: str, salt: bytes, cost: ScryptCost) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=1 << cost.log2_n,
        r=cost.r,
        p=cost.p,
        maxmem=2 * cost.memory,
        dklen=HASH_SIZE,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def hash_password(password: str, cost: ScryptCost = DEFAULT_COST) -> str:
    """The encoded scrypt hash of `password` under a new random salt."""
    salt = os.urandom(SALT_SIZE)
    digest = _scrypt(password, salt, cost)
    return f"{_PREFIX}ln={cost.log2_n},r={cost.r},p={cost.p}${_b64(salt)}${_b64(digest)}"


def _parse(encoded: str) -> tuple[ScryptCost, bytes, bytes]:
    found = _ENCODED.fullmatch(encoded)
    if found is None:
        raise CredentialError("the stored password hash is not an scrypt hash in the expected form")
    cost = ScryptCost(log2_n=int(found[1]), r=int(found[2]), p=int(found[3]))
    if not (1 <= cost.log2_n <= _MAX_LOG2_N and 1 <= cost.r <= _MAX_R and 1 <= cost.p <= _MAX_P):
        raise CredentialError("the stored password hash asks for scrypt parameters out of bounds")
    try:
        salt, digest = _unb64(found[4]), _unb64(found[5])
    except (binascii.Error, ValueError):
        raise CredentialError("the stored password hash has bad base64") from None
    if len(digest) != HASH_SIZE or not salt:
        raise CredentialError("the stored password hash has the wrong length")
    return cost, salt, digest


def check_password(password: str, encoded: str) -> None:
    """Raise CredentialError unless `password` matches `encoded`; the comparison is constant-time."""
    cost, salt, digest = _parse(encoded)
    if not hmac.compare_digest(_scrypt(password, salt, cost), digest):
        raise CredentialError("the password does not match")


def needs_rehash(encoded: str, cost: ScryptCost = DEFAULT_COST) -> bool:
    """Whether a stored hash uses other parameters than `cost` (to be re-hashed at next sign-in)."""
    return _parse(encoded)[0] != cost


def spend_like_a_check(password: str, cost: ScryptCost = DEFAULT_COST) -> None:
    """Do the work of one check without a stored hash, so an unknown account takes as long to refuse."""
    _scrypt(password, b"\x00" * SALT_SIZE, cost)


def new_session_token() -> str:
    """A new bearer token: the prefix and 32 random bytes, base64url without padding."""
    return TOKEN_PREFIX + base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_SIZE)).decode("ascii").rstrip(
        "="
    )


def token_digest(token: str) -> bytes:
    """What is stored for a token: SHA-256 of its text (FIPS 180-4). 256 random bits need no salt."""
    return hashlib.sha256(token.encode("utf-8")).digest()
