"""Mini Learning Review (Orkney inter-agency procedure P0318-PROC-003; seed 000).

A multi-agency review below the threshold of a full Learning Review. It is requested by a
member of the Partnership, agreed by the Heads of Service, submitted by the Partnership
Lead on the Request Form (Appendix 1), tabled at the Children's Services Improvement Plan
Delivery Group, which records that it is to be undertaken and sets the date it comes back;
a small Review Team gathers an information form from every participating service, meets,
and reports; the review is signed off at Partnership level with a recorded conclusion on
whether it reached the criteria for a full Learning Review; findings and actions go to the
Child Protection Quality Assurance Sub Committee and the COG; learning is disseminated.
At any time it can be escalated into a notification for a full Learning Review.

The record is one class assembled from modules a reader can take one at a time:

- `domain.routes.mini.forms`: the Request Form (Appendix 1) and the information form;
- `domain.routes.mini.commands` and `domain.routes.mini.events`: one command and one event per step;
- `domain.routes.mini.rules`: where each rule comes from, the stages, and the authority table below;
- `domain.routes.mini.state`: the state, how each event changes it, and the checks the steps share;
- `domain.routes.mini.requesting`, `domain.routes.mini.conduct`, `domain.routes.mini.reporting`: the
  steps, from the request, through the review, to closure;
- `domain.routes.shared.review_base`: what this route and the single-agency route do alike (the
  action plan, dissemination, themes, escalation, and the order of the checks).

Authority (who may record each step):

| step (command)                       | recorded by                                          | seed 000 |
|--------------------------------------|------------------------------------------------------|----------|
| request-mini-review                  | a Partnership member, or the Partnership Lead        | §1.4     |
| record-services-agreement            | the Partnership Lead, or a Partnership member        | §1.4     |
| table-disagreement                   | the Partnership Lead, or a Partnership member        | §1.6     |
| resolve-disagreement                 | the Delivery Group                                   | §1.6     |
| submit-request-form                  | the Partnership Lead                                 | §1.4     |
| table-request                        | the Delivery Group (its Chair)                       | §1.4     |
| record-review-to-be-undertaken       | the Delivery Group                                   | §1.5     |
| set-review-scope                     | the Partnership Lead                                 | §2.3     |
| appoint-review-team                  | the Partnership Lead                                 | §2.2     |
| change-review-team                   | the Partnership Lead                                 | §2.2     |
| request-information                  | the Partnership Lead                                 | form     |
| name-service-contact                 | the Partnership Lead                                 | form     |
| return-information-form              | a contact named for that service (a Partnership member, an agency contact or the Lead) | form |
| record-review-meeting                | a person appointed to the Review Team (the Lead or a Partnership member) | §2.3 |
| compile-review-report                | a person appointed to the Review Team (the Lead or a Partnership member) | §2.3 |
| present-review-report                | the Partnership Lead                                 | §4       |
| record-criteria-conclusion           | the Lead Officer (Service Manager Public Protection) | §4       |
| sign-off-at-partnership-level        | the Delivery Group (the Partnership)                 | §4       |
| receive-findings-and-actions         | the Quality Assurance Sub Committee                  | §4       |
| record-feedback-to-cog               | the Partnership Lead, or the COG                     | §4       |
| record-action-progress               | the Partnership Lead                                 | §2.3(8)  |
| assign-action-owner                  | the Partnership Lead                                 | §2.3(8)  |
| sign-off-action                      | the Quality Assurance Sub Committee (monitoring)     | §4       |
| report-action-exception              | the Partnership Lead (to the COG)                    | §4       |
| carry-over-action                    | the Delivery Group                                   | §4       |
| record-dissemination                 | the Partnership Lead                                 | §5       |
| record-dissemination-activity        | the Partnership Lead                                 | §4-5     |
| record-dissemination-feedback        | the Partnership Lead                                 | §5       |
| tag-learning-themes                  | the Partnership Lead                                 | §5       |
| refer-staff-concern                  | the Partnership Lead                                 | §1       |
| acknowledge-staff-concern            | a contact named for that service                     | §1       |
| escalate-to-full-review              | the Partnership Lead, or the Delivery Group          | §1.3     |
| close-mini-review                    | the Partnership Lead, or the Delivery Group          | §4-5     |

Choices the seed leaves open, made here:
- §4 gives the conclusion on the full Learning Review criteria to "the Service Manager Public
  Protection (Lead Officer) and Partnership". The Lead Officer records it, with reasons, on the
  version presented; the Delivery Group's sign-off at Partnership level then agrees it. A sign-off
  stating a different conclusion is refused: the Lead Officer records the conclusion again first.
- "Sign-off at Partnership level" is the Delivery Group's (the Partnership's Improvement Plan
  Delivery Group the review is presented to), not the Partnership Lead's alone. Sign-offs recorded
  before this rule (`mini.signed-off-at-partnership-level`, carrying the conclusion) still read.
- §1: "If any issues of staff malpractice or competency emerge ... these should be referred to and
  managed by the relevant agency's own staff procedures." The Partnership Lead records the referral
  (which service, which procedure, whom it concerns, sealed about them) and the service's contact
  records that it was taken up; the review itself investigates nothing. The seed sets no timescale,
  so the referral is owed (an obligation with no due date) until taken up; it does not hold up closure.
- Actions are records (`domain/routes/shared/actions.py`, shared with the single-agency route): each has
  its service, a named owner and a due date, progress with evidence, completion, and sign-off by
  the Child Protection Quality Assurance Sub Committee, which §4 gives the findings and actions to.
  Overdue actions are reported by exception to the COG (§4: "Feedback to COG ... on Findings and
  Actions"). A signed-off review closes only when every action is complete and signed off, or
  carried over to a named owner by the Delivery Group (e.g. into the Improvement Plan, §5).
- Meetings and the report are recorded only by a person appointed to this review's Review Team
  (by their actor id), and each information form only by a contact the Lead named for that service.
  A team appointed before this rule without actor ids is completed by a change of the Review Team
  naming them; the steps it recorded stay valid as recorded.
"""

