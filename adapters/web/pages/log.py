"""The record as a whole: verification, the inspection bundle, the latest checkpoint, and the access log.

Verification re-reads and re-checks the whole log (`adapters/store/verification.py`), as `reviewledger
verify` does; the bundle is the same zip `bundle export` writes (`adapters/governance/bundle.py`), for an
inspector to verify offline with the log's key. Who may run or download what is the authority
table's `verify`, `checkpoint` and `access-log` views.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.app.authority import LOG_READINGS, Reading
from adapters.app.record_names import record_name, streams_named
from adapters.app.review_words import names_of
from adapters.governance.access_log import (
    EntryFilter,
    EntryPage,
    ReadEntry,
    entry_page,
    reads_about,
    reads_by,
)
from adapters.governance.bundle import export_bundle
from adapters.governance.disclosure import check_download
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import REFERENCE_PATTERN, review_kind
from adapters.store.verification import verify_ledger
from adapters.web.components import (
    button,
    button_link,
    details,
    heading,
    hidden,
    inset,
    p,
    select,
    summary_list,
    table,
    tag,
    text_input,
)
from adapters.web.html import Child, Html, el
from adapters.web.layout import PAGES, Viewer, form, page
from adapters.web.respond import download, html, may_read
from adapters.web.session import viewer_of
from domain.kernel.errors import RecordNotFound

_TEXT = "text/plain; charset=utf-8"
ACCESS_LOG_VIEW = "access-log"


def _integrity_page(
    app: Application, viewer: Viewer, query: dict[str, str], bundle_error: str | None = None
) -> Html:
    may_read(app, viewer, Reading.CHECKPOINT)
    may_verify = bool(viewer.roles & LOG_READINGS[Reading.VERIFY])
    note = app.ledger.tree.latest_checkpoint() or ""
    size = note.splitlines()[1] if note.count("\n") >= 2 else "0"
    result: list[Child] = []
    if query.get("verify") and may_verify:
        may_read(app, viewer, Reading.VERIFY)
        report = verify_ledger(app.ledger).as_json()
        intact = bool(report["intact"])
        result = [
            heading("Verification result", size="m", level=2),
            summary_list(
                [
                    ("Result", tag("Intact", "green") if intact else tag("Not intact", "red")),
                    ("Events checked", str(report["events"])),
                    ("Tree size", str(report["tree_size"])),
                    ("Problems", str(len(report["failures"]))),
                ]
            ),
            table(
                ["Position", "Record", "Step", "Problem"],
                [
                    (str(f["position"]), f["stream"], str(f["version"]), f["problem"])
                    for f in report["failures"]
                ],
                caption="Problems found",
                caption_size="s",
            )
            if report["failures"]
            else p("Every signature, chain link, the Merkle tree and every checkpoint were checked."),
        ]
    body: list[Child] = [
        heading("Integrity of the record"),
        p(
            "Every step is signed by the person who took it and logged in a Merkle tree; the log signs a "
            "checkpoint of the tree after every step. Verification re-checks all of it."
        ),
        *result,
        form(
            f"{PAGES}/integrity",
            None,
            el("input", type="hidden", name="verify", value="1"),
            button("Run verification"),
            method="get",
        )
        if may_verify
        else inset("Verification is run by an administrator, an inspector or the Chief Officers Group."),
        heading("Latest checkpoint", size="m", level=2),
        p(f"The log has {size} events. Keep this checkpoint: a later log must be consistent with it."),
        el("pre", note, class_="rl-mono govuk-body-s") if note else p("No checkpoint has been signed yet."),
        el(
            "div",
            button_link("Download the checkpoint", f"{PAGES}/integrity/checkpoint", secondary=True),
            class_="govuk-button-group",
        ),
        details(
            "The log's public key", el("p", app.ledger.log_verifier_key(), class_="rl-mono govuk-body-s")
        ),
    ]
    if may_verify:
        body += [
            heading("Inspection bundle", size="m", level=2),
            p(
                "A zip of the signed events with their inclusion proofs and the signed checkpoints, for an "
                "inspector to check offline with their own verifier. Personal data is never in it."
            ),
            form(
                f"{PAGES}/integrity/bundle",
                None,
                text_input(
                    "review",
                    "Review (optional)",
                    value=query.get("review", "") if bundle_error else "",
                    hint="A review's reference, like LR-2026-001; leave empty for the whole log",
                    width="20",
                    error=bundle_error,
                ),
                button("Download the bundle", secondary=True),
                method="get",
            ),
        ]
    errors = [("review", bundle_error)] if bundle_error else []
    return page("Integrity of the record", body, viewer=viewer, current="integrity", errors=errors)


def _access_log_page(app: Application, viewer: Viewer, query: dict[str, str]) -> Html:
    may_read(app, viewer, Reading.ACCESS_LOG)
    subject = query.get("subject", "").strip()[:40]
    actor = query.get("actor", "").strip()[:64]
    errors: list[tuple[str, str]] = []
    about = reads_about(app, subject) if subject else []
    by: list[ReadEntry] = []
    if actor:
        if actor not in app.ledger.registry().actors:
            errors.append(("actor", f"There is no registered person {actor}"))
        else:
            by = reads_by(app, actor)
    chosen = _log_choices(query)
    found = entry_page(
        app,
        EntryFilter(
            actor=chosen.get("who"),
            records=streams_named(chosen["record"]) if "record" in chosen else (),
            granted={"read": True, "refused": False}.get(chosen.get("outcome", "")),
        ),
        newest_first=chosen.get("dir") != "asc",
        after=_place(query.get("after")),
        before=_place(query.get("before")),
        size=LOG_PAGE_SIZE,
    )
    recent = [e for _, e in found.rows]
    names = names_of(
        app,
        viewer.actor,
        actors={e.actor for e in recent}
        | {r.reader for r in (*about, *by)}
        | ({actor} if actor and not errors else set()),
        subjects={s for r in (*about, *by) for s in r.subjects} | ({subject} if subject else set()),
        view=ACCESS_LOG_VIEW,
    )

    def named(who: str) -> str:
        return f"{names[who]} ({who})" if who in names else who

    results: list[Child] = []
    if subject:
        results += [
            heading(f"Reads of personal data about {named(subject)}", size="m", level=2),
            _reads_table(about, named)
            if about
            else p("No reads of personal data about this person are recorded."),
        ]
    if actor and not errors:
        results += [
            heading(f"Reads of personal data by {named(actor)}", size="m", level=2),
            _reads_table(by, named) if by else p("This person has read no personal data."),
        ]
    body: list[Child] = [
        heading("Access log"),
        p(
            "Every read of personal data is signed by the reader and kept in the log; refused reads are "
            "listed too. The names of the people shown are read for you, and that read is logged too."
        ),
        form(
            f"{PAGES}/access-log",
            None,
            el(
                "div",
                text_input(
                    "subject", "Data subject", value=subject, hint="Their id, like S-0001", width="20"
                ),
                text_input(
                    "actor",
                    "Reader",
                    value=actor,
                    hint="An account name",
                    width="20",
                    error=dict(errors).get("actor"),
                ),
                *(el("input", type="hidden", name=k, value=v) for k, v in chosen.items()),
                el("div", button("Show", secondary=True), class_="govuk-form-group"),
                class_="rl-filters",
            ),
            method="get",
        ),
        *results,
        heading("Reads and refusals", size="m", level=2),
        _log_filters(
            chosen,
            {k: v for k, v in (("subject", subject), ("actor", actor), ("dir", chosen.get("dir", ""))) if v},
        ),
        table(
            [_when_header(chosen), "Who", "Record", "View", "Purpose", "Outcome"],
            [
                (
                    e.at.strftime("%-d %b %Y %H:%M:%S"),
                    named(e.actor),
                    record_name(e.record),
                    e.view,
                    (e.purpose or "") + (f" ({e.ig_request})" if e.ig_request else ""),
                    tag("Read", "green") if e.granted else tag("Refused", "red"),
                )
                for e in recent
            ],
        )
        if recent
        else p(
            "Nothing has been read or refused yet."
            if not _filtered(chosen)
            else "No entry matches these filters."
        ),
        _log_pagination(chosen, found),
    ]
    return page("Access log", body, viewer=viewer, current="access-log", errors=errors)


# -- the log's entries, a page at a time -----------------------------------------------------------

LOG_PAGE_SIZE = 50
_OUTCOMES = [("", "Any"), ("read", "Read"), ("refused", "Refused")]


def _log_choices(query: dict[str, str]) -> dict[str, str]:
    """The entries' filters and order asked for, each kept only when it is one the page knows."""
    found = {
        "who": query.get("who", "").strip()[:64],
        "record": query.get("record", "").strip()[:64],
        "outcome": query.get("outcome", "") if query.get("outcome", "") in ("read", "refused") else "",
        "dir": "asc" if query.get("dir", "") == "asc" else "",
    }
    return {k: v for k, v in found.items() if v}


