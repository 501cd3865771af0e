"""True redaction, proved: no redacted word survives anywhere in the output file.

A report about Ellie Rendall also names her mother, a social worker and an address. Answering
Ellie's subject access request, the officer removes the other people's identifiers (s.16 third
party) and a phrase and an area of their own. The proof reads the output as an attacker would:
every text layer, the metadata, the attachments, every byte and every decompressed stream of the
file, and the pixels under each box, which must be exactly the filled box with its ground.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from adapters.governance.redaction import SCALE, Area, Phrase, box_image, redact
from domain.governance.documents import MediaType
from domain.kernel.errors import InvalidInput
from tests.document_files import docx_file, scanned_pdf

THIRD_PARTY = "s.16 third party"
REMOVED = ["Dana Rendall", "Karen Spence", "4 Harbour Road", "Stromness"]
OFFICER_PHRASE = "the neighbour's dog"
PAGES = [
    "Ellie Rendall lived with her mother Dana Rendall at 4 Harbour Road, Stromness. "
    "The social worker Karen Spence visited weekly.",
    "Karen Spence noted that the neighbour's dog frightened Ellie. Dana Rendall agreed to move.",
]


def _report(path: Path) -> Path:
    import weasyprint

    body = "".join(f'<section style="break-after: page"><p>{text}</p></section>' for text in PAGES)
    html = (
        "<html><head><title>Report on Dana Rendall and Karen Spence</title>"
        '<meta name="author" content="Karen Spence"><meta name="keywords" content="Stromness">'
        "<style>p { font-size: 13pt; line-height: 2 }</style></head>"
        f"<body>{body}</body></html>"
    )
    attachment = path.with_name("note.txt")
    attachment.write_text("Attached note: Karen Spence, 4 Harbour Road", encoding="utf-8")
    weasyprint.HTML(string=html).write_pdf(
        path, attachments=[weasyprint.Attachment(filename=str(attachment))]
    )
    return path


def _phrases() -> list[Phrase]:
    return [Phrase(text=t, ground=THIRD_PARTY, source="detector") for t in REMOVED] + [
        Phrase(text=OFFICER_PHRASE, ground="s.38(1)(b) officer's judgement")
    ]


def _streams(data: bytes) -> list[bytes]:
    """Every stream of the file, decompressed where it is compressed."""
    found = []
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data):
        raw = data[match.end() : match.end() + int(match.group(1))]
        try:
            found.append(zlib.decompress(raw))
        except zlib.error:
            found.append(raw)
    return found


def _page_images(data: bytes) -> list[Image.Image]:
    images = []
    for match in re.finditer(rb"/Width (\d+) /Height (\d+) [^>]*/Length (\d+) >>\nstream\n", data):
        width, height, length = (int(g) for g in match.groups())
        pixels = zlib.decompress(data[match.end() : match.end() + length])
        images.append(Image.frombytes("RGB", (width, height), pixels))
    return images


def _forms(word: str) -> list[bytes]:
    return [word.encode(), word.encode("utf-16-be"), word.encode("utf-16-le"), word.upper().encode()]


@pytest.fixture
def redacted(tmp_path: Path) -> tuple[Path, Path, object]:
    source = _report(tmp_path / "report.pdf")
    out = tmp_path / "redacted.pdf"
    areas = [Area(page=2, left=40, top=20, right=200, bottom=60, ground="s.30 prejudice")]
    result = redact(source, MediaType.PDF, out, phrases=_phrases(), areas=areas, work=tmp_path)
    return source, out, result


def test_the_source_holds_every_word_to_remove_in_text_metadata_and_attachment(
    redacted: tuple[Path, Path, object],
) -> None:
    source, _, _ = redacted
    pdf = pdfium.PdfDocument(str(source))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert all(word in text for word in REMOVED) and OFFICER_PHRASE in text
    assert "Karen Spence" in str(pdf.get_metadata_dict()) and pdf.count_attachments() == 1


def test_no_redacted_word_survives_in_any_text_layer_metadata_attachment_or_byte(
    redacted: tuple[Path, Path, object],
) -> None:
    _, out, _ = redacted
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) == 2
    for index in range(len(pdf)):
        page = pdf[index]
        assert page.get_textpage().get_text_range().strip() == "", "no text layer at all"
    assert pdf.count_attachments() == 0
    assert all(not value for value in pdf.get_metadata_dict().values())
    data = out.read_bytes()
    everything = [data, *_streams(data)]
    for word in [*REMOVED, OFFICER_PHRASE, "Ellie", "Rendall"]:
        for form in _forms(word):
            assert not any(form in blob for blob in everything), f"{word!r} is in the file"


def test_the_pixels_under_every_box_are_the_box_and_its_ground_only(
    redacted: tuple[Path, Path, object],
) -> None:
    _, out, result = redacted
    images = _page_images(out.read_bytes())
    assert len(images) == 2
    boxes = result.boxes  # type: ignore[attr-defined]
    assert {b.ground for b in boxes} >= {THIRD_PARTY, "s.38(1)(b) officer's judgement", "s.30 prejudice"}
    for box in boxes:
        under = images[box.page - 1].crop((box.left, box.top, box.right, box.bottom))
        assert under.tobytes() == box_image(box.right - box.left, box.bottom - box.top, box.ground).tobytes()


def test_every_removed_character_lies_inside_a_box(redacted: tuple[Path, Path, object]) -> None:
    source, _, result = redacted
    pdf = pdfium.PdfDocument(str(source))
    for index in range(len(pdf)):
        page = pdf[index]
        height = page.get_height()
        text = page.get_textpage()
        boxes = [b for b in result.boxes if b.page == index + 1]  # type: ignore[attr-defined]
        for phrase in [*REMOVED, OFFICER_PHRASE]:
            searcher = text.search(phrase)
            while (found := searcher.get_next()) is not None:
                for char in range(found[0], found[0] + found[1]):
                    left, bottom, right, top = text.get_charbox(char)
                    pixels = (left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE)
                    assert any(
                        b.left <= pixels[0]
                        and b.top <= pixels[1]
                        and pixels[2] <= b.right
                        and pixels[3] <= b.bottom
                        for b in boxes
                    ), f"a character of {phrase!r} on page {index + 1} is outside every box"


def test_the_log_and_transcript_give_grounds_never_the_removed_words(
    redacted: tuple[Path, Path, object],
) -> None:
    _, _, result = redacted
    log = result.log  # type: ignore[attr-defined]
    assert {(e.page, e.ground, e.source) for e in log} >= {
        (1, THIRD_PARTY, "detector"),
        (2, "s.38(1)(b) officer's judgement", "officer"),
        (2, "s.30 prejudice", "area"),
    }
    assert [e.occurrences for e in log if e.page == 2 and e.source == "detector"] == [1, 1]
    assert not any(word in str(log) for word in REMOVED)
    transcript = result.transcript  # type: ignore[attr-defined]
    assert "Ellie" in transcript and f"[redacted: {THIRD_PARTY}]" in transcript
    assert not any(word.lower() in transcript.lower() for word in [*REMOVED, OFFICER_PHRASE])


def test_a_scanned_page_is_redacted_by_area_and_said_to_need_review_by_eye(tmp_path: Path) -> None:
    source = scanned_pdf(tmp_path / "scan.pdf", "Letter from Karen Spence")
    out = tmp_path / "out.pdf"
    area = Area(page=1, left=10, top=10, right=300, bottom=60, ground=THIRD_PARTY)
    result = redact(source, MediaType.PDF, out, phrases=_phrases(), areas=[area], work=tmp_path)
    assert result.not_machine_readable_pages == (1,)
    [box] = result.boxes
    [image] = _page_images(out.read_bytes())
    crop = image.crop((box.left, box.top, box.right, box.bottom))
    assert crop.tobytes() == box_image(box.right - box.left, box.bottom - box.top, THIRD_PARTY).tobytes()


def test_a_docx_is_laid_out_and_redacted_with_nothing_left_of_the_words(tmp_path: Path) -> None:
    source = docx_file(tmp_path / "minutes.docx", ["Minutes: Karen Spence reported on Ellie.", "Agreed."])
    out = tmp_path / "out.pdf"
    result = redact(source, MediaType.DOCX, out, phrases=_phrases(), areas=[], work=tmp_path)
    assert [e.ground for e in result.log] == [THIRD_PARTY]
    data = out.read_bytes()
    assert not any(form in blob for blob in [data, *_streams(data)] for form in _forms("Karen Spence"))


def test_a_bad_ground_or_area_is_refused_naming_the_field(tmp_path: Path) -> None:
    source = scanned_pdf(tmp_path / "scan.pdf", "text")
    with pytest.raises(InvalidInput, match="ground: must be 1 to 60"):
        redact(
            source,
            MediaType.PDF,
            tmp_path / "o.pdf",
            phrases=[Phrase(text="x", ground="<b>")],
            areas=[],
            work=tmp_path,
        )
    area = Area(page=2, left=0, top=0, right=1, bottom=1, ground=THIRD_PARTY)
    with pytest.raises(InvalidInput, match="area: must name a page from 1 to 1"):
        redact(source, MediaType.PDF, tmp_path / "o.pdf", phrases=[], areas=[area], work=tmp_path)
