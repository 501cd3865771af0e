"""Tokens that tie a submitted form to the session that was shown it (cross-site request forgery).

A page form carries a hidden token derived from the person's session token with HMAC-SHA-256
(RFC 2104) under a fixed, versioned label: another site cannot read it, so it cannot forge a
submission, and the token reveals nothing of the session token it came from. Checking is
constant-time. Nothing is stored: ending the session ends its form tokens.
"""

from __future__ import annotations

import hashlib
import hmac

from audit.errors import AuditError

FORM_TOKEN_LABEL = b"reviewledger/form-token/v1"  # domain separation from every other use of the token


class FormTokenError(AuditError):
    """A submitted form's token is missing or was not made for this session."""


def form_token(session_token: str) -> str:
    return hmac.new(session_token.encode("utf-8"), FORM_TOKEN_LABEL, hashlib.sha256).hexdigest()


def check_form_token(session_token: str, presented: str | None) -> None:
    if not presented:
        raise FormTokenError("the form has no token: reload the page and submit it again")
    if not hmac.compare_digest(
        form_token(session_token).encode("ascii"), presented.encode("utf-8", "replace")
    ):
        raise FormTokenError("the form's token is not this session's: reload the page and submit it again")
