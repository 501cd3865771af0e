"""Who answers for an agency: the contacts a review names for each agency or service taking part.

A role says that a person may answer for *an* agency; only the review knows *which* agency they
answer for. Each route that asks agencies for something (seed 000: the information forms; seed 003:
the agency checks, chronologies, agency reports and nominated representatives) names each agency's
contact by actor id, and every answer for that agency is then taken only from one of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.roles import Acting

RULE_CONTACT = "an agency answers for itself: only a contact the review named for that agency"


def name_contact(contacts: Mapping[str, frozenset[str]], agency: str, actor_id: str) -> None:
    """Check a new contact can be named: both given, and not named twice for the same agency."""
    if not agency.strip() or agency != agency.strip():
        raise InvalidInput("agency", "name the agency or service, without spaces around it")
    if not actor_id.strip() or actor_id != actor_id.strip():
        raise InvalidInput("actor_id", "name the contact by their actor id, without spaces around it")
    if actor_id in contacts.get(agency, frozenset()):
        raise InvalidInput("actor_id", f"{actor_id} is already a contact for {agency}")


def require_contact(
    contacts: Mapping[str, frozenset[str]], agency: str, by: Acting, *, doing: str, record: str
) -> None:
    """Refuse unless `by` is a contact the review named for `agency`."""
    named = contacts.get(agency, frozenset())
    if not named:
        raise RuleViolation(
            f"{doing} for {agency} needs a contact named for {agency} first", rule=RULE_CONTACT, record=record
        )
    if by.actor not in named:
        raise RuleViolation(
            f"{doing} for {agency} is only for a contact named for {agency}; {by.actor} is not one",
            rule=RULE_CONTACT,
            record=record,
        )


def with_contact(
    contacts: Mapping[str, frozenset[str]], agency: str, actor_id: str
) -> dict[str, frozenset[str]]:
    """The contacts once `actor_id` is named for `agency` (for a record's state)."""
    return {**contacts, agency: contacts.get(agency, frozenset()) | {actor_id}}
