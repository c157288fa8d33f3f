"""The stores POS knows (from catalog's events) and their tax rate, POS's own setting: a
cart takes the rate when it is created and again when it completes. Also the store a
manager's request is about: one the caller may act on and POS knows."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound, Unprocessable
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store, own_stores
from pos.events.contracts import StoreChanged, StoreTaxChanged
from pos.events.outbox import outbox
from pos.shops.models import Store
from pos.shops.repository import StoreRepository
from pos.shops.schemas import StoreTaxIn


async def store_to_act_on(
    stores: StoreRepository, actor: Principal, store_id: uuid.UUID, field: str
) -> Store:
    """403 for another's store, 422 naming ``field`` for a store POS does not know."""
    check_store(actor, store_id)
    store = await stores.get(store_id)
    if store is None or store.deleted:
        raise Unprocessable(f"{field}: no store {store_id} (POS knows catalog's stores).")
    return store


def store_or_only_own(actor: Principal, store_id: uuid.UUID | None) -> uuid.UUID:
    """The named store, else the caller's one store; with none or several, 422 naming ``store``."""
    if store_id is not None:
        return store_id
    own = own_stores(actor)
    if len(own) == 1:
        return next(iter(own))
    if not own:
        raise Unprocessable("store: required; you have no store of your own, so name one.")
    raise Unprocessable(f"store: required; you have {len(own)} stores, so name one of them.")


class ShopService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.stores = StoreRepository(session)
        self.actor = actor

    async def listing(self, page: PageParams) -> tuple[int, list[Store]]:
        return await self.stores.page(self.stores.listing(self.actor), page)

    async def get(self, store_id: uuid.UUID) -> Store:
        check_store(self.actor, store_id)
        store = await self.stores.get(store_id)
        if store is None or store.deleted:
            raise NotFound(f"POS knows no store {store_id}.")
        return store

    async def set_tax(self, store_id: uuid.UUID, body: StoreTaxIn) -> Store:
        store = await self.get(store_id)
        old = store.tax_rate
        store.tax_rate = body.tax_rate
        await self.stores.session.flush()
        event = StoreTaxChanged(
            store_id=store.id, code=store.code, old_tax_rate=old, tax_rate=store.tax_rate
        )
        await outbox.publish(self.stores.session, event, actor=self.actor.user_id)
        return store


class StoreFeed:
    """catalog's store events into POS's store read-model (the system acting, no caller)."""

    def __init__(self, session: AsyncSession) -> None:
        self.stores = StoreRepository(session)

    async def store_changed(self, store: StoreChanged, *, deleted: bool, at: datetime) -> None:
        """Upsert the store (its POS tax rate is ours and stays); an older event loses."""
        gone = deleted or bool(store.deleted)
        await self.stores.save_from_catalog(
            {
                "id": store.store_id,
                "code": store.code,
                "name": store.name,
                "address": store.address or "",
                "phone": store.phone or "",
                "time_zone": store.time_zone or "UTC",
                "is_active": bool(store.is_active) and not gone,
                "deleted": gone,
            },
            synced_at=at,
        )
