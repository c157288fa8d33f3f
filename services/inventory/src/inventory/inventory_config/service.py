"""The global inventory configuration: read by every posting, replaced by a system admin."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from common.roles import Principal
from inventory.events.contracts import ConfigUpdated
from inventory.events.outbox import outbox
from inventory.inventory_config.models import InventoryConfig
from inventory.inventory_config.repository import ConfigRepository
from inventory.inventory_config.schemas import ConfigIn

FIELDS = (
    "default_low_stock_threshold",
    "low_stock_overrides",
    "allow_negative_stock",
    "allow_over_receipt",
    "valuation_method",
)


class ConfigService:
    def __init__(self, session: AsyncSession, actor: Principal | None = None) -> None:
        self.session = session
        self.actor = actor
        self.configs = ConfigRepository(session)

    async def get(self) -> InventoryConfig:
        return await self.configs.load()

    async def replace(self, body: ConfigIn) -> InventoryConfig:
        config = await self.configs.load()
        before = {field: getattr(config, field) for field in FIELDS}
        config.default_low_stock_threshold = body.default_low_stock_threshold
        # SKUs ignore case; a threshold is kept as written (without trailing zeros)
        config.low_stock_overrides = {
            sku.upper(): f"{value.normalize():f}" for sku, value in body.low_stock_overrides.items()
        }
        config.allow_negative_stock = body.allow_negative_stock
        config.allow_over_receipt = body.allow_over_receipt
        config.valuation_method = body.valuation_method
        config.updated_by = None if self.actor is None else self.actor.user_id
        changed = [field for field in FIELDS if getattr(config, field) != before[field]]
        await self.session.flush()
        await self.session.refresh(config)
        if changed:
            await outbox.publish(
                self.session,
                ConfigUpdated(
                    default_low_stock_threshold=config.default_low_stock_threshold,
                    override_count=len(config.low_stock_overrides or {}),
                    allow_negative_stock=config.allow_negative_stock,
                    allow_over_receipt=config.allow_over_receipt,
                    valuation_method=config.valuation_method,
                    changed=changed,
                ),
                actor=config.updated_by,
            )
        return config
