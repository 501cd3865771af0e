"""Reading personal data to answer an information-governance request: checked, and logged first.

Answering a subject access or FOI request means opening sealed personal data. The need-to-know
table decides (`domain.governance.need_to_know`, through `adapters.app.need_to_know.check_read`): an IG
officer handling the request (who opened it, or whom it was last assigned to), for a record in
its scope, while it is open. Every read, granted or refused, is written to the access log
(purpose `ig-request`, the request's reference) before anything is opened, with one id for all
the reads of one pack or notice.
"""

from __future__ import annotations

import re
import uuid

from adapters.app.application import Application
from adapters.app.authority import Reading
from adapters.app.need_to_know import check_read
from adapters.app.views import require_verified
from adapters.governance.access_log import record_access
from adapters.store.reading import Recorded
from domain.governance.access import ReadPurpose
from domain.governance.ig_handling import AssignOfficers
from domain.kernel.command import Command
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


def check_officers(app: Application, command: Command) -> None:
    """An assignment names registered IG officers only: no one else can handle a request."""
    if not isinstance(command, AssignOfficers):
        return
    registry = app.ledger.registry()
    for officer in command.officers:
        if Role.IG_OFFICER not in registry.roles_of(officer):
            raise InvalidInput("officers", f"each must be a registered IG officer; {officer} is not")


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

    def allow(self, stream: str, *, sent_copy: bool = False) -> None:
        """Ask the need-to-know table (a refusal is logged there, then raised); write the read to the
        access log. `sent_copy`: the read is of a document sent in answer, kept with the file `stream`."""
        granted = check_read(
            self.app,
            self.actor,
            stream,
            ReadPurpose.IG_REQUEST,
            self.request,
            view=Reading.PERSONAL,
            request_id=self.read_id,
            sent_copy=sent_copy,
        )
        record_access(
            self.app,
            actor=self.actor,
            record=stream,
            view=Reading.PERSONAL,
            granted=True,
            request_id=self.read_id,
            purpose=granted.purpose,
            ig_request=self.request,
        )
