"""Queries of the invoice counters: take the next number (locking the row), or peek at it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.numbering.models import InvoiceCounter


class CounterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take_next(self, store_id: uuid.UUID, year: int) -> int:
        """Increment the store's counter for ``year`` (creating it at 1) and return it. The
        row stays locked until the caller's transaction ends: a concurrent issuer waits, and
        a rollback gives the number back."""
        statement = (
            insert(InvoiceCounter)
            .values(store_id=store_id, year=year, last_number=1)
            .on_conflict_do_update(
                index_elements=[InvoiceCounter.store_id, InvoiceCounter.year],
                set_={"last_number": InvoiceCounter.last_number + 1},
            )
            .returning(InvoiceCounter.last_number)
        )
        return int((await self.session.execute(statement)).scalar_one())

    async def last_taken(self, store_id: uuid.UUID, year: int) -> int:
        last = await self.session.scalar(
            select(InvoiceCounter.last_number).where(
                InvoiceCounter.store_id == store_id, InvoiceCounter.year == year
            )
        )
        return int(last or 0)
