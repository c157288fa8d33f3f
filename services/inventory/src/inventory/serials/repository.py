"""Every query on serial numbers and their history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_search, paginate
from inventory.ledger.models import StockKey
from inventory.serials.models import Serial, SerialEvent


@dataclass(frozen=True)
class SerialFilters:
    sku: str | None = None
    status: str | None = None
    location: uuid.UUID | None = None
    search: str | None = None


class SerialRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, serial_id: uuid.UUID) -> Serial | None:
        return await self.session.get(Serial, serial_id)

    async def find(self, product_key: str, number: str) -> Serial | None:
        return (
            await self.session.execute(
                select(Serial).where(
                    Serial.product_key == product_key, Serial.serial_number == number
                )
            )
        ).scalar_one_or_none()

    async def history(self, serial_id: uuid.UUID) -> list[SerialEvent]:
        rows = await self.session.execute(
            select(SerialEvent).where(SerialEvent.serial_id == serial_id).order_by(SerialEvent.id)
        )
        return list(rows.scalars())

    async def moved_with_stock(self, serial_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(SerialEvent.id)
            .where(SerialEvent.serial_id == serial_id, SerialEvent.voucher_type.is_not(None))
            .limit(1)
        )
        return found is not None

    async def events_of_voucher(self, voucher_type: str, voucher_id: str) -> list[SerialEvent]:
        """The voucher's serial events, newest first."""
        rows = await self.session.execute(
            select(SerialEvent)
            .where(SerialEvent.voucher_type == voucher_type, SerialEvent.voucher_id == voucher_id)
            .order_by(SerialEvent.id.desc())
        )
        return list(rows.scalars())

    async def changed_since(self, event: SerialEvent) -> bool:
        found = await self.session.scalar(
            select(SerialEvent.id)
            .where(SerialEvent.serial_id == event.serial_id, SerialEvent.id > event.id)
            .limit(1)
        )
        return found is not None

    def add(self, row: Serial | SerialEvent) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def save(self, serial: Serial) -> Serial:
        await self.session.flush()
        await self.session.refresh(serial)
        return serial

    async def delete(self, serial: Serial) -> None:
        await self.session.delete(serial)

    async def listing(self, filters: SerialFilters, page: PageParams) -> tuple[int, list[Any]]:
        statement = select(Serial)
        if filters.sku:
            statement = statement.join(StockKey, StockKey.id == Serial.stock_key_id).where(
                func.upper(StockKey.sku) == filters.sku.upper()
            )
        if filters.status:
            statement = statement.where(Serial.status == filters.status)
        if filters.location is not None:
            statement = statement.where(Serial.location_id == filters.location)
        statement = apply_search(statement, filters.search, [Serial.serial_number])
        return await paginate(
            self.session, statement.order_by(Serial.created_at.desc(), Serial.id), page
        )
