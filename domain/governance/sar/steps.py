"""The steps of a subject access request file: the choices, the commands and the events.

The record that checks them is `domain.governance.sar.request.SubjectAccessRequest`; this module only
defines their shape. Personal data (the requester's name, contact and address, the wording
of the request, notes and reasons) is always a `Personal`; everything else is an opaque id,
a date or a choice from a fixed list.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import msgspec

from domain.kernel.command import Command
from domain.kernel.event import DomainEvent, Personal

# -- choices ------------------------------------------------------------------------------------------


class RequestChannel(StrEnum):
    LETTER = "letter"
    EMAIL = "email"
    WEB_FORM = "web_form"
    IN_PERSON = "in_person"
    TELEPHONE = "telephone"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"


class Capacity(StrEnum):
    """In what capacity the requester asks: for themselves, or for the data subject."""

    DATA_SUBJECT = "data_subject"
    PARENT_OR_CARER = "parent_or_carer"  # for a child, with parental responsibilities
    LEGAL_REPRESENTATIVE = "legal_representative"  # a solicitor, with a signed mandate
    ATTORNEY_OR_GUARDIAN = "attorney_or_guardian"  # power of attorney, guardianship order
    OTHER_AUTHORISED = "other_authorised"  # an advocate or other person with written authority


class ChildView(StrEnum):
    """DPA 2018 s.208: a child of 12 or over is presumed able to exercise their own rights in Scotland."""

    CHILD_AUTHORISED = "child_authorised"  # the child has authorised the parent or carer to ask
    CHILD_LACKS_CAPACITY = "child_lacks_capacity"  # the child is judged not to understand the request


class IdentityCheck(StrEnum):
    KNOWN_TO_SERVICE = "known_to_service"
    DOCUMENTS_SEEN = "documents_seen"
    VERIFIED_BY_REPRESENTATIVE = "verified_by_representative"


class ExtensionReason(StrEnum):
    """UK GDPR Art. 12(3): the two reasons the month may be extended."""

    COMPLEX = "complex"
    NUMBER_OF_REQUESTS = "number_of_requests"


class RedactionGround(StrEnum):
    THIRD_PARTY = "third_party"  # DPA 2018 Sch. 2 Pt. 3 para 16
    SERIOUS_HARM = "serious_harm"  # DPA 2018 Sch. 3 Pt. 3 (social work data)
    LEGAL_PROFESSIONAL_PRIVILEGE = "legal_professional_privilege"  # DPA 2018 Sch. 2 Pt. 4 para 19
    CRIME = "crime"  # DPA 2018 Sch. 2 Pt. 1 para 2: prevention or detection of crime


class RedactionStatus(StrEnum):
    WITHHELD = "withheld"
    AWAITING_SECOND_OFFICER = "awaiting confirmation by a second IG officer"
    DECLINED = "declined by a second IG officer: released"


class ReleaseBasis(StrEnum):
    """DPA 2018 Sch. 2 Pt. 3 para 16(1): another person's data is released only on one of these."""

    CONSENT = "consent"
    REASONABLE_TO_DISCLOSE = "reasonable_to_disclose"


class PackFormat(StrEnum):
    PDF = "pdf"
    HTML = "html"  # one self-contained, readable HTML document
    JSON = "json"  # the same pack, machine-readable
    ZIP = "zip"  # several files in one archive
    PAPER = "paper"  # printed from a file whose digest is recorded


class Delivery(StrEnum):
    EMAIL = "email"
    SECURE_PORTAL = "secure_portal"
    POST = "post"
    BY_HAND = "by_hand"


class ResponseContent(StrEnum):
    """What a response contains (UK GDPR Art. 15(1)-(3); DOMAIN.md §4)."""

    COPY_OF_DATA = "copy_of_data"
    PURPOSES = "purposes"
    RECIPIENTS = "recipients"
    RETENTION_PERIOD = "retention_period"
    SOURCE = "source"
    RIGHTS = "rights"  # rectification, erasure, restriction, objection
    RIGHT_TO_COMPLAIN = "right_to_complain"  # to the ICO
    WHAT_WAS_SEARCHED = "what_was_searched"  # the cover letter


