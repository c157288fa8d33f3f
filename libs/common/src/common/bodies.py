"""Requests stopped at the door: NUL characters anywhere, and bodies over their route's cap.

``RequestGuardMiddleware`` (wired by ``common.app.create_app``) answers before
any route runs:

- a NUL in the path → 404; in a query parameter → 422 naming it;
- a body is read through a counting ``receive``: a declared ``Content-Length``
  over the cap is refused before a byte is read, a streamed body as soon as it
  passes the cap, both with 413 — so a 100 MiB body never sits in memory;
- a JSON or urlencoded body is checked for NULs (strings and keys, at any
  depth) once it is complete, and refused with 422 naming each field.

The cap is the route's: what it declares with ``openapi_extra=body_cap(n)``
(also shown in its OpenAPI as ``x-max-body-bytes``), ``MAX_UPLOAD_BYTES`` for a
route taking files, else ``MAX_BODY_BYTES``. The route is only known once
routing ran, which is why the cap is chosen on the first ``receive`` rather
than when the request arrives. (FastAPI's own ``max_body_size=`` route
parameter answers its 413 in plain text: use ``body_cap`` instead.)
Multipart bodies are streamed (files are binary; their text fields are not
scanned).
"""

from __future__ import annotations

from email.message import Message as EmailMessage
from typing import Any

from fastapi import params
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.errors import InvalidFields
from common.nul import NUL, nul_in_form, nul_in_json, nul_in_query

# The OpenAPI extension a route declares its own cap with.
BODY_CAP_EXTENSION = "x-max-body-bytes"
PATH_WITH_NUL = "Not found: a path never contains a NUL character"


class BodyTooLarge(HTTPException):
    """413, naming the cap of the route the body was sent to."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            status_code=413,
            detail=f"The request body is larger than this route accepts ({limit:,} bytes).",
        )


def body_cap(max_bytes: int) -> dict[str, Any]:
    """``@router.post(..., openapi_extra=body_cap(20 * 1024 * 1024))``: this route accepts
    bodies up to ``max_bytes`` instead of the service's default."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"a body cap is a positive number of bytes, not {max_bytes!r}")
    return {BODY_CAP_EXTENSION: max_bytes}


def route_body_limit(route: Any, *, default: int, upload: int) -> int:
    """The cap of ``route`` (an ``APIRoute``, or None before routing)."""
    declared = (getattr(route, "openapi_extra", None) or {}).get(BODY_CAP_EXTENSION)
    if isinstance(declared, int) and not isinstance(declared, bool):
        return declared
    body_field = getattr(route, "body_field", None)
    if body_field is not None and isinstance(body_field.field_info, params.File):
        return upload
    return default


def _body_kind(scope: Scope) -> str:
    """``json``, ``form`` or ``other``: which NUL scan the body gets."""
    content_type = Headers(scope=scope).get("content-type")
    if content_type is None:
        return "json"  # FastAPI parses a body without a Content-Type as JSON
    message = EmailMessage()
    message["content-type"] = content_type
    if message.get_content_type() == "application/x-www-form-urlencoded":
        return "form"
    if message.get_content_maintype() == "application":
        subtype = message.get_content_subtype()
        if subtype == "json" or subtype.endswith("+json"):
            return "json"
    return "other"


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None or not value.isdigit():
        return None
    return int(value)


class _GuardedBody:
    """The ``receive`` the app sees: counts, caps and (for JSON and forms) checks the body."""

    def __init__(self, scope: Scope, receive: Receive, *, default: int, upload: int) -> None:
        self.scope = scope
        self._receive = receive
        self._default = default
        self._upload = upload
        self._limit: int | None = None
        self._received = 0
        self._complete = False

    async def receive(self) -> Message:
        if self._complete:
            return await self._receive()  # after the body: disconnect notices and the like
        if self._limit is None:
            self._limit = route_body_limit(
                self.scope.get("route"), default=self._default, upload=self._upload
            )
            declared = _declared_length(self.scope)
            if declared is not None and declared > self._limit:
                raise BodyTooLarge(self._limit)
            kind = _body_kind(self.scope)
            if kind != "other":
                return await self._inspected(kind)
        return await self._counted()

    async def _counted(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._limit is not None and self._received > self._limit:
                raise BodyTooLarge(self._limit)
            if not message.get("more_body", False):
                self._complete = True
        return message

    async def _inspected(self, kind: str) -> Message:
        """The whole body (within the cap) as one message, once no field holds a NUL."""
        chunks: list[bytes] = []
        while True:
            message = await self._counted()
            if message["type"] != "http.request":
                return message  # the client left; the app sees the disconnect
            chunks.append(message.get("body", b""))
            if self._complete:
                break
        body = b"".join(chunks)
        errors = nul_in_json(body) if kind == "json" else nul_in_form(body)
        if errors:
            raise InvalidFields(errors)
        return {"type": "http.request", "body": body, "more_body": False}


class RequestGuardMiddleware:
    """NULs in the path, query and body, and bodies over the cap, never reach a route."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if NUL in scope["path"]:
            await JSONResponse({"detail": PATH_WITH_NUL}, status_code=404)(scope, receive, send)
            return
        errors = nul_in_query(scope.get("query_string", b""))
        if errors:
            await JSONResponse({"detail": errors}, status_code=422)(scope, receive, send)
            return
        body = _GuardedBody(
            scope, receive, default=self.max_body_bytes, upload=self.max_upload_bytes
        )
        await self.app(scope, body.receive, send)
