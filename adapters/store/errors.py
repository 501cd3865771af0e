"""The errors of a store that cannot be opened, apart from the database module so that the
command line can tell them without importing a database library."""

from __future__ import annotations

from domain.kernel.errors import ReviewledgerError


class StoreNotFound(ReviewledgerError):
    """The URL names no store: a SQLite file that is not there, a PostgreSQL database that does not exist."""


class StoreUnavailable(ReviewledgerError):
    """The store could not be reached (the server is down or refuses); nothing was read or written."""
