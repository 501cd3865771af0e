"""Properties of the Mini and single-agency Learning Reviews under random command sequences.

Hypothesis drives each record with a random mixture of "the next step of the demo route",
steps of the other branches, deliberately bad variants (missing reasons, dates beyond 42
days, a second escalation) and random people from the demo cast. Whatever happens:

- a refused command leaves the record exactly as it was, and records nothing;
- an accepted command records exactly one event, in a role the person holds and the
  procedure's authority table allows;
- the history never reaches a state the procedure forbids (checked on the events
  themselves, independently of the aggregate's own bookkeeping);
- replaying the events rebuilds the same record.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.demo import mini as demo_mini
from adapters.demo import single_agency as demo_single_agency
from adapters.demo.cast import CAST
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import ReviewledgerError
from domain.kernel.event import DomainEvent
from domain.kernel.roles import Acting, Role
from domain.routes.mini import commands as mini
from domain.routes.mini import events as mini_events
from domain.routes.mini import review as mini_review
from domain.routes.mini import rules as mini_rules
from domain.routes.shared import actions as route_actions
from domain.routes.shared import dissemination as route_dissemination
from domain.routes.single_agency import commands as single
from domain.routes.single_agency import events as single_events
from domain.routes.single_agency import review as single_review
from domain.routes.single_agency import rules as single_rules
from tests.days import START, on

LATE = START + timedelta(days=400)  # every step is recorded after all the procedure's dates

PEOPLE: list[Acting] = [
    *(Acting(actor=m.actor_id, roles=frozenset(m.roles)) for m in CAST),
    Acting(actor="acting-up", roles=frozenset({Role.SOCIAL_WORKER, Role.LINE_MANAGER})),
    Acting(actor="other-reviewer", roles=frozenset({Role.LEAD_REVIEWER})),
    Acting(actor="passer-by"),
]
BY_ID = {p.actor: p for p in PEOPLE}

A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=DomainEvent)


# -- what may be tried ------------------------------------------------------------------------------

MINI_ROUTE: list[tuple[str, Command]] = [
    (s.actor, s.command) for s in demo_mini.steps(START) if not s.refused
]
MINI_OTHERS: list[tuple[str, Command]] = [
    (
        "partnership-lead",
        mini.RecordServicesAgreement(
            discussed_on=on(2),
            agreeing=(demo_mini.HEALTH,),
            not_agreeing=(demo_mini.EDUCATION,),
            basis="Split.",
        ),
    ),
    (
        "partnership-lead",
        mini.TableDisagreement(tabled_on=on(3), service=demo_mini.HEALTH, presenting_information="P."),
    ),
    ("delivery-chair", mini.ResolveDisagreement(decided_on=on(4), review_needed=True, reasons="Needed.")),
    (
        "delivery-chair",
        mini.ResolveDisagreement(decided_on=on(4), review_needed=False, reasons="Not needed."),
    ),
    ("delivery-chair", mini.ResolveDisagreement(decided_on=on(4), review_needed=True, reasons="")),
    ("delivery-chair", mini.RecordReviewToBeUndertaken(decided_on=on(16), presentation_due_on=on(16 + 43))),
    ("delivery-chair", mini.RecordReviewToBeUndertaken(decided_on=on(16), presentation_due_on=on(15))),
    ("partnership-lead", mini.SignOffAtPartnershipLevel(signed_off_on=on(52), version=1, reasons="Why.")),
    ("delivery-chair", mini.SignOffAtPartnershipLevel(signed_off_on=on(52), version=1)),
    (
        "delivery-chair",
        mini.SignOffAtPartnershipLevel(signed_off_on=on(52), version=1, reached_full_criteria=False),
    ),
    (
        "lead-officer",
        mini.RecordCriteriaConclusion(
            concluded_on=on(52), version=1, reached_full_criteria=False, reasons=" "
        ),
    ),
    (
        "lead-officer",
        mini.RecordCriteriaConclusion(
            concluded_on=on(52), version=1, reached_full_criteria=False, reasons="Below the §1.2 threshold."
        ),
    ),
    (
        "agency-contact-2",
        mini.ReturnInformationForm(
            service=demo_mini.HEALTH,
            returned_on=on(25),
            form=demo_mini.information_form(on(25), demo_mini.HEALTH),
        ),
    ),
    (
        "agency-contact",
        mini.RecordReviewMeeting(
            held_on=on(35), kind=mini.MeetingKind.REVIEW_TEAM, attendees=(demo_mini.LEAD,), minutes="Met."
        ),
    ),
    ("partnership-lead", mini.PresentReviewReport(presented_on=on(52), version=2)),
    (
        "partnership-lead",
        mini.CompileReviewReport(compiled_on=on(46), findings=("A second version.",), actions=()),
    ),
    (
        "partnership-lead",
        mini.ChangeReviewTeam(changed_on=on(20), leaving=(demo_mini.ADMIN,), reason="Moved post."),
    ),
    (
        "delivery-chair",
        mini.EscalateToFullReview(national_reference="LR-2026-077", escalated_on=on(20), reasons="R."),
    ),
    (
        "partnership-lead",
        mini.EscalateToFullReview(national_reference="LR-2026-078", escalated_on=on(30), reasons=""),
    ),
    ("partnership-lead", mini.CloseMiniReview(closed_on=on(40), summary="Closing early.")),
    ("delivery-chair", mini.CloseMiniReview(closed_on=on(90), summary="Closing.")),
    (
        "agency-contact",
        mini.ReturnInformationForm(
            service="Police", returned_on=on(25), form=demo_mini.information_form(on(25), "Police")
        ),
    ),
    (
        "partnership-lead",
        route_actions.RecordActionProgress(
            action_id="A9", status=route_actions.ActionStatus.COMPLETE, recorded_on=on(70), note="?"
        ),
    ),
    ("qa-chair", route_actions.SignOffAction(action_id="A2", signed_off_on=on(79))),
    (
        "delivery-chair",
        route_actions.CarryOverAction(
            action_id="A1", owner_subject=demo_mini.LEAD, owner_name="M", carried_over_on=on(70), reason="r"
        ),
    ),
    (
        "partnership-lead",
        route_actions.ReportActionException(reported_on=on(130), actions=("A2",), summary="Late."),
    ),
    (
        "partnership-lead",
        route_dissemination.RecordDisseminationFeedback(activity_number=2, received_on=on(82), feedback="f"),
    ),
    (
        "partnership-lead",
        route_dissemination.TagLearningThemes(tagged_on=on(82), themes=("a theme; with words",)),
    ),
    ("partnership-lead", msgspec.structs.replace(MINI_ROUTE[0][1], full_criteria_not_met=False)),
]

DISAGREE = (
    "partnership-lead",
    mini.RecordServicesAgreement(
        discussed_on=on(2), agreeing=(demo_mini.HEALTH,), not_agreeing=(demo_mini.EDUCATION,), basis="Split."
    ),
)
TABLE_IT = (
    "partnership-lead",
    mini.TableDisagreement(tabled_on=on(3), service=demo_mini.HEALTH, presenting_information="P."),
)
MINI_ROUTES: list[list[tuple[str, Command]]] = [
    MINI_ROUTE,
    # §1.6: the disagreement is tabled and the Delivery Group decides the review is needed ...
    [
        MINI_ROUTE[0],
        DISAGREE,
        TABLE_IT,
        ("delivery-chair", mini.ResolveDisagreement(decided_on=on(4), review_needed=True, reasons="Needed.")),
        *MINI_ROUTE[2:],
    ],
    # ... or that it is not.
    [
        MINI_ROUTE[0],
        DISAGREE,
        TABLE_IT,
        (
            "delivery-chair",
            mini.ResolveDisagreement(decided_on=on(4), review_needed=False, reasons="Not needed."),
        ),
        ("delivery-chair", mini.CloseMiniReview(closed_on=on(5), summary="Not undertaken.")),
    ],
]

SINGLE_ROUTE: list[tuple[str, Command]] = [
    (s.actor, s.command) for s in demo_single_agency.steps(START) if not s.refused
]
SINGLE_ROUTES: list[list[tuple[str, Command]]] = [
    SINGLE_ROUTE,
    # A worker who also holds the line manager role signs as the worker; someone else must
    # sign as the line manager.
    [*SINGLE_ROUTE[:4], ("acting-up", SINGLE_ROUTE[4][1]), *SINGLE_ROUTE[5:]],
    # §3(3): the Service Manager does not agree the criteria are met.
    [
        *SINGLE_ROUTE[:6],
        (
            "service-manager",
            single.RecordCriteriaNotMet(
                decided_on=on(8), reasons="Drift, not a review.", supervision_notes_on=on(8)
            ),
        ),
        ("service-manager", single.CloseSingleAgencyReview(closed_on=on(9), summary="Not taken forward.")),
    ],
    # §3(4b): CFCIG agrees not to proceed; the team manager reports back.
    [
        *SINGLE_ROUTE[:7],
        (
            "cfcig-chair",
            single.DecideNotToProceed(
                discussed_on=on(15),
                rationale="Learning captured elsewhere.",
                further_actions=("Share minutes.",),
                team_manager="line-manager",
            ),
        ),
        (
            "service-manager",
            single.GiveWrittenFeedback(
                sent_on=on(17),
                recipients=("line-manager",),
                protocol_enclosed=False,
                summary="Not proceeding.",
            ),
        ),
        (
            "line-manager",
            single.ReportProgressOnRecommendations(reported_on=on(30), item=1, progress="Done."),
        ),
        ("cfcig-chair", single.CloseSingleAgencyReview(closed_on=on(31), summary="Recommendation complete.")),
    ],
]
SINGLE_OTHERS: list[tuple[str, Command]] = [
    (
        "service-manager",
        route_dissemination.RecordDisseminationFeedback(activity_number=2, received_on=on(82), feedback="f"),
    ),
    ("lead-reviewer", route_dissemination.TagLearningThemes(tagged_on=on(82), themes=("",))),
    (
        "service-manager",
        single.RecordCriteriaNotMet(
            decided_on=on(8), reasons="Drift, not a review.", supervision_notes_on=on(8)
        ),
    ),
    (
        "service-manager",
        single.RecordCriteriaNotMet(decided_on=on(8), reasons="", supervision_notes_on=on(8)),
    ),
    (
        "cfcig-chair",
        single.DecideNotToProceed(
            discussed_on=on(15),
            rationale="Learning captured elsewhere.",
            further_actions=("Share minutes.",),
            team_manager="line-manager",
        ),
    ),
    ("cfcig-chair", single.DecideNotToProceed(discussed_on=on(15), rationale="")),
    (
        "cfcig-chair",
        single.DecideToProceed(
            discussed_on=on(15),
            key_objectives=(),
            lead_reviewer="lead-reviewer",
            parameters="P.",
            complete_by=on(70),
        ),
    ),
    (
        "cfcig-chair",
        single.DecideToProceed(
            discussed_on=on(15),
            key_objectives=("O.",),
            lead_reviewer="other-reviewer",
            parameters="P.",
            complete_by=on(70),
        ),
    ),
    ("line-manager", single.ReportProgressOnRecommendations(reported_on=on(30), item=1, progress="Done.")),
    ("line-manager", single.ReportProgressOnRecommendations(reported_on=on(30), item=2, progress="?")),
    (
        "service-manager",
        single.GiveWrittenFeedback(
            sent_on=on(17), recipients=("line-manager",), protocol_enclosed=False, summary="S."
        ),
    ),
    ("acting-up", single.SignReferralForm(version=1, signatory=single.Signatory.WORKER, signed_on=on(4))),
    (
        "acting-up",
        single.SignReferralForm(version=1, signatory=single.Signatory.LINE_MANAGER, signed_on=on(5)),
    ),
    ("social-worker", single.CompleteReferralForm(form=demo_single_agency.referral_form(on(4)))),
    ("lead-reviewer", single.ShareOutlineFindings(shared_on=on(46), findings=("Revised outline.",))),
    ("lead-reviewer", single.DraftReport(drafted_on=on(50), key_issues=("Second draft.",))),
    ("lead-reviewer", single.PresentReport(presented_on=on(55), version=2)),
    ("other-reviewer", single.RecordAccuracyCheck(checked_on=on(45))),
    (
        "cfcig-chair",
        single.AgreeRecommendations(
            agreed_on=on(55), version=1, recommendations=("R.",), monitoring="", dissemination="D."
        ),
    ),
    (
        "service-manager",
        single.EscalateToFullReview(national_reference="LR-2026-079", escalated_on=on(20), reasons="R."),
    ),
    (
        "cfcig-chair",
        single.EscalateToFullReview(national_reference="LR-2026-080", escalated_on=on(20), reasons="R."),
    ),
    ("cfcig-chair", single.CloseSingleAgencyReview(closed_on=on(40), summary="Closing early.")),
    ("service-manager", single.CloseSingleAgencyReview(closed_on=on(95), summary="Closing.")),
]

ROUTE, ROUTE_BY, SKIP, AGAIN, ANY, PROBE = "route", "route-by", "skip", "again", "any", "probe"
#: One move: advance the demo route by n steps with its own people; take the route's next step
#: as someone picked at random; skip (never try) the route's next n steps, so that later steps
#: come out of order; try the last command again (a second escalation, a second signature);
#: take one of the other branches' steps or bad variants, as its own person (None) or someone at random;
#: or probe: try every other step and every remaining route step on a copy, and keep none of them.
Move = tuple[str, int, int | None]
moves = st.lists(
    st.one_of(
        st.tuples(st.just(ROUTE), st.integers(1, 8), st.none()),
        st.tuples(st.just(ROUTE_BY), st.just(0), st.integers(0, len(PEOPLE) - 1)),
        st.tuples(st.just(SKIP), st.integers(1, 3), st.none()),
        st.tuples(st.just(AGAIN), st.just(0), st.one_of(st.none(), st.integers(0, len(PEOPLE) - 1))),
        st.tuples(st.just(PROBE), st.just(0), st.none()),
        st.tuples(st.just(ANY), st.integers(0, 200), st.one_of(st.none(), st.integers(0, len(PEOPLE) - 1))),
    ),
    min_size=8,
    max_size=60,
)


def drive(
    record: A,
    route: list[tuple[str, Command]],
    others: list[tuple[str, Command]],
    procedure: dict[type[Command], Any],
    plan: list[Move],
    forbidden: Callable[[list[tuple[DomainEvent, str]]], list[str]],
) -> list[tuple[DomainEvent, str]]:
    """Run the plan, checking every step; return the history of (event, actor)."""
    cursor = 0
    history: list[tuple[DomainEvent, str]] = []

    last: list[tuple[Acting, Command]] = []

    def attempt(actor: Acting, command: Command) -> bool:
        last[:] = [(actor, command)]
        return step(record, actor, command, procedure, history, forbidden)

    for kind, number, who in plan:
        if kind == PROBE:
            for own, command in [*others, *route[cursor:]]:
                step(copy.deepcopy(record), BY_ID[own], command, procedure, list(history), forbidden)
            continue
        if kind == AGAIN:
            if last:
                actor, command = last[0]
                attempt(actor if who is None else PEOPLE[who], command)
            continue
        if kind == ANY:
            own, command = others[number % len(others)]
            attempt(BY_ID[own] if who is None else PEOPLE[who], command)
            continue
        if kind == ROUTE_BY:
            # Someone at random tries the route's next step; the route moves on only if it is taken.
            if cursor < len(route) and attempt(PEOPLE[who or 0], route[cursor][1]):
                cursor += 1
            continue
        if kind == SKIP:
            cursor += number
            continue
        for _ in range(number):
            if cursor >= len(route):
                break
            own, command = route[cursor]
            cursor += 1  # tried once by its own person: taken or refused, the route moves on
            attempt(BY_ID[own], command)
    replayed = type(record).replay(record.reference, [e for e, _ in history])
    assert {k: v for k, v in vars(replayed).items() if k != "_pending"} == {
        k: v for k, v in vars(record).items() if k != "_pending"
    }
    return history


def step(
    record: Aggregate,
    person: Acting,
    command: Command,
    procedure: dict[type[Command], Any],
    history: list[tuple[DomainEvent, str]],
    forbidden: Callable[[list[tuple[DomainEvent, str]]], list[str]],
) -> bool:
    """One command: refused and nothing changed, or exactly one permitted event and no forbidden state."""
    moment = LATE + timedelta(minutes=len(history))
    before = copy.deepcopy(vars(record))
    try:
        record.execute(command, person, moment)
    except ReviewledgerError:
        assert vars(record) == before, f"{type(command).__name__} was refused but changed the record"
        return False
    events = record.collect_events()
    assert len(events) == 1, f"{type(command).__name__} recorded {len(events)} events"
    event = events[0]
    assert isinstance(
        event,
        mini_events.MiniEvent
        | single_events.SingleAgencyEvent
        | route_actions.ActionEvent
        | route_dissemination.DisseminationEvent,
    )
    role = event.role
    assert role in person.roles
    assert role in procedure[type(command)].roles
    history.append((event, person.actor))
    problems = forbidden(history)
    assert problems == [], problems
    return True


def first(history: list[tuple[DomainEvent, str]], kind: type[E]) -> int | None:
    return next((i for i, (e, _) in enumerate(history) if isinstance(e, kind)), None)


def all_of(history: list[tuple[DomainEvent, str]], kind: type[E]) -> list[tuple[int, E]]:
    return [(i, e) for i, (e, _) in enumerate(history) if isinstance(e, kind)]


def before(history: list[tuple[DomainEvent, str]], index: int, kind: type[E]) -> list[E]:
    return [e for e, _ in history[:index] if isinstance(e, kind)]


def closing_is_last(history: list[tuple[DomainEvent, str]], closed: type[DomainEvent]) -> list[str]:
    position = first(history, closed)
    if position is not None and position != len(history) - 1:
        return [f"a step was recorded after closure: {type(history[-1][0]).__name__}"]
    return []


# -- Mini Learning Review -----------------------------------------------------------------------------


def dissemination_problems(
    history: list[tuple[DomainEvent, str]],
    activity: type[route_dissemination.DisseminationActivityShape],
    feedback: type[route_dissemination.DisseminationFeedbackShape],
) -> list[str]:
    """Activities are numbered 1, 2, ... in order; feedback is only on an activity already recorded."""
    problems: list[str] = []
    numbers = [e.number for _, e in all_of(history, activity)]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append("dissemination activities not numbered in order")
    for i, reply in all_of(history, feedback):
        if reply.activity_number > len(before(history, i, activity)):
            problems.append("feedback on a dissemination activity not yet recorded")
    return problems


def mini_forbidden(history: list[tuple[DomainEvent, str]]) -> list[str]:
    """States seed 000 forbids, read from the events alone."""
    problems = closing_is_last(history, mini_events.MiniReviewClosed)
    if len(all_of(history, mini_events.EscalatedToFullReview)) > 1:
        problems.append("escalated twice")
    for i, request in all_of(history, mini_events.MiniReviewRequested):
        if i != 0 or len(request.services) < 2 or not request.full_criteria_not_met:
            problems.append("a request that is not first, single-service, or meeting the full criteria")
    for i, decision in all_of(history, mini_events.ReviewToBeUndertakenRecorded):
        earlier = before(history, i, mini_events.RequestTabled)
        if not earlier or not 0 <= (decision.presentation_due_on - earlier[-1].meeting_on).days <= 42:
            problems.append("presentation date not within 42 days of tabling")
    decided = first(history, mini_events.ReviewToBeUndertakenRecorded)
    for kind in (
        mini_events.ReviewTeamAppointed,
        mini_events.InformationRequested,
        mini_events.ReviewReportCompiled,
    ):
        position = first(history, kind)
        if position is not None and (decided is None or position < decided):
            problems.append(f"{kind.__name__} before the Delivery Group decided")
    for i, returned in all_of(history, mini_events.InformationFormReturned):
        asked = {s for r in before(history, i, mini_events.InformationRequested) for s in r.services}
        if returned.service not in asked:
            problems.append("an information form from a service that was not asked")
        contacts = {
            c.actor_id
            for c in before(history, i, mini_events.ServiceContactNamed)
            if c.service == returned.service
        }
        if history[i][1] not in contacts:
            problems.append("an information form returned by someone not named for that service")
    for i, _ in [
        *all_of(history, mini_events.ReviewMeetingHeld),
        *all_of(history, mini_events.ReviewReportCompiled),
    ]:
        team = {
            m.actor_id
            for e in before(history, i, mini_events.ReviewTeamAppointed)
            + before(history, i, mini_events.ReviewTeamChanged)
            for m in (e.members if isinstance(e, mini_events.ReviewTeamAppointed) else e.joining)
        }
        if history[i][1] not in team:
            problems.append("a meeting or report recorded by someone not appointed to the Review Team")
    for i, signed in all_of(history, mini_events.SignedOffByPartnership):
        presented = before(history, i, mini_events.ReviewReportPresented)
        compiled = before(history, i, mini_events.ReviewReportCompiled)
        if not presented or presented[-1].version != signed.version or compiled[-1].version != signed.version:
            problems.append("signed off without the latest report presented")
        concluded = [
            c for c in before(history, i, mini_events.FullCriteriaConcluded) if c.version == signed.version
        ]
        if not concluded or concluded[-1].reached_full_criteria != signed.reached_full_criteria:
            problems.append("signed off without agreeing the Lead Officer's conclusion on the full criteria")
        if history[i][1] != "delivery-chair":
            problems.append("signed off by someone other than the Delivery Group")
    for i, conclusion in all_of(history, mini_events.FullCriteriaConcluded):
        if not conclusion.reasons.value or history[i][1] != "lead-officer":
            problems.append("a conclusion on the full criteria without reasons, or not the Lead Officer's")
    signed_at = first(history, mini_events.SignedOffByPartnership)
    for reporting in (
        mini_events.FindingsAndActionsReceived,
        mini_events.FeedbackGivenToCog,
        mini_events.LearningDisseminated,
    ):
        position = first(history, reporting)
        if position is not None and (signed_at is None or position < signed_at):
            problems.append(f"{reporting.__name__} before sign-off")
    if first(history, mini_events.MiniReviewClosed) is not None:
        problems.extend(mini_closure_problems(history))
    problems += dissemination_problems(
        history, mini_events.DisseminationActivityRecorded, mini_events.DisseminationFeedbackRecorded
    )
    return problems


def open_actions(history: list[tuple[DomainEvent, str]]) -> list[str]:
    """The actions of the last report neither signed off after completion nor carried over."""
    compiled = all_of(history, mini_events.ReviewReportCompiled)
    if not compiled:
        return []
    since, report = compiled[-1]
    later = [e for e, _ in history[since:]]
    complete = {
        e.action_id
        for e in later
        if isinstance(e, mini_events.ActionProgressRecorded)
        and e.status is route_actions.ActionStatus.COMPLETE
    }
    signed = {e.action_id for e in later if isinstance(e, mini_events.ActionSignedOff)}
    carried = {e.action_id for e in later if isinstance(e, mini_events.ActionCarriedOver)}
    for e in later:
        if isinstance(e, mini_events.ActionSignedOff) and e.action_id not in complete:
            return [f"{e.action_id} signed off before it was complete"]
    return [
        a.action_id
        for a in report.actions
        if not (a.action_id in complete & signed or a.action_id in carried)
    ]


def mini_closure_problems(history: list[tuple[DomainEvent, str]]) -> list[str]:
    not_needed = any(not r.review_needed for _, r in all_of(history, mini_events.DisagreementResolved))
    escalated = first(history, mini_events.EscalatedToFullReview) is not None
    signed = all_of(history, mini_events.SignedOffByPartnership)
    if not_needed or (escalated and not signed):
        return []
    if not signed:
        return ["closed before sign-off"]
    problems = [f"closed with action {a} open" for a in open_actions(history)]
    if (
        first(history, mini_events.FindingsAndActionsReceived) is None
        or first(history, mini_events.FeedbackGivenToCog) is None
    ):
        problems.append("closed before reporting to the QA Sub Committee and the COG")
    if signed[-1][1].reached_full_criteria and not escalated:
        problems.append("closed having reached the full criteria without escalation")
    if not any(
        d.activity is mini.DisseminationActivity.FEEDBACK
        for _, d in all_of(history, mini_events.LearningDisseminated)
    ):
        problems.append("closed without dissemination feedback")
    return problems


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(MINI_ROUTES) - 1), moves)
def test_no_sequence_of_commands_takes_a_mini_review_into_a_forbidden_state(
    route: int, plan: list[Move]
) -> None:
    drive(
        mini_review.MiniReview("MLR-PROP"),
        MINI_ROUTES[route],
        MINI_OTHERS,
        mini_rules.STEPS,
        plan,
        mini_forbidden,
    )


@pytest.mark.parametrize("route", range(len(MINI_ROUTES)))
def test_each_mini_route_alone_reaches_closure_through_the_driver(route: int) -> None:
    steps = MINI_ROUTES[route]
    history = drive(
        mini_review.MiniReview("MLR-PROP"),
        steps,
        MINI_OTHERS,
        mini_rules.STEPS,
        [(ROUTE, len(steps), None)],
        mini_forbidden,
    )
    assert len(history) == len(steps)
    assert isinstance(history[-1][0], mini_events.MiniReviewClosed)


# -- single-agency Learning Review ---------------------------------------------------------------------

LEAD_REVIEWER_EVENTS = (
    single_events.ReviewParticipantsAgreed,
    single_events.ReviewMeetingHeld,
    single_events.OutlineFindingsShared,
    single_events.AccuracyCheckRecorded,
    single_events.ReportDrafted,
    single_events.ReportPresented,
)


def single_forbidden(history: list[tuple[DomainEvent, str]]) -> list[str]:
    """States seed 004 forbids, read from the events alone."""
    problems = closing_is_last(history, single_events.SingleAgencyReviewClosed)
    if len(all_of(history, single_events.EscalatedToFullReview)) > 1:
        problems.append("escalated twice")
    for i, _ in [
        *all_of(history, single_events.CriteriaAgreed),
        *all_of(history, single_events.CriteriaNotMetRecorded),
    ]:
        forms = before(history, i, single_events.ReferralFormCompleted)
        if not forms:
            problems.append("Service Manager decided without a Referral Form")
            continue
        signed = [
            s for s in before(history, i, single_events.ReferralFormSigned) if s.version == forms[-1].version
        ]
        if {s.signatory for s in signed} != set(single.Signatory) or len({s.signed_by for s in signed}) != 2:
            problems.append("Service Manager decided on a form not signed by two different people")
    for _, declined in all_of(history, single_events.CriteriaNotMetRecorded):
        if not declined.reasons.value:
            problems.append("criteria not met without reasons")
    for _, refusal in all_of(history, single_events.DecisionNotToProceedRecorded):
        if not refusal.rationale.value:
            problems.append("not proceeding without a rationale")
    decisions = all_of(history, single_events.DecisionToProceedRecorded)
    lead = decisions[0][1].lead_reviewer if decisions else None
    for event, actor in history:
        if isinstance(event, LEAD_REVIEWER_EVENTS) and actor != lead:
            problems.append(f"{type(event).__name__} by someone other than the identified lead reviewer")
    for i, presented in all_of(history, single_events.ReportPresented):
        outlines = [j for j, _ in all_of(history, single_events.OutlineFindingsShared) if j < i]
        checks = [j for j, _ in all_of(history, single_events.AccuracyCheckRecorded) if j < i]
        if not outlines or not checks or checks[-1] < outlines[-1]:
            problems.append("report presented before the accuracy check of its outline findings")
        drafts = before(history, i, single_events.ReportDrafted)
        if not drafts or drafts[-1].version != presented.version:
            problems.append("presented a report version that is not the latest draft")
    for i, agreed in all_of(history, single_events.RecommendationsAgreedV2):
        presented_versions = [p.version for p in before(history, i, single_events.ReportPresented)]
        if (
            agreed.version not in presented_versions
            or not (agreed.monitoring.value or "").strip()
            or not (agreed.dissemination.value or "").strip()
        ):
            problems.append("recommendations agreed without a presented report, monitoring or dissemination")
    for _, letter in all_of(history, single_events.WrittenFeedbackGiven):
        if decisions and not letter.protocol_enclosed:
            problems.append("feedback on proceeding without the protocol")
    if first(history, single_events.SingleAgencyReviewClosed) is not None:
        problems.extend(single_closure_problems(history))
    problems += dissemination_problems(
        history, single_events.DisseminationActivityRecorded, single_events.DisseminationFeedbackRecorded
    )
    return problems


def single_closure_problems(history: list[tuple[DomainEvent, str]]) -> list[str]:
    if first(history, single_events.CriteriaNotMetRecorded) is not None:
        return []
    escalated = first(history, single_events.EscalatedToFullReview) is not None
    agreed = first(history, single_events.RecommendationsAgreedV2) is not None
    refusals = all_of(history, single_events.DecisionNotToProceedRecorded)
    if escalated and not agreed:
        return []
    if first(history, single_events.WrittenFeedbackGiven) is None:
        return ["closed without written feedback"]
    if refusals:
        reported = {r.item for _, r in all_of(history, single_events.RecommendationProgressReported)}
        if reported != set(range(1, len(refusals[0][1].further_actions) + 1)):
            return ["closed before the team manager reported back on every recommendation"]
        return []
    if not agreed:
        return ["closed before a CFCIG outcome"]
    if first(history, single_events.LearningDisseminated) is None:
        return ["closed before the learning was disseminated"]
    agreed_at, plan = all_of(history, single_events.RecommendationsAgreedV2)[-1]
    later = [e for e, _ in history[agreed_at:]]
    complete = {
        e.action_id
        for e in later
        if isinstance(e, single_events.ActionProgressRecorded)
        and e.status is route_actions.ActionStatus.COMPLETE
    }
    signed = {e.action_id for e in later if isinstance(e, single_events.ActionSignedOff)}
    carried = {e.action_id for e in later if isinstance(e, single_events.ActionCarriedOver)}
    return [
        f"closed with action {a.action_id} open"
        for a in plan.actions
        if not (a.action_id in complete & signed or a.action_id in carried)
    ]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SINGLE_ROUTES) - 1), moves)
def test_no_sequence_of_commands_takes_a_single_agency_review_into_a_forbidden_state(
    route: int, plan: list[Move]
) -> None:
    drive(
        single_review.SingleAgencyReview("SALR-PROP"),
        SINGLE_ROUTES[route],
        SINGLE_OTHERS,
        single_rules.STEPS,
        plan,
        single_forbidden,
    )


@pytest.mark.parametrize("route", range(len(SINGLE_ROUTES)))
def test_each_single_agency_route_alone_reaches_closure_through_the_driver(route: int) -> None:
    steps = SINGLE_ROUTES[route]
    history = drive(
        single_review.SingleAgencyReview("SALR-PROP"),
        steps,
        SINGLE_OTHERS,
        single_rules.STEPS,
        [(ROUTE, len(steps), None)],
        single_forbidden,
    )
    assert len(history) == len(steps)
    assert isinstance(history[-1][0], single_events.SingleAgencyReviewClosed)


# -- every one-step deviation, exhaustively ----------------------------------------------------------


def deviate_everywhere(
    make: Callable[[], Aggregate],
    routes: list[list[tuple[str, Command]]],
    others: list[tuple[str, Command]],
    procedure: dict[type[Command], Any],
    forbidden: Callable[[list[tuple[DomainEvent, str]]], list[str]],
) -> int:
    """At every point of every route, try every step of the pool as its own person, and the
    route's next step as every person, each on a copy; then run each route with one step
    forgotten. Return how many commands were tried."""
    tried = 0
    for route in routes:
        record = make()
        history: list[tuple[DomainEvent, str]] = []
        pool = [*others, *route]
        for position in range(len(route) + 1):
            trials = [(BY_ID[own], command) for own, command in pool]
            if position < len(route):
                trials += [(someone, route[position][1]) for someone in PEOPLE]
            for actor, command in trials:
                step(copy.deepcopy(record), actor, command, procedure, list(history), forbidden)
                tried += 1
            if position < len(route):
                own, command = route[position]
                assert step(record, BY_ID[own], command, procedure, history, forbidden)
        # The route with one step forgotten: everything after it is refused or still permitted.
        for forgotten in range(len(route)):
            record = make()
            history = []
            for own, command in route[:forgotten] + route[forgotten + 1 :]:
                step(record, BY_ID[own], command, procedure, history, forbidden)
                tried += 1
    return tried


def test_every_one_step_deviation_from_a_mini_route_is_refused_or_permitted() -> None:
    tried = deviate_everywhere(
        lambda: mini_review.MiniReview("MLR-PROP"),
        MINI_ROUTES,
        MINI_OTHERS,
        mini_rules.STEPS,
        mini_forbidden,
    )
    assert tried > 2000


def test_every_one_step_deviation_from_a_single_agency_route_is_refused_or_permitted() -> None:
    tried = deviate_everywhere(
        lambda: single_review.SingleAgencyReview("SALR-PROP"),
        SINGLE_ROUTES,
        SINGLE_OTHERS,
        single_rules.STEPS,
        single_forbidden,
    )
    assert tried > 2000
