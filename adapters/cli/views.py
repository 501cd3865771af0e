"""Commands that read the views: a review's state, the decision trail, clocks, changes, projections.

Every view takes `--as-at` (a log position, a date or a date-time) to show the record as it
stood then, replayed from the log, and `--json` for scripts.
"""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from adapters.app.application import Application
from adapters.app.progress import Progress
from adapters.app.views import (
    NOW,
    decision_trail,
    parse_moment,
    review_at,
    review_diff,
    review_state,
    terms_history,
    themes_view,
    timescale_view,
)
from adapters.cli.support import EXIT_OK, opened_app, print_result
from projections import queries
from projections.model import ALTERED, Decision, Moment, ReviewDiff, ReviewState, TermsVersion, TimescaleView

T = TypeVar("T")


def _moment(args: argparse.Namespace) -> Moment:
    return parse_moment("--as-at", getattr(args, "as_at", None))


def _historical(moment: Moment) -> str:
    return "" if moment == NOW else f"(as it stood at {moment.describe()})\n"


def _show(
    args: argparse.Namespace, fetch: Callable[[Application, Moment], T], text: Callable[[T], str]
) -> int:
    """Read one view (as at `--as-at`, if given) and print it as text or JSON."""
    moment = _moment(args)
    app = opened_app(args)
    try:
        found = fetch(app, moment)
    finally:
        app.close()
    print_result(args, found, lambda: _historical(moment) + text(found))
    return EXIT_OK


# -- reading --------------------------------------------------------------------------------------


def cmd_review_show(args: argparse.Namespace) -> int:
    return _show(args, lambda app, moment: review_state(app, args.reference, moment), describe_state)


def describe_state(s: ReviewState) -> str:
    lines = [
        f"{s.reference} — {s.kind}" + (f" ({s.subject_group})" if s.subject_group else ""),
        f"  stage:   {s.stage}",
        f"  status:  {s.status}",
        f"  recorded steps: {s.version}, last at {s.updated_at.isoformat()} (log position {s.position})",
    ]
    if s.terms_in_force or s.terms_pending:
        pending = f"; version {s.terms_pending} awaiting agreement" if s.terms_pending else ""
        lines.append(f"  terms of reference in force: version {s.terms_in_force}{pending}")
    if s.personal_data_disposed:
        lines.append("  personal data: disposed of")
    if s.verification:
        lines.append(f"  verification: {s.verification}")
    if s.roles:
        lines.append("  roles:")
        for r in s.roles:
            span = f" {r.since or ''}–{r.until or ''}" if r.since or r.until else ""
            agency = f", {r.agency}" if r.agency else ""
            lines.append(f"    {r.role:24} {r.holder} ({r.kind}{agency}){span}")
    lines.append("  open obligations:" if s.obligations else "  open obligations: none")
    for o in s.obligations:
        due = f" by {o.due}" if o.due else ""
        who = f" [{', '.join(o.who)}]" if o.who else ""
        lines.append(f"    - {o.what}{who}{due}")
    for p in s.parallel_processes:
        lines.append(f"  parallel process: {p.process} — {p.state} (checked {p.checked_on})")
    for link in s.linked_reviews:
        lines.append(f"  linked review: {link.relationship} {link.reference}")
    if s.clocks:
        lines.append("  clocks:")
        lines.extend(f"    {describe_timescale(c, with_reference=False)}" for c in s.clocks)
    return "\n".join(lines)


def describe_timescale(c: TimescaleView, *, with_reference: bool = True) -> str:
    where = f"{c.reference:16} " if with_reference else ""
    if c.completed is not None:
        state = f"{c.status} on {c.completed}"
    elif c.days_left is None:
        state = c.status
    elif c.overdue:
        state = f"OVERDUE by {-c.days_left} days"
    else:
        state = f"{c.days_left} days left" + (" (paused)" if c.paused_since else "")
    extra = " (revised)" if c.revised else ""
    return f"{where}due {c.due} — {state}{extra} — {c.name}"


def cmd_trail(args: argparse.Namespace) -> int:
    return _show(
        args,
        lambda app, moment: decision_trail(app, args.reference, moment),
        lambda trail: describe_trail(args.reference, trail),
    )


