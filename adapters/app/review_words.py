"""A review's words and people's names for one page view: the need-to-know table decides, the read is logged once.

The decision trail and the review page show the words of what was recorded (a decision's basis,
the chronology, the terms of reference, the report) and people by name, but only to a reader the
need-to-know table (`domain/governance/need_to_know.py`) gives the review: its team, its route's committee,
the COG (the bases of decisions and the reports presented to it), an inspector. The table is
applied once per page view by `adapters/app/need_to_know.py`, which signs the read into the reader's
access log, or writes the refusal there, before anything is shown. Anyone else reads the page
with the words withheld and is told why.

Names come from the records themselves: a person on a review's team is named in the event that
appointed them, and each person who records steps is named in the registry of people and keys.
The registry's names read are signed into the same logged read as the review's own items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import msgspec

from adapters.app.application import Application
from adapters.app.need_to_know import PERSONAL_VIEW, read_personal
from adapters.app.register import items_read, read_subject
from adapters.governance.access_log import RecordRead, record_reads
from adapters.governance.subjects import may_read_identifiers
from adapters.store.reading import Recorded
from domain.governance.access import ReadPurpose
from domain.governance.need_to_know import NeedToKnowRefused
from domain.governance.subjects import subject_stream
from domain.kernel.event import ItemKind, Personal
from domain.kernel.registry import REGISTRY_STREAM, ActorRegistered
from domain.kernel.roles import Role
from projections.subjects import item_at, personal_items

DISPOSED = "disposed of"
WITHHELD = "withheld"

_SUBJECT_ID = re.compile(r"\bS-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")


class Words(msgspec.Struct, frozen=True, kw_only=True):
    """What one reader may read of one review, as this page view found it.

    `opened` holds the review's events by version with the values the reader may read (empty when
    refused); `names` maps a subject id or an actor id to the person's name; `refused` says why the
    words are withheld (empty when they are not).
    """

    record: str
    opened: dict[int, Recorded]
    names: dict[str, str]
    refused: str = ""

    @property
    def granted(self) -> bool:
        return not self.refused

    def text(self, version: int, path: str) -> str | None:
        """The words at `path` of the event at `version`; "disposed of" or "withheld" if not readable; None if refused."""
        if self.refused:
            return None
        recorded = self.opened.get(version)
        if recorded is None or recorded.altered is not None:
            return WITHHELD
        item = item_at(recorded.event, path)
        if item is not None and item.value is not None:
            return item.value
        return DISPOSED if recorded.disposed is not None else WITHHELD

    def named(self, who: str) -> str:
        """ "Name (id)" when the name may be read, else the id."""
        found = self.names.get(who)
        return f"{found} ({who})" if found else who

    def with_names(self, text: str) -> str:
        """`text` with each subject id in it given the person's name, where the reader may read it."""
        return _SUBJECT_ID.sub(lambda m: self.named(m[0]), text) if self.names else text


def read_words(
    app: Application, actor: str, record: str, *, view: str = PERSONAL_VIEW, request_id: str = ""
) -> Words:
    """The review's words and names for `actor`, decided and logged once; a refusal is logged and said, not raised."""
    purpose = ReadPurpose.INSPECTION if Role.INSPECTOR in app.acting(actor).roles else ReadPurpose.REVIEW
    registry: list[Recorded] = []  # unsealed only once the read is granted

    def names_read(opened: list[Recorded]) -> list[RecordRead]:
        registry.extend(app.ledger.read(REGISTRY_STREAM, unseal=True))
        return _names_read(registry, _actors(opened))

    try:
        events = read_personal(app, actor, record, purpose, view=view, request_id=request_id, also=names_read)
    except NeedToKnowRefused as refused:
        return Words(record=record, opened={}, names={}, refused=refused.why)
    people = _actor_names(registry, _actors(events))
    # A team member who uses the system is named by the registry too, where the review's own
    # statement of their name is withheld from the reader (the COG reads the bases, not the team).
    members = {subject: people[actor] for subject, actor in _members(events) if actor in people}
    names = {**people, **members, **subject_names(events)}
    return Words(record=record, opened={r.version: r for r in events}, names=names)


