"""Steps of a Mini Learning Review while it is under way (seed 000 §2.2-2.3; the Information form; §1).

The scope, the Review Team, the information forms and who answers for each service, the
meetings, the report's versions, and staff concerns referred to the agencies' own procedures.
"""

from __future__ import annotations

from datetime import datetime

from domain.governance.naming import checked_ids
from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, personal
from domain.kernel.roles import Acting
from domain.kernel.steps import happened, not_before
from domain.routes.mini.commands import (
    AcknowledgeStaffConcern,
    AppointReviewTeam,
    ChangeReviewTeam,
    CompileReviewReport,
    NameServiceContact,
    PlannedAction,
    RecordReviewMeeting,
    ReferStaffConcern,
    RequestInformation,
    ReturnInformationForm,
    SetReviewScope,
    TeamMember,
    TeamMemberAnswers,
)
from domain.routes.mini.events import (
    InformationFormReturned,
    InformationRequested,
    ReviewMeetingHeld,
    ReviewReportCompiled,
    ReviewScopeSet,
    ReviewTeamAppointed,
    ReviewTeamChanged,
    ServiceContactNamed,
    StaffConcernAcknowledged,
    StaffConcernReferred,
)
from domain.routes.mini.forms import record_information_form
from domain.routes.mini.rules import RULE_INFORMATION, RULE_STAFF, RULE_TEAM
from domain.routes.mini.state import MiniReviewRecord
from domain.routes.shared.agency_contacts import name_contact, require_contact
from domain.routes.shared.forms import required, subject_ids
from domain.routes.shared.review_base import by_subject


