"""Steps of a single-agency Learning Review while the lead reviewer conducts it (seed 004 §5, §3(6)).

Who is involved, the meetings, the outline findings and their accuracy check, the drafts of the
report, its presentation to the CFCIG, and the recommendations and actions the CFCIG agrees.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, personal
from domain.kernel.roles import Acting
from domain.kernel.steps import happened
from domain.routes.shared.forms import required, subject_ids
from domain.routes.single_agency.commands import (
    AgreedAction,
    AgreeRecommendations,
    AgreeReviewParticipants,
    DraftReport,
    MeetingKind,
    Participant,
    PresentReport,
    RecordAccuracyCheck,
    RecordReviewMeeting,
    ShareOutlineFindings,
)
from domain.routes.single_agency.events import (
    AccuracyCheckRecorded,
    OutlineFindingsShared,
    RecommendationsAgreedV2,
    ReportDrafted,
    ReportPresented,
    ReviewMeetingHeld,
    ReviewParticipantsAgreed,
)
from domain.routes.single_agency.rules import RULE_CFCIG, RULE_LEAD_REVIEWER
from domain.routes.single_agency.state import SingleAgencyReviewRecord


class ConductSteps(SingleAgencyReviewRecord):
    """Participants, meetings, outline findings, the report, and the recommendations agreed."""

    @handles(AgreeReviewParticipants)
    def agree_participants(self, command: AgreeReviewParticipants, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("agreed_on", command.agreed_on, at)
        if not command.participants:
            raise InvalidInput("participants", "name at least one person involved in the review")
        if len({p.subject_id for p in command.participants}) != len(command.participants):
            raise InvalidInput("participants", "each person is named once")
        participants = tuple(
            Participant(
                subject_id=p.subject_id,
                name=personal(
                    required("participants.name", p.name), *subject_ids(p.subject_id), kind=ItemKind.NAME
                ),
                role_in_case=personal(
                    required("participants.role_in_case", p.role_in_case),
                    p.subject_id,
                    kind=ItemKind.JOB_TITLE,
                ),
                team=required("participants.team", p.team),
            )
            for p in command.participants
        )
        self._record(
            ReviewParticipantsAgreed(
                agreed_on=command.agreed_on,
                participants=participants,
                workers_have_protocol=command.workers_have_protocol,
                role=role,
                at=at,
            )
        )

    @handles(RecordReviewMeeting)
    def record_meeting(self, command: RecordReviewMeeting, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if command.kind is not MeetingKind.CASE_FILE_REVIEW and not (
            self.participants and self.workers_have_protocol
        ):
            # §5: "Confirm that workers are aware of review process and that they have received a copy of the
            # Learning Review protocol" before they take part.
            self._refuse(
                "before a discussion with workers, agree who is involved and confirm they have the protocol",
                RULE_LEAD_REVIEWER,
            )
        happened("held_on", command.held_on, at)
        notes = self._case_text(command, "notes", command.notes)
        self._record(
            ReviewMeetingHeld(
                held_on=command.held_on,
                kind=command.kind,
                attendees=subject_ids(*command.attendees),
                notes=notes,
                role=role,
                at=at,
            )
        )

    @handles(ShareOutlineFindings)
    def share_outline_findings(self, command: ShareOutlineFindings, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if not command.findings:
            raise InvalidInput("findings", "the outline names at least one finding")
        happened("shared_on", command.shared_on, at)
        findings = tuple(self._case_text(command, "findings", f, Nature.OPINION) for f in command.findings)
        self._record(OutlineFindingsShared(shared_on=command.shared_on, findings=findings, role=role, at=at))

    @handles(RecordAccuracyCheck)
    def record_accuracy_check(self, command: RecordAccuracyCheck, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.outlines_checked >= self.outlines_shared:
            self._refuse("there are no outline findings awaiting an accuracy check", RULE_LEAD_REVIEWER)
        happened("checked_on", command.checked_on, at)
        corrections = self._maybe(command, command.corrections, Nature.OPINION)
        self._record(
            AccuracyCheckRecorded(checked_on=command.checked_on, corrections=corrections, role=role, at=at)
        )

    @handles(DraftReport)
    def draft_report(self, command: DraftReport, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if not command.key_issues:
            raise InvalidInput("key_issues", "the draft report identifies at least one key issue")
        happened("drafted_on", command.drafted_on, at)
        self._record(
            ReportDrafted(
                version=self.report_version + 1,
                drafted_on=command.drafted_on,
                key_issues=tuple(
                    self._case_text(command, "key_issues", i, Nature.OPINION) for i in command.key_issues
                ),
                implications_for_service=self._maybe(
                    command, command.implications_for_service, Nature.OPINION
                ),
                role=role,
                at=at,
            )
        )

    @handles(PresentReport)
    def present_report(self, command: PresentReport, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_latest_version(command.version, "presented")
        if self.outlines_shared == 0 or self.outlines_checked < self.outlines_shared:
            # §5: the outline of the findings is shared with the group for an accuracy check, then presented.
            self._refuse(
                "the outline findings must be checked for accuracy by the group before the report is presented",
                RULE_LEAD_REVIEWER,
            )
        happened("presented_on", command.presented_on, at)
        self._record(
            ReportPresented(version=command.version, presented_on=command.presented_on, role=role, at=at)
        )

    @handles(AgreeRecommendations)
    def agree_recommendations(self, command: AgreeRecommendations, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_latest_version(command.version, "agreed")
        if self.presented_version != command.version:
            self._refuse(
                f"version {command.version} of the report has not been presented to CFCIG", RULE_CFCIG
            )
        if not command.recommendations:
            self._refuse("the CFCIG must agree at least one recommendation", RULE_CFCIG)
        if not command.monitoring.strip() or not command.dissemination.strip():
            # §4: "Agree process to monitor implementation of any actions" and "Agree mechanism for dissemination".
            self._refuse(
                "the CFCIG must agree how implementation is monitored and how learning is disseminated",
                RULE_CFCIG,
            )
        ids = [a.action_id for a in command.actions]
        if len(set(ids)) != len(ids) or not all(i.strip() for i in ids):
            raise InvalidInput("actions", "each action needs its own non-empty id")
        happened("agreed_on", command.agreed_on, at)
        actions = tuple(
            AgreedAction(
                action_id=a.action_id,
                description=self._case_text(command, "actions.description", a.description),
                owner_team=required("actions.owner_team", a.owner_team),
                due_on=a.due_on,
            )
            for a in command.actions
        )
        self._record(
            RecommendationsAgreedV2(
                agreed_on=command.agreed_on,
                version=command.version,
                recommendations=tuple(
                    self._case_text(command, "recommendations", r) for r in command.recommendations
                ),
                actions=actions,
                monitoring=self._case_text(command, "monitoring", command.monitoring),
                dissemination=self._case_text(command, "dissemination", command.dissemination),
                role=role,
                at=at,
            )
        )
