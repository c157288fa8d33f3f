"""What POS can sell, kept from the other services' events: inventory's units (a unit POS has
sold stays unsellable whatever a later event says, until a void gives it back) and catalog's
variants and spares (sold by quantity; a spare's SKU is its part number). An older event
never overwrites a newer one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pos.events.contracts import ItemChanged, SpareChanged, VariantChanged
from pos.shelf.models import ArticleKind
from pos.shelf.repository import ShelfRepository


class ShelfFeed:
    """inventory's and catalog's events into the shelf (the system acting, no caller)."""

    def __init__(self, session: AsyncSession) -> None:
        self.shelf = ShelfRepository(session)

    async def unit_changed(self, item: ItemChanged, *, at: datetime) -> None:
        await self.shelf.save_unit(
            {
                "id": item.item_id,
                "sku": item.sku,
                "name": item.name or item.sku,
                "category": item.category or "",
                "brand": item.brand or "",
                "condition": item.condition or "",
                "price": item.price,
                "currency": item.currency or "USD",
                "store_id": item.store_id,
                "location_id": item.location_id,
                "status": item.status or "intake",
                "sellable": bool(item.sellable),
            },
            synced_at=at,
        )

    async def variant_changed(
        self, variant: VariantChanged, *, deleted: bool, at: datetime
    ) -> None:
        await self.shelf.save_article(
            {
                "id": variant.variant_id,
                "kind": ArticleKind.variant,
                "sku": variant.sku,
                "name": variant.name or variant.sku,
                "price": variant.price,
                "currency": variant.currency or "USD",
                "is_active": bool(variant.is_active) and not deleted,
            },
            synced_at=at,
        )

    async def spare_changed(self, spare: SpareChanged, *, deleted: bool, at: datetime) -> None:
        """A payload without ``price`` leaves the price POS knows as it is."""
        values = {
            "id": spare.spare_id,
            "kind": ArticleKind.spare,
            "sku": spare.part_number,
            "name": spare.name or spare.part_number,
            "currency": spare.currency or "USD",
            "is_active": not deleted,
        }
        if "price" in spare.model_fields_set:
            values["price"] = spare.price
        await self.shelf.save_article(values, synced_at=at)
