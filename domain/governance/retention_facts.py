"""What the retention schedule needs to know about each record, read from the record's own events.

- **Its class** (DOMAIN.md §6): a National Learning Review file is a Learning Review (kept
  permanently), unless the committee decided not to proceed and never decided to proceed,
  when it is a notification that did not proceed; a mini, panel or single-agency review; a
  subject access or FOI request file; a data subject's register entry. The registry, the
  schedule itself and the access log are not under the schedule.
- **When its triggers happened**: closure, the decision not to proceed, the response sent to
  a requester, and the last activity (the last step recorded, other than a disposal).
- **The hold an open request places** on the records it covers (DPA 2018 s.173): an open
  subject access request holds the records it searched; an FOI request holds the records its
  information was identified in while it is open, or while a review or an appeal to the
  Commissioner is undecided.

Pure functions over events and their recorded times: the adapter reads the log and asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import msgspec

from domain.governance.disposal import PersonalDataDisposed
from domain.governance.foi.file import FOI_STREAM_PREFIX
from domain.governance.foi.request import FoiRequest
from domain.governance.foi.steps import FoiClosed, FoiResponseSent
from domain.governance.retention import HoldKind, LegalHold, RecordClass, Trigger, open_request_hold
from domain.governance.sar.request import SAR_STREAM_PREFIX, SubjectAccessRequest
from domain.governance.sar.steps import ResponseSent, SarClosed
from domain.kernel.event import DomainEvent
from domain.routes.mini.events import MiniReviewClosed
from domain.routes.national.events import DecisionNotToProceedRecorded, DecisionToProceedRecorded
from domain.routes.national.events_reporting import ReviewClosed
from domain.routes.panel.events import CaseClosed, CaseClosedV2
from domain.routes.single_agency.events import DecisionNotToProceedRecorded as SingleDecisionNotToProceed
from domain.routes.single_agency.events import SingleAgencyReviewClosed

#: The first part of an event's stable name, for the records the schedule covers.
_CLASS_OF_PREFIX: dict[str, RecordClass] = {
    "mini": RecordClass.MINI_REVIEW,
    "panel": RecordClass.PANEL_REVIEW,
    "single": RecordClass.SINGLE_AGENCY_REVIEW,
    "sar": RecordClass.SAR_FILE,
    "foi": RecordClass.FOI_FILE,
    "subject": RecordClass.SUBJECT_RECORD,
}


class Stamped(msgspec.Struct, frozen=True, kw_only=True):
    """One event of a record, with the time it was recorded."""

    event: DomainEvent
    type: str  # its stable name
    time: datetime
    sealed: bool = False  # it holds sealed personal data


class RecordFacts(msgspec.Struct, frozen=True, kw_only=True):
    record: str
    record_class: RecordClass
    triggers: dict[Trigger, date]
    disposed_on: date | None = None  # its personal data was disposed of, and none recorded since


def record_facts(record: str, events: Sequence[Stamped]) -> RecordFacts | None:
    """The record's class and trigger dates; None for a record the schedule does not cover."""
    if not events:
        return None
    prefix = events[0].type.split(".", 1)[0]
    if prefix == "national":
        record_class = _national_class(events)
    elif prefix in _CLASS_OF_PREFIX:
        record_class = _CLASS_OF_PREFIX[prefix]
    else:
        return None
    triggers: dict[Trigger, date] = {}
    for stamped in events:
        for trigger, day in _triggered(stamped):
            triggers.setdefault(trigger, day)
    steps = [s for s in events if not isinstance(s.event, PersonalDataDisposed)]
    if steps:
        triggers[Trigger.LAST_ACTIVITY] = steps[-1].time.date()
    disposed_on: date | None = None
    for stamped in events:
        if isinstance(stamped.event, PersonalDataDisposed):
            disposed_on = stamped.time.date()
        elif stamped.sealed:
            disposed_on = None
    return RecordFacts(record=record, record_class=record_class, triggers=triggers, disposed_on=disposed_on)


def _national_class(events: Sequence[Stamped]) -> RecordClass:
    proceeded = any(isinstance(s.event, DecisionToProceedRecorded) for s in events)
    declined = any(isinstance(s.event, DecisionNotToProceedRecorded) for s in events)
    return (
        RecordClass.NOTIFICATION_NOT_PROCEEDED if declined and not proceeded else RecordClass.LEARNING_REVIEW
    )


def _triggered(stamped: Stamped) -> list[tuple[Trigger, date]]:
    event = stamped.event
    match event:
        case ReviewClosed() | MiniReviewClosed() | SingleAgencyReviewClosed() | SarClosed() | FoiClosed():
            return [(Trigger.CLOSURE, event.closed_on)]
        case CaseClosed() | CaseClosedV2():
            return [(Trigger.CLOSURE, event.at.date())]
        case DecisionNotToProceedRecorded():
            return [(Trigger.DECISION_NOT_TO_PROCEED, event.decided_on)]
        case SingleDecisionNotToProceed():
            return [(Trigger.DECISION_NOT_TO_PROCEED, event.discussed_on)]
        case ResponseSent():
            return [(Trigger.RESPONSE_SENT, event.sent_on)]
        case FoiResponseSent():
            return [(Trigger.RESPONSE_SENT, event.responded_on)]
    return []


def request_hold(record: str, events: Sequence[DomainEvent]) -> LegalHold | None:
    """The hold a subject access or FOI request file places on the records it covers, if any now."""
    if record.startswith(SAR_STREAM_PREFIX):
        sar = SubjectAccessRequest.replay(record, events)
        if not sar.is_open or sar.received_on is None or not sar.records_in_scope:
            return None
        reference = record.removeprefix(SAR_STREAM_PREFIX)
        return open_request_hold(HoldKind.OPEN_SAR, reference, sar.records_in_scope, sar.received_on)
    if record.startswith(FOI_STREAM_PREFIX):
        foi = FoiRequest.replay(record, events)
        if foi.received_on is None or not foi.records_in_scope:
            return None
        reference = record.removeprefix(FOI_STREAM_PREFIX)
        if foi.is_open:
            return open_request_hold(HoldKind.OPEN_FOI, reference, foi.records_in_scope, foi.received_on)
        reviewing = foi.review is not None and foi.review_decided_on is None
        appealing = foi.appealed_on is not None and foi.commissioner_decided_on is None
        if reviewing or appealing:
            # FOISA s.20 and s.47: the information stays until the review or appeal is decided.
            return LegalHold(
                hold_id=reference,
                kind=HoldKind.REVIEW_OR_APPEAL,
                records=foi.records_in_scope,
                placed_on=foi.received_on,
                reference=reference,
            )
    return None
