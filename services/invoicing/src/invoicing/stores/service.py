"""Keeping catalog's stores, and the store a request may name (known, active, the caller's)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import field_error
from common.roles import Principal
from common.scope import check_store
from invoicing.stores.clock import known_zone
from invoicing.stores.models import Store
from invoicing.stores.repository import StoreRepository


class StoreService:
    def __init__(self, session: AsyncSession) -> None:
        self.stores = StoreRepository(session)

    async def record(
        self,
        *,
        store_id: uuid.UUID,
        code: str,
        name: str,
        time_zone: str,
        is_active: bool,
        at: datetime,
    ) -> None:
        """What catalog announced about a store (an older announcement changes nothing)."""
        await self.stores.save_newer(
            {
                "id": store_id,
                "code": code,
                "name": name,
                "time_zone": known_zone(time_zone),
                "is_active": is_active,
                "synced_at": at,
            }
        )

    async def get(self, store_id: uuid.UUID) -> Store | None:
        return await self.stores.get(store_id)

    async def to_act_on(self, actor: Principal, store_id: uuid.UUID, field: str) -> Store:
        """403 for another's store; 422 naming ``field`` for a store catalog never announced."""
        check_store(actor, store_id)
        store = await self.stores.get(store_id)
        if store is None or not store.is_active:
            raise field_error(field, f"no active store {store_id} (stores come from catalog)")
        return store
