"""A Learning and Improvement Panel case: Serious Case Review or Multi-Agency Learning Review.

The Stockport Safeguarding Children Board's procedure (seed 003; DOMAIN.md §2.3). An agency
refers a case to the Head of Safeguarding on Referral Form A; it is circulated to the Panel,
which meets bi-monthly. The Panel (chaired by the Head of Safeguarding, or by the Service
Director as an SCR Consideration Panel when an SCR looks likely) decides: SCR criteria met,
a Multi-Agency Learning Review (MALR), or no further review.

*SCR route*: the Service Director recommends to the Board's Independent Chair, who decides
and informs Ofsted and the National Panel; a decision not to hold an SCR is scrutinised by
the National Panel and may be overturned. Then an independent review is commissioned, the
SCR Panel agreed, its terms of reference agreed, the report signed off by the Board and
publication considered.

*MALR route*: the Panel's conclusion sets the dates, the chair, the initial terms of
reference and the period under review; every agency asked says whether it was involved;
involved agencies' chronologies are combined; one or two meetings agree findings and
recommendations; a report or case summary is written; the multi-agency action plan is
circulated and monitored by the Audit and Monitoring Sub-group, and reported to the QA
Sub-group and the Board. An MALR is not published and families are not invited.

The record is one class assembled from modules a reader can take one at a time:

- `domain.routes.panel.forms`: Referral Form A and the Panel's conclusion, and how each becomes
  `Personal` data;
- `domain.routes.panel.commands` and `domain.routes.panel.events`: one command and one event per step;
- `domain.routes.panel.steps`: who may record each step (`STEPS`, the table below as the code checks it);
- `domain.routes.panel.state`: the state and how each event changes it;
- `domain.routes.panel.duties`: the stage, what is still owed, and the timescales;
- `domain.routes.panel.rules`: the checks every step shares (authority, order, inputs);
- `domain.routes.panel.referral`, `domain.routes.panel.scr`, `domain.routes.panel.malr`,
  `domain.routes.panel.actions`, `domain.routes.panel.completion`: the steps, from the referral
  through either route to closure.

Authority (who may record each step; `domain.routes.panel.steps.STEPS` is the table the code checks):

| command                          | role                                                        |
|----------------------------------|-------------------------------------------------------------|
| refer-case                       | HEAD_OF_SAFEGUARDING (receives Referral Form A)             |
| circulate-referral               | HEAD_OF_SAFEGUARDING                                        |
| call-scr-consideration-panel     | LEARNING_PANEL (a Panel chaired by the Head of Safeguarding)|
| decide-on-review                 | LEARNING_PANEL; or SERVICE_DIRECTOR as SCR Consideration Panel |
| record-panel-conclusion          | LEARNING_PANEL                                              |
| request-agency-reports           | HEAD_OF_SAFEGUARDING (SCR looks likely: before the recommendation) |
| submit-agency-report             | AGENCY_CONTACT named for that agency                        |
| recommend-on-scr                 | SERVICE_DIRECTOR                                            |
| decide-on-scr                    | INDEPENDENT_CHAIR                                           |
| inform-ofsted-and-national-panel | INDEPENDENT_CHAIR                                           |
| scrutinise-decision              | NATIONAL_PANEL                                              |
| commission-independent-review    | INDEPENDENT_CHAIR                                           |
| agree-scr-panel                  | INDEPENDENT_CHAIR                                           |
| choose-review-methodology        | LEARNING_PANEL (the method, or a review in another form)    |
| endorse-review-methodology       | INDEPENDENT_CHAIR                                           |
| agree-scr-terms-of-reference     | SCR_PANEL                                                   |
| hold-scr-panel-meeting           | SCR_PANEL, appointed to the review's team                   |
| record-scr-interview             | SCR_PANEL, appointed to the review's team                   |
| invite-family                    | SAFEGUARDING_BOARD (SCR only)                               |
| request-agency-checks            | HEAD_OF_SAFEGUARDING                                        |
| name-agency-contact              | HEAD_OF_SAFEGUARDING                                        |
| answer-agency-check              | AGENCY_CONTACT named for that agency                        |
| submit-chronology                | AGENCY_CONTACT named for that agency                        |
| circulate-review-papers          | HEAD_OF_SAFEGUARDING, appointed to the review's team (the administrator's dates, chronology template and ToR) |
| nominate-agency-representative   | AGENCY_CONTACT named for that agency                        |
| combine-chronologies             | HEAD_OF_SAFEGUARDING                                        |
| hold-review-meeting              | HEAD_OF_SAFEGUARDING or MALR_PANEL, appointed to the review's team |
| agree-findings                   | MALR_PANEL                                                  |
| complete-report                  | HEAD_OF_SAFEGUARDING, appointed to the review's team        |
| sign-off-report                  | SAFEGUARDING_BOARD (SCR only)                               |
| decide-on-publication            | SAFEGUARDING_BOARD (SCR only)                               |
| circulate-action-plan            | PERFORMANCE_DEVELOPMENT_MANAGER (each action: agency, owner, due date) |
| record-action-update             | AUDIT_MONITORING_SUBGROUP (one action's progress and evidence) |
| sign-off-action                  | AUDIT_MONITORING_SUBGROUP                                   |
| carry-over-action                | AUDIT_MONITORING_SUBGROUP                                   |
| record-dissemination-activity    | LEARNING_PANEL (for the Implementation and Training sub-groups) |
| record-dissemination-feedback    | LEARNING_PANEL                                              |
| tag-learning-themes              | LEARNING_PANEL                                              |
| record-action-plan-progress      | AUDIT_MONITORING_SUBGROUP                                   |
| report-to-qa-subgroup            | AUDIT_MONITORING_SUBGROUP                                   |
| report-to-board                  | QA_SUBGROUP (notifies the Board by exception)               |
| close-case                       | HEAD_OF_SAFEGUARDING                                        |
| appoint-review-team-member       | HEAD_OF_SAFEGUARDING (the chair nominated, the administrator, the reviewer) |
| release-review-team-member       | HEAD_OF_SAFEGUARDING                                        |

Who is on the review's team is recorded by actor id, appointed and released by events, because
the team's members read the case's personal data only while they are on it (DOMAIN.md §1.1).

Choices the seed leaves open, made here:
- "Methodology of review, timescales, terms of reference, interviews etc. To be agreed by SCR
  Panel": the terms of reference are the SCR Panel's (terms agreed before this rule, by the Service
  Director for the SCR Panel, still read as recorded).
- "The format of the review will be dependent on the methodology chosen by the Learning and
  Improvement Panel and endorsed by the Independent Chair": once an SCR is to be held, the Panel
  chooses the methodology (saying whether it is a review in another form, for a child who has not
  died), the Independent Chair endorses it or not, and the SCR Panel agrees terms of reference only
  on an endorsed methodology. A review in another form runs on the SCR steps.
- "If the Criteria for Serious Case Review appear likely to be met, the Head of Safeguarding will
  request that Agency reports are prepared": the Service Director's recommendation waits for
  that request (not for every report), and each report has the due date the request set.
- An SCR's report follows at least one SCR Panel meeting; an MALR meets only after the dates,
  chronology template and terms of reference are circulated. Each involved agency is asked to
  nominate its representative before the 1st meeting (a timescale, not a refusal).
- Meetings and the report are recorded only by a person appointed to this case's team (by actor id):
  the Head of Safeguarding (or the MALR panel, for a meeting) acts for the review only while on it.
- Agencies answer only for themselves: the Head of Safeguarding names each agency's contact by
  actor id (`name-agency-contact`), and an agency's answer, chronology, report or representative
  is taken only from one of its named contacts (`domain/routes/shared/agency_contacts.py`).
- The multi-agency action plan is circulated by the Performance and Development Manager, its
  progress monitored and reported to the QA Sub-group by the Audit and Monitoring Sub-group, and
  the QA Sub-group reports to the Board (by exception); steps recorded before this rule by the
  Head of Safeguarding or the Board still read as recorded.
- The multi-agency action plan is a list of actions (agency, description, named owner, due date),
  not a document reference alone; each action's progress and evidence is recorded, and the Audit
  and Monitoring Sub-group signs it off or carries it over to a named owner. The case closes only
  when none is open (`domain/routes/shared/actions.py`, the rules the mini and single-agency routes use).
  Plans circulated before as a document and free-text progress per agency still read as recorded.
"""

from __future__ import annotations

from typing import ClassVar

from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale
from domain.routes.panel import duties
from domain.routes.panel.actions import ActionSteps
from domain.routes.panel.completion import CompletionSteps
from domain.routes.panel.malr import MalrSteps
from domain.routes.panel.referral import ReferralSteps
from domain.routes.panel.scr import ScrSteps
from domain.routes.panel.state import Stage

__all__ = ["PanelReview"]


class PanelReview(ReferralSteps, ScrSteps, MalrSteps, ActionSteps, CompletionSteps):
    """One case referred to the Learning and Improvement Panel, from referral to closure."""

    kind: ClassVar[str] = "learning and improvement panel case"

    @property
    def stage(self) -> Stage:
        """Where the case stands, in the procedure's words."""
        return duties.progress(self)[0]

    def obligations(self) -> list[Obligation]:
        """What the procedure still needs, and from whom, as the case stands."""
        return duties.progress(self)[1]

    def timescales(self) -> list[Timescale]:
        """The timescales the Panel (and, for an SCR, the SCR Panel) set, as they stand."""
        return duties.timescales(self)
