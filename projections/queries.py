"""Reading the read models: each query returns the view Structs, never rows or aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import msgspec
import sqlalchemy as sa

from projections import schema
from projections.model import Decision, ReviewState, TermsVersion, TimescaleView, with_days
from projections.subjects import SubjectItem

_state = msgspec.json.Decoder(ReviewState)
_decision = msgspec.json.Decoder(Decision)
_timescale = msgspec.json.Decoder(TimescaleView)
_terms = msgspec.json.Decoder(TermsVersion)
_item = msgspec.json.Decoder(SubjectItem)


class ReviewSummary(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    route: str
    kind: str
    subject_group: str | None
    stage: str
    status: str
    version: int
    open_obligations: int
    # Set when an event of the review is not as signed: its row stands as before it.
    verification: str | None = None


def list_reviews(
    conn: sa.Connection, *, route: str | None = None, status: str | None = None
) -> list[ReviewSummary]:
    r = schema.reviews.c
    query = sa.select(
        r.reference,
        r.route,
        r.kind,
        r.subject_group,
        r.stage,
        r.status,
        r.version,
        r.open_obligations,
        r.verification,
    ).order_by(r.reference)
    if route is not None:
        query = query.where(r.route == route)
    if status is not None:
        query = query.where(r.status == status)
    return [
        ReviewSummary(
            reference=row.reference,
            route=row.route,
            kind=row.kind,
            subject_group=row.subject_group,
            stage=row.stage,
            status=row.status,
            version=row.version,
            open_obligations=row.open_obligations,
            verification=row.verification,
        )
        for row in conn.execute(query)
    ]


def review_state(conn: sa.Connection, reference: str, today: date | None = None) -> ReviewState | None:
    document = conn.execute(
        sa.select(schema.reviews.c.document).where(schema.reviews.c.reference == reference)
    ).scalar()
    if document is None:
        return None
    state = _state.decode(document)
    if today is None:
        return state
    return msgspec.structs.replace(state, clocks=tuple(with_days(c, today) for c in state.clocks))


def decisions(conn: sa.Connection, reference: str) -> list[Decision]:
    d = schema.decisions.c
    rows = conn.execute(sa.select(d.document).where(d.reference == reference).order_by(d.version))
    return [_decision.decode(row[0]) for row in rows]


def terms(conn: sa.Connection, reference: str) -> tuple[TermsVersion, ...]:
    t = schema.terms.c
    rows = conn.execute(sa.select(t.document).where(t.reference == reference).order_by(t.version))
    return tuple(_terms.decode(row[0]) for row in rows)


def timescales(conn: sa.Connection, today: date, *, running_only: bool = False) -> list[TimescaleView]:
    """Every timescale across all reviews, soonest due first, as seen on `today`."""
    c = schema.clocks.c
    query = sa.select(c.document).order_by(c.due, c.reference, c.seq)
    if running_only:
        query = query.where(c.status.in_(("running", "paused")))
    return [with_days(_timescale.decode(row[0]), today) for row in conn.execute(query)]


def timescales_of(conn: sa.Connection, references: Sequence[str], today: date) -> list[TimescaleView]:
    """The running and paused timescales of these reviews (one page of a list), as seen on `today`."""
    if not references:
        return []
    c = schema.clocks.c
    query = (
        sa.select(c.document)
        .where(c.reference.in_(references), c.status.in_(("running", "paused")))
        .order_by(c.reference, c.seq)
    )
    return [with_days(_timescale.decode(row[0]), today) for row in conn.execute(query)]


def reviews_held_by(conn: sa.Connection, holder: str) -> list[str]:
    """The reviews on which `holder` (an actor or subject id) holds, or has acted in, a role."""
    r = schema.roles.c
    rows = conn.execute(
        sa.select(r.reference).where(r.holder == holder, r.current.is_(True)).distinct().order_by(r.reference)
    )
    return [row[0] for row in rows]


def subject_items(
    conn: sa.Connection, subject: str, *, relation: str = "about", stream: str | None = None
) -> list[SubjectItem]:
    """Every item of personal data about `subject` (or, with relation "by", stated by them), in log order."""
    i = schema.subject_items.c
    query = sa.select(i.document).where(i.subject == subject, i.relation == relation)
    if stream is not None:
        query = query.where(i.stream == stream)
    return [_item.decode(row[0]) for row in conn.execute(query.order_by(i.position, i.field))]


def subjects_in(conn: sa.Connection, stream: str) -> list[str]:
    """Every data subject a record holds personal data about."""
    i = schema.subject_items.c
    query = (
        sa.select(i.subject).where(i.stream == stream, i.relation == "about").distinct().order_by(i.subject)
    )
    return [row[0] for row in conn.execute(query)]


def table_rows(conn: sa.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every read model, in key order (to compare a rebuild with catch-up)."""
    found: dict[str, list[tuple[object, ...]]] = {}
    for table in schema.VIEW_TABLES:
        keys = list(table.primary_key.columns)
        found[table.name] = [tuple(row) for row in conn.execute(sa.select(table).order_by(*keys))]
    return found


def open_reviews(conn: sa.Connection, today: date) -> list[ReviewState]:
    """Every review not closed, with its timescales as seen on `today`, by reference."""
    r = schema.reviews.c
    query = sa.select(r.document).where(sa.not_(r.status.startswith("closed"))).order_by(r.reference)
    found = []
    for row in conn.execute(query):
        state = _state.decode(row[0])
        found.append(msgspec.structs.replace(state, clocks=tuple(with_days(c, today) for c in state.clocks)))
    return found
