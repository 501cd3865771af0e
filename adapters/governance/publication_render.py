"""The anonymised report as a self-contained HTML page: every value escaped, no scripts, no links out."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adapters.governance.publication import Publication

_STYLE = """
body { max-width: 46em; margin: 2em auto; padding: 0 1em; font-family: sans-serif; line-height: 1.5 }
.note { font-style: italic }
.opinion { border-left: 3px solid #888; padding-left: 0.8em }
table { border-collapse: collapse } td, th { padding: 0.2em 0.8em; text-align: left }
"""

_DATES = {
    "month": "Dates are given to the month.",
    "season": "Dates are given to the season.",
}


def render_html(publication: Publication) -> bytes:
    p = publication
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Learning Review {escape(p.review)}: anonymised report</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>Learning Review {escape(p.review)}</h1>",
        f"<p>Anonymised report, version {p.report_version}, drafted {escape(p.drafted)}; "
        f"terms of reference version {p.terms_of_reference_version}.</p>",
        '<p class="note">The people in this report are referred to by pseudonyms; places are described '
        f"in general terms. {escape(_DATES.get(p.dates, ''))}</p>",
    ]
    if p.people:
        lines += ["<h2>People</h2>", "<table>"]
        lines += [f"<tr><td>{escape(x.pseudonym)}</td><td>{escape(x.role)}</td></tr>" for x in p.people]
        lines.append("</table>")
    for section in p.sections:
        lines.append(f"<h2>{escape(section.heading)}</h2>")
        if section.text is None:
            lines.append(f'<p class="note">{escape(section.note or "not available")}</p>')
        elif section.opinion_of is not None:
            lines.append(
                f'<div class="opinion"><p class="note">The opinion of {escape(section.opinion_of)}:</p>'
            )
            lines += [f"<p>{escape(paragraph)}</p>" for paragraph in _paragraphs(section.text)]
            lines.append("</div>")
        else:
            lines += [f"<p>{escape(paragraph)}</p>" for paragraph in _paragraphs(section.text)]
    if p.strategies:
        lines.append("<h2>Strategies for improving practice and systems</h2>")
        for number, s in enumerate(p.strategies, start=1):
            lines += [f"<h3>Strategy {number}</h3>", "<dl>"]
            for label, value in (
                ("Case for change", s.case_for_change),
                ("Learning", s.learning),
                ("Evidence", s.evidence),
                ("Responsible", s.responsible),
                ("Review", s.review),
            ):
                shown = escape(value) if value is not None else '<span class="note">disposed of</span>'
                lines.append(f"<dt>{label}</dt><dd>{shown}</dd>")
            lines.append("</dl>")
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines).encode("utf-8")


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()] or [text]
