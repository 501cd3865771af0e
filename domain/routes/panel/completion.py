"""The last steps of a Panel case on either route: the report, the Board's sign-off, publication, closure."""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.event import Nature
from domain.kernel.roles import Acting
from domain.routes.panel.commands import CloseCase, CompleteReport, DecideOnPublication, SignOffReport
from domain.routes.panel.events import CaseClosedV2, PublicationDecidedV2, ReportCompleted, ReportSignedOff
from domain.routes.panel.forms import PanelDecision, require_text
from domain.routes.panel.rules import RULE_ORDER, RULE_SCR_TIMESCALES, RULE_SIGN_OFF, PanelReviewRules


class CompletionSteps(PanelReviewRules):
    """The report, the Board's sign-off and publication, and closing the case."""

    @handles(CompleteReport)
    def complete_report(self, command: CompleteReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._under_review()
        self._require_on_team(by, "completing the report")
        if self.branch == "malr" and s.findings_agreed_on is None:
            self._refuse("the report follows the agreed findings and recommendations", RULE_ORDER)
        if self.branch == "scr" and s.scr_tor_agreed_on is None:
            self._refuse("the SCR is conducted on agreed terms of reference: agree them first", RULE_ORDER)
        if self.branch == "scr" and not s.scr_panel_meetings:
            self._refuse("the SCR Panel has not met yet", RULE_SCR_TIMESCALES)
        if s.report_on is not None:
            self._refuse("the report is already completed", RULE_ORDER)
        require_text("document", command.document)
        self._record(ReportCompleted(form=command.form, document=command.document, role=role, at=at))

    @handles(SignOffReport)
    def sign_off_report(self, command: SignOffReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.report_on is None:
            self._refuse("the Board signs off a report: there is no report yet", RULE_SIGN_OFF)
        if s.signed_off_on is not None:
            self._refuse("the report is already signed off", RULE_SIGN_OFF)
        require_text("minute", command.minute)
        self._record(ReportSignedOff(minute=command.minute, role=role, at=at))

    @handles(DecideOnPublication)
    def decide_on_publication(self, command: DecideOnPublication, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._not_malr("a Multi-Agency Learning Review is not published")
        s = self._scr_being_held()
        if s.signed_off_on is None:
            self._refuse("publication is considered after the Board's sign-off", RULE_SIGN_OFF)
        if s.publish is not None:
            self._refuse("publication has already been decided", RULE_ORDER)
        require_text("reasons", command.reasons)
        reasons = self._case_text(command, "reasons", command.reasons, Nature.OPINION)
        self._record(PublicationDecidedV2(publish=command.publish, reasons=reasons, role=role, at=at))

    @handles(CloseCase)
    def close_case(self, command: CloseCase, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        if s.decision is None:
            self._refuse("the Panel has not decided on the case yet", RULE_ORDER)
        unfinished = self._unfinished_for_closure()
        if unfinished:
            self._refuse(f"the case cannot close yet: {unfinished}", RULE_ORDER)
        require_text("reasons", command.reasons)
        self._record(
            CaseClosedV2(reasons=self._case_text(command, "reasons", command.reasons), role=role, at=at)
        )

    def _unfinished_for_closure(self) -> str | None:
        """What still keeps the case open on its route, in words for the refusal; None when nothing does."""
        s = self.state
        if s.decision is PanelDecision.MALR:
            if not s.reported_to_board_on:
                return "the findings are not yet reported to the Board"
            still = self.plan.open_actions()
            if still:
                return f"actions are open ({', '.join(still)}): sign them off, or carry them over to a named owner"
            return None
        if s.decision is PanelDecision.SCR_CRITERIA_MET:
            if s.national_panel_informed_on is None:
                return "Ofsted and the National Panel have not been informed of the SCR decision"
            if self.under_scrutiny:
                return "the National Panel is still scrutinising the decision not to hold an SCR"
            if self.scr_held and s.publish is None:
                return "the SCR's publication has not been considered"
        return None
