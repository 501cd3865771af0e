"""The last check on what leaves the system: no registered identifier of any data subject.

DESIGN.md "Disclosure": every output that leaves the system passes through the identifier detector
(`domain/governance/identifiers.py`) last, after rendering: what the bytes say is what is checked, not what the
annotations claimed. An FOI response or review decision (draft, sent, or a kept copy), a disposal
certificate and the log's checkpoint may hold no registered identifier of anyone at all; a
publication runs the same detector in its residual-risk check (`adapters/governance/publication.py`). Subject
access packs apply the requester-aware rule instead (`adapters/governance/sar/requests.py`).

The register is the system's own read (`adapters/app/register.py`): every subject's identifiers as they
hold now, the registration with every amendment; a register entry whose personal data was disposed
of can no longer be looked for. The application keeps the detector and builds it again only when
the register changes.

A refusal is a `RuleViolation` (exit status 2, HTTP 422): it names the kinds of identifier found and
the items that hold them, never a value, and nothing is written or returned.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import msgspec

from adapters.app.application import Application
from adapters.governance.document_kinds import pdf_texts
from domain.governance.identifiers import Detector, IdentifierKind
from domain.kernel.errors import RuleViolation

RULE_DISCLOSURE = (
    "DESIGN.md 'Disclosure': what leaves the system holds no registered identifier of any data subject"
)
_MOST_ITEMS = 5  # items named in one error; the rest are counted


class IdentifiersInOutput(RuleViolation):
    """A document about to leave the system holds a registered identifier: it is not written."""

    def __init__(
        self, document: str, record: str, kinds: Iterable[IdentifierKind], items: Sequence[str]
    ) -> None:
        found = set(kinds)
        self.kinds = tuple(k for k in IdentifierKind if k in found)
        self.items = tuple(items)
        named = list(self.items[:_MOST_ITEMS])
        if len(self.items) > _MOST_ITEMS:
            named.append(f"{len(self.items) - _MOST_ITEMS} more")
        super().__init__(
            f"the {document} holds a registered {_listed([k.value for k in self.kinds])} of a data subject "
            f"(in {_listed(named)}); nothing was written",
            rule=RULE_DISCLOSURE,
            record=record,
        )


def _listed(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# -- what a reader of the bytes sees --------------------------------------------------------------------


def readable_texts(data: bytes) -> list[str]:
    """The text a reader of the file sees: every string (and key) of a JSON document, or a page's text
    with tags read as nothing and as spaces (so no name split by markup escapes), and the markup
    itself, comments and attributes included, without styles and scripts; a PDF's text layer, metadata
    and attachments' names. Other text as it is."""
    if data.startswith(b"%PDF-"):
        return pdf_texts(data)
    try:
        decoded: Any = msgspec.json.decode(data)
    except msgspec.DecodeError:
        pass
    else:
        return list(_strings(decoded))
    page = data.decode("utf-8", errors="replace")
    if not _TAG.search(page):
        return [page]
    page = _STYLES.sub(" ", page)
    return [html.unescape(_TAGS.sub(" ", page)), html.unescape(_TAGS.sub("", page)), html.unescape(page)]


_TAG = re.compile(r"<[A-Za-z!/]")
_STYLES = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


# -- the check ------------------------------------------------------------------------------------------


def check_output(
    detector: Detector,
    data: bytes,
    *,
    document: str,
    record: str,
    items: Iterable[tuple[str, str]] = (),
) -> None:
    """Refuse (IdentifiersInOutput) if the bytes hold any registered identifier. `items` are the
    document's parts (what to call each, its text) for the error to say where; the bytes decide."""
    kinds: set[IdentifierKind] = set()
    for text in readable_texts(data):
        kinds |= detector.kinds_in(text)
    if not kinds:
        return
    where = [label for label, text in items if detector.find(text)]
    raise IdentifiersInOutput(
        document, record, kinds, list(dict.fromkeys(where)) or ["the rendered document"]
    )


def check_download(app: Application, data: bytes, *, document: str, record: str) -> bytes:
    """A download the pages offer, checked against the whole register; the bytes when they pass."""
    check_output(register_detector(app), data, document=document, record=record)
    return data


def register_detector(app: Application) -> Detector:
    """The detector over every registered subject's identifiers as they hold now (kept by the
    application between steps and built again only when the register changed)."""
    return app.register.current(app.ledger)
