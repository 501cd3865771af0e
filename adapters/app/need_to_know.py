"""Reading a record's personal data: the need-to-know table applied, the read logged, the values opened.

The HTTP API, the pages and the command line all come here; none of them decides who reads what.
The relations `domain.governance.need_to_know.decide` needs are read from the log itself: the review's own
appointment and release events, and the request files a named request may be. A refusal is
written to the access log and logged (record, view, purpose and the part that was missing; never
a value) before it is raised; a granted read is signed into the reader's access log before the
values are returned. The COG's read holds only the bases of decisions and the reports presented
to it: every other personal value stays withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import msgspec
import structlog

from adapters.app.application import Application
from adapters.governance.access_log import RecordRead, items_read, record_access
from adapters.store.reading import Recorded
from domain.governance import need_to_know
from domain.governance.access import ReadPurpose
from domain.governance.need_to_know import Granted, Reach, Reader, RecordRelations, RequestScope
from domain.kernel.errors import InvalidInput, NotAuthorised
from domain.kernel.event import DomainEvent
from domain.kernel.registry import REGISTRY_STREAM, Registry
from domain.kernel.roles import Role
from domain.routes.mini.events import FeedbackGivenToCog
from domain.routes.national.events_reporting import (
    REPORT_DRAFTS,
    ReportSignedOffByCog,
    ReportSignedOffByCommittee,
)
from projections.decisions import DECISIONS
from projections.model import Moment

log = structlog.get_logger(__name__)

PERSONAL_VIEW = "personal"


def _steps(events: Sequence[Recorded]) -> list[need_to_know.Recorded]:
    return [need_to_know.Recorded(event=r.event, actor=r.actor, at=r.time) for r in events]


def relations_of(app: Application, record: str) -> RecordRelations:
    """Who the record's own events relate to it: its team's appointments and releases, its route."""
    return need_to_know.team_relations(record, _steps(app.ledger.read(record)))


def scopes_of(app: Application, request: str, at: datetime | None = None) -> list[RequestScope]:
    """The request files `request` may name (subject access, FOI), each as it stood at `at` (None: now)."""
    found = []
    for stream in need_to_know.request_streams(request):
        events = app.ledger.read(stream)
        if events:
            found.append(need_to_know.request_scope(request, stream, _steps(events), at))
    return found


def check_read(
    app: Application,
    actor: str,
    record: str,
    purpose: ReadPurpose | None,
    ig_request: str | None = None,
    *,
    view: str = PERSONAL_VIEW,
    request_id: str = "",
    sent_copy: bool = False,
) -> Granted:
    """The table's answer for `actor` reading `record`'s personal data now; a refusal is logged, then raised.

    "Now" is the record as it stands after its last event (the roles the registry gives now, the
    appointments not yet ended, the requests still open), whatever the clock says. `sent_copy`:
    the read is of a document sent in answer to `ig_request`, kept with its file `record`.
    """
    reader = Reader(actor=actor, roles=app.acting(actor).roles)
    scopes = scopes_of(app, ig_request) if ig_request else []
    try:
        return need_to_know.decide(
            reader,
            relations_of(app, record),
            purpose,
            ig_request=ig_request,
            scopes=scopes,
            sent_copy=sent_copy,
        )
    except NotAuthorised as refused:
        record_access(
            app,
            actor=actor,
            record=record,
            view=view,
            granted=False,
            request_id=request_id,
            purpose=purpose,
            ig_request=ig_request,
        )
        log.warning("need_to_know_refused", record=record, view=view, purpose=purpose, needs=refused.needs)
        raise


def reads_every_value(app: Application, actor: str, record: str) -> bool:
    """Whether the table gives `actor` every personal value of `record` for the review, now.

    Nothing is read and nothing is logged: the answer only decides what a page offers (a download,
    an attach form), and the read itself, when asked for, is checked and logged by `check_read`.
    """
    reader = Reader(actor=actor, roles=app.acting(actor).roles)
    try:
        granted = need_to_know.decide(reader, relations_of(app, record), ReadPurpose.REVIEW)
    except NotAuthorised:
        return False
    return granted.reach is Reach.EVERYTHING


def read_personal(
    app: Application,
    actor: str,
    record: str,
    purpose: ReadPurpose | None,
    ig_request: str | None = None,
    *,
    view: str = PERSONAL_VIEW,
    request_id: str = "",
    also: Callable[[list[Recorded]], Sequence[RecordRead]] | None = None,
) -> list[Recorded]:
    """The record's events with the personal values `actor` may read; the read is logged first.

    `also` names other records' items the same view shows beside these (people's names from the
    registry): they are signed into the same logged read.
    """
    granted = check_read(app, actor, record, purpose, ig_request, view=view, request_id=request_id)
    events = app.ledger.read(record, unseal=True)
    if granted.reach is Reach.BASES_AND_REPORTS:
        events = for_the_cog(events, app.ledger.read(record))
    record_access(
        app,
        actor=actor,
        record=record,
        view=view,
        granted=True,
        request_id=request_id,
        purpose=granted.purpose,
        ig_request=ig_request,
        fields=items_read(events) if granted.reach is Reach.BASES_AND_REPORTS else (),
        also=also(events) if also is not None else (),
    )
    return events


# -- as at a moment: "could X read it then?" ------------------------------------------------------


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """The table's answer for one reader, record and purpose at one moment; it holds no personal value."""

    reader: str
    record: str
    purpose: str | None
    at: datetime
    granted: bool
    part: str  # the relation that gives the read, or the one missing
    reads: str  # how much of the record's personal data: "no personal value" when refused
    rule: str
    reason: str | None = None  # why not, when refused


