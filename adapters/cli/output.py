"""Plain output for people at a terminal (the demo and long commands)."""

from __future__ import annotations

import sys


class Out:
    def __init__(self) -> None:
        self._stream = sys.stdout

    def heading(self, text: str) -> None:
        print(f"\n== {text}", file=self._stream, flush=True)

    def line(self, text: str) -> None:
        print(text, file=self._stream, flush=True)
