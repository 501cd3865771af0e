"""Demonstration script: the adult's National Learning Review, ASP-2026-001 (seed 002), start to finish.

An Adult Support and Protection review that the COG decides not to publish, for exceptional
circumstances noted in its minutes; the learning is then published separately.
"""

from __future__ import annotations

from datetime import date, datetime

from adapters.demo.cast import DemoStep
from adapters.demo.national_script import (
    ADULT,
    ADULT_ADMIN,
    ADULT_CHAIR,
    ADULT_NOTIFIER,
    ADULT_REVIEW,
    ADULT_REVIEWER,
    CONTENTS_BUT_LEARNING,
    SON,
    Script,
    appoint,
    communicate,
    practitioner,
    present,
)
from domain.routes.national.commands import (
    AgreeActionPlan,
    AgreeFamilyLiaisonStrategy,
    CheckParallelProcess,
    CloseReview,
    DecidePublication,
    DecideToProceed,
    DraftReportVersion,
    MakeRecommendation,
    MergeChronologies,
    PassToNominatedPerson,
    PublishLearningSeparately,
    ReceiveChronology,
    ReceiveNotification,
    RecommendPublication,
    RecordActionProgress,
    RecordAgencyReturn,
    RecordDissemination,
    RecordFamilyFeedbackOnConclusion,
    RecordFamilyFeedbackOnProcess,
    RecordFamilyInformed,
    RecordFamilyViewsOnPublication,
    RecordNoPractitionerEvent,
    RequestChronology,
    RequestInformation,
    SendReportToCareInspectorate,
    SignOffReportForCog,
    SignOffReportForCommittee,
)
from domain.routes.national.forms import (
    ActionInput,
    ChronologyEntryInput,
    FamilyMemberDetails,
    PersonDetails,
    Proceeding,
    ProceedingState,
    PublicationChoice,
    SectionInput,
    SectionKind,
    TeamRole,
)
from domain.routes.shared.actions import SignOffAction


def adult_review(start: datetime) -> list[DemoStep]:
    s = Script(ADULT_REVIEW, start)
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
            notifier=practitioner(ADULT_NOTIFIER, "Lorna Muir", "Orkney Health and Care"),
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
    communicate(s, 31)
    appoint(s, 35, practitioner(ADULT_CHAIR, "Graham Eunson", "Orkney public protection"), TeamRole.CHAIR)
    appoint(s, 35, practitioner(ADULT_REVIEWER, "Sheila Groat", "independent"), TeamRole.REVIEWER)
    appoint(
        s, 35, practitioner(ADULT_ADMIN, "Kirsty Wylie", "Orkney public protection"), TeamRole.ADMINISTRATOR
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
    present(s, 133, 1)
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
