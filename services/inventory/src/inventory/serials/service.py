"""Serial rules: one serial number per product, a status and a history row per change.

Stock entries move serials with their lines (a receipt registers them, an
issue marks them issued, a transfer moves them); cancelling the entry puts
every serial back as its history says it was.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from inventory.ledger.keys import Stockable, find_stockable
from inventory.models import Serial, SerialEvent, StockEntryLine
from inventory.serials.schemas import SerialIn, SerialUpdate

if TYPE_CHECKING:
    from inventory.entries.schemas import EntryType

HELD = ("in_stock", "reserved")


def product_key(stockable: Stockable) -> str:
    """Serials are unique per catalog product when known, else per stock key."""
    product = (
        stockable.article.product_id
        if stockable.article is not None
        else stockable.item.product_id
        if stockable.item is not None
        else None
    )
    return str(product) if product is not None else f"key:{stockable.key.id}"


class SerialService:
    def __init__(self, session: AsyncSession, actor: str | None) -> None:
        self.session = session
        self.actor = actor

    async def get(self, serial_id: uuid.UUID) -> Serial:
        serial = await self.session.get(Serial, serial_id)
        if serial is None:
            raise NotFound(f"Serial {serial_id} not found.")
        return serial

    async def history_of(self, serial: Serial) -> list[SerialEvent]:
        rows = await self.session.execute(
            select(SerialEvent).where(SerialEvent.serial_id == serial.id).order_by(SerialEvent.id)
        )
        return list(rows.scalars())

    async def _find(self, key: str, number: str) -> Serial | None:
        return (
            await self.session.execute(
                select(Serial).where(Serial.product_key == key, Serial.serial_number == number)
            )
        ).scalar_one_or_none()

    def _record(
        self,
        serial: Serial,
        event_type: str,
        from_status: str | None,
        from_location: uuid.UUID | None,
        voucher: tuple[str, str] | None = None,
    ) -> None:
        self.session.add(
            SerialEvent(
                serial_id=serial.id,
                event_type=event_type,
                from_status=from_status,
                to_status=serial.status,
                from_location_id=from_location,
                location_id=serial.location_id,
                voucher_type=None if voucher is None else voucher[0],
                voucher_id=None if voucher is None else voucher[1],
                actor=self.actor,
            )
        )

    # -- the routes ------------------------------------------------------------------------

    async def create(self, body: SerialIn) -> Serial:
        stockable = await find_stockable(self.session, body.sku)
        if stockable is None:
            raise field_error("sku", f"Unknown SKU {body.sku}.")
        key = product_key(stockable)
        if await self._find(key, body.serial_number) is not None:
            raise field_error(
                "serial_number",
                f"Serial {body.serial_number} is already registered for this product.",
                status=Conflict,
            )
        if body.location_id is not None:
            from inventory.locations.service import LocationService

            await LocationService(self.session).known(body.location_id, "location_id")
        serial = Serial(
            serial_number=body.serial_number,
            stock_key_id=stockable.key.id,
            product_key=key,
            status=body.status,
            location_id=body.location_id,
            notes=body.notes,
        )
        self.session.add(serial)
        await self.session.flush()
        self._record(serial, "registered", None, None)
        await self.session.flush()
        await self.session.refresh(serial)
        return serial

    async def update(self, serial_id: uuid.UUID, body: SerialUpdate) -> Serial:
        serial = await self.get(serial_id)
        changes = body.model_dump(exclude_unset=True)
        for field, value in changes.items():
            if value is None and field != "location_id":
                raise field_error(field, "may not be null")
        if "serial_number" in changes and changes["serial_number"] != serial.serial_number:
            taken = await self._find(serial.product_key, changes["serial_number"])
            if taken is not None:
                raise field_error(
                    "serial_number",
                    f"Serial {changes['serial_number']} is already registered for this product.",
                    status=Conflict,
                )
        if changes.get("location_id") is not None:
            from inventory.locations.service import LocationService

            await LocationService(self.session).known(changes["location_id"], "location_id")
        from_status, from_location = serial.status, serial.location_id
        for field, value in changes.items():
            setattr(serial, field, value)
        if serial.status != from_status or serial.location_id != from_location:
            self._record(serial, "updated", from_status, from_location)
        await self.session.flush()
        await self.session.refresh(serial)
        return serial

    async def delete(self, serial_id: uuid.UUID) -> None:
        serial = await self.get(serial_id)
        used = await self.session.scalar(
            select(SerialEvent.id)
            .where(SerialEvent.serial_id == serial.id, SerialEvent.voucher_type.is_not(None))
            .limit(1)
        )
        if used is not None:
            raise Conflict(
                f"Serial {serial.serial_number} has moved with stock entries; "
                "set its status to scrapped instead of deleting it."
            )
        await self.session.delete(serial)
        await self.session.flush()

    # -- stock entries ---------------------------------------------------------------------

    async def apply_line(
        self,
        entry_type: EntryType,
        stockable: Stockable,
        line: StockEntryLine,
        voucher_type: str,
        voucher_id: str,
    ) -> None:
        key = product_key(stockable)
        voucher = (voucher_type, voucher_id)
        for number in line.serial_numbers:
            serial = await self._find(key, number)
            if entry_type == "receipt":
                if serial is not None and serial.status in HELD:
                    raise Conflict(
                        f"Serial {number} of {line.sku} is already in stock; it cannot be received again."
                    )
                if serial is None:
                    serial = Serial(
                        serial_number=number,
                        stock_key_id=stockable.key.id,
                        product_key=key,
                        status="in_stock",
                        location_id=line.target_location_id,
                    )
                    self.session.add(serial)
                    await self.session.flush()
                    self._record(serial, "received", None, None, voucher)
                    continue
                from_status, from_location = serial.status, serial.location_id
                serial.status = "in_stock"
                serial.location_id = line.target_location_id
                serial.stock_key_id = stockable.key.id
                self._record(serial, "received", from_status, from_location, voucher)
                continue
            if serial is None or serial.status not in HELD:
                state = "unknown" if serial is None else serial.status
                raise Conflict(f"Serial {number} of {line.sku} is not in stock ({state}).")
            if serial.location_id != line.source_location_id:
                raise Conflict(f"Serial {number} of {line.sku} is not at the source location.")
            from_status, from_location = serial.status, serial.location_id
            if entry_type == "issue":
                serial.status = "issued"
            else:
                serial.location_id = line.target_location_id
            self._record(serial, str(entry_type), from_status, from_location, voucher)
        await self.session.flush()

    async def revert(self, voucher_type: str, voucher_id: str) -> None:
        events = (
            await self.session.execute(
                select(SerialEvent)
                .where(
                    SerialEvent.voucher_type == voucher_type, SerialEvent.voucher_id == voucher_id
                )
                .order_by(SerialEvent.id.desc())
            )
        ).scalars()
        for event in list(events):
            serial = await self.get(event.serial_id)
            later = await self.session.scalar(
                select(SerialEvent.id)
                .where(SerialEvent.serial_id == serial.id, SerialEvent.id > event.id)
                .limit(1)
            )
            if later is not None:
                raise Conflict(
                    f"Serial {serial.serial_number} has changed since; "
                    "undo that first, then cancel this entry."
                )
            if event.from_status is None:
                await self.session.delete(serial)
                continue
            current_status, current_location = serial.status, serial.location_id
            serial.status = event.from_status
            serial.location_id = event.from_location_id
            self._record(serial, "reverted", current_status, current_location, None)
        await self.session.flush()

    @staticmethod
    def listing(
        *, sku: str | None, status: str | None, location: uuid.UUID | None, search: str | None
    ) -> Select[Any]:
        from inventory.models import StockKey

        statement = select(Serial)
        if sku:
            statement = statement.join(StockKey, StockKey.id == Serial.stock_key_id).where(
                func.upper(StockKey.sku) == sku.upper()
            )
        if status:
            statement = statement.where(Serial.status == status)
        if location is not None:
            statement = statement.where(Serial.location_id == location)
        if search:
            statement = statement.where(
                Serial.serial_number.ilike(f"%{_escape(search)}%", escape="\\")
            )
        return statement.order_by(Serial.created_at.desc(), Serial.id)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
