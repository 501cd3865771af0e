"""One review's views, folded from its events in order.

The SQL read models and the "as at" replay both come from this fold, so they cannot
disagree: the read models store what the fold says after the last event they have read,
and an "as at" view is the fold over the events up to that moment. The fold never sees a
personal-data value (the events it is given are read sealed).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import msgspec

from domain.kernel.aggregate import Aggregate
from domain.kernel.event import DomainEvent, Personal
from domain.routes.registry import ROUTES
from projections import route_facts
from projections.decisions import DECISIONS, TERMS, DecisionSpec
from projections.logged import LoggedEvent
from projections.model import (
    ALTERED,
    BasisItem,
    ChronologyLine,
    Decision,
    FollowsFrom,
    PersonalItem,
    ReviewState,
    RoleHolder,
    TermsStep,
    TermsVersion,
    TimelineEntry,
    TimescaleResult,
    TimescaleView,
)


def describe_type(event_type: str) -> str:
    """An event's stable name in words: "national.review-paused" -> "review paused"."""
    return event_type.split(".", 1)[-1].replace("-", " ")


class ReviewFold:
    """The views of one review, kept current one event at a time."""

    def __init__(self, reference: str, route: str) -> None:
        self.reference = reference
        self.route = route
        self.record: Aggregate = ROUTES[route](reference)
        self.position = 0
        self.updated_at: datetime | None = None
        self._acted: dict[tuple[str, str], tuple[date, date]] = {}
        self._latest: dict[str, tuple[int, str]] = {}
        self._terms: list[TermsStep] = []
        self._chronology_versions: dict[str, int] = {}
        self.altered: tuple[int, str] | None = None  # the first version stored otherwise than signed
        self._seen = 0

    @property
    def version(self) -> int:
        return self._seen if self.altered is not None else self.record.version

    def apply(self, logged: LoggedEvent) -> Decision | None:
        """Take in the next event of the review; returns the decision it records, if it is one.

        From the first event stored otherwise than signed, nothing more is folded (as `review_at`
        replays): the views stand as before it, marked; a decision it records is marked altered,
        never shown with what the altered payload says.
        """
        self._seen = logged.version
        if logged.altered is not None and self.altered is None:
            self.altered = (logged.version, logged.altered)
        if self.altered is not None:
            self.position = logged.position
            self.updated_at = self.updated_at or logged.time
            spec = DECISIONS.get(logged.type)
            return self._altered_decision(logged, spec) if spec and logged.altered is not None else None
        spec = DECISIONS.get(logged.type)
        open_before = (
            {t.name for t in route_facts.timescales(self.record) if t.completed is None} if spec else set()
        )
        self.record.apply(logged.event)
        self.position = logged.position
        self.updated_at = logged.time
        role = _role_of(logged.event)
        if role is not None:
            day = logged.time.date()
            first, _ = self._acted.get((role, logged.actor), (day, day))
            self._acted[(role, logged.actor)] = (first, day)
        if logged.type == "national.chronology-received":
            self._chronology_versions[logged.event.agency] = logged.version  # type: ignore[attr-defined]
        self._take_terms(logged, role)
        decision = self._decision(logged, spec, role, open_before) if spec else None
        self._latest[logged.type] = (logged.version, spec.what if spec else describe_type(logged.type))
        return decision

    def apply_all(self, events: Iterable[LoggedEvent]) -> list[Decision]:
        return [d for d in (self.apply(e) for e in events) if d is not None]

    # -- decisions and terms ---------------------------------------------------------------

    def _decision(
        self, logged: LoggedEvent, spec: DecisionSpec, role: str | None, open_before: set[str]
    ) -> Decision:
        event = logged.event
        completed = [
            t
            for t in route_facts.timescales(self.record)
            if t.name in open_before and t.completed is not None
        ]
        timescale = None
        if completed:
            t = completed[0]
            assert t.completed is not None
            timescale = TimescaleResult(
                name=t.name, rule=t.rule, due=t.due, completed=t.completed, met=t.completed <= t.due
            )
        follows = [self._latest[tag] for tag in spec.follows if tag in self._latest]
        follows_from = None
        if follows:
            version, what = max(follows)
            follows_from = FollowsFrom(version=version, what=what)
        decided_on = getattr(event, spec.on, None) if spec.on else None
        return Decision(
            reference=self.reference,
            version=logged.version,
            position=logged.position,
            recorded_at=logged.time,
            actor=logged.actor,
            key=logged.key,
            role=role or "",
            kind=spec.kind,
            what=spec.what,
            outcome=spec.outcome(event),
            decided_on=decided_on if isinstance(decided_on, date) else logged.time.date(),
            basis=tuple(item for f in spec.basis for item in basis_items(f, getattr(event, f, None))),
            follows_from=follows_from,
            timescale=timescale,
        )

    def _altered_decision(self, logged: LoggedEvent, spec: DecisionSpec) -> Decision:
        return Decision(
            reference=self.reference,
            version=logged.version,
            position=logged.position,
            recorded_at=logged.time,
            actor=logged.actor,
            key=logged.key,
            role=ALTERED,
            kind=spec.kind,
            what=spec.what,
            outcome=ALTERED,
            decided_on=None,
            basis=tuple(BasisItem(field=f, text=ALTERED) for f in spec.basis),
        )

    def _take_terms(self, logged: LoggedEvent, role: str | None) -> None:
        spec = TERMS.get(logged.type)
        if spec is None:
            return
        event = logged.event
        if spec.version is not None:
            version = int(getattr(event, spec.version))
        elif spec.action == "set":
            version = 1 + sum(1 for s in self._terms if s.action == "set")
        else:
            version = 1
        on = getattr(event, spec.on, None) if spec.on else None
        self._terms.append(
            TermsStep(
                version=version,
                action=spec.action,
                on=on if isinstance(on, date) else logged.time.date(),
                actor=logged.actor,
                role=role or "",
                recorded_at=logged.time,
                stream_version=logged.version,
                changes=tuple(item for f in spec.changes for item in basis_items(f, getattr(event, f, None))),
            )
        )

    def terms(self) -> tuple[TermsVersion, ...]:
        """Each version of the terms of reference with its steps; the last step gives its status."""
        by_version: dict[int, list[TermsStep]] = {}
        for step in self._terms:
            by_version.setdefault(step.version, []).append(step)
        return tuple(
            TermsVersion(version=v, status=steps[-1].action, steps=tuple(steps))
            for v, steps in sorted(by_version.items())
        )

    # -- state --------------------------------------------------------------------------------

    def state(self) -> ReviewState:
        record: Any = self.record
        if self.altered is not None and record.version == 0:
            # Its first event is not as signed: nothing of it can be shown but that.
            assert self.updated_at is not None
            return ReviewState(
                reference=self.reference,
                route=self.route,
                kind=record.kind,
                stage=ALTERED,
                status=ALTERED,
                version=0,
                position=self.position,
                updated_at=self.updated_at,
                verification=self.verification(),
            )
        in_force, pending = route_facts.terms_status(record)
        if not in_force:
            agreed = [t.version for t in self.terms() if t.status in ("agreed", "set")]
            in_force = max(agreed, default=0)
        acted = [
            RoleHolder(role=role, holder=actor, kind="acted", since=first, until=last)
            for (role, actor), (first, last) in sorted(self._acted.items())
        ]
        assert self.updated_at is not None, "a review's state is read after its first event"
        return ReviewState(
            reference=self.reference,
            route=self.route,
            kind=record.kind,
            stage=str(record.stage),
            status=str(record.status),
            version=record.version,
            position=self.position,
            updated_at=self.updated_at,
            subject_group=route_facts.subject_group(record),
            terms_in_force=in_force,
            terms_pending=pending,
            roles=(*route_facts.team(record), *acted),
            obligations=tuple(route_facts.obligations(record)),
            parallel_processes=tuple(route_facts.parallel_processes(record)),
            linked_reviews=tuple(route_facts.linked_reviews(record)),
            clocks=self._timescales(),
            personal_data_disposed=route_facts.disposed(record),
            themes=route_facts.themes(record),
            verification=self.verification(),
        )

    def verification(self) -> str | None:
        """What the views say when an event of the review is not as signed: which version, and that the
        views stand as before it."""
        if self.altered is None:
            return None
        version, why = self.altered
        return f"{ALTERED}: version {version} ({why}); shown as it stood before it"

    def _timescales(self) -> tuple[TimescaleView, ...]:
        views = route_facts.timescale_views(self.reference, route_facts.timescales(self.record))
        if self.altered is None:
            return views
        return tuple(msgspec.structs.replace(c, verification=ALTERED) for c in views)

    def chronology(self) -> tuple[ChronologyLine, ...]:
        """The agencies' chronology entries merged in date order (national route)."""
        received: dict[str, Any] = getattr(self.record, "chronologies_received", {})
        lines = [
            ChronologyLine(
                occurred_on=entry.on,
                agency=agency,
                source_version=self._chronology_versions.get(agency, 0),
                text=personal_item(f"entries[{index}].what_happened", entry.what_happened),
            )
            for agency, entries in received.items()
            for index, entry in enumerate(entries)
        ]
        return tuple(sorted(lines, key=lambda line: (line.occurred_on, line.agency, line.text.field)))


