"""The two forms of the Mini Learning Review procedure (seed 000, Appendix 1), field for field.

Each form has two shapes:

- the *answers* (`RequestFormAnswers`, `InformationFormAnswers`): what the officer typed,
  as plain values, plus the data-subject id (`S-...`) of every person the form names.
  A command carries these;
- the *recorded form* (`RequestForm`, `InformationForm`): what the event keeps. Every item
  of personal data is a `Personal` saying whose data it is, what kind of item it is, whether
  it states a fact or somebody's opinion (and whose), and whether it is special-category
  data (UK GDPR Art. 9: disability, ethnicity, religion).

Free text about the case (summaries, concerns, reflections, practice issues) is treated as
the personal data of every child and family member the form names: it is written about them.
A family member's name or date of birth is the personal data of that person and of the child
whose form names them (the relationship is the child's data too).

`record_request_form` and `record_information_form` turn answers into the recorded form and
refuse an empty required answer or a malformed subject id.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from domain.governance.naming import checked_ids
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, Personal, personal
from domain.routes.shared.forms import required, subject_ids


class MiniCriterion(StrEnum):
    """The grounds for a Mini Learning Review (seed 000 §1.3), beyond 'the full criteria are not met'."""

    IMPROVEMENT_OR_AWARENESS = (
        "improvement_or_awareness"  # improvements, awareness raising, reflective practice
    )
    HOW_IT_HAPPENED = "how_it_happened"  # uncover how a practice issue or incident happened
    POSITIVE_LEARNING = "positive_learning"  # effective working with outstanding positive learning


class PracticeIssue(StrEnum):
    """The key practice issues the information form asks about (seed 000, Information form)."""

    RISK_AND_NEED = "recognition_and_assessment_of_risk_and_need"
    INFORMATION_SHARING = "information_sharing"
    MINIMISING_HARM = "strategies_and_actions_to_minimise_harm"
    TIMELY_ACTION = "timely_and_effective_action_taken"
    MULTI_AGENCY = "multi_agency_responses"
    PLANNING_AND_REVIEWING = "evidence_of_planning_and_reviewing"
    RECORD_KEEPING = "quality_of_record_keeping"
    LEGAL_MEASURES = "appropriate_use_of_legal_measures"
    CHILD_CENTRED = "evidence_of_child_centred_practice"
    GOOD_PRACTICE = "good_practice"
    PRACTICE_IMPROVEMENT = "practice_improvement"


class _Answers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of the plain answers a command carries; unknown fields are refused."""


class _Recorded(msgspec.Struct, frozen=True, kw_only=True):
    """Base of a recorded form part (events only grow: new fields get defaults)."""


# -- answers: what the officer typed ---------------------------------------------------------


class RelativeAnswers(_Answers, frozen=True, kw_only=True):
    """A parent, carer or sibling named on a form."""

    subject_id: str
    name: str
    date_of_birth: date | None = None
    address: str | None = None  # "Address if different to child's"


class PractitionerAnswers(_Answers, frozen=True, kw_only=True):
    """One row of 'Name of service/agency/individuals involved with the child(ren) and/or family'."""

    subject_id: str
    service: str
    role_with_family: str  # "Role with the child/the family", e.g. "named person"
    name: str
    title: str
    contact: str


class RequestChildAnswers(_Answers, frozen=True, kw_only=True):
    """'Child's details', 'Parents'/carers' details', 'Child Protection Register', 'Looked After Child'."""

    subject_id: str
    name_or_identifier: str
    date_of_birth: date | None = None
    date_of_death: date | None = None
    home_address: str | None = None
    current_residence: str | None = None
    gender: str | None = None
    legal_status: str | None = None
    education: str | None = None
    additional_factors: str | None = None  # "key additional factors such as disability, ethnicity, religion"
    parents_carers: tuple[RelativeAnswers, ...] = ()
    siblings: tuple[RelativeAnswers, ...] = ()  # named so the sibling answers below have subjects
    on_register_now: str | None = None
    siblings_on_register_now: str | None = None
    on_register_before: str | None = None  # "If yes, provide details, including dates"
    siblings_on_register_before: str | None = None
    looked_after: str | None = None
    siblings_looked_after: str | None = None


