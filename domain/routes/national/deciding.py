"""Steps 1-6 of a National Learning Review: from the notification to the committee's decision
and how it is communicated (seed 001 process map 1-5; seed 002 'Timing and timeliness').
"""

from __future__ import annotations

from datetime import datetime

from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import Nature
from domain.kernel.roles import Acting
from domain.routes.national.commands import (
    DecideNotToProceed,
    DecideToProceed,
    InformCog,
    LinkReview,
    MakeRecommendation,
    NotifyCareInspectorate,
    PassToNominatedPerson,
    ReceiveNotification,
    RecordAgencyReturn,
    RecordAlternativeApproach,
    RecordMediaApproach,
    RequestInformation,
    SendNotificationResponse,
)
from domain.routes.national.events import (
    AgencyReturnReceived,
    AlternativeApproachRecorded,
    CareInspectorateNotified,
    CogInformedOfDecision,
    DecisionNotToProceedRecorded,
    DecisionToProceedRecorded,
    InformationRequested,
    MediaApproachRecorded,
    NotificationReceived,
    NotificationResponseSent,
    PassedToNominatedPerson,
    RecommendationMade,
    ReviewLinked,
)
from domain.routes.national.forms import (
    family_member_record,
    person_record,
    practitioner_record,
    require_text,
    statement,
)
from domain.routes.national.rules import (
    RULE_AGENCY,
    RULE_ALTERNATIVE,
    RULE_INFORMATION,
    RULE_LINKS,
    RULE_NOTIFICATION,
    RULE_RECOMMENDATION,
    RULE_TERMS,
    NationalReviewRules,
)
from domain.routes.national.steps import AGENCY_CONTACT


