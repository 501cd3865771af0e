"""The shapes of every view: plain frozen Structs, never aggregates (DESIGN.md "Projections").

The same Structs come out of the SQL read models and out of an "as at" replay of the log,
which is how a test can say the two agree. No view holds a personal-data value: an item
of personal data is described by whose it is and what kind, and its text is fetched from
the sealed store only when someone entitled asks for it (so a disposal leaves nothing
behind in any view, and every read of personal data passes one place).
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

#: What a view shows in place of a value whose stored event differs from what was signed.
ALTERED = "altered — failed verification"


class View(msgspec.Struct, frozen=True, kw_only=True):
    """Base of the view Structs (frozen, keyword-only, comparable)."""


class RoleHolder(View, frozen=True, kw_only=True):
    """Somebody holding a role on one review: a team member, or a person who acted in a procedural role."""

    role: str  # e.g. "chair" (a team role) or "cpc_officer" (a procedural role)
    holder: str  # a subject id (team members) or an actor id (people who acted)
    kind: str  # "team" or "acted"
    agency: str | None = None
    since: date | None = None
    until: date | None = None


class ObligationView(View, frozen=True, kw_only=True):
    """Something the procedure still expects on this review."""

    what: str
    who: tuple[str, ...] = ()
    rule: str = ""
    due: date | None = None


class ParallelProcessView(View, frozen=True, kw_only=True):
    process: str
    state: str
    checked_on: date


class LinkView(View, frozen=True, kw_only=True):
    reference: str
    relationship: str


class TimescaleView(View, frozen=True, kw_only=True):
    """One timescale of one review; `days_left` is counted to the day the view is for."""

    reference: str
    name: str
    rule: str
    started: date
    due: date
    status: str  # running, paused, met, missed
    completed: date | None = None
    paused_since: date | None = None
    paused_days: int = 0
    revised: bool = False
    days_left: int | None = None  # negative when overdue; None once completed
    overdue: bool = False
    # Set when an event of its review is not as signed: the timescale stands as before it (ALTERED).
    verification: str | None = None


class PersonalItem(View, frozen=True, kw_only=True):
    """Where a piece of personal data sits, without its value (see the module docstring)."""

    field: str
    about: tuple[str, ...] = ()
    kind: str = "narrative"
    nature: str = "fact"
    by: str | None = None


class BasisItem(View, frozen=True, kw_only=True):
    """One part of the stated basis or reasons of a decision: in clear, or a sealed item."""

    field: str
    text: str | None = None
    sealed: PersonalItem | None = None


class TimescaleResult(View, frozen=True, kw_only=True):
    name: str
    rule: str
    due: date
    completed: date
    met: bool


class FollowsFrom(View, frozen=True, kw_only=True):
    version: int
    what: str


class Decision(View, frozen=True, kw_only=True):
    """One decision or sign-off, as the Chief Officers Group reads it."""

    reference: str
    version: int  # the event's version in the review's stream
    position: int  # its place in the whole log
    recorded_at: datetime
    actor: str
    key: str
    role: str
    kind: str  # decision, sign-off, recommendation, agreement, appointment, closure
    what: str
    outcome: str
    decided_on: date | None = None
    basis: tuple[BasisItem, ...] = ()
    follows_from: FollowsFrom | None = None
    timescale: TimescaleResult | None = None
    signature: str = ""  # filled in when the trail is read: checked against the registry of keys


class TermsStep(View, frozen=True, kw_only=True):
    """One step in the history of the terms of reference."""

    version: int
    action: str  # set, proposed, agreed, declined
    on: date | None
    actor: str
    role: str
    recorded_at: datetime
    stream_version: int
    changes: tuple[BasisItem, ...] = ()


class TermsVersion(View, frozen=True, kw_only=True):
    version: int
    status: str  # proposed, agreed, declined, set
    steps: tuple[TermsStep, ...] = ()


class TimelineEntry(View, frozen=True, kw_only=True):
    """One event of a review: what, who, in which role, when."""

    version: int
    position: int
    recorded_at: datetime
    type: str
    what: str
    actor: str
    role: str | None = None


class ChronologyLine(View, frozen=True, kw_only=True):
    """One entry of the merged chronology: the agencies' entries in date order."""

    occurred_on: date
    agency: str
    source_version: int
    text: PersonalItem
    value: str | None = None  # only when revealed to someone entitled to read it


class ReviewState(View, frozen=True, kw_only=True):
    """The current state of one review, as the record stood at `as_of_position`."""

    reference: str
    route: str
    kind: str
    stage: str
    status: str
    version: int
    position: int
    updated_at: datetime
    subject_group: str | None = None
    terms_in_force: int = 0
    terms_pending: int | None = None
    roles: tuple[RoleHolder, ...] = ()
    obligations: tuple[ObligationView, ...] = ()
    parallel_processes: tuple[ParallelProcessView, ...] = ()
    linked_reviews: tuple[LinkView, ...] = ()
    clocks: tuple[TimescaleView, ...] = ()
    personal_data_disposed: bool = False
    themes: tuple[str, ...] = ()  # the learning's themes, as tagged (every route)
    # Set when a stored event of the review differs from what was signed: the state is then shown as
    # it stood before that event, and this says which version failed (never its altered values).
    verification: str | None = None


class ThemeReviews(View, frozen=True, kw_only=True):
    """One learning theme and the reviews whose learning is tagged with it."""

    theme: str
    references: tuple[str, ...]


class Moment(View, frozen=True, kw_only=True):
    """A point in the log's history: a position (notification id) or a time, or now (both None)."""

    position: int | None = None
    time: datetime | None = None

    def describe(self) -> str:
        if self.position is not None:
            return f"log position {self.position}"
        if self.time is not None:
            return self.time.isoformat()
        return "now"


class FieldChange(View, frozen=True, kw_only=True):
    field: str
    before: object = None
    after: object = None


class ReviewDiff(View, frozen=True, kw_only=True):
    """What changed in one review between two moments."""

    reference: str
    from_moment: Moment
    to_moment: Moment
    changes: tuple[FieldChange, ...] = ()
    decisions: tuple[Decision, ...] = ()
    events: tuple[TimelineEntry, ...] = ()


def with_days(timescale: TimescaleView, today: date) -> TimescaleView:
    """The timescale as seen on `today`: days left (negative when overdue) while it is not completed."""
    if timescale.completed is not None:
        return timescale
    reference = timescale.paused_since or today
    left = (timescale.due - reference).days
    return msgspec.structs.replace(timescale, days_left=left, overdue=left < 0)
