"""Demonstration script: one complete Mini Learning Review (seed 000), escalated to a full review.

Everything here is invented. MLR-2026-001 is requested, agreed, tabled and undertaken; the
Review Team gathers the services' information forms and meets; at sign-off the Partnership
concludes that the case reaches the criteria for a full Learning Review, so it is escalated
(the national record LR-2026-002 is created by the national route's own script, with
`escalated_from` = MLR-2026-001). The mini review still reports to the QA Sub Committee and
the COG, disseminates its learning and closes. One step is refused on purpose: the Delivery
Group tries to set a presentation date beyond the 42 days of §1.5.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.demo.cast import DemoStep
from domain.governance.subjects import RegisterSubject, SubjectCategory
from domain.kernel.command import Command
from domain.routes.mini.commands import (
    AcknowledgeStaffConcern,
    ActionAnswers,
    AppointReviewTeam,
    CloseMiniReview,
    CompileReviewReport,
    DisseminationActivity,
    EscalateToFullReview,
    MeetingKind,
    NameServiceContact,
    Presenter,
    PresentReviewReport,
    ReceiveFindingsAndActions,
    RecordCriteriaConclusion,
    RecordDissemination,
    RecordFeedbackToCog,
    RecordReviewMeeting,
    RecordReviewToBeUndertaken,
    RecordServicesAgreement,
    ReferStaffConcern,
    RequestInformation,
    RequestMiniReview,
    ReturnInformationForm,
    SetReviewScope,
    SignOffAtPartnershipLevel,
    StaffConcern,
    SubmitRequestForm,
    TableRequest,
    TeamMemberAnswers,
    TeamRole,
)
from domain.routes.mini.forms import (
    CompleterAnswers,
    InformationChildAnswers,
    InformationFormAnswers,
    MiniCriterion,
    PracticeIssue,
    PracticeIssueAnswer,
    PractitionerAnswers,
    RelativeAnswers,
    RequestChildAnswers,
    RequestFormAnswers,
)
from domain.routes.mini.review import MiniReview
from domain.routes.shared.actions import (
    ActionStatus,
    AssignActionOwner,
    CarryOverAction,
    RecordActionProgress,
    SignOffAction,
)
from domain.routes.shared.dissemination import (
    DisseminationKind,
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)

REFERENCE = "MLR-2026-001"
NATIONAL_REFERENCE = "LR-2026-002"

CHILD = "S-MLR1-CHILD"
SIBLING = "S-MLR1-SIBLING"
MOTHER = "S-MLR1-MOTHER"
LEAD = "S-MLR1-LEAD"
HEALTH_VISITOR = "S-MLR1-HV"
TEACHER = "S-MLR1-TEACHER"
SOCIAL_WORKER = "S-MLR1-SW"
ADMIN = "S-MLR1-ADMIN"

HEALTH, EDUCATION, SOCIAL_WORK = "Health Visiting", "Primary Education", "Children's Social Work"

SUBJECTS: list[RegisterSubject] = [
    RegisterSubject(
        subject_id=CHILD,
        category=SubjectCategory.CHILD,
        name="Eilidh Moar",
        date_of_birth=date(2019, 5, 14),
        address="3 Harbour Row, Stromness",
        school="Stromness Primary School",
    ),
    RegisterSubject(
        subject_id=SIBLING, category=SubjectCategory.SIBLING, name="Finn Moar", date_of_birth=date(2016, 9, 2)
    ),
    RegisterSubject(
        subject_id=MOTHER,
        category=SubjectCategory.PARENT_CARER,
        name="Lorna Moar",
        date_of_birth=date(1993, 1, 21),
        address="3 Harbour Row, Stromness",
    ),
    RegisterSubject(subject_id=LEAD, category=SubjectCategory.PRACTITIONER, name="Magnus Linklater"),
    RegisterSubject(subject_id=HEALTH_VISITOR, category=SubjectCategory.PRACTITIONER, name="Ingrid Spence"),
    RegisterSubject(subject_id=TEACHER, category=SubjectCategory.PRACTITIONER, name="Ross Halcro"),
    RegisterSubject(subject_id=SOCIAL_WORKER, category=SubjectCategory.PRACTITIONER, name="Jamie Isbister"),
    RegisterSubject(subject_id=ADMIN, category=SubjectCategory.PRACTITIONER, name="Kirsten Work"),
]

_MOTHER = RelativeAnswers(subject_id=MOTHER, name="Lorna Moar", date_of_birth=date(1993, 1, 21))
_SIBLING = RelativeAnswers(subject_id=SIBLING, name="Finn Moar", date_of_birth=date(2016, 9, 2))


def request_form(completed_on: date) -> RequestFormAnswers:
    """Appendix 1 as the Partnership Lead completed it."""
    return RequestFormAnswers(
        request_from="Magnus Linklater",
        requester_subject=LEAD,
        contact_details="magnus.linklater@partnership.example",
        agency="Orkney Children's Services Partnership",
        completed_on=completed_on,
        children=(
            RequestChildAnswers(
                subject_id=CHILD,
                name_or_identifier="Eilidh Moar",
                date_of_birth=date(2019, 5, 14),
                home_address="3 Harbour Row, Stromness",
                current_residence="3 Harbour Row, Stromness",
                gender="female",
                legal_status="no compulsory measures",
                education="Stromness Primary School (P2)",
                additional_factors="hearing impairment; Gaelic-speaking household",
                parents_carers=(_MOTHER,),
                siblings=(_SIBLING,),
                on_register_now="No",
                siblings_on_register_now="No",
                on_register_before="No",
                siblings_on_register_before="Yes: registered March to October 2022 (neglect)",
                looked_after="No",
                siblings_looked_after="No",
            ),
        ),
        criteria=(MiniCriterion.IMPROVEMENT_OR_AWARENESS, MiniCriterion.HOW_IT_HAPPENED),
        grounds="School absence and missed health appointments were known to three services but never put together.",
        immediate_concerns=None,
        general_concerns="Information sharing between health visiting and school; passed to both services.",
        parallel_reviews=None,
        criminal_procedures=None,
        significant_incident_on=completed_on - timedelta(days=20),
        case_summary="Eilidh missed 40% of school in one term and three audiology appointments before a fall at home.",
        practitioners=(
            PractitionerAnswers(
                subject_id=HEALTH_VISITOR,
                service=HEALTH,
                role_with_family="health visitor (named person until school entry)",
                name="Ingrid Spence",
                title="Health Visitor",
                contact="ingrid.spence@health.example",
            ),
            PractitionerAnswers(
                subject_id=TEACHER,
                service=EDUCATION,
                role_with_family="class teacher and named person",
                name="Ross Halcro",
                title="Principal Teacher",
                contact="ross.halcro@school.example",
            ),
        ),
        discussion_data="Heads of Health, Education and Social Work agreed the pattern was not shared in time.",
        agency_involvement="Health visiting contact until 2024; school since August 2024; social work duty call in 2025.",
        initial_reflection="Each service held part of the picture; none had a reason to ask the others.",
    )


def information_form(completed_on: date, requested: str) -> InformationFormAnswers:
    """The information form a participating service returns."""
    return InformationFormAnswers(
        children=(
            InformationChildAnswers(
                subject_id=CHILD,
                name="Eilidh Moar",
                identifier_number="CHI 1405190000",
                date_of_birth=date(2019, 5, 14),
                significant_incident_on=completed_on - timedelta(days=40),
                gender="female",
                parents_carers=(_MOTHER,),
                siblings=(_SIBLING,),
                home_address="3 Harbour Row, Stromness",
                education="Stromness Primary School",
            ),
        ),
        involvement_summary=f"{requested}: contact with Eilidh and her mother over the last two years.",
        background_history="Sibling previously registered (2022); family supported by the school nurse.",
        practice_issues=(
            PracticeIssueAnswer(
                issue=PracticeIssue.INFORMATION_SHARING,
                answer="Missed appointments were recorded but not shared with the named person.",
            ),
            PracticeIssueAnswer(
                issue=PracticeIssue.GOOD_PRACTICE,
                answer="The class teacher noticed the hearing aids were missing and asked why.",
            ),
        ),
        current_or_planned_reviews=None,
        criminal_proceedings=None,
        completed_by=CompleterAnswers(
            subject_id=SOCIAL_WORKER,
            name="Jamie Isbister",
            title="Senior Practitioner",
            agency=requested,
            email="jamie.isbister@service.example",
            completed_on=completed_on,
        ),
    )


def steps(start: datetime) -> list[DemoStep]:
    """The whole mini review, day by day from `start`."""

    def on(day: int) -> date:
        return (start + timedelta(days=day)).date()

    script: list[DemoStep] = []

    def step(day: int, actor: str, command: Command, note: str, *, refused: bool = False) -> None:
        at = start + timedelta(days=day, hours=9, minutes=len(script))
        script.append(
            DemoStep(
                actor=actor,
                reference=REFERENCE,
                record_type=MiniReview,
                command=command,
                at=at,
                refused=refused,
                note=note,
            )
        )

    lead, group = "partnership-lead", "delivery-chair"
    step(
        0,
        lead,
        RequestMiniReview(
            received_on=on(0),
            initiator_service=HEALTH,
            services=(HEALTH, EDUCATION, SOCIAL_WORK),
            criteria=(MiniCriterion.IMPROVEMENT_OR_AWARENESS, MiniCriterion.HOW_IT_HAPPENED),
            full_criteria_not_met=True,
            concern="Missed school and audiology appointments were not put together before Eilidh's fall.",
            subjects=(CHILD, MOTHER),
        ),
        "A member of the Partnership requests a Mini Learning Review (§1.4)",
    )
    step(
        2,
        lead,
        RecordServicesAgreement(
            discussed_on=on(2),
            agreeing=(HEALTH, EDUCATION, SOCIAL_WORK),
            basis="All three Heads of Service agree the concern is below the full criteria and worth learning from.",
        ),
        "Heads of Service discuss and agree (§1.4)",
    )
    step(
        9,
        lead,
        SubmitRequestForm(submitted_on=on(9), form=request_form(on(9))),
        "Request Form submitted (App. 1)",
    )
    step(16, group, TableRequest(meeting_on=on(16)), "Tabled at the Delivery Group meeting")
    step(
        16,
        group,
        RecordReviewToBeUndertaken(decided_on=on(16), presentation_due_on=on(16 + 50)),
        "Refused: a presentation date beyond 42 calendar days (§1.5)",
        refused=True,
    )
    step(
        16,
        group,
        RecordReviewToBeUndertaken(decided_on=on(16), presentation_due_on=on(16 + 40)),
        "The Delivery Group records that a Mini Learning Review is to be undertaken",
    )
    step(
        18,
        lead,
        SetReviewScope(
            set_on=on(18),
            questions=(
                "How did each service learn of Eilidh's absences and missed appointments?",
                "What stopped the information reaching the named person?",
            ),
            scope="August 2024 to the fall at home; Health Visiting, Education and Social Work.",
        ),
        "Questions and scope (§2.3(2))",
    )
    step(
        18,
        lead,
        AppointReviewTeam(
            appointed_on=on(18),
            members=(
                TeamMemberAnswers(
                    subject_id=LEAD,
                    name="Magnus Linklater",
                    service=HEALTH,
                    team_role=TeamRole.REVIEW_LEAD,
                    has_conflict=False,
                    declaration="No involvement with the family.",
                    actor_id=lead,
                ),
                TeamMemberAnswers(
                    subject_id=ADMIN,
                    name="Kirsten Work",
                    service="Partnership support",
                    team_role=TeamRole.ADMIN_SUPPORT,
                    has_conflict=False,
                    declaration="No involvement with the family.",
                ),
            ),
        ),
        "The Partnership Lead appoints a small Review Team with admin support (§2.2)",
    )
    step(
        19,
        lead,
        RequestInformation(requested_on=on(19), services=(HEALTH, EDUCATION, SOCIAL_WORK)),
        "Information forms requested",
    )
    for service in (HEALTH, EDUCATION, SOCIAL_WORK):
        step(
            19,
            lead,
            NameServiceContact(service=service, actor_id="agency-contact", named_on=on(19)),
            f"The Partnership Lead names who answers for {service}",
        )
    for day, service in ((25, HEALTH), (30, EDUCATION), (32, SOCIAL_WORK)):
        step(
            day,
            "agency-contact",
            ReturnInformationForm(
                service=service, returned_on=on(day), form=information_form(on(day), service)
            ),
            f"{service} returns its information form within 14 days",
        )
    step(
        35,
        lead,
        RecordReviewMeeting(
            held_on=on(35),
            kind=MeetingKind.PRACTITIONERS,
            attendees=(LEAD, ADMIN, HEALTH_VISITOR, TEACHER, SOCIAL_WORKER),
            minutes="Practitioners mapped who knew what, and when; the audiology letters went to an old address.",
        ),
        "Practitioners' meeting (minutes)",
    )
    step(
        38,
        lead,
        RecordReviewMeeting(
            held_on=on(38),
            kind=MeetingKind.CHILD_AND_FAMILY_VIEWS,
            attendees=(LEAD, MOTHER),
            minutes="Ms Moar described moving house twice and not receiving appointment letters.",
        ),
        "The views of the family (§2.3(4))",
    )
    step(
        39,
        lead,
        ReferStaffConcern(
            referred_on=on(39),
            service=HEALTH,
            concern=StaffConcern.COMPETENCE,
            practitioners=(HEALTH_VISITOR,),
            procedure="NHS Orkney capability policy",
            summary="Returned audiology letters were filed without a follow-up call over four months.",
        ),
        "A competence issue goes to Health's own staff procedures, not into the review (§1)",
    )
    step(
        41,
        "agency-contact",
        AcknowledgeStaffConcern(referral="SC1", acknowledged_on=on(41)),
        "Health takes the referral up under its own procedures",
    )
    step(
        45,
        lead,
        CompileReviewReport(
            compiled_on=on(45),
            findings=(
                "Attendance and health information sat in separate systems with no trigger to share.",
                "The injury and the sibling's earlier registration point to a risk of significant harm.",
            ),
            actions=(
                ActionAnswers(
                    action_id="A1",
                    description="Named person to receive missed-appointment notices for P1-P3 children.",
                    owner_service=HEALTH,
                    due_on=on(90),
                ),
                ActionAnswers(
                    action_id="A2",
                    description="Attendance below 80% triggers a multi-agency check.",
                    owner_service=EDUCATION,
                    due_on=on(120),
                ),
            ),
        ),
        "Review report compiled (version 1)",
    )
    step(
        52, lead, PresentReviewReport(presented_on=on(52), version=1), "Presented back to the Delivery Group"
    )
    step(
        52,
        "lead-officer",
        RecordCriteriaConclusion(
            concluded_on=on(52),
            version=1,
            reached_full_criteria=True,
            reasons="The fall, with the sibling's earlier registration, meets the §1.2 criteria of risk of significant harm.",
        ),
        "The Lead Officer concludes the full Learning Review criteria are reached, with reasons (§4)",
    )
    step(
        52,
        group,
        SignOffAtPartnershipLevel(signed_off_on=on(52), version=1, reached_full_criteria=True),
        "The Delivery Group signs off at Partnership level, agreeing the conclusion (§4)",
    )
    step(
        53,
        lead,
        EscalateToFullReview(
            national_reference=NATIONAL_REFERENCE,
            escalated_on=on(53),
            reasons="Notification for a full Learning Review following the mini review's findings (§1.3).",
        ),
        "Escalated: a Notification for a full Learning Review (LR-2026-002)",
    )
    step(
        60,
        "qa-chair",
        ReceiveFindingsAndActions(received_on=on(60), presented_by=Presenter.REVIEW_LEAD),
        "Findings and actions presented to the Child Protection QA Sub Committee",
    )
    step(
        62,
        "cog-chair",
        RecordFeedbackToCog(
            given_on=on(62), presented_by=Presenter.CSWO, response="Noted; full review supported."
        ),
        "Feedback to the COG (Public Protection)",
    )
    dissemination = (
        (65, DisseminationActivity.MEETING_WITH_THOSE_INVOLVED, "practitioners involved"),
        (66, DisseminationActivity.IMPROVEMENT_PLAN_OR_EVIDENCE_LOG, "Children's Services Improvement Plan"),
        (70, DisseminationActivity.SINGLE_SERVICE, "health visiting and primary teams"),
        (72, DisseminationActivity.PARTNERSHIP, "Children's Services Partnership"),
    )
    for day, activity, audience in dissemination:
        step(
            day,
            lead,
            RecordDissemination(
                activity=activity,
                held_on=on(day),
                audience=audience,
                summary="Learning on sharing missed appointments and attendance with the named person.",
            ),
            f"Dissemination: {activity}",
        )
    for day, action_id, owner, name, due in (
        (63, "A1", HEALTH_VISITOR, "Ingrid Spence", 90),
        (63, "A2", TEACHER, "Ross Halcro", 120),
    ):
        step(
            day,
            lead,
            AssignActionOwner(
                action_id=action_id, owner_subject=owner, owner_name=name, due_on=on(due), assigned_on=on(day)
            ),
            f"Action {action_id} has a named owner and a due date",
        )
    step(
        75,
        lead,
        RecordActionProgress(
            action_id="A1",
            status=ActionStatus.COMPLETE,
            recorded_on=on(75),
            note="Notices now copied.",
            evidence=("Health visiting procedure HV-12 v3, section 4",),
        ),
        "Action A1 complete, with its evidence",
    )
    step(
        78,
        "qa-chair",
        SignOffAction(action_id="A1", signed_off_on=on(78), comments="Evidence seen."),
        "The QA Sub Committee signs off action A1 on its evidence",
    )
    step(
        76,
        lead,
        RecordActionProgress(
            action_id="A2",
            status=ActionStatus.IN_PROGRESS,
            recorded_on=on(76),
            note="Trigger agreed; IT change due.",
        ),
        "Action A2 in progress",
    )
    step(
        80,
        lead,
        RecordDissemination(
            activity=DisseminationActivity.FEEDBACK,
            held_on=on(80),
            audience="all of the above",
            summary="Feedback gathered; no further learning activity needed beyond the full review.",
        ),
        "Feedback from dissemination (§5)",
    )
    step(
        80,
        lead,
        RecordDisseminationActivity(
            activity=DisseminationKind.SEVEN_MINUTE_BRIEFING,
            held_on=on(80),
            audience="primary school staff and social work teams",
            description="7-minute briefing on absence as a trigger for contact.",
        ),
        "A 7-minute briefing, with its audience and date",
    )
    step(
        81,
        lead,
        RecordDisseminationFeedback(
            activity_number=1,
            received_on=on(81),
            feedback="Staff asked for the trigger in the school system.",
        ),
        "Feedback on the briefing",
    )
    step(
        81,
        lead,
        TagLearningThemes(tagged_on=on(81), themes=("school absence", "information sharing")),
        "The learning tagged with its themes",
    )
    step(
        83,
        group,
        CarryOverAction(
            action_id="A2",
            owner_subject=TEACHER,
            owner_name="Ross Halcro",
            carried_over_on=on(83),
            reason="The IT change continues under the Children's Services Improvement Plan.",
        ),
        "Action A2 carried over to a named owner in the Improvement Plan",
    )
    step(
        84,
        lead,
        CloseMiniReview(
            closed_on=on(84), summary="Closed; the learning continues in Learning Review LR-2026-002."
        ),
        "Mini Learning Review closed",
    )
    return script
