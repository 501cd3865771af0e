"""The register of data subjects as disclosures use it: the identifiers that hold now, amendments included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from adapters.app.application import Application
from adapters.app.register import read_register
from adapters.governance import subjects
from adapters.governance.publication import check_file
from domain.governance.anonymisation import ResidualRiskFound
from domain.governance.subjects import AmendSubjectIdentifiers, RegisterSubject, SubjectCategory
from domain.kernel.roles import Role


@pytest.fixture
def register(app: Application) -> Application:
    app.register_person("admin", "officer", "Callum Drever", (Role.CPC_OFFICER,))
    app.register_person("admin", "reviewer", "Ailsa Tulloch", (Role.REVIEWER,))
    subjects.register(
        app,
        "officer",
        RegisterSubject(
            subject_id="S-MOTHER",
            category=SubjectCategory.PARENT_CARER,
            name="Dawn Rendall",
            date_of_birth=date(1996, 8, 19),
            address="12 Harbour Street, Kirkwall, KW15 1AB",
        ),
    )
    return app


def test_the_register_holds_each_subject_as_amended(register: Application) -> None:
    subjects.amend(
        register,
        "officer",
        AmendSubjectIdentifiers(
            subject_id="S-MOTHER",
            reason="remarried and moved",
            other_names=("Dawn Sinclair",),
            addresses=("4 Victoria Street, Stromness, KW16 3AA",),
        ),
    )
    [mother] = read_register(register.ledger)
    ids = mother.identifiers
    assert ids.amended == 1 and not mother.disposed
    assert [i.value for i in ids.items()] == [
        "Dawn Rendall",
        "Dawn Sinclair",
        "1996-08-19",
        "4 Victoria Street, Stromness, KW16 3AA",
    ]
    # Read: the registration's name, date of birth and address; the amendment's reason, other name and address.
    assert mother.stream == "subject-S-MOTHER" and len(mother.fields) == 6


@pytest.mark.parametrize(("kind", "leak"), [("name", "Sinclair"), ("address", "Victoria Street")])
def test_a_publication_check_finds_an_identifier_added_by_amendment(
    register: Application, tmp_path: Path, kind: str, leak: str
) -> None:
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><p>Parent 1 spoke to {leak} staff.</p></body></html>", encoding="utf-8")
    check_file(register, page, "reviewer")  # not yet an identifier of anyone
    subjects.amend(
        register,
        "officer",
        AmendSubjectIdentifiers(
            subject_id="S-MOTHER",
            reason="remarried and moved",
            other_names=("Dawn Sinclair",),
            addresses=("4 Victoria Street, Stromness, KW16 3AA",),
        ),
    )
    with pytest.raises(ResidualRiskFound, match=f"still contains a registered {kind} of a data subject"):
        check_file(register, page, "reviewer")
