"""The one rule for text: names, identifiers and free text hold no control, bidirectional or zero-width characters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import msgspec
import pytest

from domain.governance.subjects import RegisterSubject
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, personal
from domain.kernel.registry import Registry
from domain.kernel.roles import Role
from domain.kernel.text import MAX_TEXT_LENGTH, check_text, hidden_character, visible
from domain.routes.national.commands import DecideToProceed, ReceiveNotification

HIDDEN = [
    ("\x00", "U+0000"),  # NUL
    ("\x1b", "U+001B"),  # escape
    ("\x7f", "U+007F"),  # delete
    ("\x85", "U+0085"),  # next line (C1)
    ("\u202e", "U+202E"),  # right-to-left override
    ("\u2066", "U+2066"),  # left-to-right isolate
    ("\u200f", "U+200F"),  # right-to-left mark
    ("\u200b", "U+200B"),  # zero width space
    ("\u200d", "U+200D"),  # zero width joiner
    ("\ufeff", "U+FEFF"),  # byte order mark
]


@pytest.mark.parametrize(("char", "code"), HIDDEN)
def test_each_hidden_character_is_refused_naming_the_field_and_the_code_point(char: str, code: str) -> None:
    with pytest.raises(
        InvalidInput, match=rf"^reasons: must not contain control characters.*\(found {re.escape(code)}\)$"
    ):
        check_text("reasons", f"Seen at home{char} on Monday")


def test_ordinary_text_passes_in_any_script_with_tabs_and_line_breaks() -> None:
    for text in (
        "Aoife Ní Bhriain",
        "Zoë O'Neill-Smith",
        "محمد",
        "李小龍",
        "first line\n\tsecond\r\n",
        "£5 – ok",
    ):
        assert hidden_character(text) is None
        check_text("name", text)


def test_a_command_built_or_decoded_with_hidden_text_is_refused_naming_the_nested_field() -> None:
    with pytest.raises(InvalidInput, match=r"^basis: must not contain .*\(found U\+202E\)$"):
        DecideToProceed(decided_on=date(2026, 2, 2), basis="agreed \u202eexe.txt")
    body = {
        "subject_group": "child",
        "received_on": "2026-01-05",
        "subject": {"subject_id": "S-1", "name": "Lena\x00", "date_of_birth": "2016-03-09"},
        "notifier": {"subject_id": "S-2", "name": "x", "agency": "Police"},
        "reasons": "x",
    }
    with pytest.raises(InvalidInput, match=r"^subject\.name: must not contain .*\(found U\+0000\)$"):
        msgspec.json.decode(msgspec.json.encode(body), type=ReceiveNotification)
    with pytest.raises(InvalidInput, match=r"^subject_id: must not contain .*\(found U\+200B\)$"):
        msgspec.convert({"subject_id": "S-\u200b1", "category": "child", "name": "A"}, RegisterSubject)


def test_text_stored_before_the_rule_is_shown_with_visible_escapes() -> None:
    assert visible("Lena\u202eamron") == "Lena\\u202eamron"
    assert visible("a\x00b\u200bc") == "a\\u0000b\\u200bc"
    assert visible("line one\nline two") == "line one\nline two"


def test_a_person_registered_with_a_hidden_character_in_their_name_is_refused() -> None:
    registry = Registry()
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    registry.establish(origin="council.example/log", log_key_id="0" * 16, log_public_key="A" * 43, at=at)
    with pytest.raises(InvalidInput, match=r"^name: must not contain .*\(found U\+202E\)$"):
        registry.register(
            actor_id="admin",
            name=personal("Morven \u202eSinclair", "admin", kind=ItemKind.NAME),
            roles=(Role.ADMINISTRATOR,),
            at=at,
        )
    registry.register(
        actor_id="admin", name=personal("Morven Sinclair", "admin", kind=ItemKind.NAME), roles=(), at=at
    )
    assert "admin" in registry.actors


def test_a_text_longer_than_the_limit_is_refused_naming_the_field_and_the_limit() -> None:
    check_text("basis", "x" * MAX_TEXT_LENGTH)
    with pytest.raises(InvalidInput, match=r"^basis: must be at most 100,000 characters$"):
        DecideToProceed(decided_on=date(2026, 2, 2), basis="x" * (MAX_TEXT_LENGTH + 1))
