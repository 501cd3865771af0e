"""True redaction: the content under each box is removed, not covered.

Each page of the document is rendered to an image (PDFium); every phrase to remove is found in
the page's text layer and its characters' boxes are filled, as is every area the officer marks;
each box shows its ground ("s.16 third party"). The pages are then rebuilt as a new PDF made only
of those images (`image_pdf`): no text layer, no metadata, no attachments, so no removed word
survives anywhere in the file. An optional plain-text transcript of what remains is made from
the original text layer with every removed phrase replaced by its ground, for readers who need
text (it is not read from the images, so no OCR guesses at what was removed).

A DOCX, ODT or plain-text file is first laid out as a PDF from its text (WeasyPrint); an image
is one page. A page without a text layer (a scan) can only be redacted by area, and says so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from pathlib import Path

import msgspec
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from adapters.governance.document_kinds import DocumentRefused, extract, open_pdf
from adapters.governance.image_pdf import write_image_pdf
from domain.governance.documents import MediaType
from domain.kernel.errors import InvalidInput

DPI = 150
SCALE = DPI / 72  # PDF user space is 1/72 inch (ISO 32000-1 §8.3.2.3)
PAD = 2.0  # points around each character box, so anti-aliased glyph edges are inside the box
FILL = (0, 0, 0)
LABEL = (255, 255, 255)
_GROUND = re.compile(r"[\w .,;:()/§'-]{1,60}")


class Phrase(msgspec.Struct, frozen=True, kw_only=True):
    """A phrase to remove wherever it appears, and the ground for removing it."""

    text: str
    ground: str
    source: str = "officer"  # "officer" or "detector"


class Area(msgspec.Struct, frozen=True, kw_only=True):
    """An area of a page to remove, in points from the page's top-left corner."""

    page: int  # 1-based
    left: float
    top: float
    right: float
    bottom: float
    ground: str


class Box(msgspec.Struct, frozen=True, kw_only=True):
    """One filled box of the output, in pixels of the rendered page."""

    page: int
    left: int
    top: int
    right: int
    bottom: int
    ground: str


class LogEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the redaction log: never the removed words, only where, how many and why."""

    number: int
    page: int
    ground: str
    source: str  # "officer", "detector" or "area"
    occurrences: int  # how many times the phrase was found on the page (1 for an area)


class Redacted(msgspec.Struct, frozen=True, kw_only=True):
    pages: int
    boxes: tuple[Box, ...]
    log: tuple[LogEntry, ...]
    not_machine_readable_pages: tuple[int, ...]
    transcript: str


def check_ground(ground: str) -> str:
    if not _GROUND.fullmatch(ground.strip()):
        raise InvalidInput("ground", "must be 1 to 60 letters, digits, spaces or . , ; : ( ) / § ' -")
    return ground.strip()


@lru_cache(maxsize=512)
def box_image(width: int, height: int, ground: str) -> Image.Image:
    """A filled box of this size showing its ground: exactly what the output holds there (made once
    for each size and ground, as the same name makes the same box; never changed once made)."""
    box = Image.new("RGB", (max(width, 1), max(height, 1)), FILL)
    size = max(6, min(int(height * 0.7), 28))
    ImageDraw.Draw(box).text((3, max(0, (height - size) // 2)), ground, fill=LABEL, font=_font(size))
    return box


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's own font at `size`, loaded once per size."""
    return ImageFont.load_default(size)


def as_pdf(source: Path, media_type: MediaType, work: Path) -> Path:
    """The document as a PDF to redact: itself, or laid out from its text, or its image as a page."""
    if media_type is MediaType.PDF:
        return source
    target = work / "laid-out.pdf"
    if media_type in (MediaType.PNG, MediaType.JPEG):
        with Image.open(source) as image:
            image.convert("RGB").save(target, "PDF", resolution=DPI)
        return target
    import weasyprint  # imported here: only needed for documents that are not PDFs

    text = extract(source, max_bytes=source.stat().st_size + 1).text
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    weasyprint.HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf(target)
    return target


def _pixel_box(rect: tuple[float, float, float, float], height: float) -> tuple[int, int, int, int]:
    left, bottom, right, top = rect
    return (
        max(0, int((left - PAD) * SCALE)),
        max(0, int((height - top - PAD) * SCALE)),
        int((right + PAD) * SCALE + 1),
        int((height - bottom + PAD) * SCALE + 1),
    )


def _occurrences(text: pdfium.PdfTextPage, phrase: str) -> list[list[tuple[float, float, float, float]]]:
    """For every occurrence of `phrase`, the loose boxes of its characters."""
    searcher = text.search(phrase, match_case=False, match_whole_word=False)
    found: list[list[tuple[float, float, float, float]]] = []
    try:
        while (occurrence := searcher.get_next()) is not None:
            start, count = occurrence
            found.append([text.get_charbox(index, loose=True) for index in range(start, start + count)])
    finally:
        searcher.close()
    return found


