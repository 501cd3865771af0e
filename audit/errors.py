class VerificationError(Exception):
    """Raised by every verifier in audit/.

    It carries one specific message, and the position it concerns (1-based, or None).
    """

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position
