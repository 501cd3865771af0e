"""Which key may sign at each position of the log: the registry as the log verifier replays it.

`RegistryChecks` is the part of `audit.verifier.LogVerifier` that reads the registry: ahead of the
main pass, every issued key's bytes and every accepted compromise (so that signatures can be
checked in batches, and a key reported compromised later is distrusted from its compromise time);
in the main pass, whether an event's key may sign for its actor at its position, and whether a
registry event was recorded by someone who may change the registry.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Protocol

from audit.envelope import Envelope
from audit.errors import VerificationError
from audit.registry_replay import LOG_MLDSA_KEY_ADDED, REGISTRY_HEAD_MARKED, RegistryProblem, RegistryReplay
from audit.signing import key_id

REGISTRY_STREAM = "registry"
LOG_ACTOR = "log"
ADMINISTRATOR = "administrator"


def _b64key(text: str) -> bytes:
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("public key is not 32 bytes")
    return raw


class RegistrySource(Protocol):
    def registry_payloads(self) -> Iterator[tuple[str, bytes]]: ...  # (event type, payload) of the registry


class RegistryChecks:
    """The registry's part of the log verifier (audit/verifier.py)."""

    origin: str
    log_public_key: bytes
    source: RegistrySource
    registry: RegistryReplay
    fail: Callable[[int, str, int, str], None]

    def _public_key(self, envelope: Envelope) -> bytes:
        if envelope.actor == LOG_ACTOR:
            return self.log_public_key
        return self.registry.keys[envelope.key].public_key

    def _check_key(self, envelope: Envelope, position: int) -> None:
        """Raise VerificationError unless the envelope's key may sign for its actor at `position`."""

        def refuse(problem: str) -> VerificationError:
            return VerificationError(problem, position=position)

        if envelope.actor == LOG_ACTOR:
            if envelope.stream != REGISTRY_STREAM:
                raise refuse("the log key signed an event outside the registry")
            if envelope.key != key_id(self.log_public_key):
                raise refuse(f"signed as the log with key {envelope.key}, which is not the log's key")
            return
        key = self.registry.keys.get(envelope.key)
        if key is None:
            raise refuse(f"signed by key {envelope.key}, which is not registered")
        if key.actor != envelope.actor:
            raise refuse(
                f"signed with key {envelope.key}, which belongs to {key.actor}, not to {envelope.actor}"
            )
        if position < key.valid_from or (key.valid_until is not None and position > key.valid_until):
            raise refuse(f"key {envelope.key} was not valid at this position")
        compromised_from = key.compromised_from or self.compromises.get(envelope.key)
        if compromised_from is not None and envelope.time >= compromised_from:
            raise refuse(f"key {envelope.key} is compromised from {compromised_from.isoformat()}")

    def _registry_event(self, envelope: Envelope, payload: bytes, position: int) -> None:
        where = (position, envelope.stream, envelope.version)
        is_admin = ADMINISTRATOR in self.registry.roles.get(envelope.actor, set())
        if envelope.actor != LOG_ACTOR and not is_admin:
            self.fail(*where, f"registry changed by {envelope.actor}, who is not an administrator")
            return
        if envelope.type == LOG_MLDSA_KEY_ADDED and envelope.actor != LOG_ACTOR:
            self.fail(*where, f"the log's ML-DSA-44 key is named by the log itself, not by {envelope.actor}")
            return
        if envelope.type == REGISTRY_HEAD_MARKED and envelope.actor != LOG_ACTOR:
            self.fail(*where, f"the registry's head is marked by the log itself, not by {envelope.actor}")
            return
        try:
            self.registry.apply(envelope.type, payload, position)
        except RegistryProblem as problem:
            self.fail(*where, str(problem))

    def _learn_registry(self) -> None:
        # A compromise is reported after the fact: every event signed at or after the compromise
        # time is distrusted, including those stored before the report (DESIGN.md "Keys"). Only
        # a compromise the registry's rules accept counts (one naming another actor's key does
        # not). The keys' bytes are read ahead too, so that signatures can be checked in batches.
        self.compromises: dict[str, datetime] = {}
        self.issued_keys: dict[str, bytes] = {}
        self.log_mldsa_key: bytes | None = None
        ahead = RegistryReplay(origin=self.origin, log_public_key=self.log_public_key)
        for version, (event_type, payload) in enumerate(self.source.registry_payloads(), start=1):
            try:
                data = json.loads(payload)
                if event_type in ("registry.key-issued", "registry.key-rotated"):
                    self.issued_keys.setdefault(data["key_id"], _b64key(data["public_key"]))
                ahead.apply(event_type, payload, version)
            except (ValueError, KeyError, TypeError, RegistryProblem):
                continue  # the event itself is reported when the main pass reaches it
            if event_type == LOG_MLDSA_KEY_ADDED:
                self.log_mldsa_key = ahead.log_mldsa_key
            if event_type == "registry.key-compromised":
                marked = ahead.keys[data["key_id"]].compromised_from
                if marked is not None:
                    self.compromises[data["key_id"]] = marked
