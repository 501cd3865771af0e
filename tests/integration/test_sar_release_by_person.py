"""Releasing one person's data in several items at once, and finding a person by name, on SQLite and PostgreSQL.

Leanne Thornber asks for her own data in LIP-2026-001; her daughter Maisie is named in three of
her items, Craig Ashworth (her partner) in one of them too. The officer releases Maisie's data in
two items under one reason: each release is its own signed step, stored together; the third
stays withheld. A release the file refuses for one item records nothing for any. Before the
request, the officer found Leanne on the register by name and date of birth; each search is in
the access log, and what was searched for is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from structlog.testing import capture_logs

from adapters.app import person_search
from adapters.app.application import Application
from adapters.app.authority import ReadRefused
from adapters.app.config import Settings
from adapters.governance.access_log import entries, reads_by
from adapters.governance.sar import requests as sar
from adapters.governance.sar import workbench as sar_workbench
from domain.governance.sar.steps import (
    Capacity,
    IdentityCheck,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    ReleaseBasis,
    RequestChannel,
    SearchAnswers,
    ThirdPartyDataReleased,
    VerifyIdentity,
)
from domain.governance.sar.withholding import Outcome
from domain.kernel.errors import ConcurrentChange, InvalidInput, RuleViolation
from tests.integration.ig_support import MovableClock, demo_store, logging_restored, opened

__all__ = ["logging_restored"]  # autouse: the command line's logging is put back after each test

REVIEW = "LIP-2026-001"
MOTHER, CHILD, PARTNER = "S-LIP1-MOTHER", "S-LIP1-CHILD", "S-LIP1-PARTNER"
OFFICER = "ig-officer"
REASON = "They say only what Leanne already knows about her own daughter."


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store(request.param, tmp_path_factory.mktemp("release-by-person")) as settings:
        yield settings


@pytest.fixture
def ig(store: Settings) -> Iterator[Application]:
    with opened(store, MovableClock()) as app:
        yield app


def leannes_request(app: Application, reference: str) -> list[str]:
    """A new request from Leanne, the review searched and her items collated; Maisie's items, in order."""
    day = date(2026, 12, 1)
    sar.open_request(
        app,
        reference,
        OFFICER,
        ReceiveSubjectAccessRequest(
            received_on=day,
            channel=RequestChannel.EMAIL,
            requester_id=MOTHER,
            subject_id=MOTHER,
            capacity=Capacity.DATA_SUBJECT,
            requester_name="Leanne Thornber",
            request="Everything about me.",
        ),
    )
    sar.step(app, reference, OFFICER, VerifyIdentity(verified_on=day, check=IdentityCheck.KNOWN_TO_SERVICE))
    sar.step(
        app,
        reference,
        OFFICER,
        RecordSearch(searched_on=day, records=(SearchAnswers(record=REVIEW, what="all"),)),
    )
    collated = sar.collate_from_index(app, reference, OFFICER, day)
    return sorted(i.item_id for i in collated.items.values() if CHILD in i.third_parties)


def test_one_persons_data_is_released_in_the_items_ticked_each_a_signed_step_stored_together(
    ig: Application,
) -> None:
    maisies = leannes_request(ig, "SAR-BULK-1")
    assert len(maisies) == 3
    before = sar.load(ig, "SAR-BULK-1").version
    sar.release_person(
        ig,
        "SAR-BULK-1",
        OFFICER,
        third_party=CHILD,
        item_ids=maisies[1:],
        basis=ReleaseBasis.REASONABLE_TO_DISCLOSE,
        reasons=REASON,
        expected_version=before,
    )
    recorded = ig.ledger.read("sar-SAR-BULK-1")[before:]
    assert [r.type for r in recorded] == ["sar.third-party-data-released"] * 2
    assert {r.event.item_id for r in recorded if isinstance(r.event, ThirdPartyDataReleased)} == set(
        maisies[1:]
    )
    # Each its own step of the file, signed with the officer's key.
    assert [r.version for r in recorded] == [before + 1, before + 2]
    assert {(r.actor, bool(r.key)) for r in recorded} == {(OFFICER, True)}
    bench = sar_workbench.build(ig, "SAR-BULK-1", OFFICER)
    [maisie] = [p for p in bench.people if p.subject_id == CHILD]
    assert maisie.name == "Maisie Thornber"
    assert set(maisie.released) == set(maisies[1:]) and maisie.releasable == (maisies[0],)
    assert bench.item(maisies[0]).outcome is Outcome.WITHHELD


def test_a_release_the_file_refuses_for_one_item_records_nothing_for_any(ig: Application) -> None:
    maisies = leannes_request(ig, "SAR-BULK-2")
    sar.release_person(
        ig, "SAR-BULK-2", OFFICER, third_party=CHILD, item_ids=maisies[:1],
        basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons=REASON,
    )  # fmt: skip
    version = sar.load(ig, "SAR-BULK-2").version
    with pytest.raises(RuleViolation, match="is already released"):
        sar.release_person(
            ig, "SAR-BULK-2", OFFICER, third_party=CHILD, item_ids=maisies,
            basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons=REASON,
        )  # fmt: skip
    assert sar.load(ig, "SAR-BULK-2").version == version
    with pytest.raises(InvalidInput, match="items: choose at least one item"):
        sar.release_person(
            ig, "SAR-BULK-2", OFFICER, third_party=CHILD, item_ids=[],
            basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons=REASON,
        )  # fmt: skip
    with pytest.raises(ConcurrentChange):
        sar.release_person(
            ig, "SAR-BULK-2", OFFICER, third_party=CHILD, item_ids=maisies[1:],
            basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons=REASON, expected_version=version - 1,
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="only with a recorded reason"):
        sar.release_person(
            ig, "SAR-BULK-2", OFFICER, third_party=CHILD, item_ids=maisies[1:],
            basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons="  ",
        )  # fmt: skip
    assert sar.load(ig, "SAR-BULK-2").version == version


