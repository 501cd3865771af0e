"""The access log: who read which record's data, through which view, why, and whether they were let.

Every read of personal data through the HTTP API is written here before the data is sent,
and so is every refused read. Rows hold ids and words from fixed lists only (actor id,
record reference, view, purpose, the IG request's reference, the request id), never the
data that was read.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import sqlalchemy as sa
import structlog

from adapters.application import Application
from adapters.tables import access_log

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
) -> None:
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
