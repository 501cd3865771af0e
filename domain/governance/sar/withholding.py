"""What a subject access pack withholds: the one place that decides it (DOMAIN.md §4).

Packs, the redaction workbench, `sar show` and the cover letter all read this decision, so
they count the same items the same way: "N items, M withheld" counts items, never the rows of
the redaction log.

An item is withheld in whole when it identifies another person whose data is withheld by
default (DPA 2018 Sch. 2 Pt. 3 para 16: everyone but practitioners acting in role, and anyone
not on the register) and the file records no release of that person's data in it, or when an
officer's redaction on another ground stands. Another person is identified by the item's
annotations (whom it is about, who said it), by the collation, or by the words themselves (a
registered identifier detected in its text). An item released in part is given with every
detected identifier of the people still withheld replaced by a marker; an item whose words are
not held says why: disposed of only when a disposal event disposed of it.

A document about the subject in the records searched is an item too, counted with the rest: it
is given whole, given redacted (counted as given in part) or withheld as an officer decided for
the request (`document.disclosure-decided`), and withheld while no officer has decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

import msgspec

from domain.governance.documents import DisclosureOutcome
from domain.governance.sar.steps import RedactionStatus
from domain.governance.subjects import THIRD_PARTY_BY_DEFAULT, SubjectCategory

if TYPE_CHECKING:
    from domain.governance.sar.pack import ResponsePack

#: What replaces another person's identifier in an item released in part.
THIRD_PARTY_MARKER = "[third party]"


class Held(StrEnum):
    """Whether an item's words are held."""

    HELD = "held"
    DISPOSED = "disposed of"  # a disposal event disposed of them
    NOT_FOUND = "not found"  # the item is not in the record, or its words are not there


class Outcome(StrEnum):
    DISCLOSED = "disclosed"
    IN_PART = "disclosed in part"
    WITHHELD = "withheld"
    DISPOSED = "disposed of"
    NOT_FOUND = "not found"


class Found(msgspec.Struct, frozen=True, kw_only=True):
    """What opening an item showed: whether its words are held, whom it names, who is in its words."""

    held: Held = Held.HELD
    named: tuple[str, ...] = ()  # the subject ids its annotations name (about, by)
    detected: Mapping[str, tuple[str, ...]] = {}  # subject id -> the words of theirs found in it


class DocumentFound(msgspec.Struct, frozen=True, kw_only=True):
    """A document about the subject in the records searched: whether its content is held, and what
    an officer decided for the request (None while nobody has)."""

    item_id: str
    held: Held = Held.HELD
    given: DisclosureOutcome | None = None


class Person(msgspec.Struct, frozen=True, kw_only=True):
    """Another person an item identifies, and whether their data in it is given."""

    subject: str
    released: bool  # the file records the release of their data in this item, with a reason
    words: tuple[str, ...] = ()  # their identifiers found in the item's words
    collated: bool = True  # the file names them in the item, so their data in it can be released


