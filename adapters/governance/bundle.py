"""Evidence bundles: one review (or the whole log) packed so an inspector can verify it offline.

A bundle is a deterministic zip. It holds, for every included event, the exact signed
envelope, the signature and the public payload (personal values already null; sealed data
is never exported), each with its inclusion proof against the log's signed checkpoint;
every registry event up to that checkpoint, so the keys can be rebuilt; and the earlier
checkpoints an inspector of this record can hold (below), each with its signature, its
witnesses' cosignatures and its consistency proof. No code travels in a bundle: the inspector
checks it with a verifier of their own (the `reviewledger-verify` package, verifier/ here).

    manifest.json                 what is where, inclusion proofs, SHA-256 of every other member
    checkpoint.txt                the checkpoint, a C2SP signed note by the log's key, with the
                                  witnesses' cosignatures of it (adapters/transparency/witnessing.py)
    entries/<position>.envelope   exact envelope bytes as signed
    entries/<position>.sig        raw 64-byte Ed25519 signature
    entries/<position>.payload    the stored public payload (JSON)
    checkpoints/<size>.txt        the log's signed checkpoint of tree size <size>, cosignatures too
    consistency/<size>.proof      base64 hashes, one a line: from tree size <size> to the checkpoint

The registry is complete by proof. A Merkle tree proves that an event is in the log, never
that no later one is; so the bundle's checkpoint is one whose last event is the registry's
(`Ledger.registry_as_last`: the latest, or the one signed as the log marks its registry's head
with `registry.head-marked`). The verifier requires the registry's last event in the bundle to
be included at the tree's last position, and the registry's versions to run 1, 2, ... without a
gap: then no registry event before the checkpoint can have been left out.

Which checkpoints are carried, where the log is witnessed. The bundle's checkpoint carries the
cosignatures of the witnesses that cosigned it; an inspector's policy requires its quorum on
every checkpoint carried. So for each step of the record the bundle carries the first
checkpoint at or after it that those same witnesses cosigned (usually the step's own, pushed as
it was recorded), and none when that is the bundle's own; where the bundle's checkpoint is
cosigned by no one, the step's own checkpoints are carried, as below.

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
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import structlog

from adapters.app.progress import Progress
from adapters.store.files import write_atomically
from adapters.store.ledger import Ledger
from adapters.store.mapper import SignedRecord, decode_state
from adapters.store.tables import checkpoints, cosignatures, merkle_leaves
from adapters.store.verification import DatabaseLogSource
from adapters.transparency.witnessing import cosigned
from audit import bundle_format, document_presence, merkle
from audit.envelope import Envelope, entry_bytes
from audit.errors import VerificationError
from audit.note import Checkpoint, Verifier, parse_verifier_key, verify_checkpoint
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
    at: datetime | None = None,
) -> BundleSummary:
    """Write the bundle of `review` (every event when None) under the latest checkpoint to `out`.

    The latest checkpoint whose last event is the registry's: when the log's last event is not,
    the log first marks its registry's head (an event at `at`, by default now). The bundle
    proves consistency from the checkpoints at which the record's events were logged (every
    checkpoint, for the whole log), witnessed ones first (above). `since_checkpoint` is the text
    of a checkpoint note the inspector already holds; the bundle then also proves consistency
    from it. Raises RecordNotFound when the review has no events, and BundleExportError when the
    stored tree or the given checkpoint do not match.
    """
    if review is not None and ledger.stream_version(review) == 0:
        raise RecordNotFound("record", review)
    size = ledger.registry_as_last(at or datetime.now(UTC))
    note = ledger.tree.checkpoint_at(size)
    if note is None:
        raise BundleExportError("the log has no signed checkpoint yet")
    verifier = parse_verifier_key(ledger.log_verifier_key())
    try:
        checkpoint = verify_checkpoint(note, verifier, origin=ledger.origin)
    except VerificationError as error:
        raise BundleExportError(
            f"the stored checkpoint of tree size {size} does not verify: {error}"
        ) from None

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
    witnesses = _cosigners(ledger, checkpoint.size)
    vouched = vouch_for_documents(ledger, rows, records)
    if review is None:
        sizes = _earlier_checkpoint_sizes(ledger, checkpoint.size, witnesses)
    else:
        logged = [row.position for row in rows if row.stream == review]
        sizes = _checkpoints_covering(ledger, logged, checkpoint.size, witnesses)
    held: dict[int, str] = {}
    if since_checkpoint is not None:
        since = _since_size(since_checkpoint, verifier, ledger.origin, checkpoint, source)
        if since < checkpoint.size:  # equal sizes need no proof: the roots are simply equal
            sizes.add(since)
            held[since] = since_checkpoint
    consistency = {size: merkle.consistency_proof(size, checkpoint.size, source) for size in sizes}
    carried = {
        size: note + cosigned(ledger, size) for size, note in _stored_checkpoints(ledger, sizes, held).items()
    }

    try:
        data = assemble_bundle(
            origin=ledger.origin,
            review=review,
            checkpoint_note=note + cosigned(ledger, checkpoint.size),
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
    tree_size: int,
    entries: Sequence[BundleEntry],
    consistency: Mapping[int, Sequence[bytes]],
    checkpoints: Mapping[int, str],
) -> bytes:
    """The canonical bundle bytes for these parts (entries in position order).

    `consistency` holds the proof from each earlier size, `checkpoints` the signed note of
    each; the two are written as given, so a test can leave one out.
    """
    members: dict[str, bytes] = {bundle_format.CHECKPOINT_MEMBER: checkpoint_note.encode("utf-8")}
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


Cosigner = tuple[str, int]  # a witness's name and its key's type


def _cosigners(ledger: Ledger, size: int) -> set[Cosigner]:
    """Who cosigned the checkpoint of `size`, by name and key type."""
    with ledger.db.reader.connect() as conn:
        rows = conn.execute(
            sa.select(cosignatures.c.cosigner, cosignatures.c.kind).where(cosignatures.c.tree_size == size)
        ).tuples()
        return {(str(name), int(kind)) for name, kind in rows}


def _candidates(witnesses: set[Cosigner]) -> sa.Select[tuple[int]]:
    """The sizes of the stored checkpoints that may be carried: all of them, or, where the bundle's
    checkpoint is witnessed, those every one of its cosigners cosigned too."""
    if not witnesses:
        return sa.select(checkpoints.c.tree_size)
    return (
        sa.select(cosignatures.c.tree_size)
        .where(
            sa.or_(*(sa.and_(cosignatures.c.cosigner == n, cosignatures.c.kind == k) for n, k in witnesses))
        )
        .group_by(cosignatures.c.tree_size)
        .having(sa.func.count() == len(witnesses))
    )


def _earlier_checkpoint_sizes(ledger: Ledger, size: int, witnesses: set[Cosigner]) -> set[int]:
    sizes = _candidates(witnesses).subquery()
    with ledger.db.reader.connect() as conn:
        return {
            int(n)
            for n in conn.execute(
                sa.select(sizes.c.tree_size).where(sizes.c.tree_size > 0, sizes.c.tree_size < size)
            ).scalars()
        }


def _checkpoints_covering(
    ledger: Ledger, positions: Sequence[int], size: int, witnesses: set[Cosigner]
) -> set[int]:
    """The checkpoints below `size` at which these positions were logged: for each, the first
    covering it (witnessed as the bundle's checkpoint is, where that is witnessed)."""
    found: set[int] = set()
    covered = 0
    sizes = _candidates(witnesses).subquery()
    with ledger.db.reader.connect() as conn:
        for position in sorted(positions):
            if position <= covered:
                continue
            first = conn.execute(
                sa.select(sa.func.min(sizes.c.tree_size)).where(sizes.c.tree_size >= position)
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
