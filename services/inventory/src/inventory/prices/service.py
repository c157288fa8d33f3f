"""Price logs: every price change of an item, variant, product or spare, ours or catalog's."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound
from common.events.contracts import Event
from common.pagination import PageParams
from inventory.events.contracts import ProductPriceChanged
from inventory.prices.models import PricedThing, PriceLog
from inventory.prices.repository import PriceLogFilters, PriceLogRepository


class PriceLogService:
    def __init__(self, session: AsyncSession) -> None:
        self.logs = PriceLogRepository(session)

    async def get(self, log_id: int) -> PriceLog:
        log = await self.logs.get(log_id)
        if log is None:
            raise NotFound(f"Price log {log_id} not found.")
        return log

    async def listing(self, filters: PriceLogFilters, page: PageParams) -> tuple[int, list[Any]]:
        return await self.logs.listing(filters, page)

    def record(self, log: PriceLog) -> None:
        self.logs.add(log)

    async def product_price_changed(self, event: Event[ProductPriceChanged]) -> None:
        """``catalog.product.price_changed``: one row (the event id keeps it to one)."""
        data = event.data
        self.record(
            PriceLog(
                subject_type=PricedThing.product,
                subject_id=str(data.product_id),
                sku=data.slug or "",
                name=data.name or "",
                old_price=data.old_price,
                new_price=data.new_price,
                currency=data.currency or "USD",
                source=event.type,
                actor=data.changed_by or event.actor,
                event_id=event.id,
            )
        )
