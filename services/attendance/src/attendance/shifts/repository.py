"""Queries of shifts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.shifts.models import Shift


class ShiftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, shift_id: uuid.UUID) -> Shift | None:
        return await self.session.get(Shift, shift_id)

    async def many(self, shift_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Shift]:
        wanted = sorted(set(shift_ids))
        if not wanted:
            return {}
        rows = await self.session.scalars(select(Shift).where(Shift.id.in_(wanted)))
        return {shift.id: shift for shift in rows}

    def listing(self, *, store: uuid.UUID | None, active: bool | None) -> Select[Any]:
        statement = select(Shift)
        if store is not None:
            statement = statement.where(Shift.store_id == store)
        if active is not None:
            statement = statement.where(Shift.is_active.is_(active))
        return statement.order_by(Shift.store_id, Shift.start_time, Shift.name, Shift.id)

    async def add(self, shift: Shift) -> Shift:
        self.session.add(shift)
        await self.session.flush()
        await self.session.refresh(shift)
        return shift

    async def delete(self, shift: Shift) -> None:
        await self.session.delete(shift)
        await self.session.flush()
