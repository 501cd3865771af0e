"""`reviewledger witness ...`: run a witness an inspector operates, and push the log's checkpoints to witnesses.

    witness keygen --name NAME --key-file FILE          make the witness's keys; print its vkeys
    witness serve --key-file FILE --state FILE --log VKEY [--log VKEY ...] [--host H] [--port P]
    witness push --policy FILE [--watch SECONDS]       the log's latest checkpoint, to every witness
                                                        with a URL in the policy; keep their cosignatures
                                                        (--watch: each new checkpoint, until interrupted)

`serve` answers c2sp.org/tlog-witness `POST /add-checkpoint` (adapters/transparency/witness.py). Exit
status: 0 done, 1 a witness refused, could not be reached or cosigned under no key the policy
lists (push), 2 bad input.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from adapters.cli.support import EXIT_FAILED, EXIT_OK, opened_app
from adapters.transparency.witness import Witness, create_keys, load_keys, serve
from adapters.transparency.witnessing import Outcome, push_latest, watch, witness_targets
from domain.kernel.errors import InvalidInput


def cmd_keygen(args: argparse.Namespace) -> int:
    for key in create_keys(Path(args.key_file), args.name):
        print(key.vkey())
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    witness = Witness(load_keys(Path(args.key_file)), args.log, Path(args.state), lambda: int(time.time()))
    serve(
        witness,
        args.host,
        args.port,
        lambda port: print(f"witness listening on {args.host}:{port}", flush=True),
    )
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    targets = witness_targets(Path(args.policy))
    app = opened_app(args)
    try:
        if args.watch is not None:
            if args.watch <= 0:
                raise InvalidInput("--watch", "must be a number of seconds above 0")
            for outcomes in watch(app.ledger, targets, args.watch):
                _print(outcomes)
            return EXIT_OK
        outcomes = push_latest(app.ledger, targets)
    finally:
        app.close()
    _print(outcomes)
    return EXIT_OK if all(o.cosigned for o in outcomes.values()) else EXIT_FAILED


def _print(outcomes: dict[str, Outcome]) -> None:
    for url, outcome in outcomes.items():
        print(f"{url}: {outcome}", flush=True)


def register(sub: Any) -> None:
    witness = sub.add_parser("witness", help="witnesses of the log's checkpoints").add_subparsers(
        dest="witness_cmd", required=True
    )
    p = witness.add_parser("keygen", help="make a witness's Ed25519 and ML-DSA-44 keys")
    p.add_argument("--name", required=True, help="the witness's name, e.g. witness.inspectorate.example/w1")
    p.add_argument("--key-file", required=True)
    p.set_defaults(func=cmd_keygen)
    p = witness.add_parser("serve", help="run a witness (c2sp.org/tlog-witness add-checkpoint)")
    p.add_argument("--key-file", required=True)
    p.add_argument("--state", required=True, help="the file recording the latest checkpoint cosigned per log")
    p.add_argument("--log", action="append", required=True, help="a log's verifier key (repeat per log)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8480)
    p.set_defaults(func=cmd_serve)
    p = witness.add_parser("push", help="send the latest checkpoint to the policy's witnesses")
    p.add_argument("--policy", required=True, help="a witness policy file (c2sp.org/tlog-policy) with URLs")
    p.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        help="keep going: push each new checkpoint, looking this often",
    )
    p.set_defaults(func=cmd_push)
