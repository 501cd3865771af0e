"""`reviewledger documents ...`: attach files to a review's steps, list them, read them, redact them.

A refused file or step exits 2 with one line naming the field and the rule, and stores nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from adapters.cli.support import EXIT_OK, opened_app, print_result
from adapters.governance import document_disclosure, documents
from adapters.governance.redaction import Area, Phrase
from domain.governance.documents import DisclosureOutcome, DocumentAttached
from domain.kernel.errors import InvalidInput


def _about(text: str) -> tuple[str, ...]:
    subjects = tuple(s.strip() for s in text.split(",") if s.strip())
    if not subjects:
        raise InvalidInput("--about", "must name at least one data-subject id (S-...)")
    return subjects


def describe(d: DocumentAttached) -> str:
    readable = "" if d.machine_readable else "  [not machine-readable — review by eye]"
    return (
        f"{d.document_id:24} step {d.step_version:<4} {d.media_type.name.lower():5} "
        f"{d.size_bytes:>10} bytes  {d.pages:>4} page(s)  about {', '.join(d.about)}{readable}"
    )


def cmd_attach(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        attached = documents.attach(
            app,
            review=args.reference,
            step_version=args.version,
            path=Path(args.file),
            about=_about(args.about),
            actor=args.as_actor,
        )
    finally:
        app.close()

    def text() -> str:
        d = attached.document
        lines = [f"attached {d.document_id} to step {d.step_version} of {d.review}"]
        if not d.machine_readable:
            lines.append("not machine-readable — review by eye")
        if attached.not_confirmed:
            lines.append(
                f"the detector also found {', '.join(attached.not_confirmed)} in it: "
                "if it is about them too, attach it again naming them in --about"
            )
        return "\n".join(lines)

    print_result(args, attached, text)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        found = documents.listed(app, args.reference)
    finally:
        app.close()
    print_result(args, found, lambda: "\n".join(describe(d) for d in found) or "no documents")
    return EXIT_OK


def cmd_get(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.is_dir():
        raise InvalidInput("--out", "must name a file, not a directory")
    app = opened_app(args)
    try:
        document, chunks = documents.open_for(
            app,
            review=args.reference,
            document_id=args.document_id,
            actor=args.as_actor,
            purpose=args.purpose,
            ig_request=args.request,
        )
        written = documents.write_to(chunks, out)
    finally:
        app.close()
    print(f"wrote {document.document_id} ({written} bytes) to {out}")
    return EXIT_OK


def _phrase(text: str) -> Phrase:
    words, sep, ground = text.rpartition("=")
    if not sep or not words.strip():
        raise InvalidInput("--phrase", "must be TEXT=GROUND, e.g. 'the neighbour's dog=s.16 third party'")
    return Phrase(text=words.strip(), ground=ground.strip())


def _area(text: str) -> Area:
    where, sep, ground = text.partition("=")
    page, colon, box = where.partition(":")
    try:
        left, top, right, bottom = (float(v) for v in box.split(","))
        if not (sep and colon) or left >= right or top >= bottom:
            raise ValueError
        return Area(page=int(page), left=left, top=top, right=right, bottom=bottom, ground=ground.strip())
    except ValueError:
        raise InvalidInput(
            "--area",
            "must be PAGE:LEFT,TOP,RIGHT,BOTTOM=GROUND in points from the top-left, e.g. 1:50,80,300,120=s.30",
        ) from None


def cmd_disclose(args: argparse.Namespace) -> int:
    outcome = (
        DisclosureOutcome.RELEASED
        if args.release
        else DisclosureOutcome.WITHHELD
        if args.withhold is not None
        else DisclosureOutcome.REDACTED
    )
    phrases = [_phrase(p) for p in args.phrase]
    areas = [_area(a) for a in args.area]
    app = opened_app(args)
    try:
        disclosed = document_disclosure.decide(
            app,
            review=args.reference,
            document_id=args.document_id,
            request=args.request,
            actor=args.as_actor,
            outcome=outcome,
            ground=args.withhold or "",
            phrases=phrases,
            areas=areas,
            out=Path(args.out) if args.out else None,
        )
    finally:
        app.close()
    if args.transcript and outcome is DisclosureOutcome.REDACTED:
        Path(args.transcript).write_text(disclosed.transcript, encoding="utf-8")
    d = disclosed.decision

    def text() -> str:
        lines = [
            f"{d.document_id} {d.outcome.value} for {d.request}" + (f" ({d.ground})" if d.ground else "")
        ]
        lines += [
            f"  redaction {n}: page {r.page}, {r.ground} ({r.source}, {r.occurrences}x)"
            for n, r in enumerate(d.redactions, start=1)
        ]
        if disclosed.not_machine_readable_pages:
            pages = ", ".join(str(p) for p in disclosed.not_machine_readable_pages)
            lines.append(f"  page(s) {pages} have no text layer: review by eye and mark areas to remove")
        return "\n".join(lines)

    print_result(args, d, text)
    return EXIT_OK


def register(sub: Any) -> None:
    area = sub.add_parser("documents", help="files attached to a review's steps").add_subparsers(
        dest="documents_cmd", required=True
    )

    p = area.add_parser("attach", help="attach a file to a step (PDF, DOCX, ODT, text, PNG, JPEG)")
    p.add_argument("reference")
    p.add_argument("--version", type=int, required=True, help="the version of the step the file belongs to")
    p.add_argument("--file", required=True)
    p.add_argument("--about", required=True, help="the data subjects it is about: S-...,S-...")
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_attach)

    p = area.add_parser("list", help="the review's documents: id, step, kind, size, whom they are about")
    p.add_argument("reference")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = area.add_parser("get", help="write a document to a file (the read is logged)")
    p.add_argument("reference")
    p.add_argument("document_id")
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--purpose", default="review", help="review, ig-request or inspection")
    p.add_argument("--request", help="the SAR or FOI request an ig-request read answers")
    p.set_defaults(func=cmd_get)

    p = area.add_parser(
        "disclose", help="for a SAR or FOI request: release a document whole, withhold it, or redact it"
    )
    p.add_argument("reference")
    p.add_argument("document_id")
    p.add_argument("--request", required=True)
    p.add_argument("--as", dest="as_actor", required=True)
    choice = p.add_mutually_exclusive_group(required=True)
    choice.add_argument("--release", action="store_true", help="give it whole")
    choice.add_argument("--withhold", metavar="GROUND", help="withhold it on this ground")
    choice.add_argument(
        "--redact", action="store_true", help="remove other people's identifiers and what is marked"
    )
    p.add_argument("--phrase", action="append", default=[], help="TEXT=GROUND to remove wherever it appears")
    p.add_argument("--area", action="append", default=[], help="PAGE:LEFT,TOP,RIGHT,BOTTOM=GROUND (points)")
    p.add_argument("--out", help="write the redacted PDF here")
    p.add_argument("--transcript", help="write a plain-text transcript of what remains here")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_disclose)
