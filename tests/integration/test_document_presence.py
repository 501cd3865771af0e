"""`verify` holds every document a signed event names to the store, on SQLite and on PostgreSQL.

The officer attaches two files to the review's first step. Someone with the database deletes the
first file's row, or alters one byte of the second's sealed segment: `verify` says the log is not
intact and names the document, at the event that attached it. A disposal of the review, which is
recorded, takes the files with it and the log verifies; a file attached after the disposal and
then deleted is reported all the same. The review's inspection bundle carries the document file's
signed events (their digests, none of their content), and export says which documents' content
it vouches for, having hashed each in the store; it refuses one it cannot back.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from reviewledger_verify.bundle import verify_bundle

from adapters.app.application import Application
from adapters.governance import documents
from adapters.governance.bundle import BundleExportError, Vouched, export_bundle
from adapters.store.tables import document_segments
from adapters.store.tables import documents as documents_table
from adapters.store.verification import verify_ledger
from audit.verifier import Failure
from domain.governance.documents import documents_stream
from domain.kernel.roles import Role
from tests.integration.review_steps import open_review

REVIEW = "LR-2026-001"
STREAM = documents_stream(REVIEW)


@pytest.fixture
def attached(app: Application, tmp_path: Path) -> Application:
    app.register_person("admin", "officer", "Moira Tait", (Role.CPC_OFFICER,))
    app.register_person("admin", "records-manager", "Rhona Muir", (Role.RECORDS_MANAGER,))
    open_review(app, REVIEW, "officer")
    for n in (1, 2):
        _attach(app, tmp_path / f"notes-{n}.txt", f"Notes of meeting {n}\n")
    assert verify_ledger(app.ledger).intact
    return app


def _attach(app: Application, path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    found = documents.attach(
        app, review=REVIEW, step_version=1, path=path, about=("S-CHILD",), actor="officer"
    )
    return found.document.document_id


def _digest(app: Application, document_id: str) -> bytes:
    return bytes.fromhex(documents.find(app, REVIEW, document_id).sealed_sha256)


def _position(app: Application, stream: str, version: int) -> int:
    """The event's 1-based place in the global order, as verify locates it."""
    rows = [(str(n.originator_id), n.originator_version) for n in app.ledger.iter_notifications(0)]
    return rows.index((stream, version)) + 1


def _alter_segment(app: Application, document_id: str) -> None:
    with app.db.engine.begin() as conn:
        upload = conn.execute(
            sa.select(documents_table.c.upload).where(documents_table.c.digest == _digest(app, document_id))
        ).scalar_one()
        # The header is segment 0; the sealed text follows it.
        where = (document_segments.c.upload == upload, document_segments.c.seq == 1)
        piece = bytearray(conn.execute(sa.select(document_segments.c.ciphertext).where(*where)).scalar_one())
        piece[-1] ^= 0x01
        conn.execute(sa.update(document_segments).where(*where).values(ciphertext=bytes(piece)))


def _failures(app: Application) -> list[Failure]:
    report = verify_ledger(app.ledger)
    assert not report.intact
    return [f for f in report.failures if f.stream == STREAM]


def test_a_deleted_document_row_is_reported_at_the_event_that_attached_it(attached: Application) -> None:
    with attached.db.engine.begin() as conn:
        conn.execute(
            sa.delete(documents_table).where(documents_table.c.digest == _digest(attached, f"{REVIEW}-D1"))
        )
    assert _failures(attached) == [
        Failure(
            _position(attached, STREAM, 1),
            STREAM,
            1,
            f"document {REVIEW}-D1: its sealed content is missing and no disposal of the review is recorded",
        )
    ]


def test_an_altered_segment_is_reported_at_the_event_that_names_its_digest(attached: Application) -> None:
    _alter_segment(attached, f"{REVIEW}-D2")
    assert _failures(attached) == [
        Failure(
            _position(attached, STREAM, 2),
            STREAM,
            2,
            f"document {REVIEW}-D2: its sealed content does not match the SHA-256 its signed event names",
        )
    ]


def test_a_disposal_takes_the_documents_and_the_log_verifies_but_a_later_one_must_be_held(
    attached: Application, tmp_path: Path
) -> None:
    attached.dispose(REVIEW, "retention test rule", "records-manager")
    report = verify_ledger(attached.ledger)
    assert report.intact, report.as_json()
    later = _attach(attached, tmp_path / "later.txt", "Notes after the disposal\n")
    assert verify_ledger(attached.ledger).intact
    with attached.db.engine.begin() as conn:
        conn.execute(sa.delete(documents_table).where(documents_table.c.digest == _digest(attached, later)))
    [failure] = _failures(attached)
    assert (failure.version, failure.problem) == (
        3,
        f"document {later}: its sealed content is missing and no disposal of the review is recorded",
    )


def test_the_bundle_carries_the_documents_digests_and_says_whose_content_it_vouches_for(
    attached: Application, tmp_path: Path
) -> None:
    out = tmp_path / "review.zip"
    summary = export_bundle(attached.ledger, out, review=REVIEW)
    assert summary.documents == tuple(
        Vouched(document_id=d, what="document", sha256=_digest(attached, d).hex(), held=True)
        for d in (f"{REVIEW}-D1", f"{REVIEW}-D2")
    )
    assert (
        f"vouches for the content of: {REVIEW}-D1 (sealed SHA-256 {_digest(attached, f'{REVIEW}-D1').hex()})"
        in (summary.describe())
    )
    data = out.read_bytes()
    report = verify_bundle(data, attached.ledger.log_verifier_key())
    assert report.failures == [], report.failures
    with zipfile.ZipFile(out) as bundle:
        members = {name: bundle.read(name) for name in bundle.namelist()}
    assert not any(b"Notes of meeting" in body for body in members.values()), "no document's content travels"
    assert sum(_digest(attached, f"{REVIEW}-D1").hex().encode() in body for body in members.values()) == 1

    _alter_segment(attached, f"{REVIEW}-D2")
    with pytest.raises(BundleExportError, match=f"document {REVIEW}-D2: its sealed content does not match"):
        export_bundle(attached.ledger, tmp_path / "refused.zip", review=REVIEW)
    assert not (tmp_path / "refused.zip").exists()