def redact(
    source: Path,
    media_type: MediaType,
    out: Path,
    *,
    phrases: Sequence[Phrase],
    areas: Sequence[Area],
    work: Path,
) -> Redacted:
    """Write the redacted PDF of `source` to `out`; return its boxes, redaction log and transcript."""
    for ground in [p.ground for p in phrases] + [a.ground for a in areas]:
        check_ground(ground)
    if any(not p.text.strip() for p in phrases):
        raise InvalidInput("phrase", "must not be empty")
    pdf = open_pdf(as_pdf(source, media_type, work))
    try:
        pages = len(pdf)
        if any(not 1 <= a.page <= pages for a in areas):
            raise InvalidInput("area", f"must name a page from 1 to {pages}")
        boxes: list[Box] = []
        log: list[LogEntry] = []
        blank: list[int] = []
        remaining: list[str] = []

        def rendered() -> Iterator[tuple[Image.Image, tuple[float, float]]]:
            for index in range(pages):
                page = pdf[index]
                width, height = page.get_size()
                text = page.get_textpage()
                page_text = text.get_text_range()
                if not page_text.strip():
                    blank.append(index + 1)
                image = page.render(scale=SCALE).to_pil()
                image = image if image.mode == "RGB" else image.convert("RGB")
                page_boxes: list[tuple[tuple[int, int, int, int], str, str]] = []
                for phrase in phrases:
                    found = _occurrences(text, phrase.text)
                    page_boxes.extend(
                        (_pixel_box(r, height), phrase.ground, phrase.source)
                        for rects in found
                        for r in rects
                    )
                    page_text = _replace(page_text, phrase)
                    if found:
                        log.append(_entry(len(log) + 1, index + 1, phrase.ground, phrase.source, len(found)))
                for area in (a for a in areas if a.page == index + 1):
                    rect = (area.left, height - area.bottom, area.right, height - area.top)
                    page_boxes.append((_pixel_box(rect, height), area.ground, "area"))
                    log.append(_entry(len(log) + 1, index + 1, area.ground, "area", 1))
                for (left, top, right, bottom), ground, _ in _merged(page_boxes):
                    image.paste(box_image(right - left, bottom - top, ground), (left, top))
                    boxes.append(
                        Box(page=index + 1, left=left, top=top, right=right, bottom=bottom, ground=ground)
                    )
                remaining.append(page_text)
                text.close()
                page.close()
                yield image, (width, height)

        written = write_image_pdf(rendered(), out)
    finally:
        pdf.close()
    return Redacted(
        pages=written,
        boxes=tuple(boxes),
        log=tuple(log),
        not_machine_readable_pages=tuple(blank),
        transcript="\n\f".join(remaining),
    )


def _entry(number: int, page: int, ground: str, source: str, occurrences: int) -> LogEntry:
    return LogEntry(number=number, page=page, ground=ground, source=source, occurrences=occurrences)


def _replace(text: str, phrase: Phrase) -> str:
    words = [re.escape(w) for w in phrase.text.split()]
    pattern = re.compile(r"\s+".join(words), re.IGNORECASE)
    return pattern.sub(f"[redacted: {phrase.ground}]", text)


def _merged(
    boxes: list[tuple[tuple[int, int, int, int], str, str]],
) -> list[tuple[tuple[int, int, int, int], str, str]]:
    """Character boxes of one line and one ground, side by side, become one box (one label)."""
    merged: list[tuple[tuple[int, int, int, int], str, str]] = []
    for (left, top, right, bottom), ground, source in sorted(boxes, key=lambda b: (b[1], b[0][1], b[0][0])):
        if merged:
            (m_left, m_top, m_right, m_bottom), m_ground, m_source = merged[-1]
            same_line = (
                abs(m_top - top) <= (bottom - top) // 2 and abs(m_bottom - bottom) <= (bottom - top) // 2
            )
            if m_ground == ground and same_line and left <= m_right + int(6 * SCALE):
                merged[-1] = (
                    (min(m_left, left), min(m_top, top), max(m_right, right), max(m_bottom, bottom)),
                    ground,
                    m_source,
                )
                continue
        merged.append(((left, top, right, bottom), ground, source))
    return _without_overlap(merged)


def _without_overlap(
    boxes: list[tuple[tuple[int, int, int, int], str, str]],
) -> list[tuple[tuple[int, int, int, int], str, str]]:
    """Boxes that overlap are joined into one, so no later box is pasted over part of another's label
    and every removed pixel lies inside a box the output shows whole."""
    joined = list(boxes)
    changed = True
    while changed:
        changed = False
        for i in range(len(joined)):
            for j in range(i + 1, len(joined)):
                (a, ga, sa), (b, gb, _) = joined[i], joined[j]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    union = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    ground = ga if ga == gb else f"{ga}; {gb}"
                    joined[i] = (union, ground, sa)
                    del joined[j]
                    changed = True
                    break
            if changed:
                break
    return joined


__all__ = ["Area", "Box", "DocumentRefused", "LogEntry", "Phrase", "Redacted", "box_image", "redact"]
