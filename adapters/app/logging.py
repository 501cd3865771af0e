"""Structured logs: JSON lines when not on a terminal, readable lines on one.

Only ids, counts and event names are ever logged: never personal data, keys, plaintext,
ciphertext or payloads (CONVENTIONS.md 13).
"""

from __future__ import annotations

import logging
import os
import sys


class _CurrentStderr:
    """Standard error as it is when a line is written, not as it was when logging was set up.

    A process that swaps `sys.stderr` (a test runner capturing output, a server's supervisor)
    must not leave the loggers writing to a stream that has since been closed.
    """

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str | None = None) -> None:
    # Imported here, so that importing the command line (as each verification worker does) costs
    # nothing: a command configures logging first thing in `main`.
    import structlog

    chosen = getattr(
        logging, (level or os.environ.get("REVIEWLEDGER_LOG_LEVEL", "WARNING")).upper(), logging.WARNING
    )
    renderer: structlog.typing.Processor = (
        structlog.dev.ConsoleRenderer() if sys.stderr.isatty() else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(chosen),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=False,
    )
