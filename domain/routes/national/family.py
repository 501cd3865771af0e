"""The family group and feedback to the family in a National Learning Review (seed 001 'Engaging
the family in the Review process'; process map 5B).

Who counts as the family group differs from review to review (seed 001 lists parents, step
parents, carers, siblings, grandparents, aunts and uncles, the child, partners and close family
friends): each member is recorded with their relation and whether they are to be involved, and
the reasons where not. Views and feedback are recorded only for members of the group.

The dissemination of learning and its themes (seed 002 'Sharing the learning') are the steps every
route records alike (`domain.routes.shared.dissemination`); when this route allows them is its
`_begin` in `domain.routes.national.rules`.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import Nature
from domain.kernel.roles import Acting
from domain.routes.national.commands import (
    RecordFamilyFeedbackOnConclusion,
    RecordFamilyFeedbackOnProcess,
    RecordFamilyGroupMember,
    RecordFamilyInformed,
)
from domain.routes.national.events_reporting import (
    FamilyFeedbackOnConclusionGiven,
    FamilyFeedbackOnProcessGiven,
    FamilyGroupMemberRecorded,
    FamilyInformed,
)
from domain.routes.national.forms import TeamRole, require_subjects, statement
from domain.routes.national.rules import (
    RULE_ENGAGING,
    NationalReviewRules,
)

ANY_MEMBER = tuple(TeamRole)


class FamilySteps(NationalReviewRules):
    """The family group, informing the family, feedback on the conclusion and the process."""

    @handles(RecordFamilyGroupMember)
    def record_family_group_member(self, command: RecordFamilyGroupMember, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("recording the family group")
        (member,) = require_subjects("subject_id", (command.subject_id,))
        if not command.involved and not (command.reasons_not_involved or "").strip():
            raise InvalidInput(
                "reasons_not_involved", "a family member not to be involved needs the reasons recorded"
            )
        assert self.principal is not None
        about = self._also_about((member, self.principal), command.about)
        self._record(
            FamilyGroupMemberRecorded(
                at=at,
                role=role,
                subject_id=member,
                relation=statement("relation", command.relation, about),
                involved=command.involved,
                decided_on=self._dated(at, "decided_on", command.decided_on),
                reasons_not_involved=None
                if command.involved
                else self._optional("reasons_not_involved", command.reasons_not_involved, about),
            )
        )

    @handles(RecordFamilyInformed)
    def record_family_informed(self, command: RecordFamilyInformed, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("informing the family")
        members = self._family(command.family_members)
        self._require_family_group(members, None, "informing the family")
        self._record(
            FamilyInformed(
                at=at,
                role=role,
                informed_on=self._dated(at, "informed_on", command.informed_on),
                family_members=members,
                how=statement("how", command.how, self._also_about(members, command.about)),
            )
        )

    @handles(RecordFamilyFeedbackOnConclusion)
    def record_family_feedback_on_conclusion(
        self, command: RecordFamilyFeedbackOnConclusion, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_signed_off("feeding back the conclusion to the family", self.latest_report_version)
        self._require_appointed(by, ANY_MEMBER, "feeding back to the family")
        members = self._family(command.family_members)
        self._require_family_group(members, command.response_of, "the family's feedback")
        self._record(
            FamilyFeedbackOnConclusionGiven(
                at=at,
                role=role,
                given_on=self._dated(at, "given_on", command.given_on),
                family_members=members,
                response=statement(
                    "response",
                    command.response,
                    self._also_about(members, command.about),
                    nature=Nature.OPINION,
                    by=command.response_of,
                ),
            )
        )

    @handles(RecordFamilyFeedbackOnProcess)
    def record_family_feedback_on_process(
        self, command: RecordFamilyFeedbackOnProcess, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_proceeding("recording the family's feedback on the process")
        self._require_appointed(by, ANY_MEMBER, "asking the family about the process")
        if not self.report_versions:
            self._refuse(
                "the family are asked how they found the process at the end of the review, "
                "and no report has been drafted",
                RULE_ENGAGING,
            )
        members = self._family(command.family_members)
        self._require_family_group(members, command.feedback_of, "the family's feedback")
        self._record(
            FamilyFeedbackOnProcessGiven(
                at=at,
                role=role,
                given_on=self._dated(at, "given_on", command.given_on),
                family_members=members,
                feedback=statement(
                    "feedback",
                    command.feedback,
                    self._also_about(members, command.about),
                    nature=Nature.OPINION,
                    by=command.feedback_of,
                ),
            )
        )
