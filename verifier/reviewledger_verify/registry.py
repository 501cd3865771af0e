"""People, keys and roles, replayed from the registry events in log order."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from reviewledger_verify.envelope import KEY_ID_BYTES, KEY_ID_CONTEXT, Envelope, reviewledger_key_id
from reviewledger_verify.failure import Failure, sha256, strict_b64decode
from reviewledger_verify.notes import ED25519_PUBLIC_KEY_SIZE, LogKey, verify_ed25519

REGISTRY_STREAM = "registry"
LOG_ACTOR = "log"
ADMINISTRATOR_ROLE = "administrator"
LOG_MLDSA_KEY_ADDED = "registry.log-mldsa-key-added"
REGISTRY_HEAD_MARKED = "registry.head-marked"
LOG_MLDSA_KEY_ID_PREFIX = "mldsa44-"
# FIPS 204 Table 2: an ML-DSA-44 public key is 1312 bytes.
MLDSA44_PUBLIC_KEY_SIZE = 1312


@dataclass
class _Key:
    actor: str
    public_key: bytes
    issued_at: int
    ended: str | None = None  # how and at which position it stopped signing
    compromised_from: datetime | None = None
    compromised_at: int | None = None


@dataclass
class KeyRegistry:
    """People, keys and roles, replayed from the registry events in log order (domain/registry.py)."""

    log_key: LogKey
    origin: str
    log_key_id: str | None = None
    keys: dict[str, _Key] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)
    active: dict[str, str | None] = field(default_factory=dict)
    log_mldsa_key: bytes | None = None

    def establish(
        self, position: int, envelope: Envelope, signature: bytes, raw: bytes, payload: bytes
    ) -> None:
        """The log's first registry event must name --log-key and be signed by it."""
        event = _registry_payload(payload, envelope, position)
        if envelope.type != "registry.log-established":
            raise Failure(
                f"the registry's first event is {envelope.type}, not registry.log-established", position
            )
        if _string(event, "origin", position) != self.origin:
            raise Failure("the log-established event names another origin than the checkpoint", position)
        named = strict_b64decode(_string(event, "log_public_key", position), "log_public_key", position)
        if named != self.log_key.public_key:
            raise Failure("the log-established event names a log key other than --log-key", position)
        key_id = _string(event, "log_key_id", position)
        if key_id != reviewledger_key_id(named):
            raise Failure(f"the log-established event's key id {key_id} is not the id of its key", position)
        if envelope.actor != LOG_ACTOR or envelope.key != key_id:
            raise Failure("the log-established event is not signed by the log's own key", position)
        if not verify_ed25519(named, signature, raw):
            raise Failure("signature of the log-established event does not verify under --log-key", position)
        self.log_key_id = key_id

    def check_signer(self, position: int, envelope: Envelope, signature: bytes, raw: bytes) -> str | None:
        """Check the event's signer may sign it here; return the person's key id (None for the log key)."""
        if self.log_key_id is None:
            raise Failure(
                "no key is known here: the log-established event comes later, is missing or did not verify",
                position,
            )
        if envelope.actor == LOG_ACTOR:
            if envelope.stream != REGISTRY_STREAM:
                raise Failure("the log's key signs only registry events", position)
            if envelope.key != self.log_key_id:
                raise Failure(f"key {envelope.key} is not the log's key", position)
            if not verify_ed25519(self.log_key.public_key, signature, raw):
                raise Failure("signature does not verify under the log's key", position)
            return None
        key = self.keys.get(envelope.key)
        if key is None:
            raise Failure(f"key {envelope.key} is not registered at this position", position)
        if key.actor != envelope.actor:
            raise Failure(f"key {envelope.key} belongs to {key.actor}, not to {envelope.actor}", position)
        if key.ended is not None:
            raise Failure(
                f"key {envelope.key} of {key.actor} was {key.ended} and signs nothing after", position
            )
        if envelope.stream == REGISTRY_STREAM and ADMINISTRATOR_ROLE not in self.roles.get(
            envelope.actor, set()
        ):
            raise Failure(
                f"registry events are signed by the log or an administrator; {envelope.actor} is not one here",
                position,
            )
        if not verify_ed25519(key.public_key, signature, raw):
            raise Failure(f"signature does not verify under key {envelope.key} of {envelope.actor}", position)
        return envelope.key

    def apply(self, position: int, envelope: Envelope, payload: bytes) -> None:
        """Change the registry by one verified registry event."""
        event = _registry_payload(payload, envelope, position)
        kind = envelope.type
        if kind == "registry.log-established":
            raise Failure("the log is established a second time", position)
        if kind == LOG_MLDSA_KEY_ADDED:
            self._add_log_mldsa_key(position, envelope, event)
            return
        if kind == REGISTRY_HEAD_MARKED:
            if envelope.actor != LOG_ACTOR:
                raise Failure(
                    f"the registry's head is marked by the log itself, not by {envelope.actor}", position
                )
            return  # where the registry stands, marked as the tree's last event: it changes nothing
        actor = _string(event, "actor_id", position)
        if kind == "registry.actor-registered":
            roles = event.get("roles")
            if actor in self.roles or actor == LOG_ACTOR:
                raise Failure(f"actor {actor} is registered a second time", position)
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                raise Failure("actor-registered event has no list of roles", position)
            self.roles[actor], self.active[actor] = set(roles), None
            return
        if actor not in self.roles:
            raise Failure(f"{kind} names {actor}, who is not registered", position)
        if kind == "registry.role-granted":
            self.roles[actor].add(_string(event, "role", position))
        elif kind == "registry.role-withdrawn":
            self.roles[actor].discard(_string(event, "role", position))
        elif kind == "registry.key-issued":
            if self.active[actor] is not None:
                raise Failure(f"a key is issued to {actor}, who already has an active key", position)
            self._add_key(position, actor, event)
        elif kind == "registry.key-rotated":
            old = _string(event, "old_key_id", position)
            if self.active[actor] != old:
                raise Failure(f"key {old} rotated away is not the active key of {actor}", position)
            self._add_key(position, actor, event)  # checked before the old key is ended
            self._end(old, f"rotated away at position {position}")
        elif kind == "registry.key-retired":
            key_id = _string(event, "key_id", position)
            if self.active[actor] != key_id:
                raise Failure(f"key {key_id} retired is not the active key of {actor}", position)
            self._end(key_id, f"retired at position {position}")
            self.active[actor] = None
        elif kind == "registry.key-compromised":
            key_id = _string(event, "key_id", position)
            key = self.keys.get(key_id)
            if key is None or key.actor != actor:
                raise Failure(f"key {key_id} marked compromised is not a key of {actor}", position)
            key.compromised_from = _timestamp(_string(event, "compromised_from", position), position)
            key.compromised_at = position
            self._end(key_id, f"marked compromised at position {position}")
            if self.active[actor] == key_id:
                self.active[actor] = None
        else:
            raise Failure(f"registry event type {kind} is not known to this verifier", position)

    def _add_key(self, position: int, actor: str, event: dict[str, object]) -> None:
        key_id = _string(event, "key_id", position)
        public_key = strict_b64decode(
            _string(event, "public_key", position), "registered public key", position
        )
        if len(public_key) != ED25519_PUBLIC_KEY_SIZE:
            raise Failure(f"registered public key is {len(public_key)} bytes, not 32", position)
        if key_id != reviewledger_key_id(public_key):
            raise Failure(f"registered key id {key_id} is not the id of its public key", position)
        if key_id in self.keys or key_id == self.log_key_id:
            raise Failure(f"key {key_id} is registered a second time", position)
        self.keys[key_id] = _Key(actor=actor, public_key=public_key, issued_at=position)
        self.active[actor] = key_id

    def _add_log_mldsa_key(self, position: int, envelope: Envelope, event: dict[str, object]) -> None:
        if envelope.actor != LOG_ACTOR:
            raise Failure(
                f"the log's ML-DSA-44 key is named by the log itself, not by {envelope.actor}", position
            )
        key_id = _string(event, "key_id", position)
        public_key = strict_b64decode(
            _string(event, "public_key", position), "the log's ML-DSA-44 key", position
        )
        if len(public_key) != MLDSA44_PUBLIC_KEY_SIZE:
            raise Failure(
                f"the log's ML-DSA-44 key is {len(public_key)} bytes, not {MLDSA44_PUBLIC_KEY_SIZE}", position
            )
        if key_id != LOG_MLDSA_KEY_ID_PREFIX + sha256(KEY_ID_CONTEXT + public_key)[:KEY_ID_BYTES].hex():
            raise Failure(f"the log's ML-DSA-44 key id {key_id} is not the id of its key", position)
        if self.log_mldsa_key is not None:
            raise Failure("the log's ML-DSA-44 key is added a second time", position)
        self.log_mldsa_key = public_key

    def _end(self, key_id: str, how: str) -> None:
        key = self.keys[key_id]
        if key.ended is None:
            key.ended = how


def _registry_payload(payload: bytes, envelope: Envelope, position: int) -> dict[str, object]:
    try:
        event = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Failure("registry event payload is not JSON", position) from None
    if not isinstance(event, dict):
        raise Failure("registry event payload is not a JSON object", position)
    if event.get("type") != envelope.type:
        raise Failure(f"registry event payload type is not the envelope's {envelope.type}", position)
    return event


def _string(event: dict[str, object], name: str, position: int) -> str:
    value = event.get(name)
    if not isinstance(value, str) or not value:
        raise Failure(f"registry event field {name} is missing or not a string", position)
    return value


def _timestamp(text: str, position: int) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Failure(f"registry time {text!r} is not an RFC 3339 time", position) from None
    if moment.tzinfo is None:
        raise Failure(f"registry time {text!r} has no time zone", position)
    return moment
