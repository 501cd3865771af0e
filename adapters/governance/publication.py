"""The publication view: a review's latest report, anonymised, checked, and only then written.

A member of the review's team (or its committee: `domain/governance/need_to_know.py`) renders the latest version of a National Learning Review's report
(`national.report-version-drafted`, or `-v2` with every strategy text sealed) for publication (DOMAIN.md §7, seed 001 "Publication"):
every person becomes a pseudonym, dates are coarsened, places made generic
(`domain/governance/anonymisation.py`). To do that the report and the identifiers of every registered data
subject are read unsealed, and those reads are signed into the reader's access log first
(purpose `publication`). The section the report keeps for unavoidable personal details is
withheld; a section whose personal data was disposed of says so.

The **residual-risk check** then scans the rendered bytes (the text an HTML reader would see, or
every string of the JSON) for every registered name, date of birth, address, school and record
number of every data subject; if any is found the file is not written, and the error names the
kinds found, never the values. `check_file` runs the same check on any file. A data subject whose
register entry was disposed of can no longer be checked for; the result counts them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import msgspec

from adapters.app.application import Application
from adapters.app.authority import TEAMS, ReadRefused
from adapters.app.need_to_know import check_read
from adapters.app.records import record_type_for
from adapters.app.register import read_register
from adapters.app.views import require_verified
from adapters.governance.access_log import RecordRead, items_read, record_reads
from adapters.governance.disclosure import readable_texts as published_texts
from adapters.governance.pack_pdf import html_to_pdf
from adapters.governance.publication_render import render_html
from adapters.store.files import write_atomically
from adapters.store.reading import Recorded
from audit.envelope import sha256
from domain.governance.access import ReadPurpose
from domain.governance.anonymisation import (
    Anonymiser,
    DateStyle,
    Identifiers,
    Pseudonyms,
    check_residual_risk,
    coarsen_dates,
)
from domain.governance.subjects import SubjectCategory
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import ItemKind, Nature, Personal
from domain.kernel.roles import Role
from domain.routes.national.events_reporting import REPORT_DRAFTS
from domain.routes.national.forms import SectionKind
from domain.routes.national.review import NationalReview
from projections.subjects import personal_items

FORMAT = "reviewledger/publication/v1"
RULE_REPORT = "seed 001 'The Report': the report is drafted before it is published"

#: Who may check a file: the roles of a national review's team, and an IG officer. Who renders a
#: report for publication is the need-to-know table's answer for that review (`check_read`).
CHECKERS: frozenset[Role] = TEAMS[NationalReview] | {Role.IG_OFFICER}

_IDENTIFYING = {
    ItemKind.NAME: "names",
    ItemKind.DATE_OF_BIRTH: "dates_of_birth",
    ItemKind.ADDRESS: "addresses",
    ItemKind.SCHOOL: "schools",
    ItemKind.RECORD_NUMBER: "record_numbers",
}


class OutputFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    PDF = "pdf"  # the HTML laid out as tagged PDF/UA-1 (adapters/governance/pack_pdf.py)


class PublishedSection(msgspec.Struct, frozen=True, kw_only=True):
    heading: str
    text: str | None  # None when withheld or disposed of
    opinion_of: str | None = None  # the pseudonym of whoever holds the opinion, for an opinion
    note: str | None = None  # why there is no text


class PublishedStrategy(msgspec.Struct, frozen=True, kw_only=True):
    case_for_change: str | None
    learning: str | None
    evidence: str | None
    responsible: str | None  # None when disposed of (sealed since report-version-drafted-v2)
    review: str | None


class Person(msgspec.Struct, frozen=True, kw_only=True):
    pseudonym: str
    role: str  # the category, in words: "child", "parent or carer", ...


class Publication(msgspec.Struct, frozen=True, kw_only=True):
    """The anonymised report, as published (it names no data subject id)."""

    format: str = FORMAT
    review: str
    report_version: int
    drafted: str
    terms_of_reference_version: int
    dates: str
    people: tuple[Person, ...]
    sections: tuple[PublishedSection, ...]
    strategies: tuple[PublishedStrategy, ...]


class Written(msgspec.Struct, frozen=True, kw_only=True):
    """What was written, and what the residual-risk check covered."""

    review: str
    path: str
    format: str
    sha256: str
    size_bytes: int
    sections: int
    people: int
    subjects_checked: int
    subjects_disposed: int  # register entries disposed of: their identifiers could not be checked


class Checked(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    subjects_checked: int
    subjects_disposed: int
    result: str


class _Known(msgspec.Struct, frozen=True, kw_only=True):
    people: tuple[Identifiers, ...]
    categories: dict[str, SubjectCategory]
    reads: tuple[RecordRead, ...]
    disposed: int


# -- rendering ------------------------------------------------------------------------------------------


def render_publication(
    app: Application,
    reference: str,
    actor: str,
    *,
    out: Path,
    output: OutputFormat = OutputFormat.HTML,
    dates: DateStyle = DateStyle.MONTH,
) -> Written:
    """Anonymise the review's latest report, check it, and write it to `out` only if it passes."""
    _check_folder(out)
    if record_type_for(app, reference, None) is not NationalReview:
        raise InvalidInput(
            "reference", f"{reference} is not a National Learning Review: only its report is published"
        )
    # The need-to-know table decides who opens the review for publication: its team, its committee.
    check_read(app, actor, reference, ReadPurpose.PUBLICATION, view="publication")
    events = app.ledger.read(reference, unseal=True)
    require_verified(reference, events)  # nothing is published from an event that is not as signed
    report = _latest_report(events)
    if report is None:
        raise RuleViolation("no report has been drafted yet", rule=RULE_REPORT, record=reference)
    known = _identifiers(app, events)
    review_read = RecordRead(record=reference, fields=items_read(events))
    record_reads(
        app,
        reader=actor,
        purpose=ReadPurpose.PUBLICATION,
        view="publication",
        reads=[read for read in (review_read, *known.reads) if read.fields],
    )
    pseudonyms = Pseudonyms(known.categories)
    for subject in _in_order_met(events):
        pseudonyms.of(subject)
    anonymiser = Anonymiser(known.people, pseudonyms, dates=dates)
    publication = _anonymised(reference, report, anonymiser, known.categories)
    data = _json(publication) if output is OutputFormat.JSON else render_html(publication)
    if output is OutputFormat.PDF:
        data = html_to_pdf(data.decode("utf-8"))
    check_residual_risk(
        published_texts(data), anonymiser.detector, where=reference, consequence="it was not written"
    )
    write_atomically(out, data)
    return Written(
        review=reference,
        path=str(out),
        format=output.value,
        sha256=sha256(data).hex(),
        size_bytes=len(data),
        sections=len(publication.sections),
        people=len(publication.people),
        subjects_checked=len(known.people),
        subjects_disposed=known.disposed,
    )


