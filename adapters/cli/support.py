"""What every command-line module shares: opening the application, printing, exit codes."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec

from adapters.app.config import Settings

if TYPE_CHECKING:
    from adapters.app.application import Application

# 0 done; 1 a check failed (verify: not intact); 2 bad input, nothing changed; 3 the store could
# not be reached (the server is down or refuses the connection), nothing changed.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3


def open_app(args: argparse.Namespace, *, create_kek: bool = False) -> Application:
    """Open the configured store; only `init` (create_kek) may create it, every other command needs it there."""
    # Imported when a command opens the store: `--help` and usage errors never load it.
    from adapters.app.application import Application

    settings = settings_of(args)
    return Application(
        settings.db_url,
        settings.kek_file,
        create_kek=create_kek,
        create_store=create_kek,
        log_kek_file=settings.log_kek_file,
        witness_policy=settings.witness_policy,
        witness_timeout=settings.witness_timeout,
    )


def settings_of(args: argparse.Namespace) -> Settings:
    """The configuration the global options (then the environment, then the defaults) give."""
    return Settings.from_sources(
        args.db,
        args.kek_file,
        getattr(args, "log_kek_file", None),
        getattr(args, "witness_policy", None),
    )


def opened_app(args: argparse.Namespace) -> Application:
    app = open_app(args)
    app.ledger.require()
    app.ledger.tree.catch_up()
    app.ledger.complete_disposals()
    return app


def print_result(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if getattr(args, "json", False):
        print(json.dumps(msgspec.to_builtins(data), indent=2, sort_keys=True))
    else:
        print(text())
