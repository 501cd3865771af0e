"""reviewledger-verify: an inspector's own check of a reviewledger evidence bundle, offline.

    reviewledger-verify BUNDLE.zip --log-key KEY [--since CHECKPOINT_FILE] [--policy FILE] [--json]

KEY is the log's verifier key as the log publishes it (c2sp.org/signed-note form
`name+hexkeyid+base64(0x01 || Ed25519 public key)`), obtained from the log's operator through
a channel other than the bundle: a key inside a bundle proves nothing on its own.
CHECKPOINT_FILE is a checkpoint the inspector received earlier from the same log. FILE is a
witness policy (c2sp.org/tlog-policy): the witnesses the inspector trusts and their quorum.

This package is installed by the inspector, once, from a wheel whose SHA-256 they check; it
needs only the Python standard library (3.11 or later) and the `cryptography` package, and it
runs nothing a bundle holds. bundle.py lists what is checked, in order.

What it cannot show: that nothing was appended to a record's stream after the last version in
the bundle (a Merkle tree proves inclusion, not absence). For the registry the log signs where
it ends at the checkpoint's size, and the bundle must hold it up to there. A whole-log bundle
holds every position of its tree, so there the question does not arise.
"""

from __future__ import annotations

__version__ = "1.1.0"

from reviewledger_verify.bundle import Report, verify_bundle
from reviewledger_verify.cli import main

__all__ = ["Report", "__version__", "main", "verify_bundle"]
