"""Minting access and refresh tokens (claims every service's verifier requires)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from auth.config import AuthSettings
from auth.keys import SigningKey
from auth.models import User
from common.security import ACCESS, REFRESH


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
            "iat": now,
            "nbf": now,
            "exp": expires_at,
            "jti": jti,
            **claims,
        }
        token = jwt.encode(
            payload, self.key.private_key, algorithm="EdDSA", headers={"kid": self.key.kid}
        )
        return IssuedToken(token, jti, expires_at)

    def access(self, user: User) -> IssuedToken:
        return self._encode(
            {
                "sub": str(user.id),
                "typ": ACCESS,
                "role": user.role,
                "stores": list(user.store_ids or []),
                "email": user.email,
            },
            timedelta(minutes=self.settings.access_token_minutes),
        )

    def refresh(self, user: User, family_id: uuid.UUID) -> IssuedToken:
        return self._encode(
            {"sub": str(user.id), "typ": REFRESH, "fam": str(family_id)},
            timedelta(days=self.settings.refresh_token_days),
        )
