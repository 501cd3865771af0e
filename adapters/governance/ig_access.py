"""Reading personal data to answer an information-governance request: checked, and logged first.

Answering a subject access or FOI request means opening sealed personal data. Only an
information-governance officer may do it, for a named request; every read, granted or
refused, is written to the access log (purpose `ig-request`, the request's reference) before
anything is opened, with one id for all the reads of one pack or notice.
"""

from __future__ import annotations

import re
import uuid

from adapters.app.application import Application
from adapters.app.authority import Purpose, ReadRefused, View
from adapters.app.views import require_verified
from adapters.governance.access_log import record_access
from adapters.store.ledger import Recorded
from domain.kernel.errors import InvalidInput
from domain.kernel.roles import Role

_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,59}")


def check_reference(reference: str) -> str:
    """A request's reference: letters, digits and '-', at most 60 characters (e.g. SAR-2026-014)."""
    if not _REFERENCE.fullmatch(reference):
        raise InvalidInput(
            "reference", "must be letters, digits and '-', at most 60 characters, e.g. SAR-2026-014"
        )
    return reference


def new_read_id() -> str:
    """The id that ties together the access-log rows of one pack or notice."""
    return uuid.uuid4().hex


class RequestReader:
    """Opens records for one officer answering one request; each record is logged once, before it is read."""

    def __init__(self, app: Application, *, actor: str, request: str) -> None:
        self.app = app
        self.actor = actor
        self.request = request
        self.read_id = new_read_id()
        self._read: dict[str, list[Recorded]] = {}

    def events(self, stream: str) -> list[Recorded]:
        """The record's events with their personal values (those not disposed of)."""
        if stream not in self._read:
            self.allow(stream)
            events = self.app.ledger.read(stream, unseal=True)
            require_verified(stream, events)  # nothing is disclosed from an event that is not as signed
            self._read[stream] = events
        return self._read[stream]

    @property
    def records_read(self) -> tuple[str, ...]:
        return tuple(self._read)

    def allow(self, stream: str) -> None:
        """Write the read to the access log; refuse (logged as refused) anyone but an IG officer."""
        by = self.app.acting(self.actor)
        granted = Role.IG_OFFICER in by.roles
        record_access(
            self.app,
            actor=self.actor,
            record=stream,
            view=View.PERSONAL,
            granted=granted,
            request_id=self.read_id,
            purpose=Purpose.IG_REQUEST,
            ig_request=self.request,
        )
        if not granted:
            raise ReadRefused(
                self.actor,
                f"a person holding {Role.IG_OFFICER.value}",
                f"personal data for the purpose {Purpose.IG_REQUEST} ({self.request})",
                stream,
            )
