"""The new steps of the National Learning Review have forms of their own, made from their commands, in the
glossary's words, and a filled form reads back as the command the record runs."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.web.glossary import WORDS, path_label
from adapters.web.step_forms import Problems, form_fields, read_command
from domain.kernel.command import Command
from domain.routes.national.commands import (
    PauseReview,
    PresentReport,
    RecordActionProgress,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    RecordFamilyFeedbackOnConclusion,
    RecordFamilyGroupMember,
    ReportDelay,
    TagLearningThemes,
)
from domain.routes.national.forms import Body, DisseminationKind


@pytest.mark.parametrize(
    ("command_type", "fields"),
    [
        (PauseReview, ("notice_to", "notice_on")),
        (ReportDelay, ("recipients",)),
        (PresentReport, ("presented_to", "presented_on")),
        (RecordFamilyGroupMember, ("relation", "involved", "reasons_not_involved")),
        (RecordFamilyFeedbackOnConclusion, ("response", "response_of")),
        (RecordDisseminationActivity, ("activity",)),
        (RecordDisseminationFeedback, ("activity_number",)),
        (TagLearningThemes, ("themes", "tagged_on")),
        (RecordActionProgress, ("evidence",)),
    ],
)
def test_each_new_field_is_labelled_from_the_glossary(
    command_type: type[Command], fields: tuple[str, ...]
) -> None:
    page = str(form_fields(command_type, {}, Problems()))
    for name in fields:
        assert WORDS[name].replace("'", "&#x27;") in page, name


def test_a_filled_pause_form_reads_back_with_its_notice() -> None:
    values = {
        "paused_on-day": ["1"],
        "paused_on-month": ["5"],
        "paused_on-year": ["2026"],
        "reason": ["New information from the police."],
        "notice_to": ["committee", "COG"],
        "notice_on-day": ["1"],
        "notice_on-month": ["5"],
        "notice_on-year": ["2026"],
    }
    problems = Problems()
    command = read_command(PauseReview, values, problems)
    assert not problems, problems
    assert command == PauseReview(
        paused_on=date(2026, 5, 1),
        reason="New information from the police.",
        notice_to=(Body.COMMITTEE, Body.COG),
        notice_on=date(2026, 5, 1),
    )


def test_a_filled_dissemination_form_reads_back_with_its_kind_of_activity() -> None:
    values = {
        "activity": ["7-minute briefing"],
        "held_on-day": ["13"],
        "held_on-month": ["10"],
        "held_on-year": ["2026"],
        "audience": ["all health visitors"],
        "description": ["Cumulative neglect."],
    }
    problems = Problems()
    command = read_command(RecordDisseminationActivity, values, problems)
    assert not problems, problems
    assert isinstance(command, RecordDisseminationActivity)
    assert command.activity is DisseminationKind.SEVEN_MINUTE_BRIEFING


def test_an_actions_clear_link_is_named_in_words_where_a_refusal_points_at_it() -> None:
    assert path_label("actions[0].implements_strategy") == (
        "Actions, item 1, the report's CLEAR strategy it implements (its number: 1 for the first)"
    )
