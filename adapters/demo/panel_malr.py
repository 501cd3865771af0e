"""Demo script: LIP-2026-001, a complete Multi-Agency Learning Review (seed 003). Everything is invented.

From Referral Form A to closure, with two steps the procedure refuses (combining chronologies
before every agency asked has answered, and an agency contact trying to close the case).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.demo.cast import DemoStep
from adapters.demo.panel_script import (
    AGENCY,
    AGENCY_2,
    AUDIT,
    CONTACTS,
    HEAD,
    INVOLVED,
    MALR,
    MALR_PANEL,
    PDM,
    QA,
)
from domain.kernel.command import Command
from domain.routes.panel.commands import (
    AgreeFindings,
    AnswerAgencyCheck,
    AppointTeamMember,
    CirculateActionPlan,
    CirculateReferral,
    CirculateReviewPapers,
    CloseCase,
    CombineChronologies,
    CompleteReport,
    DecideOnReview,
    HoldReviewMeeting,
    Involvement,
    NameAgencyContact,
    NominateAgencyRepresentative,
    PanelTeamRole,
    PlannedActionAnswers,
    RecordActionPlanProgress,
    RecordActionUpdate,
    ReportForm,
    ReportToBoard,
    ReportToQaSubgroup,
    RequestAgencyChecks,
    SubmitChronology,
)
from domain.routes.panel.forms import (
    EthnicGroup,
    FamilyMemberDetails,
    IncidentType,
    OfstedNotified,
    PanelDecision,
    RecordPanelConclusion,
    ReferCase,
    Sex,
)
from domain.routes.panel.review import (
    PanelReview,
)
from domain.routes.shared.actions import ActionStatus, CarryOverAction, SignOffAction
from domain.routes.shared.dissemination import (
    DisseminationKind,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)


def malr_steps(start: datetime) -> list[DemoStep]:
    """LIP-2026-001: a complete Multi-Agency Learning Review."""

    def day(n: int) -> date:
        return (start + timedelta(days=n)).date()

    def answer(agency: str, involvement: Involvement) -> AnswerAgencyCheck:
        return AnswerAgencyCheck(agency=agency, involvement=involvement)

    def representative(agency: str, subject: str, name: str, n: int) -> NominateAgencyRepresentative:
        return NominateAgencyRepresentative(
            agency=agency, representative_subject=subject, representative_name=name, nominated_on=day(n)
        )

    def chronology(agency: str) -> SubmitChronology:
        # "Chronologies will be required from agencies to cover those dates."
        return SubmitChronology(
            agency=agency,
            document=f"MALR-001 chronology: {agency}",
            covers_from=day(-540),
            covers_to=day(-14),
        )

    script: list[tuple[int, str, Command, bool, str]] = [
        (0, HEAD, _malr_referral(day(0)), False, "Referral Form A from the health visiting service"),
        (1, HEAD, CirculateReferral(meeting_on=day(21)), False, "circulated to the bi-monthly Panel"),
        (
            21,
            HEAD,
            DecideOnReview(
                meeting_on=day(21),
                decision=PanelDecision.MALR,
                reasons="Significant multi-agency learning about sharing concerns of neglect; "
                "the SCR criteria are not met.",
            ),
            False,
            "the Panel, chaired by the Head of Safeguarding, decides on an MALR",
        ),
        (
            21,
            HEAD,
            RecordPanelConclusion(
                concluded_on=day(21),
                issues=(
                    "How concerns about home conditions were shared between agencies",
                    "Whether the child's voice was heard at health and school contacts",
                ),
                tor_scope=(
                    "Information sharing between health visiting, nursery and social care",
                    "Escalation when a referral did not meet the threshold",
                ),
                period_from=day(-540),
                period_to=day(-14),
                chair_subject="S-LIP1-CHAIR",
                chair_name="Dr Ruth Okafor",
                first_meeting_on=day(70),
                second_meeting_on=day(98),
                report_due=day(130),
            ),
            False,
            "the Panel's conclusion: period under review, chair, 1st and 2nd meetings",
        ),
        (
            21,
            HEAD,
            AppointTeamMember(actor_id=MALR_PANEL, team_role=PanelTeamRole.CHAIR, appointed_on=day(21)),
            False,
            "the chair nominated joins the review's team",
        ),
        (
            21,
            HEAD,
            AppointTeamMember(actor_id=HEAD, team_role=PanelTeamRole.ADMINISTRATOR, appointed_on=day(21)),
            False,
            "the Safeguarding Children Unit administers the review",
        ),
        (
            23,
            HEAD,
            RequestAgencyChecks(agencies=(*INVOLVED, "Police")),
            False,
            "agency checks requested",
        ),
        *(
            (
                23,
                HEAD,
                NameAgencyContact(agency=agency, actor_id=actor, named_on=day(23)),
                False,
                f"who answers for {agency}",
            )
            for agency, actor in CONTACTS.items()
        ),
        (
            24,
            HEAD,
            CirculateReviewPapers(
                circulated_on=day(24),
                chronology_template="SSCB MALR chronology template",
                terms_of_reference="MALR-001 terms of reference v1",
                agencies=(*INVOLVED, "Police"),
            ),
            False,
            "the administrator circulates the dates, chronology template and terms of reference",
        ),
        (30, AGENCY, answer("Health", Involvement.INVOLVED), False, ""),
        (31, AGENCY_2, answer("Police", Involvement.NOT_INVOLVED), False, ""),
        (33, AGENCY, answer("Education", Involvement.INVOLVED), False, ""),
        (38, AGENCY, chronology("Health"), False, "involved agencies prepare chronologies"),
        (40, AGENCY, chronology("Education"), False, ""),
        (
            41,
            HEAD,
            CombineChronologies(document="MALR-001 combined chronology v0"),
            True,
            "refused: Children's Social Care has not answered the agency check yet",
        ),
        (44, AGENCY_2, answer("Children's Social Care", Involvement.INVOLVED), False, ""),
        (45, AGENCY, representative("Health", "S-LIP1-REP-HEALTH", "Kathryn Eastwood", 45), False, ""),
        (46, AGENCY, representative("Education", "S-LIP1-REP-EDUCATION", "Imran Siddiqui", 46), False, ""),
        (50, AGENCY_2, chronology("Children's Social Care"), False, ""),
        (
            51,
            AGENCY_2,
            representative("Children's Social Care", "S-LIP1-REP-CSC", "Bethany Rowlands", 51),
            False,
            "each contributing agency nominates its representative",
        ),
        (
            56,
            HEAD,
            CombineChronologies(document="MALR-001 combined chronology"),
            False,
            "the skeleton of the review",
        ),
        (
            70,
            MALR_PANEL,
            HoldReviewMeeting(number=1, held_on=day(70), agencies_attending=INVOLVED),
            False,
            "",
        ),
        (
            98,
            MALR_PANEL,
            HoldReviewMeeting(number=2, held_on=day(98), agencies_attending=INVOLVED),
            False,
            "",
        ),
        (
            98,
            MALR_PANEL,
            AgreeFindings(
                findings=(
                    "Concerns about home conditions were recorded by three agencies but not brought together",
                    "The nursery's escalation was effective once made",
                ),
                recommendations=(
                    "Health visiting to share concerns of neglect with the nursery at each review",
                    "Multi-agency training on escalation below the threshold",
                ),
            ),
            False,
            "the MALR Panel agrees findings and recommendations",
        ),
        (
            120,
            HEAD,
            CompleteReport(form=ReportForm.CASE_SUMMARY, document="MALR-001 case summary"),
            False,
            "",
        ),
        (
            125,
            PDM,
            CirculateActionPlan(
                document="MALR-001 multi-agency action plan",
                agencies=INVOLVED,
                actions=(
                    PlannedActionAnswers(
                        action_id="A1",
                        agency="Health",
                        description="Health visitors share concerns of neglect with the nursery at each review.",
                        owner_subject="S-LIP1-REP-HEALTH",
                        owner_name="Kathryn Eastwood",
                        due_on=day(180),
                    ),
                    PlannedActionAnswers(
                        action_id="A2",
                        agency="Education",
                        description="Nursery staff trained on escalation below the threshold.",
                        owner_subject="S-LIP1-REP-EDUCATION",
                        owner_name="Imran Siddiqui",
                        due_on=day(170),
                    ),
                    PlannedActionAnswers(
                        action_id="A3",
                        agency="Children's Social Care",
                        description="Referrals not meeting the threshold are fed back to the referrer in writing.",
                        owner_subject="S-LIP1-REP-CSC",
                        owner_name="Bethany Rowlands",
                        due_on=day(200),
                    ),
                ),
                circulated_on=day(125),
            ),
            False,
            "the Performance and Development Manager circulates the action plan",
        ),
        (
            180,
            AUDIT,
            RecordActionPlanProgress(agency="Health", progress="Two of three actions complete"),
            False,
            "the Audit and Monitoring Sub-group monitors the action plan",
        ),
        (
            185,
            AUDIT,
            RecordActionPlanProgress(agency="Education", progress="Escalation training delivered"),
            False,
            "",
        ),
        (
            186,
            AUDIT,
            RecordActionUpdate(
                action_id="A2",
                status=ActionStatus.COMPLETE,
                recorded_on=day(186),
                progress="All nursery staff trained.",
                evidence=("Nursery training register, May 2026",),
            ),
            False,
            "each action's progress is recorded with its evidence",
        ),
        (
            187,
            AUDIT,
            SignOffAction(action_id="A2", signed_off_on=day(187), comments="Register seen."),
            False,
            "the Audit and Monitoring Sub-group signs off action A2",
        ),
        (
            188,
            AUDIT,
            RecordActionUpdate(
                action_id="A3",
                status=ActionStatus.COMPLETE,
                recorded_on=day(188),
                progress="Written feedback to referrers in place.",
                evidence=("Children's Social Care front door procedure v2",),
            ),
            False,
            "",
        ),
        (189, AUDIT, SignOffAction(action_id="A3", signed_off_on=day(189)), False, ""),
        (
            189,
            HEAD,
            RecordDisseminationActivity(
                activity=DisseminationKind.TRAINING,
                held_on=day(189),
                audience="front door staff of every partner agency",
                description="Training on written feedback to referrers.",
            ),
            False,
            "the Learning and Improvement Panel records the Training Sub's session",
        ),
        (
            189,
            HEAD,
            RecordDisseminationFeedback(
                activity_number=1, received_on=day(189), feedback="Useful; repeat yearly."
            ),
            False,
            "",
        ),
        (
            189,
            HEAD,
            TagLearningThemes(tagged_on=day(189), themes=("referrals", "information sharing")),
            False,
            "",
        ),
        (
            190,
            AUDIT,
            ReportToQaSubgroup(summary="Action plan on track; one health action outstanding"),
            False,
            "the Audit and Monitoring Sub-group reports to the QA Sub-group",
        ),
        (
            200,
            QA,
            ReportToBoard(summary="MALR-001 findings and action plan reported for information"),
            False,
            "",
        ),
        (
            201,
            AGENCY,
            CloseCase(reasons="Our actions are done"),
            True,
            "refused: only the Head of Safeguarding closes a case",
        ),
        (
            201,
            AUDIT,
            CarryOverAction(
                action_id="A1",
                owner_subject="S-LIP1-REP-HEALTH",
                owner_name="Kathryn Eastwood",
                carried_over_on=day(201),
                reason="Continues in the health visiting service plan, reported to the Audit and Monitoring Sub-group.",
            ),
            False,
            "the open action is carried over to a named owner",
        ),
        (
            202,
            HEAD,
            CloseCase(reasons="Findings reported to the Board; actions monitored by the sub-group"),
            False,
            "",
        ),
    ]
    return [
        DemoStep(
            actor=actor,
            reference=MALR,
            record_type=PanelReview,
            command=command,
            at=start + timedelta(days=n, minutes=10 * i),  # steps of one day in order
            refused=refused,
            note=note,
        )
        for i, (n, actor, command, refused, note) in enumerate(script)
    ]


def _malr_referral(referred_on: date) -> ReferCase:
    return ReferCase(
        child_subject="S-LIP1-CHILD",
        child_full_name="Maisie Thornber",
        child_date_of_birth=date(2019, 4, 17),
        child_address="14 Lowfield Terrace, Brinnington",
        child_current_location="At home with her mother",
        referred_on=referred_on,
        referrer_subject="S-LIP1-REFERRER",
        referrer_name="Joanne Pilling",
        notified_to_ofsted=OfstedNotified.NO,
        agency="Health",
        agency_address="Health Visiting Team, Brinnington Clinic",
        tel="0161 000 0101",
        email="joanne.pilling@health.example",
        child_sex=Sex.FEMALE,
        child_age=6,
        ethnic_group=EthnicGroup.WHITE_BRITISH,
        family=(
            FamilyMemberDetails(
                subject="S-LIP1-MOTHER",
                full_name="Leanne Thornber",
                date_of_birth=date(1996, 8, 2),
                relationship="mother",
                full_address="14 Lowfield Terrace, Brinnington",
            ),
            FamilyMemberDetails(
                subject="S-LIP1-PARTNER",
                full_name="Craig Ashworth",
                relationship="mother's partner",
            ),
        ),
        incident_type=IncidentType.CRITICAL_INCIDENT,
        summary="Maisie was found at nursery with untreated burns; concerns about home "
        "conditions had been raised by several agencies over eighteen months.",
        summary_also_about=("S-LIP1-MOTHER", "S-LIP1-PARTNER"),
        reason_for_request="Concerns were known to several agencies but not brought together.",
    )
