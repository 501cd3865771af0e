"""The Serious Case Review route of a Panel case (seed 003, Referrals and flow chart).

The Service Director's recommendation, the Independent Chair's decision and the National
Panel's scrutiny; then the independent review, the SCR Panel, the methodology and terms of
reference, the agency reports, the family's invitation, and the SCR Panel's meetings and
interviews. The report, its sign-off and publication are in `domain.routes.panel.completion`.
"""

from __future__ import annotations

from datetime import datetime

from domain.governance.naming import checked_ids
from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, personal
from domain.kernel.roles import Acting
from domain.routes.panel.commands import (
    AgreeScrPanel,
    AgreeScrTermsOfReference,
    ChooseReviewMethodology,
    CommissionIndependentReview,
    DecideOnScr,
    EndorseReviewMethodology,
    HoldScrPanelMeeting,
    InformOfstedAndNationalPanel,
    InviteFamily,
    RecommendOnScr,
    RecordScrInterview,
    RequestAgencyReports,
    ScrutiniseDecision,
    SubmitAgencyReport,
)
from domain.routes.panel.events import (
    AgencyReportsRequested,
    AgencyReportSubmitted,
    FamilyInvited,
    IndependentReviewCommissioned,
    OfstedAndNationalPanelInformed,
    ReviewMethodologyChosen,
    ReviewMethodologyEndorsed,
    ScrDecidedV2,
    ScrInterviewRecorded,
    ScrPanelAgreed,
    ScrPanelMeetingHeld,
    ScrRecommendedV2,
    ScrTermsOfReferenceAgreedV2,
    ScrutinyConcludedV2,
)
from domain.routes.panel.forms import PanelDecision, require_subject, require_text, require_texts
from domain.routes.panel.rules import (
    RULE_AGENCY_REPORTS,
    RULE_METHODOLOGY,
    RULE_ORDER,
    RULE_SCR_DECISION,
    RULE_SCRUTINY,
    PanelReviewRules,
    not_before,
)


