"""What every step of an FOI request file needs: its state, who may act, and the calendar it counts on.

`FoiFile` holds the state and the checks every step shares; `domain.governance.foi.review` adds the
review and the appeal, and `domain.governance.foi.request.FoiRequest` the request and its response.
`STEPS` is the authority table: every step is recorded by an information-governance officer.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NoReturn

from domain.governance.exemptions import Section
from domain.governance.foi.steps import (
    ApplyExemption,
    CloseFoiRequest,
    DecideReview,
    Extent,
    FoiResponseSent,
    HeldItem,
    IdentifyInformation,
    NoteAppeal,
    NoteCommissionerDecision,
    ReceiveFoiClarification,
    ReceiveFoiRequest,
    RecordReviewRequirement,
    RespondToFoiRequest,
    ReviewRequired,
    SeekFoiClarification,
)
from domain.governance.ig_handling import AssignOfficers
from domain.governance.ig_timescales import OnCalendar, WorkingCalendar
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import Nature, Personal, personal
from domain.kernel.roles import Acting, Role, require_role
from domain.kernel.steps import Step, happened, not_before

FOI_STREAM_PREFIX = "foi-"

RULE_REQUEST = "FOISA s.8: a valid request"
RULE_CLARIFICATION = "FOISA s.1(3): further information to identify and locate what is asked for"
RULE_EXEMPTION = "FOISA s.2: absolute and qualified exemptions"
RULE_OWN_DATA = "FOISA s.38(1)(a): the requester's own data is a subject access request"
RULE_RESPONSE = "FOISA ss.16-18: the notice given"
RULE_REVIEWER = "Code of Practice under FOISA s.60: a review by someone not involved in the decision"
RULE_APPEAL = "FOISA s.47: application to the Scottish Information Commissioner"
RULE_CLOSED = "a closed request accepts no further steps"

_SHA256 = re.compile(r"[0-9a-f]{64}")


def foi_stream(reference: str) -> str:
    """The stream a request's events are stored under."""
    return FOI_STREAM_PREFIX + reference


_IG = (Role.IG_OFFICER,)

#: Who may record each step (the module docstring's authority, as the handlers check it).
STEPS: dict[type[Command], Step] = {
    ReceiveFoiRequest: Step(_IG, "recording an FOI request"),
    SeekFoiClarification: Step(_IG, "asking the requester for clarification"),
    ReceiveFoiClarification: Step(_IG, "recording the requester's clarification"),
    IdentifyInformation: Step(_IG, "recording the information held"),
    ApplyExemption: Step(_IG, "applying an exemption"),
    RespondToFoiRequest: Step(_IG, "recording the response"),
    RecordReviewRequirement: Step(_IG, "recording a requirement for review"),
    DecideReview: Step(_IG, "deciding the review"),
    NoteAppeal: Step(_IG, "noting an application to the Commissioner"),
    NoteCommissionerDecision: Step(_IG, "noting the Commissioner's decision"),
    AssignOfficers: Step(_IG, "assigning the officers handling the request"),
    CloseFoiRequest: Step(_IG, "closing the request"),
}


class FoiFile(OnCalendar, Aggregate):
    """The state of an FOI request file, and the checks every step shares."""

    kind = "FOI request"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.received_on: date | None = None
        self.requester_id: str | None = None
        self.timescale_started_on: date | None = None  # receipt, or the clarification answering s.1(3)
        self.due_on: date | None = None  # moves when a clarification arrives
        self.clarification_sought_on: date | None = None  # the latest clarification asked for
        self.clarification_awaited = False
        self.items: dict[str, HeldItem] = {}
        self.exemptions: dict[str, dict[Section, Extent]] = {}
        self.responded: FoiResponseSent | None = None
        self.review: ReviewRequired | None = None
        self.review_decided_on: date | None = None
        self.appealed_on: date | None = None
        self.commissioner_decided_on: date | None = None
        self.closed_on: date | None = None
        self.personal_data_disposed = False
        self.officers: tuple[str, ...] = ()  # handling it: who opened it, or the last assigned

    # -- what an officer sees -----------------------------------------------------------------------

    @property
    def stage(self) -> str:
        if self.received_on is None:
            return "not yet received"
        if self.closed_on is not None:
            return "closed"
        if self.appealed_on is not None and self.commissioner_decided_on is None:
            return "with the Scottish Information Commissioner"
        if self.review is not None and self.review_decided_on is None:
            return "under review"
        if self.responded is not None:
            return "review decided" if self.review_decided_on else "response sent"
        if self.awaiting_clarification:
            return "clock stopped: awaiting clarification"
        return "being answered"

    @property
    def status(self) -> str:
        return "not yet received" if self.received_on is None else "closed" if self.closed_on else "open"

    @property
    def is_open(self) -> bool:
        return self.received_on is not None and self.closed_on is None

    @property
    def awaiting_clarification(self) -> bool:
        return self.clarification_awaited

    @property
    def records_in_scope(self) -> tuple[str, ...]:
        """The records the information was identified in: on legal hold while the request is open."""
        return tuple(dict.fromkeys(item.record for item in self.items.values()))

    def _begin(self, command: Command, by: Acting, *, closed_too: bool = False) -> None:
        """Check who is acting; a closed request takes only a late review requirement or appeal."""
        step = STEPS[type(command)]
        require_role(by, step.roles[0], action=step.doing, record=self.reference)
        if self.closed_on is not None and not closed_too:
            self._refuse(f"the request is closed: {step.doing} can no longer be recorded", RULE_CLOSED)
        if self.received_on is None and not isinstance(command, ReceiveFoiRequest):
            self._refuse(f"{step.doing} needs the request to be received first", RULE_REQUEST)

    def _begin_answering(self, command: Command, by: Acting) -> None:
        self._begin(command, by)
        if self.responded is not None:
            self._refuse(
                f"the response has been sent: {STEPS[type(command)].doing} can no longer be recorded",
                RULE_RESPONSE,
            )

    def _refuse(self, message: str, rule: str) -> NoReturn:
        raise RuleViolation(message, rule=rule, record=self.reference)

    def _calendar(self) -> WorkingCalendar:
        if self.calendar is None:
            # A wiring fault, not an officer's: the application makes this class with `using`.
            raise LookupError(
                "FOI working days need a calendar of bank holidays: use FoiRequest.using(calendar)"
            )
        return self.calendar

    def _dated(self, field: str, day: date, at: datetime) -> None:
        not_before(field, day, self.received_on, "the request was received")
        happened(field, day, at)

    def _requester(self) -> tuple[str, ...]:
        return () if self.requester_id is None else (self.requester_id,)


def required(field: str, value: str, rule: str = "must not be empty") -> str:
    if not value.strip():
        raise InvalidInput(field, rule)
    return value


def opinion(field: str, text: str, about: tuple[str, ...]) -> Personal:
    return personal(required(field, text), *about, nature=Nature.OPINION)


def check_digest(field: str, value: str) -> None:
    if not _SHA256.fullmatch(value):
        raise InvalidInput(field, "must be the SHA-256 of the notice sent: 64 lowercase hexadecimal digits")
