"""Reading a client-credentials request: form (RFC 6749) or JSON body, client auth by HTTP Basic
or in the body (one of the two, as §2.3 asks)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any
from urllib.parse import parse_qsl, unquote_plus

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from auth.service_tokens.schemas import ClientCredentialsIn
from common.errors import BadRequest, DomainError

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MAX_BODY = 8192


class InvalidClient(DomainError):
    """401 for a client that failed to authenticate (RFC 6749 §5.2 ``invalid_client``)."""

    status_code = 401

    def __init__(self, detail: str = "Unknown client or wrong client secret.") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Basic realm="shopfloor"'})


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidClient("Malformed HTTP Basic credentials.") from exc
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise InvalidClient("Malformed HTTP Basic credentials.")
    # RFC 6749 §2.3.1: both are form-urlencoded before they are joined.
    return unquote_plus(client_id), unquote_plus(secret)


async def _fields(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise BadRequest("The token request is too large.")
    kind = request.headers.get("content-type", FORM).split(";", 1)[0].strip().lower()
    if kind == JSON:
        try:
            fields = json.loads(body or b"{}")
        except ValueError as exc:
            raise BadRequest("The body is not valid JSON.") from exc
        if not isinstance(fields, dict):
            raise BadRequest("The body must be a JSON object.")
        return fields
    if kind != FORM:
        raise BadRequest(f"Send the token request as {FORM} (or {JSON}).")
    try:
        return dict(parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=bool(body)))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest("The form body is malformed.") from exc


async def client_credentials(request: Request) -> ClientCredentialsIn:
    fields = await _fields(request)
    basic = _basic(request.headers.get("authorization"))
    if basic is not None:
        if "client_id" in fields or "client_secret" in fields:
            raise BadRequest("Authenticate the client once: HTTP Basic or the body, not both.")
        fields = {**fields, "client_id": basic[0], "client_secret": basic[1]}
    try:
        return ClientCredentialsIn.model_validate(fields)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from exc


ClientCredentialsDep = Annotated[ClientCredentialsIn, Depends(client_credentials)]
