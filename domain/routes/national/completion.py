"""What a National Learning Review must have done before its report is presented, signed off and the
review closed, and who may answer for an agency (seed 001 section 4 and its process map).

The conditions themselves are in `domain.routes.national.rules` (`presentation_missing`,
`contents_missing`); the steps here record what makes them true where the procedure allows
something other than the usual step: an agency that did not return its information, a decision
not to involve the family, the reason no practitioners' or managers' event was held, an action
carried over to a named owner after closure.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.roles import Acting
from domain.routes.national.commands import (
    CarryOverAction,
    DecideNotToInvolveFamily,
    NameAgencyContact,
    PresentReport,
    RecordAgencyNonReturn,
    RecordNoPractitionerEvent,
)
from domain.routes.national.events import (
    ActionCarriedOver,
    AgencyContactNamed,
    AgencyNonReturnRecorded,
    FamilyNotInvolvedDecided,
    NoPractitionerEventReasonRecorded,
    ReportPresented,
)
from domain.routes.national.forms import TeamRole, practitioner_record, require_text, statement
from domain.routes.national.rules import (
    RULE_AGENCY,
    RULE_CLOSURE,
    RULE_ENGAGING,
    RULE_INFORMATION,
    RULE_PRESENT,
    RULE_REPORT,
    NationalReviewRules,
)
from domain.routes.national.state import SigningBody


class CompletionSteps(NationalReviewRules):
    """The steps that complete what seed 001 asks before presentation, sign-off and closure."""

    @handles(NameAgencyContact)
    def name_agency_contact(self, command: NameAgencyContact, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_open()
        agency = require_text("agency", command.agency)
        actor_id = require_text("actor_id", command.actor_id)
        if agency in self.agency_contacts.get(actor_id, set()):
            self._refuse(f"{actor_id} is already named as a contact of {agency}", RULE_AGENCY)
        self._record(
            AgencyContactNamed(
                at=at,
                role=role,
                agency=agency,
                contact=practitioner_record(command.contact),
                actor_id=actor_id,
                named_on=self._dated(at, "named_on", command.named_on),
            )
        )

    @handles(RecordAgencyNonReturn)
    def record_agency_non_return(self, command: RecordAgencyNonReturn, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_open()
        if command.agency not in self.information_requested:
            self._refuse(f"no request for information was sent to {command.agency}", RULE_INFORMATION)
        if command.agency in self.agency_returns | self.agency_non_returns:
            self._refuse(f"the answer of {command.agency} has already been recorded", RULE_INFORMATION)
        self._record(
            AgencyNonReturnRecorded(
                at=at,
                role=role,
                agency=command.agency,
                recorded_on=self._dated(at, "recorded_on", command.recorded_on),
                reason=statement("reason", command.reason, self._about(command.about)),
            )
        )

    @handles(DecideNotToInvolveFamily)
    def decide_not_to_involve_family(
        self, command: DecideNotToInvolveFamily, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("deciding not to involve the family")
        if self.family_not_involved_on is not None:
            self._refuse(
                f"the decision not to involve the family was already recorded on {self.family_not_involved_on}",
                RULE_ENGAGING,
            )
        self._record(
            FamilyNotInvolvedDecided(
                at=at,
                role=role,
                decided_on=self._dated(at, "decided_on", command.decided_on),
                reasons=statement("reasons", command.reasons, self._about(command.about)),
            )
        )

    @handles(RecordNoPractitionerEvent)
    def record_no_practitioner_event(
        self, command: RecordNoPractitionerEvent, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("recording why no event was held")
        if command.audience in self.event_audiences:
            self._refuse(f"an event for {command.audience} has been held", RULE_PRESENT)
        if command.audience in self.no_event_reasons:
            self._refuse(
                f"the reason no event was held for {command.audience} is already recorded", RULE_PRESENT
            )
        self._record(
            NoPractitionerEventReasonRecorded(
                at=at,
                role=role,
                audience=command.audience,
                recorded_on=self._dated(at, "recorded_on", command.recorded_on),
                reason=statement("reason", command.reason, self._about(command.about)),
            )
        )

    @handles(PresentReport)
    def present_report(self, command: PresentReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_active("presenting the report")
        # Seed 001 'The Report': the Reviewer and the Chair of the Review Team present it.
        presenter = self._require_appointed(by, (TeamRole.REVIEWER, TeamRole.CHAIR), "presenting the report")
        if not self.report_versions:
            self._refuse("there is no report to present: no version has been drafted", RULE_REPORT)
        if command.version != self.latest_report_version:
            # Which version is presented is the presenter's input: only the latest can be.
            raise InvalidInput("version", f"must be the latest report version ({self.latest_report_version})")
        body: SigningBody = "committee" if command.presented_to == "committee" else "COG"
        if self.presented.get(body) == command.version:
            self._refuse(f"report version {command.version} was already presented to the {body}", RULE_REPORT)
        missing = self.presentation_missing()
        if missing:
            self._refuse("the report cannot be presented until there is " + "; ".join(missing), RULE_PRESENT)
        self._record(
            ReportPresented(
                at=at,
                role=role,
                version=command.version,
                presented_to=command.presented_to,
                presented_on=self._dated(at, "presented_on", command.presented_on),
                presented_by=presenter,
            )
        )

    @handles(CarryOverAction)
    def carry_over_action(self, command: CarryOverAction, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("carrying an action over")
        action = self.actions.get(command.action_id)
        if action is None:
            self._refuse(f"the action plan has no action {command.action_id}", RULE_CLOSURE)
        if action.completed_on is not None:
            self._refuse(f"action {command.action_id} was completed on {action.completed_on}", RULE_CLOSURE)
        if action.carried:
            self._refuse(
                f"action {command.action_id} was already carried over on {action.carried_over_on}",
                RULE_CLOSURE,
            )
        about = self._about(command.about)
        self._record(
            ActionCarriedOver(
                at=at,
                role=role,
                action_id=command.action_id,
                carried_over_on=self._dated(at, "carried_over_on", command.carried_over_on),
                owner=statement("owner", command.owner, about),
                reason=statement("reason", command.reason, about),
            )
        )