class ConductSteps(MiniReviewRecord):
    """Scope, team, information forms, meetings, the report's versions and staff concerns."""

    @handles(SetReviewScope)
    def set_scope(self, command: SetReviewScope, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("set_on", command.set_on, at)
        if not command.questions:
            raise InvalidInput("questions", "name at least one question for the review")
        self._record(
            ReviewScopeSet(
                set_on=command.set_on,
                questions=tuple(self._case_text(command, "questions", q) for q in command.questions),
                scope=self._case_text(command, "scope", command.scope),
                role=role,
                at=at,
            )
        )

    @handles(AppointReviewTeam)
    def appoint_team(self, command: AppointReviewTeam, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        if self.team:
            self._refuse("the Review Team is already appointed; record a change instead", RULE_TEAM)
        happened("appointed_on", command.appointed_on, at)
        if not command.members:
            raise InvalidInput("members", "the Review Team needs at least one member")
        members = _team_members(command.members)
        self._record(
            ReviewTeamAppointed(appointed_on=command.appointed_on, members=members, role=role, at=at)
        )

    @handles(ChangeReviewTeam)
    def change_team(self, command: ChangeReviewTeam, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("changing the Review Team")
        happened("changed_on", command.changed_on, at)
        joining = _team_members(command.joining)
        leaving = tuple(dict.fromkeys(command.leaving))
        if not joining and not leaving:
            raise InvalidInput("joining", "a change names at least one member joining or leaving")
        for subject_id in leaving:
            if subject_id not in self.team:
                raise InvalidInput("leaving", f"{subject_id} is not a member of the Review Team")
        for member in joining:
            if member.subject_id in self.team and member.subject_id not in leaving:
                raise InvalidInput("joining", f"{member.subject_id} is already a member of the Review Team")
        if not set(self.team) - set(leaving) and not joining:
            self._refuse("the Review Team cannot be left without members", RULE_TEAM)
        about = subject_ids(*leaving, *(m.subject_id for m in joining), *checked_ids("about", command.about))
        reason = personal(
            required("reason", command.reason), *about, kind=ItemKind.NARRATIVE, by=by_subject(command.by)
        )
        self._record(
            ReviewTeamChanged(
                changed_on=command.changed_on,
                joining=joining,
                leaving=leaving,
                reason=reason,
                role=role,
                at=at,
            )
        )

    @handles(RequestInformation)
    def request_information(self, command: RequestInformation, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("requesting information from services")
        happened("requested_on", command.requested_on, at)
        services = tuple(dict.fromkeys(required("services", s) for s in command.services))
        if not services:
            raise InvalidInput("services", "name at least one participating service")
        for service in services:
            if service in self.information_requested:
                self._refuse(f"{service} has already been asked for its information form", RULE_INFORMATION)
        self._record(
            InformationRequested(requested_on=command.requested_on, services=services, role=role, at=at)
        )

    @handles(NameServiceContact)
    def name_service_contact(self, command: NameServiceContact, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        name_contact(self.contacts, command.service, command.actor_id)
        if command.service not in self.services and command.service not in self.information_requested:
            self._refuse(f"{command.service} is not a service taking part in this review", RULE_INFORMATION)
        not_before("named_on", command.named_on, self.received_on, "the request was received")
        happened("named_on", command.named_on, at)
        self._record(
            ServiceContactNamed(
                service=command.service,
                actor_id=command.actor_id,
                named_on=command.named_on,
                role=role,
                at=at,
            )
        )

    @handles(ReturnInformationForm)
    def return_information_form(self, command: ReturnInformationForm, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        requested_on = self.information_requested.get(command.service)
        if requested_on is None:
            self._refuse(f"{command.service} has not been asked for an information form", RULE_INFORMATION)
        if command.service in self.information_returned:
            self._refuse(f"{command.service} has already returned its information form", RULE_INFORMATION)
        require_contact(
            self.contacts, command.service, by, doing="returning the information form", record=self.reference
        )
        not_before("returned_on", command.returned_on, requested_on, "the information was requested")
        happened("returned_on", command.returned_on, at)
        self._record(
            InformationFormReturned(
                service=command.service,
                requested_on=requested_on,
                returned_on=command.returned_on,
                form=record_information_form(command.form),
                role=role,
                at=at,
            )
        )

    @handles(RecordReviewMeeting)
    def record_meeting(self, command: RecordReviewMeeting, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("recording a review meeting")
        self._require_on_team(by, "recording a review meeting")
        happened("held_on", command.held_on, at)
        self._record(
            ReviewMeetingHeld(
                held_on=command.held_on,
                kind=command.kind,
                attendees=subject_ids(*command.attendees),
                minutes=self._case_text(command, "minutes", command.minutes),
                role=role,
                at=at,
            )
        )

    @handles(CompileReviewReport)
    def compile_report(self, command: CompileReviewReport, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_team("compiling the review report")
        self._require_on_team(by, "compiling the review report")
        happened("compiled_on", command.compiled_on, at)
        if not command.findings:
            raise InvalidInput("findings", "the report records at least one finding")
        ids = [a.action_id for a in command.actions]
        if len(set(ids)) != len(ids) or not all(i.strip() for i in ids):
            raise InvalidInput("actions", "each action needs its own non-empty id")
        actions = tuple(
            PlannedAction(
                action_id=a.action_id,
                description=self._case_text(command, "actions.description", a.description),
                owner_service=required("actions.owner_service", a.owner_service),
                due_on=a.due_on,
            )
            for a in command.actions
        )
        self._record(
            ReviewReportCompiled(
                version=self.report_version + 1,
                compiled_on=command.compiled_on,
                findings=tuple(
                    self._case_text(command, "findings", f, Nature.OPINION) for f in command.findings
                ),
                actions=actions,
                role=role,
                at=at,
            )
        )

    @handles(ReferStaffConcern)
    def refer_staff_concern(self, command: ReferStaffConcern, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        service = required("service", command.service)
        if not command.practitioners:
            raise InvalidInput("practitioners", "name the staff the concern is about")
        practitioners = subject_ids(*command.practitioners)
        procedure = required("procedure", command.procedure)
        not_before("referred_on", command.referred_on, self.received_on, "the request was received")
        happened("referred_on", command.referred_on, at)
        about = subject_ids(*practitioners, *checked_ids("about", command.about))
        summary = personal(
            required("summary", command.summary), *about, kind=ItemKind.NARRATIVE, by=by_subject(command.by)
        )
        self._record(
            StaffConcernReferred(
                referral=f"SC{len(self.staff_concerns) + 1}",
                referred_on=command.referred_on,
                service=service,
                concern=command.concern,
                practitioners=practitioners,
                procedure=procedure,
                summary=summary,
                role=role,
                at=at,
            )
        )

    @handles(AcknowledgeStaffConcern)
    def acknowledge_staff_concern(self, command: AcknowledgeStaffConcern, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        referred = self.staff_concerns.get(command.referral)
        if referred is None:
            self._refuse(f"there is no staff concern {command.referral}", RULE_STAFF)
        service, taken_up = referred
        if taken_up is not None:
            self._refuse(f"staff concern {command.referral} was already taken up on {taken_up}", RULE_STAFF)
        require_contact(self.contacts, service, by, doing="taking up a staff concern", record=self.reference)
        happened("acknowledged_on", command.acknowledged_on, at)
        self._record(
            StaffConcernAcknowledged(
                referral=command.referral, acknowledged_on=command.acknowledged_on, role=role, at=at
            )
        )


def _team_members(answers: tuple[TeamMemberAnswers, ...]) -> tuple[TeamMember, ...]:
    ids = [a.subject_id for a in answers]
    if len(set(ids)) != len(ids):
        raise InvalidInput("members", "each member is named once")
    members = []
    for answer in answers:
        about = subject_ids(answer.subject_id)
        declaration = required("members.declaration", answer.declaration)
        members.append(
            TeamMember(
                subject_id=answer.subject_id,
                name=personal(required("members.name", answer.name), *about, kind=ItemKind.NAME),
                service=required("members.service", answer.service),
                team_role=answer.team_role,
                has_conflict=answer.has_conflict,
                declaration=personal(declaration, *about, kind=ItemKind.NARRATIVE, by=answer.subject_id),
                actor_id=answer.actor_id,
            )
        )
    return tuple(members)