def describe_trail(reference: str, trail: list[Decision]) -> str:
    if not trail:
        return f"{reference}: no decisions recorded"
    lines = [f"Decision trail of {reference}"]
    for d in trail:
        on = ALTERED if d.outcome == ALTERED else d.decided_on
        lines.append(f"{on}  {d.what}: {d.outcome}")
        lines.append(
            f"    by {d.actor} as {d.role or '—'}, recorded {d.recorded_at.isoformat()} (step {d.version})"
        )
        if d.follows_from is not None:
            lines.append(f"    follows: {d.follows_from.what} (step {d.follows_from.version})")
        if d.basis:
            parts = [b.text if b.text is not None else f"[sealed {b.field}]" for b in d.basis]
            lines.append(f"    basis: {'; '.join(parts)}")
        if d.timescale is not None:
            t = d.timescale
            verdict = "met" if t.met else f"MISSED (due {t.due})"
            lines.append(f"    timescale: {t.name} — {verdict}")
        lines.append(f"    signature: {d.signature}")
    return "\n".join(lines)


def cmd_terms(args: argparse.Namespace) -> int:
    return _show(
        args,
        lambda app, moment: terms_history(app, args.reference, moment),
        lambda history: describe_terms(args.reference, history),
    )


def describe_terms(reference: str, history: tuple[TermsVersion, ...]) -> str:
    if not history:
        return f"{reference}: no terms of reference recorded"
    lines = [f"Terms of reference of {reference}"]
    for version in history:
        lines.append(f"  version {version.version}: {version.status}")
        for step in version.steps:
            changed = ", ".join(c.field for c in step.changes)
            lines.append(
                f"    {step.on} {step.action} by {step.actor} as {step.role}"
                + (f" — {changed}" if changed else "")
            )
    return "\n".join(lines)


def cmd_timeline(args: argparse.Namespace) -> int:
    moment = _moment(args)
    app = opened_app(args)
    try:
        found = review_at(app, args.reference, moment)
    finally:
        app.close()

    def text() -> str:
        lines = [f"{_historical(moment)}Timeline of {args.reference}"]
        lines.extend(
            f"  {e.version:>3}  {e.recorded_at.isoformat()}  {e.what} — {e.actor}"
            + (f" as {e.role}" if e.role else "")
            for e in found.timeline
        )
        if found.chronology:
            lines.append("Merged chronology (agency entries by date; text sealed):")
            lines.extend(f"  {c.occurred_on}  {c.agency}" for c in found.chronology)
        return "\n".join(lines)

    print_result(args, {"timeline": found.timeline, "chronology": found.chronology}, text)
    return EXIT_OK


def cmd_clocks(args: argparse.Namespace) -> int:
    return _show(
        args,
        lambda app, moment: timescale_view(app, moment, running_only=args.running),
        lambda found: "\n".join(describe_timescale(c) for c in found) or "no clocks",
    )


def cmd_themes(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        found = themes_view(app, args.theme)
    finally:
        app.close()
    print_result(
        args,
        found,
        lambda: "\n".join(f"{t.theme}: {', '.join(t.references)}" for t in found) or "no reviews tagged",
    )
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    earlier = parse_moment("--from", args.from_moment)
    later = parse_moment("--to", args.to_moment)
    app = opened_app(args)
    try:
        diff = review_diff(app, args.reference, earlier, later)
    finally:
        app.close()
    print_result(args, diff, lambda: describe_diff(diff))
    return EXIT_OK


def describe_diff(diff: ReviewDiff) -> str:
    lines = [f"{diff.reference}: from {diff.from_moment.describe()} to {diff.to_moment.describe()}"]
    if not (diff.changes or diff.events):
        lines.append("  nothing changed")
    for change in diff.changes:
        if isinstance(change.after, tuple):
            lines.append(f"  {change.field}:")
            lines.extend(f"    - {_short(item)}" for item in change.before or ())  # type: ignore[attr-defined]
            lines.extend(f"    + {_short(item)}" for item in change.after)
        else:
            lines.append(f"  {change.field}: {_short(change.before)} -> {_short(change.after)}")
    if diff.decisions:
        lines.append("  decisions taken:")
        lines.extend(f"    {d.decided_on} {d.what}: {d.outcome} ({d.actor})" for d in diff.decisions)
    if diff.events:
        lines.append(f"  steps recorded: {len(diff.events)}")
        lines.extend(f"    {e.version:>3} {e.what} — {e.actor}" for e in diff.events)
    return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, dict):
        value = ", ".join(f"{k}={v}" for k, v in value.items() if v not in (None, (), [], False))
    text = str(value)
    return text if len(text) <= 100 else text[:97] + "..."


