"""A new review cannot take the name of another kind of record."""

from __future__ import annotations

import pytest

from adapters.app.application import Application
from adapters.app.records import record_type_for
from domain.kernel.errors import InvalidInput, RecordNotFound
from domain.routes.national.review import NationalReview


@pytest.mark.parametrize(
    "reference",
    ["subject-S-NEW", "sar-SAR-2026-009", "foi-FOI-1", "access-admin", "documents-LR-2026-001", "retention"],
)
def test_a_new_review_under_another_records_name_is_refused(app: Application, reference: str) -> None:
    with pytest.raises(InvalidInput, match=rf"^reference: {reference} is the name of another kind of record"):
        record_type_for(app, reference, "national")
    assert app.ledger.stream_version(reference) == 0


def test_the_registry_of_people_and_keys_is_not_a_review(app: Application) -> None:
    with pytest.raises(InvalidInput, match=r"^reference: registry is not a review$"):
        record_type_for(app, "registry", "national")


def test_a_new_review_under_its_own_name_is_a_record_of_its_route(app: Application) -> None:
    assert record_type_for(app, "LR-2026-009", "national") is NationalReview


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("LR-2099-404", "no review with reference 'LR-2099-404'"),
        ("sar-SAR-2099-404", "no subject access request with reference 'sar-SAR-2099-404'"),
        ("foi-FOI-404", "no FOI request with reference 'foi-FOI-404'"),
        ("subject-S-404", "no data subject with reference 'subject-S-404'"),
    ],
)
def test_a_record_not_found_is_named_by_its_kind(app: Application, reference: str, message: str) -> None:
    with pytest.raises(RecordNotFound) as missing:
        record_type_for(app, reference, None)
    assert str(missing.value) == message
