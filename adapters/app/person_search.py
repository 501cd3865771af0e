"""Finding a person on the register by name, other name or date of birth, for those who answer requests.

An information-governance officer opening a subject access request, or an administrator, finds
the person it concerns here rather than typing a register id. Searching compares the register's
sealed identifiers, so it is a read of personal data: the searcher must hold one of `SEARCHERS`
(refused, and the refusal logged, otherwise), the search itself goes to the access log, and each
person shown is signed into the searcher's access log (purpose `register`) before the results are
returned. The words searched for are never logged: only that a search was made, and whom it showed.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

import msgspec

from adapters.app import views
from adapters.app.application import Application
from adapters.app.authority import ReadRefused
from adapters.app.register import read_register
from adapters.governance.access_log import RecordRead, record_access, record_reads
from domain.governance.access import ReadPurpose
from domain.governance.subjects import SubjectCategory, SubjectIdentifiers
from domain.kernel.errors import InvalidInput
from domain.kernel.event import Personal
from domain.kernel.roles import Role
from projections import queries

SEARCHERS = (Role.IG_OFFICER, Role.ADMINISTRATOR)
VIEW = "register search"
REGISTER_RECORD = "register of data subjects"
MOST = 25  # results shown at once; a search matching more asks for more words
_DATE_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")
# Records whose names are the system's own files, not reviews a person takes part in.
_FILES = ("subject-", "sar-", "foi-", "access-", "documents-")


class PersonFound(msgspec.Struct, frozen=True, kw_only=True):
    """One person on the register a search matched: who they are, and where they appear."""

    subject_id: str
    name: str
    other_names: tuple[str, ...]
    dates_of_birth: tuple[str, ...]
    category: SubjectCategory
    reviews: tuple[str, ...]  # the records holding data about them (reviews, never request files)


class SearchResult(msgspec.Struct, frozen=True, kw_only=True):
    people: tuple[PersonFound, ...]
    more: int  # how many more matched than are shown


def may_search(app: Application, actor: str) -> bool:
    return bool(set(SEARCHERS) & app.acting(actor).roles)


def parse_birth_date(text: str) -> date:
    """A date of birth as people write it: 19/08/1996, 1996-08-19, 19 August 1996."""
    cleaned = " ".join(text.replace(",", " ").split())
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise InvalidInput("date_of_birth", "must be a date, like 19/08/1996 or 19 August 1996")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _name_matches(wanted: list[str], names: list[str]) -> bool:
    """Every word searched for begins a word of one of the person's names."""
    return any(all(any(w.startswith(q) for w in _words(name)) for q in wanted) for name in names)


def _values(items: tuple[Personal, ...]) -> list[str]:
    return [i.value for i in items if i.value is not None]


def search(app: Application, actor: str, *, name: str = "", date_of_birth: str = "") -> SearchResult:
    """Everyone on the register whose name or other name holds every word of `name` (each word the
    start of one of theirs) and, when given, who was born on `date_of_birth`."""
    if len(name) > 200:
        raise InvalidInput("name", "must be at most 200 characters")
    wanted = _words(name)
    born = parse_birth_date(date_of_birth).isoformat() if date_of_birth.strip() else None
    if not wanted and born is None:
        raise InvalidInput("name", "enter a name, another name or a date of birth to search for")
    search_id = uuid.uuid4().hex
    granted = may_search(app, actor)
    record_access(
        app,
        actor=actor,
        record=REGISTER_RECORD,
        view=VIEW,
        granted=granted,
        request_id=search_id,
        purpose=ReadPurpose.REGISTER.value,
    )
    if not granted:
        raise ReadRefused(
            actor,
            "an information-governance officer or an administrator",
            "searching the register of data subjects",
            REGISTER_RECORD,
        )
    matched = []
    for entry in read_register(app.ledger):
        if entry.disposed:
            continue
        ids = entry.identifiers
        names = [n for n in (ids.name.value, *_values(ids.other_names)) if n]
        if wanted and not _name_matches(wanted, names):
            continue
        if born is not None and born not in _values(ids.dates_of_birth):
            continue
        matched.append(entry)
    matched.sort(key=lambda e: ((e.identifiers.name.value or "").casefold(), e.identifiers.subject_id))
    shown = matched[:MOST]
    views.refresh(app)
    record_reads(
        app,
        reader=actor,
        purpose=ReadPurpose.REGISTER,
        view=VIEW,
        reads=[
            RecordRead(record=e.stream, fields=e.fields, subjects=(e.identifiers.subject_id,)) for e in shown
        ],
    )
    return SearchResult(
        people=tuple(_found(app, e.identifiers) for e in shown), more=len(matched) - len(shown)
    )


def _found(app: Application, ids: SubjectIdentifiers) -> PersonFound:
    return PersonFound(
        subject_id=ids.subject_id,
        name=ids.name.value or "",
        other_names=tuple(_values(ids.other_names)),
        dates_of_birth=tuple(_values(ids.dates_of_birth)),
        category=ids.category,
        reviews=records_about(app, ids.subject_id),
    )


def records_about(app: Application, subject_id: str) -> tuple[str, ...]:
    """The records (not the system's own files) holding personal data about the person."""
    with app.db.reader.connect() as conn:
        streams = {i.stream for i in queries.subject_items(conn, subject_id, relation="about")}
    return tuple(sorted(s for s in streams if not s.startswith(_FILES)))
