"""Commands: what a person asks a record to do, as typed, validated values.

A command is a frozen msgspec Struct named in the imperative with a stable tag
(`tag="decide-to-proceed"`); the same type is decoded from the command line and the
HTTP API, so bad input is refused with the field and the rule before the domain runs
(text with hidden characters included).
An aggregate method marked `@handles(SomeCommand)` checks the procedure's rules and
records the events; `Aggregate.execute` finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from domain.kernel.text import check_all_text


class Command(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every command; each concrete one has `tag="verb-phrase"`.

    Built or decoded, a command checks every text it carries, nested forms included, against
    the one rule for text (domain/kernel/text.py): no control, bidirectional or zero-width characters.
    """

    def __post_init__(self) -> None:
        check_all_text(self, "")


C = TypeVar("C", bound=Command)
F = TypeVar("F", bound=Callable[..., None])

HANDLES_ATTRIBUTE = "__handles_command__"


def handles(command_type: type[Command]) -> Callable[[F], F]:
    """Mark an aggregate method as the handler of `command_type`."""

    def mark(method: F) -> F:
        setattr(method, HANDLES_ATTRIBUTE, command_type)
        return method

    return mark


def command_name(command_type: type[Command]) -> str:
    tag = command_type.__struct_config__.tag
    if not isinstance(tag, str):
        raise TypeError(f"{command_type.__qualname__} has no stable name (tag=...)")
    return tag


def find_handlers(cls: type[Any]) -> dict[type[Command], str]:
    """The command types an aggregate class handles, with the method names."""
    found: dict[type[Command], str] = {}
    for klass in reversed(cls.__mro__):
        for name, member in vars(klass).items():
            command_type = getattr(member, HANDLES_ATTRIBUTE, None)
            if command_type is not None:
                found[command_type] = name
    return found
