"""Dependencies point inward (DESIGN.md "Layout", CONVENTIONS.md 1), checked on every module's imports."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)

# For each layer: the top-level packages it may import besides the standard library.
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain", "msgspec", "eventsourcing.domain"},
    "audit": {"audit", "cryptography", "msgspec"},
    "projections": {"projections", "domain", "audit", "msgspec", "sqlalchemy", "structlog"},
    "adapters": {
        "adapters",
        "domain",
        "audit",
        "projections",
        "msgspec",
        "sqlalchemy",
        "structlog",
        "eventsourcing",
        "psycopg",
        "cryptography",
        "holidays",
        "litestar",
        "uvicorn",
        "anyio",
        # Documents (DESIGN.md "Documents"): reading, rendering and rebuilding files.
        "pypdfium2",
        "PIL",
        "docx",
        "odf",
        "weasyprint",
    },
    # The inspector's verifier: its own package, needing nothing of the log's code.
    "verifier": {"reviewledger_verify", "cryptography"},
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _allowed(name: str, allowed: set[str]) -> bool:
    top = name.split(".")[0]
    if top in STDLIB:
        return True
    return any(name == a or name.startswith(a + ".") for a in allowed)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for name in _imports(path)
        if not _allowed(name, ALLOWED[layer])
    ]
    assert offences == [], "\n".join(offences)


def test_the_log_never_imports_the_inspectors_verifier() -> None:
    """The verifier is the inspector's: the log writes bundles with code of its own."""
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for layer in ("domain", "audit", "projections", "adapters", "bench")
        for path in sorted((ROOT / layer).rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] == "reviewledger_verify"
    ]
    assert offences == []


def test_the_rule_itself_catches_an_outward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom adapters.store.ledger import Ledger\n")
    assert [n for n in _imports(bad) if not _allowed(n, ALLOWED["domain"])] == [
        "sqlalchemy",
        "adapters.store.ledger",
    ]
