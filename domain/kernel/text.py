"""The one rule every name, identifier and free text obeys: no characters that hide or disguise text.

A control character (NUL, escape, backspace and the rest of Unicode's Cc, but not the tab and
line breaks free text needs), a bidirectional embedding, override or isolate (which makes
`exe.txt` display as `txt.exe` and reorders a name in a pack), and the zero-width characters
(which make two different names look the same) are refused where text comes in: every
command checks all its text fields, nested forms included, when it is built or decoded, so
the command line, the API and the pages share the rule (Unicode TR #9 §2 lists the bidi
controls; TR #36 §3 describes the spoofing). The same check bounds each text's length.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import msgspec

from domain.kernel.errors import InvalidInput

ALLOWED_CONTROLS = frozenset("\t\n\r")
# Unicode TR #9 §2.1-2.5: LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM, ALM.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Zero width space, non-joiner, joiner; word joiner and the invisible operators; the BOM.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
TEXT_RULE = "must not contain control characters, NUL, bidirectional controls or zero-width characters"
# The longest text one field holds: some forty pages, more than any statement or reason needs,
# and a bound on what one step can make every later read carry.
MAX_TEXT_LENGTH = 100_000


def _hidden(char: str) -> bool:
    if char in BIDI_CONTROLS or char in ZERO_WIDTH:
        return True
    return char not in ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs")


def hidden_character(value: str) -> str | None:
    """The first character `value` must not hold, or None."""
    if value.isprintable():  # the usual case, in C: no Cc, Cf (bidi, zero-width) or Cs at all
        return None
    return next((char for char in value if _hidden(char)), None)


def check_text(field: str, value: str) -> None:
    """Refuse `value` if it is too long or holds a hidden character; the error names the field and the rule."""
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidInput(field, f"must be at most {MAX_TEXT_LENGTH:,} characters")
    found = hidden_character(value)
    if found is not None:
        raise InvalidInput(field, f"{TEXT_RULE} (found U+{ord(found):04X})")


def check_all_text(value: Any, field: str) -> None:
    """Check every string inside `value`: a Struct's fields, sequences, mappings, keys and values alike."""
    if isinstance(value, str):
        check_text(field, value)
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            check_all_text(getattr(value, name), f"{field}.{name}" if field else name)
    elif isinstance(value, (list, tuple, frozenset, set)):
        for index, item in enumerate(value):
            check_all_text(item, f"{field}[{index}]")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_all_text(key, field)
            check_all_text(item, field)


def visible(value: str) -> str:
    """`value` with every hidden character written as a visible escape (`\\u202e`), for showing stored text."""
    if hidden_character(value) is None:
        return value
    return "".join(f"\\u{ord(c):04x}" if _hidden(c) else c for c in value)
