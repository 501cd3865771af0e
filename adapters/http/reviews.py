"""Reviews: the list, the routes' steps, recording a step, registering a data subject, a review's history.

Each step of each route has its own endpoint, `POST /reviews/{route}/{reference}/steps/{step}`,
whose body is the step's own command type: the same msgspec Struct the command line decodes
and the domain takes, so the OpenAPI description, the validation and the record agree. The
signed-in person takes the step and the server signs it with their key. `If-Match: "<version>"`
names the version the person acted on; if someone else changed the review since, the answer
is 409 and nothing is recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Response, get, post
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg, HeaderParameter, JSONBody, PathParameter, QueryParameter

from adapters.app.application import Application
from adapters.app.authority import Purpose, Reading, ReadRefused
from adapters.app.need_to_know import (
    Answer,
    answer_at,
    included,
    moment_time,
    read_personal,
    read_personal_at,
)
from adapters.app.records import record_type_for
from adapters.app.views import MOMENT_WORDS, NOW, parse_moment, refresh
from adapters.http.auth import SignedInRequest, may_read
from adapters.http.errors import request_id, responses
from adapters.http.pool import ApplicationPool
from adapters.store.reading import Recorded
from domain.governance.access import ReadPurpose
from domain.governance.subjects import DataSubject, RegisterSubject, subject_stream
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, RecordNotFound
from domain.kernel.roles import Role
from domain.routes.registry import ROUTES
from projections.model import ALTERED
from projections.queries import ReviewSummary, list_reviews

REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
Reference = Annotated[
    str,
    PathParameter(
        description="the review's reference, e.g. LR-2026-001", pattern=REFERENCE_PATTERN, max_length=64
    ),
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        max_length=32,
        description='the version of the review this step was decided on, e.g. "4"; 409 if it has moved on',
    ),
]


class StepRecorded(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    reference: str
    route: str
    step: str
    version: int  # the review's version after this step; send it as If-Match with the next one
    # Data subjects the step's words name that its `about` left out; recorded as about them too.
    not_named: tuple[str, ...] = ()


class SubjectRegistered(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    record: str
    version: int


class RouteSteps(msgspec.Struct, frozen=True, kw_only=True):
    route: str
    kind: str
    steps: list[str]


class HistoryEvent(msgspec.Struct, frozen=True, kw_only=True):
    version: int
    type: str
    time: datetime
    actor: str
    key: str
    sealed: bool  # whether the event holds personal data (sealed apart from the signed payload)
    disposed: str | None = None  # when and under which rule its personal data was disposed of
    event: dict[str, Any]  # personal values are null unless `personal` was asked for and allowed
    # "altered — failed verification" when the stored event differs from what was signed: every value
    # of `event` is then that marker, never the altered value.
    verification: str | None = None


class RecordHistory(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    route: str
    kind: str
    version: int
    personal: bool
    events: list[HistoryEvent]
    as_at: datetime | None = None  # asked as at a moment: the time it stands for
    need_to_know: Answer | None = None  # then: the table's answer for the reader at that moment


_ROUTE_OF: dict[type[Aggregate], str] = {kind: route for route, kind in ROUTES.items()}


def asking_for_another(app: Application, request: SignedInRequest, reference: str) -> None:
    """Only an inspector or an administrator asks what the table gave someone else; a refusal is logged."""
    by = app.acting(request.user.actor)
    if by.roles & {Role.INSPECTOR, Role.ADMINISTRATOR}:
        return
    raise ReadRefused(
        by.actor,
        "an inspector or an administrator",
        "what the need-to-know table gave another person",
        reference,
    )


def review_kind(app: Application, reference: str) -> type[Aggregate]:
    """The kind of an existing review (a data subject's or the registry's stream is not one)."""
    kind = record_type_for(app, reference, None)
    if kind not in _ROUTE_OF:
        raise RecordNotFound("review", reference)
    return kind


def expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 12:
        raise InvalidInput("If-Match", 'must be the version of the review the step was decided on, e.g. "4"')
    return int(text)


def _withheld(node: Any) -> Any:
    """Every value replaced by the marker, keeping the shape (keys, list lengths, nulls)."""
    if isinstance(node, dict):
        return {key: _withheld(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_withheld(value) for value in node]
    return None if node is None else ALTERED


def _history_event(recorded: Recorded) -> HistoryEvent:
    event = msgspec.to_builtins(recorded.event)
    if recorded.altered is not None:
        return HistoryEvent(
            version=recorded.version,
            type=recorded.type,
            time=recorded.time,
            actor=recorded.actor,
            key=recorded.key,
            sealed=recorded.sealed,
            event=_withheld(event),
            verification=f"{ALTERED}: {recorded.altered}",
        )
    return HistoryEvent(
        version=recorded.version,
        type=recorded.type,
        time=recorded.time,
        actor=recorded.actor,
        key=recorded.key,
        sealed=recorded.sealed,
        disposed=recorded.disposed.describe() if recorded.disposed else None,
        event=event,
    )


def _step_handler(
    pool: ApplicationPool, route: str, name: str, command_type: type[Command]
) -> HTTPRouteHandler:
    kind = ROUTES[route]

    def record_step(
        request: SignedInRequest, reference: str, data: Command, if_match: str | None = None
    ) -> Response[StepRecorded]:
        with pool.borrow() as app:
            try:
                record_type = record_type_for(app, reference, route)
            except InvalidInput as error:
                if error.field != "--route":
                    raise
                raise InvalidInput("route", error.rule) from None  # the path's, not the command line's option
            outcome = app.record_step(
                record_type, reference, request.user.actor, data, expected_version=expected_version(if_match)
            )
        record = outcome.record
        return Response(
            StepRecorded(
                reference=reference,
                route=route,
                step=name,
                version=record.version,
                not_named=outcome.not_named,
            ),
            status_code=201,
            headers={"ETag": f'"{record.version}"'},
        )

    # The body's type is this step's command: set on the function so the framework decodes and documents it.
    record_step.__annotations__ = {
        "request": SignedInRequest,
        "reference": Reference,
        "data": Annotated[command_type, BodyKwarg(media_type=RequestEncodingType.JSON)],
        "if_match": IfMatch,
        "return": Response[StepRecorded],
    }
    return post(
        f"/reviews/{route}/{{reference:str}}/steps/{name}",
        name=f"{route}:{name}",
        operation_id=f"{route}.{name}",
        summary=f"{kind.kind}: {name}",
        description=(command_type.__doc__ or "").strip() or None,
        tags=[f"{route} steps"],
        status_code=201,
        responses=responses(400, 401, 403, 409, 422),
        sync_to_thread=True,
    )(record_step)


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(
        "/reviews",
        tags=["reviews"],
        summary="Every review",
        description="Each review's reference, route, stage and status; no personal data.",
        responses=responses(400, 401, 403),
        sync_to_thread=True,
    )
    def reviews(
        request: SignedInRequest,
        route: Annotated[str | None, QueryParameter(description="only this route", max_length=32)] = None,
        status: Annotated[
            str | None, QueryParameter(description="only this status, e.g. open", max_length=32)
        ] = None,
    ) -> list[ReviewSummary]:
        with pool.borrow() as app:
            may_read(app, request, Reading.REVIEWS)
            if route is not None and route not in ROUTES:
                raise InvalidInput("route", f"must be one of {', '.join(ROUTES)}")
            refresh(app)
            with app.db.reader.connect() as conn:
                return list_reviews(conn, route=route, status=status)

    @get(
        "/routes",
        tags=["reviews"],
        summary="The routes and their steps",
        description="Each step's fields are in this description, under its POST endpoint.",
        responses=responses(401, 403),
        sync_to_thread=True,
    )
    def route_steps(request: SignedInRequest) -> list[RouteSteps]:
        with pool.borrow() as app:
            may_read(app, request, Reading.ROUTES)
        return [
            RouteSteps(route=route, kind=kind.kind, steps=sorted(kind.commands()))
            for route, kind in ROUTES.items()
        ]

    @post(
        "/subjects",
        tags=["subjects"],
        summary="Register a data subject",
        description="Give a person the records are about or by an opaque id; their details are sealed.",
        status_code=201,
        responses=responses(400, 401, 403, 409, 422),
        sync_to_thread=True,
    )
    def register_subject(request: SignedInRequest, data: JSONBody[RegisterSubject]) -> SubjectRegistered:
        stream = subject_stream(data.subject_id)
        with pool.borrow() as app:
            record = app.execute(DataSubject, stream, request.user.actor, data)
        return SubjectRegistered(subject_id=data.subject_id, record=stream, version=record.version)

    @get(
        "/reviews/{reference:str}/history",
        tags=["reviews"],
        summary="A review's signed events",
        description=(
            "Every recorded step in order, with who signed it and with which key. Personal values are null "
            "unless `personal=true` is asked for with a purpose the need-to-know table gives the reader: "
            "`review` (the people appointed to the review's team while appointed, its route's committee officer "
            "and chair; the COG reads only the bases of decisions and the reports presented to it), `ig-request` "
            "with `request` naming an open request the IG officer is handling that has the review in its scope, "
            "or `inspection` (an inspector). Each such read, and each refusal (403 naming the rule), is written "
            "to the access log. With `as_at` (a log position, a date or a date-time) the record is given as it "
            "stood then, with `need_to_know`: the table's answer as at that moment (could the reader read it "
            "then?), for `purpose` (`review` when none is named). Personal values as at a moment are given only "
            "when the table gives the read both then and now. An inspector or an administrator may ask the "
            "answer for another person with `reader` (personal values stay withheld then)."
        ),
        responses=responses(400, 401, 403, 404),
        sync_to_thread=True,
    )
    def history(
        request: SignedInRequest,
        reference: Reference,
        personal: Annotated[bool, QueryParameter(description="include personal values")] = False,
        purpose: Annotated[Purpose | None, QueryParameter(description="why personal data is read")] = None,
        ig_request: Annotated[
            str | None,
            QueryParameter(
                name="request", pattern=REFERENCE_PATTERN, max_length=64, description="the IG request"
            ),
        ] = None,
        as_at: Annotated[
            str | None, QueryParameter(name="as_at", max_length=40, description=MOMENT_WORDS)
        ] = None,
        reader: Annotated[
            str | None,
            QueryParameter(
                pattern=REFERENCE_PATTERN,
                max_length=64,
                description="whose answer `need_to_know` gives, as at `as_at` (an inspector or administrator)",
            ),
        ] = None,
    ) -> RecordHistory:
        moment = parse_moment("as_at", as_at)
        reason = None if purpose is None else ReadPurpose(purpose.value)
        me = request.user.actor
        if reader is not None and moment == NOW:
            raise InvalidInput("reader", "is asked about only as at a moment (as_at)")
        if reader is not None and personal and reader != me:
            raise InvalidInput("reader", "personal values are read only by the person asking")
        answer = None
        at = None
        with pool.borrow() as app:
            kind = review_kind(app, reference)
            if personal and moment != NOW:
                # Who reads personal data is the need-to-know table's answer, not a role's (DOMAIN.md §1.1).
                events, answer = read_personal_at(
                    app, me, reference, reason, moment, ig_request, request_id=request_id() or ""
                )
                at = answer.at
            elif personal:
                events = read_personal(app, me, reference, reason, ig_request, request_id=request_id() or "")
            else:
                may_read(app, request, Reading.HISTORY, reference, kind)
                if moment == NOW and (purpose is not None or ig_request is not None):
                    raise InvalidInput(
                        "purpose", "is only for reading personal data (personal=true), or as_at"
                    )
                events = app.ledger.read(reference)
                if moment != NOW:
                    who = reader or me
                    if who != me:
                        asking_for_another(app, request, reference)
                    at = moment_time(app, reference, moment)
                    events = [r for r in events if included(r, moment, at)]
                    answer = answer_at(app, who, reference, reason or ReadPurpose.REVIEW, at, ig_request)
        return RecordHistory(
            reference=reference,
            route=_ROUTE_OF[kind],
            kind=kind.kind,
            version=events[-1].version if events else 0,
            personal=personal,
            events=[_history_event(r) for r in events],
            as_at=at,
            need_to_know=answer,
        )

    steps = [
        _step_handler(pool, route, name, command_type)
        for route, kind in ROUTES.items()
        for name, command_type in sorted(kind.commands().items())
    ]
    return [reviews, route_steps, register_subject, history, *steps]
