"""Queries on drawers as the API shows them: with their register's code and, while open, the
cash they should hold now (the sum of their movements) — in one statement for a whole page."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, Row, Select, case, cast, func, select

from common.pagination import apply_ordering
from common.roles import Principal
from common.scope import scoped
from pos.cash.models import Drawer, DrawerStatus
from pos.cash.repository import DRAWERS, expected_cash
from pos.db import table_of
from pos.registers.models import Register
from pos.repository import Repository
from pos.shops.models import Store

REGISTERS = table_of(Register)
STORES = table_of(Store)
ORDERING = {
    "opened_at": DRAWERS.c.opened_at,
    "closed_at": DRAWERS.c.closed_at,
    "variance": DRAWERS.c.variance,
}


def drawer_views() -> Select[Any]:
    """Rows of every drawer column, ``register_code`` and ``expected_amount`` (open: now;
    closed: at the close)."""
    expected = case(
        (DRAWERS.c.status == DrawerStatus.open, expected_cash(DRAWERS.c.id)),
        else_=DRAWERS.c.expected_amount,
    )
    columns = [column for column in DRAWERS.c if column.name != "expected_amount"]
    return select(
        *columns, REGISTERS.c.code.label("register_code"), expected.label("expected_amount")
    ).join(REGISTERS, REGISTERS.c.id == DRAWERS.c.register_id)


class DrawerRepository(Repository):
    async def view(self, drawer_id: uuid.UUID) -> Row[Any]:
        statement = drawer_views().where(DRAWERS.c.id == drawer_id)
        return (await self.session.execute(statement)).one()

    def listing(
        self,
        actor: Principal,
        *,
        register: uuid.UUID | None,
        day: date | None,
        status: DrawerStatus | None,
        cashier: str | None,
        ordering: str | None,
    ) -> Select[Any]:
        statement = scoped(drawer_views(), DRAWERS.c.store_id, actor)
        if register is not None:
            statement = statement.where(DRAWERS.c.register_id == register)
        if status is not None:
            statement = statement.where(DRAWERS.c.status == status)
        if cashier is not None:
            statement = statement.where(DRAWERS.c.cashier_id == cashier)
        if day is not None:  # the day the drawer opened, in its store's time zone
            local = func.timezone(STORES.c.time_zone, DRAWERS.c.opened_at)
            statement = statement.join(STORES, STORES.c.id == DRAWERS.c.store_id).where(
                cast(local, Date) == day
            )
        return apply_ordering(
            statement, ordering, ORDERING, [DRAWERS.c.opened_at.desc(), DRAWERS.c.id]
        )

    async def register(self, register_id: uuid.UUID) -> Register | None:
        return await self.session.get(Register, register_id)

    async def add(self, drawer: Drawer) -> None:
        self.session.add(drawer)
        await self.session.flush()
