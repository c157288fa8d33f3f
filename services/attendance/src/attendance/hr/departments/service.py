"""HR departments: staff read those of their stores and the company's; a branch head writes
their store's, a system admin any (company-wide ones only a system admin)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import DepartmentChanged
from attendance.hr.departments.models import Department
from attendance.hr.departments.repository import DepartmentRepository
from attendance.hr.departments.schemas import DepartmentIn, DepartmentUpdate
from attendance.stores.service import StoreService
from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.roles import Principal
from common.scope import check_store
from common.updates import apply_changes


class DepartmentService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.departments = DepartmentRepository(session)

    def listing(self, *, store: uuid.UUID | None) -> Select[Any]:
        return self.departments.listing(self.actor, store=store)

    async def get(self, department_id: int) -> Department:
        department = await self.departments.get(department_id)
        if department is None:
            raise NotFound(f"Department {department_id} not found.")
        if department.store_id is not None:
            check_store(self.actor, department.store_id)
        return department

    async def to_clock_in(self, department_id: int, store_id: uuid.UUID) -> Department:
        """A department one may clock in for at ``store_id`` (422 naming department_id)."""
        department = await self.departments.get(department_id)
        if department is None or not department.is_active:
            raise field_error("department_id", f"no active department {department_id}")
        if department.store_id not in (None, store_id):
            raise field_error("department_id", f"{department.name} belongs to another store")
        return department

    async def create(self, body: DepartmentIn) -> Department:
        await self._may_write(body.store_id)
        if body.store_id is not None:
            await StoreService(self.session).known(body.store_id, "store_id")
        department = await self.departments.add(Department(**body.model_dump()))
        await announce(self.session, _event(department, []), "created", self.actor.user_id)
        return department

    async def update(self, department_id: int, body: DepartmentUpdate) -> Department:
        department = await self.get(department_id)
        await self._may_write(department.store_id)
        if changed := apply_changes(department, body):
            await self.session.flush()
            await self.session.refresh(department)
            event = _event(department, sorted(changed))
            await announce(self.session, event, "updated", self.actor.user_id)
        return department

    async def delete(self, department_id: int) -> None:
        department = await self.get(department_id)
        await self._may_write(department.store_id)
        name = department.name  # the failed flush expires the row
        event = _event(department, [])
        try:
            await self.departments.delete(department)
        except IntegrityError as exc:
            raise Conflict(f"Department {name} has time entries; deactivate it instead.") from exc
        await announce(self.session, event, "deleted", self.actor.user_id)

    async def _may_write(self, store_id: uuid.UUID | None) -> None:
        if store_id is None and not self.actor.is_admin:
            raise PermissionDenied("Only a system admin manages company-wide departments.")
        if store_id is not None:
            check_store(self.actor, store_id)


def _event(department: Department, changed: list[str]) -> DepartmentChanged:
    return DepartmentChanged.of(department, department_id=department.id, changed=changed)
