"""The register of data subjects: the people the records are about or by.

Each person gets an opaque id (e.g. `S-3f9a1c`); every personal-data item in every
record names the ids it is about. Their identifying details are themselves personal
data, sealed like any other. One stream per subject, so one person's register entry
can be disposed of on its own.

A subject's identifiers (name, other names, dates of birth, addresses, schools, record
numbers) can be amended later by a signed step; `current_identifiers` folds the
registration and every amendment into the values that hold now, which is what every
disclosure checks against.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

import msgspec

from domain.governance.disposal import PersonalDataDisposed
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Personal, personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.kernel.steps import Step

SUBJECT_PREFIX = "subject-"


class SubjectCategory(StrEnum):
    """Whose data it is (DOMAIN.md §3 'Data subjects')."""

    CHILD = "child"
    ADULT_AT_RISK = "adult_at_risk"
    SIBLING = "sibling"
    PARENT_CARER = "parent_carer"
    FAMILY_MEMBER = "family_member"
    HOUSEHOLD_MEMBER = "household_member"
    PRACTITIONER = "practitioner"
    NOTIFIER = "notifier"
    OTHER = "other"


#: Categories whose data is redacted from another person's SAR response by default
#: (DPA 2018 Sch. 2 Pt. 3 para 16); practitioners acting in role are not.
THIRD_PARTY_BY_DEFAULT: frozenset[SubjectCategory] = frozenset(
    {
        SubjectCategory.CHILD,
        SubjectCategory.ADULT_AT_RISK,
        SubjectCategory.SIBLING,
        SubjectCategory.PARENT_CARER,
        SubjectCategory.FAMILY_MEMBER,
        SubjectCategory.HOUSEHOLD_MEMBER,
        SubjectCategory.NOTIFIER,
        SubjectCategory.OTHER,
    }
)


class RegisterSubject(Command, frozen=True, kw_only=True, tag="register-subject"):
    subject_id: str
    category: SubjectCategory
    name: str
    date_of_birth: date | None = None
    address: str | None = None
    school: str | None = None
    record_number: str | None = None
    other_names: tuple[str, ...] = ()  # also known as: other names the person is known by


class SubjectRegistered(DomainEvent, frozen=True, kw_only=True, tag="subject.registered"):
    subject_id: str
    category: SubjectCategory
    name: Personal
    date_of_birth: Personal | None = None
    address: Personal | None = None
    school: Personal | None = None
    record_number: Personal | None = None
    at: datetime
    other_names: tuple[Personal, ...] = ()


class AmendSubjectIdentifiers(Command, frozen=True, kw_only=True, tag="amend-subject-identifiers"):
    """Replace some of a subject's identifiers; a field left out (None) stays as it was.

    Each list given replaces the whole list (an empty list clears it), so a previous address
    that still identifies the person is kept by giving it again.
    """

    subject_id: str
    reason: str  # why the identifiers change, e.g. "moved house in March 2026"
    name: str | None = None
    other_names: tuple[str, ...] | None = None
    dates_of_birth: tuple[date, ...] | None = None
    addresses: tuple[str, ...] | None = None
    schools: tuple[str, ...] | None = None
    record_numbers: tuple[str, ...] | None = None


class SubjectIdentifiersAmended(DomainEvent, frozen=True, kw_only=True, tag="subject.identifiers-amended"):
    """The identifiers that now hold, for each field amended; None: that field is unchanged."""

    subject_id: str
    reason: Personal
    name: Personal | None = None
    other_names: tuple[Personal, ...] | None = None
    dates_of_birth: tuple[Personal, ...] | None = None
    addresses: tuple[Personal, ...] | None = None
    schools: tuple[Personal, ...] | None = None
    record_numbers: tuple[Personal, ...] | None = None
    at: datetime


class DataSubject(Aggregate):
    kind = "data subject"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.subject_id: str | None = None
        self.category: SubjectCategory | None = None
        self.amendments = 0
        self.disposed = False

    def _authorise(self, command: Command, by: Acting) -> None:
        step = STEPS[type(command)]
        require_any_role(by, step.roles, action=step.doing, record=self.reference)

    @handles(RegisterSubject)
    def register(self, command: RegisterSubject, by: Acting, at: datetime) -> None:
        self._authorise(command, by)
        if self.version:
            raise RuleViolation(
                "this data subject is already registered", rule="register", record=self.reference
            )
        check_subject_id(command.subject_id)
        if not command.name.strip():
            raise InvalidInput("name", "must not be empty")
        sid = command.subject_id
        other_names = _texts("other_names", command.other_names)

        def item(value: str | None, kind: ItemKind) -> Personal | None:
            return None if value is None else personal(value, sid, kind=kind)

        self._record(
            SubjectRegistered(
                subject_id=sid,
                category=command.category,
                name=personal(command.name, sid, kind=ItemKind.NAME),
                date_of_birth=item(
                    command.date_of_birth.isoformat() if command.date_of_birth else None,
                    ItemKind.DATE_OF_BIRTH,
                ),
                address=item(command.address, ItemKind.ADDRESS),
                school=item(command.school, ItemKind.SCHOOL),
                record_number=item(command.record_number, ItemKind.RECORD_NUMBER),
                at=at,
                other_names=tuple(personal(n, sid, kind=ItemKind.NAME) for n in other_names),
            )
        )

    @handles(AmendSubjectIdentifiers)
    def amend(self, command: AmendSubjectIdentifiers, by: Acting, at: datetime) -> None:
        self._authorise(command, by)
        if self.subject_id is None:
            raise RuleViolation(
                "this data subject is not registered, so there is nothing to amend",
                rule="amend",
                record=self.reference,
            )
        if command.subject_id != self.subject_id:
            raise InvalidInput("subject_id", f"must be the subject of this record ({self.subject_id})")
        if self.disposed:
            raise RuleViolation(
                "this data subject's register entry has been disposed of", rule="amend", record=self.reference
            )
        if not command.reason.strip():
            raise InvalidInput("reason", "must not be empty")
        if command.name is not None and not command.name.strip():
            raise InvalidInput("name", "must not be empty")
        lists = (
            command.other_names,
            command.dates_of_birth,
            command.addresses,
            command.schools,
            command.record_numbers,
        )
        if command.name is None and all(value is None for value in lists):
            raise InvalidInput("name", "an amendment changes at least one identifier")
        sid = self.subject_id

        def items(field: str, values: Iterable[str] | None, kind: ItemKind) -> tuple[Personal, ...] | None:
            if values is None:
                return None
            return tuple(personal(v, sid, kind=kind) for v in _texts(field, tuple(values)))

        dates = command.dates_of_birth
        self._record(
            SubjectIdentifiersAmended(
                subject_id=sid,
                reason=personal(command.reason, sid),
                name=None if command.name is None else personal(command.name, sid, kind=ItemKind.NAME),
                other_names=items("other_names", command.other_names, ItemKind.NAME),
                dates_of_birth=items(
                    "dates_of_birth",
                    None if dates is None else (d.isoformat() for d in dates),
                    ItemKind.DATE_OF_BIRTH,
                ),
                addresses=items("addresses", command.addresses, ItemKind.ADDRESS),
                schools=items("schools", command.schools, ItemKind.SCHOOL),
                record_numbers=items("record_numbers", command.record_numbers, ItemKind.RECORD_NUMBER),
                at=at,
            )
        )

    def when(self, event: DomainEvent) -> None:
        match event:
            case SubjectRegistered():
                self.subject_id = event.subject_id
                self.category = event.category
            case SubjectIdentifiersAmended():
                self.amendments += 1
            case PersonalDataDisposed():
                self.disposed = True
            case _:
                pass  # later events change nothing here


#: Who may register a data subject and amend their identifiers.
REGISTRARS: tuple[Role, ...] = (
    Role.CPC_OFFICER,
    Role.PARTNERSHIP_LEAD,
    Role.HEAD_OF_SAFEGUARDING,
    Role.SOCIAL_WORKER,
    Role.LINE_MANAGER,
    Role.IG_OFFICER,
    Role.REVIEWER,
    Role.LEAD_REVIEWER,
    Role.ADMINISTRATOR,
)

#: Who may record each step of a subject's register entry, and the step in an officer's words.
STEPS: dict[type[Command], Step] = {
    RegisterSubject: Step(REGISTRARS, "registering a data subject"),
    AmendSubjectIdentifiers: Step(REGISTRARS, "amending a data subject's identifiers"),
}


def _texts(field: str, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if not value.strip():
            raise InvalidInput(field, "must not hold an empty value")
    return tuple(dict.fromkeys(values))


class SubjectIdentifiers(msgspec.Struct, frozen=True, kw_only=True):
    """A subject's identifiers as they hold now, each a sealed item (value None when not unsealed)."""

    subject_id: str
    category: SubjectCategory
    name: Personal
    other_names: tuple[Personal, ...] = ()
    dates_of_birth: tuple[Personal, ...] = ()
    addresses: tuple[Personal, ...] = ()
    schools: tuple[Personal, ...] = ()
    record_numbers: tuple[Personal, ...] = ()
    amended: int = 0  # how many amendments are folded in

    def items(self) -> tuple[Personal, ...]:
        """Every identifier, name first."""
        return (
            self.name,
            *self.other_names,
            *self.dates_of_birth,
            *self.addresses,
            *self.schools,
            *self.record_numbers,
        )


