"""A Learning and Improvement Panel case: Serious Case Review or Multi-Agency Learning Review.

The Stockport Safeguarding Children Board's procedure (seed 003; DOMAIN.md §2.3). An agency
refers a case to the Head of Safeguarding on Referral Form A; it is circulated to the Panel,
which meets bi-monthly. The Panel (chaired by the Head of Safeguarding, or by the Service
Director as an SCR Consideration Panel when an SCR looks likely) decides: SCR criteria met,
a Multi-Agency Learning Review (MALR), or no further review.

*SCR route*: the Service Director recommends to the Board's Independent Chair, who decides
and informs Ofsted and the National Panel; a decision not to hold an SCR is scrutinised by
the National Panel and may be overturned. Then an independent review is commissioned, the
SCR Panel agreed, its terms of reference agreed, the report signed off by the Board and
publication considered.

*MALR route*: the Panel's conclusion sets the dates, the chair, the initial terms of
reference and the period under review; every agency asked says whether it was involved;
involved agencies' chronologies are combined; one or two meetings agree findings and
recommendations; a report or case summary is written; the multi-agency action plan is
circulated and monitored by the Audit and Monitoring Sub-group, and reported to the QA
Sub-group and the Board. An MALR is not published and families are not invited.

Authority (who may record each step; `STEPS` below is the table the code checks):

| command                          | role                                                        |
|----------------------------------|-------------------------------------------------------------|
| refer-case                       | HEAD_OF_SAFEGUARDING (receives Referral Form A)             |
| circulate-referral               | HEAD_OF_SAFEGUARDING                                        |
| call-scr-consideration-panel     | LEARNING_PANEL (a Panel chaired by the Head of Safeguarding)|
| decide-on-review                 | LEARNING_PANEL; or SERVICE_DIRECTOR as SCR Consideration Panel |
| record-panel-conclusion          | LEARNING_PANEL                                              |
| request-agency-reports           | HEAD_OF_SAFEGUARDING (SCR looks likely: before the recommendation) |
| submit-agency-report             | AGENCY_CONTACT named for that agency                        |
| recommend-on-scr                 | SERVICE_DIRECTOR                                            |
| decide-on-scr                    | INDEPENDENT_CHAIR                                           |
| inform-ofsted-and-national-panel | INDEPENDENT_CHAIR                                           |
| scrutinise-decision              | NATIONAL_PANEL                                              |
| commission-independent-review    | INDEPENDENT_CHAIR                                           |
| agree-scr-panel                  | INDEPENDENT_CHAIR                                           |
| choose-review-methodology        | LEARNING_PANEL (the method, or a review in another form)    |
| endorse-review-methodology       | INDEPENDENT_CHAIR                                           |
| agree-scr-terms-of-reference     | SCR_PANEL                                                   |
| hold-scr-panel-meeting           | SCR_PANEL, appointed to the review's team                   |
| record-scr-interview             | SCR_PANEL, appointed to the review's team                   |
| invite-family                    | SAFEGUARDING_BOARD (SCR only)                               |
| request-agency-checks            | HEAD_OF_SAFEGUARDING                                        |
| name-agency-contact              | HEAD_OF_SAFEGUARDING                                        |
| answer-agency-check              | AGENCY_CONTACT named for that agency                        |
| submit-chronology                | AGENCY_CONTACT named for that agency                        |
| circulate-review-papers          | HEAD_OF_SAFEGUARDING, appointed to the review's team (the administrator's dates, chronology template and ToR) |
| nominate-agency-representative   | AGENCY_CONTACT named for that agency                        |
| combine-chronologies             | HEAD_OF_SAFEGUARDING                                        |
| hold-review-meeting              | HEAD_OF_SAFEGUARDING or MALR_PANEL, appointed to the review's team |
| agree-findings                   | MALR_PANEL                                                  |
| complete-report                  | HEAD_OF_SAFEGUARDING, appointed to the review's team        |
| sign-off-report                  | SAFEGUARDING_BOARD (SCR only)                               |
| decide-on-publication            | SAFEGUARDING_BOARD (SCR only)                               |
| circulate-action-plan            | PERFORMANCE_DEVELOPMENT_MANAGER (each action: agency, owner, due date) |
| record-action-update             | AUDIT_MONITORING_SUBGROUP (one action's progress and evidence) |
| sign-off-action                  | AUDIT_MONITORING_SUBGROUP                                   |
| carry-over-action                | AUDIT_MONITORING_SUBGROUP                                   |
| record-dissemination-activity    | LEARNING_PANEL (for the Implementation and Training sub-groups) |
| record-dissemination-feedback    | LEARNING_PANEL                                              |
| tag-learning-themes              | LEARNING_PANEL                                              |
| record-action-plan-progress      | AUDIT_MONITORING_SUBGROUP                                   |
| report-to-qa-subgroup            | AUDIT_MONITORING_SUBGROUP                                   |
| report-to-board                  | QA_SUBGROUP (notifies the Board by exception)               |
| close-case                       | HEAD_OF_SAFEGUARDING                                        |
| appoint-review-team-member       | HEAD_OF_SAFEGUARDING (the chair nominated, the administrator, the reviewer) |
| release-review-team-member       | HEAD_OF_SAFEGUARDING                                        |

Who is on the review's team is recorded by actor id, appointed and released by events, because
the team's members read the case's personal data only while they are on it (DOMAIN.md §1.1).

Choices the seed leaves open, made here:
- "Methodology of review, timescales, terms of reference, interviews etc. To be agreed by SCR
  Panel": the terms of reference are the SCR Panel's (terms agreed before this rule, by the Service
  Director for the SCR Panel, still read as recorded).
- "The format of the review will be dependent on the methodology chosen by the Learning and
  Improvement Panel and endorsed by the Independent Chair": once an SCR is to be held, the Panel
  chooses the methodology (saying whether it is a review in another form, for a child who has not
  died), the Independent Chair endorses it or not, and the SCR Panel agrees terms of reference only
  on an endorsed methodology. A review in another form runs on the SCR steps.
- "If the Criteria for Serious Case Review appear likely to be met, the Head of Safeguarding will
  request that Agency reports are prepared": the Service Director's recommendation waits for
  that request (not for every report), and each report has the due date the request set.
- An SCR's report follows at least one SCR Panel meeting; an MALR meets only after the dates,
  chronology template and terms of reference are circulated. Each involved agency is asked to
  nominate its representative before the 1st meeting (a clock, not a refusal).
- Meetings and the report are recorded only by a person appointed to this case's team (by actor id):
  the Head of Safeguarding (or the MALR panel, for a meeting) acts for the review only while on it.
- Agencies answer only for themselves: the Head of Safeguarding names each agency's contact by
  actor id (`name-agency-contact`), and an agency's answer, chronology, report or representative
  is taken only from one of its named contacts (`domain/agency_contacts.py`).
- The multi-agency action plan is circulated by the Performance and Development Manager, its
  progress monitored and reported to the QA Sub-group by the Audit and Monitoring Sub-group, and
  the QA Sub-group reports to the Board (by exception); steps recorded before this rule by the
  Head of Safeguarding or the Board still read as recorded.
- The multi-agency action plan is a list of actions (agency, description, named owner, due date),
  not a document reference alone; each action's progress and evidence is recorded, and the Audit
  and Monitoring Sub-group signs it off or carries it over to a named owner. The case closes only
  when none is open (`domain/routes/shared/actions.py`, the rules the mini and single-agency routes use).
  Plans circulated before as a document and free-text progress per agency still read as recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar, NoReturn

import msgspec

from domain.governance.disposal import PersonalDataDisposed
from domain.governance.naming import Naming, checked_ids
from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command, handles
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import DomainEvent, ItemKind, Nature, Personal, personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.kernel.steps import Obligation
from domain.kernel.timescales import Timescale, add_months
from domain.routes.panel.forms import (
    PanelConclusion,
    PanelDecision,
    RecordPanelConclusion,
    ReferCase,
    ReferralFormA,
    SealedPanelConclusion,
    require_subject,
    require_text,
    require_texts,
    seal_conclusion,
    seal_referral,
)
from domain.routes.shared.actions import (
    ActionCarriedOverShape,
    ActionPlan,
    ActionSignedOffShape,
    ActionStatus,
    CarryOverAction,
    SignOffAction,
)
from domain.routes.shared.agency_contacts import name_contact, require_contact, with_contact
from domain.routes.shared.dissemination import (
    DisseminationActivityShape,
    DisseminationFeedbackShape,
    LearningThemesShape,
    learning_themes,
    require_activity,
    with_themes,
)

# The dissemination steps every route shares (domain/routes/shared/dissemination.py).
from domain.routes.shared.dissemination import DisseminationKind as DisseminationKind
from domain.routes.shared.dissemination import RecordDisseminationActivity as RecordDisseminationActivity
from domain.routes.shared.dissemination import RecordDisseminationFeedback as RecordDisseminationFeedback
from domain.routes.shared.dissemination import TagLearningThemes as TagLearningThemes

# Where each rule comes from (seed 003, by its headings).
RULE_CLOSED = "seed 003: a closed case takes no further steps"
RULE_ORDER = "seed 003, flow chart: each route's steps in order"
RULE_ONE_DECISION = "seed 003, Panel meeting: the Panel decides once on the level of review"
RULE_SCR_CHAIR = "seed 003, Chair arrangements: an SCR is considered by the Service Director's panel"
RULE_SCR_DECISION = "seed 003, Referrals: the Service Director recommends; the Independent Chair decides"
RULE_SCRUTINY = (
    "seed 003, Referrals: a decision not to hold an SCR is scrutinised by the National Panel"
    " and may be overturned"
)
RULE_AGENCY_CHECKS = "seed 003, Process for MALR: every agency advises whether it has any involvement or not"
RULE_CHRONOLOGIES = "seed 003, Process for MALR: involved agencies' chronologies are combined as the skeleton"
RULE_MEETINGS = "seed 003, Process for MALR: generally conducted in one or two meetings"
RULE_MALR_PRIVATE = "seed 003, Process for MALR: MALRs are not published and families are not invited"
RULE_SIGN_OFF = "seed 003, flow chart: the SCR is signed off by the SSCB"
RULE_BIMONTHLY = "seed 003, Frequency: the Panel is held bi-monthly"
RULE_PANEL_TIMESCALES = "seed 003, flow chart: initial terms of reference timescales set by Panel"
RULE_SCR_TIMESCALES = "seed 003, flow chart: timescales agreed by the SCR Panel"
RULE_TEAM = "seed 003, Process for MALR: chair nominated; the administrator circulates dates and templates"
RULE_AGENCY_REPORTS = (
    "seed 003, Referrals: the Head of Safeguarding requests that agency reports are prepared"
)
RULE_METHODOLOGY = (
    "seed 003, Referrals: the methodology chosen by the Learning and Improvement Panel and endorsed by"
    " the Independent Chair"
)
RULE_PAPERS = (
    "seed 003, Process for MALR: the dates, chronology template and terms of reference are circulated"
    " to give time for preparation"
)
RULE_ACTIONS = (
    "seed 003, flow chart: multi-agency action plans circulated; the Audit and Monitoring Sub-group"
    " monitors them"
)
RULE_REPRESENTATIVES = "seed 003, flow chart: contributing agencies asked to nominate a representative"


class ScrutinyOutcome(StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"  # the case becomes an SCR


class Involvement(StrEnum):
    """An agency's answer to the agency check: involvement with the case, or none."""

    INVOLVED = "involved"
    NOT_INVOLVED = "not_involved"


class ReviewerLead(StrEnum):
    """ "An independent author and/or chair may be commissioned to lead the review"."""

    AUTHOR = "author"
    CHAIR = "chair"
    AUTHOR_AND_CHAIR = "author_and_chair"


class PanelTeamRole(StrEnum):
    """A part on the review's team (seed 003: the chair nominated, the administrator, the reviewer commissioned)."""

    CHAIR = "chair"
    MEMBER = "member"
    REVIEWER = "reviewer"
    ADMINISTRATOR = "administrator"


class ReviewMethodology(StrEnum):
    """seed 003, Referrals: "a range of methodologies ... systems reviews, root cause analysis and appreciative inquiry"."""

    SYSTEMS_REVIEW = "systems_review"
    ROOT_CAUSE_ANALYSIS = "root_cause_analysis"
    APPRECIATIVE_INQUIRY = "appreciative_inquiry"
    OTHER = "other"


