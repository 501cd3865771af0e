"""The review and the appeal of an FOI request (FOISA ss.20-21, s.47).

A requester may require a review within forty working days of the response, or of the day
the response fell due when none came (s.20(5)); a requirement arriving later is refused unless
the authority records why it accepts it. The review is decided within twenty working days
(s.21(1)) by an officer other than the one who sent the response. The requester may then
apply to the Scottish Information Commissioner (s.47), also when the review was not decided
in time; the file notes the application and the decision. A closed request still takes a
requirement for review or an application, which reopen it.
"""

from __future__ import annotations

from datetime import datetime

from domain.governance.foi.file import (
    RULE_APPEAL,
    RULE_RESPONSE,
    RULE_REVIEWER,
    FoiFile,
    check_digest,
    opinion,
    required,
)
from domain.governance.foi.steps import (
    AppealNoted,
    CloseFoiRequest,
    CommissionerDecisionNoted,
    DecideReview,
    FoiClosed,
    NoteAppeal,
    NoteCommissionerDecision,
    RecordReviewRequirement,
    ReviewDecided,
    ReviewRequired,
)
from domain.governance.ig_timescales import (
    RULE_FOI_REVIEW,
    RULE_FOI_REVIEW_REQUEST,
    foi_review_due,
    foi_review_request_deadline,
)
from domain.kernel.command import handles
from domain.kernel.errors import InvalidInput
from domain.kernel.event import DomainEvent, personal
from domain.kernel.roles import Acting
from domain.kernel.steps import happened, not_before


class ReviewAndAppeal(FoiFile):
    """The steps after the response: review, appeal, closure."""

    @handles(RecordReviewRequirement)
    def record_review_requirement(self, command: RecordReviewRequirement, by: Acting, at: datetime) -> None:
        self._begin(command, by, closed_too=True)
        assert self.due_on is not None  # the request is received
        if self.review is not None:
            self._refuse("a review has already been required for this request", RULE_FOI_REVIEW_REQUEST)
        self._dated("received_on", command.received_on, at)
        calendar = self._calendar()
        if self.responded is not None:
            last_day = self.responded.review_requirement_due_on
        elif command.received_on > self.due_on and not self.awaiting_clarification:
            # s.20(5)(a): a failure to respond can be reviewed once the time for it has run out.
            last_day = foi_review_request_deadline(self.due_on, calendar)
        else:
            self._refuse(
                f"nothing can be reviewed yet: the response is due by {self.due_on}", RULE_FOI_REVIEW_REQUEST
            )
        late = command.received_on > last_day
        because = (command.accepted_late_because or "").strip()
        if late and not because:
            self._refuse(
                f"the requirement for review arrived after the fortieth working day ({last_day}); "
                "record why the authority accepts it late, or refuse it",
                RULE_FOI_REVIEW_REQUEST,
            )
        if because and not late:
            raise InvalidInput("accepted_late_because", "the requirement for review is not late")
        requester = tuple(self._requester())
        self._record(
            ReviewRequired(
                received_on=command.received_on,
                dissatisfaction=personal(
                    required("dissatisfaction", command.dissatisfaction), *requester, by=self.requester_id
                ),
                late=late,
                accepted_late_because=opinion("accepted_late_because", because, requester) if late else None,
                due_on=foi_review_due(command.received_on, calendar),
                actor=by.actor,
                at=at,
            )
        )

    @handles(DecideReview)
    def decide_review(self, command: DecideReview, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        if self.review is None or self.review_decided_on is not None:
            self._refuse("there is no review waiting for a decision", RULE_FOI_REVIEW)
        if self.responded is not None and self.responded.actor == by.actor:
            self._refuse(
                f"the review is decided by an officer not involved in the response; {by.actor} sent it",
                RULE_REVIEWER,
            )
        happened("decided_on", command.decided_on, at)
        not_before("decided_on", command.decided_on, self.review.received_on, "the review was required")
        check_digest("notice_sha256", command.notice_sha256)
        self._record(
            ReviewDecided(
                decided_on=command.decided_on,
                outcome=command.outcome,
                reasons=opinion("reasons", command.reasons, tuple(self._requester())),
                notice_sha256=command.notice_sha256,
                actor=by.actor,
                at=at,
            )
        )

    @handles(NoteAppeal)
    def note_appeal(self, command: NoteAppeal, by: Acting, at: datetime) -> None:
        self._begin(command, by, closed_too=True)
        if self.appealed_on is not None:
            self._refuse("an application to the Commissioner is already noted", RULE_APPEAL)
        review_overdue = (
            self.review is not None
            and self.review_decided_on is None
            and command.applied_on > self.review.due_on
        )
        if self.review_decided_on is None and not review_overdue:
            self._refuse(
                "the Commissioner can be asked only after a review has been decided, or has not been "
                "decided in time",
                RULE_APPEAL,
            )
        self._dated("applied_on", command.applied_on, at)
        reference = required("commissioner_reference", command.commissioner_reference)
        self._record(
            AppealNoted(
                applied_on=command.applied_on, commissioner_reference=reference, actor=by.actor, at=at
            )
        )

    @handles(NoteCommissionerDecision)
    def note_commissioner_decision(self, command: NoteCommissionerDecision, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        if self.appealed_on is None or self.commissioner_decided_on is not None:
            self._refuse("no application to the Commissioner is waiting for a decision", RULE_APPEAL)
        happened("decided_on", command.decided_on, at)
        not_before("decided_on", command.decided_on, self.appealed_on, "the application")
        reference = required("decision_reference", command.decision_reference)
        self._record(
            CommissionerDecisionNoted(
                decided_on=command.decided_on,
                decision_reference=reference,
                outcome=command.outcome,
                actor=by.actor,
                at=at,
            )
        )

    @handles(CloseFoiRequest)
    def close(self, command: CloseFoiRequest, by: Acting, at: datetime) -> None:
        self._begin(command, by)
        if self.responded is None:
            self._refuse("the request cannot close before the response is sent", RULE_RESPONSE)
        if self.review is not None and self.review_decided_on is None:
            self._refuse("the request cannot close while a review is waiting for a decision", RULE_FOI_REVIEW)
        if self.appealed_on is not None and self.commissioner_decided_on is None:
            self._refuse("the request cannot close while the Commissioner is deciding", RULE_APPEAL)
        self._dated("closed_on", command.closed_on, at)
        self._record(FoiClosed(closed_on=command.closed_on, actor=by.actor, at=at))

    def _when_review(self, event: DomainEvent) -> bool:
        """Change state for a review or appeal event; False when the event is not one."""
        match event:
            case ReviewRequired():
                self.review = event
                self.closed_on = None  # a closed request is open again while it is reviewed
            case ReviewDecided():
                self.review_decided_on = event.decided_on
            case AppealNoted():
                self.appealed_on = event.applied_on
                self.closed_on = None
            case CommissionerDecisionNoted():
                self.commissioner_decided_on = event.decided_on
            case FoiClosed():
                self.closed_on = event.closed_on
            case _:
                return False
        return True
