"""The redaction workbench of a subject access request, as the handling officer reads it.

Every item is shown in words: where it is (the review, the step, the field, from the glossary),
its words with each identifier of another person marked, the people it identifies by name, and
what the draft pack does with it. Items are grouped by the other people they identify; for each
person one form releases their data in every item ticked (all of them to start with: unticking
one keeps it withheld) under one basis and one reason, each release its own signed step stored
with the others in one append (`adapters.governance.sar.requests.release_person`). An item can still be released in
part (other people's identifiers replaced by [third party]). Beside, the draft pack: what the
requester would receive, and what is withheld with its ground. `adapters.governance.sar.workbench` reads
everything; nothing here decides what is withheld.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from adapters.governance.sar.workbench import ItemKind, PersonItems, Workbench, WorkbenchItem
from adapters.web.components import (
    button,
    checkbox,
    date_input,
    heading,
    link,
    p,
    radios,
    summary_card,
    tag,
    textarea,
)
from adapters.web.glossary import field_label, option_label
from adapters.web.html import Child, Html, el, join
from adapters.web.layout import PAGES, Viewer, form
from domain.governance.sar.steps import ReleaseBasis
from domain.governance.sar.withholding import Outcome

_INDEX = re.compile(r"\[(\d+)\]")
_OUTCOME_COLOUR = {
    Outcome.DISCLOSED: "green",
    Outcome.IN_PART: "yellow",
    Outcome.WITHHELD: "red",
    Outcome.DISPOSED: "grey",
    Outcome.NOT_FOUND: "grey",
}


class ReleaseProblem:
    """What was wrong with one person's release form, to show beside its fields."""

    def __init__(self, person: str, errors: Mapping[str, str], values: Mapping[str, Sequence[str]]) -> None:
        self.person = person
        self.errors = dict(errors)
        self.values = values


_FIELD_IDS = {"basis": "basis", "reasons": "reasons", "consent_given_on": "consent", "items": "item-1"}


def problem_errors(workbench: Workbench, problem: ReleaseProblem) -> list[tuple[str, str]]:
    """The page's list of problems, each linking to its field in the person's form."""
    index = next(
        (n for n, person in enumerate(workbench.people, start=1) if person.subject_id == problem.person), 1
    )
    return [(f"p{index}-{_FIELD_IDS.get(k, 'reasons')}", v) for k, v in problem.errors.items()]


def field_words(field: str) -> str:
    """`form.children[0].parents_carers[1].date_of_birth` as "Children 1 › Parents carers 2 › Date of birth"."""
    parts: list[str] = []
    for part in field.split("."):
        if part == "form" and not parts:
            continue
        numbers = " ".join(str(int(n) + 1) for n in _INDEX.findall(part))
        parts.append(field_label(_INDEX.sub("", part)) + (f" {numbers}" if numbers else ""))
    return " › ".join(parts) or field


def item_label(item: WorkbenchItem) -> str:
    """An item in words: the review, the step and the field (never the item's internal id)."""
    return f"{item.record}, {item.step}: {field_words(item.field)}" if item.step else item.record


def _words(item: WorkbenchItem) -> Html:
    if item.kind is ItemKind.DOCUMENT:
        return p("A document: it is read and redacted on the request's documents page.")
    if item.words is None:
        return p(el("em", item.not_held or "Its words are not held."))
    names = {person.subject_id: person.name for person in item.people}
    pieces: list[Child] = []
    for stretch in item.words:
        if stretch.person is None:
            pieces.append(stretch.text)
        else:
            whose = names.get(stretch.person, "another person")
            said = f"{whose}'s {stretch.kind or 'identifier'}"
            pieces.append(el("mark", stretch.text, class_="detected", title=said))
            pieces.append(el("span", f" ({said})", class_="govuk-visually-hidden"))
    return el("div", join(pieces), class_="govuk-body rl-words")


