"""The ledger: every event signed by the person who took the step, sealed, chained and logged.

`append` is the only way anything is written. For each event it takes the personal values
out and seals them under the record's data key, builds the envelope (previous-envelope hash
of the same stream, payload digest, sealed digest and salted commitment), signs it with the
acting person's registered, unrevoked key, checks the signature, and inserts all events of
the command in one transaction through the `eventsourcing` recorder. Then the Merkle tree
catches up and the log signs a new checkpoint. Reading back is `LedgerReading`
(adapters/store/reading.py).
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable, Sequence
from datetime import datetime

import msgspec
import sqlalchemy as sa
import structlog
from eventsourcing.persistence import IntegrityError as StoreIntegrityError
from eventsourcing.persistence import StoredEvent

from adapters.store.database import Database, busy_is_retryable, is_busy
from adapters.store.documents import generations_before
from adapters.store.keystore import KeyStore, KeyStoreError, LogKeys
from adapters.store.mapper import SignedRecord, decode_state, encode_state
from adapters.store.personal_data import take_personal_values
from adapters.store.reading import LedgerReading
from adapters.store.recorders import WORK, Sql, insert
from adapters.store.tables import DISPOSAL_TYPE, merkle_leaves, meta, pending_disposals
from adapters.store.tree import Logged, MerkleLog, events_between
from adapters.store.vault import DataKeyGone, NewDataKey, Vault
from audit import cosignature, sealing
from audit.envelope import NO_PREVIOUS, Envelope, entry_bytes, sha256
from audit.note import verifier_key
from audit.signing import KeyPair, decode_public_key, verify_signature
from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.errors import ConcurrentChange, NotAuthorised, ReviewledgerError
from domain.kernel.event import DomainEvent, to_builtins, type_name
from domain.kernel.registry import LOG_ACTOR, REGISTRY_STREAM, Registry

log = structlog.get_logger(__name__)

_INSERT_PENDING = insert(pending_disposals, "stream", "version")

_json = msgspec.json.Encoder(order="deterministic")


class LogMovedOn(ConcurrentChange):
    """Events were stored after the position a step was checked against; nothing was recorded."""

    def __init__(self, record: str) -> None:
        ReviewledgerError.__init__(
            self,
            f"{record}: the log changed while this step was being checked; nothing was recorded: "
            "check it again",
        )
        self.record = record


#: Written in an append's own transaction once its events are logged (e.g. a disposal certificate).
WithinAppend = Callable[[Sql, Logged], None]


class _AppendWork:
    """What one append writes beside its events, in their transaction (adapters/store/recorders.py)."""

    def __init__(
        self,
        tree: MerkleLog,
        stream: str,
        data_key: tuple[int, bytes] | NewDataKey | None,
        ciphertexts: list[bytes],
        records: list[SignedRecord],
        unchanged_since: int | None,
        then: WithinAppend | None,
    ) -> None:
        self._tree = tree
        self._unchanged_since = unchanged_since
        self._then = then
        self._stream = stream
        self._data_key = data_key
        self._ciphertexts = ciphertexts
        self._records = records
        self.logged = False

    def before_events(self, sql: Sql) -> None:
        if self._data_key is not None:
            Vault.write_within(sql, self._stream, self._data_key, self._ciphertexts)

    def after_events(self, sql: Sql, notification_ids: Sequence[int]) -> None:
        if self._unchanged_since is not None and events_between(
            sql, self._unchanged_since, notification_ids[0]
        ):
            raise LogMovedOn(self._stream)
        sql.execute_many(
            _INSERT_PENDING,
            [
                {"stream": r.originator_id, "version": r.originator_version}
                for r in self._records
                if r.topic == DISPOSAL_TYPE
            ],
        )
        logged = self._tree.extend_within(
            sql,
            notification_ids,
            [entry_bytes(r.envelope, r.signature) for r in self._records],
            [(r.originator_id, r.originator_version) for r in self._records],
        )
        self.logged = logged is not None
        if self._then is not None:
            if logged is None:
                raise LogMovedOn(self._stream)  # the tree is catching up: check and try again
            self._then(sql, logged)


class LedgerNotInitialised(ReviewledgerError):
    """The database holds no log yet."""


class Ledger(LedgerReading):
    def __init__(self, db: Database, kek: bytes, log_kek: bytes | None = None) -> None:
        """`kek` keeps people's keys and data keys; `log_kek` keeps the log's own signing key."""
        self.db = db
        self.keys = KeyStore(db.engine, kek, db.reader)
        self.log_keys = LogKeys(self.keys, KeyStore(db.engine, log_kek, db.reader) if log_kek else None)
        self.vault = Vault(db.engine, db.reader, kek)
        self._registry = Registry()
        self._origin: str | None = None
        self._log_key: KeyPair | None = None
        self._tree: MerkleLog | None = None
        # Each record's live data key, once used: checked still live in every append's transaction.
        self._data_keys: dict[str, tuple[int, bytes]] = {}
        self._look_up_key: set[str] = set()  # records whose first key turned out to exist already
        self._mldsa_not_held: str | None = None  # the log's ML-DSA-44 key, when its secret is not here
        # Called after each append is committed and logged, outside its transaction: sends the
        # new checkpoint to the witnesses (adapters/transparency/witnessing.py), or nothing when none is set.
        self.after_append: Callable[[], None] | None = None

    # -- setting up --------------------------------------------------------------------

    def initialise(self, origin: str, at: datetime, *, post_quantum: bool = True) -> bool:
        """Create the log (its keys and first registry events) unless it exists. True if created now.

        With `post_quantum` (the default) the log's ML-DSA-44 key is made and named with it;
        without, the log signs with Ed25519 alone, as a store set up before that did.

        If a process stopped after storing the log's key but before its first event, the next
        call records that event, under the key and origin already stored.
        """
        if not self._load_meta():
            pair = self.log_keys.create()
            try:
                with self.db.engine.begin() as conn:
                    conn.execute(
                        sa.insert(meta),
                        [{"name": "origin", "value": origin}, {"name": "log_key_id", "value": pair.key_id}],
                    )
            except sa.exc.IntegrityError:
                pass  # another process initialised it first
            self.require()
        if self.stream_version(REGISTRY_STREAM) > 0:
            return False
        registry = Registry()
        registry.establish(
            origin=self.origin,
            log_key_id=self.log_key.key_id,
            log_public_key=self.log_key.public_key_b64,
            at=at,
        )
        # The ML-DSA-44 key is named in the same append as the log itself, so the first
        # checkpoint and every one after it carry both signatures (c2sp.org/tlog-checkpoint).
        if post_quantum:
            self.tree.post_quantum = self._name_log_mldsa_key(registry, at)
        try:
            self.append(REGISTRY_STREAM, 0, registry.collect_events(), LOG_ACTOR, at)
        except ConcurrentChange:
            self.tree.post_quantum = None  # the other process's key is loaded from the registry
            self.refresh_registry()
            return False  # another process recorded it first
        return True

    def _load_meta(self) -> bool:
        if self._origin is not None:
            return True
        with self.db.reader.connect() as conn:
            values = dict(conn.execute(sa.select(meta.c.name, meta.c.value)).tuples().all())
        if "origin" not in values:
            return False
        # The origin is set last: it marks the ledger as loaded, so a failed load can be retried.
        self._log_key = self.log_keys.load(values["log_key_id"])
        self._tree = MerkleLog(
            self.db.engine,
            self.db.reader,
            self.db.recorder,
            is_postgres=self.db.is_postgres,
            origin=values["origin"],
            log_key=self._log_key,
            public_key_of=self._public_key_of,
            refresh_keys=self.refresh_registry,
        )
        self._origin = values["origin"]
        return True

    def separate_log_key(self) -> bool:
        """Keep the log's signing key under the log KEK alone (a store from before it); False if it already was."""
        return self.log_keys.separate(self.log_key)

    def require(self) -> None:
        if not self._load_meta():
            raise LedgerNotInitialised("this database holds no log yet: run `reviewledger init` or the demo")

    @property
    def origin(self) -> str:
        self.require()
        assert self._origin is not None
        return self._origin

    @property
    def log_key(self) -> KeyPair:
        self.require()
        assert self._log_key is not None
        return self._log_key

    @property
    def tree(self) -> MerkleLog:
        self.require()
        assert self._tree is not None
        return self._tree

    def log_verifier_key(self) -> str:
        """The log's public key in C2SP verifier-key form (name+keyid+base64)."""
        return verifier_key(self.origin, self.log_key.public_key)

    # -- the registry of people and keys -------------------------------------------------

    def registry(self) -> Registry:
        self.refresh_registry()
        return self._registry

    def refresh_registry(self) -> None:
        for recorded in self._read_stream(REGISTRY_STREAM, gt=self._registry.version, unseal=False):
            self._registry.apply(recorded.event)
        named = self._registry.log_mldsa_key
        if named is not None and self._tree is not None and self._tree.post_quantum is None:
            if named[0] == self._mldsa_not_held:
                return
            try:
                seed = self.log_keys.load_secret(named[0])
            except KeyStoreError:
                # Not held here (or not openable with this KEK): checkpoints signed here lack the
                # ML-DSA-44 line, which an inspector whose policy lists the key will refuse.
                log.warning("log_mldsa_key_not_held", key_id=named[0])
                self._mldsa_not_held = named[0]
                return
            self._tree.post_quantum = cosignature.load(self.origin, cosignature.MLDSA44_COSIGNATURE, seed)

    def add_log_mldsa_key(self, at: datetime) -> cosignature.CosignerKey:
        """Give the log an ML-DSA-44 key: kept encrypted, named in the registry by the log itself;
        every checkpoint signed after it carries its signature too."""
        registry = self.registry()
        working = copy.deepcopy(registry)
        secret = self._name_log_mldsa_key(working, at)
        self.append(REGISTRY_STREAM, registry.version, working.collect_events(), LOG_ACTOR, at)
        self.refresh_registry()
        return secret.public

    def _name_log_mldsa_key(self, registry: Registry, at: datetime) -> cosignature.CosignerSecret:
        """Make the log's ML-DSA-44 key, keep it under the log KEK and name it in `registry` (not yet stored)."""
        secret = cosignature.generate(self.origin, cosignature.MLDSA44_COSIGNATURE)
        public = secret.public
        key_id = cosignature.log_mldsa_key_id(public.public_key)
        registry.add_log_mldsa_key(
            key_id=key_id, public_key=base64.b64encode(public.public_key).decode(), at=at
        )
        self.log_keys.keep_secret(key_id, secret.private_bytes())
        return secret

    def registry_as_last(self, at: datetime) -> int:
        """A tree size whose last event is the registry's last, with its checkpoint signed.

        The latest checkpoint, when its last event is the registry's; otherwise the log marks
        its registry's head (`registry.head-marked`) and returns the size of the checkpoint
        signed with that append. A bundle under it proves that no registry event follows by
        proving the registry's last event included at the tree's last position.
        """
        signed: list[int] = []
        for _ in range(8):
            signed.clear()  # what a rolled-back attempt saw is not what was committed
            head = self.tree.head().size
            if head > 0 and self.tree.checkpoint_at(head) is not None and self._registry_ends_at(head):
                return head
            registry = self.registry()
            working = copy.deepcopy(registry)
            working.mark_head(at=at)
            try:
                self.append(
                    REGISTRY_STREAM,
                    registry.version,
                    working.collect_events(),
                    LOG_ACTOR,
                    at,
                    then=lambda _sql, logged: signed.append(logged.tree_size),
                )
            except ConcurrentChange:  # another step came first, or the tree was catching up
                self.tree.catch_up()
                continue
            return signed[0]
        raise ConcurrentChange(REGISTRY_STREAM)

    def _registry_ends_at(self, size: int) -> bool:
        with self.db.reader.connect() as conn:
            stream = conn.execute(
                sa.select(merkle_leaves.c.stream).where(merkle_leaves.c.position == size)
            ).scalar()
        return stream == REGISTRY_STREAM

    def log_mldsa_verifier_key(self) -> str | None:
        """The log's ML-DSA-44 key in vkey form (type 06, c2sp.org/tlog-cosignature), if it has one."""
        named = self.registry().log_mldsa_key
        if named is None:
            return None
        public = base64.b64decode(named[1])
        return cosignature.CosignerKey(self.origin, cosignature.MLDSA44_COSIGNATURE, public).vkey()

    def _public_key_of(self, actor: str, key_id: str) -> bytes | None:
        if actor == LOG_ACTOR:
            return self.log_key.public_key if key_id == self.log_key.key_id else None
        key = self._registry.keys.get(key_id)
        if key is None or key.actor_id != actor:
            return None
        return decode_public_key(key.public_key)

    def _signing_key(self, actor_id: str, stream: str, at: datetime) -> KeyPair:
        if actor_id == LOG_ACTOR:
            if stream != REGISTRY_STREAM:
                raise NotAuthorised(actor_id, "a registered person", "signing a review step", stream)
            return self.log_key
        registry = self.registry()
        key_id = registry.active_key(actor_id)
        if key_id is None:
            raise NotAuthorised(actor_id, "a person with an active registered key", "signing", stream)
        key = registry.keys[key_id]
        if key.compromised_from is not None and at >= key.compromised_from:
            raise NotAuthorised(actor_id, "a person whose key is not compromised", "signing", stream)
        return self.keys.load(key_id)

    # -- writing -------------------------------------------------------------------------

    def append(
        self,
        stream: str,
        expected_version: int,
        events: Sequence[DomainEvent],
        actor_id: str,
        at: datetime,
        *,
        unchanged_since: int | None = None,
        then: WithinAppend | None = None,
    ) -> list[int]:
        """Sign, seal and store `events` as versions expected_version+1.. of `stream`.

        Raises ConcurrentChange when the stream has moved on, and StoreBusy (a ConcurrentChange
        too) when other writers kept the store locked too long; nothing is written then. With
        `unchanged_since` (a notification id), raises LogMovedOn, writing nothing, if any event
        of any record was stored after it: for a step checked against the whole log. `then`
        writes more in the same transaction once the events are logged (LogMovedOn, nothing
        written, if the tree must catch up first).
        Returns the notification ids of the new events.
        """
        self._forget_reads()
        with busy_is_retryable(stream):
            self.require()
            if not events:
                return []
            try:
                ids, logged = self._store(
                    stream, expected_version, events, actor_id, at, unchanged_since, then
                )
            except ConcurrentChange:
                if stream not in self._look_up_key:
                    raise
                # The record's first data key existed after all (kept before its first event):
                # once more, under that key. A real conflict conflicts again.
                ids, logged = self._store(
                    stream, expected_version, events, actor_id, at, unchanged_since, then
                )
        if not logged:
            try:
                self.tree.catch_up()
            except Exception as error:
                if not is_busy(error):
                    raise
                # The events are stored: the step went through. The tree logs them at the next
                # append or the next open, so this must not look like a failure to retry.
                log.warning("tree_catch_up_deferred", stream=stream)
        if self.after_append is not None:
            self.after_append()
        return ids

    def _store(
        self,
        stream: str,
        expected_version: int,
        events: Sequence[DomainEvent],
        actor_id: str,
        at: datetime,
        unchanged_since: int | None,
        then: WithinAppend | None,
    ) -> tuple[list[int], bool]:
        """Store the events; their ids, and whether the tree logged them in the same transaction."""
        pair = self._signing_key(actor_id, stream, at)
        last = self.db.recorder.select_events(stream, desc=True, limit=1)
        current = last[0].originator_version if last else 0
        if current != expected_version:
            raise ConcurrentChange(stream)
        if last and last[0].topic == DISPOSAL_TYPE:
            # Whoever recorded the disposal may not have shredded yet, or may have stopped before
            # it: finish it first, so nothing sealed from now on goes under a key about to go.
            self._shred(stream, current)
        previous = NO_PREVIOUS
        if last:
            previous = sha256(decode_state(stream, current, last[0].topic, last[0].state).envelope)
        records: list[SignedRecord] = []
        data_key: tuple[int, bytes] | NewDataKey | None = None  # found once per append, only if needed
        ciphertexts: list[bytes] = []
        for offset, event in enumerate(events):
            version = expected_version + 1 + offset
            name = type_name(type(event))
            data = to_builtins(event)
            values = take_personal_values(data)
            sealed_digest: bytes | None = None
            commitment: bytes | None = None
            if values:
                if data_key is None:
                    data_key = self._data_key(stream, new_record=current == 0)
                key = data_key.key if isinstance(data_key, NewDataKey) else data_key[1]
                ciphertext, commitment = sealing.seal(
                    key, _json.encode(values), stream=stream, version=version, event_type=name
                )
                ciphertexts.append(ciphertext)
                sealed_digest = sealing.digest(ciphertext)
            payload = _json.encode(data)
            envelope = Envelope(
                origin=self.origin,
                stream=stream,
                version=version,
                previous=previous,
                type=name,
                time=at,
                actor=actor_id,
                key=pair.key_id,
                payload=sha256(payload),
                sealed=sealed_digest,
                commitment=commitment,
            ).to_bytes()
            signature = pair.sign(envelope)
            verify_signature(pair.public_key, signature, envelope)
            records.append(
                SignedRecord(
                    originator_id=stream,
                    originator_version=version,
                    topic=name,
                    envelope=envelope,
                    signature=signature,
                    payload=payload,
                )
            )
            previous = sha256(envelope)
        stored = [
            StoredEvent(
                originator_id=r.originator_id,
                originator_version=r.originator_version,
                topic=r.topic,
                state=encode_state(r),
            )
            for r in records
        ]
        work = _AppendWork(self.tree, stream, data_key, ciphertexts, records, unchanged_since, then)
        try:
            ids = self.db.recorder.insert_events(stored, **{WORK: work})
        except StoreIntegrityError:
            # The stream moved on, or another process made the record's next data key first (or
            # a data key was kept before the record's first event): the retry looks the key up.
            self._data_keys.pop(stream, None)
            if isinstance(data_key, NewDataKey):
                self._look_up_key.add(stream)
            raise ConcurrentChange(stream) from None
        except DataKeyGone:
            self._data_keys.pop(stream, None)
            raise ConcurrentChange(stream) from None
        self._look_up_key.discard(stream)
        if data_key is not None:
            self._data_keys[stream] = (
                (data_key.generation, data_key.key) if isinstance(data_key, NewDataKey) else data_key
            )
        log.info("events_appended", stream=stream, count=len(records), actor=actor_id)
        return list(ids or []), work.logged

    def _data_key(self, stream: str, *, new_record: bool) -> tuple[int, bytes] | NewDataKey:
        """The key to seal the record's values under: the one this process last used (checked
        still live in the append's transaction), a first key for a record with no events yet
        (its insert fails if the record has one after all, and the retry looks it up), or the
        record's live key or next generation as the vault holds them."""
        cached = self._data_keys.get(stream)
        if cached is not None:
            return cached
        if new_record and stream not in self._look_up_key:
            return self.vault.first_data_key(stream)
        return self.vault.live_data_key(stream)

    def dispose(
        self,
        stream: str,
        rule: str,
        actor_id: str,
        at: datetime,
        reason: str = "",
        *,
        unchanged_since: int | None = None,
        then: WithinAppend | None = None,
    ) -> None:
        """Record the disposal (signed by the authorising person), then crypto-shred the record.

        `unchanged_since`: the log position the disposal was checked against (schedule, holds);
        if anything was recorded since, nothing is disposed of (LogMovedOn). `then` writes in the
        disposal event's own transaction (its certificate).
        """
        self._forget_reads()
        self.require()
        current = self.stream_version(stream)
        event = PersonalDataDisposed(rule=rule, authorised_by=actor_id, at=at, reason=reason)
        self.append(stream, current, [event], actor_id, at, unchanged_since=unchanged_since, then=then)
        try:
            removed = self._shred(stream, current + 1)
        except Exception as error:
            if not is_busy(error):
                raise
            # The disposal is recorded; the next step on the record or the next open finishes it.
            log.warning("disposal_shredding_deferred", stream=stream)
            return
        log.info("personal_data_disposed", stream=stream, ciphertexts=removed)

    def complete_disposals(self) -> None:
        """Finish any disposal whose event was recorded but whose shredding was interrupted.

        Reads the pending disposals (written with each disposal event, removed once it is carried
        out), so it costs nothing when none is pending, however long the log."""
        with self.db.reader.connect() as conn:
            pending = (
                conn.execute(sa.select(pending_disposals.c.stream, pending_disposals.c.version))
                .tuples()
                .all()
            )
        for stream, version in pending:
            self._shred(stream, int(version))

    def _shred(self, stream: str, disposal_version: int) -> int:
        """Crypto-shred what the record held before its disposal at `disposal_version`, never what
        was recorded after it: the generations of the ciphertexts its earlier events name. The
        disposal is no longer pending once this returns."""
        removed = self._destroy_before(stream, disposal_version)
        with self.db.engine.begin() as conn:
            conn.execute(
                sa.delete(pending_disposals).where(
                    pending_disposals.c.stream == stream, pending_disposals.c.version == disposal_version
                )
            )
        return removed

    def _destroy_before(self, stream: str, disposal_version: int) -> int:
        stored = self.db.recorder.select_events(stream, lte=disposal_version)
        if not stored or stored[-1].topic != DISPOSAL_TYPE:
            return 0
        digests = []
        for s in stored[:-1]:
            sealed = Envelope.parse(
                decode_state(stream, s.originator_version, s.topic, s.state).envelope
            ).sealed
            if sealed is not None:
                digests.append(sealed)
        held = self.vault.get_many(digests)
        with self.db.reader.connect() as conn:
            document_generations = generations_before(conn, stream, disposal_version)
        if not held and not document_generations:
            return 0  # shredded already, or nothing was sealed before the disposal
        [disposal] = self._decode(
            [(0, stream, disposal_version, stored[-1].topic, stored[-1].state)], unseal=False
        )
        assert isinstance(disposal.event, PersonalDataDisposed)
        through = max([generation for _, generation, _ in held.values()] + document_generations)
        self._data_keys.pop(stream, None)
        return self.vault.destroy(
            stream, disposal.event.rule, through_generation=through, documents_before=disposal_version
        )
