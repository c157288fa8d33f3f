"""The client-credentials grant (RFC 6749 §4.4) as ``POST /api/token/service`` takes and answers it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

GRANT_TYPE = "client_credentials"


class ClientCredentialsIn(BaseModel):
    """The form (or JSON) body; the client may authenticate with HTTP Basic instead."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "grant_type": "client_credentials",
                "client_id": "consignment",
                "client_secret": "the client's secret",
                "scope": "users:create",
            }
        },
    )
    grant_type: str = Field(description="Always `client_credentials`")
    client_id: str | None = Field(default=None, max_length=100)
    client_secret: str | None = Field(default=None, max_length=1024)
    scope: str | None = Field(
        default=None,
        max_length=1000,
        description="Space-separated scopes to ask for (default: every scope the client has)",
    )


class ServiceTokenOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "access_token": "eyJhbGciOiJFZERTQSIs...",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "users:create",
            }
        }
    )
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str
