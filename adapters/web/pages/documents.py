"""The documents of a subject access or FOI request, in the IG officer's workbench.

The request's documents are those attached to the records it searched (a subject access
request) or identified (an FOI request). Opening one reads it for the request (logged before it
is shown): its text, page by page, with every identifier of another person the detector finds
marked. The officer may add phrases to remove and release it redacted, release it whole, or
withhold it (`adapters/governance/document_disclosure.py` decides and records): on a ground for a subject
access request, under a FOISA exemption for an FOI request. The draft pack or response can be
downloaded as a PDF bundling what is released.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.app.application import Application
from adapters.governance import document_disclosure, documents
from adapters.governance.document_disclosure import THIRD_PARTY
from adapters.governance.document_kinds import extract
from adapters.governance.foi import requests as foi
from adapters.governance.pack_pdf import MEDIA_TYPE, decisions_for
from adapters.governance.redaction import Phrase
from adapters.governance.sar import requests as sar
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    button_group,
    button_link,
    heading,
    link,
    notification,
    p,
    select,
    summary_list,
    table,
    tag,
    text_input,
    textarea,
)
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import IG_ROLES, PAGES, Viewer, form, page
from adapters.web.pages.steps import form_values
from adapters.web.respond import download, html, see_other
from adapters.web.session import check_form, viewer_of
from domain.governance.documents import DisclosureOutcome, DocumentAttached
from domain.governance.exemptions import EXEMPTIONS, Section
from domain.governance.identifiers import Detector
from domain.governance.sar.steps import PackFormat
from domain.kernel.errors import InvalidInput, NotAuthorised, RecordNotFound

RequestRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", max_length=64)]
DocumentRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$", max_length=81)]
_KINDS = ("sar", "foi")
_WORDS = {"sar": "a subject access request", "foi": "an FOI request"}
_DRAFT = {
    "sar": ("pack.pdf", "Download the draft pack (PDF)"),
    "foi": ("response.pdf", "Download the draft response (PDF)"),
}
_OUTCOME_WORDS = {
    DisclosureOutcome.RELEASED: "Released whole",
    DisclosureOutcome.WITHHELD: "Withheld",
    DisclosureOutcome.REDACTED: "Released redacted",
}


def _require(viewer: Viewer, what: str) -> None:
    if not viewer.holds(*IG_ROLES):
        needs = " or ".join(sorted(r.value for r in IG_ROLES))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", what, "-")


def _href(kind: str, reference: str) -> str:
    return f"{PAGES}/requests/{kind}/{reference}"


def _in_scope(app: Application, kind: str, reference: str) -> tuple[str, ...]:
    return (sar.load(app, reference) if kind == "sar" else foi.load(app, reference)).records_in_scope


def _documents(app: Application, kind: str, reference: str) -> list[tuple[str, DocumentAttached]]:
    return document_disclosure.request_documents(app, kind, reference)


def _crumbs(kind: str, reference: str) -> Html:
    return breadcrumbs([("Information requests", f"{PAGES}/requests"), (reference, _href(kind, reference))])


def _draft_link(kind: str, reference: str) -> Html:
    path, words = _DRAFT[kind]
    return button_group(button_link(words, f"{_href(kind, reference)}/{path}", secondary=True))


def _list_page(app: Application, viewer: Viewer, kind: str, reference: str) -> Html:
    _require(viewer, f"{_WORDS[kind]}'s documents")
    decided = {d.document_id: d for _, d in decisions_for(app, reference, _in_scope(app, kind, reference))}
    rows = [
        (
            link(d.document_id, f"{_href(kind, reference)}/documents/{d.document_id}"),
            f"step {d.step_version}",
            d.media_type.name,
            str(d.pages),
            _OUTCOME_WORDS[decided[d.document_id].outcome]
            if d.document_id in decided
            else tag("To decide", "yellow"),
        )
        for _, d in _documents(app, kind, reference)
    ]
    body: list[Child] = [
        _crumbs(kind, reference),
        heading("Documents", caption=reference),
        table(["Document", "Step", "Kind", "Pages", "Decision"], rows, row_headers=True)
        if rows
        else p("The records searched hold no documents."),
        _draft_link(kind, reference),
    ]
    return page(f"Documents of {reference}", body, viewer=viewer, current="requests")


def _marked(text: str, detector: Detector, exclude: tuple[str, ...]) -> Html:
    """The text with each identifier of another person marked."""
    pieces: list[Child] = []
    at = 0
    for match in detector.find(text, exclude=exclude):
        pieces.append(text[at : match.start])
        pieces.append(el("mark", match.text, class_="detected", title="another person's identifier"))
        at = match.end
    pieces.append(text[at:])
    return join(pieces)


def _item_page(
    app: Application, viewer: Viewer, kind: str, reference: str, document_id: str, query: dict[str, str]
) -> Html:
    _require(viewer, f"{_WORDS[kind]}'s document")
    found = {d.document_id: (review, d) for review, d in _documents(app, kind, reference)}
    if document_id not in found:
        raise RecordNotFound("document of the records searched", document_id)
    review, document = found[document_id]
    with tempfile.TemporaryDirectory(prefix="reviewledger-page-") as work:
        _, chunks = documents.open_for(
            app,
            review=review,
            document_id=document_id,
            actor=viewer.actor,
            purpose="ig-request",
            ig_request=reference,
        )
        path = Path(work) / f"document.{documents.EXTENSIONS[document.media_type]}"
        documents.write_to(chunks, path)
        pages = extract(path, max_bytes=path.stat().st_size + 1).pages
    detector = Detector(documents.people(app))
    exclude = document_disclosure.requesters(app, reference)
    decision = {d.document_id: d for _, d in decisions_for(app, reference, (review,))}.get(document_id)
    action = f"{_href(kind, reference)}/documents/{document_id}"
    body: list[Child] = [
        _crumbs(kind, reference),
        notification("Recorded", p(f"{document_id}: {query['recorded']}."), success=True)
        if query.get("recorded")
        else None,
        heading(document_id, caption=f"{reference}: a document of {review}"),
        summary_list(
            [
                ("Step", str(document.step_version)),
                ("Kind", document.media_type.name),
                ("Pages", str(document.pages)),
                ("Decision", _OUTCOME_WORDS[decision.outcome] if decision else "Not decided"),
            ]
        ),
        p(
            "Marked: identifiers of other people the detector found; they are removed when the document is "
            "released redacted."
        ),
    ]
    if decision is not None and decision.redactions:
        body.append(
            table(
                ["Redaction", "Page", "Ground", "Found by"],
                [
                    (str(n), str(r.page), r.ground, r.source)
                    for n, r in enumerate(decision.redactions, start=1)
                ],
                caption="Redaction log",
                caption_size="s",
            )
        )
    for number, text in enumerate(pages, start=1):
        body.append(heading(f"Page {number}", size="s", level=2))
        body.append(
            el("div", _marked(text, detector, exclude), class_="govuk-body document-text")
            if text.strip()
            else p("Not machine-readable — review by eye.")
        )
    body += [
        form(
            action,
            viewer,
            textarea(
                "phrases",
                "Other phrases to remove",
                hint="One on each line; each is removed wherever it appears.",
                rows=3,
            ),
            _ground_field(kind),
            button_group(
                button("Release the redacted document", name="outcome", value="redacted"),
                button("Release it whole", name="outcome", value="released", secondary=True),
                button("Withhold it", name="outcome", value="withheld", secondary=True),
            ),
        ),
        _draft_link(kind, reference),
    ]
    return page(document_id, body, viewer=viewer, current="requests")


def _ground_field(kind: str) -> Html:
    """The ground of the phrases removed and of a withholding: typed for a subject access request,
    chosen among the FOISA exemptions for an FOI request."""
    if kind == "sar":
        return text_input(
            "ground", "Ground for the phrases or the withholding", value=THIRD_PARTY, width="20"
        )
    return select(
        "exemption",
        "Exemption the phrases or the withholding rest on",
        [(section.value, f"{e.section}: {e.title}") for section, e in EXEMPTIONS.items()],
        selected=Section.S38_1_B.value,
    )


def _ground(kind: str, values: dict[str, list[str]]) -> str:
    if kind == "sar":
        return (values.get("ground") or [""])[0].strip() or THIRD_PARTY
    chosen = (values.get("exemption") or [""])[0]
    try:
        return document_disclosure.exemption_ground(Section(chosen))
    except ValueError:
        raise InvalidInput("exemption", "choose the FOISA exemption the decision rests on") from None


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    return [handler for kind in _KINDS for handler in _routes(pool, kind)]


def _routes(pool: ApplicationPool, kind: str) -> list[HTTPRouteHandler]:
    base = PAGES + f"/requests/{kind}/" + "{reference:str}"

    @get(base + "/documents", sync_to_thread=True, name=f"{kind}-documents")
    def listed(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(_list_page(app, viewer, kind, reference))

    @get(base + "/documents/{document_id:str}", sync_to_thread=True, name=f"{kind}-document")
    def item(
        request: Request[Any, Any, Any], reference: RequestRef, document_id: DocumentRef
    ) -> Response[bytes]:
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(
                _item_page(app, viewer, kind, reference, document_id, query),
                headers={"Cache-Control": "no-store"},
            )

    @post(base + "/documents/{document_id:str}", name=f"{kind}-document-decide")
    async def decide(
        request: Request[Any, Any, Any], reference: RequestRef, document_id: DocumentRef
    ) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            try:
                outcome = DisclosureOutcome((values.get("outcome") or ["redacted"])[0])
            except ValueError:
                raise InvalidInput(
                    "outcome", "release it redacted, release it whole, or withhold it"
                ) from None
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                _require(viewer, "deciding on a document")
                ground = _ground(kind, values)
                lines = (values.get("phrases") or [""])[0].splitlines()
                phrases = [Phrase(text=line.strip(), ground=ground) for line in lines if line.strip()]
                review = document_disclosure.review_of(app, kind, reference, document_id)
                disclosed = document_disclosure.decide(
                    app,
                    review=review,
                    document_id=document_id,
                    request=reference,
                    actor=viewer.actor,
                    outcome=outcome,
                    ground=ground if outcome is DisclosureOutcome.WITHHELD else "",
                    phrases=phrases if outcome is DisclosureOutcome.REDACTED else (),
                )
            words = _OUTCOME_WORDS[disclosed.decision.outcome].lower()
            count = len(disclosed.decision.redactions)
            said = f"{words}, {count} redactions" if count else words
            return see_other(
                f"{_href(kind, reference)}/documents/{document_id}?{urlencode({'recorded': said})}"
            )

        return await anyio.to_thread.run_sync(work)

    @get(base + "/" + _DRAFT[kind][0], sync_to_thread=True, name=f"{kind}-draft-pdf")
    def draft_pdf(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer, f"{_WORDS[kind]}'s draft")
            if kind == "sar":
                _, data = sar.render_pack(app, reference, viewer.actor, PackFormat.PDF)
            else:
                data = foi.draft_pdf(app, reference, viewer.actor)
        name = f"{reference}-draft-{'pack' if kind == 'sar' else 'response'}.pdf"
        response = download(data, MEDIA_TYPE, name)
        response.headers["Cache-Control"] = "no-store"
        return response

    return [listed, item, decide, draft_pdf]
