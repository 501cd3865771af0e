"""`reviewledger retention ...`: the schedule, what is due and why, legal holds, disposal and certificates.

Each step is signed by the person named with `--as`; each listing takes `--json`. Dates
default to today.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from adapters.app.application import Application
from adapters.cli.support import EXIT_OK, opened_app, print_result
from adapters.governance import retention
from adapters.governance.disposal_certificates import DisposalCertificate, certificates, dispose
from domain.governance.retention import (
    DisposalAction,
    DisposalDecision,
    HoldKind,
    LegalHold,
    PlaceLegalHold,
    RecordClass,
    ReleaseLegalHold,
    SetRetentionRule,
    Trigger,
)
from domain.kernel.errors import InvalidInput

E = TypeVar("E", RecordClass, DisposalAction, Trigger, HoldKind)


def _choice(field: str, value: str, choices: type[E]) -> E:
    try:
        return choices(value)
    except ValueError:
        raise InvalidInput(field, f"must be one of {', '.join(c.value for c in choices)}") from None


def _date(field: str, value: str | None, app: Application) -> date:
    if value is None:
        return app.clock.now().date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, "must be a date, e.g. 2026-11-01") from None


def _with_app(args: argparse.Namespace, action: Callable[[Application], Any]) -> Any:
    app = opened_app(args)
    try:
        return action(app)
    finally:
        app.close()


# -- the schedule -----------------------------------------------------------------------------------


def cmd_rules(args: argparse.Namespace) -> int:
    found = _with_app(args, lambda app: (retention.rules(app), retention.unscheduled(app)))
    rules, missing = found
    data = {"rules": rules, "no_rule": [c.value for c in missing]}
    print_result(
        args,
        data,
        lambda: "\n".join(
            [r.describe() for r in rules]
            + [f"{c.value}: no rule yet (kept until one is set)" for c in missing]
        ),
    )
    return EXIT_OK


def cmd_set_rule(args: argparse.Namespace) -> int:
    def run(app: Application) -> str:
        command = SetRetentionRule(
            record_class=_choice("--class", args.record_class, RecordClass),
            action=_choice("--action", args.action, DisposalAction),
            trigger=_choice("--trigger", args.trigger, Trigger) if args.trigger else None,
            years=args.years,
            months=args.months,
            basis=args.basis,
            decided_on=_date("--decided-on", args.decided_on, app),
        )
        schedule = retention.record_step(app, args.as_actor, command)
        return schedule.rules[command.record_class].describe()

    described = _with_app(args, run)
    print_result(args, {"rule": described}, lambda: f"rule set: {described}")
    return EXIT_OK


# -- what is due --------------------------------------------------------------------------------------


def describe_decision(d: DisposalDecision, today: date) -> str:
    fell_due = d.due_on is not None and d.due_on <= today
    state = "DUE" if d.due else "blocked" if d.blocked_by and fell_due else "not due"
    held = (
        f" [held: {', '.join(h.hold_id for h in d.blocked_by)}]"
        if d.blocked_by and state != "blocked"
        else ""
    )
    return f"{d.record:28} {d.record_class.value:28} {state:8} {d.reason}{held}"


def cmd_due(args: argparse.Namespace) -> int:
    def run(app: Application) -> tuple[date, list[DisposalDecision]]:
        today = _date("--on", args.on, app)
        return today, retention.decisions(app, today, due_only=not args.all)

    today, found = _with_app(args, run)
    print_result(
        args,
        found,
        lambda: (
            "\n".join(describe_decision(d, today) for d in found)
            or ("nothing is due for disposal" if not args.all else "no records")
        ),
    )
    return EXIT_OK


# -- legal holds -----------------------------------------------------------------------------------------


def cmd_holds(args: argparse.Namespace) -> int:
    found: list[LegalHold] = _with_app(args, retention.holds)
    print_result(
        args,
        found,
        lambda: "\n".join(f"{h.describe()}: {', '.join(h.records)}" for h in found) or "no legal holds",
    )
    return EXIT_OK


def cmd_hold(args: argparse.Namespace) -> int:
    def run(app: Application) -> None:
        command = PlaceLegalHold(
            hold_id=args.hold_id,
            kind=_choice("--kind", args.kind, HoldKind),
            records=tuple(args.record),
            reason=args.reason,
            reference=args.reference,
            placed_on=_date("--placed-on", args.placed_on, app),
        )
        retention.record_step(app, args.as_actor, command)

    _with_app(args, run)
    print_result(args, {"placed": args.hold_id}, lambda: f"placed legal hold {args.hold_id}")
    return EXIT_OK


def cmd_release(args: argparse.Namespace) -> int:
    def run(app: Application) -> None:
        command = ReleaseLegalHold(
            hold_id=args.hold_id,
            reason=args.reason,
            released_on=_date("--released-on", args.released_on, app),
        )
        retention.record_step(app, args.as_actor, command)

    _with_app(args, run)
    print_result(args, {"released": args.hold_id}, lambda: f"released legal hold {args.hold_id}")
    return EXIT_OK


# -- disposal ----------------------------------------------------------------------------------------------


def describe_certificate(c: DisposalCertificate) -> str:
    return (
        f"{c.certificate_id}: {c.record} ({c.record_class}) disposed of at {c.disposed_at.isoformat()} "
        f"under {c.rule}; authorised by {c.authorised_by} ({c.authorised_role}); "
        f"{len(c.items)} items about {len(c.subjects)} subjects; log position {c.log_position}, "
        f"checkpoint of size {c.checkpoint.tree_size}"
    )


def cmd_dispose(args: argparse.Namespace) -> int:
    out = Path(args.out)
    certificate: DisposalCertificate = _with_app(
        args, lambda app: dispose(app, args.reference, args.as_actor, out=out)
    )
    print_result(
        args, certificate, lambda: f"{describe_certificate(certificate)}\nwrote the certificate to {out}"
    )
    return EXIT_OK


def cmd_certificates(args: argparse.Namespace) -> int:
    found: list[DisposalCertificate] = _with_app(args, lambda app: certificates(app, args.record))
    print_result(
        args, found, lambda: "\n".join(describe_certificate(c) for c in found) or "no disposals certified"
    )
    return EXIT_OK


def register(sub: Any) -> None:
    area = sub.add_parser(
        "retention", help="the retention schedule, legal holds and disposal"
    ).add_subparsers(dest="retention_cmd", required=True)

    p = area.add_parser("rules", help="the schedule: each class of record, its trigger, period and action")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rules)

    p = area.add_parser("set-rule", help="set the rule for a class of record (the records manager)")
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument(
        "--class", dest="record_class", required=True, help=", ".join(c.value for c in RecordClass)
    )
    p.add_argument("--action", required=True, help=", ".join(a.value for a in DisposalAction))
    p.add_argument("--trigger", help=", ".join(t.value for t in Trigger))
    p.add_argument("--years", type=int, default=0)
    p.add_argument("--months", type=int, default=0)
    p.add_argument("--basis", required=True, help="the schedule or decision the rule comes from")
    p.add_argument("--decided-on", help="default today")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_set_rule)

    p = area.add_parser("due", help="what is due for disposal today, and why")
    p.add_argument("--all", action="store_true", help="every record under the schedule, due or not")
    p.add_argument("--on", help="as the schedule stands on another day (default today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_due)

    p = area.add_parser("holds", help="every legal hold in force, placed or from an open request")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_holds)

    p = area.add_parser("hold", help="place a legal hold on records")
    p.add_argument("hold_id", help="e.g. H-2026-004; never reused")
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument("--kind", required=True, help=", ".join(k.value for k in HoldKind))
    p.add_argument("--record", action="append", default=[], required=True, help="a record it covers (repeat)")
    p.add_argument("--reason", required=True)
    p.add_argument("--reference", help="the request, case or notice that requires it")
    p.add_argument("--placed-on", help="default today")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hold)

    p = area.add_parser("release", help="release a legal hold")
    p.add_argument("hold_id")
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--released-on", help="default today")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_release)

    p = area.add_parser("dispose", help="dispose of a record's personal data under the schedule")
    p.add_argument("reference")
    p.add_argument("--as", dest="as_actor", required=True, help="the records manager or an IG officer")
    p.add_argument("--out", required=True, help="where to write the disposal certificate (JSON)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dispose)

    p = area.add_parser("certificates", help="every disposal certificate issued")
    p.add_argument("--record", help="only this record's")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_certificates)
