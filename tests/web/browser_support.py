"""A real headless Chromium for the page tests: Debian's `chromium`, driven by Playwright.

The browser is installed with apt when it is missing (this needs root and Debian's mirrors); if
that is impossible the browser tests skip with the reason locally and fail in CI (CI=true), as
the PostgreSQL tests do. Every page a test looks at can be checked with axe-core (pinned in
`web/package.json`) against WCAG 2.2 A and AA; a screenshot of a page is kept under
`var/test-artefacts/screenshots/`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import inspect as mi
from playwright.sync_api import Page

from adapters.web.assets import AXE_SCRIPT, REPOSITORY
from adapters.web.step_forms import (
    ADD_ROW,
    RADIO_LIMIT,
    _choices,
    _is_list,
    _non_null,
    field_id,
    is_entry_list,
)
from domain.kernel.command import Command

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
SCREENSHOTS = REPOSITORY / "var" / "test-artefacts" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"the browser tests must run in CI: {reason}")
    pytest.skip(reason)


def install_chromium() -> str | None:
    """Debian's chromium, installed when missing; None when there, else why it could not be."""
    if CHROMIUM.exists():
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "/usr/bin/chromium is missing, and apt-get cannot install it here (it needs root on Debian)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}"
    return None if CHROMIUM.exists() else "apt-get installed chromium but /usr/bin/chromium is not there"


def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        unavailable("axe-core is not installed: run `make web-assets` (npm ci in web/)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def check_accessibility(page: Page, axe: str, what: str) -> None:
    """axe-core over the whole page, WCAG 2.2 A and AA rules: no violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe)
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))",
        WCAG,
    )
    assert result == [], f"accessibility violations on {what}:\n{json.dumps(result, indent=1)}"


def screenshot(page: Page, name: str, *, full_page: bool = True, top: float = 0) -> Path:
    """The page as a test artefact; `full_page=False` keeps one screen from `top` down (for the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if full_page:
        page.screenshot(path=str(path), full_page=True)
    else:
        page.screenshot(
            path=str(path), full_page=True, clip={"x": 0, "y": top, "width": 1100, "height": 1000}
        )
    return path


# -- filling a step's form from a command ---------------------------------------------------------


def fill_step(page: Page, command: Command) -> None:
    """Fill the step's form with the command's values, field by field, as a person would."""
    info = mi.type_info(type(command))
    assert isinstance(info, mi.StructType)
    values = msgspec.to_builtins(command)
    for f in info.fields:
        _fill(page, f.encode_name, f.type, values.get(f.encode_name), 0)


def _by_id(page: Page, path: str, suffix: str = "") -> Any:
    return page.locator(f"[id='{field_id(path)}{suffix}']")


def _fill(page: Page, path: str, t: mi.Type, value: Any, depth: int) -> None:
    if value is None or value == []:
        return
    inner, nullable = _non_null(t)
    if isinstance(inner, mi.StrType | mi.IntType | mi.DateTimeType):
        _by_id(page, path).fill(str(value))
    elif isinstance(inner, mi.DateType):
        year, month, day = value.split("-")
        _by_id(page, path).fill(str(int(day)))
        _by_id(page, path, "-month").fill(str(int(month)))
        _by_id(page, path, "-year").fill(year)
    elif isinstance(inner, mi.BoolType):
        if nullable:
            page.locator(f"input[name='{path}'][value='{'yes' if value else 'no'}']").check()
        elif value:
            _by_id(page, path).check()
    elif _choices(inner):
        if len(_choices(inner)) <= RADIO_LIMIT:
            page.locator(f"input[name='{path}'][value='{value}']").check()
        else:
            _by_id(page, path).select_option(str(value))
    elif _is_list(inner) and _choices(inner.item_type):  # type: ignore[attr-defined]
        for item in value:
            page.locator(f"input[name='{path}'][value='{item}']").check()
    elif _is_list(inner) and isinstance(inner.item_type, mi.StrType):  # type: ignore[attr-defined]
        _by_id(page, path).fill("\n".join(value))
    elif is_entry_list(inner) and depth == 0:
        fields = inner.item_type.fields  # type: ignore[attr-defined]
        for i, entry in enumerate(value):
            if _by_id(page, f"{path}.{i}.{fields[0].encode_name}").count() == 0:
                with page.expect_navigation():  # one more row: the form again, nothing recorded
                    page.locator(f"button[name='{ADD_ROW}'][value='{path}']").click()
            for f in fields:
                _fill(page, f"{path}.{i}.{f.encode_name}", f.type, entry.get(f.encode_name), 1)
    elif isinstance(inner, mi.StructType) and depth == 0:
        for f in inner.fields:
            _fill(page, f"{path}.{f.encode_name}", f.type, value.get(f.encode_name), 1)
    else:
        _by_id(page, path).fill(json.dumps(value))
