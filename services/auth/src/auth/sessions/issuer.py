"""Minting access and refresh tokens (claims every service's verifier requires).

``iat`` is stamped to the millisecond (RFC 7519 allows a non-integer NumericDate):
a session ended at 12:00:00.400 must refuse a token issued at 12:00:00.100 and
accept the one issued at 12:00:00.900 by the login that follows.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from auth.config import AuthSettings
from auth.keys import SigningKey
from auth.models import User
from common.security import ACCESS, REFRESH, SERVICE


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: datetime


class TokenIssuer:
    def __init__(self, key: SigningKey, settings: AuthSettings) -> None:
        self.key = key
        self.settings = settings

    def _encode(self, claims: dict[str, Any], lifetime: timedelta) -> IssuedToken:
        now = datetime.now(UTC)
        jti = uuid.uuid4().hex
        expires_at = now + lifetime
        payload = {
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "iat": math.floor(now.timestamp() * 1000) / 1000,
            "nbf": now,
            "exp": expires_at,
            "jti": jti,
            **claims,
        }
        token = jwt.encode(
            payload, self.key.private_key, algorithm="EdDSA", headers={"kid": self.key.kid}
        )
        return IssuedToken(token, jti, expires_at)

    @property
    def access_lifetime(self) -> timedelta:
        return timedelta(minutes=self.settings.access_token_minutes)

    def access(self, user: User, family_id: uuid.UUID) -> IssuedToken:
        """An access token of the login ``family_id`` (its ``fam``: logout ends them all)."""
        return self._encode(
            {
                "sub": str(user.id),
                "typ": ACCESS,
                "role": user.role,
                "stores": list(user.store_ids or []),
                "email": user.email,
                "fam": str(family_id),
            },
            self.access_lifetime,
        )

    def refresh(self, user: User, family_id: uuid.UUID) -> IssuedToken:
        return self._encode(
            {"sub": str(user.id), "typ": REFRESH, "fam": str(family_id)},
            timedelta(days=self.settings.refresh_token_days),
        )

    def service(self, client: str, scopes: list[str]) -> IssuedToken:
        """A short-lived token for another service acting as itself (no user, no refresh)."""
        return self._encode(
            {"sub": client, "typ": SERVICE, "scopes": scopes},
            timedelta(minutes=self.settings.service_token_minutes),
        )
