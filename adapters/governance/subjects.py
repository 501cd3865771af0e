"""The register of data subjects as a service: register, amend, list and show, and read it for checks.

Registering and amending are commands on a subject's own stream (`domain/governance/subjects.py`), run
through `Application.execute` like every other step. Reading a subject's identifiers is a read
of their personal data: the reader must be one who may keep the register (the roles the
command table gives `register-subject`), and the read is signed into the reader's access log
(purpose `register`) before anything is shown. Anyone else may list the register's ids and
categories, which hold no personal value.

`read_register` is the system's own read of every subject's identifiers as they hold now
(registration with every amendment applied): publication checks and the detector that runs
over each command's words use it. It shows nothing to a person, so it logs no read.
"""

from __future__ import annotations

from datetime import date

import msgspec

from adapters.app.application import Application
from adapters.app.authority import COMMANDS, ReadRefused
from adapters.app.register import RegisteredSubject, read_subject, subject_streams
from adapters.governance.access_log import RecordRead, record_reads
from adapters.governance.request_list import receipt_page
from domain.governance.access import ReadPurpose
from domain.governance.subjects import (
    AmendSubjectIdentifiers,
    DataSubject,
    RegisterSubject,
    SubjectCategory,
    SubjectRegistered,
    subject_stream,
)
from domain.kernel.errors import InvalidInput, RecordNotFound
from domain.kernel.event import Personal, type_name
from domain.kernel.roles import Acting

VIEW = "register"


class RegisterEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One subject on the register: id and category always; identifiers only for those entitled."""

    subject_id: str
    category: SubjectCategory
    amendments: int
    disposed: bool
    name: str | None = None
    other_names: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    record_numbers: tuple[str, ...] = ()


# -- people using the register ----------------------------------------------------------------------


def may_read_identifiers(by: Acting) -> bool:
    """Whoever may keep the register may read it (the command table's row for `register-subject`)."""
    return bool(COMMANDS[DataSubject]["register-subject"] & by.roles)


def register(app: Application, actor: str, command: RegisterSubject) -> int:
    """Register a subject as `actor`; returns the subject stream's version."""
    record = app.execute(DataSubject, subject_stream(command.subject_id), actor, command)
    return record.version


def amend(app: Application, actor: str, command: AmendSubjectIdentifiers) -> int:
    """Amend a registered subject's identifiers as `actor`; returns the subject stream's version."""
    stream = subject_stream(command.subject_id)
    if not app.ledger.stream_version(stream):
        raise RecordNotFound(DataSubject.kind, command.subject_id)
    record = app.execute(DataSubject, stream, actor, command)
    return record.version


def list_register(app: Application, actor: str) -> list[RegisterEntry]:
    """Every subject; with their identifiers when `actor` may read them (and then the read is logged)."""
    return _entries(app, actor, subject_streams(app.ledger)[0])


class RegisterPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the register in the order people were registered, each entry with its place in it."""

    rows: tuple[tuple[int, RegisterEntry], ...]
    total: int
    earlier: bool
    later: bool


def page_register(
    app: Application, actor: str, *, descending: bool, after: int | None, before: int | None, size: int
) -> RegisterPage:
    """One page of the register, read by keyset on each registration's place in the log; the
    identifiers only of the people on the page are read (and logged) for those who may read them."""
    found = receipt_page(
        app, type_name(SubjectRegistered), descending=descending, after=after, before=before, size=size
    )
    places = {stream: place for place, stream in found.streams}
    entries = _entries(app, actor, [stream for _, stream in found.streams])
    return RegisterPage(
        rows=tuple((places[subject_stream(e.subject_id)], e) for e in entries),
        total=found.total,
        earlier=found.earlier,
        later=found.later,
    )


def _entries(app: Application, actor: str, streams: list[str]) -> list[RegisterEntry]:
    by = app.acting(actor)
    entitled = may_read_identifiers(by)
    entries: list[RegisterEntry] = []
    reads: list[RecordRead] = []
    for stream in streams:
        subject = read_subject(app.ledger, stream, unseal=entitled)
        if subject is None:
            continue
        if entitled and subject.fields:
            reads.append(_read(subject))
        entries.append(_entry(subject, with_values=entitled))
    record_reads(app, reader=actor, purpose=ReadPurpose.REGISTER, view=VIEW, reads=reads)
    return entries


def show(app: Application, actor: str, subject_id: str) -> RegisterEntry:
    """One subject's current identifiers, for a person who may read them; the read is logged first."""
    by = app.acting(actor)
    stream = subject_stream(subject_id)
    if not may_read_identifiers(by):
        raise ReadRefused(
            actor,
            "a person who may keep the register of data subjects",
            "a data subject's identifiers",
            stream,
        )
    subject = read_subject(app.ledger, stream)
    if subject is None:
        raise RecordNotFound(DataSubject.kind, subject_id)
    if subject.fields:
        record_reads(app, reader=actor, purpose=ReadPurpose.REGISTER, view=VIEW, reads=[_read(subject)])
    return _entry(subject, with_values=True)


def _read(subject: RegisteredSubject) -> RecordRead:
    return RecordRead(
        record=subject.stream, fields=subject.fields, subjects=(subject.identifiers.subject_id,)
    )


def _entry(subject: RegisteredSubject, *, with_values: bool) -> RegisterEntry:
    ids = subject.identifiers
    base = RegisterEntry(
        subject_id=ids.subject_id,
        category=ids.category,
        amendments=ids.amended,
        disposed=subject.disposed,
    )
    if not with_values or subject.disposed:
        return base
    return msgspec.structs.replace(
        base,
        name=ids.name.value,
        other_names=_values(ids.other_names),
        dates_of_birth=_values(ids.dates_of_birth),
        addresses=_values(ids.addresses),
        schools=_values(ids.schools),
        record_numbers=_values(ids.record_numbers),
    )


def _values(items: tuple[Personal, ...]) -> tuple[str, ...]:
    return tuple(i.value for i in items if i.value is not None)


def parse_date(field: str, value: str) -> date:
    """An ISO date from the command line or a form, or a one-line error naming the field."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, "must be a date written YYYY-MM-DD") from None
