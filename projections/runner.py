"""The catch-up runner: reads the log in order and keeps the read models current, exactly once.

Each batch is one transaction: it locks the tracking row, reads the events after the
recorded position, folds them into each review's views, writes the changed rows and
moves the position, then commits. A crash before the commit leaves the old rows and the
old position (the batch is simply read again); a second runner waits for the lock and
then sees the new position, so no event is ever applied twice. It works the same on
SQLite and PostgreSQL because it pulls (DESIGN.md "Event store": SQLite has no push).

Folds of recently active reviews are kept in a small cache; any other review is rebuilt
from its own stream when its next event arrives, so memory does not grow with the log.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import msgspec
import sqlalchemy as sa
import structlog

from projections import schema
from projections.logged import LoggedEvent, route_of_type
from projections.model import Decision, ReviewState, TermsVersion
from projections.subjects import SubjectItem, index_rows

if TYPE_CHECKING:
    from projections.fold import ReviewFold

log = structlog.get_logger(__name__)

NAME = "reviews"
DISPOSAL = "record.personal-data-disposed"
_encode = msgspec.json.Encoder(order="deterministic").encode

Progress = Callable[[int, int], None]  # (position reached, last position in the log)


class EventSource(Protocol):
    """Where the runner reads the log: in global order, and one stream up to a version."""

    def read_after(self, position: int, limit: int) -> Sequence[LoggedEvent]: ...

    def read_stream(self, stream: str, up_to_version: int) -> Sequence[LoggedEvent]: ...

    def last_position(self) -> int: ...


class ProjectionRunner:
    def __init__(
        self, engine: sa.Engine, source: EventSource, *, is_postgres: bool, cache_size: int = 1000
    ) -> None:
        self.engine = engine
        self.source = source
        self.is_postgres = is_postgres
        self.cache_size = cache_size
        self._folds: OrderedDict[str, ReviewFold] = OrderedDict()
        self._ready = False

    # -- the schema ----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Create the tables; when their shape changed since they were built, rebuild them."""
        if self._ready:
            return
        with self.engine.begin() as conn:
            schema.tracking.create(conn, checkfirst=True)
            row = conn.execute(
                sa.select(schema.tracking.c.schema_version).where(schema.tracking.c.name == NAME)
            ).first()
            if row is not None and row[0] != schema.SCHEMA_VERSION:
                log.info("projections_schema_changed", stored=row[0], current=schema.SCHEMA_VERSION)
                self._reset(conn)
            for table in schema.VIEW_TABLES:
                table.create(conn, checkfirst=True)
            if row is None:
                conn.execute(
                    sa.insert(schema.tracking).values(
                        name=NAME, position=0, schema_version=schema.SCHEMA_VERSION
                    )
                )
        self._ready = True

    def _reset(self, conn: sa.Connection) -> None:
        for table in reversed(schema.VIEW_TABLES):
            table.drop(conn, checkfirst=True)
        for table in schema.VIEW_TABLES:
            table.create(conn)
        conn.execute(
            sa.update(schema.tracking)
            .where(schema.tracking.c.name == NAME)
            .values(position=0, schema_version=schema.SCHEMA_VERSION)
        )
        self._folds.clear()

    def reset(self) -> None:
        """Throw the read models away: empty tables, nothing read."""
        self.prepare()
        with self.engine.begin() as conn:
            self._lock(conn)
            self._reset(conn)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Throw the read models away and build them again from the whole log."""
        self.reset()
        log.info("projections_rebuilding")
        return self.catch_up(progress)

    # -- catching up ---------------------------------------------------------------------------

    def position(self) -> int:
        self.prepare()
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(schema.tracking.c.position).where(schema.tracking.c.name == NAME)
                ).scalar_one()
            )

    def catch_up(self, progress: Progress | None = None, batch: int = 1000) -> int:
        """Apply every event not yet applied; returns how many were read."""
        self.prepare()
        total = 0
        last = self.source.last_position() if progress else 0
        while True:
            count, reached = self.run_once(batch)
            total += count
            if progress is not None and count:
                progress(reached, max(last, reached))
            if count < batch:  # the log is read to its end
                return total

    def run_once(self, batch: int = 1000) -> tuple[int, int]:
        """One batch in one transaction; returns (events read, position reached)."""
        self.prepare()
        try:
            with self.engine.begin() as conn:
                position = self._lock(conn)
                events = self.source.read_after(position, batch)
                if not events:
                    return 0, position
                self._apply(conn, events)
                reached = events[-1].position
                conn.execute(
                    sa.update(schema.tracking).where(schema.tracking.c.name == NAME).values(position=reached)
                )
                return len(events), reached
        except BaseException:
            # The cached folds may be ahead of what was committed: forget them.
            self._folds.clear()
            raise

    def _lock(self, conn: sa.Connection) -> int:
        query = sa.select(schema.tracking.c.position).where(schema.tracking.c.name == NAME)
        if self.is_postgres:
            query = query.with_for_update()
        return int(conn.execute(query).scalar_one())

    def _apply(self, conn: sa.Connection, events: Sequence[LoggedEvent]) -> None:
        changed: dict[str, ReviewFold] = {}
        decided: list[Decision] = []
        items: list[SubjectItem] = []
        for logged in events:
            if logged.altered is not None:
                # Never folded as it says: the review's views stand as before it, marked.
                log.warning("projection_event_altered", stream=logged.stream, version=logged.version)
            if logged.sealed and logged.altered is None:
                items.extend(
                    index_rows(
                        position=logged.position,
                        stream=logged.stream,
                        version=logged.version,
                        type=logged.type,
                        recorded_at=logged.time,
                        event=logged.event,
                    )
                )
            fold = self._fold_for(conn, logged, changed)
            if fold is None:
                continue
            decision = fold.apply(logged)
            if decision is not None:
                decided.append(decision)
            changed[fold.reference] = fold
        _write_reviews(conn, [(fold.state(), fold.terms()) for fold in changed.values()])
        if decided:
            conn.execute(sa.insert(schema.decisions), [_decision_row(d) for d in decided])
        if items:
            conn.execute(sa.insert(schema.subject_items), [_item_row(i) for i in items])

    def _fold_for(
        self, conn: sa.Connection, logged: LoggedEvent, changed: dict[str, ReviewFold]
    ) -> ReviewFold | None:
        route = route_of_type(logged.type)
        if route is None:
            if logged.type != DISPOSAL:
                return None
            # A disposal can end any record: it is a review's if the review is known, whether
            # from this batch, the cache or the read models.
            known = changed.get(logged.stream) or self._folds.get(logged.stream)
            route = known.route if known is not None else _route_in_tables(conn, logged.stream)
            if route is None:
                return None
        # Imported on the first event to fold: the fold knows every route, which a command that
        # finds the read models current never needs.
        from projections.fold import ReviewFold

        fold = self._folds.get(logged.stream)
        if fold is None or fold.version != logged.version - 1:
            fold = ReviewFold(logged.stream, route)
            if logged.version > 1:
                fold.apply_all(self.source.read_stream(logged.stream, logged.version - 1))
        self._folds[logged.stream] = fold
        self._folds.move_to_end(logged.stream)
        while len(self._folds) > self.cache_size:
            self._folds.popitem(last=False)
        return fold


def _route_in_tables(conn: sa.Connection, reference: str) -> str | None:
    route = conn.execute(
        sa.select(schema.reviews.c.route).where(schema.reviews.c.reference == reference)
    ).scalar()
    return None if route is None else str(route)


def _write_reviews(
    conn: sa.Connection, reviews: Sequence[tuple[ReviewState, tuple[TermsVersion, ...]]]
) -> None:
    """Replace the rows of every review changed in a batch: one statement per table for them all."""
    if not reviews:
        return
    references = [state.reference for state, _ in reviews]
    for table in (schema.reviews, schema.roles, schema.clocks, schema.terms, schema.themes):
        for start in range(0, len(references), 500):
            conn.execute(sa.delete(table).where(table.c.reference.in_(references[start : start + 500])))
    rows: dict[sa.Table, list[dict[str, object]]] = {
        schema.reviews: [],
        schema.roles: [],
        schema.clocks: [],
        schema.terms: [],
        schema.themes: [],
    }
    for state, terms in reviews:
        reference = state.reference
        rows[schema.reviews].append(
            {
                "reference": reference,
                "route": state.route,
                "kind": state.kind,
                "subject_group": state.subject_group,
                "stage": state.stage,
                "status": state.status,
                "version": state.version,
                "position": state.position,
                "open_obligations": len(state.obligations),
                "verification": state.verification,
                "document": _encode(state).decode(),
            }
        )
        rows[schema.roles] += [
            {
                "reference": reference,
                "seq": seq,
                "role": r.role,
                "holder": r.holder,
                "kind": r.kind,
                "current": r.until is None or r.kind == "acted",
            }
            for seq, r in enumerate(state.roles)
        ]
        rows[schema.clocks] += [
            {
                "reference": reference,
                "seq": seq,
                "name": c.name,
                "due": c.due,
                "status": c.status,
                "document": _encode(c).decode(),
            }
            for seq, c in enumerate(state.clocks)
        ]
        rows[schema.terms] += [
            {
                "reference": reference,
                "version": t.version,
                "status": t.status,
                "document": _encode(t).decode(),
            }
            for t in terms
        ]
        rows[schema.themes] += [
            {"theme": theme, "reference": reference} for theme in sorted(set(state.themes))
        ]
    for table, found in rows.items():
        if found:
            conn.execute(sa.insert(table), found)


def _item_row(i: SubjectItem) -> dict[str, object]:
    return {
        "subject": i.subject,
        "relation": i.relation,
        "position": i.position,
        "field": i.field,
        "stream": i.stream,
        "version": i.version,
        "type": i.type,
        "kind": i.kind,
        "nature": i.nature,
        "special_category": i.special_category,
        "document": _encode(i).decode(),
    }


def _decision_row(d: Decision) -> dict[str, object]:
    return {
        "reference": d.reference,
        "version": d.version,
        "position": d.position,
        "actor": d.actor,
        "role": d.role,
        "kind": d.kind,
        "decided_on": d.decided_on,
        "timescale_met": None if d.timescale is None else d.timescale.met,
        "document": _encode(d).decode(),
    }
