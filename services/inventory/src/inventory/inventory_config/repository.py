"""The one ``inventory_config`` row, created with its defaults the first time it is read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.inventory_config.models import InventoryConfig


class ConfigRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self) -> InventoryConfig:
        config = await self.session.get(InventoryConfig, 1)
        if config is not None:
            return config
        await self.session.execute(insert(InventoryConfig).values(id=1).on_conflict_do_nothing())
        return (
            await self.session.execute(select(InventoryConfig).where(InventoryConfig.id == 1))
        ).scalar_one()
