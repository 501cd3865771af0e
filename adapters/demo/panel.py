"""Demo script for the Learning and Improvement Panel route (seed 003). Everything is invented.

LIP-2026-001 is a complete Multi-Agency Learning Review, from Referral Form A to closure,
with two steps the procedure refuses (combining chronologies before every agency asked has
answered, and an agency contact trying to close the case). LIP-2026-002 is a short Serious
Case Review case: the Independent Chair decides not to hold an SCR, and the National Panel
overturns that decision.

This module is the route's script for the demo: the people it registers (`SUBJECTS`) and both
cases' steps in order (`panel_malr`, `panel_scr`); `panel_script` is what they share.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.demo.cast import DemoStep
from adapters.demo.panel_malr import malr_steps
from adapters.demo.panel_scr import scr_steps
from domain.governance.subjects import RegisterSubject, SubjectCategory

SUBJECTS: list[RegisterSubject] = [
    RegisterSubject(
        subject_id="S-LIP1-CHILD",
        category=SubjectCategory.CHILD,
        name="Maisie Thornber",
        date_of_birth=date(2019, 4, 17),
        address="14 Lowfield Terrace, Brinnington",
    ),
    RegisterSubject(
        subject_id="S-LIP1-MOTHER",
        category=SubjectCategory.PARENT_CARER,
        name="Leanne Thornber",
        date_of_birth=date(1996, 8, 2),
    ),
    RegisterSubject(
        subject_id="S-LIP1-PARTNER",
        category=SubjectCategory.HOUSEHOLD_MEMBER,
        name="Craig Ashworth",
    ),
    RegisterSubject(
        subject_id="S-LIP1-REFERRER",
        category=SubjectCategory.PRACTITIONER,
        name="Joanne Pilling",
    ),
    RegisterSubject(
        subject_id="S-LIP1-CHAIR",
        category=SubjectCategory.PRACTITIONER,
        name="Dr Ruth Okafor",
    ),
    RegisterSubject(
        subject_id="S-LIP1-REP-HEALTH",
        category=SubjectCategory.PRACTITIONER,
        name="Kathryn Eastwood",
    ),
    RegisterSubject(
        subject_id="S-LIP1-REP-EDUCATION",
        category=SubjectCategory.PRACTITIONER,
        name="Imran Siddiqui",
    ),
    RegisterSubject(
        subject_id="S-LIP1-REP-CSC",
        category=SubjectCategory.PRACTITIONER,
        name="Bethany Rowlands",
    ),
    RegisterSubject(
        subject_id="S-LIP2-CHILD",
        category=SubjectCategory.CHILD,
        name="Oscar Whitehead",
        date_of_birth=date(2024, 11, 3),
    ),
    RegisterSubject(
        subject_id="S-LIP2-FATHER",
        category=SubjectCategory.PARENT_CARER,
        name="Dean Whitehead",
    ),
    RegisterSubject(
        subject_id="S-LIP2-REFERRER",
        category=SubjectCategory.PRACTITIONER,
        name="Sergeant Amy Collier",
    ),
    RegisterSubject(
        subject_id="S-LIP2-REVIEWER",
        category=SubjectCategory.PRACTITIONER,
        name="Martin Shaw",
    ),
]


def steps(start: datetime) -> list[DemoStep]:
    """Both cases, each step at its scripted moment after `start`."""
    return malr_steps(start) + scr_steps(start + timedelta(days=14))
