"""Building HTML in Python with every value escaped unless it is already markup.

`Html` is a `str` that is known to be safe markup: only `el`, `join` and the helpers here make
one. Everything else put into a page (names, references, messages, field values) goes
through `html.escape`, quotes included, so no text from a record or a request can become markup;
and any control, bidirectional or zero-width character stored before the text rule refused them
(domain/kernel/text.py) is shown as a visible escape (`\\u202e`), so it cannot reorder or hide what is around it.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable
from typing import Union

from domain.kernel.text import visible

Child = Union["Html", str, int, None, Iterable["Child"]]


class Html(str):
    """Markup that is safe to send as it is."""

    __slots__ = ()


def esc(value: object) -> Html:
    """A value as text in HTML: markup stays as it is, anything else is escaped (quotes too)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(visible(str(value)), quote=True))


def join(children: Iterable[Child]) -> Html:
    return Html("".join(_render(child) for child in children))


def _render(child: Child) -> str:
    if child is None:
        return ""
    if isinstance(child, Html):
        return child
    if isinstance(child, str | int):
        return esc(child)
    return "".join(_render(c) for c in child)


# Elements that have no end tag (HTML Living Standard §13.1.2).
_VOID = frozenset({"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"})


@functools.cache
def _attribute_name(name: str) -> str:
    return name.rstrip("_").replace("_", "-")


# Attributes whose values are written in this package's source, never taken from a record:
# pages repeat the same few hundred of them, so each is escaped once. (Values that may hold a
# person's words, a form field's `value` say, are escaped afresh and never kept.)
_FIXED = frozenset(
    {
        "class",
        "scope",
        "role",
        "type",
        "method",
        "rel",
        "autocomplete",
        "data-module",
        "spellcheck",
        "aria-hidden",
    }
)


@functools.lru_cache(maxsize=2048)
def _fixed_text(value: str) -> str:
    return html.escape(visible(value), quote=True)


def attributes(attrs: dict[str, object]) -> Html:
    """` name="value"` pairs: True gives a bare attribute, None and False leave it out."""
    parts: list[str] = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        key = _attribute_name(name)
        if value is True:
            parts.append(f" {key}")
        elif key in _FIXED and type(value) is str:
            parts.append(f' {key}="{_fixed_text(value)}"')
        else:
            parts.append(f' {key}="{esc(value)}"')
    return Html("".join(parts))


def el(tag: str, *children: Child, **attrs: object) -> Html:
    """One element: `el("a", "Reviews", href="/pages/reviews", class_="govuk-link")`.

    A trailing underscore makes a Python keyword usable (`class_`, `for_`); other
    underscores become hyphens (`aria_describedby`, `data_module`).
    """
    opened = f"<{tag}{attributes(attrs)}>"
    if tag in _VOID:
        return Html(opened)
    return Html(f"{opened}{join(children)}</{tag}>")


def raw(markup: str) -> Html:
    """Markup written in this package's own source (never text from a request or a record)."""
    return Html(markup)
