"""The redaction workbench of a subject access request: every item in words, and whom it names.

For the officer handling the request, who may read every item in its scope (`ig-request`): each
collated item as the pack opens it (`adapters.governance.sar.contents.assemble`, every record read signed
into the access log under the request), labelled in words (the review, the step, the field), with
its words split where the detector found another person's identifier, the people it identifies by
name, what the draft pack gives the requester and, when withheld, the marker with its ground. The
people are also gathered with their items, so one person's data can be released in every item
under one reason (`adapters.governance.sar.requests.release_person`). Nothing here decides what is withheld:
`domain.governance.sar.withholding` does, and this reads its decision.

The names of the other people come from their register entries, opened through the request's
reader like every record (checked, and logged under the request); the words are never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import msgspec

from adapters.app.application import Application
from adapters.governance.ig_access import RequestReader
from adapters.governance.sar.contents import PackItem, assemble
from adapters.governance.sar.items import Opened, split_item_id
from adapters.governance.sar.requests import load
from domain.governance.identifiers import Match
from domain.governance.sar.withholding import Decision, ItemDecision, Outcome
from domain.governance.subjects import SUBJECT_PREFIX, SubjectCategory, current_identifiers, subject_stream
from domain.kernel.errors import NotAuthorised


class ItemKind(StrEnum):
    """What an item is: a value recorded in a step, or a document (whose redaction is its own page)."""

    RECORD = "record item"
    DOCUMENT = "document"


class Words(msgspec.Struct, frozen=True, kw_only=True):
    """A stretch of an item's words; `person` is whose identifier it is, when the detector found one."""

    text: str
    person: str | None = None
    kind: str | None = None  # the kind of identifier ("name", "date of birth", ...)


class Named(msgspec.Struct, frozen=True, kw_only=True):
    """Another person an item identifies, by name, and whether their data in it is given."""

    subject_id: str
    name: str
    released: bool
    collated: bool  # the file names them in the item, so their data in it can be released
    found_by: str  # "named by the record", or "in its words"


