"""Full verification of a stored log: every signature, every chain link, the tree, every checkpoint.

The verifier reads the log through a small `LogSource` (so it runs the same over SQLite and
PostgreSQL) and never trusts derived data: it recomputes every leaf from the stored envelope
and signature, the tree from the leaves, and compares both with what the log signed. Every
problem becomes one `Failure` naming the position (1-based place in the global order), the
stream and version, and what is wrong; nothing stops at the first problem.

Which key may sign at a position comes from the registry events read so far, in order: a
key signs from its issue until it is rotated away or retired; a key marked compromised from
time T is not trusted for any event whose signed time is T or later.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from audit import merkle
from audit.envelope import NO_PREVIOUS, Envelope, entry_bytes, sha256
from audit.errors import VerificationError
from audit.note import Checkpoint, Verifier, verify_checkpoint
from audit.note import key_id as note_key_id
from audit.signing import key_id, verify_signature

REGISTRY_STREAM = "registry"
LOG_ACTOR = "log"
ADMINISTRATOR = "administrator"
DISPOSAL_TYPE = "record.personal-data-disposed"
CHECKPOINT_STREAM = "checkpoint"


@dataclass(frozen=True)
class EventRow:
    notification_id: int
    stream: str
    version: int
    topic: str
    record: tuple[bytes, bytes, bytes] | None  # (envelope, signature, payload); None if undecodable


@dataclass(frozen=True)
class LeafRow:
    position: int
    notification_id: int
    stream: str
    version: int
    leaf_hash: bytes


class LogSource(Protocol):
    def events(self) -> Iterator[EventRow]: ...  # in notification order
    def leaves(self) -> Iterator[LeafRow]: ...  # in position order
    def checkpoints(self) -> Iterator[tuple[int, str]]: ...  # (tree size, note) in size order
    def sealed_digests(self) -> Iterator[tuple[bytes, bytes]]: ...  # (stored digest, ciphertext)
    def registry_payloads(self) -> Iterator[tuple[str, bytes]]: ...  # (event type, payload) of the registry


@dataclass(frozen=True)
class Failure:
    position: int
    stream: str
    version: int
    problem: str


@dataclass
class Report:
    events: int = 0
    tree_size: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.failures

    def as_json(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "events": self.events,
            "tree_size": self.tree_size,
            "failures": [
                {"position": f.position, "stream": f.stream, "version": f.version, "problem": f.problem}
                for f in sorted(self.failures, key=lambda f: f.position)
            ],
        }


@dataclass
class _Key:
    actor: str
    public_key: bytes
    valid_from: int
    valid_until: int | None = None  # last position at which it may sign
    compromised_from: datetime | None = None


@dataclass
class _StreamHead:
    version: int
    envelope_hash: bytes
    ok: bool


class _Registry:
    """Keys and administrators as they stand at each position, rebuilt from registry payloads."""

    def __init__(self) -> None:
        self.origin: str | None = None
        self.log_public_key: bytes | None = None
        self.keys: dict[str, _Key] = {}
        self.roles: dict[str, set[str]] = {}

    def apply(self, event_type: str, data: dict[str, Any], position: int) -> None:
        kind = event_type.removeprefix("registry.")
        if kind == "log-established":
            self.origin = data["origin"]
            self.log_public_key = base64.b64decode(data["log_public_key"], validate=True)
        elif kind == "actor-registered":
            self.roles[data["actor_id"]] = set(data["roles"])
        elif kind == "key-issued":
            self.keys[data["key_id"]] = _Key(data["actor_id"], _b64key(data["public_key"]), position + 1)
        elif kind == "key-rotated":
            self.keys[data["old_key_id"]].valid_until = position
            self.keys[data["key_id"]] = _Key(data["actor_id"], _b64key(data["public_key"]), position + 1)
        elif kind == "key-retired":
            self.keys[data["key_id"]].valid_until = position
        elif kind == "key-compromised":
            self.keys[data["key_id"]].compromised_from = datetime.fromisoformat(data["compromised_from"])
            key = self.keys[data["key_id"]]
            if key.valid_until is None:
                key.valid_until = position
        elif kind == "role-granted":
            self.roles[data["actor_id"]].add(data["role"])
        elif kind == "role-withdrawn":
            self.roles[data["actor_id"]].discard(data["role"])


def _b64key(text: str) -> bytes:
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("public key is not 32 bytes")
    return raw


class LogVerifier:
    """Verify everything a `LogSource` holds; `run()` returns the report."""

    def __init__(
        self, source: LogSource, *, origin: str, log_public_key: bytes, external: Iterable[str] = ()
    ) -> None:
        self.source = source
        self.origin = origin
        self.log_public_key = log_public_key
        self.verifier = Verifier(
            name=origin, key_id=note_key_id(origin, log_public_key), public_key=log_public_key
        )
        self.external = list(external)
        self.report = Report()
        self.registry = _Registry()
        self.heads: dict[str, _StreamHead] = {}
        self.missing_sealed: dict[str, list[tuple[int, int]]] = {}
        self.disposed_streams: dict[str, int] = {}
        self.present_sealed: set[bytes] = set()
        self.frontier = merkle.CompactRange()
        self.roots: dict[int, bytes] = {0: merkle.EMPTY_ROOT}

    def fail(self, position: int, stream: str, version: int, problem: str) -> None:
        self.report.failures.append(Failure(position, stream, version, problem))

    def run(self) -> Report:
        self._check_vault()
        self._learn_compromises()
        checkpoint_sizes = self._wanted_root_sizes()
        leaves = self.source.leaves()
        next_leaf = next(leaves, None)
        unlogged = 0
        last_logged_position = 0
        for row in self.source.events():
            self.report.events += 1
            while next_leaf is not None and next_leaf.notification_id < row.notification_id:
                self._missing(next_leaf)
                last_logged_position = next_leaf.position
                next_leaf = next(leaves, None)
            if next_leaf is not None and next_leaf.notification_id == row.notification_id:
                position, stored_leaf = next_leaf.position, next_leaf.leaf_hash
                last_logged_position = position
                next_leaf = next(leaves, None)
            else:
                unlogged += 1
                position, stored_leaf = max(last_logged_position, self.frontier.size) + unlogged, None
            self._event(row, position, stored_leaf, checkpoint_sizes)
        while next_leaf is not None:
            self._missing(next_leaf)
            next_leaf = next(leaves, None)
        self._finish_sealed()
        self._check_checkpoints()
        self.report.failures.sort(key=lambda f: f.position)
        return self.report

    # -- one event ---------------------------------------------------------------------

    def _event(self, row: EventRow, position: int, stored_leaf: bytes | None, sizes: set[int]) -> None:
        problem_count = len(self.report.failures)
        computed_leaf = self._check_event(row, position)
        if stored_leaf is None:
            if len(self.report.failures) == problem_count:
                self.fail(position, row.stream, row.version, "event is not covered by any signed checkpoint")
            return
        if computed_leaf != stored_leaf and len(self.report.failures) == problem_count:
            self.fail(position, row.stream, row.version, "event differs from the one logged at this position")
        # The tree is rebuilt from the logged leaves: each event is held to its leaf above, and the
        # leaves to the signed checkpoints below, so one altered event is reported once, where it is.
        self._add_leaf(stored_leaf, sizes)

    def _add_leaf(self, leaf: bytes, sizes: set[int]) -> None:
        self.frontier.append(leaf)
        if self.frontier.size in sizes:
            self.roots[self.frontier.size] = self.frontier.root()
        self.report.tree_size = self.frontier.size

    def _missing(self, leaf: LeafRow) -> None:
        self.fail(
            leaf.position,
            leaf.stream,
            leaf.version,
            "event logged at this position is missing from the store",
        )
        self._add_leaf(leaf.leaf_hash, self._root_sizes)

    def _check_event(self, row: EventRow, position: int) -> bytes | None:
        where = (position, row.stream, row.version)
        if row.record is None:
            self.fail(*where, "stored record cannot be read")
            self._break_chain(row.stream, row.version)
            return None
        envelope_bytes, signature, payload = row.record
        leaf = merkle.leaf_hash(entry_bytes(envelope_bytes, signature))
        try:
            envelope = Envelope.parse(envelope_bytes)
        except VerificationError as error:
            self.fail(*where, str(error))
            self._break_chain(row.stream, row.version)
            return leaf
        ok = True
        if (envelope.stream, envelope.version) != (row.stream, row.version):
            self.fail(
                *where,
                f"envelope names {envelope.stream} version {envelope.version} "
                f"but it is stored as {row.stream} version {row.version}",
            )
            self._break_chain(row.stream, row.version)
            return leaf
        if envelope.type != row.topic:
            self.fail(*where, f"stored type {row.topic} differs from the signed type {envelope.type}")
            ok = False
        if envelope.origin != self.origin:
            self.fail(*where, f"envelope names another log ({envelope.origin})")
            ok = False
        if sha256(payload) != envelope.payload:
            self.fail(*where, "payload does not match its signed digest")
            ok = False
        key_problem = self._key_problem(envelope, position)
        if key_problem is not None:
            self.fail(*where, key_problem)
            ok = False
        else:
            public = self._public_key(envelope)
            try:
                verify_signature(public, signature, envelope_bytes)
            except VerificationError as error:
                self.fail(*where, str(error))
                ok = False
        self._check_chain(envelope, envelope_bytes, position, ok)
        if envelope.sealed is not None and envelope.sealed not in self.present_sealed:
            self.missing_sealed.setdefault(envelope.stream, []).append((position, envelope.version))
        if ok and envelope.type == DISPOSAL_TYPE:
            self.disposed_streams[envelope.stream] = envelope.version  # the latest disposal
        if ok and envelope.stream == REGISTRY_STREAM:
            self._registry_event(envelope, payload, position)
        return leaf

    def _public_key(self, envelope: Envelope) -> bytes:
        if envelope.actor == LOG_ACTOR:
            return self.log_public_key
        return self.registry.keys[envelope.key].public_key

    def _key_problem(self, envelope: Envelope, position: int) -> str | None:
        if envelope.actor == LOG_ACTOR:
            if envelope.stream != REGISTRY_STREAM:
                return "the log key signed an event outside the registry"
            if envelope.key != key_id(self.log_public_key):
                return f"signed as the log with key {envelope.key}, which is not the log's key"
            return None
        key = self.registry.keys.get(envelope.key)
        if key is None:
            return f"signed by key {envelope.key}, which is not registered"
        if key.actor != envelope.actor:
            return f"signed with key {envelope.key}, which belongs to {key.actor}, not to {envelope.actor}"
        if position < key.valid_from or (key.valid_until is not None and position > key.valid_until):
            return f"key {envelope.key} was not valid at this position"
        compromised_from = key.compromised_from or self.compromises.get(envelope.key)
        if compromised_from is not None and envelope.time >= compromised_from:
            return f"key {envelope.key} is compromised from {compromised_from.isoformat()}"
        return None

    def _check_chain(self, envelope: Envelope, envelope_bytes: bytes, position: int, ok: bool) -> None:
        head = self.heads.get(envelope.stream)
        expected = (head.version if head else 0) + 1
        where = (position, envelope.stream, envelope.version)
        if envelope.version != expected:
            if envelope.version < expected:
                self.fail(*where, f"version {envelope.version} comes again after version {expected - 1}")
            else:
                self.fail(
                    *where, f"version {envelope.version} follows version {expected - 1}: a version is missing"
                )
            ok = False
        elif head is None and envelope.previous != NO_PREVIOUS:
            self.fail(*where, "first version of the stream names a previous envelope")
            ok = False
        elif head is not None and head.ok and envelope.previous != head.envelope_hash:
            self.fail(*where, f"previous-envelope hash does not match version {head.version}")
            ok = False
        self.heads[envelope.stream] = _StreamHead(envelope.version, sha256(envelope_bytes), ok)

    def _break_chain(self, stream: str, version: int) -> None:
        self.heads[stream] = _StreamHead(version, b"", False)

    def _registry_event(self, envelope: Envelope, payload: bytes, position: int) -> None:
        where = (position, envelope.stream, envelope.version)
        is_admin = ADMINISTRATOR in self.registry.roles.get(envelope.actor, set())
        if envelope.actor != LOG_ACTOR and not is_admin:
            self.fail(*where, f"registry changed by {envelope.actor}, who is not an administrator")
            return
        if envelope.version == 1 and envelope.type != "registry.log-established":
            self.fail(*where, "the registry does not begin by establishing the log")
            return
        try:
            data = json.loads(payload)
            self.registry.apply(envelope.type, data, position)
        except (ValueError, KeyError, TypeError) as error:
            self.fail(*where, f"registry event cannot be applied: {type(error).__name__}")
            return
        if (
            envelope.type == "registry.log-established"
            and self.registry.log_public_key != self.log_public_key
        ):
            self.fail(*where, "the log was established with a different log key")

    def _learn_compromises(self) -> None:
        # A compromise is reported after the fact: every event signed at or after the compromise
        # time is distrusted, including those stored before the report (DESIGN.md "Keys").
        self.compromises: dict[str, datetime] = {}
        for event_type, payload in self.source.registry_payloads():
            if event_type == "registry.key-compromised":
                try:
                    data = json.loads(payload)
                    self.compromises[data["key_id"]] = datetime.fromisoformat(data["compromised_from"])
                except (ValueError, KeyError, TypeError):
                    continue  # the event itself is reported when the main pass reaches it

    # -- the sealed vault ----------------------------------------------------------------

    def _check_vault(self) -> None:
        for stored_digest, ciphertext in self.source.sealed_digests():
            if hashlib.sha256(ciphertext).digest() != stored_digest:
                self.fail(0, "vault", 0, "a sealed ciphertext does not match its digest")
            else:
                self.present_sealed.add(stored_digest)

    def _finish_sealed(self) -> None:
        for stream, entries in self.missing_sealed.items():
            disposed_at = self.disposed_streams.get(stream)
            for position, version in entries:
                if disposed_at is None or disposed_at < version:
                    self.fail(
                        position,
                        stream,
                        version,
                        "sealed personal data is missing and no disposal is recorded",
                    )

    # -- checkpoints -----------------------------------------------------------------------

    def _wanted_root_sizes(self) -> set[int]:
        self._stored: list[tuple[int, str]] = list(self.source.checkpoints())
        self._external: list[tuple[Checkpoint | None, str]] = []
        sizes = {size for size, _ in self._stored}
        for note in self.external:
            try:
                checkpoint = verify_checkpoint(note, self.verifier, origin=self.origin)
            except VerificationError as error:
                self._external.append((None, str(error)))
                continue
            self._external.append((checkpoint, ""))
            sizes.add(checkpoint.size)
        self._root_sizes = sizes
        return sizes

    def _check_checkpoints(self) -> None:
        size = self.frontier.size
        latest = 0
        for stored_size, note in self._stored:
            latest = max(latest, stored_size)  # a bad checkpoint is reported as such, not as a gap
            try:
                checkpoint = verify_checkpoint(note, self.verifier, origin=self.origin)
            except VerificationError as error:
                self.fail(stored_size, CHECKPOINT_STREAM, stored_size, f"stored checkpoint: {error}")
                continue
            if checkpoint.size != stored_size:
                self.fail(
                    stored_size,
                    CHECKPOINT_STREAM,
                    stored_size,
                    "stored checkpoint is filed under another size",
                )
                continue
            self._compare(checkpoint, "stored checkpoint")
        if latest < size:
            self.fail(
                latest + 1,
                CHECKPOINT_STREAM,
                latest,
                f"no signed checkpoint covers events {latest + 1} to {size}",
            )
        for held, problem in self._external:
            if held is None:
                self.fail(0, CHECKPOINT_STREAM, 0, f"checkpoint held outside: {problem}")
            else:
                self._compare(held, "checkpoint held outside")

    def _compare(self, checkpoint: Checkpoint, what: str) -> None:
        size = self.frontier.size
        if checkpoint.size > size:
            self.fail(
                size + 1,
                CHECKPOINT_STREAM,
                checkpoint.size,
                f"the log ends at {size} events but the {what} covers {checkpoint.size}: "
                f"events {size + 1} to {checkpoint.size} are missing",
            )
            return
        if self.roots.get(checkpoint.size) != checkpoint.root:
            self.fail(
                checkpoint.size,
                CHECKPOINT_STREAM,
                checkpoint.size,
                f"the {what} for {checkpoint.size} events does not match the log's tree at that size",
            )
