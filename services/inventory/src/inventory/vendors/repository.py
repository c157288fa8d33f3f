"""Every query on vendors."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_ordering, apply_search, paginate
from inventory.vendors.models import Vendor

ORDERING = {"name": Vendor.name, "code": Vendor.code, "created_at": Vendor.created_at}


class VendorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, vendor_id: uuid.UUID) -> Vendor | None:
        return await self.session.get(Vendor, vendor_id)

    async def code_taken(self, code: str, except_id: uuid.UUID | None = None) -> bool:
        statement = select(Vendor.id).where(func.upper(Vendor.code) == code.upper())
        if except_id is not None:
            statement = statement.where(Vendor.id != except_id)
        return (await self.session.execute(statement)).first() is not None

    async def add(self, vendor: Vendor) -> Vendor:
        self.session.add(vendor)
        return await self.save(vendor)

    async def save(self, vendor: Vendor) -> Vendor:
        await self.session.flush()
        await self.session.refresh(vendor)
        return vendor

    async def listing(
        self,
        *,
        is_active: bool | None,
        search: str | None,
        ordering: str | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        statement = select(Vendor)
        if is_active is not None:
            statement = statement.where(Vendor.is_active.is_(is_active))
        statement = apply_search(statement, search, [Vendor.name, Vendor.code, Vendor.contact_name])
        statement = apply_ordering(statement, ordering, ORDERING, [Vendor.name, Vendor.id])
        return await paginate(self.session, statement, page)