def test_the_workbench_names_the_people_and_marks_their_identifiers_in_the_words(ig: Application) -> None:
    leannes_request(ig, "SAR-BULK-3")
    bench = sar_workbench.build(ig, "SAR-BULK-3", OFFICER)
    assert {p.name for p in bench.people} == {"Maisie Thornber", "Craig Ashworth"}
    marked = [(w.text, w.person) for i in bench.items for w in i.words or () if w.person]
    assert ("Maisie", CHILD) in marked
    assert all(i.record == REVIEW for i in bench.items)  # named by the review, never a stream name
    reads = [e for e in entries(ig) if e.ig_request == "SAR-BULK-3"]
    assert {e.record for e in reads} >= {REVIEW, f"subject-{CHILD}", f"subject-{PARTNER}"}


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("1996-08-02", date(1996, 8, 2)),
        ("02/08/1996", date(1996, 8, 2)),
        ("2 August 1996", date(1996, 8, 2)),
        ("2 Aug 1996", date(1996, 8, 2)),
        ("August 2, 1996", date(1996, 8, 2)),
    ],
)
def test_a_date_of_birth_is_read_as_people_write_it(written: str, meant: date) -> None:
    assert person_search.parse_birth_date(written) == meant


def test_a_date_that_is_not_one_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput, match="date_of_birth: must be a date"):
        person_search.parse_birth_date("31/02/1996")


def test_a_person_is_found_by_name_and_date_of_birth_and_each_search_is_logged_without_its_words(
    ig: Application,
) -> None:
    with capture_logs() as logged_lines:
        by_name = person_search.search(ig, OFFICER, name="thornber", date_of_birth="2 August 1996")
    assert logged_lines and "thorn" not in repr(logged_lines).casefold() and "1996" not in repr(logged_lines)
    by_name = person_search.search(ig, OFFICER, name="thornber")
    assert {p.name for p in by_name.people} == {"Leanne Thornber", "Maisie Thornber"}
    [leanne] = person_search.search(ig, OFFICER, name="Lea Thorn", date_of_birth="2/8/1996").people
    assert (
        leanne.subject_id == MOTHER
        and leanne.reviews == (REVIEW,)
        and leanne.dates_of_birth == ("1996-08-02",)
    )
    assert person_search.search(ig, OFFICER, name="Thornber", date_of_birth="3/8/1996").people == ()
    searches = [e for e in entries(ig) if e.view == person_search.VIEW and e.actor == OFFICER]
    assert len(searches) >= 3
    assert f"subject-{MOTHER}" in {r.record for r in reads_by(ig, OFFICER) if r.view == person_search.VIEW}
    logged = " ".join(f"{e.record} {e.view}" for e in entries(ig)).casefold()
    assert "thorn" not in logged


def test_only_ig_officers_and_administrators_search_and_a_refusal_is_logged(ig: Application) -> None:
    assert person_search.search(ig, "admin", name="Thornber").people
    with pytest.raises(ReadRefused, match="searching the register of data subjects"):
        person_search.search(ig, "reviewer", name="Thornber")
    assert any(e.actor == "reviewer" and e.view == person_search.VIEW and not e.granted for e in entries(ig))
    with pytest.raises(InvalidInput, match="name: enter a name, another name or a date of birth"):
        person_search.search(ig, OFFICER, name="  ")


def test_the_pack_as_read_names_no_internal_record_name(ig: Application) -> None:
    day = date(2026, 12, 1)
    sar.open_request(
        ig,
        "SAR-BULK-4",
        OFFICER,
        ReceiveSubjectAccessRequest(
            received_on=day, channel=RequestChannel.EMAIL, requester_id=MOTHER, subject_id=MOTHER,
            capacity=Capacity.DATA_SUBJECT, requester_name="Leanne Thornber", request="Everything about me.",
        ),
    )  # fmt: skip
    records = (
        SearchAnswers(record=REVIEW, what="all"),
        SearchAnswers(record=f"subject-{MOTHER}", what="her entry"),
    )
    sar.step(ig, "SAR-BULK-4", OFFICER, RecordSearch(searched_on=day, records=records))
    sar.collate_from_index(ig, "SAR-BULK-4", OFFICER, day)
    _, data = sar.render_pack(ig, "SAR-BULK-4", OFFICER, PackFormat.HTML)
    text = data.decode("utf-8")
    assert "subject-S-" not in text and "sar-SAR" not in text
    assert "your entry in our register of data subjects" in text
    assert f"{REVIEW}@" not in text.split("<h2>Redaction log</h2>", 1)[1]  # the log names items in words
