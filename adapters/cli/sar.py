"""`reviewledger sar ...`: subject access requests from receipt to closure.

    sar open REF --as OFFICER --data JSON [--handled-by OFFICER ...]
                                                    record the request received; handled by the
                                                    officer recording it, or those named
    sar step REF COMMAND --as OFFICER --data JSON   any step (see `sar steps`)
    sar collate REF --as OFFICER [--on DATE]        every item of the subject's data in the records searched
    sar show REF [--as OFFICER] [--json]            stage, deadline, clock, search, pack, what is owed
    sar list [--json]                               every request
    sar pack REF --as OFFICER --out FILE            a draft of the pack for review (nothing recorded)
    sar send REF --as OFFICER --out FILE --delivery D   the pack sent: kept, its digest recorded
    sar copy REF --as OFFICER --sha256 HEX --out FILE   the exact copy kept of a document sent

Packs are written as HTML (`--format html`, the default), canonical JSON (`--format json`) or a tagged PDF
bundling the documents given (`--format pdf`).
A pack's size is said one way everywhere: "N items, M withheld" counts items, never the rows of
the redaction log. `sar show --as OFFICER` counts from the items as opened (the read is in the
access log); without `--as`, from the file alone. An item is released in part with
`sar step REF release-item-in-part --data '{"item_id": ..., "reasons": ...}'`.
"""

from __future__ import annotations

import argparse
from typing import Any

from adapters.cli.ig import (
    add_actor,
    add_data,
    add_handled_by,
    check_target,
    command_of,
    day,
    decode_fields,
    handlers,
    steps_text,
    write_document,
)
from adapters.cli.support import EXIT_OK, opened_app, print_result
from adapters.governance import sent_documents
from adapters.governance.ig_access import check_officers
from adapters.governance.ig_records import SarRecord
from adapters.governance.sar import requests as sar
from domain.governance.sar.steps import Delivery, PackFormat, ReceiveSubjectAccessRequest
from domain.kernel.errors import InvalidInput


def cmd_open(args: argparse.Namespace) -> int:
    command = decode_fields(args.data, ReceiveSubjectAccessRequest)
    handled_by = handlers(args)
    app = opened_app(args)
    try:
        if handled_by is not None:
            check_officers(app, handled_by)
        record = sar.open_request(app, args.reference, args.as_actor, command)
        due = record.due_on()
        if handled_by is not None:
            sar.step(app, args.reference, args.as_actor, handled_by)
    finally:
        app.close()
    print(f"recorded receive-subject-access-request on {args.reference} (version 1); response due by {due}")
    if handled_by is not None:
        print(
            f"recorded assign-officers on {args.reference} (version 2): handled by {', '.join(handled_by.officers)}"
        )
    return EXIT_OK


def cmd_step(args: argparse.Namespace) -> int:
    command = decode_fields(args.data, command_of(SarRecord, args.command))
    app = opened_app(args)
    try:
        record = sar.step(app, args.reference, args.as_actor, command)
    finally:
        app.close()
    print(f"recorded {args.command} on {args.reference} (version {record.version})")
    return EXIT_OK


def cmd_steps(args: argparse.Namespace) -> int:
    print(steps_text(SarRecord))
    return EXIT_OK


def cmd_collate(args: argparse.Namespace) -> int:
    on = day("--on", args.on)
    app = opened_app(args)
    try:
        before = len(sar.load(app, args.reference).items)
        record = sar.collate_from_index(app, args.reference, args.as_actor, on)
        counts = sar.show(app, args.reference, args.as_actor).counts
    finally:
        app.close()
    print(
        f"collated {len(record.items) - before} items into the pack of {args.reference} "
        f"(version {record.version}); pack: {counts}"
    )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        status = sar.show(app, args.reference, args.as_actor)
    finally:
        app.close()
    print_result(args, status, lambda: describe(status))
    return EXIT_OK


def describe(s: sar.SarStatus) -> str:
    lines = [
        f"{s.reference} — subject access request",
        f"  stage:   {s.stage}",
        f"  status:  {s.status}",
        f"  subject: {s.subject}; requester: {s.requester} ({s.capacity})",
        f"  received on {s.received_on}; the month runs from {s.clock_starts_on}",
        f"  response due by {s.due_on}" + (" (extended)" if s.extended else ""),
    ]
    if s.extension_last_day:
        lines.append(f"  an extension must be told to the requester by {s.extension_last_day}")
    for c in s.clocks:
        left = "" if c.days_left is None else f", {c.days_left} days left"
        paused = f", stopped since {c.paused_since}" if c.paused_since else ""
        stopped = f", clock stopped {c.paused_days} days" if c.paused_days else ""
        lines.append(f"  clock: {c.name}: {c.status}, due {c.due}{left}{paused}{stopped}")
    lines.append(f"  searched: {', '.join(s.searched) or 'nothing yet'}")
    if s.not_searched:
        lines.append(f"  holding the subject's data but not searched: {', '.join(s.not_searched)}")
    lines.append(f"  pack: {s.counts}" + (", reviewed" if s.reviewed else ""))
    if s.not_collated:
        lines.append(f"  not yet in the pack: {len(s.not_collated)} items (sar collate)")
    for r in s.redactions:
        lines.append(
            f"  redaction {r.number}: {r.ground} on {r.item_id} — {r.status} (proposed by {r.proposed_by})"
        )
    if s.sent_on:
        lines.append(f"  response sent on {s.sent_on}")
    for d in s.documents:
        lines.append(f"  kept: {d.purpose} {d.media_type}, {d.size_bytes} bytes, sha256 {d.sha256}")
    lines.append("  open obligations:" if s.obligations else "  open obligations: none")
    lines.extend(f"    - {o.what}" + (f" by {o.due}" if o.due else "") for o in s.obligations)
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        found = sar.list_requests(app)
    finally:
        app.close()

    def text() -> str:
        rows = [f"{r.reference:16} {r.status:9} due {r.due_on}  {r.stage}" for r in found]
        return "\n".join(rows) or "no subject access requests"

    print_result(args, found, text)
    return EXIT_OK


