"""The checks every step of a National Learning Review shares: authority, order, inputs.

Each check raises before anything is recorded, so a refused step leaves the record as it
was. `RuleViolation.rule` and the constants below cite where each rule comes from (seed
001: the national guidance, section 4 and its process map; seed 002: the briefing).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from domain.governance.naming import Naming
from domain.kernel.command import Command
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.event import Nature, Personal
from domain.kernel.roles import Acting, Role, require_any_role
from domain.routes.national.forms import REPORT_CONTENTS, TeamRole, require_subjects, statement
from domain.routes.national.state import NationalReviewRecord, SigningBody
from domain.routes.national.steps import STEPS
from domain.routes.shared.actions import SignOffAction
from domain.routes.shared.dissemination import (
    RecordDisseminationActivity,
    RecordDisseminationFeedback,
    TagLearningThemes,
)

RULE_NOTIFICATION = "seed 001 process map 1"
RULE_INFORMATION = "seed 001 process map 2"
RULE_RECOMMENDATION = "seed 001 process map 3"
RULE_DECISION = "seed 001 process map 4"
RULE_LINKS = "seed 000 §1: linked to, but separate from, full Learning Reviews"
RULE_COMMUNICATE = "seed 001 process map 5: recording and communicating the decision"
RULE_ALTERNATIVE = "seed 001 process map 5A"
RULE_PROCEED = "seed 001 process map 5B"
RULE_TEAM = "seed 001 'The Review Team'"
RULE_CHAIR = "seed 001 'The role of the Chair of the Review Team'"
RULE_FAMILY = "seed 001 process map 5B: liaising with family (as per strategy)"
RULE_TERMS = "seed 001 'Terms of reference'"
RULE_CHRONOLOGIES = "seed 001 'Collecting and collating further information'"
RULE_EMERGING = "seed 001 'Managing emerging issues and challenges during the Review'"
RULE_REPORT = "seed 001 'The Report'"
RULE_PUBLISHING = "seed 001 'Publishing the Report'"
RULE_PARALLEL = "seed 001 'Publishing the Report'; Annex 2"
RULE_CLOSED = "seed 001 process map: a closed review takes no further steps"
RULE_CLOSURE = "seed 001 process map 5 and 'Publishing the Report': every step done before closure"
RULE_PRESENT = "seed 001 section 4 and process map 5B: the review's work done before its report is presented"
RULE_CONTENTS = "seed 001 'The Report': its contents, the final terms of reference and CLEAR strategies"
RULE_ENGAGING = "seed 001 'Engaging the family in the Review process'"
RULE_AGENCY = "seed 001 process map 2: each agency gives its own account"
RULE_DISSEMINATION = "seed 001 process map 5B; seed 002 'Sharing the learning'"

_TEAM_ROLE_WORDS = {
    TeamRole.CHAIR: "the Review Team Chair",
    TeamRole.REVIEWER: "a Reviewer",
    TeamRole.ADMINISTRATOR: "the Administrator",
    TeamRole.MEMBER: "a team member",
}


class NationalReviewRules(NationalReviewRecord):
    """The shared checks; the steps themselves are in the modules `domain.routes.national.review` names."""

    dissemination_rule = RULE_DISSEMINATION

    def _authorise(self, command: Command, by: Acting) -> Role:
        """Refuse unless `by` holds a role the step's row in `STEPS` gives it; return the first one held."""
        step = STEPS[type(command)]
        return require_any_role(by, step.roles, action=step.doing, record=self.reference)

    def _require_appointed(self, by: Acting, team_roles: tuple[TeamRole, ...], action: str) -> str:
        """Only the people appointed to this review's team, in one of `team_roles`, take the step.

        The appointments are the review's own `TeamMemberAppointed` / `TeamMemberReleased` events, the
        same relations `domain.governance.need_to_know.team_relations` reads; returns the member's id.
        """
        for m in self.current_team():
            if m.actor_id == by.actor and m.team_role in team_roles:
                return m.member_id
        who = (
            "a member of the Review Team"
            if set(team_roles) == set(TeamRole)
            else " or ".join(_TEAM_ROLE_WORDS[r] for r in team_roles)
        )
        raise RuleViolation(
            f"{action} is taken by {who} appointed to this review, and {by.actor} is not",
            rule=RULE_TEAM,
            record=self.reference,
        )

    def presentation_missing(self) -> list[str]:
        """What seed 001 section 4 asks of the review before its report is presented, still missing."""
        missing: list[str] = []
        if not (
            self.current_team(TeamRole.CHAIR)
            and self.current_team(TeamRole.REVIEWER)
            and self.current_team(TeamRole.ADMINISTRATOR)
        ):
            missing.append("a Review Team appointed (a Chair, a Reviewer and an Administrator)")
        if self.family_strategy_on is None and self.family_not_involved_on is None:
            missing.append(
                "a Family Liaison Strategy agreed, or the decision not to involve the family recorded with reasons"
            )
        if not self.information_requested:
            missing.append("information requested from the agencies")
        unanswered = sorted(self.information_requested - self.agency_returns - self.agency_non_returns)
        if unanswered:
            missing.append(f"the return or non-return of {', '.join(unanswered)} recorded")
        if not self.parallel_processes:
            missing.append("the Chair's check of parallel processes")
        if self.chronologies_merged_on is None:
            missing.append("the single-agency chronologies merged")
        for audience, what in (
            ("practitioners and first-line managers", "a practitioners' event"),
            ("strategic managers", "a managers' event"),
        ):
            if audience not in self.event_audiences and audience not in self.no_event_reasons:
                missing.append(f"{what} held, or the reason there was none recorded")
        return missing

    def contents_missing(self, version: int) -> list[str]:
        """The contents seed 001 'The Report' asks for that report `version` lacks."""
        has = self.report_contents.get(version, frozenset())
        missing = [str(kind) for kind in REPORT_CONTENTS if kind not in has]
        terms = self.report_terms.get(version)
        if terms is not None and terms != self.terms_in_force and "final terms of reference" not in missing:
            missing.append(f"the final terms of reference (version {self.terms_in_force}, not {terms})")
        return missing

    def _require_family_group(self, members: tuple[str, ...], whose: str | None, action: str) -> None:
        """Views and feedback are recorded only for members of the review's family group (seed 001)."""
        group = set(self.family_group)
        for subject_id in (*members, *((whose,) if whose else ())):
            if subject_id not in group:
                self._refuse(
                    f"{action} are recorded only for the review's family group, and {subject_id} is not in it",
                    RULE_ENGAGING,
                )
            if self.family_members.get(subject_id) is False:
                self._refuse(
                    f"{action} are not recorded for {subject_id}: the family group records that they are "
                    "not to be involved",
                    RULE_ENGAGING,
                )

    def _require_open(self) -> None:
        # Seed 001 process map: every step follows a notification (1), and none follows closure.
        if self.received_on is None:
            self._refuse("no notification has been received for this review yet", RULE_NOTIFICATION)
        if self.closed_on is not None:
            self._refuse(
                f"the review was closed on {self.closed_on}: nothing more can be recorded", RULE_CLOSED
            )

    def _require_undecided(self, action: str) -> None:
        self._require_open()
        if self.decision is not None:
            self._refuse(
                f"{action} is no longer possible: the {self.committee} has already decided", RULE_DECISION
            )

    def _require_considering(self, action: str) -> None:
        """Steps 2-3 are taken by the nominated person or sub-group, once passed the notification."""
        self._require_undecided(action)
        if self.nominee is None:
            self._refuse(
                f"{action} comes after the notification is passed to the nominated person or sub-group",
                RULE_INFORMATION,
            )

    def _require_deciding(self) -> None:
        self._require_open()
        if self.decision is not None:
            # Seed 001 process map 4: the committee decides once on a notification.
            self._refuse(
                f"the {self.committee} has already decided to {self.decision} on {self.decided_on}",
                RULE_DECISION,
            )
        if self.recommendation is None:
            self._refuse(
                f"the {self.committee} decides on a recommendation from the nominated person or "
                "sub-group, and none has been made",
                RULE_DECISION,
            )

    def _require_decided(self) -> None:
        self._require_open()
        if self.decision is None:
            self._refuse(
                f"the {self.committee} has not decided yet: there is no decision to record against",
                RULE_COMMUNICATE,
            )

    def _require_communication(self, key: str, done: str) -> Literal["proceed", "not proceed"]:
        """Step 5: each communication of the decision is recorded once; returns the decision."""
        self._require_decided()
        if key in self.communicated:
            self._refuse(f"{done} on {self.communicated[key]}", RULE_COMMUNICATE)
        assert self.decision is not None
        return self.decision

    def _require_proceeding(self, action: str) -> None:
        # Seed 001 process map 5B: the review's own steps follow a decision to proceed.
        self._require_decided()
        if self.decision != "proceed":
            self._refuse(
                f"{action} is not possible: the {self.committee} decided not to proceed", RULE_PROCEED
            )

    def _require_active(self, action: str) -> None:
        """The review is proceeding and not paused (seed 001 'Managing emerging issues')."""
        self._require_proceeding(action)
        if self.paused:
            self._refuse(
                f"{action} must wait: the review has been paused since {self.pauses[-1].paused_on}",
                RULE_EMERGING,
            )

    def _require_unfinished(self, action: str) -> None:
        self._require_proceeding(action)
        if self.signed_off_by_both():
            self._refuse(
                f"{action} is no longer possible: the report has been signed off by the "
                f"{self.committee} and the COG",
                RULE_REPORT,
            )

    def _require_sign_off(self, body: SigningBody, version: int) -> None:
        self._require_active("signing off the report")
        if not self.report_versions:
            # Seed 001 'The Report': a drafted report is presented to the CPC and the COG for sign off.
            self._refuse("there is no report to sign off: no version has been drafted", RULE_REPORT)
        if version != self.latest_report_version:
            self._refuse(
                f"version {version} is not the latest report version ({self.latest_report_version})",
                RULE_REPORT,
            )
        if body in self.signed_off and self.signed_off[body][0] == version:
            self._refuse(f"report version {version} was already signed off by the {body}", RULE_REPORT)
        missing = self.contents_missing(version)
        if missing:
            self._refuse(
                f"report version {version} cannot be signed off without: {'; '.join(missing)}", RULE_CONTENTS
            )
        if self.presented.get(body) != version:
            # Seed 001 'The Report': presented to the CPC and the COG for consideration and sign off.
            self._refuse(f"report version {version} has not been presented to the {body}", RULE_REPORT)

    def _require_signed_off(self, action: str, version: int) -> None:
        # Seed 001 'The Report': what follows the report waits for both sign-offs.
        self._require_proceeding(action)
        if not self.signed_off_by_both():
            self._refuse(
                f"{action} waits until the report is signed off by the {self.committee} and the COG",
                RULE_REPORT,
            )
        if version != self.latest_report_version:
            self._refuse(f"version {version} is not the signed-off report", RULE_REPORT)

    def _require_pending_terms(self, version: int) -> None:
        self._require_proceeding("agreeing terms of reference")
        pending = self.pending_terms
        if pending is None or pending.version != version:
            # Seed 001 'Terms of reference': the committee agrees a proposed amendment.
            self._refuse(
                f"there is no proposed amendment version {version} awaiting the {self.committee}", RULE_TERMS
            )

    def _require_members(self, member_ids: tuple[str, ...]) -> None:
        current = {m.member_id for m in self.current_team()}
        for member_id in member_ids:
            if member_id not in current:
                self._refuse(f"{member_id} is not a member of the Review Team", RULE_TEAM)

    def _family(self, members: tuple[str, ...]) -> tuple[str, ...]:
        if not members:
            raise InvalidInput("family_members", "name at least one family member")
        return require_subjects("family_members", members)

    def _also_about(self, named: tuple[str, ...], about: tuple[str, ...]) -> tuple[str, ...]:
        """Whom a text is about: the people it is already about, and whoever else `about` names."""
        return tuple(dict.fromkeys((*named, *require_subjects("about", about))))

    def _about(self, about: tuple[str, ...]) -> tuple[str, ...]:
        """Whom a text is about: as given, else the person the review is about."""
        if about:
            return require_subjects("about", about)
        assert self.principal is not None
        return (self.principal,)

    def _optional(self, field: str, text: str | None, about: tuple[str, ...]) -> Personal | None:
        return None if text is None else statement(field, text, about)

    # -- how the steps every route shares are checked, dated and sealed here -----------------

    def _begin(self, command: Command, by: Acting) -> Role:
        """The steps every route shares: a dissemination activity once the report is signed off by
        both bodies, the others once the review proceeds."""
        role = self._authorise(command, by)
        match command:
            case RecordDisseminationActivity():
                self._require_signed_off("disseminating the learning", self.latest_report_version)
            case RecordDisseminationFeedback():
                self._require_proceeding("recording feedback on a dissemination activity")
            case TagLearningThemes():
                self._require_proceeding("tagging the learning's themes")
            case SignOffAction():
                self._require_proceeding("signing off an action")
            case _:
                raise TypeError(f"{type(command).__name__} is not a step every route shares")
        return role

    def _case_text(self, named: Naming, field: str, text: str, nature: Nature = Nature.FACT) -> Personal:
        return statement(field, text, self._about(named.about), nature=nature, by=named.by)

    def _dated(self, at: datetime, field: str, on: date) -> date:
        """A step's date: not after it is recorded, not before the notification."""
        if on > at.date():
            raise InvalidInput(field, "must not be later than the day it is recorded")
        if self.received_on is not None and on < self.received_on:
            raise InvalidInput(field, "must not be before the notification was received")
        return on
