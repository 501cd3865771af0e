"""A review's decision trail: a summary table of decisions, each decision with the words of its basis, and its export.

The Chief Officers Group asks of every decision who made it, in which role, when, with what
outcome, on what stated basis, and whether it was in time (seed 002 'Timing and timeliness').
The page answers in one table first, then each decision in full. A basis is personal data: its
words are shown, marked as such, to those the need-to-know table gives the review (the COG reads
the bases of decisions of its authority's reviews), and the read is signed into their access log
once per page view (`adapters/review_words.py`); anyone else sees where each basis sits and whom
it is about, without its words, and a line saying why. Field names and roles are read through the
glossary (`glossary.py`); people are named beside their ids where the reader may read the name.

The export (`/trail.html`, `/trail.pdf`) is the same trail as a document that leaves the system:
it is logged as a read, laid out for print, every registered identifier in its words is replaced
before rendering, and the rendered bytes pass the disclosure check (`adapters/governance/disclosure.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.authority import Reading
from adapters.app.review_words import DISPOSED, WITHHELD, Words, read_words
from adapters.app.views import decision_trail
from adapters.governance.disclosure import check_download, register_detector
from adapters.http.errors import request_id
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import Reference, review_kind
from adapters.web.components import (
    breadcrumbs,
    button_group,
    button_link,
    details,
    heading,
    inset,
    p,
    summary_card,
    summary_list,
    table,
    tag,
)
from adapters.web.glossary import in_words, path_label, role_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, Viewer, page
from adapters.web.moments import choose
from adapters.web.pages.reviews import as_at_form, review_href, signature_tag
from adapters.web.respond import download, html, may_read, reads_once
from adapters.web.session import viewer_of
from adapters.web.words_view import Say, about, as_is, basis_item, reading_note, you
from domain.governance.identifiers import replace_matches
from domain.kernel.errors import InvalidInput
from projections.model import ALTERED, Decision

TRAIL_VIEW = "trail"
EXPORT_VIEW = "trail-export"
IDENTIFIER_WITHHELD = "[identifier withheld]"


# -- what each part of a decision says -----------------------------------------------------------


def decided_on(d: Decision) -> str:
    return ALTERED if d.outcome == ALTERED else (d.decided_on or d.recorded_at.date()).strftime("%-d %B %Y")


def who(d: Decision, words: Words, say: Say = as_is) -> str:
    role = ALTERED if d.role == ALTERED else role_label(d.role)
    return f"{say(words.named(d.actor))}, {role}"


def signed(d: Decision, words: Words) -> str:
    """The signature's status with the signer named, where the reader may read the name."""
    return d.signature.replace(f"by {d.actor} ", f"by {words.named(d.actor)} ", 1)


def timescale_met(d: Decision) -> str:
    """Yes or no, and by how much: "Yes, 6 days early"; "No, 12 days late"; "—" when no timescale applies."""
    t = d.timescale
    if t is None:
        return "—"
    days = (t.due - t.completed).days
    if days == 0:
        by = "on the day due"
    else:
        by = f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'early' if days > 0 else 'late'}"
    return f"{'Yes' if t.met else 'No'}, {by}"


def summary_rows(trail: Sequence[Decision], words: Words, say: Say = as_is) -> list[tuple[Child, ...]]:
    return [
        (
            d.what[:1].upper() + d.what[1:],
            who(d, words, say),
            decided_on(d),
            say(words.with_names(in_words(d.outcome))),
            timescale_met(d),
        )
        for d in trail
    ]


SUMMARY_HEAD = ("Decision", "Who", "When", "Outcome", "Timescale met")


def basis(d: Decision, words: Words, say: Say = as_is) -> Child:
    if not d.basis:
        return "none stated"
    return el("ul", [basis_item(b, d.version, words, say) for b in d.basis], class_="govuk-list")


def decision_rows(d: Decision, words: Words, say: Say = as_is) -> list[tuple[Child, Child]]:
    timescale: Child = "no timescale"
    if d.timescale is not None:
        t = d.timescale
        verdict = tag("Met", "green") if t.met else tag("Missed", "red")
        timescale = join([verdict, f" {t.name}: due {t.due}, completed {t.completed} ({t.rule})"])
    return [
        ("Outcome", say(words.with_names(in_words(d.outcome)))),
        ("Decided on", decided_on(d)),
        ("Who", who(d, words, say)),
        ("Basis", basis(d, words, say)),
        ("Follows from", f"step {d.follows_from.version}: {d.follows_from.what}" if d.follows_from else "—"),
        ("Timescale", timescale),
        ("Signature", signature_tag(say(signed(d, words)))),
        (
            "Recorded",
            f"{d.recorded_at.strftime('%-d %B %Y %H:%M UTC')}, step {d.version}, log position {d.position}",
        ),
    ]