def current_identifiers(events: Iterable[DomainEvent]) -> SubjectIdentifiers | None:
    """The registration with every later amendment applied; None when the stream holds no registration."""
    current: SubjectIdentifiers | None = None
    for event in events:
        if isinstance(event, SubjectRegistered):

            def one(item: Personal | None) -> tuple[Personal, ...]:
                return () if item is None else (item,)

            current = SubjectIdentifiers(
                subject_id=event.subject_id,
                category=event.category,
                name=event.name,
                other_names=event.other_names,
                dates_of_birth=one(event.date_of_birth),
                addresses=one(event.address),
                schools=one(event.school),
                record_numbers=one(event.record_number),
            )
        elif isinstance(event, SubjectIdentifiersAmended) and current is not None:
            changes: dict[str, object] = {
                field: getattr(event, field)
                for field in (
                    "name",
                    "other_names",
                    "dates_of_birth",
                    "addresses",
                    "schools",
                    "record_numbers",
                )
                if getattr(event, field) is not None
            }
            current = msgspec.structs.replace(current, amended=current.amended + 1, **changes)
    return current


def subject_stream(subject_id: str) -> str:
    return SUBJECT_PREFIX + subject_id


def check_subject_id(subject_id: str) -> None:
    if (
        not subject_id.startswith("S-")
        or not 3 <= len(subject_id) <= 40
        or not all(c.isalnum() or c == "-" for c in subject_id)
    ):
        raise InvalidInput("subject_id", "must look like S-xxxx (letters, digits and '-')")
