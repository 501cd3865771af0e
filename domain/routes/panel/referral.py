"""The first steps of a Panel case: the referral, the review's team, and the Panel's decision and conclusion."""

from __future__ import annotations

from datetime import datetime

from domain.governance.naming import checked_ids
from domain.kernel.command import handles
from domain.kernel.event import Nature
from domain.kernel.roles import Acting, Role
from domain.routes.panel.commands import (
    AppointTeamMember,
    CallScrConsiderationPanel,
    CirculateReferral,
    DecideOnReview,
    ReleaseTeamMember,
)
from domain.routes.panel.events import (
    CaseReferred,
    PanelConclusionRecordedV2,
    ReferralCirculated,
    ReviewDecidedV2,
    ScrConsiderationPanelCalledV2,
    TeamMemberAppointed,
    TeamMemberReleased,
)
from domain.routes.panel.forms import (
    PanelDecision,
    RecordPanelConclusion,
    ReferCase,
    require_text,
    seal_conclusion,
    seal_referral,
)
from domain.routes.panel.rules import RULE_ORDER, RULE_SCR_CHAIR, RULE_TEAM, PanelReviewRules, not_before


class ReferralSteps(PanelReviewRules):
    """The referral, the review's team, and the Panel's decision and conclusion."""

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
        not_before("appointed_on", command.appointed_on, s.referred_on, "the referral")
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
        not_before("released_on", command.released_on, s.referred_on, "the referral")
        self._record(
            TeamMemberReleased(actor_id=command.actor_id, released_on=command.released_on, role=role, at=at)
        )

    @handles(CirculateReferral)
    def circulate_referral(self, command: CirculateReferral, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        s = self._referred()
        if s.panel_meeting_on is not None:
            self._refuse("the referral has already been circulated to the Panel", RULE_ORDER)
        not_before("meeting_on", command.meeting_on, s.referred_on, "the referral")
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
        not_before("meeting_on", command.meeting_on, s.panel_meeting_on, "the Panel meeting")
        self._record(
            ScrConsiderationPanelCalledV2(
                meeting_on=command.meeting_on,
                reasons=self._case_text(command, "reasons", command.reasons),
                role=role,
                at=at,
            )
        )

    @handles(DecideOnReview)
    def decide_on_review(self, command: DecideOnReview, by: Acting, at: datetime) -> None:
        s = self.state
        # seed 003, Chair arrangements: the Service Director chairs an SCR Consideration Panel.
        role = self._authorise(command, by, chairing=s.scr_consideration_panel)
        self._awaiting_decision()
        if command.decision is PanelDecision.SCR_CRITERIA_MET and not s.scr_consideration_panel:
            self._refuse(
                "only an SCR Consideration Panel chaired by the Service Director can find the SCR "
                "criteria met; call one first",
                RULE_SCR_CHAIR,
            )
        require_text("reasons", command.reasons)
        not_before("meeting_on", command.meeting_on, s.panel_meeting_on, "the Panel meeting")
        chair = Role.SERVICE_DIRECTOR if s.scr_consideration_panel else Role.HEAD_OF_SAFEGUARDING
        self._record(
            ReviewDecidedV2(
                meeting_on=command.meeting_on,
                chaired_by=chair,
                as_scr_consideration_panel=s.scr_consideration_panel,
                decision=command.decision,
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
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
        not_before("concluded_on", command.concluded_on, s.decided_on, "the Panel's decision")
        about = tuple(dict.fromkeys((*self._child(), *checked_ids("about", command.about))))
        conclusion = seal_conclusion(command, PanelDecision.MALR, about)
        self._record(PanelConclusionRecordedV2(conclusion=conclusion, role=role, at=at))