# -- the projections themselves -----------------------------------------------------------------


def _follow(progress: Progress) -> Callable[[int, int], None]:
    """The runner reports log positions; the bar counts them against the end of the log."""

    def show(reached: int, last: int) -> None:
        progress.total = last
        progress.advance(reached - progress.done)

    return show


def cmd_projections_rebuild(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        with Progress("rebuilding the read models", app.projections.source.last_position()) as progress:
            count = app.projections.rebuild(_follow(progress))
        position = app.projections.position()
    finally:
        app.close()
    print(f"rebuilt the read models from {count} events (log position {position})")
    return EXIT_OK


def cmd_projections_run(args: argparse.Namespace) -> int:
    """Keep the read models current until stopped (SIGTERM or Ctrl-C), or once with --once."""
    app = opened_app(args)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while True:
            count = app.projections.catch_up()
            if count:
                print(f"read {count} events; read models at log position {app.projections.position()}")
            if args.once or stop.wait(args.interval):
                break
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
    return EXIT_OK


def cmd_projections_status(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        position = app.projections.position()
        last = app.projections.source.last_position()
        with app.db.reader.connect() as conn:
            count = len(queries.list_reviews(conn))
    finally:
        app.close()
    status = {"position": position, "log_end": last, "behind": last - position, "reviews": count}
    print_result(args, status, lambda: f"read models at log position {position} of {last}; {count} reviews")
    return EXIT_OK


# -- parsing ------------------------------------------------------------------------------------

AS_AT = "a log position (e.g. 120), a date (2026-03-01, meaning the end of that day) or an ISO date-time"


def register(sub: Any) -> None:
    review = sub.add_parser("review", help="one review: state, terms of reference, timeline").add_subparsers(
        dest="review_cmd", required=True
    )
    for name, func, text in (
        ("show", cmd_review_show, "the review's current state (or --as-at a moment)"),
        ("terms", cmd_terms, "the history of its terms of reference"),
        ("timeline", cmd_timeline, "every recorded step and the merged chronology"),
    ):
        p = review.add_parser(name, help=text)
        p.add_argument("reference")
        p.add_argument("--as-at", help=AS_AT)
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    p = sub.add_parser("trail", help="the decision trail of a review, for the Chief Officers Group")
    p.add_argument("reference")
    p.add_argument("--as-at", help=AS_AT)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_trail)

    p = sub.add_parser("clocks", help="every timescale across all reviews: due, days left, overdue")
    p.add_argument("--as-at", help=AS_AT)
    p.add_argument("--running", action="store_true", help="only clocks still running or paused")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_clocks)

    p = sub.add_parser(
        "themes", help="the learning themes across reviews, each with the reviews tagged with it"
    )
    p.add_argument("--theme", help="only this theme")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_themes)

    p = sub.add_parser("diff", help="what changed in a review between two moments")
    p.add_argument("reference")
    p.add_argument("--from", dest="from_moment", required=True, help=AS_AT)
    p.add_argument("--to", dest="to_moment", default=None, help=AS_AT + " (default: now)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff)

    projections = sub.add_parser("projections", help="the read models").add_subparsers(
        dest="projections_cmd", required=True
    )
    p = projections.add_parser("run", help="keep the read models current (a long-running worker)")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between polls (default 1)")
    p.add_argument("--once", action="store_true", help="catch up once and stop")
    p.set_defaults(func=cmd_projections_run)
    p = projections.add_parser("rebuild", help="throw the read models away and rebuild them from the log")
    p.set_defaults(func=cmd_projections_rebuild)
    p = projections.add_parser("status", help="how far the read models have read the log")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_projections_status)
