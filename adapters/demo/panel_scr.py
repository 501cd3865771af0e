"""Demo script: LIP-2026-002, a short Serious Case Review case (seed 003). Everything is invented.

The Independent Chair decides not to hold an SCR, and the National Panel overturns that decision.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.demo.cast import DemoStep
from adapters.demo.panel_script import AGENCY, AGENCY_2, CHAIR, DIRECTOR, HEAD, NATIONAL, SCR, SCR_PANEL
from domain.kernel.command import Command
from domain.routes.panel.commands import (
    AgreeScrPanel,
    AgreeScrTermsOfReference,
    AppointTeamMember,
    ChooseReviewMethodology,
    CirculateReferral,
    CommissionIndependentReview,
    DecideOnReview,
    DecideOnScr,
    EndorseReviewMethodology,
    HoldScrPanelMeeting,
    InformOfstedAndNationalPanel,
    NameAgencyContact,
    PanelTeamRole,
    RecommendOnScr,
    RecordScrInterview,
    RequestAgencyReports,
    ReviewerLead,
    ReviewMethodology,
    ScrutiniseDecision,
    ScrutinyOutcome,
    SubmitAgencyReport,
)
from domain.routes.panel.forms import (
    EthnicGroup,
    FamilyMemberDetails,
    ImmigrationStatus,
    IncidentType,
    OfstedNotified,
    PanelDecision,
    ReferCase,
    Sex,
)
from domain.routes.panel.review import (
    PanelReview,
)


def scr_steps(start: datetime) -> list[DemoStep]:
    """LIP-2026-002: not to hold an SCR, overturned by the National Panel."""

    def day(n: int) -> date:
        return (start + timedelta(days=n)).date()

    script: list[tuple[int, str, Command, str]] = [
        (0, HEAD, _scr_referral(day(0)), "Referral Form A from the police"),
        (
            2,
            HEAD,
            CirculateReferral(meeting_on=day(9), scr_likely=True),
            "an SCR looks likely: an SCR Consideration Panel",
        ),
        (
            9,
            DIRECTOR,
            DecideOnReview(
                meeting_on=day(9),
                decision=PanelDecision.SCR_CRITERIA_MET,
                reasons="Serious harm to an infant with agencies involved; criteria appear met.",
            ),
            "the Service Director's panel finds the SCR criteria met",
        ),
        (
            9,
            HEAD,
            RequestAgencyReports(agencies=("Police", "Health"), requested_on=day(9), due_on=day(30)),
            "the Head of Safeguarding requests agency reports for the SCR Panel",
        ),
        (9, HEAD, NameAgencyContact(agency="Police", actor_id=AGENCY_2, named_on=day(9)), ""),
        (9, HEAD, NameAgencyContact(agency="Health", actor_id=AGENCY, named_on=day(9)), ""),
        (
            10,
            AGENCY_2,
            SubmitAgencyReport(
                agency="Police", document="LIP-002 Police agency report", submitted_on=day(10)
            ),
            "the police send their agency report",
        ),
        (
            10,
            DIRECTOR,
            RecommendOnScr(
                scr_required=False,
                reasons="The learning could be found by a review in another form.",
            ),
            "recommendation to the Independent Chair",
        ),
        (
            14,
            CHAIR,
            DecideOnScr(hold_scr=False, reasons="A systems review is proportionate."),
            "the Independent Chair decides not to hold an SCR",
        ),
        (
            15,
            CHAIR,
            InformOfstedAndNationalPanel(ofsted_informed_on=day(15), national_panel_informed_on=day(15)),
            "the decision goes to the National Panel for scrutiny",
        ),
        (
            35,
            NATIONAL,
            ScrutiniseDecision(
                outcome=ScrutinyOutcome.OVERTURNED,
                reasons="The infant was seriously harmed and abuse is known or suspected; "
                "the criteria are met.",
            ),
            "the National Panel overturns it: the case becomes an SCR",
        ),
        (
            42,
            CHAIR,
            CommissionIndependentReview(
                reviewer_subject="S-LIP2-REVIEWER",
                reviewer_name="Martin Shaw",
                lead=ReviewerLead.AUTHOR_AND_CHAIR,
            ),
            "independent review commissioned",
        ),
        (
            43,
            AGENCY,
            SubmitAgencyReport(
                agency="Health", document="LIP-002 Health agency report", submitted_on=day(43)
            ),
            "",
        ),
        (
            44,
            CHAIR,
            AgreeScrPanel(agencies=("Police", "Health", "Children's Social Care")),
            "SCR Panel agreed",
        ),
        (
            45,
            HEAD,
            ChooseReviewMethodology(
                methodology=ReviewMethodology.SYSTEMS_REVIEW,
                in_another_form=False,
                chosen_on=day(45),
                reasons="A systems review lets the agencies examine why the injuries were not seen together.",
            ),
            "the Learning and Improvement Panel chooses the methodology",
        ),
        (
            46,
            CHAIR,
            EndorseReviewMethodology(endorsed=True, decided_on=day(46), reasons="Proportionate to the harm."),
            "the Independent Chair endorses it",
        ),
        (
            47,
            HEAD,
            AppointTeamMember(actor_id=SCR_PANEL, team_role=PanelTeamRole.CHAIR, appointed_on=day(47)),
            "the SCR Panel's chair joins the review's team",
        ),
        (
            48,
            SCR_PANEL,
            AgreeScrTermsOfReference(
                methodology="Systems review led by the independent reviewer",
                scope=("Response to the infant's injuries by health and police",),
                period_from=day(-365),
                period_to=day(0),
                report_due=day(200),
            ),
            "the SCR Panel agrees the terms of reference",
        ),
        (
            70,
            SCR_PANEL,
            HoldScrPanelMeeting(
                held_on=day(70),
                agencies_attending=("Police", "Health", "Children's Social Care"),
                minutes="Agency reports considered; interviews with the police and the health visitor agreed.",
            ),
            "the SCR Panel meets",
        ),
        (
            80,
            SCR_PANEL,
            RecordScrInterview(
                held_on=day(80),
                interviewee="S-LIP2-REFERRER",
                agency="Police",
                notes="Described the first call-out and what was passed to children's services.",
            ),
            "an interview the SCR Panel agreed",
        ),
        (
            81,
            HEAD,
            AppointTeamMember(actor_id=HEAD, team_role=PanelTeamRole.ADMINISTRATOR, appointed_on=day(81)),
            "the Head of Safeguarding joins the team, to complete the report when the reviewer delivers it",
        ),
    ]
    return [
        DemoStep(
            actor=actor,
            reference=SCR,
            record_type=PanelReview,
            command=command,
            at=start + timedelta(days=n, hours=1, minutes=10 * i),  # steps of one day in order
            note=note,
        )
        for i, (n, actor, command, note) in enumerate(script)
    ]


def _scr_referral(referred_on: date) -> ReferCase:
    return ReferCase(
        child_subject="S-LIP2-CHILD",
        child_full_name="Oscar Whitehead",
        child_date_of_birth=date(2024, 11, 3),
        incident_at=datetime(2026, 1, 2, 22, 40),
        child_current_location="Hospital",
        referred_on=referred_on,
        referrer_subject="S-LIP2-REFERRER",
        referrer_name="Sergeant Amy Collier",
        notified_to_ofsted=OfstedNotified.YES,
        agency="Police",
        agency_address="Public Protection Investigation Unit",
        child_sex=Sex.MALE,
        child_age=1,
        ethnic_group=EthnicGroup.NOT_KNOWN,
        immigration_status=ImmigrationStatus.NOT_KNOWN,
        family=(
            FamilyMemberDetails(subject="S-LIP2-FATHER", full_name="Dean Whitehead", relationship="father"),
        ),
        incident_type=IncidentType.CRITICAL_INCIDENT,
        summary="Oscar was admitted with a head injury; his father is under investigation.",
        summary_also_about=("S-LIP2-FATHER",),
        reason_for_request="Serious harm to an infant known to health and social care.",
    )
