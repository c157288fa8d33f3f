"""Queries of HR departments."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.hr.departments.models import Department
from common.roles import Principal
from common.scope import own_stores


class DepartmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, department_id: int) -> Department | None:
        return await self.session.get(Department, department_id)

    def listing(self, actor: Principal, *, store: uuid.UUID | None) -> Select[Any]:
        """Company-wide departments and those of the caller's stores (all for an admin)."""
        statement = select(Department)
        if not actor.is_admin:
            statement = statement.where(
                or_(Department.store_id.is_(None), Department.store_id.in_(own_stores(actor)))
            )
        if store is not None:
            statement = statement.where(Department.store_id == store)
        return statement.order_by(Department.name, Department.id)

    async def add(self, department: Department) -> Department:
        self.session.add(department)
        await self.session.flush()
        await self.session.refresh(department)
        return department

    async def delete(self, department: Department) -> None:
        await self.session.delete(department)
        await self.session.flush()
