"""Information governance: subject access and FOI requests, and retention, over the IG services.

Every page here is an information-governance officer's (retention also the records manager's),
as the authority table gives every step of a request file to them. The services decide
everything (`adapters/governance/sar/requests.py`, `adapters/governance/foi/requests.py`, `adapters/governance/retention.py`,
`adapters/governance/disposal_certificates.py`); the pages show what they say and record steps through the
same forms as a review's (`adapters/web/pages/steps.py`). A SAR's workbench lists each proposed
redaction with its ground; releasing third-party data takes a reason, and serious harm is
withheld only once a second officer confirms (the file's own rules). Opening a pack reads
personal data, which the services sign into the access log before it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.app.application import Application
from adapters.governance import retention, subjects
from adapters.governance.disclosure import check_download
from adapters.governance.disposal_certificates import certificate_bytes, certificates, dispose
from adapters.governance.foi import requests as foi
from adapters.governance.ig_records import FoiRecord, SarRecord, foi_stream, sar_stream
from adapters.governance.sar import requests as sar
from adapters.governance.sar import workbench as sar_workbench
from adapters.governance.sar.items import split_item_id
from adapters.governance.sar.workbench import record_words
from adapters.governance.sent_documents import SentDocument
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    button_group,
    button_link,
    checkbox,
    heading,
    hidden,
    inset,
    link,
    notification,
    p,
    radios,
    select,
    summary_list,
    table,
    tag,
    text_input,
    warning,
)
from adapters.web.glossary import option_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import IG_ROLES, PAGES, RETENTION_ROLES, Viewer, form, page
from adapters.web.pages.foi_respond import STEP, respond_href
from adapters.web.pages.people import results, run_search, search_form
from adapters.web.pages.sent import sent_link
from adapters.web.pages.steps import (
    Place,
    Redirect,
    StepName,
    form_page,
    form_values,
    record,
    step_label,
    steps_page,
    valid_reference,
)
from adapters.web.pages.workbench import (
    ReleaseProblem,
    field_words,
    item_label,
    problem_errors,
    workbench_section,
)
from adapters.web.respond import download, html, see_other
from adapters.web.session import check_form, viewer_of
from adapters.web.step_forms import FormValues, Problems
from domain.governance.retention import RETENTION_STREAM, RetentionSchedule
from domain.governance.sar.request import SubjectAccessRequest
from domain.governance.sar.steps import Delivery, PackFormat, ReleaseBasis
from domain.governance.subjects import check_subject_id
from domain.kernel.errors import InvalidInput, NotAuthorised, RecordNotFound, RuleViolation
from projections.model import ClockView, ObligationView

RequestRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", max_length=64)]
RecordRef = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$", max_length=81)]
DUE_SOON_WORKING = 5  # an FOI due within this many working days, or a SAR within a week, is flagged


def _require(viewer: Viewer, roles: tuple[Any, ...], what: str) -> None:
    if not viewer.holds(*roles):
        needs = " or ".join(sorted(r.value for r in roles))
        raise NotAuthorised(viewer.actor, f"a person holding {needs}", what, "-")


def _deadline(due: date | None, today: date, done: bool) -> Html:
    if due is None:
        return Html("")
    if done:
        return join([str(due), " ", tag("Answered", "green")])
    left = (due - today).days
    if left < 0:
        return join([str(due), " ", tag(f"Overdue by {-left} days", "red")])
    if left <= 7:
        return join([str(due), " ", tag(f"Due in {left} days", "yellow")])
    return join([str(due), " ", tag(f"{left} days left", "blue")])


def _clocks(clocks: tuple[ClockView, ...]) -> Html | None:
    if not clocks:
        return None
    return table(
        ["Clock", "Due", "Status", "Days left", "Stopped for"],
        [
            (
                c.name,
                str(c.due),
                c.status,
                "" if c.days_left is None else str(c.days_left),
                f"{c.paused_days} days",
            )
            for c in clocks
        ],
        caption="Deadline clocks",
        caption_size="s",
        row_headers=True,
    )


def _obligations(obligations: tuple[ObligationView, ...]) -> Html:
    if not obligations:
        return p("Nothing is outstanding.")
    return table(["What", "Due"], [(o.what, str(o.due or "")) for o in obligations], row_headers=True)


def _recorded_banner(query: dict[str, str], reference: str) -> Html | None:
    recorded = query.get("recorded", "")
    if not recorded:
        return None
    return notification(
        "Success",
        p(f"Recorded as step {query.get('version', '')} of {reference}."),
        success=True,
        heading_text=f"{step_label(recorded)}: recorded and signed",
    )


# -- the lists --------------------------------------------------------------------------------------


REQUEST_PAGE_SIZE = 50
_LISTS = ("sar", "foi")


def _list_choices(query: dict[str, str]) -> dict[str, str]:
    """Each list's order and place, kept only when well formed: `sar-dir`, `sar-after`, ..."""
    chosen: dict[str, str] = {}
    for kind in _LISTS:
        if query.get(f"{kind}-dir") == "desc":
            chosen[f"{kind}-dir"] = "desc"
        for edge in ("after", "before"):
            value = query.get(f"{kind}-{edge}", "")
            if value.isdigit() and len(value) <= 18:
                chosen[f"{kind}-{edge}"] = value
                break
    return chosen


