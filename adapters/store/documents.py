"""Where attached files are kept: sealed in segments under the review's data key, outside the event table.

A file is read from disk one segment at a time, sealed (`audit.document_sealing`) and written
segment by segment, so a large file never sits whole in memory; it is read back the same way.
`rl_documents` is keyed by the SHA-256 of the whole sealed stream (the content address the
signed attachment event names); its segments sit in `rl_document_segments`. A disposal of the
review removes both, for every document attached before it (`remove_before`), and its data key
is destroyed with the rest of the record's.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from adapters.store.tables import data_keys, document_segments, documents
from audit.document_sealing import (
    HEADER_SIZE,
    SEGMENT_SIZE,
    DocumentUnsealError,
    open_stream,
    seal_stream,
    stream_digest,
)
from domain.kernel.errors import ConcurrentChange, ReviewledgerError

if TYPE_CHECKING:
    from adapters.app.application import Application


class DocumentGone(ReviewledgerError):
    """The document's content was disposed of with the review's personal data."""


class DocumentDamaged(ReviewledgerError):
    """The stored document does not open, or does not match the digest its signed event names."""


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(SEGMENT_SIZE):
            yield chunk


def store(app: Application, *, record: str, record_version: int, path: Path) -> str:
    """Seal the file at `path` under the record's live data key and keep it; return the hex SHA-256
    of the sealed stream. Nothing is kept if the data key is destroyed before the file is stored."""
    generation, key = app.ledger.vault.data_key_for_writing(record)
    upload = secrets.token_hex(16)
    digest = stream_digest()
    sealed_bytes = 0
    try:
        for seq, piece in enumerate(seal_stream(key, _chunks(path), record=record, upload=upload)):
            digest.update(piece)
            sealed_bytes += len(piece)
            with app.db.engine.begin() as conn:
                conn.execute(
                    sa.insert(document_segments).values(
                        upload=upload, seq=seq, record=record, generation=generation, ciphertext=piece
                    )
                )
        with app.db.engine.begin() as conn:
            conn.execute(
                sa.insert(documents).values(
                    digest=digest.digest(),
                    upload=upload,
                    record=record,
                    generation=generation,
                    record_version=record_version,
                    sealed_bytes=sealed_bytes,
                )
            )
            live = conn.execute(
                sa.select(data_keys.c.wrapped).where(
                    data_keys.c.record == record, data_keys.c.generation == generation
                )
            ).scalar_one_or_none()
            if live is None:
                raise ConcurrentChange(record)  # disposed of meanwhile: the transaction is undone
    except BaseException:
        discard_upload(app, upload)
        raise
    return digest.hexdigest()


def discard_upload(app: Application, upload: str) -> None:
    with app.db.engine.begin() as conn:
        conn.execute(sa.delete(documents).where(documents.c.upload == upload))
        conn.execute(sa.delete(document_segments).where(document_segments.c.upload == upload))


def discard(app: Application, sealed_sha256: str) -> None:
    """Remove a stored file whose attachment was refused after it was stored."""
    with app.db.reader.connect() as conn:
        upload = conn.execute(
            sa.select(documents.c.upload).where(documents.c.digest == bytes.fromhex(sealed_sha256))
        ).scalar_one_or_none()
    if upload is not None:
        discard_upload(app, upload)


def read(app: Application, *, record: str, sealed_sha256: str) -> Iterator[bytes]:
    """The file's bytes, segment by segment. DocumentGone once disposed of; DocumentDamaged when
    a segment does not open or the sealed stream does not match its digest. The digest is checked
    before the last segment is given out."""
    with app.db.reader.connect() as conn:
        row = conn.execute(
            sa.select(documents.c.upload, documents.c.generation).where(
                documents.c.digest == bytes.fromhex(sealed_sha256), documents.c.record == record
            )
        ).first()
    if row is None:
        raise DocumentGone(f"{record}: the document's content has been disposed of")
    key = app.ledger.vault.data_key(record, row.generation)
    if key is None:
        raise DocumentGone(f"{record}: the document's content has been disposed of")
    digest = stream_digest()
    pieces = _sealed_pieces(app, row.upload, digest)
    header = next(pieces, b"")
    if len(header) != HEADER_SIZE:
        raise DocumentDamaged(f"{record}: a stored document has lost its header")
    held: bytes | None = None
    try:
        for plain in open_stream(key, header, pieces, record=record, upload=row.upload):
            if held is not None:
                yield held
            held = plain
    except DocumentUnsealError:
        raise DocumentDamaged(f"{record}: a stored document does not open") from None
    if digest.hexdigest() != sealed_sha256:
        raise DocumentDamaged(f"{record}: a stored document does not match the digest its event names")
    if held is not None:
        yield held


def held(app: Application, *, record: str, sealed_sha256: str) -> bool:
    """Whether the document's content is still kept, and its data key with it (not disposed of)."""
    with app.db.reader.connect() as conn:
        row = conn.execute(
            sa.select(documents.c.generation).where(
                documents.c.digest == bytes.fromhex(sealed_sha256), documents.c.record == record
            )
        ).first()
    return row is not None and app.ledger.vault.data_key(record, row.generation) is not None


def _sealed_pieces(app: Application, upload: str, digest: object) -> Iterator[bytes]:
    seq = 0
    while True:
        with app.db.reader.connect() as conn:
            piece = conn.execute(
                sa.select(document_segments.c.ciphertext).where(
                    document_segments.c.upload == upload, document_segments.c.seq == seq
                )
            ).scalar_one_or_none()
        if piece is None:
            return
        data = bytes(piece)
        digest.update(data)  # type: ignore[attr-defined]
        yield data
        seq += 1


def remove_before(conn: sa.Connection, record: str, disposal_version: int) -> int:
    """In a disposal's shredding: remove every document the record held before `disposal_version`.
    Returns how many were removed."""
    uploads = [
        row.upload
        for row in conn.execute(
            sa.select(documents.c.upload).where(
                documents.c.record == record, documents.c.record_version < disposal_version
            )
        )
    ]
    if uploads:
        conn.execute(sa.delete(document_segments).where(document_segments.c.upload.in_(uploads)))
        conn.execute(sa.delete(documents).where(documents.c.upload.in_(uploads)))
    return len(uploads)


def generations_before(conn: sa.Connection, record: str, disposal_version: int) -> list[int]:
    """The data-key generations of the documents the record held before `disposal_version`."""
    return [
        int(g)
        for (g,) in conn.execute(
            sa.select(documents.c.generation)
            .where(documents.c.record == record, documents.c.record_version < disposal_version)
            .distinct()
        )
    ]
