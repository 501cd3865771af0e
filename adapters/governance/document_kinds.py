"""What a file is, from its content, and the text in it.

A file's kind is recognised from its first bytes and its structure, never from its name: PDF,
DOCX, ODT, plain text (UTF-8), PNG and JPEG. Anything else, an encrypted file, a file that does
not open as the kind it claims to be, or one over the configured size is refused with
`DocumentRefused`, before anything is stored. Text is extracted for search and detection: a
PDF's text page by page (PDFium), a DOCX's or an ODT's paragraphs; an image, or a PDF with a page
that has no text layer (a scan), is flagged as not machine-readable, to be reviewed by eye.
Refusals name the rule, never the file's name or content.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import msgspec
import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from domain.governance.documents import MediaType
from domain.kernel.errors import InvalidInput

_READ = 1024 * 1024
_PDF, _PNG, _JPEG = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted Office file is an OLE container
_ODT_MIMETYPE = MediaType.ODT.value.encode()
# Plain text may hold tab, line feed, form feed and carriage return, and no other control character.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\x0c", "\r"} | {"\x7f"}


class DocumentRefused(InvalidInput):
    """The file is not one the record can hold: the field is `--file`, the message the rule."""

    def __init__(self, rule: str) -> None:
        super().__init__("--file", rule)


class Extracted(msgspec.Struct, frozen=True, kw_only=True):
    """A file's kind, its pages' text and whether every page has a text layer."""

    media_type: MediaType
    size_bytes: int
    pages: tuple[str, ...]
    machine_readable: bool

    @property
    def text(self) -> str:
        return "\n\f".join(self.pages)


def recognise(path: Path, *, max_bytes: int) -> MediaType:
    """The file's kind from its content; DocumentRefused when it is none the record holds."""
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentRefused(f"is {size} bytes; a document may be at most {max_bytes} bytes")
    with path.open("rb") as file:
        head = file.read(8)
    if head.startswith(_PDF):
        return MediaType.PDF
    if head.startswith(_PNG):
        return MediaType.PNG
    if head.startswith(_JPEG):
        return MediaType.JPEG
    if head.startswith(_ZIP):
        return _office_kind(path)
    if head.startswith(_OLE):
        raise DocumentRefused(
            "is an encrypted or legacy Office file; save it unprotected as DOCX, ODT or PDF"
        )
    if _is_text(path):
        return MediaType.TEXT
    raise DocumentRefused(
        "is not a PDF, DOCX, ODT, plain-text, PNG or JPEG file (recognised from its content)"
    )


def _office_kind(path: Path) -> MediaType:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
                    "META-INF/manifest.xml"
                ):
                    raise DocumentRefused("is an encrypted ODT file; save it without a password")
                return MediaType.ODT
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return MediaType.DOCX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise DocumentRefused("is a damaged archive, not a readable DOCX or ODT file") from None
    raise DocumentRefused("is an archive but not a DOCX or ODT document")


def _is_text(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        with path.open("rb") as file:
            while chunk := file.read(_READ):
                if not _CONTROL.isdisjoint(decoder.decode(chunk)):
                    return False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def extract(path: Path, *, max_bytes: int) -> Extracted:
    """Recognise, check and read the file; DocumentRefused when it is refused."""
    kind = recognise(path, max_bytes=max_bytes)
    size = path.stat().st_size
    if kind is MediaType.PDF:
        pages = pdf_pages(path)
        readable = all(page.strip() for page in pages)
    elif kind is MediaType.DOCX:
        pages, readable = (_docx_text(path),), True
    elif kind is MediaType.ODT:
        pages, readable = (_odt_text(path),), True
    elif kind is MediaType.TEXT:
        pages, readable = (path.read_text(encoding="utf-8"),), True
    else:
        _check_image(path, kind)
        pages, readable = ("",), False
    return Extracted(media_type=kind, size_bytes=size, pages=pages, machine_readable=readable)


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF with PDFium; DocumentRefused when it is encrypted or damaged."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentRefused("is an encrypted PDF; save it without a password") from None
        raise DocumentRefused("is a damaged PDF that does not open") from None
    # A PDF encrypted with an empty user password opens without one, and is still refused.
    if pdfium.raw.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
        pdf.close()
        raise DocumentRefused("is an encrypted PDF; save it without a password")
    if len(pdf) == 0:
        pdf.close()
        raise DocumentRefused("is a PDF without pages")
    return pdf


def pdf_pages(path: Path) -> tuple[str, ...]:
    """Each page's text layer, in order (empty for a page without one)."""
    pdf = open_pdf(path)
    try:
        found = []
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage()
            found.append(text.get_text_range())
            text.close()
            page.close()
        return tuple(found)
    finally:
        pdf.close()


def pdf_texts(data: bytes) -> list[str]:
    """What a reader of a PDF can read: every page's text layer, its metadata and attachments' names."""
    pdf = pdfium.PdfDocument(data)
    try:
        texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        texts += [str(value) for value in pdf.get_metadata_dict().values()]
        texts += [pdf.get_attachment(i).get_name() for i in range(pdf.count_attachments())]
        return texts
    finally:
        pdf.close()


def _docx_text(path: Path) -> str:
    import docx  # imported here: python-docx is only needed when a DOCX is read

    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises whatever its zip and XML parsers raise
        raise DocumentRefused("is a damaged DOCX file that does not open") from None
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _odt_text(path: Path) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    try:
        document = load(str(path))
    except Exception:  # odfpy raises whatever its zip and XML parsers raise
        raise DocumentRefused("is a damaged ODT file that does not open") from None
    elements = document.getElementsByType(text.H) + document.getElementsByType(text.P)
    return "\n".join(str(teletype.extractText(element)) for element in elements)


def _check_image(path: Path, kind: MediaType) -> None:
    expected = {MediaType.PNG: "PNG", MediaType.JPEG: "JPEG"}[kind]
    try:
        with Image.open(path) as image:
            if image.format != expected:
                raise DocumentRefused(f"is not a readable {expected} image")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DocumentRefused(f"is a damaged {expected} image") from None
