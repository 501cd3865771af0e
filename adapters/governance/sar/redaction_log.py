"""The redaction log of a subject access pack: every decision to withhold or release part of it.

Read from the request file's own events (`FileEvents`: who collated, released and decided what):
for each collated item, one line per other person in it (withheld by default, released, or
released in part) and one per redaction proposed on it; for each document, its redactions or
why it is withheld. `adapters.governance.sar.contents` numbers them into the pack.
"""

from __future__ import annotations

from datetime import date

import msgspec

from adapters.governance.sar.documents import PackDocument
from adapters.store.reading import Recorded
from domain.governance.documents import DisclosureOutcome
from domain.governance.sar.request import SubjectAccessRequest
from domain.governance.sar.steps import (
    ItemReleasedInPart,
    ItemsCollated,
    RecordsSearched,
    RedactionGround,
    RedactionProposed,
    ReleaseBasis,
    SarReceived,
    SeriousHarmConfirmed,
    SeriousHarmDeclined,
    ThirdPartyDataReleased,
)
from domain.governance.sar.withholding import THIRD_PARTY_MARKER, ItemDecision

#: Each ground of withholding in the requester's words, and the law it rests on.
GROUNDS: dict[RedactionGround, tuple[str, str]] = {
    RedactionGround.THIRD_PARTY: ("information about another person", "DPA 2018 Sch. 2 Pt. 3 para 16"),
    RedactionGround.SERIOUS_HARM: (
        "likely to cause serious harm to the physical or mental health of a person",
        "DPA 2018 Sch. 3 Pt. 3 (social work data)",
    ),
    RedactionGround.LEGAL_PROFESSIONAL_PRIVILEGE: (
        "legal professional privilege",
        "DPA 2018 Sch. 2 Pt. 4 para 19",
    ),
    RedactionGround.CRIME: ("the prevention or detection of crime", "DPA 2018 Sch. 2 Pt. 1 para 2"),
}


class LogEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One decision to withhold or release part of the pack."""

    number: int
    item_id: str
    ground: str
    law: str
    outcome: str
    decided_by: tuple[str, ...]
    decided_on: date | None = None
    basis: str | None = None  # for a release: consent, or why it is reasonable to disclose
    reasons: str | None = None  # for a release: the reasons recorded


class FileEvents:
    """The request file's own events, opened: who collated, released and decided what."""

    def __init__(self, events: list[Recorded]) -> None:
        self.received: SarReceived | None = None
        self.searches: list[RecordsSearched] = []
        self.collated: dict[str, tuple[str, date]] = {}
        self.releases: dict[tuple[str, str], ThirdPartyDataReleased] = {}
        self.in_part: dict[str, ItemReleasedInPart] = {}
        self.proposals: dict[int, tuple[Recorded, RedactionProposed]] = {}
        self.second_officer: dict[int, Recorded] = {}
        for recorded in events:
            match recorded.event:
                case SarReceived() as e:
                    self.received = e
                case RecordsSearched() as e:
                    self.searches.append(e)
                case ItemsCollated() as e:
                    self.collated.update({item.item_id: (e.actor, e.collated_on) for item in e.items})
                case ThirdPartyDataReleased() as e:
                    self.releases[(e.item_id, e.third_party)] = e
                case ItemReleasedInPart() as e:
                    self.in_part[e.item_id] = e
                case RedactionProposed() as e:
                    self.proposals[e.redaction] = (recorded, e)
                case SeriousHarmConfirmed() | SeriousHarmDeclined() as e:
                    self.second_officer[e.redaction] = recorded


def third_party_entries(item: ItemDecision, file: FileEvents, *, start: int) -> list[LogEntry]:
    words, law = GROUNDS[RedactionGround.THIRD_PARTY]
    in_part = file.in_part.get(item.item_id) if item.released_in_part else None
    entries: list[LogEntry] = []
    for person in item.people:
        number = start + len(entries)
        event = file.releases.get((item.item_id, person.subject))
        if event is None and in_part is not None:
            entries.append(
                LogEntry(
                    number=number,
                    item_id=item.item_id,
                    ground=words,
                    law=law,
                    outcome=f"released in part: their identifiers replaced by {THIRD_PARTY_MARKER}",
                    decided_by=(in_part.actor,),
                    decided_on=in_part.at.date(),
                    reasons=in_part.reasons.value,
                )
            )
            continue
        if event is None:
            actor, on = file.collated.get(item.item_id, ("the default rule", None))
            entries.append(
                LogEntry(
                    number=number,
                    item_id=item.item_id,
                    ground=words,
                    law=law,
                    outcome="withheld (by default)",
                    decided_by=(actor,),
                    decided_on=on,
                )
            )
            continue
        basis = (
            f"consent given on {event.consent_given_on}"
            if event.basis is ReleaseBasis.CONSENT
            else "reasonable to disclose without consent"
        )
        entries.append(
            LogEntry(
                number=number,
                item_id=item.item_id,
                ground=words,
                law=law,
                outcome="released",
                decided_by=(event.actor,),
                decided_on=event.at.date(),
                basis=basis,
                reasons=event.reasons.value,
            )
        )
    return entries


