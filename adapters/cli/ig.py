"""What the `sar` and `foi` commands share: a step's fields from JSON, dates, and writing a document.

A field that does not decode is refused with its own name (`received_on: expected a date ...`),
before any record is touched.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import msgspec

from adapters.app.application import Application
from adapters.cli.support import EXIT_OK, opened_app
from adapters.governance import sent_documents
from adapters.store.files import write_atomically
from domain.governance.ig_handling import AssignOfficers, check_officers
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput

C = TypeVar("C", bound=Command)

_AT = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")
_FIELD = re.compile(r"field `(?P<name>[^`]+)`")


def decode_fields(data: str, command_type: type[C]) -> C:
    """The command from a JSON object; a bad field is refused with its name and what was wrong."""
    try:
        return msgspec.json.decode(data.encode(), type=command_type)
    except msgspec.ValidationError as error:
        message = str(error)
        at = _AT.search(message)
        path = at["path"] if at else ""
        rule = message[: at.start()] if at else message
        named = _FIELD.search(rule)
        if named is not None:  # a missing or unknown field: name it, under where it was
            path = f"{path}.{named['name']}" if path else named["name"]
        raise InvalidInput(path or "--data", rule[:1].lower() + rule[1:]) from None
    except msgspec.DecodeError:
        raise InvalidInput("--data", "must be a JSON object") from None


def command_of(record_type: type[Aggregate], name: str) -> type[Command]:
    commands = record_type.commands()
    if name not in commands:
        raise InvalidInput("command", f"a {record_type.kind} accepts: {', '.join(sorted(commands))}")
    return commands[name]


def steps_text(record_type: type[Aggregate]) -> str:
    lines = []
    for name, command in sorted(record_type.commands().items()):
        fields = ", ".join(f.name for f in msgspec.structs.fields(command))
        lines.append(f"{name}: {fields}")
    return "\n".join(lines)


def day(field: str, text: str | None) -> date | None:
    """An optional ISO date given on the command line (None: today, as the application's clock has it)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, "must be a date, e.g. 2026-11-30") from None


def write_document(field: str, path: str, data: bytes) -> None:
    """Write the exact bytes to `path`, whole or not at all."""
    try:
        write_atomically(Path(path), data)
    except OSError as error:
        raise InvalidInput(field, f"cannot be written: {error.strerror or 'input/output error'}") from None


def check_target(field: str, path: str) -> None:
    """Refuse a path whose folder does not exist before anything is read or recorded for it."""
    if not Path(path).resolve().parent.is_dir():
        raise InvalidInput(field, "cannot be written: No such file or directory")


def add_actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_actor", required=True, help="the IG officer recording this")


def add_handled_by(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--handled-by",
        dest="handled_by",
        action="append",
        metavar="OFFICER",
        help="an IG officer handling the request (repeat for more); default: the officer opening it",
    )


def handlers(args: argparse.Namespace) -> AssignOfficers | None:
    """The assignment `--handled-by` asks for when a request is opened; None: the opener handles it."""
    if not args.handled_by:
        return None
    return AssignOfficers(
        officers=check_officers(args.handled_by), reason="named when the request was opened"
    )


def add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", default="{}", help="the step's fields as a JSON object")


def copy_kept_document(
    args: argparse.Namespace,
    load: Callable[[Application, str], object],
    record: str,
    *,
    check: Callable[[Application, bytes], None] | None = None,
) -> int:
    """`sar copy` / `foi copy`: write a kept copy of a document sent, read as the named officer;
    `check` refuses a copy that must not leave (nothing is written then)."""
    app = opened_app(args)
    try:
        load(app, args.reference)  # refuses an unknown request before anything is read
        data = sent_documents.read_copy(
            app, record=record, request=args.reference, actor=args.as_actor, sha256_hex=args.sha256
        )
        if data is not None and check is not None:
            check(app, data)
    finally:
        app.close()
    if data is None:
        raise InvalidInput("--sha256", "that copy was disposed of with the request file's personal data")
    write_document("--out", args.out, data)
    print(f"wrote the kept copy {args.sha256} of {args.reference} to {args.out} ({len(data)} bytes)")
    return EXIT_OK
