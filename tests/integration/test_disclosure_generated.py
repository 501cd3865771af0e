"""Generated families: nobody's identifier leaves in anyone else's pack, an FOI response or a publication.

Each example registers a made-up family: a child, one or two parents (living together with the
child or apart), siblings, a grandparent, a parent's partner, practitioners and a notifier, with
names (some also known by another name), dates of birth, addresses, schools and record numbers
drawn at random. A National Learning Review runs from its notification to a drafted report through
the real commands; every free text names random members, written in random forms (a full name, a
first name, a title and surname, in capitals, another name; a date of birth however written; an
address whole or in part, a postcode without its space; a school's distinctive word; a record number
with other separators), and says whom it is about completely, in part, or not at all.

Then, for every member's subject access pack: no other family member's identifier appears unless
their data was released with a reason (practitioners acting in role are not withheld), and every
item about the requester or stated by them is in the pack. An FOI response holding the report and
the decision trails, and the publication view, hold no registered identifier of anyone: each is
either refused, naming kinds and never values, or written without any. It runs on SQLite;
REVIEWLEDGER_DISCLOSURE_EXAMPLES sets how many examples (a longer run locally).
"""

from __future__ import annotations

import calendar
import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.app.application import Application
from adapters.app.config import Settings
from adapters.governance.disclosure import IdentifiersInOutput
from adapters.governance.foi import requests as foi
from adapters.governance.publication import OutputFormat, render_publication
from adapters.governance.sar import requests as sar
from adapters.governance.sar.contents import item_id_of
from adapters.store.reading import Recorded
from domain.governance.anonymisation import ResidualRiskFound
from domain.governance.exemptions import Section
from domain.governance.foi.steps import ApplyExemption, Extent, FoiChannel, ReceiveFoiRequest
from domain.governance.sar.steps import (
    Capacity,
    IdentityCheck,
    PackFormat,
    ReceiveSubjectAccessRequest,
    RecordSearch,
    ReleaseBasis,
    ReleaseThirdPartyData,
    RequestChannel,
    SearchAnswers,
    VerifyIdentity,
)
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import RuleViolation
from domain.kernel.event import Nature
from domain.routes.national.commands import (
    AppointTeamMember,
    DecideToProceed,
    DraftReportVersion,
    MakeRecommendation,
    PassToNominatedPerson,
    ReceiveNotification,
)
from domain.routes.national.forms import (
    FamilyMemberDetails,
    PersonDetails,
    PractitionerDetails,
    SectionInput,
    SectionKind,
    StrategyInput,
    TeamRole,
)
from domain.routes.national.review import NationalReview
from domain.routes.single_agency.commands import (
    IdentifyCase,
    IdentifyingMeeting,
    RecommendReview,
    RecordSupervisionDiscussion,
)
from domain.routes.single_agency.forms import SingleAgencyCriterion
from domain.routes.single_agency.review import SingleAgencyReview
from projections.subjects import personal_items
from tests.integration.ig_support import MovableClock, demo_store, logging_restored, opened

__all__ = ["logging_restored"]

T = TypeVar("T")

EXAMPLES = int(os.environ.get("REVIEWLEDGER_DISCLOSURE_EXAMPLES", "4"))
OFFICER = "ig-officer"
_numbers = itertools.count(1)
_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_MONTHS = tuple(calendar.month_name)[1:]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with demo_store("sqlite", tmp_path_factory.mktemp("disclosure-generated")) as found:
        yield found