def timeline_entry(logged: LoggedEvent) -> TimelineEntry:
    spec = DECISIONS.get(logged.type)
    return TimelineEntry(
        version=logged.version,
        position=logged.position,
        recorded_at=logged.time,
        type=logged.type,
        what=spec.what if spec else describe_type(logged.type),
        actor=logged.actor,
        role=_role_of(logged.event),
    )


def personal_item(field: str, item: Personal) -> PersonalItem:
    return PersonalItem(
        field=field, about=item.about, kind=item.kind.value, nature=item.nature.value, by=item.by
    )


def basis_items(field: str, value: object) -> list[BasisItem]:
    """A field of a decision as basis items: clear text as it is, personal data as a sealed item."""
    if value is None or value == () or value == "":
        return []
    if isinstance(value, Personal):
        return [BasisItem(field=field, sealed=personal_item(field, value))]
    if isinstance(value, tuple | list):
        return [item for i, v in enumerate(value) for item in basis_items(f"{field}[{i}]", v)]
    if isinstance(value, msgspec.Struct):
        return [
            item
            for name in value.__struct_fields__
            for item in basis_items(f"{field}.{name}", getattr(value, name))
        ]
    if isinstance(value, date):
        return [BasisItem(field=field, text=value.isoformat())]
    return [BasisItem(field=field, text=str(getattr(value, "value", value)))]


def _role_of(event: DomainEvent) -> str | None:
    role = getattr(event, "role", None)
    return None if role is None else str(getattr(role, "value", role))