def proposal_entries(
    item_id: str, sar: SubjectAccessRequest, file: FileEvents, *, start: int
) -> list[LogEntry]:
    entries: list[LogEntry] = []
    for number, redaction in sorted(sar.redactions.items()):
        if redaction.item_id != item_id:
            continue
        _, proposal = file.proposals[number]
        words, law = GROUNDS[redaction.ground]
        decided_by: tuple[str, ...] = (proposal.actor,)
        decided_on = proposal.at.date()
        second = file.second_officer.get(number)
        if second is not None:
            decided_by += (second.actor,)
            decided_on = second.time.date()
        if redaction.ground is not RedactionGround.SERIOUS_HARM:
            outcome = "withheld"
        elif second is None:
            outcome = "withheld until a second officer decides"
        elif isinstance(second.event, SeriousHarmConfirmed):
            outcome = "withheld: confirmed by a second officer"
        else:
            outcome = "not withheld: a second officer declined it"
        entries.append(
            LogEntry(
                number=start + len(entries),
                item_id=item_id,
                ground=words,
                law=law,
                outcome=outcome,
                decided_by=decided_by,
                decided_on=decided_on,
            )
        )
    return entries


#: What the source of a document's redaction says in the log.
_FOUND_BY = {
    "detector": "another person's identifier, found by the detector",
    "officer": "a phrase the officer marked",
    "area": "an area the officer marked",
}


def _document_law(ground: str) -> str:
    """The law a document's ground rests on, where the ground is one the pack knows."""
    if ground.startswith("s.16"):
        return GROUNDS[RedactionGround.THIRD_PARTY][1]
    return next((law for words, law in GROUNDS.values() if words == ground), "")


def document_entries(document: PackDocument, *, start: int) -> list[LogEntry]:
    """The redaction log's lines for a document: each redaction with its ground, or why it is withheld."""
    item_id, decision = document.item_id, document.decision
    if not document.held:
        return []
    if decision is None:
        return [
            LogEntry(
                number=start,
                item_id=item_id,
                ground="no decision recorded on this document yet",
                law="",
                outcome="withheld until an officer decides",
                decided_by=("the default rule",),
            )
        ]
    by, on = (decision.decided_by,), decision.at.date()
    match decision.outcome:
        case DisclosureOutcome.RELEASED:
            return [
                LogEntry(
                    number=start,
                    item_id=item_id,
                    ground="nothing withheld",
                    law="",
                    outcome="released: the whole document",
                    decided_by=by,
                    decided_on=on,
                )
            ]
        case DisclosureOutcome.WITHHELD:
            return [
                LogEntry(
                    number=start,
                    item_id=item_id,
                    ground=decision.ground,
                    law=_document_law(decision.ground),
                    outcome="withheld: the whole document",
                    decided_by=by,
                    decided_on=on,
                )
            ]
    return [
        LogEntry(
            number=start + n,
            item_id=item_id,
            ground=r.ground,
            law=_document_law(r.ground),
            outcome=f"removed from page {r.page} ({r.occurrences} place{'' if r.occurrences == 1 else 's'}): "
            + _FOUND_BY.get(r.source, r.source),
            decided_by=by,
            decided_on=on,
        )
        for n, r in enumerate(decision.redactions)
    ]


def marker(withheld: list[LogEntry]) -> str:
    """The visible marker of a withheld item: each ground, its law, and the log entries."""
    grounds = ", ".join(dict.fromkeys(f"{e.ground} ({e.law})" if e.law else e.ground for e in withheld))
    numbers = ", ".join(str(e.number) for e in withheld)
    return f"[withheld: {grounds}; redaction log {numbers}]"
