"""Receipts: the sales (completed or voided carts) of the caller's stores, found by receipt
number (case-insensitive, exact), as the customer's receipt shows them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from pos.carts.payment import payments_of
from pos.carts.repository import CartRepository, Line
from pos.receipts import text
from pos.receipts.repository import ReceiptRepository
from pos.receipts.schemas import ReceiptOut


def receipt(sale: Row[Any], lines: list[Line]) -> ReceiptOut:
    """A sale row and its lines as the customer's receipt shows them."""
    return ReceiptOut.model_validate(
        {
            **sale._mapping,
            "sale_id": sale.id,
            "store": {
                "id": sale.store_id,
                "code": sale.store_code,
                "name": sale.store_name,
                "address": sale.store_address or "",
                "phone": sale.store_phone or "",
                "time_zone": sale.store_time_zone or "UTC",
            },
            "lines": lines,
            "payments": payments_of(sale),
        }
    )


class ReceiptService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.receipts = ReceiptRepository(session)
        self.carts = CartRepository(session)
        self.actor = actor

    async def listing(
        self, page: PageParams, *, receipt_number: str | None = None
    ) -> tuple[int, list[ReceiptOut]]:
        statement = self.receipts.listing(self.actor, receipt_number)
        count, rows = await self.receipts.page(statement, page, scalars=False)
        lines = await self.carts.lines_of([row.id for row in rows])
        return count, [receipt(row, lines.get(row.id, [])) for row in rows]

    async def get(self, receipt_number: str) -> ReceiptOut:
        """404 naming the number; 403 when it is another store's."""
        sale = await self.receipts.by_number(receipt_number)
        if sale is None:
            raise NotFound(f"No receipt {receipt_number.strip()}.")
        check_store(self.actor, sale.store_id)
        return receipt(sale, await self.carts.lines(sale.id))

    async def text(self, receipt_number: str) -> str:
        """The receipt as 80-column text."""
        return text.render(await self.get(receipt_number))

    async def pdf(self, receipt_number: str) -> tuple[str, bytes]:
        """(the receipt number, the receipt as a PDF on an 80 mm roll)."""
        found = await self.get(receipt_number)
        from pos.receipts import pdf  # fpdf2 (~44 MiB) at the first PDF, not at start-up

        return found.receipt_number, pdf.render(found)
