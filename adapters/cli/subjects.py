"""`reviewledger subjects add | amend | list | show`: the register of data subjects from the command line.

With these a case can be recorded from the command line alone: register the people, then name
them by id in each step's `about` and `by`. `show`, and `list` for those who may keep the
register, read personal data: each read is signed into the reader's access log first.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from adapters.cli.support import EXIT_OK, opened_app, print_result
from adapters.governance import subjects
from domain.governance.subjects import AmendSubjectIdentifiers, RegisterSubject, SubjectCategory
from domain.kernel.errors import InvalidInput

#: The list options an amendment can give (each replaces the whole list) and their field names.
_LISTS: dict[str, str] = {
    "also_known_as": "other_names",
    "date_of_birth": "dates_of_birth",
    "address": "addresses",
    "school": "schools",
    "record_number": "record_numbers",
}


def _category(value: str) -> SubjectCategory:
    try:
        return SubjectCategory(value)
    except ValueError:
        raise InvalidInput(
            "--category", f"must be one of {', '.join(c.value for c in SubjectCategory)}"
        ) from None


def _date(value: str) -> date:
    return subjects.parse_date("--date-of-birth", value)


def _one(args: argparse.Namespace, option: str) -> str | None:
    values: list[str] = getattr(args, option) or []
    if len(values) > 1:
        flag = "--" + option.replace("_", "-")
        raise InvalidInput(flag, "is given once at registration; add more later with `subjects amend`")
    return values[0] if values else None


def cmd_add(args: argparse.Namespace) -> int:
    born = _one(args, "date_of_birth")
    command = RegisterSubject(
        subject_id=args.subject_id,
        category=_category(args.category),
        name=args.name,
        other_names=tuple(args.also_known_as or ()),
        date_of_birth=None if born is None else _date(born),
        address=_one(args, "address"),
        school=_one(args, "school"),
        record_number=_one(args, "record_number"),
    )
    app = opened_app(args)
    try:
        version = subjects.register(app, args.as_actor, command)
    finally:
        app.close()
    print(f"registered {args.subject_id} ({command.category}) (version {version})")
    return EXIT_OK


def cmd_amend(args: argparse.Namespace) -> int:
    cleared = set(args.clear or ())
    changes: dict[str, Any] = {}
    for option, field in _LISTS.items():
        given: list[str] | None = getattr(args, option)
        if given and field in cleared:
            raise InvalidInput("--clear", f"{field} cannot be both cleared and given")
        if given:
            changes[field] = tuple(_date(v) for v in given) if field == "dates_of_birth" else tuple(given)
        elif field in cleared:
            changes[field] = ()
    command = AmendSubjectIdentifiers(
        subject_id=args.subject_id, reason=args.reason, name=args.name, **changes
    )
    app = opened_app(args)
    try:
        version = subjects.amend(app, args.as_actor, command)
    finally:
        app.close()
    amended = (["name"] if args.name is not None else []) + sorted(changes)
    print(f"amended {', '.join(amended)} of {args.subject_id} (version {version})")
    return EXIT_OK


def describe(entry: subjects.RegisterEntry) -> str:
    state = "disposed of" if entry.disposed else f"{entry.amendments} amendments"
    line = f"{entry.subject_id:16} {entry.category.value:16} {state}"
    return line if entry.name is None else f"{line}  {entry.name}"


def describe_one(entry: subjects.RegisterEntry) -> str:
    lines = [f"{entry.subject_id} ({entry.category.value})"]
    if entry.disposed:
        return "\n".join([*lines, "  identifiers: disposed of"])
    for label, values in (
        ("name", (entry.name,) if entry.name else ()),
        ("also known as", entry.other_names),
        ("dates of birth", entry.dates_of_birth),
        ("addresses", entry.addresses),
        ("schools", entry.schools),
        ("record numbers", entry.record_numbers),
    ):
        if values:
            lines.append(f"  {label}: {'; '.join(values)}")
    lines.append(f"  amendments: {entry.amendments}")
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        found = subjects.list_register(app, args.as_actor)
    finally:
        app.close()
    print_result(args, found, lambda: "\n".join(describe(e) for e in found) or "no data subjects registered")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        entry = subjects.show(app, args.as_actor, args.subject_id)
    finally:
        app.close()
    print_result(args, entry, lambda: describe_one(entry))
    return EXIT_OK


def _identifier_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--also-known-as", action="append", metavar="NAME", help="another name the person is known by"
    )
    p.add_argument("--date-of-birth", action="append", metavar="YYYY-MM-DD")
    p.add_argument("--address", action="append")
    p.add_argument("--school", action="append")
    p.add_argument("--record-number", action="append", help="e.g. a CHI, NHS or social work record number")


def register(sub: Any) -> None:
    register_ = sub.add_parser("subjects", help="the register of data subjects").add_subparsers(
        dest="subjects_cmd", required=True
    )
    p = register_.add_parser("add", help="register a person the records are about or by")
    p.add_argument("subject_id", help="an opaque id, e.g. S-3f9a1c")
    p.add_argument("--category", required=True, help=", ".join(c.value for c in SubjectCategory))
    p.add_argument("--name", required=True)
    _identifier_options(p)
    p.add_argument("--as", dest="as_actor", required=True, help="the person recording this")
    p.set_defaults(func=cmd_add)

    p = register_.add_parser(
        "amend", help="amend a subject's identifiers; each option given replaces that whole list"
    )
    p.add_argument("subject_id")
    p.add_argument("--reason", required=True, help="why the identifiers change")
    p.add_argument("--name")
    _identifier_options(p)
    p.add_argument("--clear", action="append", choices=sorted(_LISTS.values()), help="empty this list")
    p.add_argument("--as", dest="as_actor", required=True, help="the person recording this")
    p.set_defaults(func=cmd_amend)

    p = register_.add_parser(
        "list", help="every registered subject (names only for those who keep the register)"
    )
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = register_.add_parser("show", help="one subject's identifiers as they hold now (a logged read)")
    p.add_argument("subject_id")
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
