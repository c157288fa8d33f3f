"""Queries on the ``articles`` read-model."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.readmodel import upsert_newer
from inventory.articles.models import Article


class ArticleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def price_of(self, article_id: uuid.UUID) -> tuple[bool, Decimal | None]:
        """(whether the article is known, its price)."""
        row = (
            await self.session.execute(select(Article.price).where(Article.id == article_id))
        ).first()
        return (False, None) if row is None else (True, row[0])

    async def by_sku(self, sku: str) -> Article | None:
        """The article with this SKU, ignoring case."""
        return (
            await self.session.execute(
                select(Article).where(func.upper(Article.sku) == sku.upper())
            )
        ).scalar_one_or_none()

    async def sku_taken(self, sku: str) -> bool:
        found = await self.session.scalar(
            select(Article.id).where(func.upper(Article.sku) == sku.upper())
        )
        return found is not None

    async def upsert_newer(self, values: Mapping[str, Any]) -> bool:
        return await upsert_newer(self.session, Article, values)

    async def set_price(self, article_id: uuid.UUID, price: Decimal | None) -> None:
        await self.session.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(price=price)
            .execution_options(synchronize_session="fetch")
        )
