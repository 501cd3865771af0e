"""Reading an "as at" moment from a page's query: a three-field date, or a date or log position as text.

A date means the end of that day (UTC), as on the command line. A date in the future, or one
that is not a real date, is refused with the Design System's error wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from adapters.app.views import NOW, parse_moment
from domain.kernel.errors import InvalidInput
from projections.model import Moment


class MomentChoice:
    """What the person asked for: the moment, how to say it, and what to put back in the form."""

    def __init__(
        self, moment: Moment, text: str, parts: tuple[str, str, str], error: str | None = None
    ) -> None:
        self.moment = moment
        self.text = text  # "" for now; the query value otherwise
        self.parts = parts
        self.error = error

    @property
    def historical(self) -> bool:
        return self.moment != NOW

    def label(self) -> str:
        if self.moment.position is not None:
            return f"log position {self.moment.position}"
        if self.moment.time is not None:
            return f"the end of {self.moment.time.date().strftime('%-d %B %Y')}"
        return "now"

    def day(self, today: date) -> date:
        return self.moment.time.date() if self.moment.time is not None else today


def choose(query: Mapping[str, str], name: str, today: date, what: str = "The date") -> MomentChoice:
    """The moment named `name` in the query (`name` as text, or `name-day`, `name-month`, `name-year`)."""
    parts = (
        query.get(f"{name}-day", "").strip(),
        query.get(f"{name}-month", "").strip(),
        query.get(f"{name}-year", "").strip(),
    )
    if any(parts):
        if not all(parts):
            missing = [n for n, v in zip(("day", "month", "year"), parts, strict=True) if not v]
            return MomentChoice(NOW, "", parts, f"{what} must include a {' and a '.join(missing)}")
        try:
            day = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            return MomentChoice(NOW, "", parts, f"{what} must be a real date")
        if day > today:
            return MomentChoice(NOW, "", parts, f"{what} must be today or in the past")
        text = day.isoformat()
        return MomentChoice(parse_moment(name, text), text, parts)
    text = query.get(name, "").strip()[:40]
    if not text:
        return MomentChoice(NOW, "", ("", "", ""))
    try:
        moment = parse_moment(name, text)
    except InvalidInput:
        return MomentChoice(
            NOW, "", ("", "", ""), f"{what} must be a date, like 31 3 2026, or a log position"
        )
    shown: tuple[str, str, str] = ("", "", "")
    if moment.time is not None and len(text) == 10:
        d = moment.time.astimezone(UTC).date()
        shown = (str(d.day), str(d.month), str(d.year))
    return MomentChoice(moment, text, shown)


def end_of(day: date) -> datetime:
    return parse_moment("as_at", day.isoformat()).time or datetime.now(UTC)
