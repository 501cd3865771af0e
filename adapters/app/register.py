"""The register of data subjects as the system reads it: every subject's identifiers as they hold now.

`read_register` unseals each subject's stream and folds the registration with every amendment
(`domain.governance.subjects.current_identifiers`). Publication checks and the detector that runs over
each step's words use it; it shows nothing to a person, so it logs no read (the services in
`adapters/governance/subjects.py` that show identifiers to a person log theirs).

`RegisterDetector` keeps the detector over the register between steps and reads again only the
subjects registered, amended or disposed of since it last looked, so a step does not unseal every
subject's stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

from adapters.store.ledger import Ledger
from adapters.store.reading import Recorded
from domain.governance.disposal import PersonalDataDisposed
from domain.governance.identifiers import Detector, Identifiers
from domain.governance.naming import FindsSubjects
from domain.governance.subjects import (
    SUBJECT_PREFIX,
    SubjectIdentifiers,
    SubjectIdentifiersAmended,
    SubjectRegistered,
    current_identifiers,
)
from domain.kernel.event import Personal, type_name
from projections.subjects import personal_items

REGISTER_TOPICS = (
    type_name(SubjectRegistered),
    type_name(SubjectIdentifiersAmended),
    type_name(PersonalDataDisposed),
)


class RegisteredSubject(msgspec.Struct, frozen=True, kw_only=True):
    """One subject's identifiers as they hold now, unsealed, with the items reading them opened."""

    stream: str
    identifiers: SubjectIdentifiers
    disposed: bool
    fields: tuple[str, ...]  # `<version>:<path>` of every item whose value was read


def items_read(events: Iterable[Recorded]) -> tuple[str, ...]:
    """The `<version>:<path>` of every personal item whose value an unsealed read holds."""
    return tuple(
        f"{r.version}:{path}"
        for r in events
        for path, item in personal_items(r.event)
        if item.value is not None
    )


def subject_streams(ledger: Ledger, after: int = 0) -> tuple[list[str], int]:
    """The subject streams registered, amended or disposed of after notification `after`, and how far
    the log was looked at (so the next look starts there, not at the last subject's event)."""
    top = ledger.db.recorder.max_notification_id() or 0
    streams: dict[str, None] = {}
    for n in ledger.iter_notifications(after, topics=REGISTER_TOPICS):
        stream = str(n.originator_id)
        if stream.startswith(SUBJECT_PREFIX):
            streams[stream] = None
        top = max(top, n.id)
    return list(streams), top


def read_subject(ledger: Ledger, stream: str, *, unseal: bool = True) -> RegisteredSubject | None:
    recorded: list[Recorded] = ledger.read(stream, unseal=unseal)
    identifiers = current_identifiers(r.event for r in recorded)
    if identifiers is None:
        return None
    return RegisteredSubject(
        stream=stream,
        identifiers=identifiers,
        disposed=any(r.disposed is not None for r in recorded),
        fields=items_read(recorded),
    )


def read_register(ledger: Ledger) -> list[RegisteredSubject]:
    """Every registered subject's current identifiers, unsealed (a disposed entry's values are None)."""
    found = (read_subject(ledger, stream) for stream in subject_streams(ledger)[0])
    return [s for s in found if s is not None]


def identifiers_of(subject: RegisteredSubject) -> Identifiers | None:
    """The detector's view of one subject; None once their register entry is disposed of."""
    if subject.disposed:
        return None
    ids = subject.identifiers

    def values(items: Iterable[Personal]) -> tuple[str, ...]:
        return tuple(i.value for i in items if i.value is not None and i.value.strip())

    return Identifiers(
        subject=ids.subject_id,
        category=ids.category,
        names=values((ids.name,)),
        other_names=values(ids.other_names),
        dates_of_birth=values(ids.dates_of_birth),
        addresses=values(ids.addresses),
        schools=values(ids.schools),
        record_numbers=values(ids.record_numbers),
    )


def register_detector(subjects: Iterable[RegisteredSubject]) -> Detector:
    """The identifier detector over every subject on the register, as their identifiers hold now."""
    return Detector([i for i in map(identifiers_of, subjects) if i is not None])


class RegisterDetector:
    """The detector over the register, kept between steps and built again only when the register changed.

    `finder` is lazy: a step with no narrative text to check (a registration, a date) reads nothing.
    """

    def __init__(self) -> None:
        self._subjects: dict[str, RegisteredSubject] = {}
        self._seen = 0
        self._built: Detector | None = None

    def current(self, ledger: Ledger) -> Detector:
        changed, self._seen = subject_streams(ledger, self._seen)
        for stream in changed:
            subject = read_subject(ledger, stream)
            if subject is not None:
                self._subjects[stream] = subject
        if self._built is None or changed:
            self._built = register_detector(self._subjects.values())
        return self._built

    def finder(self, ledger: Ledger) -> FindsSubjects:
        return _Lazy(lambda: self.current(ledger))


class _Lazy:
    def __init__(self, build: Callable[[], Detector]) -> None:
        self._build = build
        self._detector: Detector | None = None

    def subjects_in(self, text: str, *, exclude: Iterable[str] = ()) -> set[str]:
        if self._detector is None:
            self._detector = self._build()
        return self._detector.subjects_in(text, exclude=exclude)
