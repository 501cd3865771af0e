"""The registry of people, their keys and their roles, kept in the log itself.

Because registrations, rotations, retirements, compromises and role grants are
signed events in the same log, "which key was valid at position i" and "which
roles did this person hold when they decided" are answered from the log, and an
inspector can check them offline.

The registry is one stream (`REGISTRY_STREAM`). Its first event establishes the log
and names the log's own public key; it and the first administrator are signed by
the log key, everything after by an administrator.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from domain.kernel.aggregate import Aggregate
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Personal
from domain.kernel.roles import Role
from domain.kernel.text import check_text

REGISTRY_STREAM = "registry"
LOG_ACTOR = "log"


class LogEstablished(DomainEvent, frozen=True, kw_only=True, tag="registry.log-established"):
    origin: str
    log_key_id: str
    log_public_key: str  # base64 of the raw Ed25519 public key
    at: datetime


class LogMldsaKeyAdded(DomainEvent, frozen=True, kw_only=True, tag="registry.log-mldsa-key-added"):
    """The log signs its checkpoints with this ML-DSA-44 key too (c2sp.org/tlog-checkpoint), from here on."""

    key_id: str
    public_key: str  # base64 of the raw 1312-byte ML-DSA-44 public key
    at: datetime


class RegistryHeadMarked(DomainEvent, frozen=True, kw_only=True, tag="registry.head-marked"):
    """The log marks where its registry stands, as the last event of the tree a bundle is exported
    under: a bundle then proves that no registry event follows by proving this one the tree's last."""

    at: datetime


class ActorRegistered(DomainEvent, frozen=True, kw_only=True, tag="registry.actor-registered"):
    actor_id: str
    name: Personal
    roles: tuple[Role, ...]
    at: datetime


class KeyIssued(DomainEvent, frozen=True, kw_only=True, tag="registry.key-issued"):
    actor_id: str
    key_id: str
    public_key: str  # base64 of the raw Ed25519 public key
    at: datetime


class KeyRotated(DomainEvent, frozen=True, kw_only=True, tag="registry.key-rotated"):
    """The old key stops being valid and the new one starts, at the same position."""

    actor_id: str
    old_key_id: str
    key_id: str
    public_key: str
    at: datetime


class KeyRetired(DomainEvent, frozen=True, kw_only=True, tag="registry.key-retired"):
    """The key signs nothing more; what it signed before stays valid."""

    actor_id: str
    key_id: str
    reason: str
    at: datetime


class KeyCompromised(DomainEvent, frozen=True, kw_only=True, tag="registry.key-compromised"):
    """Nothing the key signed with a time at or after `compromised_from` is trusted."""

    actor_id: str
    key_id: str
    compromised_from: datetime
    reason: str
    at: datetime


class RoleGranted(DomainEvent, frozen=True, kw_only=True, tag="registry.role-granted"):
    actor_id: str
    role: Role
    at: datetime


class RoleWithdrawn(DomainEvent, frozen=True, kw_only=True, tag="registry.role-withdrawn"):
    actor_id: str
    role: Role
    at: datetime


class KeyState(msgspec.Struct, kw_only=True):
    key_id: str
    actor_id: str
    public_key: str
    active: bool = True
    compromised_from: datetime | None = None


class ActorState(msgspec.Struct, kw_only=True):
    actor_id: str
    roles: set[Role]
    key_id: str | None = None