class DecidingSteps(NationalReviewRules):
    """Notification, information, recommendation, decision and its communication."""

    # -- 1-3: notification, information, recommendation -------------------------------------

    @handles(ReceiveNotification)
    def receive_notification(self, command: ReceiveNotification, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        if self.received_on is not None:
            # Seed 001 process map 1: one notification opens one review record.
            self._refuse("a notification has already been received for this review", RULE_NOTIFICATION)
        principal = command.subject.subject_id
        for agency in command.agencies_involved:
            require_text("agencies_involved", agency)
        if command.escalated_from is not None:
            require_text("escalated_from", command.escalated_from)
        notifier = practitioner_record(command.notifier)
        self._record(
            NotificationReceived(
                at=at,
                role=role,
                subject_group=command.subject_group,
                received_on=self._dated(at, "received_on", command.received_on),
                subject=person_record(command.subject),
                notifier=notifier,
                reasons=statement(
                    "reasons",
                    command.reasons,
                    self._also_about((principal,), command.about),
                    by=notifier.subject_id,
                ),
                family=tuple(family_member_record(m, principal) for m in command.family),
                agencies_involved=command.agencies_involved,
                agency_contacts=tuple(practitioner_record(p) for p in command.agency_contacts),
                escalated_from=command.escalated_from,
            )
        )

    @handles(PassToNominatedPerson)
    def pass_to_nominated_person(self, command: PassToNominatedPerson, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_undecided("passing the notification to the nominated person or sub-group")
        if self.nominee is not None:
            self._refuse(f"the notification was already passed to {self.nominee}", RULE_NOTIFICATION)
        self._record(
            PassedToNominatedPerson(
                at=at,
                role=role,
                passed_on=self._dated(at, "passed_on", command.passed_on),
                nominee=require_text("nominee", command.nominee),
            )
        )

    @handles(RequestInformation)
    def request_information(self, command: RequestInformation, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_considering("requesting information")
        if not command.agencies:
            raise InvalidInput("agencies", "name at least one agency")
        for agency in command.agencies:
            require_text("agencies", agency)
        self._record(
            InformationRequested(
                at=at,
                role=role,
                agencies=command.agencies,
                requested_on=self._dated(at, "requested_on", command.requested_on),
                reply_by=command.reply_by,
            )
        )

    @handles(RecordAgencyReturn)
    def record_agency_return(self, command: RecordAgencyReturn, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_considering("recording an agency's return")
        if command.agency not in self.information_requested:
            self._refuse(f"no request for information was sent to {command.agency}", RULE_INFORMATION)
        if role is AGENCY_CONTACT and command.agency not in self.agency_contacts.get(by.actor, set()):
            # Each agency gives its own account: a contact answers only for the agency they are named for.
            self._refuse(
                f"{by.actor} is not named as a contact of {command.agency}, so cannot answer for it",
                RULE_AGENCY,
            )
        if command.agency in self.agency_returns | self.agency_non_returns:
            self._refuse(f"{command.agency} has already returned its information", RULE_INFORMATION)
        about = self._about(command.about)
        self._record(
            AgencyReturnReceived(
                at=at,
                role=role,
                agency=command.agency,
                received_on=self._dated(at, "received_on", command.received_on),
                involvement=statement("involvement", command.involvement, about, by=command.author),
                initial_reflection=statement(
                    "initial_reflection",
                    command.initial_reflection,
                    about,
                    nature=Nature.OPINION,
                    by=command.author,
                ),
            )
        )

    @handles(MakeRecommendation)
    def make_recommendation(self, command: MakeRecommendation, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_considering("making a recommendation")
        if self.recommendation is not None:
            self._refuse(
                f"a recommendation to {self.recommendation} has already been made", RULE_RECOMMENDATION
            )
        about = self._about(command.about)
        # Seed 001 process map 3A / 3B: what each recommendation comes with.
        if command.recommendation == "proceed" and command.proposed_terms_of_reference is None:
            self._refuse(
                "a recommendation to proceed must come with proposed terms of reference",
                "seed 001 process map 3B",
            )
        if command.recommendation == "not proceed" and command.alternative_approach is None:
            self._refuse(
                "a recommendation not to proceed must suggest an alternative approach for learning",
                "seed 001 process map 3A",
            )
        self._record(
            RecommendationMade(
                at=at,
                role=role,
                recommendation=command.recommendation,
                made_on=self._dated(at, "made_on", command.made_on),
                reasons=statement("reasons", command.reasons, about),
                proposed_terms_of_reference=self._optional(
                    "proposed_terms_of_reference", command.proposed_terms_of_reference, about
                ),
                alternative_approach=self._optional(
                    "alternative_approach", command.alternative_approach, about
                ),
            )
        )

    # -- 4-6: the decision and its communication ------------------------------------------

    @handles(DecideToProceed)
    def decide_to_proceed(self, command: DecideToProceed, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_deciding()
        if command.terms_of_reference is None and not self.has_proposed_terms:
            # Seed 001 'Terms of reference': a review proceeds on terms of reference.
            self._refuse(
                "no terms of reference were proposed, so the decision to proceed must give them", RULE_TERMS
            )
        about = self._about(command.about)
        self._record(
            DecisionToProceedRecorded(
                at=at,
                role=role,
                decided_on=self._dated(at, "decided_on", command.decided_on),
                basis=statement("basis", command.basis, about),
                terms_of_reference=self._optional("terms_of_reference", command.terms_of_reference, about),
            )
        )

    @handles(DecideNotToProceed)
    def decide_not_to_proceed(self, command: DecideNotToProceed, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_deciding()
        self._record(
            DecisionNotToProceedRecorded(
                at=at,
                role=role,
                decided_on=self._dated(at, "decided_on", command.decided_on),
                basis=statement("basis", command.basis, self._about(command.about)),
            )
        )

    @handles(InformCog)
    def inform_cog(self, command: InformCog, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_communication("COG", "the COG was already informed")
        self._record(
            CogInformedOfDecision(
                at=at, role=role, informed_on=self._dated(at, "informed_on", command.informed_on)
            )
        )

    @handles(SendNotificationResponse)
    def send_notification_response(self, command: SendNotificationResponse, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        decision = self._require_communication("notifier", "the Notification Response was already sent")
        self._record(
            NotificationResponseSent(
                at=at, role=role, decision=decision, sent_on=self._dated(at, "sent_on", command.sent_on)
            )
        )

    @handles(NotifyCareInspectorate)
    def notify_care_inspectorate(self, command: NotifyCareInspectorate, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        decision = self._require_communication(
            "Care Inspectorate", "the Care Inspectorate was already notified"
        )
        self._record(
            CareInspectorateNotified(
                at=at,
                role=role,
                decision=decision,
                notified_on=self._dated(at, "notified_on", command.notified_on),
            )
        )

    @handles(RecordMediaApproach)
    def record_media_approach(self, command: RecordMediaApproach, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_communication("media", "the media approach was already recorded")
        self._record(
            MediaApproachRecorded(
                at=at,
                role=role,
                agreed_on=self._dated(at, "agreed_on", command.agreed_on),
                approach=statement("approach", command.approach, self._about(command.about)),
            )
        )

    @handles(RecordAlternativeApproach)
    def record_alternative_approach(
        self, command: RecordAlternativeApproach, by: Acting, at: datetime
    ) -> None:
        role = self._authorise(command, by)
        self._require_decided()
        if self.decision == "proceed":
            self._refuse(
                f"the {self.committee} decided to proceed: an alternative approach for learning is "
                "recorded only when it decides not to",
                RULE_ALTERNATIVE,
            )
        if self.alternative_approach_on is not None:
            self._refuse("the alternative approach for learning was already recorded", RULE_ALTERNATIVE)
        self._record(
            AlternativeApproachRecorded(
                at=at,
                role=role,
                agreed_on=self._dated(at, "agreed_on", command.agreed_on),
                approach=statement("approach", command.approach, self._about(command.about)),
                lead_agency=require_text("lead_agency", command.lead_agency),
            )
        )

    @handles(LinkReview)
    def link_review(self, command: LinkReview, by: Acting, at: datetime) -> None:
        role = self._authorise(command, by)
        self._require_open()
        reference = require_text("linked_reference", command.linked_reference)
        # Seed 000 §1: a mini review is linked to, but separate from, a full review; each link once.
        if reference == self.reference or any(r.reference == reference for r in self.linked_reviews):
            self._refuse(f"{reference} cannot be linked to this review again", RULE_LINKS)
        self._record(
            ReviewLinked(at=at, role=role, linked_reference=reference, relationship=command.relationship)
        )
