"""The log in formats any transparency-log tool reads: C2SP tlog-tiles and tlog-proof files.

`export_tiles` writes the log under the latest checkpoint as c2sp.org/tlog-tiles static files:

    checkpoint                     the latest signed checkpoint, with the witnesses' cosignatures
    tile/<L>/<N>[.p/<W>]           256 (or W) hashes of 32 bytes: level 0 the leaf hashes, level
                                   L+1 the Merkle tree hash of each full tile of level L
    tile/entries/<N>[.p/<W>]       the entries, each a big-endian uint16 length and the leaf input

`export_proofs` writes one c2sp.org/tlog-proof file per chosen event: the format line, `extra`
(base64 of the entry, so the record hash can be recomputed), `index`, the inclusion proof and
the checkpoint.

An entry is exactly the leaf input of the log's tree: the signed envelope followed by its
signature (audit/envelope.py `entry_bytes`). Envelopes hold no personal data, so neither do
tiles or proofs; the payloads, public or sealed, are never in them.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from adapters.store.files import write_atomically
from adapters.store.ledger import Ledger
from adapters.store.mapper import decode_state
from adapters.store.tables import merkle_leaves
from adapters.transparency.witnessing import cosigned
from audit import merkle
from audit.envelope import entry_bytes
from audit.errors import VerificationError
from audit.note import Checkpoint, parse_verifier_key, verify_checkpoint
from domain.kernel.errors import InvalidInput, ReviewledgerError

# c2sp.org/tlog-tiles, "Merkle Tree": a full tile is 256 hashes wide.
TILE_WIDTH = 256
# c2sp.org/tlog-tiles, "Log entries": each entry is prefixed by a big-endian uint16 length.
MAX_ENTRY = 0xFFFF
# c2sp.org/tlog-proof, "Format": the first line.
PROOF_FORMAT_LINE = "c2sp.org/tlog-proof@v1"


class ExportError(ReviewledgerError):
    """The stored log does not allow an honest export."""


def tile_index_path(index: int) -> str:
    """c2sp.org/tlog-tiles: the index in zero-padded 3-digit elements, all but the last with an 'x'."""
    digits = str(index)
    digits = digits.zfill(-(-len(digits) // 3) * 3)
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])


def tile_path(level: int | str, index: int, width: int = TILE_WIDTH) -> str:
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{level}/{tile_index_path(index)}{suffix}"


@dataclass(frozen=True)
class TilesSummary:
    tree_size: int
    tiles: int
    bundles: int

    def describe(self) -> str:
        return f"tree size {self.tree_size}: {self.tiles} tiles, {self.bundles} entry bundles"


def _latest(ledger: Ledger) -> tuple[str, Checkpoint]:
    note = ledger.tree.latest_checkpoint()
    if note is None:
        raise ExportError("the log has no signed checkpoint yet")
    try:
        checkpoint = verify_checkpoint(
            note, parse_verifier_key(ledger.log_verifier_key()), origin=ledger.origin
        )
    except VerificationError as error:
        raise ExportError(f"the latest stored checkpoint does not verify: {error}") from None
    return note + cosigned(ledger, checkpoint.size), checkpoint


def _entries(ledger: Ledger, size: int) -> Iterator[tuple[int, bytes, bytes]]:
    """(position, entry, logged leaf hash) of every position up to `size`, each checked against its leaf."""
    with ledger.db.reader.connect() as conn:
        rows = conn.execute(
            sa.select(merkle_leaves.c.position, merkle_leaves.c.notification_id, merkle_leaves.c.leaf_hash)
            .where(merkle_leaves.c.position <= size)
            .order_by(merkle_leaves.c.position)
        ).tuples()
        logged = {int(n): (int(p), bytes(h)) for p, n, h in rows}
    for notification in ledger.iter_notifications(0):
        place = logged.pop(notification.id, None)
        if place is None:
            continue
        stream = str(notification.originator_id)
        record = decode_state(stream, notification.originator_version, notification.topic, notification.state)
        entry = entry_bytes(record.envelope, record.signature)
        if merkle.leaf_hash(entry) != place[1]:
            raise ExportError(f"the event stored at position {place[0]} no longer matches its Merkle leaf")
        yield place[0], entry, place[1]
        if not logged:
            return
    if logged:
        raise ExportError(f"the event logged at position {min(p for p, _ in logged.values())} is not stored")


def export_tiles(ledger: Ledger, out: Path) -> TilesSummary:
    """Write the log under its latest checkpoint as tlog-tiles into the folder `out` (replaced whole)."""
    note, checkpoint = _latest(ledger)
    files: dict[str, bytes] = {"checkpoint": note.encode("utf-8")}
    level: list[bytes] = []
    bundle: list[bytes] = []
    for position, entry, leaf in _entries(ledger, checkpoint.size):
        if len(entry) > MAX_ENTRY:
            raise ExportError(f"the entry at position {position} is longer than a tile entry can be")
        level.append(leaf)
        bundle.append(len(entry).to_bytes(2, "big") + entry)
        if len(bundle) == TILE_WIDTH:
            files[tile_path("entries", position // TILE_WIDTH - 1)] = b"".join(bundle)
            bundle = []
    if bundle:
        files[tile_path("entries", checkpoint.size // TILE_WIDTH, len(bundle))] = b"".join(bundle)
    if merkle.root_of(level) != checkpoint.root:
        raise ExportError("the stored Merkle tree does not match the latest signed checkpoint")
    tiles, height = 0, 0
    while level:
        full = len(level) // TILE_WIDTH
        for n in range(full):
            files[tile_path(height, n)] = b"".join(level[n * TILE_WIDTH : (n + 1) * TILE_WIDTH])
        if len(level) % TILE_WIDTH:
            files[tile_path(height, full, len(level) % TILE_WIDTH)] = b"".join(level[full * TILE_WIDTH :])
        tiles += full + (1 if len(level) % TILE_WIDTH else 0)
        level = [merkle.root_of(level[n * TILE_WIDTH : (n + 1) * TILE_WIDTH]) for n in range(full)]
        height += 1
    _write_folder(out, files)
    bundles = sum(1 for name in files if name.startswith("tile/entries/"))
    return TilesSummary(tree_size=checkpoint.size, tiles=tiles, bundles=bundles)


def _write_folder(out: Path, files: dict[str, bytes]) -> None:
    """Write every file into a fresh folder beside `out`, then put it in place of `out`."""
    if out.exists() and (not out.is_dir() or {p.name for p in out.iterdir()} - {"checkpoint", "tile"}):
        raise InvalidInput("DIR", f"{out} exists and is not an earlier tiles export; name a new folder")
    staging = out.with_name(f".{out.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    for name, data in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)


def proof_text(index: int, entry: bytes, proof: Sequence[bytes], note: str) -> str:
    """One c2sp.org/tlog-proof file's text."""
    lines = [PROOF_FORMAT_LINE, f"extra {base64.b64encode(entry).decode()}", f"index {index}"]
    lines += [base64.b64encode(h).decode() for h in proof]
    return "\n".join(lines) + "\n\n" + note


def export_proofs(ledger: Ledger, out: Path, positions: Sequence[int]) -> list[Path]:
    """Write `<out>/<position>.tlog-proof` for each position, under the latest checkpoint."""
    note, checkpoint = _latest(ledger)
    wanted = set(positions)
    outside = sorted(p for p in wanted if not 1 <= p <= checkpoint.size)
    if outside:
        raise InvalidInput(
            "position", f"{outside[0]} is not a position of the signed tree (1 to {checkpoint.size})"
        )
    source = ledger.tree.source()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for position, entry, _ in _entries(ledger, max(wanted, default=0)):
        if position not in wanted:
            continue
        proof = merkle.inclusion_proof(position - 1, checkpoint.size, source)
        path = out / f"{position}.tlog-proof"
        write_atomically(path, proof_text(position - 1, entry, proof, note).encode("utf-8"))
        written.append(path)
    return written


def positions_of(ledger: Ledger, stream: str) -> list[int]:
    """The logged positions of one record's events."""
    with ledger.db.reader.connect() as conn:
        return [
            int(p)
            for p in conn.execute(
                sa.select(merkle_leaves.c.position)
                .where(merkle_leaves.c.stream == stream)
                .order_by(merkle_leaves.c.position)
            ).scalars()
        ]
