"""Every module that defines event types, so the registry of stored names is complete."""

from __future__ import annotations

import importlib

EVENT_MODULES: tuple[str, ...] = (
    "domain.kernel.registry",
    "domain.governance.disposal",
    "domain.governance.subjects",
    "domain.routes.national.events",
    "domain.routes.national.events_reporting",
    "domain.routes.mini.events",
    "domain.routes.panel.events",
    "domain.routes.single_agency.events",
    "domain.governance.sar.request",
    "domain.governance.foi.request",
    "domain.governance.retention",
    "domain.governance.access",
    "domain.governance.documents",
)


def load() -> None:
    """Import each event module once (idempotent)."""
    for name in EVENT_MODULES:
        importlib.import_module(name)
