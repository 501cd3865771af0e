"""Steps of a Mini Learning Review from the request to the decision that it is undertaken (seed 000 §1.4-1.6).

The request, the Heads of Service discussion, a disagreement tabled and resolved, the Request
Form, the request tabled at the Delivery Group and the date the review comes back.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, personal
from domain.kernel.roles import Acting
from domain.kernel.steps import happened, not_before
from domain.kernel.timescales import add_days
from domain.routes.mini.commands import (
    RecordReviewToBeUndertaken,
    RecordServicesAgreement,
    RequestMiniReview,
    ResolveDisagreement,
    SubmitRequestForm,
    TableDisagreement,
    TableRequest,
)
from domain.routes.mini.events import (
    DisagreementResolved,
    DisagreementTabled,
    MiniReviewRequested,
    RequestFormSubmitted,
    RequestTabled,
    ReviewToBeUndertakenRecorded,
    ServicesAgreementRecorded,
)
from domain.routes.mini.forms import record_request_form
from domain.routes.mini.rules import (
    PRESENTATION_DAYS,
    RULE_CRITERIA,
    RULE_DISAGREEMENT,
    RULE_REQUEST,
    RULE_TIMESCALE,
)
from domain.routes.mini.state import MiniReviewRecord
from domain.routes.shared.forms import required, subject_ids


class RequestingSteps(MiniReviewRecord):
    """The request, agreement or disagreement, the Request Form, and the Delivery Group's decision."""

    @handles(RequestMiniReview)
    def request(self, command: RequestMiniReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("received_on", command.received_on, at)
        if not command.full_criteria_not_met:
            # §1.4: "Importantly they should be of the view the criteria for a full Learning Review ... are not met."
            self._refuse(
                "a Mini Learning Review is only for cases that do not meet the criteria for a full "
                "Learning Review; make a Notification for a Learning Review instead",
                RULE_REQUEST,
            )
        services = tuple(dict.fromkeys(required("services", s) for s in command.services))
        if len(services) < 2:
            # §1.1, §1.4: "Mini Learning Reviews should involve more than one service".
            self._refuse("a Mini Learning Review involves more than one service", RULE_REQUEST)
        if not command.criteria:
            self._refuse("name at least one ground within the Mini Learning Review criteria", RULE_CRITERIA)
        if not command.subjects:
            raise InvalidInput("subjects", "name the data subjects the concern is about")
        subjects = subject_ids(*command.subjects)
        concern = required("concern", command.concern)
        self._record(
            MiniReviewRequested(
                received_on=command.received_on,
                initiator_service=required("initiator_service", command.initiator_service),
                services=services,
                criteria=tuple(dict.fromkeys(command.criteria)),
                full_criteria_not_met=True,
                concern=personal(concern, *subjects, kind=ItemKind.NARRATIVE, nature=Nature.OPINION),
                subjects=subjects,
                role=role,
                at=at,
            )
        )

    @handles(RecordServicesAgreement)
    def record_services_agreement(self, command: RecordServicesAgreement, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        not_before("discussed_on", command.discussed_on, self.received_on, "the request was received")
        happened("discussed_on", command.discussed_on, at)
        agreeing = tuple(dict.fromkeys(command.agreeing))
        not_agreeing = tuple(dict.fromkeys(command.not_agreeing))
        if set(agreeing) & set(not_agreeing):
            raise InvalidInput("not_agreeing", "a service cannot both agree and disagree")
        if len(agreeing) + len(not_agreeing) < 2:
            self._refuse(
                "the discussion is between the Heads of Service of more than one service", RULE_REQUEST
            )
        self._record(
            ServicesAgreementRecorded(
                discussed_on=command.discussed_on,
                agreeing=agreeing,
                not_agreeing=not_agreeing,
                basis=self._case_text(command, "basis", command.basis, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(TableDisagreement)
    def table_disagreement(self, command: TableDisagreement, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("tabled_on", command.tabled_on, at)
        information = self._case_text(
            command, "presenting_information", command.presenting_information, Nature.OPINION
        )
        self._record(
            DisagreementTabled(
                tabled_on=command.tabled_on,
                service=required("service", command.service),
                presenting_information=information,
                role=role,
                at=at,
            )
        )

    @handles(ResolveDisagreement)
    def resolve_disagreement(self, command: ResolveDisagreement, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("decided_on", command.decided_on, at)
        if not command.reasons.strip():
            # §1.6: decided "based on the presenting information and the match with the criteria".
            self._refuse("the Delivery Group's decision must give its reasons", RULE_DISAGREEMENT)
        self._record(
            DisagreementResolved(
                decided_on=command.decided_on,
                review_needed=command.review_needed,
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(SubmitRequestForm)
    def submit_request_form(self, command: SubmitRequestForm, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        completed_on = command.form.completed_on
        not_before("form.completed_on", completed_on, self.received_on, "the request was received")
        not_before("submitted_on", command.submitted_on, completed_on, "the form was completed")
        happened("submitted_on", command.submitted_on, at)
        form = record_request_form(command.form)
        self._record(RequestFormSubmitted(submitted_on=command.submitted_on, form=form, role=role, at=at))

    @handles(TableRequest)
    def table_request(self, command: TableRequest, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("meeting_on", command.meeting_on, at)
        self._record(RequestTabled(meeting_on=command.meeting_on, role=role, at=at))

    @handles(RecordReviewToBeUndertaken)
    def record_to_be_undertaken(self, command: RecordReviewToBeUndertaken, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        assert self.tabled_on is not None  # the stage is TABLED
        not_before("decided_on", command.decided_on, self.tabled_on, "the request was tabled")
        happened("decided_on", command.decided_on, at)
        latest = add_days(self.tabled_on, PRESENTATION_DAYS)
        if not self.tabled_on <= command.presentation_due_on <= latest:
            # §1.5: "within 42 calendar days of the request being presented to the Delivery Group".
            self._refuse(
                f"the presentation date must fall within 42 calendar days of the request being "
                f"presented to the Delivery Group on {self.tabled_on}, that is by {latest}",
                RULE_TIMESCALE,
            )
        self._record(
            ReviewToBeUndertakenRecorded(
                decided_on=command.decided_on,
                presentation_due_on=command.presentation_due_on,
                role=role,
                at=at,
            )
        )
