"""A freedom-of-information request file under FOISA 2002 (DOMAIN.md §5).

Stream: `foi-<REF>` (e.g. `foi-FOI-2026-031`), one per request; its events are named `foi.*`.

The file records the request (s.8), any clarification sought (s.1(3): the twenty working days
then run from the answer), the information identified, each exemption applied to an item with
its reasons and, for a qualified exemption, the public interest test (s.2(1)(b)), the response
(release, release in part or refusal under s.16, not held under s.17, neither confirm nor deny
under s.18) with the digest of the notice sent, a requirement for review (s.20: within forty
working days) and its decision (s.21: within twenty), and an application to the Scottish
Information Commissioner (s.47) and its outcome.

Working days exclude weekends, Christmas Day and Scottish bank holidays (s.73). The record is
given the calendar it counts on: the application makes the class once with
`FoiRequest.using(calendar)` and uses that class for this kind of record. Every deadline is
stored in the event that starts its timescale, so a replay, a timescale or an obligation never
needs the calendar; only the steps that start a timescale do.

Authority: every step is recorded by an information-governance officer (`ig_officer`); a
review is decided by an officer other than the one who sent the response (Scottish Ministers'
Code of Practice under s.60).
"""

from __future__ import annotations

from datetime import datetime

from domain.governance.disposal import PersonalDataDisposed
from domain.governance.exemptions import Section, exemption
from domain.governance.foi.file import (
    RULE_APPEAL,
    RULE_CLARIFICATION,
    RULE_EXEMPTION,
    RULE_OWN_DATA,
    RULE_REQUEST,
    RULE_RESPONSE,
    check_digest,
    opinion,
    required,
)
from domain.governance.foi.review import ReviewAndAppeal
from domain.governance.foi.steps import (
    ApplyExemption,
    ExemptionApplied,
    Extent,
    FoiClarificationReceived,
    FoiClarificationSought,
    FoiOfficersAssigned,
    FoiReceived,
    FoiResponseSent,
    HeldItem,
    IdentifyInformation,
    InformationIdentified,
    PublicInterestTest,
    ReceiveFoiClarification,
    ReceiveFoiRequest,
    RespondToFoiRequest,
    ResponseType,
    SeekFoiClarification,
)
from domain.governance.ig_handling import AssignOfficers, check_officers
from domain.governance.ig_timescales import (
    RULE_FOI_RESPONSE,
    RULE_FOI_REVIEW,
    foi_response_due,
    foi_review_request_deadline,
)
from domain.governance.subjects import check_subject_id
from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent, ItemKind, personal
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation, happened, not_before
from domain.kernel.timescales import Timescale


