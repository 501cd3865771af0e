"""Dissemination of learning and its themes: the steps every route shares.

Each activity that takes a review's learning into practice — a 7-minute briefing, training, a
single-service or partnership briefing, an entry in the Improvement Plan (seed 000 §4-5; seed 001
process map 5B; seed 002 'Sharing the learning'; seed 003; seed 004 §4) — is recorded with its
audience and date, numbered in the order recorded, and the feedback on it is recorded against that
number. A review's learning is tagged with short themes, so the committee can list the reviews of
every route by theme (`reviewledger themes`, /pages/themes).

The commands are the same in every route, under the same names; each route says who may take
them in its own authority table, and tags its events with its own name on the shapes here. What
each step records once the route has checked it, and what the record keeps, is `Disseminating`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar, NamedTuple, Protocol, cast

from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, Nature, Personal
from domain.kernel.roles import Acting, Role
from domain.routes.shared.forms import required
from domain.routes.shared.record import RouteRecord


class DisseminationKind(StrEnum):
    """How learning is taken into practice (seed 000 §4 and seed 002 'Sharing the learning')."""

    SEVEN_MINUTE_BRIEFING = "7-minute briefing"
    TRAINING = "training"
    SINGLE_SERVICE_BRIEFING = "single-service briefing"
    PARTNERSHIP_BRIEFING = "partnership briefing"
    IMPROVEMENT_PLAN = "Improvement Plan entry"


# A theme is a short label, never a person's words: letters, digits, spaces and hyphens.
THEME = re.compile(r"^[a-z0-9][a-z0-9 \-]{0,39}$")


# -- commands (the same step in every route) ---------------------------------------------------


class RecordDisseminationActivity(Command, frozen=True, kw_only=True, tag="record-dissemination-activity"):
    activity: DisseminationKind
    held_on: date
    audience: str  # e.g. "all health visitors"
    description: str
    about: tuple[str, ...] = ()  # whom the description names, beside the people the review is about
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordDisseminationFeedback(Command, frozen=True, kw_only=True, tag="record-dissemination-feedback"):
    activity_number: int  # the number of the activity, 1 for the first recorded
    received_on: date
    feedback: str
    about: tuple[str, ...] = ()  # whom the feedback names, beside the people the review is about
    by: str | None = None  # the data subject whose feedback it is, when it is a person's


class TagLearningThemes(Command, frozen=True, kw_only=True, tag="tag-learning-themes"):
    tagged_on: date
    themes: tuple[str, ...]  # short labels, e.g. "neglect", "information sharing"


# -- the shapes of the events (each route tags its own) ----------------------------------------


class DisseminationEvent(DomainEvent, frozen=True, kw_only=True):
    role: Role
    at: datetime


class DisseminationActivityShape(DisseminationEvent, frozen=True, kw_only=True):
    number: int  # 1, 2, ... in the order recorded
    activity: DisseminationKind
    held_on: date
    audience: str
    description: Personal


class DisseminationFeedbackShape(DisseminationEvent, frozen=True, kw_only=True):
    activity_number: int
    received_on: date
    feedback: Personal


class LearningThemesShape(DisseminationEvent, frozen=True, kw_only=True):
    tagged_on: date
    themes: tuple[str, ...]


# -- the rules ---------------------------------------------------------------------------------


def learning_themes(themes: tuple[str, ...]) -> tuple[str, ...]:
    """The themes as labels (trimmed, lower case, each once), or `InvalidInput` naming the rule."""
    if not themes:
        raise InvalidInput("themes", "name at least one theme")
    labels = tuple(t.strip().lower() for t in themes)
    for label in labels:
        if not THEME.match(label):
            raise InvalidInput(
                "themes", "a theme is a short label of letters, digits, spaces and hyphens (40 at most)"
            )
    return tuple(dict.fromkeys(labels))


def require_activity(number: int, recorded: int, *, record: str, rule: str) -> None:
    """Feedback is on an activity already recorded, by its number."""
    if not 1 <= number <= recorded:
        raise RuleViolation(f"there is no dissemination activity {number}", rule=rule, record=record)


def with_themes(held: tuple[str, ...], tagged: tuple[str, ...]) -> tuple[str, ...]:
    """The review's themes after a tagging: every theme so far, in order."""
    return tuple(sorted({*held, *tagged}))


