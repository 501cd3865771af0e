"""The shape of every record kept as a stream of events.

Commands are methods that check the procedure's rules and then `_record` an event;
`apply` only changes state (CONVENTIONS.md 5). Nothing here does I/O, reads the
clock or makes ids: time and ids come in as arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar, Self

from domain.kernel.command import Command, command_name, find_handlers
from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting


class Aggregate:
    """A record rebuilt from its events; `version` counts the events applied."""

    kind: ClassVar[str] = "record"
    _handlers: ClassVar[dict[type[Command], str]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = find_handlers(cls)

    def __init__(self, reference: str) -> None:
        self.reference = reference
        self.version = 0
        self._pending: list[DomainEvent] = []

    @classmethod
    def replay(cls, reference: str, events: Iterable[DomainEvent]) -> Self:
        """Rebuild the record from its stored events, in order."""
        record = cls(reference)
        for event in events:
            record.apply(event)
        return record

    @classmethod
    def commands(cls) -> dict[str, type[Command]]:
        """Every command this kind of record accepts, by stable name."""
        return {command_name(c): c for c in cls._handlers}

    def execute(self, command: Command, by: Acting, at: datetime) -> None:
        """Run one command as `by` at time `at`; raises when a rule refuses it."""
        method_name = self._handlers.get(type(command))
        if method_name is None:
            raise InvalidInput("command", f"a {self.kind} does not accept {command_name(type(command))!r}")
        getattr(self, method_name)(command, by, at)

    def apply(self, event: DomainEvent) -> None:
        """Change state by one event (no rule checks: the event already happened)."""
        self.when(event)
        self.version += 1

    def when(self, event: DomainEvent) -> None:
        """Subclasses change their state for each event type here."""
        raise NotImplementedError

    def _record(self, event: DomainEvent) -> None:
        self.apply(event)
        self._pending.append(event)

    def collect_events(self) -> list[DomainEvent]:
        """Hand over the events recorded since the last call (for the store to sign)."""
        events, self._pending = self._pending, []
        return events

    @property
    def base_version(self) -> int:
        """The version the record had before the pending events."""
        return self.version - len(self._pending)
