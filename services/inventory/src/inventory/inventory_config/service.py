"""The global inventory configuration: read by every posting, replaced by a system admin."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from common.roles import Principal
from inventory.inventory_config.models import InventoryConfig
from inventory.inventory_config.repository import ConfigRepository
from inventory.inventory_config.schemas import ConfigIn


class ConfigService:
    def __init__(self, session: AsyncSession, actor: Principal | None = None) -> None:
        self.session = session
        self.actor = actor
        self.configs = ConfigRepository(session)

    async def get(self) -> InventoryConfig:
        return await self.configs.load()

    async def replace(self, body: ConfigIn) -> InventoryConfig:
        config = await self.configs.load()
        config.default_low_stock_threshold = body.default_low_stock_threshold
        # SKUs ignore case; a threshold is kept as written (without trailing zeros)
        config.low_stock_overrides = {
            sku.upper(): f"{value.normalize():f}" for sku, value in body.low_stock_overrides.items()
        }
        config.allow_negative_stock = body.allow_negative_stock
        config.allow_over_receipt = body.allow_over_receipt
        config.valuation_method = body.valuation_method
        config.updated_by = None if self.actor is None else self.actor.user_id
        await self.session.flush()
        await self.session.refresh(config)
        return config