# -- the steps every route takes alike, after its own checks ------------------------------------


class LearningEvents(NamedTuple):
    """A route's own events for these steps (their names carry the route).

    Each has the fields of the shape above it is named after; the national route's, older than the
    shapes, have the same fields stored in their own order, so they are not built on them.
    """

    activity: type[DomainEvent]  # the fields of `DisseminationActivityShape`
    feedback: type[DomainEvent]  # of `DisseminationFeedbackShape`
    themes: type[DomainEvent]  # of `LearningThemesShape`


class _Numbered(Protocol):
    @property
    def number(self) -> int: ...


class _FeedbackOn(Protocol):
    @property
    def activity_number(self) -> int: ...


class _Tagged(Protocol):
    @property
    def themes(self) -> tuple[str, ...]: ...


class Disseminating(RouteRecord):
    """Dissemination activities, the feedback on them and the learning's themes, as every route records them.

    Each route says who takes a step and whether its record allows it now (`_begin`, from its step
    table); what is checked of the step itself, and the event, are here.
    """

    learning_events: ClassVar[LearningEvents]
    dissemination_rule: ClassVar[str]  # the rule feedback on an activity not recorded cites

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.dissemination_activities = 0  # activities recorded, numbered 1, 2, ...
        self.dissemination_feedback: set[int] = set()  # the activities feedback is recorded on
        self.themes: tuple[str, ...] = ()

    @handles(RecordDisseminationActivity)
    def record_dissemination_activity(
        self, command: RecordDisseminationActivity, by: Acting, at: datetime
    ) -> None:
        role = self._begin(command, by)
        held_on = self._dated(at, "held_on", command.held_on)
        nature = Nature.FACT if command.by is None else Nature.OPINION
        self._record(
            self.learning_events.activity(
                number=self.dissemination_activities + 1,
                activity=command.activity,
                held_on=held_on,
                audience=required("audience", command.audience),
                description=self._case_text(command, "description", command.description, nature),
                role=role,
                at=at,
            )
        )

    @handles(RecordDisseminationFeedback)
    def record_dissemination_feedback(
        self, command: RecordDisseminationFeedback, by: Acting, at: datetime
    ) -> None:
        role = self._begin(command, by)
        require_activity(
            command.activity_number,
            self.dissemination_activities,
            record=self.reference,
            rule=self.dissemination_rule,
        )
        received_on = self._dated(at, "received_on", command.received_on)
        nature = Nature.FACT if command.by is None else Nature.OPINION
        self._record(
            self.learning_events.feedback(
                activity_number=command.activity_number,
                received_on=received_on,
                feedback=self._case_text(command, "feedback", command.feedback, nature),
                role=role,
                at=at,
            )
        )

    @handles(TagLearningThemes)
    def tag_learning_themes(self, command: TagLearningThemes, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        themes = learning_themes(command.themes)
        tagged_on = self._dated(at, "tagged_on", command.tagged_on)
        self._record(self.learning_events.themes(tagged_on=tagged_on, themes=themes, role=role, at=at))

    def _learned(self, event: DomainEvent) -> bool:
        """Keep an activity, its feedback or the themes tagged; False when `event` is none of them."""
        own = self.learning_events
        if isinstance(event, own.activity):
            self.dissemination_activities = cast(_Numbered, event).number
        elif isinstance(event, own.feedback):
            self.dissemination_feedback.add(cast(_FeedbackOn, event).activity_number)
        elif isinstance(event, own.themes):
            self.themes = with_themes(self.themes, cast(_Tagged, event).themes)
        else:
            return False
        return True
