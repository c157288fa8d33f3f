"""Vendor product reference rules: a vendor's item number names one product (per vendor,
ignoring case), and both the vendor and the intake product exist."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.pagination import PageParams
from common.updates import assign
from common.updates import changes as sent
from inventory.events.contracts import ProductRefChanged
from inventory.events.outbox import outbox
from inventory.intake_products.repository import ProductRepository
from inventory.product_refs.models import VendorProductRef
from inventory.product_refs.repository import RefRepository
from inventory.product_refs.schemas import RefIn, RefUpdate
from inventory.vendors.service import VendorService


class RefService:
    def __init__(self, session: AsyncSession, actor_id: str | None = None) -> None:
        self.session = session
        self.actor_id = actor_id
        self.refs = RefRepository(session)
        self.vendors = VendorService(session)
        self.products = ProductRepository(session)

    async def get(self, ref_id: uuid.UUID) -> VendorProductRef:
        ref = await self.refs.get(ref_id)
        if ref is None:
            raise NotFound(f"Product ref {ref_id} not found.")
        return ref

    async def listing(
        self,
        *,
        vendor: uuid.UUID | None,
        product: uuid.UUID | None,
        search: str | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        return await self.refs.listing(vendor=vendor, product=product, search=search, page=page)

    async def products_of(
        self, vendor_id: uuid.UUID, numbers: Iterable[str]
    ) -> dict[str, uuid.UUID]:
        return await self.refs.products_of(vendor_id, numbers)

    async def create(self, body: RefIn) -> VendorProductRef:
        await self.vendors.active(body.vendor_id)
        await self._product(body.product_id)
        await self._number_free(body.vendor_id, body.vendor_item_number)
        ref = await self.refs.add(VendorProductRef(**body.model_dump()))
        await self._announce(_event(ref, []), "created")
        return ref

    async def remember(
        self,
        vendor_id: uuid.UUID,
        item_number: str,
        product_id: uuid.UUID,
        *,
        description: str = "",
        unit_cost: Decimal | None = None,
    ) -> None:
        """The vendor's item number names this product from now on (a review accepted it)."""
        existing = await self.refs.by_item(vendor_id, item_number)
        if existing is None:
            await self.refs.add(
                VendorProductRef(
                    vendor_id=vendor_id,
                    product_id=product_id,
                    vendor_item_number=item_number,
                    description=description[:300],
                    unit_cost=unit_cost,
                )
            )
        elif existing.product_id != product_id:
            existing.product_id = product_id
            await self.refs.save(existing)

    async def update(self, ref_id: uuid.UUID, body: RefUpdate) -> VendorProductRef:
        ref = await self.get(ref_id)
        changes = sent(body)
        if "product_id" in changes:
            await self._product(changes["product_id"])
        if "vendor_item_number" in changes:
            await self._number_free(ref.vendor_id, changes["vendor_item_number"], except_id=ref.id)
        changed = assign(ref, changes)
        ref = await self.refs.save(ref)
        if changed:
            await self._announce(_event(ref, changed), "updated")
        return ref

    async def delete(self, ref_id: uuid.UUID) -> None:
        ref = await self.get(ref_id)
        gone = _event(ref, [])
        await self.refs.delete(ref)
        await self._announce(gone, "deleted")

    async def _announce(self, event: ProductRefChanged, verb: str) -> None:
        await outbox.publish(self.session, event, verb=verb, actor=self.actor_id)

    async def _product(self, product_id: uuid.UUID) -> None:
        if await self.products.get(product_id) is None:
            raise field_error(
                "product_id",
                f"No intake product {product_id} (create it under /api/inventory/products).",
            )

    async def _number_free(
        self, vendor_id: uuid.UUID, number: str, except_id: uuid.UUID | None = None
    ) -> None:
        found = await self.refs.by_item(vendor_id, number)
        if found is not None and found.id != except_id:
            raise field_error(
                "vendor_item_number",
                f"The vendor's item {number} already names product {found.product_id}.",
                status=Conflict,
            )


def _event(ref: VendorProductRef, changed: list[str]) -> ProductRefChanged:
    return ProductRefChanged.of(ref, ref_id=ref.id, changed=changed)
