"""Recording the next step of a review, and starting a new one.

Only the steps the person's roles may record (`adapters/app/authority.py`) and the procedure allows
at the review's stage (`adapters/web/offered.py`) are offered; the others their roles could
record are listed with the procedure's reason in words. A step's form is made from its command
type (`adapters/web/step_forms.py`); it carries the version of the review it was filled in on,
so a step decided on a review someone has since changed is refused, and nothing is recorded.
Problems are shown in the GOV.UK error-summary pattern, against the field they concern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
import msgspec
from litestar import Request, Response, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.app.application import Application, Outcome
from adapters.app.records import record_type_for
from adapters.http.pool import ApplicationPool
from adapters.http.reviews import Reference
from adapters.web import glossary
from adapters.web.components import (
    breadcrumbs,
    button,
    details,
    heading,
    inset,
    link,
    p,
    radios,
    table,
    tag,
    text_input,
)
from adapters.web.glossary import role_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, Viewer, form, page
from adapters.web.offered import Offer, roles_table, steps_for
from adapters.web.respond import html, see_other
from adapters.web.session import check_form, viewer_of
from adapters.web.step_forms import ADD_ROW, FormValues, Problems, form_fields, read_command
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.errors import ConcurrentChange, InvalidInput, NotAuthorised, RecordNotFound, RuleViolation
from domain.kernel.roles import Acting
from domain.routes.registry import ROUTES

StepName = Annotated[str, PathParameter(max_length=80, pattern=r"^[a-z-]+$")]
RouteName = Annotated[str, PathParameter(max_length=32, pattern=r"^[a-z-]+$")]
# The version of the review the form was filled in on; a hyphen keeps it apart from every command field.
RECORD_VERSION = "record-version"
# The subject ids a recorded step's words name beyond its `about`, carried to the page shown next.
NOT_NAMED = "not-named"
REFERENCE_CHARS = "letters, digits, '.', '_' and '-'"
OWN_PAGE = "this step is recorded on its own page, which keeps exactly what is sent"


def closed_record(offers: list[Offer]) -> bool:
    return bool(offers) and all(o.closed for o in offers)


def _acting(viewer: Viewer) -> Acting:
    return Acting(actor=viewer.actor, roles=viewer.roles)


def not_named_note(query: Mapping[str, str]) -> Html | None:
    """The words a page shows after a step whose text names people its `about` left out."""
    ids = [i for i in query.get(NOT_NAMED, "").split(",") if i.startswith("S-") and len(i) <= 40][:50]
    if not ids:
        return None
    return p(
        f"Its words also name {', '.join(ids)}, who were not in “about”: it is recorded as about "
        "them too, and counts as about them for every disclosure."
    )


def step_label(name: str) -> str:
    return glossary.step_label(name)


def _who_records(kind: type[Aggregate], name: str) -> str:
    roles = roles_table(kind).get(name, frozenset())
    return " or ".join(sorted(role_label(r) for r in roles)) or "nobody"


def valid_reference(reference: str) -> bool:
    return (
        0 < len(reference) <= 64
        and reference[0].isalnum()
        and all(c.isalnum() or c in "._-" for c in reference)
        and reference.isascii()
    )


def _execute(
    app: Application, place: Place, actor: str, command: Command, version: int
) -> Outcome[Aggregate]:
    return app.record_step(place.kind, place.stream, actor, command, expected_version=version)


@dataclass(frozen=True)
class Place:
    """A record whose steps are recorded through the pages, and where its pages are."""

    kind: type[Aggregate]
    stream: str  # the record's stream in the log
    reference: str  # what people call it
    href: str  # its own page
    crumbs: tuple[tuple[str, str], ...]  # the pages above it
    area: str  # the navigation item it belongs to
    query: str = ""  # kept on the step's URL while the record does not exist yet (a new review's route)
    # Steps recorded on a page of their own (sending a response keeps the bytes sent), never by the generic form.
    own_pages: tuple[tuple[str, str], ...] = ()
    execute: Callable[[Application, Place, str, Command, int], Aggregate | Outcome[Aggregate]] = _execute
    # What a step's form names by id (an item, a person), said in words: shown, its id kept hidden.
    given: Callable[[Application, Viewer, FormValues], Mapping[str, str]] | None = None


def review_place(app: Application, reference: str, route: str | None) -> Place:
    kind = record_type_for(app, reference, route)
    if kind not in ROUTES.values():
        raise RecordNotFound("review", reference)
    return Place(
        kind=kind,
        stream=reference,
        reference=reference,
        href=f"{PAGES}/reviews/{reference}",
        crumbs=(("Reviews", f"{PAGES}/reviews"),),
        area="reviews",
        query=urlencode({"route": route}) if route else "",
    )


# -- the list of steps ----------------------------------------------------------------------------


def steps_page(app: Application, viewer: Viewer, place: Place) -> Html:
    offers = steps_for(app, place.kind, place.stream, _acting(viewer))
    available = [o for o in offers if o.available]
    refused = [o for o in offers if not o.available]
    body: list[Child] = [
        breadcrumbs([*place.crumbs, (place.reference, place.href)]),
        heading("Record the next step", caption=place.reference),
    ]
    if not offers:
        roles = ", ".join(sorted(role_label(r) for r in viewer.roles)) or "none"
        body.append(
            inset(
                f"Your roles ({roles}) do not record steps on a {place.kind.kind}. Each step is recorded by the "
                "role the procedure gives it to."
            )
        )
    elif available:
        own = dict(place.own_pages)
        body.append(
            el(
                "ul",
                [
                    el(
                        "li",
                        link(step_label(o.name), own.get(o.name, f"{place.href}/steps/{o.name}")),
                        join([" ", tag("Expected next", "turquoise")]) if o.expected else None,
                    )
                    for o in available
                ],
                class_="govuk-list govuk-list--spaced rl-steps",
            )
        )
    elif closed_record(offers):
        body.append(inset(f"This {place.kind.kind} is closed: no more steps are recorded on it."))
    else:
        body.append(
            inset(f"There is nothing your roles may record on this {place.kind.kind} at its present stage.")
        )
    if refused and not closed_record(offers):
        body.append(
            details(
                f"Steps your roles record, which the procedure does not allow now ({len(refused)})",
                table(
                    ["Step", "Why not now"],
                    [(step_label(o.name), o.refused or "") for o in refused],
                    row_headers=True,
                ),
            )
        )
    return page(f"Record the next step on {place.reference}", body, viewer=viewer, current=place.area)


# -- one step's form ------------------------------------------------------------------------------


def _offer(app: Application, viewer: Viewer, place: Place, name: str) -> Offer:
    """The step, if the person's roles may record it; NotAuthorised, in words, otherwise."""
    if name not in place.kind.commands():
        raise RecordNotFound(f"step of a {place.kind.kind}", name)
    for offer in steps_for(app, place.kind, place.stream, _acting(viewer)):
        if offer.name == name:
            if name in dict(place.own_pages) and offer.available:
                return msgspec.structs.replace(offer, refused=OWN_PAGE)
            return offer
    raise NotAuthorised(
        viewer.actor, f"a person holding {_who_records(place.kind, name)}", step_label(name), place.reference
    )


