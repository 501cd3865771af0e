"""`reviewledger access-log --subject ID | --actor ID`: the signed reads of personal data.

`access-log` is one command with two sources. The HTTP API's area lists its table of reads and
refused reads by record (`--record`); this adds the signed `access.personal-data-read`
events, which every interface writes: every read of a data subject's personal data
(`--subject`), or every read by one person (`--actor`), or both at once.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from adapters.cli.support import EXIT_OK, opened_app, print_result
from adapters.governance.access_log import ReadEntry, reads_about, reads_by
from domain.kernel.errors import InvalidInput

COMMAND = "access-log"


def signed_reads(app: Any, *, subject: str | None, actor: str | None) -> list[ReadEntry]:
    if subject is not None:
        found = reads_about(app, subject)
        return [e for e in found if actor is None or e.reader == actor]
    if actor is not None:
        return reads_by(app, actor)
    raise InvalidInput("--subject", "name a data subject (--subject) or a reader (--actor)")


def describe(entry: ReadEntry) -> str:
    request = f" ({entry.ig_request})" if entry.ig_request else ""
    items = f"{len(entry.fields)} items" if entry.fields else "every item"
    about = ", ".join(entry.subjects) or "no registered subject"
    return (
        f"{entry.at.isoformat()}  {entry.reader:18} read {entry.record:20} {entry.view} for "
        f"{entry.purpose}{request}: {items}, about {about}"
    )


def _command(table_view: Callable[[argparse.Namespace], int] | None) -> Callable[[argparse.Namespace], int]:
    def cmd_access_log(args: argparse.Namespace) -> int:
        subject, actor = getattr(args, "subject", None), getattr(args, "actor", None)
        if subject is None and actor is None and table_view is not None:
            return table_view(args)
        if getattr(args, "record", None) is not None:
            raise InvalidInput(
                "--record", "lists the API's table of reads; give it without --subject or --actor"
            )
        app = opened_app(args)
        try:
            found = signed_reads(app, subject=subject, actor=actor)
        finally:
            app.close()
        print_result(args, found, lambda: "\n".join(describe(e) for e in found) or "no reads recorded")
        return EXIT_OK

    return cmd_access_log


def register(sub: Any) -> None:
    parser = sub.choices.get(COMMAND)
    if parser is None:
        parser = sub.add_parser(COMMAND, help="who read whose personal data, and why")
        parser.add_argument("--json", action="store_true")
    parser.add_argument("--subject", help="every signed read of this data subject's personal data")
    parser.add_argument("--actor", help="every signed read by this person")
    parser.set_defaults(func=_command(parser.get_default("func")))
