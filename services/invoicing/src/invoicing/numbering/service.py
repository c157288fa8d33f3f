"""Invoice numbers: ``INV-<store code>-<year>-<6 digits>``, gapless per store and year.

A number is taken when an invoice is issued (never for a draft), by incrementing the
store's counter row for the invoice's year inside the issuing transaction. That row stays
locked until the transaction ends, so concurrent issues in one store queue on it and get
consecutive numbers, and an issue that rolls back gives its number back: no gap, no
duplicate. The year is the invoice date's, in the store's own calendar."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.numbering.repository import CounterRepository

PREFIX = "INV"


@dataclass(frozen=True)
class InvoiceNumber:
    year: int
    sequence: int
    text: str


def format_number(store_code: str, year: int, sequence: int) -> str:
    return f"{PREFIX}-{store_code}-{year}-{sequence:06d}"


class InvoiceNumbers:
    def __init__(self, session: AsyncSession) -> None:
        self.counters = CounterRepository(session)

    async def take(self, *, store_id: uuid.UUID, store_code: str, year: int) -> InvoiceNumber:
        sequence = await self.counters.take_next(store_id, year)
        return InvoiceNumber(year, sequence, format_number(store_code, year, sequence))

    async def propose(self, *, store_id: uuid.UUID, store_code: str, year: int) -> InvoiceNumber:
        """The number the next issue would take, without taking it (another issue may)."""
        sequence = await self.counters.last_taken(store_id, year) + 1
        return InvoiceNumber(year, sequence, format_number(store_code, year, sequence))

    async def last_taken(self, store_id: uuid.UUID, year: int) -> int:
        return await self.counters.last_taken(store_id, year)