def _format(value: str) -> PackFormat:
    if value not in ("html", "json", "pdf"):
        raise InvalidInput("--format", "must be html, json or pdf")
    return PackFormat(value)


def cmd_pack(args: argparse.Namespace) -> int:
    fmt, on = _format(args.format), day("--on", args.on)
    check_target("--out", args.out)
    app = opened_app(args)
    try:
        pack, data = sar.render_pack(app, args.reference, args.as_actor, fmt, on=on)
    finally:
        app.close()
    write_document("--out", args.out, data)
    print(
        f"wrote a draft pack of {args.reference} to {args.out}: {sar.letter_counts(pack)}, "
        f"{len(data)} bytes, sha256 {sent_documents.digest(data)} (nothing recorded)"
    )
    return EXIT_OK


def cmd_send(args: argparse.Namespace) -> int:
    fmt, on = _format(args.format), day("--on", args.on)
    try:
        delivery = Delivery(args.delivery)
    except ValueError:
        raise InvalidInput("--delivery", f"must be one of {', '.join(Delivery)}") from None
    app = opened_app(args)
    try:
        sent, data = sar.send_pack(app, args.reference, args.as_actor, fmt, delivery, on=on)
    finally:
        app.close()
    try:
        write_document("--out", args.out, data)
    except InvalidInput as error:
        raise InvalidInput(
            "--out", f"{error.rule}; the response is recorded and its copy kept: write it with `sar copy`"
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
            f"recorded send-response on {sent.reference} (version {sent.version}); wrote {args.out}: "
            f"{sent.document.size_bytes} bytes, sha256 {sent.document.sha256}"
        ),
    )
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    """The kept copy, its bytes checked again before they are written (`adapters.governance.sar.check`)."""
    app = opened_app(args)
    try:
        data = sar.read_copy(app, args.reference, args.as_actor, args.sha256)
    finally:
        app.close()
    write_document("--out", args.out, data)
    print(f"wrote the kept copy {args.sha256} of {args.reference} to {args.out} ({len(data)} bytes)")
    return EXIT_OK


def register(sub: Any) -> None:
    group = sub.add_parser("sar", help="subject access requests").add_subparsers(
        dest="sar_cmd", required=True
    )

    p = group.add_parser("open", help="record a subject access request received")
    p.add_argument("reference")
    add_actor(p)
    add_data(p)
    add_handled_by(p)
    p.set_defaults(func=cmd_open)

    p = group.add_parser("step", help="record one step of a request")
    p.add_argument("reference")
    p.add_argument("command", help="the step, e.g. verify-identity (see `sar steps`)")
    add_actor(p)
    add_data(p)
    p.set_defaults(func=cmd_step)

    p = group.add_parser("steps", help="list the steps of a request and their fields")
    p.set_defaults(func=cmd_steps)

    p = group.add_parser("collate", help="collate every item of the subject's data in the records searched")
    p.add_argument("reference")
    add_actor(p)
    p.add_argument("--on", help="the day collated (default today)")
    p.set_defaults(func=cmd_collate)

    p = group.add_parser("show", help="a request's stage, deadline, clock, search and pack")
    p.add_argument("reference")
    p.add_argument("--as", dest="as_actor", help="the IG officer: count from the items as opened")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = group.add_parser("list", help="every subject access request")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    for name, func, text in (
        ("pack", cmd_pack, "write a draft of the response pack for review (nothing recorded)"),
        ("send", cmd_send, "write the response pack, keep its copy and record its digest as sent"),
    ):
        p = group.add_parser(name, help=text)
        p.add_argument("reference")
        add_actor(p)
        p.add_argument("--out", required=True, help="the file to write the pack to")
        p.add_argument(
            "--format", default="html", help="html (default), json or pdf (tagged, with the documents given)"
        )
        p.add_argument("--on", help="the day prepared or sent (default today)")
        if name == "send":
            p.add_argument("--delivery", required=True, help=f"one of {', '.join(Delivery)}")
            p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    p = group.add_parser("copy", help="write the exact copy kept of a document sent")
    p.add_argument("reference")
    add_actor(p)
    p.add_argument("--sha256", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_copy)
