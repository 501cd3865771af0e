"""Steps 7-10 of a National Learning Review: the Review Team, the family, parallel processes,
terms of reference, chronologies, meetings, events, emerging learning, pauses and delays
(seed 001 'The Review Team' to 'Timescale for the Learning Review').
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import Nature
from domain.kernel.roles import Acting
from domain.routes.national.commands import (
    AgreeFamilyLiaisonStrategy,
    AgreeTorAmendment,
    AppointTeamMember,
    CheckParallelProcess,
    CompleteChildDeathDataset,
    DeclineTorAmendment,
    MergeChronologies,
    PauseReview,
    ProposeTorAmendment,
    ReceiveChronology,
    RecordEmergingLearning,
    RecordFamilyContact,
    RecordPoliceLiaison,
    RecordPractitionerEvent,
    RecordProceedingsLiaison,
    RecordTeamMeeting,
    ReleaseTeamMember,
    ReportDelay,
    RequestChronology,
    ResumeReview,
)
from domain.routes.national.duties import timescales
from domain.routes.national.events import (
    ChildDeathDatasetCompleted,
    ChronologiesMergedInOrder,
    ChronologyReceived,
    ChronologyRequested,
    DelayReportedToBodies,
    EmergingLearningRecorded,
    FamilyContactRecorded,
    FamilyLiaisonStrategyAgreed,
    MergedEntry,
    ParallelProcessChecked,
    PoliceLiaisonRecorded,
    PractitionerEventHeld,
    ProceedingsLiaisonRecorded,
    ReviewPausedWithNotice,
    ReviewResumed,
    TeamMeetingHeld,
    TeamMemberAppointed,
    TeamMemberReleased,
    TorAmendmentAgreed,
    TorAmendmentDeclined,
    TorAmendmentProposed,
)
from domain.routes.national.forms import (
    Body,
    ChronologyEntry,
    Proceeding,
    TeamRole,
    practitioner_record,
    require_subjects,
    require_text,
    statement,
)
from domain.routes.national.rules import (
    RULE_CHAIR,
    RULE_CHRONOLOGIES,
    RULE_EMERGING,
    RULE_FAMILY,
    RULE_PROCEED,
    RULE_TEAM,
    RULE_TERMS,
    NationalReviewRules,
)


class ConductSteps(NationalReviewRules):
    """Setting up and conducting the review."""

    # -- 7-8: the Review Team, family, parallel processes, terms of reference ---------------

    @handles(AppointTeamMember)
    def appoint_team_member(self, command: AppointTeamMember, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("appointing the Review Team")
        member_id = command.member.subject_id
        if member_id in {m.member_id for m in self.current_team()}:
            self._refuse(f"{member_id} is already a member of the Review Team", RULE_TEAM)
        # Seed 001 'The Review Team': one Chair, one or two Reviewers, an Administrator.
        limit = {TeamRole.CHAIR: 1, TeamRole.REVIEWER: 2, TeamRole.ADMINISTRATOR: 1}.get(command.team_role)
        if limit is not None and len(self.current_team(command.team_role)) >= limit:
            self._refuse(
                f"the Review Team already has {limit} {command.team_role}"
                f"{'s' if limit > 1 else ''}: release one first",
                RULE_TEAM,
            )
        if self.meetings and not command.change_reason:
            # Seed 001: membership changes are kept to a minimum, so each states why.
            self._refuse(
                "the Review Team has already met: a change of membership must give its reason", RULE_TEAM
            )
        about = self._also_about((member_id,), command.about)
        self._record(
            TeamMemberAppointed(
                at=at,
                role=role,
                member=practitioner_record(command.member),
                team_role=command.team_role,
                appointed_on=self._dated(at, "appointed_on", command.appointed_on),
                direct_involvement=command.direct_involvement,
                declaration=statement("declaration", command.declaration, about, by=member_id),
                actor_id=command.actor_id,
                change_reason=self._optional("change_reason", command.change_reason, about),
            )
        )

    @handles(ReleaseTeamMember)
    def release_team_member(self, command: ReleaseTeamMember, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("changing the Review Team")
        if command.member_id not in {m.member_id for m in self.current_team()}:
            self._refuse(f"{command.member_id} is not a member of the Review Team", RULE_TEAM)
        self._record(
            TeamMemberReleased(
                at=at,
                role=role,
                member_id=command.member_id,
                released_on=self._dated(at, "released_on", command.released_on),
                reason=statement(
                    "reason", command.reason, self._also_about((command.member_id,), command.about)
                ),
            )
        )

    @handles(AgreeFamilyLiaisonStrategy)
    def agree_family_liaison_strategy(
        self, command: AgreeFamilyLiaisonStrategy, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("agreeing the Family Liaison Strategy")
        group = require_subjects("family_group", command.family_group)
        self._record(
            FamilyLiaisonStrategyAgreed(
                at=at,
                role=role,
                agreed_on=self._dated(at, "agreed_on", command.agreed_on),
                family_group=group,
                strategy=statement("strategy", command.strategy, self._also_about(group, command.about)),
            )
        )

    @handles(RecordFamilyContact)
    def record_family_contact(self, command: RecordFamilyContact, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("contact with the family")
        if self.family_strategy_on is None:
            # Seed 001 process map 5B: liaising with family (as per strategy).
            self._refuse(
                "contact with the family follows the Family Liaison Strategy, which has not been agreed",
                RULE_FAMILY,
            )
        self._require_appointed(by, tuple(TeamRole), "a meeting with the family")
        self._require_members(command.met_by)
        members = self._family(command.family_members)
        self._require_family_group(members, command.views_of, "views")
        contacted_on = self._dated(at, "contacted_on", command.contacted_on)
        # Seed 001: it is helpful to meet the family before practitioner and managers' events, so that
        # their views are taken into those forums; a later meeting is recorded with a warning.
        earlier = sorted(on for on in self.practitioner_events if on < contacted_on)
        warning = (
            f"the family were met after the practitioner or managers' event of {earlier[0]}: seed 001 finds "
            "it helpful to meet them first, so that their views are taken into those events"
            if earlier
            else None
        )
        self._record(
            FamilyContactRecorded(
                at=at,
                role=role,
                contacted_on=contacted_on,
                family_members=members,
                met_by=command.met_by,
                warning=warning,
                views=statement(
                    "views",
                    command.views,
                    self._also_about(command.family_members, command.about),
                    nature=Nature.OPINION,
                    by=command.views_of,
                ),
            )
        )

    @handles(CheckParallelProcess)
    def check_parallel_process(self, command: CheckParallelProcess, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("checking parallel processes")
        # Seed 001 'The role of the Chair': the Chair enquires into criminal proceedings and FAI;
        # children's hearings (SCRA) concern children only.
        chairs = self.current_team(TeamRole.CHAIR)
        if not chairs:
            self._refuse(
                "parallel processes are checked by the Review Team Chair, and none has been appointed",
                RULE_CHAIR,
            )
        if self.subject_group == "adult" and command.proceeding is Proceeding.CHILDRENS_HEARING:
            self._refuse("children's hearings are not a parallel process of an adult review", RULE_CHAIR)
        self._record(
            ParallelProcessChecked(
                at=at,
                role=role,
                proceeding=command.proceeding,
                state=command.state,
                checked_on=self._dated(at, "checked_on", command.checked_on),
                checked_by=chairs[0].member_id,
            )
        )

    @handles(RecordProceedingsLiaison)
    def record_proceedings_liaison(self, command: RecordProceedingsLiaison, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("liaison with COPFS or SCRA")
        self._record(
            ProceedingsLiaisonRecorded(
                at=at,
                role=role,
                body=command.body,
                purpose=command.purpose,
                liaised_on=self._dated(at, "liaised_on", command.liaised_on),
                outcome=statement("outcome", command.outcome, self._about(command.about)),
            )
        )

    @handles(RecordPoliceLiaison)
    def record_police_liaison(self, command: RecordPoliceLiaison, by: Acting, at: datetime) -> None:
        # Seed 002 'Timing and timeliness': the national guidance's liaison with Police Scotland (and the
        # Crown Office, above) so that the review does not prejudice other proceedings. Who liaises the
        # seeds leave open: the officer records it, as it records the liaison with COPFS and SCRA.
        role = self._authorise(command, by)
        self._require_proceeding("liaison with Police Scotland")
        self._record(
            PoliceLiaisonRecorded(
                at=at,
                role=role,
                liaised_on=self._dated(at, "liaised_on", command.liaised_on),
                outcome=statement("outcome", command.outcome, self._about(command.about)),
            )
        )

    @handles(ProposeTorAmendment)
    def propose_tor_amendment(self, command: ProposeTorAmendment, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("amending the terms of reference")
        # Seed 001 'Terms of reference': the committee is informed of and agrees each change, so one
        # amendment at a time awaits it; only an agreed version is in force.
        pending = self.pending_terms
        if pending is not None:
            self._refuse(
                f"terms of reference version {pending.version} still await the {self.committee}'s agreement",
                RULE_TERMS,
            )
        about = self._about(command.about)
        self._record(
            TorAmendmentProposed(
                at=at,
                role=role,
                version=len(self.terms) + 1,
                proposed_on=self._dated(at, "proposed_on", command.proposed_on),
                changes=statement("changes", command.changes, about),
                text=statement("text", command.text, about),
            )
        )

    @handles(AgreeTorAmendment)
    def agree_tor_amendment(self, command: AgreeTorAmendment, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_pending_terms(command.version)
        self._record(
            TorAmendmentAgreed(
                at=at,
                role=role,
                version=command.version,
                agreed_on=self._dated(at, "agreed_on", command.agreed_on),
            )
        )

    @handles(DeclineTorAmendment)
    def decline_tor_amendment(self, command: DeclineTorAmendment, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_pending_terms(command.version)
        self._record(
            TorAmendmentDeclined(
                at=at,
                role=role,
                version=command.version,
                declined_on=self._dated(at, "declined_on", command.declined_on),
                reason=statement("reason", command.reason, self._about(command.about)),
            )
        )

    # -- 9-10: the review itself ------------------------------------------------------------

    @handles(RequestChronology)
    def request_chronology(self, command: RequestChronology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("requesting chronologies")
        agency = require_text("agency", command.agency)
        if agency in self.chronologies_requested:
            self._refuse(f"a chronology was already requested from {agency}", RULE_CHRONOLOGIES)
        if command.period_from >= command.period_to:
            raise InvalidInput("period_from", "must be before period_to")
        self._record(
            ChronologyRequested(
                at=at,
                role=role,
                agency=agency,
                requested_on=self._dated(at, "requested_on", command.requested_on),
                period_from=command.period_from,
                period_to=command.period_to,
            )
        )

    @handles(ReceiveChronology)
    def receive_chronology(self, command: ReceiveChronology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("receiving chronologies")
        if command.agency not in self.chronologies_requested:
            self._refuse(f"no chronology was requested from {command.agency}", RULE_CHRONOLOGIES)
        if command.agency in self.chronologies_received:
            self._refuse(f"the chronology of {command.agency} was already received", RULE_CHRONOLOGIES)
        if not command.entries:
            raise InvalidInput("entries", "a chronology needs at least one entry")
        entries = tuple(
            ChronologyEntry(
                on=e.on,
                agency=command.agency,
                what_happened=statement(
                    "entries.what_happened", e.what_happened, self._about(e.about), nature=e.nature, by=e.by
                ),
            )
            for e in command.entries
        )
        self._record(
            ChronologyReceived(
                at=at,
                role=role,
                agency=command.agency,
                entries=entries,
                received_on=self._dated(at, "received_on", command.received_on),
            )
        )

    @handles(MergeChronologies)
    def merge_chronologies(self, command: MergeChronologies, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_active("merging chronologies")
        # Seed 001 'Collecting and collating further information': single-agency chronologies, then merged.
        if not self.chronologies_received:
            self._refuse("no single-agency chronology has been received yet", RULE_CHRONOLOGIES)
        agencies = tuple(sorted(self.chronologies_received))
        self._record(
            ChronologiesMergedInOrder(
                at=at,
                role=role,
                agencies=agencies,
                entries=merged_sources(self.chronologies_received),
                merged_on=self._dated(at, "merged_on", command.merged_on),
            )
        )

    @handles(RecordTeamMeeting)
    def record_team_meeting(self, command: RecordTeamMeeting, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("a Review Team meeting")
        if not (
            self.current_team(TeamRole.CHAIR)
            and self.current_team(TeamRole.REVIEWER)
            and self.current_team(TeamRole.ADMINISTRATOR)
        ):
            # Seed 001 'The Review Team': the Chair, members, Reviewer(s) and the Administrator.
            self._refuse(
                "the Review Team needs a Chair, a Reviewer and an Administrator before it meets", RULE_TEAM
            )
        self._require_appointed(by, tuple(TeamRole), "recording a Review Team meeting")
        self._require_members(command.attendees)
        self._record(
            TeamMeetingHeld(
                at=at,
                role=role,
                held_on=self._dated(at, "held_on", command.held_on),
                attendees=command.attendees,
                minutes=statement("minutes", command.minutes, self._about(command.about)),
            )
        )

    @handles(RecordPractitionerEvent)
    def record_practitioner_event(self, command: RecordPractitionerEvent, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_active("a practitioner or manager event")
        self._require_appointed(by, tuple(TeamRole), "a practitioner or manager event")
        self._record(
            PractitionerEventHeld(
                at=at,
                role=role,
                audience=command.audience,
                held_on=self._dated(at, "held_on", command.held_on),
                agencies=command.agencies,
                notes=statement("notes", command.notes, self._about(command.about)),
            )
        )

    @handles(RecordEmergingLearning)
    def record_emerging_learning(self, command: RecordEmergingLearning, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("recording emerging learning")
        self._record(
            EmergingLearningRecorded(
                at=at,
                role=role,
                identified_on=self._dated(at, "identified_on", command.identified_on),
                learning=statement("learning", command.learning, self._about(command.about)),
            )
        )

    @handles(CompleteChildDeathDataset)
    def complete_child_death_dataset(
        self, command: CompleteChildDeathDataset, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("completing the National Child Death Review Dataset")
        if self.subject_group != "child":
            self._refuse(
                "the National Child Death Review Dataset is completed only in a child's review", RULE_PROCEED
            )
        if self.dataset_completed_on is not None:
            self._refuse("the National Child Death Review Dataset was already completed", RULE_PROCEED)
        self._record(
            ChildDeathDatasetCompleted(
                at=at, role=role, completed_on=self._dated(at, "completed_on", command.completed_on)
            )
        )

    @handles(PauseReview)
    def pause_review(self, command: PauseReview, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_unfinished("pausing the review")
        if self.paused:
            # Seed 001 'Managing emerging issues': a review is paused, then resumed.
            self._refuse(f"the review has been paused since {self.pauses[-1].paused_on}", RULE_EMERGING)
        paused_on = self._dated(at, "paused_on", command.paused_on)
        # Seed 001: if an issue is likely to delay the review, the CPC and the COG must be informed.
        if set(command.notice_to) != set(Body):
            raise InvalidInput("notice_to", f"a pause is notified to both the {self.committee} and the COG")
        if command.notice_on is None:
            raise InvalidInput("notice_on", "say when the committee and the COG were told of the pause")
        notice_on = self._dated(at, "notice_on", command.notice_on)
        if notice_on < paused_on:
            raise InvalidInput("notice_on", "must not be before the review was paused")
        self._record(
            ReviewPausedWithNotice(
                at=at,
                role=role,
                paused_on=paused_on,
                reason=statement("reason", command.reason, self._about(command.about)),
                notice_to=tuple(b for b in Body if b in command.notice_to),
                notice_on=notice_on,
            )
        )

    @handles(ResumeReview)
    def resume_review(self, command: ResumeReview, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("resuming the review")
        if not self.paused:
            self._refuse("the review is not paused", RULE_EMERGING)
        if command.resumed_on < self.pauses[-1].paused_on:
            raise InvalidInput("resumed_on", "must not be before the review was paused")
        self._record(
            ReviewResumed(at=at, role=role, resumed_on=self._dated(at, "resumed_on", command.resumed_on))
        )

    @handles(ReportDelay)
    def report_delay(self, command: ReportDelay, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_unfinished("reporting a delay")
        # Seed 001 'Timescale for the Learning Review': the Chair of the Review Team reports the delay.
        chairs = self.current_team(TeamRole.CHAIR)
        if not chairs:
            self._refuse(
                "a delay is reported by the Review Team Chair, and none has been appointed", RULE_CHAIR
            )
        if set(command.recipients) != set(Body):
            raise InvalidInput("recipients", f"a delay is reported to both the {self.committee} and the COG")
        due = timescales(self)[1].due
        if command.revised_completion <= max(due, command.reported_on):
            raise InvalidInput(
                "revised_completion",
                f"must be later than the current due date {due} and the day it is reported",
            )
        self._record(
            DelayReportedToBodies(
                at=at,
                role=role,
                reported_on=self._dated(at, "reported_on", command.reported_on),
                reason=statement("reason", command.reason, self._about(command.about)),
                revised_completion=command.revised_completion,
                recipients=tuple(b for b in Body if b in command.recipients),
                reported_by=chairs[0].member_id,
            )
        )


def merged_sources(received: Mapping[str, Sequence[ChronologyEntry]]) -> tuple[MergedEntry, ...]:
    """Every agency's entries in date order (agencies by name on the same day), each naming where it
    is in the chronology the agency sent. The i-th entry of a merged chronology of either type is
    the i-th of these."""
    found = [
        MergedEntry(on=e.on, agency=agency, entry=n)
        for agency in sorted(received)
        for n, e in enumerate(received[agency])
    ]
    return tuple(sorted(found, key=lambda m: (m.on, m.agency)))