from __future__ import annotations

from domain.kernel.roles import Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale, add_days
from domain.routes.mini.commands import DisseminationActivity
from domain.routes.mini.conduct import ConductSteps
from domain.routes.mini.reporting import ReportingSteps
from domain.routes.mini.requesting import RequestingSteps
from domain.routes.mini.rules import (
    INFORMATION_FORM_DAYS,
    PRESENTATION_DAYS,
    REQUEST_FORM_DAYS,
    RULE_DISAGREEMENT,
    RULE_DISSEMINATION,
    RULE_ESCALATION,
    RULE_INFORMATION,
    RULE_REPORTING,
    RULE_REQUEST,
    RULE_STAFF,
    RULE_TEAM,
    RULE_TIMESCALE,
    Stage,
)

__all__ = ["MiniReview", "Stage"]

_DISSEMINATION_WORDS: dict[DisseminationActivity, str] = {
    DisseminationActivity.MEETING_WITH_THOSE_INVOLVED: "meet those directly involved to share the learning",
    DisseminationActivity.IMPROVEMENT_PLAN_OR_EVIDENCE_LOG: "include the findings and actions in the "
    "Improvement Plan or Evidence Log",
    DisseminationActivity.SINGLE_SERVICE: "disseminate the learning to single services",
    DisseminationActivity.PARTNERSHIP: "disseminate the learning across the Partnership",
    DisseminationActivity.FEEDBACK: "gather feedback and consider further learning and development",
}


