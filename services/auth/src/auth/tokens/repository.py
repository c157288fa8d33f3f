"""Queries on refresh-token families and revoked access tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from auth.models import RefreshToken, RevokedAccessToken


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
