"""The log as any transparency-log tool reads it: C2SP tlog-tiles and tlog-proof files.

The tiles are read back here as a tlog client reads them, with nothing of the log's own code
but RFC 6962 hashing: every entry in a bundle hashes to its level-0 tile hash; every level-1
hash is the tree hash of its full level-0 tile; the level-0 hashes give the checkpoint's root.
A proof file verifies on its own: the entry it carries, its index, the inclusion proof and the
signed checkpoint. Neither holds any personal value.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from pathlib import Path

import pytest

from adapters.app.application import Application
from adapters.cli import main
from adapters.transparency.tlog_export import (
    export_proofs,
    export_tiles,
    positions_of,
    tile_index_path,
    tile_path,
)
from audit.merkle import root_of, verify_inclusion
from audit.note import parse_verifier_key, verify_checkpoint
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import InvalidInput
from domain.kernel.roles import Role

NAME = "Jamie Example"


def _subjects(app: Application, count: int) -> None:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    for n in range(count):
        app.execute(
            DataSubject,
            subject_stream(f"S-{n}"),
            "officer",
            RegisterSubject(
                subject_id=f"S-{n}", category=SubjectCategory.CHILD, name=NAME, date_of_birth=date(2015, 4, 1)
            ),
        )


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_tile_paths_follow_the_specification() -> None:
    assert tile_index_path(1234067) == "x001/x234/067"
    assert tile_index_path(0) == "000"
    assert tile_index_path(999) == "999"
    assert tile_index_path(1000) == "x001/000"
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path("entries", 3, 17) == "tile/entries/003.p/17"


def _read_entries(bundle: bytes) -> list[bytes]:
    entries, at = [], 0
    while at < len(bundle):
        size = int.from_bytes(bundle[at : at + 2], "big")
        entries.append(bundle[at + 2 : at + 2 + size])
        at += 2 + size
    return entries


def test_the_tiles_are_read_back_as_a_tlog_client_reads_them(app: Application, tmp_path: Path) -> None:
    _subjects(app, 260)  # more than one full tile of entries
    summary = export_tiles(app.ledger, tmp_path / "tiles")
    folder = tmp_path / "tiles"
    note = (folder / "checkpoint").read_text(encoding="utf-8")
    checkpoint = verify_checkpoint(note, parse_verifier_key(app.ledger.log_verifier_key()))
    size = checkpoint.size
    assert summary.tree_size == size > 256

    full, width = divmod(size, 256)
    level0 = [(folder / tile_path(0, n)).read_bytes() for n in range(full)]
    level0.append((folder / tile_path(0, full, width)).read_bytes())
    hashes = [tile[i : i + 32] for tile in level0 for i in range(0, len(tile), 32)]
    assert len(hashes) == size
    assert root_of(hashes) == checkpoint.root
    # Level 1: the tree hash of each full level-0 tile; here one full tile, a partial tile of width 1.
    assert (folder / tile_path(1, 0, full)).read_bytes() == b"".join(
        root_of(hashes[n * 256 : (n + 1) * 256]) for n in range(full)
    )
    assert not (folder / tile_path(1, 0)).exists()
    # Entry bundles: each entry hashes to its leaf.
    entries = _read_entries((folder / tile_path("entries", 0)).read_bytes())
    entries += _read_entries((folder / tile_path("entries", full, width)).read_bytes())
    assert [_sha(b"\x00" + e) for e in entries] == hashes
    assert all(e.startswith(b"reviewledger/event/v1\n") for e in entries)
    for path in folder.rglob("*"):
        if path.is_file():
            assert NAME.encode() not in path.read_bytes()
            assert b"Callum" not in path.read_bytes()

    # Written again over the same folder: the same files.
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    export_tiles(app.ledger, folder)
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="is not an earlier tiles export; name a new folder"):
        export_tiles(app.ledger, tmp_path / "other")
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"


def test_a_proof_file_verifies_offline_on_its_own(app: Application, tmp_path: Path) -> None:
    _subjects(app, 3)
    review = subject_stream("S-1")
    [position] = positions_of(app.ledger, review)
    [path] = export_proofs(app.ledger, tmp_path / "proofs", [position])
    assert path.name == f"{position}.tlog-proof"
    text = path.read_text(encoding="utf-8")
    head, _, note = text.partition("\n\n")
    lines = head.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    assert lines[1].startswith("extra ")
    assert lines[2] == f"index {position - 1}"
    entry = base64.b64decode(lines[1].removeprefix("extra "))
    proof = [base64.b64decode(line) for line in lines[3:]]
    checkpoint = verify_checkpoint(note, parse_verifier_key(app.ledger.log_verifier_key()))
    verify_inclusion(position - 1, checkpoint.size, _sha(b"\x00" + entry), proof, checkpoint.root)
    assert f"stream {review}\n".encode() in entry
    assert NAME.encode() not in path.read_bytes()

    with pytest.raises(InvalidInput, match=r"is not a position of the signed tree \(1 to \d+\)"):
        export_proofs(app.ledger, tmp_path / "proofs", [checkpoint.size + 1])


def test_the_command_line_exports_tiles_and_proofs(
    app: Application, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _subjects(app, 2)
    base = ["--db", app.db.url.describe(), "--kek-file", str(app.kek_file)]
    assert main([*base, "tiles", "export", str(tmp_path / "tiles")]) == 0
    assert "entry bundles" in capsys.readouterr().out
    assert (tmp_path / "tiles" / "checkpoint").is_file()
    review = subject_stream("S-0")
    assert main([*base, "proof", "export", "--out", str(tmp_path / "p"), "--review", review]) == 0
    [printed] = capsys.readouterr().out.split()
    assert printed == str(tmp_path / "p" / f"{positions_of(app.ledger, review)[0]}.tlog-proof")
    assert main([*base, "proof", "export", "--out", str(tmp_path / "p"), "--review", "subject-none"]) == 2
    assert "no record with reference 'subject-none'" in capsys.readouterr().err
    assert main([*base, "proof", "export", "--out", str(tmp_path / "p")]) == 2
    assert "--position" in capsys.readouterr().err
