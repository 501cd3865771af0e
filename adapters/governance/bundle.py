"""Evidence bundles: one review (or the whole log) packed so an inspector can verify it offline.

A bundle is a deterministic zip. It holds, for every included event, the exact signed
envelope, the signature and the public payload (personal values already null; sealed data
is never exported), each with its inclusion proof against the log's latest signed
checkpoint; every registry event up to that checkpoint, so the keys can be rebuilt, and the
log's signed statement of where the registry ends there, so none can be left out; and the
earlier checkpoints an inspector of this record can hold (below), each with its signature
and its consistency proof. No code travels in a bundle: the inspector checks it with a
verifier of their own (the `reviewledger-verify` package, verifier/ in this repository).

    manifest.json                 what is where, inclusion proofs, SHA-256 of every other member
    checkpoint.txt                the latest checkpoint, a C2SP signed note by the log's key,
                                  with the witnesses' cosignatures of it (adapters/transparency/witnessing.py)
    registry-head.txt             signed by the log's key: at this tree size the registry ends
                                  at version v, at position p (audit/bundle_format.py)
    entries/<position>.envelope   exact envelope bytes as signed
    entries/<position>.sig        raw 64-byte Ed25519 signature
    entries/<position>.payload    the stored public payload (JSON)
    checkpoints/<size>.txt        the log's signed checkpoint of tree size <size>
    consistency/<size>.proof      base64 hashes, one a line: from tree size <size> to the checkpoint

Which consistency proofs. The log signs a checkpoint after every commit, so a log of 10^6
events has some 10^4 of them; a proof from each would make one review's bundle grow with the
whole log and its export take a minute. An inspector of one review holds a checkpoint for one
of two reasons, and the bundle proves consistency from exactly those:

  - it was signed when one of this record's steps was logged (the checkpoint covering each of
    the record's events: the one the log showed right after that step). These are in every
    bundle of the record, about one per step, however long the log;
  - it is one the inspector names at export (`since_checkpoint`, `bundle export --since`):
    the checkpoint they were handed earlier, whenever that was. It must verify under the
    log's key and match the stored tree, or the export refuses.

A proof from any other checkpoint (another record's step) is left out: the verifier's
`--since` then names the size it has no proof from, and the inspector asks for a bundle
exported with `--since` their checkpoint. What the verifier checks is unchanged: every proof
it is asked to use must hold; only which proofs travel by default changed. A whole-log bundle
covers every event, so it still holds a proof from every earlier checkpoint.

The zip encoding and the manifest encoding (audit/bundle_format.py) are the ones the verifier
re-creates with code of its own; a bundle in any other bytes is refused.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import structlog

from adapters.app.progress import Progress
from adapters.store.files import write_atomically
from adapters.store.ledger import Ledger
from adapters.store.mapper import SignedRecord, decode_state
from adapters.store.tables import checkpoints, merkle_leaves
from adapters.store.verification import DatabaseLogSource
from adapters.transparency.witnessing import cosigned
from audit import bundle_format, document_presence, merkle
from audit.envelope import Envelope, entry_bytes
from audit.errors import VerificationError
from audit.note import Checkpoint, Verifier, parse_verifier_key, sign_note, verify_checkpoint
from audit.verifier import DISPOSAL_TYPE
from domain.governance.documents import DOCUMENTS_PREFIX, documents_stream
from domain.kernel.errors import RecordNotFound, ReviewledgerError
from domain.kernel.registry import REGISTRY_STREAM

log = structlog.get_logger(__name__)


class BundleExportError(ReviewledgerError):
    """The log's stored state does not allow an honest bundle to be made."""


@dataclass(frozen=True)
class BundleSummary:
    """What was exported, for the command line to print."""

    path: Path
    review: str | None
    entries: int
    tree_size: int
    sha256: str
    documents: tuple[Vouched, ...] = ()

    def describe(self) -> str:
        scope = f"review {self.review}, its documents and the registry" if self.review else "the whole log"
        line = (
            f"{self.path}: {self.entries} entries ({scope}) under the signed checkpoint of "
            f"tree size {self.tree_size}; bundle SHA-256 {self.sha256}"
        )
        held = [d for d in self.documents if d.held]
        gone = [d for d in self.documents if not d.held]
        if held:
            line += "\nvouches for the content of: " + ", ".join(
                f"{d.name} (sealed SHA-256 {d.sha256})" for d in held
            )
        if gone:
            line += "\ndisposed of with the review's personal data (no content to vouch for): " + ", ".join(
                d.name for d in gone
            )
        return line


