"""The response pack of a subject access request: what goes in, and what is withheld and why.

The items of the subject's data collated from the records searched, and every redaction
decision on them (DOMAIN.md §3-4):

- another person's data in an item (a family member, a neighbour, a source) is withheld by
  default (DPA 2018 Sch. 2 Pt. 3 para 16) and released only with a recorded basis: their
  consent, or that it is reasonable to disclose it without consent;
- an officer may propose a redaction on another ground; a serious-harm redaction (DPA 2018
  Sch. 3 Pt. 3) withholds nothing until a second, different IG officer confirms it;
- a change to the pack after its review needs a new review before the response is sent.

`SarFile` holds what every step of the file needs (who asks, about whom, whether the file is
open); `ResponsePack` adds the pack's steps; `domain.governance.sar.request.SubjectAccessRequest` adds
the timescale, the response and closure.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NoReturn

import msgspec

from domain.governance.ig_handling import AssignOfficers
from domain.governance.sar.steps import (
    CloseOutcome,
    CloseSubjectAccessRequest,
    CollatedItem,
    CollateItems,
    ConfirmSeriousHarm,
    DeclineSeriousHarm,
    ExtendDeadline,
    ItemReleasedInPart,
    ItemsCollated,
    ProposeRedaction,
    ReceiveClarification,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RedactionGround,
    RedactionProposed,
    RedactionStatus,
    ReleaseBasis,
    ReleaseItemInPart,
    ReleaseThirdPartyData,
    ResponseReviewed,
    ReviewResponse,
    SeekClarification,
    SeekProofOfIdentity,
    SendResponse,
    SeriousHarmConfirmed,
    SeriousHarmDeclined,
    ThirdPartyDataReleased,
    VerifyIdentity,
    Withholding,
)
from domain.governance.sar.withholding import decide
from domain.governance.subjects import check_subject_id
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.kernel.steps import Step, happened, not_before

RULE_RECEIPT = "UK GDPR Art. 15; DPA 2018 s.208 (children in Scotland)"
RULE_SEARCH = "DOMAIN.md §4: record what was searched"
RULE_THIRD_PARTY = "DPA 2018 Sch. 2 Pt. 3 para 16: other people's data"
RULE_SERIOUS_HARM = "DPA 2018 Sch. 3 Pt. 3: serious harm, confirmed by a second IG officer"
RULE_REVIEW = "DOMAIN.md §4: the pack is reviewed before it is sent"
RULE_RESPONSE = "UK GDPR Art. 15(1)-(3): the copy and the information that goes with it"
RULE_CLOSED = "a closed request accepts no further steps"


_IG = (Role.IG_OFFICER,)

#: Who may record each step of a subject access request file, and the step in an officer's words.
STEPS: dict[type[Command], Step] = {
    ReceiveSubjectAccessRequest: Step(_IG, "recording a subject access request"),
    SeekProofOfIdentity: Step(_IG, "asking for proof of identity"),
    VerifyIdentity: Step(_IG, "verifying the requester's identity"),
    SeekClarification: Step(_IG, "asking the requester for clarification"),
    ReceiveClarification: Step(_IG, "recording the requester's clarification"),
    ExtendDeadline: Step(_IG, "extending the time to respond"),
    RecordSearch: Step(_IG, "recording a search"),
    CollateItems: Step(_IG, "collating items into the pack"),
    ProposeRedaction: Step(_IG, "proposing a redaction"),
    ConfirmSeriousHarm: Step(_IG, "confirming a serious-harm redaction"),
    DeclineSeriousHarm: Step(_IG, "declining a serious-harm redaction"),
    ReleaseThirdPartyData: Step(_IG, "releasing another person's data"),
    ReleaseItemInPart: Step(_IG, "releasing an item with other people's identifiers marked"),
    ReviewResponse: Step(_IG, "reviewing the response pack"),
    SendResponse: Step(_IG, "sending the response"),
    AssignOfficers: Step(_IG, "assigning the officers handling the request"),
    CloseSubjectAccessRequest: Step(_IG, "closing the request"),
}


class Redaction(msgspec.Struct, kw_only=True):
    """A redaction decision as it stands (state only; the events are the record)."""

    number: int
    item_id: str
    ground: RedactionGround
    third_party: str | None
    proposed_by: str
    status: RedactionStatus

    @classmethod
    def proposed(cls, event: RedactionProposed) -> Redaction:
        waits = event.ground is RedactionGround.SERIOUS_HARM
        return cls(
            number=event.redaction,
            item_id=event.item_id,
            ground=event.ground,
            third_party=event.third_party,
            proposed_by=event.actor,
            status=RedactionStatus.AWAITING_SECOND_OFFICER if waits else RedactionStatus.WITHHELD,
        )


class SarFile(Aggregate):
    """What every step of a subject access request file needs: who asks, about whom, and whether it is open."""

    kind = "subject access request"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.received_on: date | None = None
        self.requester_id: str | None = None
        self.subject_id: str | None = None
        self.searched: dict[str, int] = {}  # record -> how many searches covered it
        self.sent_on: date | None = None
        self.closed: CloseOutcome | None = None
        self.officers: tuple[str, ...] = ()  # handling it: who opened it, or the last assigned

    def _begin(self, command: Command, by: Acting) -> None:
        step = STEPS[type(command)]
        doing = step.doing
        require_any_role(by, step.roles, action=doing, record=self.reference)
        if self.closed is not None:
            self._refuse(f"the request is closed: {doing} can no longer be recorded", RULE_CLOSED)

    def _begin_open(self, command: Command, by: Acting, *, after_response: bool = False) -> None:
        self._begin(command, by)
        doing = STEPS[type(command)].doing
        if self.received_on is None:
            self._refuse(f"{doing} needs the request to be received first", RULE_RECEIPT)
        if self.sent_on is not None and not after_response:
            self._refuse(f"the response has been sent: {doing} can no longer be recorded", RULE_RESPONSE)

    def _refuse(self, message: str, rule: str) -> NoReturn:
        raise RuleViolation(message, rule=rule, record=self.reference)

    def _dated(self, field: str, day: date, at: datetime) -> None:
        not_before(field, day, self.received_on, "the request was received")
        happened(field, day, at)

    def _subject_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for i in (self.subject_id, self.requester_id) if i is not None))

    def _about_subject(self, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        return personal(required(field, text), *self._subject_ids(), nature=nature)

    def _about_requester(self, field: str, text: str, *, by_requester: bool = False) -> Personal:
        return personal(
            required(field, text), *self._subject_ids(), by=self.requester_id if by_requester else None
        )


class ResponsePack(SarFile):
    """The items collated for the response, and the redaction decisions on them."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.items: dict[str, CollatedItem] = {}
        self.redactions: dict[int, Redaction] = {}
        self.released: set[tuple[str, str]] = set()  # (item, third party) released from default redaction
        self.released_in_part: set[str] = set()  # items given with other people's identifiers marked
        self.reviewed = False  # and nothing in the pack has changed since

    def withheld(self) -> tuple[Withholding, ...]:
        """What the response withholds as things stand, as the file alone decides it
        (`domain.governance.sar.withholding`): each other person not released, item by item, then each
        redaction confirmed or needing no confirmation."""
        decision = decide(self)
        found = [
            Withholding(item_id=item.item_id, ground=RedactionGround.THIRD_PARTY, third_party=person)
            for item in decision.items
            for person in item.withheld_people
        ]
        found += [
            Withholding(item_id=r.item_id, ground=r.ground, third_party=r.third_party, redaction=r.number)
            for r in self.redactions.values()
            if r.status is RedactionStatus.WITHHELD
        ]
        return tuple(found)

    @handles(CollateItems)
    def collate(self, command: CollateItems, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        self._dated("collated_on", command.collated_on, at)
        if not command.items:
            raise InvalidInput("items", "name at least one item to collate")
        seen: set[str] = set()
        for item in command.items:
            required("items.item_id", item.item_id)
            if item.item_id in self.items or item.item_id in seen:
                raise InvalidInput("items", f"{item.item_id} is already in the pack")
            seen.add(item.item_id)
            if item.record not in self.searched:
                self._refuse(
                    f"{item.record} was not searched for this request; record the search first", RULE_SEARCH
                )
            for third_party in item.third_parties:
                check_subject_id(third_party)
                if third_party == self.subject_id:
                    raise InvalidInput(
                        "items.third_parties", "the data subject is not a third party to their own data"
                    )
        self._record(
            ItemsCollated(collated_on=command.collated_on, items=command.items, actor=by.actor, at=at)
        )

    @handles(ProposeRedaction)
    def propose_redaction(self, command: ProposeRedaction, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        item = self._item(command.item_id)
        third_party = command.third_party
        if command.ground is RedactionGround.THIRD_PARTY:
            if third_party is None:
                raise InvalidInput("third_party", "name the person whose data is to be withheld")
            check_subject_id(third_party)
        elif third_party is not None:
            raise InvalidInput("third_party", "is named only for a third-party redaction")
        about = (*self._subject_ids(), *item.third_parties, *((third_party,) if third_party else ()))
        self._record(
            RedactionProposed(
                redaction=len(self.redactions) + 1,
                item_id=item.item_id,
                ground=command.ground,
                passage=personal(required("passage", command.passage), *dict.fromkeys(about)),
                explanation=personal(
                    required("explanation", command.explanation),
                    *dict.fromkeys(about),
                    nature=Nature.OPINION,
                ),
                third_party=third_party,
                actor=by.actor,
                at=at,
            )
        )

    @handles(ConfirmSeriousHarm)
    def confirm_serious_harm(self, command: ConfirmSeriousHarm, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        self._second_officer(command.redaction, by, "confirm")
        reasons = self._about_subject("reasons", command.reasons, Nature.OPINION)
        self._record(
            SeriousHarmConfirmed(redaction=command.redaction, reasons=reasons, actor=by.actor, at=at)
        )

    @handles(DeclineSeriousHarm)
    def decline_serious_harm(self, command: DeclineSeriousHarm, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        self._second_officer(command.redaction, by, "decline")
        reasons = self._about_subject("reasons", command.reasons, Nature.OPINION)
        self._record(SeriousHarmDeclined(redaction=command.redaction, reasons=reasons, actor=by.actor, at=at))

    @handles(ReleaseThirdPartyData)
    def release_third_party_data(self, command: ReleaseThirdPartyData, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        item = self._item(command.item_id)
        if command.third_party not in item.third_parties:
            raise InvalidInput("third_party", f"{command.third_party} is not identified in {item.item_id}")
        if (item.item_id, command.third_party) in self.released:
            self._refuse(
                f"{command.third_party}'s data in {item.item_id} is already released", RULE_THIRD_PARTY
            )
        if not command.reasons.strip():
            self._refuse(
                "another person's data is released only with a recorded reason: their consent, or why it "
                "is reasonable to disclose it without consent",
                RULE_THIRD_PARTY,
            )
        if command.basis is ReleaseBasis.CONSENT:
            if command.consent_given_on is None:
                raise InvalidInput("consent_given_on", "say when the person consented")
            happened("consent_given_on", command.consent_given_on, at)
        elif command.consent_given_on is not None:
            raise InvalidInput("consent_given_on", "is given only when the basis is consent")
        about = dict.fromkeys((command.third_party, *self._subject_ids()))
        self._record(
            ThirdPartyDataReleased(
                item_id=item.item_id,
                third_party=command.third_party,
                basis=command.basis,
                reasons=personal(command.reasons, *about, nature=Nature.OPINION),
                consent_given_on=command.consent_given_on,
                actor=by.actor,
                at=at,
            )
        )

    @handles(ReleaseItemInPart)
    def release_in_part(self, command: ReleaseItemInPart, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        item = self._item(command.item_id)
        if item.item_id in self.released_in_part:
            self._refuse(f"{item.item_id} is already released in part", RULE_THIRD_PARTY)
        # Whom it marks is decided when the pack is built: the people collation named and not
        # released, and anyone whose identifiers are found in its words by then.
        withheld = [p for p in item.third_parties if (item.item_id, p) not in self.released]
        if not command.reasons.strip():
            self._refuse(
                "an item is released in part only with a recorded reason: why the rest of it can be given",
                RULE_THIRD_PARTY,
            )
        about = dict.fromkeys((*self._subject_ids(), *withheld))
        self._record(
            ItemReleasedInPart(
                item_id=item.item_id,
                reasons=personal(command.reasons, *about, nature=Nature.OPINION),
                actor=by.actor,
                at=at,
            )
        )

    @handles(ReviewResponse)
    def review(self, command: ReviewResponse, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        self._dated("reviewed_on", command.reviewed_on, at)
        if not self.searched:
            self._refuse("there is nothing to review until a search is recorded", RULE_SEARCH)
        self._no_serious_harm_waiting("reviewed")
        note = command.note.strip()
        self._record(
            ResponseReviewed(
                reviewed_on=command.reviewed_on,
                note=self._about_subject("note", note) if note else None,
                actor=by.actor,
                at=at,
            )
        )

    def _when_pack(self, event: DomainEvent) -> bool:
        """Change the pack's state for one of its events; False when the event is not the pack's."""
        match event:
            case ItemsCollated():
                self.items.update({item.item_id: item for item in event.items})
            case RedactionProposed():
                self.redactions[event.redaction] = Redaction.proposed(event)
            case SeriousHarmConfirmed():
                self.redactions[event.redaction].status = RedactionStatus.WITHHELD
            case SeriousHarmDeclined():
                self.redactions[event.redaction].status = RedactionStatus.DECLINED
            case ThirdPartyDataReleased():
                self.released.add((event.item_id, event.third_party))
            case ItemReleasedInPart():
                self.released_in_part.add(event.item_id)
            case ResponseReviewed():
                self.reviewed = True
                return True
            case _:
                return False
        self.reviewed = False
        return True

    def _item(self, item_id: str) -> CollatedItem:
        item = self.items.get(item_id)
        if item is None:
            raise InvalidInput("item_id", f"{item_id} is not in the pack; collate it first")
        return item

    def _second_officer(self, number: int, by: Acting, decision: str) -> None:
        redaction = self.redactions.get(number)
        if redaction is None or redaction.ground is not RedactionGround.SERIOUS_HARM:
            raise InvalidInput("redaction", f"there is no serious-harm redaction {number}")
        if redaction.status is not RedactionStatus.AWAITING_SECOND_OFFICER:
            self._refuse(f"serious-harm redaction {number} is already decided", RULE_SERIOUS_HARM)
        if by.actor == redaction.proposed_by:
            self._refuse(
                f"a second, different IG officer must {decision} the serious-harm redaction "
                f"{number}; {by.actor} proposed it",
                RULE_SERIOUS_HARM,
            )

    def _no_serious_harm_waiting(self, done: str) -> None:
        waiting = [
            r.number for r in self.redactions.values() if r.status is RedactionStatus.AWAITING_SECOND_OFFICER
        ]
        if waiting:
            numbers = ", ".join(str(n) for n in waiting)
            self._refuse(
                f"the pack cannot be {done} while a second IG officer has still to decide "
                f"serious-harm redaction {numbers}",
                RULE_SERIOUS_HARM,
            )


def required(field: str, value: str) -> str:
    if not value.strip():
        raise InvalidInput(field, "must not be empty")
    return value


def maybe_personal(value: str | None, about: tuple[str, ...], kind: ItemKind) -> Personal | None:
    if value is None or not value.strip():
        return None
    return personal(value, *dict.fromkeys(about), kind=kind)
