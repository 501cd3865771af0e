"""A subject access request file (UK GDPR Art. 15, DPA 2018; DOMAIN.md §4).

Stream: `sar-<REF>` (e.g. `sar-SAR-2026-014`), one per request; its events are named `sar.*`.

The file keeps every step an IG officer takes, so the authority can show what it did and
when: the request received (by whom, for whom, with what authority), the proof of identity
and any clarification awaited (the timescale stops), an extension (only if the requester was told
within the first month), what was searched, the items collated into the pack, each redaction
decision with its ground, the review of the pack, and the response sent: the digest of the
exact bytes, what was disclosed and what was withheld and why.

The response pack and its redaction rules live in `domain.governance.sar.pack`.

While the request is open, the records it searched are under legal hold (DPA 2018 s.173):
`records_in_scope` names them for the retention register.

Authority: every step is recorded by an information-governance officer (`ig_officer`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from domain.governance.disposal import PersonalDataDisposed
from domain.governance.ig_handling import AssignOfficers, check_officers
from domain.governance.ig_timescales import (
    RULE_SAR_EXTENSION,
    RULE_SAR_MONTH,
    RULE_SAR_STOP,
    RULE_SAR_WORKING_DAY,
    OnCalendar,
    TimescaleStop,
    sar_due,
    sar_stopped_days,
    sar_timescale_start,
)
from domain.governance.sar.pack import (
    RULE_RECEIPT,
    RULE_RESPONSE,
    RULE_REVIEW,
    RULE_SEARCH,
    RULE_SERIOUS_HARM,
    ResponsePack,
    maybe_personal,
    required,
)
from domain.governance.sar.steps import (
    Capacity,
    ClarificationReceived,
    ClarificationSought,
    CloseOutcome,
    CloseSubjectAccessRequest,
    DeadlineExtended,
    ExtendDeadline,
    IdentityVerified,
    ProofOfIdentitySought,
    ReceiveClarification,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    RecordsSearched,
    RedactionStatus,
    ResponseContent,
    ResponseSent,
    SarClosed,
    SarOfficersAssigned,
    SarReceived,
    SearchedRecord,
    SeekClarification,
    SeekProofOfIdentity,
    SendResponse,
    VerifyIdentity,
)
from domain.governance.subjects import check_subject_id
from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent, ItemKind, personal
from domain.kernel.roles import Acting, Role
from domain.kernel.steps import Obligation, happened, not_before
from domain.kernel.timescales import Timescale

SAR_STREAM_PREFIX = "sar-"

RULE_IDENTITY = "UK GDPR Art. 12(6): reasonable doubts about identity"

_SHA256 = re.compile(r"[0-9a-f]{64}")


def sar_stream(reference: str) -> str:
    """The stream a request's events are stored under."""
    return SAR_STREAM_PREFIX + reference


