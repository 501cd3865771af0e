"""Witnesses as an inspector runs them: `reviewledger witness keygen`, then `witness serve`, each its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def reviewledger(*args: str) -> list[str]:
    return [sys.executable, "-m", "adapters.cli", *args]


@dataclass
class WitnessProcess:
    """One witness: its keys, its state file, and the process serving it (None while stopped)."""

    name: str
    keys: Path
    state: Path
    log_key: str
    vkeys: list[str]
    port: int = 0
    process: subprocess.Popen[str] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Serve (again on the same port, once it has one), with the state kept so far."""
        self.process = subprocess.Popen(
            reviewledger(
                "witness",
                "serve",
                "--key-file",
                str(self.keys),
                "--state",
                str(self.state),
                "--log",
                self.log_key,
                "--port",
                str(self.port),
            ),
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        listening = self.process.stdout.readline().split()[-1]  # "witness listening on 127.0.0.1:<port>"
        self.port = int(listening.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None


def start_witnesses(
    log_key: str, folder: Path, names: tuple[str, ...] = ("w1", "w2")
) -> list[WitnessProcess]:
    """Make each witness's Ed25519 and ML-DSA-44 keys and start serving it for the log of `log_key`."""
    started: list[WitnessProcess] = []
    for name in names:
        keys = folder / f"{name}.keys"
        made = subprocess.run(
            reviewledger(
                "witness", "keygen", "--name", f"witness.inspectorate.test/{name}", "--key-file", str(keys)
            ),
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        witness = WitnessProcess(name, keys, folder / f"{name}.state", log_key, made.stdout.split())
        witness.start()
        started.append(witness)
    return started


def write_policy(folder: Path, log_keys: list[str], witnesses: list[WitnessProcess]) -> Path:
    """The inspector's policy (c2sp.org/tlog-policy): the log's keys, and every witness by both
    its keys, with its URL; every witness must cosign with both."""
    lines = [f"log {key}" for key in log_keys]
    for witness in witnesses:
        lines += [f"witness {witness.name}-{n} {vkey} {witness.url}" for n, vkey in enumerate(witness.vkeys)]
        lines.append(f"group {witness.name} all {witness.name}-0 {witness.name}-1")
    lines += [f"group every all {' '.join(w.name for w in witnesses)}", "quorum every"]
    policy = folder / "witness.policy"
    policy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return policy
