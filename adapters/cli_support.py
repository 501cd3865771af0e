"""What every command-line module shares: opening the application, printing, exit codes."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec

from adapters.config import Settings

if TYPE_CHECKING:
    from adapters.application import Application

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def open_app(args: argparse.Namespace, *, create_kek: bool = False) -> Application:
    # Imported when a command opens the store: `--help` and usage errors never load it.
    from adapters.application import Application

    settings = Settings.from_sources(args.db, args.kek_file)
    return Application(settings.db_url, settings.kek_file, create_kek=create_kek)


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
