"""Queries of geofences."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.geofences.models import Geofence


class GeofenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, geofence_id: uuid.UUID) -> Geofence | None:
        return await self.session.get(Geofence, geofence_id)

    def listing(self, *, store: uuid.UUID | None, active: bool | None) -> Select[Any]:
        statement = select(Geofence)
        if store is not None:
            statement = statement.where(Geofence.store_id == store)
        if active is not None:
            statement = statement.where(Geofence.is_active.is_(active))
        return statement.order_by(Geofence.store_id, Geofence.name, Geofence.id)

    async def active_of(self, store_id: uuid.UUID) -> list[Geofence]:
        rows = await self.session.scalars(
            select(Geofence).where(Geofence.store_id == store_id, Geofence.is_active.is_(True))
        )
        return list(rows)

    async def add(self, geofence: Geofence) -> Geofence:
        self.session.add(geofence)
        await self.session.flush()
        await self.session.refresh(geofence)
        return geofence

    async def delete(self, geofence: Geofence) -> None:
        await self.session.delete(geofence)
        await self.session.flush()
