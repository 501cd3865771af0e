"""The checks every step of a Learning and Improvement Panel case shares: authority, order, inputs.

Each check raises before anything is recorded, so a refused step leaves the record as it was.
`RuleViolation.rule` and the constants below cite where each rule comes from (seed 003, by its
headings).
"""

from __future__ import annotations

from datetime import date, datetime

from domain.governance.naming import Naming, checked_ids
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, Personal, personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.routes.panel.forms import PanelDecision, require_subject, require_text
from domain.routes.panel.state import AgencyCheck, PanelCaseRecord, PanelCaseState
from domain.routes.panel.steps import STEPS
from domain.routes.shared.actions import CarryOverAction, SignOffAction
from domain.routes.shared.agency_contacts import require_contact

# Where each rule comes from (seed 003, by its headings).
RULE_CLOSED = "seed 003: a closed case takes no further steps"
RULE_ORDER = "seed 003, flow chart: each route's steps in order"
RULE_ONE_DECISION = "seed 003, Panel meeting: the Panel decides once on the level of review"
RULE_SCR_CHAIR = "seed 003, Chair arrangements: an SCR is considered by the Service Director's panel"
RULE_SCR_DECISION = "seed 003, Referrals: the Service Director recommends; the Independent Chair decides"
RULE_SCRUTINY = (
    "seed 003, Referrals: a decision not to hold an SCR is scrutinised by the National Panel"
    " and may be overturned"
)
RULE_AGENCY_CHECKS = "seed 003, Process for MALR: every agency advises whether it has any involvement or not"
RULE_CHRONOLOGIES = "seed 003, Process for MALR: involved agencies' chronologies are combined as the skeleton"
RULE_MEETINGS = "seed 003, Process for MALR: generally conducted in one or two meetings"
RULE_MALR_PRIVATE = "seed 003, Process for MALR: MALRs are not published and families are not invited"
RULE_SIGN_OFF = "seed 003, flow chart: the SCR is signed off by the SSCB"
RULE_BIMONTHLY = "seed 003, Frequency: the Panel is held bi-monthly"
RULE_PANEL_TIMESCALES = "seed 003, flow chart: initial terms of reference timescales set by Panel"
RULE_SCR_TIMESCALES = "seed 003, flow chart: timescales agreed by the SCR Panel"
RULE_TEAM = "seed 003, Process for MALR: chair nominated; the administrator circulates dates and templates"
RULE_AGENCY_REPORTS = (
    "seed 003, Referrals: the Head of Safeguarding requests that agency reports are prepared"
)
RULE_METHODOLOGY = (
    "seed 003, Referrals: the methodology chosen by the Learning and Improvement Panel and endorsed by"
    " the Independent Chair"
)
RULE_PAPERS = (
    "seed 003, Process for MALR: the dates, chronology template and terms of reference are circulated"
    " to give time for preparation"
)
RULE_REPRESENTATIVES = "seed 003, flow chart: contributing agencies asked to nominate a representative"


