"""The pages' static files: GOV.UK Frontend's compiled styles, script and images, and our own.

`web/package.json` pins `govuk-frontend` and the Makefile installs it with `npm ci` into
`web/node_modules`; nothing is compiled. The stylesheet served is the package's own, with one
change made when it is loaded: the GDS Transport typeface is for services on GOV.UK only, so its
`@font-face` rules are dropped and text is set in the Design System's fallback, Arial (as
compiling the Sass with `$govuk-font-family` would do). Our few styles follow it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)

REPOSITORY = Path(__file__).resolve().parents[2]
NODE_MODULES = REPOSITORY / "web" / "node_modules"
GOVUK_DIST = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
OWN = Path(__file__).resolve().parent / "static"

STYLESHEET = "reviewledger.css"
SCRIPT = "reviewledger.js"
GOVUK_SCRIPT = "govuk-frontend.min.js"

_FONT_FACE = re.compile(r"@font-face\{font-family:GDS Transport;[^}]*\}")
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


class AssetsMissing(Exception):
    """GOV.UK Frontend is not installed (`make web-assets`, or `npm ci` in `web/`)."""


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


def _asset(body: bytes, suffix: str) -> Asset:
    return Asset(body=body, media_type=_TYPES[suffix], etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"')


def restyled(govuk_css: str) -> str:
    """GOV.UK Frontend's stylesheet set in Arial instead of the GOV.UK-only typeface."""
    without_faces = _FONT_FACE.sub("", govuk_css)
    return without_faces.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")


class Assets:
    """Every file the pages load, read once; a request names one of them or gets 404."""

    def __init__(self, dist: Path = GOVUK_DIST) -> None:
        self.files: dict[str, Asset] = {}
        own_css = (OWN / "app.css").read_text(encoding="utf-8")
        own_js = (OWN / "app.js").read_bytes()
        if not (dist / "govuk-frontend.min.css").is_file():
            log.warning("web_assets_missing", hint="run `make web-assets` (npm ci in web/)")
            self.installed = False
            self.files[STYLESHEET] = _asset(own_css.encode(), ".css")
            return
        self.installed = True
        css = restyled((dist / "govuk-frontend.min.css").read_text(encoding="utf-8"))
        self.files[STYLESHEET] = _asset((css + "\n" + own_css).encode(), ".css")
        self.files[SCRIPT] = _asset(own_js, ".js")
        # GOV.UK's crown, icons and favicons are GOV.UK's own marks, not this service's: not served.
        self.files[GOVUK_SCRIPT] = _asset((dist / GOVUK_SCRIPT).read_bytes(), ".js")

    def get(self, name: str) -> Asset | None:
        return self.files.get(name)
