"""The memory a benchmark's fresh process used: its own peak resident set, read from /proc.

`getrusage(RUSAGE_SELF).ru_maxrss` is no measure of a process started by another: Linux
carries the starting process's peak across fork and exec, so a child of a 400 MiB parent
reports at least 400 MiB however little it touches. `VmHWM` in /proc/self/status is the peak of
this process's own address space since it was exec'd, which is what the benchmarks compare.
"""

from __future__ import annotations

import resource
from pathlib import Path

MIB = 1024  # /proc/self/status and ru_maxrss count KiB on Linux
STATUS = Path("/proc/self/status")


def _status_mib(field: str) -> float | None:
    try:
        lines = STATUS.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / MIB
    return None


def peak_rss_mib() -> float:
    """This process's peak RSS since exec (VmHWM); ru_maxrss where there is no /proc."""
    found = _status_mib("VmHWM")
    return found if found is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB


def rss_mib() -> float:
    """This process's resident set now (VmRSS); 0 where there is no /proc."""
    return _status_mib("VmRSS") or 0.0
