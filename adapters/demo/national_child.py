"""Demonstration script: the child's National Learning Review, LR-2026-001 (seed 001), start to finish.

It proceeds, amends its terms of reference, pauses on new police information, reports the delay
with a revised timescale, and is published once the Procurator Fiscal has been consulted. One
step is refused on purpose: the Chair of the Chief Officers Group tries to take the committee's
decision to proceed.
"""

from __future__ import annotations

from datetime import date, datetime

from adapters.demo.cast import DemoStep
from adapters.demo.national_script import (
    ADMIN,
    CHAIR,
    CHILD,
    CHILD_REVIEW,
    CONTENTS,
    EDUCATION,
    HEALTH,
    HEALTH_VISITOR,
    MEMBER,
    MOTHER,
    NOTIFIER,
    POLICE,
    REVIEWER,
    SISTER,
    Script,
    appoint,
    communicate,
    practitioner,
    present,
)
from domain.kernel.event import Nature
from domain.routes.national.commands import (
    AgreeActionPlan,
    AgreeFamilyLiaisonStrategy,
    AgreeTorAmendment,
    CheckParallelProcess,
    CloseReview,
    DecidePublication,
    DecideToProceed,
    DraftReportVersion,
    MakeRecommendation,
    MergeChronologies,
    NameAgencyContact,
    PassToNominatedPerson,
    PauseReview,
    ProposeTorAmendment,
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
    RecordFamilyGroupMember,
    RecordFamilyViewsOnPublication,
    RecordMediaApproach,
    RecordPoliceLiaison,
    RecordPractitionerEvent,
    RecordProceedingsLiaison,
    RecordTeamMeeting,
    ReportDelay,
    RequestChronology,
    RequestInformation,
    ResumeReview,
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
from domain.routes.shared.actions import AssignActionOwner, ReportActionException, SignOffAction


def child_review(start: datetime) -> list[DemoStep]:
    s = Script(CHILD_REVIEW, start)
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
            agency_contacts=(practitioner(HEALTH_VISITOR, "Moira Firth", HEALTH),),
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
            contact=practitioner(HEALTH_VISITOR, "Moira Firth", HEALTH),
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
    communicate(s, 37)
    s.add(37, "cpc-officer", RecordMediaApproach(agreed_on=s.on(37), approach="Reactive statement only."))
    # 7. The Review Team is set up; the Chair checks for parallel processes: a police investigation is ongoing.
    appoint(s, 42, practitioner(CHAIR, "Alan Scott", "Orkney public protection"), TeamRole.CHAIR)
    appoint(s, 42, practitioner(MEMBER, "Jean Miller", EDUCATION), TeamRole.MEMBER)
    appoint(s, 42, practitioner(REVIEWER, "Ailsa Tulloch", "independent"), TeamRole.REVIEWER)
    appoint(s, 42, practitioner(ADMIN, "Rona Linklater", "Orkney public protection"), TeamRole.ADMINISTRATOR)
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
    present(s, 252, 2)
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
