"""The bundle format as the log writes it: member names, the canonical zip and manifest.

The inspector's verifier (the separate `reviewledger-verify` package) re-creates these bytes
from a bundle's members with code of its own and refuses any other encoding; the bundle
tests hold the two to the same bytes. Nothing here signs or checks.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Mapping

# v2: no code travels in a bundle; it carries the checkpoints its consistency proofs start
# from. v3: the registry's last event is the tree's last (proven by its inclusion proof, not
# stated in a note the log signs), and carried checkpoints carry their cosignatures.
BUNDLE_FORMAT = "reviewledger-bundle/v3"
MANIFEST_MEMBER = "manifest.json"
CHECKPOINT_MEMBER = "checkpoint.txt"

# -- canonical zip (PKWARE APPNOTE.TXT 6.3.10) ------------------------------------------------

ZIP_LOCAL_HEADER_SIGNATURE = 0x04034B50  # §4.3.7
ZIP_CENTRAL_HEADER_SIGNATURE = 0x02014B50  # §4.3.12
ZIP64_END_RECORD_SIGNATURE = 0x06064B50  # §4.3.14
ZIP64_END_LOCATOR_SIGNATURE = 0x07064B50  # §4.3.15
ZIP_END_RECORD_SIGNATURE = 0x06054B50  # §4.3.16
ZIP_VERSION_NEEDED = 20  # §4.4.3.2: 2.0, enough for stored files in folders
ZIP64_VERSION_NEEDED = 45  # §4.4.3.2: 4.5, ZIP64 format extensions
ZIP_VERSION_MADE_BY = (3 << 8) | ZIP_VERSION_NEEDED  # §4.4.2: upper byte 3 = UNIX
ZIP_STORED = 0  # §4.4.5: compression method 0, stored
ZIP_NO_FLAGS = 0  # §4.4.4: no encryption, no data descriptor, names in IBM 437 (ASCII here)
ZIP_DOS_TIME = 0  # §4.4.6: 00:00:00
ZIP_DOS_DATE = (0 << 9) | (1 << 5) | 1  # §4.4.6: 1980-01-01, the MS-DOS epoch
ZIP_EXTERNAL_ATTRIBUTES = 0o100644 << 16  # §4.4.15: UNIX mode of a regular file, rw-r--r--
ZIP_MAX_16 = 0xFFFF  # §4.4.1.4: a larger count goes in the ZIP64 end record
ZIP_MAX_32 = 0xFFFFFFFF  # this writer does not write ZIP64 sizes or offsets
_MEMBER_NAME = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


def entry_member_names(position: int) -> tuple[str, str, str]:
    """The envelope, signature and payload member names of the entry at `position`."""
    return (f"entries/{position}.envelope", f"entries/{position}.sig", f"entries/{position}.payload")


def consistency_member_name(size: int) -> str:
    """The member holding the consistency proof from tree size `size` to the bundle's."""
    return f"consistency/{size}.proof"


def checkpoint_member_name(size: int) -> str:
    """The member holding the log's signed checkpoint of tree size `size`."""
    return f"checkpoints/{size}.txt"


def canonical_zip(members: Mapping[str, bytes]) -> bytes:
    """The one zip encoding of these members; ValueError if a name or size cannot be encoded."""
    return _zip_layout(members)[0]


def _zip_layout(members: Mapping[str, bytes]) -> tuple[bytes, list[tuple[int, str]]]:
    """The canonical zip, and where each of its regions starts (for reporting differences)."""
    archive = bytearray()
    directory = bytearray()
    regions: list[tuple[int, str]] = []
    for name in sorted(members):
        if not _MEMBER_NAME.fullmatch(name):
            raise ValueError(f"member name {name!r} is not a plain relative ASCII path")
        raw_name, data = name.encode("ascii"), members[name]
        if len(raw_name) > ZIP_MAX_16:
            raise ValueError("a member name is longer than a zip header can hold")
        offset, crc = len(archive), zlib.crc32(data)
        if len(data) > ZIP_MAX_32 or offset > ZIP_MAX_32:
            raise ValueError("a bundle larger than 4 GiB cannot be written")
        regions.append((offset, f"the local header of {name}"))
        # §4.3.7 local file header: stored, no flags, fixed date, no extra field.
        archive += struct.pack(
            "<IHHHHHIIIHH",
            ZIP_LOCAL_HEADER_SIGNATURE,
            ZIP_VERSION_NEEDED,
            ZIP_NO_FLAGS,
            ZIP_STORED,
            ZIP_DOS_TIME,
            ZIP_DOS_DATE,
            crc,
            len(data),
            len(data),
            len(raw_name),
            0,
        )
        archive += raw_name
        regions.append((len(archive), f"the data of {name}"))
        archive += data
        # §4.3.12 central directory header: no extra field, no comment, disk 0.
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            ZIP_CENTRAL_HEADER_SIGNATURE,
            ZIP_VERSION_MADE_BY,
            ZIP_VERSION_NEEDED,
            ZIP_NO_FLAGS,
            ZIP_STORED,
            ZIP_DOS_TIME,
            ZIP_DOS_DATE,
            crc,
            len(data),
            len(data),
            len(raw_name),
            0,
            0,
            0,
            0,
            ZIP_EXTERNAL_ATTRIBUTES,
            offset,
        )
        directory += raw_name
    directory_offset, count = len(archive), len(members)
    if directory_offset + len(directory) > ZIP_MAX_32:
        raise ValueError("a bundle larger than 4 GiB cannot be written")
    regions.append((directory_offset, "the central directory"))
    archive += directory
    if count > ZIP_MAX_16:
        end64 = len(archive)
        regions.append((end64, "the ZIP64 end of central directory record"))
        # §4.3.14: the record's size field counts the bytes after itself (44).
        archive += struct.pack(
            "<IQHHIIQQQQ",
            ZIP64_END_RECORD_SIGNATURE,
            44,
            ZIP_VERSION_MADE_BY,
            ZIP64_VERSION_NEEDED,
            0,
            0,
            count,
            count,
            len(directory),
            directory_offset,
        )
        # §4.3.15: the locator points at the ZIP64 record; one disk in total.
        archive += struct.pack("<IIQI", ZIP64_END_LOCATOR_SIGNATURE, 0, end64, 1)
        count = ZIP_MAX_16
    regions.append((len(archive), "the end of central directory record"))
    # §4.3.16: one disk, no comment.
    archive += struct.pack(
        "<IHHHHIIH", ZIP_END_RECORD_SIGNATURE, 0, 0, count, count, len(directory), directory_offset, 0
    )
    return bytes(archive), regions


def encode_manifest(manifest: Mapping[str, object]) -> bytes:
    """The one JSON encoding of a manifest: sorted keys, one-space indent, ASCII, final newline."""
    text = json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=True, allow_nan=False)
    return text.encode("ascii") + b"\n"
