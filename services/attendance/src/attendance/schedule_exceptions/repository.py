"""Queries of schedule exceptions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.schedule_exceptions.models import ScheduleException


class ScheduleExceptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, exception_id: uuid.UUID) -> ScheduleException | None:
        return await self.session.get(ScheduleException, exception_id)

    def listing(self, *, store: uuid.UUID | None, person: str | None) -> Select[Any]:
        statement = select(ScheduleException)
        if store is not None:
            statement = statement.where(ScheduleException.store_id == store)
        if person is not None:
            statement = statement.where(ScheduleException.person_id == person)
        return statement.order_by(ScheduleException.date_from.desc(), ScheduleException.id)

    async def affecting(
        self, person_ids: Iterable[str], store_ids: Iterable[uuid.UUID], first: date, last: date
    ) -> list[ScheduleException]:
        """Exceptions of these people, and whole-store ones of these stores, touching the range."""
        people, stores = sorted(set(person_ids)), sorted(set(store_ids))
        whom: list[ColumnElement[bool]] = []
        if people:
            whom.append(ScheduleException.person_id.in_(people))
        if stores:
            whom.append(
                and_(ScheduleException.person_id.is_(None), ScheduleException.store_id.in_(stores))
            )
        if not whom:
            return []
        rows = await self.session.scalars(
            select(ScheduleException).where(
                or_(*whom),
                ScheduleException.date_from <= last,
                ScheduleException.date_to >= first,
            )
        )
        return list(rows)

    async def add(self, exception: ScheduleException) -> ScheduleException:
        self.session.add(exception)
        await self.session.flush()
        await self.session.refresh(exception)
        return exception

    async def delete(self, exception: ScheduleException) -> None:
        await self.session.delete(exception)
        await self.session.flush()
