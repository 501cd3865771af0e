"""GOV.UK Design System components as small functions returning escaped markup.

Each function writes the markup the `govuk-frontend` package's own templates write (class
names, ARIA attributes, ids that link a field to its hint and its error), so the package's
styles and scripts apply unchanged. Field errors follow the error-message pattern: the message
is inside the label's group, prefixed with a visually hidden "Error:", and the field is
`aria-describedby` it; the page's error summary links to the field's id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from adapters.web.html import Child, Html, el, join

Row = Sequence[Child]


def heading(text: Child, *, size: str = "l", caption: str | None = None, level: int = 1) -> Html:
    return join(
        [
            el("span", caption, class_=f"govuk-caption-{size}") if caption else None,
            el(f"h{level}", text, class_=f"govuk-heading-{size}"),
        ]
    )


def p(*children: Child, class_: str = "govuk-body") -> Html:
    return el("p", *children, class_=class_)


def link(text: Child, href: str, **attrs: object) -> Html:
    return el("a", text, href=href, class_="govuk-link", **attrs)


def hidden(text: Child) -> Html:
    return el("span", text, class_="govuk-visually-hidden")


def tag(text: str, colour: str | None = None) -> Html:
    return el("strong", text, class_="govuk-tag" + (f" govuk-tag--{colour}" if colour else ""))


def button(text: str, *, secondary: bool = False, warning: bool = False, **attrs: object) -> Html:
    variant = " govuk-button--secondary" if secondary else " govuk-button--warning" if warning else ""
    attrs.setdefault("type", "submit")
    return el("button", text, class_="govuk-button" + variant, data_module="govuk-button", **attrs)


def button_link(text: str, href: str, *, secondary: bool = False) -> Html:
    variant = " govuk-button--secondary" if secondary else ""
    return el(
        "a",
        text,
        href=href,
        role="button",
        draggable="false",
        class_="govuk-button" + variant,
        data_module="govuk-button",
    )


def button_group(*buttons: Child) -> Html:
    return el("div", *buttons, class_="govuk-button-group")


def table(
    head: Sequence[Child],
    rows: Iterable[Row],
    *,
    caption: Child = None,
    caption_size: str = "m",
    numeric: Sequence[int] = (),
    row_headers: bool = False,
) -> Html:
    """A table; with `row_headers`, each row's first cell is its header (`<th scope="row">`)."""

    def head_cell(i: int, cell: Child) -> Html:
        numeric_class = " govuk-table__header--numeric" if i in numeric else ""
        return el("th", cell, scope="col", class_="govuk-table__header" + numeric_class)

    def cell(i: int, value: Child) -> Html:
        if row_headers and i == 0:
            return el("th", value, scope="row", class_="govuk-table__header")
        numeric_class = " govuk-table__cell--numeric" if i in numeric else ""
        return el("td", value, class_="govuk-table__cell" + numeric_class)

    return el(
        "table",
        el("caption", caption, class_=f"govuk-table__caption govuk-table__caption--{caption_size}")
        if caption is not None
        else None,
        el(
            "thead",
            el("tr", [head_cell(i, h) for i, h in enumerate(head)], class_="govuk-table__row"),
            class_="govuk-table__head",
        ),
        el(
            "tbody",
            [el("tr", [cell(i, v) for i, v in enumerate(row)], class_="govuk-table__row") for row in rows],
            class_="govuk-table__body",
        ),
        class_="govuk-table",
    )


def pagination(previous: str | None, next_: str | None, *, what: str, hint: str = "") -> Html:
    """GOV.UK pagination: a Previous and a Next link, each only where there is a page that way.

    `what` names the list for those using a screen reader ("Pages of reviews"); `hint`, if given,
    follows each link's title as hidden text (" page of subject access requests").
    """
    items: list[Child] = []
    for href, rel, title in ((previous, "prev", "Previous"), (next_, "next", "Next")):
        if href is not None:
            items.append(
                el(
                    "div",
                    el(
                        "a",
                        el("span", title, class_="govuk-pagination__link-title"),
                        hidden(hint) if hint else None,
                        href=href,
                        rel=rel,
                        class_="govuk-link govuk-pagination__link",
                    ),
                    class_=f"govuk-pagination__{rel}",
                )
            )
    if not items:
        return Html("")
    return el("nav", items, class_="govuk-pagination govuk-pagination--block", aria_label=f"Pages of {what}")


def summary_list(rows: Iterable[tuple[Child, Child]], *, no_border: bool = False) -> Html:
    return el(
        "dl",
        [
            el(
                "div",
                el("dt", key, class_="govuk-summary-list__key"),
                el("dd", value, class_="govuk-summary-list__value"),
                class_="govuk-summary-list__row",
            )
            for key, value in rows
        ],
        class_="govuk-summary-list" + (" govuk-summary-list--no-border" if no_border else ""),
    )


def summary_card(title: Child, body: Child) -> Html:
    return el(
        "div",
        el(
            "div",
            el("h2", title, class_="govuk-summary-card__title"),
            class_="govuk-summary-card__title-wrapper",
        ),
        el("div", body, class_="govuk-summary-card__content"),
        class_="govuk-summary-card",
    )


