"""Queries on POS's customers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from common.readmodel import upsert_newer
from pos.customers.models import Customer
from pos.db import table_of
from pos.repository import Repository

CUSTOMERS = table_of(Customer)


class CustomerRepository(Repository):
    async def by_number(self, number: str) -> tuple[str, bool] | None:
        """(the number as auth issued it, whether the customer is active), any case."""
        statement = select(CUSTOMERS.c.customer_number, CUSTOMERS.c.is_active).where(
            func.upper(CUSTOMERS.c.customer_number) == number.strip().upper()
        )
        row = (await self.session.execute(statement)).first()
        return None if row is None else (row.customer_number, row.is_active)

    async def save(self, values: dict[str, Any], synced_at: datetime) -> None:
        await upsert_newer(self.session, Customer, {**values, "synced_at": synced_at})
