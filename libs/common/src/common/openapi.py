"""OpenAPI helpers: ``described`` for a route's own answers, and the answers every route shares.

``install_error_responses`` (called by ``create_app``) makes each operation of
the generated document declare what the shared HTTP layer really answers, with
the ``{"detail": ...}`` schema, so a client generator or a fuzzer
(schemathesis) sees the truth:

| status | on | why |
| --- | --- | --- |
| 400 | operations with ``ordering``, or a multipart body | unknown ordering field; malformed multipart |
| 401 | operations that read a token | missing, invalid, expired or revoked token |
| 403 | operations that require a signed-in user | role or store does not allow it |
| 404 | operations with path parameters | no such object |
| 413 | operations with a request body | body over the route's cap (``common.bodies``) |
| 422 | every operation | validation error, malformed JSON, a NUL anywhere |
| 500 | every operation | an unexpected failure (with the request id) |

A response a route declares itself keeps its description (and its schema, if it has
one); FastAPI's ``HTTPValidationError`` is replaced by the shape our handler sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from common.bodies import route_body_limit
from common.security import current_caller, current_user, optional_caller, optional_user

Responses = dict[int | str, dict[str, Any]]
JSON = "application/json"
SCHEMAS = "#/components/schemas/"


def described(**codes: str) -> Responses:
    """``described(r404="No such store", r409="Code taken")`` → FastAPI's ``responses`` mapping."""
    return {int(code.lstrip("r")): {"description": text} for code, text in codes.items()}


FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "FieldError",
    "type": "object",
    "required": ["field", "loc", "msg", "type"],
    "properties": {
        "field": {"type": "string", "description": "Dotted path of the field (`items.0.sku`)"},
        "loc": {"type": "array", "items": {"type": "string"}},
        "msg": {"type": "string"},
        "type": {"type": "string"},
    },
}
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "description": "What went wrong: a sentence, or one entry per field at fault",
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"$ref": SCHEMAS + "FieldError"}},
            ],
        }
    },
    "example": {"detail": "Authentication credentials were not provided or are invalid."},
}
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    **ERROR_SCHEMA,
    "title": "ValidationFailure",
    "example": {
        "detail": [
            {
                "field": "email",
                "loc": ["body", "email"],
                "msg": "must not contain a NUL character (\\u0000)",
                "type": "string_nul_character",
            }
        ]
    },
}
SERVER_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ServerError",
    "type": "object",
    "required": ["detail", "request_id"],
    "properties": {
        "detail": {"type": "string"},
        "request_id": {"type": "string", "description": "Also in the X-Request-ID header"},
    },
    "example": {
        "detail": "Internal server error",
        "request_id": "5f0c4f9e2b7d4c0a9a1e3b6d8c2f4a17",
    },
}
COMPONENTS = {
    "FieldError": FIELD_ERROR_SCHEMA,
    "Error": ERROR_SCHEMA,
    "ValidationFailure": VALIDATION_ERROR_SCHEMA,
    "ServerError": SERVER_ERROR_SCHEMA,
}
REQUEST_ID_HEADER = {
    "X-Request-ID": {
        "description": "The request's id, as in the logs",
        "schema": {"type": "string"},
    }
}
# FastAPI's own 422 schemas, which do not describe what common.errors sends.
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")


def _calls(dependant: Dependant) -> Iterator[Any]:
    """Every callable in a route's dependency tree."""
    stack = [dependant]
    while stack:
        current = stack.pop()
        yield current.call
        stack.extend(current.dependencies)


def shared_errors(
    *, reads_token: bool, signed_in: bool, body_cap: int, operation: dict[str, Any]
) -> Responses:
    """The shared answers an operation can give: ``{status: (description, schema name)}``."""
    parameters = operation.get("parameters", [])
    names = {(parameter.get("in"), parameter.get("name")) for parameter in parameters}
    body = operation.get("requestBody", {}).get("content", {})
    errors: Responses = {}
    if ("query", "ordering") in names or "multipart/form-data" in body:
        errors[400] = {"description": "Bad request (an unknown ordering field, a malformed form)"}
    if reads_token:
        errors[401] = {"description": "Missing, invalid, expired or revoked access token"}
    if signed_in:
        errors[403] = {"description": "The caller's role or stores do not allow this"}
    if any(parameter.get("in") == "path" for parameter in parameters):
        errors[404] = {"description": "Not found"}
    if body:
        errors[413] = {
            "description": f"The request body is over this route's cap ({body_cap:,} bytes)"
        }
    errors[422] = {"description": "Validation error (the fields at fault are named)"}
    errors[500] = {"description": "Unexpected failure; quote the request id"}
    return errors


def _schema_for(status: int) -> str:
    if status == 422:
        return "ValidationFailure"
    if status == 500:
        return "ServerError"
    return "Error"


def _declare(operation: dict[str, Any], status: int, description: str) -> None:
    response = operation.setdefault("responses", {}).setdefault(
        str(status), {"description": description}
    )
    media = response.setdefault("content", {}).setdefault(JSON, {})
    current = media.get("schema", {}).get("$ref", "")
    if not media.get("schema") or current.removeprefix(SCHEMAS) in _FASTAPI_VALIDATION:
        media["schema"] = {"$ref": SCHEMAS + _schema_for(status)}
    if status == 500:
        response.setdefault("headers", REQUEST_ID_HEADER)
    if status == 401:
        response.setdefault(
            "headers",
            {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}},
        )


def add_error_responses(document: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """``document`` (an app's generated OpenAPI) with the shared answers on every operation."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    settings = app.state.settings
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        item = document.get("paths", {}).get(getattr(route, "path_format", None))
        if dependant is None or item is None or not route.methods:
            continue
        calls = set(_calls(dependant))
        for method in route.methods:
            operation = item.get(method.lower())
            if operation is None:
                continue
            errors = shared_errors(
                # a person's token, or a person's or a service's (require_scopes)
                reads_token=bool(calls & {optional_user, optional_caller}),
                signed_in=bool(calls & {current_user, current_caller}),
                body_cap=route_body_limit(
                    route,
                    default=settings.max_body_bytes,
                    upload=settings.max_upload_bytes,
                ),
                operation=operation,
            )
            for status, response in errors.items():
                _declare(operation, int(status), response["description"])
            operation["responses"] = dict(sorted(operation["responses"].items()))
    text = repr(document.get("paths", {}))
    for name in _FASTAPI_VALIDATION:
        if SCHEMAS + name not in text:
            schemas.pop(name, None)
    return document


def install_error_responses(app: FastAPI) -> None:
    """Make ``app.openapi()`` declare the shared answers (generated once, then cached)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_responses(generate(), app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
