"""Queries on the stores POS knows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from common.readmodel import upsert_newer
from common.roles import Principal
from common.scope import scoped
from pos.repository import Repository
from pos.shops.models import Store


class StoreRepository(Repository):
    async def get(self, store_id: uuid.UUID) -> Store | None:
        return await self.session.get(Store, store_id)

    def listing(self, actor: Principal) -> Select[Any]:
        """The caller's stores that are not deleted, by code."""
        statement = select(Store).where(Store.deleted.is_(False)).order_by(Store.code, Store.id)
        return scoped(statement, Store.id, actor)

    async def by_ids(self, ids: list[uuid.UUID] | None) -> list[Store]:
        """The stores with these ids (every store for None), by code."""
        statement = select(Store).order_by(Store.code, Store.id)
        if ids is not None:
            statement = statement.where(Store.id.in_(ids))
        return list(await self.session.scalars(statement))

    async def save_from_catalog(self, values: dict[str, Any], synced_at: datetime) -> None:
        """Catalog's view of the store, unless a newer one is there; the tax rate stays."""
        await upsert_newer(self.session, Store, {**values, "synced_at": synced_at})
