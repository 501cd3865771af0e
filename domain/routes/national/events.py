"""What happened in a National Learning Review, one event per step (seeds 001, 002).

Every event says when it was recorded (`at`), the date the step happened where that
can differ (`..._on`), and the role in which it was taken (`role`). Events only grow
(CONVENTIONS.md 4). Personal data sits only in `Personal` items. The later stages' events
(the report to closure, the family, dissemination, the actions) are in
`domain.routes.national.events_reporting`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

from domain.kernel.event import DomainEvent, Personal
from domain.kernel.roles import Role
from domain.routes.national.forms import (
    Body,
    ChronologyEntry,
    FamilyMemberRecord,
    LiaisonBody,
    PersonRecord,
    PractitionerRecord,
    Proceeding,
    ProceedingState,
    TeamRole,
)


class NationalEvent(DomainEvent, frozen=True, kw_only=True):
    """Base of the route's events: when it was recorded and in which role."""

    at: datetime
    role: Role


# -- 1-3 --------------------------------------------------------------------------------------


class NotificationReceived(NationalEvent, frozen=True, kw_only=True, tag="national.notification-received"):
    subject_group: Literal["child", "adult"]
    received_on: date
    subject: PersonRecord
    notifier: PractitionerRecord
    reasons: Personal
    family: tuple[FamilyMemberRecord, ...] = ()
    agencies_involved: tuple[str, ...] = ()
    agency_contacts: tuple[PractitionerRecord, ...] = ()
    escalated_from: str | None = None


class PassedToNominatedPerson(
    NationalEvent, frozen=True, kw_only=True, tag="national.passed-to-nominated-person"
):
    passed_on: date
    nominee: str


class InformationRequested(NationalEvent, frozen=True, kw_only=True, tag="national.information-requested"):
    agencies: tuple[str, ...]
    requested_on: date
    reply_by: date | None = None


class AgencyReturnReceived(NationalEvent, frozen=True, kw_only=True, tag="national.agency-return-received"):
    agency: str
    received_on: date
    involvement: Personal
    initial_reflection: Personal  # an opinion, by the practitioner who wrote the return


class RecommendationMade(NationalEvent, frozen=True, kw_only=True, tag="national.recommendation-made"):
    recommendation: Literal["proceed", "not proceed"]
    made_on: date
    reasons: Personal
    proposed_terms_of_reference: Personal | None = None
    alternative_approach: Personal | None = None


# -- 4-6 --------------------------------------------------------------------------------------


class DecisionToProceedRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.decision-to-proceed-recorded"
):
    decided_on: date
    basis: Personal
    # Version 1 of the terms of reference, in force from the decision; None when the
    # committee agreed the terms proposed with the recommendation as they stand.
    terms_of_reference: Personal | None = None


class DecisionNotToProceedRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.decision-not-to-proceed-recorded"
):
    decided_on: date
    basis: Personal


class CogInformedOfDecision(
    NationalEvent, frozen=True, kw_only=True, tag="national.cog-informed-of-decision"
):
    informed_on: date


class NotificationResponseSent(
    NationalEvent, frozen=True, kw_only=True, tag="national.notification-response-sent"
):
    sent_on: date
    decision: Literal["proceed", "not proceed"]


class CareInspectorateNotified(
    NationalEvent, frozen=True, kw_only=True, tag="national.care-inspectorate-notified"
):
    notified_on: date
    decision: Literal["proceed", "not proceed"]


class MediaApproachRecorded(NationalEvent, frozen=True, kw_only=True, tag="national.media-approach-recorded"):
    agreed_on: date
    approach: Personal


class AlternativeApproachRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.alternative-approach-recorded"
):
    agreed_on: date
    approach: Personal
    lead_agency: str


class ReviewLinked(NationalEvent, frozen=True, kw_only=True, tag="national.review-linked"):
    linked_reference: str
    relationship: Literal["escalated from", "related", "joint"]


# -- 7-8 --------------------------------------------------------------------------------------


class TeamMemberAppointed(
    NationalEvent, frozen=True, kw_only=True, tag="national.review-team-member-appointed"
):
    member: PractitionerRecord
    team_role: TeamRole
    appointed_on: date
    direct_involvement: bool
    declaration: Personal  # the member's own statement about involvement in the case
    actor_id: str | None = None
    change_reason: Personal | None = None


class TeamMemberReleased(
    NationalEvent, frozen=True, kw_only=True, tag="national.review-team-member-released"
):
    member_id: str
    released_on: date
    reason: Personal


class FamilyLiaisonStrategyAgreed(
    NationalEvent, frozen=True, kw_only=True, tag="national.family-liaison-strategy-agreed"
):
    agreed_on: date
    family_group: tuple[str, ...]
    strategy: Personal


class FamilyContactRecorded(NationalEvent, frozen=True, kw_only=True, tag="national.family-contact-recorded"):
    contacted_on: date
    family_members: tuple[str, ...]
    met_by: tuple[str, ...]
    views: Personal  # an opinion, by the family member
    # Seed 001 'Engaging the family': it is helpful to meet the family before any practitioner or
    # managers' event. A meeting after one is recorded, with this warning, never refused.
    warning: str | None = None


class ParallelProcessChecked(
    NationalEvent, frozen=True, kw_only=True, tag="national.parallel-process-checked"
):
    proceeding: Proceeding
    state: ProceedingState
    checked_on: date
    checked_by: str  # the Review Team Chair's member id


class ProceedingsLiaisonRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.copfs-scra-liaison-recorded"
):
    body: LiaisonBody
    purpose: Literal["parallel processes", "publication"]
    liaised_on: date
    outcome: Personal


class PoliceLiaisonRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.police-scotland-liaison-recorded"
):
    """Liaison with Police Scotland about proceedings the review must not prejudice (seed 002)."""

    liaised_on: date
    outcome: Personal


