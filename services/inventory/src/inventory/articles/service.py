"""Catalog's variants and spares as stock articles (by SKU; a spare's SKU is its part
number), kept from catalog's events: an older event never overwrites a newer one, and a
variant's effective price change is a price-log row."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.contracts import Event
from inventory.articles.models import ArticleKind
from inventory.articles.repository import ArticleRepository
from inventory.events.contracts import SpareChanged, SparePriceChanged, VariantChanged
from inventory.prices.models import PricedThing, PriceLog
from inventory.prices.service import PriceLogService


class ArticleService:
    def __init__(self, session: AsyncSession) -> None:
        self.articles = ArticleRepository(session)
        self.prices = PriceLogService(session)

    async def variant_changed(self, event: Event[VariantChanged]) -> None:
        """``catalog.variant.*``: upsert the article; on ``updated``, log a price change."""
        data = event.data
        known, old_price = await self.articles.price_of(data.variant_id)
        values: dict[str, Any] = {
            "id": data.variant_id,
            "kind": ArticleKind.variant,
            "sku": data.sku,
            "name": data.name or data.sku,
            "product_id": data.product_id,
            "price": data.price,
            "currency": data.currency or "USD",
            "is_active": data.is_active and event.verb != "deleted",
            "synced_at": event.time,
        }
        written = await self.articles.upsert_newer(values)
        if known and written and old_price != data.price and event.verb == "updated":
            self.prices.record(
                PriceLog(
                    subject_type=PricedThing.variant,
                    subject_id=str(data.variant_id),
                    sku=data.sku,
                    name=values["name"],
                    old_price=old_price,
                    new_price=data.price,
                    currency=values["currency"],
                    source=event.type,
                    actor=event.actor,
                    event_id=event.id,
                )
            )

    async def spare_changed(self, event: Event[SpareChanged]) -> None:
        """``catalog.spare.created|updated|deleted``: upsert the article (its price only when
        the payload carries one)."""
        data = event.data
        values: dict[str, Any] = {
            "id": data.spare_id,
            "kind": ArticleKind.spare,
            "sku": data.part_number,
            "name": data.name or data.part_number,
            "currency": data.currency or "USD",
            "is_active": event.verb != "deleted",
            "synced_at": event.time,
        }
        if "price" in data.model_fields_set:
            values["price"] = data.price
        await self.articles.upsert_newer(values)

    async def spare_price_changed(self, event: Event[SparePriceChanged]) -> None:
        """``catalog.spare.price_changed``: a price-log row, and the article's new price."""
        data = event.data
        self.prices.record(
            PriceLog(
                subject_type=PricedThing.spare,
                subject_id=str(data.spare_id),
                sku=data.part_number or "",
                name=data.name or "",
                old_price=data.old_price,
                new_price=data.new_price,
                currency=data.currency or "USD",
                source=event.type,
                actor=data.changed_by or event.actor,
                event_id=event.id,
            )
        )
        await self.articles.set_price(data.spare_id, data.new_price)