# -- the family ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    subject_id: str
    category: SubjectCategory
    first: str
    surname: str
    relationship: str
    born: date | None = None
    address: tuple[int, str, str, str] | None = None  # number, street, town, postcode
    school: str | None = None  # the distinctive word; registered as "<word> Primary School"
    record_number: str | None = None  # ten digits, registered as written
    aka: str | None = None  # another name, registered as an other name

    @property
    def name(self) -> str:
        return f"{self.first} {self.surname}"

    @property
    def address_text(self) -> str | None:
        if self.address is None:
            return None
        number, street, town, postcode = self.address
        return f"{number} {street}, {town}, {postcode}"

    def written(self) -> dict[str, list[str]]:
        """Every identifier of this member in the forms a reader would search the bytes for."""
        found: dict[str, list[str]] = {"name": [self.name, self.first, self.surname]}
        if self.aka:
            found["name"].append(self.aka)
        if self.born is not None:
            d, m, y = self.born.day, self.born.month, self.born.year
            found["date of birth"] = [
                self.born.isoformat(),
                f"{d:02d}/{m:02d}/{y}",
                f"{d} {_MONTHS[m - 1]} {y}",
                f"{d:02d}.{m:02d}.{y % 100:02d}",
            ]
        if self.address is not None:
            number, street, town, postcode = self.address
            found["address"] = [f"{number} {street}", street, town, postcode, postcode.replace(" ", "")]
        if self.school is not None:
            found["school"] = [self.school]
        if self.record_number is not None:
            r = self.record_number
            found["record number"] = [r, f"{r[:6]} {r[6:]}", f"{r[:3]}-{r[3:6]}-{r[6:]}"]
        return found


@dataclass(frozen=True)
class Family:
    number: int
    members: tuple[Member, ...]
    mentions: tuple[tuple[str, ...], ...]  # per text: the members' ids it names
    texts: tuple[str, ...]  # the free texts, in the order the commands take them
    abouts: tuple[tuple[str, ...], ...]  # per text: whom it is said to be about
    released: tuple[tuple[int, int], ...]  # (requester index, third-party index) released with a reason

    @property
    def child(self) -> Member:
        return self.members[0]

    @property
    def review(self) -> str:
        return f"LR-DG{self.number}"

    @property
    def single_agency(self) -> str:
        return f"SALR-DG{self.number}"

    @property
    def records(self) -> tuple[str, str]:
        return self.review, self.single_agency

    def by_id(self, subject_id: str) -> Member:
        return next(m for m in self.members if m.subject_id == subject_id)


def _code(number: int) -> str:
    letters = ""
    for _ in range(3):
        number, rest = divmod(number, len(_CONSONANTS))
        letters = _CONSONANTS[rest] + letters
    return letters


_stem = st.text(alphabet=_CONSONANTS, min_size=2, max_size=6)
_postcode = st.builds(
    lambda district, sector, unit: f"ZQ{district} {sector}{unit}",
    st.integers(min_value=1, max_value=99),
    st.integers(min_value=0, max_value=9),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)
# The National Learning Review's notification reasons, recommendation, decision, two report sections
# and a strategy's two texts; then a single-agency review's concern, supervision notes and referral.
_TEXTS = 10