class MiniReview(RequestingSteps, ConductSteps, ReportingSteps):
    """One Mini Learning Review, from the request to closure."""

    kind = "mini learning review"

    def timescales(self) -> list[Timescale]:
        found: list[Timescale] = []
        if self.received_on is not None:
            found.append(
                Timescale(
                    name="Request Form completed within 14 calendar days of the request being received",
                    rule="seed 000 §1.4",
                    started=self.received_on,
                    due=add_days(self.received_on, REQUEST_FORM_DAYS),
                    completed=self.form_completed_on,
                )
            )
        if self.tabled_on is not None:
            found.append(
                Timescale(
                    name="completed review presented back to the Delivery Group "
                    "(within 42 calendar days of the request being presented)",
                    rule="seed 000 §1.5",
                    started=self.tabled_on,
                    due=self.presentation_due_on or add_days(self.tabled_on, PRESENTATION_DAYS),
                    completed=self.first_presented_on,
                )
            )
        found += self.plan.timescales()
        for service, requested_on in self.information_requested.items():
            found.append(
                Timescale(
                    name=f"information form from {service} within 14 calendar days",
                    rule="seed 000 Information form",
                    started=requested_on,
                    due=add_days(requested_on, INFORMATION_FORM_DAYS),
                    completed=self.information_returned.get(service),
                )
            )
        return found

    def obligations(self) -> list[Obligation]:
        """What the procedure expects next, from whom, and by when where there is a timescale."""
        lead = Role.PARTNERSHIP_LEAD
        simple: dict[Stage, tuple[Role, str, str]] = {
            Stage.REQUESTED: (lead, "record the Heads of Service discussion", RULE_REQUEST),
            Stage.SERVICES_DISAGREE: (
                lead,
                "table the disagreement at the Delivery Group",
                RULE_DISAGREEMENT,
            ),
            Stage.DISAGREEMENT_TABLED: (
                Role.DELIVERY_GROUP,
                "decide whether the review is needed",
                RULE_DISAGREEMENT,
            ),
            Stage.FORM_SUBMITTED: (
                Role.DELIVERY_GROUP,
                "table the request at the next meeting",
                RULE_REQUEST,
            ),
            Stage.TABLED: (
                Role.DELIVERY_GROUP,
                "record that the review is to be undertaken and set the presentation date",
                RULE_TIMESCALE,
            ),
            Stage.NOT_UNDERTAKEN: (lead, "close the record", RULE_DISAGREEMENT),
        }
        if self._stage in simple:
            who, what, rule = simple[self._stage]
            return [Obligation(who=(who,), what=what, rule=rule)]
        if self._stage is Stage.AGREED and self.received_on is not None:
            due = add_days(self.received_on, REQUEST_FORM_DAYS)
            return [Obligation(who=(lead,), what="submit the Request Form", rule=RULE_REQUEST, due=due)]
        if self._stage is Stage.UNDER_WAY:
            return self._review_obligations() + self._staff_obligations()
        if self._stage is Stage.SIGNED_OFF:
            return self._reporting_obligations() + self._staff_obligations()
        if self._stage is Stage.REPORT_PRESENTED:
            if self.conclusion is None or self.conclusion[0] != self.presented_version:
                what = (
                    "record whether the review reached the criteria for a full Learning Review, with reasons"
                )
                return [Obligation(who=(Role.LEAD_OFFICER,), what=what, rule=RULE_REPORTING)]
            what = "sign off at Partnership level, agreeing the Lead Officer's conclusion"
            return [Obligation(who=(Role.DELIVERY_GROUP,), what=what, rule=RULE_REPORTING)]
        return []

    def _staff_obligations(self) -> list[Obligation]:
        return [
            Obligation(
                who=(Role.AGENCY_CONTACT,),
                what=f"{service} takes up staff concern {referral} under its own staff procedures",
                rule=RULE_STAFF,
            )
            for referral, (service, taken_up) in self.staff_concerns.items()
            if taken_up is None
        ]

    def _review_obligations(self) -> list[Obligation]:
        owed: list[Obligation] = []
        if not self.team:
            owed.append(
                Obligation(who=(Role.PARTNERSHIP_LEAD,), what="appoint a small Review Team", rule=RULE_TEAM)
            )
        for service, requested_on in self.information_requested.items():
            if service not in self.information_returned and not self.contacts.get(service):
                what = f"name who answers for {service}"
                owed.append(Obligation(who=(Role.PARTNERSHIP_LEAD,), what=what, rule=RULE_INFORMATION))
            if service not in self.information_returned:
                due = add_days(requested_on, INFORMATION_FORM_DAYS)
                what = f"{service} returns its information form"
                owed.append(
                    Obligation(who=(Role.PARTNERSHIP_MEMBER,), what=what, rule=RULE_INFORMATION, due=due)
                )
        what = "present the completed review to the Delivery Group"
        owed.append(
            Obligation(
                who=(Role.PARTNERSHIP_LEAD,), what=what, rule=RULE_TIMESCALE, due=self.presentation_due_on
            )
        )
        return owed

    def _reporting_obligations(self) -> list[Obligation]:
        lead = (Role.PARTNERSHIP_LEAD,)
        owed: list[Obligation] = []
        if self.reached_full_criteria and self.escalated_to is None:
            owed.append(Obligation(who=lead, what="notify for a full Learning Review", rule=RULE_ESCALATION))
        if self.qa_received_on is None:
            what = "receive the findings and actions"
            owed.append(Obligation(who=(Role.QA_SUBCOMMITTEE,), what=what, rule=RULE_REPORTING))
        if self.cog_feedback_on is None:
            owed.append(
                Obligation(who=lead, what="feed back findings and actions to the COG", rule=RULE_REPORTING)
            )
        owed += self.plan.obligations(lead, (Role.QA_SUBCOMMITTEE,))
        for activity in DisseminationActivity:
            if activity not in self.disseminated:
                what = _DISSEMINATION_WORDS[activity]
                owed.append(Obligation(who=lead, what=what, rule=RULE_DISSEMINATION))
        return owed
