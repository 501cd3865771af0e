"""Progress of a long operation (verify, rebuild, export, generating benchmark data), on stderr.

On a terminal: one line redrawn in place, with a bar, the count, the total and the rate.
Otherwise (a log file, CI): a plain line now and then, so the output stays readable.
`Progress.quiet()` reports nothing, for callers that print JSON or run inside tests.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

BAR_WIDTH = 30
REDRAW_EVERY = 0.1  # seconds, on a terminal
LINE_EVERY = 10.0  # seconds, elsewhere


class Progress:
    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        stream: TextIO | None = None,
        enabled: bool = True,
        line_every: float = LINE_EVERY,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = enabled
        self._on_terminal = enabled and self._stream.isatty()
        self._every = REDRAW_EVERY if self._on_terminal else line_every
        self._started = time.monotonic()
        self._shown = self._started

    @classmethod
    def quiet(cls) -> Progress:
        return cls("", enabled=False)

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self._enabled and now - self._shown >= self._every:
            self._shown = now
            self._show(now)

    def finish(self) -> None:
        """Show the final count (and end the redrawn line on a terminal)."""
        if not self._enabled:
            return
        self._show(time.monotonic())
        if self._on_terminal:
            self._stream.write("\n")
            self._stream.flush()

    def describe(self, now: float | None = None) -> str:
        elapsed = max((now if now is not None else time.monotonic()) - self._started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            share = min(self.done / self.total, 1.0)
            counted = f"{self.done}/{self.total} ({share:.0%})"
            if self._on_terminal:
                filled = int(share * BAR_WIDTH)
                counted = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counted}"
        else:
            counted = str(self.done)
        return f"{self.label}: {counted}, {rate:,.0f}/s, {elapsed:.1f} s"

    def _show(self, now: float) -> None:
        if self._on_terminal:
            self._stream.write("\r" + self.describe(now))
        else:
            self._stream.write(self.describe(now) + "\n")
        self._stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()
