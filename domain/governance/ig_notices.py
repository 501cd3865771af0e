"""The words of the FOISA notices: refusal (s.16), information not held (s.17), neither confirm
nor deny (s.18), and the review decision (s.21(5)); every one ends with the requester's rights
(s.19: to require a review, s.20; then to apply to the Scottish Information Commissioner, s.47).

The texts are built from plain values the application has opened for the officer; the domain
records only which notice was sent, the sections it cites and the digest of what was sent.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from domain.governance.exemptions import Section, exemption
from domain.kernel.errors import InvalidInput

REVIEW_AND_APPEAL_RIGHTS = (
    "Your right to a review and to appeal (section 19 of the Freedom of Information (Scotland) Act 2002)\n"
    "If you are dissatisfied with how we have dealt with your request, you may ask us to review our "
    "decision (section 20). Please write to us, or use another form that can be kept for reference, "
    "within 40 working days of receiving this response, giving your name and an address for "
    "correspondence, describing your original request and saying why you are dissatisfied. We will "
    "reply within 20 working days of receiving your request for review.\n"
    "If you are dissatisfied with the outcome of the review, you may apply to the Scottish Information "
    "Commissioner for a decision (section 47), normally within six months of receiving our review "
    "response. You cannot apply to the Commissioner before asking us for a review."
)

COMMISSIONER_AND_COURT_RIGHTS = (
    "Your right to apply to the Scottish Information Commissioner (section 47)\n"
    "If you remain dissatisfied, you may apply to the Scottish Information Commissioner for a decision "
    "within six months of receiving this review response. If you then disagree with the Commissioner's "
    "decision, you may appeal to the Court of Session on a point of law only (section 56)."
)


class NoticeGround(msgspec.Struct, frozen=True, kw_only=True):
    """One exemption a notice relies on, why it applies, and for a qualified one the public interest."""

    section: Section
    reasons: str
    public_interest: str | None = None


def refusal_notice(grounds: Sequence[NoticeGround], *, partial: bool) -> str:
    """FOISA s.16(1): which exemptions, why each applies, and for a qualified one the public interest."""
    if not grounds:
        raise InvalidInput("grounds", "a refusal notice names at least one exemption")
    opening = (
        "We have released some of the information you asked for. The rest is withheld under the "
        "exemptions below (section 16)."
        if partial
        else "We hold the information you asked for, but it is withheld under the exemptions below (section 16)."
    )
    parts = [opening]
    for ground in grounds:
        parts.append(_ground_text(ground))
    parts.append(REVIEW_AND_APPEAL_RIGHTS)
    return "\n\n".join(parts)


def not_held_notice(explanation: str) -> str:
    """FOISA s.17(1): the authority does not hold the information."""
    if not explanation.strip():
        raise InvalidInput("explanation", "say why the information is not held, or where it may be held")
    return "\n\n".join(
        (
            "We do not hold the information you asked for (section 17).",
            explanation.strip(),
            REVIEW_AND_APPEAL_RIGHTS,
        )
    )


def neither_confirm_nor_deny_notice(sections: Sequence[Section]) -> str:
    """FOISA s.18(1): neither confirming nor denying, on exemptions s.18 allows."""
    if not sections:
        raise InvalidInput("sections", "a notice under section 18 names the exemptions it rests on")
    for section in sections:
        if not exemption(section).neither_confirm_nor_deny:
            raise InvalidInput(
                "sections", f"{exemption(section).section} cannot support neither confirming nor denying"
            )
    cited = ", ".join(exemption(s).section for s in dict.fromkeys(sections))
    return "\n\n".join(
        (
            "We can neither confirm nor deny whether we hold the information you asked for (section 18). "
            f"If we did hold it, it would be exempt from disclosure under {cited}, and revealing whether "
            "it exists or is held would be contrary to the public interest.",
            REVIEW_AND_APPEAL_RIGHTS,
        )
    )


def disclosure_notice() -> str:
    """A response releasing everything asked for still states the rights of review and appeal."""
    return "\n\n".join(("We enclose the information you asked for.", REVIEW_AND_APPEAL_RIGHTS))


def review_decision_notice(decision: str) -> str:
    """FOISA s.21(5) and (10): the review decision and the rights of application and appeal."""
    if not decision.strip():
        raise InvalidInput("decision", "state the outcome of the review and the reasons for it")
    return "\n\n".join((decision.strip(), COMMISSIONER_AND_COURT_RIGHTS))


def _ground_text(ground: NoticeGround) -> str:
    found = exemption(ground.section)
    if not ground.reasons.strip():
        raise InvalidInput("reasons", f"say why {found.section} applies")
    lines = [f"{found.section}: {found.title} ({found.kind.value} exemption)", found.description]
    lines.append(f"Why it applies: {ground.reasons.strip()}")
    if found.qualified:
        if ground.public_interest is None or not ground.public_interest.strip():
            raise InvalidInput(
                "public_interest", f"{found.section} is qualified: give the public interest test"
            )
        lines.append(f"The public interest: {ground.public_interest.strip()}")
    elif ground.public_interest is not None:
        raise InvalidInput("public_interest", f"{found.section} is absolute: it has no public interest test")
    return "\n".join(lines)
