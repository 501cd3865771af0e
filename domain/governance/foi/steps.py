"""The steps of a freedom-of-information request file (FOISA 2002): choices, commands and events.

The record that checks them is `domain.governance.foi.request.FoiRequest`. The requester's name and
address, the wording of the request, and every reason an officer writes are `Personal`
items; the exemptions are codes from `domain.governance.exemptions`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import msgspec

from domain.governance.exemptions import Section
from domain.kernel.command import Command
from domain.kernel.event import DomainEvent, Personal

# -- choices ------------------------------------------------------------------------------------------


class FoiChannel(StrEnum):
    """FOISA s.8(1)(a): a request is in writing or in another form that can be kept for reference."""

    LETTER = "letter"
    EMAIL = "email"
    WEB_FORM = "web_form"
    SOCIAL_MEDIA = "social_media"
    OTHER_RECORDABLE = "other_recordable"  # e.g. an audio recording


class Extent(StrEnum):
    """How much of an item an exemption withholds."""

    WHOLE = "whole"
    PART = "part"  # the rest of the item is released, redacted


class ResponseType(StrEnum):
    DISCLOSE = "disclose"  # everything asked for is released
    PARTIAL = "partial"  # released in part; the rest refused under s.16
    REFUSE = "refuse"  # s.16: held, but all of it exempt
    NOT_HELD = "not_held"  # s.17: the information is not held
    NEITHER_CONFIRM_NOR_DENY = "neither_confirm_nor_deny"  # s.18


class ReviewOutcome(StrEnum):
    """FOISA s.21(4): what a review may do."""

    CONFIRMED = "confirmed"  # the decision stands, with or without modifications
    SUBSTITUTED = "substituted"  # a different decision is substituted
    DECISION_REACHED = "decision_reached"  # where the authority had made none


class CommissionerOutcome(StrEnum):
    AUTHORITY_UPHELD = "authority_upheld"
    PARTLY_UPHELD = "partly_upheld"
    AUTHORITY_OVERTURNED = "authority_overturned"


# -- parts --------------------------------------------------------------------------------------------


class ItemAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    item_id: str  # e.g. "LR-2026-001@14/minutes"
    record: str
    description: str
    subjects: tuple[str, ...] = ()  # the people the information is about


class HeldItem(msgspec.Struct, frozen=True, kw_only=True):
    item_id: str
    record: str
    description: Personal
    subjects: tuple[str, ...]


class PublicInterestAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    for_disclosure: str
    for_withholding: str
    conclusion: str


class PublicInterestTest(msgspec.Struct, frozen=True, kw_only=True):
    """FOISA s.2(1)(b): the public interest in withholding outweighs that in disclosure, and why."""

    for_disclosure: Personal
    for_withholding: Personal
    conclusion: Personal


# -- commands -----------------------------------------------------------------------------------------


class ReceiveFoiRequest(Command, frozen=True, kw_only=True, tag="receive-foi-request"):
    received_on: date
    channel: FoiChannel
    requester_id: str
    requester_name: str
    address_for_correspondence: str  # postal or email
    information_requested: str


class SeekFoiClarification(Command, frozen=True, kw_only=True, tag="seek-foi-clarification"):
    sought_on: date
    question: str


class ReceiveFoiClarification(Command, frozen=True, kw_only=True, tag="receive-foi-clarification"):
    received_on: date
    answer: str


class IdentifyInformation(Command, frozen=True, kw_only=True, tag="identify-information"):
    identified_on: date
    items: tuple[ItemAnswers, ...]


class ApplyExemption(Command, frozen=True, kw_only=True, tag="apply-exemption"):
    item_id: str
    section: Section
    extent: Extent
    reasons: str  # why the exemption applies (and, for a harm test, the harm)
    public_interest: PublicInterestAnswers | None = None  # required for a qualified exemption
    sar_reference: str | None = None  # s.38(1)(a): the subject access request opened instead


class RespondToFoiRequest(Command, frozen=True, kw_only=True, tag="respond-to-foi-request"):
    responded_on: date
    response: ResponseType
    notice_sha256: str  # lowercase hex SHA-256 of the exact response sent
    ncnd_sections: tuple[Section, ...] = ()  # s.18: the exemptions the notice rests on
    ncnd_public_interest: str = ""  # s.18(1): why revealing whether it is held is against the public interest


class RecordReviewRequirement(Command, frozen=True, kw_only=True, tag="record-review-requirement"):
    received_on: date
    dissatisfaction: str  # s.20(3)(c): the matter the requester is dissatisfied with
    accepted_late_because: str | None = None  # only when it arrived after the forty working days


class DecideReview(Command, frozen=True, kw_only=True, tag="decide-review"):
    decided_on: date
    outcome: ReviewOutcome
    reasons: str
    notice_sha256: str


class NoteAppeal(Command, frozen=True, kw_only=True, tag="note-appeal"):
    applied_on: date
    commissioner_reference: str


class NoteCommissionerDecision(Command, frozen=True, kw_only=True, tag="note-commissioner-decision"):
    decided_on: date
    decision_reference: str
    outcome: CommissionerOutcome


class CloseFoiRequest(Command, frozen=True, kw_only=True, tag="close-foi-request"):
    closed_on: date


# -- events -------------------------------------------------------------------------------------------


class FoiEvent(DomainEvent, frozen=True, kw_only=True):
    actor: str
    at: datetime


class FoiReceived(FoiEvent, frozen=True, kw_only=True, tag="foi.request-received"):
    """The request, and the day its response is due as counted on the calendar when it was received."""

    received_on: date
    channel: FoiChannel
    requester_id: str
    requester_name: Personal
    address_for_correspondence: Personal
    information_requested: Personal
    due_on: date


class FoiClarificationSought(FoiEvent, frozen=True, kw_only=True, tag="foi.clarification-sought"):
    sought_on: date
    question: Personal


class FoiClarificationReceived(FoiEvent, frozen=True, kw_only=True, tag="foi.clarification-received"):
    """s.1(3), s.10(1)(b): the twenty working days now run from this day."""

    received_on: date
    answer: Personal
    due_on: date


class InformationIdentified(FoiEvent, frozen=True, kw_only=True, tag="foi.information-identified"):
    identified_on: date
    items: tuple[HeldItem, ...]


class ExemptionApplied(FoiEvent, frozen=True, kw_only=True, tag="foi.exemption-applied"):
    item_id: str
    section: Section
    extent: Extent
    reasons: Personal
    public_interest: PublicInterestTest | None
    sar_reference: str | None


class FoiResponseSent(FoiEvent, frozen=True, kw_only=True, tag="foi.response-sent"):
    responded_on: date
    response: ResponseType
    notice_sha256: str
    sections_cited: tuple[Section, ...]
    items_released: tuple[str, ...]  # in whole or in part
    items_withheld: tuple[str, ...]  # in whole
    ncnd_public_interest: Personal | None
    due_on: date
    review_requirement_due_on: date  # s.20(5): the last day the requester may require a review


class ReviewRequired(FoiEvent, frozen=True, kw_only=True, tag="foi.review-required"):
    received_on: date
    dissatisfaction: Personal
    late: bool
    accepted_late_because: Personal | None
    due_on: date  # s.21(1)


class ReviewDecided(FoiEvent, frozen=True, kw_only=True, tag="foi.review-decided"):
    decided_on: date
    outcome: ReviewOutcome
    reasons: Personal
    notice_sha256: str


class AppealNoted(FoiEvent, frozen=True, kw_only=True, tag="foi.appeal-noted"):
    applied_on: date
    commissioner_reference: str


class CommissionerDecisionNoted(FoiEvent, frozen=True, kw_only=True, tag="foi.commissioner-decision-noted"):
    decided_on: date
    decision_reference: str
    outcome: CommissionerOutcome


class FoiOfficersAssigned(FoiEvent, frozen=True, kw_only=True, tag="foi.officers-assigned"):
    """From here on the request is handled by these IG officers (`domain.governance.ig_handling`)."""

    officers: tuple[str, ...]
    reason: str


class FoiClosed(FoiEvent, frozen=True, kw_only=True, tag="foi.request-closed"):
    closed_on: date
