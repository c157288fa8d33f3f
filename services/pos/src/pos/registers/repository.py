"""Queries on registers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select

from common.pagination import apply_ordering
from common.roles import Principal
from common.scope import scoped
from pos.registers.models import Register
from pos.repository import Repository

ORDERING = {"code": Register.code, "name": Register.name, "created_at": Register.created_at}


class RegisterRepository(Repository):
    async def get(self, register_id: uuid.UUID) -> Register | None:
        return await self.session.get(Register, register_id)

    def listing(
        self,
        actor: Principal,
        *,
        store: uuid.UUID | None,
        is_active: bool | None,
        ordering: str | None,
    ) -> Select[Any]:
        statement = scoped(select(Register), Register.store_id, actor)
        if store is not None:
            statement = statement.where(Register.store_id == store)
        if is_active is not None:
            statement = statement.where(Register.is_active.is_(is_active))
        return apply_ordering(statement, ordering, ORDERING, [Register.code, Register.id])

    async def code_taken(self, store_id: uuid.UUID, code: str) -> bool:
        taken = await self.session.scalar(
            select(Register.id).where(
                Register.store_id == store_id, func.upper(Register.code) == code.upper()
            )
        )
        return taken is not None

    async def add(self, register: Register) -> Register:
        self.session.add(register)
        await self.session.flush()
        await self.session.refresh(register)
        return register

    async def save(self, register: Register) -> Register:
        await self.session.flush()
        await self.session.refresh(register)
        return register
