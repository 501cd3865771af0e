"""One subject access request: its page, redaction workbench, draft pack and response.

Collating its items, releasing one person's data with a reason, and sending the response (whose
exact bytes are kept) each have their own route; every other step uses the request's step forms.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.governance.ig_records import SarRecord, sar_stream
from adapters.governance.sar import requests as sar
from adapters.governance.sar import workbench as sar_workbench
from adapters.governance.sar.items import split_item_id
from adapters.governance.sar.workbench import record_words
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    button_group,
    button_link,
    heading,
    inset,
    p,
    radios,
    select,
    summary_list,
    table,
    tag,
    warning,
)
from adapters.web.html import Child, Html, join
from adapters.web.layout import IG_ROLES, PAGES, Viewer, form, page
from adapters.web.pages.ig.requests import new_request_page
from adapters.web.pages.ig.shared import (
    RequestRef,
    deadline,
    obligations_table,
    recorded_banner,
    require,
    serve,
    step_routes,
    timescales_table,
)
from adapters.web.pages.sent import sent_table
from adapters.web.pages.steps import Place, form_values
from adapters.web.pages.workbench import (
    ReleaseProblem,
    field_words,
    item_label,
    problem_errors,
    workbench_section,
)
from adapters.web.respond import download, html, see_other
from adapters.web.session import check_form, viewer_of
from adapters.web.step_forms import FormValues
from domain.governance.sar.request import SubjectAccessRequest
from domain.governance.sar.steps import Delivery, PackFormat, ReleaseBasis
from domain.kernel.errors import InvalidInput, NotAuthorised, RecordNotFound, RuleViolation


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
    require(viewer, IG_ROLES, "a subject access request")
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
        recorded_banner(query, reference),
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
                ("Response due", deadline(status.due_on, today, status.sent_on is not None)),
                ("Extended", "yes" if status.extended else "no"),
                ("Searched", ", ".join(bench.record(s) for s in status.searched) or "nothing yet"),
                ("Sent", str(status.sent_on or "not yet")),
            ]
        ),
        timescales_table(status.clocks),
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
        obligations_table(status.obligations),
        _send_form(viewer, place) if is_open and status.sent_on is None and status.items else None,
        heading("Documents sent", size="m", level=2),
        sent_table("sar", reference, status.documents),
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
        recorded_banner(query, reference),
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
        sent_table("sar", reference, status.documents),
    ]
    return page(f"Subject access request {reference}", body, viewer=viewer, current="requests")


def _item_words(item_id: str) -> str:
    """An item from its id alone, in words: where it is and the field (no record is read for it)."""
    parts = split_item_id(item_id)
    return item_id if parts is None else f"{record_words(parts[0], {})}: {field_words(parts[2])}"


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


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/requests/sar/{reference:str}", sync_to_thread=True)
    def sar_request(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        if reference == "new":
            return serve(pool, request, new_request_page, "sar")
        return serve(pool, request, _sar_page, reference)

    @get(PAGES + "/requests/sar/{reference:str}/pack/{fmt:str}", sync_to_thread=True)
    def sar_pack(request: Request[Any, Any, Any], reference: RequestRef, fmt: str) -> Response[bytes]:
        chosen = {"html": PackFormat.HTML, "json": PackFormat.JSON}.get(fmt)
        if chosen is None:
            raise RecordNotFound("pack format", fmt)
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            require(viewer, IG_ROLES, "a subject access pack")
            if not sar.load(app, reference).is_open:  # nothing is read or logged for a closed request
                raise RuleViolation(
                    "the request is closed: its draft pack is not made; the copy sent stays on its page",
                    rule="a closed record takes no more steps",
                    record=reference,
                )
            _, data = sar.render_pack(app, reference, viewer.actor, chosen)
        media = "text/html; charset=utf-8" if fmt == "html" else "application/json"
        return download(data, media, f"{reference}-draft-pack.{fmt}")

    @post(PAGES + "/requests/sar/{reference:str}/collate")
    async def sar_collate(request: Request[Any, Any, Any], reference: RequestRef) -> Response[bytes]:
        values = form_values(await request.form())

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                require(viewer, IG_ROLES, "collating a subject access pack")
                done = sar.collate_from_index(app, reference, viewer.actor)
            return see_other(
                f"{PAGES}/requests/sar/{reference}?recorded=collate-items&version={done.version}"
            )

        return await anyio.to_thread.run_sync(work)

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
                require(viewer, IG_ROLES, "sending a subject access response")
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
                require(viewer, IG_ROLES, "releasing another person's data")
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

    return [
        sar_request,
        sar_pack,
        sar_collate,
        sar_send,
        sar_release_person,
        *step_routes(pool, "sar", sar_place),
    ]
