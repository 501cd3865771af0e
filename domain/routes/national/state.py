"""What a National Learning Review record knows, and how each event changes it.

This part of the record only applies events (CONVENTIONS.md 5): no rule is checked
here. It also answers what an officer asks of a review: its stage and status, its team,
terms of reference, parallel processes and linked reviews. What is still owed and the
timescales are in `domain.routes.national.duties`; the commands and their rules in
`domain.routes.national.review` and the modules it names.

State never depends on a `Personal` value, so a record replays to the same state after
its personal data has been disposed of.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

import msgspec

from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.event import DomainEvent
from domain.routes.national.events import (
    ActionCarriedOver,
    AgencyContactNamed,
    AgencyNonReturnRecorded,
    AgencyReturnReceived,
    AlternativeApproachRecorded,
    CareInspectorateNotified,
    ChildDeathDatasetCompleted,
    ChronologiesMerged,
    ChronologiesMergedInOrder,
    ChronologyReceived,
    ChronologyRequested,
    CogInformedOfDecision,
    DecisionNotToProceedRecorded,
    DecisionToProceedRecorded,
    DelayReported,
    DelayReportedToBodies,
    EmergingLearningRecorded,
    FamilyContactRecorded,
    FamilyLiaisonStrategyAgreed,
    FamilyNotInvolvedDecided,
    InformationRequested,
    MediaApproachRecorded,
    NoPractitionerEventReasonRecorded,
    NotificationReceived,
    NotificationResponseSent,
    ParallelProcessChecked,
    PassedToNominatedPerson,
    PoliceLiaisonRecorded,
    PractitionerEventHeld,
    ProceedingsLiaisonRecorded,
    RecommendationMade,
    ReportPresented,
    ReviewLinked,
    ReviewPaused,
    ReviewPausedWithNotice,
    ReviewResumed,
    TeamMeetingHeld,
    TeamMemberAppointed,
    TeamMemberReleased,
    TorAmendmentAgreed,
    TorAmendmentDeclined,
    TorAmendmentProposed,
)
from domain.routes.national.events_reporting import (
    ActionExceptionReported,
    ActionOwnerAssigned,
    ActionPlanAgreed,
    ActionProgressRecorded,
    ActionSignedOff,
    DisseminationActivityRecorded,
    DisseminationFeedbackRecorded,
    FamilyConsultedOnPublication,
    FamilyFeedbackGiven,
    FamilyFeedbackOnConclusionGiven,
    FamilyFeedbackOnProcessGiven,
    FamilyGroupMemberRecorded,
    FamilyInformed,
    LearningDisseminated,
    LearningPublishedSeparately,
    LearningThemesTagged,
    PublicationDecided,
    PublicationRecommended,
    ReportPublished,
    ReportSentToCareInspectorate,
    ReportSignedOffByCog,
    ReportSignedOffByCommittee,
    ReportVersionDrafted,
    ReportVersionDraftedV2,
    ReviewClosed,
)
from domain.routes.national.forms import (
    LIAISON_FOR,
    ChronologyEntry,
    LiaisonBody,
    Proceeding,
    ProceedingState,
    PublicationChoice,
    SectionKind,
    TeamRole,
)
from domain.routes.shared.actions import ActionStatus, PlanSteps, TrackedAction
from domain.routes.shared.dissemination import Disseminating, LearningEvents

SigningBody = Literal["committee", "COG"]


class Stage(StrEnum):
    NOT_STARTED = "no notification received yet"
    NOTIFIED = "notification received"
    UNDER_CONSIDERATION = "under consideration by the nominated person or sub-group"
    RECOMMENDED = "recommendation made, awaiting the committee's decision"
    NOT_PROCEEDING = "decided not to proceed"
    UNDER_WAY = "learning review under way"
    REPORT_DRAFTING = "report being drafted"
    SIGNED_OFF = "report signed off by the committee and the COG"
    PUBLICATION_DECIDED = "publication decided"
    CLOSED = "closed"


class Status(StrEnum):
    NOT_STARTED = "not started"
    OPEN = "open"
    PAUSED = "paused"
    PUBLICATION_DEFERRED = "publication deferred"
    CLOSED = "closed"


class TeamMember(msgspec.Struct, kw_only=True):
    member_id: str
    team_role: TeamRole
    agency: str
    appointed_on: date
    direct_involvement: bool
    actor_id: str | None = None
    released_on: date | None = None


class TermsVersion(msgspec.Struct, kw_only=True):
    version: int
    proposed_on: date
    status: Literal["proposed", "agreed", "declined"]
    agreed_on: date | None = None


class ParallelProcess(msgspec.Struct, kw_only=True):
    proceeding: Proceeding
    state: ProceedingState
    checked_on: date


class LinkedReview(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    relationship: Literal["escalated from", "related", "joint"]


class Pause(msgspec.Struct, kw_only=True):
    paused_on: date
    resumed_on: date | None = None


# The action plan is monitored by the committee, which agreed it and signs off each action; the COG
# hears of overdue actions by exception. Seed 001 names no monitoring body: it sends the report "+ Action
# Plan for Dissemination of Learning" to the CPC and COG (process map 5B), so the CPC monitors.
RULE_ACTIONS = (
    "seed 001 process map 5B and 'The Report': the action plan, each action implementing a CLEAR strategy"
)


class NationalReviewRecord(Disseminating, PlanSteps):
    """The state of one National Learning Review (child or adult route)."""

    actions_rule = RULE_ACTIONS
    signed_off_event = ActionSignedOff  # carrying an action over is the national route's own step
    learning_events = LearningEvents(
        DisseminationActivityRecorded, DisseminationFeedbackRecorded, LearningThemesTagged
    )

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.subject_group: Literal["child", "adult"] | None = None
        self.principal: str | None = None  # subject id of the child or adult
        self.received_on: date | None = None
        self.nominee: str | None = None
        self.information_requested: set[str] = set()
        self.agency_returns: set[str] = set()
        self.agency_non_returns: set[str] = set()
        self.agency_contacts: dict[str, set[str]] = {}  # actor id -> the agencies they answer for
        self.date_of_death_recorded = False
        self.recommendation: Literal["proceed", "not proceed"] | None = None
        self.has_proposed_terms = False
        self.decision: Literal["proceed", "not proceed"] | None = None
        self.decided_on: date | None = None
        self.communicated: dict[str, date] = {}  # "COG", "notifier", "Care Inspectorate", "media"
        self.alternative_approach_on: date | None = None
        self.linked_reviews: list[LinkedReview] = []
        self.team: dict[str, TeamMember] = {}
        self.meetings: list[date] = []
        self.family_group: tuple[str, ...] = ()
        self.family_strategy_on: date | None = None
        self.family_contacts: list[date] = []
        self.family_not_involved_on: date | None = None
        self.family_members: dict[str, bool] = {}  # the family group as recorded: subject id -> involved
        self.family_informed_on: date | None = None
        self.family_feedback_on_conclusion: date | None = None
        self.family_feedback_on_process: date | None = None
        self.parallel_processes: dict[Proceeding, ParallelProcess] = {}
        self.liaison: list[tuple[LiaisonBody, str, date]] = []  # body, purpose, date
        self.police_liaison: list[date] = []  # each liaison with Police Scotland (seed 002)
        self.terms: list[TermsVersion] = []
        self.chronologies_requested: set[str] = set()
        # Each agency's entries, kept to merge them; their text is never read here.
        self.chronologies_received: dict[str, tuple[ChronologyEntry, ...]] = {}
        self.chronologies_merged_on: date | None = None
        self.practitioner_events: list[date] = []
        self.event_audiences: set[str] = set()  # audiences met at an event
        self.no_event_reasons: set[str] = set()  # audiences with the recorded reason there was none
        self.emerging_learning: list[date] = []
        self.dataset_completed_on: date | None = None
        self.pauses: list[Pause] = []
        self.delays: list[tuple[date, date]] = []  # reported on, revised completion
        self.report_versions: list[int] = []
        self.report_contents: dict[int, frozenset[SectionKind]] = {}  # version -> its sections' headings
        self.report_terms: dict[int, int] = {}  # version -> the terms of reference version it includes
        self.presented: dict[SigningBody, int] = {}  # body -> the latest version presented to it
        self.signed_off: dict[SigningBody, tuple[int, date]] = {}
        self.sent_to_care_inspectorate: list[tuple[int, bool]] = []  # version, anonymised copy
        self.exceptions_reported: list[tuple[date, tuple[str, ...]]] = []  # to the COG: on, which actions
        self.report_strategies: dict[int, int] = {}  # version -> how many CLEAR strategies it sets out
        self.action_plan_agreed_on: date | None = None
        self.publication_recommendation: PublicationChoice | None = None
        self.family_consulted_on: date | None = None
        self.publication_decision: PublicationChoice | None = None
        self.published_on: date | None = None
        self.learning_published_separately_on: date | None = None
        self.disseminations: list[date] = []
        self.family_feedback_on: date | None = None
        self.closed_on: date | None = None
        self.personal_data_disposed = False

    # -- questions an officer asks ----------------------------------------------------------

    @property
    def actions(self) -> dict[str, TrackedAction]:
        """The action plan's actions, by id: owner, progress, evidence, sign-off, carrying over."""
        return self.plan.actions

    @property
    def committee(self) -> str:
        """The deciding committee: the adult route's is the Adult Protection Committee."""
        if self.subject_group == "adult":
            return "Adult Protection Committee"
        return "Child Protection Committee"

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].resumed_on is None

    @property
    def latest_report_version(self) -> int:
        return self.report_versions[-1] if self.report_versions else 0

    @property
    def terms_in_force(self) -> int:
        """The version of the terms of reference in force (0 before any are agreed)."""
        agreed = [t.version for t in self.terms if t.status == "agreed"]
        return max(agreed, default=0)

    @property
    def pending_terms(self) -> TermsVersion | None:
        """A proposed amendment still awaiting the committee's agreement."""
        return next((t for t in self.terms if t.status == "proposed"), None)

    def current_team(self, team_role: TeamRole | None = None) -> list[TeamMember]:
        return [
            m
            for m in self.team.values()
            if m.released_on is None and (team_role is None or m.team_role == team_role)
        ]

    def signed_off_by_both(self) -> bool:
        """Both the committee and the COG signed off the latest report version."""
        latest = self.latest_report_version
        return latest > 0 and all(
            body in self.signed_off and self.signed_off[body][0] == latest for body in ("committee", "COG")
        )

    def publication_blocked_by(self) -> list[Proceeding]:
        """Ongoing proceedings whose prosecutor or reporter has not been consulted on publication."""
        consulted = {body for body, purpose, _ in self.liaison if purpose == "publication"}
        return [
            p.proceeding
            for p in self.parallel_processes.values()
            if p.state is ProceedingState.ONGOING and LIAISON_FOR[p.proceeding] not in consulted
        ]

    @property
    def stage(self) -> Stage:
        if self.received_on is None:
            return Stage.NOT_STARTED
        if self.closed_on is not None:
            return Stage.CLOSED
        if self.decision == "not proceed":
            return Stage.NOT_PROCEEDING
        if self.decision is None:
            if self.recommendation is not None:
                return Stage.RECOMMENDED
            return Stage.UNDER_CONSIDERATION if self.nominee else Stage.NOTIFIED
        if self.publication_decision is not None:
            return Stage.PUBLICATION_DECIDED
        if self.signed_off_by_both():
            return Stage.SIGNED_OFF
        return Stage.REPORT_DRAFTING if self.report_versions else Stage.UNDER_WAY

    @property
    def status(self) -> Status:
        if self.received_on is None:
            return Status.NOT_STARTED
        if self.closed_on is not None:
            return Status.CLOSED
        if self.paused:
            return Status.PAUSED
        if self.published_on is None and (
            self.publication_decision is PublicationChoice.PUBLISH_LATER
            or (self.publication_decision is PublicationChoice.PUBLISH and self.publication_blocked_by())
        ):
            return Status.PUBLICATION_DEFERRED
        return Status.OPEN

    # -- applying events --------------------------------------------------------------------

    def when(self, event: DomainEvent) -> None:
        match event:
            case NotificationReceived():
                self.subject_group = event.subject_group
                self.principal = event.subject.subject_id
                self.received_on = event.received_on
                self.date_of_death_recorded = event.subject.date_of_death is not None
                self.family_group = tuple(m.subject_id for m in event.family)
                if event.escalated_from is not None:
                    self.linked_reviews.append(
                        LinkedReview(reference=event.escalated_from, relationship="escalated from")
                    )
            case PassedToNominatedPerson():
                self.nominee = event.nominee
            case InformationRequested():
                self.information_requested.update(event.agencies)
            case AgencyReturnReceived():
                self.agency_returns.add(event.agency)
            case AgencyNonReturnRecorded():
                self.agency_non_returns.add(event.agency)
            case AgencyContactNamed():
                self.agency_contacts.setdefault(event.actor_id, set()).add(event.agency)
            case RecommendationMade():
                self.recommendation = event.recommendation
                self.has_proposed_terms = event.proposed_terms_of_reference is not None
            case DecisionToProceedRecorded():
                self.decision, self.decided_on = "proceed", event.decided_on
                self.terms.append(
                    TermsVersion(
                        version=1, proposed_on=event.decided_on, status="agreed", agreed_on=event.decided_on
                    )
                )
            case DecisionNotToProceedRecorded():
                self.decision, self.decided_on = "not proceed", event.decided_on
            case CogInformedOfDecision():
                self.communicated["COG"] = event.informed_on
            case NotificationResponseSent():
                self.communicated["notifier"] = event.sent_on
            case CareInspectorateNotified():
                self.communicated["Care Inspectorate"] = event.notified_on
            case MediaApproachRecorded():
                self.communicated["media"] = event.agreed_on
            case AlternativeApproachRecorded():
                self.alternative_approach_on = event.agreed_on
            case ReviewLinked():
                self.linked_reviews.append(
                    LinkedReview(reference=event.linked_reference, relationship=event.relationship)
                )
            case _:
                self._when_reviewing(event)

    def _when_reviewing(self, event: DomainEvent) -> None:
        match event:
            case TeamMemberAppointed():
                self.team[event.member.subject_id] = TeamMember(
                    member_id=event.member.subject_id,
                    team_role=event.team_role,
                    agency=event.member.agency,
                    appointed_on=event.appointed_on,
                    direct_involvement=event.direct_involvement,
                    actor_id=event.actor_id,
                )
            case TeamMemberReleased():
                self.team[event.member_id].released_on = event.released_on
            case FamilyLiaisonStrategyAgreed():
                self.family_strategy_on = event.agreed_on
                self.family_group = tuple(dict.fromkeys(self.family_group + event.family_group))
            case FamilyContactRecorded():
                self.family_contacts.append(event.contacted_on)
            case FamilyNotInvolvedDecided():
                self.family_not_involved_on = event.decided_on
            case FamilyGroupMemberRecorded():
                self.family_members[event.subject_id] = event.involved
                self.family_group = tuple(dict.fromkeys((*self.family_group, event.subject_id)))
            case FamilyInformed():
                self.family_informed_on = self.family_informed_on or event.informed_on
            case ParallelProcessChecked():
                self.parallel_processes[event.proceeding] = ParallelProcess(
                    proceeding=event.proceeding, state=event.state, checked_on=event.checked_on
                )
            case ProceedingsLiaisonRecorded():
                self.liaison.append((event.body, event.purpose, event.liaised_on))
            case PoliceLiaisonRecorded():
                self.police_liaison.append(event.liaised_on)
            case TorAmendmentProposed():
                self.terms.append(
                    TermsVersion(version=event.version, proposed_on=event.proposed_on, status="proposed")
                )
            case TorAmendmentAgreed():
                terms = self.terms[event.version - 1]
                terms.status, terms.agreed_on = "agreed", event.agreed_on
            case TorAmendmentDeclined():
                self.terms[event.version - 1].status = "declined"
            case ChronologyRequested():
                self.chronologies_requested.add(event.agency)
            case ChronologyReceived():
                self.chronologies_received[event.agency] = event.entries
            case ChronologiesMerged() | ChronologiesMergedInOrder():
                self.chronologies_merged_on = event.merged_on
            case TeamMeetingHeld():
                self.meetings.append(event.held_on)
            case PractitionerEventHeld():
                self.practitioner_events.append(event.held_on)
                self.event_audiences.add(event.audience)
            case NoPractitionerEventReasonRecorded():
                self.no_event_reasons.add(event.audience)
            case EmergingLearningRecorded():
                self.emerging_learning.append(event.identified_on)
            case ChildDeathDatasetCompleted():
                self.dataset_completed_on = event.completed_on
            case ReviewPaused() | ReviewPausedWithNotice():
                self.pauses.append(Pause(paused_on=event.paused_on))
            case ReviewResumed():
                self.pauses[-1].resumed_on = event.resumed_on
            case DelayReported() | DelayReportedToBodies():
                self.delays.append((event.reported_on, event.revised_completion))
            case _:
                self._when_reporting(event)

    def _when_reporting(self, event: DomainEvent) -> None:
        match event:
            case ReportVersionDrafted() | ReportVersionDraftedV2():
                self.report_versions.append(event.version)
                self.report_contents[event.version] = frozenset(s.heading for s in event.sections)
                self.report_terms[event.version] = event.terms_of_reference_version
                self.report_strategies[event.version] = len(event.strategies)
            case ReportPresented():
                self.presented["committee" if event.presented_to == "committee" else "COG"] = event.version
            case ReportSignedOffByCommittee():
                self.signed_off["committee"] = (event.version, event.signed_off_on)
            case ReportSignedOffByCog():
                self.signed_off["COG"] = (event.version, event.signed_off_on)
            case ReportSentToCareInspectorate():
                self.sent_to_care_inspectorate.append((event.version, event.anonymised_copy))
            case ActionPlanAgreed():
                self.action_plan_agreed_on = event.agreed_on
                self.plan.agreed(
                    ((a.action_id, a.responsible, a.due_on) for a in event.actions), event.agreed_on
                )
                for a in event.actions:
                    self.plan.linked(a.action_id, a.implements_strategy)
            case ActionProgressRecorded():
                status = ActionStatus.COMPLETE if event.completed else ActionStatus.IN_PROGRESS
                self.plan.progressed(event.action_id, status, event.progress_on, event.evidence)
            case ActionOwnerAssigned():
                self.plan.owned(event.action_id, event.owner_subject, event.due_on)
            case ActionSignedOff():
                self._planned(event)
            case ActionExceptionReported():
                self.exceptions_reported.append((event.reported_on, event.actions))
            case ActionCarriedOver():
                # The owner is named in words (sealed), so the plan keeps only the date it was carried over.
                self.plan.carried_over(event.action_id, None, event.carried_over_on)
            case PublicationRecommended():
                self.publication_recommendation = event.recommendation
            case FamilyConsultedOnPublication():
                self.family_consulted_on = event.consulted_on
            case PublicationDecided():
                self.publication_decision = event.decision
            case ReportPublished():
                self.published_on = event.published_on
            case LearningPublishedSeparately():
                self.learning_published_separately_on = event.published_on
            case LearningDisseminated():
                self.disseminations.append(event.held_on)
            case FamilyFeedbackGiven():
                self.family_feedback_on = event.given_on
            case FamilyFeedbackOnConclusionGiven():
                self.family_feedback_on_conclusion = event.given_on
            case FamilyFeedbackOnProcessGiven():
                self.family_feedback_on_process = event.given_on
            case DisseminationActivityRecorded():
                self.disseminations.append(event.held_on)
                self._learned(event)
            case DisseminationFeedbackRecorded() | LearningThemesTagged():
                self._learned(event)
            case ReviewClosed():
                self.closed_on = event.closed_on
            case PersonalDataDisposed():
                # Held entries lose their text as a replay after disposal would give them.
                self.personal_data_disposed = True
                self.chronologies_received = {
                    agency: tuple(_without_text(e) for e in entries)
                    for agency, entries in self.chronologies_received.items()
                }
            case _:
                raise TypeError(f"a national learning review has no event {type(event).__name__}")


def _without_text(entry: ChronologyEntry) -> ChronologyEntry:
    return msgspec.structs.replace(
        entry, what_happened=msgspec.structs.replace(entry.what_happened, value=None)
    )
