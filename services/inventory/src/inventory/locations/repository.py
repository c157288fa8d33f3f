"""Queries on ``locations``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, paginate
from common.roles import Principal
from common.scope import scoped
from inventory.locations.models import Location


@dataclass(frozen=True)
class LocationFilters:
    store: uuid.UUID | None = None
    parent: uuid.UUID | None = None
    roots: bool | None = None
    is_active: bool | None = None


class LocationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, location_id: uuid.UUID) -> Location | None:
        return await self.session.get(Location, location_id)

    async def code_taken(self, store_id: uuid.UUID, code: str, except_id: uuid.UUID | None) -> bool:
        statement = select(Location.id).where(Location.store_id == store_id, Location.code == code)
        if except_id is not None:
            statement = statement.where(Location.id != except_id)
        return (await self.session.execute(statement)).first() is not None

    async def default_of(self, store_id: uuid.UUID) -> Location | None:
        return (
            await self.session.execute(
                select(Location).where(Location.store_id == store_id, Location.is_default)
            )
        ).scalar_one_or_none()

    async def children(self, location_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Location).where(Location.parent_id == location_id)
        )
        return int(count or 0)

    async def add(self, location: Location) -> Location:
        self.session.add(location)
        await self.session.flush()
        await self.session.refresh(location)
        return location

    async def save(self, location: Location) -> Location:
        await self.session.flush()
        await self.session.refresh(location)
        return location

    async def delete(self, location: Location) -> None:
        await self.session.delete(location)
        await self.session.flush()

    async def listing(
        self, principal: Principal, filters: LocationFilters, page: PageParams
    ) -> tuple[int, list[Any]]:
        statement = scoped(select(Location), Location.store_id, principal)
        if filters.store is not None:
            statement = statement.where(Location.store_id == filters.store)
        if filters.parent is not None:
            statement = statement.where(Location.parent_id == filters.parent)
        if filters.roots:
            statement = statement.where(Location.parent_id.is_(None))
        if filters.is_active is not None:
            statement = statement.where(Location.is_active.is_(filters.is_active))
        return await paginate(
            self.session, statement.order_by(Location.store_id, Location.code), page
        )
