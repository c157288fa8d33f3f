"""Login, refresh-token rotation with reuse detection, logout and verification.

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
from auth.events.contracts import SessionsEnded
from auth.events.outbox import publish_session_revoked, publish_session_started
from auth.models import User
from auth.secrets.hashing import hash_password, needs_rehash, verify_password
from auth.sessions.issuer import IssuedToken, TokenIssuer
from auth.sessions.standing import judge
from auth.sessions.standing_reader import StandingReader
from auth.tokens.ending import SessionEnder
from auth.tokens.repository import SessionRepository
from common.errors import Unauthenticated
from common.revocations.snapshot import INACTIVE, REVOKED
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
        reader: StandingReader,
    ) -> None:
        self.session = session
        self.issuer = issuer
        self.verifier = verifier
        self.reader = reader
        self.users = UserRepository(session)
        self.tokens = SessionRepository(session)
        self.ender = SessionEnder(session)

    def _start(self, user: User, family_id: uuid.UUID) -> Session:
        access = self.issuer.access(user, family_id)
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
        family_id = uuid.uuid4()
        started = self._start(user, family_id)
        await publish_session_started(self.session, user, family_id, started.refresh.expires_at)
        return started

    async def refresh(self, token: str | None) -> Session:
        if not token:
            raise Unauthenticated(
                "No refresh token: /api/token/refresh takes it in the body, "
                "/api/auth/refresh from the refresh cookie."
            )
        try:
            claims = await self.verifier.decode(token, expected_type=REFRESH)
        except InvalidToken as exc:
            raise Unauthenticated(str(exc)) from exc
        row = await self.tokens.refresh_for_update(str(claims["jti"]))
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("Refresh token has been revoked.")
        if row.used_at is not None:
            # Reuse of a rotated token: end the whole login, everywhere. Committed here on
            # purpose, because the 401 below would otherwise roll the revocation back.
            await self.ender.end_login(
                row.user_id,
                row.family_id,
                access_lifetime=self.issuer.access_lifetime,
                reason=SessionsEnded.refresh_token_reused,
                actor=None,
            )
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
        """End the login the refresh token (or else the access token) belongs to, everywhere."""
        access = None
        if access_principal is not None and access_principal.token_id:
            expires = access_principal.expires_at or datetime.now(UTC)
            access = (access_principal.token_id, expires)
        login = await self._login_of(refresh_token)
        if login is None and access_principal is not None and access_principal.session_id:
            login = (uuid.UUID(access_principal.user_id), uuid.UUID(access_principal.session_id))
        if login is not None:
            user_id, family_id = login
            await self.ender.end_login(
                user_id,
                family_id,
                access_lifetime=self.issuer.access_lifetime,
                access=access,
                reason=SessionsEnded.logout,
                actor=str(user_id),
            )
        elif access_principal is not None and access is not None:
            # A token from before logins had a session id: end that token alone.
            await self.tokens.revoke_access(*access)
            await publish_session_revoked(
                self.session,
                uuid.UUID(access_principal.user_id),
                [access],
                SessionsEnded.logout,
                actor=access_principal.user_id,
            )
        else:
            raise Unauthenticated(
                "Send the refresh token (body or cookie) or an access token to log out."
            )

    async def _login_of(self, refresh_token: str | None) -> tuple[uuid.UUID, uuid.UUID] | None:
        """(user id, family id) of a valid refresh token we issued, else None."""
        if not refresh_token:
            return None
        try:
            claims = await self.verifier.decode(refresh_token, expected_type=REFRESH)
        except InvalidToken:
            return None
        row = await self.tokens.refresh_for_update(str(claims["jti"]))
        return (row.user_id, row.family_id) if row is not None else None

    async def verify(self, token: str) -> str:
        """The type of a valid, unrevoked token; 401 otherwise."""
        try:
            principal = await self.verifier.principal(token)
        except InvalidToken:
            principal = None
        if principal is not None:
            refusal = judge(principal, await self.reader.read(principal))
            if refusal is not None:
                raise Unauthenticated(refusal)
            return ACCESS
        try:
            claims = await self.verifier.decode(token, expected_type=REFRESH)
        except InvalidToken as exc:
            raise Unauthenticated("Token is invalid or expired.") from exc
        row = await self.tokens.refresh_for_update(str(claims["jti"]))
        if row is None or row.revoked_at is not None or row.used_at is not None:
            raise Unauthenticated(REVOKED)
        user = await self.users.get(row.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated(INACTIVE)
        return REFRESH