def _person_status(item: WorkbenchItem) -> Html:
    entries: list[Child] = []
    for person in item.people:
        if person.released:
            state = tag("Released", "green")
        elif item.released_in_part:
            state = tag("Marked [third party]", "yellow")
        else:
            state = tag("Withheld", "red")
        entries.append(el("li", person.name, f" ({person.found_by}) ", state))
    if not entries:
        return p("Names no one else.")
    return el("ul", entries, class_="govuk-list")


def _item_actions(item: WorkbenchItem, href: str, is_open: bool, beside: str | None) -> Html | None:
    """The steps for this item alone; a release of `beside`'s data is the form's tick instead."""
    if not is_open:
        return None
    actions: list[Child] = []
    for person in item.people:
        if (
            person.subject_id != beside
            and person.collated
            and not person.released
            and not item.released_in_part
        ):
            query = urlencode({"item_id": item.item_id, "third_party": person.subject_id})
            actions.append(
                el(
                    "li",
                    link(
                        join(
                            [
                                f"Release {person.name}'s data in this item",
                                el("span", f": {item_label(item)}", class_="govuk-visually-hidden"),
                            ]
                        ),
                        f"{href}/steps/release-third-party-data?{query}",
                    ),
                )
            )
    if item.may_release_in_part:
        actions.append(
            el(
                "li",
                link(
                    join(
                        [
                            "Release in part",
                            el("span", f": {item_label(item)}", class_="govuk-visually-hidden"),
                        ]
                    ),
                    f"{href}/steps/release-item-in-part?{urlencode({'item_id': item.item_id})}",
                ),
                " (their identifiers replaced by [third party])",
            )
        )
    actions.append(
        el(
            "li",
            link(
                join(
                    [
                        "Propose a redaction on another ground",
                        el("span", f": {item_label(item)}", class_="govuk-visually-hidden"),
                    ]
                ),
                f"{href}/steps/propose-redaction?{urlencode({'item_id': item.item_id})}",
            ),
        )
    )
    return el("ul", actions, class_="govuk-list")


def item_card(
    item: WorkbenchItem, href: str, is_open: bool, choice: Child = None, beside: str | None = None
) -> Html:
    """One item: where it is, its words with other people's identifiers marked, whom it names,
    what the pack does with it, and (while the request is open) how to release it."""
    return summary_card(
        join([item_label(item), " ", tag(option_label(item.outcome.value), _OUTCOME_COLOUR[item.outcome])]),
        join(
            [
                choice,
                _words(item),
                p(el("strong", "People it identifies")),
                _person_status(item),
                _item_actions(item, href, is_open, beside),
            ]
        ),
    )


def _release_form(
    person: PersonItems,
    index: int,
    workbench: Workbench,
    viewer: Viewer,
    href: str,
    problem: ReleaseProblem | None,
) -> Html:
    """Every item naming `person`, each ticked to be released (untick the exceptions), then one
    basis and one reason for all of them."""
    errors = problem.errors if problem else {}
    values = problem.values if problem else {}
    ticked = set(values.get("item_id", person.releasable)) if problem else set(person.releasable)
    field = f"p{index}"
    cards: list[Child] = []
    for number, item_id in enumerate(person.items, start=1):
        item = workbench.item(item_id)
        choice = (
            checkbox(
                "item_id",
                join(
                    [
                        f"Release {person.name}'s data in this item",
                        el("span", f": {item_label(item)}", class_="govuk-visually-hidden"),
                    ]
                ),
                checked=item_id in ticked,
                value=item_id,
                field_id=f"{field}-item-{number}",
            )
            if item_id in person.releasable
            else None
        )
        cards.append(item_card(item, href, True, choice, person.subject_id if choice else None))
    if not person.releasable:
        return join(cards)
    consent = values.get("consent_given_on-day", [""])[0], values.get("consent_given_on-month", [""])[0]
    year = values.get("consent_given_on-year", [""])[0]
    return form(
        f"{href}/release-person",
        viewer,
        el("input", type="hidden", name="third_party", value=person.subject_id),
        el("input", type="hidden", name="version", value=str(workbench.version)),
        el("p", errors["items"], class_="govuk-error-message") if errors.get("items") else None,
        el("div", cards, id=f"{field}-items"),
        radios(
            "basis",
            f"Why {person.name}'s data can be given",
            [(b.value, option_label(b.value)) for b in ReleaseBasis],
            selected=values.get("basis", [""])[0],
            error=errors.get("basis"),
            field_id=f"{field}-basis",
        ),
        date_input(
            "consent_given_on",
            "When they consented (only if they did)",
            value=(consent[0], consent[1], year),
            error=errors.get("consent_given_on"),
            field_id=f"{field}-consent",
        ),
        textarea(
            "reasons",
            f"Reasons for releasing {person.name}'s data in the items ticked",
            value=values.get("reasons", [""])[0],
            hint="One reason for all of them; each release is recorded and signed on its own.",
            error=errors.get("reasons"),
            field_id=f"{field}-reasons",
            rows=3,
        ),
        button(f"Release {person.name}'s data in the items ticked"),
    )


