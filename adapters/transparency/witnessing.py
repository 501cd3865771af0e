"""The log's side of witnessing: push the latest checkpoint to each witness, keep their cosignatures.

The witnesses are named in a witness policy file (c2sp.org/tlog-policy), the same file an
inspector gives their verifier: `witness <name> <vkey> <url>` lines, one per witness key (a
witness with an Ed25519 and an ML-DSA-44 key has two lines with one URL). For each URL the log
sends `add-checkpoint` (c2sp.org/tlog-witness) with the size that witness last cosigned and a
consistency proof from it; told 409 with another size, it tries once more from that size. Every
returned line that verifies under one of that witness's keys is stored beside the checkpoint
(`rl_cosignatures`), and bundles carry them on their checkpoints. `watch` does this for each new
checkpoint as the log grows (`reviewledger witness push --watch SECONDS`).

Recording pushes too: with a witness policy configured (`--witness-policy`,
REVIEWLEDGER_WITNESS_POLICY), `WitnessPusher` runs after each append has been committed and
its checkpoint signed, never inside the append's transaction. The witnesses are asked side by
side, each for at most the configured timeout; one that cannot be reached is logged and left
for a while, and the step stands either way: the next push (or `witness push`) catches it up
with a consistency proof from the size it last cosigned.
"""

from __future__ import annotations

import base64
import functools
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import structlog

from adapters.store.ledger import Ledger
from adapters.store.tables import cosignatures
from audit import cosignature, merkle
from audit.errors import VerificationError
from audit.note import Checkpoint, parse_verifier_key, verify_checkpoint
from domain.kernel.errors import InvalidInput

log = structlog.get_logger(__name__)

# (url, body) -> (status, body): one add-checkpoint request; replaced in tests.
Post = Callable[[str, bytes], tuple[int, bytes]]


@dataclass(frozen=True)
class Outcome:
    """What one witness made of one push: `cosigned` when at least one of its keys cosigned."""

    cosigned: bool
    text: str
    unreachable: bool = False

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class WitnessTarget:
    url: str
    keys: tuple[cosignature.CosignerKey, ...]


def witness_targets(path: Path) -> list[WitnessTarget]:
    """The witnesses with a URL in a tlog-policy file, their keys grouped by URL."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput("policy", f"cannot read {path}: {error.strerror}") from None
    found: dict[str, list[cosignature.CosignerKey]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words or words[0] != "witness":
            continue
        if len(words) not in (3, 4):
            raise InvalidInput("policy", f"line {number}: a witness line is 'witness <name> <vkey> [<url>]'")
        try:
            key = cosignature.parse_cosigner_key(words[2])
        except VerificationError as error:
            raise InvalidInput("policy", f"line {number}: {error}") from None
        if len(words) == 4:
            found.setdefault(words[3].rstrip("/"), []).append(key)
    return [WitnessTarget(url, tuple(keys)) for url, keys in found.items()]


def http_post(url: str, body: bytes, timeout: float = 30.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 (URLs from the policy)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())


def http_poster(timeout: float) -> Post:
    """`http_post` waiting at most `timeout` seconds to connect and for each read."""
    return functools.partial(http_post, timeout=timeout)


def push_latest(
    ledger: Ledger, targets: Sequence[WitnessTarget], post: Post = http_post
) -> dict[str, Outcome]:
    """Send the latest checkpoint to each witness; store what they cosign. Returns URL -> outcome.

    The witnesses are asked side by side; the store is read and written here, not while waiting."""
    note = ledger.tree.latest_checkpoint()
    if note is None:
        raise InvalidInput("checkpoint", "the log has no signed checkpoint yet")
    checkpoint = verify_checkpoint(note, parse_verifier_key(ledger.log_verifier_key()), origin=ledger.origin)
    olds = {target.url: _last_cosigned(ledger, target) for target in targets}
    answers = _ask_all(ledger, olds, checkpoint, note, post)
    # c2sp.org/tlog-witness: a 409 names the size the witness holds; once more, from there.
    again = {
        url: int(body)
        for url, (status, body) in answers.items()
        if status == 409 and body.strip().isdigit() and int(body) != olds[url]
    }
    answers.update(_ask_all(ledger, again, checkpoint, note, post))
    outcomes: dict[str, Outcome] = {}
    for target in targets:
        status, body = answers[target.url]
        if status != 200:
            text = "could not be reached" if status == 0 else f"refused with status {status}"
            outcomes[target.url] = Outcome(False, text, unreachable=status == 0)
            log.warning("witness_refused", url=target.url, status=status, size=checkpoint.size)
            continue
        stored = _keep(ledger, target, checkpoint, body)
        if stored == 0:
            outcomes[target.url] = Outcome(
                False, "answered, but no line verifies under the policy's keys for it"
            )
            continue
        outcomes[target.url] = Outcome(True, f"{stored} cosignature(s) of tree size {checkpoint.size}")
    return outcomes


def watch(
    ledger: Ledger,
    targets: Sequence[WitnessTarget],
    interval: float,
    *,
    post: Post = http_post,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Outcome]]:
    """Push each new checkpoint as it appears: look every `interval` seconds, push when the tree
    has grown (or a witness refused last time). Yields each push's outcomes; `rounds` bounds it."""
    pushed, done = -1, 0
    while rounds is None or done < rounds:
        size = ledger.tree.head().size
        if size != pushed:
            outcomes = push_latest(ledger, targets, post)
            pushed = size if all(o.cosigned for o in outcomes.values()) else -1
            yield outcomes
        done += 1
        if rounds is None or done < rounds:
            sleep(interval)


