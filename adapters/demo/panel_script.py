"""What both Learning and Improvement Panel cases share: their references and who acts in them.

The people of the demo's cast who take each step, by the part they play, and the agencies
asked about the child.
"""

from __future__ import annotations

MALR = "LIP-2026-001"
SCR = "LIP-2026-002"

HEAD = "head-safeguarding"  # Head of Safeguarding; also sits on the Panel
DIRECTOR = "service-director"
CHAIR = "independent-chair"  # the Board's Independent Chair; also acts for the Board
NATIONAL = "national-panel"
AGENCY = "agency-contact"  # answers for Health and Education
AGENCY_2 = "agency-contact-2"
SCR_PANEL = "scr-panel-chair"  # chairs the SCR Panel  # answers for the Police and Children's Social Care
MALR_PANEL = "malr-panel-chair"  # chairs the Multi-Agency Learning Review panel
PDM = "pd-manager"  # the Performance and Development Manager
AUDIT = "audit-chair"  # the Audit and Monitoring Sub-group
QA = "qa-subgroup-chair"  # the QA Sub-group
CONTACTS = {"Health": AGENCY, "Education": AGENCY, "Police": AGENCY_2, "Children's Social Care": AGENCY_2}

INVOLVED = ("Health", "Education", "Children's Social Care")
