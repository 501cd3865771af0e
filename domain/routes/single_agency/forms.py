"""The Learning Review Referral Form of the Falkirk single-agency protocol (seed 004, Appendix 3).

As with the mini review forms, the *answers* are what the worker and line manager typed
(plain values plus the data-subject ids of the people named) and the *recorded form* wraps
every item of personal data in `Personal`. Free text about the case (circumstances, key
facts and chronology, reasons) is the personal data of the child and every family and
household member the form names. The CFCIG's part of the form ("To be completed by CFCIG")
is recorded by the CFCIG's decision events in `domain.routes.single_agency.events`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from domain.governance.naming import checked_ids
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, Personal, personal
from domain.routes.shared.forms import required, subject_ids

MAX_REASONS = 6  # the form has six numbered lines for "the reasons why a Learning Review has been requested"


class SingleAgencyCriterion(StrEnum):
    """Seed 004 §2: the criteria for undertaking a Learning Review."""

    GOOD_PRACTICE = "good_practice_worth_sharing"
    LACK_OF_PROGRESS = "lack_of_progress_in_childs_plan"
    PLACEMENT_BREAKDOWN = "placement_breakdown"
    DISRUPTION = "disruption_permanency_or_adoption_breakdown"
    LEGAL_SYSTEM_FAILURE = "failure_to_secure_child_through_legal_system"


class _Answers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of the plain answers a command carries; unknown fields are refused."""


class _Recorded(msgspec.Struct, frozen=True, kw_only=True):
    """Base of a recorded form part (events only grow: new fields get defaults)."""


class HouseholdMemberAnswers(_Answers, frozen=True, kw_only=True):
    subject_id: str
    name: str
    relationship: str | None = None  # "Others In Household (name & relationship)"


class ProfessionalAnswers(_Answers, frozen=True, kw_only=True):
    subject_id: str
    name: str
    discipline: str


class AgencyAnswers(_Answers, frozen=True, kw_only=True):
    """'Other agencies known to be involved (names & disciplines of various professionals within each agency)'."""

    agency: str
    professionals: tuple[ProfessionalAnswers, ...] = ()


class ReferralFormAnswers(_Answers, frozen=True, kw_only=True):
    """Appendix 3, Learning Review Referral Form, field for field (signatures are separate steps)."""

    completed_by: str  # "Name of person completing this Report"
    completer_subject: str
    service_team: str
    submitted_to_service_manager_on: date
    child_name: str  # "Name of Child or Young Person"
    child_subject: str
    swis_number: str | None = None
    parents_carers: tuple[HouseholdMemberAnswers, ...] = ()
    others_in_household: tuple[HouseholdMemberAnswers, ...] = ()
    other_agencies: tuple[AgencyAnswers, ...] = ()
    childs_plan_attached: bool = False  # "(Child's Plan Form 1 can be attached)"
    grounds: tuple[SingleAgencyCriterion, ...]
    circumstances: str  # "Brief description of the circumstances of the Case"
    key_facts: str  # "Key Facts/Background to the Case (include chronology)"
    reasons: tuple[str, ...]  # "details of the reasons why a Learning Review has been requested", 1-6
    about: tuple[str, ...] = ()  # whom else the narrative answers name, beside the child and household


