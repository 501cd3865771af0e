"""`reviewledger foi ...`: freedom-of-information requests (FOISA 2002) from receipt to appeal.

    foi open REF --as OFFICER --data JSON [--handled-by OFFICER ...]
                                                       record the request received; handled by the
                                                       officer recording it, or those named
    foi step REF COMMAND --as OFFICER --data JSON      any step (see `foi steps`), e.g. apply-exemption
    foi exemptions [--json]                            the exemptions library, by code
    foi identify REF --as OFFICER --record LR --part report --part decision-trail
    foi show REF [--json]                              stage, deadline in working days, clocks, what is owed
    foi list [--json]                                  every request
    foi draft REF --as OFFICER --out FILE              the response as it would be sent (nothing recorded)
    foi respond REF --as OFFICER --out FILE            the response sent: kept, its digest recorded
    foi review-decision REF --as OFFICER --outcome O --reasons TEXT --out FILE
    foi copy REF --as OFFICER --sha256 HEX --out FILE  the exact copy kept of a document sent

`draft` and `respond` take `--not-held TEXT` (s.17) or `--ncnd SECTION` (s.18, repeatable, with
`--ncnd-public-interest TEXT` when responding); otherwise the response releases the information
identified, redacted, with a refusal notice for what is withheld (s.16).
"""

from __future__ import annotations

import argparse
from typing import Any

from adapters.cli.ig import (
    add_actor,
    add_data,
    add_handled_by,
    command_of,
    copy_kept_document,
    day,
    decode_fields,
    handlers,
    steps_text,
    write_document,
)
from adapters.cli.support import EXIT_OK, opened_app, print_result
from adapters.governance.foi import requests as foi
from adapters.governance.ig_access import check_officers
from adapters.governance.ig_records import FoiRecord, foi_stream
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ReceiveFoiRequest, ReviewOutcome
from domain.governance.sar.steps import PackFormat
from domain.kernel.errors import InvalidInput


def cmd_open(args: argparse.Namespace) -> int:
    command = decode_fields(args.data, ReceiveFoiRequest)
    handled_by = handlers(args)
    app = opened_app(args)
    try:
        if handled_by is not None:
            check_officers(app, handled_by)
        record = foi.open_request(app, args.reference, args.as_actor, command)
        if handled_by is not None:
            foi.step(app, args.reference, args.as_actor, handled_by)
    finally:
        app.close()
    print(
        f"recorded receive-foi-request on {args.reference} (version 1); response due by {record.due_on} "
        "(20 working days)"
    )
    if handled_by is not None:
        print(
            f"recorded assign-officers on {args.reference} (version 2): handled by {', '.join(handled_by.officers)}"
        )
    return EXIT_OK


def cmd_step(args: argparse.Namespace) -> int:
    command = decode_fields(args.data, command_of(FoiRecord, args.command))
    app = opened_app(args)
    try:
        record = foi.step(app, args.reference, args.as_actor, command)
    finally:
        app.close()
    print(f"recorded {args.command} on {args.reference} (version {record.version})")
    return EXIT_OK


def cmd_steps(args: argparse.Namespace) -> int:
    print(steps_text(FoiRecord))
    return EXIT_OK


def cmd_exemptions(args: argparse.Namespace) -> int:
    library = foi.exemption_library()
    print_result(
        args,
        library,
        lambda: "\n".join(
            f"{e.code:9} {e.section:18} {e.kind:9} {e.title}"
            + (" (s.18 allowed)" if e.neither_confirm_nor_deny else "")
            for e in library
        ),
    )
    return EXIT_OK


def cmd_identify(args: argparse.Namespace) -> int:
    on = day("--on", args.on)
    app = opened_app(args)
    try:
        record = foi.identify_parts(app, args.reference, args.as_actor, args.record, args.part or [], on)
    finally:
        app.close()
    print(
        f"recorded identify-information on {args.reference} (version {record.version}): {', '.join(record.items)}"
    )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        status = foi.show(app, args.reference)
    finally:
        app.close()
    print_result(args, status, lambda: describe(status))
    return EXIT_OK


