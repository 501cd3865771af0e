"""Taking personal values out of an event for sealing, and putting them back on reading.

An event's plain form (`msgspec.to_builtins`) is walked depth-first in a fixed order;
every `Personal` item (a mapping tagged `"type": "personal"`) has its `value` moved to
the sealed list and set to null in the public payload. Reading walks the same order to
put the values back, or leaves them null when the data has been disposed of.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

PERSONAL_TAG = "personal"


def _personal_items(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == PERSONAL_TAG and "value" in node:
            yield node
            return
        for key in sorted(node):
            yield from _personal_items(node[key])
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _personal_items(item)


def take_personal_values(data: dict[str, Any]) -> list[str | None]:
    """Remove every personal value from `data` (in place) and return them in walk order."""
    values: list[str | None] = []
    for item in _personal_items(data):
        values.append(item["value"])
        item["value"] = None
    return values


def put_personal_values(data: dict[str, Any], values: list[str | None]) -> None:
    """Put sealed values back into `data` (in place), in the same walk order."""
    items = list(_personal_items(data))
    if len(items) != len(values):
        raise ValueError("sealed values do not match the personal items of the payload")
    for item, value in zip(items, values, strict=True):
        item["value"] = value


def subjects_of(data: dict[str, Any]) -> set[str]:
    """Every data-subject id named by the personal items of `data` (as subject or as author)."""
    found: set[str] = set()
    for item in _personal_items(data):
        found.update(item.get("about") or ())
        if item.get("by"):
            found.add(item["by"])
    return found
