"""Every module that defines event types, so the registry of stored names is complete."""

from __future__ import annotations

import importlib

EVENT_MODULES: tuple[str, ...] = (
    "domain.registry",
    "domain.disposal",
    "domain.subjects",
    "domain.national_review",
    "domain.mini_review",
    "domain.panel_review",
    "domain.single_agency_review",
    "domain.sar_request",
    "domain.foi_request",
    "domain.retention",
    "domain.access",
    "domain.documents",
)


def load() -> None:
    """Import each event module once (idempotent)."""
    for name in EVENT_MODULES:
        importlib.import_module(name)
