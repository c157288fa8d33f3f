"""Ending sessions: in auth's own tables (auth refuses at once) and as events (everyone else).

Two shapes. One login ends (logout, a reused refresh token): its refresh-token
family is revoked, and so is every access token it issued, by the family id
each carries as ``fam`` (plus the presented ``jti``): ``auth.session.revoked``.
All of a user's sessions end (password changed or reset, role changed, a store
removed, deactivation): access tokens issued before now stop counting
(``users.tokens_valid_after``), and, unless the user may keep refreshing (a role
or store change, where the next refresh carries the new claims), every refresh
token too: ``auth.user.tokens_invalidated``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth.events.contracts import SessionsEnded
from auth.events.outbox import publish_session_revoked, publish_tokens_invalidated
from auth.models import User
from auth.tokens.repository import SessionRepository

# Refresh tokens survive these: the next refresh issues an access token with the new claims.
_CLAIMS_CHANGED = frozenset({SessionsEnded.role_changed, SessionsEnded.stores_removed})


class SessionEnder:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.tokens = SessionRepository(session)

    async def end_login(
        self,
        user_id: uuid.UUID,
        family_id: uuid.UUID,
        *,
        access_lifetime: timedelta,
        access: tuple[str, datetime] | None = None,
        reason: SessionsEnded,
        actor: str | None,
    ) -> None:
        """End one login: its refresh tokens, and every access token it issued."""
        await self.tokens.revoke_family(family_id)
        revoked = [(str(family_id), datetime.now(UTC) + access_lifetime)]
        if access is not None:
            revoked.append(access)
        for token_id, expires_at in revoked:
            await self.tokens.revoke_access(token_id, expires_at)
        await publish_session_revoked(self.session, user_id, revoked, reason, actor)

    async def end_all(self, user: User, *, reason: SessionsEnded, actor: str | None) -> None:
        """End every session of ``user`` that began before now."""
        now = datetime.now(UTC)
        user.tokens_valid_after = now
        if reason not in _CLAIMS_CHANGED:
            await self.tokens.revoke_all_for_user(user.id)
        await publish_tokens_invalidated(self.session, user.id, now, reason, actor)
