"""Demonstration script: two National Learning Reviews (seeds 001 and 002), start to finish.

Everything here is invented. LR-2026-001 is a child's review: it proceeds, amends its terms
of reference, pauses on new police information, reports the delay with a revised timescale,
and is published once the Procurator Fiscal has been consulted, because criminal proceedings
are still ongoing. One step is refused on purpose: the Chair of the Chief Officers Group
tries to take the committee's decision to proceed. ASP-2026-001 is an adult's review (Adult
Support and Protection) that the COG decides not to publish, for exceptional circumstances
noted in its minutes; the learning is then published separately.

This module is the route's script for the demo: the people it registers (`SUBJECTS`) and the
two reviews' steps in order (`national_child`, `national_adult`); `national_script` is what
they share.
"""

from __future__ import annotations

from datetime import date, datetime

from adapters.demo.cast import DemoStep
from adapters.demo.national_adult import adult_review
from adapters.demo.national_child import child_review
from adapters.demo.national_script import (
    ADMIN,
    ADULT,
    ADULT_ADMIN,
    ADULT_CHAIR,
    ADULT_NOTIFIER,
    ADULT_REVIEWER,
    CHAIR,
    CHILD,
    HEALTH_VISITOR,
    MEMBER,
    MOTHER,
    NOTIFIER,
    REVIEWER,
    SISTER,
    SON,
)
from domain.governance.subjects import RegisterSubject, SubjectCategory


def _subject(
    subject_id: str, category: SubjectCategory, name: str, born: date | None = None
) -> RegisterSubject:
    return RegisterSubject(subject_id=subject_id, category=category, name=name, date_of_birth=born)


SUBJECTS: list[RegisterSubject] = [
    _subject(CHILD, SubjectCategory.CHILD, "Ellie Rendall", date(2022, 4, 2)),
    _subject(MOTHER, SubjectCategory.PARENT_CARER, "Dawn Rendall", date(1996, 8, 19)),
    _subject(SISTER, SubjectCategory.SIBLING, "Skye Rendall", date(2017, 1, 30)),
    _subject(NOTIFIER, SubjectCategory.NOTIFIER, "Karen Spence"),
    _subject(HEALTH_VISITOR, SubjectCategory.PRACTITIONER, "Moira Firth"),
    _subject(CHAIR, SubjectCategory.PRACTITIONER, "Alan Scott"),
    _subject(MEMBER, SubjectCategory.PRACTITIONER, "Jean Miller"),
    _subject(REVIEWER, SubjectCategory.PRACTITIONER, "Ailsa Tulloch"),
    _subject(ADMIN, SubjectCategory.PRACTITIONER, "Rona Linklater"),
    _subject(ADULT, SubjectCategory.ADULT_AT_RISK, "Robert Flett", date(1958, 6, 1)),
    _subject(SON, SubjectCategory.FAMILY_MEMBER, "Neil Flett", date(1986, 2, 11)),
    _subject(ADULT_NOTIFIER, SubjectCategory.NOTIFIER, "Lorna Muir"),
    _subject(ADULT_CHAIR, SubjectCategory.PRACTITIONER, "Graham Eunson"),
    _subject(ADULT_REVIEWER, SubjectCategory.PRACTITIONER, "Sheila Groat"),
    _subject(ADULT_ADMIN, SubjectCategory.PRACTITIONER, "Kirsty Wylie"),
]


def steps(start: datetime) -> list[DemoStep]:
    """The child's review, then the adult's, each from its notification to its closure."""
    return child_review(start) + adult_review(start)
