"""The register of data subjects as the system reads it: every subject's identifiers as they hold now.

`read_register` unseals each subject's stream and folds the registration with every amendment
(`domain.subjects.current_identifiers`). Publication checks and the detector that runs over
each step's words use it; it shows nothing to a person, so it logs no read (the services in
`adapters/subjects.py` that show identifiers to a person log theirs).

`RegisterCache` keeps the register between steps and reads again only the subjects registered,
amended or disposed of since it last looked, so a step does not unseal every subject's stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import msgspec

from adapters.ledger import Ledger, Recorded
from domain.disposal import PersonalDataDisposed
from domain.event import type_name
from domain.subjects import (
    SUBJECT_PREFIX,
    SubjectIdentifiers,
    SubjectIdentifiersAmended,
    SubjectRegistered,
    current_identifiers,
)
from projections.subjects import personal_items

REGISTER_TOPICS = (
    type_name(SubjectRegistered),
    type_name(SubjectIdentifiersAmended),
    type_name(PersonalDataDisposed),
)

T = TypeVar("T")


class RegisteredSubject(msgspec.Struct, frozen=True, kw_only=True):
    """One subject's identifiers as they hold now, unsealed, with the items reading them opened."""

    stream: str
    identifiers: SubjectIdentifiers
    disposed: bool
    fields: tuple[str, ...]  # `<version>:<path>` of every item whose value was read


def items_read(events: Iterable[Recorded]) -> tuple[str, ...]:
    """The `<version>:<path>` of every personal item whose value an unsealed read holds."""
    return tuple(
        f"{r.version}:{path}"
        for r in events
        for path, item in personal_items(r.event)
        if item.value is not None
    )


def subject_streams(ledger: Ledger, after: int = 0) -> tuple[list[str], int]:
    """The subject streams registered, amended or disposed of after notification `after`, and the last id seen."""
    streams: dict[str, None] = {}
    last = after
    for n in ledger.iter_notifications(after, topics=REGISTER_TOPICS):
        last = n.id
        stream = str(n.originator_id)
        if stream.startswith(SUBJECT_PREFIX):
            streams[stream] = None
    return list(streams), last


def read_subject(ledger: Ledger, stream: str, *, unseal: bool = True) -> RegisteredSubject | None:
    recorded: list[Recorded] = ledger.read(stream, unseal=unseal)
    identifiers = current_identifiers(r.event for r in recorded)
    if identifiers is None:
        return None
    return RegisteredSubject(
        stream=stream,
        identifiers=identifiers,
        disposed=any(r.disposed is not None for r in recorded),
        fields=items_read(recorded),
    )


def read_register(ledger: Ledger) -> list[RegisteredSubject]:
    """Every registered subject's current identifiers, unsealed (a disposed entry's values are None)."""
    found = (read_subject(ledger, stream) for stream in subject_streams(ledger)[0])
    return [s for s in found if s is not None]


class RegisterCache(Generic[T]):
    """Something built from the register (a detector), rebuilt only when the register has changed."""

    def __init__(self, build: Callable[[list[RegisteredSubject]], T]) -> None:
        self._build = build
        self._subjects: dict[str, RegisteredSubject] = {}
        self._seen = 0
        self._built: T | None = None

    def current(self, ledger: Ledger) -> T:
        changed, self._seen = subject_streams(ledger, self._seen)
        for stream in changed:
            subject = read_subject(ledger, stream)
            if subject is not None:
                self._subjects[stream] = subject
        if self._built is None or changed:
            self._built = self._build(list(self._subjects.values()))
        return self._built
