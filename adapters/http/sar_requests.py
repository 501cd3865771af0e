"""Subject access requests over the API: each step of the file, and the file as it stands.

Each step has its own endpoint, `POST /requests/sar/{reference}/steps/{step}`, whose body is
the step's own command type (the same msgspec Struct the command line decodes and the domain
takes), among them `release-item-in-part`: give an item with other people's identifiers replaced
by `[third party]`, with a recorded reason. `GET /requests/sar/{reference}` is the file as an IG
officer follows it; its counts ("N items, M withheld") come from the items opened for the
signed-in person, a read written to the access log under the request.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Response, get, post
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg, PathParameter

from adapters.governance.ig_records import SarRecord
from adapters.governance.sar import requests as sar
from adapters.http.auth import SignedInRequest
from adapters.http.errors import responses
from adapters.http.pool import ApplicationPool
from domain.governance.sar.steps import ReceiveSubjectAccessRequest
from domain.kernel.command import Command

RequestReference = Annotated[
    str,
    PathParameter(
        description="the request's reference, e.g. SAR-2026-001",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
        max_length=64,
    ),
]


class SarStepRecorded(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    step: str
    version: int  # the file's version after this step


def _step_handler(pool: ApplicationPool, name: str, command_type: type[Command]) -> HTTPRouteHandler:
    def record_step(request: SignedInRequest, reference: str, data: Command) -> Response[SarStepRecorded]:
        with pool.borrow() as app:
            if isinstance(data, ReceiveSubjectAccessRequest):
                record = sar.open_request(app, reference, request.user.actor, data)
            else:
                record = sar.step(app, reference, request.user.actor, data)
        return Response(
            SarStepRecorded(reference=reference, step=name, version=record.version),
            status_code=201,
            headers={"ETag": f'"{record.version}"'},
        )

    # The body's type is this step's command: set on the function so the framework decodes and documents it.
    record_step.__annotations__ = {
        "request": SignedInRequest,
        "reference": RequestReference,
        "data": Annotated[command_type, BodyKwarg(media_type=RequestEncodingType.JSON)],
        "return": Response[SarStepRecorded],
    }
    return post(
        f"/requests/sar/{{reference:str}}/steps/{name}",
        name=f"sar:{name}",
        operation_id=f"sar.{name}",
        summary=f"subject access request: {name}",
        description=(command_type.__doc__ or "").strip() or None,
        tags=["subject access request steps"],
        status_code=201,
        responses=responses(400, 401, 403, 404, 422),
        sync_to_thread=True,
    )(record_step)


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(
        "/requests/sar/{reference:str}",
        tags=["subject access requests"],
        summary="A subject access request as it stands",
        description=(
            "The stage, the clock, the search, the pack and what is owed. `counts` says the pack's size "
            "one way everywhere: items, never redaction-log rows. Opening the items to count them is a "
            "read of personal data, for an IG officer, written to the access log under the request."
        ),
        responses=responses(400, 401, 403, 404),
        sync_to_thread=True,
    )
    def show(request: SignedInRequest, reference: RequestReference) -> sar.SarStatus:
        with pool.borrow() as app:
            return sar.show(app, reference, request.user.actor)

    # A step recorded by sending keeps the bytes sent: it has no step of its own over the API.
    steps = [
        _step_handler(pool, name, command)
        for name, command in sorted(SarRecord.commands().items())
        if command not in sar.SENT_BY_SENDING
    ]
    return [show, *steps]
