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
from pathlib import Path
from typing import BinaryIO

from PIL import Image


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
    """Write each (image, (width, height) in points) as one page; return the number of pages."""
    kids: list[int] = []
    with path.open("wb") as out:
        writer = _Writer(out)
        number = 3  # 1: catalogue, 2: page tree, written last
        for image, (width, height) in pages:
            rgb = image.convert("RGB")
            pixels = zlib.compress(rgb.tobytes(), 6)
            image_number, content_number, page_number = number, number + 1, number + 2
            number += 3
            writer.put(
                image_number,
                (
                    f"<< /Type /XObject /Subtype /Image /Width {rgb.width} /Height {rgb.height} "
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
            kids.append(page_number)
        writer.put(
            2, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
        )
        writer.put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        writer.finish(root=1)
    return len(kids)
