"""Queries of closed months."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.months.models import ClosedMonth


class ClosedMonthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, store_id: uuid.UUID, month: str) -> ClosedMonth | None:
        return await self.session.get(ClosedMonth, (store_id, month))

    async def lock(self, key: str, *, shared: bool) -> None:
        """A transaction-scoped advisory lock on ``key`` (shared, or exclusive)."""
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        await self.session.execute(
            text(f"SELECT {function}(hashtextextended(:key, 0))"), {"key": key}
        )

    async def add(self, closed: ClosedMonth) -> ClosedMonth:
        self.session.add(closed)
        await self.session.flush()
        await self.session.refresh(closed)
        return closed
