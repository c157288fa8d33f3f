"""Keeping auth's users, and telling whose bookings are whose (by email, case-insensitive)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bookings.customers.models import Customer
from bookings.customers.repository import CustomerRepository


def email_key(email: str) -> str:
    """What two spellings of one address share (``Ann@Example.com`` = ``ann@example.com``)."""
    return email.strip().lower()


class CustomerService:
    def __init__(self, session: AsyncSession) -> None:
        self.customers = CustomerRepository(session)

    async def record(
        self,
        *,
        user_id: str,
        email: str,
        first_name: str,
        last_name: str,
        phone: str | None,
        role: str,
        customer_number: str | None,
        is_active: bool,
        at: datetime,
    ) -> None:
        """What auth announced about a user (an older announcement changes nothing)."""
        await self.customers.save_newer(
            {
                "user_id": user_id,
                "email": email,
                "email_key": email_key(email),
                "first_name": first_name,
                "last_name": last_name,
                "phone": phone,
                "role": role,
                "customer_number": customer_number,
                "is_active": is_active,
                "synced_at": at,
            }
        )

    async def email_of(self, user_id: str) -> str | None:
        """The email key of an active account (None: auth never announced it, or deactivated)."""
        customer = await self.customers.get(user_id)
        if customer is None or not customer.is_active:
            return None
        return customer.email_key

    async def account_for(self, email: str) -> Customer | None:
        return await self.customers.active_by_email(email_key(email))
