"""An FOI response or review decision as the requester receives it: readable HTML, or canonical JSON.

The HTML is one self-contained file (no scripts, no external resources), every value escaped;
each redaction is a visible marker citing its exemption, and the redaction log lists them all.
The JSON is canonical (UTF-8, keys sorted, no insignificant whitespace).
"""

from __future__ import annotations

import re
from html import escape

import msgspec

from adapters.governance.foi.contents import FoiResponse, ReviewDecisionNotice
from adapters.governance.pack_pdf import html_to_pdf
from domain.governance.sar.steps import PackFormat

MEDIA_TYPES: dict[PackFormat, str] = {
    PackFormat.HTML: "text/html; charset=utf-8",
    PackFormat.JSON: "application/json",
    PackFormat.PDF: "application/pdf",  # a response laid out from the HTML, with its documents (pack_pdf)
}

_canonical = msgspec.json.Encoder(order="sorted")
_MARKER = re.compile(r"\[redacted: [^\]]*\]")  # a marker inside clear text, once escaped

STYLE = """
body { font-family: Georgia, serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.redacted { background: #111; color: #fff; padding: 0 0.3rem; font-family: Helvetica, Arial, sans-serif; }
.draft { border: 3px solid #b00; color: #b00; padding: 0.5rem; font-weight: bold; }
.notice p { white-space: pre-line; }
"""


def render(document: FoiResponse | ReviewDecisionNotice, fmt: PackFormat) -> bytes:
    """The exact bytes of the document in `fmt` (html, json, or pdf without bundled documents)."""
    if fmt is PackFormat.JSON:
        return _canonical.encode(document)
    html = _review_html(document) if isinstance(document, ReviewDecisionNotice) else response_html(document)
    if fmt is PackFormat.PDF:
        return html_to_pdf(html)
    if fmt is not PackFormat.HTML:
        raise ValueError(f"a response is rendered as html, json or pdf, not {fmt}")
    return html.encode("utf-8")


def _head(title: str) -> list[str]:
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]


def _notice(text: str) -> list[str]:
    return ['<section class="notice">'] + [f"<p>{_e(p)}</p>" for p in text.split("\n\n")] + ["</section>"]


def response_html(r: FoiResponse) -> str:
    out = _head(f"Response to freedom of information request {r.reference}")
    if r.draft:
        out.append('<p class="draft">DRAFT for review: this response has not been sent.</p>')
    out.append(f"<h1>Response to your freedom of information request, reference {_e(r.reference)}</h1>")
    out.append(f"<p>Date: {_e(r.responded_on.isoformat())}</p>")
    out.extend(_notice(r.notice))
    if r.withheld_in_whole:
        out.append(f"<p>Withheld in whole: {_e(', '.join(r.withheld_in_whole))}</p>")
    for part in r.parts:
        out.append("<section>")
        out.append(f"<h2>{_e(part.title)}</h2>")
        out.append("<table>")
        for entry in part.entries:
            if entry.redaction is not None:
                cell = f'<span class="redacted">{_e(entry.redaction)}</span>'
            else:
                cell = _MARKER.sub(r'<span class="redacted">\g<0></span>', _e(entry.text or ""))
            out.append(f"<tr><th>{_e(entry.label)}</th><td>{cell}</td></tr>")
        out.append("</table>")
        out.append("</section>")
    if r.redaction_log:
        out.append("<section>")
        out.append("<h2>Redaction log</h2>")
        out.append("<table><tr><th>Item</th><th>Where</th><th>Exemption</th><th>Title</th></tr>")
        for row in r.redaction_log:
            out.append(
                f"<tr><td>{_e(row.item_id)}</td><td>{_e(row.label)}</td><td>{_e(row.section)}</td>"
                f"<td>{_e(row.title)}</td></tr>"
            )
        out.append("</table>")
        out.append("</section>")
    out.extend(["</body>", "</html>"])
    return "\n".join(out) + "\n"


def _review_html(r: ReviewDecisionNotice) -> str:
    out = _head(f"Review of freedom of information request {r.reference}")
    out.append(f"<h1>Review of your freedom of information request, reference {_e(r.reference)}</h1>")
    out.append(f"<p>Date: {_e(r.decided_on.isoformat())}</p>")
    out.extend(_notice(r.notice))
    out.extend(["</body>", "</html>"])
    return "\n".join(out) + "\n"


def _e(text: str) -> str:
    return escape(text, quote=True)
