"""Swagger UI from the service's own assets (those of the fastapi-offline wheel), never from a CDN.

FastAPI's own page loads its script and style from a public CDN: without that
network (an air-gapped shop, CI) the page stays blank, and every page view tells
a third party about the service. Here the service serves them under
``/docs/<service>/assets/``, which the gateway routes with the rest of its docs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"  # FastAPI's, under /docs
# The files the page loads, each its own route (every route has a row in a service's
# permission matrix: common.testing.permissions.infrastructure_rows).
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}


def swagger_assets() -> Path:
    """The directory holding swagger-ui-bundle.js, swagger-ui.css and favicon.png."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def asset_urls(docs_url: str) -> list[str]:
    """Where the page's files are served (``docs_url`` is ``/docs/<service>``)."""
    return [f"{docs_url}/assets/{name}" for name in ASSETS]


def _file(name: str) -> Callable[[], Awaitable[FileResponse]]:
    path = swagger_assets() / name

    async def serve() -> FileResponse:
        return FileResponse(
            path, media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"}
        )

    return serve


def install_swagger_ui(app: FastAPI, docs_url: str, openapi_url: str) -> None:
    """Serve the Swagger UI page at ``docs_url`` for the document at ``openapi_url``."""
    assets = f"{docs_url}/assets"
    for name in ASSETS:
        app.add_api_route(f"{assets}/{name}", _file(name), methods=["GET"], include_in_schema=False)
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=f"{app.title} - Swagger UI",
        oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        swagger_js_url=f"{assets}/swagger-ui-bundle.js",
        swagger_css_url=f"{assets}/swagger-ui.css",
        swagger_favicon_url=f"{assets}/favicon.png",
        swagger_ui_parameters=app.swagger_ui_parameters,
    )

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return page

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    app.docs_url = docs_url
