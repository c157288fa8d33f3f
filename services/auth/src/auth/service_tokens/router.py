"""``POST /api/token/service``: the OAuth 2.0 client-credentials grant for other services."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from auth.deps import ServiceTokenServiceDep, SettingsDep, ThrottleDep
from auth.service_tokens.credentials import FORM, JSON, ClientCredentialsDep
from auth.service_tokens.schemas import ClientCredentialsIn, ServiceTokenOut

router = APIRouter(tags=["service tokens"])

_BODY_SCHEMA = ClientCredentialsIn.model_json_schema()
_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {"schema": _BODY_SCHEMA},
            JSON: {"schema": _BODY_SCHEMA},
        },
        "description": "The grant (client auth in the body, or HTTP Basic with the body's "
        "client_id/client_secret left out)",
    }
}


@router.post(
    "/api/token/service",
    summary="A short-lived service token for a named client (OAuth 2.0 client credentials)",
    description=(
        "For other Shopfloor services only: `grant_type=client_credentials` with the client's "
        "id and secret (from `SERVICE_CLIENTS`), form-encoded or JSON, or HTTP Basic. The token "
        "(`typ` service, `sub` the client, `scopes`) passes only routes that name one of its "
        "scopes; routes for people refuse it."
    ),
    openapi_extra=_REQUEST_BODY,
    responses={
        400: {"description": "Not the client_credentials grant, a scope not granted, bad body"},
        401: {"description": "Unknown client or wrong secret"},
        429: {"description": "Too many token requests for this client; see Retry-After"},
    },
)
async def service_token(
    credentials: ClientCredentialsDep,
    response: Response,
    tokens: ServiceTokenServiceDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
) -> ServiceTokenOut:
    await throttle.hit(
        "service_token", settings.service_token_rate_per_client, f"client:{credentials.client_id}"
    )
    response.headers["Cache-Control"] = "no-store"
    return tokens.issue(credentials)
