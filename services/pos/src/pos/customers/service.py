"""POS's customers, from auth's user events: a sale names its customer by customer number
(seed 002's lookup) without calling auth on the sale path."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Unprocessable
from pos.customers.repository import CustomerRepository
from pos.events.contracts import UserChanged


class CustomerBook:
    def __init__(self, session: AsyncSession) -> None:
        self.customers = CustomerRepository(session)

    async def active_number(self, number: str | None) -> str | None:
        """The customer number as auth issued it; 422 for one POS does not know (or inactive)."""
        if number is None:
            return None
        found = await self.customers.by_number(number)
        if found is None or not found[1]:
            raise Unprocessable(f"customer_number: no active customer {number}.")
        return found[0]

    async def user_changed(self, user: UserChanged, *, deactivated: bool, at: datetime) -> None:
        """Upsert a customer (users without a customer number are not customers: ignored)."""
        if not user.customer_number:
            return
        await self.customers.save(
            {
                "id": user.user_id,
                "customer_number": user.customer_number,
                "name": " ".join(part for part in (user.first_name, user.last_name) if part),
                "email": user.email or "",
                "is_active": bool(user.is_active) and not deactivated,
            },
            synced_at=at,
        )