def requests_href(chosen: dict[str, str]) -> str:
    return f"{PAGES}/requests" + (f"?{urlencode(chosen)}" if chosen else "")


def _moved(chosen: dict[str, str], kind: str, **place: str) -> dict[str, str]:
    """The address with this list moved (or re-sorted); the other list stays where it was."""
    kept = {k: v for k, v in chosen.items() if not k.startswith(f"{kind}-") or k == f"{kind}-dir"}
    return {**kept, **{f"{kind}-{k}": v for k, v in place.items()}}


def _received_header(chosen: dict[str, str], kind: str) -> Child:
    descending = chosen.get(f"{kind}-dir") == "desc"
    target = {k: v for k, v in chosen.items() if not k.startswith(f"{kind}-")}
    if not descending:
        target[f"{kind}-dir"] = "desc"
    state = "newest first" if descending else "oldest first"
    return el(
        "a",
        "Received",
        hidden(f" (sorted, {state}): sort by this column"),
        href=requests_href(target) + f"#{kind}-requests",
        class_="govuk-link rl-sort",
    )


def _list_pagination(
    chosen: dict[str, str], kind: str, places: list[int], earlier: bool, later: bool, what: str
) -> Html:
    items: list[Child] = []
    for shown, rel, edge, place in (
        (earlier, "prev", "before", places[0] if places else None),
        (later, "next", "after", places[-1] if places else None),
    ):
        if shown and place is not None:
            items.append(
                el(
                    "div",
                    el(
                        "a",
                        el(
                            "span",
                            "Previous" if rel == "prev" else "Next",
                            class_="govuk-pagination__link-title",
                        ),
                        hidden(f" page of {what}"),
                        href=requests_href(_moved(chosen, kind, **{edge: str(place)})) + f"#{kind}-requests",
                        rel=rel,
                        class_="govuk-link govuk-pagination__link",
                    ),
                    class_=f"govuk-pagination__{rel}",
                )
            )
    if not items:
        return Html("")
    return el("nav", items, class_="govuk-pagination govuk-pagination--block", aria_label=f"Pages of {what}")


def _place_of(chosen: dict[str, str], kind: str, edge: str) -> int | None:
    value = chosen.get(f"{kind}-{edge}")
    return int(value) if value is not None else None


def _count(total: int, shown: int, one: str, many: str) -> str:
    text = f"{total} {one if total == 1 else many}"
    return text + (f", {shown} on this page" if total > shown else "")


def _requests_page(app: Application, viewer: Viewer, query: dict[str, str]) -> Html:
    _require(viewer, IG_ROLES, "the list of information requests")
    today = app.clock.now().date()
    chosen = _list_choices(query)
    sars = sar.page_requests(
        app,
        descending=chosen.get("sar-dir") == "desc",
        after=_place_of(chosen, "sar", "after"),
        before=_place_of(chosen, "sar", "before"),
        size=REQUEST_PAGE_SIZE,
    )
    fois = foi.page_requests(
        app,
        descending=chosen.get("foi-dir") == "desc",
        after=_place_of(chosen, "foi", "after"),
        before=_place_of(chosen, "foi", "before"),
        size=REQUEST_PAGE_SIZE,
    )
    body: list[Child] = [
        heading("Information requests"),
        el("h2", "Subject access requests", class_="govuk-heading-m", id="sar-requests"),
        el(
            "div",
            table(
                [
                    "Reference",
                    "Stage",
                    "Status",
                    _received_header(chosen, "sar"),
                    "Response due",
                    "Awaiting a second officer",
                ],
                [
                    (
                        link(r.reference, f"{PAGES}/requests/sar/{r.reference}"),
                        r.stage,
                        r.status,
                        str(r.received_on or ""),
                        _deadline(r.due_on, today, r.status != "open"),
                        str(r.awaiting_second_officer),
                    )
                    for _, r in sars.rows
                ],
                caption=_count(
                    sars.total, len(sars.rows), "subject access request", "subject access requests"
                ),
                caption_size="s",
                numeric=(5,),
            ),
            class_="rl-table-scroll",
            role="region",
            aria_label="Subject access requests",
            tabindex="0",
        )
        if sars.rows
        else p("There are no subject access requests."),
        _list_pagination(
            chosen,
            "sar",
            [place for place, _ in sars.rows],
            sars.earlier,
            sars.later,
            "subject access requests",
        ),
        p(link("Record a new subject access request", f"{PAGES}/requests/sar/new")),
        el("h2", "Freedom of information requests", class_="govuk-heading-m", id="foi-requests"),
        el(
            "div",
            table(
                ["Reference", "Stage", "Status", _received_header(chosen, "foi"), "Response due"],
                [
                    (
                        link(r.reference, f"{PAGES}/requests/foi/{r.reference}"),
                        r.stage,
                        r.status,
                        str(r.received_on or ""),
                        _deadline(r.due_on, today, r.status != "open" or "sent" in r.stage),
                    )
                    for _, r in fois.rows
                ],
                caption=_count(fois.total, len(fois.rows), "FOI request", "FOI requests"),
                caption_size="s",
            ),
            class_="rl-table-scroll",
            role="region",
            aria_label="Freedom of information requests",
            tabindex="0",
        )
        if fois.rows
        else p("There are no FOI requests."),
        _list_pagination(
            chosen, "foi", [place for place, _ in fois.rows], fois.earlier, fois.later, "FOI requests"
        ),
        p(link("Record a new FOI request", f"{PAGES}/requests/foi/new")),
    ]
    return page("Information requests", body, viewer=viewer, current="requests")


