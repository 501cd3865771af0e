"""What the record of every route does alike: refuse a step with the rule it cites, and say how it dates and seals a step.

The steps written once for every route (`domain.routes.shared.dissemination`,
`domain.routes.shared.actions`) check who takes a step and whether the record allows it now,
check its date, seal its free text and check a data subject's id through the methods here; each
route answers them with its own step table and in its own words, as its own steps always have.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NoReturn

from domain.governance.naming import Naming
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import RuleViolation
from domain.kernel.event import Nature, Personal
from domain.kernel.roles import Acting, Role


class RouteRecord(Aggregate):
    """A review's record on any route: its refusals, and the route's own checks the shared steps call."""

    def _refuse(self, message: str, rule: str) -> NoReturn:
        raise RuleViolation(message, rule=rule, record=self.reference)

    def _begin(self, command: Command, by: Acting) -> Role:
        """Check who is acting and whether the step is possible now; return the role recorded."""
        raise NotImplementedError

    def _dated(self, at: datetime, field: str, on: date) -> date:
        """The date a step gives, checked as the route checks its steps' dates."""
        raise NotImplementedError

    def _case_text(self, named: Naming, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        """A step's free text about the case, sealed as the personal data of whom the route says it is about."""
        raise NotImplementedError

    def _subject(self, field: str, subject_id: str) -> str:
        """The data-subject id a step's `field` names, checked as the route checks it."""
        raise NotImplementedError
