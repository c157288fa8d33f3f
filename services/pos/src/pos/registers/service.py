"""Registers: a till in one store. Removing one is soft (its drawers and sales keep it) and
refused while a drawer is open on it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound
from common.roles import Principal
from common.scope import check_store, scoped
from pos.models import Drawer, Register
from pos.registers.schemas import RegisterIn, RegisterUpdate
from pos.stores import store_to_act_on


class RegisterService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    def listing(self, store: uuid.UUID | None, is_active: bool | None) -> Select[Any]:
        statement = scoped(select(Register), Register.store_id, self.actor)
        if store is not None:
            statement = statement.where(Register.store_id == store)
        if is_active is not None:
            statement = statement.where(Register.is_active.is_(is_active))
        return statement

    async def get(self, register_id: uuid.UUID) -> Register:
        register = await self.session.get(Register, register_id)
        if register is None:
            raise NotFound("No such register.")
        check_store(self.actor, register.store_id)
        return register

    async def create(self, body: RegisterIn) -> Register:
        store = await store_to_act_on(self.session, self.actor, body.store_id, "store_id")
        await self._code_free(body.store_id, body.code)
        register = Register(**body.model_dump(), store=store)
        register.code = body.code.upper()
        self.session.add(register)
        await self.session.flush()
        await self.session.refresh(register)
        return register

    async def update(self, register_id: uuid.UUID, body: RegisterUpdate) -> Register:
        register = await self.get(register_id)
        changes = body.model_dump(exclude_unset=True)
        if changes.get("code") and changes["code"].upper() != register.code:
            await self._code_free(register.store_id, changes["code"])
            changes["code"] = changes["code"].upper()
        if changes.get("is_active") is False:
            await self._no_open_drawer(register)
        for field, value in changes.items():
            if value is not None:
                setattr(register, field, value)
        await self.session.flush()
        await self.session.refresh(register)
        return register

    async def remove(self, register_id: uuid.UUID) -> None:
        register = await self.get(register_id)
        await self._no_open_drawer(register)
        register.is_active = False
        await self.session.flush()

    async def _no_open_drawer(self, register: Register) -> None:
        drawer = await self.session.scalar(
            select(Drawer.id).where(Drawer.register_id == register.id, Drawer.status == "open")
        )
        if drawer is not None:
            raise Conflict(f"Register {register.code} has drawer {drawer} open; close it first.")

    async def _code_free(self, store_id: uuid.UUID, code: str) -> None:
        taken = await self.session.scalar(
            select(Register.id).where(
                Register.store_id == store_id, func.upper(Register.code) == code.upper()
            )
        )
        if taken is not None:
            raise Conflict(f"code: register {code.upper()} already exists in this store.")