def _filtered(chosen: dict[str, str]) -> bool:
    return any(k in chosen for k in ("who", "record", "outcome"))


def _place(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 19 else None


def log_href(chosen: dict[str, str], **more: str) -> str:
    params = {**chosen, **more}
    return f"{PAGES}/access-log" + (f"?{urlencode(params)}" if params else "")


def _when_header(chosen: dict[str, str]) -> Child:
    oldest_first = chosen.get("dir") == "asc"
    target = {k: v for k, v in chosen.items() if k != "dir"}
    if not oldest_first:
        target["dir"] = "asc"
    state = " (sorted, oldest first)" if oldest_first else " (sorted, newest first)"
    return el(
        "a", "When", hidden(state + ": change the order"), href=log_href(target), class_="govuk-link rl-sort"
    )


def _log_filters(chosen: dict[str, str], kept: dict[str, str]) -> Html:
    """The entries' filters; `kept` are the page's other choices (and the order), carried along."""
    return form(
        f"{PAGES}/access-log",
        None,
        el(
            "div",
            text_input("who", "Who", value=chosen.get("who", ""), hint="An account name", width="10"),
            text_input(
                "record",
                "Record",
                value=chosen.get("record", ""),
                hint="A reference, like LR-2026-001",
                width="10",
            ),
            select("outcome", "Outcome", _OUTCOMES, selected=chosen.get("outcome", "")),
            *(el("input", type="hidden", name=k, value=v) for k, v in kept.items()),
            el("div", button("Filter", secondary=True), class_="govuk-form-group"),
            class_="rl-filters",
        ),
        method="get",
        role="search",
        aria_label="Filter the reads and refusals",
    )


def _log_pagination(chosen: dict[str, str], found: EntryPage) -> Html:
    if not found.rows:
        return Html("")
    links: list[Child] = []
    if found.earlier:
        links.append(
            el(
                "div",
                el(
                    "a",
                    el("span", "Previous", class_="govuk-pagination__link-title"),
                    href=log_href(chosen, before=str(found.rows[0][0])),
                    rel="prev",
                    class_="govuk-link govuk-pagination__link",
                ),
                class_="govuk-pagination__prev",
            )
        )
    if found.later:
        links.append(
            el(
                "div",
                el(
                    "a",
                    el("span", "Next", class_="govuk-pagination__link-title"),
                    href=log_href(chosen, after=str(found.rows[-1][0])),
                    rel="next",
                    class_="govuk-link govuk-pagination__link",
                ),
                class_="govuk-pagination__next",
            )
        )
    if not links:
        return Html("")
    return el(
        "nav", links, class_="govuk-pagination govuk-pagination--block", aria_label="Pages of the access log"
    )


def _reads_table(reads: Sequence[ReadEntry], named: Callable[[str], str]) -> Html:
    return table(
        ["When", "Reader", "Record", "View", "Purpose", "Items", "About"],
        [
            (
                r.at.strftime("%-d %b %Y %H:%M:%S"),
                named(r.reader),
                record_name(r.record),
                r.view,
                r.purpose + (f" ({r.ig_request})" if r.ig_request else ""),
                str(len(r.fields)) if r.fields else "all",
                ", ".join(named(s) for s in r.subjects),
            )
            for r in reads
        ],
    )


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    def serve(request: Request[Any, Any, Any], render: Any) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            markup: Html = render(app, viewer, query)
        return html(markup, 400 if "govuk-error-summary" in markup else 200)

    @get(f"{PAGES}/integrity", sync_to_thread=True)
    def integrity(request: Request[Any, Any, Any]) -> Response[bytes]:
        return serve(request, _integrity_page)

    @get(f"{PAGES}/access-log", sync_to_thread=True)
    def access_log(request: Request[Any, Any, Any]) -> Response[bytes]:
        return serve(request, _access_log_page)

    @get(f"{PAGES}/integrity/checkpoint", sync_to_thread=True)
    def checkpoint(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            may_read(app, viewer, Reading.CHECKPOINT)
            note = app.ledger.tree.latest_checkpoint()
            if note is None:
                raise RecordNotFound("checkpoint", "latest")
            data = check_download(app, note.encode("utf-8"), document="checkpoint", record="the log")
        return download(data, _TEXT, "checkpoint.txt")

    @get(f"{PAGES}/integrity/bundle", sync_to_thread=True)
    def bundle(request: Request[Any, Any, Any]) -> Response[bytes]:
        review = (request.query_params.get("review") or "").strip() or None
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            may_read(app, viewer, Reading.VERIFY)
            problem = None
            if review is not None and not _matches_reference(review):
                problem = "Enter a review's reference, like LR-2026-001, or leave it empty for the whole log"
            elif review is not None:
                try:
                    review_kind(app, review)
                except RecordNotFound:
                    problem = f"There is no review {review}: check the reference"
            if problem is not None:  # said on the form, beside the field, with the page around it
                markup = _integrity_page(app, viewer, {"review": review or ""}, problem)
                return html(markup, 400 if review is None or not _matches_reference(review) else 404)
            with tempfile.TemporaryDirectory() as scratch:
                out = Path(scratch) / "bundle.zip"
                export_bundle(app.ledger, out, review=review, at=app.clock.now())
                body = out.read_bytes()
        return download(body, "application/zip", f"{review or 'log'}-bundle.zip")

    return [integrity, access_log, checkpoint, bundle]


def _matches_reference(text: str) -> bool:
    return re.fullmatch(REFERENCE_PATTERN.strip("^$"), text) is not None
