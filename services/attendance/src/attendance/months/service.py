"""The month lock: once a store's month is closed, nothing dated in it changes (409).

Every write that changes what a month's report says — a punch, an approval, a time-entry
modification, an HR approval — asks ``ensure_open`` for the store and the entry's work date
first. A close and a write racing each other are ordered by an advisory lock on the store's
month: writers take it shared (they never wait for each other), the close exclusive, so a
write either lands before the close (and is in the closed report) or sees the month closed.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.months.models import ClosedMonth
from attendance.months.repository import ClosedMonthRepository
from common.errors import Conflict


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class MonthLock:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.months = ClosedMonthRepository(session)

    async def for_closing(self, store_id: uuid.UUID, month: str) -> None:
        """Wait for the month's writers in flight; keep new ones out until this transaction ends."""
        await self.months.lock(_key(store_id, month), shared=False)

    async def ensure_open(self, store_id: uuid.UUID, day: date) -> None:
        """409 when the month of ``day`` is closed at the store."""
        month = month_of(day)
        await self.months.lock(_key(store_id, month), shared=True)
        closed = await self.months.get(store_id, month)
        if closed is not None:
            raise Conflict(
                f"{month} is closed for this store (closed {closed.closed_at:%Y-%m-%d} by "
                f"{closed.closed_by}): nothing dated in it can change."
            )

    async def closed(self, store_id: uuid.UUID, month: str) -> ClosedMonth | None:
        return await self.months.get(store_id, month)


def _key(store_id: uuid.UUID, month: str) -> str:
    return f"attendance-month:{store_id}:{month}"
