"""Queries of the customers read-model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.customers.models import Customer
from common.readmodel import upsert_newer


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> Customer | None:
        return await self.session.get(Customer, user_id)

    async def active_by_email(self, email_key: str) -> Customer | None:
        """The active account with this email; a customer's before a staff member's."""
        return (
            await self.session.execute(
                select(Customer)
                .where(Customer.email_key == email_key, Customer.is_active.is_(True))
                .order_by((Customer.role != "customer"), Customer.user_id)
                .limit(1)
            )
        ).scalar_one_or_none()

    async def save_newer(self, values: dict[str, Any]) -> bool:
        return await upsert_newer(self.session, Customer, values, keys=("user_id",))
