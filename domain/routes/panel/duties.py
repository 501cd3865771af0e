"""What a Learning and Improvement Panel case still owes, the stage that makes it, and its timescales.

Derived from the record's state each time they are asked for, never stored. The SCR and MALR
routes are each a list of steps in order; the first outstanding one is the case's stage and
says what is owed then.
"""

from __future__ import annotations

from datetime import date

from domain.kernel.roles import Role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale, add_months
from domain.routes.panel.commands import Involvement
from domain.routes.panel.forms import PanelDecision
from domain.routes.panel.rules import (
    RULE_AGENCY_CHECKS,
    RULE_AGENCY_REPORTS,
    RULE_BIMONTHLY,
    RULE_CHRONOLOGIES,
    RULE_MEETINGS,
    RULE_METHODOLOGY,
    RULE_ONE_DECISION,
    RULE_ORDER,
    RULE_PANEL_TIMESCALES,
    RULE_PAPERS,
    RULE_REPRESENTATIVES,
    RULE_SCR_DECISION,
    RULE_SCR_TIMESCALES,
    RULE_SCRUTINY,
    RULE_SIGN_OFF,
)
from domain.routes.panel.state import PanelCaseRecord, Stage
from domain.routes.panel.steps import AGENCY, AUDIT, BOARD, CHAIR, HOS, MALR_PANEL, PANEL, PDM, QA, SCR_PANEL


def progress(review: PanelCaseRecord) -> tuple[Stage, list[Obligation]]:
    """Where the case stands, and what the procedure still needs then, and from whom."""
    s = review.state
    if review.version == 0:
        return Stage.NOT_REFERRED, []
    if review.closed:
        return Stage.CLOSED, []
    close = [_owe("close the case", HOS, RULE_ORDER)]
    if s.decision is None:
        if s.panel_meeting_on is None:
            return Stage.REFERRED, [_owe("circulate the referral to the Panel", HOS, RULE_ORDER)]
        stage, deciders = Stage.AWAITING_PANEL, PANEL
        if s.scr_consideration_panel:
            stage, deciders = Stage.AWAITING_SCR_PANEL, (Role.SERVICE_DIRECTOR, *PANEL)
        decide = "decide: SCR criteria met, MALR, or no further review"
        return stage, [_owe(decide, deciders, RULE_ONE_DECISION, s.panel_meeting_on)]
    if s.decision is PanelDecision.NO_FURTHER_REVIEW:
        return Stage.NO_FURTHER_REVIEW, close
    if s.decision is PanelDecision.MALR:
        steps, done = _malr_steps(review), Stage.MALR_REPORTED
    else:
        steps, done = _scr_steps(review), Stage.SCR_DONE
    for stage, outstanding, owed in steps:
        if outstanding:
            return stage, owed
    return done, close


