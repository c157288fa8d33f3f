"""Queries on what POS sells: the units (locked while a cart takes or sells them) and the
articles, found by SKU in any case. Core statements (the sale path runs them per request)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update

from common.readmodel import excluded, upsert_newer
from pos.db import table_of
from pos.repository import Repository
from pos.shelf.models import ON_SHELF, SOLD, Article, SellableItem

UNITS = table_of(SellableItem)
ARTICLES = table_of(Article)


class ShelfRepository(Repository):
    async def unit_by_sku_for_update(self, sku: str) -> Row[Any] | None:
        statement = select(UNITS).where(func.upper(UNITS.c.sku) == sku.upper()).with_for_update()
        return (await self.session.execute(statement)).first()

    async def unit_for_update(self, item_id: uuid.UUID) -> Row[Any] | None:
        statement = select(UNITS).where(UNITS.c.id == item_id).with_for_update()
        return (await self.session.execute(statement)).first()

    async def units_for_update(self, item_ids: Collection[uuid.UUID]) -> list[Row[Any]]:
        """The units, locked in one statement in id order (two sales never deadlock)."""
        statement = (
            select(UNITS)
            .where(UNITS.c.id.in_(list(item_ids)))
            .order_by(UNITS.c.id)
            .with_for_update()
        )
        return list((await self.session.execute(statement)).all())

    async def article_by_sku(self, sku: str) -> Row[Any] | None:
        statement = select(ARTICLES).where(func.upper(ARTICLES.c.sku) == sku.upper())
        return (await self.session.execute(statement)).first()

    async def hold(self, item_id: uuid.UUID, cart_id: uuid.UUID | None) -> None:
        """The unit sits in ``cart_id`` (None: in no cart)."""
        await self.session.execute(
            update(UNITS).where(UNITS.c.id == item_id).values(held_by_cart_id=cart_id)
        )

    async def mark_sold(self, item_ids: Collection[uuid.UUID], sale_id: uuid.UUID) -> None:
        await self.session.execute(
            update(UNITS)
            .where(UNITS.c.id.in_(list(item_ids)))
            .values(sold_in_sale_id=sale_id, sellable=False, status=SOLD)
        )

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
