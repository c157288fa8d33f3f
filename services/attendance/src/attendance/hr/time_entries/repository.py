"""Queries of time entries as seed 002 lists and sums them (its filters, its scope)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.punches.models import TimeEntry
from common.roles import Principal, Role
from common.scope import own_stores


@dataclass(frozen=True)
class EntryFilters:
    employee: str | None = None
    day: date | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Totals:
    employee: str
    status: str
    entries: int
    seconds: int


class TimeEntryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def listing(self, actor: Principal, filters: EntryFilters) -> Select[Any]:
        """Staff see their own entries; a branch head also their stores'; an admin all."""
        statement = select(TimeEntry)
        if not actor.is_admin:
            mine = TimeEntry.person_id == actor.user_id
            if actor.has_role(Role.branch_head):
                statement = statement.where(or_(mine, TimeEntry.store_id.in_(own_stores(actor))))
            else:
                statement = statement.where(mine)
        if filters.employee is not None:
            statement = statement.where(TimeEntry.person_id == filters.employee)
        if filters.day is not None:
            statement = statement.where(TimeEntry.work_date == filters.day)
        if filters.status is not None:
            statement = statement.where(TimeEntry.status == filters.status)
        if filters.date_from is not None:
            statement = statement.where(TimeEntry.work_date >= filters.date_from)
        if filters.date_to is not None:
            statement = statement.where(TimeEntry.work_date <= filters.date_to)
        return statement.order_by(TimeEntry.clock_in.desc(), TimeEntry.id)

    async def totals(self, actor: Principal, filters: EntryFilters) -> list[Totals]:
        """Entries and worked seconds per employee and status, under the same filters."""
        listed = self.listing(actor, filters).order_by(None).subquery()
        worked = case(
            (
                listed.c.clock_out.is_not(None),
                func.greatest(
                    0,
                    func.extract("epoch", listed.c.clock_out - listed.c.clock_in)
                    - listed.c.break_minutes * 60,
                ),
            ),
            else_=0,
        )
        rows = await self.session.execute(
            select(
                listed.c.person_id,
                listed.c.status,
                func.count(),
                func.coalesce(func.sum(func.floor(worked)), 0),
            )
            .group_by(listed.c.person_id, listed.c.status)
            .order_by(listed.c.person_id, listed.c.status)
        )
        return [
            Totals(person, status, int(count), int(seconds))
            for person, status, count, seconds in rows
        ]