def _scr_steps(review: PanelCaseRecord) -> list[tuple[Stage, bool, list[Obligation]]]:
    """The SCR route in order: (stage, still outstanding?, what is owed then)."""
    s = review.state
    sd, np = (Role.SERVICE_DIRECTOR,), (Role.NATIONAL_PANEL,)
    reports = [
        _owe(f"{name}: submit the agency report", AGENCY, RULE_AGENCY_REPORTS, r.due_on)
        for name, r in s.agency_reports.items()
        if r.submitted_on is None
    ]
    if not s.agency_reports:
        reports = [_owe("request agency reports", HOS, RULE_AGENCY_REPORTS)]
    if s.methodology is None or s.methodology_endorsed is False:
        method = [_owe("choose the review's methodology", PANEL, RULE_METHODOLOGY)]
    else:
        method = [_owe("endorse the review's methodology", CHAIR, RULE_METHODOLOGY)]
    return [
        (
            Stage.SCR_RECOMMENDATION,
            s.scr_recommended is None,
            [*reports, _owe("recommend to the Independent Chair", sd, RULE_SCR_DECISION)],
        ),
        (
            Stage.SCR_DECISION,
            s.hold_scr is None,
            [_owe("decide whether to hold an SCR", CHAIR, RULE_SCR_DECISION)],
        ),
        (
            Stage.SCR_INFORMING,
            s.national_panel_informed_on is None,
            [_owe("inform Ofsted and the National Panel", CHAIR, RULE_SCRUTINY)],
        ),
        (
            Stage.SCR_SCRUTINY,
            review.under_scrutiny,
            [_owe("scrutinise the decision not to hold an SCR", np, RULE_SCRUTINY)],
        ),
        (Stage.SCR_NOT_HELD, not review.scr_held, [_owe("close the case", HOS, RULE_ORDER)]),
        (
            Stage.SCR_SETTING_UP,
            s.reviewer_commissioned_on is None,
            [_owe("commission the independent review", CHAIR, RULE_ORDER)],
        ),
        (
            Stage.SCR_SETTING_UP,
            not s.scr_panel_agencies,
            [_owe("agree the SCR Panel", CHAIR, RULE_ORDER)],
        ),
        (Stage.SCR_SETTING_UP, s.methodology_endorsed is not True, method),
        (
            Stage.SCR_SETTING_UP,
            s.scr_tor_agreed_on is None,
            [_owe("agree the terms of reference", SCR_PANEL, RULE_SCR_TIMESCALES)],
        ),
        (
            Stage.SCR_UNDER_REVIEW,
            not s.scr_panel_meetings,
            [_owe("hold an SCR Panel meeting", SCR_PANEL, RULE_SCR_TIMESCALES, s.scr_report_due)],
        ),
        (
            Stage.SCR_UNDER_REVIEW,
            s.report_on is None,
            [_owe("complete the report", HOS, RULE_SCR_TIMESCALES, s.scr_report_due)],
        ),
        (
            Stage.SCR_REPORTED,
            s.signed_off_on is None,
            [_owe("sign off the report", BOARD, RULE_SIGN_OFF)],
        ),
        (
            Stage.SCR_PUBLICATION,
            s.publish is None,
            [_owe("consider publication", BOARD, RULE_ORDER)],
        ),
    ]


def _malr_steps(review: PanelCaseRecord) -> list[tuple[Stage, bool, list[Obligation]]]:
    """The MALR route in order: (stage, still outstanding?, what is owed then)."""
    s = review.state
    first = s.first_meeting_on
    # While the checks run, every agency owes its answer and, if involved, its chronology.
    agencies = (
        [
            _owe(f"name who answers for {name}", HOS, RULE_AGENCY_CHECKS, first)
            for name, check in s.agencies.items()
            if check.involvement is None and not review.contacts.get(name)
        ]
        + [
            _owe(f"{name}: state involvement or none", AGENCY, RULE_AGENCY_CHECKS, first)
            for name, check in s.agencies.items()
            if check.involvement is None
        ]
        + [
            _owe(f"{name}: submit the chronology", AGENCY, RULE_CHRONOLOGIES, first)
            for name, check in s.agencies.items()
            if check.involvement is Involvement.INVOLVED and check.chronology is None
        ]
    )
    combine = [_owe("combine the chronologies", HOS, RULE_CHRONOLOGIES, first)]
    papers = (
        [
            _owe(
                "circulate the dates, chronology template and terms of reference",
                HOS,
                RULE_PAPERS,
                first,
            )
        ]
        if s.papers_circulated_on is None
        else []
    )
    representatives = [
        _owe(f"{name}: nominate a representative", AGENCY, RULE_REPRESENTATIVES, first)
        for name, check in s.agencies.items()
        if check.involvement is Involvement.INVOLVED and name not in s.representatives
    ]
    return [
        (
            Stage.MALR_SETTING_UP,
            s.concluded_on is None,
            [_owe("record the Panel's conclusion", PANEL, RULE_PANEL_TIMESCALES)],
        ),
        (
            Stage.MALR_AGENCY_CHECKS,
            not s.agencies,
            [_owe("request the agency checks", HOS, RULE_AGENCY_CHECKS, first)],
        ),
        (
            Stage.MALR_AGENCY_CHECKS,
            s.chronologies_combined_on is None,
            [*papers, *(agencies or combine), *representatives],
        ),
        (
            Stage.MALR_MEETINGS,
            not s.meetings_held,
            [*papers, *representatives, _owe("hold the 1st meeting", HOS, RULE_MEETINGS, first)],
        ),
        (
            Stage.MALR_MEETINGS,
            s.findings_agreed_on is None,
            [_owe("agree findings and recommendations", MALR_PANEL, RULE_MEETINGS)],
        ),
        (
            Stage.MALR_REPORTING,
            s.report_on is None,
            [_owe("prepare the report or case summary", HOS, RULE_ORDER, s.report_due)],
        ),
        (
            Stage.MALR_ACTION_PLAN,
            s.action_plan_circulated_on is None,
            [_owe("circulate the action plan", PDM, RULE_ORDER)],
        ),
        (
            Stage.MALR_MONITORING,
            not s.progress_updates,
            [_owe("monitor the action plan's progress", AUDIT, RULE_ORDER)],
        ),
        (
            Stage.MALR_MONITORING,
            s.reported_to_qa_on is None,
            [_owe("report progress to the QA Sub-group", AUDIT, RULE_ORDER)],
        ),
        (
            Stage.MALR_MONITORING,
            s.reported_to_board_on is None,
            [_owe("report the findings to the Board", QA, RULE_ORDER)],
        ),
        (Stage.MALR_MONITORING, bool(review.plan.open_actions()), review.plan.obligations(AUDIT, AUDIT)),
    ]


