"""Steps 11-15 of a National Learning Review: the report, sign-off, the Care Inspectorate,
the action plan, publication, dissemination, feedback to the family and closure
(seed 001 'The Report' and 'Publishing the Report'; seed 002 'Sharing the learning').
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import Nature
from domain.kernel.roles import Acting
from domain.routes.national.commands import (
    AgreeActionPlan,
    CloseReview,
    DecidePublication,
    DraftReportVersion,
    PublishLearningSeparately,
    PublishReport,
    RecommendPublication,
    RecordActionProgress,
    RecordDissemination,
    RecordFamilyFeedback,
    RecordFamilyViewsOnPublication,
    SendReportToCareInspectorate,
    SignOffReportForCog,
    SignOffReportForCommittee,
)
from domain.routes.national.duties import obligations
from domain.routes.national.events_reporting import (
    ActionPlanAgreed,
    ActionProgressRecorded,
    FamilyConsultedOnPublication,
    FamilyFeedbackGiven,
    LearningDisseminated,
    LearningPublishedSeparately,
    PublicationDecided,
    PublicationRecommended,
    ReportPublished,
    ReportSentToCareInspectorate,
    ReportSignedOffByCog,
    ReportSignedOffByCommittee,
    ReportVersionDraftedV2,
    ReviewClosed,
)
from domain.routes.national.forms import (
    LIAISON_FOR,
    PlannedAction,
    ProceedingState,
    PublicationChoice,
    ReportSection,
    TeamRole,
    clear_strategy,
    require_text,
    statement,
)
from domain.routes.national.rules import (
    RULE_CLOSURE,
    RULE_PARALLEL,
    RULE_PROCEED,
    RULE_PUBLISHING,
    RULE_REPORT,
    NationalReviewRules,
)


class ReportingSteps(NationalReviewRules):
    """From the report to closure."""

    # -- 11-15: report, sign-off, publication, dissemination, closure ---------------------

    @handles(DraftReportVersion)
    def draft_report_version(self, command: DraftReportVersion, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_unfinished("drafting the report")
        self._require_active("drafting the report")
        # Seed 001 'The Report': the review's own Reviewer drafts it, not any reviewer.
        self._require_appointed(by, (TeamRole.REVIEWER,), "drafting the report")
        if not command.sections:
            raise InvalidInput("sections", "a report needs at least one section")
        sections = tuple(
            ReportSection(
                heading=s.heading,
                text=statement(
                    f"sections.{s.heading.name.lower()}",
                    s.text,
                    self._about(s.about),
                    nature=s.nature,
                    by=s.by,
                ),
            )
            for s in command.sections
        )
        self._record(
            ReportVersionDraftedV2(
                at=at,
                role=role,
                version=self.latest_report_version + 1,
                drafted_on=self._dated(at, "drafted_on", command.drafted_on),
                terms_of_reference_version=self.terms_in_force,
                sections=sections,
                strategies=tuple(clear_strategy(s, self._about(s.about)) for s in command.strategies),
            )
        )

    @handles(SignOffReportForCommittee)
    def sign_off_for_committee(self, command: SignOffReportForCommittee, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_sign_off("committee", command.version)
        self._record(
            ReportSignedOffByCommittee(
                at=at,
                role=role,
                version=command.version,
                signed_off_on=self._dated(at, "signed_off_on", command.signed_off_on),
            )
        )

    @handles(SignOffReportForCog)
    def sign_off_for_cog(self, command: SignOffReportForCog, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_sign_off("COG", command.version)
        self._record(
            ReportSignedOffByCog(
                at=at,
                role=role,
                version=command.version,
                signed_off_on=self._dated(at, "signed_off_on", command.signed_off_on),
            )
        )

    @handles(SendReportToCareInspectorate)
    def send_report_to_care_inspectorate(
        self, command: SendReportToCareInspectorate, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_signed_off("sending the report to the Care Inspectorate", command.version)
        self._record(
            ReportSentToCareInspectorate(
                at=at,
                role=role,
                version=command.version,
                sent_on=self._dated(at, "sent_on", command.sent_on),
                anonymised_copy=command.anonymised_copy,
            )
        )

    @handles(AgreeActionPlan)
    def agree_action_plan(self, command: AgreeActionPlan, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("agreeing the action plan")
        if not self.report_versions:
            self._refuse(
                "the action plan accompanies the report, and no report has been drafted", RULE_PROCEED
            )
        if self.action_plan_agreed_on is not None:
            self._refuse(f"the action plan was already agreed on {self.action_plan_agreed_on}", RULE_PROCEED)
        ids = [a.action_id for a in command.actions]
        if not ids or len(set(ids)) != len(ids) or not all(i.strip() for i in ids):
            raise InvalidInput("actions", "need at least one action, each with its own action_id")
        # Seed 001 'The Report': the plan implements the report's CLEAR strategies, so where the
        # report sets any out, each action names the one it implements.
        strategies = self.report_strategies.get(self.latest_report_version, 0)
        for a in command.actions:
            if a.implements_strategy is None and strategies:
                raise InvalidInput(
                    "actions.implements_strategy",
                    f"action {a.action_id} must name the report's strategy it implements",
                )
            if a.implements_strategy is not None and not 1 <= a.implements_strategy <= strategies:
                raise InvalidInput(
                    "actions.implements_strategy",
                    f"action {a.action_id}: the report sets out {strategies} strategies; {a.implements_strategy} is not one",
                )
        actions = tuple(
            PlannedAction(
                action_id=a.action_id,
                description=statement("actions.description", a.description, self._about(a.about)),
                responsible=require_text("actions.responsible", a.responsible),
                due_on=a.due_on,
                implements_strategy=a.implements_strategy,
            )
            for a in command.actions
        )
        self._record(
            ActionPlanAgreed(
                at=at, role=role, actions=actions, agreed_on=self._dated(at, "agreed_on", command.agreed_on)
            )
        )

    @handles(RecordActionProgress)
    def record_action_progress(self, command: RecordActionProgress, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("recording progress on an action")
        action = self.actions.get(command.action_id)
        if action is None:
            self._refuse(f"the action plan has no action {command.action_id}", RULE_REPORT)
        if action.completed_on is not None:
            self._refuse(f"action {command.action_id} was completed on {action.completed_on}", RULE_REPORT)
        if action.carried:
            self._refuse(f"action {command.action_id} was carried over to a named owner", RULE_REPORT)
        self._record(
            ActionProgressRecorded(
                at=at,
                role=role,
                action_id=command.action_id,
                progress_on=self._dated(at, "progress_on", command.progress_on),
                completed=command.completed,
                note=statement("note", command.note, self._about(command.about)),
                evidence=tuple(require_text("evidence", e) for e in command.evidence),
            )
        )

    @handles(RecommendPublication)
    def recommend_publication(self, command: RecommendPublication, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("recommending on publication")
        # Seed 001 'Publishing the Report': the committee's recommendation is on its signed-off report.
        signed = self.signed_off.get("committee")
        if signed is None or signed[0] != self.latest_report_version:
            self._refuse(
                f"the {self.committee} recommends on publication once it has signed off the report",
                RULE_PUBLISHING,
            )
        if self.publication_recommendation is not None:
            self._refuse(
                f"the {self.committee} has already recommended: {self.publication_recommendation}",
                RULE_PUBLISHING,
            )
        self._record(
            PublicationRecommended(
                at=at,
                role=role,
                recommendation=command.recommendation,
                recommended_on=self._dated(at, "recommended_on", command.recommended_on),
                reasons=statement("reasons", command.reasons, self._about(command.about)),
            )
        )

    @handles(RecordFamilyViewsOnPublication)
    def record_family_views(self, command: RecordFamilyViewsOnPublication, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("consulting the family on publication")
        if not self.report_versions:
            self._refuse("there is no report yet to consult the family about", RULE_PUBLISHING)
        members = self._family(command.family_members)
        self._require_family_group(members, command.views_of, "views on publication")
        self._record(
            FamilyConsultedOnPublication(
                at=at,
                role=role,
                consulted_on=self._dated(at, "consulted_on", command.consulted_on),
                family_members=members,
                views=statement(
                    "views",
                    command.views,
                    self._also_about(command.family_members, command.about),
                    nature=Nature.OPINION,
                    by=command.views_of,
                ),
            )
        )

    @handles(DecidePublication)
    def decide_publication(self, command: DecidePublication, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_active("deciding on publication")
        # Seed 001 'Publishing the Report': the COG decides on a signed-off report, informed by
        # the committee's recommendation and the family's views.
        if not self.signed_off_by_both():
            self._refuse(
                f"the report must be signed off by both the {self.committee} and the COG before the "
                "COG decides on publication",
                RULE_PUBLISHING,
            )
        if self.publication_recommendation is None:
            self._refuse(
                f"the COG decides informed by the {self.committee}'s recommendation, and none has been made",
                RULE_PUBLISHING,
            )
        if self.family_consulted_on is None:
            self._refuse(
                "the family must be consulted on publication before the COG decides", RULE_PUBLISHING
            )
        if self.publication_decision not in (None, PublicationChoice.PUBLISH_LATER):
            self._refuse(f"the COG has already decided: {self.publication_decision}", RULE_PUBLISHING)
        # Seed 001: a decision not to publish notes its exceptional circumstances in the COG minutes.
        if command.decision is PublicationChoice.NOT_PUBLISH and not (
            command.exceptional_circumstances and command.cog_minute
        ):
            self._refuse(
                "a decision not to publish must record the exceptional circumstances and the COG "
                "minute that notes them",
                RULE_PUBLISHING,
            )
        about = self._about(command.about)
        self._record(
            PublicationDecided(
                at=at,
                role=role,
                decision=command.decision,
                decided_on=self._dated(at, "decided_on", command.decided_on),
                basis=statement("basis", command.basis, about),
                exceptional_circumstances=self._optional(
                    "exceptional_circumstances", command.exceptional_circumstances, about
                ),
                cog_minute=command.cog_minute,
            )
        )

    @handles(PublishReport)
    def publish_report(self, command: PublishReport, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_active("publishing the report")
        if self.publication_decision is not PublicationChoice.PUBLISH:
            self._refuse("the COG has not decided to publish the report", RULE_PUBLISHING)
        if self.published_on is not None:
            self._refuse(f"the report was already published on {self.published_on}", RULE_PUBLISHING)
        if command.version != self.latest_report_version:
            self._refuse(f"version {command.version} is not the signed-off report", RULE_PUBLISHING)
        if not command.anonymised:
            # Seed 001 'Publishing the Report': any publication must be suitably anonymised.
            self._refuse("only a suitably anonymised report may be published", RULE_PUBLISHING)
        blocked = self.publication_blocked_by()
        if blocked:
            # Seed 001: publication may wait for criminal or FAI proceedings to conclude; while
            # they or children's hearings are ongoing, it is discussed with COPFS and/or SCRA first.
            bodies = sorted({LIAISON_FOR[p] for p in blocked})
            self._refuse(
                f"publication is deferred: {' and '.join(blocked)} ongoing, and publication has not "
                f"been discussed with {' and '.join(bodies)}",
                RULE_PARALLEL,
            )
        ongoing = {
            LIAISON_FOR[p.proceeding]
            for p in self.parallel_processes.values()
            if p.state is ProceedingState.ONGOING
        }
        self._record(
            ReportPublished(
                at=at,
                role=role,
                version=command.version,
                published_on=self._dated(at, "published_on", command.published_on),
                where=require_text("where", command.where),
                liaison_on_publication=tuple(sorted(ongoing)),
            )
        )

    @handles(PublishLearningSeparately)
    def publish_learning_separately(
        self, command: PublishLearningSeparately, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("publishing the learning separately")
        # Seed 001 'Publishing the Report': if a report is not published, the learning is
        # extracted from it and published separately.
        if self.publication_decision is not PublicationChoice.NOT_PUBLISH:
            self._refuse(
                "the learning is published separately when the COG decides not to publish the report",
                RULE_PUBLISHING,
            )
        if self.learning_published_separately_on is not None:
            self._refuse("the learning was already published separately", RULE_PUBLISHING)
        self._record(
            LearningPublishedSeparately(
                at=at,
                role=role,
                published_on=self._dated(at, "published_on", command.published_on),
                where=require_text("where", command.where),
                summary=statement("summary", command.summary, self._about(command.about)),
            )
        )

    @handles(RecordDissemination)
    def record_dissemination(self, command: RecordDissemination, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_signed_off("disseminating the learning", self.latest_report_version)
        self._record(
            LearningDisseminated(
                at=at,
                role=role,
                method=command.method,
                held_on=self._dated(at, "held_on", command.held_on),
                audience=require_text("audience", command.audience),
                description=statement("description", command.description, self._about(command.about)),
            )
        )

    @handles(RecordFamilyFeedback)
    def record_family_feedback(self, command: RecordFamilyFeedback, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_signed_off("feeding back to the family", self.latest_report_version)
        members = self._family(command.family_members)
        self._require_family_group(members, command.feedback_of, "the family's feedback")
        self._record(
            FamilyFeedbackGiven(
                at=at,
                role=role,
                given_on=self._dated(at, "given_on", command.given_on),
                family_members=members,
                feedback=statement(
                    "feedback",
                    command.feedback,
                    self._also_about(command.family_members, command.about),
                    nature=Nature.OPINION,
                    by=command.feedback_of,
                ),
            )
        )

    @handles(CloseReview)
    def close_review(self, command: CloseReview, by: Acting, at: datetime) -> None:
        """Close the review; refused while `obligations()` lists anything (see `domain.routes.national.review`)."""
        role = self._authorise(command, by)
        self._require_open()
        # Our reading of seed 001 (process map 5, 'Publishing the Report'): a review closes only
        # when everything the procedure asks of it has been done; the list says what remains.
        owed = obligations(self)
        if owed:
            self._refuse(
                "the review cannot close while these remain: " + "; ".join(o.what for o in owed),
                RULE_CLOSURE,
            )
        self._record(
            ReviewClosed(at=at, role=role, closed_on=self._dated(at, "closed_on", command.closed_on))
        )
