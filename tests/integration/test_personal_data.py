"""Every personal-data item is sealed wherever it sits in an event: top level, nested, in lists or tuples."""

from __future__ import annotations

from typing import Any

from adapters.store.personal_data import put_personal_values, take_personal_values
from domain.kernel.event import ItemKind, personal, to_builtins
from domain.kernel.registry import ActorRegistered


def test_items_inside_tuples_and_lists_are_taken_out_and_put_back() -> None:
    data: dict[str, Any] = {
        "family": (to_builtins_item("Leanne"), to_builtins_item("Craig")),
        "notes": [{"inner": to_builtins_item("Dean")}],
        "plain": "no personal data",
    }
    values = take_personal_values(data)
    assert sorted(v for v in values if v) == ["Craig", "Dean", "Leanne"]
    assert "Leanne" not in repr(data) and "Craig" not in repr(data) and "Dean" not in repr(data)
    put_personal_values(data, values)
    assert data["family"][0]["value"] == "Leanne"
    assert data["notes"][0]["inner"]["value"] == "Dean"


def to_builtins_item(value: str) -> dict[str, Any]:
    item = to_builtins(
        ActorRegistered(actor_id="a", name=personal(value, "S-1", kind=ItemKind.NAME), roles=(), at=_at())
    )["name"]
    assert isinstance(item, dict)
    return item


def _at() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)
