"""The fictional people of the demonstration, their roles, and the shape of a scripted step.

Every name here is invented. Route scripts (`adapters/demo_<route>.py`) use these
actor ids, so the demo registers each person once with the roles below.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from domain.kernel.aggregate import Aggregate
from domain.kernel.command import Command
from domain.kernel.roles import Role


class CastMember(msgspec.Struct, frozen=True, kw_only=True):
    actor_id: str
    name: str
    roles: tuple[Role, ...]


CAST: tuple[CastMember, ...] = (
    CastMember(actor_id="admin", name="Morven Sinclair", roles=(Role.ADMINISTRATOR,)),
    CastMember(actor_id="cpc-officer", name="Callum Drever", roles=(Role.CPC_OFFICER,)),
    CastMember(actor_id="cpc-chair", name="Isla Flett", roles=(Role.CPC,)),
    CastMember(actor_id="cog-chair", name="Euan Rendall", roles=(Role.COG,)),
    CastMember(actor_id="reviewer", name="Ailsa Tulloch", roles=(Role.REVIEWER,)),
    CastMember(
        actor_id="partnership-lead",
        name="Magnus Linklater",
        roles=(Role.PARTNERSHIP_LEAD, Role.PARTNERSHIP_MEMBER),
    ),
    CastMember(actor_id="delivery-chair", name="Freya Harcus", roles=(Role.DELIVERY_GROUP,)),
    CastMember(actor_id="qa-chair", name="Rhona Scott", roles=(Role.QA_SUBCOMMITTEE,)),
    CastMember(actor_id="lead-officer", name="Fergus Tait", roles=(Role.LEAD_OFFICER,)),
    CastMember(
        actor_id="head-safeguarding",
        name="Priya Hallam",
        roles=(Role.HEAD_OF_SAFEGUARDING, Role.LEARNING_PANEL),
    ),
    CastMember(actor_id="service-director", name="Gareth Owen", roles=(Role.SERVICE_DIRECTOR,)),
    CastMember(
        actor_id="independent-chair",
        name="Helen Marsh",
        roles=(Role.INDEPENDENT_CHAIR, Role.SAFEGUARDING_BOARD),
    ),
    CastMember(actor_id="national-panel", name="Oliver Grant", roles=(Role.NATIONAL_PANEL,)),
    CastMember(actor_id="agency-contact", name="Sana Qureshi", roles=(Role.AGENCY_CONTACT,)),
    CastMember(actor_id="agency-contact-2", name="Adaeze Nwosu", roles=(Role.AGENCY_CONTACT,)),
    CastMember(actor_id="scr-panel-chair", name="Bronwen Ellery", roles=(Role.SCR_PANEL,)),
    CastMember(actor_id="malr-panel-chair", name="Tobias Varga", roles=(Role.MALR_PANEL,)),
    CastMember(actor_id="audit-chair", name="Yusuf Adebayo", roles=(Role.AUDIT_MONITORING_SUBGROUP,)),
    CastMember(actor_id="qa-subgroup-chair", name="Leonie Farrant", roles=(Role.QA_SUBGROUP,)),
    CastMember(actor_id="pd-manager", name="Petra Lindqvist", roles=(Role.PERFORMANCE_DEVELOPMENT_MANAGER,)),
    CastMember(actor_id="social-worker", name="Kirsty Baird", roles=(Role.SOCIAL_WORKER,)),
    CastMember(actor_id="line-manager", name="Douglas Rae", roles=(Role.LINE_MANAGER,)),
    CastMember(actor_id="service-manager", name="Fiona Lennox", roles=(Role.SERVICE_MANAGER,)),
    CastMember(actor_id="cfcig-chair", name="Andrew Morrison", roles=(Role.CFCIG,)),
    CastMember(actor_id="lead-reviewer", name="Shona Gillies", roles=(Role.LEAD_REVIEWER,)),
    CastMember(actor_id="ig-officer", name="Niamh Doherty", roles=(Role.IG_OFFICER,)),
    CastMember(actor_id="ig-officer-2", name="Tom Wishart", roles=(Role.IG_OFFICER,)),
    CastMember(actor_id="inspector", name="Catriona Munro", roles=(Role.INSPECTOR,)),
)


class DemoStep(msgspec.Struct, frozen=True, kw_only=True):
    """One scripted step: `actor` runs `command` on the record `reference` of `record_type` at `at`.

    `refused` marks a step the procedure must refuse (wrong role or out of order):
    the demo shows the refusal and checks that nothing was recorded.
    """

    actor: str
    reference: str
    record_type: type[Aggregate]
    command: Command
    at: datetime
    refused: bool = False
    note: str = ""
