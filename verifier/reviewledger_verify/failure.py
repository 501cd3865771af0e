"""One specific reason a bundle does not verify, and the two byte helpers every check uses."""

from __future__ import annotations

import base64
import binascii
import hashlib


class Failure(Exception):
    """One specific reason the bundle does not verify, with the log position it concerns."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message if self.position is None else f"position {self.position}: {self.message}"


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def strict_b64decode(text: str, what: str, position: int | None = None) -> bytes:
    """Standard base64 (RFC 4648 §4) in canonical form only; Failure otherwise."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise Failure(f"{what} is not valid base64", position) from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise Failure(f"{what} is not canonical base64", position)
    return raw
