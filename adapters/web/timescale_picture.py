"""A picture of one review's timescales, drawn on the server as SVG: where it is, what is due, what was late.

One row per timescale, on one axis of dates: a bar from the day the timescale started to the day it
was met (or to the day the view is for, while it runs), a mark at its due date, and the part
after the due date shaded as late. Every step recorded is a tick on the top line. Colour is
never the only signal: each row says its state in words, and the clocks table on the same
page gives every date as text (WCAG 2.2, 1.1.1 and 1.4.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from adapters.web.html import Html, el
from projections.model import TimelineEntry, TimescaleView

WIDTH = 960
LEFT, RIGHT = 16, 16
TOP = 64  # the steps line and the date labels above the first row
ROW = 58
MONTH_LABEL = 64  # room a month's label ("Sep 2026") takes, in the picture's units


def _describe(timescale: TimescaleView, day: date) -> str:
    if timescale.status == "met":
        return f"met on {timescale.completed} (due {timescale.due})"
    if timescale.status == "missed":
        late = (timescale.completed - timescale.due).days if timescale.completed else 0
        return f"late: completed {timescale.completed}, {late} days after it was due on {timescale.due}"
    if timescale.status == "paused":
        return f"paused since {timescale.paused_since}; due {timescale.due}"
    if timescale.overdue:
        return f"overdue by {-(timescale.days_left or 0)} days: due {timescale.due}"
    return f"running: due {timescale.due}, {timescale.days_left} days left"


def summary(timescales: Sequence[TimescaleView], day: date) -> str:
    if not timescales:
        return "No timescales have started on this review."
    return " ".join(f"{c.name}: {_describe(c, day)}." for c in timescales)


def picture(
    timescales: Sequence[TimescaleView],
    steps: Sequence[TimelineEntry],
    day: date,
    stage: str,
    *,
    day_label: str,
) -> Html:
    """The SVG; `day` is the day the view is for (today, or the day replayed), named `day_label`."""
    if not timescales:
        return el("p", "No timescales have started on this review.", class_="govuk-body")
    dates = [day, *(c.started for c in timescales), *(c.due for c in timescales)]
    dates += [c.completed for c in timescales if c.completed]
    dates += [s.recorded_at.date() for s in steps]
    start, end = min(dates) - timedelta(days=3), max(dates) + timedelta(days=3)
    span = max((end - start).days, 1)
    inner = WIDTH - LEFT - RIGHT

    def x(d: date) -> float:
        return round(LEFT + inner * (d - start).days / span, 1)

    height = TOP + ROW * len(timescales) + 24
    parts: list[Html] = [
        el("title", f"Timescales of the review, as at {day_label}", id="timescales-title"),
        el("desc", f"Stage: {stage}. {summary(timescales, day)}", id="timescales-desc"),
    ]
    # The steps recorded, as ticks on the top line.
    parts.append(el("line", x1=str(LEFT), y1="30", x2=str(WIDTH - RIGHT), y2="30", class_="rl-axis"))
    parts.append(el("text", f"{len(steps)} steps recorded; stage now: {stage}", x=str(LEFT), y="16"))
    for entry in steps:
        parts.append(el("circle", cx=str(x(entry.recorded_at.date())), cy="30", r="3", class_="rl-step"))
    # Month lines, for orientation.
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            parts.append(
                el("line", x1=str(x(month)), y1="36", x2=str(x(month)), y2=str(height - 20), class_="rl-grid")
            )
            if x(month) + MONTH_LABEL <= WIDTH - RIGHT:  # a label that would run off the edge is left out
                parts.append(el("text", month.strftime("%b %Y"), x=str(x(month) + 3), y="50"))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for i, timescale in enumerate(timescales):
        top = TOP + ROW * i
        bar_y = top + 20
        finish = timescale.completed or day
        status = "overdue" if timescale.overdue else timescale.status
        parts.append(
            el("text", f"{timescale.name} — {_describe(timescale, day)}", x=str(LEFT), y=str(top + 14))
        )
        parts.append(
            el(
                "rect",
                x=str(x(timescale.started)),
                y=str(bar_y),
                width=str(max(x(finish) - x(timescale.started), 2)),
                height="16",
                class_=f"rl-bar-{status}",
            )
        )
        if finish > timescale.due:
            parts.append(
                el(
                    "rect",
                    x=str(x(timescale.due)),
                    y=str(bar_y - 4),
                    width=str(max(x(finish) - x(timescale.due), 2)),
                    height="24",
                    class_="rl-late",
                )
            )
        parts.append(
            el(
                "line",
                x1=str(x(timescale.due)),
                y1=str(bar_y - 6),
                x2=str(x(timescale.due)),
                y2=str(bar_y + 22),
                class_="rl-due",
            )
        )
    parts.append(el("line", x1=str(x(day)), y1="24", x2=str(x(day)), y2=str(height - 16), class_="rl-today"))
    # The day's label reads away from the nearer edge, so it is never cut off.
    right_half = x(day) > WIDTH / 2
    parts.append(
        el(
            "text",
            day_label,
            x=str(x(day) - 4 if right_half else x(day) + 4),
            y=str(height - 4),
            text_anchor="end" if right_half else None,
        )
    )
    return el(
        "svg",
        parts,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        aria_labelledby="timescales-title timescales-desc",
        class_="rl-timescales",
        focusable="false",
    )
