"""The information-governance records as the application keeps them.

A subject access request file is `domain.governance.sar.request.SubjectAccessRequest`, stored under
`sar-<REF>`; an FOI request file is `domain.governance.foi.request.FoiRequest`, under `foi-<REF>`.
Both count on a calendar of Scottish bank holidays (FOISA's working days; a SAR deadline on
a weekend or bank holiday moves to the next working day), so the application makes each
class once, here, and every part of the system
(the authority table, the record kinds, the services) uses this one class.
"""

from __future__ import annotations

from adapters.app.holiday_calendar import ScottishBankHolidays
from domain.governance.foi.file import FOI_STREAM_PREFIX, foi_stream
from domain.governance.foi.request import FoiRequest
from domain.governance.sar.request import SAR_STREAM_PREFIX, SubjectAccessRequest, sar_stream

__all__ = [
    "FOI_STREAM_PREFIX",
    "SAR_STREAM_PREFIX",
    "FoiRecord",
    "SarRecord",
    "foi_stream",
    "sar_stream",
]

#: An FOI request file counting FOISA working days on the Scottish calendar (s.73).
FoiRecord = FoiRequest.using(ScottishBankHolidays())

#: A subject access request file, its deadlines moved off weekends and Scottish bank holidays.
SarRecord = SubjectAccessRequest.using(ScottishBankHolidays())
