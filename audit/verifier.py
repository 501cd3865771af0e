"""Full verification of a stored log: every signature, every chain link, the tree, every checkpoint.

The verifier reads the log through a small `LogSource` (so it runs the same over SQLite and
PostgreSQL) and never trusts derived data: it recomputes every leaf from the stored envelope
and signature, the tree from the leaves, and compares both with what the log signed. Every
problem becomes one `Failure` naming the position (1-based place in the global order), the
stream and version, and what is wrong; nothing stops at the first problem.

Which key may sign at a position comes from the registry events read so far, in order: a
key signs from its issue until it is rotated away or retired; a key marked compromised from
time T is not trusted for any event whose signed time is T or later. The registry is replayed
by audit/registry_replay.py, as strictly as the inspector's verifier replays it; what reads it
(keys, compromises, who may change the registry) is audit/registry_checks.py.

Events are read in batches. Checking an Ed25519 signature is the costly step and does not
depend on the order, so each batch's signatures (and each batch of checkpoints) go through
`map_batches`, which may run them in other processes (adapters/store/verification.py gives it a
process pool for large logs) while this process reads ahead; everything that depends on the
order (chain links, keys at each position, the tree) stays here, one event after another.
Memory stays bounded: nothing is kept per event, only per stream and per batch.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple, Protocol, TypeVar

from audit import cosignature, document_presence, merkle
from audit.envelope import NO_PREVIOUS, Envelope, entry_bytes, sha256
from audit.errors import VerificationError
from audit.note import Checkpoint, Verifier, verify_checkpoint
from audit.note import key_id as note_key_id
from audit.registry_checks import LOG_ACTOR, REGISTRY_STREAM, RegistryChecks
from audit.registry_replay import RegistryReplay
from audit.signing import verify_signature

DISPOSAL_TYPE = "record.personal-data-disposed"
CHECKPOINT_STREAM = "checkpoint"
BATCH = 1000  # events (or checkpoints) whose signatures are checked together

T = TypeVar("T")
R = TypeVar("R")
# Like the built-in `map` over batches: results in order, however the work is spread.
MapBatches = Callable[[Callable[[T], R], Iterable[T]], Iterator[R]]
SignatureJob = tuple[bytes, bytes, bytes]  # (public key, signature, message)


class EventRow(NamedTuple):
    notification_id: int
    stream: str
    version: int
    topic: str
    record: tuple[bytes, bytes, bytes] | None  # (envelope, signature, payload); None if undecodable


class LeafRow(NamedTuple):
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
    def held_sealed(self, digests: list[bytes]) -> set[bytes]: ...  # those of `digests` in the vault
    def registry_payloads(self) -> Iterator[tuple[str, bytes]]: ...  # (event type, payload) of the registry
    def document_segments(self, digest: bytes) -> Iterable[bytes] | None: ...  # a sealed document, in order


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
class _StreamHead:
    version: int
    envelope_hash: bytes
    ok: bool


def verify_signatures(jobs: list[SignatureJob]) -> list[VerificationError | None]:
    """Check each (public key, signature, message): None when it verifies, else the
    VerificationError its check raised. A batch may be checked in another process, so each
    job's error comes back in its place, to be raised where the order of the log is known."""
    found: list[VerificationError | None] = []
    for public_key, signature, message in jobs:
        try:
            verify_signature(public_key, signature, message)
        except VerificationError as error:
            found.append(error)
        else:
            found.append(None)
    return found


CheckpointJob = tuple[Verifier, str, list[str], bytes | None]  # ..., the log's ML-DSA-44 key if any


def verify_checkpoints(job: CheckpointJob) -> list[tuple[Checkpoint | VerificationError, bool]]:
    """Verify each checkpoint note under the log's key: the checkpoint, or the VerificationError
    its check raised; and whether it carries a valid ML-DSA-44 signature by the log (one that
    does not verify is an error). Like `verify_signatures`, a batch carries each error back."""
    verifier, origin, notes, mldsa = job
    key = None if mldsa is None else cosignature.CosignerKey(origin, cosignature.MLDSA44_COSIGNATURE, mldsa)
    found: list[tuple[Checkpoint | VerificationError, bool]] = []
    for note in notes:
        try:
            checkpoint = verify_checkpoint(note, verifier, origin=origin)
            signed = key is not None and _post_quantum_signed(key, checkpoint, note)
        except VerificationError as error:
            found.append((error, False))
            continue
        found.append((checkpoint, signed))
    return found


def _post_quantum_signed(key: cosignature.CosignerKey, checkpoint: Checkpoint, note: str) -> bool:
    lines = [line for line in note[note.rfind("\n\n") + 2 :].splitlines() if cosignature.is_by(key, line)]
    for line in lines:
        try:
            cosignature.verify_cosignature(key, checkpoint, line)
        except VerificationError as error:
            raise VerificationError(f"the log's ML-DSA-44 signature: {error}") from None
    return bool(lines)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass(slots=True)