def subject_names(events: Iterable[Recorded]) -> dict[str, str]:
    """Each subject's name as the events state it (the latest statement), where the reader may read it."""
    found: dict[str, str] = {}
    for recorded in events:
        if recorded.altered is not None:
            continue
        for _path, item in personal_items(recorded.event):
            if _is_a_name(item) and item.value is not None:
                found[item.about[0]] = item.value
    return found


def _is_a_name(item: Personal) -> bool:
    return item.kind is ItemKind.NAME and len(item.about) == 1


def _actors(events: Sequence[Recorded]) -> set[str]:
    """Everyone the review's events name as an actor: who recorded each step, who was appointed."""
    found = {r.actor for r in events}
    for r in events:
        found.update(_appointed(r.event))
    return found


def _appointed(value: object) -> Iterable[str]:
    actor = getattr(value, "actor_id", None)
    if isinstance(actor, str):
        yield actor
    for name in getattr(value, "__struct_fields__", ()):
        field = getattr(value, name)
        if isinstance(field, msgspec.Struct):
            yield from _appointed(field)
        elif isinstance(field, tuple):
            for item in field:
                if isinstance(item, msgspec.Struct):
                    yield from _appointed(item)


def _members(events: Sequence[Recorded]) -> Iterable[tuple[str, str]]:
    """(subject id, actor id) of each team member appointed with an account."""
    for r in events:
        event = r.event
        actor = getattr(event, "actor_id", None)
        member = getattr(getattr(event, "member", None), "subject_id", None)
        if isinstance(actor, str) and isinstance(member, str):
            yield member, actor  # national: the member's record beside the event's account
        for name in getattr(event, "__struct_fields__", ()):
            for item in getattr(event, name) if isinstance(getattr(event, name), tuple) else ():
                subject, account = getattr(item, "subject_id", None), getattr(item, "actor_id", None)
                if isinstance(subject, str) and isinstance(account, str):
                    yield subject, account  # mini: each member with their own account


def _actor_names(registry: Sequence[Recorded], actors: set[str]) -> dict[str, str]:
    return {
        r.event.actor_id: r.event.name.value
        for r in registry
        if isinstance(r.event, ActorRegistered) and r.event.actor_id in actors and r.event.name.value
    }


def _names_read(registry: Sequence[Recorded], actors: set[str]) -> list[RecordRead]:
    """The registry's names of `actors`, as one read for the access log (none if no name is read)."""
    read = [r for r in registry if isinstance(r.event, ActorRegistered) and r.event.actor_id in actors]
    fields = tuple(f for f in items_read(read) if f.endswith(":name"))
    return [RecordRead(record=REGISTRY_STREAM, fields=fields)] if fields else []


def names_of(
    app: Application,
    reader: str,
    *,
    actors: Iterable[str] = (),
    subjects: Iterable[str] = (),
    view: str,
) -> dict[str, str]:
    """People's names for a page that lists them by id (the access log): the read is logged once.

    Everyone who may open such a page reads the names of the people who use the system (the
    registry's); a data subject's name only a person who may keep the register of data subjects
    reads (`adapters/governance/subjects.py`). The names read are signed into the reader's access log, purpose
    "register", before they are shown.
    """
    wanted = set(actors)
    registry = [
        r
        for r in app.ledger.read(REGISTRY_STREAM, unseal=True)
        if isinstance(r.event, ActorRegistered) and r.event.actor_id in wanted
    ]
    names = _actor_names(registry, wanted)
    reads = _names_read(registry, wanted)
    if may_read_identifiers(app.acting(reader)):
        for subject_id in sorted(set(subjects)):
            found = read_subject(app.ledger, subject_stream(subject_id))
            if found is None or found.disposed or found.identifiers.name.value is None:
                continue
            names[subject_id] = found.identifiers.name.value
            fields = tuple(f for f in found.fields if f.partition(":")[2] == "name")
            reads.append(RecordRead(record=found.stream, fields=fields, subjects=(subject_id,)))
    record_reads(app, reader=reader, purpose=ReadPurpose.REGISTER, view=view, reads=reads)
    return names