class ItemDecision(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    outcome: Outcome
    people: tuple[Person, ...]  # everyone else it identifies whose data is withheld by default
    redactions: tuple[int, ...]  # the officer's redactions that stand, or wait for a second officer, on it
    released_in_part: bool

    @property
    def withheld_people(self) -> tuple[str, ...]:
        return tuple(p.subject for p in self.people if not p.released)


class Counts(msgspec.Struct, frozen=True, kw_only=True):
    items: int
    disclosed: int
    in_part: int
    withheld: int
    disposed: int
    not_found: int

    def summary(self) -> str:
        """The one way a pack's size is said: `N items, M withheld`, then what else is true."""
        words = f"{self.items} item{'' if self.items == 1 else 's'}, {self.withheld} withheld"
        if self.in_part:
            words += f", {self.in_part} given in part"
        if self.disposed:
            words += f", {self.disposed} disposed of"
        if self.not_found:
            words += f", {self.not_found} not found"
        return words


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[ItemDecision, ...]

    def item(self, item_id: str) -> ItemDecision:
        return next(i for i in self.items if i.item_id == item_id)

    def counts(self) -> Counts:
        of = {outcome: sum(i.outcome is outcome for i in self.items) for outcome in Outcome}
        return Counts(
            items=len(self.items),
            disclosed=of[Outcome.DISCLOSED],
            in_part=of[Outcome.IN_PART],
            withheld=of[Outcome.WITHHELD],
            disposed=of[Outcome.DISPOSED],
            not_found=of[Outcome.NOT_FOUND],
        )


def withheld_by_default(category: SubjectCategory | None) -> bool:
    """Whether a person's data is withheld from someone else's response unless released."""
    return category is None or category in THIRD_PARTY_BY_DEFAULT


def third_parties(
    people: Iterable[str], own: Iterable[str], categories: Mapping[str, SubjectCategory | None]
) -> tuple[str, ...]:
    """The people among `people`, other than the requester and the subject, withheld by default."""
    leave_out = set(own)
    return tuple(
        p for p in dict.fromkeys(people) if p not in leave_out and withheld_by_default(categories.get(p))
    )


def decide(
    pack: ResponsePack,
    categories: Mapping[str, SubjectCategory | None] | None = None,
    found: Mapping[str, Found] | None = None,
    documents: Sequence[DocumentFound] = (),
) -> Decision:
    """What the pack withholds, item by item, as the file stands.

    `found` is what opening each item showed; without it the decision rests on the file alone
    (the people named at collation). `categories` gives the register's category of everyone
    `found` names; a person missing from it is withheld by default. `documents` are the documents
    about the subject in the records searched, each an item after the collated ones.
    """
    own = [s for s in (pack.subject_id, pack.requester_id) if s]
    known = categories or {}
    standing: dict[str, list[int]] = {}
    for r in pack.redactions.values():
        # A serious-harm passage is withheld from a draft while a second officer has still to decide
        # (the pack cannot be sent until one has).
        if r.status is not RedactionStatus.DECLINED:
            standing.setdefault(r.item_id, []).append(r.number)
    decisions: list[ItemDecision] = []
    for item in pack.items.values():
        opened = (found or {}).get(item.item_id, Found())
        later = third_parties((*opened.named, *opened.detected), own, known)
        people = tuple(
            Person(
                subject=p,
                released=(item.item_id, p) in pack.released,
                words=opened.detected.get(p, ()),
                collated=p in item.third_parties,
            )
            for p in dict.fromkeys((*(t for t in item.third_parties if t not in own), *later))
        )
        in_part = item.item_id in pack.released_in_part
        redactions = tuple(standing.get(item.item_id, ()))
        decisions.append(
            ItemDecision(
                item_id=item.item_id,
                outcome=_outcome(opened.held, people, redactions, in_part),
                people=people,
                redactions=redactions,
                released_in_part=in_part,
            )
        )
    decisions.extend(
        ItemDecision(
            item_id=d.item_id, outcome=document_outcome(d), people=(), redactions=(), released_in_part=False
        )
        for d in documents
    )
    return Decision(items=tuple(decisions))


def document_outcome(document: DocumentFound) -> Outcome:
    """A document's place in the count: given whole, given redacted (in part), or withheld, as decided."""
    if document.held is not Held.HELD:
        return Outcome.DISPOSED if document.held is Held.DISPOSED else Outcome.NOT_FOUND
    match document.given:
        case DisclosureOutcome.RELEASED:
            return Outcome.DISCLOSED
        case DisclosureOutcome.REDACTED:
            return Outcome.IN_PART
        case _:
            return Outcome.WITHHELD


def _outcome(held: Held, people: tuple[Person, ...], redactions: tuple[int, ...], in_part: bool) -> Outcome:
    if held is Held.DISPOSED:
        return Outcome.DISPOSED
    if held is Held.NOT_FOUND:
        return Outcome.NOT_FOUND
    if redactions:
        return Outcome.WITHHELD
    if all(p.released for p in people):
        return Outcome.DISCLOSED
    return Outcome.IN_PART if in_part else Outcome.WITHHELD
