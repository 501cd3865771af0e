"""Dissemination of learning and its themes: the steps every route shares.

Each activity that takes a review's learning into practice — a 7-minute briefing, training, a
single-service or partnership briefing, an entry in the Improvement Plan (seed 000 §4-5; seed 001
process map 5B; seed 002 'Sharing the learning'; seed 003; seed 004 §4) — is recorded with its
audience and date, numbered in the order recorded, and the feedback on it is recorded against that
number. A review's learning is tagged with short themes, so the committee can list the reviews of
every route by theme (`reviewledger themes`, /pages/themes).

The commands are the same in every route, under the same names; each route says who may take
them in its own authority table, and tags its events with its own name on the shapes here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum

from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, Personal
from domain.kernel.roles import Role


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