@dataclass(frozen=True)
class Vouched:
    """A document whose signed event the bundle carries: its sealed content was found whole in the
    store, hashing to the digest the event names (held), or was disposed of, which is recorded."""

    document_id: str
    what: str  # "document" or "redacted copy"
    sha256: str  # hex SHA-256 of the sealed stream, as the signed event names it
    held: bool

    @property
    def name(self) -> str:
        return self.document_id if self.what == "document" else f"{self.document_id} ({self.what})"


def vouch_for_documents(
    ledger: Ledger, rows: Sequence[_LeafRow], records: Mapping[tuple[str, int], SignedRecord]
) -> tuple[Vouched, ...]:
    """Each document the bundled events name, read back from the store and hashed (never exported).

    A document whose content is missing without a later disposal of its review, or does not hash
    to its signed digest, refuses the export: the bundle would carry a digest the store cannot back.
    """
    named: list[document_presence.NamedContent] = []
    disposals: dict[str, int] = {}
    for row in rows:
        record = records.get((row.stream, row.version))
        if record is None:
            continue
        envelope = Envelope.parse(record.envelope)
        if envelope.type == DISPOSAL_TYPE:
            disposals[envelope.stream] = row.position
        if row.stream.startswith(DOCUMENTS_PREFIX):
            content = document_presence.named_content(
                envelope.type, row.stream, row.version, row.position, record.payload
            )
            if content is not None:
                named.append(content)
    source = DatabaseLogSource(ledger)
    for _, problem in document_presence.problems(named, source, disposals):
        raise BundleExportError(f"{problem}: the bundle cannot vouch for it; run verify")
    return tuple(
        Vouched(
            document_id=c.document_id,
            what=c.what,
            sha256=c.digest,
            held=source.document_segments(bytes.fromhex(c.digest)) is not None,
        )
        for c in named
    )


@dataclass(frozen=True)
class BundleEntry:
    """One event as it goes into a bundle, with its inclusion proof."""

    position: int
    stream: str
    version: int
    notification_id: int
    envelope: bytes
    signature: bytes
    payload: bytes
    inclusion_proof: tuple[bytes, ...]


def export_bundle(
    ledger: Ledger,
    out: Path,
    *,
    review: str | None = None,
    since_checkpoint: str | None = None,
    progress: Progress | None = None,
) -> BundleSummary:
    """Write the bundle of `review` (every event when None) under the latest checkpoint to `out`.

    The bundle proves consistency from the checkpoints at which the record's events were
    logged (every checkpoint, for the whole log). `since_checkpoint` is the text of a
    checkpoint note the inspector already holds; the bundle then also proves consistency from
    it. Raises RecordNotFound when the review has no events, and BundleExportError when the
    stored tree or the given checkpoint do not match.
    """
    note = ledger.tree.latest_checkpoint()
    if note is None:
        raise BundleExportError("the log has no signed checkpoint yet")
    verifier = parse_verifier_key(ledger.log_verifier_key())
    try:
        checkpoint = verify_checkpoint(note, verifier, origin=ledger.origin)
    except VerificationError as error:
        raise BundleExportError(f"the latest stored checkpoint does not verify: {error}") from None
    if review is not None and ledger.stream_version(review) == 0:
        raise RecordNotFound("record", review)

    rows = _leaf_rows(ledger, checkpoint.size, review)
    if review is not None and not any(row.stream == review for row in rows):
        raise BundleExportError(f"no event of {review} is in the signed tree yet; try again shortly")
    source = _node_source(ledger, checkpoint.size, review)
    if source.subtree_hash(0, checkpoint.size) != checkpoint.root:
        raise BundleExportError("the stored Merkle tree does not match the latest signed checkpoint")

    records = _stored_records(ledger, rows, review)
    progress = progress or Progress.quiet()
    progress.total = len(rows)
    entries = []
    for row in rows:
        entries.append(_entry(row, records, checkpoint.size, source))
        progress.advance()
    vouched = vouch_for_documents(ledger, rows, records)
    if review is None:
        sizes = _earlier_checkpoint_sizes(ledger, checkpoint.size)
    else:
        logged = [row.position for row in rows if row.stream == review]
        sizes = _checkpoints_covering(ledger, logged, checkpoint.size)
    held: dict[int, str] = {}
    if since_checkpoint is not None:
        since = _since_size(since_checkpoint, verifier, ledger.origin, checkpoint, source)
        if since < checkpoint.size:  # equal sizes need no proof: the roots are simply equal
            sizes.add(since)
            held[since] = since_checkpoint
    consistency = {size: merkle.consistency_proof(size, checkpoint.size, source) for size in sizes}
    carried = _stored_checkpoints(ledger, sizes, held)

    try:
        data = assemble_bundle(
            origin=ledger.origin,
            review=review,
            checkpoint_note=note + cosigned(ledger, checkpoint.size),
            registry_head_note=_registry_head(ledger, checkpoint.size),
            tree_size=checkpoint.size,
            entries=entries,
            consistency=consistency,
            checkpoints=carried,
        )
    except ValueError as error:  # canonical_zip refuses what a plain zip cannot hold (4 GiB)
        raise BundleExportError(
            f"the bundle cannot be written: {error}; export one review at a time"
        ) from None
    write_atomically(out, data)
    progress.finish()
    log.info("bundle_exported", review=review, entries=len(entries), tree_size=checkpoint.size)
    return BundleSummary(
        path=out,
        review=review,
        entries=len(entries),
        tree_size=checkpoint.size,
        sha256=hashlib.sha256(data).hexdigest(),
        documents=vouched,
    )


