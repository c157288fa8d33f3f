"""Every query on unit items and their history, and the SKU lookup shared by the stock
routes: a SKU names a unit item or a catalog article, each with its stock key."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_ordering, paginate
from common.roles import Principal
from common.scope import scoped
from inventory.articles.models import Article
from inventory.articles.repository import ArticleRepository
from inventory.items.models import Item, ItemEvent, ItemStatus
from inventory.ledger.models import StockKey
from inventory.ledger.repository import LedgerRepository

CHUNK = 1000
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
    batch_group: uuid.UUID | None = None
    processing_tier: str | None = None
    purchase_order: uuid.UUID | None = None


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

    async def next_sku_numbers(self, count: int) -> list[int]:
        rows = await self.session.execute(
            text("SELECT nextval('item_sku_seq') FROM generate_series(1, :count)"),
            {"count": count},
        )
        return [int(row[0]) for row in rows]

    async def skus_taken(self, skus: Sequence[str]) -> set[str]:
        """Which of these (upper-case) SKUs a unit or a catalog article already uses."""
        if not skus:
            return set()
        units = await self.session.execute(
            select(func.upper(Item.sku)).where(func.upper(Item.sku).in_(list(skus)))
        )
        taken = set(units.scalars())
        for sku in skus:
            if sku not in taken and await self.articles.sku_taken(sku):
                taken.add(sku)
        return taken

    async def insert_many(
        self, rows: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]]
    ) -> None:
        """Units and their history rows, in chunks of one multi-row statement each."""
        for start in range(0, len(rows), CHUNK):
            await self.session.execute(insert(Item), list(rows[start : start + CHUNK]))
        for start in range(0, len(events), CHUNK):
            await self.session.execute(insert(ItemEvent), list(events[start : start + CHUNK]))

    async def of_order(
        self,
        order_id: uuid.UUID,
        *,
        ids: Sequence[uuid.UUID] | None = None,
        status: str | None = None,
    ) -> list[Item]:
        statement = select(Item).where(Item.purchase_order_id == order_id).order_by(Item.sku)
        if ids is not None:
            statement = statement.where(Item.id.in_(list(ids)))
        if status is not None:
            statement = statement.where(Item.status == status)
        return list((await self.session.execute(statement)).scalars())

    async def in_group(self, group_id: uuid.UUID, *, status: str | None = None) -> list[Item]:
        statement = select(Item).where(Item.batch_group_id == group_id).order_by(Item.sku)
        if status is not None:
            statement = statement.where(Item.status == status)
        return list((await self.session.execute(statement)).scalars())

    async def count_of_order(self, order_id: uuid.UUID, *, status: str | None = None) -> int:
        statement = select(func.count()).select_from(Item).where(Item.purchase_order_id == order_id)
        if status is not None:
            statement = statement.where(Item.status == status)
        return int(await self.session.scalar(statement) or 0)

    async def statuses_of_order(self, order_id: uuid.UUID) -> dict[str, int]:
        rows = await self.session.execute(
            select(Item.status, func.count())
            .where(Item.purchase_order_id == order_id)
            .group_by(Item.status)
        )
        return {str(status): int(count) for status, count in rows.all()}

    async def counts_by_group(
        self, group_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, dict[str, int]]:
        if not group_ids:
            return {}
        rows = await self.session.execute(
            select(Item.batch_group_id, Item.status, func.count())
            .where(Item.batch_group_id.in_(list(group_ids)))
            .group_by(Item.batch_group_id, Item.status)
        )
        counts: dict[uuid.UUID, dict[str, int]] = {}
        for group, status, count in rows.all():
            counts.setdefault(group, {})[str(status)] = int(count)
        return counts

    async def moved_keys_of_order(self, order_id: uuid.UUID) -> int:
        """Units of the order with any stock-ledger row (they can no longer be deleted)."""
        return int(
            await self.session.scalar(
                text(
                    "SELECT count(DISTINCT i.id) FROM items i JOIN stock_keys k ON k.item_id = i.id "
                    "JOIN stock_ledger l ON l.stock_key_id = k.id WHERE i.purchase_order_id = :order"
                ),
                {"order": order_id},
            )
            or 0
        )

    async def delete_of_order(self, order_id: uuid.UUID) -> int:
        """Units of the order that never moved, their keys and history (purge-delete)."""
        await self.session.execute(
            text(
                "DELETE FROM stock_keys WHERE item_id IN "
                "(SELECT id FROM items WHERE purchase_order_id = :order)"
            ),
            {"order": order_id},
        )
        result = await self.session.execute(
            text("DELETE FROM items WHERE purchase_order_id = :order"), {"order": order_id}
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def set_group(self, item_ids: Sequence[uuid.UUID], values: dict[str, Any]) -> None:
        await self.session.execute(
            update(Item)
            .where(Item.id.in_(list(item_ids)))
            .values(**values)
            .execution_options(synchronize_session="fetch")
        )

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

    async def add_keyed(self, item: Item) -> bool:
        """Insert a unit carrying an idempotency key; False when a concurrent request committed
        the same key meanwhile (the savepoint rolls back, the transaction goes on)."""
        try:
            async with self.session.begin_nested():
                self.session.add(item)
                await self.session.flush()
        except IntegrityError:
            return False
        await self.session.refresh(item)
        return True

    async def by_idempotency_key(self, key: str) -> Item | None:
        return (
            await self.session.execute(select(Item).where(Item.idempotency_key == key))
        ).scalar_one_or_none()

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
        for field in ("status", "source", "condition", "category", "processing_tier"):
            value = getattr(filters, field)
            if value:
                statement = statement.where(getattr(Item, field) == value)
        if filters.location:
            statement = statement.where(Item.location_id == filters.location)
        if filters.store:
            statement = statement.where(Item.store_id == filters.store)
        if filters.batch_group:
            statement = statement.where(Item.batch_group_id == filters.batch_group)
        if filters.purchase_order:
            statement = statement.where(Item.purchase_order_id == filters.purchase_order)
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
