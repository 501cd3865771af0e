"""The documents of a subject access request, in the IG officer's workbench.

The request's documents are those attached to the records it searched. Opening one reads it
for the request (logged before it is shown): its text, page by page, with every identifier of
another person the detector finds marked. The officer may add phrases to remove and release it
redacted, release it whole, or withhold it on a ground (`adapters/governance/document_disclosure.py`
decides and records); the draft pack can be downloaded as a PDF bundling what is released.
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
from adapters.governance.document_kinds import extract
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
from domain.governance.identifiers import Detector
from domain.governance.sar.steps import PackFormat
from domain.kernel.errors import InvalidInput, NotAuthorised, RecordNotFound

RequestRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", max_length=64)]
DocumentRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$", max_length=81)]
_OUTCOME_WORDS = {
    DisclosureOutcome.RELEASED: "Released whole",
    DisclosureOutcome.WITHHELD: "Withheld",
    DisclosureOutcome.REDACTED: "Released redacted",
}


def _require(viewer: Viewer, what: str) -> None:
    if not viewer.holds(*IG_ROLES):
        needs = " or ".join(sorted(r.value for r in IG_ROLES))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", what, "-")


def _href(reference: str) -> str:
    return f"{PAGES}/requests/sar/{reference}"


def _in_scope(app: Application, reference: str) -> tuple[str, ...]:
    return sar.load(app, reference).records_in_scope


def _documents(app: Application, reference: str) -> list[tuple[str, DocumentAttached]]:
    found: list[tuple[str, DocumentAttached]] = []
    for review in _in_scope(app, reference):
        try:
            found.extend((review, d) for d in documents.listed(app, review))
        except (InvalidInput, RecordNotFound):
            continue  # a register entry or another kind of record: it has no documents
    return found


def _crumbs(reference: str) -> Html:
    return breadcrumbs([("Information requests", f"{PAGES}/requests"), (reference, _href(reference))])


def _list_page(app: Application, viewer: Viewer, reference: str) -> Html:
    _require(viewer, "a subject access request's documents")
    decided = {d.document_id: d for _, d in decisions_for(app, reference, _in_scope(app, reference))}
    rows = [
        (
            link(d.document_id, f"{_href(reference)}/documents/{d.document_id}"),
            f"step {d.step_version}",
            d.media_type.name,
            str(d.pages),
            _OUTCOME_WORDS[decided[d.document_id].outcome]
            if d.document_id in decided
            else tag("To decide", "yellow"),
        )
        for _, d in _documents(app, reference)
    ]
    body: list[Child] = [
        _crumbs(reference),
        heading("Documents", caption=reference),
        table(["Document", "Step", "Kind", "Pages", "Decision"], rows, row_headers=True)
        if rows
        else p("The records searched hold no documents."),
        button_group(
            button_link("Download the draft pack (PDF)", f"{_href(reference)}/pack.pdf", secondary=True)
        ),
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
    app: Application, viewer: Viewer, reference: str, document_id: str, query: dict[str, str]
) -> Html:
    _require(viewer, "a subject access request's document")
    found = {d.document_id: (review, d) for review, d in _documents(app, reference)}
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
    action = f"{_href(reference)}/documents/{document_id}"
    body: list[Child] = [
        _crumbs(reference),
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
            text_input("ground", "Ground for the phrases", value="s.16 third party", width="20"),
            button_group(
                button("Release the redacted document", name="outcome", value="redacted"),
                button("Release it whole", name="outcome", value="released", secondary=True),
            ),
        ),
        button_group(
            button_link("Download the draft pack (PDF)", f"{_href(reference)}/pack.pdf", secondary=True)
        ),
    ]
    return page(document_id, body, viewer=viewer, current="requests")


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/requests/sar/{reference:str}/documents", sync_to_thread=True)
    def listed(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(_list_page(app, viewer, reference))

    @get(PAGES + "/requests/sar/{reference:str}/documents/{document_id:str}", sync_to_thread=True)
    def item(
        request: Request[Any, Any, Any], reference: RequestRef, document_id: DocumentRef
    ) -> Response[bytes]:
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(
                _item_page(app, viewer, reference, document_id, query), headers={"Cache-Control": "no-store"}
            )

    @post(PAGES + "/requests/sar/{reference:str}/documents/{document_id:str}")
    async def decide(
        request: Request[Any, Any, Any], reference: RequestRef, document_id: DocumentRef
    ) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            outcome = DisclosureOutcome((values.get("outcome") or ["redacted"])[0])
            ground = (values.get("ground") or [""])[0].strip() or "s.16 third party"
            lines = (values.get("phrases") or [""])[0].splitlines()
            phrases = [Phrase(text=line.strip(), ground=ground) for line in lines if line.strip()]
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                _require(viewer, "deciding on a document")
                review = next(
                    (r for r, d in _documents(app, reference) if d.document_id == document_id), None
                )
                if review is None:
                    raise RecordNotFound("document of the records searched", document_id)
                disclosed = document_disclosure.decide(
                    app,
                    review=review,
                    document_id=document_id,
                    request=reference,
                    actor=viewer.actor,
                    outcome=outcome,
                    phrases=phrases if outcome is DisclosureOutcome.REDACTED else (),
                )
            words = _OUTCOME_WORDS[disclosed.decision.outcome].lower()
            count = len(disclosed.decision.redactions)
            said = f"{words}, {count} redactions" if count else words
            return see_other(f"{_href(reference)}/documents/{document_id}?{urlencode({'recorded': said})}")

        return await anyio.to_thread.run_sync(work)

    @get(PAGES + "/requests/sar/{reference:str}/pack.pdf", sync_to_thread=True)
    def pack_pdf(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer, "a subject access pack")
            _, data = sar.render_pack(app, reference, viewer.actor, PackFormat.PDF)
        response = download(data, MEDIA_TYPE, f"{reference}-draft-pack.pdf")
        response.headers["Cache-Control"] = "no-store"
        return response

    return [listed, item, decide, pack_pdf]