class SubjectAccessRequest(OnCalendar, ResponsePack):
    """One subject access request, from receipt to closure."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.identity_sought_on: date | None = None
        self.identity_evidence_on: date | None = None
        self.identity_verified = False
        self.stops: list[TimescaleStop] = []
        self.extended = False
        self.personal_data_disposed = False

    # -- what an officer sees -----------------------------------------------------------------------

    @property
    def stage(self) -> str:
        if self.received_on is None:
            return "not yet received"
        if self.closed is not None:
            return f"closed ({self.closed.value.replace('_', ' ')})"
        if self.sent_on is not None:
            return "response sent"
        if self.awaiting_identity:
            return "clock stopped: awaiting proof of identity"
        if self.awaiting_clarification:
            return "clock stopped: awaiting clarification"
        return "being prepared"

    @property
    def status(self) -> str:
        return "closed" if self.closed is not None else "open" if self.received_on else "not yet received"

    @property
    def is_open(self) -> bool:
        return self.received_on is not None and self.closed is None

    @property
    def records_in_scope(self) -> tuple[str, ...]:
        """The records searched for this request: on legal hold while it is open (DPA 2018 s.173)."""
        return tuple(self.searched)

    @property
    def awaiting_identity(self) -> bool:
        return self.identity_sought_on is not None and self.identity_evidence_on is None

    @property
    def awaiting_clarification(self) -> bool:
        return bool(self.stops) and self.stops[-1].restarted_on is None

    @property
    def timescale_starts_on(self) -> date | None:
        if self.received_on is None:
            return None
        return sar_timescale_start(self.received_on, self.identity_evidence_on)

    def due_on(self) -> date | None:
        """The last day to respond as things stand (a running wait moves it on when it ends)."""
        starts = self.timescale_starts_on
        if starts is None:
            return None
        stopped = sar_stopped_days(starts, self.stops)
        return sar_due(starts, extended=self.extended, stopped_days=stopped, calendar=self.calendar)

    def first_month_ends_on(self, as_at: date) -> date | None:
        """The last day the requester can be told of an extension, as it stands on `as_at`.

        None while proof of identity is awaited: the month has not begun. A wait for
        clarification still running on `as_at` counts up to that day.
        """
        starts = self.timescale_starts_on
        if starts is None or self.awaiting_identity:
            return None
        stops = [
            s if s.restarted_on else TimescaleStop(stopped_on=s.stopped_on, restarted_on=as_at)
            for s in self.stops
        ]
        return sar_due(starts, stopped_days=sar_stopped_days(starts, stops), calendar=self.calendar)

    def timescales(self) -> list[Timescale]:
        starts, due = self.timescale_starts_on, self.due_on()
        if starts is None or due is None:
            return []
        paused_since = None
        if self.awaiting_identity:
            paused_since = self.identity_sought_on
        elif self.awaiting_clarification:
            paused_since = self.stops[-1].stopped_on
        months = "three months (extended)" if self.extended else "one calendar month"
        rule = RULE_SAR_EXTENSION if self.extended else RULE_SAR_MONTH
        stopped = sar_stopped_days(starts, self.stops)
        if due != sar_due(starts, extended=self.extended, stopped_days=stopped):
            rule = f"{rule}; {RULE_SAR_WORKING_DAY}"
        return [
            Timescale(
                name=f"response within {months} of receipt",
                rule=rule,
                started=starts,
                due=due,
                completed=self.sent_on,
                paused_since=paused_since,
                paused_days=stopped,
            )
        ]

    def obligations(self) -> list[Obligation]:
        """What the request still needs, from whom, by when."""
        if self.received_on is None or self.closed is not None:
            return []
        ig, due = (Role.IG_OFFICER,), self.due_on()
        if self.sent_on is not None:
            return [Obligation(who=ig, what="close the request", rule=RULE_RESPONSE)]
        owed: list[Obligation] = []
        if self.awaiting_identity:
            owed.append(
                Obligation(who=ig, what="record the proof of identity when it arrives", rule=RULE_SAR_STOP)
            )
        elif not self.identity_verified:
            owed.append(
                Obligation(who=ig, what="verify the requester's identity", rule=RULE_IDENTITY, due=due)
            )
        if self.awaiting_clarification:
            owed.append(
                Obligation(who=ig, what="record the clarification when it arrives", rule=RULE_SAR_STOP)
            )
        if not self.searched:
            owed.append(
                Obligation(
                    who=ig, what="search the records for the subject's data", rule=RULE_SEARCH, due=due
                )
            )
        for r in self.redactions.values():
            if r.status is RedactionStatus.AWAITING_SECOND_OFFICER:
                what = f"a second IG officer confirms or declines the serious-harm redaction {r.number}"
                owed.append(Obligation(who=ig, what=what, rule=RULE_SERIOUS_HARM, due=due))
        if not self.reviewed:
            owed.append(Obligation(who=ig, what="review the response pack", rule=RULE_REVIEW, due=due))
        what = "send the response with the cover letter"
        owed.append(
            Obligation(
                who=ig, what=what, rule=RULE_SAR_EXTENSION if self.extended else RULE_SAR_MONTH, due=due
            )
        )
        return owed

    # -- commands: each checks authority and the rules, then records one event ----------------------------

    @handles(ReceiveSubjectAccessRequest)
    def receive(self, command: ReceiveSubjectAccessRequest, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        if self.received_on is not None:
            self._refuse("this request has already been received", RULE_RECEIPT)
        happened("received_on", command.received_on, at)
        check_subject_id(command.requester_id)
        check_subject_id(command.subject_id)
        for_themselves = command.capacity is Capacity.DATA_SUBJECT
        if for_themselves != (command.requester_id == command.subject_id):
            raise InvalidInput(
                "capacity",
                "a data subject asks for their own data; someone asking for another person's data "
                "says in which capacity they act",
            )
        if not for_themselves and not (command.authority_to_act or "").strip():
            self._refuse(
                "someone asking for another person's data must show their authority to act", RULE_RECEIPT
            )
        if (
            command.capacity is Capacity.PARENT_OR_CARER
            and command.subject_is_child_aged_12_or_over
            and command.child_view is None
        ):
            self._refuse(
                "a child of 12 or over is presumed able to make their own request: record that the child "
                "authorised it, or that the child is judged not to understand it",
                RULE_RECEIPT,
            )
        requester, subject = command.requester_id, command.subject_id
        self._record(
            SarReceived(
                received_on=command.received_on,
                channel=command.channel,
                requester_id=requester,
                subject_id=subject,
                capacity=command.capacity,
                requester_name=personal(
                    required("requester_name", command.requester_name), requester, kind=ItemKind.NAME
                ),
                requester_contact=maybe_personal(command.requester_contact, (requester,), ItemKind.CONTACT),
                requester_address=maybe_personal(command.requester_address, (requester,), ItemKind.ADDRESS),
                request=personal(required("request", command.request), subject, requester, by=requester),
                authority_to_act=maybe_personal(
                    command.authority_to_act, (requester, subject), ItemKind.NARRATIVE
                ),
                subject_is_child_aged_12_or_over=command.subject_is_child_aged_12_or_over,
                child_view=command.child_view,
                actor=by.actor,
                at=at,
            )
        )

    @handles(SeekProofOfIdentity)
    def seek_proof_of_identity(self, command: SeekProofOfIdentity, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        if self.identity_verified:
            self._refuse("the requester's identity is already verified", RULE_IDENTITY)
        if self.identity_sought_on is not None:
            self._refuse("proof of identity has already been asked for", RULE_IDENTITY)
        self._dated("sought_on", command.sought_on, at)
        self._record(
            ProofOfIdentitySought(
                sought_on=command.sought_on,
                asked_for=self._about_requester("asked_for", command.asked_for),
                actor=by.actor,
                at=at,
            )
        )

    @handles(VerifyIdentity)
    def verify_identity(self, command: VerifyIdentity, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        if self.identity_verified:
            self._refuse("the requester's identity is already verified", RULE_IDENTITY)
        self._dated("verified_on", command.verified_on, at)
        evidence_on = command.evidence_received_on
        if self.identity_sought_on is not None:
            if evidence_on is None:
                raise InvalidInput("evidence_received_on", "say when the proof of identity asked for arrived")
            not_before("evidence_received_on", evidence_on, self.identity_sought_on, "it was asked for")
            if evidence_on > command.verified_on:
                raise InvalidInput("evidence_received_on", "cannot be after the identity was verified")
        elif evidence_on is not None:
            raise InvalidInput("evidence_received_on", "no proof of identity was asked for")
        note = command.note.strip()
        self._record(
            IdentityVerified(
                verified_on=command.verified_on,
                check=command.check,
                evidence_received_on=evidence_on,
                note=self._about_requester("note", note) if note else None,
                actor=by.actor,
                at=at,
            )
        )

    @handles(SeekClarification)
    def seek_clarification(self, command: SeekClarification, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        if self.awaiting_clarification:
            self._refuse("clarification is already awaited; record the answer first", RULE_SAR_STOP)
        self._dated("sought_on", command.sought_on, at)
        if self.stops and self.stops[-1].restarted_on is not None:
            not_before("sought_on", command.sought_on, self.stops[-1].restarted_on, "the last clarification")
        self._record(
            ClarificationSought(
                sought_on=command.sought_on,
                question=self._about_requester("question", command.question),
                actor=by.actor,
                at=at,
            )
        )

    @handles(ReceiveClarification)
    def receive_clarification(self, command: ReceiveClarification, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        if not self.awaiting_clarification:
            self._refuse("no clarification has been asked for", RULE_SAR_STOP)
        self._dated("received_on", command.received_on, at)
        not_before("received_on", command.received_on, self.stops[-1].stopped_on, "clarification was sought")
        self._record(
            ClarificationReceived(
                received_on=command.received_on,
                answer=self._about_requester("answer", command.answer, by_requester=True),
                actor=by.actor,
                at=at,
            )
        )

    @handles(ExtendDeadline)
    def extend_deadline(self, command: ExtendDeadline, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        if self.extended:
            self._refuse("the time to respond has already been extended", RULE_SAR_EXTENSION)
        self._dated("told_on", command.told_on, at)
        first_month_ends = self.first_month_ends_on(command.told_on)
        if first_month_ends is not None and command.told_on > first_month_ends:
            self._refuse(
                f"the requester must be told of an extension within the first month, that is by "
                f"{first_month_ends}; it can no longer be extended",
                RULE_SAR_EXTENSION,
            )
        starts = self.timescale_starts_on
        assert starts is not None  # the request is received
        stopped = sar_stopped_days(starts, self.stops)
        self._record(
            DeadlineExtended(
                told_on=command.told_on,
                reason=command.reason,
                explanation=self._about_requester("explanation", command.explanation),
                due_before=sar_due(starts, stopped_days=stopped, calendar=self.calendar),
                due_after=sar_due(starts, extended=True, stopped_days=stopped, calendar=self.calendar),
                actor=by.actor,
                at=at,
            )
        )

    @handles(RecordSearch)
    def record_search(self, command: RecordSearch, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        self._dated("searched_on", command.searched_on, at)
        if not command.records:
            raise InvalidInput("records", "name at least one record searched")
        records = tuple(
            SearchedRecord(
                record=required("records.record", r.record), what=self._about_subject("records.what", r.what)
            )
            for r in command.records
        )
        terms = tuple(self._about_subject("terms", t) for t in command.terms)
        self._record(
            RecordsSearched(
                searched_on=command.searched_on, records=records, terms=terms, actor=by.actor, at=at
            )
        )

    @handles(SendResponse)
    def send_response(self, command: SendResponse, by: Acting, at: datetime) -> None:
        self._begin_open(command, by)
        self._dated("sent_on", command.sent_on, at)
        if not _SHA256.fullmatch(command.sha256):
            raise InvalidInput(
                "sha256", "must be the SHA-256 of the bytes sent: 64 lowercase hexadecimal digits"
            )
        if command.size_bytes <= 0:
            raise InvalidInput("size_bytes", "must be the size of the pack sent, in bytes")
        if not self.identity_verified:
            self._refuse("the requester's identity must be verified before anything is sent", RULE_IDENTITY)
        if self.awaiting_clarification:
            self._refuse("clarification is still awaited; record it before responding", RULE_SAR_STOP)
        self._no_serious_harm_waiting("sent")
        if not self.reviewed:
            self._refuse(
                "the pack has changed since it was reviewed, or was never reviewed: review it first",
                RULE_REVIEW,
            )
        missing = [c.value for c in ResponseContent if c not in command.contents]
        if missing:
            self._refuse(f"the response must also contain: {', '.join(missing)}", RULE_RESPONSE)
        due = self.due_on()
        assert due is not None
        self._record(
            ResponseSent(
                sent_on=command.sent_on,
                sha256=command.sha256,
                size_bytes=command.size_bytes,
                pack_format=command.pack_format,
                delivery=command.delivery,
                contents=tuple(dict.fromkeys(command.contents)),
                items_sent=tuple(self.items),
                withheld=self.withheld(),
                due_on=due,
                actor=by.actor,
                at=at,
            )
        )

    @handles(AssignOfficers)
    def assign_officers(self, command: AssignOfficers, by: Acting, at: datetime) -> None:
        self._begin_open(command, by, after_response=True)
        officers = check_officers(command.officers)
        self._record(
            SarOfficersAssigned(
                officers=officers, reason=required("reason", command.reason), actor=by.actor, at=at
            )
        )

    @handles(CloseSubjectAccessRequest)
    def close(self, command: CloseSubjectAccessRequest, by: Acting, at: datetime) -> None:
        self._begin_open(command, by, after_response=True)
        self._dated("closed_on", command.closed_on, at)
        outcome = command.outcome
        if (outcome is CloseOutcome.RESPONDED) != (self.sent_on is not None):
            words = "no response has been sent" if self.sent_on is None else "a response has been sent"
            self._refuse(
                f"the request cannot close as {outcome.value.replace('_', ' ')}: {words}", RULE_RESPONSE
            )
        if outcome is CloseOutcome.IDENTITY_NOT_PROVIDED and not self.awaiting_identity:
            self._refuse("no proof of identity is awaited", RULE_IDENTITY)
        if outcome is CloseOutcome.CLARIFICATION_NOT_PROVIDED and not self.awaiting_clarification:
            self._refuse("no clarification is awaited", RULE_SAR_STOP)
        note = command.note.strip()
        self._record(
            SarClosed(
                closed_on=command.closed_on,
                outcome=outcome,
                note=self._about_subject("note", note) if note else None,
                actor=by.actor,
                at=at,
            )
        )

    # -- state changes: no rules here, the event already happened -----------------------------------------

    def when(self, event: DomainEvent) -> None:
        if self._when_pack(event):
            return
        match event:
            case SarReceived():
                self.received_on = event.received_on
                self.officers = (event.actor,)
                self.requester_id, self.subject_id = event.requester_id, event.subject_id
            case ProofOfIdentitySought():
                self.identity_sought_on = event.sought_on
            case IdentityVerified():
                self.identity_verified = True
                self.identity_evidence_on = event.evidence_received_on
            case ClarificationSought():
                self.stops.append(TimescaleStop(stopped_on=event.sought_on))
            case ClarificationReceived():
                self.stops[-1] = TimescaleStop(
                    stopped_on=self.stops[-1].stopped_on, restarted_on=event.received_on
                )
            case DeadlineExtended():
                self.extended = True
            case RecordsSearched():
                for searched in event.records:
                    self.searched[searched.record] = self.searched.get(searched.record, 0) + 1
                self.reviewed = False
            case ResponseSent():
                self.sent_on = event.sent_on
            case SarOfficersAssigned():
                self.officers = event.officers
            case SarClosed():
                self.closed = event.outcome
            case PersonalDataDisposed():
                self.personal_data_disposed = True  # the sealed values are gone; the course is unchanged
            case _:
                raise TypeError(f"a {self.kind} has no event {type(event).__name__}")

    # -- helpers ------------------------------------------------------------------------------------------