@st.composite
def families(draw: st.DrawFn) -> Family:
    number = next(_numbers)
    code = _code(number)
    stems = iter(draw(st.lists(_stem, min_size=60, max_size=60, unique=True)))
    births = iter(
        draw(
            st.lists(
                st.dates(min_value=date(1945, 1, 1), max_value=date(2022, 12, 31)),
                min_size=12,
                max_size=12,
                unique=True,
            )
        )
    )
    records = iter(draw(st.lists(st.integers(10**9, 10**10 - 1), min_size=12, max_size=12, unique=True)))

    def word() -> str:
        return f"Zq{next(stems)}o{code}"

    def address() -> tuple[int, str, str, str]:
        return (draw(st.integers(1, 250)), f"{word()} Road", word(), draw(_postcode))

    surname, home, school = word(), address(), word()
    child = Member(
        f"S-DG{number}-C",
        SubjectCategory.CHILD,
        word(),
        surname,
        "child",
        next(births),
        home,
        school,
        str(next(records)),
    )
    members = [child]
    parents = draw(st.integers(1, 2))
    together = draw(st.booleans())  # the parents live with the child, or apart
    for i in range(parents):
        members.append(
            Member(
                f"S-DG{number}-P{i}",
                SubjectCategory.PARENT_CARER,
                word(),
                surname if draw(st.booleans()) else word(),
                "parent",
                next(births),
                home if together or i == 0 else address(),
                aka=word() if draw(st.booleans()) else None,
            )
        )
    for i in range(draw(st.integers(0, 2))):
        members.append(
            Member(
                f"S-DG{number}-S{i}",
                SubjectCategory.SIBLING,
                word(),
                surname,
                "sibling",
                next(births),
                home if draw(st.booleans()) else address(),
                school if draw(st.booleans()) else word(),
                str(next(records)) if draw(st.booleans()) else None,
            )
        )
    if draw(st.booleans()):
        members.append(
            Member(
                f"S-DG{number}-G", SubjectCategory.FAMILY_MEMBER, word(), word(), "grandparent", next(births)
            )
        )
    if draw(st.booleans()):
        members.append(
            Member(
                f"S-DG{number}-H",
                SubjectCategory.HOUSEHOLD_MEMBER,
                word(),
                word(),
                "partner",
                next(births),
                home if together else address(),
            )
        )
    for i in range(draw(st.integers(1, 2))):
        members.append(
            Member(f"S-DG{number}-W{i}", SubjectCategory.PRACTITIONER, word(), word(), "practitioner")
        )
    members.append(Member(f"S-DG{number}-N", SubjectCategory.NOTIFIER, word(), word(), "notifier"))

    texts, mentions, abouts = [], [], []
    for _ in range(_TEXTS):
        named = draw(
            st.lists(st.sampled_from(members), min_size=1, max_size=3, unique_by=lambda m: m.subject_id)
        )
        lines = [f"Concern about {_mention(draw, m)}" for m in named]
        texts.append("; ".join(lines) + ".")
        ids = tuple(m.subject_id for m in named)
        mentions.append(ids)
        extent = draw(st.sampled_from(["complete", "partial", "empty"]))
        abouts.append(ids if extent == "complete" else ids[: len(ids) // 2] if extent == "partial" else ())
    family_size = len(members)
    released = tuple(
        draw(
            st.lists(st.tuples(st.integers(0, family_size - 1), st.integers(0, family_size - 1)), max_size=2)
        )
    )
    return Family(number, tuple(members), tuple(mentions), tuple(texts), tuple(abouts), released)


def _mention(draw: st.DrawFn, m: Member) -> str:
    """One identifier of the member, written one of the ways a record writes it."""
    forms = [
        m.name,
        m.first,
        m.name.upper(),
        f"{draw(st.sampled_from(['Mr', 'Mrs', 'Ms', 'Dr']))} {m.surname}",
    ]
    if m.aka:
        forms.append(m.aka)
    if m.born is not None:
        b = m.born
        forms += [
            b.isoformat(),
            f"{b.day}/{b.month}/{b.year}",
            f"{b.day} {_MONTHS[b.month - 1][:3]} {b.year}",
        ]
    if m.address is not None:
        number, street, town, postcode = m.address
        forms += [f"{number} {street}", town, postcode.replace(" ", "")]
    if m.school is not None:
        forms.append(f"{m.school} Primary")
    if m.record_number is not None:
        r = m.record_number
        forms.append(f"{r[:6]} {r[6:]}")
    return draw(st.sampled_from(forms))


# -- the review, through the real commands -------------------------------------------------------------------


def _record(app: Application, family: Family) -> None:
    for m in family.members:
        app.execute(
            DataSubject,
            subject_stream(m.subject_id),
            "cpc-officer",
            RegisterSubject(
                subject_id=m.subject_id,
                category=m.category,
                name=m.name,
                date_of_birth=m.born,
                address=m.address_text,
                school=f"{m.school} Primary School" if m.school else None,
                record_number=m.record_number,
                other_names=(m.aka,) if m.aka else (),
            ),
        )
    child, review, texts, about = family.child, family.review, family.texts, family.abouts
    practitioners = [m for m in family.members if m.category is SubjectCategory.PRACTITIONER]
    notifier = family.members[-1]
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        ReceiveNotification(
            subject_group="child",
            received_on=date(2026, 11, 30),
            subject=PersonDetails(
                subject_id=child.subject_id,
                name=child.name,
                date_of_birth=child.born,
                address=child.address_text,
                school=f"{child.school} Primary School",
                record_number=child.record_number,
            ),
            notifier=PractitionerDetails(subject_id=notifier.subject_id, name=notifier.name, agency="Police"),
            reasons=texts[0],
            about=about[0],
            family=tuple(
                FamilyMemberDetails(
                    subject_id=m.subject_id,
                    relationship=m.relationship,
                    name=m.name,
                    date_of_birth=m.born,
                    address=m.address_text,
                )
                for m in family.members[1:]
                if m.category not in (SubjectCategory.PRACTITIONER, SubjectCategory.NOTIFIER)
            ),
        ),
    )
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        PassToNominatedPerson(passed_on=date(2026, 11, 30), nominee="cpc-officer"),
    )
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        MakeRecommendation(
            recommendation="proceed",
            made_on=date(2026, 12, 1),
            reasons=texts[1],
            proposed_terms_of_reference="Multi-agency practice in the year before the incident.",
            about=about[1],
        ),
    )
    app.execute(
        NationalReview,
        review,
        "cpc-chair",
        DecideToProceed(decided_on=date(2026, 12, 2), basis=texts[2], about=about[2]),
    )
    # The Reviewer drafts and renders the report because they are appointed to the review's team.
    app.execute(
        NationalReview,
        review,
        "cpc-officer",
        AppointTeamMember(
            member=PractitionerDetails(subject_id="S-REVIEWER", name="Quillon Varga", agency="independent"),
            team_role=TeamRole.REVIEWER,
            appointed_on=date(2026, 12, 2),
            direct_involvement=False,
            declaration="No involvement with the family.",
            actor_id="reviewer",
        ),
    )
    app.execute(
        NationalReview,
        review,
        "reviewer",
        DraftReportVersion(
            drafted_on=date(2026, 12, 3),
            sections=(
                SectionInput(heading=SectionKind.CONDUCT, text="Chronologies from each agency."),
                SectionInput(heading=SectionKind.CIRCUMSTANCES, text=texts[3], about=about[3]),
                SectionInput(
                    heading=SectionKind.LEARNING,
                    text=texts[4],
                    about=about[4],
                    nature=Nature.OPINION,
                    by=practitioners[0].subject_id,
                ),
            ),
            strategies=(
                StrategyInput(
                    case_for_change=texts[5],
                    learning="Home conditions are shared at every core group.",
                    evidence=texts[6],
                    responsible="Child Protection Committee",
                    review="An audit after six months.",
                    about=(*about[5], *about[6]),
                ),
            ),
        ),
    )


