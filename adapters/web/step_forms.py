"""A step's form, made from its command's msgspec Struct, and the submitted form turned back into the command.

Each field's type decides its GOV.UK input:

| type | input |
|---|---|
| `str` | a text input for names and ids, a textarea for anything written at length |
| `date` | the three-field date input (day, month, year) |
| `int` | a short numeric text input |
| `bool` | a single checkbox; an optional one is a yes/no/not given choice |
| an enum or `Literal` | radios for a few choices, a select for more |
| `tuple[str, ...]` | a textarea with one item per line |
| `tuple[<enum>, ...]` | checkboxes |
| a nested Struct | a fieldset of its own fields (one level deep) |
| a list of Structs of the types above (not lists of Structs) | one fieldset of inputs per entry, and a button for one more |
| anything else (a list of Structs inside a Struct) | a JSON textarea, with the shape of one item as its hint |

The submitted values are decoded with msgspec into the same command type the API and the
command line decode, so the record checks exactly the same thing; a problem is reported
against the field it concerns, by its path (`subject.date_of_birth`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import msgspec
from msgspec import inspect as mi

from adapters.web.components import (
    button,
    checkbox,
    date_input,
    fieldset,
    radios,
    select,
    text_input,
    textarea,
)
from adapters.web.glossary import field_label, option_label
from adapters.web.html import Child, Html, el, join
from domain.kernel.command import Command

FormValues = Mapping[str, Sequence[str]]

# Free text fields whose names say they are short: a name, an id, a reference, an agency.
_SHORT = (
    "_id",
    "id",
    "name",
    "reference",
    "agency",
    "nominee",
    "title",
    "job_title",
    "contact",
    "gender",
    "where",
    "service",
    "team",
    "email",
    "subject",
    "author",
    "responsible",
    "lead_agency",
    "by",
    "relationship",
    "discipline",
    "owner_team",
    "identifier",
    "number",
)

HINTS = {
    "about": "The data subjects it is about, by id (like S-0001), one per line. Leave empty for the person "
    "the review is about, or for nobody beyond the people the step already names.",
    "by": "The data subject whose statement or opinion it is, by id (like S-0001); leave empty if it is a "
    "body's or a team's",
    "subject_id": "The data subject's id, like S-0001",
    "actor_id": "Their account name, if they record steps themselves",
    "member_id": "The team member's data subject id, like S-0001",
    "version": "A version number, like 2",
}
RADIO_LIMIT = 5  # more choices than this are a select
ROWS = 3  # the rows a list of entries offers at first (records searched, items collated, people)
MAX_ROWS = 200
ADD_ROW = "add-row"  # the button that asks for one more row of a list of entries (its value: the list's path)


def label_of(name: str) -> str:
    return field_label(name)  # the glossary's words for the field


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "-").replace("_", "-")


def _non_null(t: mi.Type) -> tuple[mi.Type, bool]:
    """The type without None, and whether None was allowed."""
    if isinstance(t, mi.UnionType):
        others = [x for x in t.types if not isinstance(x, mi.NoneType)]
        if len(others) == 1:
            return others[0], len(others) != len(t.types)
    return t, False


def _choices(t: mi.Type) -> list[str]:
    if isinstance(t, mi.EnumType):
        return [str(m.value) for m in t.cls]
    if isinstance(t, mi.LiteralType):
        return [str(v) for v in t.values]
    return []


def _is_list(t: mi.Type) -> bool:
    return isinstance(t, mi.VarTupleType | mi.ListType | mi.SetType | mi.FrozenSetType)


def _is_plain(t: mi.Type) -> bool:
    """A field one input (or one group of them) can hold: text, a date, a number, a yes or no, a
    choice, or a list of text, dates or choices."""
    inner, _ = _non_null(t)
    if isinstance(inner, mi.StrType | mi.DateType | mi.IntType | mi.BoolType) or _choices(inner):
        return True
    if _is_list(inner):
        item = inner.item_type  # type: ignore[attr-defined]
        return isinstance(item, mi.StrType | mi.DateType) or bool(_choices(item))
    return False


def is_entry_list(t: mi.Type) -> bool:
    """A list of entries whose fields are each plain (a record searched and what for; a family
    member with a date of birth; a chronology entry with its nature): one row of inputs per entry."""
    inner, _ = _non_null(t)
    if not _is_list(inner):
        return False
    item = inner.item_type  # type: ignore[attr-defined]
    return isinstance(item, mi.StructType) and all(_is_plain(f.type) for f in item.fields)


def rows_of(path: str, values: FormValues) -> int:
    """How many rows a list of entries shows: as many as asked for, filled in, or added, at least ROWS."""
    asked = _first(values, f"{path}-rows")
    count = int(asked) if asked.isdigit() else ROWS
    for key, given in values.items():
        index = key[len(path) + 1 :].split(".", 1)[0] if key.startswith(path + ".") else ""
        if index.isdigit() and any(v.strip() for v in given):
            count = max(count, int(index) + 1)
    if _first(values, ADD_ROW) == path:
        count += 1
    return min(count, MAX_ROWS)


def _entry_rows(
    path: str, text: str, item: mi.StructType, values: FormValues, problems: Problems, fid: str
) -> Html:
    count = rows_of(path, values)
    return el(
        "div",
        [
            fieldset(
                f"{text}: entry {i + 1}",
                *[
                    _field(
                        f.encode_name, f"{path}.{i}.{f.encode_name}", f.type, f.required, values, problems, 1
                    )
                    for f in item.fields
                ],
                hint="Leave every field of an entry empty if it is not needed." if i == 0 else None,
            )
            for i in range(count)
        ],
        el("input", type="hidden", name=f"{path}-rows", value=str(count)),
        button(f"Add another entry to {text.lower()}", secondary=True, name=ADD_ROW, value=path),
        id=fid,
    )


def _short(name: str) -> bool:
    return any(name == s or name.endswith(s) for s in _SHORT)


def _example(t: mi.Type) -> Any:
    t, _ = _non_null(t)
    if isinstance(t, mi.StructType):
        return {f.encode_name: _example(f.type) for f in t.fields}
    if _is_list(t):
        return [_example(t.item_type)]  # type: ignore[attr-defined]
    if isinstance(t, mi.DateType):
        return "2026-01-31"
    if isinstance(t, mi.IntType):
        return 1
    if isinstance(t, mi.BoolType):
        return False
    choices = _choices(t)
    if choices:
        return " | ".join(choices)
    return "text"


@dataclass
class Problems:
    """Field errors by path, and problems about the whole step."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def summary(self) -> list[tuple[str, str]]:
        return [("", m) for m in self.general] + [(field_id(p), m) for p, m in self.fields.items()]


