"""What POS learns from catalog: its stores (registers belong to one) and the variants and
spares it sells by quantity. An older event never overwrites a newer one."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription
from common.events.envelope import Envelope
from pos.models import Article, Store


def _price(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


async def _upsert(session: AsyncSession, model: Any, values: dict[str, Any]) -> None:
    statement = insert(model).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[model.id],
            set_={key: statement.excluded[key] for key in values if key != "id"},
            where=model.synced_at <= statement.excluded.synced_at,
        )
    )


async def store_changed(session: AsyncSession, event: Envelope) -> None:
    """Upsert the store (its POS tax rate is ours and stays)."""
    data = event.data
    gone = event.type == "catalog.store.deleted" or bool(data.get("deleted"))
    await _upsert(
        session,
        Store,
        {
            "id": uuid.UUID(data["store_id"]),
            "code": data["code"],
            "name": data["name"],
            "address": data.get("address") or "",
            "phone": data.get("phone") or "",
            "time_zone": data.get("time_zone") or "UTC",
            "is_active": bool(data.get("is_active", True)) and not gone,
            "deleted": gone,
            "synced_at": event.time,
        },
    )


async def variant_changed(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    await _upsert(
        session,
        Article,
        {
            "id": uuid.UUID(data["variant_id"]),
            "kind": "variant",
            "sku": data["sku"],
            "name": data.get("name") or data["sku"],
            "price": _price(data.get("price")),
            "currency": data.get("currency") or "USD",
            "is_active": bool(data.get("is_active", True))
            and event.type != "catalog.variant.deleted",
            "synced_at": event.time,
        },
    )


async def spare_changed(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    values: dict[str, Any] = {
        "id": uuid.UUID(data["spare_id"]),
        "kind": "spare",
        "sku": data["part_number"],
        "name": data.get("name") or data["part_number"],
        "currency": data.get("currency") or "USD",
        "is_active": event.type != "catalog.spare.deleted",
        "synced_at": event.time,
    }
    if "price" in data:
        values["price"] = _price(data["price"])
    await _upsert(session, Article, values)


SUBSCRIPTIONS = [
    Subscription(name="catalog-stores", subject="catalog.store.*", handler=store_changed),
    Subscription(name="catalog-variants", subject="catalog.variant.*", handler=variant_changed),
    Subscription(name="catalog-spares", subject="catalog.spare.*", handler=spare_changed),
]
