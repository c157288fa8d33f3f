"""Keeping catalog's stores, their booking hours, and the store a booking may name."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.events.contracts import StoreHoursSet
from bookings.events.outbox import outbox
from bookings.stores.models import Store
from bookings.stores.repository import StoreRepository
from bookings.stores.schemas import StoreHoursUpdate
from common.errors import NotFound, field_error
from common.updates import changes


class StoreService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
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
        """What catalog announced about a store (an older announcement changes nothing; the
        booking hours are ours and stay)."""
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

    def listing(self) -> Select[Any]:
        return self.stores.active()

    async def bookable(self, store_id: uuid.UUID, field: str) -> Store:
        """422 naming ``field`` for a store catalog never announced (or closed)."""
        store = await self.stores.get(store_id)
        if store is None or not store.is_active:
            raise field_error(field, f"no active store {store_id} (stores come from catalog)")
        return store

    async def set_hours(self, store_id: uuid.UUID, body: StoreHoursUpdate, *, actor: str) -> Store:
        store = await self.stores.get_for_update(store_id)
        if store is None:
            raise NotFound(f"Store {store_id} not found (stores come from catalog).")
        sent = changes(body)
        if "opening_hours" in sent:
            store.opening_hours = (
                None
                if body.opening_hours is None
                else {
                    day.value: hours.model_dump(mode="json")
                    for day, hours in body.opening_hours.items()
                }
            )
            await self.session.flush()
            event = StoreHoursSet(store_id=store.id, opening_hours=store.opening_hours)
            await outbox.publish(self.session, event, actor=actor)
        return store
