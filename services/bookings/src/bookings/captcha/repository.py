"""Queries of spent captcha solutions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.captcha.models import SpentSolution


class SpentSolutions:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def spend(self, challenge: str, expires_at: datetime) -> bool:
        """Mark the solution spent; False when it already was (a replay). A concurrent spend
        of the same one waits for the other transaction and then finds it taken."""
        inserted = await self.session.execute(
            insert(SpentSolution)
            .values(challenge=challenge, expires_at=expires_at)
            .on_conflict_do_nothing()
            .returning(SpentSolution.challenge)
        )
        return inserted.first() is not None

    async def forget_expired(self) -> None:
        await self.session.execute(
            delete(SpentSolution).where(SpentSolution.expires_at < datetime.now(UTC))
        )
