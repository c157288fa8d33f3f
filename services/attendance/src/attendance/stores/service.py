"""Keeping catalog's stores, the store a request may name, and each store's attendance policy."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import PolicyChanged
from attendance.stores.models import Store, StorePolicy, default_policy
from attendance.stores.repository import StoreRepository
from attendance.stores.schemas import PolicyUpdate
from common.errors import NotFound, field_error
from common.roles import Principal
from common.scope import check_store, own_stores
from common.updates import apply_changes


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
        latitude: float | None,
        longitude: float | None,
        geofence_radius_m: int | None,
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
                "latitude": latitude,
                "longitude": longitude,
                "geofence_radius_m": geofence_radius_m,
                "is_active": is_active,
                "synced_at": at,
            }
        )

    async def known(self, store_id: uuid.UUID, field: str) -> Store:
        """The active store, or a 422 naming ``field`` for one catalog never announced."""
        store = await self.stores.get(store_id)
        if store is None or not store.is_active:
            raise field_error(field, f"no active store {store_id} (stores come from catalog)")
        return store

    async def to_act_on(self, actor: Principal, store_id: uuid.UUID, field: str) -> Store:
        """403 for another's store; 422 naming ``field`` for a store catalog never announced."""
        check_store(actor, store_id)
        return await self.known(store_id, field)

    async def of_caller(self, actor: Principal, store_id: uuid.UUID | None, field: str) -> Store:
        """The store a request names, or else the caller's only store (422 when that is not
        one store: name it)."""
        if store_id is None:
            mine = sorted(own_stores(actor))
            if len(mine) != 1:
                raise field_error(
                    field,
                    "name the store: your account has "
                    + ("no store" if not mine else f"{len(mine)} stores"),
                )
            store_id = mine[0]
        return await self.to_act_on(actor, store_id, field)

    async def policy(self, store_id: uuid.UUID) -> StorePolicy:
        """The store's rules (the defaults when nobody set them)."""
        return await self.stores.policy(store_id) or default_policy(store_id)

    async def policy_of(self, store_id: uuid.UUID) -> StorePolicy:
        """The policy of a store catalog announced (404 otherwise)."""
        if await self.stores.get(store_id) is None:
            raise NotFound(f"Store {store_id} not found (stores come from catalog).")
        return await self.policy(store_id)

    async def update_policy(
        self, actor: Principal, store_id: uuid.UUID, body: PolicyUpdate
    ) -> StorePolicy:
        current = await self.policy_of(store_id)
        saved = await self.stores.policy(store_id)
        if saved is None:
            saved = await self.stores.add_policy(current)
        if changed := apply_changes(saved, body):
            saved.updated_by = actor.user_id
            await self.session.flush()
            await self.session.refresh(saved)
            event = PolicyChanged.of(saved, changed=sorted(changed))
            await announce(self.session, event, "updated", actor.user_id)
        return saved
