"""Single-agency Learning Review (Falkirk Children and Families Social Work Learning Review Protocol; seed 004).

A case meeting a criterion of §2 is identified at a Team Around the Child or review meeting,
discussed in supervision, and recommended by the line manager to the Service Manager; the
worker and line manager complete and both sign the Referral Form (Appendix 3). The Service
Manager agrees the criteria are met, or records why not in the worker's supervision notes.
The Children and Families Continuous Improvement Group (CFCIG) decides: proceed (lead
reviewer, parameters, timescales; written feedback with the protocol) or not proceed (written
rationale and recommendations, on which the team manager reports back). The lead reviewer
conducts the review, shares the outline findings with the group for an accuracy check, drafts
the report and presents it to CFCIG, which agrees recommendations, actions, how implementation
is monitored and how learning is disseminated. At any time the case can be escalated into a
notification for a full (national) Learning Review.

The record is one class assembled from modules a reader can take one at a time:

- `domain.routes.single_agency.forms`: the Referral Form (Appendix 3);
- `domain.routes.single_agency.commands` and `domain.routes.single_agency.events`: one command and
  one event per step;
- `domain.routes.single_agency.rules`: where each rule comes from, the stages, and the authority
  table below;
- `domain.routes.single_agency.state`: the state, how each event changes it, and the checks the
  steps share;
- `domain.routes.single_agency.referral`, `domain.routes.single_agency.deciding`,
  `domain.routes.single_agency.conduct`, `domain.routes.single_agency.completion`: the steps, from
  identifying the case, through the CFCIG's decision and the review, to closure;
- `domain.routes.shared.review_base`: what this route and the Mini Learning Review do alike (the
  action plan, dissemination, themes, escalation, and the order of the checks).

Authority (who may record each step):

| step (command)                       | recorded by                                         | seed 004   |
|--------------------------------------|-----------------------------------------------------|------------|
| identify-case                        | the social worker, or the line manager              | §3         |
| record-supervision-discussion        | the social worker, or the line manager              | §3(1)      |
| recommend-review                     | the line manager                                    | §3(2)      |
| complete-referral-form               | the social worker, or the line manager              | §3(2)      |
| sign-referral-form                   | as worker: the social worker; as line manager: the line manager (two different people) | §3(2), App. 3 |
| agree-criteria-met                   | the Service Manager                                 | §3(3)      |
| record-criteria-not-met              | the Service Manager                                 | §3(3)      |
| decide-to-proceed                    | the CFCIG                                           | §3(4a), §4 |
| decide-not-to-proceed                | the CFCIG                                           | §3(4b)     |
| give-written-feedback                | the Service Manager                                 | §3(4)      |
| report-progress-on-recommendations   | the team manager the CFCIG named (a line manager)   | §3(4b)     |
| agree-review-participants            | the lead reviewer the CFCIG identified              | §5         |
| record-review-meeting                | the lead reviewer the CFCIG identified              | §5         |
| share-outline-findings               | the lead reviewer the CFCIG identified              | §5         |
| record-accuracy-check                | the lead reviewer the CFCIG identified              | §5         |
| draft-report                         | the lead reviewer the CFCIG identified              | §5         |
| present-report                       | the lead reviewer the CFCIG identified              | §3(6), §5  |
| agree-recommendations                | the CFCIG                                           | §3(6), §4  |
| record-action-progress               | the Service Manager, the line manager, or the CFCIG | §4         |
| assign-action-owner                  | the Service Manager, or the CFCIG                   | §4         |
| sign-off-action                      | the CFCIG (which monitors implementation)           | §4         |
| carry-over-action                    | the CFCIG                                           | §4         |
| record-dissemination                 | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| record-dissemination-activity        | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| record-dissemination-feedback        | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| tag-learning-themes                  | the Service Manager, the lead reviewer, or the CFCIG| §4         |
| escalate-to-full-review              | the Service Manager, or the CFCIG                   | App. 1     |
| close-single-agency-review           | the CFCIG, or the Service Manager                   | §4         |
| change-lead-reviewer                 | the CFCIG                                           | §3(4a)     |

Actions are records (`domain/routes/shared/actions.py`, shared with the Mini Learning Review): each agreed
action has its team, a named owner and a due date, progress with evidence, completion, and sign-off
by the CFCIG, which §4 gives the monitoring of implementation to. Each due date is a timescale. A review
whose recommendations were agreed closes only when every action is signed off or carried over to a
named owner by the CFCIG; the refusal names the open actions. Seed 004 names no body above the
CFCIG, so this route offers no exception report (the CFCIG sees its overdue timescales itself).

The lead reviewer reads the review's personal data only while they hold that part: the CFCIG's
decision to proceed appoints them and a change of lead reviewer releases them (DOMAIN.md §1.1).
"""

from __future__ import annotations

from domain.kernel.roles import Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale
from domain.routes.single_agency.commands import Signatory
from domain.routes.single_agency.completion import CompletionSteps
from domain.routes.single_agency.conduct import ConductSteps
from domain.routes.single_agency.deciding import DecidingSteps
from domain.routes.single_agency.referral import ReferralSteps
from domain.routes.single_agency.rules import (
    DECIDED,
    REFERRING,
    RULE_CFCIG,
    RULE_LEAD_REVIEWER,
    RULE_NOT_PROCEED,
    RULE_PATHWAY,
    RULE_PROCEED,
    RULE_REFERRAL,
    RULE_SERVICE_MANAGER,
    Stage,
)