def details(summary: Child, body: Child, *, open_: bool = False) -> Html:
    return el(
        "details",
        el(
            "summary",
            el("span", summary, class_="govuk-details__summary-text"),
            class_="govuk-details__summary",
        ),
        el("div", body, class_="govuk-details__text"),
        class_="govuk-details",
        open=open_,
    )


def inset(*children: Child) -> Html:
    return el("div", *children, class_="govuk-inset-text")


def warning(text: Child) -> Html:
    return el(
        "div",
        el("span", "!", class_="govuk-warning-text__icon", aria_hidden="true"),
        el("strong", hidden("Warning"), text, class_="govuk-warning-text__text"),
        class_="govuk-warning-text",
    )


def notification(title: str, body: Child, *, success: bool = False, heading_text: Child = None) -> Html:
    """A notification banner; a success banner is announced (role="alert")."""
    return el(
        "div",
        el(
            "div",
            el("h2", title, class_="govuk-notification-banner__title", id="govuk-notification-banner-title"),
            class_="govuk-notification-banner__header",
        ),
        el(
            "div",
            el("p", heading_text, class_="govuk-notification-banner__heading") if heading_text else None,
            body,
            class_="govuk-notification-banner__content",
        ),
        class_="govuk-notification-banner" + (" govuk-notification-banner--success" if success else ""),
        role="alert" if success else "region",
        aria_labelledby="govuk-notification-banner-title",
        data_module="govuk-notification-banner",
    )


def error_summary(errors: Sequence[tuple[str, str]]) -> Html:
    """The page's list of problems, each linking to its field (`#field-id`); focused on load."""
    return el(
        "div",
        el(
            "div",
            el("h2", "There is a problem", class_="govuk-error-summary__title"),
            el(
                "div",
                el(
                    "ul",
                    [
                        el("li", el("a", message, href=f"#{target}") if target else message)
                        for target, message in errors
                    ],
                    class_="govuk-list govuk-error-summary__list",
                ),
                class_="govuk-error-summary__body",
            ),
            role="alert",
        ),
        class_="govuk-error-summary",
        data_module="govuk-error-summary",
    )


def breadcrumbs(items: Sequence[tuple[str, str]]) -> Html:
    return el(
        "nav",
        el(
            "ol",
            [
                el(
                    "li",
                    el("a", text, href=href, class_="govuk-breadcrumbs__link"),
                    class_="govuk-breadcrumbs__list-item",
                )
                for text, href in items
            ],
            class_="govuk-breadcrumbs__list",
        ),
        class_="govuk-breadcrumbs",
        aria_label="Breadcrumb",
    )


# -- form fields ---------------------------------------------------------------------------------


def _described_by(field_id: str, hint: Child, error: str | None) -> str | None:
    ids = [f"{field_id}-hint"] if hint else []
    if error:
        ids.append(f"{field_id}-error")
    return " ".join(ids) or None


def _hint(field_id: str, hint: Child) -> Html | None:
    return el("div", hint, id=f"{field_id}-hint", class_="govuk-hint") if hint else None


def _error(field_id: str, error: str | None) -> Html | None:
    if not error:
        return None
    return el("p", hidden("Error: "), error, id=f"{field_id}-error", class_="govuk-error-message")


def _group(error: str | None, *children: Child) -> Html:
    return el("div", *children, class_="govuk-form-group" + (" govuk-form-group--error" if error else ""))


def label(text: Child, for_: str, *, page_heading: bool = False) -> Html:
    if page_heading:
        return el(
            "h1",
            el("label", text, for_=for_, class_="govuk-label govuk-label--l"),
            class_="govuk-label-wrapper",
        )
    return el("label", text, for_=for_, class_="govuk-label")


def text_input(
    name: str,
    label_text: Child,
    *,
    value: str = "",
    hint: Child = None,
    error: str | None = None,
    field_id: str | None = None,
    width: str | None = None,
    input_type: str = "text",
    **attrs: object,
) -> Html:
    field_id = field_id or name
    classes = "govuk-input" + (f" govuk-input--width-{width}" if width else "")
    classes += " govuk-input--error" if error else ""
    return _group(
        error,
        label(label_text, field_id),
        _hint(field_id, hint),
        _error(field_id, error),
        el(
            "input",
            class_=classes,
            id=field_id,
            name=name,
            type=input_type,
            value=value,
            aria_describedby=_described_by(field_id, hint, error),
            **attrs,
        ),
    )


def textarea(
    name: str,
    label_text: Child,
    *,
    value: str = "",
    hint: Child = None,
    error: str | None = None,
    field_id: str | None = None,
    rows: int = 5,
    spellcheck: bool = True,
) -> Html:
    field_id = field_id or name
    return _group(
        error,
        label(label_text, field_id),
        _hint(field_id, hint),
        _error(field_id, error),
        el(
            "textarea",
            value,
            class_="govuk-textarea" + (" govuk-textarea--error" if error else ""),
            id=field_id,
            name=name,
            rows=str(rows),
            spellcheck="true" if spellcheck else "false",
            aria_describedby=_described_by(field_id, hint, error),
        ),
    )


