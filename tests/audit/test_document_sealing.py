"""A document sealed in segments opens only whole, in order, for the record and upload it was sealed for."""

from __future__ import annotations

import os

import pytest

from audit.document_sealing import HEADER_SIZE, SEGMENT_SIZE, DocumentUnsealError, open_stream, seal_stream

KEY = bytes(range(32))
FILE = [os.urandom(SEGMENT_SIZE), os.urandom(SEGMENT_SIZE), b"the last few bytes"]


def _sealed(chunks: list[bytes], upload: str = "u1") -> tuple[bytes, list[bytes]]:
    header, *segments = seal_stream(KEY, iter(chunks), record="LR-2026-001", upload=upload)
    return header, segments


def _open(header: bytes, segments: list[bytes], *, record: str = "LR-2026-001", upload: str = "u1") -> bytes:
    return b"".join(open_stream(KEY, header, iter(segments), record=record, upload=upload))


def test_a_sealed_file_opens_to_its_bytes() -> None:
    header, segments = _sealed(FILE)
    assert len(header) == HEADER_SIZE and len(segments) == 3
    assert _open(header, segments) == b"".join(FILE)
    assert b"the last few bytes" not in b"".join(segments)


def test_an_empty_file_is_one_empty_last_segment() -> None:
    header, segments = _sealed([])
    assert len(segments) == 1 and _open(header, segments) == b""


def test_sealing_twice_gives_different_streams() -> None:
    assert _sealed(FILE) != _sealed(FILE)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: [s[1], s[0], s[2]], "segment 0 of the sealed document of LR-2026-001 does not open"),
        (lambda s: s[:2], "ends before its last segment"),
        (lambda s: [*s, s[2]], "goes on after its last segment"),
        (lambda s: [s[0], s[1][:-1] + bytes([s[1][-1] ^ 1]), s[2]], "segment 1 .* does not open"),
        (lambda s: [s[0], s[2]], "segment 1 .* does not open"),
    ],
)
def test_a_moved_cut_repeated_or_altered_segment_does_not_open(change: object, message: str) -> None:
    header, segments = _sealed(FILE)
    with pytest.raises(DocumentUnsealError, match=message):
        _open(header, change(segments))  # type: ignore[operator]


def test_a_stream_opens_only_for_its_record_and_upload() -> None:
    header, segments = _sealed(FILE)
    with pytest.raises(DocumentUnsealError, match="segment 0 of the sealed document of LR-2026-002"):
        _open(header, segments, record="LR-2026-002")
    with pytest.raises(DocumentUnsealError, match="segment 0"):
        _open(header, segments, upload="u2")