class _Entry:
    """One place in the log as read: an event (with what its batch found), or a logged leaf whose event is gone."""

    row: EventRow | None
    position: int
    stored_leaf: bytes | None
    missing: LeafRow | None = None
    envelope: Envelope | None = None
    envelope_error: VerificationError | None = None
    leaf: bytes | None = None
    sealed_held: bool = True
    checked_with: bytes | None = None  # the public key its signature was checked with, in its batch


class LogVerifier(RegistryChecks):
    """Verify everything a `LogSource` holds; `run()` returns the report."""

    source: LogSource

    def __init__(
        self,
        source: LogSource,
        *,
        origin: str,
        log_public_key: bytes,
        external: Iterable[str] = (),
        map_batches: MapBatches[Any, Any] = map,
        batch: int = BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.origin = origin
        self.log_public_key = log_public_key
        self.verifier = Verifier(
            name=origin, key_id=note_key_id(origin, log_public_key), public_key=log_public_key
        )
        self.external = list(external)
        self.map_batches = map_batches
        self.batch = batch
        self.progress = progress
        self.report = Report()
        self.registry = RegistryReplay(origin=origin, log_public_key=log_public_key)
        self.heads: dict[str, _StreamHead] = {}
        self.missing_sealed: dict[str, list[tuple[int, int]]] = {}
        self.disposed_streams: dict[str, int] = {}
        self.bad_sealed: set[bytes] = set()
        self.documents: list[document_presence.NamedContent] = []
        self.disposal_positions: dict[str, int] = {}  # each record's latest disposal, by its position
        self.frontier = merkle.CompactRange()
        self.roots: dict[int, bytes] = {0: merkle.EMPTY_ROOT}  # at the sizes of checkpoints held outside
        self.checkpoint_failures: list[Failure] = []

    def fail(self, position: int, stream: str, version: int, problem: str) -> None:
        self.report.failures.append(Failure(position, stream, version, problem))

    def run(self) -> Report:
        self._check_vault()
        self._learn_registry()
        self._read_external()
        self.stored_checkpoints = self._checked_checkpoints()
        self.next_checkpoint = next(self.stored_checkpoints, None)
        self.latest_checkpoint = 0
        self._check_due_checkpoints()
        for entries, verdicts in self._checked_batches():
            for entry, verdict in zip(entries, verdicts, strict=True):
                if entry.missing is not None:
                    self._missing(entry.missing)
                else:
                    self._event(entry, verdict)
            if self.progress is not None:
                self.progress(len(entries))
        self._finish_sealed()
        self._finish_documents()
        self._finish_checkpoints()
        self.report.failures.sort(key=lambda f: f.position)
        return self.report

    # -- reading ahead, in batches ---------------------------------------------------------

    def _entries(self) -> Iterator[_Entry]:
        """Every event with its position, and every logged leaf whose event is gone, in log order."""
        leaves = self.source.leaves()
        next_leaf = next(leaves, None)
        unlogged = 0
        last_logged_position = 0
        logged = 0  # leaves met so far: the size of the tree rebuilt up to here
        for row in self.source.events():
            while next_leaf is not None and next_leaf.notification_id < row.notification_id:
                yield _Entry(None, next_leaf.position, None, missing=next_leaf)
                last_logged_position, logged = next_leaf.position, logged + 1
                next_leaf = next(leaves, None)
            if next_leaf is not None and next_leaf.notification_id == row.notification_id:
                yield _Entry(row, next_leaf.position, next_leaf.leaf_hash)
                last_logged_position, logged = next_leaf.position, logged + 1
                next_leaf = next(leaves, None)
            else:
                unlogged += 1
                yield _Entry(row, max(last_logged_position, logged) + unlogged, None)
        while next_leaf is not None:
            yield _Entry(None, next_leaf.position, None, missing=next_leaf)
            next_leaf = next(leaves, None)

    def _checked_batches(self) -> Iterator[tuple[list[_Entry], list[VerificationError | None]]]:
        """Batches of entries, each with its signature verdicts, checked through `map_batches`."""
        waiting: deque[list[_Entry]] = deque()

        def jobs() -> Iterator[list[SignatureJob]]:
            for entries in _batches(self._entries(), self.batch):
                waiting.append(entries)
                yield self._prepare(entries)

        for verdicts in self.map_batches(verify_signatures, jobs()):
            entries = waiting.popleft()
            yield entries, self._spread(entries, verdicts)

    def _prepare(self, entries: list[_Entry]) -> list[SignatureJob]:
        """What can be checked of each event without knowing what came before it."""
        jobs: list[SignatureJob] = []
        sealed: list[bytes] = []
        for entry in entries:
            if entry.row is None or entry.row.record is None:
                continue
            envelope_bytes, signature, _ = entry.row.record
            entry.leaf = merkle.leaf_hash(entry_bytes(envelope_bytes, signature))
            try:
                entry.envelope = Envelope.parse(envelope_bytes)
            except VerificationError as error:
                entry.envelope_error = error
                continue
            if entry.envelope.sealed is not None:
                sealed.append(entry.envelope.sealed)
            entry.checked_with = self._likely_key(entry.envelope)
            if entry.checked_with is not None:
                jobs.append((entry.checked_with, signature, envelope_bytes))
        held = self.source.held_sealed(sealed) - self.bad_sealed if sealed else set()
        for entry in entries:
            if entry.envelope is not None and entry.envelope.sealed is not None:
                entry.sealed_held = entry.envelope.sealed in held
        return jobs

    def _likely_key(self, envelope: Envelope) -> bytes | None:
        # The key the registry issued under this id. Whether it may sign at this position is
        # decided in order, later; should that give another key, the signature is checked again.
        if envelope.actor == LOG_ACTOR:
            return self.log_public_key
        return self.issued_keys.get(envelope.key)

    @staticmethod
    def _spread(
        entries: list[_Entry], verdicts: list[VerificationError | None]
    ) -> list[VerificationError | None]:
        """The batch's verdicts, one per entry (None where nothing was checked)."""
        found = iter(verdicts)
        return [next(found) if e.checked_with is not None else None for e in entries]

    # -- one event ---------------------------------------------------------------------

    def _event(self, entry: _Entry, verdict: VerificationError | None) -> None:
        assert entry.row is not None
        row, position, stored_leaf = entry.row, entry.position, entry.stored_leaf
        self.report.events += 1
        problem_count = len(self.report.failures)
        computed_leaf = self._check_event(entry, verdict)
        if stored_leaf is None:
            if len(self.report.failures) == problem_count:
                self.fail(position, row.stream, row.version, "event is not covered by any signed checkpoint")
            return
        if computed_leaf != stored_leaf and len(self.report.failures) == problem_count:
            self.fail(position, row.stream, row.version, "event differs from the one logged at this position")
        # The tree is rebuilt from the logged leaves: each event is held to its leaf above, and the
        # leaves to the signed checkpoints below, so one altered event is reported once, where it is.
        self._add_leaf(stored_leaf)

    def _add_leaf(self, leaf: bytes) -> None:
        self.frontier.append(leaf)
        if self.frontier.size in self.external_sizes:
            self.roots[self.frontier.size] = self.frontier.root()
        self.report.tree_size = self.frontier.size
        self._check_due_checkpoints()

    def _missing(self, leaf: LeafRow) -> None:
        self.fail(
            leaf.position,
            leaf.stream,
            leaf.version,
            "event logged at this position is missing from the store",
        )
        self._add_leaf(leaf.leaf_hash)

    def _check_event(self, entry: _Entry, verdict: VerificationError | None) -> bytes | None:
        assert entry.row is not None
        row, position, leaf, envelope = entry.row, entry.position, entry.leaf, entry.envelope
        where = (position, row.stream, row.version)
        if row.record is None:
            self.fail(*where, "stored record cannot be read")
            self._break_chain(row.stream, row.version)
            return None
        envelope_bytes, signature, payload = row.record
        if envelope is None:
            self.fail(*where, str(entry.envelope_error or "envelope cannot be read"))
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
        try:
            self._check_key(envelope, position)
            public = self._public_key(envelope)
            if public != entry.checked_with:
                verify_signature(public, signature, envelope_bytes, position=position)
            elif verdict is not None:
                raise verdict
        except VerificationError as error:
            self.fail(*where, str(error))
            ok = False
        self._check_chain(envelope, envelope_bytes, position, ok)
        if envelope.sealed is not None and not entry.sealed_held:
            self.missing_sealed.setdefault(envelope.stream, []).append((position, envelope.version))
        if ok and envelope.type == DISPOSAL_TYPE:
            self.disposed_streams[envelope.stream] = envelope.version  # the latest disposal
            self.disposal_positions[envelope.stream] = position
        if ok and envelope.stream == REGISTRY_STREAM:
            self._registry_event(envelope, payload, position)
        if ok:
            named = document_presence.named_content(
                envelope.type, envelope.stream, envelope.version, position, payload
            )
            if named is not None:
                self.documents.append(named)
        return leaf

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

    # -- the sealed vault ----------------------------------------------------------------

    def _check_vault(self) -> None:
        for stored_digest, ciphertext in self.source.sealed_digests():
            if hashlib.sha256(ciphertext).digest() != stored_digest:
                self.fail(0, "vault", 0, "a sealed ciphertext does not match its digest")
                self.bad_sealed.add(stored_digest)

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

    def _finish_documents(self) -> None:
        found = document_presence.problems(self.documents, self.source, self.disposal_positions)
        for content, problem in found:
            self.fail(content.position, content.stream, content.version, problem)

    # -- checkpoints -----------------------------------------------------------------------

    def _read_external(self) -> None:
        self._external: list[Checkpoint | VerificationError] = []
        for note in self.external:
            try:
                self._external.append(verify_checkpoint(note, self.verifier, origin=self.origin))
            except VerificationError as error:
                self._external.append(error)
        self.external_sizes = {c.size for c in self._external if isinstance(c, Checkpoint)}

    def _checked_checkpoints(self) -> Iterator[tuple[int, Checkpoint | VerificationError, bool]]:
        """The stored checkpoints in size order, each verified (through `map_batches`) or refused,
        and whether each carries the log's ML-DSA-44 signature."""
        waiting: deque[list[int]] = deque()

        def jobs() -> Iterator[CheckpointJob]:
            for batch in _batches(self.source.checkpoints(), self.batch):
                waiting.append([size for size, _ in batch])
                yield self.verifier, self.origin, [note for _, note in batch], self.log_mldsa_key

        for results in self.map_batches(verify_checkpoints, jobs()):
            for size, (checked, signed) in zip(waiting.popleft(), results, strict=True):
                yield size, checked, signed

    def _check_due_checkpoints(self) -> None:
        """Hold each stored checkpoint to the tree as soon as the tree reaches its size."""
        while self.next_checkpoint is not None and self.next_checkpoint[0] <= self.frontier.size:
            self._check_stored(*self.next_checkpoint)
            self.next_checkpoint = next(self.stored_checkpoints, None)

    def _check_stored(
        self, stored_size: int, checked: Checkpoint | VerificationError, post_quantum: bool
    ) -> None:
        self.latest_checkpoint = max(self.latest_checkpoint, stored_size)  # a bad one is not a gap
        where = (stored_size, CHECKPOINT_STREAM, stored_size)
        # Named at position p, the key signs the checkpoints signed after p's own.
        named = self.registry.log_mldsa_from
        if named is not None and stored_size > named and not post_quantum and isinstance(checked, Checkpoint):
            self.checkpoint_failures.append(
                Failure(
                    *where,
                    f"stored checkpoint has no ML-DSA-44 signature by the log, whose key the registry "
                    f"names from position {named}",
                )
            )
        if isinstance(checked, VerificationError):
            self.checkpoint_failures.append(Failure(*where, f"stored checkpoint: {checked}"))
        elif checked.size != stored_size:
            self.checkpoint_failures.append(Failure(*where, "stored checkpoint is filed under another size"))
        else:
            root = self.frontier.root() if checked.size == self.frontier.size else None
            self._compare(checked, "stored checkpoint", root)

    def _finish_checkpoints(self) -> None:
        # Stored checkpoints beyond the end of the log are compared now, with the log as it ends.
        self._check_due_checkpoints()
        while self.next_checkpoint is not None:
            self._check_stored(*self.next_checkpoint)
            self.next_checkpoint = next(self.stored_checkpoints, None)
        size = self.frontier.size
        latest = self.latest_checkpoint
        if latest < size:
            self.checkpoint_failures.append(
                Failure(
                    latest + 1,
                    CHECKPOINT_STREAM,
                    latest,
                    f"no signed checkpoint covers events {latest + 1} to {size}",
                )
            )
        for held in self._external:
            if isinstance(held, VerificationError):
                self.checkpoint_failures.append(
                    Failure(0, CHECKPOINT_STREAM, 0, f"checkpoint held outside: {held}")
                )
            else:
                self._compare(held, "checkpoint held outside", self.roots.get(held.size))
        self.report.failures.extend(self.checkpoint_failures)

    def _compare(self, checkpoint: Checkpoint, what: str, root: bytes | None) -> None:
        size = self.frontier.size
        where = (checkpoint.size, CHECKPOINT_STREAM, checkpoint.size)
        if checkpoint.size > size:
            self.checkpoint_failures.append(
                Failure(
                    size + 1,
                    CHECKPOINT_STREAM,
                    checkpoint.size,
                    f"the log ends at {size} events but the {what} covers {checkpoint.size}: "
                    f"events {size + 1} to {checkpoint.size} are missing",
                )
            )
            return
        if root != checkpoint.root:
            self.checkpoint_failures.append(
                Failure(
                    *where,
                    f"the {what} for {checkpoint.size} events does not match the log's tree at that size",
                )
            )
