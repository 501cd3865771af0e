"""The Multi-Agency Learning Review route of a Panel case (seed 003, Process for MALR).

The agency checks and who answers for each agency, the review's papers, the agencies'
representatives and chronologies, the one or two review meetings and the agreed findings.
The action plan and its monitoring are in `domain.routes.panel.actions`.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.event import ItemKind, Nature, personal
from domain.kernel.roles import Acting
from domain.routes.panel.commands import (
    AgreeFindings,
    AnswerAgencyCheck,
    CirculateReviewPapers,
    CombineChronologies,
    HoldReviewMeeting,
    Involvement,
    NameAgencyContact,
    NominateAgencyRepresentative,
    RequestAgencyChecks,
    SubmitChronology,
)
from domain.routes.panel.events import (
    AgencyCheckAnswered,
    AgencyChecksRequested,
    AgencyContactNamed,
    AgencyRepresentativeNominated,
    ChronologiesCombined,
    ChronologySubmitted,
    FindingsAgreedV2,
    ReviewMeetingHeld,
    ReviewPapersCirculated,
)
from domain.routes.panel.forms import require_subject, require_text, require_texts
from domain.routes.panel.rules import (
    RULE_AGENCY_CHECKS,
    RULE_CHRONOLOGIES,
    RULE_MEETINGS,
    RULE_ORDER,
    RULE_PAPERS,
    RULE_REPRESENTATIVES,
    PanelReviewRules,
    not_before,
)
from domain.routes.shared.agency_contacts import name_contact


class MalrSteps(PanelReviewRules):
    """The Multi-Agency Learning Review route, from the agency checks to the agreed findings."""

    @handles(RequestAgencyChecks)
    def request_agency_checks(self, command: RequestAgencyChecks, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.chronologies_combined_on is not None:
            self._refuse("the chronologies are already combined", RULE_CHRONOLOGIES)
        require_texts("agencies", command.agencies)
        already = sorted(set(command.agencies) & set(s.agencies))
        if already:
            self._refuse(f"already asked: {', '.join(already)}", RULE_AGENCY_CHECKS)
        self._record(AgencyChecksRequested(agencies=command.agencies, role=role, at=at))

    @handles(CirculateReviewPapers)
    def circulate_review_papers(self, command: CirculateReviewPapers, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        self._require_on_team(by, "circulating the review's papers")
        if not s.agencies:
            self._refuse("the papers go to the agencies asked: request the agency checks first", RULE_PAPERS)
        if s.papers_circulated_on is not None:
            self._refuse("the review's papers are already circulated", RULE_PAPERS)
        require_text("chronology_template", command.chronology_template)
        require_text("terms_of_reference", command.terms_of_reference)
        require_texts("agencies", command.agencies)
        not_asked = sorted(set(command.agencies) - set(s.agencies))
        if not_asked:
            self._refuse(f"not asked for an agency check: {', '.join(not_asked)}", RULE_PAPERS)
        not_before("circulated_on", command.circulated_on, s.concluded_on, "the Panel's conclusion")
        self._record(
            ReviewPapersCirculated(
                circulated_on=command.circulated_on,
                chronology_template=command.chronology_template,
                terms_of_reference=command.terms_of_reference,
                agencies=command.agencies,
                role=role,
                at=at,
            )
        )

    @handles(NominateAgencyRepresentative)
    def nominate_agency_representative(
        self, command: NominateAgencyRepresentative, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        check = self._asked(command.agency)
        self._require_contact(command.agency, by, "nominating a representative")
        if check.involvement is not Involvement.INVOLVED:
            self._refuse(
                f"a contributing agency nominates a representative; {command.agency} has not stated involvement",
                RULE_REPRESENTATIVES,
            )
        if command.agency in self.state.representatives:
            self._refuse(f"{command.agency} has already nominated its representative", RULE_REPRESENTATIVES)
        require_subject("representative_subject", command.representative_subject)
        subject = command.representative_subject
        require_text("representative_name", command.representative_name)
        self._record(
            AgencyRepresentativeNominated(
                agency=command.agency,
                representative_subject=subject,
                representative_name=personal(command.representative_name, subject, kind=ItemKind.NAME),
                nominated_on=command.nominated_on,
                role=role,
                at=at,
            )
        )

    @handles(NameAgencyContact)
    def name_agency_contact(self, command: NameAgencyContact, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        name_contact(self.contacts, command.agency, command.actor_id)
        if command.agency not in self._agencies_asked():
            self._refuse(f"{command.agency} has not been asked for anything in this case", RULE_AGENCY_CHECKS)
        not_before("named_on", command.named_on, s.referred_on, "the referral")
        self._record(
            AgencyContactNamed(
                agency=command.agency, actor_id=command.actor_id, named_on=command.named_on, role=role, at=at
            )
        )

    @handles(AnswerAgencyCheck)
    def answer_agency_check(self, command: AnswerAgencyCheck, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        check = self._asked(command.agency)
        self._require_contact(command.agency, by, "answering the agency check")
        if check.involvement is not None:
            self._refuse(f"{command.agency} has already answered the agency check", RULE_AGENCY_CHECKS)
        self._record(
            AgencyCheckAnswered(agency=command.agency, involvement=command.involvement, role=role, at=at)
        )

    @handles(SubmitChronology)
    def submit_chronology(self, command: SubmitChronology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        check = self._asked(command.agency)
        self._require_contact(command.agency, by, "submitting a chronology")
        s = self.state
        # seed 003, Process for MALR: "Agencies who are involved will be asked to complete a chronology".
        if check.involvement is not Involvement.INVOLVED:
            self._refuse(
                f"only an agency that has stated involvement submits a chronology; {command.agency} has not",
                RULE_CHRONOLOGIES,
            )
        if check.chronology is not None or s.chronologies_combined_on is not None:
            self._refuse(f"{command.agency}'s chronology is already in", RULE_CHRONOLOGIES)
        require_text("document", command.document)
        assert s.chronologies_from is not None  # set with the Panel's conclusion
        assert s.chronologies_to is not None
        # Conclusion form: "Chronologies will be required from agencies to cover those dates."
        if command.covers_from > s.chronologies_from or command.covers_to < s.chronologies_to:
            self._refuse(
                f"the chronology must cover {s.chronologies_from.isoformat()} to "
                f"{s.chronologies_to.isoformat()}, the dates the Panel set",
                RULE_CHRONOLOGIES,
            )
        self._record(
            ChronologySubmitted(
                agency=command.agency,
                document=command.document,
                covers_from=command.covers_from,
                covers_to=command.covers_to,
                role=role,
                at=at,
            )
        )

    @handles(CombineChronologies)
    def combine_chronologies(self, command: CombineChronologies, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.chronologies_combined_on is not None:
            self._refuse("the chronologies are already combined", RULE_CHRONOLOGIES)
        if not s.agencies:
            self._refuse("no agency checks have been requested yet", RULE_AGENCY_CHECKS)
        # seed 003, Process for MALR: the checks are complete only when every agency asked answered.
        waiting = sorted(name for name, c in s.agencies.items() if c.involvement is None)
        if waiting:
            self._refuse(
                f"the agency checks are not complete: no answer yet from {', '.join(waiting)}",
                RULE_AGENCY_CHECKS,
            )
        involved = tuple(n for n, c in s.agencies.items() if c.involvement is Involvement.INVOLVED)
        missing = sorted(n for n in involved if s.agencies[n].chronology is None)
        if missing:
            self._refuse(f"no chronology yet from {', '.join(missing)}", RULE_CHRONOLOGIES)
        if not involved:
            self._refuse("no agency stated involvement, so there is nothing to combine", RULE_CHRONOLOGIES)
        require_text("document", command.document)
        self._record(ChronologiesCombined(document=command.document, agencies=involved, role=role, at=at))

    @handles(HoldReviewMeeting)
    def hold_review_meeting(self, command: HoldReviewMeeting, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        self._require_on_team(by, "recording a review meeting")
        # The combined chronologies are "the skeleton of the review": no meeting before them.
        if s.chronologies_combined_on is None:
            self._refuse("the review meets once the chronologies are combined", RULE_CHRONOLOGIES)
        if s.papers_circulated_on is None:
            self._refuse(
                "the dates, chronology template and terms of reference are circulated before the review meets",
                RULE_PAPERS,
            )
        if s.findings_agreed_on is not None:
            self._refuse("the findings are already agreed", RULE_MEETINGS)
        expected = len(s.meetings_held) + 1
        if expected > 2:
            self._refuse("an MALR has at most two meetings", RULE_MEETINGS)
        if command.number != expected:
            self._refuse(f"the next meeting is meeting {expected}", RULE_MEETINGS)
        if s.meetings_held:
            not_before("held_on", command.held_on, s.meetings_held[-1], "the 1st meeting")
        require_texts("agencies_attending", command.agencies_attending)
        self._record(
            ReviewMeetingHeld(
                number=command.number,
                held_on=command.held_on,
                agencies_attending=command.agencies_attending,
                role=role,
                at=at,
            )
        )

    @handles(AgreeFindings)
    def agree_findings(self, command: AgreeFindings, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if not s.meetings_held:
            self._refuse("findings are agreed at a review meeting; none has been held", RULE_MEETINGS)
        if s.findings_agreed_on is not None:
            self._refuse("the findings are already agreed", RULE_ORDER)
        require_texts("findings", command.findings)
        require_texts("recommendations", command.recommendations)
        self._record(
            FindingsAgreedV2(
                findings=tuple(
                    self._case_text(command, "findings", f, Nature.OPINION) for f in command.findings
                ),
                recommendations=tuple(
                    self._case_text(command, "recommendations", r) for r in command.recommendations
                ),
                role=role,
                at=at,
            )
        )
