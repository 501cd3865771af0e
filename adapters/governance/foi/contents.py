"""What an FOI response discloses from a review: its latest report, and its decision trail, with
every item of personal data redacted and each redaction marked with its exemption (FOISA s.38;
DOMAIN.md §5: "mark each redaction visibly, cite its exemption, keep a redaction log").

Nothing here opens sealed data: a personal value is never read, only whose it is. An item about
the requester alone is their own data (s.38(1)(a), handled as a subject access request); any
other person's is s.38(1)(b). A register id in clear text (e.g. a team member appointed) is
redacted the same way, and people are named by the role they acted in, never by their id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum
from typing import ClassVar

import msgspec

from adapters.app import views
from adapters.app.application import Application
from domain.governance.exemptions import Section, exemption
from domain.governance.foi.steps import ResponseType, ReviewOutcome
from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent, Personal
from projections.logged import route_of_type
from projections.model import Decision

#: The event that holds a review's report, on each route; the latest one is the report disclosed.
REPORT_TYPES = (
    "national.report-version-drafted",
    "national.report-version-drafted-v2",
    "mini.review-report-compiled",
    "panel.report-completed",
    "single.report-drafted",
)
REPORT, TRAIL = "report", "decision-trail"
PARTS = (REPORT, TRAIL)

_SUBJECT_ID = re.compile(r"\bS-[A-Za-z0-9][A-Za-z0-9-]*")
_NOT_SHOWN = frozenset({"actor", "at"})  # who signed and when: the envelope's, not the report's


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a disclosed document: its text, or the marker of what was redacted."""

    label: str
    text: str | None = None
    redaction: str | None = None
    sections: tuple[Section, ...] = ()


class Part(msgspec.Struct, frozen=True, kw_only=True):
    """One item of the information identified, as disclosed."""

    item_id: str
    title: str
    entries: tuple[Entry, ...]


def part_item_id(record: str, part: str) -> str:
    return f"{record}/{part}"


def split_item_id(item_id: str) -> tuple[str, str]:
    record, _, part = item_id.rpartition("/")
    if not record or part not in PARTS:
        raise InvalidInput(
            "items",
            f"{item_id}: only a review's {' and '.join(PARTS)} (REF/{REPORT}, REF/{TRAIL}) can be disclosed",
        )
    return record, part


# -- redaction -------------------------------------------------------------------------------------


def sections_for(people: set[str], requester: str | None) -> tuple[Section, ...]:
    """s.38(1)(a) for the requester's own data, s.38(1)(b) for anyone else's (both when it is both)."""
    own = requester is not None and requester in people
    others = bool(people - {requester}) or not people
    return ((Section.S38_1_A,) if own else ()) + ((Section.S38_1_B,) if others else ())


def marker(sections: tuple[Section, ...]) -> str:
    if sections == (Section.S38_1_A,):
        return "[redacted: s.38(1)(a) the requester's own personal data]"
    if sections == (Section.S38_1_B,):
        return "[redacted: s.38(1)(b) personal data of a third party]"
    return "[redacted: s.38(1)(a) and s.38(1)(b) personal data of the requester and of a third party]"


def _redacted(label: str, item: Personal, requester: str | None) -> Entry:
    sections = sections_for({*item.about, *((item.by,) if item.by else ())}, requester)
    return Entry(label=label, redaction=marker(sections), sections=sections)


def _clear(label: str, text: str, requester: str | None) -> Entry:
    """Clear text, with any register id in it redacted."""
    found: list[Section] = []

    def mask(match: re.Match[str]) -> str:
        sections = sections_for({match[0]}, requester)
        found.extend(sections)
        return marker(sections)

    masked = _SUBJECT_ID.sub(mask, text)
    return Entry(label=label, text=masked, sections=tuple(dict.fromkeys(found)))


# -- the report ------------------------------------------------------------------------------------


def _leaves(path: str, value: object) -> Iterator[tuple[str, object]]:
    if isinstance(value, Personal) or not isinstance(value, msgspec.Struct | tuple | list):
        yield path, value
    elif isinstance(value, msgspec.Struct):
        for field in msgspec.structs.fields(value):
            if not path and field.name in _NOT_SHOWN:
                continue
            yield from _leaves(f"{path}.{field.name}" if path else field.name, getattr(value, field.name))
    else:
        for index, item in enumerate(value):
            yield from _leaves(f"{path}[{index}]", item)


