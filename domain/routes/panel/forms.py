"""The two forms of the Learning and Improvement Panel (seed 003), field for field.

*Referral Form A* ("Learning and Improvement Case Review Panel Request Referral Form")
is how an agency refers a case to the Head of Safeguarding; the *Conclusion of Learning
and Improvement Panel* at its foot records what the Panel set up for a Multi-Agency
Learning Review.

Each command takes plain values and data-subject ids; `seal_referral` and
`seal_conclusion` turn every personal item into a `Personal` that says whose data it
is, what kind of item it is, fact or opinion (and whose), and whether it is
special-category data. The sealed structs are what the events carry.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import msgspec

from domain.governance.subjects import check_subject_id
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, Personal, personal


class OfstedNotified(StrEnum):
    """Referral details, "Notified to OFSTED?"."""

    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known_by_agency"


class Sex(StrEnum):
    """A. Child's details, "Sex"."""

    MALE = "male"
    FEMALE = "female"


class EthnicGroup(StrEnum):
    """A. Child's details, "Ethnic group", with the form's headings as prefixes."""

    WHITE_BRITISH = "white_british"
    WHITE_IRISH = "white_irish"
    WHITE_GYPSY_ROMA = "white_gypsy_roma"
    WHITE_IRISH_TRAVELLER = "white_traveller_of_irish_heritage"
    WHITE_OTHER = "white_any_other"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_and_black_caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_and_black_african"
    MIXED_WHITE_ASIAN = "mixed_white_and_asian"
    MIXED_OTHER = "mixed_any_other"
    ASIAN_INDIAN = "asian_indian"
    ASIAN_PAKISTANI = "asian_pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi"
    ASIAN_OTHER = "asian_any_other"
    BLACK_CARIBBEAN = "black_caribbean"
    BLACK_AFRICAN = "black_african"
    BLACK_OTHER = "black_any_other"
    CHINESE = "chinese"
    OTHER_SPECIFIED = "any_other_specified"  # "Any other, specify"
    NOT_KNOWN = "not_known_by_agency"


class ImmigrationStatus(StrEnum):
    """A. Child's details, "Immigration Status"."""

    ASYLUM_SEEKER = "asylum_seeker"
    EXCEPTIONAL_LEAVE_TO_REMAIN = "exceptional_leave_to_remain"
    REFUGEE_STATUS = "refugee_status"
    NOT_KNOWN = "not_known_by_agency"


class IncidentType(StrEnum):
    """C. Details of the death / critical incident, "Type of Incident"."""

    CRITICAL_INCIDENT = "critical_incident_or_inter_agency_concerns"
    DEATH = "death"


class PanelDecision(StrEnum):
    """What the Panel decides about the level of review (seed 003, Panel meeting)."""

    SCR_CRITERIA_MET = "scr_criteria_met"  # go to the SCR route
    MALR = "multi_agency_learning_review"
    NO_FURTHER_REVIEW = "no_further_review"


# -- Referral Form A: what the referrer gives ------------------------------------------