def workbench_section(
    workbench: Workbench,
    viewer: Viewer,
    reference: str,
    is_open: bool,
    problem: ReleaseProblem | None = None,
) -> Html:
    """The items grouped by the people they identify, then the draft pack beside what it withholds."""
    href = f"{PAGES}/requests/sar/{reference}"
    named = {item_id for person in workbench.people for item_id in person.items}
    groups: list[Child] = []
    for index, person in enumerate(workbench.people, start=1):
        released = len(person.released)
        summary = (
            f"{len(person.items)} item{' identifies' if len(person.items) == 1 else 's identify'} {person.name} "
            f"({option_label(person.category)}); {released} released, {len(person.releasable)} withheld "
            "that can be released."
        )
        groups += [
            heading(f"{person.name}'s items", size="s", level=3),
            p(summary),
            _release_form(
                person,
                index,
                workbench,
                viewer,
                href,
                problem if problem and problem.person == person.subject_id else None,
            )
            if is_open
            else join([item_card(workbench.item(i), href, False) for i in person.items]),
        ]
    alone = [i for i in workbench.items if i.item_id not in named]
    if alone:
        groups += [
            heading("Items naming no one else", size="s", level=3),
            *(item_card(i, href, is_open) for i in alone),
        ]
    return join(
        [
            heading("Items, by the people they identify", size="m", level=2) if workbench.items else None,
            join(groups) if workbench.items else p("No items are collated yet."),
            draft_pack(workbench) if workbench.items else None,
        ]
    )


def draft_pack(workbench: Workbench) -> Html:
    """What the requester would receive, beside what is withheld and its ground."""
    given = [i for i in workbench.items if i.given is not None]
    withheld = [i for i in workbench.items if i.given is None]
    return join(
        [
            heading("The draft pack", size="m", level=2),
            p(f"As it stands: {workbench.counts}."),
            el(
                "div",
                el(
                    "div",
                    heading("What the requester receives", size="s", level=3),
                    el(
                        "ul",
                        [
                            el(
                                "li",
                                el("strong", item_label(i)),
                                el("br"),
                                el("span", i.given, class_="rl-words"),
                            )
                            for i in given
                        ],
                        class_="govuk-list govuk-list--spaced",
                    )
                    if given
                    else p("Nothing yet."),
                    class_="govuk-grid-column-one-half",
                ),
                el(
                    "div",
                    heading("What is withheld, and why", size="s", level=3),
                    el(
                        "ul",
                        [el("li", el("strong", item_label(i)), el("br"), i.withheld or "") for i in withheld],
                        class_="govuk-list govuk-list--spaced",
                    )
                    if withheld
                    else p("Nothing is withheld."),
                    class_="govuk-grid-column-one-half",
                ),
                class_="govuk-grid-row",
            ),
        ]
    )
