"""`reviewledger users ...`: sign-in accounts for the HTTP API, each an administrator's act.

A password is never taken as an argument (it would show in the process list and the shell's
history): it is typed at a prompt, or given on standard input with `--password-stdin`.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from adapters.app import users
from adapters.cli.support import EXIT_OK, opened_app, print_result
from domain.kernel.errors import InvalidInput


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("--password-stdin", "standard input held no password")
        return password
    if not sys.stdin.isatty():
        raise InvalidInput(
            "password", "type it at a terminal, or give it on standard input with --password-stdin"
        )
    first = getpass.getpass(f"password for {args.actor_id}: ")
    if getpass.getpass("again: ") != first:
        raise InvalidInput("password", "the two entries differ")
    return first


def cmd_add(args: argparse.Namespace) -> int:
    password = _password(args)
    app = opened_app(args)
    try:
        users.add_account(app, args.as_actor, args.actor_id, password)
    finally:
        app.close()
    print(f"created the sign-in account of {args.actor_id}")
    return EXIT_OK


def cmd_set_password(args: argparse.Namespace) -> int:
    password = _password(args)
    app = opened_app(args)
    try:
        users.set_password(app, args.as_actor, args.actor_id, password)
    finally:
        app.close()
    print(f"set a new password for {args.actor_id}; their sessions are ended")
    return EXIT_OK


def cmd_disable(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        users.disable_account(app, args.as_actor, args.actor_id)
    finally:
        app.close()
    print(f"disabled the sign-in account of {args.actor_id}; their sessions are ended")
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        count = users.revoke_sessions(app, args.as_actor, args.actor_id)
    finally:
        app.close()
    print(f"ended {count} open session{'s' if count != 1 else ''} of {args.actor_id}")
    return EXIT_OK


def cmd_unblock(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        count = users.unblock(app, args.as_actor, args.actor_id)
    finally:
        app.close()
    print(
        f"cleared {count} failed sign-in{'s' if count != 1 else ''} of {args.actor_id}; they may sign in now"
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        found = users.list_accounts(app)
    finally:
        app.close()
    print_result(
        args,
        found,
        lambda: (
            "\n".join(
                f"{a.actor:20} {'disabled' if a.disabled else 'enabled':9} {a.active_sessions} open sessions, "
                f"created {a.created_at.date().isoformat()} by {a.created_by}"
                for a in found
            )
            or "no accounts"
        ),
    )
    return EXIT_OK


def register(sub: Any) -> None:
    accounts = sub.add_parser("users", help="sign-in accounts for the HTTP API").add_subparsers(
        dest="users_cmd", required=True
    )
    for name, func, text, takes_password in (
        ("add", cmd_add, "create the sign-in account of a registered person", True),
        ("set-password", cmd_set_password, "set a new password and end their sessions", True),
        ("disable", cmd_disable, "stop an account signing in and end its sessions", False),
        ("revoke-sessions", cmd_revoke, "end every open session of an account", False),
        ("unblock", cmd_unblock, "clear an account's failed sign-ins so its back-off ends now", False),
    ):
        p = accounts.add_parser(name, help=text)
        p.add_argument("actor_id", help="the registered person's actor id")
        p.add_argument("--as", dest="as_actor", required=True, help="the administrator doing this")
        if takes_password:
            p.add_argument(
                "--password-stdin", action="store_true", help="read the password from standard input"
            )
        p.set_defaults(func=func)
    p = accounts.add_parser("list", help="every account, enabled or not, with its open sessions")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
