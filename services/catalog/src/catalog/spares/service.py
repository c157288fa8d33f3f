"""Spare-part rules: unique part numbers, compatible products/brands, price-change events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events import money, publish, spare_event, spare_payload
from catalog.models import Brand, Product, Spare
from catalog.spares.schemas import SpareIn, SpareUpdate
from common.errors import Conflict, NotFound, field_error
from common.pagination import apply_search
from common.roles import Principal


class SpareService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, spare_id: uuid.UUID) -> Spare:
        spare = await self.session.get(Spare, spare_id)
        if spare is None:
            raise NotFound(f"Spare {spare_id} not found.")
        return spare

    async def _part_number_free(self, number: str, except_id: uuid.UUID | None = None) -> None:
        statement = select(Spare.id).where(func.upper(Spare.part_number) == number.upper())
        if except_id:
            statement = statement.where(Spare.id != except_id)
        if (await self.session.execute(statement)).first():
            raise field_error(
                "part_number", f"Part number {number} already exists.", status=Conflict
            )

    async def _compatibility(
        self, spare: Spare, products: list[str] | None, brands: list[int] | None
    ) -> None:
        if products is not None:
            found = list(
                (await self.session.execute(select(Product).where(Product.slug.in_(products))))
                .unique()
                .scalars()
            )
            missing = sorted(set(products) - {product.slug for product in found})
            if missing:
                raise field_error(
                    "compatible_products", f"Unknown product slugs: {', '.join(missing)}."
                )
            spare.compatible_products = found
        if brands is not None:
            found_brands = list(
                (await self.session.execute(select(Brand).where(Brand.id.in_(brands)))).scalars()
            )
            missing_ids = sorted(set(brands) - {brand.id for brand in found_brands})
            if missing_ids:
                raise field_error(
                    "compatible_brands", f"Unknown brand ids: {', '.join(map(str, missing_ids))}."
                )
            spare.compatible_brands = found_brands

    async def create(self, body: SpareIn, actor: Principal) -> Spare:
        await self._part_number_free(body.part_number)
        spare = Spare(**body.model_dump(exclude={"compatible_products", "compatible_brands"}))
        await self._compatibility(spare, body.compatible_products, body.compatible_brands)
        self.session.add(spare)
        await self.session.flush()
        await self.session.refresh(spare)
        await publish(self.session, "catalog.spare.created", spare_event(spare), actor.user_id)
        return spare

    async def update(self, spare_id: uuid.UUID, body: SpareUpdate, actor: Principal) -> Spare:
        spare = await self.get(spare_id)
        changes = body.model_dump(exclude_unset=True)
        for field, value in changes.items():
            if value is None:
                raise field_error(field, "may not be null")
        if "part_number" in changes:
            await self._part_number_free(changes["part_number"], except_id=spare.id)
        await self._compatibility(
            spare, changes.pop("compatible_products", None), changes.pop("compatible_brands", None)
        )
        old_price = spare.price
        for field, value in changes.items():
            setattr(spare, field, value)
        await self.session.flush()
        await self.session.refresh(spare)
        await publish(
            self.session,
            "catalog.spare.updated",
            {**spare_event(spare), "changed": sorted(changes)},
            actor.user_id,
        )
        if "price" in changes and old_price != spare.price:
            await publish(
                self.session,
                "catalog.spare.price_changed",
                {
                    **spare_payload(spare),
                    "old_price": money(old_price),
                    "new_price": money(spare.price),
                    "changed_by": actor.user_id,
                },
                actor.user_id,
            )
        return spare

    async def delete(self, spare_id: uuid.UUID, actor: Principal) -> None:
        spare = await self.get(spare_id)
        payload = spare_event(spare)
        await self.session.delete(spare)
        await self.session.flush()
        await publish(self.session, "catalog.spare.deleted", payload, actor.user_id)

    @staticmethod
    def listing(search: str | None, product: str | None, brand: int | None) -> Select[Any]:
        statement = select(Spare)
        # apply_search escapes % and _ (a "%" finds parts with a "%", not every part).
        statement = apply_search(statement, search, [Spare.name, Spare.part_number])
        if product:
            statement = statement.where(Spare.compatible_products.any(Product.slug == product))
        if brand is not None:
            statement = statement.where(Spare.compatible_brands.any(Brand.id == brand))
        return statement
