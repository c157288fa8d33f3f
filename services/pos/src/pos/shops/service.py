"""The stores POS knows (from catalog's events) and their tax rate, POS's own setting: a
cart takes the rate when it is created and again when it completes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound
from common.roles import Principal
from common.scope import check_store, scoped
from pos.models import Store
from pos.shops.schemas import StoreTaxIn


class ShopService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    def listing(self) -> Select[Any]:
        return scoped(select(Store).where(Store.deleted.is_(False)), Store.id, self.actor)

    async def get(self, store_id: uuid.UUID) -> Store:
        check_store(self.actor, store_id)
        store = await self.session.get(Store, store_id)
        if store is None or store.deleted:
            raise NotFound(f"POS knows no store {store_id}.")
        return store

    async def set_tax(self, store_id: uuid.UUID, body: StoreTaxIn) -> Store:
        store = await self.get(store_id)
        store.tax_rate = body.tax_rate
        await self.session.flush()
        return store