# -- the form ------------------------------------------------------------------------------------


def form_fields(
    command_type: type[Command], values: FormValues, problems: Problems, *, given: Mapping[str, str] = {}
) -> Html:
    """The command's fields as inputs; a field in `given` (one the page came to the form with, like
    the item a release is about) is shown in its words, its value kept in a hidden input."""
    info = mi.type_info(command_type)
    assert isinstance(info, mi.StructType)
    return join(
        _given(f.encode_name, given[f.encode_name], _first(values, f.encode_name))
        if f.encode_name in given and _first(values, f.encode_name) and f.encode_name not in problems.fields
        else _field(f.encode_name, f.encode_name, f.type, f.required, values, problems, 0)
        for f in info.fields
    )


def _given(name: str, words: str, value: str) -> Html:
    return el(
        "div",
        el("h2", label_of(name), class_="govuk-label govuk-label--s"),
        el("p", words, class_="govuk-body"),
        el("input", type="hidden", name=name, value=value),
        class_="govuk-form-group",
        id=field_id(name),
    )


def _first(values: FormValues, name: str) -> str:
    found = values.get(name) or [""]
    return found[0]


def _field(
    name: str, path: str, t: mi.Type, required: bool, values: FormValues, problems: Problems, depth: int
) -> Html:
    inner, nullable = _non_null(t)
    optional = nullable or not required
    text = label_of(name) + ("" if not optional else " (optional)")
    fid, error = field_id(path), problems.fields.get(path)
    hint: Child = HINTS.get(name)
    if isinstance(inner, mi.StrType):
        if _short(name):
            return text_input(path, text, value=_first(values, path), hint=hint, error=error, field_id=fid)
        return textarea(path, text, value=_first(values, path), hint=hint, error=error, field_id=fid, rows=3)
    if isinstance(inner, mi.DateType):
        parts = (
            _first(values, f"{path}-day"),
            _first(values, f"{path}-month"),
            _first(values, f"{path}-year"),
        )
        return date_input(
            path, text, value=parts, hint=hint or "For example, 27 3 2026", error=error, field_id=fid
        )
    if isinstance(inner, mi.DateTimeType):
        return text_input(
            path,
            text,
            value=_first(values, path),
            error=error,
            field_id=fid,
            width="20",
            hint="A date and time with its zone, like 2026-03-27T14:30:00+00:00",
        )
    if isinstance(inner, mi.IntType):
        return text_input(
            path,
            text,
            value=_first(values, path),
            hint=hint,
            error=error,
            field_id=fid,
            width="4",
            inputmode="numeric",
        )
    if isinstance(inner, mi.BoolType):
        if nullable:
            return radios(
                path,
                text,
                [("yes", "Yes"), ("no", "No"), ("", "Not given")],
                selected=_first(values, path),
                error=error,
                field_id=fid,
                inline=True,
            )
        return checkbox(
            path, label_of(name), checked=_first(values, path) == "yes", error=error, field_id=fid
        )
    choices = _choices(inner)
    if choices:
        options = [(c, option_label(c)) for c in choices]
        if len(choices) <= RADIO_LIMIT:
            if optional:
                options.append(("", "Not given"))
            return radios(
                path, text, options, selected=_first(values, path), hint=hint, error=error, field_id=fid
            )
        return select(
            path,
            text,
            [("", "Choose"), *options],
            selected=_first(values, path),
            hint=hint,
            error=error,
            field_id=fid,
        )
    if _is_list(inner):
        item = inner.item_type  # type: ignore[attr-defined]
        item_choices = _choices(item)
        if item_choices:
            return _checkboxes(path, text, item_choices, values.get(path) or [], error, fid)
        if depth == 0 and is_entry_list(inner):
            return _entry_rows(path, text, item, values, problems, fid)
        if isinstance(item, mi.StrType | mi.DateType):
            return textarea(
                path,
                text
                + (", one per line, as YYYY-MM-DD" if isinstance(item, mi.DateType) else ", one per line"),
                value=_first(values, path),
                hint=hint,
                error=error,
                field_id=fid,
                rows=3,
                spellcheck=False,
            )
    if isinstance(inner, mi.StructType) and depth == 0:
        return fieldset(
            text,
            *[
                _field(f.encode_name, f"{path}.{f.encode_name}", f.type, f.required, values, problems, 1)
                for f in inner.fields
            ],
            hint="Leave every field empty if there is none." if optional else None,
        )
    example = json.dumps(_example(inner), ensure_ascii=False)
    return textarea(
        path,
        text + " (JSON)",
        value=_first(values, path),
        hint=join(
            [
                "Write this as JSON. The shape is: ",
                el("code", example, class_="rl-mono"),
                " Leave it empty for none." if optional else "",
            ]
        ),
        error=error,
        field_id=fid,
        rows=6,
        spellcheck=False,
    )