def _title(d: Decision) -> str:
    return f"{d.what[:1].upper()}{d.what[1:]} ({d.kind})"


# -- the page ------------------------------------------------------------------------------------


@reads_once
def _trail_page(app: Application, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    kind = review_kind(app, reference)
    may_read(app, viewer, Reading.TRAIL, reference, kind)
    choice = choose(query, "as_at", app.clock.now().date())
    trail = decision_trail(app, reference, choice.moment)
    words = read_words(app, viewer.actor, reference, view=TRAIL_VIEW, request_id=request_id() or "")
    verified = sum(d.signature.startswith("verified") for d in trail)
    timed = [d for d in trail if d.timescale is not None]
    missed = [d for d in timed if d.timescale is not None and not d.timescale.met]
    export = f"{PAGES}/reviews/{reference}/trail"
    as_at = f"?as_at={choice.text}" if choice.text else ""
    body: list[Child] = [
        breadcrumbs([("Reviews", f"{PAGES}/reviews"), (reference, review_href(reference, choice.text))]),
        heading("Decision trail", caption=reference),
        p(
            f"{len(trail)} decisions and sign-offs; {verified} with verified signatures; "
            f"{len(timed) - len(missed)} of {len(timed)} timed decisions met their timescale."
        ),
        reading_note(words),
        el(
            "div",
            button_group(
                button_link("Download as PDF", f"{export}.pdf{as_at}", secondary=True),
                button_link("Download as HTML", f"{export}.html{as_at}", secondary=True),
            ),
            details(
                "See the trail as it stood on an earlier day",
                as_at_form(export, choice),
                open_=bool(choice.error) or choice.historical,
            ),
            class_="rl-no-print",
        ),
        table(
            SUMMARY_HEAD,
            [
                (el("a", row[0], href=f"#decision-{d.version}", class_="govuk-link"), *row[1:])
                for d, row in zip(trail, summary_rows(trail, words), strict=True)
            ],
            caption="Decisions at a glance",
            caption_size="m",
            row_headers=True,
        )
        if trail
        else None,
        heading("Each decision in full", size="m", level=2) if trail else None,
        join(
            [
                el(
                    "div",
                    summary_card(_title(d), summary_list(decision_rows(d, words))),
                    id=f"decision-{d.version}",
                )
                for d in trail
            ]
        )
        if trail
        else inset("No decisions have been recorded yet."),
    ]
    return page(
        f"Decision trail of {reference}",
        body,
        viewer=viewer,
        current="reviews",
        historical=choice.label() if choice.historical else None,
        errors=[("as_at", choice.error)] if choice.error else (),
    )


# -- the export ----------------------------------------------------------------------------------

_EXPORT_STYLE = """
@page { size: A4; margin: 18mm 15mm; @bottom-right { content: counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #0b0c0c; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 14pt 0 6pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin-bottom: 10pt; }
thead { display: table-header-group; } tr { break-inside: avoid; }
th, td { border: 1px solid #b1b4b6; padding: 3pt 5pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f2f1; } .decision { break-inside: avoid; }
.personal { border-left: 3pt solid #4c2c92; padding-left: 4pt; }
.mark { font-weight: bold; color: #4c2c92; font-size: 8.5pt; text-transform: uppercase; }
.hint { color: #505a5f; } ul { margin: 0; padding-left: 14pt; }
"""


def _export_basis(d: Decision, words: Words, say: Say) -> str:
    if not d.basis:
        return "none stated"
    items = []
    for b in d.basis:
        label = escape(path_label(b.field))
        if b.sealed is None:
            items.append(f"<li><b>{label}:</b> {escape(say(b.text or ''))}</li>")
            continue
        text = words.text(d.version, b.field)
        whom = escape(about(b, words, say))
        if text is None or text in (WITHHELD, DISPOSED):
            said = "words withheld" if text is None else text
            items.append(f'<li><b>{label}:</b> <span class="hint">{escape(said)}: {whom}</span></li>')
        else:
            items.append(
                f'<li><b>{label}:</b> <span class="personal"><span class="mark">Personal data</span> '
                f'{escape(say(text))}</span> <span class="hint">{whom}</span></li>'
            )
    return "<ul>" + "".join(items) + "</ul>"


def export_html(
    reference: str, trail: Sequence[Decision], words: Words, say: Say, *, made_at: datetime, as_at: str
) -> str:
    """The trail as a standalone document: the summary table, then each decision in full."""
    summary = "".join(
        "<tr>"
        + f'<th scope="row">{escape(str(row[0]))}</th>'
        + "".join(f"<td>{escape(str(c))}</td>" for c in row[1:])
        + "</tr>"
        for row in summary_rows(trail, words, say)
    )
    details = []
    for d in trail:
        rows = [
            ("Outcome", escape(say(words.with_names(in_words(d.outcome))))),
            ("Decided on", escape(decided_on(d))),
            ("Who", escape(who(d, words, say))),
            ("Basis", _export_basis(d, words, say)),
            (
                "Follows from",
                escape(f"step {d.follows_from.version}: {d.follows_from.what}" if d.follows_from else "—"),
            ),
            ("Timescale met", escape(timescale_met(d))),
            ("Signature", escape(say(signed(d, words)))),
            (
                "Recorded",
                escape(
                    f"{d.recorded_at.strftime('%-d %B %Y %H:%M UTC')}, step {d.version}, log position {d.position}"
                ),
            ),
        ]
        cells = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
        details.append(
            f'<section class="decision"><h3>{escape(_title(d))}</h3><table>{cells}</table></section>'
        )
    note = (
        "Bases marked “Personal data” are personal data: keep this document as the review's own records are kept. "
        f"Registered identifiers in the words are shown as {IDENTIFIER_WITHHELD}."
        if words.granted
        else f"The words of each basis are withheld: {escape(you(words.refused))} (need to know)."
    )
    stood = f" as it stood at {escape(as_at)}" if as_at else ""
    head = "".join(f'<th scope="col">{h}</th>' for h in SUMMARY_HEAD)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Decision trail of {escape(reference)}</title><style>{_EXPORT_STYLE}</style></head><body>"
        f"<h1>Decision trail of {escape(reference)}</h1>"
        f'<p class="hint">The record{stood}, exported on {made_at.strftime("%-d %B %Y %H:%M UTC")}. {note}</p>'
        f"<h2>Decisions at a glance</h2><table><thead><tr>{head}</tr></thead><tbody>{summary}</tbody></table>"
        f"<h2>Each decision in full</h2>{''.join(details) or '<p>No decisions have been recorded yet.</p>'}"
        "</body></html>\n"
    )