# -- one subject access request: the workbench ------------------------------------------------------


def sar_place(reference: str) -> Place:
    return Place(
        kind=SarRecord,
        stream=sar_stream(reference),
        reference=reference,
        href=f"{PAGES}/requests/sar/{reference}",
        crumbs=(("Information requests", f"{PAGES}/requests"),),
        area="requests",
        own_pages=(("send-response", f"{PAGES}/requests/sar/{reference}"),),  # its send form keeps the bytes
        given=lambda app, viewer, values: _sar_given(app, viewer, reference, values),
    )


def _sar_given(app: Application, viewer: Viewer, reference: str, values: FormValues) -> dict[str, str]:
    """The item and the person a release or a redaction is about, in words, as the workbench says them.

    An id the file does not hold is not named (its field stays, to be corrected). Where the
    workbench cannot be opened for this officer, the item is said from its id alone (the record
    and the field) and the person's id stays a field.
    """
    item_id = (values.get("item_id") or [""])[0]
    person = (values.get("third_party") or [""])[0]
    if not item_id and not person:
        return {}
    held = {i.item_id for i in sar.load(app, reference).items.values()}
    try:
        bench = sar_workbench.build(app, reference, viewer.actor)
    except NotAuthorised:
        if item_id not in held or split_item_id(item_id) is None:
            return {}
        return {"item_id": _item_words(item_id)}
    given: dict[str, str] = {}
    if item_id in held and item_id in bench.item_ids:
        given["item_id"] = item_label(bench.item(item_id))
    if person in bench.names:
        given["third_party"] = bench.names[person]
    return given


def foi_place(reference: str) -> Place:
    return Place(
        kind=FoiRecord,
        stream=foi_stream(reference),
        reference=reference,
        href=f"{PAGES}/requests/foi/{reference}",
        crumbs=(("Information requests", f"{PAGES}/requests"),),
        area="requests",
        own_pages=((STEP, respond_href(reference)),),  # its own form keeps the bytes sent
    )


def _redaction_status(status: str) -> Html:
    colour = {"released": "green", "withheld": "red", "proposed": "yellow", "confirmed": "red"}.get(
        status.split()[0] if status else "", "grey"
    )
    return tag(status, colour)


def _sar_page(
    app: Application,
    viewer: Viewer,
    reference: str,
    query: dict[str, str],
    problem: ReleaseProblem | None = None,
) -> Html:
    _require(viewer, IG_ROLES, "a subject access request")
    if not sar.load(app, reference).is_open:
        return _closed_sar_page(app, viewer, reference, query)
    # The workbench reads the items' words (logged under the request) to show them and who is in them.
    bench = sar_workbench.build(app, reference, viewer.actor)
    status = sar.show(app, reference, decision=bench.decision)
    today = app.clock.now().date()
    place = sar_place(reference)
    awaiting = [r for r in status.redactions if "second" in r.status]
    is_open = not status.status.startswith("closed")  # a closed request offers no step and no draft
    body: list[Child] = [
        breadcrumbs(list(place.crumbs)),
        _recorded_banner(query, reference),
        heading(reference, caption="Subject access request"),
        button_group(
            button_link("Record the next step", f"{place.href}/steps"),
            button_link("Download the draft pack (HTML)", f"{place.href}/pack/html", secondary=True),
            button_link("Download the draft pack (JSON)", f"{place.href}/pack/json", secondary=True),
            button_link("Documents", f"{place.href}/documents", secondary=True),
        )
        if is_open
        else None,
        summary_list(
            [
                ("Stage", status.stage),
                ("Status", status.status),
                ("Data subject", status.subject or "not recorded"),
                (
                    "Requester",
                    f"{status.requester or 'not recorded'} ({status.capacity or 'capacity not recorded'})",
                ),
                ("Received", str(status.received_on or "")),
                ("Response due", _deadline(status.due_on, today, status.sent_on is not None)),
                ("Extended", "yes" if status.extended else "no"),
                ("Searched", ", ".join(bench.record(s) for s in status.searched) or "nothing yet"),
                ("Sent", str(status.sent_on or "not yet")),
            ]
        ),
        _clocks(status.clocks),
        warning(
            "Records holding the subject's data that no search covered: "
            + ", ".join(bench.record(s) for s in status.not_searched)
        )
        if status.not_searched
        else None,
        heading("Redaction workbench", size="m", level=2),
        p(
            f"The pack as it stands: {status.counts}. Other people's data, whether the record names them or "
            "their identifiers are in the words, is withheld unless an officer releases it with a reason, or "
            "releases the item in part with their identifiers replaced by [third party]; serious harm is "
            "withheld once a second officer confirms it."
        ),
        form(
            f"{place.href}/collate",
            viewer,
            p(f"{len(status.not_collated)} items of the subject's data are not yet in the pack."),
            button("Collate them from the records searched", secondary=True),
        )
        if status.not_collated
        else None,
        workbench_section(bench, viewer, reference, is_open, problem),
        heading("Redactions on other grounds", size="m", level=2),
        table(
            ["No.", "Item", "Ground", "Third party", "Proposed by", "Status"],
            [
                (
                    str(r.number),
                    item_label(bench.item(r.item_id)) if r.item_id in bench.item_ids else r.item_id,
                    r.ground,
                    r.third_party or "",
                    r.proposed_by,
                    _redaction_status(r.status),
                )
                for r in status.redactions
            ],
            caption="Redactions proposed by an officer, each with its ground",
            caption_size="s",
        )
        if status.redactions
        else p("No other redactions have been proposed."),
        None
        if not is_open
        else button_group(
            button_link("Propose a redaction", f"{place.href}/steps/propose-redaction", secondary=True),
            button_link(
                "Release third-party data, with a reason",
                f"{place.href}/steps/release-third-party-data",
                secondary=True,
            ),
            button_link(
                "Confirm serious harm (second officer)",
                f"{place.href}/steps/confirm-serious-harm",
                secondary=True,
            )
            if awaiting
            else None,
        ),
        heading("Still to do", size="m", level=2),
        _obligations(status.obligations),
        _send_form(viewer, place) if is_open and status.sent_on is None and status.items else None,
        heading("Documents sent", size="m", level=2),
        _sent_table(reference, status.documents),
    ]
    errors = problem_errors(bench, problem) if problem else []
    return page(f"Subject access request {reference}", body, viewer=viewer, current="requests", errors=errors)


