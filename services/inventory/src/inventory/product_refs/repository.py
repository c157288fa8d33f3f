"""Every query on vendor product references."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_search, paginate
from inventory.product_refs.models import VendorProductRef


class RefRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, ref_id: uuid.UUID) -> VendorProductRef | None:
        return await self.session.get(VendorProductRef, ref_id)

    async def by_item(self, vendor_id: uuid.UUID, item_number: str) -> VendorProductRef | None:
        return (
            await self.session.execute(
                select(VendorProductRef).where(
                    VendorProductRef.vendor_id == vendor_id,
                    func.upper(VendorProductRef.vendor_item_number) == item_number.upper(),
                )
            )
        ).scalar_one_or_none()

    async def products_of(
        self, vendor_id: uuid.UUID, item_numbers: Iterable[str]
    ) -> dict[str, uuid.UUID]:
        """Upper-cased vendor item number → product, for one vendor."""
        wanted = list({number.upper() for number in item_numbers})
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(VendorProductRef.vendor_item_number, VendorProductRef.product_id).where(
                VendorProductRef.vendor_id == vendor_id,
                func.upper(VendorProductRef.vendor_item_number).in_(wanted),
            )
        )
        return {row.vendor_item_number.upper(): row.product_id for row in rows}

    async def add(self, ref: VendorProductRef) -> VendorProductRef:
        self.session.add(ref)
        return await self.save(ref)

    async def save(self, ref: VendorProductRef) -> VendorProductRef:
        await self.session.flush()
        await self.session.refresh(ref)
        return ref

    async def delete(self, ref: VendorProductRef) -> None:
        await self.session.delete(ref)
        await self.session.flush()

    async def listing(
        self,
        *,
        vendor: uuid.UUID | None,
        product: uuid.UUID | None,
        search: str | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        statement = select(VendorProductRef)
        if vendor is not None:
            statement = statement.where(VendorProductRef.vendor_id == vendor)
        if product is not None:
            statement = statement.where(VendorProductRef.product_id == product)
        statement = apply_search(statement, search, [VendorProductRef.vendor_item_number])
        statement = statement.order_by(VendorProductRef.vendor_item_number, VendorProductRef.id)
        return await paginate(self.session, statement, page)
