"""Test modules live in folders without packages, so each must have a name of its own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def test_no_two_test_modules_share_a_name() -> None:
    names = Counter(path.name for path in ROOT.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