class CloseOutcome(StrEnum):
    RESPONDED = "responded"
    WITHDRAWN = "withdrawn"
    IDENTITY_NOT_PROVIDED = "identity_not_provided"
    CLARIFICATION_NOT_PROVIDED = "clarification_not_provided"


# -- parts --------------------------------------------------------------------------------------------


class SearchAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    record: str  # the reference of a record searched, e.g. "LR-2026-001"
    what: str  # what was searched in it, e.g. "every personal item about the subject"


class SearchedRecord(msgspec.Struct, frozen=True, kw_only=True):
    record: str
    what: Personal


class CollatedItem(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One item of the subject's data taken into the pack, and the other people it identifies."""

    item_id: str  # e.g. "LR-2026-001@12/concern": the record, the event version, the field
    record: str
    third_parties: tuple[str, ...] = ()  # subject ids; redacted by default (para 16)


class Withholding(msgspec.Struct, frozen=True, kw_only=True):
    """What the response withheld from one item, and on which ground."""

    item_id: str
    ground: RedactionGround
    third_party: str | None = None
    redaction: int | None = None  # the number of the redaction decision; None for a default redaction


# -- commands -----------------------------------------------------------------------------------------


class ReceiveSubjectAccessRequest(Command, frozen=True, kw_only=True, tag="receive-subject-access-request"):
    received_on: date
    channel: RequestChannel
    requester_id: str  # subject id of the person asking
    subject_id: str  # subject id of the person whose data is asked for
    capacity: Capacity
    requester_name: str
    requester_contact: str | None = None
    requester_address: str | None = None
    request: str  # what was asked for, in the requester's words or a summary of them
    authority_to_act: str | None = None  # the evidence of authority, when asking for someone else
    subject_is_child_aged_12_or_over: bool = False
    child_view: ChildView | None = None


class SeekProofOfIdentity(Command, frozen=True, kw_only=True, tag="seek-proof-of-identity"):
    sought_on: date
    asked_for: str


class VerifyIdentity(Command, frozen=True, kw_only=True, tag="verify-identity"):
    verified_on: date
    check: IdentityCheck
    evidence_received_on: date | None = None  # required when proof of identity was asked for
    note: str = ""


class SeekClarification(Command, frozen=True, kw_only=True, tag="seek-clarification"):
    sought_on: date
    question: str


class ReceiveClarification(Command, frozen=True, kw_only=True, tag="receive-clarification"):
    received_on: date
    answer: str


class ExtendDeadline(Command, frozen=True, kw_only=True, tag="extend-deadline"):
    told_on: date  # the day the requester was told, with the reasons
    reason: ExtensionReason
    explanation: str


class RecordSearch(Command, frozen=True, kw_only=True, tag="record-search"):
    searched_on: date
    records: tuple[SearchAnswers, ...]
    terms: tuple[str, ...] = ()


class CollateItems(Command, frozen=True, kw_only=True, tag="collate-items"):
    collated_on: date
    items: tuple[CollatedItem, ...]


class ProposeRedaction(Command, frozen=True, kw_only=True, tag="propose-redaction"):
    item_id: str
    ground: RedactionGround
    passage: str  # where in the item, e.g. "second paragraph, the neighbour's account"
    explanation: str
    third_party: str | None = None  # for a third-party ground: whose data


class ConfirmSeriousHarm(Command, frozen=True, kw_only=True, tag="confirm-serious-harm"):
    redaction: int
    reasons: str


class DeclineSeriousHarm(Command, frozen=True, kw_only=True, tag="decline-serious-harm"):
    redaction: int
    reasons: str


class ReleaseThirdPartyData(Command, frozen=True, kw_only=True, tag="release-third-party-data"):
    item_id: str
    third_party: str
    basis: ReleaseBasis
    reasons: str
    consent_given_on: date | None = None


class ReleaseItemInPart(Command, frozen=True, kw_only=True, tag="release-item-in-part"):
    """Give an item with every identifier of the other people still withheld in it replaced by a marker."""

    item_id: str
    reasons: str


class ReviewResponse(Command, frozen=True, kw_only=True, tag="review-response"):
    reviewed_on: date
    note: str = ""


class SendResponse(Command, frozen=True, kw_only=True, tag="send-response"):
    sent_on: date
    sha256: str  # lowercase hex SHA-256 of the exact bytes sent
    size_bytes: int
    pack_format: PackFormat
    delivery: Delivery
    contents: tuple[ResponseContent, ...]


class CloseSubjectAccessRequest(Command, frozen=True, kw_only=True, tag="close-subject-access-request"):
    closed_on: date
    outcome: CloseOutcome
    note: str = ""


# -- events -------------------------------------------------------------------------------------------


class SarEvent(DomainEvent, frozen=True, kw_only=True):
    """Every step records who took it and when (the actor signs the envelope too)."""

    actor: str
    at: datetime


class SarReceived(SarEvent, frozen=True, kw_only=True, tag="sar.request-received"):
    received_on: date
    channel: RequestChannel
    requester_id: str
    subject_id: str
    capacity: Capacity
    requester_name: Personal
    requester_contact: Personal | None
    requester_address: Personal | None
    request: Personal
    authority_to_act: Personal | None
    subject_is_child_aged_12_or_over: bool
    child_view: ChildView | None


class ProofOfIdentitySought(SarEvent, frozen=True, kw_only=True, tag="sar.proof-of-identity-sought"):
    sought_on: date
    asked_for: Personal


class IdentityVerified(SarEvent, frozen=True, kw_only=True, tag="sar.identity-verified"):
    verified_on: date
    check: IdentityCheck
    evidence_received_on: date | None
    note: Personal | None


class ClarificationSought(SarEvent, frozen=True, kw_only=True, tag="sar.clarification-sought"):
    sought_on: date
    question: Personal


class ClarificationReceived(SarEvent, frozen=True, kw_only=True, tag="sar.clarification-received"):
    received_on: date
    answer: Personal


class DeadlineExtended(SarEvent, frozen=True, kw_only=True, tag="sar.deadline-extended"):
    told_on: date
    reason: ExtensionReason
    explanation: Personal
    due_before: date
    due_after: date


class RecordsSearched(SarEvent, frozen=True, kw_only=True, tag="sar.records-searched"):
    searched_on: date
    records: tuple[SearchedRecord, ...]
    terms: tuple[Personal, ...]


class ItemsCollated(SarEvent, frozen=True, kw_only=True, tag="sar.items-collated"):
    collated_on: date
    items: tuple[CollatedItem, ...]


class RedactionProposed(SarEvent, frozen=True, kw_only=True, tag="sar.redaction-proposed"):
    redaction: int
    item_id: str
    ground: RedactionGround
    passage: Personal
    explanation: Personal
    third_party: str | None


class SeriousHarmConfirmed(SarEvent, frozen=True, kw_only=True, tag="sar.serious-harm-confirmed"):
    redaction: int
    reasons: Personal


class SeriousHarmDeclined(SarEvent, frozen=True, kw_only=True, tag="sar.serious-harm-declined"):
    redaction: int
    reasons: Personal


class ThirdPartyDataReleased(SarEvent, frozen=True, kw_only=True, tag="sar.third-party-data-released"):
    item_id: str
    third_party: str
    basis: ReleaseBasis
    reasons: Personal
    consent_given_on: date | None


class ItemReleasedInPart(SarEvent, frozen=True, kw_only=True, tag="sar.item-released-in-part"):
    """The item is given with the other people's identifiers replaced by `[third party]`."""

    item_id: str
    reasons: Personal


class ResponseReviewed(SarEvent, frozen=True, kw_only=True, tag="sar.response-reviewed"):
    reviewed_on: date
    note: Personal | None


class ResponseSent(SarEvent, frozen=True, kw_only=True, tag="sar.response-sent"):
    """The exact pack sent (by digest), what it disclosed and withheld, and the deadline it met or missed."""

    sent_on: date
    sha256: str
    size_bytes: int
    pack_format: PackFormat
    delivery: Delivery
    contents: tuple[ResponseContent, ...]
    items_sent: tuple[str, ...]
    withheld: tuple[Withholding, ...]
    due_on: date


class SarOfficersAssigned(SarEvent, frozen=True, kw_only=True, tag="sar.officers-assigned"):
    """From here on the request is handled by these IG officers (`domain.governance.ig_handling`)."""

    officers: tuple[str, ...]
    reason: str


class SarClosed(SarEvent, frozen=True, kw_only=True, tag="sar.request-closed"):
    closed_on: date
    outcome: CloseOutcome
    note: Personal | None
