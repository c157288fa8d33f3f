"""What inventory learns from catalog: its stores (for locations), its variants and spares
(the quantity-tracked articles, by SKU) and price changes (price logs)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription
from common.events.envelope import Envelope
from inventory.models import Article, PriceLog, Store


def _price(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


async def store_changed(session: AsyncSession, event: Envelope) -> None:
    """Upsert the store; an older event never overwrites a newer one."""
    data = event.data
    values = {
        "id": uuid.UUID(data["store_id"]),
        "code": data["code"],
        "name": data["name"],
        "time_zone": data.get("time_zone") or "UTC",
        "is_active": bool(data.get("is_active", True)) and event.type != "catalog.store.deleted",
        "deleted": bool(data.get("deleted")) or event.type == "catalog.store.deleted",
        "synced_at": event.time,
    }
    statement = insert(Store).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Store.id],
            set_={key: statement.excluded[key] for key in values if key != "id"},
            where=Store.synced_at <= statement.excluded.synced_at,
        )
    )


async def _upsert_article(
    session: AsyncSession, values: dict[str, Any], at: datetime
) -> tuple[bool, Decimal | None]:
    """Insert or update an article: (whether an existing row was updated, its price before)."""
    article = await session.get(Article, values["id"])
    if article is None:
        session.add(Article(**values, synced_at=at))
        await session.flush()
        return False, None
    before = article.price
    if article.synced_at > at:
        return False, None  # a newer event already arrived: keep it
    for field, value in values.items():
        setattr(article, field, value)
    article.synced_at = at
    await session.flush()
    return True, before


async def variant_changed(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    values = {
        "id": uuid.UUID(data["variant_id"]),
        "kind": "variant",
        "sku": data["sku"],
        "name": data.get("name") or data["sku"],
        "product_id": uuid.UUID(data["product_id"]) if data.get("product_id") else None,
        "price": _price(data.get("price")),
        "currency": data.get("currency") or "USD",
        "is_active": bool(data.get("is_active", True)) and event.type != "catalog.variant.deleted",
    }
    existed, old_price = await _upsert_article(session, values, event.time)
    if existed and old_price != values["price"] and event.type == "catalog.variant.updated":
        session.add(
            PriceLog(
                subject_type="variant",
                subject_id=str(values["id"]),
                sku=values["sku"],
                name=values["name"],
                old_price=old_price,
                new_price=values["price"],
                currency=values["currency"],
                source=event.type,
                actor=event.actor,
                event_id=event.id,
            )
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
    }
    if "price" in data:
        values["price"] = _price(data["price"])
    await _upsert_article(session, values, event.time)


async def product_price_changed(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    session.add(
        PriceLog(
            subject_type="product",
            subject_id=str(data["product_id"]),
            sku=data.get("slug") or "",
            name=data.get("name") or "",
            old_price=_price(data.get("old_price")),
            new_price=_price(data.get("new_price")),
            currency=data.get("currency") or "USD",
            source=event.type,
            actor=data.get("changed_by") or event.actor,
            event_id=event.id,
        )
    )


async def spare_price_changed(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    session.add(
        PriceLog(
            subject_type="spare",
            subject_id=str(data["spare_id"]),
            sku=data.get("part_number") or "",
            name=data.get("name") or "",
            old_price=_price(data.get("old_price")),
            new_price=_price(data.get("new_price")),
            currency=data.get("currency") or "USD",
            source=event.type,
            actor=data.get("changed_by") or event.actor,
            event_id=event.id,
        )
    )
    article = await session.get(Article, uuid.UUID(str(data["spare_id"])))
    if article is not None:
        article.price = _price(data.get("new_price"))


SUBSCRIPTIONS = [
    Subscription(name="catalog-stores", subject="catalog.store.*", handler=store_changed),
    Subscription(name="catalog-variants", subject="catalog.variant.*", handler=variant_changed),
    Subscription(name="catalog-spares", subject="catalog.spare.created", handler=spare_changed),
    Subscription(
        name="catalog-spares-updated", subject="catalog.spare.updated", handler=spare_changed
    ),
    Subscription(
        name="catalog-spares-deleted", subject="catalog.spare.deleted", handler=spare_changed
    ),
    Subscription(
        name="catalog-product-prices",
        subject="catalog.product.price_changed",
        handler=product_price_changed,
    ),
    Subscription(
        name="catalog-spare-prices",
        subject="catalog.spare.price_changed",
        handler=spare_price_changed,
    ),
]
