"""The words the pages use for the code's names: every field, role, option and step, from this one place.

The code names things in its own spelling (`web_form`, `reasonable_to_disclose`, `s38_1_b`,
`cpc_officer`, `agree-scr-panel`); people read them here in plain English. A name with words of
its own is in `WORDS`; any other is read by rule: its underscores and hyphens become spaces,
the abbreviations the procedures use keep their capitals, and a FOISA section is written as the
Act cites it. The stored values never change: only what a page shows.
"""

from __future__ import annotations

import re

from domain.kernel.roles import Role

# Names whose plain words are not just their spelling with spaces.
WORDS: dict[str, str] = {
    # Options
    "reasonable_to_disclose": "Reasonable to disclose without their consent",
    "web_form": "Web form",
    "by_hand": "By hand",
    "in_person": "In person",
    "other_recordable": "Another form that can be kept (for example, a recording)",
    "secure_portal": "Secure portal",
    "sar_file": "Subject access request file",
    "foi_file": "FOI request file",
    "open_sar": "Open subject access request",
    "open_foi": "Open FOI request",
    "not_held": "Not held (FOISA s.17)",
    "neither_confirm_nor_deny": "Neither confirm nor deny (FOISA s.18)",
    "disclose": "Disclose in full",
    "partial": "Disclose in part",
    "refuse": "Refuse: all of it exempt (FOISA s.16)",
    "confirmed": "Confirmed, with or without modifications (FOISA s.21(4)(a))",
    "substituted": "A different decision substituted (FOISA s.21(4)(b))",
    "decision_reached": "A decision reached where none had been (FOISA s.21(4)(c))",
    "whole": "The whole item",
    "part": "Part of the item",
    "known_to_service": "Known to the service",
    "lack_of_progress_in_childs_plan": "Lack of progress in the child's plan",
    "evidence_of_child_centred_practice": "Evidence of child-centred practice",
    "yes": "Yes",
    "no": "No",
    # National Learning Review: completion, family and dissemination (seed 001 section 4)
    "notice_to": "Told of the pause (the committee and the COG)",
    "notice_on": "Date they were told",
    "recipients": "Reported to (the committee and the COG)",
    "presented_to": "Presented to",
    "presented_on": "Date presented",
    "carried_over_on": "Date carried over",
    "owner": "Named owner who carries the action on",
    "relation": "Relation to the person the review is about",
    "involved": "To be involved in the review",
    "reasons_not_involved": "Reasons they are not to be involved",
    "informed_on": "Date the family were informed",
    "how": "Who told them, and how the purpose of the review was explained",
    "response": "Their response to the conclusion, the learning and the strategies",
    "response_of": "Whose response it is",
    "feedback_of": "Whose feedback it is",
    "activity": "Dissemination activity",
    "activity_number": "Number of the dissemination activity (1 for the first recorded)",
    "themes": "Learning themes, one per line",
    "tagged_on": "Date tagged",
    "named_on": "Date named",
    "recorded_on": "Date recorded",
    "7-minute briefing": "7-minute briefing",
    "record-police-scotland-liaison": "Record liaison with Police Scotland",
    "committee": "Child or Adult Protection Committee",
    "COG": "Chief Officers Group",
    # Fields of the route steps
    "reached_full_criteria": "Reached the criteria for a full Learning Review",
    "concluded_on": "Date of the conclusion",
    "in_another_form": "A review in another form (a child who has not died, with lessons to learn)",
    "chosen_on": "Date chosen",
    "endorsed": "Endorsed by the Independent Chair",
    "chronology_template": "Chronology template (document reference)",
    "terms_of_reference": "Terms of reference (document reference)",
    "representative_subject": "Representative (their data-subject id)",
    "representative_name": "Representative's name",
    "nominated_on": "Date nominated",
    "interviewee": "Person interviewed (their data-subject id)",
    "submitted_on": "Date submitted",
    "due_on": "Due date",
    "acknowledged_on": "Date taken up by the service",
    "procedure": "The agency's own staff procedure",
    "owner_subject": "Owner (their data-subject id)",
    "owner_name": "Owner's name",
    "assigned_on": "Date the owner was named",
    "signed_off_on": "Date signed off",
    "reported_on": "Date reported",
    "circulated_on": "Date circulated",
    "evidence": "Evidence (document references)",
    "implements_strategy": "The report's CLEAR strategy it implements (its number: 1 for the first)",
    "practitioners": "Staff it concerns (their data-subject ids)",
    # Roles
    Role.CPC_OFFICER.value: "CPC officer (nominated person)",
    Role.CPC.value: "Child or Adult Protection Committee",
    Role.COG.value: "Chief Officers Group",
    Role.QA_SUBCOMMITTEE.value: "Quality assurance sub-committee",
    Role.DELIVERY_GROUP.value: "Delivery Group",
    Role.CFCIG.value: "Children and Families Continuous Improvement Group",
    Role.IG_OFFICER.value: "Information governance officer",
    Role.NATIONAL_PANEL.value: "National Panel",
    Role.SAFEGUARDING_BOARD.value: "Safeguarding Board",
    Role.LEARNING_PANEL.value: "Learning and Improvement Panel",
    Role.LEAD_OFFICER.value: "Lead Officer (Service Manager Public Protection)",
    Role.SCR_PANEL.value: "SCR Panel",
    Role.MALR_PANEL.value: "Multi-Agency Learning Review panel",
    Role.AUDIT_MONITORING_SUBGROUP.value: "Audit and Monitoring Sub-group",
    Role.QA_SUBGROUP.value: "QA Sub-group",
    Role.PERFORMANCE_DEVELOPMENT_MANAGER.value: "Performance and Development Manager",
}

