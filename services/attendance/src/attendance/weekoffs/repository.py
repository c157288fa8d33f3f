"""Queries of weekly offs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.weekoffs.models import WeeklyOff


class WeeklyOffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, weekoff_id: uuid.UUID) -> WeeklyOff | None:
        return await self.session.get(WeeklyOff, weekoff_id)

    def listing(self, *, person: str | None) -> Select[Any]:
        statement = select(WeeklyOff)
        if person is not None:
            statement = statement.where(WeeklyOff.person_id == person)
        return statement.order_by(WeeklyOff.person_id, WeeklyOff.weekday, WeeklyOff.id)

    async def of_people(
        self, person_ids: Iterable[str], first: date, last: date
    ) -> list[WeeklyOff]:
        """Weekly offs of these people in force on some day of ``first``..``last``."""
        wanted = sorted(set(person_ids))
        if not wanted:
            return []
        rows = await self.session.scalars(
            select(WeeklyOff).where(
                WeeklyOff.person_id.in_(wanted),
                WeeklyOff.effective_from <= last,
                or_(WeeklyOff.effective_to.is_(None), WeeklyOff.effective_to >= first),
            )
        )
        return list(rows)

    async def add(self, weekoff: WeeklyOff) -> WeeklyOff:
        self.session.add(weekoff)
        await self.session.flush()
        await self.session.refresh(weekoff)
        return weekoff

    async def delete(self, weekoff: WeeklyOff) -> None:
        await self.session.delete(weekoff)
        await self.session.flush()
