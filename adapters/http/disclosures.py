"""Deciding on a document for a subject access or FOI request over the API.

`POST /requests/{sar|foi}/{reference}/documents/{document_id}/disclosure` releases the document
whole, withholds it on a ground, or releases it redacted, as the command line's `documents
disclose` does (`adapters/governance/document_disclosure.py`): only an IG officer handling the request, the
document one of the records the request searched or identified, reading it logged under the
request. For an FOI request the ground is given by its exemption, a FOISA section
(`exemption`: e.g. `s38_1_b`), which every phrase and area takes unless it names its own. The
response is the signed decision with its redaction log (pages, grounds, sources; never the words).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Response, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.governance import document_disclosure
from adapters.governance.redaction import Area, Phrase
from adapters.http.auth import SignedInRequest
from adapters.http.documents import DOCUMENT_ID_PATTERN
from adapters.http.errors import responses
from adapters.http.pool import ApplicationPool
from adapters.http.sar_requests import RequestReference
from domain.governance.documents import DisclosureOutcome, DocumentDisclosureDecided
from domain.governance.exemptions import Section
from domain.kernel.errors import InvalidInput

RequestKind = Literal["sar", "foi"]
DocumentId = Annotated[
    str, PathParameter(description="e.g. LR-2026-001-D1", pattern=DOCUMENT_ID_PATTERN, max_length=81)
]


class PhraseToRemove(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    text: str
    ground: str = ""  # by default the request's ground: s.16 third party, or the FOI exemption's


class AreaToRemove(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    page: int
    left: float
    top: float
    right: float
    bottom: float
    ground: str = ""


class DisclosureDecision(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What to do with the document for the request."""

    outcome: DisclosureOutcome
    ground: str = ""  # why it is withheld (for FOI, `exemption` gives it)
    exemption: Section | None = None  # FOI: the FOISA section the withholding or redactions rest on
    phrases: list[PhraseToRemove] = []
    areas: list[AreaToRemove] = []


class DisclosureRecorded(msgspec.Struct, frozen=True, kw_only=True):
    decision: DocumentDisclosureDecided
    not_machine_readable_pages: tuple[int, ...] = ()  # to be reviewed by eye, areas marked


def _default_ground(kind: RequestKind, data: DisclosureDecision) -> str:
    if data.exemption is not None:
        if kind != "foi":
            raise InvalidInput(
                "exemption", "is for an FOI request; a subject access request gives its ground"
            )
        return document_disclosure.exemption_ground(data.exemption)
    if kind == "foi" and data.outcome is not DisclosureOutcome.RELEASED:
        raise InvalidInput(
            "exemption", "an FOI request withholds or redacts under a FOISA section, e.g. s38_1_b"
        )
    return data.ground.strip() or document_disclosure.THIRD_PARTY


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    return [_route(pool, "sar"), _route(pool, "foi")]


def _route(pool: ApplicationPool, kind: RequestKind) -> HTTPRouteHandler:
    # One route per kind of request: a path segment that is a parameter would be shadowed by the
    # request files' own routes under the same prefix.
    @post(
        f"/requests/{kind}/{{reference:str}}/documents/{{document_id:str}}/disclosure",
        name=f"{kind}:document-disclosure",
        operation_id=f"{kind}.document-disclosure",
        tags=["documents"],
        summary=f"Release a document whole, withhold it, or release it redacted, for a {_WORDS[kind]}",
        description=(
            "A redaction removes every identifier of another person the detector finds, plus the phrases and "
            "areas given, and keeps the redacted copy sealed; the decision is signed."
        ),
        status_code=201,
        responses=responses(400, 401, 403, 404, 409, 422),
        sync_to_thread=True,
    )
    def decide(
        request: SignedInRequest,
        reference: RequestReference,
        document_id: DocumentId,
        data: DisclosureDecision,
    ) -> Response[DisclosureRecorded]:
        ground = _default_ground(kind, data)
        phrases = [Phrase(text=p.text.strip(), ground=p.ground.strip() or ground) for p in data.phrases]
        areas = [
            Area(
                page=a.page,
                left=a.left,
                top=a.top,
                right=a.right,
                bottom=a.bottom,
                ground=a.ground.strip() or ground,
            )
            for a in data.areas
        ]
        if any(not p.text for p in phrases):
            raise InvalidInput("phrases", "each phrase to remove must have some text")
        with pool.borrow() as app:
            review = document_disclosure.review_of(app, kind, reference, document_id)
            disclosed = document_disclosure.decide(
                app,
                review=review,
                document_id=document_id,
                request=reference,
                actor=request.user.actor,
                outcome=data.outcome,
                ground=ground if data.outcome is DisclosureOutcome.WITHHELD else "",
                phrases=phrases,
                areas=areas,
            )
        return Response(
            DisclosureRecorded(
                decision=disclosed.decision, not_machine_readable_pages=disclosed.not_machine_readable_pages
            ),
            status_code=201,
        )

    return decide


_WORDS: dict[str, str] = {"sar": "subject access request", "foi": "FOI request"}
