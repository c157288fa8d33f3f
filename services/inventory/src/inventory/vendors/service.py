"""Vendor rules: unique codes (case-insensitive), soft delete through ``is_active``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.pagination import PageParams
from common.updates import assign
from common.updates import changes as sent
from inventory.events.contracts import VendorChanged
from inventory.events.outbox import outbox
from inventory.vendors.models import Vendor
from inventory.vendors.repository import VendorRepository
from inventory.vendors.schemas import VendorIn, VendorUpdate


class VendorService:
    """``actor_id`` is the caller's user id (None: the system, or a service only reading)."""

    def __init__(self, session: AsyncSession, actor_id: str | None = None) -> None:
        self.session = session
        self.actor_id = actor_id
        self.vendors = VendorRepository(session)

    async def get(self, vendor_id: uuid.UUID) -> Vendor:
        vendor = await self.vendors.get(vendor_id)
        if vendor is None:
            raise NotFound(f"Vendor {vendor_id} not found.")
        return vendor

    async def active(self, vendor_id: uuid.UUID) -> Vendor:
        """The vendor an order names (422 on ``vendor_id`` when unknown or removed)."""
        vendor = await self.vendors.get(vendor_id)
        if vendor is None or not vendor.is_active:
            raise field_error("vendor_id", f"Unknown or inactive vendor {vendor_id}.")
        return vendor

    async def _code_free(self, code: str, except_id: uuid.UUID | None = None) -> None:
        if await self.vendors.code_taken(code, except_id):
            raise field_error("code", f"A vendor with code {code} already exists.", status=Conflict)

    async def listing(
        self, *, is_active: bool | None, search: str | None, ordering: str | None, page: PageParams
    ) -> tuple[int, list[Any]]:
        return await self.vendors.listing(
            is_active=is_active, search=search, ordering=ordering, page=page
        )

    async def create(self, body: VendorIn) -> Vendor:
        await self._code_free(body.code)
        values: dict[str, Any] = body.model_dump()
        values["code"] = values["code"].upper()
        values["email"] = values["email"] or ""
        vendor = await self.vendors.add(Vendor(**values))
        await self._announce(vendor, "created")
        return vendor

    async def update(self, vendor_id: uuid.UUID, body: VendorUpdate) -> Vendor:
        vendor = await self.get(vendor_id)
        changes = sent(body)
        if "code" in changes:
            changes["code"] = changes["code"].upper()
            await self._code_free(changes["code"], vendor.id)
        if "email" in changes:
            changes["email"] = changes["email"] or ""
        changed = assign(vendor, changes)
        vendor = await self.vendors.save(vendor)
        if changed:
            await self._announce(vendor, "updated", changed)
        return vendor

    async def remove(self, vendor_id: uuid.UUID) -> None:
        vendor = await self.get(vendor_id)
        vendor.is_active = False
        await self._announce(await self.vendors.save(vendor), "deleted")

    async def _announce(self, vendor: Vendor, verb: str, changed: list[str] | None = None) -> None:
        await outbox.publish(
            self.session,
            VendorChanged.of(vendor, vendor_id=vendor.id, changed=changed or []),
            verb=verb,
            actor=self.actor_id,
        )
