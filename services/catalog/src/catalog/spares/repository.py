"""Every query of spare parts: by id, part numbers, the products and brands they fit, the list."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.products.models import Product
from catalog.spares.models import Spare
from catalog.taxonomy.models import Brand
from common.pagination import PageParams, apply_ordering, apply_search, paginate

SPARE_ORDERING = {
    "name": Spare.name,
    "part_number": Spare.part_number,
    "date_created": Spare.created_at,
}


class SpareRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_id(self, spare_id: uuid.UUID) -> Spare | None:
        return await self.session.get(Spare, spare_id)

    async def part_number_taken(self, number: str, *, except_id: uuid.UUID | None = None) -> bool:
        statement = select(Spare.id).where(func.upper(Spare.part_number) == number.upper())
        if except_id:
            statement = statement.where(Spare.id != except_id)
        return (await self.session.execute(statement)).first() is not None

    async def products(self, slugs: Sequence[str]) -> list[Product]:
        found = await self.session.execute(select(Product).where(Product.slug.in_(slugs)))
        return list(found.unique().scalars())

    async def brands(self, ids: Sequence[int]) -> list[Brand]:
        return list((await self.session.execute(select(Brand).where(Brand.id.in_(ids)))).scalars())

    async def add(self, spare: Spare) -> None:
        self.session.add(spare)
        await self.session.flush()
        await self.session.refresh(spare)

    async def save(self, spare: Spare) -> None:
        await self.session.flush()
        await self.session.refresh(spare)

    async def delete(self, spare: Spare) -> None:
        await self.session.delete(spare)
        await self.session.flush()

    def listing(
        self, *, search: str | None, product: str | None, brand: int | None, ordering: str | None
    ) -> Select[Any]:
        statement = select(Spare)
        # apply_search escapes % and _ (a "%" finds parts with a "%", not every part).
        statement = apply_search(statement, search, [Spare.name, Spare.part_number])
        if product:
            statement = statement.where(Spare.compatible_products.any(Product.slug == product))
        if brand is not None:
            statement = statement.where(Spare.compatible_brands.any(Brand.id == brand))
        return apply_ordering(statement, ordering, SPARE_ORDERING, [Spare.name, Spare.id])

    async def page(self, statement: Select[Any], params: PageParams) -> tuple[int, list[Any]]:
        return await paginate(self.session, statement, params)
