"""Who handles an information-governance request: the officer who opened it, until others are assigned.

An IG officer reads the records in a request's scope only while handling it (DOMAIN.md §1.1).
The request file's own events say who that is: the officer who recorded its receipt; from an
assignment on, the officers that assignment names (the request passed on while someone is away,
a second officer added for a serious-harm confirmation or a review). An assignment is a signed
step of the file like any other, so "who was handling it then?" is answered from the log.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput

RULE_HANDLING = "DOMAIN.md §1.1: a request's records are read by the officers handling it"


class AssignOfficers(Command, frozen=True, kw_only=True, tag="assign-officers"):
    """Name the IG officers handling the request from now on (each an actor id), and why."""

    officers: tuple[str, ...]
    reason: str


def check_officers(officers: Iterable[str]) -> tuple[str, ...]:
    """At least one officer, each named once, each a non-empty actor id."""
    named = tuple(o.strip() for o in officers)
    if not named or any(not o for o in named):
        raise InvalidInput("officers", "name at least one IG officer handling the request, by actor id")
    if len(set(named)) != len(named):
        raise InvalidInput("officers", "name each officer once")
    return named