@reads_once
def _export(
    app: Application, viewer: Viewer, reference: str, query: dict[str, str], pdf: bool
) -> Response[bytes]:
    kind = review_kind(app, reference)
    may_read(app, viewer, Reading.TRAIL, reference, kind)
    choice = choose(query, "as_at", app.clock.now().date())
    if choice.error:
        raise InvalidInput("as_at", choice.error)
    trail = decision_trail(app, reference, choice.moment)
    words = read_words(app, viewer.actor, reference, view=EXPORT_VIEW, request_id=request_id() or "")
    detector = register_detector(app)

    def say(text: str) -> str:
        return replace_matches(text, detector.find(text), IDENTIFIER_WITHHELD)

    document = export_html(
        reference,
        trail,
        words,
        say,
        made_at=app.clock.now().astimezone(UTC),
        as_at=choice.label() if choice.historical else "",
    )
    name = f"decision-trail-{reference}"
    if pdf:
        from adapters.governance.pack_pdf import MEDIA_TYPE, html_to_pdf

        data = check_download(app, html_to_pdf(document), document="decision trail", record=reference)
        return download(data, MEDIA_TYPE, f"{name}.pdf")
    data = check_download(app, document.encode("utf-8"), document="decision trail", record=reference)
    return download(data, "text/html; charset=utf-8", f"{name}.html")


# -- routes --------------------------------------------------------------------------------------


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    def query_of(request: Request[Any, Any, Any]) -> dict[str, str]:
        return {k: v for k, v in request.query_params.items() if isinstance(v, str)}

    @get(PAGES + "/reviews/{reference:str}/trail", sync_to_thread=True)
    def trail(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = viewer_of(app, request)
            request.state.viewer = viewer
            markup = _trail_page(app, viewer, reference, query_of(request))
        return html(markup, 400 if "govuk-error-summary" in markup else 200)

    @get(PAGES + "/reviews/{reference:str}/trail.html", sync_to_thread=True)
    def trail_html(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = viewer_of(app, request)
            request.state.viewer = viewer
            return _export(app, viewer, reference, query_of(request), pdf=False)

    @get(PAGES + "/reviews/{reference:str}/trail.pdf", sync_to_thread=True)
    def trail_pdf(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = viewer_of(app, request)
            request.state.viewer = viewer
            return _export(app, viewer, reference, query_of(request), pdf=True)

    return [trail, trail_html, trail_pdf]
