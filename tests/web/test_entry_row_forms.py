"""Lists of entries with dates, numbers or choices are entered row by row, never as typed JSON.

A chronology's entries (a date, what happened, a fact or an opinion), a family's members (with a
date of birth) and a document's redactions (page numbers) each get one fieldset of labelled
inputs per entry; the filled rows read back as the same command the API and the command line
decode, and a wrong value in a row is reported against that row's own field.
"""

from __future__ import annotations

from datetime import date

import pytest

from adapters.web.glossary import field_label, option_label
from adapters.web.step_forms import Problems, form_fields, read_command
from domain.governance.documents import DecideDocumentDisclosure
from domain.kernel.command import Command
from domain.kernel.event import Nature
from domain.routes.national.commands import AgreeActionPlan, ReceiveChronology, ReceiveNotification


@pytest.mark.parametrize(
    ("command_type", "entries", "first"),
    [
        (ReceiveChronology, "entries", ("on", "what_happened", "nature")),
        (ReceiveNotification, "family", ("name", "date_of_birth", "relationship")),
        (AgreeActionPlan, "actions", ("description", "due_on")),
        (DecideDocumentDisclosure, "redactions", ("page", "occurrences")),
    ],
)
def test_each_entry_is_a_row_of_labelled_inputs(
    command_type: type[Command], entries: str, first: tuple[str, ...]
) -> None:
    page = str(form_fields(command_type, {}, Problems()))
    assert "(JSON)" not in page and "Write this as JSON" not in page
    for name in first:
        assert f'name="{entries}.0.{name}' in page, name  # the first row's own input
        assert field_label(name).replace("'", "&#x27;") in page, name
    assert f'name="{entries}-rows"' in page and f'value="{entries}"' in page  # "add another entry"


def test_the_chronology_rows_read_back_as_the_command_with_their_dates_and_natures() -> None:
    page = str(form_fields(ReceiveChronology, {}, Problems()))
    assert option_label("opinion") in page
    values = {
        "agency": ["Police Scotland"],
        "received_on-day": ["2"],
        "received_on-month": ["3"],
        "received_on-year": ["2026"],
        "entries.0.on-day": ["14"],
        "entries.0.on-month": ["1"],
        "entries.0.on-year": ["2026"],
        "entries.0.what_happened": ["A call to the house."],
        "entries.1.on-day": ["20"],
        "entries.1.on-month": ["1"],
        "entries.1.on-year": ["2026"],
        "entries.1.what_happened": ["The officer thought the child was at risk."],
        "entries.1.nature": ["opinion"],
        "entries-rows": ["3"],
    }
    problems = Problems()
    command = read_command(ReceiveChronology, values, problems)
    assert not problems, problems
    assert isinstance(command, ReceiveChronology)
    assert [(e.on, e.nature) for e in command.entries] == [
        (date(2026, 1, 14), Nature.FACT),
        (date(2026, 1, 20), Nature.OPINION),
    ]


def test_a_wrong_date_or_number_in_a_row_is_named_against_that_row() -> None:
    problems = Problems()
    values = {
        "agency": ["Police Scotland"],
        "received_on-day": ["2"],
        "received_on-month": ["3"],
        "received_on-year": ["2026"],
        "entries.0.on-day": ["31"],
        "entries.0.on-month": ["2"],
        "entries.0.on-year": ["2026"],
        "entries.0.what_happened": ["A call to the house."],
    }
    assert read_command(ReceiveChronology, values, problems) is None
    assert problems.fields == {"entries.0.on": "On must be a real date"}
    problems = Problems()
    values = {
        "document_id": ["D-1"],
        "request": ["SAR-2026-001"],
        "outcome": ["redacted"],
        "redactions.0.page": ["two"],
    }
    assert read_command(DecideDocumentDisclosure, values, problems) is None
    assert "redactions.0.page" in problems.fields and "whole number" in problems.fields["redactions.0.page"]
    page = str(form_fields(DecideDocumentDisclosure, values, problems))
    assert 'id="f-redactions-0-page-error"' in page  # the error sits on the row's own field