class WorkbenchItem(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    kind: ItemKind
    record: str  # the review's reference, or what else holds it, in words
    step: str  # the step that recorded it, in words
    field: str  # the field's path in the step, e.g. "form.children[0].date_of_birth" (the pages word it)
    words: tuple[Words, ...] | None  # None when its words are not held
    not_held: str | None  # why there are no words
    outcome: Outcome
    people: tuple[Named, ...]
    released_in_part: bool
    given: str | None  # what the draft pack gives the requester
    withheld: str | None  # the marker the pack shows instead, with its ground

    @property
    def may_release_in_part(self) -> bool:
        return (
            self.outcome is Outcome.WITHHELD
            and not self.released_in_part
            and any(not p.released for p in self.people)
        )


class PersonItems(msgspec.Struct, frozen=True, kw_only=True):
    """One other person and every item that identifies them."""

    subject_id: str
    name: str
    category: str
    items: tuple[str, ...]
    releasable: tuple[str, ...]  # items where their data is withheld and can be released
    released: tuple[str, ...]


class Workbench(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    version: int
    items: tuple[WorkbenchItem, ...]
    people: tuple[PersonItems, ...]
    counts: str
    decision: Decision  # what the pack withholds, as `domain.governance.sar.withholding` decided it
    names: dict[str, str]  # the name of each person the items identify, and of the requester and subject

    def record(self, stream: str) -> str:
        """A record searched, in words (a register entry by its person's name)."""
        return record_words(stream, self.names)

    @property
    def item_ids(self) -> frozenset[str]:
        return frozenset(i.item_id for i in self.items)

    def item(self, item_id: str) -> WorkbenchItem:
        return next(i for i in self.items if i.item_id == item_id)


def record_words(stream: str, names: dict[str, str]) -> str:
    """Where an item is, in words: a review's reference, never an internal stream name."""
    if stream.startswith(SUBJECT_PREFIX):
        subject = stream.removeprefix(SUBJECT_PREFIX)
        return f"register entry of {names.get(subject, 'a person')}"
    for prefix, words in (("sar-", "subject access request"), ("foi-", "FOI request")):
        if stream.startswith(prefix):
            return f"{words} {stream.removeprefix(prefix)}"
    return stream


def build(app: Application, reference: str, actor: str) -> Workbench:
    """The workbench as the file stands, opened for `actor` (every read logged under the request)."""
    sar = load(app, reference)
    built = assemble(app, sar, actor, prepared_on=app.clock.now().date(), draft=True)
    others = sorted({p.subject for d in built.decision.items for p in d.people})
    names = _names(built.opener.reader, [*others, *(s for s in built.own if s not in others)])
    items = tuple(
        _item(decided, given, built.opened.get(decided.item_id), built.opener.matches, names)
        for decided, given in zip(built.decision.items, built.pack.items, strict=True)
    )
    people = tuple(
        PersonItems(
            subject_id=person,
            name=names[person],
            category=_category(built.categories.of(person)),
            items=tuple(i.item_id for i in items if any(p.subject_id == person for p in i.people)),
            releasable=tuple(
                i.item_id
                for i in items
                if any(p.subject_id == person and p.collated and not p.released for p in i.people)
            ),
            released=tuple(
                i.item_id for i in items if any(p.subject_id == person and p.released for p in i.people)
            ),
        )
        for person in sorted(others, key=lambda s: (names[s].casefold(), s))
    )
    return Workbench(
        reference=reference,
        version=sar.version,
        items=items,
        people=people,
        counts=built.decision.counts().summary(),
        decision=built.decision,
        names=names,
    )


def _category(category: SubjectCategory | None) -> str:
    return "not on the register" if category is None else category.value


def _names(reader: RequestReader, people: list[str]) -> dict[str, str]:
    """Each person's name from their register entry, read through the request's reader (the read
    checked and logged under the request like every record it opens); a person whose entry the
    request may not read is "another person"."""
    names: dict[str, str] = {}
    for person in people:
        try:
            events = reader.events(subject_stream(person))
        except NotAuthorised:  # outside the request's scope: named as "another person"
            names[person] = "another person"
            continue
        identifiers = current_identifiers(r.event for r in events)
        if identifiers is None:
            names[person] = "someone not on the register"
        elif identifiers.name.value is None:
            names[person] = "a person whose register entry was disposed of"
        else:
            names[person] = identifiers.name.value
    return names


def _item(
    decided: ItemDecision,
    given: PackItem,
    opened: Opened | None,
    matches_of: Callable[[Opened], list[Match]],
    names: dict[str, str],
) -> WorkbenchItem:
    parts = split_item_id(decided.item_id)
    stream, field = (parts[0], parts[2]) if parts else ("", decided.item_id)
    people = tuple(
        Named(
            subject_id=p.subject,
            name=names[p.subject],
            released=p.released,
            collated=p.collated,
            found_by="in its words" if p.words else "named by the record",
        )
        for p in decided.people
    )
    words: tuple[Words, ...] | None = None
    not_held: str | None = None
    if opened is None or opened.words is None:
        not_held = given.note or "its words are not held"
    else:
        others = {p.subject_id for p in people}
        words = _split(
            opened.words, [m for m in matches_of(opened) if others.intersection(m.subjects)], others
        )
    shown = decided.outcome in (Outcome.DISCLOSED, Outcome.IN_PART)
    return WorkbenchItem(
        item_id=decided.item_id,
        kind=ItemKind.RECORD,
        record=record_words(stream, names),
        step=given.step[:1].upper() + given.step[1:] if given.step else "",
        field=field,
        words=words,
        not_held=not_held,
        outcome=decided.outcome,
        people=people,
        released_in_part=decided.released_in_part,
        given=given.value if shown else None,
        withheld=None if shown else given.note,
    )


def _split(text: str, matches: list[Match], others: set[str]) -> tuple[Words, ...]:
    """The words, cut where another person's identifier stands."""
    pieces: list[Words] = []
    at = 0
    for match in sorted(matches, key=lambda m: m.start):
        if match.start < at:
            continue
        if match.start > at:
            pieces.append(Words(text=text[at : match.start]))
        whose = next(s for s in match.subjects if s in others)
        pieces.append(Words(text=match.text, person=whose, kind=match.kind.value))
        at = match.end
    if at < len(text):
        pieces.append(Words(text=text[at:]))
    return tuple(pieces)
