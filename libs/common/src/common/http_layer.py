"""The HTTP layer every service shares, installed on an app in one call (by ``create_app``).

From the outside in: request ids (so every answer and log line carries one),
trailing-slash folding, the last-resort JSON 500 (``UnhandledErrorMiddleware``),
the request guard (NULs and body caps, ``common.bodies``), then FastAPI's
exception handlers (``common.errors``) and the routes. The generated OpenAPI
declares the shared answers (``common.openapi``).
"""

from __future__ import annotations

from fastapi import FastAPI

from common.bodies import RequestGuardMiddleware
from common.config import ServiceSettings
from common.errors import install_error_handlers
from common.middleware import RequestIdMiddleware, TrailingSlashMiddleware, UnhandledErrorMiddleware
from common.openapi import install_error_responses


def install_http_layer(app: FastAPI, settings: ServiceSettings) -> None:
    install_error_handlers(app)
    # add_middleware puts each one outside the ones added before it.
    app.add_middleware(
        RequestGuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(TrailingSlashMiddleware)
    app.add_middleware(RequestIdMiddleware)
    install_error_responses(app)