def form_page(
    app: Application,
    viewer: Viewer,
    place: Place,
    name: str,
    values: FormValues,
    problems: Problems,
    version: int | None = None,
) -> tuple[Html, int]:
    offer = _offer(app, viewer, place, name)
    current = app.ledger.stream_version(place.stream)
    above = list(place.crumbs) + (
        [(place.reference, place.href), ("Steps", f"{place.href}/steps")] if current else []
    )
    crumbs = breadcrumbs(above)
    if not offer.available and not problems:
        body: list[Child] = [
            crumbs,
            heading(step_label(name), caption=place.reference),
            inset(
                join(
                    [
                        el("p", "The procedure does not allow this step now:", class_="govuk-body"),
                        el("p", offer.refused, class_="govuk-body"),
                    ]
                )
            ),
            p(
                link("Go to its page", dict(place.own_pages)[name])
                if offer.refused == OWN_PAGE
                else link("See the steps you can record", f"{place.href}/steps")
                if current
                else link("Back", above[-1][1])
            ),
        ]
        return page(step_label(name), body, viewer=viewer, current=place.area), 422
    doc = (offer.command.__doc__ or "").strip()
    target = f"{place.href}/steps/{name}" + (f"?{place.query}" if place.query and not current else "")
    body = [
        crumbs,
        heading(step_label(name), caption=f"{place.reference}, {place.kind.kind}"),
        p(doc) if doc and not doc.startswith(offer.command.__name__) else None,
        p(
            f"You are recording this as {viewer.actor}. It will be signed with your key and cannot be changed "
            "afterwards."
        ),
        form(
            target,
            viewer,
            el(
                "input",
                type="hidden",
                name=RECORD_VERSION,
                value=str(current if version is None else version),
            ),
            form_fields(
                offer.command,
                values,
                problems,
                given=place.given(app, viewer, values) if place.given is not None else {},
            ),
            button("Record this step", data_prevent_double_click="true"),
        ),
    ]
    status = 200 if not problems else 400
    return page(step_label(name), body, viewer=viewer, current=place.area, errors=problems.summary()), status


