"""Queries on what POS sells: the units (locked while a cart takes or sells them) and the
articles, found by SKU in any case. Core statements (the sale path runs them per request)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Uuid, any_, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from common.readmodel import excluded, upsert_newer
from pos.consignment.models import ConsignedItem
from pos.db import table_of
from pos.repository import Repository
from pos.shelf.models import ON_SHELF, SOLD, Article, SellableItem

UNITS = table_of(SellableItem)
ARTICLES = table_of(Article)
CONSIGNED = table_of(ConsignedItem)

# The sale path's statements, built once (SKUs in any case: upper(sku) is indexed).
ARTICLE_BY_SKU = select(ARTICLES).where(func.upper(ARTICLES.c.sku) == bindparam("the_sku"))

# Writes of the sale path: CTEs of ``CartRepository``'s one-statement writes.
HELD = (
    update(UNITS)
    .where(UNITS.c.id == bindparam("held_unit"))
    .values(held_by_cart_id=bindparam("held_by"))
    .cte("held")
)
RELEASED = (
    update(UNITS)
    .where(
        UNITS.c.id == bindparam("released_unit"),
        UNITS.c.held_by_cart_id == bindparam("released_by"),
    )
    .values(held_by_cart_id=None)
    .cte("released")
)
SOLD_UNITS = (
    update(UNITS)
    .where(UNITS.c.id == any_(bindparam("sold_units", type_=ARRAY(Uuid))))
    .values(sold_in_sale_id=bindparam("sold_in"), sellable=False, status=SOLD)
    .cte("sold")
)


def held(item_id: uuid.UUID, cart_id: uuid.UUID) -> dict[str, Any]:
    """Parameters of ``HELD``: the unit sits in the cart."""
    return {"held_unit": item_id, "held_by": cart_id}


def released(item_id: uuid.UUID | None, cart_id: uuid.UUID) -> dict[str, Any]:
    """Parameters of ``RELEASED``: the unit (if any) leaves the cart it sits in."""
    return {"released_unit": item_id, "released_by": cart_id}


def sold(item_ids: Collection[uuid.UUID], sale_id: uuid.UUID) -> dict[str, Any]:
    """Parameters of ``SOLD_UNITS``: the units are sold in the sale (none: no row)."""
    return {"sold_units": list(item_ids), "sold_in": sale_id}


class ShelfRepository(Repository):
    async def unit_for_update(self, item_id: uuid.UUID) -> Row[Any] | None:
        statement = select(UNITS).where(UNITS.c.id == item_id).with_for_update()
        return (await self.session.execute(statement)).first()

    async def article_by_sku(self, sku: str) -> Row[Any] | None:
        return (await self.session.execute(ARTICLE_BY_SKU, {"the_sku": sku.upper()})).first()

    async def give_back(self, item_ids: Collection[uuid.UUID], sale_id: uuid.UUID) -> None:
        """Units a voided sale had sold go back on the shelf (those it still holds)."""
        await self.session.execute(
            update(UNITS)
            .where(UNITS.c.id.in_(list(item_ids)), UNITS.c.sold_in_sale_id == sale_id)
            .values(sold_in_sale_id=None, held_by_cart_id=None, sellable=True, status=ON_SHELF)
        )

    async def save_unit(self, values: dict[str, Any], synced_at: datetime) -> None:
        """inventory's view of the unit, unless a newer one is there. A unit POS has sold
        (``sold_in_sale_id``) stays unsellable whatever the event says."""
        new = excluded(SellableItem)
        await upsert_newer(
            self.session,
            SellableItem,
            {**values, "synced_at": synced_at},
            overrides={"sellable": new.sellable & UNITS.c.sold_in_sale_id.is_(None)},
        )

    async def save_article(self, values: dict[str, Any], synced_at: datetime) -> None:
        """catalog's view of the variant or spare, unless a newer one is there."""
        await upsert_newer(self.session, Article, {**values, "synced_at": synced_at})
