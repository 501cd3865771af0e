"""The forms of the National Learning Review, as typed values (seeds 001, 002).

Each form comes twice: as plain input a command carries (`PersonDetails`, ...), and as
the record an event keeps (`PersonRecord`, ...), where every personal item is a
`Personal` naming whose data it is. The functions here turn the first into the second,
so the annotation (kind, fact or opinion, special category) is decided in one place.

Seeds 001 and 002 do not reproduce the Notification form itself (the guidance keeps
its templates in Annex 1); its fields follow DOMAIN.md §3, which lists what the forms
of the seeds carry: the child's or adult's identifying details, special-category data,
family and household, agencies and practitioners involved, and the reasons.

Free text is always `Personal`: in a learning review it is, or may be, about the person
the review is about. Plain fields hold only procedural facts: dates, agency names,
version numbers, references, choices from a fixed list.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from domain.governance.subjects import check_subject_id
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, Personal, personal

# How learning is taken into practice is the same in every route (domain/routes/shared/dissemination.py).
from domain.routes.shared.dissemination import DisseminationKind as DisseminationKind


class TeamRole(StrEnum):
    """The separate roles of the Review Team (seed 001 'The Review Team')."""

    CHAIR = "chair"
    MEMBER = "member"
    REVIEWER = "reviewer"
    ADMINISTRATOR = "administrator"


class Proceeding(StrEnum):
    """Parallel processes the Chair enquires about (seed 001 'The role of the Chair'; Annex 2)."""

    CRIMINAL = "criminal proceedings"
    FAI = "Fatal Accident Inquiry"
    CHILDRENS_HEARING = "children's hearings"


class ProceedingState(StrEnum):
    NONE = "none"
    ONGOING = "ongoing"
    CONCLUDED = "concluded"


class LiaisonBody(StrEnum):
    """Crown Office and Procurator Fiscal Service; Scottish Children's Reporter Administration."""

    COPFS = "COPFS"
    SCRA = "SCRA"


#: Who must be consulted about publication while each kind of proceeding is ongoing
#: (seed 001 'Publishing the Report': "discussed with COPFS and/or SCRA").
LIAISON_FOR: dict[Proceeding, LiaisonBody] = {
    Proceeding.CRIMINAL: LiaisonBody.COPFS,
    Proceeding.FAI: LiaisonBody.COPFS,
    Proceeding.CHILDRENS_HEARING: LiaisonBody.SCRA,
}


class Body(StrEnum):
    """Who is told of a pause or a delay (seed 001 'Managing emerging issues' and 'Timescale')."""

    COMMITTEE = "committee"  # the Child (or Adult) Protection Committee
    COG = "COG"  # the Chief Officers Group


class PublicationChoice(StrEnum):
    """What the COG may decide about the report (seed 001 'Publishing the Report')."""

    PUBLISH = "publish"
    PUBLISH_LATER = "publish later"
    NOT_PUBLISH = "not publish"


def require_text(field: str, value: str) -> str:
    """Refuse an empty or blank text input."""
    if not value.strip():
        raise InvalidInput(field, "must not be empty")
    return value


def require_subjects(field: str, subject_ids: tuple[str, ...]) -> tuple[str, ...]:
    """Check every id looks like a data-subject id (`S-...`)."""
    for subject_id in subject_ids:
        try:
            check_subject_id(subject_id)
        except InvalidInput as error:
            raise InvalidInput(field, error.rule) from None
    return subject_ids


def statement(
    field: str,
    text: str,
    about: tuple[str, ...],
    *,
    nature: Nature = Nature.FACT,
    by: str | None = None,
    kind: ItemKind = ItemKind.NARRATIVE,
) -> Personal:
    """One free-text statement as a personal item; an opinion must say whose it is.

    Seed 001 'The Report': professional opinions are recorded as such and
    distinguished from fact.
    """
    require_text(field, text)
    require_subjects(field, about)
    if nature is Nature.OPINION and by is None:
        raise InvalidInput(field, "an opinion must say whose opinion it is (seed 001 'The Report')")
    if by is not None:
        require_subjects(field, (by,))
    return personal(text, *about, kind=kind, nature=nature, by=by)


def _optional(
    value: str | None, about: tuple[str, ...], kind: ItemKind, *, special: bool = False
) -> Personal | None:
    if value is None:
        return None
    return personal(value, *about, kind=kind, special_category=special)