def _record_single_agency(app: Application, family: Family) -> None:
    """A single-agency review of the same family: identified at a meeting, discussed, recommended."""
    texts, about = family.texts, family.abouts
    reference = family.single_agency
    app.execute(
        SingleAgencyReview,
        reference,
        "social-worker",
        IdentifyCase(
            identified_on=date(2026, 11, 2),
            meeting=IdentifyingMeeting.TEAM_AROUND_THE_CHILD,
            team="Children and Families",
            criteria=(SingleAgencyCriterion.LACK_OF_PROGRESS,),
            concern=texts[7],
            subjects=(family.child.subject_id, *about[7]),
        ),
    )
    app.execute(
        SingleAgencyReview,
        reference,
        "line-manager",
        RecordSupervisionDiscussion(discussed_on=date(2026, 11, 3), notes=texts[8], about=about[8]),
    )
    app.execute(
        SingleAgencyReview,
        reference,
        "line-manager",
        RecommendReview(
            recommended_on=date(2026, 11, 4),
            service_manager="service-manager",
            reasons=texts[9],
            about=about[9],
        ),
    )


# -- what a reader of the bytes finds ----------------------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _readable(data: bytes) -> str:
    """Every string of a JSON document, or the bytes as text, folded for searching."""
    try:
        decoded = json.loads(data)
    except ValueError:
        return _normal(data.decode("utf-8"))

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield str(key)
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    return _normal("\n".join(strings(decoded)))


