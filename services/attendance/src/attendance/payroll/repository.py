"""Queries of payroll profiles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.payroll.models import PayrollProfile


class PayrollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_person(self, person_id: str) -> None:
        """One change to a person's profiles at a time: the overlap check cannot race."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"attendance-payroll:{person_id}"},
        )

    async def of_person(self, person_id: str) -> list[PayrollProfile]:
        rows = await self.session.scalars(
            select(PayrollProfile)
            .where(PayrollProfile.person_id == person_id)
            .order_by(PayrollProfile.effective_from)
        )
        return list(rows)

    async def in_force(
        self, person_ids: Iterable[str], first: date, last: date
    ) -> list[PayrollProfile]:
        wanted = sorted(set(person_ids))
        if not wanted:
            return []
        rows = await self.session.scalars(
            select(PayrollProfile).where(
                PayrollProfile.person_id.in_(wanted),
                PayrollProfile.effective_from <= last,
                or_(PayrollProfile.effective_to.is_(None), PayrollProfile.effective_to >= first),
            )
        )
        return list(rows)

    def listing(self, *, person: str | None) -> Select[Any]:
        statement = select(PayrollProfile)
        if person is not None:
            statement = statement.where(PayrollProfile.person_id == person)
        return statement.order_by(PayrollProfile.person_id, PayrollProfile.effective_from)

    async def add(self, profile: PayrollProfile) -> PayrollProfile:
        self.session.add(profile)
        await self.session.flush()
        await self.session.refresh(profile)
        return profile
