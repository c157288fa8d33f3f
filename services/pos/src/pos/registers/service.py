"""Registers: a till in one store. Removing one is soft (its drawers and sales keep it) and
refused while a drawer is open on it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import changes
from pos.cash.repository import CashRepository
from pos.events.contracts import RegisterChanged
from pos.events.outbox import outbox
from pos.registers.models import Register
from pos.registers.repository import RegisterRepository
from pos.registers.schemas import RegisterIn, RegisterUpdate
from pos.shops.repository import StoreRepository
from pos.shops.service import store_to_act_on


class RegisterService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.registers = RegisterRepository(session)
        self.stores = StoreRepository(session)
        self.cash = CashRepository(session)
        self.actor = actor

    async def listing(
        self,
        page: PageParams,
        *,
        store: uuid.UUID | None = None,
        is_active: bool | None = None,
        ordering: str | None = None,
    ) -> tuple[int, list[Register]]:
        statement = self.registers.listing(
            self.actor, store=store, is_active=is_active, ordering=ordering
        )
        return await self.registers.page(statement, page)

    async def get(self, register_id: uuid.UUID) -> Register:
        register = await self.registers.get(register_id)
        if register is None:
            raise NotFound("No such register.")
        check_store(self.actor, register.store_id)
        return register

    async def create(self, body: RegisterIn) -> Register:
        store = await store_to_act_on(self.stores, self.actor, body.store_id, "store_id")
        await self._code_free(body.store_id, body.code)
        register = Register(**body.model_dump(), store=store)
        register.code = body.code.upper()
        saved = await self.registers.add(register)
        await self._announce(saved, "pos.register.created", [])
        return saved

    async def update(self, register_id: uuid.UUID, body: RegisterUpdate) -> Register:
        register = await self.get(register_id)
        sent = changes(body)
        if "code" in sent and sent["code"].upper() != register.code:
            await self._code_free(register.store_id, sent["code"])
        if sent.get("is_active") is False:
            await self._no_open_drawer(register)
        for field, value in sent.items():
            setattr(register, field, value.upper() if field == "code" else value)
        saved = await self.registers.save(register)
        await self._announce(saved, "pos.register.updated", sorted(sent))
        return saved

    async def remove(self, register_id: uuid.UUID) -> None:
        register = await self.get(register_id)
        await self._no_open_drawer(register)
        register.is_active = False
        await self._announce(await self.registers.save(register), "pos.register.deactivated", [])

    async def _announce(self, register: Register, subject: str, changed: list[str]) -> None:
        event = RegisterChanged(
            register_id=register.id,
            store_id=register.store_id,
            code=register.code,
            name=register.name,
            is_active=register.is_active,
            changed=changed,
        )
        await outbox.publish(self.session, event, subject=subject, actor=self.actor.user_id)

    async def _no_open_drawer(self, register: Register) -> None:
        drawer = await self.cash.open_drawer_id(register.id)
        if drawer is not None:
            raise Conflict(f"Register {register.code} has drawer {drawer} open; close it first.")

    async def _code_free(self, store_id: uuid.UUID, code: str) -> None:
        if await self.registers.code_taken(store_id, code):
            raise Conflict(f"code: register {code.upper()} already exists in this store.")
