"""Sign-in accounts for the demonstration's fictional people, so the pages can be tried (demo only).

`make demo` runs this after the demonstration history is recorded: every member of the cast
gets an account with one shared, published password, and the table of who is who is printed.
Never run it on a real store: it refuses one that already has accounts.
"""

from __future__ import annotations

import argparse
import sys

from adapters.app import users
from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.app.logging import configure_logging
from adapters.demo.cast import CAST
from audit.passwords import ScryptCost

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 (published on purpose: fictional people, demo store)
# Cheaper than the default so that setting up twenty accounts takes a moment; the stored hash names
# its cost, and the first sign-in re-hashes the password at the server's cost.
DEMO_COST = ScryptCost(log2_n=14, r=8, p=1)
ADDRESS = "http://127.0.0.1:8000/"


def add_demo_accounts(app: Application) -> list[tuple[str, str]]:
    """An account for every registered member of the cast; (actor id, roles) of each."""
    if users.list_accounts(app):
        raise SystemExit("this store already has sign-in accounts: demo accounts are only for the demo store")
    admin = CAST[0].actor_id
    registered = app.ledger.registry().actors
    people = [m.actor_id for m in CAST if m.actor_id in registered]
    people += sorted(a for a in registered if a not in people and a != "log")
    added: list[tuple[str, str]] = []
    for actor in people:
        users.add_account(app, admin, actor, DEMO_PASSWORD, cost=DEMO_COST)
        roles = ", ".join(sorted(r.value for r in app.acting(actor).roles)) or "no roles"
        added.append((actor, roles))
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sign-in accounts for the demo's people (demo only)")
    parser.add_argument("--db", required=True)
    parser.add_argument("--kek-file", required=True)
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    settings = Settings.from_sources(args.db, args.kek_file)
    app = Application(settings.db_url, settings.kek_file)
    try:
        added = add_demo_accounts(app)
    finally:
        app.close()
    out = sys.stdout
    out.write("\n== Web pages (demo only)\n")
    out.write(f"Start the server with `make serve`, then open {ADDRESS}\n")
    out.write(f"Every demo person signs in with the password: {DEMO_PASSWORD}\n")
    width = max(len(actor) for actor, _ in added)
    for actor, roles in added:
        marker = "  (try first)" if actor in _SUGGESTED else ""
        out.write(f"  {actor:{width}}  {roles}{marker}\n")
    return 0


_SUGGESTED = {"cpc-officer", "cog-chair", "ig-officer", "inspector"}

if __name__ == "__main__":
    raise SystemExit(main())
