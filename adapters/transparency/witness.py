"""A witness an inspector operates (c2sp.org/tlog-witness): cosigns a log's checkpoints, never a rollback or a fork.

The witness has keys of its own (one Ed25519, one ML-DSA-44: both cosignature types of
c2sp.org/tlog-cosignature), the verifier keys of the logs it watches, and one record per log:
the latest checkpoint it cosigned (size and root hash). `add-checkpoint` takes an old size, a
consistency proof from it and a new signed checkpoint, and answers as the specification says:

    404  the checkpoint's origin is not a log this witness watches
    403  no signature on it verifies under that log's key
    400  the request is malformed, the old size exceeds the new, or more than 63 proof lines
    409  the old size is not the size it last cosigned (the body says which), or the sizes are
         equal and the root hashes differ (a fork)
    422  the consistency proof from the checkpoint it holds does not verify
    200  the cosignature lines, once the new checkpoint is recorded (checked and recorded under
         one lock, so two requests cannot roll each other back)

The record is a JSON file written atomically; the keys are a JSON file readable by its owner only.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import structlog

from adapters.store.files import write_atomically
from audit import cosignature, merkle
from audit.errors import VerificationError
from audit.note import Verifier, parse_verifier_key, verify_checkpoint
from domain.kernel.errors import InvalidInput

log = structlog.get_logger(__name__)

# c2sp.org/tlog-witness, "add-checkpoint": a client sends at most 63 proof lines.
MAX_PROOF_LINES = 63
# c2sp.org/tlog-witness, "add-checkpoint": the 409 body's content type.
SIZE_CONTENT_TYPE = "text/x.tlog.size"
NOTE_CONTENT_TYPE = "text/plain; charset=utf-8"
MAX_REQUEST = 1 << 20  # a checkpoint with many cosignatures is a few tens of kilobytes


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        return cls(status, NOTE_CONTENT_TYPE, f"{message}\n".encode())


def create_keys(path: Path, name: str) -> list[cosignature.CosignerKey]:
    """Make the witness's two keys, write them to `path` (owner-readable only); return the public keys."""
    if path.exists():
        raise InvalidInput("key-file", f"{path} exists already; a witness's keys are made once")
    secrets = [cosignature.generate(name, kind) for kind in cosignature.SIZES]
    data = {
        "name": name,
        "keys": {str(s.public.kind): base64.b64encode(s.private_bytes()).decode() for s in secrets},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    write_atomically(path, json.dumps(data, sort_keys=True).encode() + b"\n")
    path.chmod(0o600)
    return [s.public for s in secrets]


def load_keys(path: Path) -> list[cosignature.CosignerSecret]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            cosignature.load(data["name"], int(kind), base64.b64decode(secret, validate=True))
            for kind, secret in sorted(data["keys"].items())
        ]
    except OSError as error:
        raise InvalidInput("key-file", f"cannot read {path}: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise InvalidInput("key-file", f"{path} is not a witness key file") from None


class Witness:
    """The witness's rules over its record of each log; `add_checkpoint` answers one request."""

    def __init__(
        self,
        secrets: Sequence[cosignature.CosignerSecret],
        logs: Sequence[str],
        state: Path,
        now: Callable[[], int],
    ) -> None:
        self.secrets = list(secrets)
        self.logs: dict[str, Verifier] = {}
        for text in logs:
            try:
                verifier = parse_verifier_key(text)
            except VerificationError as error:
                raise InvalidInput("log", f"not a log verifier key: {error}") from None
            self.logs[verifier.name] = verifier
        self.state = state
        self.now = now
        self.lock = threading.Lock()

    def latest(self) -> dict[str, dict[str, object]]:
        if not self.state.exists():
            return {}
        loaded: dict[str, dict[str, object]] = json.loads(self.state.read_text(encoding="utf-8"))
        return loaded

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            old, proof, note = _parse_request(body)
        except ValueError as error:
            return Answer.text(400, f"bad request: {error}")
        origin = note.split("\n", 1)[0]
        verifier = self.logs.get(origin)
        if verifier is None:
            return Answer.text(404, "unknown log")
        try:
            checkpoint = verify_checkpoint(note, verifier, origin=origin)
        except VerificationError:
            return Answer.text(403, "no signature verifies under the log's key")
        if old > checkpoint.size:
            return Answer.text(400, "bad request: the old size exceeds the checkpoint's")
        with self.lock:
            state = self.latest()
            held = state.get(origin, {"size": 0, "root": ""})
            held_size, held_root = int(str(held["size"])), base64.b64decode(str(held["root"]))
            if old != held_size:
                return Answer(409, SIZE_CONTENT_TYPE, f"{held_size}\n".encode())
            if old == checkpoint.size and old > 0:
                if held_root != checkpoint.root:
                    log.warning("witness_refused_fork", origin=origin, size=old)
                    return Answer(409, SIZE_CONTENT_TYPE, f"{held_size}\n".encode())
            elif old == 0:
                if proof:
                    return Answer.text(422, "a proof from size 0 must be empty")
            else:
                try:
                    merkle.verify_consistency(old, checkpoint.size, proof, held_root, checkpoint.root)
                except VerificationError:
                    log.warning("witness_refused_inconsistent", origin=origin, old=old, size=checkpoint.size)
                    return Answer.text(422, "the consistency proof does not verify")
            root = base64.b64encode(checkpoint.root).decode()
            state[origin] = {"size": checkpoint.size, "root": root}
            write_atomically(self.state, json.dumps(state, sort_keys=True, indent=1).encode() + b"\n")
        moment = self.now()
        lines = "".join(secret.cosign(checkpoint, moment) for secret in self.secrets)
        log.info("witness_cosigned", origin=origin, size=checkpoint.size)
        return Answer(200, NOTE_CONTENT_TYPE, lines.encode())


def _parse_request(body: bytes) -> tuple[int, list[bytes], str]:
    """old size line, up to 63 base64 proof lines, an empty line, then the checkpoint note."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8") from None
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise ValueError("no empty line before the checkpoint")
    lines = head.split("\n")
    word, _, size = lines[0].partition(" ")
    if word != "old" or not size.isdigit() or (size.startswith("0") and size != "0"):
        raise ValueError("the first line is not 'old <size>'")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise ValueError(f"more than {MAX_PROOF_LINES} consistency proof lines")
    try:
        proof = [base64.b64decode(line.encode("ascii"), validate=True) for line in lines[1:]]
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError("a consistency proof line is not base64") from None
    return int(size), proof, note


def serve(witness: Witness, host: str, port: int, ready: Callable[[int], None] | None = None) -> None:
    """Serve `POST /add-checkpoint` until interrupted; `ready` is told the port once listening."""
    server = make_server(witness, host, port)
    try:
        if ready is not None:
            ready(server.server_address[1])
        server.serve_forever()
    finally:
        server.server_close()


def make_server(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server answering `POST /add-checkpoint` with the witness (port 0: any free port)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/add-checkpoint":
                self._answer(Answer.text(404, "not found"))
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_REQUEST:
                self._answer(Answer.text(400, "bad request: no body, or one too large"))
                return
            self._answer(witness.add_checkpoint(self.rfile.read(length)))

        def _answer(self, answer: Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            return  # requests are logged as structured events above

    return ThreadingHTTPServer((host, port), Handler)
