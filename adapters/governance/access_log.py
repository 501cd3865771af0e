"""The access log: who read which record's data, through which view, why, and whether they were let.

Every read of personal data is written here before the data is shown, and so is every
refused read. A granted read is two things: a row in `rl_access_log` (the HTTP API's request
id, the view, whether it was let) and a signed `access.personal-data-read` event in the
reader's own stream (`domain/governance/access.py`: which record, which items, whose data, for which
purpose and request), so the record of reads is as tamper-evident as the records read.
`reads_by` and `reads_about` list those events by reader and by data subject. Neither holds
anything but ids and words from fixed lists, never the data that was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import msgspec
import sqlalchemy as sa
import structlog

from adapters.app.application import Application, retrying
from adapters.app.register import items_read as items_read  # where it is defined; read here too
from adapters.app.views import refresh
from adapters.store.mapper import decode_state
from adapters.store.tables import access_log
from domain.governance.access import PersonalDataRead, ReadPurpose, access_stream, personal_data_read
from domain.kernel.errors import InvalidInput
from domain.kernel.event import type_name
from projections import schema

log = structlog.get_logger(__name__)

WHOLE_LOG = "-"  # the record named for reads of the log as a whole


class AccessEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    actor: str
    record: str
    view: str
    purpose: str | None
    ig_request: str | None
    granted: bool
    request_id: str


def record_access(
    app: Application,
    *,
    actor: str,
    record: str,
    view: str,
    granted: bool,
    request_id: str,
    purpose: str | None = None,
    ig_request: str | None = None,
    fields: Sequence[str] = (),
    subjects: Sequence[str] | None = None,
    also: Sequence[RecordRead] = (),
) -> None:
    """Write one read, or one refused read; a granted read is also signed by the reader first.

    `fields` are the items read (`<version>:<path>`; none: every item of the record) and
    `subjects` whose data they are (None: as the subject index knows them). `also` are other
    records' items read with it, signed in the same append.
    """
    if granted:
        record_reads(
            app,
            reader=actor,
            purpose=_purpose(purpose),
            view=view,
            ig_request=ig_request,
            reads=[RecordRead(record=record, fields=tuple(fields), subjects=_tuple(subjects)), *also],
        )
    moment = app.clock.now().astimezone(UTC)
    with app.db.engine.begin() as conn:
        conn.execute(
            sa.insert(access_log).values(
                at=moment,
                actor_id=actor,
                record=record,
                view=view,
                purpose=purpose,
                ig_request=ig_request,
                granted=granted,
                request_id=request_id,
            )
        )
    log.info(
        "data_read" if granted else "read_refused",
        record=record,
        view=view,
        purpose=purpose,
        ig_request=ig_request,
    )


def entries(app: Application, *, record: str | None = None, limit: int = 500) -> list[AccessEntry]:
    """The latest entries first, for one record or all."""
    query = sa.select(access_log).order_by(access_log.c.id.desc()).limit(limit)
    if record is not None:
        query = query.where(access_log.c.record == record)
    with app.db.reader.connect() as conn:
        rows = conn.execute(query).all()
    return [
        AccessEntry(
            at=row.at.replace(tzinfo=UTC) if row.at.tzinfo is None else row.at,
            actor=row.actor_id,
            record=row.record,
            view=row.view,
            purpose=row.purpose,
            ig_request=row.ig_request,
            granted=row.granted,
            request_id=row.request_id,
        )
        for row in rows
    ]


class EntryFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which entries of the access log a page lists: by whom, of which records, read or refused."""

    actor: str | None = None
    records: tuple[
        str, ...
    ] = ()  # any of these records (a reference may name several: a review, a request's file)
    granted: bool | None = None


class EntryPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of entries, in the order asked, with whether there are entries before and after it."""

    rows: tuple[tuple[int, AccessEntry], ...]  # (the entry's place in the log, the entry)
    earlier: bool
    later: bool


def entry_page(
    app: Application,
    flt: EntryFilter,
    *,
    newest_first: bool = True,
    after: int | None = None,
    before: int | None = None,
    size: int = 50,
) -> EntryPage:
    """One page of entries by keyset on the entry's place in the log: its cost follows the page, not the log.

    `after` is the last entry of the page before (the next page); `before` the first entry of
    the page after (the previous page). Filters use the indexed columns (reader, record).
    """
    query = sa.select(access_log)
    if flt.actor is not None:
        query = query.where(access_log.c.actor_id == flt.actor)
    if flt.records:
        query = query.where(access_log.c.record.in_(flt.records))
    if flt.granted is not None:
        query = query.where(access_log.c.granted == flt.granted)
    key = access_log.c.id
    backwards = before is not None and after is None
    if after is not None:
        query = query.where(key < after if newest_first else key > after)
    elif before is not None:
        query = query.where(key > before if newest_first else key < before)
    descending = newest_first != backwards
    query = query.order_by(key.desc() if descending else key.asc()).limit(size + 1)
    with app.db.reader.connect() as conn:
        rows = list(conn.execute(query).all())
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    found = tuple((row.id, _access_entry(row)) for row in rows)
    return EntryPage(
        rows=found,
        earlier=(more if backwards else after is not None or before is not None) and bool(found),
        later=(True if backwards else more) and bool(found),
    )


def _access_entry(row: sa.Row[tuple[object, ...]]) -> AccessEntry:
    at: datetime = row.at
    return AccessEntry(
        at=at.replace(tzinfo=UTC) if at.tzinfo is None else at,
        actor=row.actor_id,
        record=row.record,
        view=row.view,
        purpose=row.purpose,
        ig_request=row.ig_request,
        granted=row.granted,
        request_id=row.request_id,
    )


# -- reads of personal data as signed events ------------------------------------------------------

_READ_TYPE = type_name(PersonalDataRead)
_read_decoder = msgspec.json.Decoder(PersonalDataRead)


class RecordRead(msgspec.Struct, frozen=True, kw_only=True):
    """One record whose personal data is read: which items (none: all of them), and whose data."""

    record: str
    fields: tuple[str, ...] = ()
    subjects: tuple[str, ...] | None = None  # None: as the subject index knows them


class ReadEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One signed read, as the access log lists it."""

    at: datetime
    reader: str
    record: str
    view: str
    purpose: str
    ig_request: str | None
    fields: tuple[str, ...]
    subjects: tuple[str, ...]


def record_reads(
    app: Application,
    *,
    reader: str,
    purpose: ReadPurpose,
    view: str,
    reads: Sequence[RecordRead],
    ig_request: str | None = None,
) -> None:
    """Sign one `access.personal-data-read` event per record, as the reader, before anything is shown.

    All of them are appended at once to the reader's stream; a reader without an active key
    cannot sign, and so cannot read.
    """
    if not reads:
        return
    moment = app.clock.now()
    refresh(app)  # the subject index names whose data each record holds
    with app.db.reader.connect() as conn:
        events = [
            personal_data_read(
                reader=reader,
                record=r.record,
                purpose=purpose,
                view=view,
                at=moment,
                fields=r.fields,
                subjects=r.subjects if r.subjects is not None else _subjects_of(conn, r.record, r.fields),
                ig_request=ig_request,
            )
            for r in reads
        ]
    stream = access_stream(reader)
    retrying(lambda: app.ledger.append(stream, app.ledger.stream_version(stream), events, reader, moment))
    log.info("personal_data_read_logged", reader=reader, records=len(events), purpose=purpose.value)


def reads_by(app: Application, actor: str) -> list[ReadEntry]:
    """Every read of personal data signed by `actor`, oldest first."""
    return [
        _entry(r.event)
        for r in app.ledger.read(access_stream(actor))
        if isinstance(r.event, PersonalDataRead)
    ]


def reads_about(app: Application, subject: str) -> list[ReadEntry]:
    """Every read of personal data about `subject` (theirs, or stated by them), oldest first."""
    found: list[ReadEntry] = []
    for n in app.ledger.iter_notifications(0, topics=(_READ_TYPE,)):
        stored = decode_state(str(n.originator_id), n.originator_version, n.topic, n.state)
        event = _read_decoder.decode(stored.payload)
        if subject in event.subjects:
            found.append(_entry(event))
    return found


def _entry(event: PersonalDataRead) -> ReadEntry:
    return ReadEntry(
        at=event.at,
        reader=event.reader,
        record=event.record,
        view=event.view,
        purpose=event.purpose.value,
        ig_request=event.ig_request,
        fields=event.fields,
        subjects=event.subjects,
    )


def _subjects_of(conn: sa.Connection, record: str, fields: Sequence[str]) -> tuple[str, ...]:
    """Whose personal data the items are (about them, or stated by them), from the subject index."""
    i = schema.subject_items.c
    rows = conn.execute(sa.select(i.subject, i.version, i.field).where(i.stream == record).distinct())
    wanted = set(fields)
    return tuple(
        sorted({row.subject for row in rows if not wanted or f"{row.version}:{row.field}" in wanted})
    )


def _purpose(purpose: str | None) -> ReadPurpose:
    try:
        return ReadPurpose(purpose or "")
    except ValueError:
        raise InvalidInput(
            "purpose", f"a read of personal data names its purpose: one of {', '.join(ReadPurpose)}"
        ) from None


def _tuple(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)
