"""Documents attached to a review's steps, on SQLite and on PostgreSQL.

The officer attaches the agencies' returns, a chronology and minutes to the steps that received
them: each file is recognised from its content, sealed under the review's data key and named by
digest in a signed event. Bad files are refused and leave nothing behind. The team reads a
document and the read is logged; others are refused, and that is logged too. Disposing of the
review's personal data removes the bytes from every table, and the log still verifies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters import cli
from adapters.app.application import Application
from adapters.governance import documents
from adapters.governance.access_log import entries, reads_by
from adapters.governance.document_kinds import DocumentRefused
from adapters.store.documents import DocumentGone
from adapters.store.tables import document_segments
from adapters.store.tables import documents as documents_table
from adapters.store.verification import verify_ledger
from domain.governance.documents import MediaType, documents_stream
from domain.kernel.errors import InvalidInput, NotAuthorised, RecordNotFound, RuleViolation
from domain.kernel.roles import Role
from tests.document_files import (
    docx_file,
    encrypted_pdf,
    image_file,
    odt_file,
    scanned_pdf,
    text_pdf,
)
from tests.integration.review_steps import open_review

REVIEW = "LR-2026-001"
CHILD = "Ellie Rendall"


@pytest.fixture
def review(app: Application) -> Application:
    app.register_person("admin", "officer", "Moira Tait", (Role.CPC_OFFICER,))
    app.register_person("admin", "ig", "Iain Gunn", (Role.IG_OFFICER,))
    app.register_person("admin", "cog", "Cara Orr", (Role.COG,))
    open_review(app, REVIEW, "officer")
    return app


def _attach(app: Application, path: Path, *, version: int = 1, about: tuple[str, ...] = ("S-CHILD",)) -> str:
    attached = documents.attach(
        app, review=REVIEW, step_version=version, path=path, about=about, actor="officer"
    )
    return attached.document.document_id


def _stored_rows(app: Application) -> tuple[int, int]:
    with app.db.reader.connect() as conn:
        return (
            conn.execute(sa.select(sa.func.count()).select_from(documents_table)).scalar_one(),
            conn.execute(sa.select(sa.func.count()).select_from(document_segments)).scalar_one(),
        )


def test_each_kind_of_file_is_recognised_from_its_content_and_attached(
    review: Application, tmp_path: Path
) -> None:
    made = {
        MediaType.PDF: text_pdf(tmp_path / "report.bin", [f"Report about {CHILD}", "Second page"]),
        MediaType.DOCX: docx_file(tmp_path / "minutes.pdf", [f"Minutes: {CHILD} was discussed"]),
        MediaType.ODT: odt_file(tmp_path / "chronology", [f"Chronology of {CHILD}"]),
        MediaType.TEXT: tmp_path / "notes.docx",
        MediaType.PNG: image_file(tmp_path / "photo.jpg", "a photograph", "PNG"),
        MediaType.JPEG: image_file(tmp_path / "scan.png", "a scan", "JPEG"),
    }
    made[MediaType.TEXT].write_text(f"Notes on {CHILD}\n", encoding="utf-8")
    ids = {kind: _attach(review, path, version=2) for kind, path in made.items()}
    listed = {d.document_id: d for d in documents.listed(review, REVIEW)}
    assert [listed[ids[kind]].media_type for kind in made] == list(made), "the names were not believed"
    assert listed[ids[MediaType.PDF]].pages == 2
    assert listed[ids[MediaType.PDF]].machine_readable
    assert (
        not listed[ids[MediaType.PNG]].machine_readable and not listed[ids[MediaType.JPEG]].machine_readable
    )
    assert all(d.step == "national.nominated-person-informed" or d.step_version == 2 for d in listed.values())
    assert documents.download_name(listed[ids[MediaType.DOCX]]) == f"{REVIEW}-D2.docx"
    for kind, path in made.items():
        _, chunks = documents.open_for(review, review=REVIEW, document_id=ids[kind], actor="officer")
        assert b"".join(chunks) == path.read_bytes()


def test_a_scanned_pdf_is_flagged_for_review_by_eye(review: Application, tmp_path: Path) -> None:
    document_id = _attach(review, scanned_pdf(tmp_path / "scan.pdf", f"Letter about {CHILD}"))
    [found] = documents.listed(review, REVIEW)
    assert found.document_id == document_id and not found.machine_readable


def test_the_event_and_the_store_hold_no_content_and_the_event_names_the_sealed_digest(
    review: Application, tmp_path: Path
) -> None:
    path = text_pdf(tmp_path / f"{CHILD} report.pdf", [f"{CHILD} was seen by the health visitor"])
    _attach(review, path)
    [recorded] = review.ledger.read(documents_stream(REVIEW))
    assert recorded.type == "document.attached"
    with review.db.reader.connect() as conn:
        digest = conn.execute(sa.select(documents_table.c.digest)).scalar_one()
        segments = [bytes(r) for (r,) in conn.execute(sa.select(document_segments.c.ciphertext))]
    assert recorded.event.sealed_sha256 == bytes(digest).hex()  # type: ignore[attr-defined]
    stored = b"".join(segments)
    assert path.read_bytes()[:64] not in stored and b"%PDF" not in stored
    assert CHILD not in str(recorded.event) and "report.pdf" not in str(recorded.event)


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda p: encrypted_pdf(p / "locked.pdf"), "encrypted PDF"),
        (lambda p: _write(p / "broken.pdf", b"%PDF-1.7\nthis is not a PDF body\n"), "damaged PDF"),
        (
            lambda p: _write(p / "program.pdf", b"\x7fELF\x02\x01\x01" + bytes(range(256))),
            "is not a PDF, DOCX",
        ),
        (
            lambda p: _write(p / "legacy.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)),
            "encrypted or legacy",
        ),
        (lambda p: _write(p / "archive.docx", _zip_of({"readme.txt": b"hello"})), "not a DOCX or ODT"),
        (lambda p: _write(p / "broken.png", b"\x89PNG\r\n\x1a\n" + bytes(40)), "damaged PNG"),
        (lambda p: _write(p / "broken.docx", b"PK\x03\x04" + bytes(40)), "damaged archive"),
    ],
)
def test_a_bad_file_is_refused_naming_the_rule_and_nothing_is_stored(
    review: Application, tmp_path: Path, make: object, rule: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(DocumentRefused, match=f"--file: .*{rule}"):
        _attach(review, path)
    assert _stored_rows(review) == (0, 0)
    assert review.ledger.read(documents_stream(REVIEW)) == []


def test_a_file_over_the_configured_size_is_refused(
    review: Application, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "notes.txt", b"x" * 2048)
    monkeypatch.setenv("REVIEWLEDGER_DOCUMENT_MAX_BYTES", "1024")
    with pytest.raises(DocumentRefused, match="is 2048 bytes; a document may be at most 1024 bytes"):
        _attach(review, path)
    assert _stored_rows(review) == (0, 0)


def test_a_refused_attachment_stores_nothing(review: Application, tmp_path: Path) -> None:
    path = _write(tmp_path / "notes.txt", b"Notes\n")
    with pytest.raises(InvalidInput, match="--version: must name a step of LR-2026-001: 1 to 2"):
        _attach(review, path, version=3)
    with pytest.raises(RuleViolation, match="must say whom it is about"):
        _attach(review, path, about=())
    with pytest.raises(NotAuthorised, match="ig does not hold"):
        documents.attach(review, review=REVIEW, step_version=1, path=path, about=("S-CHILD",), actor="ig")
    assert _stored_rows(review) == (0, 0)


def test_a_large_file_is_stored_in_segments_and_read_back_whole(review: Application, tmp_path: Path) -> None:
    line = b"The family was visited on 3 March; the child was well.\n"
    path = _write(tmp_path / "long.txt", line * 60_000)  # about 3.3 MB: four segments
    document_id = _attach(review, path)
    assert _stored_rows(review)[1] == 5, "a header and four segments"
    _, chunks = documents.open_for(review, review=REVIEW, document_id=document_id, actor="officer")
    sizes = [len(c) for c in chunks]
    assert max(sizes) <= 1024 * 1024 and sum(sizes) == path.stat().st_size


def test_reading_is_for_the_team_and_every_opening_is_logged(review: Application, tmp_path: Path) -> None:
    document_id = _attach(review, _write(tmp_path / "notes.txt", b"Notes\n"))
    _, chunks = documents.open_for(review, review=REVIEW, document_id=document_id, actor="officer")
    assert b"".join(chunks) == b"Notes\n"
    only = "the bases of decisions and the reports presented to the COG only, not documents"
    with pytest.raises(NotAuthorised, match=f"refused to cog: their part reads {only}"):
        documents.open_for(review, review=REVIEW, document_id=document_id, actor="cog")
    logged = [(e.actor, e.view, e.granted) for e in entries(review, record=REVIEW)]
    assert ("officer", "document", True) in logged and ("cog", "document", False) in logged
    [read] = [r for r in reads_by(review, "officer") if r.view == "document"]
    assert read.fields == (f"1:document/{document_id}",) and read.subjects == ("S-CHILD",)
    with pytest.raises(RecordNotFound, match="LR-2026-001-D9"):
        documents.open_for(review, review=REVIEW, document_id="LR-2026-001-D9", actor="officer")


def test_disposal_removes_the_bytes_from_every_table_and_the_log_still_verifies(
    review: Application, tmp_path: Path
) -> None:
    review.register_person("admin", "records-manager", "Rhona Muir", (Role.RECORDS_MANAGER,))
    secret = "Unmistakable phrase about the Quarrelwood household"
    path = _write(tmp_path / "notes.txt", secret.encode() * 10)
    document_id = _attach(review, path)
    review.dispose(REVIEW, "retention test rule", "records-manager")
    assert _stored_rows(review) == (0, 0)
    tables = sa.MetaData()
    tables.reflect(review.db.engine)
    with review.db.reader.connect() as conn:
        for table in tables.sorted_tables:
            for row in conn.execute(sa.select(table)):
                assert secret not in str(row)
    assert verify_ledger(review.ledger).intact
    _, gone = documents.open_for(review, review=REVIEW, document_id=document_id, actor="officer")
    with pytest.raises(DocumentGone, match="the document's content has been disposed of"):
        next(gone)
    # A document attached after the disposal is kept under a new data key and reads.
    later = _attach(review, _write(tmp_path / "later.txt", b"After the disposal\n"))
    _, chunks = documents.open_for(review, review=REVIEW, document_id=later, actor="officer")
    assert b"".join(chunks) == b"After the disposal\n"


def test_the_command_line_attaches_lists_and_gets(
    review: Application, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", db_url, "--kek-file", str(tmp_path / "kek")]
    path = docx_file(tmp_path / "minutes.docx", ["Minutes of the review team"])
    assert (
        cli.main(
            [
                *base,
                "documents",
                "attach",
                REVIEW,
                "--version",
                "2",
                "--file",
                str(path),
                "--about",
                "S-CHILD",
                "--as",
                "officer",
            ]
        )
        == 0
    )
    assert "attached LR-2026-001-D1 to step 2 of LR-2026-001" in capsys.readouterr().out
    assert cli.main([*base, "documents", "list", REVIEW]) == 0
    assert "LR-2026-001-D1" in capsys.readouterr().out
    out = tmp_path / "copy.docx"
    assert (
        cli.main([*base, "documents", "get", REVIEW, "LR-2026-001-D1", "--as", "officer", "--out", str(out)])
        == 0
    )
    assert out.read_bytes() == path.read_bytes()
    bad = _write(tmp_path / "x.pdf", b"%PDF-1.7\nnot a pdf\n")
    assert (
        cli.main(
            [
                *base,
                "documents",
                "attach",
                REVIEW,
                "--version",
                "2",
                "--file",
                str(bad),
                "--about",
                "S-CHILD",
                "--as",
                "officer",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.strip() == "error: --file: is a damaged PDF that does not open" and "Traceback" not in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip_of(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_file_is_stored_and_read_back_in_segments_without_being_held_whole(
    review: Application, tmp_path: Path
) -> None:
    import tracemalloc

    from adapters.store import documents as document_store

    path = tmp_path / "large.bin"
    with path.open("wb") as file:
        for n in range(24):
            file.write(bytes([n]) * (1024 * 1024))
    tracemalloc.start()
    try:
        sealed = document_store.store(review, record=REVIEW, record_version=2, path=path)
        stored_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        out = tmp_path / "copy.bin"
        documents.write_to(document_store.read(review, record=REVIEW, sealed_sha256=sealed), out)
        read_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.read_bytes() == path.read_bytes()
    whole = path.stat().st_size
    assert stored_peak < whole / 4 and read_peak < whole / 4, (stored_peak, read_peak)


def test_an_interrupted_disposal_removes_the_documents_when_it_is_completed(
    review: Application, tmp_path: Path
) -> None:
    from domain.governance.disposal import PersonalDataDisposed

    _attach(review, _write(tmp_path / "notes.txt", b"Notes on the family\n"))
    assert _stored_rows(review) == (1, 2), "a header and one segment"
    at = review.clock.now()  # the disposal is stored and the process stops before shredding
    disposal = PersonalDataDisposed(rule="retention: test", authorised_by="admin", at=at)
    review.ledger.append(REVIEW, review.ledger.stream_version(REVIEW), [disposal], "admin", at)
    assert _stored_rows(review) == (1, 2)
    review.ledger.complete_disposals()
    assert _stored_rows(review) == (0, 0)
    assert verify_ledger(review.ledger).intact
