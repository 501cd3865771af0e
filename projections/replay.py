"""Views "as at" a moment, from the log itself, and what changed between two moments.

An inspector asks how a review stood on a past date or at a log position; the answer
is the same fold the read models use, run over the events up to that moment (by the time
each was recorded, or by its place in the log). Nothing here reads the read models, so a
damaged or stale read model cannot change a historical answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date

import msgspec

from projections.fold import ReviewFold, timeline_entry
from projections.logged import LoggedEvent, route_of_type
from projections.model import (
    ChronologyLine,
    Decision,
    FieldChange,
    Moment,
    ReviewDiff,
    ReviewState,
    TermsVersion,
    TimelineEntry,
    TimescaleView,
    View,
    with_days,
)


class ReviewAsAt(View, frozen=True, kw_only=True):
    """Everything known about one review at one moment."""

    moment: Moment
    state: ReviewState
    decisions: tuple[Decision, ...] = ()
    terms: tuple[TermsVersion, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    chronology: tuple[ChronologyLine, ...] = ()


def included(logged: LoggedEvent, moment: Moment) -> bool:
    """Whether an event had been recorded by `moment` (both limits apply when both are given)."""
    if moment.position is not None and logged.position > moment.position:
        return False
    return moment.time is None or logged.time <= moment.time


def up_to(events: Iterable[LoggedEvent], moment: Moment) -> Iterator[LoggedEvent]:
    return (e for e in events if included(e, moment))


def day_of(moment: Moment, today: date) -> date:
    """The day timescales are counted to: the moment's own day, or today for "now"."""
    return moment.time.date() if moment.time is not None else today


def review_as_at(
    reference: str, events: Sequence[LoggedEvent], moment: Moment, today: date
) -> ReviewAsAt | None:
    """The review as it stood at `moment`; None if it had no events yet."""
    chosen = list(up_to(events, moment))
    if not chosen:
        return None
    route = route_of_type(chosen[0].type)
    if route is None:
        return None
    fold = ReviewFold(reference, route)
    decisions = fold.apply_all(chosen)
    state = fold.state()
    day = day_of(moment, today)
    state = msgspec.structs.replace(state, clocks=tuple(with_days(c, day) for c in state.clocks))
    return ReviewAsAt(
        moment=moment,
        state=state,
        decisions=tuple(decisions),
        terms=fold.terms(),
        timeline=tuple(timeline_entry(e) for e in chosen),
        chronology=fold.chronology(),
    )


def timescales_as_at(events: Iterable[LoggedEvent], moment: Moment, today: date) -> list[TimescaleView]:
    """Every review's timescales as they stood at `moment`, soonest due first."""
    folds: dict[str, ReviewFold] = {}
    for logged in up_to(events, moment):
        fold = folds.get(logged.stream)
        if fold is None:
            route = route_of_type(logged.type) if logged.version == 1 else None
            if route is None:
                continue
            fold = folds[logged.stream] = ReviewFold(logged.stream, route)
        fold.apply(logged)
    day = day_of(moment, today)
    found = [with_days(c, day) for fold in folds.values() for c in fold.state().clocks]
    return sorted(found, key=lambda c: (c.due, c.reference, c.name))


def compare(
    reference: str, moments: tuple[Moment, Moment], before: ReviewAsAt | None, after: ReviewAsAt
) -> ReviewDiff:
    """What changed in the review between two moments: fields, decisions taken, events recorded."""
    old = msgspec.to_builtins(before.state) if before else {}
    new = msgspec.to_builtins(after.state)
    changes: list[FieldChange] = []
    for field in sorted(set(old) | set(new)):
        if field in ("clocks", "updated_at", "position", "version"):
            continue
        a, b = old.get(field), new.get(field)
        if a == b:
            continue
        if isinstance(a, list | tuple | type(None)) and isinstance(b, list | tuple):
            removed = [item for item in (a or []) if item not in b]
            added = [item for item in b if item not in (a or [])]
            changes.append(FieldChange(field=field, before=tuple(removed), after=tuple(added)))
        else:
            changes.append(FieldChange(field=field, before=a, after=b))
    old_timescales = {c["name"]: c for c in old.get("clocks", [])}
    for timescale in new.get("clocks", []):
        earlier = old_timescales.get(timescale["name"])
        keys = ("status", "due", "completed", "paused_since", "revised")
        if earlier is None or any(earlier.get(k) != timescale.get(k) for k in keys):
            changes.append(
                FieldChange(
                    field=f"clock: {timescale['name']}",
                    before=None if earlier is None else {k: earlier.get(k) for k in keys},
                    after={k: timescale.get(k) for k in keys},
                )
            )
    since = before.state.version if before else 0
    return ReviewDiff(
        reference=reference,
        from_moment=moments[0],
        to_moment=moments[1],
        changes=tuple(changes),
        decisions=tuple(d for d in after.decisions if d.version > since),
        events=tuple(e for e in after.timeline if e.version > since),
    )