# Abbreviations the procedures write in capitals.
_CAPITALS = {
    "cog",
    "cpc",
    "scr",
    "foi",
    "sar",
    "nhs",
    "qa",
    "ig",
    "copfs",
    "scra",
    "cfcig",
    "ofsted",
    "html",
    "json",
    "pdf",
    "zip",
    "id",
    "ppc",
}
_SECTION = re.compile(r"^s(\d+)((?:_[0-9a-z]+)*)$")  # s38_1_b: FOISA section 38(1)(b)


def _section(name: str) -> str | None:
    found = _SECTION.match(name)
    if found is None:
        return None
    parts = "".join(f"({p})" for p in found[2].split("_") if p)
    return f"Section {found[1]}{parts}"


def words(name: str) -> str:
    """Any code name in plain words, capitalised as the start of a label."""
    if name in WORDS:
        return WORDS[name]
    section = _section(name)
    if section is not None:
        return section
    said = [w.upper() if w in _CAPITALS else w for w in re.split(r"[_\-\s]+", name.strip()) if w]
    text = " ".join(said)
    text = "Ofsted" + text[6:] if text.startswith("OFSTED") else text.replace("OFSTED", "Ofsted")
    return text[:1].upper() + text[1:]


def option_label(value: str) -> str:
    return words(value)


def role_label(role: Role | str) -> str:
    return words(role.value if isinstance(role, Role) else role)


def step_label(name: str) -> str:
    """A step's command name ("agree-scr-panel") as its title ("Agree SCR panel")."""
    return words(name)


def field_label(name: str) -> str:
    return words(name)


_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def path_label(path: str) -> str:
    """Where an item sits in a record ("changes[0].text") in words: "Changes, item 1, text"."""
    parts: list[str] = []
    for name, index in _PART.findall(path):
        if name:
            said = words(name)
            parts.append(said[:1].lower() + said[1:] if parts and said[1:2].islower() else said)
        else:
            parts.append(f"item {int(index) + 1}")
    return ", ".join(parts) or path


_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_HOLDING = re.compile(r"(holding )([a-z_]+(?: or [a-z_]+)*)")
_ROLES = {role.value for role in Role}


def in_words(text: str) -> str:
    """A message or an outcome with the code's names in it said in words.

    The roles a refusal names ("a person holding cog or cpc_officer") are read as roles; any other
    name spelt with underscores (`multi_agency_learning_review`) as its words, in the sentence's case.
    """

    def roles(found: re.Match[str]) -> str:
        named = found[2].split(" or ")
        if not all(n in _ROLES for n in named):
            return found[0]
        return found[1] + " or ".join(role_label(n) for n in named)

    def code(found: re.Match[str]) -> str:
        said = words(found[0])
        return said[:1].lower() + said[1:] if said[1:2].islower() else said

    return _CODE.sub(code, _HOLDING.sub(roles, text))