class RequestFormAnswers(_Answers, frozen=True, kw_only=True):
    """Appendix 1, Mini Learning Review Request Form, with the contents seed 000 §1.4 asks for."""

    request_from: str
    requester_subject: str
    contact_details: str
    agency: str
    completed_on: date  # "Date completed"
    children: tuple[RequestChildAnswers, ...]
    criteria: tuple[MiniCriterion, ...]
    grounds: str  # "What grounds within criteria do you consider to apply?"
    immediate_concerns: str | None = None  # None: "no"; else what, passed to whom, action taken
    general_concerns: str | None = None
    parallel_reviews: str | None = None
    criminal_procedures: str | None = None
    significant_incident_on: date | None = None
    case_summary: str
    practitioners: tuple[PractitionerAnswers, ...] = ()
    # Seed 000 §1.4: what the completed form should include.
    discussion_data: str  # data gathered from the discussions with Heads of Service
    agency_involvement: str  # brief account of agency involvement before the triggering event
    initial_reflection: str  # initial reflection on practice and decision-making
    about: tuple[str, ...] = ()  # whom else the narrative answers name, beside the children and family


class InformationChildAnswers(_Answers, frozen=True, kw_only=True):
    """The child columns and 'Details' table of the information form."""

    subject_id: str
    name: str
    identifier_number: str | None = None
    date_of_birth: date | None = None
    date_of_death: date | None = None
    significant_incident_on: date | None = None
    gender: str | None = None
    parents_carers: tuple[RelativeAnswers, ...] = ()
    siblings: tuple[RelativeAnswers, ...] = ()
    home_address: str | None = None
    current_address: str | None = None  # "if different from above"
    education: str | None = None


class PracticeIssueAnswer(_Answers, frozen=True, kw_only=True):
    issue: PracticeIssue
    answer: str


class CompleterAnswers(_Answers, frozen=True, kw_only=True):
    """'Report completed by': name, title, agency, email address, date."""

    subject_id: str
    name: str
    title: str
    agency: str
    email: str
    completed_on: date


class InformationFormAnswers(_Answers, frozen=True, kw_only=True):
    """The information form each participating service returns (seed 000, 'Information')."""

    children: tuple[InformationChildAnswers, ...]
    involvement_summary: str
    background_history: str | None = None
    practice_issues: tuple[PracticeIssueAnswer, ...] = ()
    current_or_planned_reviews: str | None = None
    criminal_proceedings: str | None = None
    completed_by: CompleterAnswers
    about: tuple[str, ...] = ()  # whom else the narrative answers name, beside the children and family


# -- recorded forms: what the event keeps -------------------------------------------------------


