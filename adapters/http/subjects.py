"""The register of data subjects over HTTP: amend a subject's identifiers, list the register, show one.

Registering is `POST /subjects` (`adapters/http/reviews.py`). The same services as the command
line (`adapters/governance/subjects.py`): identifiers are shown only to a person who may keep the register,
each showing signed into their access log first; anyone else lists ids and categories.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import JSONBody, PathParameter

from adapters.governance import subjects
from adapters.http.auth import SignedInRequest
from adapters.http.errors import responses
from adapters.http.pool import ApplicationPool
from domain.governance.subjects import AmendSubjectIdentifiers, subject_stream
from domain.kernel.errors import InvalidInput

SubjectId = Annotated[
    str,
    PathParameter(
        description="the data subject's id, e.g. S-0001", pattern=r"^S-[A-Za-z0-9-]{1,38}$", max_length=40
    ),
]


class IdentifiersAmended(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    record: str
    version: int


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @post(
        "/subjects/{subject_id:str}/amendments",
        tags=["subjects"],
        summary="Amend a data subject's identifiers",
        description=(
            "Each list given replaces that list (an empty list clears it); a field left out stays as it was. "
            "Disclosures are checked against the identifiers as they hold after the amendment."
        ),
        status_code=201,
        responses=responses(400, 401, 403, 404, 409, 422),
        sync_to_thread=True,
    )
    def amend(
        request: SignedInRequest, subject_id: SubjectId, data: JSONBody[AmendSubjectIdentifiers]
    ) -> IdentifiersAmended:
        if data.subject_id != subject_id:
            raise InvalidInput("subject_id", f"must be {subject_id}, the subject in the path")
        with pool.borrow() as app:
            version = subjects.amend(app, request.user.actor, data)
        return IdentifiersAmended(subject_id=subject_id, record=subject_stream(subject_id), version=version)

    @get(
        "/subjects",
        tags=["subjects"],
        summary="The register of data subjects",
        description="Ids and categories; names and identifiers too (a signed read) for those who keep the register.",
        responses=responses(401),
        sync_to_thread=True,
    )
    def register(request: SignedInRequest) -> list[subjects.RegisterEntry]:
        with pool.borrow() as app:
            return subjects.list_register(app, request.user.actor)

    @get(
        "/subjects/{subject_id:str}",
        tags=["subjects"],
        summary="A data subject's identifiers as they hold now",
        description="A read of personal data: only for those who keep the register, signed into their access log.",
        responses=responses(401, 403, 404),
        sync_to_thread=True,
    )
    def show(request: SignedInRequest, subject_id: SubjectId) -> subjects.RegisterEntry:
        with pool.borrow() as app:
            return subjects.show(app, request.user.actor, subject_id)

    return [amend, register, show]