def check_file(app: Application, path: Path, actor: str) -> Checked:
    """Run the residual-risk check on a file; ResidualRiskFound names the kinds of identifier found."""
    try:
        data = path.read_bytes()
    except OSError:
        raise InvalidInput("FILE", f"{path} cannot be read") from None
    _require(app, actor, CHECKERS, path.name, "the registered identifiers of data subjects")
    known = _identifiers(app, ())
    record_reads(
        app,
        reader=actor,
        purpose=ReadPurpose.PUBLICATION,
        view="publication-check",
        reads=[read for read in known.reads if read.fields],
    )
    check_residual_risk(
        published_texts(data), known.people, where=path.name, consequence="it must not be published"
    )
    return Checked(
        path=str(path),
        subjects_checked=len(known.people),
        subjects_disposed=known.disposed,
        result="no registered identifier of any data subject was found",
    )


# -- reading what identifies people -----------------------------------------------------------------


def _identifiers(app: Application, review: Sequence[Recorded]) -> _Known:
    """Every registered subject's identifiers, and the review's own names and dates for its people."""
    found: dict[str, dict[str, list[str]]] = {}
    categories: dict[str, SubjectCategory] = {}
    reads: list[RecordRead] = []
    disposed = 0
    for subject in read_register(app.ledger):
        current = subject.identifiers
        categories[current.subject_id] = current.category
        if subject.disposed:
            disposed += 1
            continue
        held = found.setdefault(current.subject_id, {})
        for item in current.items():  # as they hold now: the registration with every amendment
            _keep(held, item)
        reads.append(RecordRead(record=subject.stream, fields=subject.fields, subjects=(current.subject_id,)))
    for r in review:
        for _, item in personal_items(r.event):
            if len(item.about) == 1:
                _keep(found.setdefault(item.about[0], {}), item)
    people = tuple(
        Identifiers(
            subject=subject,
            category=categories.get(subject),
            **{name: tuple(dict.fromkeys(values)) for name, values in held.items()},
        )
        for subject, held in found.items()
    )
    return _Known(people=people, categories=categories, reads=tuple(reads), disposed=disposed)


