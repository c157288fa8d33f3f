"""Store rules: unique codes (any case), soft delete (hidden from lists, still resolvable for
history, never edited again), and the events other services keep their stores from."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events.contracts import StoreChanged, StoreUpdated
from catalog.events.outbox import outbox
from catalog.stores.models import Store
from catalog.stores.repository import StoreRepository
from catalog.stores.schemas import StoreIn, StoreUpdate
from common.errors import Conflict, NotFound, field_error
from common.pagination import Page, PageParams, make_page
from common.roles import Principal
from common.updates import changes


def store_fields(store: Store) -> dict[str, Any]:
    """The store as its events carry it."""
    return {
        "store_id": store.id,
        "code": store.code,
        "name": store.name,
        "address": store.address,
        "phone": store.phone,
        "time_zone": store.time_zone,
        "latitude": store.latitude,
        "longitude": store.longitude,
        "geofence_radius_m": store.geofence_radius_m,
        "is_headquarters": store.is_headquarters,
        "is_active": store.is_active,
        "deleted": store.deleted,
    }


class StoreService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rows = StoreRepository(session)

    async def get(self, store_id: uuid.UUID) -> Store:
        store = await self.rows.by_id(store_id)
        if store is None:
            raise NotFound(f"Store {store_id} not found.")
        return store

    async def list(
        self,
        params: PageParams,
        *,
        is_headquarters: bool | None,
        is_active: bool | None,
        search: str | None,
        ordering: str | None,
    ) -> Page[Any]:
        statement = self.rows.listing(
            is_headquarters=is_headquarters, is_active=is_active, search=search, ordering=ordering
        )
        count, rows = await self.rows.page(statement, params)
        return make_page(count, rows, params)

    async def create(self, body: StoreIn, actor: Principal) -> Store:
        await self._code_free(body.code)
        values: dict[str, Any] = body.model_dump()
        values["code"] = values["code"].upper()
        values["email"] = values["email"] or ""
        store = Store(**values)
        await self.rows.add(store)
        await outbox.publish(
            self.session,
            StoreChanged(**store_fields(store)),
            subject="catalog.store.created",
            actor=actor.user_id,
        )
        return store

    async def update(self, store_id: uuid.UUID, body: StoreUpdate, actor: Principal) -> Store:
        store = await self.get(store_id)
        if store.deleted:
            raise Conflict(f"Store {store_id} is deleted and cannot be changed.")
        values = changes(body)
        if values.get("code"):
            values["code"] = values["code"].upper()
            await self._code_free(values["code"], except_id=store.id)
        for field, value in values.items():
            setattr(store, field, value)
        await self.rows.save(store)
        await outbox.publish(
            self.session,
            StoreUpdated(**store_fields(store), changed=sorted(values)),
            actor=actor.user_id,
        )
        return store

    async def delete(self, store_id: uuid.UUID, actor: Principal) -> None:
        """Soft delete; deleting a deleted store again changes and publishes nothing."""
        store = await self.get(store_id)
        if store.deleted:
            return
        store.deleted_at = datetime.now(UTC)
        store.is_active = False
        await self.rows.save(store)
        await outbox.publish(
            self.session,
            StoreChanged(**store_fields(store)),
            subject="catalog.store.deleted",
            actor=actor.user_id,
        )

    async def _code_free(self, code: str, except_id: uuid.UUID | None = None) -> None:
        if await self.rows.code_taken(code, except_id=except_id):
            raise field_error("code", f"A store with code {code} already exists.", status=Conflict)
