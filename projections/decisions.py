"""Which events are decisions, sign-offs and terms-of-reference steps, and how to read them.

The Chief Officers Group asks of every decision: who made it, in which role, when, with
what outcome, on what stated basis, following from what, and whether it was in time.
Each entry below names, for one stable event type, the kind of decision, the words the
trail uses for it, how to state its outcome, the date it carries, the fields that hold
its basis or reasons, and the earlier steps it follows from (the latest of them on the
same review is shown). Whether it met a timescale is not listed here: it is read from
the record itself (the timescale the event completed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from domain.routes.panel.events import SUCCESSORS

Outcome = Callable[[Any], str]


class DecisionSpec(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    what: str
    outcome: Outcome
    on: str | None = None  # the field holding the date the decision was made
    basis: tuple[str, ...] = ()
    follows: tuple[str, ...] = ()


class TermsSpec(msgspec.Struct, frozen=True, kw_only=True):
    action: str  # set, proposed, agreed, declined
    on: str
    changes: tuple[str, ...] = ()
    version: str | None = None  # the field naming the version; None: the route has one version


def _value(field: str) -> Outcome:
    return lambda e: str(getattr(getattr(e, field), "value", getattr(e, field)))


def _yes_no(field: str, yes: str, no: str) -> Outcome:
    return lambda e: yes if getattr(e, field) else no


def _fixed(words: str) -> Outcome:
    return lambda _e: words


def _spec(kind: str, what: str, outcome: Outcome, on: str | None = None, *basis: str) -> DecisionSpec:
    return DecisionSpec(kind=kind, what=what, outcome=outcome, on=on, basis=basis)


def _after(spec: DecisionSpec, *follows: str) -> DecisionSpec:
    return msgspec.structs.replace(spec, follows=follows)


N, M, P, S = "national.", "mini.", "panel.", "single."

DECISIONS: dict[str, DecisionSpec] = {
    # National Learning Review (seeds 001, 002).
    N + "recommendation-made": _after(
        _spec(
            "recommendation",
            "recommendation to the committee on whether to proceed",
            _value("recommendation"),
            "made_on",
            "reasons",
            "proposed_terms_of_reference",
            "alternative_approach",
        ),
        N + "agency-return-received",
        N + "passed-to-nominated-person",
    ),
    N + "decision-to-proceed-recorded": _after(
        _spec(
            "decision",
            "decision whether to proceed",
            _fixed("proceed"),
            "decided_on",
            "basis",
            "terms_of_reference",
        ),
        N + "recommendation-made",
    ),
    N + "decision-not-to-proceed-recorded": _after(
        _spec("decision", "decision whether to proceed", _fixed("not proceed"), "decided_on", "basis"),
        N + "recommendation-made",
    ),
    N + "media-approach-recorded": _spec(
        "agreement", "approach to the media agreed", _fixed("agreed"), "agreed_on", "approach"
    ),
    N + "alternative-approach-recorded": _after(
        _spec(
            "decision",
            "alternative approach for learning",
            lambda e: f"led by {e.lead_agency}",
            "agreed_on",
            "approach",
        ),
        N + "decision-not-to-proceed-recorded",
    ),
    N + "review-team-member-appointed": _spec(
        "appointment",
        "review team member appointed",
        lambda e: f"{e.member.subject_id} appointed as {e.team_role.value}",
        "appointed_on",
        "change_reason",
    ),
    N + "terms-of-reference-amendment-agreed": _after(
        _spec(
            "agreement", "terms of reference amendment", lambda e: f"version {e.version} agreed", "agreed_on"
        ),
        N + "terms-of-reference-amendment-proposed",
    ),
    N + "terms-of-reference-amendment-declined": _after(
        _spec(
            "decision",
            "terms of reference amendment",
            lambda e: f"version {e.version} declined",
            "declined_on",
            "reason",
        ),
        N + "terms-of-reference-amendment-proposed",
    ),
    N + "review-paused": _spec("decision", "review paused", _fixed("paused"), "paused_on", "reason"),
    N + "review-resumed": _after(
        _spec("decision", "review resumed", _fixed("resumed"), "resumed_on"),
        N + "review-paused",
        N + "review-paused-with-notice",
    ),
    N + "delay-reported": _spec(
        "decision",
        "delay reported and completion date revised",
        lambda e: f"completion revised to {e.revised_completion.isoformat()}",
        "reported_on",
        "reason",
    ),
    N + "review-paused-with-notice": _spec(
        "decision",
        "review paused",
        lambda e: f"paused; {' and '.join(str(b) for b in e.notice_to)} told on {e.notice_on.isoformat()}",
        "paused_on",
        "reason",
    ),
    N + "delay-reported-to-committee-and-cog": _spec(
        "decision",
        "delay reported and completion date revised",
        lambda e: (
            f"completion revised to {e.revised_completion.isoformat()}; reported to "
            f"{' and '.join(str(b) for b in e.recipients)}"
        ),
        "reported_on",
        "reason",
    ),
    N + "decision-not-to-involve-family-recorded": _spec(
        "decision",
        "decision not to involve the family",
        _fixed("family not involved"),
        "decided_on",
        "reasons",
    ),
    N + "action-carried-over": _spec(
        "decision",
        "action carried over to a named owner",
        lambda e: f"action {e.action_id} carried over",
        "carried_over_on",
        "reason",
    ),
    N + "report-signed-off-by-committee": _after(
        _spec(
            "sign-off",
            "report signed off by the committee",
            lambda e: f"version {e.version} signed off",
            "signed_off_on",
        ),
        N + "report-version-drafted",
    ),
    N + "report-signed-off-by-cog": _after(
        _spec(
            "sign-off",
            "report signed off by the COG",
            lambda e: f"version {e.version} signed off",
            "signed_off_on",
        ),
        N + "report-signed-off-by-committee",
    ),
    N + "action-plan-agreed": _after(
        _spec("agreement", "action plan agreed", lambda e: f"{len(e.actions)} actions", "agreed_on"),
        N + "report-signed-off-by-cog",
    ),
    N + "publication-recommended": _after(
        _spec(
            "recommendation",
            "recommendation on publication",
            _value("recommendation"),
            "recommended_on",
            "reasons",
        ),
        N + "report-signed-off-by-cog",
    ),
    N + "publication-decided": _after(
        _spec(
            "decision",
            "decision on publication",
            _value("decision"),
            "decided_on",
            "basis",
            "exceptional_circumstances",
            "cog_minute",
        ),
        N + "publication-recommended",
    ),
    N + "review-closed": _after(
        _spec("closure", "review closed", _fixed("closed"), "closed_on"),
        N + "publication-decided",
        N + "decision-not-to-proceed-recorded",
    ),
    # Mini Learning Review (seed 000).
    M + "services-agreement-recorded": _spec(
        "decision",
        "Heads of Service on whether a mini review is needed",
        lambda e: (
            "all services agree" if not e.not_agreeing else f"not agreed by {', '.join(e.not_agreeing)}"
        ),
        "discussed_on",
        "basis",
    ),
    M + "disagreement-resolved": _after(
        _spec(
            "decision",
            "Delivery Group resolves the disagreement",
            _yes_no("review_needed", "review needed", "no review needed"),
            "decided_on",
            "reasons",
        ),
        M + "disagreement-tabled",
    ),
    M + "review-to-be-undertaken-recorded": _after(
        _spec(
            "decision",
            "review to be undertaken",
            lambda e: f"to be presented by {e.presentation_due_on.isoformat()}",
            "decided_on",
        ),
        M + "request-tabled",
    ),
    M + "review-team-appointed": _spec(
        "appointment", "review team appointed", lambda e: f"{len(e.members)} members", "appointed_on"
    ),
    M + "signed-off-at-partnership-level": _after(
        _spec(
            "sign-off",
            "report signed off at partnership level",
            lambda e: (
                f"version {e.version} signed off; full criteria "
                + ("reached" if e.reached_full_criteria else "not reached")
            ),
            "signed_off_on",
            "reasons",
        ),
        M + "review-report-presented",
    ),
    M + "full-criteria-concluded": _after(
        _spec(
            "decision",
            "Lead Officer's conclusion on the full Learning Review criteria",
            lambda e: (
                f"version {e.version}: full criteria "
                + ("reached" if e.reached_full_criteria else "not reached")
            ),
            "concluded_on",
            "reasons",
        ),
        M + "review-report-presented",
    ),
    M + "signed-off-by-partnership": _after(
        _spec(
            "sign-off",
            "report signed off at partnership level by the Delivery Group",
            lambda e: (
                f"version {e.version} signed off; full criteria "
                + ("reached" if e.reached_full_criteria else "not reached")
            ),
            "signed_off_on",
            "comments",
        ),
        M + "full-criteria-concluded",
    ),
    M + "escalated-to-full-review": _spec(
        "decision",
        "escalation to a full Learning Review",
        lambda e: f"escalated to {e.national_reference}",
        "escalated_on",
        "reasons",
    ),
    M + "review-closed": _spec("closure", "review closed", _fixed("closed"), "closed_on", "summary"),
    # Learning and Improvement Panel (seed 003).
    P + "review-decided": _after(
        _spec(
            "decision", "Panel decision on the kind of review", _value("decision"), "meeting_on", "reasons"
        ),
        P + "referral-circulated",
        P + "scr-consideration-panel-called",
    ),
    P + "panel-conclusion-recorded": _after(
        # The conclusion's decision, not the whole conclusion (its texts are sealed items).
        _spec("decision", "Panel conclusion", lambda e: str(e.conclusion.decision.value)),
        P + "review-decided",
    ),
    P + "scr-recommended": _after(
        _spec(
            "recommendation",
            "recommendation to the Independent Chair on an SCR",
            _yes_no("scr_required", "SCR required", "SCR not required"),
            None,
            "reasons",
        ),
        P + "review-decided",
    ),
    P + "scr-decided": _after(
        _spec(
            "decision",
            "Independent Chair's decision on holding an SCR",
            _yes_no("hold_scr", "hold an SCR", "no SCR"),
            None,
            "reasons",
        ),
        P + "scr-recommended",
    ),
    P + "scrutiny-concluded": _after(
        _spec("decision", "National Panel scrutiny", _value("outcome"), None, "reasons"),
        P + "ofsted-and-national-panel-informed",
    ),
    P + "scr-terms-of-reference-agreed": _spec(
        "agreement",
        "SCR terms of reference agreed",
        lambda e: f"report due {e.report_due.isoformat()}",
        None,
        "methodology",
    ),
    P + "review-methodology-chosen": _spec(
        "decision",
        "Learning and Improvement Panel's choice of methodology",
        lambda e: str(e.methodology.value) + (" (a review in another form)" if e.in_another_form else ""),
        "chosen_on",
        "reasons",
    ),
    P + "review-methodology-endorsed": _after(
        _spec(
            "decision",
            "Independent Chair's endorsement of the methodology",
            _yes_no("endorsed", "endorsed", "not endorsed"),
            "decided_on",
            "reasons",
        ),
        P + "review-methodology-chosen",
    ),
    P + "findings-agreed": _after(
        _spec(
            "agreement",
            "findings and recommendations agreed",
            lambda e: f"{len(e.findings)} findings, {len(e.recommendations)} recommendations",
        ),
        P + "review-meeting-held",
    ),
    P + "report-signed-off": _after(
        _spec("sign-off", "report signed off", _fixed("signed off"), None, "minute"), P + "report-completed"
    ),
    P + "publication-decided": _after(
        _spec(
            "decision",
            "decision on publication",
            _yes_no("publish", "publish", "do not publish"),
            None,
            "reasons",
        ),
        P + "report-signed-off",
    ),
    P + "case-closed": _spec("closure", "case closed", _fixed("closed"), None, "reasons"),
    # Single-agency Learning Review (seed 004).
    S + "review-recommended": _after(
        _spec(
            "recommendation",
            "recommendation of a single-agency review",
            lambda e: f"recommended to {e.service_manager}",
            "recommended_on",
            "reasons",
        ),
        S + "supervision-discussion-recorded",
    ),
    S + "referral-form-signed": _after(
        _spec(
            "sign-off",
            "referral form signed",
            lambda e: f"version {e.version} signed as {e.signatory.value}",
            "signed_on",
        ),
        S + "referral-form-completed",
    ),
    S + "criteria-agreed": _after(
        _spec("decision", "criteria for a review", _fixed("criteria met"), "agreed_on", "comment"),
        S + "referral-form-signed",
    ),
    S + "criteria-not-met-recorded": _spec(
        "decision", "criteria for a review", _fixed("criteria not met"), "decided_on", "reasons"
    ),
    S + "decision-to-proceed-recorded": _after(
        _spec(
            "decision",
            "CFCIG decision whether to proceed",
            lambda e: f"proceed; lead reviewer {e.lead_reviewer}; complete by {e.complete_by.isoformat()}",
            "discussed_on",
            "rationale",
            "parameters",
        ),
        S + "criteria-agreed",
    ),
    S + "decision-not-to-proceed-recorded": _after(
        _spec(
            "decision",
            "CFCIG decision whether to proceed",
            _fixed("not proceed"),
            "discussed_on",
            "rationale",
        ),
        S + "criteria-agreed",
    ),
    S + "recommendations-agreed": _after(
        _spec(
            "sign-off",
            "recommendations and actions agreed by CFCIG",
            lambda e: (
                f"report version {e.version}: {len(e.recommendations)} recommendations, {len(e.actions)} actions"
            ),
            "agreed_on",
            "monitoring",
            "dissemination",
        ),
        S + "report-presented",
    ),
    S + "escalated-to-full-review": _spec(
        "decision",
        "escalation to a full Learning Review",
        lambda e: f"escalated to {e.national_reference}",
        "escalated_on",
        "reasons",
    ),
    S + "review-closed": _spec("closure", "review closed", _fixed("closed"), "closed_on", "summary"),
}


def _with_successors(table: dict[str, DecisionSpec], successors: dict[str, str]) -> dict[str, DecisionSpec]:
    """A successor event type (the same step, its texts sealed) is read as the type it succeeds,
    and a step that follows the first follows its successor too."""
    grown = {
        name: msgspec.structs.replace(
            spec, follows=tuple(dict.fromkeys(t for f in spec.follows for t in (f, successors.get(f, f))))
        )
        for name, spec in table.items()
    }
    return grown | {new: grown[old] for old, new in successors.items() if old in grown}


DECISIONS = _with_successors(
    DECISIONS,
    SUCCESSORS
    | {
        N + "report-version-drafted": N + "report-version-drafted-v2",
        S + "recommendations-agreed": S + "recommendations-agreed-v2",
    },
)

# The steps that set or change a review's terms of reference (or, where a route has no
# terms of reference by that name, its agreed scope or parameters).
TERMS: dict[str, TermsSpec] = {
    N + "decision-to-proceed-recorded": TermsSpec(
        action="agreed", on="decided_on", changes=("terms_of_reference",)
    ),
    N + "terms-of-reference-amendment-proposed": TermsSpec(
        action="proposed", on="proposed_on", changes=("changes", "text"), version="version"
    ),
    N + "terms-of-reference-amendment-agreed": TermsSpec(action="agreed", on="agreed_on", version="version"),
    N + "terms-of-reference-amendment-declined": TermsSpec(
        action="declined", on="declined_on", changes=("reason",), version="version"
    ),
    M + "review-scope-set": TermsSpec(action="set", on="set_on", changes=("scope", "questions")),
    P + "scr-terms-of-reference-agreed": TermsSpec(
        action="agreed", on="", changes=("methodology", "scope", "period_from", "period_to", "report_due")
    ),
    S + "decision-to-proceed-recorded": TermsSpec(
        action="agreed", on="discussed_on", changes=("key_objectives", "parameters", "complete_by")
    ),
}
TERMS |= {new: TERMS[old] for old, new in SUCCESSORS.items() if old in TERMS}
