"""Password hashes and session tokens: scrypt per RFC 7914, constant-time checks, only digests of tokens stored."""

from __future__ import annotations

import hashlib

import pytest

from audit.passwords import (
    DEFAULT_COST,
    TOKEN_PREFIX,
    CredentialError,
    ScryptCost,
    check_password,
    hash_password,
    needs_rehash,
    new_session_token,
    token_digest,
)

CHEAP = ScryptCost(log2_n=4, r=1, p=1)  # for speed in tests; the stored string carries its own cost


def test_rfc_7914_test_vector_is_reproduced_by_the_primitive_we_use() -> None:
    # RFC 7914 §12, the second vector: P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64.
    derived = hashlib.scrypt(b"password", salt=b"NaCl", n=1024, r=8, p=16, dklen=64)
    assert derived.hex() == (
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
    )


def test_a_password_checks_against_its_own_hash_and_nothing_else() -> None:
    encoded = hash_password("correct horse battery staple", CHEAP)
    check_password("correct horse battery staple", encoded)
    with pytest.raises(CredentialError, match="the password does not match"):
        check_password("correct horse battery stapler", encoded)


def test_the_hash_names_its_parameters_and_a_fresh_salt_each_time() -> None:
    first, second = hash_password("same password", CHEAP), hash_password("same password", CHEAP)
    assert first.startswith("$scrypt$ln=4,r=1,p=1$")
    assert first != second
    assert "same password" not in first


def test_the_default_cost_is_memory_hard() -> None:
    assert DEFAULT_COST.memory >= 32 * 1024 * 1024
    assert needs_rehash(hash_password("x", CHEAP))
    assert not needs_rehash(hash_password("x", CHEAP), CHEAP)


@pytest.mark.parametrize(
    ("encoded", "problem"),
    [
        ("plain-text-password", "not an scrypt hash in the expected form"),
        ("$scrypt$ln=4,r=1,p=1$c2FsdA$", "not an scrypt hash in the expected form"),
        ("$scrypt$ln=30,r=8,p=1$c2FsdA$" + "A" * 43, "parameters out of bounds"),
        ("$scrypt$ln=4,r=0,p=1$c2FsdA$" + "A" * 43, "parameters out of bounds"),
        ("$scrypt$ln=4,r=1,p=1$c2FsdA$QUJD", "the wrong length"),
        ("$scrypt$ln=4,r=1,p=1$c$" + "A" * 43, "bad base64"),
    ],
)
def test_a_stored_hash_that_cannot_be_read_is_refused_with_its_problem(encoded: str, problem: str) -> None:
    with pytest.raises(CredentialError, match=problem):
        check_password("anything", encoded)


def test_a_session_token_is_random_and_only_its_digest_is_kept() -> None:
    token = new_session_token()
    assert token.startswith(TOKEN_PREFIX)
    assert len(token) == len(TOKEN_PREFIX) + 43  # 32 bytes, base64url without padding
    assert token != new_session_token()
    assert token_digest(token) == hashlib.sha256(token.encode()).digest()
