"""Accent- and case-insensitive product search over name, description and variant SKUs.

Each product keeps ``search_text`` (folded in Python, trigram-indexed with
pg_trgm), so ``?search=cafe`` finds "Café" and a SKU fragment finds its product.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.models import Product, Variant


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


async def refresh_search_text(session: AsyncSession, product: Product) -> None:
    skus = (
        (await session.execute(select(Variant.sku).where(Variant.product_id == product.id)))
        .scalars()
        .all()
    )
    product.search_text = fold(" ".join([product.name, product.description, *skus]))


def apply_product_search(statement: Select[Any], search: str | None) -> Select[Any]:
    if not search or not search.strip():
        return statement
    term = fold(search.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return statement.where(Product.search_text.like(f"%{term}%", escape="\\"))