def moment_time(app: Application, record: str, moment: Moment) -> datetime:
    """The time `moment` stands for on `record`: its own time, or the time of the record's last event at
    or before a log position; now (the clock) for "now"."""
    if moment.time is not None:
        return moment.time
    if moment.position is not None:
        times = [r.time for r in app.ledger.read(record) if r.notification_id <= moment.position]
        if not times:
            raise InvalidInput("as_at", f"{record} had no recorded steps at {moment.describe()}")
        return max(times)
    return app.clock.now()


def roles_at(app: Application, actor: str, at: datetime) -> frozenset[Role]:
    """The roles the registry gave `actor` at `at` (its grants and withdrawals are dated events)."""
    registry = Registry()
    for recorded in app.ledger.read(REGISTRY_STREAM):
        if recorded.time > at:
            break
        registry.apply(recorded.event)
    return registry.roles_of(actor)


def decision_at(
    app: Application,
    actor: str,
    record: str,
    purpose: ReadPurpose | None,
    at: datetime,
    ig_request: str | None = None,
) -> Granted:
    """The table's answer as it stood at `at`: the roles then, the record's events then, the request then."""
    reader = Reader(actor=actor, roles=roles_at(app, actor, at))
    steps = _steps([r for r in app.ledger.read(record) if r.time <= at])
    scopes = scopes_of(app, ig_request, at) if ig_request else []
    relations = need_to_know.team_relations(record, steps)
    return need_to_know.decide(reader, relations, purpose, at, ig_request=ig_request, scopes=scopes)


def answer_at(
    app: Application,
    actor: str,
    record: str,
    purpose: ReadPurpose | None,
    at: datetime,
    ig_request: str | None = None,
) -> Answer:
    """`decision_at` as an answer that says yes or no, with the rule and the reason."""
    return _answer(actor, record, purpose, at, _decided(app, actor, record, purpose, at, ig_request))


def _decided(
    app: Application,
    actor: str,
    record: str,
    purpose: ReadPurpose | None,
    at: datetime,
    ig_request: str | None,
) -> Granted | need_to_know.NeedToKnowRefused:
    try:
        return decision_at(app, actor, record, purpose, at, ig_request)
    except need_to_know.NeedToKnowRefused as refused:
        return refused


