"""What both National Learning Review scripts share: their references, people and step helpers.

The subject ids of the child's review (seed 001) and the adult's (seed 002), the agencies, the
`Script` each review's steps are added to, and the steps both reviews take the same way.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.demo.cast import DemoStep
from domain.kernel.command import Command
from domain.routes.national.commands import (
    AppointTeamMember,
    InformCog,
    NotifyCareInspectorate,
    PresentReport,
    SendNotificationResponse,
)
from domain.routes.national.forms import Body, PractitionerDetails, SectionInput, SectionKind, TeamRole
from domain.routes.national.review import NationalReview

CHILD_REVIEW = "LR-2026-001"
ADULT_REVIEW = "ASP-2026-001"

# The child's review.
CHILD, MOTHER, SISTER = "S-NLR1-CHILD", "S-NLR1-MOTHER", "S-NLR1-SISTER"
NOTIFIER, HEALTH_VISITOR = "S-NLR1-NOTIFIER", "S-NLR1-HV"
CHAIR, MEMBER, REVIEWER, ADMIN = "S-NLR1-CHAIR", "S-NLR1-MEMBER", "S-NLR1-REVIEWER", "S-NLR1-ADMIN"
# The adult's review.
ADULT, SON, ADULT_NOTIFIER = "S-ASP1-ADULT", "S-ASP1-SON", "S-ASP1-NOTIFIER"
ADULT_CHAIR, ADULT_REVIEWER, ADULT_ADMIN = "S-ASP1-CHAIR", "S-ASP1-REVIEWER", "S-ASP1-ADMIN"

POLICE, HEALTH, EDUCATION = (
    "Police Scotland",
    "NHS Orkney health visiting",
    "Orkney Islands Council education",
)


class Script:
    """Steps of one review, each `days` after the start, recorded at that moment."""

    def __init__(self, reference: str, start: datetime) -> None:
        self.reference = reference
        self.start = start
        self.steps: list[DemoStep] = []

    def on(self, days: int) -> date:
        return (self.start + timedelta(days=days)).date()

    def add(self, days: int, actor: str, command: Command, *, refused: bool = False, note: str = "") -> None:
        self.steps.append(
            DemoStep(
                actor=actor,
                reference=self.reference,
                record_type=NationalReview,
                command=command,
                at=self.start + timedelta(days=days),
                refused=refused,
                note=note,
            )
        )


def practitioner(subject_id: str, name: str, agency: str) -> PractitionerDetails:
    return PractitionerDetails(subject_id=subject_id, name=name, agency=agency)


def appoint(script: Script, days: int, member: PractitionerDetails, team_role: TeamRole) -> None:
    script.add(
        days,
        "cpc-officer",
        AppointTeamMember(
            member=member,
            team_role=team_role,
            appointed_on=script.on(days),
            direct_involvement=False,
            declaration="I have had no involvement with this family or the practitioners concerned.",
            # The Reviewer records their own steps; the committee's officer is the team's Administrator.
            actor_id={TeamRole.REVIEWER: "reviewer", TeamRole.ADMINISTRATOR: "cpc-officer"}.get(team_role),
        ),
    )


#: What seed 001 'The Report' asks every report to cover, beside its learning.
CONTENTS_BUT_LEARNING = (
    SectionInput(heading=SectionKind.CONDUCT, text="Chronologies, events and a meeting with the family."),
    SectionInput(heading=SectionKind.CIRCUMSTANCES, text="The circumstances that led to the review."),
    SectionInput(heading=SectionKind.EFFECTIVE_PRACTICE, text="Where practice worked, and why."),
    SectionInput(heading=SectionKind.STRATEGIES, text="The strategies, each CLEAR."),
    SectionInput(heading=SectionKind.TERMS_OF_REFERENCE, text="The terms of reference as finally agreed."),
)
CONTENTS = CONTENTS_BUT_LEARNING[2:]  # the child's report has its own conduct and circumstances


def present(script: Script, days: int, version: int) -> None:
    """The Reviewer presents the report to the committee and to the COG (seed 001 'The Report')."""
    for body in (Body.COMMITTEE, Body.COG):
        script.add(
            days, "reviewer", PresentReport(version=version, presented_to=body, presented_on=script.on(days))
        )


def communicate(script: Script, days: int) -> None:
    on = script.on(days)
    script.add(days, "cpc-officer", InformCog(informed_on=on))
    script.add(days, "cpc-officer", SendNotificationResponse(sent_on=on))
    script.add(days, "cpc-officer", NotifyCareInspectorate(notified_on=on))