class HouseholdMember(_Recorded, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    relationship: Personal | None = None


class Professional(_Recorded, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    discipline: Personal


class AgencyInvolved(_Recorded, frozen=True, kw_only=True):
    agency: str
    professionals: tuple[Professional, ...] = ()


class ReferralForm(_Recorded, frozen=True, kw_only=True):
    completed_by: Personal
    completer_subject: str
    service_team: str
    submitted_to_service_manager_on: date
    child_name: Personal
    child_subject: str
    swis_number: Personal | None
    parents_carers: tuple[HouseholdMember, ...]
    others_in_household: tuple[HouseholdMember, ...]
    other_agencies: tuple[AgencyInvolved, ...]
    childs_plan_attached: bool
    grounds: tuple[SingleAgencyCriterion, ...]
    circumstances: Personal
    key_facts: Personal
    reasons: tuple[Personal, ...]

    def family_subjects(self) -> tuple[str, ...]:
        members = (*self.parents_carers, *self.others_in_household)
        return (self.child_subject, *(m.subject_id for m in members))

    def practitioner_subjects(self) -> tuple[str, ...]:
        professionals = (p.subject_id for a in self.other_agencies for p in a.professionals)
        return (self.completer_subject, *professionals)


def _household(
    field: str, answers: tuple[HouseholdMemberAnswers, ...], child: str
) -> tuple[HouseholdMember, ...]:
    members = []
    for answer in answers:
        # Who lives with the child, and how they are related, is the child's data as well as theirs.
        about = subject_ids(answer.subject_id, child)
        relationship = answer.relationship
        members.append(
            HouseholdMember(
                subject_id=answer.subject_id,
                name=personal(required(f"{field}.name", answer.name), *about, kind=ItemKind.NAME),
                relationship=None
                if relationship is None or not relationship.strip()
                else personal(relationship, *about, kind=ItemKind.DEMOGRAPHIC),
            )
        )
    return tuple(members)


def _agencies(answers: tuple[AgencyAnswers, ...]) -> tuple[AgencyInvolved, ...]:
    return tuple(
        AgencyInvolved(
            agency=required("other_agencies.agency", agency.agency),
            professionals=tuple(
                Professional(
                    subject_id=p.subject_id,
                    name=personal(
                        required("other_agencies.professionals.name", p.name),
                        *subject_ids(p.subject_id),
                        kind=ItemKind.NAME,
                    ),
                    discipline=personal(
                        required("other_agencies.professionals.discipline", p.discipline),
                        p.subject_id,
                        kind=ItemKind.JOB_TITLE,
                    ),
                )
                for p in agency.professionals
            ),
        )
        for agency in answers
    )


def record_referral_form(answers: ReferralFormAnswers) -> ReferralForm:
    """The Referral Form as recorded; refuses missing required answers and malformed subject ids."""
    if not answers.grounds:
        raise InvalidInput(
            "grounds", "name at least one ground on which the criteria may be met (seed 004 §2)"
        )
    if not 1 <= len(answers.reasons) <= MAX_REASONS:
        raise InvalidInput(
            "reasons", f"give between 1 and {MAX_REASONS} reasons why a Learning Review is requested"
        )
    child = subject_ids(answers.child_subject)
    completer = subject_ids(answers.completer_subject)
    members = (*answers.parents_carers, *answers.others_in_household)
    family = subject_ids(
        answers.child_subject, *(m.subject_id for m in members), *checked_ids("about", answers.about)
    )

    def about_case(field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        by = answers.completer_subject if nature is Nature.OPINION else None
        return personal(required(field, text), *family, kind=ItemKind.NARRATIVE, nature=nature, by=by)

    swis = answers.swis_number
    return ReferralForm(
        completed_by=personal(required("completed_by", answers.completed_by), *completer, kind=ItemKind.NAME),
        completer_subject=answers.completer_subject,
        service_team=required("service_team", answers.service_team),
        submitted_to_service_manager_on=answers.submitted_to_service_manager_on,
        child_name=personal(required("child_name", answers.child_name), *child, kind=ItemKind.NAME),
        child_subject=answers.child_subject,
        swis_number=None
        if swis is None or not swis.strip()
        else personal(swis, *child, kind=ItemKind.RECORD_NUMBER),
        parents_carers=_household("parents_carers", answers.parents_carers, answers.child_subject),
        others_in_household=_household(
            "others_in_household", answers.others_in_household, answers.child_subject
        ),
        other_agencies=_agencies(answers.other_agencies),
        childs_plan_attached=answers.childs_plan_attached,
        grounds=tuple(dict.fromkeys(answers.grounds)),
        circumstances=about_case("circumstances", answers.circumstances),
        key_facts=about_case("key_facts", answers.key_facts),
        reasons=tuple(about_case("reasons", reason, Nature.OPINION) for reason in answers.reasons),
    )
