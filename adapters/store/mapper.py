"""The event store's mapper: a signed record to and from the library's StoredEvent, with msgspec.

The library's default Mapper reads `vars()` of a domain event, which msgspec Structs do not
have; this one stores the exact envelope, signature and payload bytes as one msgpack value,
and the stable event type name as the topic.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent


class SignedRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One stored event as written: envelope bytes, the actor's signature, the public payload."""

    originator_id: str
    originator_version: int
    topic: str
    envelope: bytes
    signature: bytes
    payload: bytes


class _StoredState(msgspec.Struct, array_like=True, frozen=True):
    envelope: bytes
    signature: bytes
    payload: bytes


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(_StoredState)


def encode_state(record: SignedRecord) -> bytes:
    return _encoder.encode(_StoredState(record.envelope, record.signature, record.payload))


def decode_state(stream: str, version: int, topic: str, state: bytes) -> SignedRecord:
    """Decode a stored row; raises msgspec.DecodeError when the bytes are not a record."""
    parts = _decoder.decode(state)
    return SignedRecord(
        originator_id=stream,
        originator_version=version,
        topic=topic,
        envelope=parts.envelope,
        signature=parts.signature,
        payload=parts.payload,
    )


class RecordMapper(Mapper[Any]):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        record: SignedRecord = domain_event
        return StoredEvent(
            originator_id=record.originator_id,
            originator_version=record.originator_version,
            topic=record.topic,
            state=encode_state(record),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        originator = stored_event.originator_id
        stream = originator.hex if isinstance(originator, UUID) else originator
        try:
            return decode_state(
                stream, stored_event.originator_version, stored_event.topic, stored_event.state
            )
        except msgspec.DecodeError as error:
            raise MapperDeserialisationError(
                f"stored event {stream} version {stored_event.originator_version} is not a signed record"
            ) from error
