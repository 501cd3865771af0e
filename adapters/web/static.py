"""Serving the pages' static files, `/`, which leads to the list of reviews, and "Page not found" under `/pages/`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from adapters.web.assets import Assets
from adapters.web.layout import PAGES
from adapters.web.respond import SECURITY_HEADERS, see_other


def routes(assets: Assets | None = None) -> list[HTTPRouteHandler]:
    files = assets or Assets()

    @get("/")
    async def home() -> Response[bytes]:
        return see_other(f"{PAGES}/reviews")

    @get("/assets/{name:path}")
    async def asset(request: Request[Any, Any, Any], name: str) -> Response[bytes]:
        found = files.get(name.lstrip("/"))
        if found is None:
            return Response(b"not found", status_code=404, media_type="text/plain", headers=SECURITY_HEADERS)
        headers = {
            **SECURITY_HEADERS,
            "ETag": found.etag,
            "Cache-Control": "public, max-age=3600, must-revalidate",
        }
        if request.headers.get("if-none-match") == found.etag:
            return Response(b"", status_code=304, headers=headers)
        return Response(found.body, media_type=found.media_type, headers=headers)

    @get(PAGES + "/{rest:path}")
    async def unknown_page(rest: Annotated[str, PathParameter()]) -> Response[bytes]:
        # Any address under /pages/ that no page answers: the page error handler shows "Page not found".
        raise NotFoundException()

    return [home, asset, unknown_page]
