"""Selling from POS's events: ``pos.item.sold`` takes stock out, ``pos.sale.voided`` puts it back.

Both are idempotent twice over: the consumer's inbox drops a redelivered
event, and a sale line that is already on the ledger is never written again
(even if POS published the same sale under a new event id). A sold event for
a unit that is no longer sellable, or for quantity stock that is not there,
is recorded and announced as ``inventory.item.oversold``, never dropped.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription
from common.events.envelope import Envelope
from inventory.events import item_payload, publish, quantity
from inventory.items.schemas import Status
from inventory.items.service import SELLABLE, ItemService, in_stock
from inventory.ledger.keys import find_stockable
from inventory.ledger.posting import Move, StockLedger, load_config
from inventory.locations.service import LocationService
from inventory.models import Item, LedgerRow, Location

logger = logging.getLogger(__name__)
SALE = "pos_sale"
VOID = "pos_void"


async def _already_on_ledger(session: AsyncSession, sale_id: str, line_id: str) -> bool:
    found = await session.scalar(
        select(LedgerRow.id)
        .where(
            LedgerRow.voucher_type == SALE,
            LedgerRow.voucher_id == sale_id,
            LedgerRow.voucher_line == line_id,
        )
        .limit(1)
    )
    return found is not None


async def _oversold(
    session: AsyncSession, event: Envelope, reason: str, extra: dict[str, Any]
) -> None:
    data = event.data
    logger.warning("oversold: %s (sale %s, sku %s)", reason, data.get("sale_id"), data.get("sku"))
    await publish(
        session,
        "inventory.item.oversold",
        {
            "sale_id": str(data.get("sale_id")),
            "line_id": str(data.get("line_id")),
            "receipt_number": data.get("receipt_number"),
            "store_id": data.get("store_id"),
            "sku": data.get("sku"),
            "reason": reason,
            "sold_event_id": str(event.id),
            **extra,
        },
        event.actor,
    )


async def item_sold(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    sale_id, line_id = str(data["sale_id"]), str(data.get("line_id") or data["sku"])
    if await _already_on_ledger(session, sale_id, line_id):
        return
    stockable = await find_stockable(session, str(data["sku"]))
    if stockable is None:
        await _oversold(session, event, "unknown_sku", {"kind": None})
        return
    items = ItemService(session, None)
    items.actor_id = event.actor
    sale = {"sale_id": sale_id, "line_id": line_id, "receipt_number": data.get("receipt_number")}
    if stockable.item is not None:
        item = stockable.item
        if item.status in SELLABLE and in_stock(item):
            await items.transition(
                item,
                Status.sold,
                "sold",
                check=False,
                details=sale,
                voucher=(SALE, sale_id),
                line=line_id,
            )
            item.sold_at = datetime.now(UTC)
            item.sale_id = sale_id
            return
        await items.history(item, "oversold", item.status, item.status, sale)
        await _oversold(
            session,
            event,
            f"unit is {item.status}" + ("" if item.location_id else " and has no location"),
            {"kind": "unit", "item": item_payload(item)},
        )
        return
    wanted = Decimal(str(data.get("quantity") or 1))
    location = await _sale_location(session, data)
    config = await load_config(session)
    rows = await StockLedger(session, event.actor).post(
        [Move(stockable.key.id, location.id, change=-wanted, line=line_id)],
        voucher_type=SALE,
        voucher_id=sale_id,
        allow_negative=True,  # the sale happened: record it, then announce the shortfall
    )
    after = rows[0].quantity_after
    if after < 0 and not config.allow_negative_stock:
        await _oversold(
            session,
            event,
            "not enough stock",
            {
                "kind": "quantity",
                "location_id": str(location.id),
                "quantity": quantity(wanted),
                "shortfall": quantity(min(-after, wanted)),
            },
        )


async def _sale_location(session: AsyncSession, data: dict[str, Any]) -> Location:
    if data.get("location_id"):
        location = await session.get(Location, uuid.UUID(str(data["location_id"])))
        if location is not None:
            return location
    return await LocationService(session).default_for_store(uuid.UUID(str(data["store_id"])))


async def sale_voided(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    sale_id = str(data["sale_id"])
    await StockLedger(session, event.actor).reverse(SALE, sale_id, as_type=VOID)
    sold = (
        await session.execute(
            select(Item).where(Item.sale_id == sale_id, Item.status == Status.sold)
        )
    ).scalars()
    items = ItemService(session, None)
    items.actor_id = event.actor
    for item in list(sold):
        await items.transition(
            item,
            Status.on_shelf,
            "voided",
            check=False,
            details={"sale_id": sale_id, "reason": data.get("reason")},
            ledger=False,  # the reversing rows above already put it back
        )
        item.sale_id = None
        item.sold_at = None


SUBSCRIPTIONS = [
    Subscription(name="pos-items-sold", subject="pos.item.sold", handler=item_sold),
    Subscription(name="pos-sales-voided", subject="pos.sale.voided", handler=sale_voided),
]