class TorAmendmentProposed(
    NationalEvent, frozen=True, kw_only=True, tag="national.terms-of-reference-amendment-proposed"
):
    version: int
    proposed_on: date
    changes: Personal
    text: Personal


class TorAmendmentAgreed(
    NationalEvent, frozen=True, kw_only=True, tag="national.terms-of-reference-amendment-agreed"
):
    version: int
    agreed_on: date


class TorAmendmentDeclined(
    NationalEvent, frozen=True, kw_only=True, tag="national.terms-of-reference-amendment-declined"
):
    version: int
    declined_on: date
    reason: Personal


# -- 9-10 -------------------------------------------------------------------------------------


class ChronologyRequested(NationalEvent, frozen=True, kw_only=True, tag="national.chronology-requested"):
    agency: str
    requested_on: date
    period_from: date
    period_to: date


class ChronologyReceived(NationalEvent, frozen=True, kw_only=True, tag="national.chronology-received"):
    agency: str
    received_on: date
    entries: tuple[ChronologyEntry, ...]


class ChronologiesMerged(NationalEvent, frozen=True, kw_only=True, tag="national.chronologies-merged"):
    """Recorded by earlier versions: the entries were copied from the state, where their words are
    sealed, so they hold no words; `merged_sources` finds each entry's original."""

    merged_on: date
    agencies: tuple[str, ...]
    entries: tuple[ChronologyEntry, ...]  # every agency's entries, in date order


class MergedEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the merged chronology: where its words are, in the chronology an agency sent."""

    on: date
    agency: str
    entry: int  # its place in that agency's chronology as received, from 0


class ChronologiesMergedInOrder(
    NationalEvent, frozen=True, kw_only=True, tag="national.chronologies-merged-in-order"
):
    """The merged chronology as references: its words stay in the chronologies received, sealed and
    annotated once, and are read (or disposed of) there."""

    merged_on: date
    agencies: tuple[str, ...]
    entries: tuple[MergedEntry, ...]  # every agency's entries, in date order


class TeamMeetingHeld(NationalEvent, frozen=True, kw_only=True, tag="national.review-team-meeting-held"):
    held_on: date
    attendees: tuple[str, ...]
    minutes: Personal


class PractitionerEventHeld(NationalEvent, frozen=True, kw_only=True, tag="national.practitioner-event-held"):
    audience: Literal["practitioners and first-line managers", "strategic managers"]
    held_on: date
    agencies: tuple[str, ...]
    notes: Personal


class EmergingLearningRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.emerging-learning-recorded"
):
    identified_on: date
    learning: Personal


class ChildDeathDatasetCompleted(
    NationalEvent, frozen=True, kw_only=True, tag="national.child-death-dataset-completed"
):
    completed_on: date


class ReviewPaused(NationalEvent, frozen=True, kw_only=True, tag="national.review-paused"):
    paused_on: date
    reason: Personal


class ReviewResumed(NationalEvent, frozen=True, kw_only=True, tag="national.review-resumed"):
    resumed_on: date


class DelayReported(NationalEvent, frozen=True, kw_only=True, tag="national.delay-reported"):
    """The delay and a revised timescale, reported to the committee and the COG."""

    reported_on: date
    reason: Personal
    revised_completion: date


# -- completion conditions, authority, delay and pause (seed 001 section 4) ------------------


class AgencyContactNamed(NationalEvent, frozen=True, kw_only=True, tag="national.agency-contact-named"):
    """A person who answers for an agency in this review, with the account they record steps under."""

    agency: str
    contact: PractitionerRecord
    actor_id: str
    named_on: date


class AgencyNonReturnRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.agency-non-return-recorded"
):
    """An agency asked for information that did not return it, and why (after follow-up)."""

    agency: str
    recorded_on: date
    reason: Personal


class FamilyNotInvolvedDecided(
    NationalEvent, frozen=True, kw_only=True, tag="national.decision-not-to-involve-family-recorded"
):
    """The Review Team's decision not to involve the family, in place of a Family Liaison Strategy."""

    decided_on: date
    reasons: Personal


class NoPractitionerEventReasonRecorded(
    NationalEvent, frozen=True, kw_only=True, tag="national.no-practitioner-event-reason-recorded"
):
    """Why no event was held for one audience (practitioners, or strategic managers)."""

    audience: Literal["practitioners and first-line managers", "strategic managers"]
    recorded_on: date
    reason: Personal


class ReportPresented(NationalEvent, frozen=True, kw_only=True, tag="national.report-presented"):
    """A report version presented to the committee or the COG, by the Reviewer or the Review Team Chair."""

    version: int
    presented_to: Body
    presented_on: date
    presented_by: str  # the presenting Review Team member's id


class ActionCarriedOver(NationalEvent, frozen=True, kw_only=True, tag="national.action-carried-over"):
    """An action not complete at closure, handed to a named owner who carries it on."""

    action_id: str
    carried_over_on: date
    owner: Personal  # the named owner (a person, or the body and its lead)
    reason: Personal


class ReviewPausedWithNotice(
    NationalEvent, frozen=True, kw_only=True, tag="national.review-paused-with-notice"
):
    """A pause, and the notice of it given to the committee and the COG."""

    paused_on: date
    reason: Personal
    notice_to: tuple[Body, ...]
    notice_on: date


class DelayReportedToBodies(
    NationalEvent, frozen=True, kw_only=True, tag="national.delay-reported-to-committee-and-cog"
):
    """The Review Team Chair's report of a delay, with a revised timescale, and to whom it went."""

    reported_on: date
    reason: Personal
    revised_completion: date
    recipients: tuple[Body, ...]
    reported_by: str  # the Review Team Chair's member id
