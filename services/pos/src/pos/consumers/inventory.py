"""POS's read-model of sellable units, from ``inventory.item.*`` — the sale path never calls
inventory, so POS keeps selling while inventory is down — and inventory's oversold reports."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription
from common.events.envelope import Envelope
from pos.models import OversoldAlert, SellableItem


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


async def item_changed(session: AsyncSession, event: Envelope) -> None:
    """Upsert the unit. A unit POS has sold (``sold_in_sale_id``) stays unsellable whatever an
    event says, until a void gives it back; a newer event is never overwritten by an older."""
    data = event.data
    values = {
        "id": uuid.UUID(data["item_id"]),
        "sku": data["sku"],
        "name": data.get("name") or data["sku"],
        "category": data.get("category") or "",
        "brand": data.get("brand") or "",
        "condition": data.get("condition") or "",
        "price": Decimal(str(data["price"])) if data.get("price") not in (None, "") else None,
        "currency": data.get("currency") or "USD",
        "store_id": uuid.UUID(data["store_id"]),
        "location_id": _uuid(data.get("location_id")),
        "status": data.get("status") or "intake",
        "sellable": bool(data.get("sellable")),
        "synced_at": event.time,
    }
    statement = insert(SellableItem).values(**values)
    update: dict[str, Any] = {
        key: statement.excluded[key] for key in values if key not in ("id", "sellable")
    }
    update["sellable"] = statement.excluded.sellable & SellableItem.sold_in_sale_id.is_(None)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[SellableItem.id],
            set_=update,
            where=SellableItem.synced_at <= statement.excluded.synced_at,
        )
    )


async def item_oversold(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    statement = insert(OversoldAlert).values(
        id=event.id,
        store_id=_uuid(data.get("store_id")),
        sale_id=str(data.get("sale_id") or ""),
        receipt_number=str(data.get("receipt_number") or ""),
        sku=str(data.get("sku") or ""),
        reason=str(data.get("reason") or "")[:200],
        occurred_at=event.time,
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=[OversoldAlert.id]))


SUBSCRIPTIONS = [
    Subscription(
        name="inventory-items-created", subject="inventory.item.created", handler=item_changed
    ),
    Subscription(
        name="inventory-items-updated", subject="inventory.item.updated", handler=item_changed
    ),
    Subscription(
        name="inventory-items-status", subject="inventory.item.status_changed", handler=item_changed
    ),
    Subscription(
        name="inventory-oversold", subject="inventory.item.oversold", handler=item_oversold
    ),
]
