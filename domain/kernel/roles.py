"""The roles the procedures give authority to, and how a command checks them.

A person holds roles through signed `RoleGranted` / `RoleWithdrawn` events in the
registry; a command is given the acting person with the roles they hold at that
moment, and refuses when the procedure gives the step to someone else.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from domain.kernel.errors import NotAuthorised


class Role(StrEnum):
    """Roles named by the source procedures (seeds 000-004) and by information governance."""

    # Running the system itself.
    ADMINISTRATOR = "administrator"
    # National Learning Review, Scotland (seeds 001, 002).
    CPC_OFFICER = "cpc_officer"  # the CPC's nominated person or sub-group, lead officer, administrator
    CPC = "cpc"  # the Child (or Adult) Protection Committee, deciding
    COG = "cog"  # the Chief Officers Group
    REVIEWER = "reviewer"
    # Mini Learning Review, Orkney (seed 000).
    PARTNERSHIP_LEAD = "partnership_lead"
    PARTNERSHIP_MEMBER = "partnership_member"  # Children's Services Partnership / PPC member
    DELIVERY_GROUP = "delivery_group"  # Children's Services Improvement Plan Delivery Group (its Chair)
    QA_SUBCOMMITTEE = "qa_subcommittee"
    LEAD_OFFICER = "lead_officer"  # the Service Manager Public Protection (seed 000 §4)
    # Learning and Improvement Panel, Stockport (seed 003).
    HEAD_OF_SAFEGUARDING = "head_of_safeguarding"
    LEARNING_PANEL = "learning_panel"
    SERVICE_DIRECTOR = "service_director"
    INDEPENDENT_CHAIR = "independent_chair"
    NATIONAL_PANEL = "national_panel"
    SAFEGUARDING_BOARD = "safeguarding_board"
    AGENCY_CONTACT = "agency_contact"
    SCR_PANEL = "scr_panel"  # agrees an SCR's methodology, timescales, terms of reference and interviews
    MALR_PANEL = "malr_panel"  # the Multi-Agency Learning Review panel: agrees findings and recommendations
    AUDIT_MONITORING_SUBGROUP = "audit_monitoring_subgroup"  # monitors the multi-agency action plans
    QA_SUBGROUP = "qa_subgroup"  # the Board's QA Sub-group: notifies the Board by exception
    PERFORMANCE_DEVELOPMENT_MANAGER = "performance_development_manager"  # circulates the action plans
    # Single-agency Learning Review, Falkirk (seed 004).
    SOCIAL_WORKER = "social_worker"
    LINE_MANAGER = "line_manager"
    SERVICE_MANAGER = "service_manager"
    CFCIG = "cfcig"  # Children and Families Continuous Improvement Group
    LEAD_REVIEWER = "lead_reviewer"
    # Information governance and inspection.
    IG_OFFICER = "ig_officer"
    RECORDS_MANAGER = "records_manager"  # keeps the retention schedule, authorises disposal
    INSPECTOR = "inspector"


class Acting(msgspec.Struct, frozen=True, kw_only=True):
    """The person taking a step: their actor id and the roles they hold right now."""

    actor: str
    roles: frozenset[Role] = frozenset()

    def holds(self, role: Role) -> bool:
        return role in self.roles


def require_role(by: Acting, role: Role, *, action: str, record: str) -> Role:
    """Refuse unless `by` holds `role`; return the role the step is taken in."""
    if role not in by.roles:
        raise NotAuthorised(by.actor, _describe(role), action, record)
    return role


def require_any_role(by: Acting, roles: tuple[Role, ...], *, action: str, record: str) -> Role:
    """Refuse unless `by` holds one of `roles`; return the first one held."""
    for role in roles:
        if role in by.roles:
            return role
    raise NotAuthorised(by.actor, " or ".join(_describe(r) for r in roles), action, record)


_DESCRIPTIONS: dict[Role, str] = {
    Role.ADMINISTRATOR: "an administrator",
    Role.CPC_OFFICER: "a protection committee officer",
    Role.CPC: "the protection committee",
    Role.COG: "the Chief Officers Group",
    Role.REVIEWER: "a reviewer",
    Role.PARTNERSHIP_LEAD: "the Partnership Lead",
    Role.PARTNERSHIP_MEMBER: "a member of the Partnership",
    Role.DELIVERY_GROUP: "the Delivery Group",
    Role.QA_SUBCOMMITTEE: "the Quality Assurance Sub Committee",
    Role.LEAD_OFFICER: "the Lead Officer (Service Manager Public Protection)",
    Role.HEAD_OF_SAFEGUARDING: "the Head of Safeguarding",
    Role.LEARNING_PANEL: "the Learning and Improvement Panel",
    Role.SERVICE_DIRECTOR: "the Service Director",
    Role.INDEPENDENT_CHAIR: "the Board's Independent Chair",
    Role.NATIONAL_PANEL: "the National Panel",
    Role.SAFEGUARDING_BOARD: "the Safeguarding Children Board",
    Role.AGENCY_CONTACT: "an agency contact",
    Role.SCR_PANEL: "the SCR Panel",
    Role.MALR_PANEL: "the Multi-Agency Learning Review panel",
    Role.AUDIT_MONITORING_SUBGROUP: "the Audit and Monitoring Sub-group",
    Role.QA_SUBGROUP: "the QA Sub-group",
    Role.PERFORMANCE_DEVELOPMENT_MANAGER: "the Performance and Development Manager",
    Role.SOCIAL_WORKER: "a social worker",
    Role.LINE_MANAGER: "the line manager",
    Role.SERVICE_MANAGER: "the Service Manager",
    Role.CFCIG: "the Continuous Improvement Group",
    Role.LEAD_REVIEWER: "the lead reviewer",
    Role.IG_OFFICER: "an information-governance officer",
    Role.RECORDS_MANAGER: "the records manager",
    Role.INSPECTOR: "an inspector",
}


def _describe(role: Role) -> str:
    return _DESCRIPTIONS[role]
