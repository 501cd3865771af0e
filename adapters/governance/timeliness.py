"""How often the procedures' timescales are met, per quarter, and the FOI statistics the Commissioner asks for.

Four measures, each counted in the quarter its deadline falls in:
- decisions within 6 weeks: the committee's decision whether to proceed (seed 002 "Timing and timeliness");
- reviews within 6 months, and within the 9-month outer limit (seed 001 "Timescale for the Learning Review");
- subject access requests answered on time (UK GDPR Art. 12(3), with any extension);
- FOI requests answered within 20 working days (FOISA s.10).
A deadline met counts as on time; one missed, or passed with nothing done, as late; one still
ahead is not counted yet. Review timescales come from the clocks read model; requests, which
have no read model, from their files.

The Scottish Information Commissioner's quarterly statistics count, per quarter received, the
FOI requests received and answered, answered on time, each outcome, the exemptions applied by
section, the reviews asked for and the appeals made.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import msgspec

from adapters.app.application import Application
from adapters.app.views import refresh
from adapters.governance.foi import requests as foi
from adapters.governance.sar import requests as sar
from projections.queries import timescales

DECISIONS = "Decisions within 6 weeks"
SIX_MONTHS = "Reviews within 6 months"
NINE_MONTHS = "Reviews within 9 months"
SAR_ON_TIME = "Subject access requests answered on time"
FOI_ON_TIME = "FOI requests answered on time"
MEASURES = (DECISIONS, SIX_MONTHS, NINE_MONTHS, SAR_ON_TIME, FOI_ON_TIME)

# Which review timescales each measure counts, by the words of the timescale's name.
_TIMESCALE_WORDS = {
    DECISIONS: "decision within 6 weeks",
    SIX_MONTHS: "within 6 months",
    NINE_MONTHS: "within 9 months",
}


class Figure(msgspec.Struct, frozen=True, kw_only=True):
    """One measure in one quarter."""

    measure: str
    quarter: str  # e.g. "2026 Q2"
    on_time: int
    late: int

    @property
    def counted(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.counted) if self.counted else None


def quarter(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _verdict(due: date, done: date | None, today: date) -> bool | None:
    """True when done by the deadline, False when late (done after it, or not done and passed), else None."""
    if done is not None:
        return done <= due
    return False if due < today else None


def figures(app: Application, today: date) -> list[Figure]:
    """Every measure's on-time and late counts, per quarter, oldest quarter first."""
    counts: Counter[tuple[str, str, bool]] = Counter()

    def count(measure: str, due: date | None, done: date | None) -> None:
        if due is None:
            return
        verdict = _verdict(due, done, today)
        if verdict is not None:
            counts[(measure, quarter(due), verdict)] += 1

    refresh(app)
    with app.db.reader.connect() as conn:
        for timescale in timescales(conn, today):
            for measure, words in _TIMESCALE_WORDS.items():
                if words in timescale.name and timescale.status != "paused":
                    count(measure, timescale.due, timescale.completed)
    for s in sar.list_requests(app):
        count(SAR_ON_TIME, s.due_on, sar.load(app, s.reference).sent_on)
    for f in foi.list_requests(app):
        record = foi.load(app, f.reference)
        count(FOI_ON_TIME, record.due_on, record.responded.responded_on if record.responded else None)
    quarters = sorted({q for _, q, _ in counts})
    return [
        Figure(measure=m, quarter=q, on_time=counts[(m, q, True)], late=counts[(m, q, False)])
        for m in MEASURES
        for q in quarters
        if counts[(m, q, True)] or counts[(m, q, False)]
    ]


def figures_csv(found: list[Figure]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["measure", "quarter", "on_time", "late", "percent_on_time"])
    for f in found:
        writer.writerow([f.measure, f.quarter, f.on_time, f.late, "" if f.percent is None else f.percent])
    return out.getvalue()


FOI_STATISTICS_HEADER = (
    "quarter",
    "requests_received",
    "requests_answered",
    "answered_within_20_working_days",
    "disclosed_in_full",
    "disclosed_in_part",
    "refused_all_exempt",
    "information_not_held",
    "neither_confirm_nor_deny",
    "reviews_requested",
    "appeals_to_commissioner",
    "exemptions_applied",
)


def foi_statistics_csv(app: Application) -> str:
    """One row per quarter received, in the Commissioner's terms; exemptions as "section: count" pairs."""
    rows: dict[str, Counter[str]] = {}
    sections: dict[str, Counter[str]] = {}
    for f in foi.list_requests(app):
        record = foi.load(app, f.reference)
        if record.received_on is None:
            continue
        q = quarter(record.received_on)
        row = rows.setdefault(q, Counter())
        row["requests_received"] += 1
        if record.responded is not None:
            row["requests_answered"] += 1
            due = record.due_on
            if due is not None and record.responded.responded_on <= due:
                row["answered_within_20_working_days"] += 1
            row[_OUTCOME[record.responded.response.value]] += 1
        if record.review is not None:
            row["reviews_requested"] += 1
        if record.appealed_on is not None:
            row["appeals_to_commissioner"] += 1
        applied = sections.setdefault(q, Counter())
        for on_item in record.exemptions.values():
            for section in on_item:
                applied[str(section)] += 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FOI_STATISTICS_HEADER)
    for q in sorted(rows):
        exemptions = "; ".join(f"{s}: {n}" for s, n in sorted(sections[q].items()))
        writer.writerow([q, *(rows[q][k] for k in FOI_STATISTICS_HEADER[1:-1]), exemptions])
    return out.getvalue()


_OUTCOME = {
    "disclose": "disclosed_in_full",
    "partial": "disclosed_in_part",
    "refuse": "refused_all_exempt",
    "not_held": "information_not_held",
    "neither_confirm_nor_deny": "neither_confirm_nor_deny",
}
