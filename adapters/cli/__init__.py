"""The `reviewledger` command line: thin over the application services.

Every error a person can cause is printed as one line naming the field and the rule, with
exit status 2; a failed verification exits 1; a store that cannot be reached exits 3. No stack traces, no personal data in output
unless the command is for reading it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from adapters.app.config import DEFAULT_ORIGIN
from adapters.app.logging import configure_logging
from adapters.app.progress import Progress
from adapters.cli.support import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
    open_app,
    opened_app,
    print_result,
    settings_of,
)
from adapters.store.errors import StoreUnavailable
from domain.kernel.errors import InvalidInput, ReviewledgerError
from domain.kernel.roles import Role

# -- commands ------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    app = open_app(args, create_kek=True)
    try:
        if app.kek_created:
            print(f"created a key-encryption key at {app.kek_file} (keep it safe and out of the database)")
        if app.log_kek_created:
            print(
                f"created the log's key-encryption key at {app.log_kek_file} "
                "(it alone opens the checkpoint-signing key: keep it apart from the other)"
            )
        created = app.initialise(args.origin)
        print(
            ("created" if created else "already set up:")
            + f" log {app.ledger.origin} on {app.db.url.describe()}"
        )
        print(f"log key: {app.ledger.log_verifier_key()}")
        if app.ledger.log_mldsa_verifier_key() is not None:
            print(
                "the log signs each checkpoint with its ML-DSA-44 key too: `reviewledger log-key --ml-dsa` prints it"
            )
    finally:
        app.close()
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from adapters.store.verification import verify_ledger

    app = opened_app(args)
    try:
        report = verify_ledger(
            app.ledger,
            against=[Path(p) for p in args.against or []],
            progress=Progress("verify", enabled=not args.quiet),
        )
    finally:
        app.close()
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(verify_summary(report.as_json()))
    return EXIT_OK if report.intact else EXIT_FAILED


def verify_summary(result: dict[str, Any]) -> str:
    lines = [
        f"verify: {'INTACT' if result['intact'] else 'NOT INTACT'} — "
        f"{result['events']} events, tree size {result['tree_size']}, {len(result['failures'])} problems"
    ]
    for f in result["failures"]:
        lines.append(f"  position {f['position']} ({f['stream']} v{f['version']}): {f['problem']}")
    return "\n".join(lines)


def cmd_checkpoint(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        note = app.ledger.tree.latest_checkpoint()
    finally:
        app.close()
    if note is None:
        raise InvalidInput("checkpoint", "the log has no checkpoint yet")
    Path(args.out).write_text(note, encoding="utf-8")
    print(f"wrote the checkpoint for {note.splitlines()[1]} events to {args.out}")
    return EXIT_OK


def cmd_log_key(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        if args.add_ml_dsa:
            if app.ledger.log_mldsa_verifier_key() is not None:
                raise InvalidInput("--add-ml-dsa", "the log has an ML-DSA-44 key already; it is added once")
            print(app.ledger.add_log_mldsa_key(app.clock.now()).vkey())
        elif args.ml_dsa:
            key = app.ledger.log_mldsa_verifier_key()
            if key is None:
                raise InvalidInput("--ml-dsa", "the log has no ML-DSA-44 key: add one with --add-ml-dsa")
            print(key)
        else:
            print(app.ledger.log_verifier_key())
    finally:
        app.close()
    return EXIT_OK


def cmd_bundle_export(args: argparse.Namespace) -> int:
    from adapters.governance.bundle import export_bundle

    app = opened_app(args)
    try:
        summary = export_bundle(
            app.ledger,
            Path(args.out),
            review=args.review,
            since_checkpoint=Path(args.since).read_text(encoding="utf-8") if args.since else None,
            progress=Progress("bundle export", enabled=not args.quiet),
            at=app.clock.now(),
        )
    finally:
        app.close()
    print_result(
        args, summary, lambda: f"wrote {args.out}: {summary.entries} entries, tree size {summary.tree_size}"
    )
    return EXIT_OK


def cmd_people_add(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        roles = tuple(_role(r) for r in args.role)
        key_id = app.register_person(args.as_actor, args.actor_id, args.name, roles)
    finally:
        app.close()
    print(f"registered {args.actor_id} with key {key_id}")
    return EXIT_OK


def cmd_people_key(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        if args.action == "rotate-key":
            print(f"new key {app.rotate_key(args.as_actor, args.actor_id)}")
        elif args.action == "retire-key":
            app.retire_key(args.as_actor, args.actor_id, args.reason or "retired")
            print(f"retired the key of {args.actor_id}")
        elif args.action == "compromised":
            since = _datetime("--since", args.since)
            app.mark_compromised(
                args.as_actor, args.actor_id, args.key_id, since, args.reason or "compromised"
            )
            print(f"key {args.key_id} marked compromised from {since.isoformat()}")
        elif args.action == "grant":
            app.grant_role(args.as_actor, args.actor_id, _role(args.role))
        elif args.action == "withdraw":
            app.withdraw_role(args.as_actor, args.actor_id, _role(args.role))
    finally:
        app.close()
    return EXIT_OK


def cmd_reviews_list(args: argparse.Namespace) -> int:
    from adapters.app.views import refresh
    from projections.queries import list_reviews

    app = opened_app(args)
    try:
        refresh(app)
        with app.db.reader.connect() as conn:
            reviews = list_reviews(conn, route=args.route, status=args.status)
    finally:
        app.close()
    print_result(
        args,
        reviews,
        lambda: (
            "\n".join(f"{r.reference:16} {r.route:14} {r.stage:40} {r.status}" for r in reviews)
            or "no reviews"
        ),
    )
    return EXIT_OK


def cmd_step(args: argparse.Namespace) -> int:
    from adapters.app.records import record_type_for

    app = opened_app(args)
    try:
        record_type = record_type_for(app, args.reference, args.route)
        commands = record_type.commands()
        if args.command not in commands:
            raise InvalidInput("command", f"a {record_type.kind} accepts: {', '.join(sorted(commands))}")
        try:
            command = msgspec.json.decode(args.data.encode(), type=commands[args.command])
        except msgspec.ValidationError as error:
            raise InvalidInput("data", str(error)) from None
        except msgspec.DecodeError:
            raise InvalidInput("data", "must be a JSON object") from None
        outcome = app.record_step(record_type, args.reference, args.as_actor, command)
        print(f"recorded {args.command} on {args.reference} (version {outcome.record.version})")
        if outcome.not_named:
            print(describe_not_named(outcome.not_named))
    finally:
        app.close()
    return EXIT_OK


def describe_not_named(subjects: Sequence[str]) -> str:
    """The line that tells a recorder whom the words name beyond the step's `about`."""
    return (
        f"its words also name {', '.join(subjects)}, not in 'about': recorded as about them too "
        "(they count as about them for every disclosure)"
    )


