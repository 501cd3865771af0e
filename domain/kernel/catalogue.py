"""Every module that defines event types, so the registry of stored names is complete."""

from __future__ import annotations

import importlib

EVENT_MODULES: tuple[str, ...] = (
    "domain.kernel.registry",
    "domain.governance.disposal",
    "domain.governance.subjects",
    "domain.routes.national.review",
    "domain.routes.mini.review",
    "domain.routes.panel.review",
    "domain.routes.single_agency.review",
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