def _found(text: str, member: Member, besides: list[Member]) -> list[str]:
    """The member's identifiers in the text, leaving out any the others share (theirs too)."""
    shared = {_normal(f) for other in besides for forms in other.written().values() for f in forms}
    return [
        f"{member.subject_id}'s {kind}"
        for kind, forms in member.written().items()
        for form in forms
        if _normal(form) not in shared and _contains_word(text, _normal(form))
    ]


def _contains_word(text: str, form: str) -> bool:
    start = text.find(form)
    while start != -1:
        end = start + len(form)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        start = text.find(form, start + 1)
    return False


# -- the properties ----------------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=families())
def test_no_one_elses_identifier_leaves_in_any_pack_response_or_publication(
    store: Settings, tmp_path: Path, family: Family
) -> None:
    with opened(store, MovableClock()) as app:
        # The family is registered and the review runs to a drafted report; every text names some of them.
        _record(app, family)
        _record_single_agency(app, family)
        everyone = list(family.members)

        # An FOI response holding the report and the decision trail holds no registered identifier at all.
        request = f"FOI-DG{family.number}"
        foi.open_request(
            app,
            request,
            OFFICER,
            ReceiveFoiRequest(
                received_on=date(2026, 12, 4),
                channel=FoiChannel.EMAIL,
                requester_id=f"S-DG{family.number}-JOURNALIST",
                requester_name="A Journalist",
                address_for_correspondence="desk@example.org",
                information_requested="The report and the decision trail.",
            ),
        )
        foi.identify_parts(app, request, OFFICER, family.review, ["report", "decision-trail"])
        foi.identify_parts(app, request, OFFICER, family.single_agency, ["decision-trail"])
        for item_id in (
            *(f"{family.review}/{p}" for p in ("report", "decision-trail")),
            f"{family.single_agency}/decision-trail",
        ):
            foi.step(
                app,
                request,
                OFFICER,
                ApplyExemption(
                    item_id=item_id,
                    section=Section.S38_1_B,
                    extent=Extent.PART,
                    reasons="It would identify the family.",
                ),
            )
        data, refused = _outcome(lambda: foi.respond(app, request, OFFICER, PackFormat.JSON)[1])
        assert [f for m in everyone for f in _found(_readable(data) if data else refused, m, [])] == []
        assert (data is None) == (refused != ""), (
            "a refusal is an IdentifiersInOutput, naming kinds and items"
        )

        # The publication view holds none either.
        out = tmp_path / f"{family.review}.json"

        def publish() -> bytes:
            render_publication(app, family.review, "reviewer", out=out, output=OutputFormat.JSON)
            return out.read_bytes()

        data, refused = _outcome(publish)
        assert [f for m in everyone for f in _found(_readable(data) if data else refused, m, [])] == []
        assert data is not None or not out.exists()

        # Every member's pack: everything about them or stated by them, and no other family member's
        # identifier unless their data was released with a reason.
        events = {record: app.ledger.read(record, unseal=True) for record in family.records}
        for index, requester in enumerate(family.members):
            reference = f"SAR-DG{family.number}-{index}"
            records = (
                (family.review, "the Learning Review"),
                (family.single_agency, "the single-agency review"),
            )
            _request_pack(app, reference, requester, records)
            released = _release(app, reference, family, index)
            built, refused = _outcome(partial(sar.render_pack, app, reference, OFFICER, PackFormat.JSON))
            if built is None:
                # Refused by the last check: the error names no one's identifier either.
                assert [f for m in everyone for f in _found(refused, m, [])] == []
                continue
            pack, data = built
            text = _readable(data)
            others = [
                m
                for m in everyone
                if m.subject_id != requester.subject_id
                and m.category is not SubjectCategory.PRACTITIONER  # acting in role: not withheld
                and m.subject_id not in released
            ]
            not_withheld = [requester, *(m for m in everyone if m not in others)]
            leaked = [f for m in others for f in _found(text, m, not_withheld)]
            assert leaked == [], f"in {requester.subject_id}'s pack"
            theirs = {
                item_id_of(record, r.version, path)
                for record, recorded in events.items()
                for r in recorded
                for path, item in personal_items(r.event)
                if requester.subject_id in (*item.about, *((item.by,) if item.by else ()))
            }
            theirs |= _named_in_words(events, family, requester)
            given = {i.item_id for i in pack.items}
            assert theirs <= given, f"{requester.subject_id}'s items missing: {sorted(theirs - given)}"


