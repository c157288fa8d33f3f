"""What audit does with other services' events: each handler is one call into a domain."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from audit.events.contracts import StoreChanged
from audit.stores.service import StoreService
from common.events.consumer import subscribe
from common.events.contracts import Event


async def store_changed(session: AsyncSession, event: Event[StoreChanged]) -> None:
    store = event.data
    await StoreService(session).record(
        store_id=store.store_id,
        code=store.code,
        name=store.name,
        time_zone=store.time_zone,
        is_active=store.is_active and event.verb != "deleted",
        at=event.time,
    )


SUBSCRIPTIONS = [subscribe("catalog-stores", "catalog.store.*", StoreChanged, store_changed)]