class ScrSteps(PanelReviewRules):
    """The Serious Case Review route, from the recommendation to the SCR Panel's interviews."""

    @handles(RecommendOnScr)
    def recommend_on_scr(self, command: RecommendOnScr, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        if s.scr_recommended is not None:
            self._refuse("the Service Director has already made a recommendation", RULE_SCR_DECISION)
        if not s.agency_reports:
            self._refuse(
                "the Head of Safeguarding requests agency reports before the recommendation",
                RULE_AGENCY_REPORTS,
            )
        require_text("reasons", command.reasons)
        self._record(
            ScrRecommendedV2(
                scr_required=command.scr_required,
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(DecideOnScr)
    def decide_on_scr(self, command: DecideOnScr, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        # seed 003, Referrals: the Independent Chair decides on the Service Director's recommendation.
        if s.scr_recommended is None:
            self._refuse(
                "the Independent Chair decides only after the Service Director's recommendation",
                RULE_SCR_DECISION,
            )
        if s.hold_scr is not None:
            self._refuse("the Independent Chair has already decided", RULE_SCR_DECISION)
        require_text("reasons", command.reasons)
        reasons = self._case_text(command, "reasons", command.reasons, Nature.OPINION)
        self._record(ScrDecidedV2(hold_scr=command.hold_scr, reasons=reasons, role=role, at=at))

    @handles(InformOfstedAndNationalPanel)
    def inform_ofsted_and_national_panel(
        self, command: InformOfstedAndNationalPanel, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        # seed 003, Referrals: "The Independent Chair will inform Ofsted and the SCR National Panel".
        if s.hold_scr is None:
            self._refuse("there is no SCR decision to tell Ofsted and the National Panel of", RULE_ORDER)
        if s.national_panel_informed_on is not None:
            self._refuse("Ofsted and the National Panel have already been informed", RULE_ORDER)
        decided = s.scr_decided_on
        not_before("ofsted_informed_on", command.ofsted_informed_on, decided, "the decision")
        not_before("national_panel_informed_on", command.national_panel_informed_on, decided, "the decision")
        self._record(
            OfstedAndNationalPanelInformed(
                hold_scr=bool(s.hold_scr),
                ofsted_informed_on=command.ofsted_informed_on,
                national_panel_informed_on=command.national_panel_informed_on,
                role=role,
                at=at,
            )
        )

    @handles(ScrutiniseDecision)
    def scrutinise_decision(self, command: ScrutiniseDecision, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        # seed 003, Referrals: "A decision not to hold a SCR will be subject to scrutiny by the
        # National Panel and the initial decision may be overturned" - only that decision, only once.
        if s.hold_scr is not False:
            self._refuse(
                "only a decision not to hold an SCR is scrutinised by the National Panel",
                RULE_SCRUTINY,
            )
        if s.scrutiny is not None:
            self._refuse("the National Panel has already concluded its scrutiny", RULE_SCRUTINY)
        if not self.under_scrutiny:
            self._refuse(
                "the decision is not under scrutiny until the National Panel has been informed of it",
                RULE_SCRUTINY,
            )
        require_text("reasons", command.reasons)
        reasons = self._case_text(command, "reasons", command.reasons, Nature.OPINION)
        self._record(ScrutinyConcludedV2(outcome=command.outcome, reasons=reasons, role=role, at=at))

    @handles(CommissionIndependentReview)
    def commission_independent_review(
        self, command: CommissionIndependentReview, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.reviewer_commissioned_on is not None:
            self._refuse("the independent review has already been commissioned", RULE_ORDER)
        require_subject("reviewer_subject", command.reviewer_subject)
        require_text("reviewer_name", command.reviewer_name)
        reviewer = personal(command.reviewer_name, command.reviewer_subject, kind=ItemKind.NAME)
        self._record(IndependentReviewCommissioned(reviewer=reviewer, lead=command.lead, role=role, at=at))

    @handles(AgreeScrPanel)
    def agree_scr_panel(self, command: AgreeScrPanel, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.reviewer_commissioned_on is None:
            self._refuse("commission the independent review before agreeing the SCR Panel", RULE_ORDER)
        if s.scr_panel_agencies:
            self._refuse("the SCR Panel has already been agreed", RULE_ORDER)
        require_texts("agencies", command.agencies)
        self._record(ScrPanelAgreed(agencies=command.agencies, role=role, at=at))

    @handles(AgreeScrTermsOfReference)
    def agree_scr_terms_of_reference(
        self, command: AgreeScrTermsOfReference, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        # seed 003, flow chart: methodology, timescales and terms of reference "agreed by SCR Panel".
        if not s.scr_panel_agencies:
            self._refuse("the SCR Panel agrees the terms of reference: agree it first", RULE_ORDER)
        if s.scr_tor_agreed_on is not None:
            self._refuse("the SCR terms of reference are already agreed", RULE_ORDER)
        if s.methodology_endorsed is not True:
            self._refuse(
                "the terms of reference follow a methodology chosen by the Learning and Improvement Panel "
                "and endorsed by the Independent Chair",
                RULE_METHODOLOGY,
            )
        require_text("methodology", command.methodology)
        require_texts("scope", command.scope)
        if command.period_from > command.period_to:
            raise InvalidInput("period_to", "the period under review must end after it starts")
        not_before("report_due", command.report_due, at.date(), "today")
        self._record(
            ScrTermsOfReferenceAgreedV2(
                methodology=self._case_text(command, "methodology", command.methodology),
                scope=tuple(self._case_text(command, "scope", item) for item in command.scope),
                period_from=command.period_from,
                period_to=command.period_to,
                report_due=command.report_due,
                role=role,
                at=at,
            )
        )

    @handles(InviteFamily)
    def invite_family(self, command: InviteFamily, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._not_malr("families are not invited to take part in a Multi-Agency Learning Review")
        s = self._scr_being_held()
        if not command.family_members:
            raise InvalidInput("family_members", "must name at least one")
        for subject in command.family_members:
            require_subject("family_members", subject)
        again = set(command.family_members) & set(s.families_invited)
        if again or len(set(command.family_members)) != len(command.family_members):
            self._refuse("each family member is invited once", RULE_ORDER)
        self._record(FamilyInvited(family_members=command.family_members, role=role, at=at))

    @handles(RequestAgencyReports)
    def request_agency_reports(self, command: RequestAgencyReports, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        if s.scr_recommended is not None:
            self._refuse(
                "agency reports are requested before the recommendation on an SCR", RULE_AGENCY_REPORTS
            )
        require_texts("agencies", command.agencies)
        already = sorted(set(command.agencies) & set(s.agency_reports))
        if already:
            self._refuse(f"already asked for a report: {', '.join(already)}", RULE_AGENCY_REPORTS)
        not_before("requested_on", command.requested_on, s.decided_on, "the Panel's decision")
        not_before("due_on", command.due_on, command.requested_on, "the request")
        self._record(
            AgencyReportsRequested(
                agencies=command.agencies,
                requested_on=command.requested_on,
                due_on=command.due_on,
                role=role,
                at=at,
            )
        )

    @handles(SubmitAgencyReport)
    def submit_agency_report(self, command: SubmitAgencyReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        report = s.agency_reports.get(command.agency)
        if report is None:
            self._refuse(f"{command.agency} was not asked for an agency report", RULE_AGENCY_REPORTS)
        self._require_contact(command.agency, by, "submitting an agency report")
        if report.submitted_on is not None:
            self._refuse(f"{command.agency}'s agency report is already in", RULE_AGENCY_REPORTS)
        require_text("document", command.document)
        not_before("submitted_on", command.submitted_on, report.requested_on, "the request")
        self._record(
            AgencyReportSubmitted(
                agency=command.agency,
                document=command.document,
                submitted_on=command.submitted_on,
                role=role,
                at=at,
            )
        )

    @handles(ChooseReviewMethodology)
    def choose_review_methodology(self, command: ChooseReviewMethodology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.scr_tor_agreed_on is not None:
            self._refuse("the terms of reference are already agreed on a methodology", RULE_METHODOLOGY)
        if s.methodology is not None and s.methodology_endorsed is not False:
            self._refuse(
                "a methodology is already chosen: the Independent Chair endorses it, or not, first",
                RULE_METHODOLOGY,
            )
        self._record(
            ReviewMethodologyChosen(
                methodology=command.methodology,
                in_another_form=command.in_another_form,
                chosen_on=command.chosen_on,
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(EndorseReviewMethodology)
    def endorse_review_methodology(self, command: EndorseReviewMethodology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.methodology is None or s.methodology_endorsed is not None:
            self._refuse(
                "there is no methodology awaiting the Independent Chair's endorsement", RULE_METHODOLOGY
            )
        self._record(
            ReviewMethodologyEndorsed(
                endorsed=command.endorsed,
                decided_on=command.decided_on,
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(HoldScrPanelMeeting)
    def hold_scr_panel_meeting(self, command: HoldScrPanelMeeting, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_conducted(by, "recording an SCR Panel meeting")
        if s.scr_panel_meetings:
            not_before("held_on", command.held_on, s.scr_panel_meetings[-1], "the last SCR Panel meeting")
        require_texts("agencies_attending", command.agencies_attending)
        self._record(
            ScrPanelMeetingHeld(
                held_on=command.held_on,
                agencies_attending=command.agencies_attending,
                minutes=self._case_text(command, "minutes", command.minutes),
                role=role,
                at=at,
            )
        )

    @handles(RecordScrInterview)
    def record_scr_interview(self, command: RecordScrInterview, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._scr_conducted(by, "recording an SCR interview")
        require_subject("interviewee", command.interviewee)
        interviewee = command.interviewee
        require_text("agency", command.agency)
        require_text("notes", command.notes)
        about = dict.fromkeys((*self._child(), interviewee, *checked_ids("about", command.about)))
        by_whom = None if command.by is None else checked_ids("by", (command.by,))[0]
        notes = personal(command.notes, *about, kind=ItemKind.NARRATIVE, by=by_whom)
        self._record(
            ScrInterviewRecorded(
                held_on=command.held_on,
                interviewee=interviewee,
                agency=command.agency,
                notes=notes,
                role=role,
                at=at,
            )
        )