def _closed_sar_page(app: Application, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    """A closed request from its file alone: its records are no longer read for it (the need-to-know
    table's `ig-request` row ends when it closes), so no item, name or draft is opened; what the
    requester was given stays readable by the officers handling it, through the copy sent."""
    status = sar.show(app, reference)  # the counts from the file alone: nothing is read or logged
    place = sar_place(reference)
    body: list[Child] = [
        breadcrumbs(list(place.crumbs)),
        _recorded_banner(query, reference),
        heading(reference, caption="Subject access request"),
        summary_list(
            [
                ("Stage", status.stage),
                ("Status", status.status),
                ("Data subject", status.subject or "not recorded"),
                (
                    "Requester",
                    f"{status.requester or 'not recorded'} ({status.capacity or 'capacity not recorded'})",
                ),
                ("Received", str(status.received_on or "")),
                ("Response due", str(status.due_on or "")),
                ("Extended", "yes" if status.extended else "no"),
                ("Searched", ", ".join(record_words(s, {}) for s in status.searched) or "nothing"),
                ("Sent", str(status.sent_on or "not sent")),
            ]
        ),
        heading("Redaction workbench", size="m", level=2),
        inset(
            "The request is closed: its records are no longer read for it, so its items and the people "
            "they name are not opened here. What the requester was given is the copy sent, below."
        ),
        p(f"The pack as its file records it: {status.counts}."),
        heading("Redactions on other grounds", size="m", level=2),
        table(
            ["No.", "Item", "Ground", "Third party", "Proposed by", "Status"],
            [
                (
                    str(r.number),
                    _item_words(r.item_id),
                    r.ground,
                    r.third_party or "",
                    r.proposed_by,
                    _redaction_status(r.status),
                )
                for r in status.redactions
            ],
            caption="Redactions proposed by an officer, each with its ground",
            caption_size="s",
        )
        if status.redactions
        else p("No other redactions were proposed."),
        heading("Documents sent", size="m", level=2),
        _sent_table(reference, status.documents),
    ]
    return page(f"Subject access request {reference}", body, viewer=viewer, current="requests")


def _item_words(item_id: str) -> str:
    """An item from its id alone, in words: where it is and the field (no record is read for it)."""
    parts = split_item_id(item_id)
    return item_id if parts is None else f"{record_words(parts[0], {})}: {field_words(parts[2])}"


def _sent_table(reference: str, documents: tuple[SentDocument, ...]) -> Html:
    if not documents:
        return p("Nothing has been sent.")
    return table(
        ["What", "Type", "Size", "SHA-256", "Copy"],
        [
            (
                d.purpose,
                d.media_type,
                f"{d.size_bytes} bytes",
                el("span", d.sha256, class_="rl-mono"),
                sent_link("sar", reference, d.sha256),
            )
            for d in documents
        ],
    )


def _send_form(viewer: Viewer, place: Place) -> Html:
    return join(
        [
            heading("Send the response", size="m", level=2),
            form(
                f"{place.href}/send",
                viewer,
                radios(
                    "format",
                    "Format",
                    [("html", "HTML document"), ("json", "JSON")],
                    selected="html",
                    inline=True,
                ),
                select(
                    "delivery",
                    "How it is sent",
                    [(d.value, d.value.replace("_", " ")) for d in Delivery],
                    selected=Delivery.EMAIL.value,
                ),
                p("The exact bytes sent are kept, sealed, and their digest is recorded with the response."),
                button("Send the response"),
            ),
        ]
    )


def _foi_page(app: Application, viewer: Viewer, reference: str, query: dict[str, str]) -> Html:
    _require(viewer, IG_ROLES, "an FOI request")
    status = foi.show(app, reference)
    today = app.clock.now().date()
    place = foi_place(reference)
    body: list[Child] = [
        breadcrumbs(list(place.crumbs)),
        _recorded_banner(query, reference),
        heading(reference, caption="Freedom of information request"),
        button_group(
            button_link("Record the next step", f"{place.href}/steps"),
            button_link("Download the draft response (HTML)", f"{place.href}/response/html", secondary=True),
            button_link("Download the draft response (JSON)", f"{place.href}/response/json", secondary=True),
        )
        if not status.status.startswith("closed")
        else None,
        summary_list(
            [
                ("Stage", status.stage),
                ("Status", status.status),
                ("Requester", status.requester or "not recorded"),
                ("Received", str(status.received_on or "")),
                ("Response due", _deadline(status.due_on, today, status.responded_on is not None)),
                (
                    "Working days left",
                    "" if status.working_days_left is None else str(status.working_days_left),
                ),
                ("Response", status.response or "not yet"),
            ]
        ),
        _clocks(status.clocks),
        _foi_documents_and_response(place, open_=not status.status.startswith("closed")),
        heading("Exemptions", size="m", level=2),
        table(
            ["Item", "Section", "Extent"],
            [(el("span", e.item_id, class_="rl-mono"), e.section, e.extent) for e in status.exemptions],
        )
        if status.exemptions
        else p("No exemptions applied."),
        heading("Still to do", size="m", level=2),
        _obligations(status.obligations),
    ]
    return page(f"FOI request {reference}", body, viewer=viewer, current="requests")


def _foi_documents_and_response(place: Place, *, open_: bool) -> Html:
    """The request's documents (decided one by one) and its response's own form, which keeps the bytes sent."""
    return button_group(
        button_link("Documents", f"{place.href}/documents", secondary=True),
        button_link("Send the response", respond_href(place.reference)) if open_ else None,
    )


_FIRST_STEP = {"sar": "receive-subject-access-request", "foi": "receive-foi-request"}
_KIND_WORDS = {"sar": "subject access request", "foi": "FOI request"}


def _new_request_page(
    app: Application,
    viewer: Viewer,
    kind: str,
    query: dict[str, str],
    searched: dict[str, str] | None = None,
) -> Html:
    """A new request: the person it concerns, chosen from a search of the register; then its
    reference; then the form of its first step, filled in with the person chosen."""
    _require(viewer, IG_ROLES, f"a new {_KIND_WORDS[kind]}")
    chosen = query.get("subject_id", "").strip()
    person = _chosen_person(app, viewer, chosen) if chosen else None
    reference = query.get("reference", "").strip()
    errors: dict[str, str] = {}
    if "reference" in query and (person is not None or kind == "foi"):
        stream = (sar_stream if kind == "sar" else foi_stream)(reference) if reference else ""
        if not valid_reference(reference) or reference == "new":
            errors["reference"] = "Enter a reference of letters, digits, '.', '_' and '-', like SAR-2026-010"
        elif app.ledger.stream_version(stream):
            errors["reference"] = f"{reference} is already a request: choose another reference"
        else:
            raise Redirect(
                f"{PAGES}/requests/{kind}/{reference}/steps/{_FIRST_STEP[kind]}"
                + (f"?{urlencode(_first_step_values(kind, person))}" if person else "")
            )
    found, search_errors = run_search(app, viewer, searched) if searched is not None else (None, {})
    errors.update(search_errors)
    here = f"{PAGES}/requests/{kind}/new"
    body: list[Child] = [
        breadcrumbs([("Information requests", f"{PAGES}/requests")]),
        heading(f"Record a new {_KIND_WORDS[kind]}"),
    ]
    if person is not None:
        body += [
            summary_list(
                [
                    ("The request concerns", person.name or person.subject_id),
                    ("Date of birth", "; ".join(person.dates_of_birth) or "not recorded"),
                    ("Role in reviews", option_label(person.category.value)),
                ]
            ),
            p(link("Choose someone else", here)),
        ]
    else:
        body += [
            heading(
                "Who is the request about?"
                if kind == "sar"
                else "Who is asking? (if they are on the register)",
                size="m",
                level=2,
            ),
            p(
                "Find the person the data is about. When a parent, carer or representative asks for "
                "them, choose the person the data is about: the requester is changed on the next form."
            )
            if kind == "sar"
            else None,
            search_form(f"{here}/person", viewer, searched or {}, search_errors),
            results(found, lambda subject_id, name: _choose_link(here, subject_id, name))
            if found is not None
            else None,
        ]
    if person is not None or kind == "foi":
        body.append(
            form(
                here,
                None,
                el("input", type="hidden", name="subject_id", value=person.subject_id) if person else None,
                text_input(
                    "reference",
                    "Reference",
                    value=reference,
                    error=errors.get("reference"),
                    width="20",
                    hint=f"The request's reference, like {kind.upper()}-2026-010",
                ),
                button("Continue"),
                method="get",
            )
        )
    return page(
        f"Record a new {_KIND_WORDS[kind]}",
        body,
        viewer=viewer,
        current="requests",
        errors=list(errors.items()),
    )


def _chosen_person(app: Application, viewer: Viewer, subject_id: str) -> subjects.RegisterEntry:
    """The person chosen, read from the register (the read signed into the officer's access log)."""
    try:
        check_subject_id(subject_id)
    except InvalidInput:
        raise InvalidInput(
            "subject_id", "must be a register id, like S-0001: choose the person from the search"
        ) from None
    return subjects.show(app, viewer.actor, subject_id)


def _choose_link(here: str, subject_id: str, name: str) -> Html:
    return link(
        join(["Choose", el("span", f" {name}", class_="govuk-visually-hidden")]),
        f"{here}?{urlencode({'subject_id': subject_id})}",
    )


def _first_step_values(kind: str, person: subjects.RegisterEntry) -> dict[str, str]:
    """The first step's form, filled in: the person chosen asks about themself until the officer
    says otherwise (a parent or representative asking is changed on the form)."""
    name = {"requester_name": person.name} if person.name else {}
    if kind == "sar":
        return {"subject_id": person.subject_id, "requester_id": person.subject_id, **name}
    return {"requester_id": person.subject_id, **name}


def _release_person(
    app: Application, viewer: Viewer, reference: str, person: str, values: dict[str, list[str]]
) -> SubjectAccessRequest:
    """One person's data released in every item ticked, under the basis and reason given."""
    basis_text = (values.get("basis") or [""])[0]
    basis = next((b for b in ReleaseBasis if b.value == basis_text), None)
    if basis is None:
        raise InvalidInput(
            "basis", "choose why their data can be given: their consent, or why it is reasonable"
        )
    reasons = (values.get("reasons") or [""])[0].strip()
    if not reasons:
        raise InvalidInput("reasons", "enter the reasons for releasing their data in the items ticked")
    parts = [(values.get(f"consent_given_on-{p}") or [""])[0].strip() for p in ("year", "month", "day")]
    consent = None
    if any(parts):
        try:
            consent = date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise InvalidInput("consent_given_on", "must be a real date, like 3 11 2026") from None
    version_text = (values.get("version") or [""])[0]
    return sar.release_person(
        app,
        reference,
        viewer.actor,
        third_party=person,
        item_ids=[v for v in values.get("item_id", []) if v],
        basis=basis,
        reasons=reasons,
        consent_given_on=consent,
        expected_version=int(version_text) if version_text.isdigit() else None,
    )


def _release_error(error: InvalidInput | RuleViolation) -> dict[str, str]:
    """The problem beside the field it concerns, as a sentence."""
    if isinstance(error, InvalidInput):
        field = {"item_id": "items", "third_party": "items"}.get(error.field, error.field)
        field = field if field in ("basis", "reasons", "consent_given_on", "items") else "items"
        text = error.rule
    else:
        field, text = "items", error.message
    return {field: text[:1].upper() + text[1:]}


# -- retention --------------------------------------------------------------------------------------


def retention_place() -> Place:
    def execute(app: Application, place: Place, actor: str, command: Any, version: int) -> RetentionSchedule:
        del place, version  # the schedule's own service retries a step someone else's step overtook
        return retention.record_step(app, actor, command)

    return Place(
        kind=RetentionSchedule,
        stream=RETENTION_STREAM,
        reference="Retention schedule",
        href=f"{PAGES}/retention",
        crumbs=(),
        area="retention",
        execute=execute,
    )


def _retention_page(app: Application, viewer: Viewer, query: dict[str, str]) -> Html:
    _require(viewer, RETENTION_ROLES, "retention and disposal")
    today = app.clock.now().date()
    decisions = retention.decisions(app, today)
    due = [d for d in decisions if d.due]
    blocked = [d for d in decisions if not d.due and d.blocked_by]
    held = retention.holds(app, today)
    done = query.get("disposed", "")
    body: list[Child] = [
        _recorded_banner(query, "the retention schedule"),
        notification(
            "Success",
            p(f"The personal data of {done} was disposed of; its certificate is below."),
            success=True,
            heading_text="Disposed of",
        )
        if done
        else None,
        heading("Retention and disposal"),
        button_group(
            button_link("Record a step of the schedule", f"{PAGES}/retention/steps", secondary=True)
        ),
        heading("Due for disposal", size="m", level=2),
        table(
            ["Record", "Class", "Due on", "Why", ""],
            [
                (
                    d.record,
                    d.record_class.value,
                    str(d.due_on or ""),
                    d.reason,
                    link(
                        join(["Dispose", el("span", f" of {d.record}", class_="govuk-visually-hidden")]),
                        f"{PAGES}/retention/dispose/{d.record}",
                    ),
                )
                for d in due
            ],
        )
        if due
        else p("Nothing is due for disposal today."),
        heading("Blocked by a legal hold", size="m", level=2),
        table(
            ["Record", "Due on", "Held by"],
            [(d.record, str(d.due_on or ""), "; ".join(h.describe() for h in d.blocked_by)) for d in blocked],
        )
        if blocked
        else p("No disposal that is due is held."),
        heading("Legal holds", size="m", level=2),
        table(
            ["Hold", "Kind", "Records", "Since", "Reference"],
            [
                (h.hold_id, h.kind.value, ", ".join(h.records), str(h.placed_on), h.reference or "")
                for h in held
            ],
        )
        if held
        else p("No legal holds."),
        heading("Disposal certificates", size="m", level=2),
        _certificates(app),
    ]
    return page("Retention and disposal", body, viewer=viewer, current="retention")


def _certificates(app: Application) -> Html:
    found = certificates(app)
    if not found:
        return p("No disposals have been certified.")
    return table(
        ["Record", "Disposed", "Rule", "Authorised by", "Log position", ""],
        [
            (
                c.record,
                c.disposed_at.strftime("%-d %b %Y"),
                c.rule,
                f"{c.authorised_by} ({c.authorised_role})",
                str(c.log_position),
                link(
                    join(
                        [
                            "Download",
                            el("span", f" the certificate of {c.record}", class_="govuk-visually-hidden"),
                        ]
                    ),
                    f"{PAGES}/retention/certificates/{c.certificate_id}",
                ),
            )
            for c in found
        ],
    )


def _dispose_page(app: Application, viewer: Viewer, record_ref: str, error: str | None = None) -> Html:
    _require(viewer, RETENTION_ROLES, "disposal")
    decision = retention.decision_for(app, record_ref)
    body: list[Child] = [
        breadcrumbs([("Retention and disposal", f"{PAGES}/retention")]),
        heading(f"Dispose of the personal data of {record_ref}"),
        summary_list(
            [
                ("Class", decision.record_class.value),
                ("Due on", str(decision.due_on or "")),
                ("Why", decision.reason),
                ("Rule", decision.rule.basis if decision.rule else "none"),
            ]
        ),
    ]
    if not decision.due:
        body.append(inset(f"Disposal is not due: {decision.reason}"))
        return page(f"Dispose of {record_ref}", body, viewer=viewer, current="retention")
    body += [
        warning(
            "Disposal destroys the record's data keys and sealed personal data. It cannot be undone. The signed "
            "history stays and still verifies."
        ),
        form(
            f"{PAGES}/retention/dispose/{record_ref}",
            viewer,
            checkbox(
                "confirm",
                f"I confirm that the personal data of {record_ref} is to be disposed of now",
                error=error,
                field_id="confirm",
            ),
            button("Dispose of the personal data", warning=True),
        ),
    ]
    errors = [("confirm", error)] if error else []
    return page(f"Dispose of {record_ref}", body, viewer=viewer, current="retention", errors=errors)


# -- routes -----------------------------------------------------------------------------------------


def _prefill(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    """A step's form filled in from the link that led to it (the item and the person a release is about)."""
    return {k: [v] for k, v in request.query_params.items() if isinstance(v, str) and len(v) <= 200}


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    def serve(request: Request[Any, Any, Any], render: Callable[..., Html], *args: Any) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            try:
                markup = render(app, viewer, *args, query)
            except Redirect as redirect:
                return see_other(redirect.location)
        return html(markup, 400 if "govuk-error-summary" in markup else 200)

    @get(f"{PAGES}/requests", sync_to_thread=True)
    def requests_list(request: Request[Any, Any, Any]) -> Response[bytes]:
        return serve(request, _requests_page)

    @get(PAGES + "/requests/sar/{reference:str}", sync_to_thread=True)
    def sar_request(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        if reference == "new":
            return serve(request, _new_request_page, "sar")
        return serve(request, _sar_page, reference)

    @get(PAGES + "/requests/foi/{reference:str}", sync_to_thread=True)
    def foi_request(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        if reference == "new":
            return serve(request, _new_request_page, "foi")
        return serve(request, _foi_page, reference)

    def new_request_search(kind: str) -> HTTPRouteHandler:
        @post(PAGES + f"/requests/{kind}/new/person", name=f"{kind}-new-person")
        async def search(request: Request[Any, Any, Any]) -> Response[bytes]:
            values = {k: (v[0] if v else "") for k, v in form_values(await request.form()).items()}

            def work() -> Response[bytes]:
                with pool.borrow() as app:
                    viewer = request.state.viewer = viewer_of(app, request)
                    check_form(request, viewer, values)
                    markup = _new_request_page(app, viewer, kind, {}, searched=values)
                return html(markup, 400 if "govuk-error-summary" in markup else 200)

            return await anyio.to_thread.run_sync(work)

        return search

    @get(PAGES + "/requests/sar/{reference:str}/pack/{fmt:str}", sync_to_thread=True)
    def sar_pack(request: Request[Any, Any, Any], reference: RequestRef, fmt: str) -> Response[bytes]:
        chosen = {"html": PackFormat.HTML, "json": PackFormat.JSON}.get(fmt)
        if chosen is None:
            raise RecordNotFound("pack format", fmt)
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer, IG_ROLES, "a subject access pack")
            if not sar.load(app, reference).is_open:  # nothing is read or logged for a closed request
                raise RuleViolation(
                    "the request is closed: its draft pack is not made; the copy sent stays on its page",
                    rule="a closed record takes no more steps",
                    record=reference,
                )
            _, data = sar.render_pack(app, reference, viewer.actor, chosen)
        media = "text/html; charset=utf-8" if fmt == "html" else "application/json"
        return download(data, media, f"{reference}-draft-pack.{fmt}")

    @get(PAGES + "/requests/foi/{reference:str}/response/{fmt:str}", sync_to_thread=True)
    def foi_response(request: Request[Any, Any, Any], reference: RequestRef, fmt: str) -> Response[bytes]:
        chosen = {"html": PackFormat.HTML, "json": PackFormat.JSON}.get(fmt)
        if chosen is None:
            raise RecordNotFound("response format", fmt)
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer, IG_ROLES, "an FOI response")
            data = foi.checked_bytes(app, foi.build_response(app, reference, viewer.actor), chosen)
        media = "text/html; charset=utf-8" if fmt == "html" else "application/json"
        return download(data, media, f"{reference}-draft-response.{fmt}")

    @post(PAGES + "/requests/sar/{reference:str}/collate")
    async def sar_collate(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                _require(viewer, IG_ROLES, "collating a subject access pack")
                done = sar.collate_from_index(app, reference, viewer.actor)
            return see_other(
                f"{PAGES}/requests/sar/{reference}?recorded=collate-items&version={done.version}"
            )

        return await anyio.to_thread.run_sync(work)

    def step_routes(kind: str, place_of: Callable[[str], Place]) -> list[HTTPRouteHandler]:
        base = PAGES + f"/requests/{kind}/" + "{reference:str}/steps"

        @get(base, sync_to_thread=True, name=f"{kind}-steps")
        def steps_list(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                _require(viewer, IG_ROLES, "an information request")
                return html(steps_page(app, viewer, place_of(reference)))

        @get(base + "/{name:str}", sync_to_thread=True, name=f"{kind}-step-form")
        def step_form(
            request: Request[Any, Any, Any], reference: RequestRef, name: StepName
        ) -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                markup, status = form_page(
                    app, viewer, place_of(reference), name, _prefill(request), Problems()
                )
            return html(markup, status)

        @post(base + "/{name:str}", name=f"{kind}-record-step")
        async def record_step(
            request: Request[Any, Any, Any], reference: RequestRef, name: StepName
        ) -> Response[bytes]:
            values = form_values(await request.form())

            def work() -> Response[bytes]:
                with pool.borrow() as app:
                    viewer = request.state.viewer = viewer_of(app, request)
                    check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                    return record(app, viewer, place_of(reference), name, values)

            return await anyio.to_thread.run_sync(work)

        return [steps_list, step_form, record_step]

    @post(PAGES + "/requests/sar/{reference:str}/send")
    async def sar_send(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            fmt = {"html": PackFormat.HTML, "json": PackFormat.JSON}.get((values.get("format") or [""])[0])
            delivery = (values.get("delivery") or [""])[0]
            if fmt is None or delivery not in {d.value for d in Delivery}:
                raise InvalidInput("format", "choose the format and how the response is sent")
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                _require(viewer, IG_ROLES, "sending a subject access response")
                sent, _ = sar.send_pack(app, reference, viewer.actor, fmt, Delivery(delivery))
            return see_other(
                f"{PAGES}/requests/sar/{reference}?recorded=send-response&version={sent.version}"
            )

        return await anyio.to_thread.run_sync(work)

    @post(PAGES + "/requests/sar/{reference:str}/release-person")
    async def sar_release_person(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                _require(viewer, IG_ROLES, "releasing another person's data")
                person = (values.get("third_party") or [""])[0]
                try:
                    done = _release_person(app, viewer, reference, person, values)
                except (InvalidInput, RuleViolation) as error:
                    problem = ReleaseProblem(person, _release_error(error), values)
                    return html(_sar_page(app, viewer, reference, {}, problem), 400)
            return see_other(
                f"{PAGES}/requests/sar/{reference}?recorded=release-third-party-data&version={done.version}"
            )

        return await anyio.to_thread.run_sync(work)

    @get(f"{PAGES}/retention", sync_to_thread=True)
    def retention_page(request: Request[Any, Any, Any]) -> Response[bytes]:
        return serve(request, _retention_page)

    @get(f"{PAGES}/retention/steps", sync_to_thread=True)
    def retention_steps(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer, RETENTION_ROLES, "the retention schedule")
            return html(steps_page(app, viewer, retention_place()))

    @get(PAGES + "/retention/steps/{name:str}", sync_to_thread=True)
    def retention_step_form(request: Request[Any, Any, Any], name: StepName) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            markup, status = form_page(app, viewer, retention_place(), name, {}, Problems())
        return html(markup, status)

    @post(PAGES + "/retention/steps/{name:str}")
    async def retention_record_step(request: Request[Any, Any, Any], name: StepName) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                return record(app, viewer, retention_place(), name, values)

        return await anyio.to_thread.run_sync(work)

    @get(PAGES + "/retention/dispose/{record_ref:str}", sync_to_thread=True)
    def dispose_page(request: Request[Any, Any, Any], record_ref: RecordRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(_dispose_page(app, viewer, record_ref))

    @post(PAGES + "/retention/dispose/{record_ref:str}")
    async def dispose_record(request: Request[Any, Any, Any], record_ref: RecordRef) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                _require(viewer, RETENTION_ROLES, "disposal")
                if (values.get("confirm") or [""])[0] != "yes":
                    error = "Confirm that the personal data is to be disposed of"
                    return html(_dispose_page(app, viewer, record_ref, error), 400)
                dispose(app, record_ref, viewer.actor)
            return see_other(f"{PAGES}/retention?disposed={record_ref}")

        return await anyio.to_thread.run_sync(work)

    @get(PAGES + "/retention/certificates/{certificate_id:str}", sync_to_thread=True)
    def certificate(request: Request[Any, Any, Any], certificate_id: RecordRef) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            _require(viewer, RETENTION_ROLES, "a disposal certificate")
            found = [c for c in certificates(app) if c.certificate_id == certificate_id]
            if not found:
                raise RecordNotFound("disposal certificate", certificate_id)
            data = check_download(
                app,
                certificate_bytes(found[0]),
                document="disposal certificate",
                record=found[0].record,
            )
        return download(data, "application/json", f"disposal-{found[0].record}.json")

    return [
        requests_list,
        sar_request,
        foi_request,
        sar_pack,
        foi_response,
        sar_collate,
        sar_send,
        sar_release_person,
        new_request_search("sar"),
        new_request_search("foi"),
        *step_routes("sar", sar_place),
        *step_routes("foi", foi_place),
        retention_page,
        retention_steps,
        retention_step_form,
        retention_record_step,
        dispose_page,
        dispose_record,
        certificate,
    ]