class ReportForm(StrEnum):
    REPORT = "report"
    CASE_SUMMARY = "case_summary"  # MALR: "Review report or case summary prepared"


# -- commands (Referral Form A and the Panel's conclusion are in domain.routes.panel.forms) -------


class CirculateReferral(Command, frozen=True, kw_only=True, tag="circulate-referral"):
    meeting_on: date  # the bi-monthly Panel meeting it will be considered at
    scr_likely: bool = False  # then that meeting is an SCR Consideration Panel


class CallScrConsiderationPanel(Command, frozen=True, kw_only=True, tag="call-scr-consideration-panel"):
    meeting_on: date
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class DecideOnReview(Command, frozen=True, kw_only=True, tag="decide-on-review"):
    meeting_on: date
    decision: PanelDecision
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RequestAgencyReports(Command, frozen=True, kw_only=True, tag="request-agency-reports"):
    """The Head of Safeguarding asks agencies to prepare reports for the SCR Panel (seed 003, Referrals)."""

    agencies: tuple[str, ...]
    requested_on: date
    due_on: date


class SubmitAgencyReport(Command, frozen=True, kw_only=True, tag="submit-agency-report"):
    agency: str
    document: str  # the agency report's document reference
    submitted_on: date


class ChooseReviewMethodology(Command, frozen=True, kw_only=True, tag="choose-review-methodology"):
    """The Learning and Improvement Panel chooses the review's methodology (seed 003, Referrals)."""

    methodology: ReviewMethodology
    in_another_form: bool  # a review in another form: a child who has not died, with lessons to learn
    chosen_on: date
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class EndorseReviewMethodology(Command, frozen=True, kw_only=True, tag="endorse-review-methodology"):
    """The Independent Chair endorses the Panel's choice, or does not (and the Panel chooses again)."""

    endorsed: bool
    decided_on: date
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class HoldScrPanelMeeting(Command, frozen=True, kw_only=True, tag="hold-scr-panel-meeting"):
    held_on: date
    agencies_attending: tuple[str, ...]
    minutes: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordScrInterview(Command, frozen=True, kw_only=True, tag="record-scr-interview"):
    """An interview the SCR Panel agreed (seed 003, flow chart: "interviews etc. To be agreed by SCR Panel")."""

    held_on: date
    interviewee: str  # data-subject id of the person interviewed
    agency: str
    notes: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child and the interviewee
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CirculateReviewPapers(Command, frozen=True, kw_only=True, tag="circulate-review-papers"):
    """The dates for review, chronology template and terms of reference go to the agencies (seed 003, MALR)."""

    circulated_on: date
    chronology_template: str  # document reference
    terms_of_reference: str  # document reference
    agencies: tuple[str, ...]


class NominateAgencyRepresentative(Command, frozen=True, kw_only=True, tag="nominate-agency-representative"):
    """A contributing agency nominates its representative for the review (seed 003, flow chart)."""

    agency: str
    representative_subject: str  # data-subject id
    representative_name: str
    nominated_on: date


class RecommendOnScr(Command, frozen=True, kw_only=True, tag="recommend-on-scr"):
    scr_required: bool
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class DecideOnScr(Command, frozen=True, kw_only=True, tag="decide-on-scr"):
    hold_scr: bool
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class InformOfstedAndNationalPanel(
    Command, frozen=True, kw_only=True, tag="inform-ofsted-and-national-panel"
):
    ofsted_informed_on: date
    national_panel_informed_on: date


class ScrutiniseDecision(Command, frozen=True, kw_only=True, tag="scrutinise-decision"):
    outcome: ScrutinyOutcome
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CommissionIndependentReview(Command, frozen=True, kw_only=True, tag="commission-independent-review"):
    reviewer_subject: str
    reviewer_name: str
    lead: ReviewerLead


class AgreeScrPanel(Command, frozen=True, kw_only=True, tag="agree-scr-panel"):
    agencies: tuple[str, ...]  # agencies represented on the SCR Panel


class AgreeScrTermsOfReference(Command, frozen=True, kw_only=True, tag="agree-scr-terms-of-reference"):
    methodology: str  # e.g. systems review, root cause analysis, appreciative inquiry
    scope: tuple[str, ...]
    period_from: date
    period_to: date
    report_due: date
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class InviteFamily(Command, frozen=True, kw_only=True, tag="invite-family"):
    family_members: tuple[str, ...]  # data-subject ids


class RequestAgencyChecks(Command, frozen=True, kw_only=True, tag="request-agency-checks"):
    agencies: tuple[str, ...]


class NameAgencyContact(Command, frozen=True, kw_only=True, tag="name-agency-contact"):
    """The Head of Safeguarding names who answers for an agency in this case."""

    agency: str
    actor_id: str  # the contact as registered in the log
    named_on: date


class AnswerAgencyCheck(Command, frozen=True, kw_only=True, tag="answer-agency-check"):
    agency: str
    involvement: Involvement


class SubmitChronology(Command, frozen=True, kw_only=True, tag="submit-chronology"):
    agency: str
    document: str  # the chronology's document reference
    covers_from: date
    covers_to: date


class CombineChronologies(Command, frozen=True, kw_only=True, tag="combine-chronologies"):
    document: str


class HoldReviewMeeting(Command, frozen=True, kw_only=True, tag="hold-review-meeting"):
    number: int  # 1 or 2
    held_on: date
    agencies_attending: tuple[str, ...]


class AgreeFindings(Command, frozen=True, kw_only=True, tag="agree-findings"):
    findings: tuple[str, ...]
    recommendations: tuple[str, ...]
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CompleteReport(Command, frozen=True, kw_only=True, tag="complete-report"):
    form: ReportForm
    document: str


class SignOffReport(Command, frozen=True, kw_only=True, tag="sign-off-report"):
    minute: str  # the Board minute recording the sign-off


