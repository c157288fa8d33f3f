"""Work locations: the open stores the caller works at (their token's stores; a system admin
works everywhere). A store id in a token that names no open store is left out."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from catalog.locations.repository import LocationRepository
from catalog.stores.models import Store
from common.roles import Principal
from common.scope import own_stores


class LocationService:
    def __init__(self, session: AsyncSession) -> None:
        self.rows = LocationRepository(session)

    async def of(self, principal: Principal) -> list[Store]:
        return await self.rows.open_stores(None if principal.is_admin else own_stores(principal))
