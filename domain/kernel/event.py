"""What every domain event is: a frozen, keyword-only msgspec Struct with a stable name.

Events only grow (CONVENTIONS.md 4): a new field gets a default; a field is never
renamed, retyped or removed; a change of meaning is a new event type with a new name.

Personal data never sits in a plain field. It is wrapped in `Personal`, which says
whose data it is, whether it states a fact or an opinion (and whose), what kind of
item it is, and whether it is special-category data (UK GDPR Art. 9). The store
seals every `Personal.value` (AES-256-GCM) and keeps the rest of the event in clear,
so the record can be searched by data subject without being decrypted, and the
personal data can be disposed of without breaking the signed log.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import msgspec


class DomainEvent(msgspec.Struct, frozen=True, kw_only=True):
    """Base of every event. Each concrete subclass names itself: `tag="route.thing-done"`."""


class Nature(StrEnum):
    """Whether a recorded statement is a fact or somebody's opinion (DOMAIN.md §3)."""

    FACT = "fact"
    OPINION = "opinion"


class ItemKind(StrEnum):
    """What a personal-data item is; redaction and the residual-risk check key on it."""

    NAME = "name"
    DATE_OF_BIRTH = "date_of_birth"
    DATE_OF_DEATH = "date_of_death"
    ADDRESS = "address"
    SCHOOL = "school"
    RECORD_NUMBER = "record_number"
    CONTACT = "contact"
    JOB_TITLE = "job_title"
    DEMOGRAPHIC = "demographic"
    LEGAL_STATUS = "legal_status"
    HISTORY = "history"
    NARRATIVE = "narrative"


class Personal(msgspec.Struct, frozen=True, kw_only=True, tag="personal"):
    """One item of personal data inside an event.

    `about` are the opaque ids of the data subjects the item is about (one text can be
    the personal data of several people); `by` is the subject id of whoever made the
    statement or holds the opinion, if anyone. `value` is None when the item has been
    disposed of (crypto-shredded) or is not available to the reader.
    """

    value: str | None
    about: tuple[str, ...]
    kind: ItemKind = ItemKind.NARRATIVE
    nature: Nature = Nature.FACT
    by: str | None = None
    special_category: bool = False


def personal(
    value: str,
    *about: str,
    kind: ItemKind = ItemKind.NARRATIVE,
    nature: Nature = Nature.FACT,
    by: str | None = None,
    special_category: bool = False,
) -> Personal:
    """Shorthand to wrap one personal-data item about the given subjects."""
    return Personal(
        value=value,
        about=tuple(about),
        kind=kind,
        nature=nature,
        by=by,
        special_category=special_category,
    )


E = TypeVar("E", bound=DomainEvent)


def type_name(event_type: type[DomainEvent]) -> str:
    """The stable name an event type is stored under."""
    tag = event_type.__struct_config__.tag
    if not isinstance(tag, str):
        raise TypeError(f"{event_type.__qualname__} has no stable type name (tag=...)")
    return tag


def _all_subclasses(cls: type[DomainEvent]) -> list[type[DomainEvent]]:
    found: list[type[DomainEvent]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


@cache
def _registry() -> dict[str, type[DomainEvent]]:
    # Import every module that defines events, so the registry is complete
    # whoever asks first.
    from domain.kernel import catalogue

    catalogue.load()
    registry: dict[str, type[DomainEvent]] = {}
    for cls in _all_subclasses(DomainEvent):
        tag = cls.__struct_config__.tag
        if not isinstance(tag, str):
            continue
        if tag in registry and registry[tag] is not cls:
            raise TypeError(f"two event types share the name {tag!r}")
        registry[tag] = cls
    return registry


def event_types() -> dict[str, type[DomainEvent]]:
    """Every event type the system knows, by stable name."""
    return dict(_registry())


def event_type(name: str) -> type[DomainEvent]:
    """The event type stored under `name`; KeyError when unknown."""
    return _registry()[name]


def to_builtins(event: DomainEvent) -> dict[str, Any]:
    """The event as plain JSON-able values (the `type` tag included)."""
    data = msgspec.to_builtins(event)
    assert isinstance(data, dict)
    return data


def from_builtins(name: str, data: dict[str, Any]) -> DomainEvent:
    """Rebuild a typed event from plain values, strictly."""
    return msgspec.convert(data, type=event_type(name), strict=False)