def select(
    name: str,
    label_text: Child,
    options: Sequence[tuple[str, str]],
    *,
    selected: str = "",
    hint: Child = None,
    error: str | None = None,
    field_id: str | None = None,
) -> Html:
    field_id = field_id or name
    return _group(
        error,
        label(label_text, field_id),
        _hint(field_id, hint),
        _error(field_id, error),
        el(
            "select",
            [el("option", text, value=value, selected=value == selected) for value, text in options],
            class_="govuk-select" + (" govuk-select--error" if error else ""),
            id=field_id,
            name=name,
            aria_describedby=_described_by(field_id, hint, error),
        ),
    )


def date_input(
    name: str,
    legend: Child,
    *,
    value: tuple[str, str, str] = ("", "", ""),
    hint: Child = None,
    error: str | None = None,
    field_id: str | None = None,
) -> Html:
    """The three-field GOV.UK date input (day, month, year); the first field takes the group's id."""
    field_id = field_id or name
    parts = (("day", "Day", "2"), ("month", "Month", "2"), ("year", "Year", "4"))
    items = [
        el(
            "div",
            el(
                "div",
                el(
                    "label",
                    text,
                    for_=field_id if i == 0 else f"{field_id}-{part}",
                    class_="govuk-label govuk-date-input__label",
                ),
                el(
                    "input",
                    class_=f"govuk-input govuk-date-input__input govuk-input--width-{width}"
                    + (" govuk-input--error" if error else ""),
                    id=field_id if i == 0 else f"{field_id}-{part}",
                    name=f"{name}-{part}",
                    type="text",
                    inputmode="numeric",
                    value=value[i],
                ),
                class_="govuk-form-group",
            ),
            class_="govuk-date-input__item",
        )
        for i, (part, text, width) in enumerate(parts)
    ]
    return _group(
        error,
        el(
            "fieldset",
            el("legend", legend, class_="govuk-fieldset__legend govuk-fieldset__legend--s"),
            _hint(field_id, hint),
            _error(field_id, error),
            el("div", items, class_="govuk-date-input", id=f"{field_id}-group"),
            class_="govuk-fieldset",
            role="group",
            aria_describedby=_described_by(field_id, hint, error),
        ),
    )


def checkbox(
    name: str,
    label_text: Child,
    *,
    checked: bool = False,
    hint: Child = None,
    error: str | None = None,
    field_id: str | None = None,
    value: str = "yes",
) -> Html:
    """One yes/no question as a single checkbox."""
    field_id = field_id or name
    return _group(
        error,
        _error(field_id, error),
        el(
            "div",
            el(
                "div",
                el(
                    "input",
                    class_="govuk-checkboxes__input",
                    id=field_id,
                    name=name,
                    type="checkbox",
                    value=value,
                    checked=checked,
                    aria_describedby=_described_by(field_id, hint, error),
                ),
                el("label", label_text, for_=field_id, class_="govuk-label govuk-checkboxes__label"),
                el("div", hint, id=f"{field_id}-hint", class_="govuk-hint govuk-checkboxes__hint")
                if hint
                else None,
                class_="govuk-checkboxes__item",
            ),
            class_="govuk-checkboxes govuk-checkboxes--small",
            data_module="govuk-checkboxes",
        ),
    )


def radios(
    name: str,
    legend: Child,
    options: Sequence[tuple[str, str]],
    *,
    selected: str = "",
    hint: Child = None,
    error: str | None = None,
    field_id: str | None = None,
    inline: bool = False,
) -> Html:
    field_id = field_id or name
    items = [
        el(
            "div",
            el(
                "input",
                class_="govuk-radios__input",
                id=field_id if i == 0 else f"{field_id}-{i + 1}",
                name=name,
                type="radio",
                value=value,
                checked=value == selected,
            ),
            el(
                "label",
                text,
                for_=field_id if i == 0 else f"{field_id}-{i + 1}",
                class_="govuk-label govuk-radios__label",
            ),
            class_="govuk-radios__item",
        )
        for i, (value, text) in enumerate(options)
    ]
    return _group(
        error,
        el(
            "fieldset",
            el("legend", legend, class_="govuk-fieldset__legend govuk-fieldset__legend--s"),
            _hint(field_id, hint),
            _error(field_id, error),
            el(
                "div",
                items,
                class_="govuk-radios govuk-radios--small" + (" govuk-radios--inline" if inline else ""),
                data_module="govuk-radios",
            ),
            class_="govuk-fieldset",
            aria_describedby=_described_by(field_id, hint, error),
        ),
    )


def fieldset(legend: Child, *children: Child, hint: Child = None, field_id: str | None = None) -> Html:
    return el(
        "fieldset",
        el("legend", legend, class_="govuk-fieldset__legend govuk-fieldset__legend--m"),
        _hint(field_id, hint) if field_id else (el("div", hint, class_="govuk-hint") if hint else None),
        *children,
        class_="govuk-fieldset",
    )