def cmd_steps(args: argparse.Namespace) -> int:
    from domain.routes.registry import ROUTES

    record_type = ROUTES.get(args.route)
    if record_type is None:
        raise InvalidInput("route", f"must be one of {', '.join(ROUTES)}")
    for name, command in sorted(record_type.commands().items()):
        fields = ", ".join(f.name for f in msgspec.structs.fields(command))
        print(f"{name}: {fields}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from adapters.demo import run_demo

    return run_demo(settings_of(args))


def cmd_separate_log_key(args: argparse.Namespace) -> int:
    """Move an existing store's log key from under the staff KEK to under the log KEK (made if absent)."""
    from adapters.store.keystore import default_log_kek_file, load_kek

    settings = settings_of(args)
    log_kek_file = settings.log_kek_file or default_log_kek_file(settings.kek_file)
    _, created = load_kek(log_kek_file, create=True, variable="REVIEWLEDGER_LOG_KEK_FILE")
    if created:
        print(f"created the log's key-encryption key at {log_kek_file}")
    app = opened_app(args)
    try:
        moved = app.ledger.separate_log_key()
    finally:
        app.close()
    print(
        f"the log's signing key is now kept under {log_kek_file} alone; the staff key-encryption key "
        "no longer opens it"
        if moved
        else f"the log's signing key is already kept under {log_kek_file} alone"
    )
    return EXIT_OK


# -- parsing -------------------------------------------------------------------------------


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput("--role", f"must be one of {', '.join(r.value for r in Role)}") from None


def _datetime(field: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            field, "must be an ISO 8601 date-time with a time zone, e.g. 2026-11-01T09:00:00+00:00"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(field, "must include a time zone, e.g. +00:00")
    return moment


# Each area of the product adds its commands from its own module with `register(subparsers)`:
# the area, and the top-level commands it registers (tests/integration/test_cli_startup.py holds
# this table to what each area registers).
AREA_COMMANDS: dict[str, tuple[str, ...]] = {
    "adapters.cli.views": ("clocks", "diff", "projections", "review", "themes", "trail"),
    "adapters.cli.users": ("users",),
    "adapters.cli.serve": ("access-log", "serve"),
    "adapters.cli.access": ("access-log",),
    "adapters.cli.retention": ("retention",),
    "adapters.cli.publication": ("publication",),
    "adapters.cli.sar": ("sar",),
    "adapters.cli.foi": ("foi",),
    "adapters.cli.subjects": ("subjects",),
    "adapters.cli.witness": ("witness",),
    "adapters.cli.tlog": ("tiles", "proof"),
    "adapters.cli.documents": ("documents",),
}
AREAS: tuple[str, ...] = tuple(AREA_COMMANDS)
_GLOBAL_OPTIONS = ("--db", "--kek-file", "--log-kek-file", "--witness-policy")
# The commands this module registers itself (the test holds this set to the parser's too).
_CORE_COMMANDS = frozenset(
    {
        "init",
        "demo",
        "verify",
        "checkpoint",
        "log-key",
        "separate-log-key",
        "bundle",
        "people",
        "reviews",
        "step",
        "steps",
    }
)


def areas_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The areas a run needs: those registering the command it names, none for a command of this
    module, and all of them for help or anything unrecognised (so help and usage errors list
    every command). A command imports only its own area's modules."""
    words = list(argv)
    while words and words[0].split("=", 1)[0] in _GLOBAL_OPTIONS:
        words = words[1 if "=" in words[0] else 2 :]
    if not words or words[0].startswith("-"):
        return AREAS
    needed = tuple(area for area, commands in AREA_COMMANDS.items() if words[0] in commands)
    return needed or (() if words[0] in _CORE_COMMANDS else AREAS)


def build_parser(areas: Sequence[str] = AREAS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewledger", description="Signed, tamper-evident records of learning reviews."
    )
    parser.add_argument(
        "--db",
        help="database URL (sqlite:///FILE or postgresql://...); default REVIEWLEDGER_DB or sqlite:///var/reviewledger.db",
    )
    parser.add_argument(
        "--kek-file", help="key-encryption key file; default REVIEWLEDGER_KEK_FILE or var/reviewledger.kek"
    )
    parser.add_argument(
        "--log-kek-file",
        help="the log's own key-encryption key file (it keeps the checkpoint-signing key); default "
        "REVIEWLEDGER_LOG_KEK_FILE or the KEK file's name with .log-kek (var/reviewledger.log-kek)",
    )
    parser.add_argument(
        "--witness-policy",
        metavar="FILE",
        help="a witness policy (c2sp.org/tlog-policy) whose witnesses with a URL are sent each new "
        "checkpoint as it is signed; default REVIEWLEDGER_WITNESS_POLICY, else none",
    )
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("init", help="create the log and its key")
    p.add_argument(
        "--origin", default=DEFAULT_ORIGIN, help="the log's name, e.g. records.example-council.gov.uk/reviews"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="record a scripted demonstration history, then verify it")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("verify", help="check every signature, chain link, the tree and the checkpoints")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--against", action="append", metavar="CHECKPOINT_FILE", help="a checkpoint held outside the system"
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("checkpoint", help="write the latest signed checkpoint to a file")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_checkpoint)

    p = sub.add_parser("log-key", help="print the log's public key (C2SP verifier key)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--ml-dsa", action="store_true", help="print the log's ML-DSA-44 key (vkey type 06)")
    group.add_argument(
        "--add-ml-dsa",
        action="store_true",
        help="give the log an ML-DSA-44 key, named in the registry; checkpoints are signed with both from then on",
    )
    p.set_defaults(func=cmd_log_key)

    p = sub.add_parser(
        "separate-log-key",
        help="keep the log's signing key under the log's own key-encryption key (for a store set up before it had one)",
    )
    p.set_defaults(func=cmd_separate_log_key)

    bundle = sub.add_parser("bundle", help="inspection bundles").add_subparsers(
        dest="bundle_cmd", required=True
    )
    p = bundle.add_parser("export", help="write an inspection bundle for the inspector's own verifier")
    p.add_argument("--out", required=True)
    p.add_argument("--review")
    p.add_argument(
        "--since",
        metavar="CHECKPOINT_FILE",
        help="a checkpoint the inspector holds: the bundle also proves the log consistent with it",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_bundle_export)

    people = sub.add_parser("people", help="register people, their keys and roles").add_subparsers(
        dest="people_cmd", required=True
    )
    p = people.add_parser("add", help="register a person and issue their key")
    p.add_argument("actor_id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", action="append", default=[])
    p.add_argument("--as", dest="as_actor", required=True, help="the administrator recording this")
    p.set_defaults(func=cmd_people_add)
    for action in ("rotate-key", "retire-key", "compromised", "grant", "withdraw"):
        p = people.add_parser(action)
        p.add_argument("actor_id")
        p.add_argument("--as", dest="as_actor", required=True)
        p.add_argument("--reason")
        if action == "compromised":
            p.add_argument("--key-id", required=True)
            p.add_argument("--since", required=True, help="ISO date-time from which the key is not trusted")
        if action in ("grant", "withdraw"):
            p.add_argument("--role", required=True)
        p.set_defaults(func=cmd_people_key, action=action)

    reviews = sub.add_parser("reviews", help="reviews").add_subparsers(dest="reviews_cmd", required=True)
    p = reviews.add_parser("list", help="every review with its route, stage and status")
    p.add_argument("--route", help="only this route: national, mini, panel or single-agency")
    p.add_argument("--status", help="only reviews with this status, e.g. open or closed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reviews_list)

    p = sub.add_parser("step", help="record one step of a review as a named person")
    p.add_argument("reference")
    p.add_argument("command", help="the step, e.g. receive-notification (see `reviewledger steps ROUTE`)")
    p.add_argument("--as", dest="as_actor", required=True)
    p.add_argument("--route", help="for a new review: national, mini, panel or single-agency")
    p.add_argument("--data", default="{}", help="the step's fields as a JSON object")
    p.set_defaults(func=cmd_step)

    p = sub.add_parser("steps", help="list the steps of a route and their fields")
    p.add_argument("route")
    p.set_defaults(func=cmd_steps)

    for area in areas:
        importlib.import_module(area).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(areas_for(words)).parse_args(words)
    try:
        result: int = args.func(args)
        return result
    except StoreUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except ReviewledgerError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