def _label(path: str) -> str:
    spaced = re.sub(r"\[(\d+)\]", lambda m: f" {int(m[1]) + 1}", path)
    return spaced.replace(".", ": ").replace("_", " ")


def _plain(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def report_part(app: Application, record: str, requester: str | None) -> tuple[Part, set[str]]:
    """The review's latest report with every personal item redacted; and the people it holds data of."""
    events = app.ledger.read(record)
    if not events or route_of_type(events[0].type) is None:
        raise InvalidInput("record", f"{record} is not a review")
    reports = [r for r in events if r.type in REPORT_TYPES]
    if not reports:
        raise InvalidInput("part", f"{record} has no report yet")
    latest = reports[-1]
    entries, people = report_entries(latest.event, requester)
    title = f"The report of {record} as last recorded ({latest.time.date().isoformat()})"
    return Part(item_id=part_item_id(record, REPORT), title=title, entries=tuple(entries)), people


def report_entries(event: DomainEvent, requester: str | None) -> tuple[list[Entry], set[str]]:
    entries: list[Entry] = []
    people: set[str] = set()
    for path, value in _leaves("", event):
        label = _label(path)
        if isinstance(value, Personal):
            people.update(value.about, (value.by,) if value.by else ())
            entries.append(_redacted(label, value, requester))
        elif (text := _plain(value)) is not None:
            entries.append(_clear(label, text, requester))
    return entries, people


# -- the decision trail ------------------------------------------------------------------------------


def trail_part(app: Application, record: str, requester: str | None) -> tuple[Part, set[str]]:
    """Every decision and sign-off of the review, personal data redacted; and the people it holds data of."""
    trail = views.decision_trail(app, record)
    entries: list[Entry] = []
    people: set[str] = set()
    for d in trail:
        entries.append(_clear(f"{d.decided_on} {d.what}", _decision_text(d), requester))
        people.update(_SUBJECT_ID.findall(d.outcome))
        for b in d.basis:
            label = f"{d.what}: {_label(b.field)}"
            if b.sealed is not None:
                item = Personal(value=None, about=b.sealed.about, by=b.sealed.by)
                people.update(b.sealed.about, (b.sealed.by,) if b.sealed.by else ())
                entries.append(_redacted(label, item, requester))
            elif b.text:
                entries.append(_clear(label, b.text, requester))
    title = f"The decision trail of {record}: {len(trail)} decisions and sign-offs"
    return Part(item_id=part_item_id(record, TRAIL), title=title, entries=tuple(entries)), people


def _decision_text(d: Decision) -> str:
    words = [f"{d.kind}: {d.outcome}", f"by the {d.role.replace('_', ' ')}" if d.role else ""]
    if d.timescale is not None:
        verdict = "met" if d.timescale.met else "missed"
        words.append(f"{d.timescale.name}, due {d.timescale.due}: {verdict}")
    if d.follows_from is not None:
        words.append(f"following the {d.follows_from.what}")
    words.append(f"signature {d.signature.split(':', 1)[0]}" if d.signature else "")
    return "; ".join(w for w in words if w)


def part_of(app: Application, record: str, part: str, requester: str | None) -> tuple[Part, set[str]]:
    return report_part(app, record, requester) if part == REPORT else trail_part(app, record, requester)


def cited(section: Section) -> str:
    """A section as a notice cites it, e.g. "section 38(1)(b)"."""
    return exemption(section).section


# -- the documents sent -----------------------------------------------------------------------------


class RedactionRow(msgspec.Struct, frozen=True, kw_only=True):
    """One redaction in a disclosed document, with the exemption it rests on."""

    item_id: str
    label: str
    section: str
    title: str


class FoiResponse(msgspec.Struct, frozen=True, kw_only=True):
    """The response as sent: the notice, the documents released, what was withheld and why."""

    FORMAT: ClassVar[str] = "reviewledger/foi-response/v1"

    format: str
    reference: str
    responded_on: date
    draft: bool
    response: ResponseType
    notice: str
    parts: tuple[Part, ...]
    withheld_in_whole: tuple[str, ...]
    redaction_log: tuple[RedactionRow, ...]


class ReviewDecisionNotice(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of a review (FOISA s.21(5)), with the rights of application and appeal."""

    FORMAT: ClassVar[str] = "reviewledger/foi-review-decision/v1"

    format: str
    reference: str
    decided_on: date
    outcome: ReviewOutcome
    notice: str