def _ask_all(
    ledger: Ledger, olds: dict[str, int], checkpoint: Checkpoint, note: str, post: Post
) -> dict[str, tuple[int, bytes]]:
    """Send add-checkpoint to each URL from its old size, all at once; URL -> (status, body)."""
    if not olds:
        return {}
    bodies = {url: _request(ledger, old, checkpoint, note) for url, old in olds.items()}
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        futures = {url: pool.submit(_add_checkpoint, url, body, post) for url, body in bodies.items()}
        return {url: future.result() for url, future in futures.items()}


def _request(ledger: Ledger, old: int, checkpoint: Checkpoint, note: str) -> bytes:
    proof: list[bytes] = []
    if 0 < old < checkpoint.size:
        proof = merkle.consistency_proof(old, checkpoint.size, ledger.tree.source())
    lines = "".join(f"{base64.b64encode(h).decode()}\n" for h in proof)
    return f"old {old}\n{lines}\n{note}".encode()


def _add_checkpoint(url: str, body: bytes, post: Post) -> tuple[int, bytes]:
    try:
        return post(f"{url}/add-checkpoint", body)
    except OSError as error:
        log.warning("witness_unreachable", url=url, error=type(error).__name__)
        return 0, b""


class WitnessPusher:
    """Sends each new checkpoint to the witnesses as recording goes on (`Ledger.after_append`).

    Never fails the step it follows: the append is committed before this runs, each witness is
    given at most `timeout` seconds, and any problem is logged. A witness that could not be
    reached is not asked again for `rest` seconds, so a witness down does not slow every step.
    """

    def __init__(
        self,
        ledger: Ledger,
        targets: Sequence[WitnessTarget],
        timeout: float,
        *,
        rest: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ledger = ledger
        self._targets = tuple(targets)
        self._post = http_poster(timeout)
        self._rest = rest
        self._clock = clock
        self._resting: dict[str, float] = {}  # URL -> when it may be asked again

    def __call__(self) -> None:
        now = self._clock()
        targets = [t for t in self._targets if self._resting.get(t.url, now) <= now]
        if not targets:
            return
        try:
            outcomes = push_latest(self._ledger, targets, self._post)
        except Exception as error:  # the step is recorded: a push is never its failure
            log.warning("witness_push_failed", error=type(error).__name__)
            return
        for url, outcome in outcomes.items():
            if outcome.unreachable:
                self._resting[url] = now + self._rest
            else:
                self._resting.pop(url, None)


def _last_cosigned(ledger: Ledger, target: WitnessTarget) -> int:
    names = {key.name for key in target.keys}
    with ledger.db.reader.connect() as conn:
        size = conn.execute(
            sa.select(sa.func.max(cosignatures.c.tree_size)).where(cosignatures.c.cosigner.in_(names))
        ).scalar()
    return int(size or 0)


def _keep(ledger: Ledger, target: WitnessTarget, checkpoint: Checkpoint, body: bytes) -> int:
    rows = []
    for line in body.decode("utf-8", errors="replace").splitlines():
        for key in target.keys:
            try:
                cosignature.verify_cosignature(key, checkpoint, line)
            except VerificationError:
                continue
            rows.append({"tree_size": checkpoint.size, "cosigner": key.name, "kind": key.kind, "line": line})
    with ledger.db.engine.begin() as conn:
        for row in rows:
            conn.execute(
                sa.delete(cosignatures).where(
                    cosignatures.c.tree_size == row["tree_size"],
                    cosignatures.c.cosigner == row["cosigner"],
                    cosignatures.c.kind == row["kind"],
                )
            )
            conn.execute(sa.insert(cosignatures).values(**row))
    return len(rows)


def cosigned(ledger: Ledger, size: int) -> str:
    """The stored cosignature lines of the checkpoint of `size`, to follow its own signature."""
    with ledger.db.reader.connect() as conn:
        lines = conn.execute(
            sa.select(cosignatures.c.line)
            .where(cosignatures.c.tree_size == size)
            .order_by(cosignatures.c.cosigner, cosignatures.c.kind)
        ).scalars()
        return "".join(f"{line}\n" for line in lines)
