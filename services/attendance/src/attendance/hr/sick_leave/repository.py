"""Queries of sick-leave balances and requests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.hr.sick_leave.models import SickLeaveBalance, SickLeaveRequest


class SickLeaveRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def balance_for_update(self, person_id: str, year: int) -> SickLeaveBalance:
        """The person's balance of the year, created at zero if new, locked until commit."""
        await self.session.execute(
            insert(SickLeaveBalance)
            .values(person_id=person_id, year=year)
            .on_conflict_do_nothing(index_elements=["person_id", "year"])
        )
        balance = (
            await self.session.scalars(
                select(SickLeaveBalance)
                .where(SickLeaveBalance.person_id == person_id, SickLeaveBalance.year == year)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).one()
        return balance

    def balances(
        self, *, people: Iterable[str] | None, employee: str | None, year: int | None
    ) -> Select[Any]:
        statement = select(SickLeaveBalance)
        if people is not None:
            statement = statement.where(SickLeaveBalance.person_id.in_(sorted(set(people))))
        if employee is not None:
            statement = statement.where(SickLeaveBalance.person_id == employee)
        if year is not None:
            statement = statement.where(SickLeaveBalance.year == year)
        return statement.order_by(SickLeaveBalance.person_id, SickLeaveBalance.year.desc())

    async def get(
        self, request_id: uuid.UUID, *, for_update: bool = False
    ) -> SickLeaveRequest | None:
        statement = select(SickLeaveRequest).where(SickLeaveRequest.id == request_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.scalars(statement)).first()

    def requests(self, *, employee: str | None, status: str | None) -> Select[Any]:
        statement = select(SickLeaveRequest)
        if employee is not None:
            statement = statement.where(SickLeaveRequest.person_id == employee)
        if status is not None:
            statement = statement.where(SickLeaveRequest.status == status)
        return statement.order_by(SickLeaveRequest.start_date.desc(), SickLeaveRequest.id)

    async def add(self, request: SickLeaveRequest) -> SickLeaveRequest:
        self.session.add(request)
        await self.session.flush()
        await self.session.refresh(request)
        return request

    async def delete(self, request: SickLeaveRequest) -> None:
        await self.session.delete(request)
        await self.session.flush()
