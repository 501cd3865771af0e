"""What a National Learning Review still owes, and where it stands against its timescales.

`obligations` is the officer's list of what the procedure still requires before the
review can close; `timescales` are the timescales of seeds 001 and 002, computed from the
record's events, so a projection can show what is due, overdue, paused or met.
"""

from __future__ import annotations

from datetime import date

from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale, add_days, add_months, add_weeks
from domain.routes.national.forms import PublicationChoice
from domain.routes.national.rules import RULE_COMMUNICATE, RULE_PUBLISHING
from domain.routes.national.state import NationalReviewRecord

RULE_DECISION_TIME = "seed 002 'Timing and timeliness': decision within around six weeks"
RULE_COMPLETION = "seed 001 'Timescale for the Learning Review': six to nine months"


def obligations(record: NationalReviewRecord) -> list[Obligation]:
    """What must still happen before the review can close, in the procedure's order."""
    if record.received_on is None or record.closed_on is not None:
        return []
    owed: list[Obligation] = []

    def owe(code: str, what: str, rule: str, due: date | None = None) -> None:
        owed.append(Obligation(code=code, what=what, rule=rule, due=due))

    if record.decision is None:
        owe(
            "committee-decision",
            f"the {record.committee} to decide whether to proceed",
            RULE_DECISION_TIME,
            add_weeks(record.received_on, 6),
        )
        return owed
    for key, code, what in (
        ("COG", "inform-cog", "inform the Chief Officers Group of the decision"),
        ("notifier", "notification-response", "send the Notification Response to the notifier"),
        ("Care Inspectorate", "notify-care-inspectorate", "notify the Care Inspectorate of the decision"),
    ):
        if key not in record.communicated:
            owe(code, what, RULE_COMMUNICATE)
    if record.decision == "not proceed":
        if record.alternative_approach_on is None:
            owe(
                "alternative-approach",
                "record the alternative approach for learning",
                "seed 001 process map 5A",
            )
        return owed
    if record.paused:
        owe("resume", "resume the paused review", "seed 001 'Managing emerging issues'")
    pending = record.pending_terms
    if pending is not None:
        owe(
            "terms-agreement",
            f"the {record.committee} to agree or decline terms of reference version {pending.version}",
            "seed 001 'Terms of reference'",
        )
    if (
        record.date_of_death_recorded
        and record.subject_group == "child"
        and record.dataset_completed_on is None
    ):
        owe(
            "child-death-dataset",
            "complete the National Child Death Review Dataset",
            "seed 001 process map 5B: completing the National Child Death Review Dataset",
        )
    if not record.signed_off_by_both():
        if not record.paused:
            # Seed 001 'Timescale for the Learning Review': once the review runs over, the Chair reports
            # the delay to the CPC (and, 'Managing emerging issues', the COG) with a revised timescale.
            due = timescales(record)[1].due
            owe(
                "delay-report",
                f"if the review runs over {due}: the Review Team Chair to report the delay to the "
                f"{record.committee} and the COG with a revised timescale",
                RULE_COMPLETION,
                due,
            )
        owe(
            "sign-off",
            f"the report to be signed off by the {record.committee} and the COG",
            "seed 001 'The Report'",
        )
        return owed
    if not any(v == record.latest_report_version and anon for v, anon in record.sent_to_care_inspectorate):
        owe(
            "send-to-care-inspectorate",
            "send the signed-off report, with an anonymised copy, to the Care Inspectorate",
            "seed 001 process map 5B",
        )
    if record.action_plan_agreed_on is None:
        owe(
            "action-plan",
            "agree the action plan for dissemination of learning",
            "seed 001 process map 5B",
        )
    for action_id, action in record.actions.items():
        if not action.open:
            continue
        if action.completed_on is None:
            owe(
                f"action-{action_id}",
                f"action {action_id} ({action.agency}) outstanding: complete it, or carry it "
                "over to a named owner",
                "seed 001 'The Report': CLEAR strategies are reviewed",
                action.due_on,
            )
        else:
            owe(
                f"sign-off-action-{action_id}",
                f"the {record.committee} to sign off action {action_id} on its evidence",
                "seed 001 'The Report': CLEAR strategies are reviewed",
            )
    owed.extend(_publication_obligations(record))
    if not record.disseminations:
        owe(
            "disseminate",
            "disseminate the learning (briefings, training)",
            "seed 002 'Sharing the learning'",
        )
    # Seed 001 'Engaging the family': feedback on the conclusion, and the family asked about the process;
    # one earlier feedback step covered both. Nothing is owed where the family is not involved.
    if record.family_feedback_on is None and record.family_not_involved_on is None:
        if record.family_feedback_on_conclusion is None:
            owe(
                "family-feedback",
                "feed back the conclusion and learning to the family",
                "seed 001 'Engaging the family in the Review process'",
            )
        if record.family_feedback_on_process is None:
            owe(
                "family-feedback-on-process",
                "ask the family how they found the process of the review",
                "seed 001 'Engaging the family in the Review process'",
            )
    return owed


