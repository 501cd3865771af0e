"""Build the verifier's wheel reproducibly, offline, and print its SHA-256.

    python verifier/build_wheel.py [OUT_DIR]      (default: dist/ beside verifier/)

The package's files are copied to a fresh folder (no caches, no earlier build, fixed file
modes) and built there with the build tools already installed (pip, setuptools, wheel) and
SOURCE_DATE_EPOCH fixed, so the same source always gives the same wheel, byte for byte: the
SHA-256 printed is the one published for the release, and an inspector can rebuild it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = ("pyproject.toml", "README.md", "reviewledger_verify")
# The earliest time a zip can record (1980-01-01), for every file in the wheel.
SOURCE_DATE_EPOCH = "315532800"


def build(out: Path) -> Path:
    """Build the wheel into `out`; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "reviewledger-verify"
        work.mkdir()
        for name in SOURCES:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copyfile(source, work / name)
        for path in work.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        wheels = Path(tmp) / "wheels"
        subprocess.run(  # noqa: S603 (this interpreter's own pip, on our own files)
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--no-index",
                "--wheel-dir",
                str(wheels),
                str(work),
            ],
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        )
        [wheel] = wheels.glob("*.whl")
        target = out / wheel.name
        shutil.copyfile(wheel, target)
    return target


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "dist"
    wheel = build(out)
    print(f"{wheel}")
    print(f"SHA-256 {hashlib.sha256(wheel.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main()
