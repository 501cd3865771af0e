"""Disposal under the retention schedule, and the certificate that proves it (DOMAIN.md §6).

`dispose` refuses unless the person may authorise a disposal (the records manager or an
information-governance officer), the schedule makes the record's disposal due today and no
legal hold covers it (the refusal names the hold), and the record still holds sealed personal
data; a refusal records nothing. Then the record is crypto-shredded (`Application.dispose`: a
signed `record.personal-data-disposed` event, then the data keys and ciphertexts destroyed)
and a **disposal certificate** is issued: which record and class, whose data and which items
(by path, never a value), when, under which rule, authorised by whom, and where the signed
disposal event sits in the log, with the signed checkpoint that first covers it, so anyone
can check the certificate against the log offline. The certificate is kept in
`rl_disposal_certificates` in the same transaction as the signed disposal event (so there is
never a disposal without its certificate, nor a certificate without its disposal), and written
to a file on request.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import msgspec
import sqlalchemy as sa

from adapters.app.application import Application, retrying
from adapters.governance.retention import decide, load_schedule, survey
from adapters.store.files import write_atomically
from adapters.store.recorders import Sql, insert
from adapters.store.tables import disposal_certificates, sealed
from adapters.store.tree import Logged
from domain.governance.disposal import PersonalDataDisposed
from domain.governance.retention import DISPOSAL_ROLES, RULE_SCHEDULE, authorise_disposal
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.roles import require_any_role
from projections.subjects import personal_items

FORMAT = "reviewledger/disposal-certificate/v1"

_encode = msgspec.json.Encoder(order="deterministic").encode


class DisposedItem(msgspec.Struct, frozen=True, kw_only=True):
    """One item of personal data that was destroyed: where it was, what kind, whose."""

    version: int
    field: str
    kind: str
    about: tuple[str, ...]
    by: str | None = None


class CheckpointCited(msgspec.Struct, frozen=True, kw_only=True):
    """The first signed checkpoint whose tree includes the disposal event."""

    tree_size: int
    root_hash: str  # base64, as in the note
    note: str  # the signed note, exactly as the log signed it


class DisposalCertificate(msgspec.Struct, frozen=True, kw_only=True):
    format: str = FORMAT
    certificate_id: str
    record: str
    record_class: str
    subjects: tuple[str, ...]
    items: tuple[DisposedItem, ...]
    disposed_at: datetime
    rule: str  # the schedule's rule, in the words signed into the disposal event
    basis: str  # where the rule comes from
    action: str
    due_on: date | None
    why: str  # why the disposal was due
    authorised_by: str
    authorised_role: str
    stream_version: int  # the disposal event's version in the record's stream
    log_position: int  # its 1-based place in the log (Merkle leaf index + 1)
    checkpoint: CheckpointCited


_KEEP_CERTIFICATE = insert(
    disposal_certificates,
    "certificate_id",
    "record",
    "version",
    "position",
    "disposed_at",
    "authorised_by",
    "document",
)


def dispose(app: Application, reference: str, actor: str, *, out: Path | None = None) -> DisposalCertificate:
    """Dispose of a record's personal data under the schedule and issue its certificate.

    Refuses (NotAuthorised, RuleViolation naming the hold or the schedule's reason) and records
    nothing unless the disposal may be made now. `out`, if given, is checked before anything is
    disposed of and receives the certificate as JSON.
    """
    if out is not None and not out.parent.is_dir():
        raise InvalidInput("--out", f"the folder {out.parent} does not exist")
    # Checked and disposed of against one state of the log: a hold (or anything else) recorded by
    # someone else in between stops the disposal before it is recorded, and it is checked again.
    certificate = retrying(lambda: _dispose_if_unchanged(app, reference, actor))
    if out is not None:
        write_certificate(certificate, out)
    return certificate


def _dispose_if_unchanged(app: Application, reference: str, actor: str) -> DisposalCertificate:
    app.ledger.tree.catch_up()  # the certificate cites where the disposal is logged: no backlog before it
    seen = int(app.db.recorder.max_notification_id() or 0)
    moment = app.clock.now()
    role = require_any_role(
        app.acting(actor), DISPOSAL_ROLES, action="authorising a disposal", record=reference
    )
    schedule = load_schedule(app)
    decision = decide(schedule, survey(app), reference, moment.date())
    rule = authorise_disposal(decision)
    if not _holds_sealed_data(app, reference):
        raise RuleViolation(
            "disposal is refused: the record holds no personal data to dispose of",
            rule=RULE_SCHEDULE,
            record=reference,
        )
    items, subjects = _items_held(app, reference)
    issued: list[DisposalCertificate] = []

    def issue(sql: Sql, logged: Logged) -> None:
        """In the disposal event's own transaction: its certificate, citing where it was logged."""
        version = logged.first_version
        _, size, root = logged.checkpoint.split("\n", 3)[:3]
        certificate = DisposalCertificate(
            certificate_id=f"DC-{reference}-{version}",
            record=reference,
            record_class=decision.record_class.value,
            subjects=subjects,
            items=items,
            disposed_at=moment,
            rule=rule.describe(),
            basis=rule.basis,
            action=rule.action.value,
            due_on=decision.due_on,
            why=decision.reason,
            authorised_by=actor,
            authorised_role=role.value,
            stream_version=version,
            log_position=logged.first_position,
            checkpoint=CheckpointCited(tree_size=int(size), root_hash=root, note=logged.checkpoint),
        )
        sql.execute(
            _KEEP_CERTIFICATE,
            {
                "certificate_id": certificate.certificate_id,
                "record": reference,
                "version": version,
                "position": logged.first_position,
                "disposed_at": moment,
                "authorised_by": actor,
                "document": _encode(certificate).decode(),
            },
        )
        issued.append(certificate)

    app.dispose(
        reference,
        rule.describe(),
        actor,
        at=moment,
        reason=decision.reason,
        unchanged_since=seen,
        then=issue,
    )
    return issued[-1]


def certificates(app: Application, record: str | None = None) -> list[DisposalCertificate]:
    """Every certificate issued, in log order (or those of one record)."""
    c = disposal_certificates.c
    query = sa.select(c.document).order_by(c.position)
    if record is not None:
        query = query.where(c.record == record)
    with app.db.reader.connect() as conn:
        return [msgspec.json.decode(row[0], type=DisposalCertificate) for row in conn.execute(query)]


def certificate_bytes(certificate: DisposalCertificate) -> bytes:
    return msgspec.json.format(_encode(certificate), indent=2) + b"\n"


def write_certificate(certificate: DisposalCertificate, path: Path) -> None:
    """Write the certificate as JSON, atomically: the file is whole or not there."""
    write_atomically(path, certificate_bytes(certificate))


def _holds_sealed_data(app: Application, reference: str) -> bool:
    with app.db.reader.connect() as conn:
        found = conn.execute(sa.select(sealed.c.digest).where(sealed.c.record == reference).limit(1)).first()
    return found is not None


def _items_held(app: Application, reference: str) -> tuple[tuple[DisposedItem, ...], tuple[str, ...]]:
    """The personal items recorded since the record's last disposal: what this disposal destroys."""
    events = app.ledger.read(reference)
    since = max((r.version for r in events if isinstance(r.event, PersonalDataDisposed)), default=0)
    items = tuple(
        DisposedItem(version=r.version, field=path, kind=item.kind.value, about=item.about, by=item.by)
        for r in events
        if r.version > since
        for path, item in personal_items(r.event)
    )
    subjects = sorted({s for i in items for s in (*i.about, *((i.by,) if i.by else ()))})
    return items, tuple(subjects)
