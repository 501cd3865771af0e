"""What the routes' forms share: a required answer, and the data-subject ids a form names."""

from __future__ import annotations

from domain.governance.subjects import check_subject_id
from domain.kernel.errors import InvalidInput


def required(field: str, value: str) -> str:
    """The answer, refused when blank."""
    if not value.strip():
        raise InvalidInput(field, "must not be empty")
    return value


def subject_ids(*ids: str) -> tuple[str, ...]:
    """The ids, each checked, duplicates dropped, order kept."""
    for subject_id in ids:
        check_subject_id(subject_id)
    return tuple(dict.fromkeys(ids))
