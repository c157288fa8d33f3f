"""One domain error type turned into HTTP by one set of handlers.

Services raise ``DomainError`` subclasses and never ``HTTPException``; every
error leaves the service as ``{"detail": ...}`` with the right status. A
validation error's ``detail`` is a list of ``{field, loc, msg, type}``;
malformed JSON is such a 422 too (never FastAPI's 400); a 405 names every
method the path serves in ``Allow``. Exceptions nobody handled are answered by
``common.middleware.UnhandledErrorMiddleware`` (a JSON 500 with the request id).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp


class DomainError(Exception):
    """A rule of the shop was broken; ``status_code`` says how the client should read it."""

    status_code = 400

    def __init__(self, detail: Any, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail if isinstance(detail, str) else repr(detail))
        self.detail = detail
        self.headers = headers


class BadRequest(DomainError):
    status_code = 400


class Unauthenticated(DomainError):
    status_code = 401

    def __init__(
        self, detail: Any = "Authentication credentials were not provided or are invalid."
    ) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class PermissionDenied(DomainError):
    status_code = 403

    def __init__(self, detail: Any = "You do not have permission to perform this action.") -> None:
        super().__init__(detail)


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Unprocessable(DomainError):
    status_code = 422


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, detail: Any, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))})


class InvalidFields(StarletteHTTPException):
    """422 naming fields, raised where only an ``HTTPException`` reaches the handlers (while
    FastAPI reads a request body, any other exception becomes its own 400)."""

    def __init__(self, fields: list[dict[str, Any]]) -> None:
        super().__init__(status_code=422, detail="Invalid fields")
        self.fields = fields


def field_entry(loc: Sequence[str], msg: str, type_: str) -> dict[str, Any]:
    """One entry of a validation error's ``detail`` list: ``{field, loc, msg, type}``, the
    field being the dotted path after the location (``["body", "email"]`` → ``email``)."""
    location = [str(part) for part in loc]
    return {
        "field": ".".join(location[1:]) if len(location) > 1 else ".".join(location),
        "loc": location,
        "msg": msg,
        "type": type_,
    }


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors, each naming the field as a dotted path (``body.email``)."""
    errors = []
    for error in exc.errors():
        kind = error.get("type", "value_error")
        if kind == "json_invalid":
            # FastAPI puts the character position where a field would be: name the body.
            reason = (error.get("ctx") or {}).get("error")
            position = list(error.get("loc", ()))[1:]
            message = "Invalid JSON" + (f": {reason}" if reason else "")
            message += f" at character {position[0]}" if position else ""
            errors.append(field_entry(["body"], message, kind))
            continue
        errors.append(field_entry(error.get("loc", ()), error.get("msg", "invalid"), kind))
    return errors


# What FastAPI answers (400) when the JSON parser itself fails (not UTF-8, nested too deep):
# the client sent malformed JSON, which is a 422 like every other malformed JSON.
_FASTAPI_UNPARSABLE_BODY = "There was an error parsing the body"
UNPARSABLE_BODY = field_entry(
    ["body"], "The body could not be parsed: send UTF-8 JSON of reasonable depth", "json_invalid"
)


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, DomainError):
        raise exc
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):
        raise exc
    return JSONResponse({"detail": _field_errors(exc)}, status_code=422)


def allowed_methods(app: ASGIApp, path: str) -> list[str]:
    """Every method some route serves at ``path`` (Starlette's 405 names only the first
    route's methods, while FastAPI declares one route per method)."""
    methods: set[str] = set()
    for route in iter_route_contexts(getattr(app, "routes", [])):
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path) and route.methods:
            methods |= set(route.methods)
    return sorted(methods)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):
        raise exc
    headers = dict(getattr(exc, "headers", None) or {})
    status, detail = exc.status_code, exc.detail
    if isinstance(exc, InvalidFields):
        return JSONResponse({"detail": exc.fields}, status_code=status)
    if status == 405:
        headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope["path"]))
    elif status == 400 and detail == _FASTAPI_UNPARSABLE_BODY and exc.__cause__ is not None:
        return JSONResponse({"detail": [UNPARSABLE_BODY]}, status_code=422)
    return JSONResponse({"detail": detail}, status_code=status, headers=headers or None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


def field_error(
    field: str, message: str, *, status: type[DomainError] = Unprocessable
) -> DomainError:
    """A rule broken by one body field, shaped like a validation error (the field is named)."""
    return status([{"field": field, "loc": ["body", field], "msg": message, "type": "value_error"}])
