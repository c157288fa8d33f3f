"""Queries on sales as receipts: completed or voided carts with a receipt number, each with
the code of the register it was rung up on and its store's particulars."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, func, select

from common.roles import Principal
from common.scope import scoped
from pos.carts.models import CartStatus
from pos.carts.repository import CARTS, STORES
from pos.db import table_of
from pos.registers.models import Register
from pos.repository import Repository

REGISTERS = table_of(Register)
SALE_STATUSES = (CartStatus.completed, CartStatus.voided)


def sales() -> Select[Any]:
    """Rows of every cart column, ``register_code`` and the store's ``store_*`` columns."""
    return (
        select(
            CARTS,
            REGISTERS.c.code.label("register_code"),
            STORES.c.code.label("store_code"),
            STORES.c.name.label("store_name"),
            STORES.c.address.label("store_address"),
            STORES.c.phone.label("store_phone"),
            STORES.c.time_zone.label("store_time_zone"),
        )
        .join(REGISTERS, REGISTERS.c.id == CARTS.c.register_id)
        .join(STORES, STORES.c.id == CARTS.c.store_id)
        .where(CARTS.c.status.in_(SALE_STATUSES), CARTS.c.receipt_number.is_not(None))
    )


def numbered(statement: Select[Any], receipt_number: str) -> Select[Any]:
    return statement.where(func.upper(CARTS.c.receipt_number) == receipt_number.strip().upper())


class ReceiptRepository(Repository):
    def listing(self, actor: Principal, receipt_number: str | None) -> Select[Any]:
        statement = scoped(sales(), CARTS.c.store_id, actor)
        if receipt_number is not None:
            statement = numbered(statement, receipt_number)
        return statement.order_by(CARTS.c.completed_at.desc(), CARTS.c.id)

    async def by_number(self, receipt_number: str) -> Row[Any] | None:
        return (await self.session.execute(numbered(sales(), receipt_number))).first()
