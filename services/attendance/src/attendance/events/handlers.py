"""What attendance does with other services' events: each handler is one call into a domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.contracts import StoreChanged, UserChanged
from attendance.people.service import PersonService
from attendance.stores.service import StoreService
from common.events.consumer import Subscription, subscribe
from common.events.contracts import Event


async def store_changed(session: AsyncSession, event: Event[StoreChanged]) -> None:
    store = event.data
    await StoreService(session).record(
        store_id=store.store_id,
        code=store.code,
        name=store.name,
        time_zone=store.time_zone,
        latitude=store.latitude,
        longitude=store.longitude,
        geofence_radius_m=store.geofence_radius_m,
        is_active=store.is_active and not store.deleted and event.verb != "deleted",
        at=event.time,
    )


async def user_changed(session: AsyncSession, event: Event[UserChanged]) -> None:
    user = event.data
    if user.role is None:  # auth.user.tokens_invalidated: sessions ended, the person unchanged
        return
    await PersonService(session).record(
        user_id=user.user_id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        role=user.role,
        store_ids=user.store_ids,
        is_active=user.is_active and event.verb != "deactivated",
        at=event.time,
    )


SUBSCRIPTIONS: list[Subscription[Any]] = [
    subscribe("catalog-stores", "catalog.store.*", StoreChanged, store_changed),
    subscribe("auth-people", "auth.user.*", UserChanged, user_changed),
]
