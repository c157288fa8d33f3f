"""Queries of the customers read-model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.readmodel import upsert_newer
from invoicing.customers.models import Customer


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: str) -> Customer | None:
        return await self.session.get(Customer, customer_id)

    async def by_number(self, number: str) -> Customer | None:
        found: Customer | None = await self.session.scalar(
            select(Customer).where(func.upper(Customer.customer_number) == number.strip().upper())
        )
        return found

    async def save_newer(self, values: dict[str, Any]) -> bool:
        return await upsert_newer(self.session, Customer, values)
