"""Issuing service tokens to the named clients of ``SERVICE_CLIENTS`` (client credentials).

A token says which service calls (``sub``) and what it may do (``scopes``), lives
``SERVICE_TOKEN_MINUTES`` (5 by default) and cannot be refreshed: the client asks
again. Secrets are checked with argon2 (a plain development secret in constant
time); an unknown client costs the same time as a known one.
"""

from __future__ import annotations

import hmac

from auth.config import AuthSettings, ServiceClientConfig
from auth.secrets.hashing import verify_password
from auth.service_tokens.credentials import InvalidClient
from auth.service_tokens.schemas import GRANT_TYPE, ClientCredentialsIn, ServiceTokenOut
from auth.sessions.issuer import TokenIssuer
from common.errors import BadRequest, field_error


def _secret_matches(client: ServiceClientConfig | None, secret: str) -> bool:
    if client is not None and client.secret is not None:
        return hmac.compare_digest(client.secret.get_secret_value().encode(), secret.encode())
    # Unknown clients are verified against a dummy hash: the same time either way.
    return verify_password(client.secret_hash if client else None, secret) and client is not None


class ServiceTokenService:
    def __init__(self, settings: AuthSettings, issuer: TokenIssuer) -> None:
        self.settings = settings
        self.issuer = issuer

    def issue(self, credentials: ClientCredentialsIn) -> ServiceTokenOut:
        if credentials.grant_type != GRANT_TYPE:
            raise field_error(
                "grant_type", f"Only the {GRANT_TYPE} grant is offered here.", status=BadRequest
            )
        if not credentials.client_id or credentials.client_secret is None:
            raise InvalidClient("Send client_id and client_secret (or HTTP Basic).")
        client = self.settings.service_clients.get(credentials.client_id)
        if not _secret_matches(client, credentials.client_secret) or client is None:
            raise InvalidClient()
        scopes = list(client.scopes)
        if credentials.scope:
            asked = credentials.scope.split()
            beyond = sorted(set(asked) - set(client.scopes))
            if beyond:
                raise field_error(
                    "scope", f"Not granted to this client: {' '.join(beyond)}.", status=BadRequest
                )
            scopes = [scope for scope in client.scopes if scope in asked]
        token = self.issuer.service(credentials.client_id, scopes)
        return ServiceTokenOut(
            access_token=token.token,
            expires_in=self.settings.service_token_minutes * 60,
            scope=" ".join(scopes),
        )
