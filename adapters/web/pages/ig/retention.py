"""Retention and disposal: the schedule, what is due or held, disposal and its certificates.

The schedule's steps use the same forms as a review's; disposing of a record's personal data
needs a confirmation, and each disposal's certificate can be downloaded.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler

from adapters.app.application import Application
from adapters.governance import retention
from adapters.governance.disclosure import check_download
from adapters.governance.disposal_certificates import certificate_bytes, certificates, dispose
from adapters.http.pool import ApplicationPool
from adapters.web.components import (
    breadcrumbs,
    button,
    button_group,
    button_link,
    checkbox,
    heading,
    inset,
    link,
    notification,
    p,
    summary_list,
    table,
    warning,
)
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, RETENTION_ROLES, Viewer, form, page
from adapters.web.pages.ig.shared import RecordRef, recorded_banner, require, serve
from adapters.web.pages.steps import Place, StepName, form_page, form_values, record, steps_page
from adapters.web.respond import download, html, see_other
from adapters.web.session import check_form, viewer_of
from adapters.web.step_forms import Problems
from domain.governance.retention import RETENTION_STREAM, RetentionSchedule
from domain.kernel.errors import RecordNotFound


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
    require(viewer, RETENTION_ROLES, "retention and disposal")
    today = app.clock.now().date()
    decisions = retention.decisions(app, today)
    due = [d for d in decisions if d.due]
    blocked = [d for d in decisions if not d.due and d.blocked_by]
    held = retention.holds(app, today)
    done = query.get("disposed", "")
    body: list[Child] = [
        recorded_banner(query, "the retention schedule"),
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
    require(viewer, RETENTION_ROLES, "disposal")
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


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(f"{PAGES}/retention", sync_to_thread=True)
    def retention_page(request: Request[Any, Any, Any]) -> Response[bytes]:
        return serve(pool, request, _retention_page)

    @get(f"{PAGES}/retention/steps", sync_to_thread=True)
    def retention_steps(request: Request[Any, Any, Any]) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            require(viewer, RETENTION_ROLES, "the retention schedule")
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
                require(viewer, RETENTION_ROLES, "disposal")
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
            require(viewer, RETENTION_ROLES, "a disposal certificate")
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
        retention_page,
        retention_steps,
        retention_step_form,
        retention_record_step,
        dispose_page,
        dispose_record,
        certificate,
    ]