def record(app: Application, viewer: Viewer, place: Place, name: str, values: FormValues) -> Response[bytes]:
    offer = _offer(app, viewer, place, name)
    if offer.closed or offer.refused == OWN_PAGE:  # nothing is read from the form, nothing recorded
        markup, status = form_page(app, viewer, place, name, {}, Problems())
        return html(markup, status)
    problems = Problems()
    version_text = (values.get(RECORD_VERSION) or ["0"])[0]
    version = int(version_text) if version_text.isdigit() else 0
    if values.get(ADD_ROW):  # one more row for a list of entries: the form again, nothing recorded
        markup, status = form_page(app, viewer, place, name, values, problems, version)
        return html(markup, status)
    command = read_command(offer.command, values, problems)
    status = 400
    if command is not None:
        try:
            recorded = place.execute(app, place, viewer.actor, command, version)
        except InvalidInput as error:
            field = error.field
            problems.fields[field] = (
                f"{field.rsplit('.', 1)[-1].replace('_', ' ').capitalize()}: {error.rule}"
            )
        except (RuleViolation, NotAuthorised) as error:
            message = error.message if isinstance(error, RuleViolation) else str(error)
            rule = f" ({error.rule})" if isinstance(error, RuleViolation) else ""
            problems.general.append(
                f"The procedure does not allow this step: {message}{rule}. Nothing was recorded."
            )
            status = 422
        except ConcurrentChange:
            problems.general.append(
                f"Someone else recorded a step on this {place.kind.kind} while you were filling in this form. "
                "Nothing was recorded: check it, then submit the form again."
            )
            version = app.ledger.stream_version(place.stream)
            status = 409
        else:
            outcome = recorded if isinstance(recorded, Outcome) else Outcome(record=recorded)
            shown = {"recorded": name, "version": str(outcome.record.version)}
            if outcome.not_named:
                shown[NOT_NAMED] = ",".join(outcome.not_named)
            return see_other(f"{place.href}?{urlencode(shown)}")
    if problems.fields and not any(_shown(p_, _paths(offer.command)) for p_ in problems.fields):
        # A rule about a field the form does not show by that name: say it at the top.
        problems.general.extend(problems.fields.values())
        problems.fields.clear()
    markup, _ = form_page(app, viewer, place, name, values, problems, version)
    return html(markup, status)


def _shown(path: str, paths: set[str]) -> bool:
    """Whether the form shows a field at this path (a row of a list of entries is "list.<row>.field")."""
    parts = path.split(".")
    return path in paths or (len(parts) == 3 and parts[1].isdigit() and parts[0] in paths)


def _paths(command_type: type[Any]) -> set[str]:
    from msgspec import inspect as mi

    found: set[str] = set()

    def walk(t: Any, prefix: str) -> None:
        if isinstance(t, mi.UnionType):
            for x in t.types:
                walk(x, prefix)
        elif isinstance(t, mi.StructType):
            for f in t.fields:
                path = f"{prefix}.{f.encode_name}" if prefix else f.encode_name
                found.add(path)
                if not prefix:
                    walk(f.type, path)

    walk(mi.type_info(command_type), "")
    return found


# -- starting a review ----------------------------------------------------------------------------


def starting_steps(app: Application, viewer: Viewer, route: str) -> list[Offer]:
    """The steps that open a review of this route, which the person may record."""
    return [o for o in steps_for(app, ROUTES[route], "", _acting(viewer)) if o.available]


