"""Configuration, read in one place: the database URL, the two key-encryption key files and the largest document."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from domain.kernel.errors import InvalidInput

DEFAULT_KEK_FILE = Path("var/reviewledger.kek")
DEFAULT_ORIGIN = "reviewledger.local/log"
# How long recording waits for a witness to answer before going on without its cosignature.
DEFAULT_WITNESS_TIMEOUT = 5.0


@dataclass(frozen=True)
class Settings:
    db_url: str
    kek_file: Path
    log_kek_file: Path | None = None  # None: beside the staff KEK (adapters/store/keystore.py)
    witness_policy: Path | None = None  # the witnesses each new checkpoint is pushed to; None: none
    witness_timeout: float = DEFAULT_WITNESS_TIMEOUT

    @classmethod
    def from_sources(
        cls,
        db: str | None,
        kek_file: str | None,
        log_kek_file: str | None = None,
        witness_policy: str | None = None,
    ) -> Settings:
        """Command-line values first, then REVIEWLEDGER_DB / _KEK_FILE / _LOG_KEK_FILE /
        _WITNESS_POLICY / _WITNESS_TIMEOUT, then the defaults."""
        from adapters.store.database import database_url_from  # the database driver, only when opening one

        kek = kek_file or os.environ.get("REVIEWLEDGER_KEK_FILE")
        log_kek = log_kek_file or os.environ.get("REVIEWLEDGER_LOG_KEK_FILE")
        policy = witness_policy or os.environ.get("REVIEWLEDGER_WITNESS_POLICY")
        return cls(
            db_url=database_url_from(db),
            kek_file=Path(kek) if kek else DEFAULT_KEK_FILE,
            log_kek_file=Path(log_kek) if log_kek else None,
            witness_policy=Path(policy) if policy else None,
            witness_timeout=witness_timeout(),
        )


def witness_timeout() -> float:
    """Seconds to wait for each witness: REVIEWLEDGER_WITNESS_TIMEOUT, else 5."""
    value = os.environ.get("REVIEWLEDGER_WITNESS_TIMEOUT")
    if value is None:
        return DEFAULT_WITNESS_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 300:
        raise InvalidInput("REVIEWLEDGER_WITNESS_TIMEOUT", "must be a number of seconds above 0, at most 300")
    return seconds


DEFAULT_DOCUMENT_MAX_BYTES = 200 * 1024 * 1024


def document_max_bytes() -> int:
    """The largest file a step may carry: REVIEWLEDGER_DOCUMENT_MAX_BYTES, else 200 MiB."""
    value = os.environ.get("REVIEWLEDGER_DOCUMENT_MAX_BYTES")
    if value is None:
        return DEFAULT_DOCUMENT_MAX_BYTES
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput("REVIEWLEDGER_DOCUMENT_MAX_BYTES", "must be a whole number of bytes above 0")
    return int(value)
