"""`reviewledger-verify BUNDLE --log-key KEY [--since CHECKPOINT] [--policy FILE] [--json]`: 0 verified, 1 not.

Every failure is printed on a line of its own, with the position in the log it concerns where
there is one; nothing the bundle holds is ever run, and a verifier error fails closed.
"""

from __future__ import annotations

import argparse
import base64
import json
from collections.abc import Sequence
from pathlib import Path

from reviewledger_verify import __version__
from reviewledger_verify.bundle import Report, utf8, verify_bundle
from reviewledger_verify.failure import Failure


def _summary(report: Report, bundle: str) -> str:
    scope = f"review {report.review} and the registry" if report.review else "the whole log"
    if report.verified:
        lines = [
            f"VERIFIED: {bundle}",
            f"  {report.entries} entries ({scope}) from {report.origin},",
            f"  included in its signed checkpoint of tree size {report.tree_size}, root "
            f"{base64.b64encode(report.root).decode('ascii')}",
            "  signatures, keys, the whole registry (to the tree's last event) and per-stream chains "
            "all check out",
        ]
        if report.carried_checkpoints:
            lines.append(
                f"  the log's {report.carried_checkpoints} earlier checkpoint(s) in the bundle are "
                "prefixes of it"
            )
        if report.policy_met is not None:
            carried = " and every earlier one it carries" if report.carried_checkpoints else ""
            lines.append(f"  its checkpoint{carried} meets the witness policy's quorum {report.policy_met}")
        if report.since_size is not None:
            lines.append(f"  and the log is consistent with your checkpoint of tree size {report.since_size}")
        return "\n".join(lines)
    count = len(report.failures)
    lines = [f"NOT VERIFIED: {bundle}: {count} problem{'s' if count != 1 else ''}"]
    lines.extend(f"  - {failure}" for failure in report.failures)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point: 0 when the bundle verifies, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="reviewledger-verify", description="Verify a reviewledger evidence bundle offline."
    )
    parser.add_argument("bundle", help="the bundle .zip file")
    parser.add_argument("--log-key", required=True, help="the log's verifier key, name+keyid+base64")
    parser.add_argument(
        "--since", metavar="CHECKPOINT_FILE", help="a checkpoint of this log you hold already"
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="a witness policy (c2sp.org/tlog-policy) the checkpoint and those it carries must meet",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)

    report = Report()
    since: str | None = None
    policy: str | None = None
    try:
        data = Path(args.bundle).read_bytes()
        if args.since is not None:
            since = utf8(Path(args.since).read_bytes(), "--since checkpoint file")
        if args.policy is not None:
            policy = utf8(Path(args.policy).read_bytes(), "--policy file")
    except OSError as error:
        report.failures.append(Failure(f"cannot read {error.filename}: {error.strerror}"))
    except Failure as failure:
        report.failures.append(failure)
    else:
        try:
            report = verify_bundle(data, args.log_key, since, policy)
        except Exception as error:  # fail closed, with a message rather than a traceback
            report.failures.append(Failure(f"verifier could not finish: {type(error).__name__}: {error}"))
    if args.json:
        result = {
            "verified": report.verified,
            "entries": report.entries,
            "tree_size": report.tree_size,
            "origin": report.origin,
            "review": report.review,
            "failures": [{"position": f.position, "message": f.message} for f in report.failures],
        }
        print(json.dumps(result, indent=2))
    else:
        print(_summary(report, args.bundle))
    return 0 if report.verified else 1