def _checkboxes(
    path: str, legend: str, choices: list[str], chosen: Sequence[str], error: str | None, fid: str
) -> Html:
    items = [
        el(
            "div",
            el(
                "input",
                class_="govuk-checkboxes__input",
                id=fid if i == 0 else f"{fid}-{i + 1}",
                name=path,
                type="checkbox",
                value=c,
                checked=c in chosen,
            ),
            el(
                "label",
                option_label(c),
                for_=fid if i == 0 else f"{fid}-{i + 1}",
                class_="govuk-label govuk-checkboxes__label",
            ),
            class_="govuk-checkboxes__item",
        )
        for i, c in enumerate(choices)
    ]
    return el(
        "div",
        el(
            "fieldset",
            el("legend", legend, class_="govuk-fieldset__legend govuk-fieldset__legend--s"),
            el(
                "p",
                el("span", "Error: ", class_="govuk-visually-hidden"),
                error,
                class_="govuk-error-message",
                id=f"{fid}-error",
            )
            if error
            else None,
            el(
                "div",
                items,
                class_="govuk-checkboxes govuk-checkboxes--small",
                data_module="govuk-checkboxes",
            ),
            class_="govuk-fieldset",
            aria_describedby=f"{fid}-error" if error else None,
        ),
        class_="govuk-form-group" + (" govuk-form-group--error" if error else ""),
    )


# -- the submitted form ---------------------------------------------------------------------------


_MISSING = object()


def read_command(command_type: type[Command], values: FormValues, problems: Problems) -> Command | None:
    """The command the form describes, or None with the problems found."""
    info = mi.type_info(command_type)
    assert isinstance(info, mi.StructType)
    data: dict[str, Any] = {}
    for f in info.fields:
        value = _read(f.encode_name, f.encode_name, f.type, f.required, values, problems, 0)
        if value is not _MISSING:
            data[f.encode_name] = value
    if problems:
        return None
    try:
        return msgspec.convert(data, command_type)
    except msgspec.ValidationError as error:
        path, rule = _located(str(error))
        if path:
            problems.fields[path] = f"{label_of(path.rsplit('.', 1)[-1])}: {rule}"
        else:
            problems.general.append(rule)
        return None


