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


ROUTES = ROOT / "domain" / "routes"
SHARED = "shared"  # what several routes share, written once (domain/routes/shared)


def _route_packages() -> list[str]:
    return sorted(p.name for p in ROUTES.iterdir() if (p / "__init__.py").is_file() and p.name != SHARED)


def _route_offences(path: Path, route: str) -> list[str]:
    return [
        name
        for name in _imports(path)
        if name.startswith("domain.routes.") and name.split(".")[2] not in (route, SHARED)
    ]


def test_the_route_packages_are_the_four_routes() -> None:
    assert _route_packages() == ["mini", "national", "panel", "single_agency"]


@pytest.mark.parametrize("route", [*_route_packages(), SHARED])
def test_a_route_never_imports_another_route(route: str) -> None:
    """Each route is read on its own; what two routes share lives in domain/routes/shared."""
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROUTES / route).rglob("*.py"))
        for name in _route_offences(path, route)
    ]
    assert offences == [], "\n".join(offences)


def test_the_kernel_imports_only_the_kernel() -> None:
    """The building blocks every route uses know no route and no governance rule."""
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "domain" / "kernel").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] == "domain" and not name.startswith("domain.kernel")
    ]
    assert offences == [], "\n".join(offences)


def test_no_folder_holds_more_than_twenty_modules() -> None:
    """A folder shows at a glance what is in it (CONVENTIONS.md "The layout we are moving to")."""
    crowded = {
        str(folder.relative_to(ROOT)): count
        for layer in ("domain", "adapters", "projections", "audit")
        for folder in [ROOT / layer, *sorted(p for p in (ROOT / layer).rglob("*") if p.is_dir())]
        if (count := len([m for m in folder.glob("*.py") if m.name != "__init__.py"])) > 20
    }
    assert crowded == {}


def test_the_route_rule_catches_one_route_importing_another(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from domain.routes.mini.forms import MiniCriterion\n"
        "from domain.routes.shared.forms import required\n"
        "from domain.routes.single_agency.forms import ReferralForm\n"
    )
    assert _route_offences(bad, "single_agency") == ["domain.routes.mini.forms"]


def test_the_rule_itself_catches_an_outward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom adapters.store.ledger import Ledger\n")
    assert [n for n in _imports(bad) if not _allowed(n, ALLOWED["domain"])] == [
        "sqlalchemy",
        "adapters.store.ledger",
    ]
