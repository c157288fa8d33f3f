"""Queries of schedules, and the rows a roster of some people over some days is made of."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.schedules.models import Schedule


class ScheduleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, schedule_id: uuid.UUID) -> Schedule | None:
        return await self.session.get(Schedule, schedule_id)

    def listing(
        self, *, person: str | None, store: uuid.UUID | None, active: bool | None
    ) -> Select[Any]:
        statement = select(Schedule)
        if person is not None:
            statement = statement.where(Schedule.person_id == person)
        if store is not None:
            statement = statement.where(Schedule.store_id == store)
        if active is not None:
            statement = statement.where(Schedule.is_active.is_(active))
        return statement.order_by(Schedule.person_id, Schedule.effective_from, Schedule.id)

    async def in_force(
        self,
        first: date,
        last: date,
        *,
        person_ids: Iterable[str] | None = None,
        store_id: uuid.UUID | None = None,
    ) -> list[Schedule]:
        """Active schedules of these people (or of this store) in force on some day of the range."""
        statement = select(Schedule).where(
            Schedule.is_active.is_(True),
            Schedule.effective_from <= last,
            or_(Schedule.effective_to.is_(None), Schedule.effective_to >= first),
        )
        if person_ids is not None:
            statement = statement.where(Schedule.person_id.in_(sorted(set(person_ids))))
        if store_id is not None:
            statement = statement.where(Schedule.store_id == store_id)
        return list(await self.session.scalars(statement))

    async def add(self, schedule: Schedule) -> Schedule:
        self.session.add(schedule)
        await self.session.flush()
        await self.session.refresh(schedule)
        return schedule

    async def delete(self, schedule: Schedule) -> None:
        await self.session.delete(schedule)
        await self.session.flush()
