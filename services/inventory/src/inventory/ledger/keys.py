"""Stock keys: what the ledger counts, found by SKU (a catalog article or a unit item)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.models import Article, Item, StockKey


@dataclass(frozen=True)
class Stockable:
    key: StockKey
    article: Article | None = None
    item: Item | None = None

    @property
    def is_unit(self) -> bool:
        return self.item is not None


async def key_for_article(session: AsyncSession, article: Article) -> StockKey:
    await session.execute(
        insert(StockKey).values(sku=article.sku, article_id=article.id).on_conflict_do_nothing()
    )
    key = (
        await session.execute(select(StockKey).where(StockKey.article_id == article.id))
    ).scalar_one()
    return key


async def key_for_item(session: AsyncSession, item: Item) -> StockKey:
    await session.execute(
        insert(StockKey).values(sku=item.sku, item_id=item.id).on_conflict_do_nothing()
    )
    return (await session.execute(select(StockKey).where(StockKey.item_id == item.id))).scalar_one()


async def find_stockable(session: AsyncSession, sku: str) -> Stockable | None:
    """The unit item or the catalog article with this SKU (case-insensitive), with its key."""
    wanted = sku.strip().upper()
    item = (
        await session.execute(select(Item).where(func.upper(Item.sku) == wanted))
    ).scalar_one_or_none()
    if item is not None:
        return Stockable(key=await key_for_item(session, item), item=item)
    article = (
        await session.execute(select(Article).where(func.upper(Article.sku) == wanted))
    ).scalar_one_or_none()
    if article is not None:
        return Stockable(key=await key_for_article(session, article), article=article)
    return None
