"""Vendor rules: unique codes (case-insensitive), soft delete through ``is_active``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.pagination import apply_search
from inventory.procurement_models import Vendor
from inventory.vendors.schemas import VendorIn, VendorUpdate


class VendorService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, vendor_id: uuid.UUID) -> Vendor:
        vendor = await self.session.get(Vendor, vendor_id)
        if vendor is None:
            raise NotFound(f"Vendor {vendor_id} not found.")
        return vendor

    async def _code_free(self, code: str, except_id: uuid.UUID | None = None) -> None:
        statement = select(Vendor.id).where(func.upper(Vendor.code) == code.upper())
        if except_id is not None:
            statement = statement.where(Vendor.id != except_id)
        if (await self.session.execute(statement)).first():
            raise field_error("code", f"A vendor with code {code} already exists.", status=Conflict)

    async def create(self, body: VendorIn) -> Vendor:
        await self._code_free(body.code)
        values: dict[str, Any] = body.model_dump()
        values["code"] = values["code"].upper()
        values["email"] = values["email"] or ""
        vendor = Vendor(**values)
        self.session.add(vendor)
        await self.session.flush()
        await self.session.refresh(vendor)
        return vendor

    async def update(self, vendor_id: uuid.UUID, body: VendorUpdate) -> Vendor:
        vendor = await self.get(vendor_id)
        changes = body.model_dump(exclude_unset=True)
        for field, value in changes.items():
            if value is None and field != "email":
                raise field_error(field, "may not be null")
        if "code" in changes:
            changes["code"] = changes["code"].upper()
            await self._code_free(changes["code"], vendor.id)
        if "email" in changes:
            changes["email"] = changes["email"] or ""
        for field, value in changes.items():
            setattr(vendor, field, value)
        await self.session.flush()
        await self.session.refresh(vendor)
        return vendor

    async def remove(self, vendor_id: uuid.UUID) -> None:
        vendor = await self.get(vendor_id)
        vendor.is_active = False
        await self.session.flush()

    @staticmethod
    def listing(is_active: bool | None, search: str | None) -> Select[Any]:
        statement = select(Vendor)
        if is_active is not None:
            statement = statement.where(Vendor.is_active.is_(is_active))
        return apply_search(statement, search, [Vendor.name, Vendor.code, Vendor.contact_name])
