"""Demonstration script: one complete single-agency Learning Review (seed 004), identification to closure.

Everything here is invented. SALR-2026-001 follows the Falkirk referral pathway: identified at
a Team Around the Child meeting after a foster placement broke down, discussed in supervision,
recommended to the Service Manager, referred on the signed Referral Form, agreed to meet the
criteria, and taken by the CFCIG to a Learning Review led by the lead reviewer. One step is
refused on purpose: the social worker tries to record the CFCIG's decision.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.demo.cast import DemoStep
from domain.governance.subjects import RegisterSubject, SubjectCategory
from domain.kernel.command import Command
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
from domain.routes.single_agency.commands import (
    ActionAnswers,
    AgreeCriteriaMet,
    AgreeRecommendations,
    AgreeReviewParticipants,
    CloseSingleAgencyReview,
    CompleteReferralForm,
    DecideToProceed,
    DisseminationAudience,
    DraftReport,
    GiveWrittenFeedback,
    IdentifyCase,
    IdentifyingMeeting,
    MeetingKind,
    ParticipantAnswers,
    PresentReport,
    RecommendReview,
    RecordAccuracyCheck,
    RecordDissemination,
    RecordReviewMeeting,
    RecordSupervisionDiscussion,
    ShareOutlineFindings,
    Signatory,
    SignReferralForm,
)
from domain.routes.single_agency.forms import (
    AgencyAnswers,
    HouseholdMemberAnswers,
    ProfessionalAnswers,
    ReferralFormAnswers,
    SingleAgencyCriterion,
)
from domain.routes.single_agency.review import SingleAgencyReview

REFERENCE = "SALR-2026-001"

CHILD = "S-SALR1-CHILD"
MOTHER = "S-SALR1-MOTHER"
PARTNER = "S-SALR1-PARTNER"
WORKER = "S-SALR1-SW"
LINE_MANAGER = "S-SALR1-LM"
TEACHER = "S-SALR1-TEACHER"
FOSTER_WORKER = "S-SALR1-FPW"

TEAM = "Children and Families, Falkirk East"

SUBJECTS: list[RegisterSubject] = [
    RegisterSubject(
        subject_id=CHILD,
        category=SubjectCategory.CHILD,
        name="Jordan Kerr",
        date_of_birth=date(2014, 2, 3),
        record_number="SW-448812",
    ),
    RegisterSubject(subject_id=MOTHER, category=SubjectCategory.PARENT_CARER, name="Nicola Kerr"),
    RegisterSubject(subject_id=PARTNER, category=SubjectCategory.HOUSEHOLD_MEMBER, name="Darren Wood"),
    RegisterSubject(subject_id=WORKER, category=SubjectCategory.PRACTITIONER, name="Kirsty Baird"),
    RegisterSubject(subject_id=LINE_MANAGER, category=SubjectCategory.PRACTITIONER, name="Douglas Rae"),
    RegisterSubject(subject_id=TEACHER, category=SubjectCategory.PRACTITIONER, name="Paula Grant"),
    RegisterSubject(subject_id=FOSTER_WORKER, category=SubjectCategory.PRACTITIONER, name="Alan Shaw"),
]


def referral_form(submitted_on: date) -> ReferralFormAnswers:
    """Appendix 3 as the worker and line manager completed it."""
    return ReferralFormAnswers(
        completed_by="Kirsty Baird",
        completer_subject=WORKER,
        service_team=TEAM,
        submitted_to_service_manager_on=submitted_on,
        child_name="Jordan Kerr",
        child_subject=CHILD,
        swis_number="SW-448812",
        parents_carers=(HouseholdMemberAnswers(subject_id=MOTHER, name="Nicola Kerr"),),
        others_in_household=(
            HouseholdMemberAnswers(subject_id=PARTNER, name="Darren Wood", relationship="mother's partner"),
        ),
        other_agencies=(
            AgencyAnswers(
                agency="Education",
                professionals=(
                    ProfessionalAnswers(
                        subject_id=TEACHER, name="Paula Grant", discipline="guidance teacher"
                    ),
                ),
            ),
            AgencyAnswers(
                agency="Family Placement",
                professionals=(
                    ProfessionalAnswers(
                        subject_id=FOSTER_WORKER, name="Alan Shaw", discipline="supervising social worker"
                    ),
                ),
            ),
        ),
        childs_plan_attached=True,
        grounds=(SingleAgencyCriterion.PLACEMENT_BREAKDOWN, SingleAgencyCriterion.LACK_OF_PROGRESS),
        circumstances="Jordan's second foster placement ended after eight weeks; the plan for permanence has not moved in a year.",
        key_facts="Accommodated March 2025; first placement ended June 2025; second placement ended January 2026.",
        reasons=(
            "Two placement breakdowns in a year.",
            "No progress on the permanence plan despite three reviews.",
        ),
    )


def steps(start: datetime) -> list[DemoStep]:
    """The whole review, day by day from `start`."""

    def on(day: int) -> date:
        return (start + timedelta(days=day)).date()

    script: list[DemoStep] = []

    def step(day: int, actor: str, command: Command, note: str, *, refused: bool = False) -> None:
        at = start + timedelta(days=day, hours=9, minutes=len(script))
        script.append(
            DemoStep(
                actor=actor,
                reference=REFERENCE,
                record_type=SingleAgencyReview,
                command=command,
                at=at,
                refused=refused,
                note=note,
            )
        )

    worker, line, manager, group, lead = (
        "social-worker",
        "line-manager",
        "service-manager",
        "cfcig-chair",
        "lead-reviewer",
    )
    step(
        0,
        worker,
        IdentifyCase(
            identified_on=on(0),
            meeting=IdentifyingMeeting.TEAM_AROUND_THE_CHILD,
            team=TEAM,
            criteria=(SingleAgencyCriterion.PLACEMENT_BREAKDOWN, SingleAgencyCriterion.LACK_OF_PROGRESS),
            concern="Second placement breakdown; the TAC meeting asked why the plan has stalled.",
            subjects=(CHILD, MOTHER),
        ),
        "Identified at a Team Around the Child meeting (§3)",
    )
    step(
        2,
        line,
        RecordSupervisionDiscussion(
            discussed_on=on(2), notes="Worker and line manager agree a review could help."
        ),
        "Discussed in supervision (§3(1))",
    )
    step(
        3,
        line,
        RecommendReview(
            recommended_on=on(3),
            service_manager=manager,
            reasons="Placement breakdown and lack of progress in the child's plan.",
        ),
        "The line manager recommends a review to the Service Manager (§3(2))",
    )
    step(4, worker, CompleteReferralForm(form=referral_form(on(4))), "Referral Form completed (Appendix 3)")
    step(
        4,
        worker,
        SignReferralForm(version=1, signatory=Signatory.WORKER, signed_on=on(4)),
        "Signed by the worker",
    )
    step(
        5,
        line,
        SignReferralForm(version=1, signatory=Signatory.LINE_MANAGER, signed_on=on(5)),
        "Signed by the line manager",
    )
    step(
        8,
        manager,
        AgreeCriteriaMet(agreed_on=on(8), comment="Meets the placement breakdown criterion."),
        "The Service Manager agrees the case meets the criteria (§3(3))",
    )
    proceed = DecideToProceed(
        discussed_on=on(15),
        rationale="Learning for the whole service on permanence planning.",
        key_objectives=(
            "Understand why the permanence plan stalled.",
            "Identify what would have supported the second placement.",
        ),
        lead_reviewer=lead,
        parameters="March 2025 to January 2026; social work and family placement records.",
        complete_by=on(75),
        outline_findings_by=on(50),
    )
    step(15, worker, proceed, "Refused: only the CFCIG decides (§3(4))", refused=True)
    step(15, group, proceed, "The CFCIG agrees to proceed: lead reviewer, parameters, timescales (§3(4a))")
    step(
        17,
        manager,
        GiveWrittenFeedback(
            sent_on=on(17),
            recipients=(line, worker),
            protocol_enclosed=True,
            summary="The CFCIG will proceed; Shona Gillies will lead; a copy of the protocol is enclosed.",
        ),
        "Written feedback to the team manager and worker, with the protocol",
    )
    step(
        20,
        lead,
        AgreeReviewParticipants(
            agreed_on=on(20),
            participants=(
                ParticipantAnswers(
                    subject_id=WORKER, name="Kirsty Baird", role_in_case="allocated social worker", team=TEAM
                ),
                ParticipantAnswers(
                    subject_id=LINE_MANAGER, name="Douglas Rae", role_in_case="team manager", team=TEAM
                ),
                ParticipantAnswers(
                    subject_id=FOSTER_WORKER,
                    name="Alan Shaw",
                    role_in_case="supervising social worker",
                    team="Family Placement",
                ),
            ),
            workers_have_protocol=True,
        ),
        "The lead reviewer agrees who is involved; workers have the protocol (§5)",
    )
    step(
        22,
        lead,
        RecordReviewMeeting(
            held_on=on(22), kind=MeetingKind.CASE_FILE_REVIEW, notes="Case files read before the group."
        ),
        "Case files reviewed before the group meeting (§5)",
    )
    step(
        30,
        lead,
        RecordReviewMeeting(
            held_on=on(30),
            kind=MeetingKind.GROUP_DISCUSSION,
            attendees=(WORKER, LINE_MANAGER, FOSTER_WORKER),
            notes="Key practice episodes: the matching decision and the missed support review in November.",
        ),
        "Learning review discussion with the workers (Appendix 4 prompts)",
    )
    step(
        40,
        lead,
        ShareOutlineFindings(
            shared_on=on(40),
            findings=(
                "Matching was rushed by a shortage of carers.",
                "The permanence plan had no named owner after the worker changed.",
            ),
        ),
        "Outline findings shared with the group (§5)",
    )
    step(
        45,
        lead,
        RecordAccuracyCheck(checked_on=on(45), corrections="Support review date corrected to 12 November."),
        "Accuracy check by the group",
    )
    step(
        48,
        lead,
        DraftReport(
            drafted_on=on(48),
            key_issues=("Matching under pressure of carer shortage.", "Ownership of the permanence plan."),
            implications_for_service="All teams: a named owner for each permanence plan.",
        ),
        "Report drafted (version 1)",
    )
    step(55, lead, PresentReport(presented_on=on(55), version=1), "Findings presented to CFCIG (§3(6))")
    step(
        55,
        group,
        AgreeRecommendations(
            agreed_on=on(55),
            version=1,
            recommendations=(
                "Every permanence plan has a named owner recorded on SWIS.",
                "Matching meetings record the alternatives considered.",
            ),
            actions=(
                ActionAnswers(
                    action_id="A1",
                    description="Add a permanence plan owner field to SWIS.",
                    owner_team="Business Support",
                    due_on=on(100),
                ),
                ActionAnswers(
                    action_id="A2",
                    description="Matching template revised.",
                    owner_team="Family Placement",
                    due_on=on(90),
                ),
            ),
            monitoring="Progress reported to CFCIG at each quarterly meeting.",
            dissemination="Briefing to workers involved, team meetings, and a service practice bulletin.",
        ),
        "CFCIG agrees recommendations, actions, monitoring and dissemination (§4)",
    )
    for action_id, owner, name, due in (
        ("A1", LINE_MANAGER, "Douglas Rae", 100),
        ("A2", FOSTER_WORKER, "Alan Shaw", 90),
    ):
        step(
            56,
            manager,
            AssignActionOwner(
                action_id=action_id, owner_subject=owner, owner_name=name, due_on=on(due), assigned_on=on(56)
            ),
            f"Action {action_id} has a named owner and a due date",
        )
    step(
        70,
        manager,
        RecordActionProgress(
            action_id="A2",
            status=ActionStatus.COMPLETE,
            recorded_on=on(70),
            note="Template revised and in use.",
            evidence=("Family Placement matching template v4",),
        ),
        "Action A2 complete, with its evidence",
    )
    step(
        75,
        group,
        SignOffAction(action_id="A2", signed_off_on=on(75), comments="Template seen in use."),
        "CFCIG signs off action A2 on its evidence",
    )
    step(
        72,
        lead,
        RecordDissemination(
            audience=DisseminationAudience.WORKERS_INVOLVED, held_on=on(72), method="briefing"
        ),
        "Learning shared with the workers involved",
    )
    step(
        80,
        manager,
        RecordDissemination(
            audience=DisseminationAudience.SERVICE, held_on=on(80), method="practice bulletin"
        ),
        "Learning shared across the service",
    )
    step(
        81,
        manager,
        RecordDisseminationActivity(
            activity=DisseminationKind.SINGLE_SERVICE_BRIEFING,
            held_on=on(81),
            audience="children and families social work teams",
            description="Briefing on recording contact attempts in SWIS.",
        ),
        "A single-service briefing, with its audience and date",
    )
    step(
        82,
        manager,
        RecordDisseminationFeedback(
            activity_number=1, received_on=on(82), feedback="Teams found it practical."
        ),
        "Feedback on the briefing",
    )
    step(
        82,
        manager,
        TagLearningThemes(tagged_on=on(82), themes=("recording", "information sharing")),
        "The learning tagged with its themes",
    )
    step(
        88,
        group,
        CarryOverAction(
            action_id="A1",
            owner_subject=LINE_MANAGER,
            owner_name="Douglas Rae",
            carried_over_on=on(88),
            reason="The SWIS change is scheduled with the next release; monitored by CFCIG quarterly.",
        ),
        "Action A1 carried over to a named owner",
    )
    step(
        90,
        group,
        CloseSingleAgencyReview(
            closed_on=on(90), summary="Learning disseminated; action A1 monitored by CFCIG."
        ),
        "Review closed",
    )
    return script
