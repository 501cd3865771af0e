"""Opening the items of a subject access pack: their words, whom they name, who is in their words.

Every record is opened through the request's reader, so each read is in the access log naming
the request. What opening shows goes to `domain.governance.sar.withholding.decide` as a `Found`:

- whether the words are held: disposed of only when a disposal event took them; an entry of a
  merged chronology recorded by earlier versions (copied without its words) is read from the
  chronology the agency sent, where its words are;
- the people its annotations name (whom it is about, who said it);
- the people whose registered identifiers are in its words, found by the detector over the
  register of every data subject as each entry holds now (the application's, `adapters/app/register.py`),
  with the words that matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from adapters.app.application import Application
from adapters.governance.ig_access import RequestReader
from adapters.store.reading import Disposal, Recorded
from domain.governance.identifiers import Detector, Match
from domain.governance.sar.withholding import Found, Held
from domain.governance.subjects import DataSubject, SubjectCategory, subject_stream
from domain.kernel.event import Personal
from domain.routes.national.conduct import merged_sources
from domain.routes.national.events import ChronologiesMerged, ChronologyReceived
from domain.routes.national.forms import ChronologyEntry
from projections.subjects import item_at

_ITEM_ID = re.compile(r"(?P<stream>[^@]+)@(?P<version>[0-9]+)/(?P<field>.+)")
_MERGED_ENTRY = re.compile(r"entries\[(?P<index>[0-9]+)\]\.what_happened")


def split_item_id(item_id: str) -> tuple[str, int, str] | None:
    """The record, the event's version and the field of an item id, e.g. `LR-2026-001@26/views`."""
    match = _ITEM_ID.fullmatch(item_id)
    return None if match is None else (match["stream"], int(match["version"]), match["field"])


class Categories:
    """The register's category of each person asked about (None when they are not on the register)."""

    def __init__(self, app: Application) -> None:
        self._app = app
        self._known: dict[str, SubjectCategory | None] = {}

    def of(self, subject_id: str) -> SubjectCategory | None:
        if subject_id not in self._known:
            record = self._app.load(DataSubject, subject_stream(subject_id), must_exist=False)
            self._known[subject_id] = record.category
        return self._known[subject_id]

    def of_all(self, people: Iterable[str]) -> dict[str, SubjectCategory | None]:
        return {p: self.of(p) for p in people}


class Opened:
    """One item as opened: the event it is in, its annotations and its words (None when not held)."""

    def __init__(self, recorded: Recorded, item: Personal, disposal: Disposal | None) -> None:
        self.recorded = recorded
        self.item = item
        self.disposal = disposal  # the disposal that took its words, if one did

    @property
    def words(self) -> str | None:
        return self.item.value


class ItemOpener:
    """Opens a pack's items for one request, and says what each shows."""

    def __init__(self, reader: RequestReader, detector: Detector, own: Sequence[str]) -> None:
        self.reader = reader
        self.detector = detector
        self.own = tuple(own)

    def open(self, item_id: str) -> Opened | None:
        parts = split_item_id(item_id)
        if parts is None:
            return None
        stream, version, field = parts
        events = self.reader.events(stream)
        recorded = next((r for r in events if r.version == version), None)
        item = None if recorded is None else item_at(recorded.event, field)
        if recorded is None or item is None:
            return None
        if (
            item.value is None
            and recorded.disposed is None
            and isinstance(recorded.event, ChronologiesMerged)
        ):
            original = _merged_original(events, recorded, field)
            if original is not None:
                source, entry = original
                return Opened(recorded, entry.what_happened, source.disposed)
        return Opened(recorded, item, recorded.disposed)

    def matches(self, opened: Opened) -> list[Match]:
        """Every registered identifier in the item's words that is another person's alone: one the
        requester or the subject shares (a surname, an address) is theirs too."""
        if not opened.words:
            return []
        own = set(self.own)
        return [
            m for m in self.detector.find(opened.words, exclude=self.own) if not own.intersection(m.subjects)
        ]

    def found(self, opened: Opened | None) -> Found:
        if opened is None:
            return Found(held=Held.NOT_FOUND)
        named = (*opened.item.about, *((opened.item.by,) if opened.item.by else ()))
        if opened.words is None:
            return Found(held=Held.DISPOSED if opened.disposal else Held.NOT_FOUND, named=named)
        detected: dict[str, list[str]] = {}
        for match in self.matches(opened):
            for subject in match.subjects:
                detected.setdefault(subject, []).append(match.text)
        return Found(
            named=named,
            detected={s: tuple(dict.fromkeys(words)) for s, words in detected.items()},
        )


def _merged_original(
    events: Sequence[Recorded], merged: Recorded, field: str
) -> tuple[Recorded, ChronologyEntry] | None:
    """The entry as the agency sent it, for an entry of a merged chronology copied without its words."""
    index = _MERGED_ENTRY.fullmatch(field)
    if index is None:
        return None
    received: dict[str, tuple[Recorded, tuple[ChronologyEntry, ...]]] = {}
    for r in events:
        if r.version < merged.version and isinstance(r.event, ChronologyReceived):
            received[r.event.agency] = (r, r.event.entries)
    sources = merged_sources({agency: entries for agency, (_, entries) in received.items()})
    n = int(index["index"])
    if n >= len(sources):
        return None
    source = sources[n]
    recorded, entries = received[source.agency]
    return recorded, entries[source.entry]
