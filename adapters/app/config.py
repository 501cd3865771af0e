"""Configuration, read in one place: the database URL, the two key-encryption key files and the largest document."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from domain.kernel.errors import InvalidInput

DEFAULT_KEK_FILE = Path("var/reviewledger.kek")
DEFAULT_ORIGIN = "reviewledger.local/log"


@dataclass(frozen=True)
class Settings:
    db_url: str
    kek_file: Path
    log_kek_file: Path | None = None  # None: beside the staff KEK (adapters/store/keystore.py)

    @classmethod
    def from_sources(cls, db: str | None, kek_file: str | None, log_kek_file: str | None = None) -> Settings:
        """Command-line values first, then REVIEWLEDGER_DB / _KEK_FILE / _LOG_KEK_FILE, then the defaults."""
        from adapters.store.database import database_url_from  # the database driver, only when opening one

        kek = kek_file or os.environ.get("REVIEWLEDGER_KEK_FILE")
        log_kek = log_kek_file or os.environ.get("REVIEWLEDGER_LOG_KEK_FILE")
        return cls(
            db_url=database_url_from(db),
            kek_file=Path(kek) if kek else DEFAULT_KEK_FILE,
            log_kek_file=Path(log_kek) if log_kek else None,
        )


DEFAULT_DOCUMENT_MAX_BYTES = 200 * 1024 * 1024


def document_max_bytes() -> int:
    """The largest file a step may carry: REVIEWLEDGER_DOCUMENT_MAX_BYTES, else 200 MiB."""
    value = os.environ.get("REVIEWLEDGER_DOCUMENT_MAX_BYTES")
    if value is None:
        return DEFAULT_DOCUMENT_MAX_BYTES
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput("REVIEWLEDGER_DOCUMENT_MAX_BYTES", "must be a whole number of bytes above 0")
    return int(value)