def describe(s: foi.FoiStatus) -> str:
    lines = [
        f"{s.reference} — FOI request",
        f"  stage:   {s.stage}",
        f"  status:  {s.status}",
        f"  received on {s.received_on}; twenty working days run from {s.clock_started_on}",
        f"  response due by {s.due_on}"
        + (f" ({s.working_days_left} working days left)" if s.working_days_left is not None else ""),
    ]
    for c in s.clocks:
        left = "" if c.days_left is None else f", {c.days_left} calendar days left"
        lines.append(f"  clock: {c.name}: {c.status}, due {c.due}{left}")
    lines.append(f"  information identified: {', '.join(s.items) or 'none yet'}")
    for e in s.exemptions:
        lines.append(f"  exemption: {e.section} on {e.item_id} ({e.extent})")
    if s.response:
        lines.append(
            f"  response: {s.response} on {s.responded_on}; a review may be required by {s.review_requirement_last_day}"
        )
    if s.review_due_on:
        lines.append(f"  review due by {s.review_due_on}")
    for d in s.documents:
        lines.append(f"  kept: {d.purpose} {d.media_type}, {d.size_bytes} bytes, sha256 {d.sha256}")
    lines.append("  open obligations:" if s.obligations else "  open obligations: none")
    lines.extend(f"    - {o.what}" + (f" by {o.due}" if o.due else "") for o in s.obligations)
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        found = foi.list_requests(app)
    finally:
        app.close()
    print_result(
        args,
        found,
        lambda: (
            "\n".join(f"{r.reference:16} {r.status:9} due {r.due_on}  {r.stage}" for r in found)
            or "no FOI requests"
        ),
    )
    return EXIT_OK


def _format(value: str) -> PackFormat:
    if value not in ("html", "json", "pdf"):
        raise InvalidInput("--format", "must be html, json or pdf")
    return PackFormat(value)


def _sections(values: list[str] | None) -> tuple[Section, ...]:
    try:
        return tuple(Section(v) for v in values or [])
    except ValueError:
        raise InvalidInput("--ncnd", f"must be one of {', '.join(Section)}") from None


def cmd_draft(args: argparse.Namespace) -> int:
    fmt, on, sections = _format(args.format), day("--on", args.on), _sections(args.ncnd)
    app = opened_app(args)
    try:
        response = foi.build_response(
            app, args.reference, args.as_actor, on=on, not_held=args.not_held, ncnd_sections=sections
        )
        data = foi.checked_bytes(app, response, fmt)
    finally:
        app.close()
    write_document("--out", args.out, data)
    print(
        f"wrote a draft {response.response.value} response to {args.reference} to {args.out}: "
        f"{len(response.redaction_log)} redactions, {len(data)} bytes (nothing recorded)"
    )
    return EXIT_OK


def cmd_respond(args: argparse.Namespace) -> int:
    fmt, on, sections = _format(args.format), day("--on", args.on), _sections(args.ncnd)
    app = opened_app(args)
    try:
        sent, data = foi.respond(
            app,
            args.reference,
            args.as_actor,
            fmt,
            on=on,
            not_held=args.not_held,
            ncnd_sections=sections,
            ncnd_public_interest=args.ncnd_public_interest or "",
        )
    finally:
        app.close()
    _write_sent(args, sent, data, "respond-to-foi-request")
    return EXIT_OK


def cmd_review_decision(args: argparse.Namespace) -> int:
    fmt, on = _format(args.format), day("--on", args.on)
    try:
        outcome = ReviewOutcome(args.outcome)
    except ValueError:
        raise InvalidInput("--outcome", f"must be one of {', '.join(ReviewOutcome)}") from None
    app = opened_app(args)
    try:
        sent, data = foi.decide_review(app, args.reference, args.as_actor, outcome, args.reasons, fmt, on=on)
    finally:
        app.close()
    _write_sent(args, sent, data, "decide-review")
    return EXIT_OK


