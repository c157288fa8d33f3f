"""Queries on refresh-token families and revoked access tokens."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Row, delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from auth.models import RefreshToken, RevokedAccessToken, User


def now() -> datetime:
    return datetime.now(UTC)


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add_refresh(
        self, jti: str, family_id: uuid.UUID, user_id: uuid.UUID, expires_at: datetime
    ) -> None:
        self.session.add(
            RefreshToken(jti=jti, family_id=family_id, user_id=user_id, expires_at=expires_at)
        )

    async def refresh_for_update(self, jti: str) -> RefreshToken | None:
        return (
            await self.session.execute(
                select(RefreshToken).where(RefreshToken.jti == jti).with_for_update()
            )
        ).scalar_one_or_none()

    async def revoke_family(self, family_id: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now())
        )

    async def revoke_all_for_user(self, user_id: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now())
        )

    async def revoke_access(self, jti: str, expires_at: datetime) -> None:
        await self.session.execute(
            insert(RevokedAccessToken)
            .values(jti=jti, expires_at=expires_at)
            .on_conflict_do_nothing()
        )
        # Housekeeping: forget revocations of tokens that have expired anyway.
        await self.session.execute(
            delete(RevokedAccessToken).where(RevokedAccessToken.expires_at < now())
        )

    async def token_standing(
        self, user_id: uuid.UUID, token_ids: Sequence[str]
    ) -> Row[tuple[bool, datetime | None, bool]] | None:
        """The user's ``is_active`` and ``tokens_valid_after``, and whether any of ``token_ids``
        (an access token's jti and its session id) was revoked, in one round trip."""
        revoked = exists().where(RevokedAccessToken.jti.in_(token_ids))
        statement = select(User.is_active, User.tokens_valid_after, revoked.label("revoked")).where(
            User.id == user_id
        )
        return (await self.session.execute(statement)).first()
