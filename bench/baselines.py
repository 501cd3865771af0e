"""Baselines measured in the same run: what `cryptography` alone does on this machine right now."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def raw_ed25519_verify_rate(seconds: float = 2.0) -> float:
    """Signatures per second one core checks with `cryptography`, over an envelope-sized message."""
    key = Ed25519PrivateKey.generate()
    message = b"x" * 420
    signature = key.sign(message)
    public = key.public_key()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(500):
            public.verify(signature, message)
        count += 500
    return count / (time.perf_counter() - started)


def raw_ed25519_verify_rate_all_cores(processes: int) -> float:
    """The same loop in `processes` processes at once: what the cores give right now, together."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        return sum(pool.map(raw_ed25519_verify_rate, [2.0] * processes))


def raw_cpu_per_signature(count: int = 5000) -> float:
    """CPU seconds one Ed25519 verification takes, whatever else the machine is doing."""
    key = Ed25519PrivateKey.generate()
    message = b"x" * 420
    signature = key.sign(message)
    public = key.public_key()
    started = time.process_time()
    for _ in range(count):
        public.verify(signature, message)
    return (time.process_time() - started) / count
