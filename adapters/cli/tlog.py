"""`reviewledger tiles export DIR` and `reviewledger proof export`: the log for any tlog tool.

    tiles export DIR                                  c2sp.org/tlog-tiles under the latest checkpoint
    proof export --out DIR (--position N ... | --review REF)
                                                      one c2sp.org/tlog-proof file per event

Exit status: 0 written, 2 bad input or a stored log that does not match its checkpoint.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from adapters.cli.support import EXIT_OK, opened_app
from adapters.transparency.tlog_export import export_proofs, export_tiles, positions_of
from domain.kernel.errors import InvalidInput, RecordNotFound


def cmd_tiles_export(args: argparse.Namespace) -> int:
    app = opened_app(args)
    try:
        summary = export_tiles(app.ledger, Path(args.dir))
    finally:
        app.close()
    print(f"{args.dir}: {summary.describe()}")
    return EXIT_OK


def cmd_proof_export(args: argparse.Namespace) -> int:
    if not args.position and not args.review:
        raise InvalidInput("--position", "name the events: --position N (repeatable) or --review REF")
    app = opened_app(args)
    try:
        positions = list(args.position or [])
        if args.review:
            found = positions_of(app.ledger, args.review)
            if not found:
                raise RecordNotFound("record", args.review)
            positions += found
        written = export_proofs(app.ledger, Path(args.out), positions)
    finally:
        app.close()
    for path in written:
        print(path)
    return EXIT_OK


def register(sub: Any) -> None:
    tiles = sub.add_parser("tiles", help="the log as C2SP tlog-tiles").add_subparsers(
        dest="tiles_cmd", required=True
    )
    p = tiles.add_parser("export", help="write the checkpoint, tiles and entry bundles into a folder")
    p.add_argument("dir")
    p.set_defaults(func=cmd_tiles_export)
    proof = sub.add_parser("proof", help="C2SP tlog-proof files").add_subparsers(
        dest="proof_cmd", required=True
    )
    p = proof.add_parser("export", help="one offline inclusion proof per chosen event")
    p.add_argument("--out", required=True)
    p.add_argument("--position", type=int, action="append", help="a 1-based position in the log (repeatable)")
    p.add_argument("--review", help="every event of this record")
    p.set_defaults(func=cmd_proof_export)
