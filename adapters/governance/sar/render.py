"""A subject access response pack as the requester receives it: a readable HTML document, or JSON.

The HTML is one self-contained file (no scripts, no external styles, fonts or images), every value
escaped, each withheld item shown with a visible marker naming the ground. The JSON is canonical:
UTF-8, keys sorted, no insignificant whitespace, so the same pack always gives the same bytes.
"""

from __future__ import annotations

import re
from html import escape

import msgspec

from adapters.app import record_names
from adapters.governance.pack_pdf import html_to_pdf
from adapters.governance.sar.contents import ItemStatus, Pack, PackItem
from domain.governance.sar.steps import PackFormat

MEDIA_TYPES: dict[PackFormat, str] = {
    PackFormat.HTML: "text/html; charset=utf-8",
    PackFormat.JSON: "application/json",
    PackFormat.PDF: "application/pdf",  # laid out from the HTML, with its documents (adapters/governance/pack_pdf.py)
}

_canonical = msgspec.json.Encoder(order="sorted")

STYLE = """
body { font-family: Georgia, serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.redacted { background: #111; color: #fff; padding: 0 0.3rem; font-family: Helvetica, Arial, sans-serif; }
.disposed { font-style: italic; color: #444; }
.draft { border: 3px solid #b00; color: #b00; padding: 0.5rem; font-weight: bold; }
.item { border-top: 1px solid #999; padding: 0.5rem 0; }
.meta { color: #444; font-size: 0.9rem; }
"""


_OWN_ENTRY = re.compile(r"\bsubject-S-[A-Za-z0-9-]+")


def in_words(text: str) -> str:
    """A record named as the requester reads it: no internal stream name. The pack names only the
    requester's own register entry (another person's is "another person's register entry" already)."""
    return record_names.in_words(_OWN_ENTRY.sub("your entry in our register of data subjects", text))


def render(pack: Pack, fmt: PackFormat) -> bytes:
    """The exact bytes of the pack in `fmt` (html or json)."""
    if fmt is PackFormat.JSON:
        return canonical_json(pack)
    if fmt is PackFormat.HTML:
        return html_document(pack).encode("utf-8")
    if fmt is PackFormat.PDF:  # the pack alone; `sar.send_pack` bundles the documents it gives
        return html_to_pdf(html_document(pack))
    raise ValueError(f"a pack is rendered as html or json, not {fmt}")


def canonical_json(pack: Pack) -> bytes:
    return _canonical.encode(pack)


def html_document(pack: Pack) -> str:
    letter = pack.cover_letter
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Subject access response {_e(pack.reference)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    if pack.draft:
        out.append('<p class="draft">DRAFT for review: this pack has not been sent.</p>')
    out.append(f"<h1>Subject access response, reference {_e(pack.reference)}</h1>")
    out.append(f'<p class="meta">Prepared on {_e(pack.prepared_on.isoformat())}</p>')
    # -- the cover letter
    out.append("<section>")
    out.append("<h2>Cover letter</h2>")
    if letter.requester_name:
        out.append(f"<p>{_e(letter.requester_name)}</p>")
    if letter.requester_address:
        out.append(f"<p>{_e(letter.requester_address)}</p>")
    out.extend(f"<p>{_e(in_words(p))}</p>" for p in letter.paragraphs)
    out.append("<h3>What we searched</h3>")
    out.append("<table><tr><th>Record</th><th>What was searched</th><th>Searched on</th></tr>")
    for s in letter.searched:
        out.append(
            f"<tr><td>{_e(in_words(s.record))}</td><td>{_e(s.what or '')}</td><td>{_e(s.searched_on.isoformat())}</td></tr>"
        )
    out.append("</table>")
    if letter.search_terms:
        out.append(f"<p>Search terms: {_e('; '.join(letter.search_terms))}</p>")
    if letter.due_on:
        out.append(f"<p>Our response was due by {_e(letter.due_on.isoformat())}.</p>")
    out.append("</section>")
    # -- the items
    out.append("<section>")
    out.append("<h2>Your personal data</h2>")
    for item in pack.items:
        out.extend(_item(item))
    out.append("</section>")
    # -- the information that goes with the copy
    out.append("<section>")
    out.append("<h2>Information about how we use your data (UK GDPR Article 15)</h2>")
    for info in pack.information:
        out.append(f'<h3>{_e(info.heading)} <span class="meta">({_e(info.article)})</span></h3>')
        out.append(f"<p>{_e(info.text)}</p>")
    out.append("</section>")
    # -- the redaction log
    out.append("<section>")
    out.append("<h2>Redaction log</h2>")
    if not pack.redaction_log:
        out.append("<p>Nothing was withheld.</p>")
    else:
        labels = {i.item_id: item_label(i) for i in pack.items}
        out.append(
            "<table><tr><th>No.</th><th>Item</th><th>Ground</th><th>Law</th><th>Decision</th>"
            "<th>Decided by</th><th>On</th><th>Basis and reasons</th></tr>"
        )
        for e in pack.redaction_log:
            why = "; ".join(x for x in (e.basis, e.reasons) if x)
            out.append(
                f"<tr><td>{e.number}</td><td>{_e(labels.get(e.item_id) or in_words(e.item_id))}</td><td>{_e(e.ground)}</td><td>{_e(e.law)}</td>"
                f"<td>{_e(e.outcome)}</td><td>{_e(', '.join(e.decided_by))}</td>"
                f"<td>{_e(e.decided_on.isoformat() if e.decided_on else '')}</td><td>{_e(why)}</td></tr>"
            )
        out.append("</table>")
    out.append("</section>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def item_label(item: PackItem) -> str:
    """An item as the redaction log names it: where it is, the step and the field (a document by
    its reference)."""
    return " · ".join(x for x in (in_words(item.record), item.step, _field(item)) if x)


def _field(item: PackItem) -> str:
    return f"document {item.item_id.rsplit('/', 1)[-1]}" if item.kind == "document" else item.field


def _item(item: PackItem) -> list[str]:
    facts = [
        f"record {in_words(item.record)}",
        f"step: {item.step}" if item.step else "",
        f"recorded on {item.recorded_on.isoformat()}" if item.recorded_on else "",
        f"field {_field(item)}",
        item.kind,
        item.nature,
        f"stated by {item.stated_by}" if item.stated_by else "",
        "special category data" if item.special_category else "",
    ]
    lines = ['<div class="item">', f'<p class="meta">{_e(" · ".join(f for f in facts if f))}</p>']
    if item.status in (ItemStatus.DISCLOSED, ItemStatus.IN_PART) and item.value is not None:
        lines.append(f"<p>{_e(item.value)}</p>")
        if item.note:
            lines.append(f'<p class="meta">{_e(item.note)}</p>')
    elif item.status is ItemStatus.WITHHELD:
        lines.append(f'<p><span class="redacted">{_e(item.note or "[withheld]")}</span></p>')
    else:
        lines.append(f'<p class="disposed">{_e(item.note or item.status.value)}</p>')
    lines.append("</div>")
    return lines


def _e(text: str) -> str:
    return escape(text, quote=True)
