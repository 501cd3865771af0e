"""`make setup` first makes sure WeasyPrint's Pango is on the system: nothing to do when it is there,
and one line naming the Debian packages when it is missing and cannot be installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _make(*variables: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "system-deps", f"PYTHON={sys.executable}", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_nothing_is_done_when_pango_is_present() -> None:
    done = _make()
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_missing_pango_that_cannot_be_installed_is_named_in_one_line() -> None:
    done = _make("SYSTEM_LIBS=no-such-library-at-all", "APT_GET=false")
    assert done.returncode != 0
    assert done.stdout == ""
    first = done.stderr.splitlines()[0]
    assert first == (
        "PDF packs need Pango: install the Debian packages libpango-1.0-0 libpangoft2-1.0-0 "
        "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    )
