"""The subject index: where every item of personal data sits, whose it is and who said it.

Information-governance officers answer "everything about this person" and "everything this
person said" from this index, without decrypting anything to search. Each item is found by
walking an event for `Personal` values; its place is a path ("family[0].name") that
`item_at` resolves again in the unsealed event when an entitled person reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import msgspec

from domain.kernel.event import DomainEvent, Personal
from projections.model import View

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


class SubjectItem(View, frozen=True, kw_only=True):
    """One item of personal data in the log, as the index knows it (never its value)."""

    subject: str
    relation: str  # "about" (the item is their personal data) or "by" (they made the statement)
    position: int
    stream: str
    version: int
    type: str
    field: str
    kind: str
    nature: str
    by: str | None = None
    about: tuple[str, ...] = ()
    special_category: bool = False
    recorded_at: datetime | None = None


def personal_items(event: DomainEvent) -> Iterator[tuple[str, Personal]]:
    """Every `Personal` value in an event, with its path."""
    yield from _walk("", event)


def _walk(path: str, value: object) -> Iterator[tuple[str, Personal]]:
    if isinstance(value, Personal):
        yield path, value
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:  # (msgspec.structs.fields re-reads annotations: slow)
            yield from _walk(f"{path}.{name}" if path else name, getattr(value, name))
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _walk(f"{path}[{index}]", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(f"{path}[{key}]", item)


def item_at(event: DomainEvent, path: str) -> Personal | None:
    """The `Personal` value at `path` in an event, or None if the path does not lead to one."""
    value: object = event
    for name, index in _STEP.findall(path):
        if name:
            value = getattr(value, name, None)
        elif isinstance(value, tuple | list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return None
    return value if isinstance(value, Personal) else None


def index_rows(
    *, position: int, stream: str, version: int, type: str, recorded_at: datetime, event: DomainEvent
) -> list[SubjectItem]:
    """The index entries of one event: one per subject an item is about, and one for who made it."""
    rows: list[SubjectItem] = []
    for path, item in personal_items(event):
        base = SubjectItem(
            subject="",
            relation="about",
            position=position,
            stream=stream,
            version=version,
            type=type,
            field=path,
            kind=item.kind.value,
            nature=item.nature.value,
            by=item.by,
            about=item.about,
            special_category=item.special_category,
            recorded_at=recorded_at,
        )
        rows.extend(msgspec.structs.replace(base, subject=s) for s in dict.fromkeys(item.about))
        if item.by is not None:
            rows.append(msgspec.structs.replace(base, subject=item.by, relation="by"))
    return rows
