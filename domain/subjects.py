"""The register of data subjects: the people the records are about or by.

Each person gets an opaque id (e.g. `S-3f9a1c`); every personal-data item in every
record names the ids it is about. Their identifying details are themselves personal
data, sealed like any other. One stream per subject, so one person's register entry
can be disposed of on its own.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from domain.aggregate import Aggregate
from domain.command import Command, handles
from domain.errors import InvalidInput, RuleViolation
from domain.event import DomainEvent, ItemKind, Personal, personal
from domain.roles import Acting, Role, require_any_role

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


class SubjectRegistered(DomainEvent, frozen=True, kw_only=True, tag="subject.registered"):
    subject_id: str
    category: SubjectCategory
    name: Personal
    date_of_birth: Personal | None = None
    address: Personal | None = None
    school: Personal | None = None
    record_number: Personal | None = None
    at: datetime


class DataSubject(Aggregate):
    kind = "data subject"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.subject_id: str | None = None
        self.category: SubjectCategory | None = None

    @handles(RegisterSubject)
    def register(self, command: RegisterSubject, by: Acting, at: datetime) -> None:
        require_any_role(
            by,
            (
                Role.CPC_OFFICER,
                Role.PARTNERSHIP_LEAD,
                Role.HEAD_OF_SAFEGUARDING,
                Role.SOCIAL_WORKER,
                Role.LINE_MANAGER,
                Role.IG_OFFICER,
                Role.REVIEWER,
                Role.LEAD_REVIEWER,
                Role.ADMINISTRATOR,
            ),
            action="registering a data subject",
            record=self.reference,
        )
        if self.version:
            raise RuleViolation(
                "this data subject is already registered", rule="register", record=self.reference
            )
        check_subject_id(command.subject_id)
        if not command.name.strip():
            raise InvalidInput("name", "must not be empty")
        sid = command.subject_id

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
            )
        )

    def when(self, event: DomainEvent) -> None:
        match event:
            case SubjectRegistered():
                self.subject_id = event.subject_id
                self.category = event.category
            case _:
                pass  # disposal and later events change nothing here


def subject_stream(subject_id: str) -> str:
    return SUBJECT_PREFIX + subject_id


def check_subject_id(subject_id: str) -> None:
    if (
        not subject_id.startswith("S-")
        or not 3 <= len(subject_id) <= 40
        or not all(c.isalnum() or c == "-" for c in subject_id)
    ):
        raise InvalidInput("subject_id", "must look like S-xxxx (letters, digits and '-')")