class DecideOnPublication(Command, frozen=True, kw_only=True, tag="decide-on-publication"):
    publish: bool
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class PlannedActionAnswers(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One action of the multi-agency action plan."""

    action_id: str
    agency: str
    description: str
    owner_subject: str  # data-subject id of the person who owns the action
    owner_name: str
    due_on: date


class PlannedAction(msgspec.Struct, frozen=True, kw_only=True):
    action_id: str
    agency: str
    description: Personal
    owner_subject: str
    owner_name: Personal
    due_on: date


class CirculateActionPlan(Command, frozen=True, kw_only=True, tag="circulate-action-plan"):
    document: str
    agencies: tuple[str, ...]
    actions: tuple[PlannedActionAnswers, ...] = ()  # required: a plan lists its actions
    circulated_on: date | None = None  # the day of recording when not given
    about: tuple[str, ...] = ()  # whom else its actions' descriptions name, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordActionUpdate(Command, frozen=True, kw_only=True, tag="record-action-update"):
    """The Audit and Monitoring Sub-group records one action's progress, with its evidence."""

    action_id: str
    status: ActionStatus
    recorded_on: date
    progress: str
    evidence: tuple[str, ...] = ()  # references of the documents that show the progress
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class RecordActionPlanProgress(Command, frozen=True, kw_only=True, tag="record-action-plan-progress"):
    agency: str
    progress: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ReportToQaSubgroup(Command, frozen=True, kw_only=True, tag="report-to-qa-subgroup"):
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class ReportToBoard(Command, frozen=True, kw_only=True, tag="report-to-board"):
    summary: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class CloseCase(Command, frozen=True, kw_only=True, tag="close-case"):
    reasons: str
    about: tuple[str, ...] = ()  # whom else its text names, beside the child
    by: str | None = None  # the data subject whose statement or opinion it is, when it is a person's


class AppointTeamMember(Command, frozen=True, kw_only=True, tag="appoint-review-team-member"):
    """The Head of Safeguarding records a person who takes a part on the review's team."""

    actor_id: str  # the person as registered in the log: they read the case while on the team
    team_role: PanelTeamRole
    appointed_on: date


class ReleaseTeamMember(Command, frozen=True, kw_only=True, tag="release-review-team-member"):
    """The Head of Safeguarding records that a person's part on the review's team has ended."""

    actor_id: str
    released_on: date


# -- events -------------------------------------------------------------------------------


class CaseReferred(DomainEvent, frozen=True, kw_only=True, tag="panel.case-referred"):
    form: ReferralFormA
    role: Role
    at: datetime


class ReferralCirculated(DomainEvent, frozen=True, kw_only=True, tag="panel.referral-circulated"):
    meeting_on: date
    scr_likely: bool  # the meeting is chaired by the Service Director as SCR Consideration Panel
    role: Role
    at: datetime


class ScrConsiderationPanelCalled(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-consideration-panel-called"
):
    meeting_on: date
    reasons: str
    role: Role
    at: datetime


class ReviewDecided(DomainEvent, frozen=True, kw_only=True, tag="panel.review-decided"):
    meeting_on: date
    chaired_by: Role
    as_scr_consideration_panel: bool
    decision: PanelDecision
    reasons: str
    role: Role
    at: datetime


class PanelConclusionRecorded(DomainEvent, frozen=True, kw_only=True, tag="panel.panel-conclusion-recorded"):
    conclusion: PanelConclusion
    role: Role
    at: datetime


class ScrRecommended(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-recommended"):
    scr_required: bool
    reasons: str
    role: Role
    at: datetime


class ScrDecided(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-decided"):
    hold_scr: bool
    reasons: str
    role: Role
    at: datetime


class OfstedAndNationalPanelInformed(
    DomainEvent, frozen=True, kw_only=True, tag="panel.ofsted-and-national-panel-informed"
):
    hold_scr: bool  # the decision they were told of
    ofsted_informed_on: date
    national_panel_informed_on: date
    role: Role
    at: datetime


class ScrutinyConcluded(DomainEvent, frozen=True, kw_only=True, tag="panel.scrutiny-concluded"):
    outcome: ScrutinyOutcome
    reasons: str
    role: Role
    at: datetime


class IndependentReviewCommissioned(
    DomainEvent, frozen=True, kw_only=True, tag="panel.independent-review-commissioned"
):
    reviewer: Personal
    lead: ReviewerLead
    role: Role
    at: datetime


class ScrPanelAgreed(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-panel-agreed"):
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class ScrTermsOfReferenceAgreed(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-terms-of-reference-agreed"
):
    methodology: str
    scope: tuple[str, ...]
    period_from: date
    period_to: date
    report_due: date
    role: Role
    at: datetime


class FamilyInvited(DomainEvent, frozen=True, kw_only=True, tag="panel.family-invited"):
    family_members: tuple[str, ...]
    role: Role
    at: datetime


class AgencyChecksRequested(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-checks-requested"):
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class AgencyCheckAnswered(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-check-answered"):
    agency: str
    involvement: Involvement
    role: Role
    at: datetime


class ChronologySubmitted(DomainEvent, frozen=True, kw_only=True, tag="panel.chronology-submitted"):
    agency: str
    document: str
    covers_from: date
    covers_to: date
    role: Role
    at: datetime


class ChronologiesCombined(DomainEvent, frozen=True, kw_only=True, tag="panel.chronologies-combined"):
    document: str
    agencies: tuple[str, ...]  # whose chronologies were combined
    role: Role
    at: datetime


class ReviewMeetingHeld(DomainEvent, frozen=True, kw_only=True, tag="panel.review-meeting-held"):
    number: int
    held_on: date
    agencies_attending: tuple[str, ...]
    role: Role
    at: datetime


class FindingsAgreed(DomainEvent, frozen=True, kw_only=True, tag="panel.findings-agreed"):
    findings: tuple[str, ...]  # about practice; case details stay in the sealed referral
    recommendations: tuple[str, ...]
    role: Role
    at: datetime


class ReportCompleted(DomainEvent, frozen=True, kw_only=True, tag="panel.report-completed"):
    form: ReportForm
    document: str
    role: Role
    at: datetime


class ReportSignedOff(DomainEvent, frozen=True, kw_only=True, tag="panel.report-signed-off"):
    minute: str
    role: Role
    at: datetime


class PublicationDecided(DomainEvent, frozen=True, kw_only=True, tag="panel.publication-decided"):
    publish: bool
    reasons: str
    role: Role
    at: datetime


class ActionPlanCirculated(DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-circulated"):
    document: str
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class ActionPlanProgressRecorded(
    DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-progress-recorded"
):
    agency: str
    progress: str
    role: Role
    at: datetime


class ReportedToQaSubgroup(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-qa-subgroup"):
    summary: str
    role: Role
    at: datetime


class ReportedToBoard(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-board"):
    summary: str
    role: Role
    at: datetime


class CaseClosed(DomainEvent, frozen=True, kw_only=True, tag="panel.case-closed"):
    reasons: str
    role: Role
    at: datetime


class TeamMemberAppointed(DomainEvent, frozen=True, kw_only=True, tag="panel.review-team-member-appointed"):
    actor_id: str
    team_role: PanelTeamRole
    appointed_on: date
    role: Role
    at: datetime


class TeamMemberReleased(DomainEvent, frozen=True, kw_only=True, tag="panel.review-team-member-released"):
    actor_id: str
    released_on: date
    role: Role
    at: datetime


class AgencyReportsRequested(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-reports-requested"):
    agencies: tuple[str, ...]
    requested_on: date
    due_on: date
    role: Role
    at: datetime


class AgencyReportSubmitted(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-report-submitted"):
    agency: str
    document: str
    submitted_on: date
    role: Role
    at: datetime


class ReviewMethodologyChosen(DomainEvent, frozen=True, kw_only=True, tag="panel.review-methodology-chosen"):
    methodology: ReviewMethodology
    in_another_form: bool
    chosen_on: date
    reasons: Personal
    role: Role
    at: datetime


class ReviewMethodologyEndorsed(
    DomainEvent, frozen=True, kw_only=True, tag="panel.review-methodology-endorsed"
):
    endorsed: bool
    decided_on: date
    reasons: Personal
    role: Role
    at: datetime


class ScrPanelMeetingHeld(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-panel-meeting-held"):
    held_on: date
    agencies_attending: tuple[str, ...]
    minutes: Personal
    role: Role
    at: datetime


class ScrInterviewRecorded(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-interview-recorded"):
    held_on: date
    interviewee: str
    agency: str
    notes: Personal
    role: Role
    at: datetime


class ReviewPapersCirculated(DomainEvent, frozen=True, kw_only=True, tag="panel.review-papers-circulated"):
    circulated_on: date
    chronology_template: str
    terms_of_reference: str
    agencies: tuple[str, ...]
    role: Role
    at: datetime


class AgencyRepresentativeNominated(
    DomainEvent, frozen=True, kw_only=True, tag="panel.agency-representative-nominated"
):
    agency: str
    representative_subject: str
    representative_name: Personal
    nominated_on: date
    role: Role
    at: datetime


class ActionPlanCirculatedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-circulated-v2"):
    """The multi-agency action plan as a list of actions, each with its agency, owner and due date."""

    document: str
    agencies: tuple[str, ...]
    actions: tuple[PlannedAction, ...]
    circulated_on: date
    role: Role
    at: datetime


class ActionUpdateRecorded(DomainEvent, frozen=True, kw_only=True, tag="panel.action-update-recorded"):
    action_id: str
    agency: str
    status: ActionStatus
    recorded_on: date
    progress: Personal
    evidence: tuple[str, ...]
    role: Role
    at: datetime


class ActionSignedOff(ActionSignedOffShape, frozen=True, kw_only=True, tag="panel.action-signed-off"):
    pass


class DisseminationActivityRecorded(
    DisseminationActivityShape, frozen=True, kw_only=True, tag="panel.dissemination-activity-recorded"
):
    """A 7-minute briefing, training, a briefing or an Improvement Plan entry, with its audience and date."""


class DisseminationFeedbackRecorded(
    DisseminationFeedbackShape, frozen=True, kw_only=True, tag="panel.dissemination-feedback-recorded"
):
    """Feedback on one dissemination activity, by its number."""


class LearningThemesTagged(
    LearningThemesShape, frozen=True, kw_only=True, tag="panel.learning-themes-tagged"
):
    """Themes of the review's learning, so the committee can list reviews by theme."""


class ActionCarriedOver(ActionCarriedOverShape, frozen=True, kw_only=True, tag="panel.action-carried-over"):
    pass


class AgencyContactNamed(DomainEvent, frozen=True, kw_only=True, tag="panel.agency-contact-named"):
    agency: str
    actor_id: str
    named_on: date
    role: Role
    at: datetime


# The events above that kept their free text in plain fields are still read; since
# "-v2" each such text is a sealed `Personal` item saying whom it names (about the child,
# and whoever else the step names) and, when a person's, whose statement it is.


class ScrConsiderationPanelCalledV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-consideration-panel-called-v2"
):
    meeting_on: date
    reasons: Personal
    role: Role
    at: datetime


class ReviewDecidedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.review-decided-v2"):
    meeting_on: date
    chaired_by: Role
    as_scr_consideration_panel: bool
    decision: PanelDecision
    reasons: Personal
    role: Role
    at: datetime


class ScrRecommendedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-recommended-v2"):
    scr_required: bool
    reasons: Personal
    role: Role
    at: datetime


class ScrDecidedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.scr-decided-v2"):
    hold_scr: bool
    reasons: Personal
    role: Role
    at: datetime


class ScrutinyConcludedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.scrutiny-concluded-v2"):
    outcome: ScrutinyOutcome
    reasons: Personal
    role: Role
    at: datetime


class FindingsAgreedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.findings-agreed-v2"):
    findings: tuple[Personal, ...]
    recommendations: tuple[Personal, ...]
    role: Role
    at: datetime


class PublicationDecidedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.publication-decided-v2"):
    publish: bool
    reasons: Personal
    role: Role
    at: datetime


class ActionPlanProgressRecordedV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.action-plan-progress-recorded-v2"
):
    agency: str
    progress: Personal
    role: Role
    at: datetime


class ReportedToQaSubgroupV2(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-qa-subgroup-v2"):
    summary: Personal
    role: Role
    at: datetime


class ReportedToBoardV2(DomainEvent, frozen=True, kw_only=True, tag="panel.reported-to-board-v2"):
    summary: Personal
    role: Role
    at: datetime


class CaseClosedV2(DomainEvent, frozen=True, kw_only=True, tag="panel.case-closed-v2"):
    reasons: Personal
    role: Role
    at: datetime


class PanelConclusionRecordedV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.panel-conclusion-recorded-v2"
):
    conclusion: SealedPanelConclusion
    role: Role
    at: datetime


class ScrTermsOfReferenceAgreedV2(
    DomainEvent, frozen=True, kw_only=True, tag="panel.scr-terms-of-reference-agreed-v2"
):
    methodology: Personal
    scope: tuple[Personal, ...]
    period_from: date
    period_to: date
    report_due: date
    role: Role
    at: datetime


#: Each event type that kept free text in plain fields, and its successor holding it sealed.
SUCCESSORS: dict[str, str] = {
    "panel.panel-conclusion-recorded": "panel.panel-conclusion-recorded-v2",
    "panel.scr-terms-of-reference-agreed": "panel.scr-terms-of-reference-agreed-v2",
    "panel.scr-consideration-panel-called": "panel.scr-consideration-panel-called-v2",
    "panel.review-decided": "panel.review-decided-v2",
    "panel.scr-recommended": "panel.scr-recommended-v2",
    "panel.scr-decided": "panel.scr-decided-v2",
    "panel.scrutiny-concluded": "panel.scrutiny-concluded-v2",
    "panel.findings-agreed": "panel.findings-agreed-v2",
    "panel.publication-decided": "panel.publication-decided-v2",
    "panel.action-plan-progress-recorded": "panel.action-plan-progress-recorded-v2",
    "panel.reported-to-qa-subgroup": "panel.reported-to-qa-subgroup-v2",
    "panel.reported-to-board": "panel.reported-to-board-v2",
    "panel.case-closed": "panel.case-closed-v2",
    # The action plan as a document reference, and since "-v2" as a list of actions.
    "panel.action-plan-circulated": "panel.action-plan-circulated-v2",
}


# -- authority ------------------------------------------------------------------------------


class Step(msgspec.Struct, frozen=True):
    action: str  # words for the refusal message
    roles: tuple[Role, ...]


_HOS: tuple[Role, ...] = (Role.HEAD_OF_SAFEGUARDING,)
_PANEL: tuple[Role, ...] = (Role.LEARNING_PANEL,)
_CHAIR: tuple[Role, ...] = (Role.INDEPENDENT_CHAIR,)
_BOARD: tuple[Role, ...] = (Role.SAFEGUARDING_BOARD,)
_AGENCY: tuple[Role, ...] = (Role.AGENCY_CONTACT,)
_SCR_PANEL: tuple[Role, ...] = (Role.SCR_PANEL,)
_MALR_PANEL: tuple[Role, ...] = (Role.MALR_PANEL,)
_AUDIT: tuple[Role, ...] = (Role.AUDIT_MONITORING_SUBGROUP,)
_QA: tuple[Role, ...] = (Role.QA_SUBGROUP,)
_PDM: tuple[Role, ...] = (Role.PERFORMANCE_DEVELOPMENT_MANAGER,)

#: The authority table of the module docstring, as the code checks it.
STEPS: dict[type[Command], Step] = {
    ReferCase: Step("receiving Referral Form A", _HOS),
    CirculateReferral: Step("circulating the referral to the Panel", _HOS),
    CallScrConsiderationPanel: Step("calling an SCR Consideration Panel", _PANEL),
    # Widened to the Service Director when the Panel sits as SCR Consideration Panel.
    DecideOnReview: Step("the Panel's decision on the level of review", _PANEL),
    RecordPanelConclusion: Step("the Panel's conclusion", _PANEL),
    RequestAgencyReports: Step("requesting agency reports", _HOS),
    SubmitAgencyReport: Step("an agency report", _AGENCY),
    RecommendOnScr: Step("the recommendation on an SCR", (Role.SERVICE_DIRECTOR,)),
    DecideOnScr: Step("the decision whether to hold an SCR", _CHAIR),
    InformOfstedAndNationalPanel: Step("informing Ofsted and the National Panel", _CHAIR),
    ScrutiniseDecision: Step("the scrutiny of a decision not to hold an SCR", (Role.NATIONAL_PANEL,)),
    CommissionIndependentReview: Step("commissioning the independent review", _CHAIR),
    AgreeScrPanel: Step("agreeing the SCR Panel", _CHAIR),
    ChooseReviewMethodology: Step("choosing the review's methodology", _PANEL),
    EndorseReviewMethodology: Step("endorsing the review's methodology", _CHAIR),
    AgreeScrTermsOfReference: Step("the SCR terms of reference", _SCR_PANEL),
    HoldScrPanelMeeting: Step("an SCR Panel meeting", _SCR_PANEL),
    RecordScrInterview: Step("an SCR interview", _SCR_PANEL),
    InviteFamily: Step("inviting the family", _BOARD),
    RequestAgencyChecks: Step("requesting agency checks", _HOS),
    NameAgencyContact: Step("naming an agency's contact", _HOS),
    AnswerAgencyCheck: Step("an agency's answer to the agency check", _AGENCY),
    SubmitChronology: Step("an agency chronology", _AGENCY),
    CirculateReviewPapers: Step(
        "circulating the review's dates, chronology template and terms of reference", _HOS
    ),
    NominateAgencyRepresentative: Step("an agency's representative", _AGENCY),
    CombineChronologies: Step("combining the agency chronologies", _HOS),
    HoldReviewMeeting: Step("a review meeting", (*_HOS, *_MALR_PANEL)),
    AgreeFindings: Step("the findings and recommendations", _MALR_PANEL),
    CompleteReport: Step("the review report", _HOS),
    SignOffReport: Step("the Board's sign-off", _BOARD),
    DecideOnPublication: Step("the publication decision", _BOARD),
    CirculateActionPlan: Step("circulating the action plan", _PDM),
    RecordActionPlanProgress: Step("action plan progress", _AUDIT),
    # Seed 003 flow chart: the Implementation and Training sub-groups disseminate the learning. Neither
    # is a role here: the Learning and Improvement Panel, which they report to, records what they did.
    RecordDisseminationActivity: Step("a dissemination activity", _PANEL),
    RecordDisseminationFeedback: Step("feedback on a dissemination activity", _PANEL),
    TagLearningThemes: Step("tagging the learning's themes", _PANEL),
    RecordActionUpdate: Step("an action's progress", _AUDIT),
    SignOffAction: Step("signing off an action", _AUDIT),
    CarryOverAction: Step("carrying an action over to a named owner", _AUDIT),
    ReportToQaSubgroup: Step("the report to the QA Sub-group", _AUDIT),
    ReportToBoard: Step("the report to the Board", _QA),
    CloseCase: Step("closing the case", _HOS),
    AppointTeamMember: Step("appointing a member of the review's team", _HOS),
    ReleaseTeamMember: Step("releasing a member of the review's team", _HOS),
}


# -- state ------------------------------------------------------------------------------------


class AgencyReport(msgspec.Struct, kw_only=True):
    requested_on: date
    due_on: date
    submitted_on: date | None = None


class AgencyCheck(msgspec.Struct, kw_only=True):
    asked_on: date
    involvement: Involvement | None = None
    answered_on: date | None = None
    chronology: str | None = None  # document reference, once submitted


class PanelCaseState(msgspec.Struct, kw_only=True):
    """Everything a projection needs about the case, without its personal data."""

    referred_on: date | None = None
    referring_agency: str | None = None
    child_subject: str | None = None
    panel_meeting_on: date | None = None
    scr_consideration_panel: bool = False
    decision: PanelDecision | None = None
    decided_on: date | None = None
    # MALR: the Panel's conclusion
    concluded_on: date | None = None
    period_from: date | None = None
    period_to: date | None = None
    chronologies_from: date | None = None
    chronologies_to: date | None = None
    first_meeting_on: date | None = None
    second_meeting_on: date | None = None
    report_due: date | None = None
    # SCR
    scr_recommended: bool | None = None
    hold_scr: bool | None = None  # the Independent Chair's decision
    scr_decided_on: date | None = None
    national_panel_informed_on: date | None = None
    ofsted_informed_on: date | None = None
    scrutiny: ScrutinyOutcome | None = None
    reviewer_commissioned_on: date | None = None
    scr_panel_agencies: tuple[str, ...] = ()
    scr_tor_agreed_on: date | None = None
    scr_report_due: date | None = None
    families_invited: tuple[str, ...] = ()
    agency_reports: dict[str, AgencyReport] = msgspec.field(default_factory=dict)
    methodology: ReviewMethodology | None = None
    in_another_form: bool = False
    methodology_endorsed: bool | None = None  # None: chosen, awaiting the Independent Chair
    scr_panel_meetings: tuple[date, ...] = ()
    scr_interviews: int = 0
    papers_circulated_on: date | None = None
    representatives: dict[str, date] = msgspec.field(default_factory=dict)  # agency -> day nominated
    # MALR
    agencies: dict[str, AgencyCheck] = msgspec.field(default_factory=dict)
    checks_completed_on: date | None = None
    chronologies_combined_on: date | None = None
    meetings_held: tuple[date, ...] = ()
    findings_agreed_on: date | None = None
    action_plan_agencies: tuple[str, ...] = ()
    action_plan_circulated_on: date | None = None
    progress_updates: dict[str, date] = msgspec.field(default_factory=dict)  # latest per agency
    reported_to_qa_on: date | None = None
    reported_to_board_on: date | None = None
    # both routes
    report_form: ReportForm | None = None
    report_on: date | None = None
    signed_off_on: date | None = None
    publish: bool | None = None
    closed_on: date | None = None


class Stage(StrEnum):
    NOT_REFERRED = "no referral yet"
    REFERRED = "referral received"
    AWAITING_PANEL = "awaiting the Learning and Improvement Panel"
    AWAITING_SCR_PANEL = "awaiting the SCR Consideration Panel"
    NO_FURTHER_REVIEW = "no further review"
    SCR_RECOMMENDATION = "SCR: awaiting the Service Director's recommendation"
    SCR_DECISION = "SCR: awaiting the Independent Chair's decision"
    SCR_INFORMING = "SCR: Ofsted and the National Panel to be informed"
    SCR_SCRUTINY = "SCR: decision not to hold under National Panel scrutiny"
    SCR_NOT_HELD = "SCR: not held, upheld by the National Panel"
    SCR_SETTING_UP = "SCR: commissioning the review"
    SCR_UNDER_REVIEW = "SCR: review under way"
    SCR_REPORTED = "SCR: report awaiting sign-off"
    SCR_PUBLICATION = "SCR: publication to be considered"
    SCR_DONE = "SCR: publication decided"
    MALR_SETTING_UP = "MALR: awaiting the Panel's conclusion"
    MALR_AGENCY_CHECKS = "MALR: agency checks and chronologies"
    MALR_MEETINGS = "MALR: review meetings"
    MALR_REPORTING = "MALR: report or case summary"
    MALR_ACTION_PLAN = "MALR: action plan"
    MALR_MONITORING = "MALR: action plan monitored"
    MALR_REPORTED = "MALR: reported to the Board"
    CLOSED = "closed"


class Status(StrEnum):
    NOT_REFERRED = "not referred"
    OPEN = "open"
    UNDER_SCRUTINY = "awaiting National Panel scrutiny"
    CLOSED = "closed"


# -- the aggregate -------------------------------------------------------------------------------


class PanelReview(Aggregate):
    """One case referred to the Learning and Improvement Panel, from referral to closure."""

    kind: ClassVar[str] = "learning and improvement panel case"

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.state = PanelCaseState()
        self.team: dict[str, PanelTeamRole] = {}  # actor id -> part, while on the team
        self.contacts: dict[str, frozenset[str]] = {}  # agency -> actor ids answering for it
        self.plan = ActionPlan(reference, RULE_ACTIONS)
        self.dissemination_activities = 0  # activities recorded, numbered 1, 2, ...
        self.dissemination_feedback: set[int] = set()  # the activities feedback is recorded on
        self.themes: tuple[str, ...] = ()

    # -- derived views ------------------------------------------------------------

    @property
    def branch(self) -> str | None:
        """ "scr" or "malr" once the Panel has chosen a route; otherwise None."""
        return {PanelDecision.SCR_CRITERIA_MET: "scr", PanelDecision.MALR: "malr"}.get(
            self.state.decision or PanelDecision.NO_FURTHER_REVIEW
        )

    @property
    def closed(self) -> bool:
        return self.state.closed_on is not None

    @property
    def under_scrutiny(self) -> bool:
        """A decision not to hold an SCR, told to the National Panel, not yet scrutinised."""
        s = self.state
        return s.hold_scr is False and s.national_panel_informed_on is not None and s.scrutiny is None

    @property
    def scr_held(self) -> bool:
        """An SCR is to be held: decided by the Independent Chair, or overturned into one."""
        return self.state.hold_scr is True or self.state.scrutiny is ScrutinyOutcome.OVERTURNED

    @property
    def agency_checks_complete(self) -> bool:
        agencies = self.state.agencies
        return bool(agencies) and all(a.involvement is not None for a in agencies.values())

    @property
    def status(self) -> Status:
        if self.version == 0:
            return Status.NOT_REFERRED
        if self.closed:
            return Status.CLOSED
        return Status.UNDER_SCRUTINY if self.under_scrutiny else Status.OPEN

    @property
    def stage(self) -> Stage:
        """Where the case stands, in the procedure's words."""
        return self._progress()[0]

    def obligations(self) -> list[Obligation]:
        """What the procedure still needs, and from whom, as the case stands."""
        return self._progress()[1]

    def _progress(self) -> tuple[Stage, list[Obligation]]:
        s = self.state
        if self.version == 0:
            return Stage.NOT_REFERRED, []
        if self.closed:
            return Stage.CLOSED, []
        close = [_owe("close the case", _HOS, RULE_ORDER)]
        if s.decision is None:
            if s.panel_meeting_on is None:
                return Stage.REFERRED, [_owe("circulate the referral to the Panel", _HOS, RULE_ORDER)]
            stage, deciders = Stage.AWAITING_PANEL, _PANEL
            if s.scr_consideration_panel:
                stage, deciders = Stage.AWAITING_SCR_PANEL, (Role.SERVICE_DIRECTOR, *_PANEL)
            decide = "decide: SCR criteria met, MALR, or no further review"
            return stage, [_owe(decide, deciders, RULE_ONE_DECISION, s.panel_meeting_on)]
        if s.decision is PanelDecision.NO_FURTHER_REVIEW:
            return Stage.NO_FURTHER_REVIEW, close
        if s.decision is PanelDecision.MALR:
            steps, done = self._malr_steps(), Stage.MALR_REPORTED
        else:
            steps, done = self._scr_steps(), Stage.SCR_DONE
        for stage, outstanding, owed in steps:
            if outstanding:
                return stage, owed
        return done, close

    def _scr_steps(self) -> list[tuple[Stage, bool, list[Obligation]]]:
        """The SCR route in order: (stage, still outstanding?, what is owed then)."""
        s = self.state
        sd, np = (Role.SERVICE_DIRECTOR,), (Role.NATIONAL_PANEL,)
        reports = [
            _owe(f"{name}: submit the agency report", _AGENCY, RULE_AGENCY_REPORTS, r.due_on)
            for name, r in s.agency_reports.items()
            if r.submitted_on is None
        ]
        if not s.agency_reports:
            reports = [_owe("request agency reports", _HOS, RULE_AGENCY_REPORTS)]
        if s.methodology is None or s.methodology_endorsed is False:
            method = [_owe("choose the review's methodology", _PANEL, RULE_METHODOLOGY)]
        else:
            method = [_owe("endorse the review's methodology", _CHAIR, RULE_METHODOLOGY)]
        return [
            (
                Stage.SCR_RECOMMENDATION,
                s.scr_recommended is None,
                [*reports, _owe("recommend to the Independent Chair", sd, RULE_SCR_DECISION)],
            ),
            (
                Stage.SCR_DECISION,
                s.hold_scr is None,
                [_owe("decide whether to hold an SCR", _CHAIR, RULE_SCR_DECISION)],
            ),
            (
                Stage.SCR_INFORMING,
                s.national_panel_informed_on is None,
                [_owe("inform Ofsted and the National Panel", _CHAIR, RULE_SCRUTINY)],
            ),
            (
                Stage.SCR_SCRUTINY,
                self.under_scrutiny,
                [_owe("scrutinise the decision not to hold an SCR", np, RULE_SCRUTINY)],
            ),
            (Stage.SCR_NOT_HELD, not self.scr_held, [_owe("close the case", _HOS, RULE_ORDER)]),
            (
                Stage.SCR_SETTING_UP,
                s.reviewer_commissioned_on is None,
                [_owe("commission the independent review", _CHAIR, RULE_ORDER)],
            ),
            (
                Stage.SCR_SETTING_UP,
                not s.scr_panel_agencies,
                [_owe("agree the SCR Panel", _CHAIR, RULE_ORDER)],
            ),
            (Stage.SCR_SETTING_UP, s.methodology_endorsed is not True, method),
            (
                Stage.SCR_SETTING_UP,
                s.scr_tor_agreed_on is None,
                [_owe("agree the terms of reference", _SCR_PANEL, RULE_SCR_TIMESCALES)],
            ),
            (
                Stage.SCR_UNDER_REVIEW,
                not s.scr_panel_meetings,
                [_owe("hold an SCR Panel meeting", _SCR_PANEL, RULE_SCR_TIMESCALES, s.scr_report_due)],
            ),
            (
                Stage.SCR_UNDER_REVIEW,
                s.report_on is None,
                [_owe("complete the report", _HOS, RULE_SCR_TIMESCALES, s.scr_report_due)],
            ),
            (
                Stage.SCR_REPORTED,
                s.signed_off_on is None,
                [_owe("sign off the report", _BOARD, RULE_SIGN_OFF)],
            ),
            (
                Stage.SCR_PUBLICATION,
                s.publish is None,
                [_owe("consider publication", _BOARD, RULE_ORDER)],
            ),
        ]

    def _malr_steps(self) -> list[tuple[Stage, bool, list[Obligation]]]:
        """The MALR route in order: (stage, still outstanding?, what is owed then)."""
        s = self.state
        first = s.first_meeting_on
        # While the checks run, every agency owes its answer and, if involved, its chronology.
        agencies = (
            [
                _owe(f"name who answers for {name}", _HOS, RULE_AGENCY_CHECKS, first)
                for name, check in s.agencies.items()
                if check.involvement is None and not self.contacts.get(name)
            ]
            + [
                _owe(f"{name}: state involvement or none", _AGENCY, RULE_AGENCY_CHECKS, first)
                for name, check in s.agencies.items()
                if check.involvement is None
            ]
            + [
                _owe(f"{name}: submit the chronology", _AGENCY, RULE_CHRONOLOGIES, first)
                for name, check in s.agencies.items()
                if check.involvement is Involvement.INVOLVED and check.chronology is None
            ]
        )
        combine = [_owe("combine the chronologies", _HOS, RULE_CHRONOLOGIES, first)]
        papers = (
            [
                _owe(
                    "circulate the dates, chronology template and terms of reference",
                    _HOS,
                    RULE_PAPERS,
                    first,
                )
            ]
            if s.papers_circulated_on is None
            else []
        )
        representatives = [
            _owe(f"{name}: nominate a representative", _AGENCY, RULE_REPRESENTATIVES, first)
            for name, check in s.agencies.items()
            if check.involvement is Involvement.INVOLVED and name not in s.representatives
        ]
        return [
            (
                Stage.MALR_SETTING_UP,
                s.concluded_on is None,
                [_owe("record the Panel's conclusion", _PANEL, RULE_PANEL_TIMESCALES)],
            ),
            (
                Stage.MALR_AGENCY_CHECKS,
                not s.agencies,
                [_owe("request the agency checks", _HOS, RULE_AGENCY_CHECKS, first)],
            ),
            (
                Stage.MALR_AGENCY_CHECKS,
                s.chronologies_combined_on is None,
                [*papers, *(agencies or combine), *representatives],
            ),
            (
                Stage.MALR_MEETINGS,
                not s.meetings_held,
                [*papers, *representatives, _owe("hold the 1st meeting", _HOS, RULE_MEETINGS, first)],
            ),
            (
                Stage.MALR_MEETINGS,
                s.findings_agreed_on is None,
                [_owe("agree findings and recommendations", _MALR_PANEL, RULE_MEETINGS)],
            ),
            (
                Stage.MALR_REPORTING,
                s.report_on is None,
                [_owe("prepare the report or case summary", _HOS, RULE_ORDER, s.report_due)],
            ),
            (
                Stage.MALR_ACTION_PLAN,
                s.action_plan_circulated_on is None,
                [_owe("circulate the action plan", _PDM, RULE_ORDER)],
            ),
            (
                Stage.MALR_MONITORING,
                not s.progress_updates,
                [_owe("monitor the action plan's progress", _AUDIT, RULE_ORDER)],
            ),
            (
                Stage.MALR_MONITORING,
                s.reported_to_qa_on is None,
                [_owe("report progress to the QA Sub-group", _AUDIT, RULE_ORDER)],
            ),
            (
                Stage.MALR_MONITORING,
                s.reported_to_board_on is None,
                [_owe("report the findings to the Board", _QA, RULE_ORDER)],
            ),
            (Stage.MALR_MONITORING, bool(self.plan.open_actions()), self.plan.obligations(_AUDIT, _AUDIT)),
        ]

    def timescales(self) -> list[Timescale]:
        """The timescales the Panel (and, for an SCR, the SCR Panel) set, as they stand."""
        s = self.state
        found: list[Timescale] = []
        if s.referred_on is not None:
            found.append(
                Timescale(
                    name="considered at the next bi-monthly Panel meeting",
                    rule=RULE_BIMONTHLY,
                    started=s.referred_on,
                    due=add_months(s.referred_on, 2),
                    completed=s.decided_on,
                )
            )
        if s.concluded_on is not None and s.first_meeting_on is not None:
            set_on, first = s.concluded_on, s.first_meeting_on
            held = s.meetings_held
            found += [
                Timescale(
                    name="agency checks answered before the 1st meeting",
                    rule=RULE_AGENCY_CHECKS,
                    started=set_on,
                    due=first,
                    completed=s.checks_completed_on,
                ),
                Timescale(
                    name="chronologies combined before the 1st meeting",
                    rule=RULE_CHRONOLOGIES,
                    started=set_on,
                    due=first,
                    completed=s.chronologies_combined_on,
                ),
                Timescale(
                    name="1st meeting on the date the Panel set",
                    rule=RULE_PANEL_TIMESCALES,
                    started=set_on,
                    due=first,
                    completed=held[0] if held else None,
                ),
            ]
            if s.second_meeting_on is not None:
                found.append(
                    Timescale(
                        name="2nd meeting on the date the Panel set",
                        rule=RULE_PANEL_TIMESCALES,
                        started=set_on,
                        due=s.second_meeting_on,
                        completed=held[1] if len(held) > 1 else None,
                    )
                )
            if s.report_due is not None:
                found.append(
                    Timescale(
                        name="report or case summary by the date the Panel set",
                        rule=RULE_PANEL_TIMESCALES,
                        started=set_on,
                        due=s.report_due,
                        completed=s.report_on,
                    )
                )
        for name, report in s.agency_reports.items():
            found.append(
                Timescale(
                    name=f"agency report from {name} by the date the Head of Safeguarding set",
                    rule=RULE_AGENCY_REPORTS,
                    started=report.requested_on,
                    due=report.due_on,
                    completed=report.submitted_on,
                )
            )
        if s.concluded_on is not None and s.first_meeting_on is not None and s.agencies:
            found.append(
                Timescale(
                    name="dates, chronology template and terms of reference circulated before the 1st meeting",
                    rule=RULE_PAPERS,
                    started=s.concluded_on,
                    due=s.first_meeting_on,
                    completed=s.papers_circulated_on,
                )
            )
            for name, check in s.agencies.items():
                if check.involvement is Involvement.INVOLVED and check.answered_on is not None:
                    found.append(
                        Timescale(
                            name=f"{name} nominates its representative before the 1st meeting",
                            rule=RULE_REPRESENTATIVES,
                            started=check.answered_on,
                            due=max(s.first_meeting_on, check.answered_on),
                            completed=s.representatives.get(name),
                        )
                    )
        found += self.plan.clocks()
        if s.scr_tor_agreed_on is not None and s.scr_report_due is not None:
            found.append(
                Timescale(
                    name="SCR report within the timescale the SCR Panel agreed",
                    rule=RULE_SCR_TIMESCALES,
                    started=s.scr_tor_agreed_on,
                    due=s.scr_report_due,
                    completed=s.report_on,
                )
            )
        return found

    # -- commands: referral and the Panel -------------------------------------------------

    @handles(ReferCase)
    def refer_case(self, command: ReferCase, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._open()
        if self.version:
            self._refuse("this case has already been referred", RULE_ORDER)
        form = seal_referral(command)
        self._record(CaseReferred(form=form, role=role, at=at))

    @handles(AppointTeamMember)
    def appoint_team_member(self, command: AppointTeamMember, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        require_text("actor_id", command.actor_id)
        if command.actor_id in self.team:
            self._refuse(f"{command.actor_id} is already on the review's team", RULE_TEAM)
        _not_before("appointed_on", command.appointed_on, s.referred_on, "the referral")
        self._record(
            TeamMemberAppointed(
                actor_id=command.actor_id,
                team_role=command.team_role,
                appointed_on=command.appointed_on,
                role=role,
                at=at,
            )
        )

    @handles(ReleaseTeamMember)
    def release_team_member(self, command: ReleaseTeamMember, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        if command.actor_id not in self.team:
            self._refuse(f"{command.actor_id} is not on the review's team", RULE_TEAM)
        _not_before("released_on", command.released_on, s.referred_on, "the referral")
        self._record(
            TeamMemberReleased(actor_id=command.actor_id, released_on=command.released_on, role=role, at=at)
        )

    @handles(CirculateReferral)
    def circulate_referral(self, command: CirculateReferral, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        if s.panel_meeting_on is not None:
            self._refuse("the referral has already been circulated to the Panel", RULE_ORDER)
        _not_before("meeting_on", command.meeting_on, s.referred_on, "the referral")
        self._record(
            ReferralCirculated(meeting_on=command.meeting_on, scr_likely=command.scr_likely, role=role, at=at)
        )

    @handles(CallScrConsiderationPanel)
    def call_scr_consideration_panel(
        self, command: CallScrConsiderationPanel, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._awaiting_decision()
        # seed 003, Chair arrangements: "This Panel may recommend that a SCR consideration panel is held."
        if s.scr_consideration_panel:
            self._refuse("the case is already before an SCR Consideration Panel", RULE_SCR_CHAIR)
        require_text("reasons", command.reasons)
        _not_before("meeting_on", command.meeting_on, s.panel_meeting_on, "the Panel meeting")
        self._record(
            ScrConsiderationPanelCalledV2(
                meeting_on=command.meeting_on,
                reasons=self._text(command, "reasons", command.reasons),
                role=role,
                at=at,
            )
        )

    @handles(DecideOnReview)
    def decide_on_review(self, command: DecideOnReview, by: Acting, at: datetime) -> None:
        s = self.state
        # seed 003, Chair arrangements: the Service Director chairs an SCR Consideration Panel.
        extra = (Role.SERVICE_DIRECTOR,) if s.scr_consideration_panel else ()
        role = self._authorise(command, by, extra)
        self._awaiting_decision()
        if command.decision is PanelDecision.SCR_CRITERIA_MET and not s.scr_consideration_panel:
            self._refuse(
                "only an SCR Consideration Panel chaired by the Service Director can find the SCR "
                "criteria met; call one first",
                RULE_SCR_CHAIR,
            )
        require_text("reasons", command.reasons)
        _not_before("meeting_on", command.meeting_on, s.panel_meeting_on, "the Panel meeting")
        chair = Role.SERVICE_DIRECTOR if s.scr_consideration_panel else Role.HEAD_OF_SAFEGUARDING
        self._record(
            ReviewDecidedV2(
                meeting_on=command.meeting_on,
                chaired_by=chair,
                as_scr_consideration_panel=s.scr_consideration_panel,
                decision=command.decision,
                reasons=self._text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(RecordPanelConclusion)
    def record_panel_conclusion(self, command: RecordPanelConclusion, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.MALR)
        if s.concluded_on is not None:
            self._refuse("the Panel's conclusion is already recorded", RULE_ORDER)
        _not_before("concluded_on", command.concluded_on, s.decided_on, "the Panel's decision")
        about = tuple(dict.fromkeys((*self._child(), *checked_ids("about", command.about))))
        conclusion = seal_conclusion(command, PanelDecision.MALR, about)
        self._record(PanelConclusionRecordedV2(conclusion=conclusion, role=role, at=at))

    # -- commands: the SCR route ----------------------------------------------------------

    @handles(RecommendOnScr)
    def recommend_on_scr(self, command: RecommendOnScr, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        if s.scr_recommended is not None:
            self._refuse("the Service Director has already made a recommendation", RULE_SCR_DECISION)
        if not s.agency_reports:
            self._refuse(
                "the Head of Safeguarding requests agency reports before the recommendation",
                RULE_AGENCY_REPORTS,
            )
        require_text("reasons", command.reasons)
        self._record(
            ScrRecommendedV2(
                scr_required=command.scr_required,
                reasons=self._text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(DecideOnScr)
    def decide_on_scr(self, command: DecideOnScr, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        # seed 003, Referrals: the Independent Chair decides on the Service Director's recommendation.
        if s.scr_recommended is None:
            self._refuse(
                "the Independent Chair decides only after the Service Director's recommendation",
                RULE_SCR_DECISION,
            )
        if s.hold_scr is not None:
            self._refuse("the Independent Chair has already decided", RULE_SCR_DECISION)
        require_text("reasons", command.reasons)
        reasons = self._text(command, "reasons", command.reasons, Nature.OPINION)
        self._record(ScrDecidedV2(hold_scr=command.hold_scr, reasons=reasons, role=role, at=at))

    @handles(InformOfstedAndNationalPanel)
    def inform_ofsted_and_national_panel(
        self, command: InformOfstedAndNationalPanel, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        # seed 003, Referrals: "The Independent Chair will inform Ofsted and the SCR National Panel".
        if s.hold_scr is None:
            self._refuse("there is no SCR decision to tell Ofsted and the National Panel of", RULE_ORDER)
        if s.national_panel_informed_on is not None:
            self._refuse("Ofsted and the National Panel have already been informed", RULE_ORDER)
        decided = s.scr_decided_on
        _not_before("ofsted_informed_on", command.ofsted_informed_on, decided, "the decision")
        _not_before("national_panel_informed_on", command.national_panel_informed_on, decided, "the decision")
        self._record(
            OfstedAndNationalPanelInformed(
                hold_scr=bool(s.hold_scr),
                ofsted_informed_on=command.ofsted_informed_on,
                national_panel_informed_on=command.national_panel_informed_on,
                role=role,
                at=at,
            )
        )

    @handles(ScrutiniseDecision)
    def scrutinise_decision(self, command: ScrutiniseDecision, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        # seed 003, Referrals: "A decision not to hold a SCR will be subject to scrutiny by the
        # National Panel and the initial decision may be overturned" - only that decision, only once.
        if s.hold_scr is not False:
            self._refuse(
                "only a decision not to hold an SCR is scrutinised by the National Panel",
                RULE_SCRUTINY,
            )
        if s.scrutiny is not None:
            self._refuse("the National Panel has already concluded its scrutiny", RULE_SCRUTINY)
        if not self.under_scrutiny:
            self._refuse(
                "the decision is not under scrutiny until the National Panel has been informed of it",
                RULE_SCRUTINY,
            )
        require_text("reasons", command.reasons)
        reasons = self._text(command, "reasons", command.reasons, Nature.OPINION)
        self._record(ScrutinyConcludedV2(outcome=command.outcome, reasons=reasons, role=role, at=at))

    @handles(CommissionIndependentReview)
    def commission_independent_review(
        self, command: CommissionIndependentReview, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.reviewer_commissioned_on is not None:
            self._refuse("the independent review has already been commissioned", RULE_ORDER)
        require_subject("reviewer_subject", command.reviewer_subject)
        require_text("reviewer_name", command.reviewer_name)
        reviewer = personal(command.reviewer_name, command.reviewer_subject, kind=ItemKind.NAME)
        self._record(IndependentReviewCommissioned(reviewer=reviewer, lead=command.lead, role=role, at=at))

    @handles(AgreeScrPanel)
    def agree_scr_panel(self, command: AgreeScrPanel, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.reviewer_commissioned_on is None:
            self._refuse("commission the independent review before agreeing the SCR Panel", RULE_ORDER)
        if s.scr_panel_agencies:
            self._refuse("the SCR Panel has already been agreed", RULE_ORDER)
        require_texts("agencies", command.agencies)
        self._record(ScrPanelAgreed(agencies=command.agencies, role=role, at=at))

    @handles(AgreeScrTermsOfReference)
    def agree_scr_terms_of_reference(
        self, command: AgreeScrTermsOfReference, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        # seed 003, flow chart: methodology, timescales and terms of reference "agreed by SCR Panel".
        if not s.scr_panel_agencies:
            self._refuse("the SCR Panel agrees the terms of reference: agree it first", RULE_ORDER)
        if s.scr_tor_agreed_on is not None:
            self._refuse("the SCR terms of reference are already agreed", RULE_ORDER)
        if s.methodology_endorsed is not True:
            self._refuse(
                "the terms of reference follow a methodology chosen by the Learning and Improvement Panel "
                "and endorsed by the Independent Chair",
                RULE_METHODOLOGY,
            )
        require_text("methodology", command.methodology)
        require_texts("scope", command.scope)
        if command.period_from > command.period_to:
            raise InvalidInput("period_to", "the period under review must end after it starts")
        _not_before("report_due", command.report_due, at.date(), "today")
        self._record(
            ScrTermsOfReferenceAgreedV2(
                methodology=self._text(command, "methodology", command.methodology),
                scope=tuple(self._text(command, "scope", item) for item in command.scope),
                period_from=command.period_from,
                period_to=command.period_to,
                report_due=command.report_due,
                role=role,
                at=at,
            )
        )

    @handles(InviteFamily)
    def invite_family(self, command: InviteFamily, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._not_malr("families are not invited to take part in a Multi-Agency Learning Review")
        s = self._scr_being_held()
        if not command.family_members:
            raise InvalidInput("family_members", "must name at least one")
        for subject in command.family_members:
            require_subject("family_members", subject)
        again = set(command.family_members) & set(s.families_invited)
        if again or len(set(command.family_members)) != len(command.family_members):
            self._refuse("each family member is invited once", RULE_ORDER)
        self._record(FamilyInvited(family_members=command.family_members, role=role, at=at))

    # -- commands: the MALR route ---------------------------------------------------------

    @handles(RequestAgencyChecks)
    def request_agency_checks(self, command: RequestAgencyChecks, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.chronologies_combined_on is not None:
            self._refuse("the chronologies are already combined", RULE_CHRONOLOGIES)
        require_texts("agencies", command.agencies)
        already = sorted(set(command.agencies) & set(s.agencies))
        if already:
            self._refuse(f"already asked: {', '.join(already)}", RULE_AGENCY_CHECKS)
        self._record(AgencyChecksRequested(agencies=command.agencies, role=role, at=at))

    @handles(RequestAgencyReports)
    def request_agency_reports(self, command: RequestAgencyReports, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        if s.scr_recommended is not None:
            self._refuse(
                "agency reports are requested before the recommendation on an SCR", RULE_AGENCY_REPORTS
            )
        require_texts("agencies", command.agencies)
        already = sorted(set(command.agencies) & set(s.agency_reports))
        if already:
            self._refuse(f"already asked for a report: {', '.join(already)}", RULE_AGENCY_REPORTS)
        _not_before("requested_on", command.requested_on, s.decided_on, "the Panel's decision")
        _not_before("due_on", command.due_on, command.requested_on, "the request")
        self._record(
            AgencyReportsRequested(
                agencies=command.agencies,
                requested_on=command.requested_on,
                due_on=command.due_on,
                role=role,
                at=at,
            )
        )

    @handles(SubmitAgencyReport)
    def submit_agency_report(self, command: SubmitAgencyReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        report = s.agency_reports.get(command.agency)
        if report is None:
            self._refuse(f"{command.agency} was not asked for an agency report", RULE_AGENCY_REPORTS)
        self._require_contact(command.agency, by, "submitting an agency report")
        if report.submitted_on is not None:
            self._refuse(f"{command.agency}'s agency report is already in", RULE_AGENCY_REPORTS)
        require_text("document", command.document)
        _not_before("submitted_on", command.submitted_on, report.requested_on, "the request")
        self._record(
            AgencyReportSubmitted(
                agency=command.agency,
                document=command.document,
                submitted_on=command.submitted_on,
                role=role,
                at=at,
            )
        )

    @handles(ChooseReviewMethodology)
    def choose_review_methodology(self, command: ChooseReviewMethodology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.scr_tor_agreed_on is not None:
            self._refuse("the terms of reference are already agreed on a methodology", RULE_METHODOLOGY)
        if s.methodology is not None and s.methodology_endorsed is not False:
            self._refuse(
                "a methodology is already chosen: the Independent Chair endorses it, or not, first",
                RULE_METHODOLOGY,
            )
        self._record(
            ReviewMethodologyChosen(
                methodology=command.methodology,
                in_another_form=command.in_another_form,
                chosen_on=command.chosen_on,
                reasons=self._text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(EndorseReviewMethodology)
    def endorse_review_methodology(self, command: EndorseReviewMethodology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.methodology is None or s.methodology_endorsed is not None:
            self._refuse(
                "there is no methodology awaiting the Independent Chair's endorsement", RULE_METHODOLOGY
            )
        self._record(
            ReviewMethodologyEndorsed(
                endorsed=command.endorsed,
                decided_on=command.decided_on,
                reasons=self._text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(HoldScrPanelMeeting)
    def hold_scr_panel_meeting(self, command: HoldScrPanelMeeting, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_conducted(by, "recording an SCR Panel meeting")
        if s.scr_panel_meetings:
            _not_before("held_on", command.held_on, s.scr_panel_meetings[-1], "the last SCR Panel meeting")
        require_texts("agencies_attending", command.agencies_attending)
        self._record(
            ScrPanelMeetingHeld(
                held_on=command.held_on,
                agencies_attending=command.agencies_attending,
                minutes=self._text(command, "minutes", command.minutes),
                role=role,
                at=at,
            )
        )

    @handles(RecordScrInterview)
    def record_scr_interview(self, command: RecordScrInterview, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._scr_conducted(by, "recording an SCR interview")
        require_subject("interviewee", command.interviewee)
        interviewee = command.interviewee
        require_text("agency", command.agency)
        require_text("notes", command.notes)
        about = dict.fromkeys((*self._child(), interviewee, *checked_ids("about", command.about)))
        by_whom = None if command.by is None else checked_ids("by", (command.by,))[0]
        notes = personal(command.notes, *about, kind=ItemKind.NARRATIVE, by=by_whom)
        self._record(
            ScrInterviewRecorded(
                held_on=command.held_on,
                interviewee=interviewee,
                agency=command.agency,
                notes=notes,
                role=role,
                at=at,
            )
        )

    @handles(CirculateReviewPapers)
    def circulate_review_papers(self, command: CirculateReviewPapers, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        self._require_on_team(by, "circulating the review's papers")
        if not s.agencies:
            self._refuse("the papers go to the agencies asked: request the agency checks first", RULE_PAPERS)
        if s.papers_circulated_on is not None:
            self._refuse("the review's papers are already circulated", RULE_PAPERS)
        require_text("chronology_template", command.chronology_template)
        require_text("terms_of_reference", command.terms_of_reference)
        require_texts("agencies", command.agencies)
        not_asked = sorted(set(command.agencies) - set(s.agencies))
        if not_asked:
            self._refuse(f"not asked for an agency check: {', '.join(not_asked)}", RULE_PAPERS)
        _not_before("circulated_on", command.circulated_on, s.concluded_on, "the Panel's conclusion")
        self._record(
            ReviewPapersCirculated(
                circulated_on=command.circulated_on,
                chronology_template=command.chronology_template,
                terms_of_reference=command.terms_of_reference,
                agencies=command.agencies,
                role=role,
                at=at,
            )
        )

    @handles(NominateAgencyRepresentative)
    def nominate_agency_representative(
        self, command: NominateAgencyRepresentative, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        check = self._asked(command.agency)
        self._require_contact(command.agency, by, "nominating a representative")
        if check.involvement is not Involvement.INVOLVED:
            self._refuse(
                f"a contributing agency nominates a representative; {command.agency} has not stated involvement",
                RULE_REPRESENTATIVES,
            )
        if command.agency in self.state.representatives:
            self._refuse(f"{command.agency} has already nominated its representative", RULE_REPRESENTATIVES)
        require_subject("representative_subject", command.representative_subject)
        subject = command.representative_subject
        require_text("representative_name", command.representative_name)
        self._record(
            AgencyRepresentativeNominated(
                agency=command.agency,
                representative_subject=subject,
                representative_name=personal(command.representative_name, subject, kind=ItemKind.NAME),
                nominated_on=command.nominated_on,
                role=role,
                at=at,
            )
        )

    @handles(NameAgencyContact)
    def name_agency_contact(self, command: NameAgencyContact, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        name_contact(self.contacts, command.agency, command.actor_id)
        if command.agency not in self._agencies_asked():
            self._refuse(f"{command.agency} has not been asked for anything in this case", RULE_AGENCY_CHECKS)
        _not_before("named_on", command.named_on, s.referred_on, "the referral")
        self._record(
            AgencyContactNamed(
                agency=command.agency, actor_id=command.actor_id, named_on=command.named_on, role=role, at=at
            )
        )

    @handles(AnswerAgencyCheck)
    def answer_agency_check(self, command: AnswerAgencyCheck, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        check = self._asked(command.agency)
        self._require_contact(command.agency, by, "answering the agency check")
        if check.involvement is not None:
            self._refuse(f"{command.agency} has already answered the agency check", RULE_AGENCY_CHECKS)
        self._record(
            AgencyCheckAnswered(agency=command.agency, involvement=command.involvement, role=role, at=at)
        )

    @handles(SubmitChronology)
    def submit_chronology(self, command: SubmitChronology, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        check = self._asked(command.agency)
        self._require_contact(command.agency, by, "submitting a chronology")
        s = self.state
        # seed 003, Process for MALR: "Agencies who are involved will be asked to complete a chronology".
        if check.involvement is not Involvement.INVOLVED:
            self._refuse(
                f"only an agency that has stated involvement submits a chronology; {command.agency} has not",
                RULE_CHRONOLOGIES,
            )
        if check.chronology is not None or s.chronologies_combined_on is not None:
            self._refuse(f"{command.agency}'s chronology is already in", RULE_CHRONOLOGIES)
        require_text("document", command.document)
        assert s.chronologies_from is not None  # set with the Panel's conclusion
        assert s.chronologies_to is not None
        # Conclusion form: "Chronologies will be required from agencies to cover those dates."
        if command.covers_from > s.chronologies_from or command.covers_to < s.chronologies_to:
            self._refuse(
                f"the chronology must cover {s.chronologies_from.isoformat()} to "
                f"{s.chronologies_to.isoformat()}, the dates the Panel set",
                RULE_CHRONOLOGIES,
            )
        self._record(
            ChronologySubmitted(
                agency=command.agency,
                document=command.document,
                covers_from=command.covers_from,
                covers_to=command.covers_to,
                role=role,
                at=at,
            )
        )

    @handles(CombineChronologies)
    def combine_chronologies(self, command: CombineChronologies, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.chronologies_combined_on is not None:
            self._refuse("the chronologies are already combined", RULE_CHRONOLOGIES)
        if not s.agencies:
            self._refuse("no agency checks have been requested yet", RULE_AGENCY_CHECKS)
        # seed 003, Process for MALR: the checks are complete only when every agency asked answered.
        waiting = sorted(name for name, c in s.agencies.items() if c.involvement is None)
        if waiting:
            self._refuse(
                f"the agency checks are not complete: no answer yet from {', '.join(waiting)}",
                RULE_AGENCY_CHECKS,
            )
        involved = tuple(n for n, c in s.agencies.items() if c.involvement is Involvement.INVOLVED)
        missing = sorted(n for n in involved if s.agencies[n].chronology is None)
        if missing:
            self._refuse(f"no chronology yet from {', '.join(missing)}", RULE_CHRONOLOGIES)
        if not involved:
            self._refuse("no agency stated involvement, so there is nothing to combine", RULE_CHRONOLOGIES)
        require_text("document", command.document)
        self._record(ChronologiesCombined(document=command.document, agencies=involved, role=role, at=at))

    @handles(HoldReviewMeeting)
    def hold_review_meeting(self, command: HoldReviewMeeting, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        self._require_on_team(by, "recording a review meeting")
        # The combined chronologies are "the skeleton of the review": no meeting before them.
        if s.chronologies_combined_on is None:
            self._refuse("the review meets once the chronologies are combined", RULE_CHRONOLOGIES)
        if s.papers_circulated_on is None:
            self._refuse(
                "the dates, chronology template and terms of reference are circulated before the review meets",
                RULE_PAPERS,
            )
        if s.findings_agreed_on is not None:
            self._refuse("the findings are already agreed", RULE_MEETINGS)
        expected = len(s.meetings_held) + 1
        if expected > 2:
            self._refuse("an MALR has at most two meetings", RULE_MEETINGS)
        if command.number != expected:
            self._refuse(f"the next meeting is meeting {expected}", RULE_MEETINGS)
        if s.meetings_held:
            _not_before("held_on", command.held_on, s.meetings_held[-1], "the 1st meeting")
        require_texts("agencies_attending", command.agencies_attending)
        self._record(
            ReviewMeetingHeld(
                number=command.number,
                held_on=command.held_on,
                agencies_attending=command.agencies_attending,
                role=role,
                at=at,
            )
        )

    @handles(AgreeFindings)
    def agree_findings(self, command: AgreeFindings, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if not s.meetings_held:
            self._refuse("findings are agreed at a review meeting; none has been held", RULE_MEETINGS)
        if s.findings_agreed_on is not None:
            self._refuse("the findings are already agreed", RULE_ORDER)
        require_texts("findings", command.findings)
        require_texts("recommendations", command.recommendations)
        self._record(
            FindingsAgreedV2(
                findings=tuple(self._text(command, "findings", f, Nature.OPINION) for f in command.findings),
                recommendations=tuple(
                    self._text(command, "recommendations", r) for r in command.recommendations
                ),
                role=role,
                at=at,
            )
        )

    @handles(CirculateActionPlan)
    def circulate_action_plan(self, command: CirculateActionPlan, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.report_on is None:
            self._refuse("the action plan follows the report or case summary", RULE_ORDER)
        if s.action_plan_circulated_on is not None:
            self._refuse("the action plan has already been circulated", RULE_ORDER)
        require_text("document", command.document)
        require_texts("agencies", command.agencies)
        if not command.actions:
            self._refuse(
                "the multi-agency action plan lists its actions, each with its agency, owner and due date",
                RULE_ACTIONS,
            )
        ids = [a.action_id.strip() for a in command.actions]
        if len(set(ids)) != len(ids) or not all(ids):
            raise InvalidInput("actions.action_id", "each action needs its own non-empty id")
        circulated_on = command.circulated_on or at.date()
        actions = []
        for answer in command.actions:
            if answer.agency not in command.agencies:
                raise InvalidInput(
                    "actions.agency", f"{answer.agency} is not among the agencies the plan goes to"
                )
            require_subject("actions.owner_subject", answer.owner_subject)
            require_text("actions.owner_name", answer.owner_name)
            _not_before("actions.due_on", answer.due_on, circulated_on, "the plan is circulated")
            actions.append(
                PlannedAction(
                    action_id=answer.action_id,
                    agency=answer.agency,
                    description=self._text(command, "actions.description", answer.description),
                    owner_subject=answer.owner_subject,
                    owner_name=personal(answer.owner_name, answer.owner_subject, kind=ItemKind.NAME),
                    due_on=answer.due_on,
                )
            )
        self._record(
            ActionPlanCirculatedV2(
                document=command.document,
                agencies=command.agencies,
                actions=tuple(actions),
                circulated_on=circulated_on,
                role=role,
                at=at,
            )
        )

    @handles(RecordActionUpdate)
    def record_action_update(self, command: RecordActionUpdate, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._malr_set_up()
        action = self.plan.require(command.action_id)
        if action.status is ActionStatus.COMPLETE:
            self._refuse(f"action {command.action_id} is already complete", RULE_ACTIONS)
        if action.carried_over_to is not None:
            self._refuse(f"action {command.action_id} was carried over to its new owner", RULE_ACTIONS)
        require_text("progress", command.progress)
        self._record(
            ActionUpdateRecorded(
                action_id=command.action_id,
                agency=action.agency,
                status=command.status,
                recorded_on=command.recorded_on,
                progress=self._text(command, "progress", command.progress),
                evidence=tuple(e.strip() for e in command.evidence if e.strip()),
                role=role,
                at=at,
            )
        )

    @handles(SignOffAction)
    def sign_off_action(self, command: SignOffAction, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._malr_set_up()
        self.plan.require_sign_off(command)
        comments = command.comments.strip()
        self._record(
            ActionSignedOff(
                action_id=command.action_id,
                signed_off_on=command.signed_off_on,
                comments=self._text(command, "comments", comments, Nature.OPINION) if comments else None,
                role=role,
                at=at,
            )
        )

    @handles(CarryOverAction)
    def carry_over_action(self, command: CarryOverAction, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._malr_set_up()
        self.plan.require_carry_over(command)
        require_subject("owner_subject", command.owner_subject)
        require_text("owner_name", command.owner_name)
        self._record(
            ActionCarriedOver(
                action_id=command.action_id,
                owner_subject=command.owner_subject,
                owner_name=personal(command.owner_name, command.owner_subject, kind=ItemKind.NAME),
                carried_over_on=command.carried_over_on,
                reason=self._text(command, "reason", command.reason),
                role=role,
                at=at,
            )
        )

    @handles(RecordActionPlanProgress)
    def record_action_plan_progress(
        self, command: RecordActionPlanProgress, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.action_plan_circulated_on is None:
            self._refuse("no action plan has been circulated yet", RULE_ORDER)
        if command.agency not in s.action_plan_agencies:
            self._refuse(f"the action plan was not circulated to {command.agency}", RULE_ORDER)
        require_text("progress", command.progress)
        self._record(
            ActionPlanProgressRecordedV2(
                agency=command.agency,
                progress=self._text(command, "progress", command.progress),
                role=role,
                at=at,
            )
        )

    @handles(RecordDisseminationActivity)
    def record_dissemination_activity(
        self, command: RecordDisseminationActivity, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._under_review()
        require_text("audience", command.audience)
        nature = Nature.FACT if command.by is None else Nature.OPINION
        self._record(
            DisseminationActivityRecorded(
                number=self.dissemination_activities + 1,
                activity=command.activity,
                held_on=command.held_on,
                audience=command.audience,
                description=self._text(command, "description", command.description, nature),
                role=role,
                at=at,
            )
        )

    @handles(RecordDisseminationFeedback)
    def record_dissemination_feedback(
        self, command: RecordDisseminationFeedback, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._under_review()
        require_activity(
            command.activity_number, self.dissemination_activities, record=self.reference, rule=RULE_ACTIONS
        )
        nature = Nature.FACT if command.by is None else Nature.OPINION
        self._record(
            DisseminationFeedbackRecorded(
                activity_number=command.activity_number,
                received_on=command.received_on,
                feedback=self._text(command, "feedback", command.feedback, nature),
                role=role,
                at=at,
            )
        )

    @handles(TagLearningThemes)
    def tag_learning_themes(self, command: TagLearningThemes, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._under_review()
        themes = learning_themes(command.themes)
        self._record(LearningThemesTagged(tagged_on=command.tagged_on, themes=themes, role=role, at=at))

    @handles(ReportToQaSubgroup)
    def report_to_qa_subgroup(self, command: ReportToQaSubgroup, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        # seed 003: "Progress will be reported to the Quality Assurance and Performance Sub Group".
        if not s.progress_updates:
            self._refuse("no progress on the action plan has been recorded yet", RULE_ORDER)
        if s.reported_to_qa_on is not None:
            self._refuse("progress has already been reported to the QA Sub-group", RULE_ORDER)
        require_text("summary", command.summary)
        summary = self._text(command, "summary", command.summary)
        self._record(ReportedToQaSubgroupV2(summary=summary, role=role, at=at))

    @handles(ReportToBoard)
    def report_to_board(self, command: ReportToBoard, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._malr_set_up()
        if s.reported_to_qa_on is None:
            self._refuse("the QA Sub-group reports to the Board: report to it first", RULE_ORDER)
        if s.reported_to_board_on is not None:
            self._refuse("the findings have already been reported to the Board", RULE_ORDER)
        require_text("summary", command.summary)
        summary = self._text(command, "summary", command.summary)
        self._record(ReportedToBoardV2(summary=summary, role=role, at=at))

    # -- commands: both routes ------------------------------------------------------------

    @handles(CompleteReport)
    def complete_report(self, command: CompleteReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._under_review()
        self._require_on_team(by, "completing the report")
        if self.branch == "malr" and s.findings_agreed_on is None:
            self._refuse("the report follows the agreed findings and recommendations", RULE_ORDER)
        if self.branch == "scr" and s.scr_tor_agreed_on is None:
            self._refuse("the SCR is conducted on agreed terms of reference: agree them first", RULE_ORDER)
        if self.branch == "scr" and not s.scr_panel_meetings:
            self._refuse("the SCR Panel has not met yet", RULE_SCR_TIMESCALES)
        if s.report_on is not None:
            self._refuse("the report is already completed", RULE_ORDER)
        require_text("document", command.document)
        self._record(ReportCompleted(form=command.form, document=command.document, role=role, at=at))

    @handles(SignOffReport)
    def sign_off_report(self, command: SignOffReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._scr_being_held()
        if s.report_on is None:
            self._refuse("the Board signs off a report: there is no report yet", RULE_SIGN_OFF)
        if s.signed_off_on is not None:
            self._refuse("the report is already signed off", RULE_SIGN_OFF)
        require_text("minute", command.minute)
        self._record(ReportSignedOff(minute=command.minute, role=role, at=at))

    @handles(DecideOnPublication)
    def decide_on_publication(self, command: DecideOnPublication, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._not_malr("a Multi-Agency Learning Review is not published")
        s = self._scr_being_held()
        if s.signed_off_on is None:
            self._refuse("publication is considered after the Board's sign-off", RULE_SIGN_OFF)
        if s.publish is not None:
            self._refuse("publication has already been decided", RULE_ORDER)
        require_text("reasons", command.reasons)
        reasons = self._text(command, "reasons", command.reasons, Nature.OPINION)
        self._record(PublicationDecidedV2(publish=command.publish, reasons=reasons, role=role, at=at))

    @handles(CloseCase)
    def close_case(self, command: CloseCase, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        if s.decision is None:
            self._refuse("the Panel has not decided on the case yet", RULE_ORDER)
        unfinished = self._unfinished_for_closure()
        if unfinished:
            self._refuse(f"the case cannot close yet: {unfinished}", RULE_ORDER)
        require_text("reasons", command.reasons)
        self._record(CaseClosedV2(reasons=self._text(command, "reasons", command.reasons), role=role, at=at))

    def _unfinished_for_closure(self) -> str | None:
        s = self.state
        if s.decision is PanelDecision.MALR:
            if not s.reported_to_board_on:
                return "the findings are not yet reported to the Board"
            still = self.plan.open_actions()
            if still:
                return f"actions are open ({', '.join(still)}): sign them off, or carry them over to a named owner"
            return None
        if s.decision is PanelDecision.SCR_CRITERIA_MET:
            if s.national_panel_informed_on is None:
                return "Ofsted and the National Panel have not been informed of the SCR decision"
            if self.under_scrutiny:
                return "the National Panel is still scrutinising the decision not to hold an SCR"
            if self.scr_held and s.publish is None:
                return "the SCR's publication has not been considered"
        return None

    # -- state changes ----------------------------------------------------------------

    def when(self, event: DomainEvent) -> None:
        s = self.state
        day = getattr(event, "at", None)
        on = day.date() if isinstance(day, datetime) else None
        match event:
            case CaseReferred(form=form):
                s.referred_on = form.referral.referred_on
                s.referring_agency = form.referral.agency
                s.child_subject = form.child_subject
            case ReferralCirculated():
                s.panel_meeting_on = event.meeting_on
                s.scr_consideration_panel = event.scr_likely
            case ScrConsiderationPanelCalled() | ScrConsiderationPanelCalledV2():
                s.panel_meeting_on = event.meeting_on
                s.scr_consideration_panel = True
            case ReviewDecided() | ReviewDecidedV2():
                s.decision = event.decision
                s.decided_on = event.meeting_on
            case PanelConclusionRecorded(conclusion=c) | PanelConclusionRecordedV2(conclusion=c):
                s.concluded_on = c.concluded_on
                s.period_from, s.period_to = c.period_from, c.period_to
                s.chronologies_from, s.chronologies_to = c.chronologies_from, c.chronologies_to
                s.first_meeting_on, s.second_meeting_on = c.first_meeting_on, c.second_meeting_on
                s.report_due = c.report_due
            case ScrRecommended() | ScrRecommendedV2():
                s.scr_recommended = event.scr_required
            case ScrDecided() | ScrDecidedV2():
                s.hold_scr = event.hold_scr
                s.scr_decided_on = on
            case OfstedAndNationalPanelInformed():
                s.ofsted_informed_on = event.ofsted_informed_on
                s.national_panel_informed_on = event.national_panel_informed_on
            case ScrutinyConcluded() | ScrutinyConcludedV2():
                s.scrutiny = event.outcome
            case IndependentReviewCommissioned():
                s.reviewer_commissioned_on = on
            case ScrPanelAgreed():
                s.scr_panel_agencies = event.agencies
            case ScrTermsOfReferenceAgreed() | ScrTermsOfReferenceAgreedV2():
                s.scr_tor_agreed_on = on
                s.scr_report_due = event.report_due
            case FamilyInvited():
                s.families_invited += event.family_members
            case AgencyChecksRequested():
                assert on is not None
                for agency in event.agencies:
                    s.agencies[agency] = AgencyCheck(asked_on=on)
                s.checks_completed_on = None
            case AgencyCheckAnswered():
                s.agencies[event.agency].involvement = event.involvement
                s.agencies[event.agency].answered_on = on
                if self.agency_checks_complete:
                    s.checks_completed_on = on
            case ChronologySubmitted():
                s.agencies[event.agency].chronology = event.document
            case ChronologiesCombined():
                s.chronologies_combined_on = on
            case ReviewMeetingHeld():
                s.meetings_held += (event.held_on,)
            case FindingsAgreed() | FindingsAgreedV2():
                s.findings_agreed_on = on
            case ReportCompleted():
                s.report_form = event.form
                s.report_on = on
            case ReportSignedOff():
                s.signed_off_on = on
            case PublicationDecided() | PublicationDecidedV2():
                s.publish = event.publish
            case ActionPlanCirculated():
                s.action_plan_agencies = event.agencies
                s.action_plan_circulated_on = on
            case ActionPlanCirculatedV2():
                s.action_plan_agencies = event.agencies
                s.action_plan_circulated_on = on
                self.plan.agreed(
                    ((a.action_id, a.agency, a.due_on) for a in event.actions), event.circulated_on
                )
                for a in event.actions:
                    self.plan.owned(a.action_id, a.owner_subject, a.due_on)
            case ActionUpdateRecorded():
                assert on is not None
                s.progress_updates[event.agency] = on
                self.plan.progressed(event.action_id, event.status, event.recorded_on, event.evidence)
            case ActionSignedOff():
                self.plan.signed_off(event.action_id, event.signed_off_on)
            case ActionCarriedOver():
                self.plan.carried_over(event.action_id, event.owner_subject)
            case DisseminationActivityRecorded():
                self.dissemination_activities = event.number
            case DisseminationFeedbackRecorded():
                self.dissemination_feedback.add(event.activity_number)
            case LearningThemesTagged():
                self.themes = with_themes(self.themes, event.themes)
            case ActionPlanProgressRecorded() | ActionPlanProgressRecordedV2():
                assert on is not None
                s.progress_updates[event.agency] = on
            case ReportedToQaSubgroup() | ReportedToQaSubgroupV2():
                s.reported_to_qa_on = on
            case ReportedToBoard() | ReportedToBoardV2():
                s.reported_to_board_on = on
            case CaseClosed() | CaseClosedV2():
                s.closed_on = on
            case TeamMemberAppointed():
                self.team[event.actor_id] = event.team_role
            case TeamMemberReleased():
                self.team.pop(event.actor_id, None)
            case AgencyReportsRequested():
                for agency in event.agencies:
                    s.agency_reports[agency] = AgencyReport(
                        requested_on=event.requested_on, due_on=event.due_on
                    )
            case AgencyReportSubmitted():
                s.agency_reports[event.agency].submitted_on = event.submitted_on
            case ReviewMethodologyChosen():
                s.methodology, s.in_another_form = event.methodology, event.in_another_form
                s.methodology_endorsed = None
            case ReviewMethodologyEndorsed():
                s.methodology_endorsed = event.endorsed
            case ScrPanelMeetingHeld():
                s.scr_panel_meetings += (event.held_on,)
            case ScrInterviewRecorded():
                s.scr_interviews += 1
            case ReviewPapersCirculated():
                s.papers_circulated_on = event.circulated_on
            case AgencyRepresentativeNominated():
                s.representatives[event.agency] = event.nominated_on
            case AgencyContactNamed():
                self.contacts = with_contact(self.contacts, event.agency, event.actor_id)
            case PersonalDataDisposed():
                pass  # the sealed values are gone; the case's course is unchanged
            case _:
                raise TypeError(f"a {self.kind} has no event {type(event).__name__}")

    # -- guards (each raises; none changes state) ---------------------------------------

    def _authorise(self, command: Command, by: Acting, extra: tuple[Role, ...] = ()) -> Role:
        step = STEPS[type(command)]
        return require_any_role(by, step.roles + extra, action=step.action, record=self.reference)

    def _child(self) -> tuple[str, ...]:
        return (self.state.child_subject,) if self.state.child_subject else ()

    def _text(self, named: Naming, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        """A free text of a step, sealed: about the child and whoever else the step names."""
        require_text(field, text)
        about = dict.fromkeys((*self._child(), *checked_ids("about", named.about)))
        by = None if named.by is None else checked_ids("by", (named.by,))[0]
        return personal(text, *about, kind=ItemKind.NARRATIVE, nature=nature, by=by)

    def _refuse(self, message: str, rule: str) -> NoReturn:
        raise RuleViolation(message, rule=rule, record=self.reference)

    def _open(self) -> PanelCaseState:
        if self.closed:
            self._refuse("the case is closed", RULE_CLOSED)
        return self.state

    def _referred(self) -> PanelCaseState:
        s = self._open()
        if s.referred_on is None:
            self._refuse("no referral has been received for this case", RULE_ORDER)
        return s

    def _awaiting_decision(self) -> PanelCaseState:
        s = self._referred()
        if s.decision is not None:
            self._refuse("the Panel has already decided on this case", RULE_ONE_DECISION)
        if s.panel_meeting_on is None:
            self._refuse("the referral has not been circulated to the Panel yet", RULE_ORDER)
        return s

    def _on_route(self, route: PanelDecision) -> PanelCaseState:
        s = self._referred()
        if s.decision is not route:
            words = "an SCR" if route is PanelDecision.SCR_CRITERIA_MET else "a Multi-Agency Learning Review"
            self._refuse(f"the Panel has not decided on {words} for this case", RULE_ORDER)
        return s

    def _scr_being_held(self) -> PanelCaseState:
        s = self._on_route(PanelDecision.SCR_CRITERIA_MET)
        if not self.scr_held:
            self._refuse("no SCR is being held for this case", RULE_SCR_DECISION)
        return s

    def _not_malr(self, refusal: str) -> None:
        # seed 003, Process for MALR: "It is not intended that MALR's will be published or that
        # families will be invited to take part in the reviews".
        self._open()
        if self.branch == "malr":
            self._refuse(refusal, RULE_MALR_PRIVATE)

    def _malr_set_up(self) -> PanelCaseState:
        s = self._on_route(PanelDecision.MALR)
        if s.concluded_on is None:
            self._refuse("the Panel's conclusion has not been recorded yet", RULE_ORDER)
        return s

    def _under_review(self) -> PanelCaseState:
        return self._malr_set_up() if self.branch == "malr" else self._scr_being_held()

    def _scr_conducted(self, by: Acting, doing: str) -> PanelCaseState:
        """An SCR under way on agreed terms of reference, its report not yet written, `by` on its team."""
        s = self._scr_being_held()
        if s.scr_tor_agreed_on is None:
            self._refuse("the SCR is conducted on agreed terms of reference: agree them first", RULE_ORDER)
        if s.report_on is not None:
            self._refuse("the report is already completed", RULE_ORDER)
        self._require_on_team(by, doing)
        return s

    def _agencies_asked(self) -> set[str]:
        """Every agency this case has asked for something."""
        return set(self.state.agencies) | set(self.state.agency_reports)

    def _require_contact(self, agency: str, by: Acting, doing: str) -> None:
        require_contact(self.contacts, agency, by, doing=doing, record=self.reference)

    def _require_on_team(self, by: Acting, doing: str) -> None:
        if by.actor not in self.team:
            self._refuse(
                f"{doing} is for the people appointed to this case's team; {by.actor} is not on it", RULE_TEAM
            )

    def _asked(self, agency: str) -> AgencyCheck:
        s = self._malr_set_up()
        check = s.agencies.get(agency)
        if check is None:
            self._refuse(f"{agency} was not asked for an agency check", RULE_AGENCY_CHECKS)
        return check


def _owe(what: str, who: tuple[Role, ...], rule: str, due: date | None = None) -> Obligation:
    return Obligation(what=what, who=who, rule=rule, due=due)


def _not_before(field: str, value: date, earliest: date | None, what: str) -> None:
    if earliest is not None and value < earliest:
        raise InvalidInput(field, f"must not be before {what} ({earliest.isoformat()})")