def _publication_obligations(record: NationalReviewRecord) -> list[Obligation]:
    decision = record.publication_decision
    if decision is None:
        what = "the COG to decide on publication"
        if record.publication_recommendation is None:
            what = f"the {record.committee} to recommend, and the COG to decide, on publication"
        return [Obligation(code="publication-decision", what=what, rule=RULE_PUBLISHING)]
    if decision is PublicationChoice.NOT_PUBLISH and record.learning_published_separately_on is None:
        return [
            Obligation(
                code="publish-learning-separately",
                what="extract the learning from the report and publish it separately",
                rule=RULE_PUBLISHING,
            )
        ]
    if decision is PublicationChoice.PUBLISH_LATER:
        return [
            Obligation(
                code="publication-deferred",
                what="the COG to decide to publish once the reason for deferral has passed",
                rule=RULE_PUBLISHING,
            )
        ]
    if decision is PublicationChoice.PUBLISH and record.published_on is None:
        return [Obligation(code="publish", what="publish the anonymised report", rule=RULE_PUBLISHING)]
    return []


def timescales(record: NationalReviewRecord) -> list[Timescale]:
    """The decision timescale, and from a decision to proceed the 6- and 9-month completion ones.

    Completion is the date the report has been signed off by both the committee and
    the COG. A pause moves both completion due dates by its length. A delay reported
    with a revised timescale replaces the 6-month target by the revised date, which only
    pauses begun after the report move further; the 9-month outer limit is the
    guidance's own and only pauses move it.
    """
    if record.received_on is None:
        return []
    found = [
        Timescale(
            name="committee decision within 6 weeks of notification",
            rule=RULE_DECISION_TIME,
            started=record.received_on,
            due=add_weeks(record.received_on, 6),
            completed=record.decided_on,
        )
    ]
    if record.decision != "proceed" or record.decided_on is None:
        return found
    completed = _completed_on(record)
    paused_since = record.pauses[-1].paused_on if record.paused else None
    revised = record.delays[-1] if record.delays else None
    target_from = revised[0] if revised else None
    target_due = revised[1] if revised else add_months(record.decided_on, 6)
    target_pause = _paused_days(record, since=target_from)
    limit_pause = _paused_days(record, since=None)
    found += [
        Timescale(
            name="review completed within 6 months of the decision",
            rule=RULE_COMPLETION,
            started=record.decided_on,
            due=add_days(target_due, target_pause),
            completed=completed,
            paused_since=paused_since,
            paused_days=target_pause,
            revised=revised is not None,
        ),
        Timescale(
            name="review completed within 9 months of the decision (outer limit)",
            rule=RULE_COMPLETION,
            started=record.decided_on,
            due=add_days(add_months(record.decided_on, 9), limit_pause),
            completed=completed,
            paused_since=paused_since,
            paused_days=limit_pause,
        ),
    ]
    # Each action of the plan has its own timescale, so an overdue action shows beside the review's.
    return found + record.plan.timescales()


def _completed_on(record: NationalReviewRecord) -> date | None:
    if not record.signed_off_by_both():
        return None
    return max(on for _, on in record.signed_off.values())


def _paused_days(record: NationalReviewRecord, *, since: date | None) -> int:
    """Days of finished pauses begun on or after `since` (every pause when None)."""
    return sum(
        (p.resumed_on - p.paused_on).days
        for p in record.pauses
        if p.resumed_on is not None and (since is None or p.paused_on >= since)
    )
