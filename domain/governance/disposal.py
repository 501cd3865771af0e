"""Disposal of a record's personal data, recorded in the record's own stream.

Disposal is crypto-shredding (DESIGN.md): the record's data key and ciphertext are
destroyed, and this signed event says when, under which rule and on whose authority.
The rest of the record, and every signature, stays verifiable.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.event import DomainEvent


class PersonalDataDisposed(DomainEvent, frozen=True, kw_only=True, tag="record.personal-data-disposed"):
    """Every sealed personal-data item of the record before this event is gone for good."""

    rule: str  # the retention rule or legal ground, e.g. "retention: notification not proceeded, 6 years"
    authorised_by: str  # actor id of the person who authorised the disposal
    at: datetime
    reason: str = ""
