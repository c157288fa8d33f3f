"""Queries of the stores read-model."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.readmodel import upsert_newer
from invoicing.stores.models import Store


class StoreRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, store_id: uuid.UUID) -> Store | None:
        return await self.session.get(Store, store_id)

    async def many(self, store_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Store]:
        wanted = set(store_ids)
        if not wanted:
            return {}
        rows = await self.session.scalars(select(Store).where(Store.id.in_(wanted)))
        return {store.id: store for store in rows}

    async def save_newer(self, values: dict[str, Any]) -> bool:
        return await upsert_newer(self.session, Store, values)