def _start_page(app: Application, viewer: Viewer, route: str, query: dict[str, str]) -> tuple[Html, int]:
    if route not in ROUTES:
        raise RecordNotFound("route", route)
    kind = ROUTES[route]
    starts = starting_steps(app, viewer, route)
    if not starts:
        raise NotAuthorised(
            viewer.actor, f"a person who may open a {kind.kind}", f"starting a {kind.kind}", route
        )
    reference = query.get("reference", "").strip()
    chosen = query.get("step", "")
    problems: list[tuple[str, str]] = []
    if "reference" in query:
        if not valid_reference(reference):
            problems.append(
                ("reference", f"Enter a reference of up to 64 {REFERENCE_CHARS}, like LR-2026-003")
            )
        elif app.ledger.stream_version(reference):
            problems.append(("reference", f"{reference} is already a record: choose another reference"))
        if chosen not in {o.name for o in starts}:
            problems.append(("step", "Select the first step"))
        if not problems:
            raise Redirect(f"{PAGES}/reviews/{reference}/steps/{chosen}?{urlencode({'route': route})}")
    errors = dict(problems)
    body = [
        breadcrumbs([("Reviews", f"{PAGES}/reviews")]),
        heading(f"Start a {kind.kind}"),
        form(
            f"{PAGES}/start/{route}",
            None,
            text_input(
                "reference",
                "Reference",
                value=reference,
                error=errors.get("reference"),
                width="20",
                hint=f"The new review's reference: {REFERENCE_CHARS}, like LR-2026-003",
            ),
            radios(
                "step",
                "First step",
                [(o.name, step_label(o.name)) for o in starts],
                selected=chosen or starts[0].name,
                error=errors.get("step"),
            ),
            button("Continue"),
            method="get",
        ),
    ]
    return page(
        f"Start a {kind.kind}", body, viewer=viewer, current="reviews", errors=problems
    ), 400 if problems else 200


class Redirect(Exception):
    """A page's answer is to go elsewhere (see other)."""

    def __init__(self, location: str) -> None:
        self.location = location


# -- routes ---------------------------------------------------------------------------------------


def form_values(multi: Any) -> dict[str, list[str]]:
    """A submitted form's text fields, each with every value given for it."""
    found: dict[str, list[str]] = {}
    for key, value in multi.multi_items():
        if isinstance(value, str):
            found.setdefault(key, []).append(value)
    return found


def routes(pool: ApplicationPool) -> list[HTTPRouteHandler]:
    @get(PAGES + "/reviews/{reference:str}/steps", sync_to_thread=True)
    def steps(request: Request[Any, Any, Any], reference: Reference) -> Response[bytes]:
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            return html(steps_page(app, viewer, review_place(app, reference, None)))

    @get(PAGES + "/reviews/{reference:str}/steps/{name:str}", sync_to_thread=True)
    def step_form(request: Request[Any, Any, Any], reference: Reference, name: StepName) -> Response[bytes]:
        route = request.query_params.get("route")
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            markup, status = form_page(app, viewer, review_place(app, reference, route), name, {}, Problems())
        return html(markup, status)

    @post(PAGES + "/reviews/{reference:str}/steps/{name:str}")
    async def record_step(
        request: Request[Any, Any, Any], reference: Reference, name: StepName
    ) -> Response[bytes]:
        values = form_values(await request.form())
        route = request.query_params.get("route")

        def work() -> Response[bytes]:
            with pool.borrow() as app:
                viewer = request.state.viewer = viewer_of(app, request)
                check_form(request, viewer, {k: v[0] for k, v in values.items() if v})
                return record(app, viewer, review_place(app, reference, route), name, values)

        return await anyio.to_thread.run_sync(work)

    @get(PAGES + "/start/{route:str}", sync_to_thread=True)
    def start(request: Request[Any, Any, Any], route: RouteName) -> Response[bytes]:
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        with pool.borrow() as app:
            viewer = request.state.viewer = viewer_of(app, request)
            try:
                markup, status = _start_page(app, viewer, route, query)
            except Redirect as redirect:
                return see_other(redirect.location)
        return html(markup, status)

    return [steps, step_form, record_step, start]