__all__ = ["SingleAgencyReview", "Stage"]


class SingleAgencyReview(ReferralSteps, DecidingSteps, ConductSteps, CompletionSteps):
    """One single-agency Learning Review, from identification to closure."""

    kind = "single-agency learning review"

    def timescales(self) -> list[Timescale]:
        """The timescales the CFCIG set when it agreed to proceed (seed 004 §3(4a))."""
        if self.decided_on is None or self.complete_by is None:
            return self.plan.timescales()
        found = []
        if self.outline_findings_by is not None:
            found.append(
                Timescale(
                    name="outline findings shared with the group (timescale set by CFCIG)",
                    rule="seed 004 §3(4a), §5",
                    started=self.decided_on,
                    due=self.outline_findings_by,
                    completed=self.first_outline_on,
                )
            )
        found.append(
            Timescale(
                name="review completed and presented to CFCIG (timescale set by CFCIG)",
                rule="seed 004 §3(4a)",
                started=self.decided_on,
                due=self.complete_by,
                completed=self.first_presented_on,
            )
        )
        return found + self.plan.timescales()

    def obligations(self) -> list[Obligation]:
        """What the pathway expects next, from whom, and by when where there is a timescale."""
        s = self._stage
        simple: dict[Stage, tuple[Role, str, str]] = {
            Stage.IDENTIFIED: (Role.LINE_MANAGER, "discuss the case in supervision", RULE_PATHWAY),
            Stage.IN_SUPERVISION: (
                Role.LINE_MANAGER,
                "recommend the review to the Service Manager",
                RULE_PATHWAY,
            ),
            Stage.WITH_CFCIG: (
                Role.CFCIG,
                "decide whether to proceed to a Learning Review",
                RULE_PROCEED,
            ),
            Stage.REPORT_PRESENTED: (
                Role.CFCIG,
                "agree recommendations, actions, monitoring and dissemination",
                RULE_CFCIG,
            ),
            Stage.CRITERIA_NOT_MET: (Role.SERVICE_MANAGER, "close the record", RULE_SERVICE_MANAGER),
        }
        owed: list[Obligation] = []
        if s in simple:
            who, what, rule = simple[s]
            owed.append(Obligation(who=(who,), what=what, rule=rule))
        if s in REFERRING:
            owed.extend(self._referral_obligations())
        if s in DECIDED and self.feedback_given_on is None:
            what = "give written feedback to the team manager and worker"
            owed.append(Obligation(who=(Role.SERVICE_MANAGER,), what=what, rule=RULE_PATHWAY))
        if s is Stage.NOT_PROCEEDING:
            for item in range(1, self.further_actions + 1):
                if item not in self.reported_back:
                    what = f"report back to CFCIG on recommendation {item}"
                    owed.append(Obligation(who=(Role.LINE_MANAGER,), what=what, rule=RULE_NOT_PROCEED))
        if s is Stage.UNDER_REVIEW:
            owed.extend(self._review_obligations())
        if s is Stage.IMPLEMENTING:
            owed += self.plan.obligations((Role.SERVICE_MANAGER,), (Role.CFCIG,))
            if not self.disseminated:
                owed.append(
                    Obligation(who=(Role.SERVICE_MANAGER,), what="disseminate the learning", rule=RULE_CFCIG)
                )
        return owed

    def _referral_obligations(self) -> list[Obligation]:
        owed: list[Obligation] = []
        if self.form_version == 0:
            what = "complete the Referral Form (worker and line manager)"
            owed.append(Obligation(who=(Role.SOCIAL_WORKER,), what=what, rule=RULE_REFERRAL))
        else:
            for signatory, role in (
                (Signatory.WORKER, Role.SOCIAL_WORKER),
                (Signatory.LINE_MANAGER, Role.LINE_MANAGER),
            ):
                if signatory not in self.signatures:
                    owed.append(
                        Obligation(
                            who=(role,), what=f"sign the Referral Form as {signatory}", rule=RULE_REFERRAL
                        )
                    )
        if self._stage is Stage.RECOMMENDED and len(self.signatures) == len(Signatory):
            what = "agree the criteria are met, or record the reasons why not"
            owed.append(Obligation(who=(Role.SERVICE_MANAGER,), what=what, rule=RULE_SERVICE_MANAGER))
        return owed

    def _review_obligations(self) -> list[Obligation]:
        owed: list[Obligation] = []
        if not self.participants:
            owed.append(
                Obligation(
                    who=(Role.LEAD_REVIEWER,),
                    what="agree who is involved in the review",
                    rule=RULE_LEAD_REVIEWER,
                )
            )
        if self.outlines_shared == 0:
            what, due = "share the outline findings for an accuracy check", self.outline_findings_by
            owed.append(Obligation(who=(Role.LEAD_REVIEWER,), what=what, rule=RULE_LEAD_REVIEWER, due=due))
        elif self.outlines_checked < self.outlines_shared:
            owed.append(
                Obligation(
                    who=(Role.LEAD_REVIEWER,), what="record the accuracy check", rule=RULE_LEAD_REVIEWER
                )
            )
        what = "present the findings to CFCIG"
        owed.append(
            Obligation(who=(Role.LEAD_REVIEWER,), what=what, rule=RULE_LEAD_REVIEWER, due=self.complete_by)
        )
        return owed