def _located(message: str) -> tuple[str, str]:
    """msgspec's "<rule> - at `$.a.b`" as (path, rule); a missing field is named in the rule."""
    rule, _, where = message.partition(" - at `$")
    path = where.rstrip("`").lstrip(".")
    path = ".".join(
        part for part in path.replace("[", ".").replace("]", "").split(".") if part and not part.isdigit()
    )
    if "missing required field" in rule:
        missing = rule.split("`")[1] if "`" in rule else ""
        return (f"{path}.{missing}" if path else missing), "enter a value"
    return path, rule[:1].lower() + rule[1:]


def _read(
    name: str, path: str, t: mi.Type, required: bool, values: FormValues, problems: Problems, depth: int
) -> Any:
    inner, nullable = _non_null(t)
    optional = nullable or not required
    label = label_of(name)
    raw = _first(values, path)
    if isinstance(inner, mi.StrType):
        if not raw.strip():
            if optional:
                return _MISSING if not required else None
            problems.fields[path] = f"Enter {label.lower()}"
            return _MISSING
        return raw.strip() if _short(name) else raw.replace("\r\n", "\n").strip()
    if isinstance(inner, mi.DateType):
        parts = [_first(values, f"{path}-{p}").strip() for p in ("day", "month", "year")]
        if not any(parts):
            if optional:
                return _MISSING if not required else None
            problems.fields[path] = f"Enter {label.lower()}"
            return _MISSING
        if not all(parts):
            missing = [p for p, v in zip(("a day", "a month", "a year"), parts, strict=True) if not v]
            problems.fields[path] = f"{label} must include {' and '.join(missing)}"
            return _MISSING
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()
        except ValueError:
            problems.fields[path] = f"{label} must be a real date"
            return _MISSING
    if isinstance(inner, mi.IntType):
        if not raw.strip():
            if optional:
                return _MISSING if not required else None
            problems.fields[path] = f"Enter {label.lower()}"
            return _MISSING
        if not raw.strip().lstrip("-").isdigit():
            problems.fields[path] = f"{label} must be a whole number, like 2"
            return _MISSING
        return int(raw.strip())
    if isinstance(inner, mi.BoolType):
        if nullable:
            return {"yes": True, "no": False}.get(raw, _MISSING if not required else None)
        return raw == "yes"
    if _choices(inner):
        if not raw:
            if optional:
                return _MISSING if not required else None
            problems.fields[path] = f"Select {label.lower()}"
            return _MISSING
        return raw
    if _is_list(inner):
        item = inner.item_type  # type: ignore[attr-defined]
        if nullable and not raw.strip() and not values.get(path):
            return _MISSING  # a list that may be left out (None: unchanged) is left out, not emptied
        if _choices(item):
            return list(values.get(path) or [])
        if isinstance(item, mi.StrType | mi.DateType):  # dates one per line, as YYYY-MM-DD
            return [line.strip() for line in raw.splitlines() if line.strip()]
        if depth == 0 and is_entry_list(inner):
            return _read_rows(path, item, values, problems)
    if isinstance(inner, mi.StructType) and depth == 0:
        sub: dict[str, Any] = {}
        for f in inner.fields:
            value = _read(
                f.encode_name,
                f"{path}.{f.encode_name}",
                f.type,
                f.required and not optional,
                values,
                problems,
                1,
            )
            if value is not _MISSING:
                sub[f.encode_name] = value
        if optional and all(v in (None, [], False) for v in sub.values()):
            return _MISSING if not required else None
        return sub
    if not raw.strip():
        if optional:
            return _MISSING
        problems.fields[path] = f"Enter {label.lower()} as JSON"
        return _MISSING
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        problems.fields[path] = (
            f"{label} must be JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        )
        return _MISSING


def _read_rows(
    path: str, item: mi.StructType, values: FormValues, problems: Problems
) -> list[dict[str, Any]]:
    """The entries filled in, in row order; a row left wholly empty is no entry."""
    found: list[dict[str, Any]] = []
    for i in range(rows_of(path, values)):
        row = f"{path}.{i}."
        if not any(k.startswith(row) and any(v.strip() for v in given) for k, given in values.items()):
            continue
        entry: dict[str, Any] = {}
        for f in item.fields:
            value = _read(f.encode_name, row + f.encode_name, f.type, f.required, values, problems, 1)
            if value is not _MISSING:
                entry[f.encode_name] = value
        found.append(entry)
    return found
