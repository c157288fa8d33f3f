"""Spare-part rules: unique part numbers, compatible products and brands that exist, the price
for system admins only, and the events (a price change beside the update)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events.contracts import SpareChanged, SparePriceChanged, SpareUpdated
from catalog.events.outbox import outbox
from catalog.spares.models import Spare
from catalog.spares.repository import SpareRepository
from catalog.spares.schemas import SpareIn, SpareOut, SparePublicOut, SpareUpdate
from common.errors import Conflict, NotFound, field_error
from common.pagination import Page, PageParams, make_page
from common.roles import Principal
from common.updates import changes

SpareView = SpareOut | SparePublicOut


def spare_fields(spare: Spare) -> dict[str, Any]:
    """The spare as its events carry it (the price is added where the contract has it)."""
    return {
        "spare_id": spare.id,
        "part_number": spare.part_number,
        "name": spare.name,
        "currency": spare.currency,
    }


def view(spare: Spare, viewer: Principal | None) -> SpareView:
    """The price is for system admins only: anyone else gets the spare without it."""
    if viewer is not None and viewer.is_admin:
        return SpareOut.model_validate(spare)
    return SparePublicOut.model_validate(spare)


class SpareService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rows = SpareRepository(session)

    async def get(self, spare_id: uuid.UUID) -> Spare:
        spare = await self.rows.by_id(spare_id)
        if spare is None:
            raise NotFound(f"Spare {spare_id} not found.")
        return spare

    async def view(self, spare_id: uuid.UUID, viewer: Principal | None) -> SpareView:
        return view(await self.get(spare_id), viewer)

    async def list(
        self,
        params: PageParams,
        viewer: Principal | None,
        *,
        search: str | None,
        product: str | None,
        brand: int | None,
        ordering: str | None,
    ) -> Page[SpareView]:
        statement = self.rows.listing(
            search=search, product=product, brand=brand, ordering=ordering
        )
        count, rows = await self.rows.page(statement, params)
        return make_page(count, [view(row, viewer) for row in rows], params)

    async def create(self, body: SpareIn, actor: Principal) -> Spare:
        await self._part_number_free(body.part_number)
        spare = Spare(**body.model_dump(exclude={"compatible_products", "compatible_brands"}))
        await self._compatibility(spare, body.compatible_products, body.compatible_brands)
        await self.rows.add(spare)
        await outbox.publish(
            self.session,
            SpareChanged(**spare_fields(spare), price=spare.price),
            subject="catalog.spare.created",
            actor=actor.user_id,
        )
        return spare

    async def update(self, spare_id: uuid.UUID, body: SpareUpdate, actor: Principal) -> Spare:
        spare = await self.get(spare_id)
        values = changes(body)
        if "part_number" in values:
            await self._part_number_free(values["part_number"], except_id=spare.id)
        await self._compatibility(
            spare, values.pop("compatible_products", None), values.pop("compatible_brands", None)
        )
        old_price = spare.price
        for field, value in values.items():
            setattr(spare, field, value)
        await self.rows.save(spare)
        # ``changed`` names the spare's own fields (compatibility changes are not listed).
        await outbox.publish(
            self.session,
            SpareUpdated(**spare_fields(spare), price=spare.price, changed=sorted(values)),
            actor=actor.user_id,
        )
        if "price" in values and old_price != spare.price:
            await outbox.publish(
                self.session,
                SparePriceChanged(
                    **spare_fields(spare),
                    old_price=old_price,
                    new_price=spare.price,
                    changed_by=actor.user_id,
                ),
                actor=actor.user_id,
            )
        return spare

    async def delete(self, spare_id: uuid.UUID, actor: Principal) -> None:
        spare = await self.get(spare_id)
        event = SpareChanged(**spare_fields(spare), price=spare.price)
        await self.rows.delete(spare)
        await outbox.publish(
            self.session, event, subject="catalog.spare.deleted", actor=actor.user_id
        )

    async def _part_number_free(self, number: str, except_id: uuid.UUID | None = None) -> None:
        if await self.rows.part_number_taken(number, except_id=except_id):
            raise field_error(
                "part_number", f"Part number {number} already exists.", status=Conflict
            )

    async def _compatibility(
        self, spare: Spare, products: Sequence[str] | None, brands: Sequence[int] | None
    ) -> None:
        if products is not None:
            found = await self.rows.products(products)
            missing = sorted(set(products) - {product.slug for product in found})
            if missing:
                raise field_error(
                    "compatible_products", f"Unknown product slugs: {', '.join(missing)}."
                )
            spare.compatible_products = found
        if brands is not None:
            found_brands = await self.rows.brands(brands)
            missing_ids = sorted(set(brands) - {brand.id for brand in found_brands})
            if missing_ids:
                raise field_error(
                    "compatible_brands", f"Unknown brand ids: {', '.join(map(str, missing_ids))}."
                )
            spare.compatible_brands = found_brands
