"""Real files of each kind a step can carry, made here: PDFs with and without a text layer, DOCX,
ODT, plain text, PNG and JPEG, and files that must be refused (encrypted, damaged, unknown)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw


def text_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF whose pages carry a text layer (HTML through WeasyPrint)."""
    import weasyprint

    body = "".join(f'<section style="break-after: page"><p>{text}</p></section>' for text in pages)
    html = (
        f"<html><head><style>p {{ font-size: 14pt; line-height: 2 }}</style></head><body>{body}</body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(path)
    return path


def page_image(text: str, size: tuple[int, int] = (600, 300)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((40, 40), text, fill="black", font_size=28)
    return image


def scanned_pdf(path: Path, text: str) -> Path:
    """A PDF of one scanned page: an image, no text layer."""
    page_image(text).save(path, "PDF", resolution=72)
    return path


def docx_file(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def odt_file(path: Path, paragraphs: list[str]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    document.save(str(path))
    return path


def image_file(path: Path, text: str, kind: str) -> Path:
    page_image(text).save(path, kind)
    return path


def encrypted_pdf(path: Path) -> Path:
    """A PDF under the standard security handler, whose password is not empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Encrypt 4 0 R "
        f"/ID [<{'01' * 16}><{'01' * 16}>] >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(out.getvalue())
    return path


def large_png(path: Path, mebibytes: int) -> Path:
    """A PNG of noise about `mebibytes` MiB in size: noise does not compress."""
    side = int((mebibytes * 1024 * 1024 / 3) ** 0.5)
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path, "PNG", compress_level=0)
    return path


def streamed_form(
    fields: dict[str, str], path: Path, boundary: str = "reviewledger-test-form"
) -> tuple[str, Iterator[bytes]]:
    """A multipart/form-data body sending `fields` and the file at `path` as `file`, read from disk
    a mebibyte at a time, so the sender never holds the file whole: the content type and the body."""

    def body() -> Iterator[bytes]:
        for name, value in fields.items():
            yield f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        with path.open("rb") as file:
            while piece := file.read(1024 * 1024):
                yield piece
        yield f"\r\n--{boundary}--\r\n".encode()

    return f"multipart/form-data; boundary={boundary}", body()
