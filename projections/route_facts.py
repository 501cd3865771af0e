"""What each route's record says about itself, in the one shape every view uses.

The four routes keep their state in their own words (a national review has a Review Team
and terms of reference versions; a mini review a team and a scope; a panel case its
branch; a single-agency review a lead reviewer and participants). This module reads each
record through its public attributes and answers the same questions for all of them:
team, obligations, parallel processes, linked reviews and timescales.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from domain.kernel.aggregate import Aggregate
from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale
from domain.routes.mini.review import MiniReview
from domain.routes.national.review import NationalReview
from domain.routes.panel.review import PanelReview
from domain.routes.single_agency.review import SingleAgencyReview
from projections.model import LinkView, ObligationView, ParallelProcessView, RoleHolder, TimescaleView


def timescale_views(reference: str, timescales: list[Timescale]) -> tuple[TimescaleView, ...]:
    return tuple(
        TimescaleView(
            reference=reference,
            name=t.name,
            rule=t.rule,
            started=t.started,
            due=t.due,
            status=t.status().value,
            completed=t.completed,
            paused_since=t.paused_since,
            paused_days=t.paused_days,
            revised=t.revised,
        )
        for t in timescales
    )


def subject_group(record: Aggregate) -> str | None:
    if isinstance(record, NationalReview):
        return record.subject_group
    # The mini, panel and single-agency procedures in the seeds are all for children.
    return "child" if record.version else None


def team(record: Aggregate) -> list[RoleHolder]:
    """The people a route names to roles on the review (not those who merely acted)."""
    if isinstance(record, NationalReview):
        found = [
            RoleHolder(
                role=m.team_role.value,
                holder=m.member_id,
                kind="team",
                agency=m.agency,
                since=m.appointed_on,
                until=m.released_on,
            )
            for m in record.team.values()
        ]
        if record.nominee is not None:
            found.insert(0, RoleHolder(role="nominated person", holder=record.nominee, kind="team"))
        return found
    if isinstance(record, MiniReview):
        return [
            RoleHolder(role=m.team_role.value, holder=m.subject_id, kind="team", agency=m.service)
            for m in record.team.values()
        ]
    if isinstance(record, SingleAgencyReview):
        named = [
            ("service manager recommended to", record.recommended_to),
            ("lead reviewer", record.lead_reviewer),
            ("team manager reporting back", record.team_manager),
        ]
        found = [RoleHolder(role=role, holder=who, kind="team") for role, who in named if who is not None]
        found.extend(
            RoleHolder(role="participant", holder=p.subject_id, kind="team", agency=p.team)
            for p in record.participants.values()
        )
        return found
    return []


def obligations(record: Aggregate) -> list[ObligationView]:
    if isinstance(record, NationalReview | MiniReview | PanelReview | SingleAgencyReview):
        return [obligation_view(o) for o in record.obligations()]
    return []


def obligation_view(owed: Obligation) -> ObligationView:
    """What a route or request file still owes, as every view shows it."""
    return ObligationView(what=owed.what, who=tuple(r.value for r in owed.who), rule=owed.rule, due=owed.due)


def parallel_processes(record: Aggregate) -> list[ParallelProcessView]:
    if isinstance(record, NationalReview):
        return [
            ParallelProcessView(process=p.proceeding.value, state=p.state.value, checked_on=p.checked_on)
            for p in record.parallel_processes.values()
        ]
    return []


def linked_reviews(record: Aggregate) -> list[LinkView]:
    if isinstance(record, NationalReview):
        return [LinkView(reference=r.reference, relationship=r.relationship) for r in record.linked_reviews]
    links: dict[str, str] = getattr(record, "links", {})
    return [LinkView(reference=ref, relationship=kind.replace("_", " ")) for kind, ref in links.items()]


def timescales(record: Aggregate) -> list[Timescale]:
    found: Callable[[], list[Timescale]] | None = getattr(record, "timescales", None)
    return found() if found is not None else []


def terms_status(record: Aggregate) -> tuple[int, int | None]:
    """The version of the terms of reference in force, and one awaiting agreement (national route)."""
    if isinstance(record, NationalReview):
        pending = record.pending_terms
        return record.terms_in_force, pending.version if pending else None
    return 0, None


def themes(record: Aggregate) -> tuple[str, ...]:
    """The themes a review's learning is tagged with (`tag-learning-themes`, in every route that has it)."""
    if isinstance(record, NationalReview | MiniReview | PanelReview | SingleAgencyReview):
        return record.themes
    return ()


def disposed(record: Aggregate) -> bool:
    return bool(getattr(record, "personal_data_disposed", False))


def date_or_none(value: object) -> date | None:
    return value if isinstance(value, date) else None
