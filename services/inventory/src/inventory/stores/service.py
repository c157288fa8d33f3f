"""The stores inventory knows: catalog's, kept from ``catalog.store.*`` (an older event never
overwrites a newer one), and the check that a body names one of them."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import field_error
from common.events.contracts import Event
from inventory.events.contracts import StoreChanged
from inventory.stores.models import Store
from inventory.stores.repository import StoreRepository


class StoreService:
    def __init__(self, session: AsyncSession) -> None:
        self.stores = StoreRepository(session)

    async def known(
        self, store_id: uuid.UUID, *, advice: str = "stores come from catalog"
    ) -> Store:
        """The store a body names (422 on ``store_id`` when catalog never announced it, or
        deleted it)."""
        store = await self.stores.get(store_id)
        if store is None or store.deleted:
            raise field_error("store_id", f"Unknown store {store_id} ({advice}).")
        return store

    async def placeholder(self, store_id: uuid.UUID) -> Store:
        """The store, or a stand-in until catalog's event arrives (a sale named it first)."""
        store = await self.stores.get(store_id)
        if store is not None:
            return store
        return await self.stores.add(
            Store(id=store_id, code=str(store_id)[:8], name="(unknown store)")
        )

    async def catalog_changed(self, event: Event[StoreChanged]) -> None:
        """``catalog.store.created|updated|deleted``: upsert the read-model row."""
        data, deleted = event.data, event.verb == "deleted"
        await self.stores.upsert_newer(
            {
                "id": data.store_id,
                "code": data.code,
                "name": data.name,
                "time_zone": data.time_zone or "UTC",
                "is_active": data.is_active and not deleted,
                "deleted": data.deleted or deleted,
                "synced_at": event.time,
            }
        )
