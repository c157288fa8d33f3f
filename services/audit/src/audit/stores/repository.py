"""Queries of the stores read-model."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from audit.stores.models import Store
from common.readmodel import upsert_newer


class StoreRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, store_id: uuid.UUID) -> Store | None:
        return await self.session.get(Store, store_id)

    async def save_newer(self, values: dict[str, Any]) -> bool:
        return await upsert_newer(self.session, Store, values)