class FamilyMemberDetails(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """B. Other significant family & household members: one row of the table."""

    subject: str  # the member's data-subject id
    full_name: str
    date_of_birth: date | None = None
    relationship: str  # to the child, e.g. "mother", "mother's partner"
    full_address: str | None = None


class ReferCase(Command, frozen=True, kw_only=True, tag="refer-case"):
    """Record Referral Form A as received by the Head of Safeguarding."""

    # Child's details
    child_subject: str
    child_full_name: str
    child_also_known_as: str | None = None
    child_date_of_birth: date | None = None
    incident_at: datetime | None = None  # "Date & time of death / Critical Incident if applicable"
    child_address: str | None = None
    child_current_location: str | None = None
    # Referral details
    referred_on: date
    referrer_subject: str
    referrer_name: str
    notified_to_ofsted: OfstedNotified = OfstedNotified.NOT_KNOWN
    agency: str
    agency_address: str = ""
    tel: str | None = None
    email: str | None = None
    # A. Child's details
    child_sex: Sex | None = None
    child_age: int | None = None
    ethnic_group: EthnicGroup | None = None
    ethnic_group_specified: str | None = None  # with "Any other, specify"
    immigration_status: ImmigrationStatus | None = None
    # B. Other significant family & household members
    family: tuple[FamilyMemberDetails, ...] = ()
    # C. Details of the death / critical incident
    incident_type: IncidentType
    summary: str  # "Please provide a narrative account of the event."
    summary_also_about: tuple[str, ...] = ()  # other subjects the narrative is about
    reason_for_request: str  # "the reason for your request for a review should be highlighted"


# -- Referral Form A: what the event carries ---------------------------------------------


class ChildDetails(msgspec.Struct, frozen=True, kw_only=True):
    full_name: Personal
    also_known_as: Personal | None = None
    date_of_birth: Personal | None = None
    incident_at: Personal | None = None
    address: Personal | None = None
    current_location: Personal | None = None
    sex: Personal | None = None
    age: Personal | None = None
    ethnic_group: Personal | None = None
    immigration_status: Personal | None = None


class ReferralDetails(msgspec.Struct, frozen=True, kw_only=True):
    referred_on: date
    referrer: Personal
    notified_to_ofsted: OfstedNotified
    agency: str  # an organisation, not a person
    agency_address: str = ""
    tel: Personal | None = None
    email: Personal | None = None


class FamilyMember(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    full_name: Personal
    relationship: Personal
    date_of_birth: Personal | None = None
    full_address: Personal | None = None


class IncidentDetails(msgspec.Struct, frozen=True, kw_only=True):
    incident_type: Personal
    summary: Personal
    reason_for_request: Personal


class ReferralFormA(msgspec.Struct, frozen=True, kw_only=True):
    child_subject: str
    child: ChildDetails
    referral: ReferralDetails
    family: tuple[FamilyMember, ...] = ()
    incident: IncidentDetails


def seal_referral(form: ReferCase) -> ReferralFormA:
    """Check Referral Form A and wrap each personal item; raises InvalidInput."""
    child = form.child_subject
    referrer = form.referrer_subject
    for field, subject in (("child_subject", child), ("referrer_subject", referrer)):
        require_subject(field, subject)
    for field, text in (
        ("child_full_name", form.child_full_name),
        ("referrer_name", form.referrer_name),
        ("agency", form.agency),
        ("summary", form.summary),
        ("reason_for_request", form.reason_for_request),
    ):
        require_text(field, text)
    if form.child_age is not None and not 0 <= form.child_age <= 25:
        raise InvalidInput("child_age", "must be between 0 and 25")
    if (form.ethnic_group is EthnicGroup.OTHER_SPECIFIED) != bool(form.ethnic_group_specified):
        raise InvalidInput(
            "ethnic_group_specified", "is given exactly when the ethnic group is 'any other, specify'"
        )
    members = [m.subject for m in form.family]
    if len(set(members)) != len(members) or child in members:
        raise InvalidInput("family", "each family member appears once, and not as the child")
    for subject in form.summary_also_about:
        require_subject("summary_also_about", subject)

    def about_child(value: object, kind: ItemKind, *, special: bool = False) -> Personal | None:
        if value is None:
            return None
        text = value.isoformat() if isinstance(value, date) else str(value)
        return personal(text, child, kind=kind, special_category=special)

    def of_referrer(value: str | None) -> Personal | None:
        return None if not value else personal(value, referrer, kind=ItemKind.CONTACT)

    ethnic = form.ethnic_group_specified if form.ethnic_group_specified else form.ethnic_group
    incident_kind = ItemKind.DATE_OF_DEATH if form.incident_type is IncidentType.DEATH else ItemKind.HISTORY
    return ReferralFormA(
        child_subject=child,
        child=ChildDetails(
            full_name=personal(form.child_full_name, child, kind=ItemKind.NAME),
            also_known_as=about_child(form.child_also_known_as, ItemKind.NAME),
            date_of_birth=about_child(form.child_date_of_birth, ItemKind.DATE_OF_BIRTH),
            incident_at=about_child(form.incident_at, incident_kind),
            address=about_child(form.child_address, ItemKind.ADDRESS),
            current_location=about_child(form.child_current_location, ItemKind.ADDRESS),
            sex=about_child(form.child_sex, ItemKind.DEMOGRAPHIC),
            age=about_child(form.child_age, ItemKind.DEMOGRAPHIC),
            # UK GDPR Art. 9 (racial or ethnic origin); DOMAIN.md §3 counts immigration status too.
            ethnic_group=about_child(ethnic, ItemKind.DEMOGRAPHIC, special=True),
            immigration_status=about_child(form.immigration_status, ItemKind.LEGAL_STATUS, special=True),
        ),
        referral=ReferralDetails(
            referred_on=form.referred_on,
            referrer=personal(form.referrer_name, referrer, kind=ItemKind.NAME),
            notified_to_ofsted=form.notified_to_ofsted,
            agency=form.agency.strip(),
            agency_address=form.agency_address.strip(),
            tel=of_referrer(form.tel),
            email=of_referrer(form.email),
        ),
        family=tuple(_seal_member(m, child) for m in form.family),
        incident=IncidentDetails(
            incident_type=personal(form.incident_type.value, child, kind=ItemKind.HISTORY),
            # The referrer's account of what happened, about the child and whoever it names.
            summary=personal(
                form.summary,
                child,
                *form.summary_also_about,
                kind=ItemKind.NARRATIVE,
                by=referrer,
            ),
            # Why a review is asked for is the referrer's view (DOMAIN.md §3: opinions).
            reason_for_request=personal(
                form.reason_for_request,
                child,
                kind=ItemKind.NARRATIVE,
                nature=Nature.OPINION,
                by=referrer,
            ),
        ),
    )


def _seal_member(member: FamilyMemberDetails, child: str) -> FamilyMember:
    require_subject("family.subject", member.subject)
    require_text("family.full_name", member.full_name)
    require_text("family.relationship", member.relationship)
    who = member.subject
    return FamilyMember(
        subject=who,
        full_name=personal(member.full_name, who, kind=ItemKind.NAME),
        # A relationship is personal data of both people it links.
        relationship=personal(member.relationship, who, child, kind=ItemKind.HISTORY),
        date_of_birth=None
        if member.date_of_birth is None
        else personal(member.date_of_birth.isoformat(), who, kind=ItemKind.DATE_OF_BIRTH),
        full_address=None
        if member.full_address is None
        else personal(member.full_address, who, kind=ItemKind.ADDRESS),
    )


# -- Conclusion of Learning and Improvement Panel ------------------------------------------


class RecordPanelConclusion(Command, frozen=True, kw_only=True, tag="record-panel-conclusion"):
    """Record the Panel's conclusion for a Multi-Agency Learning Review, as on the form."""

    concluded_on: date  # "Conclusion of Learning and Improvement Panel Date"
    issues: tuple[str, ...]  # "Issues for this review are"
    tor_scope: tuple[str, ...]  # "The terms of reference scope should include the following"
    period_from: date  # "The period under review is ..."
    period_to: date
    # "Chronologies will be required from agencies to cover those dates" (the period, unless given)
    chronologies_from: date | None = None
    chronologies_to: date | None = None
    chair_subject: str  # "Chair of review"
    chair_name: str
    first_meeting_on: date  # "1st meeting"
    second_meeting_on: date | None = None  # "2nd meeting" ("generally one or two meetings")
    report_due: date | None = None  # a timescale the Panel may set for the report
    about: tuple[str, ...] = ()  # whom else the issues and scope name, beside the child


class PanelConclusion(msgspec.Struct, frozen=True, kw_only=True):
    """The conclusion as `panel.panel-conclusion-recorded` kept it: issues and scope in plain text."""

    concluded_on: date
    decision: PanelDecision
    issues: tuple[str, ...]  # about practice; case details stay in the sealed referral
    tor_scope: tuple[str, ...]
    period_from: date
    period_to: date
    chronologies_from: date
    chronologies_to: date
    chair: Personal
    first_meeting_on: date
    second_meeting_on: date | None = None
    report_due: date | None = None


class SealedPanelConclusion(msgspec.Struct, frozen=True, kw_only=True):
    """The conclusion as `panel.panel-conclusion-recorded-v2` keeps it: issues and scope sealed."""

    concluded_on: date
    decision: PanelDecision
    issues: tuple[Personal, ...]
    tor_scope: tuple[Personal, ...]
    period_from: date
    period_to: date
    chronologies_from: date
    chronologies_to: date
    chair: Personal
    first_meeting_on: date
    second_meeting_on: date | None = None
    report_due: date | None = None


def seal_conclusion(
    form: RecordPanelConclusion, decision: PanelDecision, about: tuple[str, ...]
) -> SealedPanelConclusion:
    """Check the conclusion's dates and texts, seal them (about `about`) and the chair's name; raises InvalidInput."""
    require_texts("issues", form.issues)
    require_texts("tor_scope", form.tor_scope)
    require_subject("chair_subject", form.chair_subject)
    require_text("chair_name", form.chair_name)
    chronologies_from = form.chronologies_from or form.period_from
    chronologies_to = form.chronologies_to or form.period_to
    if form.period_from > form.period_to:
        raise InvalidInput("period_to", "the period under review must end after it starts")
    if chronologies_from > chronologies_to:
        raise InvalidInput("chronologies_to", "the chronology period must end after it starts")
    if form.first_meeting_on < form.concluded_on:
        raise InvalidInput("first_meeting_on", "must not be before the Panel's conclusion")
    if form.second_meeting_on is not None and form.second_meeting_on <= form.first_meeting_on:
        raise InvalidInput("second_meeting_on", "must be after the 1st meeting")
    if form.report_due is not None and form.report_due < form.first_meeting_on:
        raise InvalidInput("report_due", "must not be before the 1st meeting")
    return SealedPanelConclusion(
        concluded_on=form.concluded_on,
        decision=decision,
        issues=tuple(personal(i.strip(), *about) for i in form.issues),
        tor_scope=tuple(personal(t.strip(), *about) for t in form.tor_scope),
        period_from=form.period_from,
        period_to=form.period_to,
        chronologies_from=chronologies_from,
        chronologies_to=chronologies_to,
        chair=personal(form.chair_name, form.chair_subject, kind=ItemKind.NAME),
        first_meeting_on=form.first_meeting_on,
        second_meeting_on=form.second_meeting_on,
        report_due=form.report_due,
    )


# -- small checks shared by the Panel's commands -------------------------------------------


def require_text(field: str, value: str) -> None:
    if not value.strip():
        raise InvalidInput(field, "must not be empty")


def require_texts(field: str, values: tuple[str, ...]) -> None:
    """At least one entry, none empty, no repeats."""
    if not values:
        raise InvalidInput(field, "must name at least one")
    for value in values:
        require_text(field, value)
    if len({v.strip() for v in values}) != len(values):
        raise InvalidInput(field, "must not repeat an entry")


def require_subject(field: str, subject: str) -> None:
    """A data-subject id, reported against the command's own field name."""
    try:
        check_subject_id(subject)
    except InvalidInput as error:
        raise InvalidInput(field, error.rule) from error
