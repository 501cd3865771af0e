"""Demonstration script: two National Learning Reviews (seeds 001 and 002), start to finish.

Everything here is invented. LR-2026-001 is a child's review: it proceeds, amends its terms
of reference, pauses on new police information, reports the delay with a revised timescale,
and is published once the Procurator Fiscal has been consulted, because criminal proceedings
are still ongoing. One step is refused on purpose: the Chair of the Chief Officers Group
tries to take the committee's decision to proceed. ASP-2026-001 is an adult's review (Adult
Support and Protection) that the COG decides not to publish, for exceptional circumstances
noted in its minutes; the learning is then published separately.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.demo.cast import DemoStep
from domain.governance.subjects import RegisterSubject, SubjectCategory
from domain.kernel.command import Command
from domain.kernel.event import Nature
from domain.routes.national.commands import (
    AgreeActionPlan,
    AgreeFamilyLiaisonStrategy,
    AgreeTorAmendment,
    AppointTeamMember,
    CheckParallelProcess,
    CloseReview,
    DecidePublication,
    DecideToProceed,
    DraftReportVersion,
    InformCog,
    MakeRecommendation,
    MergeChronologies,
    NameAgencyContact,
    NotifyCareInspectorate,
    PassToNominatedPerson,
    PauseReview,
    PresentReport,
    ProposeTorAmendment,
    PublishLearningSeparately,
    PublishReport,
    ReceiveChronology,
    ReceiveNotification,
    RecommendPublication,
    RecordActionProgress,
    RecordAgencyReturn,
    RecordDissemination,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    RecordEmergingLearning,
    RecordFamilyContact,
    RecordFamilyFeedback,
    RecordFamilyFeedbackOnConclusion,
    RecordFamilyFeedbackOnProcess,
    RecordFamilyGroupMember,
    RecordFamilyInformed,
    RecordFamilyViewsOnPublication,
    RecordMediaApproach,
    RecordNoPractitionerEvent,
    RecordPoliceLiaison,
    RecordPractitionerEvent,
    RecordProceedingsLiaison,
    RecordTeamMeeting,
    ReportDelay,
    RequestChronology,
    RequestInformation,
    ResumeReview,
    SendNotificationResponse,
    SendReportToCareInspectorate,
    SignOffReportForCog,
    SignOffReportForCommittee,
    TagLearningThemes,
)
from domain.routes.national.forms import (
    ActionInput,
    Body,
    ChronologyEntryInput,
    DisseminationKind,
    FamilyMemberDetails,
    LiaisonBody,
    PersonDetails,
    PractitionerDetails,
    Proceeding,
    ProceedingState,
    PublicationChoice,
    SectionInput,
    SectionKind,
    StrategyInput,
    TeamRole,
)
from domain.routes.national.review import NationalReview
from domain.routes.shared.actions import AssignActionOwner, ReportActionException, SignOffAction

CHILD_REVIEW = "LR-2026-001"
ADULT_REVIEW = "ASP-2026-001"

# The child's review.
CHILD, MOTHER, SISTER = "S-NLR1-CHILD", "S-NLR1-MOTHER", "S-NLR1-SISTER"
NOTIFIER, HEALTH_VISITOR = "S-NLR1-NOTIFIER", "S-NLR1-HV"
CHAIR, MEMBER, REVIEWER, ADMIN = "S-NLR1-CHAIR", "S-NLR1-MEMBER", "S-NLR1-REVIEWER", "S-NLR1-ADMIN"
# The adult's review.
ADULT, SON, ADULT_NOTIFIER = "S-ASP1-ADULT", "S-ASP1-SON", "S-ASP1-NOTIFIER"
ADULT_CHAIR, ADULT_REVIEWER, ADULT_ADMIN = "S-ASP1-CHAIR", "S-ASP1-REVIEWER", "S-ASP1-ADMIN"

POLICE, HEALTH, EDUCATION = (
    "Police Scotland",
    "NHS Orkney health visiting",
    "Orkney Islands Council education",
)


def _subject(
    subject_id: str, category: SubjectCategory, name: str, born: date | None = None
) -> RegisterSubject:
    return RegisterSubject(subject_id=subject_id, category=category, name=name, date_of_birth=born)


SUBJECTS: list[RegisterSubject] = [
    _subject(CHILD, SubjectCategory.CHILD, "Ellie Rendall", date(2022, 4, 2)),
    _subject(MOTHER, SubjectCategory.PARENT_CARER, "Dawn Rendall", date(1996, 8, 19)),
    _subject(SISTER, SubjectCategory.SIBLING, "Skye Rendall", date(2017, 1, 30)),
    _subject(NOTIFIER, SubjectCategory.NOTIFIER, "Karen Spence"),
    _subject(HEALTH_VISITOR, SubjectCategory.PRACTITIONER, "Moira Firth"),
    _subject(CHAIR, SubjectCategory.PRACTITIONER, "Alan Scott"),
    _subject(MEMBER, SubjectCategory.PRACTITIONER, "Jean Miller"),
    _subject(REVIEWER, SubjectCategory.PRACTITIONER, "Ailsa Tulloch"),
    _subject(ADMIN, SubjectCategory.PRACTITIONER, "Rona Linklater"),
    _subject(ADULT, SubjectCategory.ADULT_AT_RISK, "Robert Flett", date(1958, 6, 1)),
    _subject(SON, SubjectCategory.FAMILY_MEMBER, "Neil Flett", date(1986, 2, 11)),
    _subject(ADULT_NOTIFIER, SubjectCategory.NOTIFIER, "Lorna Muir"),
    _subject(ADULT_CHAIR, SubjectCategory.PRACTITIONER, "Graham Eunson"),
    _subject(ADULT_REVIEWER, SubjectCategory.PRACTITIONER, "Sheila Groat"),
    _subject(ADULT_ADMIN, SubjectCategory.PRACTITIONER, "Kirsty Wylie"),
]


class _Script:
    """Steps of one review, each `days` after the start, recorded at that moment."""

    def __init__(self, reference: str, start: datetime) -> None:
        self.reference = reference
        self.start = start
        self.steps: list[DemoStep] = []

    def on(self, days: int) -> date:
        return (self.start + timedelta(days=days)).date()

    def add(self, days: int, actor: str, command: Command, *, refused: bool = False, note: str = "") -> None:
        self.steps.append(
            DemoStep(
                actor=actor,
                reference=self.reference,
                record_type=NationalReview,
                command=command,
                at=self.start + timedelta(days=days),
                refused=refused,
                note=note,
            )
        )


def _practitioner(subject_id: str, name: str, agency: str) -> PractitionerDetails:
    return PractitionerDetails(subject_id=subject_id, name=name, agency=agency)


def _appoint(script: _Script, days: int, member: PractitionerDetails, team_role: TeamRole) -> None:
    script.add(
        days,
        "cpc-officer",
        AppointTeamMember(
            member=member,
            team_role=team_role,
            appointed_on=script.on(days),
            direct_involvement=False,
            declaration="I have had no involvement with this family or the practitioners concerned.",
            # The Reviewer records their own steps; the committee's officer is the team's Administrator.
            actor_id={TeamRole.REVIEWER: "reviewer", TeamRole.ADMINISTRATOR: "cpc-officer"}.get(team_role),
        ),
    )


#: What seed 001 'The Report' asks every report to cover, beside its learning.
CONTENTS_BUT_LEARNING = (
    SectionInput(heading=SectionKind.CONDUCT, text="Chronologies, events and a meeting with the family."),
    SectionInput(heading=SectionKind.CIRCUMSTANCES, text="The circumstances that led to the review."),
    SectionInput(heading=SectionKind.EFFECTIVE_PRACTICE, text="Where practice worked, and why."),
    SectionInput(heading=SectionKind.STRATEGIES, text="The strategies, each CLEAR."),
    SectionInput(heading=SectionKind.TERMS_OF_REFERENCE, text="The terms of reference as finally agreed."),
)
CONTENTS = CONTENTS_BUT_LEARNING[2:]  # the child's report has its own conduct and circumstances


def _present(script: _Script, days: int, version: int) -> None:
    """The Reviewer presents the report to the committee and to the COG (seed 001 'The Report')."""
    for body in (Body.COMMITTEE, Body.COG):
        script.add(
            days, "reviewer", PresentReport(version=version, presented_to=body, presented_on=script.on(days))
        )


def _communicate(script: _Script, days: int) -> None:
    on = script.on(days)
    script.add(days, "cpc-officer", InformCog(informed_on=on))
    script.add(days, "cpc-officer", SendNotificationResponse(sent_on=on))
    script.add(days, "cpc-officer", NotifyCareInspectorate(notified_on=on))


def _child_review(start: datetime) -> list[DemoStep]:
    s = _Script(CHILD_REVIEW, start)
    # 1. The notification form is received and passed to the nominated sub-group.
    s.add(
        0,
        "cpc-officer",
        ReceiveNotification(
            subject_group="child",
            received_on=s.on(0),
            subject=PersonDetails(
                subject_id=CHILD,
                name="Ellie Rendall",
                date_of_birth=date(2022, 4, 2),
                gender="female",
                address="4 Harbour Row, Stromness",
                legal_status="on the Child Protection Register",
                record_number="SW-100234",
                disability="global developmental delay",
                ethnicity="White Scottish",
                protection_history="registered under neglect, March 2025",
            ),
            notifier=PractitionerDetails(
                subject_id=NOTIFIER,
                name="Karen Spence",
                agency="Orkney Islands Council social work",
                job_title="Team manager",
                contact="karen.spence@example.org",
            ),
            reasons="Ellie was admitted to hospital with injuries after a long period of neglect at home.",
            family=(
                FamilyMemberDetails(
                    subject_id=MOTHER, relationship="mother, lives with Ellie", name="Dawn Rendall"
                ),
                FamilyMemberDetails(subject_id=SISTER, relationship="older sister", name="Skye Rendall"),
            ),
            agencies_involved=(POLICE, HEALTH, EDUCATION),
            agency_contacts=(_practitioner(HEALTH_VISITOR, "Moira Firth", HEALTH),),
        ),
    )
    s.add(1, "cpc-officer", PassToNominatedPerson(passed_on=s.on(1), nominee="Learning Review sub-group"))
    # 2. Requests for information; each agency gives a brief account and an initial reflection.
    s.add(2, "cpc-officer", RequestInformation(agencies=(POLICE, HEALTH, EDUCATION), requested_on=s.on(2)))
    # The health visitor is named as NHS Orkney's contact: she may answer for it (only for it); here its
    # return comes in by post and the officer records it, as the others'.
    s.add(
        2,
        "cpc-officer",
        NameAgencyContact(
            agency=HEALTH,
            contact=_practitioner(HEALTH_VISITOR, "Moira Firth", HEALTH),
            actor_id="agency-contact",
            named_on=s.on(2),
        ),
    )
    for agency in (POLICE, HEALTH, EDUCATION):
        s.add(
            14,
            "cpc-officer",
            RecordAgencyReturn(
                agency=agency,
                received_on=s.on(14),
                author=HEALTH_VISITOR if agency == HEALTH else NOTIFIER,
                involvement=f"{agency} had contact with the family throughout 2025.",
                initial_reflection="Concerns about home conditions were recorded but not shared.",
            ),
        )
    # 3. The sub-group recommends a Learning Review, with proposed terms of reference.
    s.add(
        23,
        "cpc-officer",
        MakeRecommendation(
            recommendation="proceed",
            made_on=s.on(23),
            reasons="Significant harm; several agencies involved; learning for the whole system.",
            proposed_terms_of_reference="How agencies recognised and responded to neglect from 2023 to 2025.",
        ),
    )
    # 4. The COG's Chair tries to take the committee's decision: refused, nothing recorded.
    decision = DecideToProceed(decided_on=s.on(36), basis="The criteria for a Learning Review are met.")
    s.add(36, "cog-chair", decision, refused=True, note="only the Child Protection Committee decides")
    s.add(36, "cpc-chair", decision)
    # 5. The decision is recorded and communicated; a reactive media line is agreed.
    _communicate(s, 37)
    s.add(37, "cpc-officer", RecordMediaApproach(agreed_on=s.on(37), approach="Reactive statement only."))
    # 7. The Review Team is set up; the Chair checks for parallel processes: a police investigation is ongoing.
    _appoint(s, 42, _practitioner(CHAIR, "Alan Scott", "Orkney public protection"), TeamRole.CHAIR)
    _appoint(s, 42, _practitioner(MEMBER, "Jean Miller", EDUCATION), TeamRole.MEMBER)
    _appoint(s, 42, _practitioner(REVIEWER, "Ailsa Tulloch", "independent"), TeamRole.REVIEWER)
    _appoint(
        s, 42, _practitioner(ADMIN, "Rona Linklater", "Orkney public protection"), TeamRole.ADMINISTRATOR
    )
    s.add(
        43,
        "cpc-officer",
        CheckParallelProcess(
            proceeding=Proceeding.CRIMINAL, state=ProceedingState.ONGOING, checked_on=s.on(43)
        ),
    )
    s.add(
        43,
        "cpc-officer",
        RecordProceedingsLiaison(
            body=LiaisonBody.COPFS,
            purpose="parallel processes",
            liaised_on=s.on(43),
            outcome="The review may go ahead; practitioners are not to discuss the night of the injury.",
        ),
    )
    s.add(
        43,
        "cpc-officer",
        RecordPoliceLiaison(
            liaised_on=s.on(43),
            outcome="Police Scotland agreed the review may hold its practitioners' event after the officers' statements.",
        ),
    )
    s.add(
        44,
        "cpc-officer",
        AgreeFamilyLiaisonStrategy(
            agreed_on=s.on(44),
            family_group=(MOTHER, SISTER),
            strategy="The Reviewer and Chair meet Dawn at home.",
        ),
    )
    s.add(
        44,
        "cpc-officer",
        RecordFamilyGroupMember(
            subject_id=SISTER,
            relation="older sister",
            involved=False,
            decided_on=s.on(44),
            reasons_not_involved="Skye is eight; her school counsellor advised against it.",
        ),
    )
    # 9. Chronologies for the two years before the incident, received and merged.
    for agency in (POLICE, HEALTH):
        s.add(
            46,
            "cpc-officer",
            RequestChronology(
                agency=agency,
                requested_on=s.on(46),
                period_from=date(2023, 12, 1),
                period_to=date(2025, 12, 31),
            ),
        )
    s.add(
        64,
        "cpc-officer",
        ReceiveChronology(
            agency=HEALTH,
            received_on=s.on(64),
            entries=(
                ChronologyEntryInput(
                    on=date(2024, 5, 2), what_happened="Home visit: the house was cold and damp."
                ),
                ChronologyEntryInput(
                    on=date(2025, 11, 20), what_happened="Ellie missed her development review."
                ),
            ),
        ),
    )
    s.add(
        64,
        "cpc-officer",
        ReceiveChronology(
            agency=POLICE,
            received_on=s.on(64),
            entries=(
                ChronologyEntryInput(on=date(2025, 9, 14), what_happened="A neighbour reported concern."),
            ),
        ),
    )
    s.add(66, "reviewer", MergeChronologies(merged_on=s.on(66)))
    s.add(
        67,
        "cpc-officer",
        RecordTeamMeeting(
            held_on=s.on(67),
            attendees=(CHAIR, MEMBER, REVIEWER, ADMIN),
            minutes="Gaps in the health record noted.",
        ),
    )
    s.add(
        74,
        "reviewer",
        RecordFamilyContact(
            contacted_on=s.on(74),
            family_members=(MOTHER,),
            met_by=(REVIEWER, CHAIR),
            views="Nobody listened when I said I was not coping.",
            views_of=MOTHER,
        ),
    )
    # 8. The terms of reference are amended; in force once the committee agrees.
    s.add(
        79,
        "reviewer",
        ProposeTorAmendment(
            proposed_on=s.on(79),
            changes="Add the agencies' response in the week after the admission.",
            text="How agencies recognised and responded to neglect from 2023, and after Ellie's admission.",
        ),
    )
    s.add(86, "cpc-chair", AgreeTorAmendment(version=2, agreed_on=s.on(86)))
    s.add(
        100,
        "reviewer",
        RecordPractitionerEvent(
            audience="practitioners and first-line managers",
            held_on=s.on(100),
            agencies=(HEALTH, POLICE, EDUCATION),
            notes="Caseloads left no time to step back and see the pattern.",
        ),
    )
    s.add(
        107,
        "reviewer",
        RecordPractitionerEvent(
            audience="strategic managers",
            held_on=s.on(107),
            agencies=(HEALTH, EDUCATION),
            notes="Each agency uses its own threshold for neglect.",
        ),
    )
    s.add(
        108,
        "reviewer",
        RecordEmergingLearning(
            identified_on=s.on(108), learning="Cumulative neglect is not visible to one agency."
        ),
    )
    # An emerging issue pauses the review; the delay goes to the CPC and COG with a revised timescale.
    s.add(
        116,
        "cpc-officer",
        PauseReview(
            paused_on=s.on(116),
            reason="New information from the police enquiry.",
            notice_to=(Body.COMMITTEE, Body.COG),
            notice_on=s.on(116),
        ),
    )
    s.add(144, "cpc-officer", ResumeReview(resumed_on=s.on(144)))
    s.add(
        147,
        "cpc-officer",
        ReportDelay(
            reported_on=s.on(147),
            reason="Four weeks' pause while the police shared new information.",
            revised_completion=s.on(298),
            recipients=(Body.COMMITTEE, Body.COG),
        ),
    )
    # 11. The Reviewer drafts the report; the second version has CLEAR strategies.
    sections = (
        SectionInput(
            heading=SectionKind.CONDUCT, text="Chronologies, two events and a meeting with the family."
        ),
        SectionInput(
            heading=SectionKind.CIRCUMSTANCES, text="Ellie was admitted to hospital in December 2025."
        ),
        SectionInput(
            heading=SectionKind.LEARNING,
            text="The health visitor considered home conditions were getting worse from spring 2025.",
            nature=Nature.OPINION,
            by=HEALTH_VISITOR,
        ),
        *CONTENTS,
    )
    s.add(210, "reviewer", DraftReportVersion(drafted_on=s.on(210), sections=sections))
    strategy = StrategyInput(
        case_for_change="Each agency saw part of the neglect; nobody saw all of it.",
        learning="Home conditions are shared at every core group.",
        evidence="Three agencies recorded the same concern within one month.",
        responsible="Child Protection Committee",
        review="Audit of core group minutes after six months.",
    )
    s.add(
        239, "reviewer", DraftReportVersion(drafted_on=s.on(239), sections=sections, strategies=(strategy,))
    )
    # 12. The Reviewer presents the report; sign-off by the committee and the COG; the action plan.
    _present(s, 252, 2)
    s.add(253, "cpc-chair", SignOffReportForCommittee(version=2, signed_off_on=s.on(253)))
    s.add(
        253,
        "cpc-chair",
        AgreeActionPlan(
            agreed_on=s.on(253),
            actions=(
                ActionInput(
                    action_id="A1",
                    description="7-minute briefing",
                    responsible="CPC",
                    due_on=s.on(300),
                    implements_strategy=1,
                ),
                ActionInput(
                    action_id="A2",
                    description="Neglect toolkit training",
                    responsible=HEALTH,
                    due_on=s.on(320),
                    implements_strategy=1,
                ),
            ),
        ),
    )
    # Each action has a named owner: the Review Team's Chair briefs, its health member trains.
    for action_id, owner, name, due in (
        ("A1", CHAIR, "Alan Scott", 300),
        ("A2", MEMBER, "Jean Miller", 320),
    ):
        s.add(
            253,
            "cpc-officer",
            AssignActionOwner(
                action_id=action_id,
                owner_subject=owner,
                owner_name=name,
                due_on=s.on(due),
                assigned_on=s.on(253),
            ),
        )
    s.add(
        253,
        "cpc-chair",
        RecommendPublication(
            recommendation=PublicationChoice.PUBLISH,
            recommended_on=s.on(253),
            reasons="Learning of national interest.",
        ),
    )
    s.add(260, "cog-chair", SignOffReportForCog(version=2, signed_off_on=s.on(260)))
    s.add(
        261, "cpc-officer", SendReportToCareInspectorate(version=2, sent_on=s.on(261), anonymised_copy=True)
    )
    # 13. The family are consulted; the COG decides to publish; the Procurator Fiscal is consulted first.
    s.add(
        262,
        "reviewer",
        RecordFamilyViewsOnPublication(
            consulted_on=s.on(262),
            family_members=(MOTHER,),
            views="Publish it, so it does not happen again.",
            views_of=MOTHER,
        ),
    )
    s.add(
        267,
        "cog-chair",
        DecidePublication(
            decision=PublicationChoice.PUBLISH, decided_on=s.on(267), basis="Recommended; the family agree."
        ),
    )
    s.add(
        270,
        "cpc-officer",
        RecordProceedingsLiaison(
            body=LiaisonBody.COPFS,
            purpose="publication",
            liaised_on=s.on(270),
            outcome="No objection to the anonymised report.",
        ),
    )
    s.add(
        274,
        "cpc-officer",
        PublishReport(
            version=2, published_on=s.on(274), where="Orkney Public Protection website", anonymised=True
        ),
    )
    # 14. Feedback to the family; dissemination; the actions completed; closure.
    s.add(
        277,
        "reviewer",
        RecordFamilyFeedback(
            given_on=s.on(277),
            family_members=(MOTHER,),
            feedback="Glad to be heard; it took a long time.",
            feedback_of=MOTHER,
        ),
    )
    s.add(
        281,
        "cpc-officer",
        RecordDisseminationActivity(
            activity=DisseminationKind.SEVEN_MINUTE_BRIEFING,
            held_on=s.on(281),
            audience="all health visitors",
            description="Cumulative neglect.",
        ),
    )
    s.add(
        284,
        "cpc-officer",
        RecordDisseminationFeedback(
            activity_number=1, received_on=s.on(284), feedback="Useful; more sessions asked for."
        ),
    )
    s.add(
        284, "cpc-officer", TagLearningThemes(tagged_on=s.on(284), themes=("neglect", "information sharing"))
    )
    s.add(
        288,
        "cpc-officer",
        RecordDissemination(
            method="training", held_on=s.on(288), audience="core group chairs", description="Neglect toolkit."
        ),
    )
    # A1 runs a day over: the officer reports it to the COG by exception, then records it done.
    s.add(
        301,
        "cpc-officer",
        ReportActionException(
            reported_on=s.on(301), actions=("A1",), summary="The briefing moved to the next core group day."
        ),
    )
    s.add(
        301,
        "cpc-officer",
        RecordActionProgress(
            action_id="A1",
            progress_on=s.on(301),
            completed=True,
            note="Briefing delivered.",
            evidence=("DOC-A1-BRIEFING",),
        ),
    )
    s.add(
        315,
        "cpc-officer",
        RecordActionProgress(
            action_id="A2",
            progress_on=s.on(315),
            completed=True,
            note="Training delivered to 42 staff.",
            evidence=("DOC-A2-ATTENDANCE",),
        ),
    )
    # The committee, which monitors the plan, signs each action off on its evidence.
    for action_id in ("A1", "A2"):
        s.add(318, "cpc-chair", SignOffAction(action_id=action_id, signed_off_on=s.on(318)))
    s.add(319, "cpc-chair", CloseReview(closed_on=s.on(319)))
    return s.steps


def _adult_review(start: datetime) -> list[DemoStep]:
    s = _Script(ADULT_REVIEW, start)
    # Seed 002: the same route for Adult Support and Protection; the Adult Protection Committee decides.
    s.add(
        3,
        "cpc-officer",
        ReceiveNotification(
            subject_group="adult",
            received_on=s.on(3),
            subject=PersonDetails(
                subject_id=ADULT,
                name="Robert Flett",
                date_of_birth=date(1958, 6, 1),
                address="Quoyness, Hoy",
                disability="dementia",
                legal_status="welfare guardianship applied for",
            ),
            notifier=_practitioner(ADULT_NOTIFIER, "Lorna Muir", "Orkney Health and Care"),
            reasons="Mr Flett was found with serious self-neglect after his son could no longer care for him.",
            family=(
                FamilyMemberDetails(subject_id=SON, relationship="son and unpaid carer", name="Neil Flett"),
            ),
            agencies_involved=("Orkney Health and Care", "NHS Orkney"),
        ),
    )
    s.add(4, "cpc-officer", PassToNominatedPerson(passed_on=s.on(4), nominee="cpc-officer"))
    s.add(5, "cpc-officer", RequestInformation(agencies=("NHS Orkney",), requested_on=s.on(5)))
    s.add(
        15,
        "cpc-officer",
        RecordAgencyReturn(
            agency="NHS Orkney",
            received_on=s.on(15),
            author=ADULT_NOTIFIER,
            involvement="GP and district nurse contact throughout 2025.",
            initial_reflection="Carer strain was noted but not acted on.",
        ),
    )
    s.add(
        18,
        "cpc-officer",
        MakeRecommendation(
            recommendation="proceed",
            made_on=s.on(18),
            reasons="Learning about support for unpaid carers across agencies.",
            proposed_terms_of_reference="Support to Mr Flett and his son in the two years before March 2026.",
        ),
    )
    s.add(30, "cpc-chair", DecideToProceed(decided_on=s.on(30), basis="Systemic learning about carers."))
    _communicate(s, 31)
    _appoint(s, 35, _practitioner(ADULT_CHAIR, "Graham Eunson", "Orkney public protection"), TeamRole.CHAIR)
    _appoint(s, 35, _practitioner(ADULT_REVIEWER, "Sheila Groat", "independent"), TeamRole.REVIEWER)
    _appoint(
        s, 35, _practitioner(ADULT_ADMIN, "Kirsty Wylie", "Orkney public protection"), TeamRole.ADMINISTRATOR
    )
    s.add(
        36,
        "cpc-officer",
        CheckParallelProcess(proceeding=Proceeding.CRIMINAL, state=ProceedingState.NONE, checked_on=s.on(36)),
    )
    s.add(
        37,
        "cpc-officer",
        AgreeFamilyLiaisonStrategy(
            agreed_on=s.on(37), family_group=(SON,), strategy="The Reviewer meets Neil at home."
        ),
    )
    s.add(
        37,
        "reviewer",
        RecordFamilyInformed(
            informed_on=s.on(37),
            family_members=(SON,),
            how="The social worker explained the purpose of the review to Neil by telephone.",
        ),
    )
    s.add(
        38,
        "cpc-officer",
        RequestChronology(
            agency="NHS Orkney",
            requested_on=s.on(38),
            period_from=date(2024, 3, 1),
            period_to=date(2026, 2, 28),
        ),
    )
    s.add(
        52,
        "cpc-officer",
        ReceiveChronology(
            agency="NHS Orkney",
            received_on=s.on(52),
            entries=(
                ChronologyEntryInput(on=date(2025, 6, 1), what_happened="GP review; carer strain noted."),
            ),
        ),
    )
    s.add(53, "reviewer", MergeChronologies(merged_on=s.on(53)))
    for audience in ("practitioners and first-line managers", "strategic managers"):
        s.add(
            54,
            "reviewer",
            RecordNoPractitionerEvent(
                audience=audience,
                recorded_on=s.on(54),
                reason="The two practitioners involved were met one to one instead.",
            ),
        )
    s.add(
        120,
        "reviewer",
        DraftReportVersion(
            drafted_on=s.on(120),
            sections=(
                SectionInput(heading=SectionKind.LEARNING, text="Carers' own needs were not assessed."),
                SectionInput(heading=SectionKind.PERSONAL_DETAILS, text="Mr Flett lives alone on Hoy."),
                *CONTENTS_BUT_LEARNING,
            ),
        ),
    )
    _present(s, 133, 1)
    s.add(134, "cpc-chair", SignOffReportForCommittee(version=1, signed_off_on=s.on(134)))
    s.add(
        134,
        "cpc-chair",
        AgreeActionPlan(
            agreed_on=s.on(134),
            actions=(
                ActionInput(
                    action_id="A1", description="Carer assessment audit", responsible="HSCP", due_on=s.on(200)
                ),
            ),
        ),
    )
    s.add(
        134,
        "cpc-chair",
        RecommendPublication(
            recommendation=PublicationChoice.NOT_PUBLISH,
            recommended_on=s.on(134),
            reasons="Mr Flett would be identified on a small island even with the report anonymised.",
        ),
    )
    s.add(141, "cog-chair", SignOffReportForCog(version=1, signed_off_on=s.on(141)))
    s.add(
        142, "cpc-officer", SendReportToCareInspectorate(version=1, sent_on=s.on(142), anonymised_copy=True)
    )
    s.add(
        145,
        "cpc-officer",
        RecordFamilyViewsOnPublication(
            consulted_on=s.on(145), family_members=(SON,), views="Please do not publish it.", views_of=SON
        ),
    )
    # The COG decides not to publish: the exceptional circumstances are in its minutes.
    s.add(
        152,
        "cog-chair",
        DecidePublication(
            decision=PublicationChoice.NOT_PUBLISH,
            decided_on=s.on(152),
            basis="The risk of identifying Mr Flett outweighs publishing the full report.",
            exceptional_circumstances="An island of under 400 people; the family's wishes.",
            cog_minute="COG 4 June 2026, item 5",
        ),
    )
    # The learning is extracted and published separately.
    s.add(
        166,
        "cpc-officer",
        PublishLearningSeparately(
            published_on=s.on(166),
            where="7-minute briefing on the Adult Protection Committee website",
            summary="Unpaid carers' own needs must be assessed when the person they care for is at risk.",
        ),
    )
    s.add(
        167,
        "cpc-officer",
        RecordDissemination(
            method="training",
            held_on=s.on(167),
            audience="adult social work",
            description="Carer assessments.",
        ),
    )
    s.add(
        170,
        "reviewer",
        RecordFamilyFeedbackOnConclusion(
            given_on=s.on(170), family_members=(SON,), response="Thank you for listening.", response_of=SON
        ),
    )
    s.add(
        170,
        "reviewer",
        RecordFamilyFeedbackOnProcess(
            given_on=s.on(170),
            family_members=(SON,),
            feedback="Being met at home made it easier.",
            feedback_of=SON,
        ),
    )
    s.add(
        190,
        "cpc-officer",
        RecordActionProgress(
            action_id="A1",
            progress_on=s.on(190),
            completed=True,
            note="Audit completed.",
            evidence=("DOC-A1-AUDIT",),
        ),
    )
    s.add(191, "cpc-chair", SignOffAction(action_id="A1", signed_off_on=s.on(191)))
    s.add(192, "cpc-chair", CloseReview(closed_on=s.on(192)))
    return s.steps


def steps(start: datetime) -> list[DemoStep]:
    """The child's review, then the adult's, each from its notification to its closure."""
    return _child_review(start) + _adult_review(start)
