"""Receiving a purchase order: each call posts one receipt stock entry through the ledger.

Article lines (catalog variants and spares) become receipt lines by SKU, valued at the
order's unit cost; unit-tracked lines first create one ``intake`` item per unit (with the
given SKUs or generated ones), then receive each unit. Free-text lines (freight, fees) are
counted as received without stock. Over-receipt is refused unless configured.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, field_error
from common.money import quantity_wire as quantity
from common.money import round_money
from common.roles import Principal
from inventory.entries.models import EntryType
from inventory.entries.schemas import EntryIn
from inventory.entries.schemas import LineIn as EntryLineIn
from inventory.entries.service import EntryService
from inventory.inventory_config.repository import ConfigRepository
from inventory.items.models import Source
from inventory.items.schemas import ItemIn
from inventory.items.service import ItemService
from inventory.locations.service import LocationService
from inventory.orders.models import OrderReceipt, PurchaseOrder, PurchaseOrderLine
from inventory.orders.repository import OrderRepository
from inventory.orders.schemas import ReceiveIn, ReceiveLine
from inventory.orders.states import LineKind

HIGHEST_COST = Decimal("9999999999.99")  # an item's cost is NUMERIC(12,2)


class Receiving:
    def __init__(self, session: AsyncSession, actor: Principal, order: PurchaseOrder) -> None:
        self.session = session
        self.actor = actor
        self.order = order

    async def receive(self, body: ReceiveIn) -> OrderReceipt:
        config = await ConfigRepository(self.session).load()
        by_id = {line.id: line for line in self.order.lines}
        entry_lines: list[EntryLineIn] = []
        record: list[dict[str, Any]] = []
        for index, wanted in enumerate(body.lines):
            name = f"lines[{index}]"
            line = by_id.get(wanted.line_id)
            if line is None:
                raise field_error(
                    f"{name}.line_id", f"Line {wanted.line_id} is not on order {self.order.number}."
                )
            location = await LocationService(self.session).in_store(
                wanted.location_id, self.order.store_id, f"{name}.location_id"
            )
            after = line.received_quantity + wanted.quantity
            if after > line.quantity and not config.allow_over_receipt:
                raise Conflict(
                    f"Line {line.line_no} of {self.order.number}: {quantity(line.received_quantity)} of "
                    f"{quantity(line.quantity)} received; {quantity(wanted.quantity)} more would exceed "
                    "the order (allow_over_receipt is off)."
                )
            notes = f"{self.order.number} line {line.line_no}" + (
                f", batch {wanted.batch_code}" if wanted.batch_code else ""
            )
            units = await self._lines_for(line, wanted, location.id, notes, name, entry_lines)
            line.received_quantity = after
            record.append(
                {
                    "line_id": line.id,
                    "line_no": line.line_no,
                    "kind": line.kind,
                    "sku": line.sku,
                    "quantity": quantity(wanted.quantity.normalize()),  # as the caller wrote it
                    "location_id": str(location.id),
                    "batch_code": wanted.batch_code,
                    "serial_numbers": wanted.serial_numbers,
                    "unit_skus": units,
                }
            )
        if len(entry_lines) > 500:
            raise field_error(
                "lines", "Receive at most 500 stock lines (units count one each) per call."
            )
        entry_id = None
        if entry_lines:
            entries = EntryService(self.session, self.actor)
            entry, _ = await entries.create(
                EntryIn(
                    entry_type=EntryType.receipt,
                    reference=self.order.number,
                    notes=f"Received against purchase order {self.order.number}",
                    lines=entry_lines,
                ),
                None,
            )
            entry_id = (await entries.post(entry.id)).id
        receipt = OrderReceipt(
            order_id=self.order.id,
            stock_entry_id=entry_id,
            lines=record,
            received_by=self.actor.user_id,
        )
        orders = OrderRepository(self.session)
        orders.add_row(receipt)
        await orders.save(receipt)
        return receipt

    async def _lines_for(
        self,
        line: PurchaseOrderLine,
        wanted: ReceiveLine,
        location_id: uuid.UUID,
        notes: str,
        name: str,
        entry_lines: list[EntryLineIn],
    ) -> list[str]:
        """Append the stock entry lines for one received order line; the unit SKUs created."""
        if line.kind == LineKind.article and line.sku is not None:
            if wanted.unit_skus:
                raise field_error(f"{name}.unit_skus", "Only a unit-tracked line creates units.")
            entry_lines.append(
                EntryLineIn(
                    sku=line.sku,
                    quantity=wanted.quantity,
                    target_location_id=location_id,
                    unit_cost=line.unit_cost,
                    serial_numbers=wanted.serial_numbers,
                    notes=notes,
                )
            )
            return []
        if line.kind != LineKind.unit:
            if wanted.serial_numbers or wanted.unit_skus:
                raise field_error(f"{name}.serial_numbers", "A free-text line carries no stock.")
            return []
        if wanted.quantity != wanted.quantity.to_integral():
            raise field_error(f"{name}.quantity", "Units are received in whole numbers.")
        count = int(wanted.quantity)
        for field, values in (
            ("unit_skus", wanted.unit_skus),
            ("serial_numbers", wanted.serial_numbers),
        ):
            if values and len(values) != count:
                raise field_error(f"{name}.{field}", f"{len(values)} given for {count} unit(s).")
        items = ItemService(self.session, self.actor)
        skus = []
        for number in range(count):
            item = await items.create(
                ItemIn(
                    sku=wanted.unit_skus[number] if wanted.unit_skus else None,
                    name=line.description,
                    source=Source.purchase_order,
                    cost=round_money(min(line.unit_cost, HIGHEST_COST)),
                    currency=self.order.currency,
                    store_id=self.order.store_id,
                    notes=notes,
                )
            )
            skus.append(item.sku)
            entry_lines.append(
                EntryLineIn(
                    sku=item.sku,
                    quantity=Decimal(1),
                    target_location_id=location_id,
                    serial_numbers=[wanted.serial_numbers[number]] if wanted.serial_numbers else [],
                    notes=notes,
                )
            )
        return skus
