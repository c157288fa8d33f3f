"""Every query on unit items and their history, and the SKU lookup shared by the stock
routes: a SKU names a unit item or a catalog article, each with its stock key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_ordering, paginate
from common.roles import Principal
from common.scope import scoped
from inventory.articles.models import Article
from inventory.articles.repository import ArticleRepository
from inventory.items.models import Item, ItemEvent, ItemStatus
from inventory.ledger.models import StockKey
from inventory.ledger.repository import LedgerRepository

ORDERING = {"created_at": Item.created_at, "price": Item.price, "sku": Item.sku, "name": Item.name}


@dataclass(frozen=True)
class Stockable:
    """What a SKU names on the ledger: a unit item or a catalog article, and its key."""

    key: StockKey
    article: Article | None = None
    item: Item | None = None

    @property
    def is_unit(self) -> bool:
        return self.item is not None

    @property
    def product_id(self) -> uuid.UUID | None:
        thing = self.article if self.article is not None else self.item
        return None if thing is None else thing.product_id


@dataclass(frozen=True)
class ItemFilters:
    status: str | None = None
    source: str | None = None
    category: str | None = None
    condition: str | None = None
    location: uuid.UUID | None = None
    store: uuid.UUID | None = None
    ordering: str | None = None


class ItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.ledger = LedgerRepository(session)
        self.articles = ArticleRepository(session)

    async def get(self, item_id: uuid.UUID) -> Item | None:
        return await self.session.get(Item, item_id)

    async def by_sku(self, sku: str) -> Item | None:
        """The unit with this SKU, ignoring case."""
        return (
            await self.session.execute(select(Item).where(func.upper(Item.sku) == sku.upper()))
        ).scalar_one_or_none()

    async def with_exact_sku(self, sku: str) -> Item | None:
        return (
            await self.session.execute(select(Item).where(Item.sku == sku))
        ).scalar_one_or_none()

    async def sku_taken(self, sku: str) -> bool:
        """By a unit or a catalog article (SKUs ignore case)."""
        unit = await self.session.scalar(select(Item.id).where(func.upper(Item.sku) == sku.upper()))
        return unit is not None or await self.articles.sku_taken(sku)

    async def next_sku_number(self) -> int:
        number = await self.session.scalar(text("SELECT nextval('item_sku_seq')"))
        return int(number)

    async def stockable(self, sku: str) -> Stockable | None:
        """The unit item or the catalog article with this SKU (case-insensitive), with its key."""
        sku = sku.strip()
        item = await self.by_sku(sku)
        if item is not None:
            return Stockable(key=await self.key_of(item), item=item)
        article = await self.articles.by_sku(sku)
        if article is not None:
            key = await self.ledger.key_for_article(article.id, article.sku)
            return Stockable(key=key, article=article)
        return None

    async def key_of(self, item: Item) -> StockKey:
        return await self.ledger.key_for_item(item.id, item.sku)

    async def has_moved(self, key: StockKey) -> bool:
        """Whether the unit's key has any ledger row (then the unit is never deleted)."""
        return await self.ledger.has_moved(key)

    async def sold_in(self, sale_id: str) -> list[Item]:
        rows = await self.session.execute(
            select(Item).where(Item.sale_id == sale_id, Item.status == ItemStatus.sold)
        )
        return list(rows.scalars())

    async def add(self, item: Item) -> Item:
        self.session.add(item)
        await self.session.flush()
        await self.session.refresh(item)
        return item

    def add_event(self, event: ItemEvent) -> None:
        self.session.add(event)

    async def save(self, item: Item) -> Item:
        await self.session.flush()
        await self.session.refresh(item)
        return item

    async def delete(self, item: Item, key: StockKey) -> None:
        await self.ledger.delete_key(key)
        await self.session.delete(item)
        await self.session.flush()

    async def listing(
        self, principal: Principal, filters: ItemFilters, page: PageParams
    ) -> tuple[int, list[Any]]:
        statement = scoped(select(Item), Item.store_id, principal)
        for field in ("status", "source", "condition", "category"):
            value = getattr(filters, field)
            if value:
                statement = statement.where(getattr(Item, field) == value)
        if filters.location:
            statement = statement.where(Item.location_id == filters.location)
        if filters.store:
            statement = statement.where(Item.store_id == filters.store)
        statement = apply_ordering(
            statement, filters.ordering, ORDERING, [Item.created_at.desc(), Item.id]
        )
        return await paginate(self.session, statement, page)

    async def history(
        self,
        principal: Principal,
        item_id: uuid.UUID | None,
        event_type: str | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        statement = scoped(
            select(ItemEvent).join(Item, Item.id == ItemEvent.item_id), Item.store_id, principal
        )
        if item_id is not None:
            statement = statement.where(ItemEvent.item_id == item_id)
        if event_type:
            statement = statement.where(ItemEvent.event_type == event_type)
        return await paginate(self.session, statement.order_by(ItemEvent.id), page)
