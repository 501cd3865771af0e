"""The views as services: current (from the read models) or as at a moment (from the log).

The command line and the HTTP API both call these. Current views first bring the read
models up to the end of the log, so what a person sees includes every recorded step.
Historical views ("as at") replay the log itself and never read the read models.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

import msgspec

from adapters.app.application import Application
from adapters.store.event_source import LedgerEventSource
from adapters.store.mapper import decode_state
from adapters.store.reading import Recorded
from audit.envelope import Envelope, sha256
from audit.errors import VerificationError
from audit.signing import decode_public_key, verify_signature
from domain.kernel.errors import InvalidInput, RecordNotFound, ReviewledgerError
from domain.kernel.registry import LOG_ACTOR
from projections import queries
from projections.logged import route_of_type
from projections.model import (
    ALTERED,
    BasisItem,
    Decision,
    Moment,
    ReviewDiff,
    ReviewState,
    TermsVersion,
    ThemeReviews,
    TimescaleView,
)
from projections.themes import theme_reviews

if TYPE_CHECKING:
    # Replaying the log folds events of every route; a view read from the read models needs none.
    from projections.replay import ReviewAsAt

NOW = Moment()
MOMENT_WORDS = (
    "show it as it stood at this moment: a log position (e.g. 120), a date (2026-03-01, meaning the end "
    "of that day, UTC) or a date-time with a time zone"
)


def parse_moment(field: str, text: str | None) -> Moment:
    """`--as-at` in a person's words: a log position (a whole number), a date, or a date-time.

    A date means the end of that day (UTC): the record as it stood when the day was over.
    """
    if text is None or text == "":
        return NOW
    value = text.strip()
    if value.isdigit():
        return Moment(position=int(value))
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return Moment(time=datetime.combine(day, time.max, tzinfo=UTC))
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            field, "must be a log position (e.g. 120), a date (2026-03-01) or a date-time with a time zone"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(field, "a date-time must include a time zone, e.g. 2026-03-01T09:00:00+00:00")
    return Moment(time=moment)


def refresh(app: Application) -> None:
    """Bring the read models up to the end of the log (once in a page view, unless it records something)."""
    if app.ledger.first_in_view("read models"):
        app.projections.catch_up()


def _today(app: Application) -> date:
    return app.clock.now().date()


# -- one review ---------------------------------------------------------------------------------


def altered_versions(app: Application, reference: str) -> dict[int, str]:
    """The versions of the record whose stored event differs from what was signed, and how."""
    return {r.version: r.altered for r in app.ledger.read(reference) if r.altered is not None}


def review_at(app: Application, reference: str, moment: Moment) -> ReviewAsAt:
    """Everything about one review as it stood at `moment`, replayed from the log.

    Each stored event is checked against its signed digests first. From the first that fails, none
    is replayed: the review is shown as it stood before it, with a note naming the version, so an
    altered value is never shown as if it were the record.
    """
    source = LedgerEventSource(app.ledger)
    events = source.stream_with_positions(reference)
    if not events or route_of_type(events[0].type) is None:
        raise RecordNotFound("review", reference)
    from projections.replay import review_as_at

    altered = altered_versions(app, reference)
    first = min(altered, default=None)
    if first is not None:
        events = [e for e in events if e.version < first]
    found = review_as_at(reference, events, moment, _today(app)) if events else None
    if found is None and first is not None and first == 1:
        raise RecordFailedVerification(reference, first)
    if found is None:
        raise InvalidInput("--as-at", f"review {reference} had no recorded steps at {moment.describe()}")
    if first is not None and (moment == NOW or found.state.version >= first - 1):
        note = f"{ALTERED}: version {first} ({altered[first]}); shown as it stood before it"
        found = msgspec.structs.replace(found, state=msgspec.structs.replace(found.state, verification=note))
    return found


class RecordFailedVerification(ReviewledgerError):
    """A stored event of the record differs from what was signed, and what is asked needs it."""

    def __init__(self, reference: str, version: int) -> None:
        super().__init__(f"{reference}: {ALTERED} at version {version}; nothing of it is shown")
        self.reference = reference
        self.version = version


def require_verified(reference: str, events: Sequence[Recorded]) -> None:
    """Refuse to build anything from a record whose stored events are not all as signed."""
    altered = [r.version for r in events if r.altered is not None]
    if altered:
        raise RecordFailedVerification(reference, min(altered))


def review_state(app: Application, reference: str, moment: Moment = NOW) -> ReviewState:
    if moment != NOW or altered_versions(app, reference):
        return review_at(app, reference, moment).state
    refresh(app)
    with app.db.reader.connect() as conn:
        state = queries.review_state(conn, reference, _today(app))
    if state is None:
        raise RecordNotFound("review", reference)
    return state


def decision_trail(app: Application, reference: str, moment: Moment = NOW) -> list[Decision]:
    """Every decision and sign-off of a review, each with its signature checked now."""
    if moment != NOW:
        found = list(review_at(app, reference, moment).decisions)
    else:
        review_state(app, reference)  # raises when there is no such review
        with app.db.reader.connect() as conn:
            found = queries.decisions(conn, reference)
    return [_checked(d, signature_status(app, d)) for d in found]


def _checked(decision: Decision, signature: str) -> Decision:
    """The decision with its signature status; what it says is withheld if its event is not as signed."""
    if not signature.startswith("invalid"):
        return msgspec.structs.replace(decision, signature=signature)
    return msgspec.structs.replace(
        decision,
        signature=signature,
        role=ALTERED,
        outcome=ALTERED,
        decided_on=None,
        basis=tuple(BasisItem(field=b.field, text=ALTERED) for b in decision.basis),
        timescale=None,
    )


def terms_history(app: Application, reference: str, moment: Moment = NOW) -> tuple[TermsVersion, ...]:
    if moment != NOW or altered_versions(app, reference):
        return review_at(app, reference, moment).terms
    review_state(app, reference)
    with app.db.reader.connect() as conn:
        return queries.terms(conn, reference)


def timescale_view(
    app: Application, moment: Moment = NOW, *, running_only: bool = False
) -> list[TimescaleView]:
    """Every timescale across all reviews, as seen at `moment` (days left counted to its day)."""
    if moment != NOW:
        from projections.replay import timescales_as_at

        found = timescales_as_at(LedgerEventSource(app.ledger).read_all(), moment, _today(app))
        return [c for c in found if not running_only or c.status in ("running", "paused")]
    refresh(app)
    with app.db.reader.connect() as conn:
        return queries.timescales(conn, _today(app), running_only=running_only)


def themes_view(app: Application, theme: str | None = None) -> list[ThemeReviews]:
    """The learning themes across reviews, each with the reviews tagged with it (for the committee)."""
    refresh(app)
    with app.db.reader.connect() as conn:
        return theme_reviews(conn, theme.strip().lower() if theme else None)


def review_diff(app: Application, reference: str, earlier: Moment, later: Moment) -> ReviewDiff:
    """What changed in one review between two moments (the earlier may precede the review)."""
    after = review_at(app, reference, later)
    events = LedgerEventSource(app.ledger).stream_with_positions(reference)
    from projections.replay import compare, review_as_at

    first = min(altered_versions(app, reference), default=None)
    if first is not None:  # as review_at: nothing from the first event that is not as signed
        events = [e for e in events if e.version < first]
    before = review_as_at(reference, events, earlier, _today(app)) if events else None
    if before is not None and before.state.version > after.state.version:
        raise InvalidInput("--from", "must not be later than --to")
    return compare(reference, (earlier, later), before, after)


# -- signatures --------------------------------------------------------------------------------


def signature_status(app: Application, decision: Decision) -> str:
    """Check one decision's stored signature against the registry of keys, as an inspector would."""
    stored = app.db.recorder.select_events(decision.reference, gt=decision.version - 1, lte=decision.version)
    if not stored:
        return "missing: no stored event at this version"
    row = stored[0]
    record = decode_state(decision.reference, row.originator_version, row.topic, row.state)
    registry = app.ledger.registry()
    key = registry.keys.get(decision.key)
    if decision.actor == LOG_ACTOR or key is None or key.actor_id != decision.actor:
        return f"invalid: key {decision.key} is not registered to {decision.actor}"
    try:
        verify_signature(decode_public_key(key.public_key), record.signature, record.envelope)
        envelope = Envelope.parse(record.envelope)
    except VerificationError as error:
        return f"invalid: {error}"
    if envelope.payload != sha256(record.payload):
        return "invalid: the stored event differs from what was signed"
    if key.compromised_from is not None and envelope.time >= key.compromised_from:
        return (
            f"not trusted: key {key.key_id} was reported compromised from {key.compromised_from.isoformat()}"
        )
    return f"verified: signed by {decision.actor} with key {key.key_id}"
