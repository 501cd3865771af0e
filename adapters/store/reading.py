"""Reading the ledger back: each stored event decoded, checked against what was signed, and unsealed.

`LedgerReading` is the reading half of `adapters.store.ledger.Ledger`: a stream's events or the
whole log's, in order, each as a `Recorded` with its typed event. Personal values are put back
only when asked for and only when the sealed data is what was signed; a record whose data key
is gone says which disposal took it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import msgspec

from adapters.store.database import Database
from adapters.store.mapper import decode_state
from adapters.store.personal_data import put_personal_values
from adapters.store.vault import Vault
from audit import sealing
from audit.envelope import Envelope, sha256
from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.event import DomainEvent, from_builtins

_values_decoder = msgspec.json.Decoder(list[str | None])


class Disposal(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    rule: str
    authorised_by: str

    def describe(self) -> str:
        return f"disposed on {self.at.date().isoformat()} under {self.rule}"


PAYLOAD_ALTERED = "the payload differs from its signed digest"


class Recorded(msgspec.Struct, frozen=True, kw_only=True):
    """One event as read back: where it sits, who signed it, and the typed event."""

    notification_id: int
    stream: str
    version: int
    type: str
    time: datetime
    actor: str
    key: str
    event: DomainEvent
    sealed: bool
    disposed: Disposal | None = None
    # Set when what is stored differs from what was signed: the payload against its digest in the
    # envelope, or the sealed ciphertext against its digest and commitment. Its values are then not
    # to be shown (the views show "altered — failed verification").
    altered: str | None = None


class LedgerReading:
    """The reading half of the ledger (adapters/store/ledger.py)."""

    db: Database
    vault: Vault
    _once: dict[str, list[Recorded]] | None = None  # within a page view: the streams read
    _done: set[str] | None = None  # within a page view: the work done once

    def stream_version(self, stream: str) -> int:
        last = self.db.recorder.select_events(stream, desc=True, limit=1)
        return last[0].originator_version if last else 0

    def read(self, stream: str, *, unseal: bool = False, lte: int | None = None) -> list[Recorded]:
        """The events of one stream, in order; personal values only when `unseal`."""
        if self._once is None or unseal or lte is not None:
            return list(self._read_stream(stream, gt=None, unseal=unseal, lte=lte))
        found = self._once.get(stream)
        if found is None:
            found = self._once[stream] = list(self._read_stream(stream, gt=None, unseal=False))
        return list(found)

    @contextmanager
    def reading_once(self) -> Iterator[None]:
        """Within it, a stream read whole and sealed is read and checked once: for one page view,
        which asks for the same record's events several times. Its personal values are never
        kept, and an append or a disposal forgets what was read."""
        outer = self._once is not None
        if not outer:
            self._once, self._done = {}, set()
        try:
            yield
        finally:
            if not outer:
                self._once, self._done = None, None

    def first_in_view(self, what: str) -> bool:
        """Whether `what` is asked for the first time in this page view (always, outside one, and
        again after an append or a disposal): for work a page view needs done only once."""
        if self._done is None:
            return True
        if what in self._done:
            return False
        self._done.add(what)
        return True

    def _forget_reads(self) -> None:
        if self._once is not None:
            self._once.clear()
        if self._done is not None:
            self._done.clear()

    def _read_stream(
        self, stream: str, *, gt: int | None, unseal: bool, lte: int | None = None
    ) -> Iterator[Recorded]:
        stored = self.db.recorder.select_events(stream, gt=gt, lte=lte)
        yield from self._decode(
            [(0, stream, s.originator_version, s.topic, s.state) for s in stored], unseal=unseal
        )

    def iter_notifications(
        self, after: int, *, topics: Sequence[str] = (), batch: int = 500
    ) -> Iterator[Any]:
        while True:
            page = self.db.recorder.select_notifications(
                start=after, limit=batch, topics=topics, inclusive_of_start=False
            )
            if not page:
                return
            yield from page
            after = page[-1].id

    def read_all(self, after: int = 0, *, unseal: bool = False, batch: int = 500) -> Iterator[Recorded]:
        """Every event after notification id `after`, in the global order."""
        while True:
            page = self.db.recorder.select_notifications(start=after, limit=batch, inclusive_of_start=False)
            if not page:
                return
            yield from self._decode(
                [(n.id, str(n.originator_id), n.originator_version, n.topic, n.state) for n in page],
                unseal=unseal,
            )
            after = page[-1].id

    def _decode(self, rows: list[tuple[int, str, int, str, bytes]], *, unseal: bool) -> Iterator[Recorded]:
        decoded = []
        for notification_id, stream, version, topic, state in rows:
            record = decode_state(stream, version, topic, state)
            envelope = Envelope.parse(record.envelope)
            decoded.append((notification_id, record, envelope))
        ciphertexts = (
            self.vault.get_many([e.sealed for _, _, e in decoded if e.sealed is not None]) if unseal else {}
        )
        disposals: dict[str, list[tuple[int, Disposal]]] = {}
        keys: dict[tuple[str, int], bytes | None] = {}  # each data key looked up and unwrapped once
        for notification_id, record, envelope in decoded:
            data = msgspec.json.decode(record.payload)
            disposed: Disposal | None = None
            altered = None if sha256(record.payload) == envelope.payload else PAYLOAD_ALTERED
            if envelope.sealed is not None:
                found = ciphertexts.get(envelope.sealed)
                values, problem = (
                    self._checked_open(found, envelope, keys) if found is not None else (None, None)
                )
                altered = altered or problem
                if values is not None:
                    put_personal_values(data, values)
                elif unseal:
                    if envelope.stream not in disposals:
                        disposals[envelope.stream] = self._disposals_of(envelope.stream)
                    # The first disposal after the event is the one that took its data.
                    disposed = next(
                        (d for version, d in disposals[envelope.stream] if version > envelope.version), None
                    )
            yield Recorded(
                notification_id=notification_id,
                stream=envelope.stream,
                version=envelope.version,
                type=envelope.type,
                time=envelope.time,
                actor=envelope.actor,
                key=envelope.key,
                event=from_builtins(envelope.type, data),
                sealed=envelope.sealed is not None,
                disposed=disposed,
                altered=altered,
            )

    def _checked_open(
        self,
        found: tuple[str, int, bytes],
        envelope: Envelope,
        keys: dict[tuple[str, int], bytes | None],
    ) -> tuple[list[str | None] | None, str | None]:
        """The sealed values if they are what was signed; else none of them, and what differs."""
        if sealing.digest(found[2]) != envelope.sealed:
            return None, "the sealed data differs from its signed digest"
        try:
            opened = self._open_committed(found, envelope, keys)
        except sealing.UnsealError:
            return None, "the sealed data does not open"
        if opened is None:
            return None, None
        values, commitment = opened
        if commitment != envelope.commitment:
            return None, "the sealed data differs from its signed commitment"
        return values, None

    def _open_committed(
        self, found: tuple[str, int, bytes], envelope: Envelope, keys: dict[tuple[str, int], bytes | None]
    ) -> tuple[list[str | None], bytes] | None:
        record, generation, ciphertext = found
        if (record, generation) not in keys:
            keys[record, generation] = self.vault.data_key(record, generation)
        data_key = keys[record, generation]
        if data_key is None:
            return None
        values, commitment = sealing.unseal(
            data_key, ciphertext, stream=envelope.stream, version=envelope.version, event_type=envelope.type
        )
        return _values_decoder.decode(values), commitment

    def disposals(self, stream: str) -> list[tuple[int, Disposal]]:
        """Every disposal of the record's personal data, in order, with the version it was recorded at."""
        return self._disposals_of(stream)

    def _disposals_of(self, stream: str) -> list[tuple[int, Disposal]]:
        """Every disposal of the record, in order, with its version."""
        return [
            (r.version, Disposal(at=r.event.at, rule=r.event.rule, authorised_by=r.event.authorised_by))
            for r in self._read_stream(stream, gt=None, unseal=False)
            if isinstance(r.event, PersonalDataDisposed)
        ]