def assemble_bundle(
    *,
    origin: str,
    review: str | None,
    checkpoint_note: str,
    registry_head_note: str,
    tree_size: int,
    entries: Sequence[BundleEntry],
    consistency: Mapping[int, Sequence[bytes]],
    checkpoints: Mapping[int, str],
) -> bytes:
    """The canonical bundle bytes for these parts (entries in position order).

    `consistency` holds the proof from each earlier size, `checkpoints` the signed note of
    each; the two are written as given, so a test can leave one out.
    """
    members: dict[str, bytes] = {
        bundle_format.CHECKPOINT_MEMBER: checkpoint_note.encode("utf-8"),
        bundle_format.REGISTRY_HEAD_MEMBER: registry_head_note.encode("utf-8"),
    }
    listed: list[dict[str, object]] = []
    for entry in entries:
        envelope_name, signature_name, payload_name = bundle_format.entry_member_names(entry.position)
        members[envelope_name] = entry.envelope
        members[signature_name] = entry.signature
        members[payload_name] = entry.payload
        listed.append(
            {
                "position": entry.position,
                "stream": entry.stream,
                "version": entry.version,
                "notification_id": entry.notification_id,
                "envelope": envelope_name,
                "signature": signature_name,
                "payload": payload_name,
                "inclusion_proof": [_b64(h) for h in entry.inclusion_proof],
            }
        )
    for size, proof in consistency.items():
        members[bundle_format.consistency_member_name(size)] = "".join(f"{_b64(h)}\n" for h in proof).encode(
            "ascii"
        )
    for size, checkpoint in checkpoints.items():
        members[bundle_format.checkpoint_member_name(size)] = checkpoint.encode("utf-8")
    manifest = {
        "format": bundle_format.BUNDLE_FORMAT,
        "origin": origin,
        "review": review,
        "tree_size": tree_size,
        "entries": listed,
        "consistency_from": sorted(consistency),
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())},
    }
    members[bundle_format.MANIFEST_MEMBER] = bundle_format.encode_manifest(manifest)
    return bundle_format.canonical_zip(members)


# -- reading what goes in -----------------------------------------------------------------


@dataclass(frozen=True)
class _LeafRow:
    position: int
    notification_id: int
    stream: str
    version: int
    leaf_hash: bytes


def _leaf_rows(ledger: Ledger, size: int, review: str | None) -> list[_LeafRow]:
    """The logged events to include, in position order: the review's and the registry's, or all."""
    query = sa.select(
        merkle_leaves.c.position,
        merkle_leaves.c.notification_id,
        merkle_leaves.c.stream,
        merkle_leaves.c.version,
        merkle_leaves.c.leaf_hash,
    ).where(merkle_leaves.c.position <= size)
    if review is not None:
        query = query.where(merkle_leaves.c.stream.in_((review, documents_stream(review), REGISTRY_STREAM)))
    with ledger.db.reader.connect() as conn:
        rows = conn.execute(query.order_by(merkle_leaves.c.position)).tuples().all()
    return [_LeafRow(p, n, s, v, bytes(h)) for p, n, s, v, h in rows]


def _node_source(ledger: Ledger, size: int, review: str | None) -> merkle.NodeSource:
    """Whole log: every leaf in memory (it is all being read anyway). One review: the stored nodes."""
    if review is not None:
        return ledger.tree.source()
    with ledger.db.reader.connect() as conn:
        leaves = conn.execute(
            sa.select(merkle_leaves.c.leaf_hash)
            .where(merkle_leaves.c.position <= size)
            .order_by(merkle_leaves.c.position)
        ).scalars()
        return merkle.LeafListSource([bytes(leaf) for leaf in leaves])


