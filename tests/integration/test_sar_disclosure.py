"""No one else's personal data leaves in a subject access pack, and nothing is called disposed of
that was not.

A mother, Marsaili Vexley, asks for her data. A recommendation in her daughter's review records
her own account; its words name her daughter Ishbel, the girl's father Torquil Vexley, her
partner Dale Quarrie and the social worker Wilma Tervit, but the father and the partner were put
on the register only after it was recorded, so its annotations do not name them. The pack
withholds the account because of their names in its words, though no annotation names them;
the officer releases it in part, with their names replaced; the practitioner's name stays. The
last check of the rendered bytes refuses a pack whose redaction log names the father. Then
Dawn Rendall asks for her daughter Ellie's data in the demo's review, whose merged chronology an
earlier version recorded as copies without their words: the pack gives each entry's words, and
says nothing was disposed of.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.demo.national_script import CHILD, MOTHER
from adapters.governance.sar import requests as sar
from domain.governance.sar.steps import (
    Capacity,
    IdentityCheck,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    ReleaseBasis,
    ReleaseItemInPart,
    ReleaseThirdPartyData,
    RequestChannel,
    SearchAnswers,
    VerifyIdentity,
)
from domain.governance.sar.withholding import Person
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import RuleViolation
from domain.kernel.roles import Role
from domain.routes.national.commands import MakeRecommendation, PassToNominatedPerson, ReceiveNotification
from domain.routes.national.conduct import merged_sources
from domain.routes.national.events import ChronologiesMerged, ChronologyReceived, RecommendationMade
from domain.routes.national.forms import ChronologyEntry, PersonDetails, PractitionerDetails
from domain.routes.national.review import NationalReview
from tests.integration.ig_support import MovableClock, appears_in, demo_store, logging_restored, opened

__all__ = ["logging_restored"]

OFFICER = "ig-officer"
REVIEW, REQUEST = "LR-2026-301", "SAR-2026-301"
ISHBEL, MARSAILI, TORQUIL, DALE, WILMA = "S-V-ISHBEL", "S-V-MARSAILI", "S-V-TORQUIL", "S-V-DALE", "S-V-WILMA"
ACCOUNT = (
    "Marsaili says Torquil Vexley and Dale Quarrie argued in front of Ishbel on 3 March; "
    "Wilma Tervit visited the next day."
)
REASONS = f"{REVIEW}@3/reasons"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store("sqlite", tmp_path_factory.mktemp("sar-disclosure")) as found:
        with opened(found, MovableClock()) as app:
            _the_vexleys(app)
        yield found


@pytest.fixture
def app(store: Settings) -> Iterator[Application]:
    with opened(store, MovableClock()) as found:
        yield found


def _register(app: Application, subject: str, category: SubjectCategory, name: str) -> None:
    command = RegisterSubject(subject_id=subject, category=category, name=name)
    app.execute(DataSubject, subject_stream(subject), "cpc-officer", command)


def _the_vexleys(app: Application) -> None:
    _register(app, ISHBEL, SubjectCategory.CHILD, "Ishbel Vexley")
    _register(app, MARSAILI, SubjectCategory.PARENT_CARER, "Marsaili Vexley")
    _register(app, WILMA, SubjectCategory.PRACTITIONER, "Wilma Tervit")
    notification = ReceiveNotification(
        subject_group="child",
        received_on=date(2026, 11, 30),
        subject=PersonDetails(subject_id=ISHBEL, name="Ishbel Vexley"),
        notifier=PractitionerDetails(subject_id=WILMA, name="Wilma Tervit", agency="Children's Social Care"),
        reasons="A significant incident in the family home.",
    )
    app.execute(NationalReview, REVIEW, "cpc-officer", notification)
    passed = PassToNominatedPerson(passed_on=date(2026, 11, 30), nominee="cpc-officer")
    app.execute(NationalReview, REVIEW, "cpc-officer", passed)
    # Her own account, about her; the step adds the people on the register its words name (her
    # daughter, the social worker), but the girl's father and her partner are registered only later.
    recommendation = MakeRecommendation(
        recommendation="not proceed",
        made_on=date(2026, 12, 1),
        reasons=ACCOUNT,
        alternative_approach="A single-agency review.",
        about=(MARSAILI,),
    )
    app.execute(NationalReview, REVIEW, "cpc-officer", recommendation)
    _register(app, TORQUIL, SubjectCategory.PARENT_CARER, "Torquil Vexley")
    _register(app, DALE, SubjectCategory.HOUSEHOLD_MEMBER, "Dale Quarrie")


def _request(app: Application, reference: str, **changes: Any) -> None:
    fields: dict[str, Any] = {
        "received_on": date(2026, 12, 2),
        "channel": RequestChannel.EMAIL,
        "requester_id": MARSAILI,
        "subject_id": MARSAILI,
        "capacity": Capacity.DATA_SUBJECT,
        "requester_name": "Marsaili Vexley",
        "request": "Everything you hold about me.",
    }
    sar.open_request(app, reference, OFFICER, ReceiveSubjectAccessRequest(**{**fields, **changes}))
    verified = VerifyIdentity(verified_on=date(2026, 12, 2), check=IdentityCheck.KNOWN_TO_SERVICE)
    sar.step(app, reference, OFFICER, verified)
    record = changes.get("subject_id", MARSAILI)
    review = REVIEW if record == MARSAILI else "LR-2026-001"
    searched = RecordSearch(
        searched_on=date(2026, 12, 3), records=(SearchAnswers(record=review, what="every item about them"),)
    )
    sar.step(app, reference, OFFICER, searched)
    sar.collate_from_index(app, reference, OFFICER, date(2026, 12, 3))


def _item(data: bytes, item_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in json.loads(data)["items"] if i["item_id"] == item_id)
    return found


def test_an_item_naming_others_in_its_words_is_withheld_though_no_annotation_names_them(
    app: Application,
) -> None:
    _request(app, "SAR-2026-301")
    file = sar.load(app, "SAR-2026-301")
    annotated = next(
        r.event.reasons.about for r in app.ledger.read(REVIEW) if isinstance(r.event, RecommendationMade)
    )
    assert TORQUIL not in annotated and DALE not in annotated
    # Collation found them in the words: the girl's father and the partner, beside her daughter whom
    # the record names; not the practitioner acting in role.
    assert file.items[REASONS].third_parties == (ISHBEL, TORQUIL, DALE)
    # The workbench shows each person with the words of theirs found in the item.
    decision = sar.withholding(app, file, OFFICER)
    assert decision.item(REASONS).people == (
        Person(subject=ISHBEL, released=False, words=("Ishbel",)),
        Person(subject=TORQUIL, released=False, words=("Torquil Vexley",)),
        Person(subject=DALE, released=False, words=("Dale Quarrie",)),
    )
    _, data = sar.render_pack(app, "SAR-2026-301", OFFICER, PackFormat.JSON)
    item = _item(data, REASONS)
    assert (item["status"], item["value"], item["redactions"]) == ("withheld", None, [1, 2, 3])
    assert item["note"] == (
        "[withheld: information about another person (DPA 2018 Sch. 2 Pt. 3 para 16); redaction log 1, 2, 3]"
    )
    log = json.loads(data)["redaction_log"]
    assert [(e["number"], e["item_id"], e["outcome"]) for e in log] == [
        (1, REASONS, "withheld (by default)"),
        (2, REASONS, "withheld (by default)"),
        (3, REASONS, "withheld (by default)"),
    ]
    for words in ("Ishbel", "Torquil Vexley", "Dale Quarrie", "argued"):
        assert not appears_in(words, data), words
    # One count everywhere: the pack, its cover letter, and `sar show`.
    letter = json.loads(data)["cover_letter"]
    assert (letter["items"], letter["withheld"]) == (2, 1)
    assert sar.show(app, "SAR-2026-301", OFFICER).counts == "2 items, 1 withheld"
    assert sar.show(app, "SAR-2026-301").counts == "2 items, 1 withheld"


def test_released_in_part_the_others_are_marked_and_the_practitioner_stays(app: Application) -> None:
    _request(app, "SAR-2026-302")
    reasons = "Her own account of what she saw; the others' names are marked."
    sar.step(app, "SAR-2026-302", OFFICER, ReleaseItemInPart(item_id=REASONS, reasons=reasons))
    _, data = sar.render_pack(app, "SAR-2026-302", OFFICER, PackFormat.JSON)
    item = _item(data, REASONS)
    assert (item["status"], item["redactions"]) == ("disclosed in part", [1, 2, 3])
    assert item["value"] == (
        "Marsaili says [third party] and [third party] argued in front of [third party] on 3 March; "
        "Wilma Tervit visited the next day."
    )
    assert (
        item["note"]
        == "given in part: other people's identifiers are replaced by [third party] (redaction log 1, 2, 3)"
    )
    log = json.loads(data)["redaction_log"]
    assert {(e["outcome"], e["reasons"], tuple(e["decided_by"])) for e in log} == {
        ("released in part: their identifiers replaced by [third party]", reasons, (OFFICER,))
    }
    assert len(log) == 3
    assert sar.show(app, "SAR-2026-302", OFFICER).counts == "2 items, 0 withheld, 1 given in part"
    assert json.loads(data)["cover_letter"]["paragraphs"][2] == (
        "This pack holds 2 items: 1 given in full, 1 given in part (other people's identifiers replaced) "
        "and 0 withheld."
    )


def test_a_person_released_with_a_reason_is_given_and_the_rest_stay_marked(app: Application) -> None:
    _request(app, "SAR-2026-303")
    release = ReleaseThirdPartyData(
        item_id=REASONS,
        third_party=DALE,
        basis=ReleaseBasis.CONSENT,
        reasons="He agreed in writing.",
        consent_given_on=date(2026, 12, 4),
    )
    sar.step(app, "SAR-2026-303", OFFICER, release)
    sar.step(app, "SAR-2026-303", OFFICER, ReleaseItemInPart(item_id=REASONS, reasons="Her own account."))
    _, data = sar.render_pack(app, "SAR-2026-303", OFFICER, PackFormat.HTML)
    assert appears_in(
        "Marsaili says [third party] and Dale Quarrie argued in front of [third party] on 3 March", data
    )
    assert not appears_in("Torquil", data) and not appears_in("Ishbel", data)


def test_the_last_check_refuses_bytes_naming_someone_whose_data_was_not_released(app: Application) -> None:
    _request(app, "SAR-2026-304")
    # The officer's reasons for releasing the daughter name her father, who is released nowhere.
    release = ReleaseThirdPartyData(
        item_id=REASONS,
        third_party=ISHBEL,
        basis=ReleaseBasis.REASONABLE_TO_DISCLOSE,
        reasons="Torquil Vexley says she knows all this already.",
    )
    sar.step(app, "SAR-2026-304", OFFICER, release)
    for fmt in (PackFormat.HTML, PackFormat.JSON):
        with pytest.raises(
            RuleViolation,
            match=r"^sar-SAR-2026-304: nothing was written: a registered identifier of another person "
            r"\(name\) is in the pack \(",
        ):
            sar.render_pack(app, "SAR-2026-304", OFFICER, fmt)


def test_the_last_check_refuses_a_released_persons_name_outside_the_item_released(app: Application) -> None:
    _request(app, "SAR-2026-305")
    release = ReleaseThirdPartyData(
        item_id=REASONS, third_party=DALE, basis=ReleaseBasis.REASONABLE_TO_DISCLOSE, reasons="Known to her."
    )
    sar.step(app, "SAR-2026-305", OFFICER, release)
    # A search term naming him puts his name in the cover letter, where no release covers it.
    terms = RecordSearch(
        searched_on=date(2026, 12, 4),
        records=(SearchAnswers(record=REVIEW, what="every item naming him"),),
        terms=("Dale Quarrie",),
    )
    sar.step(app, "SAR-2026-305", OFFICER, terms)
    with pytest.raises(
        RuleViolation,
        match=r"^sar-SAR-2026-305: nothing was written: a registered identifier of another person "
        r"\(name\) is outside the items released with a reason \(",
    ):
        sar.render_pack(app, "SAR-2026-305", OFFICER, PackFormat.HTML)


def test_a_merged_chronology_copied_without_its_words_is_given_from_the_entries_received(
    app: Application, tmp_path: Path
) -> None:
    # An earlier version recorded the merge by copying the entries from the review's state, where
    # their words are sealed: the copies hold none. Put one in the log as that version did.
    events = app.ledger.read("LR-2026-001")
    received = {r.event.agency: r.event.entries for r in events if isinstance(r.event, ChronologyReceived)}
    copies = tuple(
        ChronologyEntry(on=s.on, agency=s.agency, what_happened=received[s.agency][s.entry].what_happened)
        for s in merged_sources(received)
    )
    assert all(c.what_happened.value is None for c in copies)
    earlier = ChronologiesMerged(
        at=datetime(2026, 12, 9, 9, tzinfo=UTC),
        role=Role.REVIEWER,
        merged_on=date(2026, 12, 9),
        agencies=tuple(sorted(received)),
        entries=copies,
    )
    version = len(events) + 1
    app.ledger.append("LR-2026-001", len(events), [earlier], "reviewer", datetime(2026, 12, 9, 9, tzinfo=UTC))
    _request(
        app,
        "SAR-2026-306",
        requester_id=MOTHER,
        subject_id=CHILD,
        capacity=Capacity.PARENT_OR_CARER,
        requester_name="Dawn Rendall",
        authority_to_act="birth certificate",
        request="Everything you hold about my daughter.",
    )
    _, data = sar.render_pack(app, "SAR-2026-306", OFFICER, PackFormat.JSON)
    pack = json.loads(data)
    merged = [i for i in pack["items"] if i["item_id"].startswith(f"LR-2026-001@{version}/")]
    assert [(i["item_id"].split("/")[1], i["status"], i["value"]) for i in merged] == [
        ("entries[0].what_happened", "disclosed", "Home visit: the house was cold and damp."),
        ("entries[1].what_happened", "disclosed", "A neighbour reported concern."),
        ("entries[2].what_happened", "disclosed", "Ellie missed her development review."),
    ]
    assert [i["item_id"] for i in pack["items"] if i["status"] == "disposed of"] == []
    assert pack["cover_letter"]["disposed"] == 0
    assert not appears_in("disposed of", data)
