"""`reviewledger publication render|check`: the anonymised report, and the residual-risk check.

A failed residual-risk check exits 1, as a failed verification does, with the kinds of
identifier found (never the values) on standard error; the file is not written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from adapters.cli.support import EXIT_FAILED, EXIT_OK, opened_app, print_result
from adapters.governance.publication import OutputFormat, check_file, render_publication
from domain.governance.anonymisation import DateStyle, ResidualRiskFound
from domain.kernel.errors import InvalidInput


def _choice(field: str, value: str, choices: type[OutputFormat] | type[DateStyle]) -> Any:
    try:
        return choices(value)
    except ValueError:
        raise InvalidInput(field, f"must be one of {', '.join(c.value for c in choices)}") from None


def cmd_render(args: argparse.Namespace) -> int:
    output = _choice("--format", args.format, OutputFormat)
    dates = _choice("--dates", args.dates, DateStyle)
    app = opened_app(args)
    try:
        written = render_publication(
            app, args.reference, args.as_actor, out=Path(args.out), output=output, dates=dates
        )
    except ResidualRiskFound as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        app.close()
    print_result(
        args,
        written,
        lambda: (
            f"wrote {written.path}: the anonymised report of {written.review} ({written.format}, "
            f"{written.sections} sections, {written.people} people by pseudonym, sha256 {written.sha256}); "
            f"residual-risk check passed against {written.subjects_checked} data subjects"
            + (
                f" ({written.subjects_disposed} disposed of, not checkable)"
                if written.subjects_disposed
                else ""
            )
        ),
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        checked = check_file(app, Path(args.file), args.as_actor)
    except ResidualRiskFound as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        app.close()
    print_result(
        args,
        checked,
        lambda: f"{checked.path}: {checked.result} ({checked.subjects_checked} data subjects checked)",
    )
    return EXIT_OK


def register(sub: Any) -> None:
    area = sub.add_parser("publication", help="anonymised reports for publication").add_subparsers(
        dest="publication_cmd", required=True
    )
    p = area.add_parser("render", help="anonymise a review's latest report, check it, write it")
    p.add_argument("reference")
    p.add_argument("--as", dest="as_actor", required=True, help="a member of the review's team")
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--format", default="html", help="html (default), json or pdf")
    p.add_argument("--dates", default="month", help="coarsen dates to the month (default) or the season")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_render)

    p = area.add_parser("check", help="scan a file for any registered identifier of any data subject")
    p.add_argument("file")
    p.add_argument("--as", dest="as_actor", required=True, help="who reads the identifiers to check against")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)
