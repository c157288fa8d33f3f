"""Every query on stock entries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_ordering, paginate
from inventory.entries.models import StockEntry

ORDERING = {
    "created_at": StockEntry.created_at,
    "posted_at": StockEntry.posted_at,
    "number": StockEntry.number,
}


@dataclass(frozen=True)
class EntryFilters:
    status: str | None = None
    entry_type: str | None = None
    reference: str | None = None
    ordering: str | None = None


class EntryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, entry_id: uuid.UUID, *, lock: bool = False) -> StockEntry | None:
        statement = select(StockEntry).where(StockEntry.id == entry_id)
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_idempotency_key(self, key: str) -> StockEntry | None:
        return (
            await self.session.execute(select(StockEntry).where(StockEntry.idempotency_key == key))
        ).scalar_one_or_none()

    async def next_number(self) -> int:
        number = await self.session.scalar(text("SELECT nextval('stock_entry_number_seq')"))
        return int(number)

    async def add(self, entry: StockEntry) -> bool:
        """Insert the entry; False when its idempotency key was committed meanwhile (the
        savepoint rolls back, the transaction goes on)."""
        try:
            async with self.session.begin_nested():
                self.session.add(entry)
                await self.session.flush()
        except IntegrityError:
            if entry.idempotency_key is None:
                raise
            return False
        await self.session.refresh(entry)
        return True

    async def save(self, entry: StockEntry) -> StockEntry:
        await self.session.flush()
        await self.session.refresh(entry)
        return entry

    async def delete(self, entry: StockEntry) -> None:
        await self.session.delete(entry)
        await self.session.flush()

    async def listing(self, filters: EntryFilters, page: PageParams) -> tuple[int, list[Any]]:
        statement = select(StockEntry)
        if filters.status:
            statement = statement.where(StockEntry.status == filters.status)
        if filters.entry_type:
            statement = statement.where(StockEntry.entry_type == filters.entry_type)
        if filters.reference:
            statement = statement.where(StockEntry.reference == filters.reference)
        statement = apply_ordering(
            statement, filters.ordering, ORDERING, [StockEntry.created_at.desc(), StockEntry.id]
        )
        return await paginate(self.session, statement, page)
