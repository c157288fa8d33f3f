"""Keeping auth's customers, and the customer an invoice may name (known and active)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import field_error
from invoicing.customers.models import Customer
from invoicing.customers.repository import CustomerRepository


class CustomerService:
    def __init__(self, session: AsyncSession) -> None:
        self.customers = CustomerRepository(session)

    async def record(
        self,
        *,
        user_id: str,
        customer_number: str | None,
        name: str,
        email: str,
        is_active: bool,
        at: datetime,
    ) -> None:
        """What auth announced about a user; a user without a customer number is staff and
        is not kept (an older announcement changes nothing)."""
        if not customer_number:
            return
        await self.customers.save_newer(
            {
                "id": user_id,
                "customer_number": customer_number,
                "name": name,
                "email": email,
                "is_active": is_active,
                "synced_at": at,
            }
        )

    async def to_invoice(self, customer_id: str, field: str) -> Customer:
        """422 naming ``field`` for a customer auth never announced (or deactivated)."""
        customer = await self.customers.get(customer_id)
        if customer is None or not customer.is_active:
            raise field_error(field, f"no active customer {customer_id} (customers come from auth)")
        return customer

    async def is_active_customer(self, customer_id: str) -> bool:
        customer = await self.customers.get(customer_id)
        return customer is not None and customer.is_active

    async def by_number(self, number: str) -> Customer | None:
        return await self.customers.by_number(number)