def _write_sent(args: argparse.Namespace, sent: foi.Sent, data: bytes, step: str) -> None:
    try:
        write_document("--out", args.out, data)
    except InvalidInput as error:
        raise InvalidInput(
            "--out", f"{error.rule}; the step is recorded and its copy kept: write it with `foi copy`"
        ) from None
    summary: dict[str, Any] = {
        "reference": sent.reference,
        "version": sent.version,
        "out": args.out,
        "sha256": sent.document.sha256,
        "size_bytes": sent.document.size_bytes,
    }
    print_result(
        args,
        summary,
        lambda: (
            f"recorded {step} on {sent.reference} (version {sent.version}); wrote {args.out}: "
            f"{sent.document.size_bytes} bytes, sha256 {sent.document.sha256}"
        ),
    )


def cmd_copy(args: argparse.Namespace) -> int:
    return copy_kept_document(
        args,
        foi.load,
        foi_stream(args.reference),
        check=lambda app, data: foi.check_sent_bytes(app, args.reference, data),
    )


def register(sub: Any) -> None:
    group = sub.add_parser("foi", help="freedom-of-information requests").add_subparsers(
        dest="foi_cmd", required=True
    )

    p = group.add_parser("open", help="record an FOI request received")
    p.add_argument("reference")
    add_actor(p)
    add_data(p)
    add_handled_by(p)
    p.set_defaults(func=cmd_open)

    p = group.add_parser("step", help="record one step of a request")
    p.add_argument("reference")
    p.add_argument("command", help="the step, e.g. apply-exemption (see `foi steps`)")
    add_actor(p)
    add_data(p)
    p.set_defaults(func=cmd_step)

    p = group.add_parser("steps", help="list the steps of a request and their fields")
    p.set_defaults(func=cmd_steps)

    p = group.add_parser("exemptions", help="the FOISA exemptions library")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_exemptions)

    p = group.add_parser(
        "identify", help="record a review's report and/or decision trail as the information held"
    )
    p.add_argument("reference")
    add_actor(p)
    p.add_argument("--record", required=True, help="the review, e.g. LR-2026-001")
    p.add_argument("--part", action="append", help="report or decision-trail (repeatable)")
    p.add_argument("--on", help="the day identified (default today)")
    p.set_defaults(func=cmd_identify)

    p = group.add_parser("show", help="a request's stage, deadline, clocks and what is owed")
    p.add_argument("reference")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = group.add_parser("list", help="every FOI request")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    for name, func, text in (
        ("draft", cmd_draft, "write the response as it would be sent (nothing recorded)"),
        ("respond", cmd_respond, "write the response, keep its copy and record it with its digest"),
    ):
        p = group.add_parser(name, help=text)
        p.add_argument("reference")
        add_actor(p)
        p.add_argument("--out", required=True)
        p.add_argument(
            "--format", default="html", help="html (default), json or pdf (tagged, with the documents given)"
        )
        p.add_argument("--on", help="the day of the response (default today)")
        p.add_argument("--not-held", help="s.17: why the information is not held")
        p.add_argument(
            "--ncnd", action="append", help="s.18: an exemption code the notice rests on (repeatable)"
        )
        if name == "respond":
            p.add_argument(
                "--ncnd-public-interest",
                help="s.18(1): why revealing whether it is held is against the public interest",
            )
            p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    p = group.add_parser("review-decision", help="write the review decision notice and record it")
    p.add_argument("reference")
    add_actor(p)
    p.add_argument("--outcome", required=True, help=f"one of {', '.join(ReviewOutcome)}")
    p.add_argument("--reasons", required=True)
    p.add_argument("--out", required=True)
    p.add_argument(
        "--format", default="html", help="html (default), json or pdf (tagged, with the documents given)"
    )
    p.add_argument("--on", help="the day decided (default today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review_decision)

    p = group.add_parser("copy", help="write the exact copy kept of a document sent")
    p.add_argument("reference")
    add_actor(p)
    p.add_argument("--sha256", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_copy)
