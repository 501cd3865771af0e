"""The one root of every error raised in audit/, and the error every verifier raises."""


class AuditError(Exception):
    """Raised by audit/ only in its subclasses: one root a caller can catch for all of them."""


class VerificationError(AuditError):
    """Raised by every verifier in audit/.

    It carries one specific message, and the position it concerns (1-based, or None).
    """

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position