def _answer(
    actor: str,
    record: str,
    purpose: ReadPurpose | None,
    at: datetime,
    found: Granted | need_to_know.NeedToKnowRefused,
) -> Answer:
    answer = Answer(
        reader=actor,
        record=record,
        purpose=None if purpose is None else purpose.value,
        at=at,
        granted=not isinstance(found, need_to_know.NeedToKnowRefused),
        part=found.part.value,
        reads=Reach.NOTHING.value,
        rule=found.rule,
    )
    if isinstance(found, need_to_know.NeedToKnowRefused):
        return msgspec.structs.replace(answer, reason=found.why)
    return msgspec.structs.replace(answer, reads=found.reach.value)


def read_personal_at(
    app: Application,
    actor: str,
    record: str,
    purpose: ReadPurpose | None,
    moment: Moment,
    ig_request: str | None = None,
    *,
    request_id: str = "",
) -> tuple[list[Recorded], Answer]:
    """The record's events as they stood at `moment`, with the personal values `actor` may read.

    The values are opened now, so the table must give the read now (a person released since
    reads nothing more); and it must have given it then, so the answer says "could they read it
    then?" as well. Either refusal is logged, then raised.
    """
    at = moment_time(app, record, moment)
    granted = check_read(app, actor, record, purpose, ig_request, request_id=request_id)
    then = _decided(app, actor, record, purpose, at, ig_request)
    answer = _answer(actor, record, purpose, at, then)
    if isinstance(then, need_to_know.NeedToKnowRefused):
        record_access(
            app,
            actor=actor,
            record=record,
            view=PERSONAL_VIEW,
            granted=False,
            request_id=request_id,
            purpose=purpose,
            ig_request=ig_request,
        )
        log.warning(
            "need_to_know_refused", record=record, view=PERSONAL_VIEW, purpose=purpose, needs=then.needs
        )
        raise then
    opened = [r for r in app.ledger.read(record, unseal=True) if included(r, moment, at)]
    bases_only = Reach.BASES_AND_REPORTS.value in (granted.reach.value, answer.reads)
    if bases_only:
        withheld = [r for r in app.ledger.read(record) if included(r, moment, at)]
        opened = for_the_cog(opened, withheld)
    record_access(
        app,
        actor=actor,
        record=record,
        view=PERSONAL_VIEW,
        granted=True,
        request_id=request_id,
        purpose=granted.purpose,
        ig_request=ig_request,
        fields=items_read(opened) if bases_only else (),
    )
    return opened, answer


def included(recorded: Recorded, moment: Moment, at: datetime) -> bool:
    """Whether the event was recorded by `moment` (at its log position, or by `at`)."""
    if moment.position is not None:
        return recorded.notification_id <= moment.position
    return recorded.time <= at


def for_the_cog(opened: Sequence[Recorded], withheld: Sequence[Recorded]) -> list[Recorded]:
    """Each event with its values withheld, but for the bases of decisions and the reports presented to the COG.

    A report is presented to the COG when the committee or the COG signs off its version (seed 001,
    'Sign-off'); a mini review's findings and actions when feedback is given to it (seed 000 §4).
    """
    presented = {
        e.version
        for e in (r.event for r in withheld)
        if isinstance(e, (ReportSignedOffByCommittee, ReportSignedOffByCog))
    }
    shown = []
    for open_, closed in zip(opened, withheld, strict=True):
        shown.append(
            msgspec.structs.replace(closed, event=_for_the_cog(open_.event, closed.event, presented))
        )
    return shown


def _for_the_cog(opened: DomainEvent, withheld: DomainEvent, presented: set[int]) -> DomainEvent:
    if isinstance(opened, REPORT_DRAFTS) and opened.version in presented:  # either form of a draft
        return opened
    if isinstance(opened, FeedbackGivenToCog):
        return opened
    spec = DECISIONS.get(str(type(opened).__struct_config__.tag))
    if spec is None or not spec.basis:
        return withheld
    fields = [f for f in spec.basis if hasattr(opened, f)]
    return msgspec.structs.replace(withheld, **{f: getattr(opened, f) for f in fields})
