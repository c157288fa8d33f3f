"""Queries on the ``stores`` read-model."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.readmodel import upsert_newer
from inventory.stores.models import Store


class StoreRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, store_id: uuid.UUID) -> Store | None:
        return await self.session.get(Store, store_id)

    async def upsert_newer(self, values: Mapping[str, Any]) -> bool:
        return await upsert_newer(self.session, Store, values)

    async def add(self, store: Store) -> Store:
        self.session.add(store)
        await self.session.flush()
        return store
