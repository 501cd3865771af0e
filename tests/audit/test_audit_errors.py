"""Every error audit/ raises has one root, AuditError; a verifier's failure is a VerificationError under it."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from audit.errors import AuditError, VerificationError
from audit.merkle import leaf_hash, verify_inclusion

AUDIT = Path(__file__).resolve().parents[2] / "audit"
MODULES = sorted(f"audit.{path.stem}" for path in AUDIT.glob("*.py") if path.stem != "__init__")


def _errors_defined_in(name: str) -> list[type[BaseException]]:
    module = importlib.import_module(name)
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseException) and cls.__module__ == name
    ]


@pytest.mark.parametrize("name", MODULES)
def test_every_error_defined_in_audit_is_an_audit_error(name: str) -> None:
    assert [cls.__name__ for cls in _errors_defined_in(name) if not issubclass(cls, AuditError)] == []


def test_the_errors_keep_their_names_and_can_be_caught_as_one() -> None:
    found = {cls.__name__ for name in MODULES for cls in _errors_defined_in(name)}
    assert {
        "AuditError",
        "VerificationError",
        "UnsealError",
        "DocumentUnsealError",
        "KeyUnlockError",
        "CredentialError",
        "FormTokenError",
        "RegistryProblem",
    } <= found
    with pytest.raises(AuditError, match="leaf index 5 is outside a tree of size 2") as caught:
        verify_inclusion(5, 2, leaf_hash(b"x"), [], leaf_hash(b"y"))
    assert isinstance(caught.value, VerificationError)
    assert caught.value.position == 6
