"""A writer stopped dead at any moment leaves a store that verifies and catches up by itself.

First the recovery paths one at a time (a disposal whose shredding never ran), then the
real thing: a writer process killed with SIGKILL at random moments, again and again, on a
SQLite file and on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.application import Application
from adapters.verification import verify_ledger
from domain.disposal import PersonalDataDisposed
from domain.roles import Role
from tests.integration.review_steps import open_review, record_return, request_information

REVIEW = "NLR-2026-101"


@pytest.fixture
def officer(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    return app


def _reopen(app: Application, db_url: str, tmp_path: Path) -> Application:
    """What every command-line run does first: open, catch the tree up, finish disposals."""
    app.close()
    reopened = Application(db_url, tmp_path / "kek")
    reopened.initialise("reviewledger.test/log")
    return reopened


def _values(app: Application) -> list[str | None]:
    """The first sealed value of each event of the review that has one, as read back."""
    found: list[str | None] = []
    for recorded in app.ledger.read(REVIEW, unseal=True):
        if recorded.sealed:
            found.append("disposed" if recorded.disposed else "held")
    return found


def test_data_recorded_after_a_disposal_survives_reopening_the_store(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    open_review(officer, REVIEW, "officer")
    officer.dispose(REVIEW, "retention: test", "admin")
    request_information(officer, REVIEW, "officer", "NHS Orkney")
    record_return(officer, REVIEW, "officer", "NHS Orkney")
    assert _values(officer) == ["disposed", "held"]

    reopened = _reopen(officer, db_url, tmp_path)
    try:
        # Completing disposals on open shreds what came before the disposal, never what came after.
        assert _values(reopened) == ["disposed", "held"]
        assert verify_ledger(reopened.ledger).intact
    finally:
        reopened.close()


def _record_disposal_without_shredding(app: Application) -> None:
    """The disposal event is stored and the process stops before the data keys are destroyed."""
    at = app.clock.now()
    app.ledger.append(
        REVIEW,
        app.ledger.stream_version(REVIEW),
        [PersonalDataDisposed(rule="retention: test", authorised_by="admin", at=at)],
        "admin",
        at,
    )


def test_an_interrupted_disposal_is_completed_when_the_store_is_next_opened(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    open_review(officer, REVIEW, "officer")
    _record_disposal_without_shredding(officer)
    assert _values(officer) == ["held"]

    reopened = _reopen(officer, db_url, tmp_path)
    try:
        assert _values(reopened) == ["disposed"]
        assert verify_ledger(reopened.ledger).intact
    finally:
        reopened.close()


def test_the_next_step_after_an_interrupted_disposal_finishes_it_before_sealing_anything(
    officer: Application, db_url: str, tmp_path: Path
) -> None:
    open_review(officer, REVIEW, "officer")
    _record_disposal_without_shredding(officer)
    # Another process carries on with the review before anyone reopens the store.
    request_information(officer, REVIEW, "officer", "NHS Orkney")
    record_return(officer, REVIEW, "officer", "NHS Orkney")
    assert _values(officer) == ["disposed", "held"]

    reopened = _reopen(officer, db_url, tmp_path)
    try:
        assert _values(reopened) == ["disposed", "held"]
        assert verify_ledger(reopened.ledger).intact
    finally:
        reopened.close()


def test_a_record_disposed_of_twice_verifies_and_each_item_names_the_disposal_that_took_it(
    officer: Application,
) -> None:
    open_review(officer, REVIEW, "officer")
    officer.dispose(REVIEW, "retention: first", "admin")
    request_information(officer, REVIEW, "officer", "NHS Orkney")
    record_return(officer, REVIEW, "officer", "NHS Orkney")
    officer.dispose(REVIEW, "retention: second", "admin")
    rules = [r.disposed.rule for r in officer.ledger.read(REVIEW, unseal=True) if r.disposed]
    assert rules == ["retention: first", "retention: second"]
    assert verify_ledger(officer.ledger).intact
