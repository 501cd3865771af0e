"""Which kind of record a reference is.

A record's kind is fixed by its first event, whose stable type name begins with the
route's prefix ("national.", "mini.", ...).
"""

from __future__ import annotations

from adapters.app.application import Application
from adapters.governance.ig_records import FoiRecord, SarRecord
from domain.governance.retention import RETENTION_STREAM
from domain.governance.subjects import DataSubject
from domain.kernel.aggregate import Aggregate
from domain.kernel.errors import InvalidInput, RecordNotFound
from domain.kernel.registry import REGISTRY_STREAM
from domain.routes.registry import ROUTES
from projections.logged import route_of_type

__all__ = ["OTHER_RECORDS", "record_type_for"]

OTHER_RECORDS: dict[str, type[Aggregate]] = {"subject": DataSubject, "sar": SarRecord, "foi": FoiRecord}

# Streams of other kinds of record: a new review may not take a name that one of them uses.
RESERVED_PREFIXES = ("subject-", "sar-", "foi-", "access-", "documents-")
RESERVED_NAMES = (REGISTRY_STREAM, RETENTION_STREAM)
_KINDS_BY_PREFIX = (
    ("subject-", "data subject"),
    ("sar-", "subject access request"),
    ("foi-", "FOI request"),
    ("access-", "access log"),
    ("documents-", "file of a review's documents"),
)


def record_type_for(app: Application, reference: str, route: str | None) -> type[Aggregate]:
    """The aggregate class for `reference`: from its first event, or from `route` for a new one."""
    first = app.ledger.read(reference, lte=1)
    if first:
        found = route_of_type(first[0].type)
        if found is None:
            prefix = first[0].type.split(".", 1)[0]
            if prefix in OTHER_RECORDS:
                return OTHER_RECORDS[prefix]
            raise InvalidInput("reference", f"{reference} is not a review")
        if route is not None and route != found:
            raise InvalidInput("--route", f"{reference} is a {found} review, not {route}")
        return ROUTES[found]
    if route is None:
        kind = next((k for prefix, k in _KINDS_BY_PREFIX if reference.startswith(prefix)), "review")
        raise RecordNotFound(kind, reference)
    if route not in ROUTES:
        raise InvalidInput("--route", f"must be one of {', '.join(ROUTES)}")
    if reference in RESERVED_NAMES or reference.startswith(RESERVED_PREFIXES):
        raise InvalidInput(
            "reference", f"{reference} is the name of another kind of record; a review's reference cannot be"
        )
    return ROUTES[route]
