"""Serial rules: one serial number per product, a status and a history row per change.

Stock entries move serials with their lines (a receipt registers them, an
issue marks them issued, a transfer moves them); cancelling the entry puts
every serial back as its history says it was.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.pagination import PageParams
from common.updates import assign
from common.updates import changes as sent
from inventory.events.contracts import SerialChanged
from inventory.events.outbox import outbox
from inventory.items.repository import ItemRepository, Stockable
from inventory.locations.service import LocationService
from inventory.serials.models import HELD, Serial, SerialEvent, SerialStatus
from inventory.serials.repository import SerialFilters, SerialRepository
from inventory.serials.schemas import SerialIn, SerialUpdate


class MovedLine(Protocol):
    """A stock entry line that carries serial numbers."""

    @property
    def sku(self) -> str: ...

    @property
    def serial_numbers(self) -> list[str]: ...

    @property
    def source_location_id(self) -> uuid.UUID | None: ...

    @property
    def target_location_id(self) -> uuid.UUID | None: ...


def product_key(stockable: Stockable) -> str:
    """Serials are unique per catalog product when known, else per stock key."""
    product = stockable.product_id
    return str(product) if product is not None else f"key:{stockable.key.id}"


class SerialService:
    def __init__(self, session: AsyncSession, actor_id: str | None) -> None:
        self.session = session
        self.actor_id = actor_id
        self.serials = SerialRepository(session)
        self.items = ItemRepository(session)
        self.locations = LocationService(session)

    async def get(self, serial_id: uuid.UUID) -> Serial:
        serial = await self.serials.get(serial_id)
        if serial is None:
            raise NotFound(f"Serial {serial_id} not found.")
        return serial

    async def get_with_history(self, serial_id: uuid.UUID) -> tuple[Serial, list[SerialEvent]]:
        serial = await self.get(serial_id)
        return serial, await self.serials.history(serial.id)

    async def listing(self, filters: SerialFilters, page: PageParams) -> tuple[int, list[Any]]:
        return await self.serials.listing(filters, page)

    def _record(
        self,
        serial: Serial,
        event_type: str,
        from_status: str | None,
        from_location: uuid.UUID | None,
        voucher: tuple[str, str] | None = None,
    ) -> None:
        self.serials.add(
            SerialEvent(
                serial_id=serial.id,
                event_type=event_type,
                from_status=from_status,
                to_status=serial.status,
                from_location_id=from_location,
                location_id=serial.location_id,
                voucher_type=None if voucher is None else voucher[0],
                voucher_id=None if voucher is None else voucher[1],
                actor=self.actor_id,
            )
        )

    async def _number_free(self, product_key: str, number: str) -> None:
        if await self.serials.find(product_key, number) is not None:
            raise field_error(
                "serial_number",
                f"Serial {number} is already registered for this product.",
                status=Conflict,
            )

    # -- the routes ------------------------------------------------------------------------

    async def create(self, body: SerialIn) -> tuple[Serial, list[SerialEvent]]:
        stockable = await self.items.stockable(body.sku)
        if stockable is None:
            raise field_error("sku", f"Unknown SKU {body.sku}.")
        key = product_key(stockable)
        await self._number_free(key, body.serial_number)
        if body.location_id is not None:
            await self.locations.known(body.location_id, "location_id")
        serial = Serial(
            serial_number=body.serial_number,
            stock_key_id=stockable.key.id,
            product_key=key,
            status=body.status,
            location_id=body.location_id,
            notes=body.notes,
        )
        self.serials.add(serial)
        await self.serials.flush()
        self._record(serial, "registered", None, None)
        await self.serials.save(serial)
        await self._announce(serial, stockable.key.sku, "created")
        return serial, await self.serials.history(serial.id)

    async def update(
        self, serial_id: uuid.UUID, body: SerialUpdate
    ) -> tuple[Serial, list[SerialEvent]]:
        serial = await self.get(serial_id)
        changes = sent(body)
        if "serial_number" in changes and changes["serial_number"] != serial.serial_number:
            await self._number_free(serial.product_key, changes["serial_number"])
        if changes.get("location_id") is not None:
            await self.locations.known(changes["location_id"], "location_id")
        from_status, from_location = serial.status, serial.location_id
        sku = serial.stock_key.sku
        changed = assign(serial, changes)
        if serial.status != from_status or serial.location_id != from_location:
            self._record(serial, "updated", from_status, from_location)
        await self.serials.save(serial)
        if changed:
            await self._announce(serial, sku, "updated", changed)
        return serial, await self.serials.history(serial.id)

    async def delete(self, serial_id: uuid.UUID) -> None:
        serial = await self.get(serial_id)
        if await self.serials.moved_with_stock(serial.id):
            raise Conflict(
                f"Serial {serial.serial_number} has moved with stock entries; "
                "set its status to scrapped instead of deleting it."
            )
        await self._announce(serial, serial.stock_key.sku, "deleted")
        await self.serials.delete(serial)
        await self.serials.flush()

    async def _announce(
        self, serial: Serial, sku: str, verb: str, changed: list[str] | None = None
    ) -> None:
        location = (
            None if serial.location_id is None else await self.locations.find(serial.location_id)
        )
        await outbox.publish(
            self.session,
            SerialChanged(
                serial_id=serial.id,
                serial_number=serial.serial_number,
                sku=sku,
                status=serial.status,
                location_id=serial.location_id,
                store_id=None if location is None else location.store_id,
                changed=changed or [],
            ),
            verb=verb,
            actor=self.actor_id,
        )

    # -- stock entries ---------------------------------------------------------------------

    async def apply_line(
        self,
        entry_type: str,
        stockable: Stockable,
        line: MovedLine,
        voucher: tuple[str, str],
    ) -> None:
        """Move the line's serials: a receipt registers (or takes back) them, an issue marks
        them issued, a transfer moves them; each one held at the source first."""
        key = product_key(stockable)
        for number in line.serial_numbers:
            serial = await self.serials.find(key, number)
            if entry_type == "receipt":
                await self._receive(serial, number, key, stockable, line, voucher)
                continue
            if serial is None or serial.status not in HELD:
                state = "unknown" if serial is None else serial.status
                raise Conflict(f"Serial {number} of {line.sku} is not in stock ({state}).")
            if serial.location_id != line.source_location_id:
                raise Conflict(f"Serial {number} of {line.sku} is not at the source location.")
            from_status, from_location = serial.status, serial.location_id
            if entry_type == "issue":
                serial.status = SerialStatus.issued
            else:
                serial.location_id = line.target_location_id
            self._record(serial, entry_type, from_status, from_location, voucher)
        await self.serials.flush()

    async def _receive(
        self,
        serial: Serial | None,
        number: str,
        key: str,
        stockable: Stockable,
        line: MovedLine,
        voucher: tuple[str, str],
    ) -> None:
        if serial is not None and serial.status in HELD:
            raise Conflict(
                f"Serial {number} of {line.sku} is already in stock; it cannot be received again."
            )
        if serial is None:
            serial = Serial(
                serial_number=number,
                stock_key_id=stockable.key.id,
                product_key=key,
                status=SerialStatus.in_stock,
                location_id=line.target_location_id,
            )
            self.serials.add(serial)
            await self.serials.flush()
            self._record(serial, "received", None, None, voucher)
            return
        from_status, from_location = serial.status, serial.location_id
        serial.status = SerialStatus.in_stock
        serial.location_id = line.target_location_id
        serial.stock_key_id = stockable.key.id
        self._record(serial, "received", from_status, from_location, voucher)

    async def revert(self, voucher_type: str, voucher_id: str) -> None:
        """Put every serial the voucher moved back as its history says it was."""
        for event in await self.serials.events_of_voucher(voucher_type, voucher_id):
            serial = await self.get(event.serial_id)
            if await self.serials.changed_since(event):
                raise Conflict(
                    f"Serial {serial.serial_number} has changed since; "
                    "undo that first, then cancel this entry."
                )
            if event.from_status is None:
                await self.serials.delete(serial)
                continue
            current_status, current_location = serial.status, serial.location_id
            serial.status = event.from_status
            serial.location_id = event.from_location_id
            self._record(serial, "reverted", current_status, current_location, None)
        await self.serials.flush()
