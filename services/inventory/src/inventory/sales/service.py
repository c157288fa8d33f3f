"""Selling from POS's events: a sale line takes stock out, a void puts it back.

Both are idempotent twice over: the consumer's inbox drops a redelivered event, and a
sale line that is already on the ledger is never written again (even if POS published
the same sale under a new event id). A sale of a unit that is no longer sellable, or of
quantity stock that is not there, is recorded and announced as
``inventory.item.oversold``, never dropped.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import EventRejected
from inventory.events.contracts import ItemCreated, ItemOversold, ItemSold, SaleVoided
from inventory.events.outbox import outbox
from inventory.inventory_config.repository import ConfigRepository
from inventory.items.models import Item
from inventory.items.service import ItemService, unit_payload
from inventory.ledger.models import Voucher
from inventory.ledger.service import Move, StockLedger
from inventory.locations.models import Location
from inventory.locations.service import LocationService

logger = logging.getLogger(__name__)


class SaleService:
    """Applies POS's sales for the event's actor (the system: no store scope)."""

    def __init__(self, session: AsyncSession, *, actor: str | None) -> None:
        self.session = session
        self.actor = actor
        self.items = ItemService.for_system(session, actor=actor)
        self.ledger = StockLedger(session, actor)
        self.locations = LocationService(session)

    @classmethod
    def for_system(cls, session: AsyncSession, *, actor: str | None) -> SaleService:
        return cls(session, actor=actor)

    async def sell(self, line: ItemSold, *, event_id: uuid.UUID) -> None:
        """One sale line: a unit becomes sold, quantity stock is issued; once per line."""
        if await self.ledger.line_posted(Voucher.pos_sale, line.sale_id, line.line):
            return
        stockable = await self.items.stockable(line.sku)
        if stockable is None:
            await self._oversold(line, event_id, "unknown_sku", kind=None)
            return
        if stockable.item is not None:
            await self._sell_unit(line, event_id, stockable.item)
            return
        # the quantity as POS wrote it ("0.5", not "0.500"), as the ledger's events carry it on
        wanted = (line.quantity or Decimal(1)).normalize()
        location = await self._sale_location(line)
        config = await ConfigRepository(self.session).load()
        rows = await self.ledger.post(
            [Move(stockable.key.id, location.id, change=-wanted, line=line.line)],
            voucher_type=Voucher.pos_sale,
            voucher_id=line.sale_id,
            allow_negative=True,  # the sale happened: record it, then announce the shortfall
        )
        after = rows[0].quantity_after if rows else Decimal(0)
        if after < 0 and not config.allow_negative_stock:
            await self._oversold(
                line,
                event_id,
                "not enough stock",
                kind="quantity",
                location_id=location.id,
                quantity=wanted,
                shortfall=min(-after, wanted),
            )

    async def _sell_unit(self, line: ItemSold, event_id: uuid.UUID, item: Item) -> None:
        sold = await self.items.sell(
            item, sale_id=line.sale_id, line=line.line, receipt=line.receipt_number
        )
        if not sold:
            reason = f"unit is {item.status}" + ("" if item.location_id else " and has no location")
            await self._oversold(
                line, event_id, reason, kind="unit", item=ItemCreated(**unit_payload(item))
            )

    async def _sale_location(self, line: ItemSold) -> Location:
        """Where quantity stock is issued: the line's location, else the store's default."""
        if line.location_id is not None:
            location = await self.locations.find(line.location_id)
            if location is not None:
                return location
        if line.store_id is None:
            raise EventRejected(
                f"sale {line.sale_id} line {line.line} names neither a location nor a store"
            )
        return await self.locations.default_for_store(line.store_id)

    async def _oversold(
        self, line: ItemSold, event_id: uuid.UUID, reason: str, **extra: Any
    ) -> None:
        logger.warning("oversold: %s (sale %s, sku %s)", reason, line.sale_id, line.sku)
        await outbox.publish(
            self.session,
            ItemOversold(
                sale_id=line.sale_id,
                line_id=line.line,
                receipt_number=line.receipt_number,
                store_id=line.store_id,
                sku=line.sku,
                reason=reason,
                sold_event_id=event_id,
                **extra,
            ),
            actor=self.actor,
        )

    async def void(self, sale: SaleVoided) -> None:
        """Reverse every ledger row of the sale not yet reversed; its units go back on the
        shelf. A second void finds nothing to reverse."""
        await self.ledger.reverse(Voucher.pos_sale, sale.sale_id, as_type=Voucher.pos_void)
        await self.items.give_back(sale.sale_id, sale.reason)