class Registry(Aggregate):
    """People, keys and roles as they stand after the events applied so far."""

    kind = "registry"

    def __init__(self, reference: str = REGISTRY_STREAM) -> None:
        super().__init__(reference)
        self.origin: str | None = None
        self.log_key_id: str | None = None
        self.log_public_key: str | None = None
        self.log_mldsa_key: tuple[str, str] | None = None  # (key id, base64 public key)
        self.actors: dict[str, ActorState] = {}
        self.keys: dict[str, KeyState] = {}

    # -- commands ---------------------------------------------------------------

    def establish(self, *, origin: str, log_key_id: str, log_public_key: str, at: datetime) -> None:
        if self.origin is not None:
            raise RuleViolation("the log is already established", rule="registry", record=self.reference)
        if not origin or any(c.isspace() for c in origin) or "+" in origin:
            raise InvalidInput("origin", "must be a non-empty name without spaces or '+'")
        self._record(
            LogEstablished(origin=origin, log_key_id=log_key_id, log_public_key=log_public_key, at=at)
        )

    def add_log_mldsa_key(self, *, key_id: str, public_key: str, at: datetime) -> None:
        self._require_established()
        if self.log_mldsa_key is not None:
            raise RuleViolation(
                "the log already has an ML-DSA-44 key",
                rule="registry: one post-quantum log key",
                record=self.reference,
            )
        self._require_new_key(key_id)
        self._record(LogMldsaKeyAdded(key_id=key_id, public_key=public_key, at=at))

    def mark_head(self, *, at: datetime) -> None:
        self._require_established()
        self._record(RegistryHeadMarked(at=at))

    def register(
        self,
        *,
        actor_id: str,
        name: Personal,
        roles: tuple[Role, ...],
        at: datetime,
    ) -> None:
        self._require_established()
        _check_actor_id(actor_id)
        if actor_id in self.actors or actor_id == LOG_ACTOR:
            raise RuleViolation(
                f"actor {actor_id} is already registered",
                rule="registry: ids are unique",
                record=self.reference,
            )
        if name.kind is not ItemKind.NAME:
            raise InvalidInput("name", "must be a personal-data item of kind 'name'")
        if name.value is not None:
            check_text("name", name.value)
        self._record(ActorRegistered(actor_id=actor_id, name=name, roles=tuple(dict.fromkeys(roles)), at=at))

    def issue_key(self, *, actor_id: str, key_id: str, public_key: str, at: datetime) -> None:
        actor = self._actor(actor_id)
        if actor.key_id is not None:
            raise RuleViolation(
                f"actor {actor_id} already has an active key {actor.key_id}; rotate it instead",
                rule="registry: one active key per person",
                record=self.reference,
            )
        self._require_new_key(key_id)
        self._record(KeyIssued(actor_id=actor_id, key_id=key_id, public_key=public_key, at=at))

    def rotate_key(self, *, actor_id: str, key_id: str, public_key: str, at: datetime) -> None:
        actor = self._actor(actor_id)
        if actor.key_id is None:
            raise RuleViolation(
                f"actor {actor_id} has no active key to rotate", rule="registry", record=self.reference
            )
        self._require_new_key(key_id)
        self._record(
            KeyRotated(
                actor_id=actor_id, old_key_id=actor.key_id, key_id=key_id, public_key=public_key, at=at
            )
        )

    def retire_key(self, *, actor_id: str, reason: str, at: datetime) -> None:
        actor = self._actor(actor_id)
        if actor.key_id is None:
            raise RuleViolation(f"actor {actor_id} has no active key", rule="registry", record=self.reference)
        self._record(KeyRetired(actor_id=actor_id, key_id=actor.key_id, reason=reason, at=at))

    def mark_compromised(
        self, *, actor_id: str, key_id: str, compromised_from: datetime, reason: str, at: datetime
    ) -> None:
        self._actor(actor_id)
        key = self.keys.get(key_id)
        if key is None or key.actor_id != actor_id:
            raise RuleViolation(
                f"key {key_id} is not a key of actor {actor_id}", rule="registry", record=self.reference
            )
        if key.compromised_from is not None:
            raise RuleViolation(
                f"key {key_id} is already marked compromised", rule="registry", record=self.reference
            )
        self._record(
            KeyCompromised(
                actor_id=actor_id, key_id=key_id, compromised_from=compromised_from, reason=reason, at=at
            )
        )

    def grant_role(self, *, actor_id: str, role: Role, at: datetime) -> None:
        actor = self._actor(actor_id)
        if role in actor.roles:
            raise RuleViolation(
                f"actor {actor_id} already holds the role {role}", rule="registry", record=self.reference
            )
        self._record(RoleGranted(actor_id=actor_id, role=role, at=at))

    def withdraw_role(self, *, actor_id: str, role: Role, at: datetime) -> None:
        actor = self._actor(actor_id)
        if role not in actor.roles:
            raise RuleViolation(
                f"actor {actor_id} does not hold the role {role}", rule="registry", record=self.reference
            )
        self._record(RoleWithdrawn(actor_id=actor_id, role=role, at=at))

    # -- queries ----------------------------------------------------------------

    def roles_of(self, actor_id: str) -> frozenset[Role]:
        actor = self.actors.get(actor_id)
        return frozenset(actor.roles) if actor else frozenset()

    def active_key(self, actor_id: str) -> str | None:
        actor = self.actors.get(actor_id)
        return actor.key_id if actor else None

    # -- state changes ------------------------------------------------------------

    def when(self, event: DomainEvent) -> None:
        match event:
            case LogEstablished():
                self.origin = event.origin
                self.log_key_id = event.log_key_id
                self.log_public_key = event.log_public_key
            case LogMldsaKeyAdded():
                self.log_mldsa_key = (event.key_id, event.public_key)
            case RegistryHeadMarked():
                pass  # a mark of where the registry stands changes nothing in it
            case ActorRegistered():
                self.actors[event.actor_id] = ActorState(actor_id=event.actor_id, roles=set(event.roles))
            case KeyIssued():
                self.keys[event.key_id] = KeyState(
                    key_id=event.key_id, actor_id=event.actor_id, public_key=event.public_key
                )
                self.actors[event.actor_id].key_id = event.key_id
            case KeyRotated():
                self.keys[event.old_key_id].active = False
                self.keys[event.key_id] = KeyState(
                    key_id=event.key_id, actor_id=event.actor_id, public_key=event.public_key
                )
                self.actors[event.actor_id].key_id = event.key_id
            case KeyRetired():
                self.keys[event.key_id].active = False
                self.actors[event.actor_id].key_id = None
            case KeyCompromised():
                key = self.keys[event.key_id]
                key.compromised_from = event.compromised_from
                key.active = False
                if self.actors[event.actor_id].key_id == event.key_id:
                    self.actors[event.actor_id].key_id = None
            case RoleGranted():
                self.actors[event.actor_id].roles.add(event.role)
            case RoleWithdrawn():
                self.actors[event.actor_id].roles.discard(event.role)
            case _:
                raise TypeError(f"the registry has no event {type(event).__name__}")

    # -- helpers -------------------------------------------------------------------

    def _require_established(self) -> None:
        if self.origin is None:
            raise RuleViolation(
                "the log has not been established yet", rule="registry", record=self.reference
            )

    def _actor(self, actor_id: str) -> ActorState:
        self._require_established()
        actor = self.actors.get(actor_id)
        if actor is None:
            raise RuleViolation(f"no actor {actor_id} is registered", rule="registry", record=self.reference)
        return actor

    def _require_new_key(self, key_id: str) -> None:
        if key_id in self.keys or key_id == self.log_key_id:
            raise RuleViolation(f"key {key_id} is already registered", rule="registry", record=self.reference)


def _check_actor_id(actor_id: str) -> None:
    if not actor_id or len(actor_id) > 64 or not all(c.isalnum() or c in "-_." for c in actor_id):
        raise InvalidInput("actor_id", "must be 1-64 letters, digits, '-', '_' or '.'")