class FoiRequest(ReviewAndAppeal):
    """One FOI request, from receipt to closure (and any review and appeal)."""

    def timescales(self) -> list[Timescale]:
        found: list[Timescale] = []
        if self.timescale_started_on is not None and self.due_on is not None:
            found.append(
                Timescale(
                    name="response within 20 working days of receipt",
                    rule=RULE_FOI_RESPONSE,
                    started=self.timescale_started_on,
                    due=self.due_on,
                    completed=self.responded.responded_on if self.responded else None,
                    paused_since=self.clarification_sought_on if self.awaiting_clarification else None,
                )
            )
        if self.review is not None:
            found.append(
                Timescale(
                    name="review decided within 20 working days of the requirement",
                    rule=RULE_FOI_REVIEW,
                    started=self.review.received_on,
                    due=self.review.due_on,
                    completed=self.review_decided_on,
                )
            )
        return found

    def obligations(self) -> list[Obligation]:
        if self.received_on is None or self.closed_on is not None:
            return []
        ig = (Role.IG_OFFICER,)
        if self.awaiting_clarification:
            return [
                Obligation(who=ig, what="record the clarification when it arrives", rule=RULE_CLARIFICATION)
            ]
        owed: list[Obligation] = []
        if self.responded is None:
            if not self.items:
                what = "record the information held, or respond that it is not held"
                owed.append(Obligation(who=ig, what=what, rule=RULE_FOI_RESPONSE, due=self.due_on))
            owed.append(Obligation(who=ig, what="send the response", rule=RULE_FOI_RESPONSE, due=self.due_on))
        if self.review is not None and self.review_decided_on is None:
            what = "an officer not involved in the response decides the review"
            owed.append(Obligation(who=ig, what=what, rule=RULE_FOI_REVIEW, due=self.review.due_on))
        if self.appealed_on is not None and self.commissioner_decided_on is None:
            owed.append(Obligation(who=ig, what="note the Commissioner's decision", rule=RULE_APPEAL))
        return owed or [Obligation(who=ig, what="close the request", rule=RULE_RESPONSE)]

    # -- commands: each checks authority and the rules, then records one event ----------------------------

    @handles(ReceiveFoiRequest)
    def receive(self, command: ReceiveFoiRequest, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        if self.received_on is not None:
            self._refuse("this request has already been received", RULE_REQUEST)
        happened("received_on", command.received_on, at)
        requester = command.requester_id
        check_subject_id(requester)
        # s.8(1): a valid request states the requester's name, an address for correspondence,
        # and describes the information requested.
        name = required(
            "requester_name", command.requester_name, "a valid request states the requester's name"
        )
        address = required(
            "address_for_correspondence",
            command.address_for_correspondence,
            "a valid request gives an address",
        )
        wording = required(
            "information_requested",
            command.information_requested,
            "a valid request describes the information",
        )
        self._record(
            FoiReceived(
                received_on=command.received_on,
                channel=command.channel,
                requester_id=requester,
                requester_name=personal(name, requester, kind=ItemKind.NAME),
                address_for_correspondence=personal(address, requester, kind=ItemKind.CONTACT),
                information_requested=personal(wording, requester, by=requester),
                due_on=foi_response_due(command.received_on, self._calendar()),
                actor=by.actor,
                at=at,
            )
        )

    @handles(SeekFoiClarification)
    def seek_clarification(self, command: SeekFoiClarification, by: Acting, at: datetime) -> None:
        self._begin_answering(command, by)
        if self.awaiting_clarification:
            self._refuse("clarification is already awaited; record the answer first", RULE_CLARIFICATION)
        self._dated("sought_on", command.sought_on, at)
        question = personal(required("question", command.question), *self._requester())
        self._record(
            FoiClarificationSought(sought_on=command.sought_on, question=question, actor=by.actor, at=at)
        )

    @handles(ReceiveFoiClarification)
    def receive_clarification(self, command: ReceiveFoiClarification, by: Acting, at: datetime) -> None:
        self._begin_answering(command, by)
        if not self.awaiting_clarification:
            self._refuse("no clarification has been asked for", RULE_CLARIFICATION)
        happened("received_on", command.received_on, at)
        not_before(
            "received_on", command.received_on, self.clarification_sought_on, "clarification was sought"
        )
        answer = personal(required("answer", command.answer), *self._requester(), by=self.requester_id)
        self._record(
            FoiClarificationReceived(
                received_on=command.received_on,
                answer=answer,
                due_on=foi_response_due(command.received_on, self._calendar()),
                actor=by.actor,
                at=at,
            )
        )

    @handles(IdentifyInformation)
    def identify(self, command: IdentifyInformation, by: Acting, at: datetime) -> None:
        self._begin_answering(command, by)
        self._dated("identified_on", command.identified_on, at)
        if not command.items:
            raise InvalidInput(
                "items", "name at least one item held; if nothing is held, respond under section 17"
            )
        items: list[HeldItem] = []
        for answer in command.items:
            if answer.item_id in self.items or any(i.item_id == answer.item_id for i in items):
                raise InvalidInput(
                    "items", f"{required('items.item_id', answer.item_id)} is already identified"
                )
            for subject in answer.subjects:
                check_subject_id(subject)
            subjects = tuple(dict.fromkeys(answer.subjects))
            items.append(
                HeldItem(
                    item_id=answer.item_id,
                    record=required("items.record", answer.record),
                    description=personal(required("items.description", answer.description), *subjects),
                    subjects=subjects,
                )
            )
        self._record(
            InformationIdentified(
                identified_on=command.identified_on, items=tuple(items), actor=by.actor, at=at
            )
        )

    @handles(ApplyExemption)
    def apply_exemption(self, command: ApplyExemption, by: Acting, at: datetime) -> None:
        self._begin_answering(command, by)
        item = self.items.get(command.item_id)
        if item is None:
            raise InvalidInput("item_id", f"{command.item_id} is not among the information identified")
        found = exemption(command.section)
        if command.section in self.exemptions.get(item.item_id, {}):
            self._refuse(f"{found.section} is already applied to {item.item_id}", RULE_EXEMPTION)
        if found.qualified and command.public_interest is None:
            self._refuse(
                f"{found.section} is a qualified exemption: record the public interest test "
                "(the case for disclosure, the case for withholding, and the conclusion)",
                RULE_EXEMPTION,
            )
        if not found.qualified and command.public_interest is not None:
            raise InvalidInput(
                "public_interest", f"{found.section} is absolute: it has no public interest test"
            )
        if found.handle_as_subject_access and not (command.sar_reference or "").strip():
            self._refuse(
                "the requester's own personal data is handled as a subject access request: "
                "give the reference of the request opened for it",
                RULE_OWN_DATA,
            )
        if not found.handle_as_subject_access and command.sar_reference is not None:
            raise InvalidInput("sar_reference", "is given only with section 38(1)(a)")
        about = item.subjects
        test = None
        if command.public_interest is not None:
            answers = command.public_interest
            test = PublicInterestTest(
                for_disclosure=opinion("public_interest.for_disclosure", answers.for_disclosure, about),
                for_withholding=opinion("public_interest.for_withholding", answers.for_withholding, about),
                conclusion=opinion("public_interest.conclusion", answers.conclusion, about),
            )
        self._record(
            ExemptionApplied(
                item_id=item.item_id,
                section=command.section,
                extent=command.extent,
                reasons=opinion("reasons", command.reasons, about),
                public_interest=test,
                sar_reference=command.sar_reference,
                actor=by.actor,
                at=at,
            )
        )

    @handles(RespondToFoiRequest)
    def respond(self, command: RespondToFoiRequest, by: Acting, at: datetime) -> None:
        self._begin_answering(command, by)
        if self.awaiting_clarification:
            self._refuse("clarification is still awaited; record it before responding", RULE_CLARIFICATION)
        self._dated("responded_on", command.responded_on, at)
        check_digest("notice_sha256", command.notice_sha256)
        withheld = tuple(i for i, s in self.exemptions.items() if Extent.WHOLE in s.values())
        released = tuple(i for i in self.items if i not in withheld)
        cited = tuple(dict.fromkeys(s for sections in self.exemptions.values() for s in sections))
        response = command.response
        ncnd = response is ResponseType.NEITHER_CONFIRM_NOR_DENY
        if (command.ncnd_sections or command.ncnd_public_interest.strip()) and not ncnd:
            raise InvalidInput("ncnd_sections", "are given only when neither confirming nor denying")
        if response is ResponseType.DISCLOSE and cited:
            self._refuse("exemptions have been applied: respond in part, or refuse", RULE_RESPONSE)
        if response in (ResponseType.DISCLOSE, ResponseType.PARTIAL, ResponseType.REFUSE) and not self.items:
            self._refuse(
                "no information has been identified: record what is held, or respond that it is not held",
                RULE_RESPONSE,
            )
        if response is ResponseType.PARTIAL and (not cited or not released):
            self._refuse(
                "a response in part withholds something under an exemption and releases the rest",
                RULE_RESPONSE,
            )
        if response is ResponseType.REFUSE and released:
            self._refuse(
                f"a refusal withholds everything, but {', '.join(released)} is not withheld in whole: "
                "respond in part",
                RULE_RESPONSE,
            )
        if response is ResponseType.NOT_HELD and self.items:
            self._refuse(
                "information has been identified as held: it cannot be said not to be held", RULE_RESPONSE
            )
        public_interest = None
        if ncnd:
            cited = self._ncnd_sections(command)
            released, withheld = (), tuple(self.items)
            public_interest = opinion(
                "ncnd_public_interest", command.ncnd_public_interest, tuple(self._requester())
            )
        assert self.due_on is not None  # not awaiting clarification
        self._record(
            FoiResponseSent(
                responded_on=command.responded_on,
                response=response,
                notice_sha256=command.notice_sha256,
                sections_cited=cited,
                items_released=released,
                items_withheld=withheld,
                ncnd_public_interest=public_interest,
                due_on=self.due_on,
                review_requirement_due_on=foi_review_request_deadline(
                    max(command.responded_on, self.due_on), self._calendar()
                ),
                actor=by.actor,
                at=at,
            )
        )

    # -- state changes: no rules here, the event already happened -----------------------------------------

    def when(self, event: DomainEvent) -> None:
        if self._when_review(event):
            return
        match event:
            case FoiReceived():
                self.received_on = self.timescale_started_on = event.received_on
                self.officers = (event.actor,)
                self.requester_id, self.due_on = event.requester_id, event.due_on
            case FoiClarificationSought():
                self.clarification_sought_on, self.clarification_awaited = event.sought_on, True
            case FoiClarificationReceived():
                self.timescale_started_on, self.due_on = event.received_on, event.due_on
                self.clarification_awaited = False
            case InformationIdentified():
                self.items.update({item.item_id: item for item in event.items})
            case ExemptionApplied():
                self.exemptions.setdefault(event.item_id, {})[event.section] = event.extent
            case FoiResponseSent():
                self.responded = event
            case FoiOfficersAssigned():
                self.officers = event.officers
            case PersonalDataDisposed():
                self.personal_data_disposed = True  # the sealed values are gone; the course is unchanged
            case _:
                raise TypeError(f"an {self.kind} has no event {type(event).__name__}")

    @handles(AssignOfficers)
    def assign_officers(self, command: AssignOfficers, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        officers = check_officers(command.officers)
        reason = required("reason", command.reason)
        self._record(FoiOfficersAssigned(officers=officers, reason=reason, actor=by.actor, at=at))

    def _ncnd_sections(self, command: RespondToFoiRequest) -> tuple[Section, ...]:
        sections = tuple(dict.fromkeys(command.ncnd_sections))
        if not sections:
            raise InvalidInput("ncnd_sections", "name the exemptions the notice rests on")
        for section in sections:
            if not exemption(section).neither_confirm_nor_deny:
                self._refuse(
                    f"{exemption(section).section} cannot support neither confirming nor denying; section 18 "
                    "allows only sections 28 to 35, 38, 39(1) and 41",
                    RULE_RESPONSE,
                )
        if not command.ncnd_public_interest.strip():
            self._refuse(
                "say why revealing whether the information exists or is held would be contrary to the "
                "public interest",
                RULE_RESPONSE,
            )
        return sections
