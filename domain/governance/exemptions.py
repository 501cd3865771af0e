"""The FOISA exemptions an FOI officer applies to a learning review's records (DOMAIN.md §5).

Each exemption says its section, its title, whether it is absolute or qualified (FOISA s.2:
a qualified exemption withholds information only when the public interest in withholding
it outweighs the public interest in disclosure, so its use records that test), whether a
"neither confirm nor deny" notice may rest on it (s.18 lists ss.28 to 35, 38, 39(1) and 41),
and the short description a refusal notice quotes.

The codes (`Section.S38_1_B` = "s38_1_b") are what commands carry and events store; they
never change. s.38(1)(b) is treated as absolute, as it is when disclosure would breach the
data protection principles (s.2(2)(e)(ii), s.38(2A)); s.38(1)(a), the requester's own data,
is absolute too and the request is handled as a subject access request instead.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Section(StrEnum):
    """A FOISA exemption, by section."""

    S27_1 = "s27_1"
    S30_B = "s30_b"
    S30_C = "s30_c"
    S35_1 = "s35_1"
    S36_1 = "s36_1"
    S36_2 = "s36_2"
    S38_1_A = "s38_1_a"
    S38_1_B = "s38_1_b"
    S39_1 = "s39_1"


class ExemptionKind(StrEnum):
    ABSOLUTE = "absolute"
    QUALIFIED = "qualified"  # subject to the public interest test (FOISA s.2(1)(b))


class Exemption(msgspec.Struct, frozen=True, kw_only=True):
    section: str  # as cited in a notice, e.g. "section 38(1)(b)"
    title: str
    kind: ExemptionKind
    description: str  # the sentence a refusal notice quotes
    neither_confirm_nor_deny: bool  # s.18 may rest on it
    handle_as_subject_access: bool = False  # s.38(1)(a): the requester's own personal data

    @property
    def qualified(self) -> bool:
        return self.kind is ExemptionKind.QUALIFIED


_A, _Q = ExemptionKind.ABSOLUTE, ExemptionKind.QUALIFIED

EXEMPTIONS: dict[Section, Exemption] = {
    Section.S27_1: Exemption(
        section="section 27(1)",
        title="Information intended for future publication",
        kind=_Q,
        description="The information is held with a view to its being published within twelve weeks "
        "of the request, and it is reasonable to withhold it until then.",
        neither_confirm_nor_deny=False,
    ),
    Section.S30_B: Exemption(
        section="section 30(b)",
        title="Prejudice to effective conduct of public affairs: free and frank advice and views",
        kind=_Q,
        description="Disclosure would, or would be likely to, inhibit substantially the free and frank "
        "provision of advice or exchange of views for the purposes of deliberation.",
        neither_confirm_nor_deny=True,
    ),
    Section.S30_C: Exemption(
        section="section 30(c)",
        title="Prejudice to effective conduct of public affairs",
        kind=_Q,
        description="Disclosure would otherwise prejudice substantially, or be likely to prejudice "
        "substantially, the effective conduct of public affairs.",
        neither_confirm_nor_deny=True,
    ),
    Section.S35_1: Exemption(
        section="section 35(1)",
        title="Law enforcement",
        kind=_Q,
        description="Disclosure would, or would be likely to, prejudice substantially the prevention or "
        "detection of crime, the apprehension or prosecution of offenders, or the administration of justice.",
        neither_confirm_nor_deny=True,
    ),
    Section.S36_1: Exemption(
        section="section 36(1)",
        title="Confidentiality: legal professional privilege",
        kind=_Q,
        description="The information is such that a claim to confidentiality of communications could be "
        "maintained in legal proceedings.",
        neither_confirm_nor_deny=False,
    ),
    Section.S36_2: Exemption(
        section="section 36(2)",
        title="Confidentiality: information obtained in confidence",
        kind=_A,
        description="The information was obtained from another person and its disclosure would constitute "
        "a breach of confidence actionable by that person.",
        neither_confirm_nor_deny=False,
    ),
    Section.S38_1_A: Exemption(
        section="section 38(1)(a)",
        title="Personal information: the requester's own personal data",
        kind=_A,
        description="The information is your own personal data; it is considered under your right of "
        "subject access (UK GDPR Article 15) instead.",
        neither_confirm_nor_deny=True,
        handle_as_subject_access=True,
    ),
    Section.S38_1_B: Exemption(
        section="section 38(1)(b)",
        title="Personal information: another person's personal data",
        kind=_A,
        description="The information is the personal data of someone other than you, and disclosing it "
        "would breach the data protection principles.",
        neither_confirm_nor_deny=True,
    ),
    Section.S39_1: Exemption(
        section="section 39(1)",
        title="Health, safety and the environment",
        kind=_Q,
        description="Disclosure would, or would be likely to, endanger the physical or mental health or the "
        "safety of an individual.",
        neither_confirm_nor_deny=True,
    ),
}


def exemption(section: Section) -> Exemption:
    """The exemption a code names."""
    return EXEMPTIONS[section]
