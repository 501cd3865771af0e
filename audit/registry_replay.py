"""The registry of people and keys, replayed from its signed events in log order, strictly.

The store's verifier (audit/verifier.py) replays the registry with this; the inspector's
verifier (reviewledger_verify/registry.py) replays it with code of its own by the same rules,
and the same negative cases are run against both (tests/integration/test_verifier_parity.py).
Every rule broken becomes one `RegistryProblem` whose message is the same in both; an event
that breaks one changes nothing.

The rules: the registry begins with the log's establishment (its origin, its key, the id of
that key) and is established once; every other event names a registered actor (registered
once, never as the log); a key issued, or issued by rotation, has the id of its 32-byte public
key, is registered once, and goes to an actor without an active key; a key rotated away or
retired is the actor's active key; a key marked compromised is one of the actor's keys, and
from the time given it is trusted for nothing; the log's ML-DSA-44 key is named once, by the log,
under the id of its 1312-byte key; every payload is a JSON object naming the type its envelope
signs.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from audit.cosignature import MLDSA44_PUBLIC_KEY_SIZE, log_mldsa_key_id
from audit.errors import AuditError
from audit.signing import PUBLIC_KEY_SIZE, key_id

LOG_ACTOR = "log"
LOG_ESTABLISHED = "registry.log-established"
LOG_MLDSA_KEY_ADDED = "registry.log-mldsa-key-added"
REGISTRY_HEAD_MARKED = "registry.head-marked"


class RegistryProblem(AuditError):
    """One rule of the registry broken by one event (the message names which)."""


@dataclass
class RegisteredKey:
    actor: str
    public_key: bytes
    valid_from: int  # first position at which it may sign
    valid_until: int | None = None  # last position at which it may sign
    compromised_from: datetime | None = None


@dataclass
class RegistryReplay:
    """Keys, roles and active keys as they stand after each registry event applied."""

    origin: str
    log_public_key: bytes
    established: bool = False
    keys: dict[str, RegisteredKey] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)
    active: dict[str, str | None] = field(default_factory=dict)
    log_mldsa_key: bytes | None = None
    log_mldsa_from: int | None = None  # the position at which the registry named it

    def apply(self, event_type: str, payload: bytes, position: int) -> None:
        """Apply one signed registry event logged at `position`; RegistryProblem if it breaks a rule."""
        event = _payload(payload, event_type)
        if not self.established:
            self._establish(event_type, event)
            return
        if event_type == LOG_ESTABLISHED:
            raise RegistryProblem("the log is established a second time")
        if event_type == LOG_MLDSA_KEY_ADDED:
            self._add_log_mldsa_key(event)
            self.log_mldsa_from = position
            return
        if event_type == REGISTRY_HEAD_MARKED:
            return  # where the registry stands, marked for a bundle: it changes nothing
        actor = _string(event, "actor_id")
        if event_type == "registry.actor-registered":
            roles = event.get("roles")
            if actor in self.roles or actor == LOG_ACTOR:
                raise RegistryProblem(f"actor {actor} is registered a second time")
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                raise RegistryProblem("actor-registered event has no list of roles")
            self.roles[actor], self.active[actor] = set(roles), None
            return
        if actor not in self.roles:
            raise RegistryProblem(f"{event_type} names {actor}, who is not registered")
        if event_type == "registry.role-granted":
            self.roles[actor].add(_string(event, "role"))
        elif event_type == "registry.role-withdrawn":
            self.roles[actor].discard(_string(event, "role"))
        elif event_type == "registry.key-issued":
            if self.active[actor] is not None:
                raise RegistryProblem(f"a key is issued to {actor}, who already has an active key")
            self._add_key(actor, event, position)
        elif event_type == "registry.key-rotated":
            old = _string(event, "old_key_id")
            if self.active[actor] != old:
                raise RegistryProblem(f"key {old} rotated away is not the active key of {actor}")
            self._add_key(actor, event, position)  # checked before the old key is ended
            self._end(old, position)
        elif event_type == "registry.key-retired":
            retired = _string(event, "key_id")
            if self.active[actor] != retired:
                raise RegistryProblem(f"key {retired} retired is not the active key of {actor}")
            self._end(retired, position)
            self.active[actor] = None
        elif event_type == "registry.key-compromised":
            self._compromise(actor, event, position)
        else:
            raise RegistryProblem(f"registry event type {event_type} is not known to this verifier")

    def _establish(self, event_type: str, event: dict[str, Any]) -> None:
        if event_type != LOG_ESTABLISHED:
            raise RegistryProblem(f"the registry's first event is {event_type}, not {LOG_ESTABLISHED}")
        if _string(event, "origin") != self.origin:
            raise RegistryProblem("the log-established event names another origin than the log's")
        named = _public_key(_string(event, "log_public_key"), "log_public_key")
        if named != self.log_public_key:
            raise RegistryProblem("the log-established event names a log key other than the log's")
        stated = _string(event, "log_key_id")
        if stated != key_id(named):
            raise RegistryProblem(f"the log-established event's key id {stated} is not the id of its key")
        self.established = True

    def _add_log_mldsa_key(self, event: dict[str, Any]) -> None:
        stated = _string(event, "key_id")
        public_key = _public_key(
            _string(event, "public_key"), "the log's ML-DSA-44 key", MLDSA44_PUBLIC_KEY_SIZE
        )
        if stated != log_mldsa_key_id(public_key):
            raise RegistryProblem(f"the log's ML-DSA-44 key id {stated} is not the id of its key")
        if self.log_mldsa_key is not None:
            raise RegistryProblem("the log's ML-DSA-44 key is added a second time")
        self.log_mldsa_key = public_key

    def _add_key(self, actor: str, event: dict[str, Any], position: int) -> None:
        new = _string(event, "key_id")
        public_key = _public_key(_string(event, "public_key"), "registered public key")
        if new != key_id(public_key):
            raise RegistryProblem(f"registered key id {new} is not the id of its public key")
        if new in self.keys or new == key_id(self.log_public_key):
            raise RegistryProblem(f"key {new} is registered a second time")
        self.keys[new] = RegisteredKey(actor, public_key, position + 1)
        self.active[actor] = new

    def _compromise(self, actor: str, event: dict[str, Any], position: int) -> None:
        marked = _string(event, "key_id")
        key = self.keys.get(marked)
        if key is None or key.actor != actor:
            raise RegistryProblem(f"key {marked} marked compromised is not a key of {actor}")
        key.compromised_from = registry_time(_string(event, "compromised_from"))
        self._end(marked, position)
        if self.active[actor] == marked:
            self.active[actor] = None

    def _end(self, ended: str, position: int) -> None:
        key = self.keys[ended]
        if key.valid_until is None:
            key.valid_until = position


def _payload(payload: bytes, event_type: str) -> dict[str, Any]:
    try:
        event = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RegistryProblem("registry event payload is not JSON") from None
    if not isinstance(event, dict):
        raise RegistryProblem("registry event payload is not a JSON object")
    if event.get("type") != event_type:
        raise RegistryProblem(f"registry event payload type is not the envelope's {event_type}")
    return event


def _string(event: dict[str, Any], name: str) -> str:
    value = event.get(name)
    if not isinstance(value, str) or not value:
        raise RegistryProblem(f"registry event field {name} is missing or not a string")
    return value


def _public_key(text: str, what: str, size: int = PUBLIC_KEY_SIZE) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise RegistryProblem(f"{what} is not valid base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise RegistryProblem(f"{what} is not canonical base64")
    if len(raw) != size:
        raise RegistryProblem(f"{what} is {len(raw)} bytes, not {size}")
    return raw


def registry_time(text: str) -> datetime:
    """An RFC 3339 time with its zone, as the registry records them."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RegistryProblem(f"registry time {text!r} is not an RFC 3339 time") from None
    if moment.tzinfo is None:
        raise RegistryProblem(f"registry time {text!r} has no time zone")
    return moment
