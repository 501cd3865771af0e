"""The learning themes and the reviews tagged with each, read from `rl_view_themes`, never from the reviews' documents.

The table's primary key is (theme, reference), so the themes with their counts are one pass over
that index (there are few themes), and one theme's reviews are a range of it: a page continues
from a reference (keyset), reading `size` + 1 rows to know whether another page follows. The
route kind and status of a page's reviews are read from `rl_view_reviews` by primary key, for that
page's references only.
"""

from __future__ import annotations

import msgspec
import sqlalchemy as sa

from projections import schema
from projections.model import ThemeReviews


class ThemeCount(msgspec.Struct, frozen=True, kw_only=True):
    theme: str
    reviews: int  # how many reviews' learning is tagged with it


class TaggedReview(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    kind: str | None  # the route's kind of review, when the review's row is there
    status: str | None


class ThemePage(msgspec.Struct, frozen=True, kw_only=True):
    theme: str
    rows: tuple[TaggedReview, ...]
    total: int  # how many reviews are tagged with the theme
    earlier: bool  # there are reviews before this page
    later: bool  # there are reviews after this page


def theme_counts(conn: sa.Connection) -> list[ThemeCount]:
    """Every theme some review's learning is tagged with, with how many reviews, in theme order."""
    t = schema.themes.c
    query = sa.select(t.theme, sa.func.count().label("reviews")).group_by(t.theme).order_by(t.theme)
    return [ThemeCount(theme=row.theme, reviews=int(row.reviews)) for row in conn.execute(query)]


def theme_reviews(conn: sa.Connection, theme: str | None = None) -> list[ThemeReviews]:
    """Every theme (or only `theme`) with the references of the reviews tagged with it, both in order."""
    t = schema.themes.c
    query = sa.select(t.theme, t.reference).order_by(t.theme, t.reference)
    if theme is not None:
        query = query.where(t.theme == theme)
    found: dict[str, list[str]] = {}
    for row in conn.execute(query):
        found.setdefault(row.theme, []).append(row.reference)
    return [ThemeReviews(theme=name, references=tuple(refs)) for name, refs in found.items()]


def theme_page(
    conn: sa.Connection,
    theme: str,
    *,
    descending: bool = False,
    after: str | None = None,
    before: str | None = None,
    size: int = 50,
) -> ThemePage | None:
    """The `size` reviews tagged `theme` after (or before) the reference named, by reference either way;
    None when no review is tagged with the theme."""
    t = schema.themes.c
    counted = sa.select(sa.func.count()).select_from(schema.themes).where(t.theme == theme)
    total = int(conn.execute(counted).scalar_one())
    if total == 0:
        return None
    backwards = before is not None and after is None
    cursor = before if backwards else after
    query = sa.select(t.reference).where(t.theme == theme)
    if cursor is not None:
        query = query.where(t.reference < cursor if backwards != descending else t.reference > cursor)
    ascending = descending == backwards
    query = query.order_by(t.reference.asc() if ascending else t.reference.desc()).limit(size + 1)
    references = [row[0] for row in conn.execute(query)]
    more = len(references) > size
    references = references[:size]
    if backwards:
        references.reverse()
    r = schema.reviews.c
    known: dict[str, tuple[str, str]] = {}
    if references:
        listed = sa.select(r.reference, r.kind, r.status).where(r.reference.in_(references))
        known = {row.reference: (row.kind, row.status) for row in conn.execute(listed)}
    rows = tuple(
        TaggedReview(
            reference=ref,
            kind=known[ref][0] if ref in known else None,
            status=known[ref][1] if ref in known else None,
        )
        for ref in references
    )
    return ThemePage(
        theme=theme,
        rows=rows,
        total=total,
        earlier=more if backwards else cursor is not None,
        later=cursor is not None if backwards else more,
    )
