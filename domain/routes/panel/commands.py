"""The commands of a Learning and Improvement Panel case: one for each step, and the choices they carry.

Referral Form A (`refer-case`) and the Panel's conclusion (`record-panel-conclusion`) are in
`domain.routes.panel.forms`; the action and dissemination steps every route shares are in
`domain.routes.shared.actions` and `domain.routes.shared.dissemination`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from domain.kernel.command import Command
from domain.routes.panel.forms import PanelDecision
from domain.routes.shared.actions import ActionStatus


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
