"""A response pack as a tagged, accessible PDF, bundling the documents it releases.

The pack's own HTML is laid out by WeasyPrint as PDF/UA-1 (ISO 14289-1: tagged, with its language
and title), so a screen reader reads it in order. Each document given redacted follows it, page
by page (the redacted copy is made of page images only, `redaction`); each document released
whole is embedded as an attachment under a name made of its id. The pack's SHA-256 is recorded
by the request file exactly as for the HTML and JSON packs.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from html import escape

import msgspec
import pypdfium2 as pdfium

from adapters.app.application import Application
from adapters.governance import document_disclosure, documents
from domain.governance.documents import DisclosureOutcome, DocumentDisclosureDecided, documents_stream

MEDIA_TYPE = "application/pdf"


class Bundled(msgspec.Struct, frozen=True, kw_only=True):
    """One document of the pack: its id, how it is given, and the bytes given."""

    document_id: str
    outcome: DisclosureOutcome
    file_name: str
    data: bytes


def html_to_pdf(html: str) -> bytes:
    """The HTML as a tagged PDF/UA-1 document."""
    import weasyprint  # imported here: only a PDF pack needs it

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font notices name no data but fill logs
    data: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return data


def bundle(pack: bytes, documents_given: Sequence[Bundled]) -> bytes:
    """The pack's PDF followed by each redacted copy's pages, with each whole document attached."""
    if not documents_given:
        return pack
    pdf = pdfium.PdfDocument(pack)
    try:
        for item in documents_given:
            if item.outcome is DisclosureOutcome.REDACTED:
                copy = pdfium.PdfDocument(item.data)
                try:
                    pdf.import_pages(copy)
                finally:
                    copy.close()
            elif item.outcome is DisclosureOutcome.RELEASED:
                attachment = pdf.new_attachment(item.file_name)
                attachment.set_data(item.data)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


def decisions_for(
    app: Application, request: str, records: Sequence[str]
) -> list[tuple[str, DocumentDisclosureDecided]]:
    """The latest decision on each document of the records searched for `request`, in document order."""
    found: list[tuple[str, DocumentDisclosureDecided]] = []
    for review in records:
        if not app.ledger.stream_version(documents_stream(review)):
            continue
        file = documents.load(app, review)
        found.extend(
            (review, decision)
            for (asked, _), decision in sorted(file.disclosures.items(), key=lambda kv: _number(kv[0][1]))
            if asked == request
        )
    return found


def pdf_pack(app: Application, html: str, *, request: str, records: Sequence[str], actor: str) -> bytes:
    """The whole PDF pack of a response: its HTML with the documents section, laid out, then bundled."""
    decisions = decisions_for(app, request, records)
    return bundle(html_to_pdf(with_documents_section(html, decisions)), given(app, request, records, actor))


def given(app: Application, request: str, records: Sequence[str], actor: str) -> list[Bundled]:
    """The documents a response gives, read for `request` by `actor` (each read logged)."""
    return given_by(app, request, decisions_for(app, request, records), actor)


def given_by(
    app: Application,
    request: str,
    decisions: Sequence[tuple[str, DocumentDisclosureDecided]],
    actor: str,
) -> list[Bundled]:
    """The documents `decisions` give (whole or redacted), read for `request` by `actor` (each read logged)."""
    items: list[Bundled] = []
    for review, decision in decisions:
        if decision.outcome is DisclosureOutcome.WITHHELD:
            continue
        if decision.outcome is DisclosureOutcome.REDACTED:
            data = document_disclosure.redacted_copy(
                app, review=review, document_id=decision.document_id, request=request, actor=actor
            )
            name = f"{decision.document_id}-redacted.pdf"
        else:
            document, chunks = documents.open_for(
                app,
                review=review,
                document_id=decision.document_id,
                actor=actor,
                purpose="ig-request",
                ig_request=request,
            )
            data = b"".join(chunks)
            name = documents.download_name(document)
        items.append(
            Bundled(document_id=decision.document_id, outcome=decision.outcome, file_name=name, data=data)
        )
    return items


def _number(document_id: str) -> int:
    tail = document_id.rsplit("-D", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def with_documents_section(html: str, decisions: Sequence[tuple[str, DocumentDisclosureDecided]]) -> str:
    """The pack's HTML with a section listing each document, how it is given, and its redaction log."""
    if not decisions:
        return html
    rows: list[str] = ['<section class="documents"><h2>Documents</h2>']
    for _, d in decisions:
        how = {
            DisclosureOutcome.RELEASED: f"released whole: the file {escape(d.document_id)}, which goes with this response",
            DisclosureOutcome.WITHHELD: f"withheld: {escape(d.ground)}",
            DisclosureOutcome.REDACTED: f"released redacted: the file {escape(d.document_id)}-redacted.pdf "
            f"({d.redacted_pages} page(s) rebuilt without what was removed), which goes with this response",
        }[d.outcome]
        rows.append(f"<h3>{escape(d.document_id)}</h3><p>{how}</p>")
        if d.redactions:
            rows.append(
                "<table><thead><tr><th>Redaction</th><th>Page</th><th>Ground</th><th>Found by</th></tr></thead><tbody>"
            )
            rows.extend(
                f"<tr><td>{n}</td><td>{r.page}</td><td>{escape(r.ground)}</td><td>{escape(r.source)}</td></tr>"
                for n, r in enumerate(d.redactions, start=1)
            )
            rows.append("</tbody></table>")
    rows.append("</section>")
    return html.replace("</body>", "".join(rows) + "</body>", 1)
