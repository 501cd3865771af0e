"""Steps of a single-agency Learning Review from identifying the case to the Service Manager's view (seed 004 §3(1)-(3)).

The case identified at a meeting, discussed in supervision and recommended, the Referral Form
completed and signed by the worker and the line manager, and the Service Manager agreeing the
criteria are met or recording why not.
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import ItemKind, Nature, personal
from domain.kernel.roles import Acting, Role, require_role
from domain.kernel.steps import happened, not_before
from domain.routes.shared.forms import required, subject_ids
from domain.routes.single_agency.commands import (
    AgreeCriteriaMet,
    CompleteReferralForm,
    IdentifyCase,
    RecommendReview,
    RecordCriteriaNotMet,
    RecordSupervisionDiscussion,
    Signatory,
    SignReferralForm,
)
from domain.routes.single_agency.events import (
    CaseIdentified,
    CriteriaAgreed,
    CriteriaNotMetRecorded,
    ReferralFormCompleted,
    ReferralFormSigned,
    ReviewRecommended,
    SupervisionDiscussionRecorded,
)
from domain.routes.single_agency.forms import record_referral_form
from domain.routes.single_agency.rules import RULE_CRITERIA, RULE_REFERRAL, RULE_SERVICE_MANAGER
from domain.routes.single_agency.state import SingleAgencyReviewRecord


class ReferralSteps(SingleAgencyReviewRecord):
    """Identification, supervision, recommendation, the Referral Form, and the Service Manager's view."""

    @handles(IdentifyCase)
    def identify(self, command: IdentifyCase, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("identified_on", command.identified_on, at)
        if not command.criteria:
            self._refuse("name at least one of the criteria for a Learning Review", RULE_CRITERIA)
        if not command.subjects:
            raise InvalidInput("subjects", "name the data subjects the concern is about")
        subjects = subject_ids(*command.subjects)
        concern = required("concern", command.concern)
        self._record(
            CaseIdentified(
                identified_on=command.identified_on,
                meeting=command.meeting,
                team=required("team", command.team),
                criteria=tuple(dict.fromkeys(command.criteria)),
                concern=personal(concern, *subjects, kind=ItemKind.NARRATIVE, nature=Nature.OPINION),
                subjects=subjects,
                role=role,
                at=at,
            )
        )

    @handles(RecordSupervisionDiscussion)
    def record_supervision(self, command: RecordSupervisionDiscussion, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        not_before("discussed_on", command.discussed_on, self.identified_on, "the case was identified")
        happened("discussed_on", command.discussed_on, at)
        notes = self._case_text(command, "notes", command.notes)
        self._record(
            SupervisionDiscussionRecorded(discussed_on=command.discussed_on, notes=notes, role=role, at=at)
        )

    @handles(RecommendReview)
    def recommend(self, command: RecommendReview, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("recommended_on", command.recommended_on, at)
        self._record(
            ReviewRecommended(
                recommended_on=command.recommended_on,
                service_manager=required("service_manager", command.service_manager),
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
                role=role,
                at=at,
            )
        )

    @handles(CompleteReferralForm)
    def complete_referral_form(self, command: CompleteReferralForm, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        happened("submitted_to_service_manager_on", command.form.submitted_to_service_manager_on, at)
        form = record_referral_form(command.form)
        self._record(ReferralFormCompleted(version=self.form_version + 1, form=form, role=role, at=at))

    @handles(SignReferralForm)
    def sign_referral_form(self, command: SignReferralForm, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        # Appendix 3: "Signature of Worker", "Signature of Line Manager": each signs in their own role.
        needed = Role.SOCIAL_WORKER if command.signatory is Signatory.WORKER else Role.LINE_MANAGER
        role = require_role(
            by, needed, action=f"signing the Referral Form as {command.signatory}", record=self.reference
        )
        if self.form_version == 0:
            self._refuse("there is no Referral Form to sign", RULE_REFERRAL)
        if command.version != self.form_version:
            self._refuse(
                f"only the latest version of the Referral Form (version {self.form_version}) can be signed",
                RULE_REFERRAL,
            )
        if command.signatory in self.signatures:
            self._refuse(f"the Referral Form is already signed by the {command.signatory}", RULE_REFERRAL)
        if by.actor in self.signatures.values():
            self._refuse("the worker and the line manager must be two different people", RULE_REFERRAL)
        happened("signed_on", command.signed_on, at)
        self._record(
            ReferralFormSigned(
                version=command.version,
                signatory=command.signatory,
                signed_by=by.actor,
                signed_on=command.signed_on,
                role=role,
                at=at,
            )
        )

    @handles(AgreeCriteriaMet)
    def agree_criteria_met(self, command: AgreeCriteriaMet, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_signed_referral()
        happened("agreed_on", command.agreed_on, at)
        comment = self._maybe(command, command.comment, Nature.OPINION)
        self._record(CriteriaAgreed(agreed_on=command.agreed_on, comment=comment, role=role, at=at))

    @handles(RecordCriteriaNotMet)
    def record_criteria_not_met(self, command: RecordCriteriaNotMet, by: Acting, at: datetime) -> None:
        role = self._begin(command, by)
        self._require_signed_referral()
        if not command.reasons.strip():
            # §3(3): "the reasons for this should be recorded in the workers supervision notes".
            self._refuse(
                "the Service Manager must record the reasons the criteria are not met", RULE_SERVICE_MANAGER
            )
        happened("decided_on", command.decided_on, at)
        not_before("supervision_notes_on", command.supervision_notes_on, command.decided_on, "the decision")
        happened("supervision_notes_on", command.supervision_notes_on, at)
        self._record(
            CriteriaNotMetRecorded(
                decided_on=command.decided_on,
                reasons=self._case_text(command, "reasons", command.reasons, Nature.OPINION),
                supervision_notes_on=command.supervision_notes_on,
                role=role,
                at=at,
            )
        )
