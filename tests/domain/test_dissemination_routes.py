"""Dissemination of learning and its themes, the same in every route (domain/routes/shared/dissemination.py).

The demonstration's reviews are played up to their first dissemination activity; from there each route
records an activity with its audience and date, feedback on it by its number, and the learning's themes,
and refuses the same mistakes in the same words, recording nothing.
"""

from __future__ import annotations

import copy
import importlib
import re
from datetime import date, datetime, timedelta

import pytest

from adapters.demo import SCRIPTS, START
from adapters.demo.cast import CAST, DemoStep
from domain.kernel.aggregate import Aggregate
from domain.kernel.errors import InvalidInput, NotAuthorised, ReviewledgerError, RuleViolation
from domain.kernel.roles import Acting, Role
from domain.routes.shared.dissemination import (
    DisseminationKind,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)

ROLES = {member.actor_id: frozenset(member.roles) for member in CAST}
OUTSIDER = Acting(actor="outsider", roles=frozenset({Role.AGENCY_CONTACT}))


def steps() -> list[DemoStep]:
    return [step for name in SCRIPTS for step in importlib.import_module(name).steps(START)]


def before_dissemination(reference: str) -> tuple[Aggregate, DemoStep]:
    """The review as it stood before its first dissemination activity, and that step."""
    record: Aggregate | None = None
    for step in steps():
        if step.reference != reference:
            continue
        record = record or step.record_type(reference)
        if isinstance(step.command, RecordDisseminationActivity):
            return record, step
        if not step.refused:
            record.execute(step.command, Acting(actor=step.actor, roles=ROLES[step.actor]), step.at)
    raise AssertionError(f"{reference} records no dissemination activity")


ROUTES = ("MLR-2026-001", "LIP-2026-001", "SALR-2026-001")


def refused(
    record: Aggregate, by: Acting, command: object, at: datetime, error: type[ReviewledgerError], message: str
) -> None:
    before = copy.deepcopy(vars(record))
    with pytest.raises(error, match=re.escape(message)):
        record.execute(command, by, at)  # type: ignore[arg-type]
    assert vars(record) == before


@pytest.mark.parametrize("reference", ROUTES)
def test_each_route_records_an_activity_its_feedback_and_themes(reference: str) -> None:
    record, first = before_dissemination(reference)
    by = Acting(actor=first.actor, roles=ROLES[first.actor])
    on: date = first.at.date()
    # A 7-minute briefing for its audience, on its date; feedback on it, by its number; themes.
    record.execute(
        RecordDisseminationActivity(
            activity=DisseminationKind.SEVEN_MINUTE_BRIEFING,
            held_on=on,
            audience="all staff",
            description="d",
        ),
        by,
        first.at,
    )
    record.execute(
        RecordDisseminationFeedback(activity_number=1, received_on=on, feedback="Good."), by, first.at
    )
    record.execute(
        TagLearningThemes(tagged_on=on, themes=(" Neglect ", "neglect", "home conditions")), by, first.at
    )
    assert record.dissemination_activities == 1  # type: ignore[attr-defined]
    assert record.dissemination_feedback == {1}  # type: ignore[attr-defined]
    assert record.themes == ("home conditions", "neglect")  # type: ignore[attr-defined]


@pytest.mark.parametrize("reference", ROUTES)
def test_each_route_refuses_the_same_mistakes_and_records_nothing(reference: str) -> None:
    record, first = before_dissemination(reference)
    by = Acting(actor=first.actor, roles=ROLES[first.actor])
    on = first.at.date()
    activity = RecordDisseminationActivity(
        activity=DisseminationKind.TRAINING, held_on=on, audience="staff", description="d"
    )
    refused(
        record,
        by,
        RecordDisseminationFeedback(activity_number=1, received_on=on, feedback="f"),
        first.at,
        RuleViolation,
        "there is no dissemination activity 1",
    )
    refused(
        record,
        by,
        TagLearningThemes(tagged_on=on, themes=()),
        first.at,
        InvalidInput,
        "themes: name at least one theme",
    )
    refused(
        record,
        by,
        TagLearningThemes(tagged_on=on, themes=("Mrs Smith's neglect",)),
        first.at,
        InvalidInput,
        "themes: a theme is a short label of letters, digits, spaces and hyphens (40 at most)",
    )
    refused(
        record,
        by,
        RecordDisseminationActivity(
            activity=DisseminationKind.TRAINING, held_on=on, audience=" ", description="d"
        ),
        first.at,
        InvalidInput,
        "audience: must not be empty",
    )
    refused(record, OUTSIDER, activity, first.at, NotAuthorised, "outsider does not hold that role")
    if reference == "LIP-2026-001":
        # The panel's steps take their dates as given, as all its steps do (seed 003 sets no date rule).
        return
    refused(
        record,
        by,
        RecordDisseminationActivity(
            activity=DisseminationKind.TRAINING,
            held_on=on + timedelta(days=1),
            audience="staff",
            description="d",
        ),
        first.at,
        InvalidInput,
        f"held_on: cannot be later than the day it is recorded ({on})",
    )
