"""Whom a text names: a recorder's `about`, widened by what the words themselves say.

A recorder names whom each narrative text is about; annotations are never complete (DOMAIN.md
§3). Before a step is sealed, every narrative item's words are run through the identifier
detector with the register of data subjects; anyone it finds that the item's `about` (and `by`)
leave out is added to `about`. The step is recorded all the same, and the people added are
reported back to the recorder (by subject id), so the item counts as about them for every
disclosure that reads it: SAR packs, FOI, publication, the subject index.

Only free text (`ItemKind.NARRATIVE` and `HISTORY`) is widened: a name, address or date of birth field is the
identifier of the person it is about, and another person sharing a surname does not make it theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import msgspec

from domain.governance.subjects import check_subject_id
from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent, ItemKind, Personal, type_name


class Naming(Protocol):
    """A step that says whom its text names beyond the people the record already ties it to,
    and whose statement or opinion it is."""

    @property
    def about(self) -> tuple[str, ...]: ...

    @property
    def by(self) -> str | None: ...


def checked_ids(field: str, ids: tuple[str, ...]) -> tuple[str, ...]:
    """Each id checked as a data subject's (`S-...`); a refusal names `field`."""
    for subject_id in ids:
        try:
            check_subject_id(subject_id)
        except InvalidInput as error:
            raise InvalidInput(field, error.rule) from None
    return ids


class FindsSubjects(Protocol):
    """The identifier detector, as far as naming needs it."""

    def subjects_in(self, text: str, *, exclude: Iterable[str] = ()) -> set[str]: ...


#: The kinds of item that are free text, whose words are checked for the people they name.
FREE_TEXT = frozenset({ItemKind.NARRATIVE, ItemKind.HISTORY})


class Unnamed(msgspec.Struct, frozen=True, kw_only=True):
    """People the words of one item name but its `about` left out, now added to it."""

    event: str  # the event type, e.g. "national.family-contact-recorded"
    field: str  # the item's path in the event, e.g. "views"
    subjects: tuple[str, ...]


def widen(
    events: Sequence[DomainEvent], finder: FindsSubjects
) -> tuple[list[DomainEvent], tuple[Unnamed, ...]]:
    """The events with every narrative item's `about` widened to whom its words name, and who was added."""
    found: list[Unnamed] = []
    widened: list[DomainEvent] = []
    for event in events:
        name = type_name(type(event))

        def report(field: str, people: tuple[str, ...], name: str = name) -> None:
            found.append(Unnamed(event=name, field=field, subjects=people))

        rebuilt = _rebuild(event, "", finder, report)
        assert isinstance(rebuilt, DomainEvent)
        widened.append(rebuilt)
    return widened, tuple(found)


class _Report(Protocol):
    def __call__(self, field: str, people: tuple[str, ...]) -> None: ...


def _rebuild(value: object, path: str, finder: FindsSubjects, report: _Report) -> object:
    if isinstance(value, Personal):
        return _widened(value, path, finder, report)
    if isinstance(value, msgspec.Struct):
        changes: dict[str, object] = {}
        for name in value.__struct_fields__:
            old = getattr(value, name)
            new = _rebuild(old, f"{path}.{name}" if path else name, finder, report)
            if new is not old:
                changes[name] = new
        return msgspec.structs.replace(value, **changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(_rebuild(item, f"{path}[{i}]", finder, report) for i, item in enumerate(value))
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _widened(item: Personal, path: str, finder: FindsSubjects, report: _Report) -> Personal:
    if item.kind not in FREE_TEXT or not item.value:
        return item
    named = (*item.about, *((item.by,) if item.by else ()))
    missed = tuple(sorted(finder.subjects_in(item.value, exclude=named) - set(named)))
    if not missed:
        return item
    report(path, missed)
    return msgspec.structs.replace(item, about=(*item.about, *missed))