def _date(value: date | None, about: tuple[str, ...], kind: ItemKind) -> Personal | None:
    return None if value is None else personal(value.isoformat(), *about, kind=kind)


# -- The Notification form ------------------------------------------------------------


class PersonDetails(msgspec.Struct, frozen=True, kw_only=True):
    """The child or adult the notification is about, as the notifier gives them."""

    subject_id: str
    name: str
    date_of_birth: date | None = None
    date_of_death: date | None = None
    gender: str | None = None
    address: str | None = None
    school: str | None = None  # child route
    legal_status: str | None = None  # e.g. looked after at home; guardianship order
    record_number: str | None = None  # social work record number
    disability: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    immigration_status: str | None = None
    protection_history: str | None = None  # Child Protection Register / looked-after / ASP history


class PersonRecord(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    date_of_birth: Personal | None = None
    date_of_death: Personal | None = None
    gender: Personal | None = None
    address: Personal | None = None
    school: Personal | None = None
    legal_status: Personal | None = None
    record_number: Personal | None = None
    # UK GDPR Art. 9 special-category data (immigration status is treated alike: DOMAIN.md §3).
    disability: Personal | None = None
    ethnicity: Personal | None = None
    religion: Personal | None = None
    immigration_status: Personal | None = None
    protection_history: Personal | None = None


def person_record(details: PersonDetails) -> PersonRecord:
    require_subjects("subject_id", (details.subject_id,))
    about = (details.subject_id,)
    return PersonRecord(
        subject_id=details.subject_id,
        name=personal(require_text("name", details.name), *about, kind=ItemKind.NAME),
        date_of_birth=_date(details.date_of_birth, about, ItemKind.DATE_OF_BIRTH),
        date_of_death=_date(details.date_of_death, about, ItemKind.DATE_OF_DEATH),
        gender=_optional(details.gender, about, ItemKind.DEMOGRAPHIC),
        address=_optional(details.address, about, ItemKind.ADDRESS),
        school=_optional(details.school, about, ItemKind.SCHOOL),
        legal_status=_optional(details.legal_status, about, ItemKind.LEGAL_STATUS),
        record_number=_optional(details.record_number, about, ItemKind.RECORD_NUMBER),
        disability=_optional(details.disability, about, ItemKind.DEMOGRAPHIC, special=True),
        ethnicity=_optional(details.ethnicity, about, ItemKind.DEMOGRAPHIC, special=True),
        religion=_optional(details.religion, about, ItemKind.DEMOGRAPHIC, special=True),
        immigration_status=_optional(details.immigration_status, about, ItemKind.DEMOGRAPHIC, special=True),
        protection_history=_optional(details.protection_history, about, ItemKind.HISTORY),
    )


class FamilyMemberDetails(msgspec.Struct, frozen=True, kw_only=True):
    """A parent, carer, sibling, other relative or household member."""

    subject_id: str
    relationship: str  # e.g. "mother, lives in the household"
    name: str
    date_of_birth: date | None = None
    address: str | None = None


class FamilyMemberRecord(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    relationship: Personal  # about the member and the person the review is about
    name: Personal
    date_of_birth: Personal | None = None
    address: Personal | None = None


def family_member_record(details: FamilyMemberDetails, principal: str) -> FamilyMemberRecord:
    require_subjects("family.subject_id", (details.subject_id,))
    about = (details.subject_id,)
    return FamilyMemberRecord(
        subject_id=details.subject_id,
        relationship=statement("family.relationship", details.relationship, (details.subject_id, principal)),
        name=personal(require_text("family.name", details.name), *about, kind=ItemKind.NAME),
        date_of_birth=_date(details.date_of_birth, about, ItemKind.DATE_OF_BIRTH),
        address=_optional(details.address, about, ItemKind.ADDRESS),
    )


class PractitionerDetails(msgspec.Struct, frozen=True, kw_only=True):
    """A practitioner named on a form: the notifier, or an agency's contact."""

    subject_id: str
    name: str
    agency: str
    job_title: str | None = None
    contact: str | None = None


class PractitionerRecord(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    agency: str  # an organisation, not a person
    name: Personal
    job_title: Personal | None = None
    contact: Personal | None = None


def practitioner_record(details: PractitionerDetails) -> PractitionerRecord:
    require_subjects("practitioner.subject_id", (details.subject_id,))
    about = (details.subject_id,)
    return PractitionerRecord(
        subject_id=details.subject_id,
        agency=require_text("practitioner.agency", details.agency),
        name=personal(require_text("practitioner.name", details.name), *about, kind=ItemKind.NAME),
        job_title=_optional(details.job_title, about, ItemKind.JOB_TITLE),
        contact=_optional(details.contact, about, ItemKind.CONTACT),
    )


# -- Chronologies (seed 001 'Collecting and collating further information') ------------------


class ChronologyEntryInput(msgspec.Struct, frozen=True, kw_only=True):
    on: date
    what_happened: str
    about: tuple[str, ...] = ()  # defaults to the person the review is about
    nature: Nature = Nature.FACT
    by: str | None = None


class ChronologyEntry(msgspec.Struct, frozen=True, kw_only=True):
    on: date  # kept plain so the merged chronology can be ordered without unsealing
    agency: str
    what_happened: Personal


# -- The report (seed 001 'The Report') ------------------------------------------------------


class SectionKind(StrEnum):
    """The contents seed 001 asks a Learning Review report to cover."""

    CONDUCT = "how the review was conducted"
    CIRCUMSTANCES = "circumstances that led to the review"
    LEARNING = "learning and the evidence for it"
    EFFECTIVE_PRACTICE = "effective practice"
    STRATEGIES = "strategies for improving practice and systems"
    TERMS_OF_REFERENCE = "final terms of reference"
    PERSONAL_DETAILS = "personal details that cannot be avoided"


#: The five contents seed 001 'The Report' asks of every report, then the final terms of reference.
REPORT_CONTENTS: tuple[SectionKind, ...] = (
    SectionKind.CONDUCT,
    SectionKind.CIRCUMSTANCES,
    SectionKind.LEARNING,
    SectionKind.EFFECTIVE_PRACTICE,
    SectionKind.STRATEGIES,
    SectionKind.TERMS_OF_REFERENCE,
)


class SectionInput(msgspec.Struct, frozen=True, kw_only=True):
    heading: SectionKind
    text: str
    about: tuple[str, ...] = ()
    nature: Nature = Nature.FACT
    by: str | None = None  # whose opinion, when `nature` is an opinion


class ReportSection(msgspec.Struct, frozen=True, kw_only=True):
    heading: SectionKind
    text: Personal


class StrategyInput(msgspec.Struct, frozen=True, kw_only=True):
    """A CLEAR strategy: Case for change, Learning orientated, Evidence based,
    Assign responsibility, Review (seed 001 'The Report')."""

    case_for_change: str
    learning: str
    evidence: str
    responsible: str  # the discipline or organisation that implements it
    review: str  # desired outcomes and timelines
    about: tuple[str, ...] = ()  # whom the strategy's texts name; defaults to the person the review is about


class ClearStrategy(msgspec.Struct, frozen=True, kw_only=True):
    """A strategy as `national.report-version-drafted` kept it: `responsible` in plain text."""

    case_for_change: Personal
    learning: Personal
    evidence: Personal
    responsible: str
    review: Personal


class SealedClearStrategy(msgspec.Struct, frozen=True, kw_only=True):
    """A strategy as `national.report-version-drafted-v2` keeps it: every element sealed, `responsible` too."""

    case_for_change: Personal
    learning: Personal
    evidence: Personal
    responsible: Personal
    review: Personal


def clear_strategy(strategy: StrategyInput, about: tuple[str, ...]) -> SealedClearStrategy:
    """Refuse a strategy that is not CLEAR: every one of the five elements is needed."""
    return SealedClearStrategy(
        case_for_change=statement("strategy.case_for_change", strategy.case_for_change, about),
        learning=statement("strategy.learning", strategy.learning, about),
        evidence=statement("strategy.evidence", strategy.evidence, about),
        responsible=statement("strategy.responsible", strategy.responsible, about),
        review=statement("strategy.review", strategy.review, about),
    )


# -- The action plan for dissemination of learning (seed 001 process map 5B) ----------------


class ActionInput(msgspec.Struct, frozen=True, kw_only=True):
    action_id: str  # e.g. "A1"
    description: str
    responsible: str  # agency or discipline
    due_on: date
    about: tuple[str, ...] = ()  # whom the description names; defaults to the person the review is about
    implements_strategy: int | None = (
        None  # the number of the report's CLEAR strategy it implements (1 = the first)
    )


class PlannedAction(msgspec.Struct, frozen=True, kw_only=True):
    action_id: str
    description: Personal
    responsible: str
    due_on: date
    implements_strategy: int | None = (
        None  # its CLEAR link: the report's strategy it implements (older plans: none)
    )
