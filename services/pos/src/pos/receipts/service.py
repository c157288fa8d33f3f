"""Receipts: the sales (completed or voided carts) of the caller's stores, found by receipt
number (case-insensitive, exact), each with the code of the register it was rung up on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound
from common.roles import Principal
from common.scope import check_store, scoped
from pos.models import Cart, Register
from pos.receipts.schemas import ReceiptOut

SALE_STATUSES = ("completed", "voided")


def sales_with_register() -> Select[Any]:
    """Rows of (sale, register code)."""
    return (
        select(Cart, Register.code)
        .join(Register, Register.id == Cart.register_id)
        .where(Cart.status.in_(SALE_STATUSES), Cart.receipt_number.is_not(None))
    )


def numbered(statement: Select[Any], receipt_number: str) -> Select[Any]:
    return statement.where(func.upper(Cart.receipt_number) == receipt_number.strip().upper())


class ReceiptService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    def listing(self, receipt_number: str | None) -> Select[Any]:
        statement = scoped(sales_with_register(), Cart.store_id, self.actor)
        if receipt_number is not None:
            statement = numbered(statement, receipt_number)
        return statement.order_by(Cart.completed_at.desc(), Cart.id)

    async def get(self, receipt_number: str) -> ReceiptOut:
        """404 naming the number; 403 when it is another store's."""
        row = (
            (await self.session.execute(numbered(sales_with_register(), receipt_number)))
            .unique()
            .first()
        )
        if row is None:
            raise NotFound(f"No receipt {receipt_number.strip()}.")
        sale, register_code = row
        check_store(self.actor, sale.store_id)
        return ReceiptOut.of(sale, register_code)
