"""The National Learning Review, children's and adults' routes (seeds 001 and 002; DOMAIN.md §2.1).

One record per notification. Each step of the procedure is a command whose handler
checks who may take the step and the procedure's rules, and then records exactly one
event; a refused step raises and records nothing. The record is one class assembled
from modules a reader can take one at a time:

- `domain.routes.national.forms`: the forms' fields, and how each becomes `Personal` data;
- `domain.routes.national.commands` and `domain.routes.national.events`: one command and one event per step;
- `domain.routes.national.state`: the state, how each event changes it, stage and status;
- `domain.routes.national.duties`: obligations still open, and the timescales;
- `domain.routes.national.rules`: the checks every step shares (authority, order, inputs);
- `domain.routes.national.deciding`, `domain.routes.national.conduct`, `domain.routes.national.reporting`:
  the steps, from the notification to the decision, through the review, to closure.

The adult route (Adult Support and Protection, seed 002) is the same procedure with the
Adult Protection Committee deciding; it uses the same roles.

Authority (who may record each step; "officer" is the committee's officer, its nominated
person or sub-group, lead officer or administrator: `Role.CPC_OFFICER`):

| step                                                        | role                  |
|-------------------------------------------------------------|-----------------------|
| receive notification, pass it on, request information,      | officer               |
| record agency returns, make the recommendation              |                       |
| decide to proceed / not to proceed                          | committee (CPC)       |
| inform COG, Notification Response, notify Care Inspectorate,| officer               |
| media approach, alternative approach, link a review         |                       |
| appoint / release Review Team members, family liaison       | officer               |
| strategy, parallel-process checks, COPFS/SCRA liaison       |                       |
| propose a terms-of-reference amendment                      | officer or reviewer   |
| agree / decline a terms-of-reference amendment              | committee             |
| request / receive chronologies, team meetings (minutes),    | officer               |
| pause, resume, report a delay, child death dataset          |                       |
| merge chronologies, draft a report version                  | reviewer              |
| family contacts, practitioner and manager events, emerging  | reviewer or officer   |
| learning, family views on publication, dissemination,       |                       |
| feedback to the family                                      |                       |
| sign off the report for the committee                       | committee             |
| sign off the report for the COG                             | COG                   |
| send the report to the Care Inspectorate, action progress,  | officer               |
| publish the report, publish the learning separately         |                       |
| agree the action plan, recommend on publication, close      | committee             |
| decide on publication                                       | COG                   |

Closure is refused while any obligation is open (`obligations()`): the decision
communicated; for a review that proceeded, the report signed off by both bodies and
sent to the Care Inspectorate with an anonymised copy, the action plan agreed and every
action completed, the publication decided and carried out (or the learning published
separately), the learning disseminated and the family given feedback. Outstanding
actions keep the review open on purpose: the record is where the COG follows them, and
closure is what later retention rules start from.
"""

from __future__ import annotations

from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale
from domain.routes.national.completion import CompletionSteps
from domain.routes.national.conduct import ConductSteps
from domain.routes.national.deciding import DecidingSteps
from domain.routes.national.duties import obligations, timescales
from domain.routes.national.family import FamilySteps
from domain.routes.national.reporting import ReportingSteps
from domain.routes.national.state import Stage, Status

__all__ = ["NationalReview", "Stage", "Status"]


class NationalReview(DecidingSteps, ConductSteps, CompletionSteps, FamilySteps, ReportingSteps):
    """A National Learning Review from notification to closure (see the module docstring)."""

    kind = "national learning review"

    def obligations(self) -> list[Obligation]:
        """What the procedure still requires before the review can close."""
        return obligations(self)

    def timescales(self) -> list[Timescale]:
        """The 6-week decision clock and the 6- and 9-month completion clocks."""
        return timescales(self)
