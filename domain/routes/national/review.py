"""The National Learning Review, children's and adults' routes (seeds 001 and 002; DOMAIN.md §2.1).

One record per notification. Each step of the procedure is a command whose handler
checks who may take the step and the procedure's rules, and then records exactly one
event; a refused step raises and records nothing. The record is one class assembled
from modules a reader can take one at a time:

- `domain.routes.national.forms`: the forms' fields, and how each becomes `Personal` data;
- `domain.routes.national.commands`, `domain.routes.national.events` and
  `domain.routes.national.events_reporting`: one command and one event per step;
- `domain.routes.national.state`: the state, how each event changes it, stage and status;
- `domain.routes.national.duties`: obligations still open, and the timescales;
- `domain.routes.national.rules`: the checks every step shares (authority, order, inputs);
- `domain.routes.national.deciding`, `domain.routes.national.conduct`, `domain.routes.national.completion`,
  `domain.routes.national.family`, `domain.routes.national.reporting`, `domain.routes.national.actions`: the
  steps, from the notification to the decision, through the review, to closure.

The adult route (Adult Support and Protection, seed 002) is the same procedure with the
Adult Protection Committee deciding; it uses the same roles.

Authority (who may record each step; "officer" is the committee's officer, its nominated
person or sub-group, lead officer or administrator: `Role.CPC_OFFICER`):

| step                                                        | role                  |
|-------------------------------------------------------------|-----------------------|
| receive notification, pass it on, request information,      | officer               |
| name an agency's contact, record an agency's non-return,    |                       |
| make the recommendation                                     |                       |
| record an agency's return                                   | officer, or a contact |
|                                                             | named for that agency |
| decide to proceed / not to proceed                          | committee (CPC)       |
| inform COG, Notification Response, notify Care Inspectorate,| officer               |
| media approach, alternative approach, link a review         |                       |
| appoint / release Review Team members, family liaison       | officer               |
| strategy or the decision not to involve the family, the     |                       |
| family group, parallel-process checks, COPFS/SCRA liaison,  |                       |
| liaison with Police Scotland (seed 002)                     |                       |
| propose a terms-of-reference amendment                      | officer or reviewer   |
| agree / decline a terms-of-reference amendment              | committee             |
| request / receive chronologies, pause (with notice),        | officer               |
| resume, report a delay (the Chair's), child death dataset   |                       |
| Review Team meetings (minutes)                              | officer, appointed    |
| merge chronologies                                          | reviewer              |
| draft a report version                                      | the review's Reviewer |
| present the report to the committee / the COG               | its Reviewer or Chair |
| family meetings, practitioner and manager events, feedback  | reviewer or officer,  |
| to the family on the conclusion and on the process          | appointed to the team |
| emerging learning, why no event was held, informing the     | reviewer or officer   |
| family, family views on publication, dissemination and its  |                       |
| feedback, learning themes                                   |                       |
| sign off the report for the committee                       | committee             |
| sign off the report for the COG                             | COG                   |
| send the report to the Care Inspectorate, action progress   | officer               |
| (with its evidence), name an action's owner, report overdue  |                       |
| actions to the COG, publish the report or the learning      |                       |
| agree the action plan, sign off an action, recommend on      | committee             |
| publication, carry an action over, close                    |                       |
| decide on publication                                       | COG                   |

"Appointed" is the review's own appointment events (the relations `domain.governance.need_to_know` reads),
checked after the role: a reviewer not appointed to this review drafts nothing in it. The seeds
leave open who records the family group and the decision not to involve the family (we give them
to the officer, who records the team's decisions), who carries an action over (the committee,
which agreed the plan) and who liaises with Police Scotland (seed 002 names the liaison, not who
takes it: the officer records it, as it records the liaison with COPFS and SCRA).

The report is presented only once the review's work is done (`presentation_missing`, seed 001
section 4), and signed off by each body only as presented to it and with the contents seed 001
'The Report' asks for (`contents_missing`). Closure is refused while any obligation is open
(`obligations()`): the decision communicated; for a review that proceeded, the child death
dataset where a death is recorded, the report signed off by both bodies and sent to the Care
Inspectorate with an anonymised copy, the action plan agreed and every action completed or
signed off by the committee on its evidence, or carried over to a named owner, the publication decided and carried out (or the learning
published separately), the learning disseminated and the family given feedback on the conclusion
and asked about the process. Outstanding actions keep the review open on purpose: the record is
where the COG follows them, and closure is what later retention rules start from.
"""

from __future__ import annotations

from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale
from domain.routes.national.actions import ActionSteps
from domain.routes.national.completion import CompletionSteps
from domain.routes.national.conduct import ConductSteps
from domain.routes.national.deciding import DecidingSteps
from domain.routes.national.duties import obligations, timescales
from domain.routes.national.family import FamilySteps
from domain.routes.national.reporting import ReportingSteps
from domain.routes.national.state import Stage, Status

__all__ = ["NationalReview", "Stage", "Status"]


class NationalReview(DecidingSteps, ConductSteps, CompletionSteps, FamilySteps, ReportingSteps, ActionSteps):
    """A National Learning Review from notification to closure (see the module docstring)."""

    kind = "national learning review"

    def obligations(self) -> list[Obligation]:
        """What the procedure still requires before the review can close."""
        return obligations(self)

    def timescales(self) -> list[Timescale]:
        """The 6-week decision timescale and the 6- and 9-month completion timescales."""
        return timescales(self)
