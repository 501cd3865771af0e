"""The demonstration: fictional people run one complete history of each route, then verify.

Every name and detail is invented. Steps marked `refused` are tried and must be refused by
the procedure's rules; the demo shows the refusal and checks that nothing was recorded.
"""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from types import ModuleType

from adapters.app import views
from adapters.app.application import Application
from adapters.app.config import DEFAULT_ORIGIN, Settings
from adapters.cli.output import Out
from adapters.demo import documents as demo_documents
from adapters.demo import ig as demo_ig
from adapters.demo import retention as demo_retention
from adapters.demo.cast import CAST, DemoStep
from adapters.store.verification import verify_ledger
from domain.governance.subjects import DataSubject, RegisterSubject, SubjectCategory, subject_stream
from domain.kernel.errors import ReviewledgerError
from domain.kernel.registry import LOG_ACTOR
from domain.routes.national.forms import PersonDetails, PractitionerDetails
from domain.routes.national.review import NationalReview
from projections.queries import list_reviews

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SCRIPTS = (
    "adapters.demo.national",
    "adapters.demo.mini",
    "adapters.demo.panel",
    "adapters.demo.single_agency",
)


class DemoClock:
    """The demo's own time: each step happens at its scripted moment."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def now(self) -> datetime:
        return self.moment


def run_demo(settings: Settings) -> int:
    out = Out()
    clock = DemoClock(START - timedelta(days=7))
    app = Application(
        settings.db_url, settings.kek_file, create_kek=True, clock=clock, log_kek_file=settings.log_kek_file
    )
    try:
        if app.kek_created:
            out.line(
                f"Created a key-encryption key at {settings.kek_file} (demo only; keep real ones out of the repository)."
            )
        if app.log_kek_created:
            out.line(f"Created the log's key-encryption key at {app.log_kek_file} (demo only).")
        if not app.initialise(DEFAULT_ORIGIN.replace("local", "demo")):
            out.line(
                f"The database {app.db.url.describe()} already holds a log; the demo needs an empty one."
            )
            return 2
        out.heading(f"Log {app.ledger.origin} on {app.db.url.describe()}")
        out.line(f"log key: {app.ledger.log_verifier_key()}")
        _register_cast(app, out)
        scripts = [importlib.import_module(name) for name in SCRIPTS]
        for script in scripts:
            _register_subjects(app, script)
        for script in scripts:
            _run_steps(app, clock, out, script.steps(START))
        _escalate(app, clock, out)
        demo_documents.attach(app, out)
        demo_retention.run(app, clock, out)
        demo_ig.run(app, clock, out)
        _summarise(app, out)
        out.heading("Verification")
        report = verify_ledger(app.ledger)
        summary = report.as_json()
        out.line(
            f"verify: {'INTACT' if report.intact else 'NOT INTACT'} — {summary['events']} events, "
            f"tree size {summary['tree_size']}, {len(summary['failures'])} problems"
        )
        for failure in summary["failures"]:
            out.line(f"  position {failure['position']}: {failure['problem']}")
        return 0 if report.intact else 1
    finally:
        app.close()


def _summarise(app: Application, out: Out) -> None:
    """A short summary from the read models and one replay "as at" an earlier date."""
    views.refresh(app)
    out.heading("Reviews (from the read models)")
    with app.db.reader.connect() as conn:
        reviews = list_reviews(conn)
    for review in reviews:
        owed = f", {review.open_obligations} open obligations" if review.open_obligations else ""
        out.line(f"  {review.reference:15} {review.route:14} {review.stage} — {review.status}{owed}")
    out.heading("Decision trail of LR-2026-001 (for the Chief Officers Group)")
    trail = views.decision_trail(app, "LR-2026-001")
    timed = [d for d in trail if d.timescale is not None]
    verified = sum(d.signature.startswith("verified") for d in trail)
    out.line(f"  {len(trail)} decisions and sign-offs, {verified} with verified signatures")
    for d in timed:
        assert d.timescale is not None
        verdict = "met" if d.timescale.met else "missed"
        out.line(f"  {d.decided_on} {d.what}: {d.outcome} — {d.timescale.name}: {verdict}")
    out.heading("Clocks")
    timescales = views.timescale_view(app, running_only=True)
    overdue = [c for c in timescales if c.overdue]
    out.line(f"  {len(timescales)} running, {len(overdue)} overdue")
    for timescale in overdue:
        out.line(f"  OVERDUE by {-(timescale.days_left or 0)} days: {timescale.reference} {timescale.name}")
    moment = views.parse_moment("--as-at", "2026-03-31")
    earlier = views.review_state(app, "LR-2026-001", moment)
    out.heading("LR-2026-001 as it stood at the end of 2026-03-31 (replayed from the log)")
    out.line(f"  {earlier.stage} — {earlier.status}; terms of reference version {earlier.terms_in_force}")


def _register_cast(app: Application, out: Out) -> None:
    admin, *others = CAST
    app.register_person(LOG_ACTOR, admin.actor_id, admin.name, admin.roles)
    for member in others:
        app.register_person(admin.actor_id, member.actor_id, member.name, member.roles)
    out.line(f"registered {len(CAST)} people, each with their own signing key")


def _register_subjects(app: Application, script: ModuleType) -> None:
    for subject in script.SUBJECTS:
        app.execute(DataSubject, subject_stream(subject.subject_id), "cpc-officer", subject)


def _run_steps(app: Application, clock: DemoClock, out: Out, steps: list[DemoStep]) -> None:
    for step in steps:
        clock.moment = step.at
        if step.refused:
            before = app.ledger.stream_version(step.reference)
            try:
                app.execute(step.record_type, step.reference, step.actor, step.command)
            except ReviewledgerError as error:
                after = app.ledger.stream_version(step.reference)
                assert after == before, "a refused step must record nothing"
                out.line(f"  REFUSED (nothing recorded): {error}")
                continue
            raise AssertionError(f"the demo expected {step.reference} to refuse a step")
        app.execute(step.record_type, step.reference, step.actor, step.command)
    references = ", ".join(dict.fromkeys(step.reference for step in steps))
    out.line(f"recorded {references}: {len(steps)} scripted steps")


def _escalate(app: Application, clock: DemoClock, out: Out) -> None:
    """The mini review found the full criteria met: a notification for a full review, linked back."""
    clock.moment = START + timedelta(days=120)
    child, notifier = "S-LR2-CHILD", "S-LR2-NOTIFIER"
    for subject_id, category, name in (
        (child, SubjectCategory.CHILD, "Rowan Isbister"),
        (notifier, SubjectCategory.PRACTITIONER, "Hamish Foubister"),
    ):
        app.execute(
            DataSubject,
            subject_stream(subject_id),
            "cpc-officer",
            RegisterSubject(subject_id=subject_id, category=category, name=name),
        )
    from domain.routes.national.commands import ReceiveNotification

    app.execute(
        NationalReview,
        "LR-2026-002",
        "cpc-officer",
        ReceiveNotification(
            subject_group="child",
            received_on=date(2026, 5, 5),
            subject=PersonDetails(subject_id=child, name="Rowan Isbister", date_of_birth=date(2016, 3, 9)),
            notifier=PractitionerDetails(subject_id=notifier, name="Hamish Foubister", agency="Partnership"),
            reasons="The Mini Learning Review MLR-2026-001 found the criteria for a full Learning Review met.",
            escalated_from="MLR-2026-001",
        ),
    )
    out.line("escalated MLR-2026-001 into a notification for a full Learning Review, LR-2026-002 (linked)")
