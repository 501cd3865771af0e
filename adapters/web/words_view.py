"""Words that are personal data on a page: marked as such, shown to those entitled, withheld from others with a reason.

The pages read a review's words through `adapters/review_words.py` (the need-to-know table decides,
the read is logged once per page view); these pieces show what it found in the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.app.review_words import DISPOSED, WITHHELD, Words
from adapters.web.components import inset
from adapters.web.glossary import path_label
from adapters.web.html import Child, Html, el, join
from projections.model import BasisItem, PersonalItem

Say = Callable[[str], str]  # what a text becomes in this output (an export replaces identifiers)


def as_is(text: str) -> str:
    return text


def personal_words(text: str) -> Html:
    """Words that are personal data, marked as such for the reader (and for print)."""
    return el(
        "span",
        el("strong", "Personal data", class_="govuk-tag govuk-tag--purple rl-personal-tag"),
        " ",
        el("span", text, class_="rl-personal"),
        class_="rl-personal-words",
    )


def about(b: BasisItem, words: Words, say: Say) -> str:
    if b.sealed is None:
        return ""
    whom = ", ".join(say(words.named(s)) for s in b.sealed.about) or "nobody named"
    return f"{b.sealed.kind} ({b.sealed.nature}) about {whom}"


def basis_item(b: BasisItem, version: int, words: Words, say: Say = as_is) -> Html:
    label = path_label(b.field)
    if b.sealed is None:
        return el("li", el("span", f"{label}: ", class_="govuk-!-font-weight-bold"), say(b.text or ""))
    text = words.text(version, b.field)
    shown: Child
    if text is None:
        shown = el("span", f"words withheld: {about(b, words, say)}", class_="govuk-hint rl-sealed")
    elif text in (WITHHELD, DISPOSED):
        shown = el("span", f"{text}: {about(b, words, say)}", class_="govuk-hint rl-sealed")
    else:
        shown = join(
            [personal_words(say(text)), el("span", f" {about(b, words, say)}", class_="govuk-body-s")]
        )
    return el("li", el("span", f"{label}: ", class_="govuk-!-font-weight-bold"), shown)


def personal_text(item: PersonalItem, version: int, words: Words, say: Say = as_is) -> Html:
    """One sealed item of a record: its words, marked, when the reader may read them; else whom it is about."""
    text = words.text(version, item.field)
    described = BasisItem(field=item.field, sealed=item)
    if text is None:
        return el("span", f"words withheld: {about(described, words, say)}", class_="govuk-hint rl-sealed")
    if text in (WITHHELD, DISPOSED):
        return el("span", f"{text}: {about(described, words, say)}", class_="govuk-hint rl-sealed")
    return personal_words(say(text))


def you(why: str) -> str:
    """A refusal's reason, said to the person refused."""
    return why.replace("they are", "you are").replace("they were", "you were").replace("their ", "your ")


def reading_note(words: Words, what: str = "the bases below") -> Html:
    """One line above the words: that they are personal data and this read is logged, or why they are withheld."""
    if words.granted:
        return inset(
            f"{what[:1].upper()}{what[1:]} hold personal data, marked as such. You may read them (need to know); "
            "this read is recorded in the access log, signed by you."
        )
    return inset(
        f"The words of {what} are withheld from you: {you(words.refused)} (need to know). "
        "Your request to read them is recorded in the access log."
    )