def _stored_records(
    ledger: Ledger, rows: Sequence[_LeafRow], review: str | None
) -> dict[tuple[str, int], SignedRecord]:
    """The stored records of the included events, by (stream, version)."""
    found: dict[tuple[str, int], SignedRecord] = {}
    if review is None:
        last = max((row.notification_id for row in rows), default=0)
        for notification in ledger.iter_notifications(0):
            if notification.id > last:
                break
            stream = str(notification.originator_id)
            found[(stream, notification.originator_version)] = decode_state(
                stream, notification.originator_version, notification.topic, notification.state
            )
        return found
    for stream in (review, documents_stream(review), REGISTRY_STREAM):
        last_version = max((row.version for row in rows if row.stream == stream), default=0)
        for stored in ledger.db.recorder.select_events(stream, lte=last_version):
            found[(stream, stored.originator_version)] = decode_state(
                stream, stored.originator_version, stored.topic, stored.state
            )
    return found


def _entry(
    row: _LeafRow, records: Mapping[tuple[str, int], SignedRecord], size: int, source: merkle.NodeSource
) -> BundleEntry:
    record = records.get((row.stream, row.version))
    if record is None:
        raise BundleExportError(f"the event logged at position {row.position} is no longer stored as logged")
    if merkle.leaf_hash(entry_bytes(record.envelope, record.signature)) != row.leaf_hash:
        raise BundleExportError(
            f"the event stored at position {row.position} no longer matches its Merkle leaf"
        )
    return BundleEntry(
        position=row.position,
        stream=row.stream,
        version=row.version,
        notification_id=row.notification_id,
        envelope=record.envelope,
        signature=record.signature,
        payload=record.payload,
        inclusion_proof=tuple(merkle.inclusion_proof(row.position - 1, size, source)),
    )


def _earlier_checkpoint_sizes(ledger: Ledger, size: int) -> set[int]:
    with ledger.db.reader.connect() as conn:
        return set(
            conn.execute(
                sa.select(checkpoints.c.tree_size).where(
                    checkpoints.c.tree_size > 0, checkpoints.c.tree_size < size
                )
            ).scalars()
        )


def _checkpoints_covering(ledger: Ledger, positions: Sequence[int], size: int) -> set[int]:
    """The checkpoints below `size` at which these positions were logged: for each, the first covering it."""
    found: set[int] = set()
    covered = 0
    with ledger.db.reader.connect() as conn:
        for position in sorted(positions):
            if position <= covered:
                continue
            first = conn.execute(
                sa.select(sa.func.min(checkpoints.c.tree_size)).where(checkpoints.c.tree_size >= position)
            ).scalar()
            if first is None or first >= size:
                break
            covered = int(first)
            found.add(covered)
    return found


def _since_size(
    note: str, verifier: Verifier, origin: str, latest: Checkpoint, source: merkle.NodeSource
) -> int:
    """Check the inspector's checkpoint is an earlier state of this very tree; return its size."""
    try:
        earlier = verify_checkpoint(note, verifier, origin=origin)
    except VerificationError as error:
        raise BundleExportError(f"the --since checkpoint is not a checkpoint of this log: {error}") from None
    if earlier.size == 0 or earlier.size > latest.size:
        raise BundleExportError(
            f"the --since checkpoint has tree size {earlier.size}; a consistency proof needs a size "
            f"between 1 and the latest, {latest.size}"
        )
    if source.subtree_hash(0, earlier.size) != earlier.root:
        raise BundleExportError(
            f"the --since checkpoint's root differs from this log's tree at size {earlier.size}"
        )
    return earlier.size


def _registry_head(ledger: Ledger, size: int) -> str:
    """The log's signed statement of where its registry ends at tree size `size`."""
    with ledger.db.reader.connect() as conn:
        last = conn.execute(
            sa.select(merkle_leaves.c.version, merkle_leaves.c.position)
            .where(merkle_leaves.c.stream == REGISTRY_STREAM, merkle_leaves.c.position <= size)
            .order_by(merkle_leaves.c.position.desc())
            .limit(1)
        ).first()
    if last is None:
        raise BundleExportError("the log's registry is not in the signed tree yet")
    text = bundle_format.registry_head_text(ledger.origin, size, int(last.version), int(last.position))
    return sign_note(text, ledger.origin, ledger.log_key.private_key)


def _stored_checkpoints(ledger: Ledger, sizes: set[int], held: Mapping[int, str]) -> dict[int, str]:
    """The log's signed checkpoint of each size (the inspector's own, should the log not hold it)."""
    found: dict[int, str] = {}
    wanted = sorted(sizes)
    with ledger.db.reader.connect() as conn:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = conn.execute(
                sa.select(checkpoints.c.tree_size, checkpoints.c.note).where(
                    checkpoints.c.tree_size.in_(chunk)
                )
            )
            found.update((int(size), note) for size, note in rows.tuples())
    for size in wanted:
        if size not in found and size in held:
            found[size] = held[size]
        if size not in found:
            raise BundleExportError(f"the log holds no signed checkpoint of tree size {size}")
    return found


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")
