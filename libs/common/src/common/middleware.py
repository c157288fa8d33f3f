"""Pure-ASGI middleware: trailing-slash folding, request ids, and the last word on exceptions.

Routes are declared without a trailing slash; ``/api/users/`` is served by the
same route as ``/api/users`` (no redirect). The request id is taken from the
gateway's ``X-Request-ID`` (or generated), kept in a context variable for the
logs and echoed on the response. An exception no handler answered ends in
``UnhandledErrorMiddleware``: logged with its traceback and the request id,
answered with a JSON 500, and never re-raised to the server — or a 503 with
``Retry-After`` when it was the database connection that was lost (the database
restarted under it): the next attempt gets a new connection.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode
from sqlalchemy.exc import DBAPIError
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class TrailingSlashMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                scope = dict(scope)
                scope["path"] = path.rstrip("/") or "/"
                raw = scope.get("raw_path")
                if raw:
                    scope["raw_path"] = raw.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)


class RequestIdMiddleware:
    header = "x-request-id"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next(
            (value.decode("latin-1") for key, value in scope["headers"] if key == b"x-request-id"),
            None,
        )
        request_id = (
            incoming if incoming and _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        )
        token = request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


INTERNAL_ERROR = "Internal server error"
DATABASE_LOST = "The database connection was lost; retry the request"


class UnhandledErrorMiddleware:
    """Answer any exception that escaped the routes and handlers with a JSON 500.

    Starlette's own last handler re-raises after answering, and uvicorn then
    closes the connection: a gateway that pooled that keep-alive connection
    hands the next request (often another client's POST) to a closed socket,
    which fails as a 502 without telling whether it ran. Swallowing the
    exception here keeps the connection usable. Only when the response had
    already started is it re-raised, because closing the connection is then
    the only way to tell the client its response is incomplete.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            request_id = request_id_var.get()
            lost = isinstance(exc, DBAPIError) and exc.connection_invalidated
            status = 503 if lost else 500
            logger.error(
                "unhandled %s in %s %s",
                type(exc).__name__,
                scope.get("method"),
                scope.get("path"),
                exc_info=exc,
                extra={"extra_fields": {"request_id": request_id, "status": status}},
            )
            span = trace.get_current_span()
            if span.is_recording():
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
            if started:
                raise
            response = JSONResponse(
                {"detail": DATABASE_LOST if lost else INTERNAL_ERROR, "request_id": request_id},
                status_code=status,
                headers={"Retry-After": "1"} if lost else None,
            )
            await response(scope, receive, send)
