"""The query of work locations: active, not deleted stores, optionally only some ids."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.stores.models import Store


class LocationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_stores(self, ids: Collection[uuid.UUID] | None) -> list[Store]:
        """Active, not deleted stores by name; ``ids`` None means every one."""
        statement = select(Store).where(Store.deleted_at.is_(None), Store.is_active.is_(True))
        if ids is not None:
            statement = statement.where(Store.id.in_(ids))
        rows = await self.session.execute(statement.order_by(Store.name, Store.id))
        return list(rows.scalars())