def _keep(held: dict[str, list[str]], item: Personal) -> None:
    field = _IDENTIFYING.get(item.kind)
    if field is not None and item.value is not None and item.value.strip():
        held.setdefault(field, []).append(item.value)


def _in_order_met(events: Sequence[Recorded]) -> list[str]:
    """The review's people in the order the record first mentions them."""
    met: dict[str, None] = {}
    for r in events:
        for _, item in personal_items(r.event):
            for subject in (*item.about, *((item.by,) if item.by else ())):
                met.setdefault(subject, None)
    return list(met)


def _latest_report(events: Sequence[Recorded]) -> Recorded | None:
    drafts = [r for r in events if isinstance(r.event, REPORT_DRAFTS)]
    return drafts[-1] if drafts else None


# -- the anonymised document ------------------------------------------------------------------------------


_WORDS: dict[SubjectCategory | None, str] = {
    None: "person",
    **{c: c.value.replace("_", " ") for c in SubjectCategory},
    SubjectCategory.PARENT_CARER: "parent or carer",
}


def _anonymised(
    reference: str, report: Recorded, anonymiser: Anonymiser, categories: dict[str, SubjectCategory]
) -> Publication:
    event = report.event
    assert isinstance(event, REPORT_DRAFTS)
    gone = report.disposed.describe() if report.disposed is not None else None

    def text(item: Personal) -> str | None:
        return None if item.value is None else anonymiser.text(item.value)

    sections = []
    for section in event.sections:
        heading = section.heading.value[:1].upper() + section.heading.value[1:]
        if section.heading is SectionKind.PERSONAL_DETAILS:
            sections.append(PublishedSection(heading=heading, text=None, note="withheld from publication"))
            continue
        item = section.text
        opinion_of = None
        if item.nature is Nature.OPINION and item.by is not None:
            opinion_of = anonymiser.pseudonyms.of(item.by)
        sections.append(
            PublishedSection(
                heading=heading,
                text=text(item),
                opinion_of=opinion_of,
                note=gone if item.value is None else None,
            )
        )
    strategies = tuple(
        PublishedStrategy(
            case_for_change=text(s.case_for_change),
            learning=text(s.learning),
            evidence=text(s.evidence),
            responsible=anonymiser.text(s.responsible)
            if isinstance(s.responsible, str)
            else text(s.responsible),
            review=text(s.review),
        )
        for s in event.strategies
    )
    shown = " ".join(
        t
        for t in (
            *(s.text or "" for s in sections),
            *(s.opinion_of or "" for s in sections),
            *(
                t or ""
                for s in strategies
                for t in (s.case_for_change, s.learning, s.evidence, s.responsible, s.review)
            ),
        )
    )
    # Only the people the published text names: the rest of the review's people stay unmentioned.
    people = tuple(
        Person(pseudonym=pseudonym, role=_WORDS[categories.get(subject)])
        for subject, pseudonym in anonymiser.pseudonyms.given.items()
        if re.search(rf"(?<!\w){re.escape(pseudonym)}(?!\w)", shown)
    )
    return Publication(
        review=reference,
        report_version=event.version,
        drafted=coarsen_dates(event.drafted_on.isoformat(), anonymiser.dates),
        terms_of_reference_version=event.terms_of_reference_version,
        dates=anonymiser.dates.value,
        people=people,
        sections=tuple(sections),
        strategies=strategies,
    )


def _json(publication: Publication) -> bytes:
    return (
        msgspec.json.format(msgspec.json.Encoder(order="deterministic").encode(publication), indent=2) + b"\n"
    )


# -- checks and files ---------------------------------------------------------------------------------------


def _require(app: Application, actor: str, roles: frozenset[Role], record: str, what: str) -> None:
    by = app.acting(actor)
    if not roles & by.roles:
        needs = " or ".join(sorted(r.value for r in roles))
        raise ReadRefused(actor, f"a person holding {needs}", what, record)


def _check_folder(out: Path) -> None:
    if not out.parent.is_dir():
        raise InvalidInput("--out", f"the folder {out.parent} does not exist")
