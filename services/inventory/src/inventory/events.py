"""What inventory publishes (docs/events.md). Payloads carry what consumers need without calling back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.outbox import Outbox
from inventory.models import EVENT_TABLES, Item

outbox = Outbox(EVENT_TABLES, source="inventory")


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def quantity(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def item_payload(item: Item) -> dict[str, Any]:
    """Everything POS needs to sell the unit from its own read-model."""
    return {
        "item_id": str(item.id),
        "sku": item.sku,
        "name": item.name,
        "description": item.description,
        "product_id": None if item.product_id is None else str(item.product_id),
        "category": item.category,
        "brand": item.brand,
        "condition": item.condition,
        "source": item.source,
        "status": item.status,
        "sellable": item.status == "on_shelf",
        "price": money(item.price),
        "currency": item.currency,
        "store_id": str(item.store_id),
        "location_id": None if item.location_id is None else str(item.location_id),
    }


async def publish(
    session: AsyncSession, subject: str, data: dict[str, Any], actor: str | None
) -> None:
    await outbox.add(session, subject, data, actor=actor)
