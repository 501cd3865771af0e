"""My work: what the signed-in person must do next, across reviews and information requests.

A review is the person's work when the procedure owes a step from one of their roles (its
open obligations say which roles), or when they hold or have acted in a role on it and it is
still open. Everything comes from the read models (`rl_view_reviews`, `rl_view_roles`), kept
up to date by the same refresh every page uses; no record is replayed. Subject access and FOI
requests are an information governance officer's work while they are unanswered.

Each item shows when it is due and whether it is overdue or due soon, soonest first; items
with no date follow, so nothing owed is left off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.authority import Reading
from adapters.app.views import refresh
from adapters.governance.foi import requests as foi
from adapters.governance.sar import requests as sar
from adapters.http.pool import ApplicationPool
from adapters.web.components import heading, inset, link, p, table, tag
from adapters.web.html import Child, Html, join
from adapters.web.layout import IG_ROLES, PAGES, Viewer, page
from adapters.web.respond import html, may_read
from adapters.web.session import viewer_of
from projections.model import ReviewState
from projections.queries import open_reviews, reviews_held_by

DUE_SOON_DAYS = 14  # the same window as the reviews list's "Due soon"


class WorkItem(msgspec.Struct, frozen=True, kw_only=True):
    """One thing the person must do: on which record, what, by when, and why it is theirs."""

    reference: str
    href: str
    what: str
    due: date | None
    why: str

    def days_left(self, today: date) -> int | None:
        return None if self.due is None else (self.due - today).days


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _review_items(state: ReviewState, roles: frozenset[str], held: bool) -> Iterable[WorkItem]:
    href = f"{PAGES}/reviews/{state.reference}"
    running = [c for c in state.clocks if c.status in ("running", "paused")]
    for owed in state.obligations:
        mine = sorted(roles & set(owed.who))
        if not mine and not held:
            continue
        due = owed.due or min((c.due for c in running), default=None)
        why = (
            f"your role: {', '.join(r.replace('_', ' ') for r in mine)}" if mine else "you act on this review"
        )
        yield WorkItem(reference=state.reference, href=href, what=_sentence(owed.what), due=due, why=why)
    if held and not state.obligations:
        for timescale in running:
            yield WorkItem(
                reference=state.reference,
                href=href,
                what=_sentence(timescale.name),
                due=timescale.due,
                why="you act on this review",
            )


def review_work(app: Application, viewer: Viewer, today: date) -> list[WorkItem]:
    """What the open reviews owe from this person, from the read models."""
    refresh(app)
    roles = frozenset(r.value for r in viewer.roles)
    with app.db.reader.connect() as conn:
        held = set(reviews_held_by(conn, viewer.actor))
        states = open_reviews(conn, today)
    return [item for state in states for item in _review_items(state, roles, state.reference in held)]


def request_work(app: Application, viewer: Viewer) -> list[WorkItem]:
    """The unanswered information requests, for an information governance officer."""
    if not viewer.holds(*IG_ROLES):
        return []
    found = [
        WorkItem(
            reference=r.reference,
            href=f"{PAGES}/requests/sar/{r.reference}",
            what=f"Answer the subject access request (now: {r.stage})",
            due=r.due_on,
            why="information governance officer",
        )
        for r in sar.list_requests(app)
        if r.status == "open"
    ]
    found.extend(
        WorkItem(
            reference=r.reference,
            href=f"{PAGES}/requests/foi/{r.reference}",
            what=f"Answer the FOI request (now: {r.stage})",
            due=r.due_on,
            why="information governance officer",
        )
        for r in foi.list_requests(app)
        if r.status == "open" and "sent" not in r.stage
    )
    return found


def due_tag(item: WorkItem, today: date) -> Html:
    left = item.days_left(today)
    if left is None:
        return tag("No date set", "grey")
    if left < 0:
        return tag(f"Overdue by {-left} days", "red")
    if left <= DUE_SOON_DAYS:
        return tag(f"Due in {left} days", "yellow")
    return tag(f"{left} days left", "blue")


def _order(item: WorkItem) -> tuple[int, date, str]:
    return (item.due is None, item.due or date.max, item.reference)


def _section(title: str, items: Sequence[WorkItem], today: date) -> Html:
    return table(
        ["Record", "What to do", "Due", "Why it is yours"],
        [
            (
                link(i.reference, i.href),
                i.what,
                join([str(i.due) + " " if i.due else "", due_tag(i, today)]),
                i.why,
            )
            for i in items
        ],
        caption=f"{title} ({len(items)})",
        caption_size="m",
    )


def _my_work_page(app: Application, viewer: Viewer, query: dict[str, str]) -> Html:
    may_read(app, viewer, Reading.REVIEWS)
    today = app.clock.now().date()
    items = sorted([*review_work(app, viewer, today), *request_work(app, viewer)], key=_order)
    left = [i.days_left(today) for i in items]
    overdue = [i for i, d in zip(items, left, strict=True) if d is not None and d < 0]
    soon = [i for i, d in zip(items, left, strict=True) if d is not None and 0 <= d <= DUE_SOON_DAYS]
    later = [i for i, d in zip(items, left, strict=True) if d is None or d > DUE_SOON_DAYS]
    body: list[Child] = [heading("My work", caption=viewer.actor)]
    if not items:
        body.append(
            inset("Nothing is waiting for you: no open review or request owes a step from your roles.")
        )
    else:
        body.append(
            p(
                f"{len(overdue)} overdue, {len(soon)} due within {DUE_SOON_DAYS} days, "
                f"{len(later)} later or with no date set."
            )
        )
        body.extend(
            _section(title, found, today)
            for title, found in (("Overdue", overdue), ("Due soon", soon), ("Next to do", later))
            if found
        )
    return page("My work", body, viewer=viewer, current="my-work")


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/my-work", sync_to_thread=True)
    def my_work(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            return html(_my_work_page(app, viewer, query))

    return [my_work]
