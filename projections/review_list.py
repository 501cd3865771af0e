"""One page of the reviews list: filtered, sorted and cut by keyset, so its cost follows the page, not the store.

A page after (or before) a review continues from that review's place in the chosen order:
the sort column and then the reference, which together are unique, and an index on each
sort column with the reference serves the order (`schema.reviews`). The clock filters ask
the clocks read model whether a review has a running timescale overdue or due soon on the
day given; a paused timescale is stopped, so it is neither.
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec
import sqlalchemy as sa

from projections import schema
from projections.queries import ReviewSummary

SORTS = ("reference", "route", "stage", "status", "updated")
CLOCK_FILTERS = ("overdue", "due-soon", "attention")
DUE_SOON_DAYS = 14


class ReviewFilter(msgspec.Struct, frozen=True, kw_only=True):
    route: str | None = None
    status: str | None = None  # "open" or "closed"
    clock: str | None = None  # one of CLOCK_FILTERS
    search: str = ""  # part of the reference, any case


class ReviewPage(msgspec.Struct, frozen=True, kw_only=True):
    rows: tuple[ReviewSummary, ...]
    total: int  # how many reviews match the filter
    earlier: bool  # there are reviews before this page
    later: bool  # there are reviews after this page


def _sort_column(sort: str) -> sa.ColumnElement[object]:
    r = schema.reviews.c
    found: sa.ColumnElement[object] = r.position if sort == "updated" else r[sort]
    return found


def _matching(flt: ReviewFilter, today: date) -> list[sa.ColumnElement[bool]]:
    r, c = schema.reviews.c, schema.clocks.c
    found: list[sa.ColumnElement[bool]] = []
    if flt.route is not None:
        found.append(r.route == flt.route)
    if flt.status == "open":
        found.append(sa.not_(r.status.startswith("closed")))
    elif flt.status == "closed":
        found.append(r.status.startswith("closed"))
    if flt.search:
        found.append(sa.func.lower(r.reference).contains(flt.search.lower(), autoescape=True))
    if flt.clock in CLOCK_FILTERS:
        soon = today + timedelta(days=DUE_SOON_DAYS)
        due = {
            "overdue": c.due < today,
            "due-soon": sa.and_(c.due >= today, c.due <= soon),
            "attention": c.due <= soon,
        }[flt.clock]
        found.append(
            sa.exists()
            .where(c.reference == r.reference, c.status == "running", due)
            .correlate(schema.reviews)
        )
    return found


def review_page(
    conn: sa.Connection,
    flt: ReviewFilter,
    today: date,
    *,
    sort: str = "reference",
    descending: bool = False,
    after: str | None = None,
    before: str | None = None,
    size: int = 50,
) -> ReviewPage:
    """The `size` reviews matching `flt` after (or before) the review named, in the order asked for."""
    r = schema.reviews.c
    column = _sort_column(sort if sort in SORTS else "reference")
    where = _matching(flt, today)
    total = conn.execute(sa.select(sa.func.count()).select_from(schema.reviews).where(*where)).scalar_one()
    key = sa.tuple_(column, r.reference)
    backwards = before is not None and after is None
    cursor = after if not backwards else before
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
    ).where(*where)
    if cursor is not None:
        mark = sa.select(_sort_column(sort if sort in SORTS else "reference")).where(r.reference == cursor)
        at = sa.tuple_(mark.scalar_subquery(), sa.literal(cursor))
        query = query.where(key < at if backwards != descending else key > at)
    ascending = descending == backwards
    order = [column.asc(), r.reference.asc()] if ascending else [column.desc(), r.reference.desc()]
    rows = list(conn.execute(query.order_by(*order).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    summaries = tuple(
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
        for row in rows
    )
    return ReviewPage(
        rows=summaries,
        total=total,
        earlier=more if backwards else cursor is not None,
        later=cursor is not None if backwards else more,
    )
