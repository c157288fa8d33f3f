"""Keeping catalog's stores, and telling whether a ``?store=`` filter names one."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from audit.stores.repository import StoreRepository


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
                "time_zone": time_zone,
                "is_active": is_active,
                "synced_at": at,
            }
        )

    async def known(self, store_id: uuid.UUID) -> bool:
        """Whether catalog ever announced the store (a closed store's log is still read)."""
        return await self.stores.get(store_id) is not None
