"""The exact documents sent in answer to subject access and FOI requests (DOMAIN.md §4: "an exact
copy of what was sent").

Each document is kept as the bytes that were written out, sealed (AES-256-GCM, `audit.sealing`)
under the request file's own data key and bound to the file, the purpose and the document's
SHA-256, which the file's signed event records. Disposing of the request file destroys its data
keys, so the copies can no longer be opened either. Opening a copy checks it against its digest.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import sqlalchemy as sa

from adapters.app.application import Application
from adapters.governance.ig_access import RequestReader
from adapters.store.tables import sent_documents
from audit import sealing
from audit.envelope import sha256
from domain.kernel.errors import RecordNotFound, ReviewledgerError

_NOT_AN_EVENT = 0  # events start at version 1: a document's binding can never be an event's


class SentDocument(msgspec.Struct, frozen=True, kw_only=True):
    """One kept document, described without its contents."""

    id: int
    record: str
    purpose: str  # e.g. "sar-response", "foi-response", "foi-review-decision"
    media_type: str
    sha256: str
    size_bytes: int
    kept_at: datetime
    kept_by: str


class DocumentDamaged(ReviewledgerError):
    """A kept document does not open, or does not match the digest recorded for it."""


def digest(data: bytes) -> str:
    """The lowercase hex SHA-256 of a document's bytes, as the request file records it."""
    return sha256(data).hex()


def _binding(purpose: str, digest_hex: str) -> str:
    return f"sent-document/{purpose}/{digest_hex}"


def keep(
    app: Application, *, record: str, purpose: str, media_type: str, data: bytes, actor: str
) -> SentDocument:
    """Keep the exact bytes of a document, sealed under the record's data key."""
    generation, key = app.ledger.vault.data_key_for_writing(record)
    digest_hex = digest(data)
    ciphertext, _ = sealing.seal(
        key, data, stream=record, version=_NOT_AN_EVENT, event_type=_binding(purpose, digest_hex)
    )
    moment = app.clock.now().astimezone(UTC)
    with app.db.engine.begin() as conn:
        result = conn.execute(
            sa.insert(sent_documents).values(
                record=record,
                purpose=purpose,
                media_type=media_type,
                sha256=digest_hex,
                size_bytes=len(data),
                generation=generation,
                ciphertext=ciphertext,
                kept_at=moment,
                kept_by=actor,
            )
        )
        assert result.inserted_primary_key is not None
        document_id = result.inserted_primary_key[0]
    return SentDocument(
        id=int(document_id),
        record=record,
        purpose=purpose,
        media_type=media_type,
        sha256=digest_hex,
        size_bytes=len(data),
        kept_at=moment,
        kept_by=actor,
    )


def discard(app: Application, document: SentDocument) -> None:
    """Remove a copy kept for a step that was then refused: it was never sent."""
    with app.db.engine.begin() as conn:
        conn.execute(sa.delete(sent_documents).where(sent_documents.c.id == document.id))


def kept(app: Application, record: str) -> list[SentDocument]:
    """Every document kept for a request file, oldest first."""
    c = sent_documents.c
    query = (
        sa.select(c.id, c.record, c.purpose, c.media_type, c.sha256, c.size_bytes, c.kept_at, c.kept_by)
        .where(c.record == record)
        .order_by(c.id)
    )
    with app.db.reader.connect() as conn:
        rows = conn.execute(query).all()
    return [
        SentDocument(
            id=row.id,
            record=row.record,
            purpose=row.purpose,
            media_type=row.media_type,
            sha256=row.sha256,
            size_bytes=row.size_bytes,
            kept_at=row.kept_at.replace(tzinfo=UTC) if row.kept_at.tzinfo is None else row.kept_at,
            kept_by=row.kept_by,
        )
        for row in rows
    ]


def _kept(app: Application, record: str, sha256_hex: str) -> sa.Row[tuple[str, int, bytes]]:
    """The kept copy's row; a digest not kept for this record is RecordNotFound."""
    c = sent_documents.c
    with app.db.reader.connect() as conn:
        row = conn.execute(
            sa.select(c.purpose, c.generation, c.ciphertext)
            .where(c.record == record, c.sha256 == sha256_hex)
            .order_by(c.id.desc())
            .limit(1)
        ).first()
    if row is None:
        raise RecordNotFound("document sent", f"{record} {sha256_hex}")
    return row


def open_document(app: Application, record: str, sha256_hex: str) -> bytes | None:
    """The exact bytes kept with this digest; None once the record's data has been disposed of."""
    row = _kept(app, record, sha256_hex)
    key = app.ledger.vault.data_key(record, row.generation)
    if key is None:
        return None
    try:
        data, _ = sealing.unseal(
            key,
            bytes(row.ciphertext),
            stream=record,
            version=_NOT_AN_EVENT,
            event_type=_binding(row.purpose, sha256_hex),
        )
    except sealing.UnsealError:
        raise DocumentDamaged(f"{record}: the kept copy of document {sha256_hex} does not open") from None
    if digest(data) != sha256_hex:
        raise DocumentDamaged(f"{record}: the kept copy of document {sha256_hex} does not match its digest")
    return data


def read_copy(app: Application, *, record: str, request: str, actor: str, sha256_hex: str) -> bytes | None:
    """The kept copy, for an IG officer answering `request`; the read is written to the access log first.

    A digest kept for no document of the record is refused before anything is logged: a failed
    lookup reads nothing, so it is not written down as a read.
    """
    _kept(app, record, sha256_hex)
    RequestReader(app, actor=actor, request=request).allow(record, sent_copy=True)
    return open_document(app, record, sha256_hex)
