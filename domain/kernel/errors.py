"""The one error hierarchy of reviewledger.

Every error a person can meet is a `ReviewledgerError`: its message says which rule
was broken and for which record, in words an officer understands, and never
contains personal data.
"""

from __future__ import annotations


class ReviewledgerError(Exception):
    """Root of every error the system raises on purpose."""


class InvalidInput(ReviewledgerError):
    """A field given to a command is missing or breaks its rule."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class RuleViolation(ReviewledgerError):
    """A command would break a rule of the procedure; nothing was recorded.

    `rule` cites where the rule comes from (a seed section or a statute).
    """

    def __init__(self, message: str, *, rule: str, record: str) -> None:
        super().__init__(f"{record}: {message} ({rule})")
        self.message = message
        self.rule = rule
        self.record = record


class NotAuthorised(ReviewledgerError):
    """The person does not hold the role the procedure gives this step."""

    def __init__(self, actor: str, needs: str, action: str, record: str) -> None:
        super().__init__(
            f"{record}: {action} can only be recorded by {needs}; {actor} does not hold that role"
        )
        self.actor = actor
        self.needs = needs
        self.action = action
        self.record = record


class RecordNotFound(ReviewledgerError):
    """No record with this reference exists."""

    def __init__(self, kind: str, reference: str) -> None:
        super().__init__(f"no {kind} with reference {reference!r}")
        self.kind = kind
        self.reference = reference


class ConcurrentChange(ReviewledgerError):
    """Someone else recorded a step on the same record first; reload and try again."""

    def __init__(self, record: str) -> None:
        super().__init__(
            f"{record} was changed by someone else while this step was being recorded; "
            "nothing was written: reload the record and try again"
        )
        self.record = record