def timescales(review: PanelCaseRecord) -> list[Timescale]:
    """The timescales the Panel (and, for an SCR, the SCR Panel) set, as they stand."""
    s = review.state
    found: list[Timescale] = []
    if s.referred_on is not None:
        found.append(
            Timescale(
                name="considered at the next bi-monthly Panel meeting",
                rule=RULE_BIMONTHLY,
                started=s.referred_on,
                due=add_months(s.referred_on, 2),
                completed=s.decided_on,
            )
        )
    if s.concluded_on is not None and s.first_meeting_on is not None:
        set_on, first = s.concluded_on, s.first_meeting_on
        held = s.meetings_held
        found += [
            Timescale(
                name="agency checks answered before the 1st meeting",
                rule=RULE_AGENCY_CHECKS,
                started=set_on,
                due=first,
                completed=s.checks_completed_on,
            ),
            Timescale(
                name="chronologies combined before the 1st meeting",
                rule=RULE_CHRONOLOGIES,
                started=set_on,
                due=first,
                completed=s.chronologies_combined_on,
            ),
            Timescale(
                name="1st meeting on the date the Panel set",
                rule=RULE_PANEL_TIMESCALES,
                started=set_on,
                due=first,
                completed=held[0] if held else None,
            ),
        ]
        if s.second_meeting_on is not None:
            found.append(
                Timescale(
                    name="2nd meeting on the date the Panel set",
                    rule=RULE_PANEL_TIMESCALES,
                    started=set_on,
                    due=s.second_meeting_on,
                    completed=held[1] if len(held) > 1 else None,
                )
            )
        if s.report_due is not None:
            found.append(
                Timescale(
                    name="report or case summary by the date the Panel set",
                    rule=RULE_PANEL_TIMESCALES,
                    started=set_on,
                    due=s.report_due,
                    completed=s.report_on,
                )
            )
    for name, report in s.agency_reports.items():
        found.append(
            Timescale(
                name=f"agency report from {name} by the date the Head of Safeguarding set",
                rule=RULE_AGENCY_REPORTS,
                started=report.requested_on,
                due=report.due_on,
                completed=report.submitted_on,
            )
        )
    if s.concluded_on is not None and s.first_meeting_on is not None and s.agencies:
        found.append(
            Timescale(
                name="dates, chronology template and terms of reference circulated before the 1st meeting",
                rule=RULE_PAPERS,
                started=s.concluded_on,
                due=s.first_meeting_on,
                completed=s.papers_circulated_on,
            )
        )
        for name, check in s.agencies.items():
            if check.involvement is Involvement.INVOLVED and check.answered_on is not None:
                found.append(
                    Timescale(
                        name=f"{name} nominates its representative before the 1st meeting",
                        rule=RULE_REPRESENTATIVES,
                        started=check.answered_on,
                        due=max(s.first_meeting_on, check.answered_on),
                        completed=s.representatives.get(name),
                    )
                )
    found += review.plan.timescales()
    if s.scr_tor_agreed_on is not None and s.scr_report_due is not None:
        found.append(
            Timescale(
                name="SCR report within the timescale the SCR Panel agreed",
                rule=RULE_SCR_TIMESCALES,
                started=s.scr_tor_agreed_on,
                due=s.scr_report_due,
                completed=s.report_on,
            )
        )
    return found


def _owe(what: str, who: tuple[Role, ...], rule: str, due: date | None = None) -> Obligation:
    return Obligation(what=what, who=who, rule=rule, due=due)
