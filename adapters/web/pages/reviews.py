"""The reviews: one review with its timescales, and two dates compared (the list: `pages_review_list.py`; the trail: `pages_trail.py`).

Every page here reads the same services as the API and the command line (`adapters/app/views.py`,
`projections/queries.py`) and is checked against the same table (`adapters/app/authority.py`).
None of them shows a personal-data value: an item of personal data is shown as sealed, with
whom it is about and what kind it is. A page "as at" a moment replays the log up to it and
says so at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.authority import COMMANDS, Reading
from adapters.app.review_words import Words, read_words
from adapters.app.views import (
    NOW,
    review_at,
    review_diff,
    review_state,
    terms_history,
)
from adapters.http.errors import request_id
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import Reference, review_kind
from adapters.web.components import (
    breadcrumbs,
    button,
    button_group,
    button_link,
    date_input,
    details,
    heading,
    link,
    notification,
    p,
    summary_card,
    summary_list,
    table,
    tag,
)
from adapters.web.glossary import field_label, in_words, path_label, role_label
from adapters.web.glossary import words as words_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, Viewer, form, page
from adapters.web.moments import MomentChoice, choose
from adapters.web.pages.steps import not_named_note, step_label
from adapters.web.respond import html, may_read, reads_once
from adapters.web.session import viewer_of
from adapters.web.timescale_picture import picture
from adapters.web.words_view import basis_item, personal_text, reading_note
from domain.kernel.errors import InvalidInput
from domain.routes.national.events_reporting import REPORT_DRAFTS
from projections.model import (
    ALTERED,
    BasisItem,
    Decision,
    PersonalItem,
    ReviewState,
    TermsVersion,
    TimescaleView,
)

REVIEW_VIEW = "review"
DUE_SOON_DAYS = 14  # a running timescale due within this many days is flagged "due soon"


def review_href(reference: str, as_at: str = "") -> str:
    return f"{PAGES}/reviews/{reference}" + (f"?{urlencode({'as_at': as_at})}" if as_at else "")


def _today(app: Application) -> date:
    return app.clock.now().date()


# -- small pieces --------------------------------------------------------------------------------


def status_tag(status: str) -> Html:
    """The status as a tag; what follows a "; " (why it closed, where it went) as text after it."""
    word, _, rest = status.partition("; ")
    colour = "grey" if word == "closed" else "blue" if word == "open" else "yellow"
    return join([tag(word, colour), el("span", rest, class_="govuk-body-s rl-block") if rest else None])


def timescale_badges(timescales: Sequence[TimescaleView]) -> Html:
    if any(c.verification for c in timescales):
        return tag(ALTERED, "red")  # its timescales stand as before an event not as signed
    overdue = [c for c in timescales if c.overdue]
    soon = [
        c for c in timescales if not c.overdue and c.days_left is not None and c.days_left <= DUE_SOON_DAYS
    ]
    badges: list[Child] = []
    if overdue:
        badges.append(tag("Overdue", "red"))
    if soon:
        badges.append(tag("Due soon", "yellow"))
    if not badges:
        return Html("")
    return join([join([b, " "]) for b in badges])


def timescale_status(timescale: TimescaleView) -> Html:
    if timescale.verification:
        return tag(ALTERED, "red")
    if timescale.status == "met":
        return tag("Met", "green")
    if timescale.status == "missed":
        return tag("Missed", "red")
    if timescale.overdue:
        return tag("Overdue", "red")
    if timescale.status == "paused":
        return tag("Paused", "grey")
    if timescale.days_left is not None and timescale.days_left <= DUE_SOON_DAYS:
        return tag("Due soon", "yellow")
    return tag("Running", "blue")


def sealed(item: PersonalItem) -> Html:
    about = ", ".join(item.about) or "nobody named"
    by = f", stated by {item.by}" if item.by else ""
    return el("span", f"sealed {item.kind} ({item.nature}) about {about}{by}", class_="govuk-hint rl-sealed")


def basis(items: Sequence[BasisItem]) -> Html:
    if not items:
        return Html("")
    return el(
        "ul",
        [
            el(
                "li",
                f"{path_label(b.field)}: ",
                b.text if b.text is not None else sealed(b.sealed) if b.sealed else "",
            )
            for b in items
        ],
        class_="govuk-list",
    )


def signature_tag(status: str) -> Html:
    word, colour = (
        ("Verified", "green")
        if status.startswith("verified")
        else ("Not trusted", "orange")
        if status.startswith("not trusted")
        else ("Invalid", "red")
    )
    return join([tag(word, colour), el("p", status, class_="govuk-body-s")])


def as_at_form(
    action: str, choice: MomentChoice, *, legend: str = "See it as it stood at the end of a day"
) -> Html:
    return form(
        action,
        None,
        date_input("as_at", legend, value=choice.parts, hint="For example, 31 3 2026", error=choice.error),
        button_group(
            button("Show", secondary=True),
            link("Show it as it is now", action) if choice.historical else None,
        ),
        method="get",
    )


# -- one review ----------------------------------------------------------------------------------


def _terms(versions: Sequence[TermsVersion], words: Words) -> Html:
    if not versions:
        return p("No terms of reference have been set.")
    cards = []
    for version in versions:
        rows = [
            (
                f"{s.action.capitalize()} on {s.on or s.recorded_at.date()}",
                join(
                    [
                        f"by {words.named(s.actor)}, {role_label(s.role)}, step {s.stream_version}",
                        el(
                            "ul",
                            [basis_item(b, s.stream_version, words) for b in s.changes],
                            class_="govuk-list",
                        )
                        if s.changes
                        else None,
                    ]
                ),
            )
            for s in version.steps
        ]
        cards.append(
            summary_card(
                join([f"Version {version.version} ", tag(version.status, "grey")]), summary_list(rows)
            )
        )
    return join(cards)


def _report(words: Words) -> Html:
    """The report as drafted, version by version: each section's heading and its words (national route)."""
    drafts = [r for r in words.opened.values() if isinstance(r.event, REPORT_DRAFTS)]
    if not drafts:
        return p("No report has been drafted.")
    cards = []
    for recorded in sorted(drafts, key=lambda r: r.version, reverse=True):
        event = recorded.event
        assert isinstance(event, REPORT_DRAFTS)
        rows: list[tuple[Child, Child]] = [
            (
                section.heading.value[:1].upper() + section.heading.value[1:],
                personal_text(
                    PersonalItem(
                        field=f"sections[{i}].text",
                        about=section.text.about,
                        kind=section.text.kind.value,
                        nature=section.text.nature.value,
                    ),
                    recorded.version,
                    words,
                ),
            )
            for i, section in enumerate(event.sections)
        ]
        cards.append(
            summary_card(
                f"Version {event.version}, drafted on {event.drafted_on.strftime('%-d %B %Y')} (step {recorded.version})",
                summary_list(rows),
            )
        )
    return join(cards)