def _outcome(make: Callable[[], T]) -> tuple[T | None, str]:
    """What a step gives, or the words of the error refusing it (folded for searching)."""
    try:
        return make(), ""
    except (IdentifiersInOutput, ResidualRiskFound, RuleViolation) as refused:
        return None, _normal(str(refused))


def _named_in_words(events: dict[str, list[Recorded]], family: Family, requester: Member) -> set[str]:
    """The items whose words were written naming the requester (whatever their `about` said)."""
    found: set[str] = set()
    for record, recorded in events.items():
        for r in recorded:
            for path, item in personal_items(r.event):
                if item.value and any(
                    requester.subject_id in ids and text in item.value
                    for text, ids in zip(family.texts, family.mentions, strict=True)
                ):
                    found.add(item_id_of(record, r.version, path))
    return found


def _request_pack(
    app: Application, reference: str, requester: Member, records: tuple[tuple[str, str], ...]
) -> None:
    """The requester asks; the `records` (reference, what it is) and the register are searched and collated."""
    sar.open_request(
        app,
        reference,
        OFFICER,
        ReceiveSubjectAccessRequest(
            received_on=date(2026, 12, 4),
            channel=RequestChannel.EMAIL,
            requester_id=requester.subject_id,
            subject_id=requester.subject_id,
            capacity=Capacity.DATA_SUBJECT,
            requester_name=requester.name,
            request="Everything you hold about me.",
        ),
    )
    sar.step(
        app,
        reference,
        OFFICER,
        VerifyIdentity(verified_on=date(2026, 12, 4), check=IdentityCheck.KNOWN_TO_SERVICE),
    )
    searched = (
        *(SearchAnswers(record=record, what=what) for record, what in records),
        SearchAnswers(record=subject_stream(requester.subject_id), what="the register"),
    )
    sar.step(app, reference, OFFICER, RecordSearch(searched_on=date(2026, 12, 4), records=searched))
    sar.collate_from_index(app, reference, OFFICER, date(2026, 12, 4))


def _release(app: Application, reference: str, family: Family, index: int) -> set[str]:
    """Release, with a reason, the data of the third parties the example says, where an item names them."""
    chosen = {family.members[third].subject_id for asked, third in family.released if asked == index}
    released: set[str] = set()
    decision = sar.withholding(app, sar.load(app, reference), OFFICER)
    for item in decision.items:
        for person in item.people:
            if person.subject in chosen and not person.released:
                sar.step(
                    app,
                    reference,
                    OFFICER,
                    ReleaseThirdPartyData(
                        item_id=item.item_id,
                        third_party=person.subject,
                        basis=ReleaseBasis.REASONABLE_TO_DISCLOSE,
                        reasons="The requester already knows this person's part in events.",
                    ),
                )
                released.add(person.subject)
    return released
