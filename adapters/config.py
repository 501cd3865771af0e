"""Configuration, read in one place: the database URL and the key-encryption key file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_KEK_FILE = Path("var/reviewledger.kek")
DEFAULT_ORIGIN = "reviewledger.local/log"


@dataclass(frozen=True)
class Settings:
    db_url: str
    kek_file: Path

    @classmethod
    def from_sources(cls, db: str | None, kek_file: str | None) -> Settings:
        """Command-line values first, then REVIEWLEDGER_DB / REVIEWLEDGER_KEK_FILE, then the defaults."""
        from adapters.database import database_url_from  # the database driver, only when opening one

        kek = kek_file or os.environ.get("REVIEWLEDGER_KEK_FILE")
        return cls(db_url=database_url_from(db), kek_file=Path(kek) if kek else DEFAULT_KEK_FILE)
