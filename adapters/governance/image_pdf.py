"""A PDF made only of page images: no text layer, no metadata, no attachments, nothing else.

A redacted document is rebuilt this way, so nothing that was removed can be read back from
it. Each page is one RGB image, compressed losslessly (FlateDecode), drawn to fill a page of the
original's size (ISO 32000-1 §8.9.5: image XObjects). The file has no document information
dictionary and no XMP metadata; it is written page by page, so only one page image is held at a
time.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from PIL import Image

# zlib's fastest level: a rendered page is mostly flat colour, which level 1 already compresses
# well, and a higher level costs several times the time of rendering the page.
_LEVEL = 1


class _Writer:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def put(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode() + body)
        if stream is not None:
            self.out.write(b"\nstream\n" + stream + b"\nendstream")
        self.out.write(b"\nendobj\n")

    def finish(self, root: int) -> None:
        size = max(self.offsets) + 1
        start = self.out.tell()
        self.out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for number in range(1, size):
            self.out.write(f"{self.offsets[number]:010d} 00000 n \n".encode())
        self.out.write(f"trailer\n<< /Size {size} /Root {root} 0 R >>\nstartxref\n{start}\n%%EOF\n".encode())


def write_image_pdf(pages: Iterable[tuple[Image.Image, tuple[float, float]]], path: Path) -> int:
    """Write each (image, (width, height) in points) as one page; return the number of pages.

    A page is compressed on a second thread while the next one is made (zlib and PDFium both let
    go of the interpreter), so at most two pages are held at a time."""
    kids: list[int] = []
    with path.open("wb") as out, ThreadPoolExecutor(max_workers=1) as compressor:
        writer = _Writer(out)
        pending: tuple[Future[bytes], int, int, float, float] | None = None
        for image, (width, height) in pages:
            rgb = image if image.mode == "RGB" else image.convert("RGB")
            compressed = compressor.submit(zlib.compress, rgb.tobytes(), _LEVEL)
            if pending is not None:
                kids.append(_put_page(writer, 3 * len(kids) + 3, *pending))
            pending = (compressed, rgb.width, rgb.height, width, height)
        if pending is not None:
            kids.append(_put_page(writer, 3 * len(kids) + 3, *pending))
        writer.put(
            2, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
        )
        writer.put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        writer.finish(root=1)
    return len(kids)


def _put_page(
    writer: _Writer,
    number: int,
    compressed: Future[bytes],
    pixels_wide: int,
    pixels_high: int,
    width: float,
    height: float,
) -> int:
    """Write one page's image, content and page objects from `number` on; return the page's number."""
    pixels = compressed.result()
    image_number, content_number, page_number = number, number + 1, number + 2
    writer.put(
        image_number,
        (
            f"<< /Type /XObject /Subtype /Image /Width {pixels_wide} /Height {pixels_high} "
            f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length {len(pixels)} >>"
        ).encode(),
        pixels,
    )
    draw = f"q {width:.3f} 0 0 {height:.3f} 0 0 cm /Page Do Q".encode()
    writer.put(content_number, f"<< /Length {len(draw)} >>".encode(), draw)
    writer.put(
        page_number,
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.3f} {height:.3f}] "
            f"/Resources << /XObject << /Page {image_number} 0 R >> >> /Contents {content_number} 0 R >>"
        ).encode(),
    )
    return page_number
