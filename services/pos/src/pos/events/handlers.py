"""What POS does with the other services' events (docs/events.md): each handler is one call
into a domain, on a payload its contract already validated (a malformed one never gets here:
it is dead-lettered at once).

- ``auth.user.*`` → its customers (users with a customer number), and consignee accounts
  profiles and user flags;
- ``catalog.store.*`` → its stores; ``catalog.variant.*`` / ``catalog.spare.*`` → articles;
- ``inventory.item.created|updated|status_changed`` → sellable units (the sale path never
  calls inventory, so POS sells while inventory is down); ``inventory.item.oversold`` →
  the dashboard's alerts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription, subscribe
from common.events.contracts import Event
from pos.consignees.feed import ConsigneeFeed
from pos.customers.service import CustomerBook
from pos.dashboard.service import OversoldReports
from pos.events.contracts import (
    ItemChanged,
    ItemOversold,
    SpareChanged,
    StoreChanged,
    UserChanged,
    VariantChanged,
)
from pos.shelf.service import ShelfFeed
from pos.shops.service import StoreFeed

# the subjects of auth's user payload (auth.user.* also carries tokens_invalidated)
USER_VERBS = frozenset({"registered", "created", "updated", "deactivated"})


async def user_changed(session: AsyncSession, event: Event[UserChanged]) -> None:
    await CustomerBook(session).user_changed(
        event.data, deactivated=event.type == "auth.user.deactivated", at=event.time
    )


async def consignee_user_changed(session: AsyncSession, event: Event[UserChanged]) -> None:
    if event.verb in USER_VERBS:  # auth.user.tokens_invalidated says nothing of the profile
        await ConsigneeFeed(session).user_changed(
            event.data,
            deactivated=event.verb == "deactivated",
            at=event.time,
            actor=event.actor,
        )


async def store_changed(session: AsyncSession, event: Event[StoreChanged]) -> None:
    await StoreFeed(session).store_changed(
        event.data, deleted=event.verb == "deleted", at=event.time
    )


async def variant_changed(session: AsyncSession, event: Event[VariantChanged]) -> None:
    await ShelfFeed(session).variant_changed(
        event.data, deleted=event.verb == "deleted", at=event.time
    )


async def spare_changed(session: AsyncSession, event: Event[SpareChanged]) -> None:
    await ShelfFeed(session).spare_changed(
        event.data, deleted=event.verb == "deleted", at=event.time
    )


async def item_changed(session: AsyncSession, event: Event[ItemChanged]) -> None:
    await ShelfFeed(session).unit_changed(event.data, at=event.time)


async def item_oversold(session: AsyncSession, event: Event[ItemOversold]) -> None:
    await OversoldReports(session).record(event.data, event_id=event.id, at=event.time)


SUBSCRIPTIONS: list[Subscription[Any]] = [
    subscribe("auth-customers", "auth.user.*", UserChanged, user_changed),
    subscribe("auth-consignees", "auth.user.*", UserChanged, consignee_user_changed),
    subscribe("catalog-stores", "catalog.store.*", StoreChanged, store_changed),
    subscribe("catalog-variants", "catalog.variant.*", VariantChanged, variant_changed),
    subscribe("catalog-spares", "catalog.spare.*", SpareChanged, spare_changed),
    subscribe("inventory-items-created", "inventory.item.created", ItemChanged, item_changed),
    subscribe("inventory-items-updated", "inventory.item.updated", ItemChanged, item_changed),
    subscribe("inventory-items-status", "inventory.item.status_changed", ItemChanged, item_changed),
    subscribe("inventory-oversold", "inventory.item.oversold", ItemOversold, item_oversold),
]