@reads_once
def _review_page(app: Application, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    kind = review_kind(app, reference)
    may_read(app, viewer, Reading.STATE, reference, kind)
    today = _today(app)
    choice = choose(query, "as_at", today)
    try:
        found = review_at(app, reference, choice.moment)
    except InvalidInput:
        choice = MomentChoice(
            NOW, "", choice.parts, f"{reference} had no steps recorded by then: choose a later date"
        )
        found = review_at(app, reference, NOW)
    state: ReviewState = found.state if choice.historical else review_state(app, reference)
    words = read_words(app, viewer.actor, reference, view=REVIEW_VIEW, request_id=request_id() or "")
    terms = found.terms if choice.historical else terms_history(app, reference)
    day = choice.day(today)
    team = [r for r in state.roles if r.kind == "team"]
    acted = [r for r in state.roles if r.kind != "team"]
    may_step = (
        bool(set().union(*COMMANDS[kind].values()) & viewer.roles)
        and not choice.historical
        and not state.status.startswith("closed")  # a closed review offers no step
    )
    actions = button_group(
        button_link("Record the next step", f"{PAGES}/reviews/{reference}/steps") if may_step else None,
        button_link(
            "Decision trail",
            f"{PAGES}/reviews/{reference}/trail" + (f"?as_at={choice.text}" if choice.text else ""),
            secondary=True,
        ),
        button_link("Compare two dates", f"{PAGES}/reviews/{reference}/compare", secondary=True),
        button_link("Documents", f"{PAGES}/reviews/{reference}/documents", secondary=True),
    )
    recorded = query.get("recorded", "")
    banner = (
        notification(
            "Success",
            join([p(f"Recorded as step {query.get('version', '')} of {reference}."), not_named_note(query)]),
            success=True,
            heading_text=f"{step_label(recorded)}: recorded and signed",
        )
        if recorded and not choice.historical
        else None
    )
    body: list[Child] = [
        breadcrumbs([("Reviews", f"{PAGES}/reviews")]),
        banner,
        heading(reference, caption=state.kind),
        actions,
        summary_list(
            [
                ("Stage", state.stage),
                ("Status", status_tag(state.status)),
                ("Subject group", state.subject_group or "not recorded"),
                (
                    "Terms of reference in force",
                    f"version {state.terms_in_force}" if state.terms_in_force else "none yet",
                ),
                (
                    "Amendment awaiting agreement",
                    f"version {state.terms_pending}" if state.terms_pending else "none",
                ),
                ("Steps recorded", str(state.version)),
                ("Last step recorded", state.updated_at.strftime("%-d %B %Y %H:%M UTC")),
                ("Personal data", "disposed of" if state.personal_data_disposed else "held, sealed"),
                *([("Verification", state.verification)] if state.verification else []),
            ]
        ),
        heading("Timescales", size="m", level=2),
        picture(
            state.clocks,
            found.timeline,
            day,
            state.stage,
            day_label="as at" if choice.historical else "today",
        ),
        table(
            ["Timescale", "Started", "Due", "Status", "Completed", "Days left"],
            [
                (
                    join([c.name, el("br"), el("span", c.rule, class_="govuk-body-s")]),
                    str(c.started),
                    str(c.due),
                    timescale_status(c),
                    str(c.completed or ""),
                    "" if c.days_left is None else str(c.days_left),
                )
                for c in state.clocks
            ],
            caption="Timescales as text",
            caption_size="s",
            numeric=(5,),
            row_headers=True,
        )
        if state.clocks
        else None,
        as_at_form(review_href(reference), choice),
        heading("Still to do", size="m", level=2),
        table(
            ["What", "Who", "Due", "Rule"],
            [
                (o.what, ", ".join(role_label(w) for w in o.who), str(o.due or ""), o.rule)
                for o in state.obligations
            ],
            row_headers=True,
        )
        if state.obligations
        else p("Nothing is outstanding."),
        heading("Team", size="m", level=2),
        table(
            ["Role", "Who", "Agency", "Since", "Until"],
            [
                (
                    words_label(r.role),
                    words.named(r.holder),
                    r.agency or "",
                    str(r.since or ""),
                    str(r.until or ""),
                )
                for r in team
            ],
            row_headers=True,
        )
        if team
        else p("No Review Team has been appointed."),
        details(
            "People who have taken steps, by role",
            table(
                ["Role", "Who"],
                [(role_label(r.role), words.named(r.holder)) for r in acted],
                row_headers=True,
            )
            if acted
            else p("Nobody yet."),
        ),
        reading_note(words, "the terms of reference, the report and the chronology below"),
        heading("Terms of reference", size="m", level=2),
        _terms(terms, words),
        heading("Report", size="m", level=2),
        _report(words),
        heading("Linked reviews", size="m", level=2),
        el(
            "ul",
            [
                el("li", link(link_.reference, review_href(link_.reference)), f" ({link_.relationship})")
                for link_ in state.linked_reviews
            ],
            class_="govuk-list",
        )
        if state.linked_reviews
        else p("No linked reviews."),
        heading("Parallel processes", size="m", level=2),
        table(
            ["Process", "State", "Checked on"],
            [(pp.process, pp.state, str(pp.checked_on)) for pp in state.parallel_processes],
            row_headers=True,
        )
        if state.parallel_processes
        else p("None recorded."),
        heading("Timeline", size="m", level=2),
        table(
            ["Step", "What", "Who", "Role", "Recorded"],
            [
                (
                    str(e.version),
                    e.what,
                    words.named(e.actor),
                    role_label(e.role) if e.role else "",
                    e.recorded_at.strftime("%-d %b %Y %H:%M"),
                )
                for e in found.timeline
            ],
            caption="Every step recorded, with who and when",
            caption_size="s",
        ),
        heading("Merged chronology", size="m", level=2),
        table(
            ["Date", "Agency", "From step", "Entry"],
            [
                (
                    str(c.occurred_on),
                    c.agency,
                    str(c.source_version),
                    personal_text(c.text, c.source_version, words),
                )
                for c in found.chronology
            ],
        )
        if found.chronology
        else p("No chronology has been merged."),
    ]
    return page(
        reference,
        body,
        viewer=viewer,
        current="reviews",
        historical=choice.label() if choice.historical else None,
        errors=[("as_at", choice.error)] if choice.error else (),
    )


# -- the decision trail --------------------------------------------------------------------------


def decision_card(d: Decision) -> Html:
    timescale: Child = "no timescale"
    if d.timescale is not None:
        t = d.timescale
        verdict = tag("Met", "green") if t.met else tag("Missed", "red")
        timescale = join([verdict, f" {t.name}: due {t.due}, completed {t.completed} ({t.rule})"])
    rows: list[tuple[Child, Child]] = [
        ("Outcome", in_words(d.outcome)),
        ("Decided on", ALTERED if d.outcome == ALTERED else str(d.decided_on or d.recorded_at.date())),
        ("Who", f"{d.actor}, {role_label(d.role)}"),
        ("Basis", basis(d.basis) or "none stated"),
        ("Follows from", f"step {d.follows_from.version}: {d.follows_from.what}" if d.follows_from else "—"),
        ("Timescale", timescale),
        ("Signature", signature_tag(d.signature)),
        (
            "Recorded",
            f"{d.recorded_at.strftime('%-d %B %Y %H:%M UTC')}, step {d.version}, log position {d.position}",
        ),
    ]
    return summary_card(f"{d.what} ({d.kind})", summary_list(rows))


# -- two dates compared --------------------------------------------------------------------------


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return "; ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items() if v not in (None, "", [], ()))
    return str(value)


@reads_once
def _compare_page(app: Application, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    kind = review_kind(app, reference)
    may_read(app, viewer, Reading.STATE, reference, kind)
    today = _today(app)
    earlier = choose(query, "from", today, "The first date")
    later = choose(query, "to", today, "The second date")
    errors = [(f, c.error) for f, c in (("from", earlier), ("to", later)) if c.error]
    chosen = earlier.historical and not errors
    if (
        chosen
        and later.historical
        and earlier.moment.time
        and later.moment.time
        and earlier.moment.time > later.moment.time
    ):
        errors.append(("from", "The first date must be the same as or before the second date"))
    result: list[Child] = []
    if earlier.historical and not errors:
        diff = review_diff(app, reference, earlier.moment, later.moment)
        result = [
            heading(f"From {earlier.label()} to {later.label()}", size="m", level=2),
            table(
                ["What", "Before", "After"],
                [(field_label(c.field), _value(c.before), _value(c.after)) for c in diff.changes],
                caption="What changed",
                caption_size="s",
                row_headers=True,
            )
            if diff.changes
            else p("Nothing in the review's state changed."),
            heading("Decisions taken in between", size="s", level=3),
            join([decision_card(d) for d in diff.decisions]) if diff.decisions else p("None."),
            p(
                "The words of each basis are on the ",
                link("decision trail", f"{PAGES}/reviews/{reference}/trail"),
                ", for those who may read them.",
            )
            if diff.decisions
            else None,
            heading("Steps recorded in between", size="s", level=3),
            table(
                ["Step", "What", "Who", "Recorded"],
                [(str(e.version), e.what, e.actor, e.recorded_at.strftime("%-d %b %Y")) for e in diff.events],
            )
            if diff.events
            else p("None."),
        ]
    body: list[Child] = [
        breadcrumbs([("Reviews", f"{PAGES}/reviews"), (reference, review_href(reference))]),
        heading("Compare two dates", caption=reference),
        form(
            f"{PAGES}/reviews/{reference}/compare",
            None,
            date_input(
                "from",
                "From the end of",
                value=earlier.parts,
                hint="For example, 1 2 2026",
                error=earlier.error,
            ),
            date_input(
                "to",
                "To the end of",
                value=later.parts,
                hint="Leave empty to compare with now",
                error=later.error,
            ),
            button("Compare", secondary=True),
            method="get",
        ),
        *result,
    ]
    return page(f"Compare two dates of {reference}", body, viewer=viewer, current="reviews", errors=errors)


# -- routes --------------------------------------------------------------------------------------


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    def serve(request: Request[Any, Any, Any], render: Any, *args: Any) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = viewer_of(app, request)
            request.state.viewer = viewer
            query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            markup: Html = render(app, viewer, *args, query)
        return html(markup, 400 if "govuk-error-summary" in markup else 200)

    @get(PAGES + "/reviews/{reference:str}", sync_to_thread=True)
    def review(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        return serve(request, _review_page, reference)

    @get(PAGES + "/reviews/{reference:str}/compare", sync_to_thread=True)
    def compare(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        return serve(request, _compare_page, reference)

    return [review, compare]
