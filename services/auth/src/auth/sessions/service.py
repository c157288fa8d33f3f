"""Login, refresh-token rotation with reuse detection, logout, verification, and the per-request check.

A refresh token is single-use: refreshing marks it used and issues the next one
in the same family. Presenting a used token again means it was stolen or
replayed, so the whole family (that login's every descendant) is revoked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from auth.accounts.repository import UserRepository
from auth.models import User
from auth.passwords.hashing import hash_password, needs_rehash, verify_password
from auth.sessions.issuer import IssuedToken, TokenIssuer
from auth.sessions.repository import SessionRepository
from common.db import Database
from common.errors import Unauthenticated
from common.roles import Principal
from common.security import ACCESS, REFRESH, InvalidToken, TokenVerifier


@dataclass(frozen=True)
class Session:
    user: User
    access: IssuedToken
    refresh: IssuedToken


class LoginService:
    def __init__(
        self,
        session: AsyncSession,
        issuer: TokenIssuer,
        verifier: TokenVerifier,
        database: Database,
    ) -> None:
        self.session = session
        self.issuer = issuer
        self.verifier = verifier
        self.database = database
        self.users = UserRepository(session)
        self.tokens = SessionRepository(session)

    def _start(self, user: User, family_id: uuid.UUID) -> Session:
        access = self.issuer.access(user)
        refresh = self.issuer.refresh(user, family_id)
        self.tokens.add_refresh(refresh.jti, family_id, user.id, refresh.expires_at)
        return Session(user, access, refresh)

    async def login(self, email: str, password: str) -> Session:
        user = await self.users.by_email(email.strip())
        if not verify_password(user.password_hash if user else None, password) or user is None:
            raise Unauthenticated("No active account found with the given credentials.")
        if not user.is_active:
            raise Unauthenticated("No active account found with the given credentials.")
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login = datetime.now(UTC)
        return self._start(user, uuid.uuid4())

    async def refresh(self, token: str | None) -> Session:
        if not token:
            raise Unauthenticated("No refresh token: send it in the body or the refresh cookie.")
        try:
            claims = await self.verifier.decode(token, expected_type=REFRESH)
        except InvalidToken as exc:
            raise Unauthenticated(str(exc)) from exc
        row = await self.tokens.refresh_for_update(str(claims["jti"]))
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("Refresh token has been revoked.")
        if row.used_at is not None:
            # Reuse of a rotated token: end the whole login. Committed here on purpose,
            # because the 401 below would otherwise roll the revocation back.
            await self.tokens.revoke_family(row.family_id)
            await self.session.commit()
            raise Unauthenticated(
                "Refresh token was already used; this login has been ended everywhere."
            )
        user = await self.users.get(row.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("User is inactive.")
        row.used_at = datetime.now(UTC)
        return self._start(user, row.family_id)

    async def logout(self, refresh_token: str | None, access_principal: Principal | None) -> None:
        ended = False
        if refresh_token:
            try:
                claims = await self.verifier.decode(refresh_token, expected_type=REFRESH)
            except InvalidToken:
                claims = None
            if claims is not None:
                row = await self.tokens.refresh_for_update(str(claims["jti"]))
                if row is not None:
                    await self.tokens.revoke_family(row.family_id)
                    ended = True
        if access_principal is not None and access_principal.token_id:
            expires = access_principal.expires_at or datetime.now(UTC)
            await self.tokens.revoke_access(access_principal.token_id, expires)
            ended = True
        if not ended:
            raise Unauthenticated(
                "Send the refresh token (body or cookie) or an access token to log out."
            )

    async def verify(self, token: str) -> str:
        """The type of a valid, unrevoked token; 401 otherwise."""
        for token_type in (ACCESS, REFRESH):
            try:
                claims = await self.verifier.decode(token, expected_type=token_type)
            except InvalidToken:
                continue
            if token_type == ACCESS:
                if await self.tokens.access_revoked(str(claims["jti"])):
                    raise Unauthenticated("Token has been revoked.")
            else:
                row = await self.tokens.refresh_for_update(str(claims["jti"]))
                if row is None or row.revoked_at is not None or row.used_at is not None:
                    raise Unauthenticated("Token has been revoked.")
            user = await self.users.get(uuid.UUID(str(claims["sub"])))
            if user is None or not user.is_active:
                raise Unauthenticated("User is inactive.")
            return token_type
        raise Unauthenticated("Token is invalid or expired.")


async def check_principal_is_current(database: Database, principal: Principal) -> None:
    """Auth's own routes refuse tokens of deactivated users and logged-out access tokens (one query)."""
    async with database.session() as session:
        standing = await SessionRepository(session).token_standing(
            uuid.UUID(principal.user_id), principal.token_id or ""
        )
    if standing is None or not standing.is_active:
        raise Unauthenticated("User is inactive.")
    if standing.revoked:
        raise Unauthenticated("Token has been revoked.")
