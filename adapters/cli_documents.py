"""`reviewledger documents ...`: attach files to a review's steps, list them, read them, redact them.

A refused file or step exits 2 with one line naming the field and the rule, and stores nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from adapters import documents
from adapters.cli_support import EXIT_OK, opened_app, print_result
from domain.documents import DocumentAttached
from domain.errors import InvalidInput


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
    print_result(
        args,
        attached,
        lambda: (
            f"attached {attached.document.document_id} to step {attached.document.step_version} "
            f"of {attached.document.review}"
            + ("" if attached.document.machine_readable else " (not machine-readable — review by eye)")
        ),
    )
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