class Relative(_Recorded, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    date_of_birth: Personal | None = None
    address: Personal | None = None


class Practitioner(_Recorded, frozen=True, kw_only=True):
    subject_id: str
    service: str
    role_with_family: str
    name: Personal
    title: Personal
    contact: Personal


class RequestChild(_Recorded, frozen=True, kw_only=True):
    subject_id: str
    name_or_identifier: Personal
    date_of_birth: Personal | None = None
    date_of_death: Personal | None = None
    home_address: Personal | None = None
    current_residence: Personal | None = None
    gender: Personal | None = None
    legal_status: Personal | None = None
    education: Personal | None = None
    additional_factors: Personal | None = None
    parents_carers: tuple[Relative, ...] = ()
    siblings: tuple[Relative, ...] = ()
    on_register_now: Personal | None = None
    siblings_on_register_now: Personal | None = None
    on_register_before: Personal | None = None
    siblings_on_register_before: Personal | None = None
    looked_after: Personal | None = None
    siblings_looked_after: Personal | None = None


class RequestForm(_Recorded, frozen=True, kw_only=True):
    request_from: Personal
    requester_subject: str
    contact_details: Personal
    agency: str
    completed_on: date
    children: tuple[RequestChild, ...]
    criteria: tuple[MiniCriterion, ...]
    grounds: Personal
    immediate_concerns: Personal | None
    general_concerns: Personal | None
    parallel_reviews: Personal | None
    criminal_procedures: Personal | None
    significant_incident_on: Personal | None
    case_summary: Personal
    practitioners: tuple[Practitioner, ...]
    discussion_data: Personal
    agency_involvement: Personal
    initial_reflection: Personal

    def family_subjects(self) -> tuple[str, ...]:
        return _family_of(self.children)

    def practitioner_subjects(self) -> tuple[str, ...]:
        return (self.requester_subject, *(p.subject_id for p in self.practitioners))


class InformationChild(_Recorded, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    identifier_number: Personal | None = None
    date_of_birth: Personal | None = None
    date_of_death: Personal | None = None
    significant_incident_on: Personal | None = None
    gender: Personal | None = None
    parents_carers: tuple[Relative, ...] = ()
    siblings: tuple[Relative, ...] = ()
    home_address: Personal | None = None
    current_address: Personal | None = None
    education: Personal | None = None


class PracticeIssueAnswered(_Recorded, frozen=True, kw_only=True):
    issue: PracticeIssue
    answer: Personal


class Completer(_Recorded, frozen=True, kw_only=True):
    subject_id: str
    name: Personal
    title: Personal
    agency: str
    email: Personal
    completed_on: date


class InformationForm(_Recorded, frozen=True, kw_only=True):
    children: tuple[InformationChild, ...]
    involvement_summary: Personal
    background_history: Personal | None
    practice_issues: tuple[PracticeIssueAnswered, ...]
    current_or_planned_reviews: Personal | None
    criminal_proceedings: Personal | None
    completed_by: Completer

    def family_subjects(self) -> tuple[str, ...]:
        return _family_of(self.children)


# -- turning answers into recorded forms -------------------------------------------------------


def _optional(
    value: str | None,
    about: tuple[str, ...],
    kind: ItemKind,
    *,
    nature: Nature = Nature.FACT,
    by: str | None = None,
    special_category: bool = False,
) -> Personal | None:
    if value is None or not value.strip():
        return None
    return personal(value, *about, kind=kind, nature=nature, by=by, special_category=special_category)


def _day(value: date | None, about: tuple[str, ...], kind: ItemKind) -> Personal | None:
    return None if value is None else personal(value.isoformat(), *about, kind=kind)


def _relatives(field: str, answers: tuple[RelativeAnswers, ...], child: str) -> tuple[Relative, ...]:
    recorded = []
    for answer in answers:
        about = subject_ids(answer.subject_id, child)
        recorded.append(
            Relative(
                subject_id=answer.subject_id,
                name=personal(required(f"{field}.name", answer.name), *about, kind=ItemKind.NAME),
                date_of_birth=_day(answer.date_of_birth, about, ItemKind.DATE_OF_BIRTH),
                address=_optional(answer.address, about, ItemKind.ADDRESS),
            )
        )
    return tuple(recorded)


def _practitioners(answers: tuple[PractitionerAnswers, ...]) -> tuple[Practitioner, ...]:
    recorded = []
    for answer in answers:
        about = subject_ids(answer.subject_id)
        recorded.append(
            Practitioner(
                subject_id=answer.subject_id,
                service=required("practitioners.service", answer.service),
                role_with_family=required("practitioners.role_with_family", answer.role_with_family),
                name=personal(required("practitioners.name", answer.name), *about, kind=ItemKind.NAME),
                title=personal(
                    required("practitioners.title", answer.title), *about, kind=ItemKind.JOB_TITLE
                ),
                contact=personal(
                    required("practitioners.contact", answer.contact), *about, kind=ItemKind.CONTACT
                ),
            )
        )
    return tuple(recorded)


def _family_of(children: tuple[RequestChild, ...] | tuple[InformationChild, ...]) -> tuple[str, ...]:
    ids: list[str] = []
    for child in children:
        ids.append(child.subject_id)
        ids.extend(r.subject_id for r in (*child.parents_carers, *child.siblings))
    return tuple(dict.fromkeys(ids))


def _answered_family(
    children: tuple[RequestChildAnswers, ...] | tuple[InformationChildAnswers, ...],
) -> tuple[str, ...]:
    ids: list[str] = []
    for child in children:
        ids.append(child.subject_id)
        ids.extend(r.subject_id for r in (*child.parents_carers, *child.siblings))
    return subject_ids(*ids)


def _request_child(answer: RequestChildAnswers) -> RequestChild:
    child = subject_ids(answer.subject_id)
    siblings = subject_ids(*(s.subject_id for s in answer.siblings)) if answer.siblings else ()
    # Answers about siblings are the siblings' data as well as the child's.
    with_siblings = subject_ids(*child, *siblings)

    def about_child(value: str | None, kind: ItemKind, special: bool = False) -> Personal | None:
        return _optional(value, child, kind, special_category=special)

    return RequestChild(
        subject_id=answer.subject_id,
        name_or_identifier=personal(
            required("children.name_or_identifier", answer.name_or_identifier), *child, kind=ItemKind.NAME
        ),
        date_of_birth=_day(answer.date_of_birth, child, ItemKind.DATE_OF_BIRTH),
        date_of_death=_day(answer.date_of_death, child, ItemKind.DATE_OF_DEATH),
        home_address=about_child(answer.home_address, ItemKind.ADDRESS),
        current_residence=about_child(answer.current_residence, ItemKind.ADDRESS),
        gender=about_child(answer.gender, ItemKind.DEMOGRAPHIC),
        legal_status=about_child(answer.legal_status, ItemKind.LEGAL_STATUS),
        education=about_child(answer.education, ItemKind.SCHOOL),
        # UK GDPR Art. 9: disability, ethnicity and religion are special-category data.
        additional_factors=about_child(answer.additional_factors, ItemKind.DEMOGRAPHIC, special=True),
        parents_carers=_relatives("parents_carers", answer.parents_carers, answer.subject_id),
        siblings=_relatives("siblings", answer.siblings, answer.subject_id),
        on_register_now=about_child(answer.on_register_now, ItemKind.HISTORY),
        siblings_on_register_now=_optional(answer.siblings_on_register_now, with_siblings, ItemKind.HISTORY),
        on_register_before=about_child(answer.on_register_before, ItemKind.HISTORY),
        siblings_on_register_before=_optional(
            answer.siblings_on_register_before, with_siblings, ItemKind.HISTORY
        ),
        looked_after=about_child(answer.looked_after, ItemKind.HISTORY),
        siblings_looked_after=_optional(answer.siblings_looked_after, with_siblings, ItemKind.HISTORY),
    )


def record_request_form(answers: RequestFormAnswers) -> RequestForm:
    """The Request Form as recorded, each personal item wrapped; refuses missing required answers."""
    if not answers.children:
        raise InvalidInput("children", "the Request Form names at least one child")
    if not answers.criteria:
        raise InvalidInput("criteria", "name at least one ground within the criteria (seed 000 §1.3)")
    requester = subject_ids(answers.requester_subject)
    family = subject_ids(*_answered_family(answers.children), *checked_ids("about", answers.about))

    def case(value: str, field: str, nature: Nature = Nature.FACT) -> Personal:
        by = answers.requester_subject if nature is Nature.OPINION else None
        return personal(required(field, value), *family, kind=ItemKind.NARRATIVE, nature=nature, by=by)

    def opinion(value: str | None) -> Personal | None:
        return _optional(
            value, family, ItemKind.NARRATIVE, nature=Nature.OPINION, by=answers.requester_subject
        )

    return RequestForm(
        request_from=personal(required("request_from", answers.request_from), *requester, kind=ItemKind.NAME),
        requester_subject=answers.requester_subject,
        contact_details=personal(answers.contact_details, *requester, kind=ItemKind.CONTACT),
        agency=required("agency", answers.agency),
        completed_on=answers.completed_on,
        children=tuple(_request_child(child) for child in answers.children),
        criteria=tuple(dict.fromkeys(answers.criteria)),
        grounds=case(answers.grounds, "grounds", Nature.OPINION),
        immediate_concerns=opinion(answers.immediate_concerns),
        general_concerns=opinion(answers.general_concerns),
        parallel_reviews=_optional(answers.parallel_reviews, family, ItemKind.NARRATIVE),
        criminal_procedures=_optional(answers.criminal_procedures, family, ItemKind.NARRATIVE),
        significant_incident_on=_day(answers.significant_incident_on, family, ItemKind.HISTORY),
        case_summary=case(answers.case_summary, "case_summary"),
        practitioners=_practitioners(answers.practitioners),
        discussion_data=case(answers.discussion_data, "discussion_data"),
        agency_involvement=case(answers.agency_involvement, "agency_involvement"),
        initial_reflection=case(answers.initial_reflection, "initial_reflection", Nature.OPINION),
    )


def _information_child(answer: InformationChildAnswers) -> InformationChild:
    child = subject_ids(answer.subject_id)
    return InformationChild(
        subject_id=answer.subject_id,
        name=personal(required("children.name", answer.name), *child, kind=ItemKind.NAME),
        identifier_number=_optional(answer.identifier_number, child, ItemKind.RECORD_NUMBER),
        date_of_birth=_day(answer.date_of_birth, child, ItemKind.DATE_OF_BIRTH),
        date_of_death=_day(answer.date_of_death, child, ItemKind.DATE_OF_DEATH),
        significant_incident_on=_day(answer.significant_incident_on, child, ItemKind.HISTORY),
        gender=_optional(answer.gender, child, ItemKind.DEMOGRAPHIC),
        parents_carers=_relatives("parents_carers", answer.parents_carers, answer.subject_id),
        siblings=_relatives("siblings", answer.siblings, answer.subject_id),
        home_address=_optional(answer.home_address, child, ItemKind.ADDRESS),
        current_address=_optional(answer.current_address, child, ItemKind.ADDRESS),
        education=_optional(answer.education, child, ItemKind.SCHOOL),
    )


def record_information_form(answers: InformationFormAnswers) -> InformationForm:
    """The returned information form as recorded; the completer's reflections are their opinions."""
    if not answers.children:
        raise InvalidInput("children", "the information form names at least one child")
    completer = answers.completed_by
    by = subject_ids(completer.subject_id)
    family = subject_ids(*_answered_family(answers.children), *checked_ids("about", answers.about))
    return InformationForm(
        children=tuple(_information_child(child) for child in answers.children),
        involvement_summary=personal(
            required("involvement_summary", answers.involvement_summary), *family, kind=ItemKind.NARRATIVE
        ),
        background_history=_optional(answers.background_history, family, ItemKind.HISTORY),
        practice_issues=tuple(
            PracticeIssueAnswered(
                issue=item.issue,
                answer=personal(
                    required("practice_issues.answer", item.answer),
                    *family,
                    kind=ItemKind.NARRATIVE,
                    nature=Nature.OPINION,
                    by=completer.subject_id,
                ),
            )
            for item in answers.practice_issues
        ),
        current_or_planned_reviews=_optional(answers.current_or_planned_reviews, family, ItemKind.NARRATIVE),
        criminal_proceedings=_optional(answers.criminal_proceedings, family, ItemKind.NARRATIVE),
        completed_by=Completer(
            subject_id=completer.subject_id,
            name=personal(required("completed_by.name", completer.name), *by, kind=ItemKind.NAME),
            title=personal(completer.title, *by, kind=ItemKind.JOB_TITLE),
            agency=required("completed_by.agency", completer.agency),
            email=personal(completer.email, *by, kind=ItemKind.CONTACT),
            completed_on=completer.completed_on,
        ),
    )