class PanelReviewRules(PanelCaseRecord):
    """The shared checks; the steps themselves are in the modules `domain.routes.panel.review` names."""

    # -- guards (each raises; none changes state) ---------------------------------------

    def _authorise(self, command: Command, by: Acting, chairing: bool = False) -> Role:
        step = STEPS[type(command)]
        roles = step.roles + step.chair if chairing else step.roles
        return require_any_role(by, roles, action=step.doing, record=self.reference)

    def _child(self) -> tuple[str, ...]:
        return (self.state.child_subject,) if self.state.child_subject else ()

    def _case_text(self, named: Naming, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        """A free text of a step, sealed: about the child and whoever else the step names."""
        require_text(field, text)
        about = dict.fromkeys((*self._child(), *checked_ids("about", named.about)))
        by = None if named.by is None else checked_ids("by", (named.by,))[0]
        return personal(text, *about, kind=ItemKind.NARRATIVE, nature=nature, by=by)

    # -- how the steps every route shares are checked, dated and sealed here -----------

    def _begin(self, command: Command, by: Acting) -> Role:
        """The steps every route shares: the action plan's once the MALR is set up, the learning's
        while the review is under way (an SCR being held, or an MALR set up)."""
        role = self._authorise(command, by)
        if isinstance(command, SignOffAction | CarryOverAction):
            self._malr_set_up()
        else:
            self._under_review()
        return role

    def _dated(self, at: datetime, field: str, on: date) -> date:
        return on  # the Panel's steps have always taken the date given

    def _subject(self, field: str, subject_id: str) -> str:
        require_subject(field, subject_id)
        return subject_id

    def _open(self) -> PanelCaseState:
        if self.closed:
            self._refuse("the case is closed", RULE_CLOSED)
        return self.state

    def _referred(self) -> PanelCaseState:
        s = self._open()
        if s.referred_on is None:
            self._refuse("no referral has been received for this case", RULE_ORDER)
        return s

    def _awaiting_decision(self) -> PanelCaseState:
        s = self._referred()
        if s.decision is not None:
            self._refuse("the Panel has already decided on this case", RULE_ONE_DECISION)
        if s.panel_meeting_on is None:
            self._refuse("the referral has not been circulated to the Panel yet", RULE_ORDER)
        return s

    def _on_route(self, route: PanelDecision) -> PanelCaseState:
        s = self._referred()
        if s.decision is not route:
            words = "an SCR" if route is PanelDecision.SCR_CRITERIA_MET else "a Multi-Agency Learning Review"
            self._refuse(f"the Panel has not decided on {words} for this case", RULE_ORDER)
        return s

    def _scr_being_held(self) -> PanelCaseState:
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        if not self.scr_held:
            self._refuse("no SCR is being held for this case", RULE_SCR_DECISION)
        return s

    def _not_malr(self, refusal: str) -> None:
        # seed 003, Process for MALR: "It is not intended that MALR's will be published or that
        # families will be invited to take part in the reviews".
        self._open()
        if self.branch == "malr":
            self._refuse(refusal, RULE_MALR_PRIVATE)

    def _malr_set_up(self) -> PanelCaseState:
        s = self._on_route(PanelDecision.MALR)
        if s.concluded_on is None:
            self._refuse("the Panel's conclusion has not been recorded yet", RULE_ORDER)
        return s

    def _under_review(self) -> PanelCaseState:
        return self._malr_set_up() if self.branch == "malr" else self._scr_being_held()

    def _scr_conducted(self, by: Acting, doing: str) -> PanelCaseState:
        """An SCR under way on agreed terms of reference, its report not yet written, `by` on its team."""
        s = self._scr_being_held()
        if s.scr_tor_agreed_on is None:
            self._refuse("the SCR is conducted on agreed terms of reference: agree them first", RULE_ORDER)
        if s.report_on is not None:
            self._refuse("the report is already completed", RULE_ORDER)
        self._require_on_team(by, doing)
        return s

    def _agencies_asked(self) -> set[str]:
        """Every agency this case has asked for something."""
        return set(self.state.agencies) | set(self.state.agency_reports)

    def _require_contact(self, agency: str, by: Acting, doing: str) -> None:
        require_contact(self.contacts, agency, by, doing=doing, record=self.reference)

    def _require_on_team(self, by: Acting, doing: str) -> None:
        if by.actor not in self.team:
            self._refuse(
                f"{doing} is for the people appointed to this case's team; {by.actor} is not on it", RULE_TEAM
            )

    def _asked(self, agency: str) -> AgencyCheck:
        s = self._malr_set_up()
        check = s.agencies.get(agency)
        if check is None:
            self._refuse(f"{agency} was not asked for an agency check", RULE_AGENCY_CHECKS)
        return check


def not_before(field: str, value: date, earliest: date | None, what: str) -> None:
    """A date cannot come before the step it follows from.

    The check `domain.kernel.steps.not_before` makes, in the words this route's refusals have always
    used ("must not be before ..."), which its callers and tests read.
    """
    if earliest is not None and value < earliest:
        raise InvalidInput(field, f"must not be before {what} ({earliest.isoformat()})")
